"""Hostile and broken input: a located error or the right warnings, never a traceback, never unsafe output.

Every file in ``tests/hostile/`` is built through the real pipeline (a copy of
``specs/`` plus the file: pages go to ``specs/pages``, IDL to ``specs/idl``,
headers to a ``headers/`` folder of their own) and must give exactly the
diagnostics of its ``.expected`` sidecar: the error lines of a failed build,
or the warnings and notes located in the file when it builds.  Refresh the
sidecars with ``MAPI_UPDATE_HOSTILE=1 python -m pytest tests/test_hostile.py``
and review the diff.

Inputs too big to commit (10 000 nested spans, a 10 MB page) are made in
``tmp_path``.  Builds that succeed also have their Python package written,
compiled, checked statement by statement and imported under an audit hook;
the HTML cases check ``render_site``'s output.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import json
import keyword
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from conftest import CORPUS_FOLDERS, GENERATED, ROOT, SPECS, require_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.backends.python import py_name, render_python
from generator.backends.render import py_string
from generator.build import build_model
from generator.cache import BuildCache
from generator.errors import (
    MAX_INPUT_BYTES,
    MAX_LIST_NESTING,
    MAX_NESTING,
    InputError,
    InputErrors,
    fail,
)
from generator.findings import sorted_diagnostics
from generator.frontends.header import parse_header
from generator.frontends.idl import parse_idl
from generator.frontends.page import parse_page
from generator.model import InterfacePage, Model, SourceLoc
from generator.sources import Sources, read_input

HOSTILE = Path(__file__).parent / "hostile"
CASES = sorted(p for p in HOSTILE.iterdir() if p.suffix in (".md", ".idl", ".h"))
UPDATE = os.environ.get("MAPI_UPDATE_HOSTILE") == "1"
MINGW = Path("/usr/x86_64-w64-mingw32/include")

PAGE_HEAD = "---\ntitle: Hostile page\nms.date: 11/24/2026\n---\n"


# --- building one case ---------------------------------------------------------------


@dataclass
class Outcome:
    """What a build of the specs plus one hostile file gave."""

    shown: str
    lines: list[str]
    errors: list[InputError]
    model: Model | None
    python: dict[str, str] | None


def shown_path(name: str) -> str:
    """How diagnostics name a file of the case folder."""
    if name.endswith(".md"):
        return f"specs/pages/{name}"
    if name.endswith(".idl"):
        return f"specs/idl/{name}"
    return f"headers/{name}"


def place(tmp: Path, name: str, data: bytes) -> Sources:
    """A copy of ``specs/`` in ``tmp`` with ``data`` added as ``name``; the sources to build."""
    specs = tmp / "specs"
    if not specs.exists():
        shutil.copytree(SPECS, specs)
    headers: tuple[Path, ...] = ()
    if name.endswith(".md"):
        target = specs / "pages" / name
    elif name.endswith(".idl"):
        target = specs / "idl" / name
    else:
        target = tmp / "headers" / name
        target.parent.mkdir(exist_ok=True)
        headers = (target.parent,)
    target.write_bytes(data)
    return Sources(specs, (), headers)


def build_case(tmp: Path, name: str, data: bytes) -> Outcome:
    """Build through load, merge and the Python back end; collect what concerns the file."""
    shown = shown_path(name)
    sources = place(tmp, name, data)
    try:
        model = build_model(sources, BuildCache(None))
        python = render_python(model)
    except InputErrors as exc:
        return Outcome(shown, [str(e) for e in exc.errors], exc.errors, None, None)
    except InputError as exc:
        return Outcome(shown, [str(exc)], [exc], None, None)
    lines = [str(d) for d in sorted_diagnostics(model.diagnostics) if d.loc and d.loc.file == shown]
    return Outcome(shown, lines, [], model, python)


@cache
def outcome_of(name: str, tmp_root: str) -> Outcome:
    """Each committed case is built once per session (several tests look at it)."""
    return build_case(Path(tmp_root) / name.replace(".", "_"), name, (HOSTILE / name).read_bytes())


@pytest.fixture(scope="session")
def case_root(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("hostile"))


def expected_lines(case: Path) -> list[str]:
    sidecar = case.with_name(case.name + ".expected")
    return sidecar.read_text(encoding="utf-8").splitlines() if sidecar.exists() else []


# --- every committed case: its exact diagnostics ----------------------------------------


def test_enough_cases() -> None:
    assert len(CASES) >= 25
    for suffix in (".md", ".idl", ".h"):
        assert sum(1 for c in CASES if c.suffix == suffix) >= 8, suffix
    orphans = [p.name for p in HOSTILE.glob("*.expected") if not p.with_suffix("").exists()]
    assert not orphans, f"sidecars without a case: {orphans}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_diagnostics(case: Path, case_root: str) -> None:
    outcome = outcome_of(case.name, case_root)
    sidecar = case.with_name(case.name + ".expected")
    if UPDATE:  # a refresh is never a pass: the run fails, and the next one checks what it wrote
        sidecar.write_text("".join(line + "\n" for line in outcome.lines), encoding="utf-8")
        pytest.fail(f"{case.name}: refreshed {sidecar.name}; review the diff and run again without MAPI_UPDATE_HOSTILE")
    expected = expected_lines(case)
    if outcome.lines != expected:
        diff = "\n".join(
            difflib.unified_diff(expected, outcome.lines, "expected", "got", lineterm="")
        )
        pytest.fail(
            f"{case.name}: diagnostics differ\n{diff}\n(refresh: MAPI_UPDATE_HOSTILE=1 python -m pytest {__file__})"
        )
    for error in outcome.errors:
        assert error.loc.file == outcome.shown, str(error)
        assert error.loc.line >= 1 and error.loc.column >= 1
        rendered = error.render()
        assert all(c.isprintable() or c == "\n" for c in rendered), rendered
        if error.source_line is not None:  # front-end errors: the line and a caret under the column
            source, caret = rendered.splitlines()[1:3]
            assert caret.strip() == "^"
            assert len(caret) - 1 <= len(source)


def test_failed_builds_are_front_end_errors_with_their_line(case_root: str) -> None:
    """Errors found while reading a file show its line; only merge and naming errors do not."""
    without_line = {
        case.name
        for case in CASES
        if any(e.source_line is None for e in outcome_of(case.name, case_root).errors)
    }
    assert without_line == LATE_ERRORS


# Errors found after every file was read: by the merge, or by the Python back end's naming
# checks.  They have no source line to show (the whole model is at fault, not a line).
LATE_ERRORS = {
    "dunder_interface.idl",  # Python naming (back end)
    "duplicate-vtable-row.md",  # merge (a page-only interface's vtable)
    "inheritance_cycle.idl",  # merge
    "name_collision.idl",  # Python naming (back end)
    "unknown_base.idl",  # merge
}


# --- generated inputs: deep, large -----------------------------------------------------


def page_with(body: str) -> bytes:
    """An interface page (its properties table after ``body``, which starts on line 7)."""
    table = "\n\n|||\n|:-----|:-----|\n|Implemented by:  <br/> |Tests  <br/> |\n"
    return (PAGE_HEAD + "# IHostileGen : IUnknown\n\n" + body + table).encode("utf-8")


def description_html(outcome: Outcome) -> str:
    from generator.backends.prose import rich_html  # (imported here: the site is another team's)

    assert outcome.model is not None, outcome.lines
    description = outcome.model.interface("IHostileGen").description.get("en-US") or ()
    return str(rich_html(description, lambda target: target))


def test_ten_thousand_nested_spans(tmp_path: Path) -> None:
    """Raw HTML is no container in CommonMark: ten thousand spans are dropped, their text kept."""
    body = "<span>" * 10_000 + "deep" + "</span>" * 10_000 + "\n"
    outcome = build_case(tmp_path, "nested-spans.md", page_with(body))
    assert [line for line in outcome.lines if "error" in line or "[nesting]" in line] == []
    assert description_html(outcome) == "<p>deep</p>"


@pytest.mark.parametrize(
    ("opening", "closing", "column", "limit"),
    [
        ("> ", "", MAX_NESTING * 2 + 3, f"quotes, lists, emphasis and links nested more than {MAX_NESTING} deep"),
        ("*", "*", MAX_NESTING * 2 + 3, f"quotes, lists, emphasis and links nested more than {MAX_NESTING} deep"),
        ("- ", "", MAX_LIST_NESTING * 2 + 1, f"lists nested more than {MAX_LIST_NESTING} deep"),
    ],
)
def test_ten_thousand_nested_containers(tmp_path: Path, opening: str, closing: str, column: int, limit: str) -> None:
    """Quotes, emphasis and lists past the nesting limit are read as text, with a located warning."""
    body = opening * 10_000 + "deep" + closing * 10_000 + "\n"
    outcome = build_case(tmp_path, "nested.md", page_with(body))
    assert [line for line in outcome.lines if "[nesting]" in line or "error" in line] == [
        f"specs/pages/nested.md:7:{column}: warning: {limit} (the nesting limit): the deeper levels are read as text [nesting]"
    ]
    assert "deep" in description_html(outcome)


def test_deep_bullet_lists(tmp_path: Path) -> None:
    body = "".join("  " * i + "- level\n" for i in range(MAX_LIST_NESTING + 1))
    outcome = build_case(tmp_path, "deep-bullets.md", page_with(body))
    line = 7 + MAX_LIST_NESTING
    assert outcome.lines[-1:] == [
        (
            f"specs/pages/deep-bullets.md:{line}:{2 * MAX_LIST_NESTING + 1}: warning: lists nested more than"
            f" {MAX_LIST_NESTING} deep (the nesting limit): the deeper levels are read as text [nesting]"
        )
    ]
    assert description_html(outcome).count("<ul>") == MAX_LIST_NESTING


def test_deep_inheritance(tmp_path: Path) -> None:
    chain = "".join(
        f"[object, local]\ninterface IDeep{i} : {'IDeep' + str(i - 1) if i else 'IUnknown'}\n"
        f"{{\n    HRESULT M{i}(void);\n}};\n"
        for i in range(MAX_NESTING + 5)
    )
    outcome = build_case(tmp_path, "deep_chain.idl", chain.encode())
    deepest = MAX_NESTING - 1  # IDeep199 -> ... -> IDeep0 -> IUnknown: 201 interfaces
    assert outcome.lines == [
        (
            f"specs/idl/deep_chain.idl:{1 + 5 * deepest}:1: error: IDeep{deepest}'s chain of bases is more than"
            f" {MAX_NESTING} deep (the nesting limit)"
        )
    ]


def test_at_the_limits_everything_renders(tmp_path: Path) -> None:
    """A page nested exactly as deep as allowed goes through every back end."""
    marks = ["**" if i % 2 == 0 else "*" for i in range(MAX_NESTING)]
    inline = "".join(m + "a " for m in marks) + "x" + "".join(" " + m for m in reversed(marks))
    links = "[" * MAX_NESTING + "x" + "".join(f"](t{i}.md)" for i in range(MAX_NESTING))
    bullets = "".join(" " * i + "- item\n" for i in range(MAX_LIST_NESTING - 1))
    bullets += " " * (MAX_LIST_NESTING - 1) + "- " + inline + " " + links + "\n"
    outcome = build_case(tmp_path, "at-the-limit.md", page_with(inline + "\n\n" + bullets))
    assert outcome.model is not None and outcome.python is not None, outcome.lines
    for name, source in outcome.python.items():
        if name.endswith(".py"):
            compile(source, name, "exec")
    from generator.backends.site import render_site  # (imported here: the site is another team's)

    render_site(outcome.model)


def test_ten_megabyte_page(tmp_path: Path) -> None:
    data = page_with("Filler text. " * ((10 * 1024 * 1024) // 13))[: 10 * 1024 * 1024 - 1] + b"\n"
    outcome = build_case(tmp_path, "ten-megabytes.md", data)
    assert outcome.lines == [
        (
            f"specs/pages/ten-megabytes.md:1:1: error: file is {10 * 1024 * 1024} bytes, larger than the input"
            f" size limit of {MAX_INPUT_BYTES} bytes (set MAPI_MAX_INPUT_BYTES to change it)"
        )
    ]
    with pytest.raises(InputError, match="larger than the input size limit"):
        parse_page("direct.md", data.decode())  # the front end refuses it too


def test_size_limit_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "small.md"
    page.write_bytes(page_with("Some text.\n"))
    assert read_input(page, "small.md")
    monkeypatch.setenv("MAPI_MAX_INPUT_BYTES", "50")
    with pytest.raises(InputError) as caught:
        read_input(page, "small.md")
    assert caught.value.message == (
        f"file is {page.stat().st_size} bytes, larger than the input size limit of 50 bytes"
        " (set MAPI_MAX_INPUT_BYTES to change it)"
    )
    monkeypatch.setenv("MAPI_MAX_INPUT_BYTES", "100")
    for parse, name in ((parse_page, "p.md"), (parse_idl, "i.idl"), (parse_header, "h.h")):
        with pytest.raises(InputError, match="limit of 100 bytes"):
            parse(name, "x" * 101)
    monkeypatch.setenv("MAPI_MAX_INPUT_BYTES", "lots")
    with pytest.raises(
        InputError, match="MAPI_MAX_INPUT_BYTES='lots' is not a positive number of bytes"
    ):
        read_input(page, "small.md")


def test_nul_and_surrogates_in_every_front_end() -> None:
    for parse, name in ((parse_page, "p.md"), (parse_idl, "i.idl"), (parse_header, "h.h")):
        with pytest.raises(InputError) as caught:
            parse(name, "line one\nline\x00two\n")
        assert (
            str(caught.value)
            == f"{name}:2:5: error: NUL character (\\x00) in the input: this is not a text file"
        )
        with pytest.raises(
            InputError
        ) as caught:  # only a direct caller can pass one: files are UTF-8
            parse(name, "line one\nline \udc80two\n")
        assert (
            str(caught.value)
            == f"{name}:2:6: error: lone surrogate U+DC80 in the input: not Unicode text"
        )


# --- line ends and byte order marks: read exactly like LF -------------------------------------


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def test_crlf_and_bom_pages_read_like_lf() -> None:
    for case in ("crlf.md", "bom.md", "table-missing-cell.md", "docstring-injection.md"):
        lf = (
            (HOSTILE / case)
            .read_text(encoding="utf-8")
            .removeprefix("\ufeff")
            .replace("\r\n", "\n")
        )
        expected = parse_page("p.md", lf)
        assert parse_page("p.md", crlf(lf)) == expected
        assert parse_page("p.md", "\ufeff" + lf) == expected
        assert parse_page("p.md", "\ufeff" + crlf(lf)) == expected
    seed = (SPECS / "pages" / "imapigetsessioniunknown.md").read_text(encoding="utf-8")
    assert parse_page("p.md", crlf(seed)) == parse_page("p.md", seed)


def test_crlf_and_bom_idl_read_like_lf() -> None:
    for path in [*sorted((SPECS / "idl").glob("*.idl"))[:10], HOSTILE / "keyword_identifiers.idl"]:
        lf = path.read_text(encoding="utf-8")
        expected = parse_idl("i.idl", lf)
        assert parse_idl("i.idl", crlf(lf)) == expected
        assert parse_idl("i.idl", "\ufeff" + lf) == expected
    broken = (HOSTILE / "duplicate_method.idl").read_text(encoding="utf-8")
    for text in (crlf(broken), "\ufeff" + broken):
        with pytest.raises(InputError) as caught:
            parse_idl("i.idl", text)
        assert str(caught.value) == (
            "i.idl:6:5: error: method 'Open' is declared twice in interface 'IHostile' (first at line 4)"
        )


def test_crlf_and_bom_headers_read_like_lf() -> None:
    paths = [
        ROOT / "tests" / "cases" / "headers" / "outlook_style.h",
        HOSTILE / "mapi_keyword_names.h",
    ]
    paths += [MINGW / "mapidefs.h"] if (MINGW / "mapidefs.h").exists() else []
    for path in paths:
        lf = path.read_text(encoding="utf-8")
        expected = parse_header("h.h", lf)
        assert parse_header("h.h", crlf(lf)) == expected
    bom = parse_header(
        "h.h", "\ufeff" + (HOSTILE / "mapi_keyword_names.h").read_text(encoding="utf-8")
    )
    assert (
        bom.interfaces
        == parse_header("h.h", (HOSTILE / "mapi_keyword_names.h").read_text()).interfaces
    )


# --- generated Python: compiles, defines only, carries the text verbatim --------------------

BUILDS = [c for c in CASES if not any(": error: " in line for line in expected_lines(c))]

# Module-level calls a generated module may make while being imported.
_ALLOWED_CALLS = {
    "GUID.from_fields",
    "FUNCTYPE",
    "runtime.function",  # functions.py: builds a Function that looks its export up on the first call
    "TypeVar",
    "ctypes.POINTER",
    "ctypes.CFUNCTYPE",
    "ctypes.WINFUNCTYPE",
    "frozenset",  # properties.py: DOCS_ONLY_TAGS
    "TaggedProperty",  # properties.py: a canonical property with its tags, from constant arguments
    "NamedProperty",
}
_FORBIDDEN_NAMES = {
    "os",
    "system",
    "exec",
    "eval",
    "__import__",
    "subprocess",
    "compile",
    "open",
    "getattr",
    "globals",
}


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def _check_definitions_only(source: str, name: str) -> None:
    """Module and class bodies hold imports, definitions, docstrings and plain assignments only."""
    tree = ast.parse(source, name)
    for node in ast.walk(tree):  # anywhere, function bodies included
        if isinstance(node, ast.Name):
            assert node.id not in _FORBIDDEN_NAMES, (name, node.id)
        if isinstance(node, ast.Attribute):
            assert node.attr not in _FORBIDDEN_NAMES - {"open"}, (name, node.attr)

    def body(statements: list[ast.stmt], where: str) -> None:
        for stmt in statements:
            if isinstance(stmt, ast.ClassDef):
                assert all(isinstance(b, (ast.Name, ast.Attribute)) for b in stmt.bases), where
                body(stmt.body, f"{where}.{stmt.name}")
            elif isinstance(stmt, (ast.Import, ast.ImportFrom, ast.FunctionDef)):
                if isinstance(stmt, ast.ImportFrom) and stmt.level == 0:
                    assert stmt.module in ("__future__", "ctypes", "typing", "collections.abc"), (
                        stmt.module
                    )
                if isinstance(stmt, ast.Import):
                    # values.py converts to datetime, Decimal and UUID values
                    assert [a.name for a in stmt.names] in (["ctypes"], ["datetime"], ["decimal"], ["uuid"]), where
            elif isinstance(stmt, ast.Expr):
                assert isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str), (
                    where,
                    ast.dump(stmt),
                )
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                value = stmt.value
                for call in (
                    (n for n in ast.walk(value) if isinstance(n, ast.Call)) if value else ()
                ):
                    assert _dotted(call.func) in _ALLOWED_CALLS, (where, ast.unparse(call))
            else:
                pytest.fail(f"{name}: {where}: unexpected statement {ast.unparse(stmt)[:80]}")

    body(tree.body, name)


_IMPORT_PROBE = r"""
import inspect, json, sys
events = []
WATCHED = ("os.system", "os.exec", "os.spawn", "os.posix_spawn", "os.fork", "subprocess.Popen",
           "socket.connect", "os.remove", "os.rename", "shutil.rmtree", "webbrowser.open")
