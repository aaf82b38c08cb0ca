"""The MAPI data types: structures, unions, constants, PR_ tags and property-set GUIDs, read and bound.

Counts and spot values come from a build on Microsoft's headers alone (no
embedded IDL, so the headers' own reading is measured).  The layout check
compiles, with x86_64-w64-mingw32-gcc, static assertions that every generated
ctypes structure and union has the size and member offsets of the C type:
those mingw-w64's headers declare against those headers, the others (only
Microsoft's headers declare them) against C definitions this test writes from
the model.  The generated side's layout is computed for Windows x64 from the
generated ``_fields_`` (what each ctypes type is there: ``c_void_p`` 8 bytes
aligned to 8, ``c_uint16`` 2, …), not from the host's ctypes.
"""

from __future__ import annotations

import ctypes
import importlib
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import SPECS, require_tool
from test_reference import require_microsoft_headers, require_mingw_headers

from generator.build import build_model
from generator.diff import diff_models
from generator.frontends.header import parse_headers
from generator.model import Aggregate, Model
from generator.sources import Sources
from generator.views import views_of

# (size, alignment) on Windows x64 of the ctypes types the generated structures use.
WIN64_LAYOUT: dict[Any, tuple[int, int]] = {
    ctypes.c_void_p: (8, 8),
    ctypes.c_char_p: (8, 8),
    ctypes.c_wchar_p: (8, 8),
    ctypes.c_size_t: (8, 8),
    ctypes.c_ssize_t: (8, 8),
    ctypes.c_uint64: (8, 8),
    ctypes.c_int64: (8, 8),
    ctypes.c_double: (8, 8),
    ctypes.c_uint32: (4, 4),
    ctypes.c_int32: (4, 4),
    ctypes.c_float: (4, 4),
    ctypes.c_uint16: (2, 2),
    ctypes.c_int16: (2, 2),
    ctypes.c_uint8: (1, 1),
    ctypes.c_char: (1, 1),
}


@pytest.fixture(scope="session")
def microsoft_data() -> Model:
    """Built from Microsoft's headers (and the seed page), without the embedded IDL."""
    return build_model(Sources(SPECS, headers=(require_microsoft_headers(),), read_idl=False))


@pytest.fixture(scope="session")
def bindings() -> ModuleType:
    return importlib.import_module("mapi_bindings")


def test_counts_read_from_microsofts_headers(microsoft_data: Model) -> None:
    kinds = Counter(a.kind for a in microsoft_data.aggregates)
    assert kinds == {"struct": 99, "union": 9}
    assert sum(a.nested for a in microsoft_data.aggregates) == 12  # NOTIFICATION's info, SRestriction's res, CY's s, ACTION's u, ...
    assert len(microsoft_data.constants) == 3533  # BOOKMARK_BEGINNING, _CURRENT, _END and lhSessionNull: casts to typedefs
    assert len(microsoft_data.property_tags) == 2390
    assert len(microsoft_data.property_types) == 47
    assert len(microsoft_data.guids) == 24
    tags = {c.name: c for c in microsoft_data.property_tags}
    assert {"MAPITags.h", "EdkMdb.h", "EMSABTAG.H"} <= {c.header for c in tags.values()}


