"""Tests for the C header front end: mingw-w64's and Microsoft's MAPI headers, an Outlook-style fixture, and the type findings."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SPECS, require_corpus
from lark import Lark

import generator.frontends.header as header_module
from generator.backends.site import render_site
from generator.build import build_model
from generator.cli import main
from generator.ctypes_facts import INTEGER_CTYPES, TypeResolver
from generator.errors import InputError
from generator.frontends.header import parse_guid_definitions, parse_header, parse_headers
from generator.model import AbiFile, AbiInterface, CType, Direction, Guid, Model, SourceLoc, Typedef
from generator.sources import Sources

MINGW = Path("/usr/x86_64-w64-mingw32/include")
MINGW_HEADERS = [
    "mapidefs.h",
    "mapix.h",
    "mapispi.h",
    "mapiguid.h",
    "mapiform.h",
    "mapicode.h",
    "mapiutil.h",
    "mapival.h",
]
FIXTURE = Path(__file__).parent / "cases" / "headers" / "outlook_style.h"
FIXTURE_PATH = "cases/headers/outlook_style.h"

IUNKNOWN = (
    "#define MAPI_IUNKNOWN_METHODS(IPURE) "
    "MAPIMETHOD(QueryInterface) (THIS_ REFIID riid, LPVOID FAR * ppvObj) IPURE; "
    "MAPIMETHOD_(ULONG,AddRef) (THIS) IPURE; MAPIMETHOD_(ULONG,Release) (THIS) IPURE;\n"
)
IFOO = "#define MAPI_IFOO_METHODS(IPURE) MAPIMETHOD(Foo) (THIS_ ULONG ulFlags) IPURE;\n"


def interface(files: tuple[AbiFile, ...] | dict[str, AbiFile], name: str) -> AbiInterface:
    values = files.values() if isinstance(files, dict) else files
    return next(i for f in values for i in f.interfaces if i.name == name)


# --- mingw-w64 headers -------------------------------------------------------


def require_mingw() -> None:
    """Skip when mingw-w64's MAPI headers are absent (fail if MAPI_REQUIRE_TOOLS=1)."""
    if not (MINGW / "mapidefs.h").exists():
        reason = f"mingw-w64 MAPI headers not installed ({MINGW / 'mapidefs.h'} is absent)"
        if os.environ.get("MAPI_REQUIRE_TOOLS") == "1":
            pytest.fail(f"{reason}, but MAPI_REQUIRE_TOOLS=1")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def mingw() -> dict[str, AbiFile]:
    require_mingw()
    files = parse_headers([(name, (MINGW / name).read_text()) for name in MINGW_HEADERS])
    return {f.path: f for f in files}


# (base, number of own methods) of every interface the eight headers declare
MINGW_INTERFACES = {
    "mapidefs.h": {
        "IMAPIAdviseSink": ("IUnknown", 1),
        "IMAPIProgress": ("IUnknown", 5),
        "IMAPIProp": ("IUnknown", 11),
        "IMAPITable": ("IUnknown", 23),
        "IProfSect": ("IMAPIProp", 0),
        "IMAPIStatus": ("IMAPIProp", 4),
        "IMAPIContainer": ("IMAPIProp", 5),
        "IABContainer": ("IMAPIContainer", 4),
        "IMailUser": ("IMAPIProp", 0),
        "IDistList": ("IMAPIContainer", 4),
        "IMAPIFolder": ("IMAPIContainer", 11),
        "IMsgStore": ("IMAPIProp", 13),
        "IMessage": ("IMAPIProp", 8),
        "IAttach": ("IMAPIProp", 0),
        "IMAPIControl": ("IUnknown", 3),
        "IProviderAdmin": ("IUnknown", 5),
    },
    "mapix.h": {
        "IMAPISession": ("IUnknown", 19),
        "IAddrBook": ("IMAPIProp", 18),
        "IProfAdmin": ("IUnknown", 9),
        "IMsgServiceAdmin": ("IUnknown", 12),
    },
    "mapispi.h": {
        "IMAPISupport": ("IUnknown", 41),
        "IABProvider": ("IUnknown", 2),
        "IABLogon": ("IUnknown", 10),
        "IXPProvider": ("IUnknown", 2),
        "IXPLogon": ("IUnknown", 12),
        "IMSProvider": ("IUnknown", 4),
        "IMSLogon": ("IUnknown", 7),
    },
    "mapiguid.h": {},
    "mapiform.h": {
        "IPersistMessage": ("IUnknown", 8),
        "IMAPIMessageSite": ("IUnknown", 13),
        "IMAPIForm": ("IUnknown", 7),
        "IMAPIViewContext": ("IUnknown", 6),
        "IMAPIFormAdviseSink": ("IUnknown", 2),
        "IMAPIViewAdviseSink": ("IUnknown", 5),
        "IMAPIFormInfo": ("IMAPIProp", 5),
        "IMAPIFormMgr": ("IUnknown", 12),
        "IMAPIFormContainer": ("IUnknown", 7),
        "IMAPIFormFactory": ("IUnknown", 3),
    },
    "mapicode.h": {},
    "mapiutil.h": {"ITableData": ("IUnknown", 9), "IPropData": ("IMAPIProp", 4)},
    "mapival.h": {},
}


def test_mingw_interfaces(mingw: dict[str, AbiFile]) -> None:
    found = {
        path: {i.name: (i.base, len(i.methods)) for i in f.interfaces} for path, f in mingw.items()
    }
    assert found == MINGW_INTERFACES
    assert all(f.kind == "header" for f in mingw.values())