def hook(event, args):
    if event.startswith(WATCHED):
        events.append(event)
    if event == "import":
        events.append("import " + str(args[0]))
    if event == "open" and isinstance(args[1], str) and set(args[1]) & set("wax+"):
        events.append("open for writing " + str(args[0]))
sys.path.insert(0, sys.argv[1])
sys.addaudithook(hook)
import mapi_bindings
from mapi_bindings import interfaces, stubs
docs = {}
for module in (interfaces, stubs):
    for name, obj in vars(module).items():
        if inspect.isclass(obj) and obj.__module__ == module.__name__:
            docs[name] = inspect.getdoc(obj)
            for attr, member in vars(obj).items():
                if inspect.isfunction(member):
                    docs[name + "." + attr] = inspect.getdoc(member)
print(json.dumps({"events": events, "docs": docs, "all": sorted(mapi_bindings.__all__)}))
"""


def import_package(files: dict[str, str], folder: Path) -> dict[str, object]:
    """Write the package under ``folder`` and import it in a fresh interpreter with an audit hook."""
    for name, text in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-I", "-B", "-c", _IMPORT_PROBE, str(folder / "python")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, object] = json.loads(result.stdout)
    return report


@cache
def seed_python() -> dict[str, str]:
    """The Python package built from ``specs/`` alone."""
    return render_python(build_model(Sources(SPECS), BuildCache(None)))


@cache
def baseline_imports() -> frozenset[str]:
    """The modules importing the committed package pulls in."""
    files = {
        p.relative_to(GENERATED).as_posix(): p.read_text(encoding="utf-8")
        for p in (GENERATED / "python").rglob("*.py")
    }
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / f"mapi-baseline-{os.getpid()}"
    report = import_package(files, folder)
    shutil.rmtree(folder, ignore_errors=True)
    events = report["events"]
    assert isinstance(events, list)
    return frozenset(e for e in events if e.startswith("import "))


@pytest.mark.parametrize("case", BUILDS, ids=[c.name for c in BUILDS])
def test_generated_python_is_safe(case: Path, case_root: str, tmp_path: Path) -> None:
    outcome = outcome_of(case.name, case_root)
    assert outcome.python is not None
    for name, source in outcome.python.items():
        if name.endswith(".py"):
            compile(source, name, "exec")
            if name.endswith(("/com.py", "/runtime.py")):  # fixed templates, whatever the input
                assert source == seed_python()[name]
            else:
                _check_definitions_only(source, name)
    report = import_package(outcome.python, tmp_path)
    events = report["events"]
    assert isinstance(events, list)
    assert [e for e in events if not e.startswith("import ")] == []
    assert {e for e in events if e.startswith("import ")} <= baseline_imports() | {
        "import mapi_bindings"
    }


def docs_of(case: str, case_root: str, tmp_path: Path) -> dict[str, str]:
    outcome = outcome_of(case, case_root)
    assert outcome.python is not None
    docs = import_package(outcome.python, tmp_path)["docs"]
    assert isinstance(docs, dict)
    return docs


def test_docstring_cannot_be_escaped(case_root: str, tmp_path: Path) -> None:
    docs = docs_of("docstring-injection.md", case_root, tmp_path)
    assert 'Ends a docstring: """; import os; os.system("x") #' in docs["IHostileDoc"].splitlines()
    source = outcome_of("docstring-injection.md", case_root).python
    assert source is not None
    assert (
        '\\"\\"\\"; import os; os.system(\\"x\\") #' in source["python/mapi_bindings/interfaces.py"]
    )