def test_spot_values(microsoft_data: Model) -> None:
    constants = {c.name: c for c in microsoft_data.constants}
    assert constants["PR_DISPLAY_NAME_W"].value == 0x3001001F
    assert constants["PR_DISPLAY_NAME_A"].value == 0x3001001E
    assert constants["PR_DISPLAY_NAME"].value == 0x3001001F  # the UNICODE branch of PT_TSTRING
    assert (constants["PR_DISPLAY_NAME_W"].prop_id, constants["PR_DISPLAY_NAME_W"].prop_type) == (0x3001, 0x1F)
    assert (constants["MAPI_BEST_ACCESS"].value, constants["MAPI_BEST_ACCESS"].ctype) == (0x10, "ULONG")
    assert constants["MAPI_BEST_ACCESS"].header == "MAPIDefS.h"
    assert constants["PT_MV_TSTRING"].value == 0x101F
    assert constants["fMapiUnicode"].value == 0x80000000  # #ifdef UNICODE, not its #else
    guids = {g.symbol: g.guid.value for g in microsoft_data.guids}
    assert guids["PSETID_Address"] == "{00062004-0000-0000-C000-000000000046}"
    assert guids["PS_PUBLIC_STRINGS"] == "{00020329-0000-0000-C000-000000000046}"
    aggregates = {a.name: a for a in microsoft_data.aggregates}
    value = aggregates["SPropValue"]
    assert [(m.name, str(m.type)) for m in value.members] == [
        ("ulPropTag", "ULONG"), ("dwAlignPad", "ULONG"), ("Value", "union _PV"),
    ]
    assert (value.tag, value.pointers, value.header, value.loc.line) == ("_SPropValue", ("LPSPropValue",), "MAPIDefS.h", 554)
    assert [m.name for m in aggregates["_PV"].members][:4] == ["i", "l", "ul", "lpv"]
    entry = aggregates["ENTRYID"]
    assert [(m.name, m.dims, m.dims_text) for m in entry.members] == [("abFlags", (4,), ("4",)), ("ab", (1,), ("MAPI_DIM",))]
    assert entry.variable and aggregates["SRowSet"].variable and not aggregates["SRow"].variable


def test_spropvalue_in_the_bindings(bindings: ModuleType) -> None:
    value = bindings.SPropValue
    assert [name for name, _ in value._fields_] == ["ulPropTag", "dwAlignPad", "Value"]
    assert win64_layout(value) == (24, 8, {"ulPropTag": 0, "dwAlignPad": 4, "Value": 8})
    assert issubclass(bindings._PV, ctypes.Union) and win64_layout(bindings._PV)[0] == 16  # SBinary, FILETIME, arrays
    assert bindings.LPSPropValue._type_ is value
    assert bindings.PR_DISPLAY_NAME_W == 0x3001001F == bindings.PR_DISPLAY_NAME
    assert bindings.PR_DISPLAY_NAME_A == 0x3001001E
    assert bindings.MAPI_BEST_ACCESS == 0x10 and bindings.PT_UNICODE == 0x1F
    assert str(bindings.PSETID_Address) == "{00062004-0000-0000-C000-000000000046}"


def test_variable_length_structures_are_made_with_n_entries(bindings: ModuleType) -> None:
    rows = bindings.SRowSet.sized(3)
    assert [name for name, _ in rows._fields_] == ["cRows", "aRow"]
    assert win64_layout(rows)[0] == 8 + 3 * 16  # CbNewSRowSet(3)
    tags = bindings.SPropTagArray.sized(2)(2)
    tags.aulPropTag[:] = [bindings.PR_DISPLAY_NAME_W, bindings.PR_ENTRYID]
    assert ctypes.sizeof(tags) == 12 and tags.cValues == 2  # CbNewSPropTagArray(2)
    with pytest.raises(ValueError, match="at least one"):
        bindings.ENTRYID.sized(0)


def test_every_pr_tag_in_microsofts_headers_is_bound_with_their_value(bindings: ModuleType) -> None:
    root = require_microsoft_headers()
    files = [(f"ms/{item.path.name}", item.path.read_text(encoding="utf-8", errors="replace")) for item in Sources(None, headers=(root,)).files()]
    tags = {c.name: c.value for f in parse_headers(files) for c in f.constants if c.name.startswith("PR_")}
    assert len(tags) == 2390
    wrong = {name: value for name, value in tags.items() if getattr(bindings, name, None) != value}
    assert not wrong
    assert set(tags) <= set(bindings.__all__)