def test_mingw_imapisession(mingw: dict[str, AbiFile]) -> None:
    session = interface(mingw, "IMAPISession")
    assert [m.name for m in session.methods] == [
        "GetLastError",
        "GetMsgStoresTable",
        "OpenMsgStore",
        "OpenAddressBook",
        "OpenProfileSection",
        "GetStatusTable",
        "OpenEntry",
        "CompareEntryIDs",
        "Advise",
        "Unadvise",
        "MessageOptions",
        "QueryDefaultMessageOpt",
        "EnumAdrTypes",
        "QueryIdentity",
        "Logoff",
        "SetDefaultStore",
        "AdminServices",
        "ShowForm",
        "PrepareForm",
    ]
    assert session.loc == SourceLoc("mapix.h", 102, 3)
    assert session.iid == Guid("{00020300-0000-0000-C000-000000000046}")
    get_last_error = session.methods[0]
    assert get_last_error.loc == SourceLoc("mapix.h", 98, 42)
    assert get_last_error.return_type == CType("HRESULT")
    assert [(p.name, p.type, p.direction) for p in get_last_error.params] == [
        ("hResult", CType("HRESULT"), None),
        ("ulFlags", CType("ULONG"), None),
        ("lppMAPIError", CType("LPMAPIERROR", 1), None),
    ]
    assert get_last_error.params[2].loc == SourceLoc("mapix.h", 98, 104)
    enum_adr_types = session.methods[12]
    assert enum_adr_types.params[2].type == CType("LPTSTR", 2)


def test_mingw_imapisupport_from_three_macros(mingw: dict[str, AbiFile]) -> None:
    support = interface(mingw, "IMAPISupport")
    assert len(support.methods) == 10 + 14 + 17
    assert support.methods[0].name == "GetLastError"
    assert support.methods[-1].name == "GetSvcConfigSupportObj"
    assert support.iid is None  # mapiguid.h calls it IID_IMAPISup


def test_mingw_bases_and_inherited_slots(mingw: dict[str, AbiFile]) -> None:
    folder = interface(mingw, "IMAPIFolder")
    assert folder.base == "IMAPIContainer"
    assert folder.methods[0].name == "CreateMessage"
    container = interface(mingw, "IMAPIContainer")
    assert [m.name for m in container.methods][:2] == ["GetContentsTable", "GetHierarchyTable"]
    prop = interface(mingw, "IMAPIProp")
    assert prop.methods[0].name == "GetLastError"
    assert interface(mingw, "IMAPIAdviseSink").methods[0].return_type == CType("ULONG")


def test_mingw_unnamed_parameter(mingw: dict[str, AbiFile]) -> None:
    # MAPIMETHOD(HrModifyRow) (THIS_ LPSRow) IPURE;
    method = interface(mingw, "ITableData").methods[1]
    assert method.name == "HrModifyRow"
    assert [(p.name, p.type) for p in method.params] == [("arg1", CType("LPSRow"))]


def test_mingw_guids_codes_typedefs(mingw: dict[str, AbiFile]) -> None:
    guids = {g.symbol: g for g in mingw["mapiguid.h"].guids}
    assert len(guids) == 56
    assert guids["IID_IMAPISession"].guid == Guid("{00020300-0000-0000-C000-000000000046}")
    assert guids["IID_IMAPISession"].loc == SourceLoc("mapiguid.h", 12, 1)
    codes = {c.name: c for c in mingw["mapicode.h"].hresults}
    assert len(codes) == 74
    assert codes["MAPI_E_NOT_FOUND"].value == 0x8004010F
    assert codes["MAPI_E_NOT_FOUND"].loc == SourceLoc("mapicode.h", 38, 1)
    assert codes["MAPI_E_CALL_FAILED"].value == 0x80004005  # E_FAIL
    assert codes["MAPI_E_INTERFACE_NOT_SUPPORTED"].value == 0x80004002  # E_NOINTERFACE
    assert codes["MAPI_W_ERRORS_RETURNED"].value == 0x00040380
    typedefs = {t.name: t for t in mingw["mapix.h"].typedefs}
    assert typedefs["LPMAPISESSION"].type == CType("IMAPISession", 1)
    assert typedefs["LPMAPISESSION"].loc == SourceLoc("mapix.h", 24, 3)
    assert typedefs["FLAGS"].type == CType("ULONG")
    defs = {t.name: t.type for t in mingw["mapidefs.h"].typedefs}
    assert defs["LPADRBOOK"] == CType("IAddrBook", 1)
    assert defs["LPCIID"] == CType("IID", 1, const=True)
    assert defs["LPLHANDLE"] == CType("ULONG_PTR", 1)
    assert defs["LPSRestriction"] == CType("struct _SRestriction", 1)
    # Declared with a struct body: "typedef struct _SPropValue {...} SPropValue, *LPSPropValue;"
    assert defs["LPSPropValue"] == CType("struct _SPropValue", 1)
    assert defs["SPropValue"] == CType("struct _SPropValue")
    # An untagged struct takes its first declarator's name; an enum keeps its tag.
    assert defs["LPENTRYID"] == CType("struct ENTRYID", 1)
    assert defs["CY"] == CType("union tagCY")
    assert {t.name: t.type for t in mingw["mapiform.h"].typedefs}["SAVEOPTS"] == CType("enum tagSAVEOPTS")
    assert {t.name: t.loc for t in mingw["mapidefs.h"].typedefs}["LPADRLIST"] == SourceLoc("mapidefs.h", 398, 3)


def test_mingw_header_alone_misses_macros() -> None:
    require_mingw()
    with pytest.raises(InputError) as caught:
        parse_header("mapix.h", (MINGW / "mapix.h").read_text())
    assert caught.value.loc == SourceLoc("mapix.h", 104, 7)
    assert "macro MAPI_IUNKNOWN_METHODS is not defined" in caught.value.message


# --- Outlook-style fixture ---------------------------------------------------


@pytest.fixture(scope="module")
def outlook() -> AbiFile:
    return parse_header(FIXTURE_PATH, FIXTURE.read_text())