def test_unicode_controls_stay_text(case_root: str, tmp_path: Path) -> None:
    docs = docs_of("unicode-controls.md", case_root, tmp_path)
    assert "Bidi \u202e override \u2066 isolate \u200f mark" in docs["IHostileBidi"]
    source = outcome_of("unicode-controls.md", case_root).python
    assert source is not None
    text = source["python/mapi_bindings/interfaces.py"]
    assert "\\u202e" in text and "\u202e" not in text and "\u2028" not in text


def test_template_syntax_stays_text(case_root: str, tmp_path: Path) -> None:
    docs = docs_of("template-injection.md", case_root, tmp_path)
    assert (
        "{{ 7*7 }}, {{ config }}, {% raw %} and {# comment #}; in code: {{ 7*7 }}."
        in docs["IHostileTemplate"]
    )


def test_html_text_stays_text_in_python(case_root: str, tmp_path: Path) -> None:
    docs = docs_of("script-injection.md", case_root, tmp_path)
    assert "</script><script>alert(1)</script>" in docs["IHostileScript"]


def test_keyword_identifiers_are_mangled(case_root: str, tmp_path: Path) -> None:
    outcome = outcome_of("keyword_identifiers.idl", case_root)
    assert outcome.python is not None
    tree = ast.parse(outcome.python["python/mapi_bindings/interfaces.py"])
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "IHostileNames")
    methods = {
        f.name: [a.arg for a in f.args.args] for f in cls.body if isinstance(f, ast.FunctionDef)
    }
    assert methods == {
        "class_": ["self", "None_", "__import___", "from_", "from__", "self_"],
        "__import___": ["self", "lambda_"],  # [out] result and print are returned
        "wrap_": ["self", "this_", "match_", "__"],
    }
    stubs = outcome.python["python/mapi_bindings/stubs.py"]
    assert "def _serve_IHostileNames_class(this: int | None, None_: int, __import___: int," in stubs
    assert "server_object(this).class_(None_, __import___, from_, from__, self_)" in stubs
    assert (
        '("class", _IHostileNames_class)' in stubs
    )  # the vtable field keeps the C name (a string)
    docs = import_package(outcome.python, tmp_path)["docs"]
    assert isinstance(docs, dict)
    assert docs["IHostileNames.class_"].startswith("IHostileNames::class")


