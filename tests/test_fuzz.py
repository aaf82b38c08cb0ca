"""Property-based fuzzing of the three front ends: whatever the input, only ``InputError``.

Inputs are real files mutated (seeded from the corpus pages, ``specs/idl`` and
the MAPI headers of mingw-w64 plus ``tests/cases/headers``) and random text
over each grammar's own vocabulary.  The normal run tries a few hundred
examples per front end, derandomized so that CI is repeatable; the long run
(``python -m pytest -m fuzz``) tries ``LONG_EXAMPLES`` mutated inputs and
``LONG_RANDOM`` random ones per front end, with fresh randomness each time.

Every error must also be usable: a position inside the text, a message that
prints, and a caret line that renders.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from conftest import CORPUS, CORPUS_FOLDERS, ROOT, SPECS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.backends.python import render_python
from generator.build import build_model
from generator.cache import BuildCache
from generator.errors import InputError, InputErrors
from generator.frontends.header import parse_guid_definitions, parse_headers
from generator.frontends.idl import parse_idl
from generator.frontends.page import parse_page
from generator.sources import Sources

QUICK_EXAMPLES = {
    "mutated": 800,
    "random": 500,
}  # per front end: about 15 s in all, with the pipeline
LONG_EXAMPLES = int(os.environ.get("MAPI_FUZZ_EXAMPLES", "20000"))
LONG_RANDOM = int(os.environ.get("MAPI_FUZZ_RANDOM", "20000"))
QUICK_PIPELINE, LONG_PIPELINE = 150, int(os.environ.get("MAPI_FUZZ_PIPELINE", "10000"))

MINGW = Path("/usr/x86_64-w64-mingw32/include")

# Fragments of each input language that mutations insert: the constructs the
# grammars care about, their broken halves, and characters that tend to break
# parsers (line ends of every kind, BOM, NUL, bidi controls, surrogate-free
# astral characters).
_COMMON = [
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "\ufeff",
    "\x00",
    "\u2028",
    "\u202e",
    "\x1b[31m",
    "\U0001f600",
    "é",
    "ı",
    "İ",
    "K",
    "\x85",
    "\x0c",
    "\\",
    "\\\n",
    '"',
    "'",
    "`",
    "0",
    "9" * 30,
    "0x",
    "-",
]
_PAGE_WORDS = [
    "---\n",
    "---",
    "title: x\n",
    "ms.contentlocale: es-ES\n",
    "ms.date: 2020-13-45\n",
    "[[[[",
    "{{",
    "}}",
    "# ",
    "## ",
    "# IFoo : IUnknown\n",
    "# IFoo::Bar\n",
    "## Vtable order\n",
    "## Parameters\n",
    "## Return value\n",
    "## See also\n",
    "|",
    "|:-----|:-----|\n",
    "|||\n",
    "**",
    "*",
    "_x_",
    "_",
    "[",
    "]",
    "](x.md)",
    "(",
    ")",
    "`",
    "```",
    "```cpp\n",
    "> ",
    "> [!NOTE]\n",
    "- ",
    "  - ",
    "1. ",
    "<span>",
    "</span>",
    '<span data-ttu-id="a">',
    '<span class="sxs-lookup">',
    '<span data-stu-id="a">',
    '<a name="vtable-order"></a>',
    "<br/>",
    "<b>",
    "<!--",
    "-->",
    "&amp;",
    "&#0;",
    "\\*",
    "[in]",
    "[out]",
    "HRESULT Bar(\n",
    "ULONG ulFlags",
    ");\n",
    "::",
    ":",
]
_IDL_WORDS = [
    "interface ",
    "IFoo",
    "IUnknown",
    " : ",
    ":",
    "{",
    "}",
    ";",
    "(",
    ")",
    "[",
    "]",
    ",",
    "*",
    "[in] ",
    "[out] ",
    "[in, out] ",
    "object",
    "local",
    "uuid(",
    "614AB435-491D-4F5B-A8B4-60EB031030C6",
    "uuid(614AB435-491D-4F5B-A8B4-60EB031030C6)",
    "size_is(",
    "const ",
    "HRESULT ",
    "ULONG ",
    "void",
    "unsigned ",
    "long ",
    "struct ",
    "typedef ",
    "import ",
    '"x.idl"',
    'cpp_quote("x")',
    "/*",
    "*/",
    "// c\n",
    "const HRESULT E = 0x80004005;",
    "-2147467259",
    "0777",
    "08",
    "Open",
    "1abc",
    "$x",
    "interface IFoo : IUnknown { HRESULT Open([in] ULONG ulFlags); };",
]
_HEADER_WORDS = [
    "#define ",
    "#if 0\n",
    "#endif\n",
    "#undef INTERFACE\n",
    "#define INTERFACE IFoo\n",
    "MAPIMETHOD(",
    "MAPIMETHOD_(ULONG, ",
    "STDMETHOD(",
    "STDMETHOD_(",
    "(THIS_ ",
    "(THIS)",
    "THIS",
    "THIS_",
    ") IPURE;",
    "IPURE",
    "PURE",
    "DECLARE_MAPI_INTERFACE_(",
    "DECLARE_INTERFACE_(",
    "DECLARE_MAPI_INTERFACE_PTR(",
    "DEFINE_GUID(",
    "DEFINE_OLEGUID(",
    "IID_IFoo, ",
    "0x00020300, ",
    "0xC0, ",
    "BEGIN_INTERFACE",
    "END_INTERFACE",
    "MAPI_IUNKNOWN_METHODS(PURE)",
    "(IPURE)",
    "{",
    "}",
    "(",
    ")",
    ",",
    ";",
    "*",
    "/*in*/",
    "/*out*/",
    "/* [in, out] */",
    "/*ın*/",
    "typedef ",
    "FAR",
    "const ",
    "struct ",
    "typedef struct _X {",
    "typedef enum {",
    "} X, FAR *LPX;",
    "ULONG ",
    "LPVOID FAR * ppv",
    "[]",
    "[10]",
    "MAKE_MAPI_E(",
    "MAKE_MAPI_S(",
    "((HRESULT)",
    "_HRESULT_TYPEDEF_(",
    "__RPC__in ",
    "_In_ ",
    "/*",
    "*/",
    "//",
    "#",
    "#define MAPI_E_X MAKE_MAPI_E(0x1)\n",
]


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


@cache
def _page_seeds() -> tuple[str, ...]:
    seeds = [_read(p) for p in sorted((SPECS / "pages").glob("*.md"))]
    seeds += [
        _read(p)
        for p in sorted((ROOT / "tests" / "hostile").glob("*.md"))
        if p.stat().st_size < 20_000
    ]
    if CORPUS.is_dir():
        pages = sorted(p for folder in CORPUS_FOLDERS for p in (CORPUS / folder).glob("*.md"))
        seeds += [_read(p) for p in random.Random(6).sample(pages, min(len(pages), 120))]
    return tuple(seeds)


@cache
def _idl_seeds() -> tuple[str, ...]:
    files = sorted((SPECS / "idl").glob("*.idl")) + sorted(
        (ROOT / "tests" / "cases" / "idl").glob("*.idl")
    )
    files += sorted((ROOT / "tests" / "hostile").glob("*.idl"))
    return tuple(_read(p) for p in files)


@cache
def _header_seeds() -> tuple[str, ...]:
    files = sorted((ROOT / "tests" / "cases" / "headers").glob("*.h"))
    files += sorted((ROOT / "tests" / "hostile").glob("*.h"))
    files += sorted(MINGW.glob("mapi*.h")) if MINGW.is_dir() else []
    return tuple(_read(p) for p in files)


@st.composite
def _mutated(
    draw: st.DrawFn,
    seeds: tuple[str, ...],
    words: list[str],
    least: int = 1,
    most: int = 6,
    window: bool = True,
) -> str:
    """A window of a seed file (up to 80 lines, often its start), mutated ``least`` to ``most`` times."""
    lines = draw(st.sampled_from(seeds)).splitlines(keepends=True)
    if window and len(lines) > 80:
        start = 0 if draw(st.booleans()) else draw(st.integers(0, len(lines) - 1))
        lines = lines[start : start + draw(st.integers(1, 80))]
    text = "".join(lines)
    fragments = st.sampled_from(words + _COMMON) | st.text(max_size=4)
    for _ in range(draw(st.integers(least, most))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(("insert", "insert", "delete", "duplicate", "truncate", "swap")))
        if op == "insert":
            text = text[:at] + draw(fragments) + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif op == "duplicate":
            piece = text[at : at + draw(st.integers(1, 200))]
            text = text[:at] + piece * draw(st.integers(2, 40)) + text[at:]
        elif op == "truncate":
            text = text[:at]
        else:
            parts = text.splitlines(keepends=True)
            if len(parts) > 1:
                i, j = draw(st.integers(0, len(parts) - 1)), draw(st.integers(0, len(parts) - 1))
                parts[i], parts[j] = parts[j], parts[i]
                text = "".join(parts)
    return text


def _random_text(words: list[str]) -> st.SearchStrategy[str]:
    """Text made of the grammar's words, stray characters and arbitrary Unicode."""
    pieces = st.sampled_from(words + _COMMON) | st.characters(codec="utf-8") | st.text(max_size=8)
    return st.lists(pieces, max_size=200).map("".join)