def at(line: int, column: int) -> SourceLoc:
    return SourceLoc(FIXTURE_PATH, line, column)


def test_outlook_interfaces(outlook: AbiFile) -> None:
    assert [(i.name, i.base, i.loc) for i in outlook.interfaces] == [
        ("ISampleSite", "IUnknown", at(55, 1)),
        ("ISampleSiteEx", "ISampleSite", at(65, 1)),
    ]
    site, site_ex = outlook.interfaces
    assert site.iid == Guid("{B2533636-C3F3-416F-BF04-AEFE41ABAAE2}")
    assert site_ex.iid == Guid("{000203A0-0000-0000-C000-000000000046}")
    assert [m.name for m in site.methods] == ["GetMAPISession", "OpenSampleEntry", "GetSampleCount"]
    assert [m.name for m in site_ex.methods] == ["Refresh", "GetLabel"]


def test_outlook_continued_macro_lines(outlook: AbiFile) -> None:
    get_session, open_entry, get_count = outlook.interfaces[0].methods
    assert get_session.loc == at(39, 5)
    (session,) = get_session.params
    assert (session.name, session.type, session.direction) == (
        "lppSession",
        CType("LPUNKNOWN", 1),
        Direction.OUT,
    )
    assert session.loc == at(40, 25)
    assert open_entry.loc == at(41, 5)
    assert [(p.name, p.type, p.direction, p.loc) for p in open_entry.params] == [
        ("cbEntryID", CType("ULONG"), Direction.IN, at(42, 25)),
        ("lpEntryID", CType("LPENTRYID"), Direction.IN, at(43, 25)),
        ("lpulFlags", CType("ULONG", 1), Direction.IN_OUT, at(44, 29)),
        ("lpppszNames", CType("LPTSTR", 2), Direction.IN_OUT, at(45, 28)),
        ("lpRow", CType("SAMPLEROW", 1, const=True), None, at(46, 25)),
        ("arg6", CType("ULONG"), Direction.IN, at(47, 25)),
    ]
    assert (get_count.return_type, get_count.params, get_count.loc) == (
        CType("ULONG"),
        (),
        at(48, 5),
    )


def test_outlook_methods_in_body(outlook: AbiFile) -> None:
    refresh, get_label = outlook.interfaces[1].methods
    (flags,) = refresh.params
    assert (flags.name, flags.direction, flags.attributes, flags.loc) == (
        "ulFlags",
        Direction.IN,
        ("__RPC__in",),
        at(76, 38),
    )
    assert refresh.loc == at(76, 5)
    assert get_label.return_type == CType("LPSTR")
    assert get_label.params[0].direction == Direction.OUT  # /* [out] */
    assert get_label.params[0].type == CType("LPSTR", 1)


def test_outlook_typedefs_guids_codes(outlook: AbiFile) -> None:
    assert [(t.name, t.type, t.loc) for t in outlook.typedefs] == [
        ("SAMPLEROW", CType("struct _SAMPLEROW"), at(26, 1)),  # its body's comment holds a "{"
        ("LPSAMPLEROW", CType("struct _SAMPLEROW", 1), at(26, 1)),
        ("LPSAMPLESITE", CType("ISampleSite", 1), at(51, 1)),
        ("LPSAMPLESITEEX", CType("ISampleSiteEx", 1), at(81, 1)),
    ]
    assert [(g.symbol, g.loc) for g in outlook.guids] == [
        ("IID_ISampleSite", at(83, 1)),
        ("IID_ISampleSiteEx", at(85, 1)),
    ]
    assert [(c.name, c.value, c.loc.line) for c in outlook.hresults] == [
        ("SAMPLE_E_NOT_READY", 0x80040980, 87),
        ("SAMPLE_W_PARTIAL", 0x00040981, 88),
        ("SAMPLE_E_BUSY", 0x80040982, 89),
        ("SAMPLE_E_FAILED", 0x80004005, 90),
        ("SAMPLE_E_STILL_BUSY", 0x80040982, 91),
    ]  # SAMPLE_E_UNKNOWN aliases an unknown name: skipped


# --- several files -----------------------------------------------------------


def test_macros_shared_across_files() -> None:
    base = ("base.h", IUNKNOWN + IFOO)
    body = "{\n  MAPI_IUNKNOWN_METHODS(PURE)\n  MAPI_IFOO_METHODS(PURE)\n};\n"
    user = ("user.h", "DECLARE_MAPI_INTERFACE_(IFoo, IUnknown)\n" + body)
    first, second = parse_headers([base, user])
    assert first.interfaces == ()
    (foo,) = second.interfaces
    assert foo.loc == SourceLoc("user.h", 1, 1)
    assert foo.methods[0].loc == SourceLoc("base.h", 2, 34)
    with pytest.raises(InputError) as caught:
        parse_headers([("only.h", IUNKNOWN), user])
    assert caught.value.loc == SourceLoc("user.h", 4, 3)
    assert "macro MAPI_IFOO_METHODS is not defined" in caught.value.message