def test_keyword_interfaces_are_mangled(case_root: str, tmp_path: Path) -> None:
    outcome = outcome_of("keyword_interfaces.idl", case_root)
    assert outcome.python is not None
    interfaces = outcome.python["python/mapi_bindings/interfaces.py"]
    stubs = outcome.python["python/mapi_bindings/stubs.py"]
    assert "class None_(IUnknown):" in interfaces and "class class_(None_):" in interfaces
    assert "class NoneClient(IUnknownClient, None_):" in stubs
    assert "class classClient(NoneClient, class_):" in stubs
    assert "IID_None = GUID.from_fields(" in stubs and "IID_class = GUID.from_fields(" in stubs
    assert "None_._iid_chain_ = (IID_IUnknown, IID_None,)" in stubs
    assert "def Close(self, ulFlags: int) -> None_ | None:" in interfaces
    report = import_package(outcome.python, tmp_path)
    all_names = report["all"]
    assert isinstance(all_names, list)
    assert {"None_", "class_", "NoneClient", "classClient", "IID_None", "IID_class"} <= set(
        all_names
    )
    docs = report["docs"]
    assert isinstance(docs, dict)
    assert docs["class_"].startswith(
        "class : None"
    )  # docstrings name the interfaces as the inputs do


def test_header_keyword_names_are_mangled(case_root: str) -> None:
    outcome = outcome_of("mapi_keyword_names.h", case_root)
    assert outcome.python is not None
    assert (
        "    def lambda_(self, None_: int) -> int:\n"
        in outcome.python["python/mapi_bindings/interfaces.py"]
    )