def _check_error(exc: InputError, path: str, text: str) -> None:
    """An InputError must name the file, a real position, and render without surprises."""
    assert exc.loc.file == path
    assert exc.loc.line >= 1 and exc.loc.column >= 1
    assert exc.loc.line <= text.count("\n") + text.count("\r") + 2, (exc.loc, str(exc))
    rendered = exc.render()
    assert rendered.startswith(f"{path}:{exc.loc.line}:{exc.loc.column}: error: ")
    assert all(c.isprintable() or c == "\n" for c in rendered), rendered


def _page(text: str) -> None:
    try:
        parse_page("fuzz.md", text)
    except InputError as exc:
        _check_error(exc, "fuzz.md", text)


def _idl(text: str) -> None:
    try:
        parse_idl("fuzz.idl", text)
    except InputError as exc:
        _check_error(exc, "fuzz.idl", text)


def _header(text: str) -> None:
    try:
        parse_headers([("fuzz.h", text)])
    except InputError as exc:
        _check_error(exc, "fuzz.h", text)
    try:
        parse_guid_definitions("fuzz.h", text, 3)
    except InputError as exc:
        assert exc.loc.file == "fuzz.h" and exc.loc.line >= 4


FRONT_ENDS: dict[str, tuple[Callable[[str], None], Callable[[], tuple[str, ...]], list[str]]] = {
    "page": (_page, _page_seeds, _PAGE_WORDS),
    "idl": (_idl, _idl_seeds, _IDL_WORDS),
    "header": (_header, _header_seeds, _HEADER_WORDS),
}