def test_other_code_is_skipped() -> None:
    text = (
        '#include "x.h"\n'
        "#pragma pack(push, 8)\n"
        '#define NAME "MAPI /* not a comment"\n'
        "#define FN(a, b) ((a) + (b))\n"
        "#define MAPIMETHOD(method) MAPIMETHOD_(HRESULT,method)\n"
        "#define SPAN 1 /* a comment that\n   ends on the next line */\n"
        'extern "C" {\n'
        "typedef struct { int a; union { int b; } u; } S, *LPS;\n"
        "typedef HRESULT (STDMETHODCALLTYPE *LPFN)(int, char *);\n"
        "typedef int ARR[4];\n"
        "typedef VOID * volatile LPVOIDV;\n"
        "#ifdef __cplusplus\n"
        "typedef struct _EX : public _BASE {\n"
        "#else\n"
        "typedef struct _EX {\n"
        "#endif\n"
        "    ULONG cb;\n"
        "} EX;\n"
        "STDMETHODIMP Foo(THIS_ ULONG a) { return a->b ? 'x' : \"}\"; }\n"
        "class C : public IUnknown { STDMETHOD(QueryInterface)(REFIID, void **); };\n"
        "int x = 1 << 2;\u00a0/* a no-break space before this comment */\n"
        "}\n"
    )
    result = parse_header("skip.h", text)
    assert (result.interfaces, result.guids, result.hresults) == ((), (), ())
    # The struct typedefs are structured; of the one split across #ifdef branches ("EX") the C
    # head is, its body's directive blanked; the C++ head ("struct _EX : public _BASE {") is skipped.
    where = SourceLoc("skip.h", 9, 1)
    assert result.typedefs == (
        Typedef("S", CType("struct S"), where), Typedef("LPS", CType("struct S", 1), where),
        Typedef("EX", CType("struct _EX"), SourceLoc("skip.h", 16, 1)),
    )
    assert [(a.name, [m.name for m in a.members]) for a in result.aggregates] == [("S_u", ["b"]), ("S", ["a", "u"]), ("EX", ["cb"])]


def test_typedef_shapes() -> None:
    text = (
        "typedef ULONG_PTR LHANDLE, FAR *LPLHANDLE;\n"
        "typedef const char **LPPCSTR;\n"
        "typedef WCHAR const * LPCWSTR2;\n"
        "typedef unsigned long /* comment */ ULONG2;\n"
        "typedef struct _ENTRYID FAR *LPENTRYID;\n"
    )
    typedefs = parse_header("t.h", text).typedefs
    assert [(t.name, t.type, t.loc.line) for t in typedefs] == [
        ("LHANDLE", CType("ULONG_PTR"), 1),
        ("LPLHANDLE", CType("ULONG_PTR", 1), 1),
        ("LPPCSTR", CType("char", 2, const=True), 2),
        ("LPCWSTR2", CType("WCHAR", 1, const=True), 3),
        ("ULONG2", CType("unsigned long"), 4),
        ("LPENTRYID", CType("struct _ENTRYID", 1), 5),
    ]


def test_typedefs_that_define_a_struct_union_or_enum() -> None:
    text = (
        "typedef struct { int a; /* } { */ } C, *LPC;\n"
        "typedef struct { int a; } E[2];\n"
        "typedef struct { int a; } DECLSPEC_ALIGN(8) D;\n"
        "typedef enum _F { F1 = 1, // }\n"
        "  F2 } F;\n"
        "typedef struct _G { union { struct { int x; } s; } u; } G, FAR * LPG, **LPPG;\n"
        "typedef struct _H { union { struct { union { int x; } v; } s; } u; } H;\n"
        "typedef union _I {\n#ifdef WIN64\n int a;\n#endif\n} I;\n"
    )
    typedefs = parse_header("t.h", text).typedefs
    # Skipped: array and attribute declarators (E, D), braces four deep (H).  A directive inside (I) is read.
    assert [(t.name, t.type, t.loc.line) for t in typedefs] == [
        ("C", CType("struct C"), 1),
        ("LPC", CType("struct C", 1), 1),
        ("F", CType("enum _F"), 4),
        ("G", CType("struct _G"), 6),
        ("LPG", CType("struct _G", 1), 6),
        ("LPPG", CType("struct _G", 2), 6),
        ("I", CType("union _I"), 8),
    ]


def test_structure_bodies_with_directives_and_anonymous_members() -> None:
    """CY as MAPIDefS.h declares it: the little-endian branch of a big-endian test, a C11 anonymous
    struct named ``s`` (as NONAMELESSUNION names it); a ``#pragma`` line in a body is blanked."""
    text = (
        "typedef union tagCY {\n"
        "    struct {\n"
        "#if TARGET_RT_BIG_ENDIAN //def _MAC\n"
        "        LONG Hi;\n        LONG Lo;\n"
        "#else\n"
        "        ULONG Lo;\n        LONG Hi;\n"
        "#endif\n"
        "    };\n"
        "    LONGLONG int64;\n"
        "} CY;\n"
        "typedef struct _ROWLIST {\n    ULONG cEntries;\n#pragma warning(suppress:4200)\n    ULONG aEntries[1];\n} ROWLIST;\n"
        "typedef struct { union { ULONG a; }; union { ULONG b; }; ULONG c;\n#ifndef UNICODE\n LPSTR d;\n#else\n LPWSTR d;\n#endif\n} T;\n"
    )
    found = {a.name: a for a in parse_header("t.h", text).aggregates}
    assert [(m.name, str(m.type)) for m in found["CY"].members] == [("s", "struct CY_s"), ("int64", "LONGLONG")]
    assert [(m.name, str(m.type), m.loc.line) for m in found["CY_s"].members] == [("Lo", "ULONG", 7), ("Hi", "LONG", 8)]
    assert found["CY_s"].nested and [m.name for m in found["ROWLIST"].members] == ["cEntries", "aEntries"]
    assert [(m.name, str(m.type)) for m in found["T"].members] == [("u", "union T_u"), ("u2", "union T_u2"), ("c", "ULONG"), ("d", "LPWSTR")]


def test_parameter_shapes() -> None:
    text = (
        "#define MAPI_ISHAPES_METHODS(IPURE) MAPIMETHOD(Shapes) (THIS_ "
        "struct _SRow FAR * lpRow, ULONG rgulFlags[], _In_opt_ LPVOID, "
        "const LPSTR * lppsz) IPURE;\n"
        "DECLARE_MAPI_INTERFACE(IShapes) { MAPI_ISHAPES_METHODS(PURE) };\n"
    )
    (itf,) = parse_header("t.h", text).interfaces
    assert (itf.base, itf.iid) == (None, None)
    assert [(p.name, p.type, p.attributes) for p in itf.methods[0].params] == [
        ("lpRow", CType("struct _SRow", 1), ()),
        ("rgulFlags", CType("ULONG", 1), ()),
        ("arg3", CType("LPVOID"), ("_In_opt_",)),
        ("lppsz", CType("LPSTR", 1, const=True), ()),
    ]