# --- the HTML site (render_site belongs to the site's owners; these only read its output) -----


@cache
def site_of(case: str, case_root: str) -> dict[str, str]:
    from generator.backends.site import render_site  # (imported here: the site is another team's)

    outcome = outcome_of(case, case_root)
    assert outcome.model is not None
    return render_site(outcome.model)


def test_html_escapes_markup(case_root: str) -> None:
    site = site_of("script-injection.md", case_root)
    assert not [n for n, t in site.items() if "<script>alert(1)" in t or "</script><script>" in t]
    assert any("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in t for t in site.values())


def test_html_drops_javascript_links(case_root: str) -> None:
    site = site_of("javascript-link.md", case_root)
    pattern = re.compile(r"""(?:href|src)\s*=\s*["']?\s*(?:javascript|&#|data:)""", re.IGNORECASE)
    assert not [n for n, t in site.items() if pattern.search(t) or "alert(1" in t]
    # (the page reader ends the target at the first ')', as it always has: "x)" stays as text)
    assert any("A link to x" in re.sub(r"<[^>]+>", "", t) for t in site.values())


def test_html_drops_path_traversal_links(case_root: str) -> None:
    site = site_of("path-traversal-link.md", case_root)
    assert not [n for n, t in site.items() if "etc/passwd" in t or "../../.." in t]
    assert any("A link to x in prose." in re.sub(r"<[^>]+>", "", t) for t in site.values())


def test_html_keeps_template_syntax_as_text(case_root: str) -> None:
    site = site_of("template-injection.md", case_root)
    texts = [t for t in site.values() if "Template syntax:" in t]
    assert texts
    assert all("{{ 7*7 }}, {{ config }}, {% raw %} and {# comment #}" in t for t in texts)


def test_html_bad_locale_never_reaches_the_site(case_root: str) -> None:
    assert outcome_of("bad-locale.md", case_root).model is None


# --- the escape for generated Python, and generated names ---------------------------------

_UNSAFE = {"\r", "\x00", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(exclude_categories=())))
def test_py_string_round_trips(text: str) -> None:
    for docstring in (False, True):
        literal = py_string(text, docstring=docstring)
        assert ast.literal_eval(literal) == text
        assert not _UNSAFE & set(literal)
        assert all(
            unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn") or c == "\n"
            for c in literal
        )
        namespace: dict[str, object] = {}
        exec(compile(f"def f():\n    {literal}\n    return 1\n", "<test>", "exec"), namespace)  # noqa: S102
        assert namespace["f"].__doc__ == text  # type: ignore[attr-defined]