def _run(front_end: str, strategy_kind: str, examples: int, derandomize: bool) -> None:
    check, seeds, words = FRONT_ENDS[front_end]
    strategy = _mutated(seeds(), words) if strategy_kind == "mutated" else _random_text(words)

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=derandomize,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(strategy)
    def property_holds(text: str) -> None:
        calls.append(len(text))
        check(text)

    calls: list[int] = []
    start = time.perf_counter()
    property_holds()
    _report(f"{front_end} {strategy_kind}", calls, start)


def _report(what: str, calls: list[int], start: float) -> None:
    """One line per run (shown by ``pytest -rA``), for the README's figures."""
    size = sorted(calls)[len(calls) // 2] if calls else 0
    print(
        f"fuzz {what}: {len(calls)} examples, median {size} characters, {time.perf_counter() - start:.1f} s"
    )


@pytest.mark.parametrize("kind", ["mutated", "random"])
@pytest.mark.parametrize("front_end", sorted(FRONT_ENDS))
def test_only_input_errors(front_end: str, kind: str) -> None:
    _run(front_end, kind, QUICK_EXAMPLES[kind], derandomize=True)


@pytest.mark.fuzz
@pytest.mark.parametrize("kind", ["mutated", "random"])
@pytest.mark.parametrize("front_end", sorted(FRONT_ENDS))
def test_only_input_errors_long(front_end: str, kind: str) -> None:
    _run(front_end, kind, LONG_EXAMPLES if kind == "mutated" else LONG_RANDOM, derandomize=False)


# --- the whole pipeline: load, merge, the Python back end ------------------------


def _pipeline(page: str, idl: str, header: str, folder: Path) -> None:
    """Load and merge one page, one IDL file and one header; render the Python package.

    Only ``InputError`` may come out, and whatever is accepted must become
    Python that compiles.
    """
    for sub, name, text in (
        ("pages", "fuzz.md", page),
        ("idl", "fuzz.idl", idl),
        ("headers", "mapifuzz.h", header),
    ):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        (folder / sub / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        files = render_python(
            build_model(Sources(folder, (), (folder / "headers",)), BuildCache(None))
        )
    except (InputError, InputErrors):
        return
    for name, source in files.items():
        if name.endswith(".py"):
            compile(source, name, "exec")


def _run_pipeline(examples: int, derandomize: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="mapi-fuzz-"))

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=derandomize,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(
        _mutated(_pipeline_seeds(".md"), _PAGE_WORDS, least=0, most=2, window=False),
        _mutated(_pipeline_seeds(".idl"), _IDL_WORDS, least=0, most=2, window=False),
        _mutated(_pipeline_seeds(".h"), _HEADER_WORDS, least=0, most=2, window=False),
    )
    def property_holds(page: str, idl: str, header: str) -> None:
        calls.append(len(page) + len(idl) + len(header))
        _pipeline(page, idl, header, folder)

    calls: list[int] = []
    start = time.perf_counter()
    property_holds()
    _report("pipeline", calls, start)


@cache
def _pipeline_seeds(suffix: str) -> tuple[str, ...]:
    """Files that build on their own (with IUnknown): the seed page, IDL deriving from
    IUnknown, the Outlook-style header, and the hostile files meant to build."""
    hostile = ROOT / "tests" / "hostile"
    if suffix == ".md":
        files = [*sorted((SPECS / "pages").glob("*.md")), *sorted(hostile.glob("*-injection.md"))]
        files += [hostile / "unicode-controls.md", hostile / "table-missing-cell.md"]
    elif suffix == ".idl":
        files = [p for p in sorted((SPECS / "idl").glob("*.idl")) if ": IUnknown" in _read(p)]
        files += [hostile / "keyword_identifiers.idl", hostile / "keyword_interfaces.idl"]
    else:
        files = [
            ROOT / "tests" / "cases" / "headers" / "outlook_style.h",
            hostile / "mapi_keyword_names.h",
        ]
    return tuple(_read(p) for p in files)


def test_pipeline_only_input_errors() -> None:
    _run_pipeline(QUICK_PIPELINE, derandomize=True)


@pytest.mark.fuzz
def test_pipeline_only_input_errors_long() -> None:
    _run_pipeline(LONG_PIPELINE, derandomize=False)