def test_guid_definitions_behind_uses_iid_guards() -> None:
    """Microsoft's mapiguid.h guards each IID so that INITGUID users define only those they use."""
    text = (
        "#ifndef MAPIGUID_H\n#ifdef INITGUID\n#define MAPIGUID_H\n#endif\n\n"
        "#if !defined(INITGUID) || defined(USES_IID_IMAPIClientShutdown)\n"
        "DEFINE_OLEGUID(IID_IMAPIClientShutdown, 0x00020397, 0, 0);\n"
        "#endif\n"
        "#if !defined(INITGUID) || defined(USES_IID_IMAPIProviderShutdown)\n"
        "DEFINE_OLEGUID(IID_IMAPIProviderShutdown, 0x00020398, 0, 0);\n"
        "#endif\n#endif\n"
    )
    guids = parse_header("mapiguid.h", text).guids
    assert [(g.symbol, g.guid.value, g.loc.line) for g in guids] == [
        ("IID_IMAPIClientShutdown", "{00020397-0000-0000-C000-000000000046}", 7),
        ("IID_IMAPIProviderShutdown", "{00020398-0000-0000-C000-000000000046}", 10),
    ]


def test_guid_definitions_in_a_snippet() -> None:
    snippet = (
        "// Interface identifier\n"
        "DEFINE_GUID(IID_IMAPIGetSession, 0x614ab435, 0x491d, 0x4f5b,\n"
        "            0xa8, 0xb4, 0x60, 0xeb, 0x03, 0x10, 0x30, 0xc6);\n"
        "HRESULT hr = lpSupport->QueryInterface(IID_IMAPIGetSession, (void **) &lpGetSession);\n"
    )
    (guid,) = parse_guid_definitions("page.md", snippet, line_offset=20)
    assert guid.symbol == "IID_IMAPIGetSession"
    assert guid.guid == Guid("{614AB435-491D-4F5B-A8B4-60EB031030C6}")
    assert guid.loc == SourceLoc("page.md", 22, 1)
    (inline,) = parse_guid_definitions("page.md", "DEFINE_OLEGUID(IID_X, 0x20387, 0, 0);", 99, 3)
    assert inline.loc == SourceLoc("page.md", 100, 4)  # a code span: `DEFINE…` after "> " on line 100
    with pytest.raises(InputError) as caught:
        parse_guid_definitions("page.md", "DEFINE_GUID(IID_X, 1, 2);\n", line_offset=7)
    assert caught.value.loc == SourceLoc("page.md", 8, 1)


def test_grammar_has_no_lalr_conflicts(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="lark")
    Lark.open("header.lark", rel_to=header_module.__file__, parser="lalr", debug=True)
    assert not [r for r in caplog.records if "conflict" in r.getMessage().lower()]


# --- errors ------------------------------------------------------------------