def test_py_string_hostile_samples() -> None:
    for text in [
        '"""; import os; os.system("x") #',
        "\\",
        '"',
        '\\"""',
        "a\rb",
        "\x00",
        "\udc80",
        "\u2028",
        "\u202e",
        "\N{ZERO WIDTH JOINER}",
        "{{ 7*7 }}",
        "x\\\n",
        '""""""',
    ]:
        for docstring in (False, True):
            literal = py_string(text, docstring=docstring)
            assert ast.literal_eval(literal) == text
            tree = ast.parse(f"def f():\n    {literal}\n")
            assert len(tree.body) == 1 and len(tree.body[0].body) == 1  # type: ignore[attr-defined]


_IDENTIFIERS = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True)
_RESERVED_WORDS = sorted(
    {*keyword.kwlist, *keyword.softkwlist, *dir(builtins), "self", "this", "result", "ctypes"}
)
_NEAR_RESERVED = st.builds(
    lambda w, k: w + "_" * k, st.sampled_from(_RESERVED_WORDS), st.integers(0, 3)
)


@settings(max_examples=500, deadline=None)
@given(_IDENTIFIERS | _NEAR_RESERVED)
def test_py_name_is_a_plain_identifier(name: str) -> None:
    result = py_name(name)
    assert result in (name, name + "_")
    assert result.isidentifier()
    if not name.startswith("__"):
        assert not keyword.iskeyword(result) and not keyword.issoftkeyword(result)
        assert not hasattr(builtins, result)