def test_diff_reports_data_changes(microsoft_data: Model) -> None:
    from dataclasses import replace

    def other(a: Aggregate) -> Aggregate:
        return replace(a, members=a.members[::-1]) if a.name == "SBinary" else a

    enums = {e.name: e for e in microsoft_data.enums}
    selector = enums["MSCAP_SELECTOR"]
    changed = replace(
        microsoft_data,
        aggregates=tuple(other(a) for a in microsoft_data.aggregates if a.name != "SRow"),
        constants=tuple(replace(c, value=1) if c.name == "MAPI_BEST_ACCESS" else c for c in microsoft_data.constants if c.name != "PR_ENTRYID"),
        enums=(replace(selector, members=selector.members[:-1]), enums["SAVEOPTS"]),
    )
    changes = {(c.kind, c.interface): c for c in diff_models(microsoft_data, changed).changes}
    assert set(changes) == {
        ("structure-removed", "SRow"), ("structure-changed", "SBinary"), ("constant-changed", "MAPI_BEST_ACCESS"),
        ("property-removed", "PR_ENTRYID"), ("enum-removed", "ACTTYPE"), ("enum-changed", "MSCAP_SELECTOR"),
    }
    assert changes[("structure-changed", "SBinary")].detail == "members (ULONG cb; LPBYTE lpb) -> (LPBYTE lpb; ULONG cb)"
    members = "MSCAP_SEL_RESERVED1 = 0; MSCAP_SEL_RESERVED2 = 1; MSCAP_SEL_FOLDER = 2; MSCAP_SEL_RESERVED3 = 3"
    assert changes[("enum-changed", "MSCAP_SELECTOR")].detail == f"members ({members}; MSCAP_SEL_RESTRICTION = 4) -> ({members})"
    assert all(c.abi for c in changes.values())


# --- layouts against the compiler -----------------------------------------------