ERRORS = [
    pytest.param(
        "\n  DEFINE_GUID(IID_IBad, 0x1, 0x2, 0x3, 0x4);\n",
        (2, 3),
        "DEFINE_GUID(IID_IBad, ...) needs 11 values after the name, found 4",
        id="guid-field-count",
    ),
    pytest.param(
        "DEFINE_GUID(IID_IBad, 0xb2533636, 0xc3f3, 0x416f,\n"
        "            0xbf, 0x04, 0xae, 0xfe, 0x41, 0xab, 0xaa, 0xZ2);\n",
        (2, 55),
        "DEFINE_GUID value '0xZ2' is not a hexadecimal or decimal number",
        id="guid-not-hex",
    ),
    pytest.param(
        "DEFINE_OLEGUID(IID_IBad, 0x00020300, 0x10000, 0);\n",
        (1, 38),
        "DEFINE_OLEGUID value '0x10000' is larger than 0xffff",
        id="guid-field-too-large",
    ),
    pytest.param(
        IUNKNOWN
        + "DECLARE_MAPI_INTERFACE_(IFoo, IUnknown) {\n"
        + "    MAPI_IUNKNOWN_METHODS(PURE)\n"
        + "    MAPI_IFOO_METHODS(PURE)\n};\n",
        (4, 5),
        "macro MAPI_IFOO_METHODS is not defined",
        id="undefined-macro",
    ),
    pytest.param(
        IUNKNOWN
        + IFOO
        + "#define MAPI_IBAR_METHODS(IPURE) "
        + "MAPIMETHOD(Bar) (THIS) IPURE; MAPIMETHOD(Foo) (THIS) IPURE;\n"
        + "DECLARE_MAPI_INTERFACE_(IFoo, IUnknown) {\n"
        + "    MAPI_IUNKNOWN_METHODS(PURE)\n"
        + "    MAPI_IFOO_METHODS(PURE)\n"
        + "    MAPI_IBAR_METHODS(PURE)\n};\n",
        (7, 5),
        "duplicate method Foo in interface IFoo",
        id="duplicate-method",
    ),
    pytest.param(
        IUNKNOWN
        + IFOO
        + "DECLARE_MAPI_INTERFACE_(IFoo, IUnknown)\n{\n"
        + "    MAPI_IUNKNOWN_METHODS(PURE)\n"
        + "    MAPI_IFOO_METHODS(PURE)\n\n#endif\n",
        (4, 1),
        "unbalanced braces: the body of interface IFoo is never closed",
        id="body-never-closed",
    ),
    pytest.param(
        IUNKNOWN
        + "DECLARE_MAPI_INTERFACE_(IFoo, IUnknown)\n{\n"
        + "    MAPI_IUNKNOWN_METHODS(PURE)\n"
        + "  { MAPI_IFOO_METHODS(PURE) }\n};\n",
        (5, 3),
        "unbalanced braces: unexpected '{' in the body of interface IFoo",
        id="brace-in-body",
    ),
    pytest.param(
        IUNKNOWN
        + IFOO
        + "DECLARE_MAPI_INTERFACE_(IProp, IUnknown) {\n"
        + "    MAPI_IUNKNOWN_METHODS(PURE)\n"
        + "    MAPIMETHOD(GetLastError) (THIS) PURE;\n};\n"
        + "DECLARE_MAPI_INTERFACE_(IFoo, IProp) {\n"
        + "    MAPI_IUNKNOWN_METHODS(PURE)\n"
        + "    MAPI_IFOO_METHODS(PURE)\n};\n",
        (9, 5),
        "interface IFoo does not start with the vtable of its base IProp:"
        " slot 3 is Foo, expected GetLastError",
        id="base-mismatch",
    ),
    pytest.param(
        IUNKNOWN
        + "DECLARE_MAPI_INTERFACE_(IFoo, IUnknown) {\n"
        + "    STDMETHOD(QueryInterface) (THIS_ REFIID riid, LPVOID ppvObj) PURE;\n"
        + "    STDMETHOD_(ULONG,AddRef) (THIS) PURE;\n"
        + "    STDMETHOD_(ULONG,Release) (THIS) PURE;\n};\n"
        + "DECLARE_MAPI_INTERFACE_(IBar, IFoo) {\n    MAPI_IUNKNOWN_METHODS(PURE)\n};\n",
        (8, 5),
        "slot 0 is QueryInterface, expected QueryInterface with the same signature",
        id="base-signature-mismatch",
    ),
    pytest.param(
        IUNKNOWN
        + "DECLARE_MAPI_INTERFACE_(IFoo, IMAPIProp) {\n    MAPI_IUNKNOWN_METHODS(PURE)\n};\n",
        (2, 1),
        "base interface IMAPIProp of IFoo is not declared in the headers read",
        id="undeclared-base",
    ),
    pytest.param(
        "#define MAPI_IFOO_METHODS(IPURE) \\\n"
        "    MAPIMETHOD(Foo) \\\n"
        "        (THIS_ ULONG ulFlags IPURE;\n",
        (3, 30),
        "unexpected 'IPURE'; expected ')' or ','",
        id="macro-syntax",
    ),
    pytest.param(
        "#define MAPI_IFOO_METHODS(IPURE) \\\n    MAPIMETHOD(Foo) (THIS) IPURE\n#undef X\n",
        (3, 1),
        "unexpected '#undef X'; expected ';'",
        id="macro-missing-semicolon",
    ),
    pytest.param(
        "DECLARE_MAPI_INTERFACE(IFoo) {};\nDECLARE_MAPI_INTERFACE(IFoo) {};\n",
        (2, 1),
        "interface IFoo is already declared at t.h:1:1",
        id="interface-twice",
    ),
    pytest.param(
        "DECLARE_MAPI_INTERFACE_(IFoo, IBar) {};\nDECLARE_MAPI_INTERFACE_(IBar, IFoo) {};\n",
        (1, 1),
        "interface IFoo inherits from itself",
        id="circular-base",
    ),
]