@settings(max_examples=300, deadline=None)
@given(st.lists(_IDENTIFIERS | _NEAR_RESERVED, unique=True, max_size=30))
def test_py_name_never_merges_two_names(names: list[str]) -> None:
    assert len({py_name(n) for n in names}) == len(names)


def test_py_name_examples() -> None:
    assert [
        py_name(n) for n in ("from", "class", "None", "__import__", "from_", "IFoo", "ulFlags")
    ] == [
        "from_",
        "class_",
        "None_",
        "__import___",
        "from__",
        "IFoo",
        "ulFlags",
    ]


# --- the error message itself -----------------------------------------------------------------


def test_render_escapes_the_source_line() -> None:
    error = fail("bad", "f.md", "ok\n\x1b[31mA\tB\u202eC\n", 2, 10)
    shown = "\\x1b[31mA\\tB\\u202eC"  # column 10 is the C, shown as the 19th character
    assert error.render() == f"f.md:2:10: error: bad\n    {shown}\n    {' ' * 18}^"
    positioned = InputError("odd \x1b message", SourceLoc("f.md", 1, 1))
    assert str(positioned) == "f.md:1:1: error: odd \\x1b message"


def test_lines_are_counted_at_newlines_only() -> None:
    error = fail("bad", "f.h", "one\x0ctwo\u2028three\nfour\n", 2, 1)
    assert error.source_line == "four"


# --- through the command line ------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


CLI_CASES = [
    "nul-byte.md",
    "invalid-utf8.md",
    "guid_non_hex.idl",
    "deep_parentheses.idl",
    "mapi_guid_10_bytes.h",
    "mapi_unicode_name.h",
    "unknown_base.idl",
    "dunder_interface.idl",
]