def win64_layout(ctype: Any) -> tuple[int, int, dict[str, int]]:
    """(size, alignment, member offsets) of a ctypes type as Windows x64 lays it out."""
    if ctype in WIN64_LAYOUT:
        return (*WIN64_LAYOUT[ctype], {})
    if issubclass(ctype, (ctypes._Pointer, ctypes.c_void_p)):  # c_void_p: com.WSTR, UTF-16 text
        return 8, 8, {}
    if issubclass(ctype, ctypes.Array):
        size, align, _ = win64_layout(ctype._type_)
        return size * ctype._length_, align, {}
    union = issubclass(ctype, ctypes.Union)
    assert union or issubclass(ctype, ctypes.Structure), ctype
    pack = getattr(ctype, "_pack_", 0) or 8
    offset = size = 0
    align = 1
    offsets = {}
    for name, member in ctype._fields_:
        member_size, member_align, _ = win64_layout(member)
        member_align = min(member_align, pack)
        align = max(align, member_align)
        if union:
            offsets[name] = 0
            size = max(size, member_size)
            continue
        offset = -(-offset // member_align) * member_align
        offsets[name] = offset
        offset += member_size
        size = offset
    return -(-size // align) * align, align, offsets


def c_definition(aggregate: Aggregate, nested: dict[str, Aggregate], indent: str = "    ") -> list[str]:
    """A C definition of ``aggregate``'s members as the model has them (nested ones inline)."""
    lines = []
    for member in aggregate.members:
        dims = "".join(f"[{d}]" for d in member.dims)
        inner = nested.get(member.type.name)
        if inner is not None and not member.type.pointers:
            lines += [f"{indent}{inner.kind} {{", *c_definition(inner, nested, indent + "    "), f"{indent}}} {member.name}{dims};"]
        else:
            stars = "*" * member.type.pointers
            lines.append(f"{indent}{'const ' if member.type.const else ''}{member.type.name} {stars}{member.name}{dims};")
    return lines


Layouts = Callable[[str], tuple[int, dict[str, int]]]
"""(size, member offsets) of the aggregate of a name, as the side under test lays it out."""


def layout_assertions(model: Model, layout_of: Layouts, names: set[str], c_names: dict[str, str]) -> tuple[list[str], int]:
    """Static assertions of size and member offsets (``layout_of``) for the aggregates of ``names``.

    ``c_names`` gives the C spelling of a type that is not its own name (``union _PV``,
    ``SRestriction_model``); a nested aggregate is reached through its outer member.
    """
    nested = {a.name for a in model.aggregates if a.nested}
    outer = {
        member.type.name.split(" ")[-1]: (a.name, member.name)
        for a in model.aggregates
        for member in a.members
        if member.type.name.split(" ")[-1] in nested and not member.type.pointers
    }

    def spelled(name: str) -> str:
        if name in outer:
            parent, member = outer[name]
            return f"__typeof__((({spelled(parent)} *)0)->{member})"
        return c_names.get(name, name)

    lines, count = [], 0
    for aggregate in model.aggregates:
        if aggregate.name not in names:
            continue
        c_name = spelled(aggregate.name)
        size, offsets = layout_of(aggregate.name)
        lines.append(f'_Static_assert(sizeof({c_name}) == {size}, "{aggregate.name} is {size} bytes");')
        for member, offset in offsets.items():
            lines.append(f'_Static_assert(__builtin_offsetof({c_name}, {member}) == {offset}, "{aggregate.name}.{member} at {offset}");')
        count += 1
    return lines, count


def compile_mingw(tmp_path: Path, lines: list[str], compiler: str = "x86_64-w64-mingw32-gcc") -> subprocess.CompletedProcess[str]:
    gcc = require_tool(compiler)
    require_mingw_headers()
    source = tmp_path / "layouts.c"
    # NONAMELESSUNION: the headers name C11 anonymous members s, u, ... as the model does (CY's s).
    prelude = ["#define NONAMELESSUNION", "#include <windows.h>", "#include <mapix.h>", "#include <mapispi.h>", "#include <mapiform.h>",
               "#include <mapiutil.h>", "#include <mapival.h>", "#include <mapi.h>", "#include <tnef.h>",
               "#include <imessage.h>"]
    source.write_text("\n".join(prelude + lines) + "\n", encoding="utf-8")
    return subprocess.run([gcc, "-fsyntax-only", str(source)], capture_output=True, text=True, check=False)


def family(model: Model, name: str) -> set[str]:
    """``name`` and the nested aggregates inside it."""
    found = {name}
    for aggregate in model.aggregates:
        if aggregate.name == name:
            for member in aggregate.members:
                inner = member.type.name.split(" ")[-1]
                if any(a.nested and a.name == inner for a in model.aggregates):
                    found |= family(model, inner)
    return found


def check_layouts(tmp_path: Path, embedded: Model, generated: set[str], layout_of: Layouts, compiler: str) -> tuple[int, int]:
    """Compile, with ``compiler``, assertions that the aggregates of ``generated`` (of the embedded specs' model) have the size and offsets ``layout_of`` gives;
    the counts checked against mingw-w64's headers and against C written from the model.

    Those mingw-w64's headers declare with the same members are checked against
    its headers; the others (only Microsoft's headers declare them, or
    mingw-w64's declare fewer members: SRestriction's union has no
    resAnnotation there) against C definitions written here from the model,
    under their own name or, where mingw-w64 declares the name, as
    ``<name>_model``.  Typedefs the model has and mingw-w64 lacks
    (``LPACTION``) are declared from the model first.
    """
    mingw = require_mingw_headers()
    files = [(f"mingw/{item.path.name}", item.path.read_text(encoding="utf-8", errors="replace")) for item in Sources(None, headers=(mingw,)).files()]
    parsed = parse_headers(files)
    theirs = {a.name: [m.name for m in a.members] for f in parsed for a in f.aggregates}
    their_typedefs = {t.name for f in parsed for t in f.typedefs}
    typedef_names = {t.name for t in embedded.typedefs}
    c_names = {a.name: f"{a.kind} {a.tag}" for a in embedded.aggregates if not a.nested and a.name not in typedef_names}
    same = {a.name for a in embedded.aggregates if theirs.get(a.name) == [m.name for m in a.members]}
    outer_same = {a.name for a in embedded.aggregates if not a.nested and family(embedded, a.name) <= same}
    in_mingw = set().union(*(family(embedded, n) for n in outer_same)) & generated
    mingw_lines, mingw_count = layout_assertions(embedded, layout_of, in_mingw, c_names)
    nested = {f"{a.kind} {a.name}": a for a in embedded.aggregates if a.nested}
    own = [a for a in embedded.aggregates if not a.nested and a.name in generated and a.name not in outer_same]
    used = {m.type.name for a in embedded.aggregates if a.name in {n for o in own for n in family(embedded, o.name)} for m in a.members}
    model_typedefs = {t.name: t for t in embedded.typedefs}
    own_pointers = {p for a in own for p in a.pointers}
    definitions = [
        f"typedef {'int' if model_typedefs[name].type.name.startswith('enum ') else model_typedefs[name].type} {name};"
        for name in sorted(used)
        if name in model_typedefs and name not in their_typedefs and name not in own_pointers and (name.startswith("LP") or model_typedefs[name].type.name.startswith("enum "))
    ]
    own_names: dict[str, str] = {}
    for aggregate in own:
        declared = aggregate.name in theirs or aggregate.name in their_typedefs or any(p in their_typedefs for p in aggregate.pointers)
        c_name = f"{aggregate.name}_model" if declared else aggregate.name
        own_names[aggregate.name] = c_name
        pointers = [f"*{p}" for p in aggregate.pointers] if c_name == aggregate.name else []
        pack = [f"#pragma pack(push, {aggregate.pack})"] if aggregate.pack else []
        definitions += pack + [f"typedef {aggregate.kind} {aggregate.tag}_model {{", *c_definition(aggregate, nested)]
        definitions += [f"}} {', '.join([c_name, *pointers])};"] + (["#pragma pack(pop)"] if pack else [])
    checked_own = {n for o in own for n in family(embedded, o.name)} & generated
    own_lines, own_count = layout_assertions(embedded, layout_of, checked_own, c_names | own_names)
    result = compile_mingw(tmp_path, mingw_lines + definitions + own_lines, compiler)
    assert result.returncode == 0, "\n".join(line for line in result.stderr.splitlines() if "error" in line)[-6000:]
    print(f"layouts checked with {compiler}: {mingw_count} against mingw-w64's headers, {own_count} against C written from the model")
    return mingw_count, own_count


def test_generated_layouts_match_the_compiler(tmp_path: Path, bindings: ModuleType, embedded_model: Model) -> None:
    """Every generated structure and union: size and offsets as x86_64-w64-mingw32-gcc lays out the C type."""
    embedded = embedded_model
    generated = {a.name for a in embedded.aggregates if hasattr(bindings, a.name)}

    def layout_of(name: str) -> tuple[int, dict[str, int]]:
        size, _, offsets = win64_layout(getattr(bindings, name))
        return size, offsets

    mingw_count, own_count = check_layouts(tmp_path, embedded, generated, layout_of, "x86_64-w64-mingw32-gcc")
    assert (mingw_count, own_count) == (MINGW_CHECKED, MODEL_CHECKED)
    assert mingw_count + own_count == len(generated)


@pytest.mark.parametrize(("platform", "compiler"), [("win32", "i686-w64-mingw32-gcc"), ("win64", "x86_64-w64-mingw32-gcc")])
def test_view_layouts_match_the_compilers(tmp_path: Path, platform: str, compiler: str, embedded_model: Model) -> None:
    """The offsets and sizes the doc site shows (the data views' Win32 and Win64 layouts, computed
    from the C types) are those i686-w64-mingw32-gcc and x86_64-w64-mingw32-gcc give."""
    embedded = embedded_model
    structures = {s.name: s for s in views_of(embedded).data.structures}

    def layout_of(name: str) -> tuple[int, dict[str, int]]:
        view = structures[name]
        layout = getattr(view, platform)
        return layout.size, {m.name: getattr(m, platform).offset for m in view.members}

    mingw_count, own_count = check_layouts(tmp_path, embedded, set(structures), layout_of, compiler)
    assert (mingw_count, own_count) == (MINGW_CHECKED, MODEL_CHECKED)
    spv = structures["SPropValue"]
    assert [(m.name, m.win32.offset, m.win64.offset) for m in spv.members] == [
        ("ulPropTag", 0, 0), ("dwAlignPad", 4, 4), ("Value", 8, 8)
    ]
    assert (spv.win32.size, spv.win64.size) == (16, 24)




MINGW_CHECKED = 94  # with CY and its struct s
MODEL_CHECKED = 22  # with ACTION, DTPAGE (anonymous unions), ROWLIST, TRACEINFO, INTTRACEINFO (a #pragma in the body)


def test_a_wrong_layout_fails_to_compile(tmp_path: Path) -> None:
    """The check can fail: SPropValue's Value is not at offset 4."""
    result = compile_mingw(tmp_path, ['_Static_assert(__builtin_offsetof(SPropValue, Value) == 4, "wrong");'])
    assert result.returncode != 0 and "wrong" in result.stderr


# --- findings between header sets ---------------------------------------------------

FIRST_SET = """\
#define PT_LONG ((ULONG) 3)
#define PROP_TAG(ulPropType,ulPropID) ((((ULONG)(ulPropID))<<16)|((ULONG)(ulPropType)))
#define PR_X PROP_TAG(PT_LONG, 0x6601)
#define X_FLAG ((ULONG) 0x00000010)
typedef struct _XPAIR
{
    ULONG   cb;
    ULONG_PTR ulReserved;
} XPAIR, *LPXPAIR;
"""


def test_a_definition_that_differs_between_header_sets_is_a_located_finding(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "mapidefs.h").write_text(FIRST_SET, encoding="utf-8")
    changed = FIRST_SET.replace("0x6601", "0x6602").replace("0x00000010", "0x00000020").replace("ULONG_PTR", "ULONG")
    (second / "mapidefs.h").write_text(changed, encoding="utf-8")
    model = build_model(Sources(None, headers=(first, second)))
    found = {d.code: d for d in model.diagnostics if d.code.endswith("-conflict")}
    assert set(found) == {"tag-conflict", "constant-conflict", "struct-conflict"}
    assert str(found["tag-conflict"].loc) == "second/mapidefs.h:3:1"
    assert "PR_X is 0x66020003 here but 0x66010003 in first/mapidefs.h" in found["tag-conflict"].message
    assert str(found["struct-conflict"].loc) == "second/mapidefs.h:5:1"
    assert "member ulReserved" in found["struct-conflict"].message
    assert {c.name: c.value for c in model.constants}["PR_X"] == 0x66010003  # the first set decides


def test_mingw_headers_differ_from_the_embedded_structures_where_microsoft_added_members() -> None:
    model = build_model(Sources(SPECS, headers=(require_mingw_headers(),)))
    conflicts = sorted(d.message.split(" differs")[0] for d in model.diagnostics if d.code == "struct-conflict")
    assert conflicts == ["union MAPINAMEID_Kind", "union SRestriction_res", "union _PV"]
    assert not [d for d in model.diagnostics if d.code in ("tag-conflict", "constant-conflict")]


@pytest.mark.parametrize(
    "text",
    [
        "#define A " + "(" * 5000 + "1" + ")" * 5000 + "\n",
        "".join(f"#define A{i} (A{i + 1} * A{i + 1})\n" for i in range(60)) + "#define A60 0xFFFFFFFF\n",
        "".join(f"#define B{i} B{i + 1}\n" for i in range(3000)) + "#define B3000 1\n",
        "#define C (C + 1)\n#define D (1 << 99999)\n",
    ],
    ids=["deep-parentheses", "exponential-product", "long-alias-chain", "cycle-and-huge-shift"],
)
def test_hostile_constants_are_no_constants_not_crashes(text: str) -> None:
    (parsed,) = parse_headers([("h/mapidefs.h", text)])
    assert all(abs(c.value) < 2**64 for c in parsed.constants)