@pytest.mark.parametrize(("text", "position", "message"), ERRORS)
def test_errors(text: str, position: tuple[int, int], message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_header("t.h", text)
    assert (caught.value.loc.line, caught.value.loc.column) == position
    assert caught.value.loc.file == "t.h"
    assert message in caught.value.message
    assert caught.value.source_line == text.splitlines()[position[0] - 1]


# --- Microsoft's Outlook MAPI headers ------------------------------------------

def require_outlook() -> Path:
    """Microsoft's headers beside the project; skip locally, fail when tools are required."""
    from test_reference import require_microsoft_headers

    return require_microsoft_headers()


def test_microsoft_header_names_match_in_any_case() -> None:
    names = [item.shown for item in Sources(None, headers=(require_outlook(),)).files()]
    assert {"outlook-headers/MAPIDefS.h", "outlook-headers/MAPIGuid.h", "outlook-headers/EdkGuid.h"} <= set(names)
    assert {"outlook-headers/EdkMdb.h", "outlook-headers/IMSCapabilities.h", "outlook-headers/MAPIAux.h"} <= set(names)
    assert "outlook-headers/EMSABTAG.H" in names  # the address book's PR_EMS_AB_ tags
    assert "outlook-headers/mimeole.h" not in names


def test_a_folder_with_nothing_to_read_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("x", encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        assert main(["report", "--specs", str(SPECS), "--headers", str(tmp_path / "empty"), "--docs", str(tmp_path / "docs")]) == 0
    warnings = [line for line in err.getvalue().splitlines() if "nothing is read from it" in line]
    assert len(warnings) == 2
    assert warnings[0].startswith(os.path.relpath(tmp_path / "docs")) and "no reference pages (*.md)" in warnings[0]
    assert warnings[1].startswith(os.path.relpath(tmp_path / "empty")) and "no MAPI headers (mapi*.h" in warnings[1]


def test_annotations_with_an_argument() -> None:
    text = IUNKNOWN + (
        "#define MAPI_IFOO_METHODS(IPURE) MAPIMETHOD(Foo) (THIS_ ULONG cb,"
        " _Pre_writable_size_(cb) LPBYTE pb, _Outptr_result_buffer_(*lpc) LPTSTR FAR * FAR * lppsz) IPURE;\n"
        "DECLARE_MAPI_INTERFACE_(IFoo, IUnknown) { MAPI_IUNKNOWN_METHODS(PURE) MAPI_IFOO_METHODS(PURE) };\n"
    )
    (foo,) = parse_header("foo.h", text).interfaces[0].methods
    assert [(p.name, p.type, p.attributes) for p in foo.params] == [
        ("cb", CType("ULONG"), ()),
        ("pb", CType("LPBYTE"), ("_Pre_writable_size_(cb)",)),
        ("lppsz", CType("LPTSTR", 2), ("_Outptr_result_buffer_(*lpc)",)),
    ]


def test_header_sets_in_two_folders_do_not_clash() -> None:
    """Each folder is one header set: the same interface in two folders is not 'declared twice'."""
    body = "DECLARE_MAPI_INTERFACE_(IFoo, IUnknown) { MAPI_IUNKNOWN_METHODS(PURE) MAPI_IFOO_METHODS(PURE) };\n"
    one = ("ms/foo.h", IUNKNOWN + IFOO + body)
    other = ("mingw/foo.h", IUNKNOWN + IFOO.replace("ULONG ulFlags", "ULONG_PTR ulFlags") + body)
    first, second = parse_headers([one, other])
    assert interface((first,), "IFoo").methods[0].params[0].type == CType("ULONG")
    assert interface((second,), "IFoo").methods[0].params[0].type == CType("ULONG_PTR")
    with pytest.raises(InputError, match="already declared"):
        parse_headers([one, ("ms/again.h", body)])


@pytest.fixture(scope="module")
def microsoft_model() -> Model:
    return build_model(Sources(SPECS, headers=(require_outlook(),)))


def test_microsoft_headers_give_the_missing_iids(microsoft_model: Model) -> None:
    iids = {i.name: i.iid.value if i.iid else None for i in microsoft_model.interfaces}
    assert iids["IMAPIClientShutdown"] == "{00020397-0000-0000-C000-000000000046}"
    assert iids["IMAPIProviderShutdown"] == "{00020398-0000-0000-C000-000000000046}"
    assert iids["IExchangeModifyTable"] == "{2D734CB0-53FD-101B-B19D-08002B3056E3}"  # EdkGuid.h
    assert iids["IMSCapabilities"] == "{00020393-0000-0000-C000-000000000046}"


def test_the_embedded_idl_agrees_with_microsofts_headers(microsoft_model: Model) -> None:
    """Built with Microsoft's headers, nothing differs from the (Microsoft-derived) embedded IDL."""
    codes = {d.code for d in microsoft_model.diagnostics}
    assert not codes & {"type-conflict", "abi-conflict", "page-type"}


def test_every_documented_interface_has_microsofts_vtable(microsoft_model: Model, embedded_model: Model) -> None:
    """Every interface Microsoft's headers declare and a page documents: its full vtable and types are theirs."""

    embedded = embedded_model
    root = require_outlook()
    files = [(f"ms/{item.path.name}", item.path.read_text(encoding="utf-8", errors="replace"))
             for item in Sources(None, headers=(root,)).files()]
    declared = {i.name: i for f in parse_headers(files) for i in f.interfaces}
    documented = [i for i in embedded.interfaces if i.name in declared]  # specs/idl: the documented ones and ISpoolerHook
    assert len(documented) == 45
    for itf in documented:
        chain, current = [], declared.get(itf.name)
        while current is not None:
            chain.append(current.methods)
            current = declared.get(current.base) if current.base else None
        slots = [m for part in reversed(chain) for m in part]
        vtable = embedded.vtable(itf.name)
        assert [s.method.name for s in vtable] == ["QueryInterface", "AddRef", "Release"] + [m.name for m in slots]
        for slot, method in zip(vtable[3:], slots):
            assert [str(p.type) for p in slot.method.params] == [str(p.type) for p in method.params], slot.method.name


def test_ulong_ptr_where_microsoft_has_it(embedded_model: Model) -> None:
    model = embedded_model
    types = {(i.name, m.name, p.name): str(p.type) for i in model.interfaces for m in i.methods for p in m.params}
    assert types[("IMAPISession", "Unadvise", "ulConnection")] == "ULONG_PTR"
    assert types[("IMAPIProp", "CopyTo", "ulUIParam")] == "ULONG_PTR"
    assert types[("IAddrBook", "Details", "lpulUIParam")] == "ULONG_PTR *"
    assert types[("IXPLogon", "SubmitMessage", "lpulMsgRef")] == "ULONG_PTR *"
    advise = {k: v for k, v in types.items() if k[1] in ("Advise", "Subscribe") and k[2].lower().endswith("connection")}
    assert len(advise) == 7 and set(advise.values()) == {"ULONG_PTR *"}
    assert types[("IMAPIForm", "Advise", "pdwStatus")] == "ULONG_PTR *"  # IMAPIForm's connection


def test_mingw_only_findings_name_every_parameter_it_types_differently() -> None:
    """Against the embedded IDL, mingw-w64's headers alone: one type-conflict per parameter they type otherwise."""

    require_mingw()
    model = build_model(Sources(SPECS, headers=(MINGW,)))
    conflicts = [d for d in model.diagnostics if d.code == "type-conflict"]
    named = {(d.interface, d.message.split()[0].split("::")[1], d.message.split()[2]) for d in conflicts}
    assert len(conflicts) == len(named) == 68
    # independently: mingw's declarations resolved with mingw's typedefs, against the model's
    headers = sorted(p.name for p in MINGW.iterdir() if p.name in ("mapidefs.h", "mapix.h", "mapispi.h", "mapiform.h", "mapiutil.h", "mapihook.h", "tnef.h", "mapiguid.h", "mapicode.h"))
    files = parse_headers([(f"mingw/{name}", (MINGW / name).read_text()) for name in headers])
    mingw_types = TypeResolver(tuple(t for f in files for t in f.typedefs), set())
    model_types = TypeResolver.of(model)
    def integer(base: str) -> str | None:  # the ctypes type of an integer type, as mingw-w64 spells it too
        return INTEGER_CTYPES.get({"unsigned __LONG32": "ULONG"}.get(base, base))

    expected = set()
    for itf in (i for f in files for i in f.interfaces):
        mine = {m.name: m for m in model.interface(itf.name).methods}
        for method in itf.methods:
            for theirs, ours in zip(method.params, mine[method.name].params):
                a, b = mingw_types.resolve(theirs.type), model_types.resolve(ours.type)
                if integer(b.base) and (integer(a.base), a.pointers) != (integer(b.base), b.pointers):
                    expected.add((itf.name, method.name, ours.name))
    assert named == expected
    unadvise = next(d for d in conflicts if d.message.startswith("IMAPISession::Unadvise "))
    assert unadvise.loc is not None and unadvise.loc.file == "include/mapix.h"
    assert unadvise.message == (
        "IMAPISession::Unadvise parameter ulConnection is ULONG here but ULONG_PTR in specs/idl/IMAPISession.idl;"
        " specs/idl/IMAPISession.idl wins: IDL comes before headers (the embedded IDL is written from Microsoft's headers)"
    )


def test_pages_that_give_another_integer_width_are_findings() -> None:
    model = build_model(Sources(SPECS, (require_corpus() / "en-US",)))
    found = {(d.interface, d.message.split()[0], d.message.split()[2]) for d in model.diagnostics if d.code == "page-type"}
    assert ("IMAPIForm", "IMAPIForm::Unadvise", "ulConnection") in found  # the page says ULONG
    assert ("IMAPIFolder", "IMAPIFolder::DeleteFolder", "cbEntryID") in found  # the page says ULONG_PTR
    assert len(found) == 14
    [unadvise] = [d for d in model.diagnostics if d.code == "page-type" and d.message.startswith("IMAPIForm::Unadvise")]
    assert unadvise.loc is not None and unadvise.loc.file == "en-US/imapiform-unadvise.md" and (unadvise.loc.line, unadvise.loc.column) == (28, 3)  # "  ULONG ulConnection"
    assert "specs/idl/IMAPIForm.idl wins: the ABI comes from IDL and headers" in unadvise.message


def test_guid_families_defined_by_a_macro() -> None:
    """DEFINE_EXCHFORMGUID (ExchForm.h) and any macro of its shape, such as the EDK's DEFINE_EXCHIID."""
    text = (
        "#define DEFINE_EXCHIID(name, b) \\\n"
        "    DEFINE_GUID(name, 0x00020E00 | (b), 0, 0, 0xC0,0,0,0,0,0,0,0x46)\n"
        "#define DEFINE_FAMILY(name, b) DEFINE_OLEGUID(name, 0x00020400 | (b), 0, 0)\n"
        "DEFINE_EXCHIID(IID_IFoo, 0x12);\n"
        "DEFINE_FAMILY(IID_IBar, 3);\n"
        "DEFINE_OID_1(OID_X, 0x2A, 0x86);\n"
        "DEFINE_UNKNOWN(IID_IBaz, 7);\n"
        "#define DEFINE_PRXGUID(_name, _l) DEFINE_GUID(_name, (0x29f3ab10 + _l), 0x554d, 0x11d0, 0xa9, 0x7c, 0x00, 0xa0, 0xc9, 0x11, 0xf5, 0x0a)\n"
        "DEFINE_PRXGUID(IID_IProxyStoreObject, 0x00000001L);\n"
        "#define DEFINE_ODD(name, b) DEFINE_GUID(name, b * 2, 0, 0, 0,0,0,0,0,0,0,0)\n"
        "DEFINE_ODD(IID_IOdd, 1);\n"
    )
    guids = parse_header("family.h", text).guids
    assert [(g.symbol, g.guid.value, g.loc.line) for g in guids] == [
        ("IID_IFoo", "{00020E12-0000-0000-C000-000000000046}", 4),
        ("IID_IBar", "{00020403-0000-0000-C000-000000000046}", 5),
        ("IID_IProxyStoreObject", "{29F3AB11-554D-11D0-A97C-00A0C911F50A}", 9),
    ]  # a use of a macro no header defines, or of one of another shape, is left out
    defined_elsewhere = parse_headers([("set/a.h", text.split("DEFINE_EXCHIID(IID")[0]), ("set/b.h", "DEFINE_EXCHIID(IID_IQux, 1);\n")])
    assert [g.symbol for g in defined_elsewhere[1].guids] == ["IID_IQux"]
    exchform = require_outlook() / "ExchForm.h"
    [ps_exchform] = parse_header("ExchForm.h", exchform.read_text(encoding="utf-8")).guids
    assert (ps_exchform.symbol, ps_exchform.guid.value) == ("PS_EXCHFORM", "{00020D0C-0000-0000-C000-000000000046}")


def test_type_findings_are_on_the_doc_page_and_in_the_report() -> None:


    require_mingw()
    page = render_site(build_model(Sources(SPECS, headers=(MINGW,))))["docs/en-US/IMAPISession.html"]
    assert "type-conflict" in page and "IMAPISession::Unadvise parameter ulConnection is ULONG here" in page
    report = subprocess.run(
        [sys.executable, "-m", "generator", "report", "--headers", str(MINGW)],
        capture_output=True, text=True, check=True, cwd=SPECS.parent,
    ).stdout.splitlines()
    rows = [line.split() for line in report if " type-conflict " in line]
    assert len(rows) == 68
    unadvise = [r for r in rows if r[0] == "IMAPISession" and r[3] == "IMAPISession::Unadvise"]
    assert len(unadvise) == 1 and re.fullmatch(r".*/include/mapix\.h:\d+", unadvise[0][2])