def test_cli_reports_and_leaves_the_output_alone(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    out, headers = tmp_path / "out", tmp_path / "headers"
    headers.mkdir()
    args = [
        "build",
        "--specs",
        str(specs),
        "--headers",
        str(headers),
        "--out",
        str(out),
        "--no-cache",
    ]
    assert run_cli(*args).returncode == 0
    before = snapshot(out)
    for case in CLI_CASES:
        target = (
            specs / "pages"
            if case.endswith(".md")
            else specs / "idl"
            if case.endswith(".idl")
            else headers
        ) / case
        target.write_bytes((HOSTILE / case).read_bytes())
        result = run_cli(*args)
        target.unlink()
        assert result.returncode == 1, (case, result.stderr)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, (
            result.stderr
        )
        assert "\x1b" not in result.stderr and "\x00" not in result.stderr
        expected = expected_lines(HOSTILE / case)
        error_lines = [line for line in result.stderr.splitlines() if ": error: " in line]
        assert len(error_lines) == len(expected) == 1, (case, result.stderr)
        shown = expected[0].split(":", 1)[0]  # specs/pages/x.md etc.: the CLI shows the real path
        assert error_lines[0].endswith(expected[0].removeprefix(shown)), (error_lines, expected)
        assert case in error_lines[0]
        if case not in LATE_ERRORS:
            lines = result.stderr.splitlines()
            at = lines.index(error_lines[0])
            assert lines[at + 2].strip() == "^", result.stderr
        assert snapshot(out) == before, case


@pytest.mark.parametrize("case", ["terminal-escape.md", "unclosed-bold.md"])
def test_cli_reads_pages_once_refused_for_their_markup(tmp_path: Path, case: str) -> None:
    """Markdown has no syntax errors: these build, and the terminal sees no control character."""
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    (specs / "pages" / case).write_bytes((HOSTILE / case).read_bytes())
    result = run_cli("build", "--specs", str(specs), "--out", str(tmp_path / "out"), "--no-cache")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr and ": error: " not in result.stderr


def test_a_section_heading_without_letters_ends_the_intro() -> None:
    """``## --`` has the id "" yet is a section: an identifier table under it is that section's block
    (the structure lexer once took it for the intro's properties table, which the grammar refused)."""
    page = (
        "# IFoo : IUnknown\n\n| Properties | Value |\n|:--|:--|\n| Interface identifier: | IID_IFoo |\n\n"
        "## --\n\n| a | b |\n|:--|:--|\n| Interface identifier: | IID_IBar |\n\n"
        "## Vtable order\n\n| Member | Description |\n|:--|:--|\n| [Open](ifoo-open.md) | Opens. |\n"
    )
    result = parse_page("x/ifoo.md", page)
    assert isinstance(result.page, InterfacePage), result.diagnostics
    assert result.page.iid_symbol == "IID_IFoo"
    assert [row.name for row in result.page.vtable] == ["Open"]


def test_cli_reports_every_broken_file_at_once(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    broken = [
        c
        for c in CASES
        if c.suffix in (".md", ".idl")
        and any(": error: " in line for line in expected_lines(c))
        and c.name not in LATE_ERRORS  # reached only when every file reads
    ]
    for case in broken:
        (specs / ("pages" if case.suffix == ".md" else "idl") / case.name).write_bytes(
            case.read_bytes()
        )
    result = run_cli("build", "--specs", str(specs), "--out", str(tmp_path / "out"), "--no-cache")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    reported = {
        line.split(":", 1)[0].rsplit("/", 1)[-1]
        for line in result.stderr.splitlines()
        if ": error: " in line
    }
    assert reported == {c.name for c in broken}
    assert not (tmp_path / "out").exists()


def test_broken_files_among_many_are_reported_as_by_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With enough pages to parse in parallel, the workers take the first chunks and the build's own
    process the last: broken files in either give the errors, in the order, of a build without workers."""
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    seed = next((SPECS / "pages").glob("*.md")).read_bytes()
    for index in range(300):
        (specs / "pages" / f"page-{index:03}.md").write_bytes(seed)
    (specs / "pages" / "aaa-first.md").write_bytes(b"# IFoo\n\xff\n")
    (specs / "pages" / "zzz-last.md").write_bytes(b"# IBar\n\n\xfe\n")
    (specs / "idl" / "zzz-last.idl").write_text("interface IBar : IUnknown {\n", encoding="utf-8")

    def reported() -> list[str]:
        with pytest.raises(InputErrors) as caught:
            build_model(Sources(specs))
        return [str(error.loc) for error in caught.value.errors]

    parallel = reported()
    monkeypatch.setattr("generator.load.worker_count", lambda: 0)
    assert reported() == parallel
    assert parallel == ["specs/pages/aaa-first.md:2:1", "specs/pages/zzz-last.md:3:1", "specs/idl/zzz-last.idl:1:28"]


# --- memory: the whole corpus and the mingw-w64 headers in one build ------------------------------

# The build's own peak is its VmHWM, not RUSAGE_SELF's ru_maxrss: Linux carries ru_maxrss over
# exec from the process that forked, so under pytest it reported the test session's own peak
# (644 MiB late in a whole run, against the build's 285).
_MEASURE = r"""
import os, resource, sys
from generator.cli import main
status = main(sys.argv[1:])
with open("/proc/self/status") as status_file:
    own = next(int(line.split()[1]) for line in status_file if line.startswith("VmHWM:"))
worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(status, own, worker, min(os.cpu_count() or 1, 8))
"""


def test_whole_corpus_build_stays_under_one_gigabyte(tmp_path: Path) -> None:
    """The build's own peak plus, for the parse workers, as many times the largest one's peak
    as there can be workers at once (an upper bound: forked workers share pages)."""
    corpus = require_corpus()
    args = ["build", "--specs", str(SPECS), "--out", str(tmp_path / "out"), "--no-cache", "-q"]
    for folder in CORPUS_FOLDERS:
        args += ["--docs", str(corpus / folder)]
    if MINGW.is_dir():
        args += ["--headers", str(MINGW)]
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    status, own_kib, worker_kib, workers = result.stdout.split()[-4:]
    assert status == "0", result.stderr
    total_kib = int(own_kib) + int(workers) * int(worker_kib)
    assert total_kib < 1024 * 1024, (
        f"peak {int(own_kib) // 1024} MiB + {workers} x {int(worker_kib) // 1024} MiB"
    )
