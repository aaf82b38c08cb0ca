"""Tests of the IDL front end, on hand-written IDL fixtures in tests/cases/idl."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import InputError
from generator.frontends.idl import parse_idl
from generator.model import AbiFile, AbiInterface, CType, Direction, Guid, SourceLoc

IDL_DIR = Path(__file__).parent / "cases" / "idl"
IDL_FILES = sorted(IDL_DIR.glob("*.idl"))


def _read(name: str) -> AbiFile:
    return parse_idl(f"cases/idl/{name}", (IDL_DIR / name).read_text(encoding="utf-8"))


def _interface(name: str) -> AbiInterface:
    (itf,) = _read(f"{name}.idl").interfaces
    assert itf.name == name
    return itf


def _methods(name: str) -> list[str]:
    return [m.name for m in _interface(name).methods]


# --- hand-written fixtures ---------------------------------------------------------------


@pytest.mark.parametrize("path", IDL_FILES, ids=lambda p: p.name)
def test_every_spec_file_parses(path: Path) -> None:
    abi = parse_idl(path.name, path.read_text(encoding="utf-8"))
    assert abi.kind == "idl"
    assert abi.path == path.name


def test_spec_files_present() -> None:
    names = {p.name for p in IDL_FILES}
    assert {
        "mapitypes.idl",
        "IUnknown.idl",
        "IMAPIProp.idl",
        "IMAPISession.idl",
        "IMAPISupport.idl",
        "IMAPIGetSession.idl",
    } <= names


@pytest.mark.parametrize(
    ("name", "base", "iid"),
    [
        ("IUnknown", None, "{00000000-0000-0000-C000-000000000046}"),
        ("IMAPIProp", "IUnknown", "{00020303-0000-0000-C000-000000000046}"),
        ("IMAPISession", "IUnknown", "{00020300-0000-0000-C000-000000000046}"),
        ("IMAPISupport", "IUnknown", "{0002030F-0000-0000-C000-000000000046}"),
        ("IMAPIGetSession", "IUnknown", "{614AB435-491D-4F5B-A8B4-60EB031030C6}"),
    ],
)
def test_interface_base_and_iid(name: str, base: str | None, iid: str) -> None:
    abi = _read(f"{name}.idl")
    (itf,) = abi.interfaces
    assert (itf.name, itf.base, itf.iid) == (name, base, Guid(iid))
    (definition,) = abi.guids
    assert (definition.symbol, definition.guid) == (f"IID_{name}", Guid(iid))


@pytest.mark.parametrize(
    ("name", "imports"),
    [
        ("IUnknown", ("mapitypes.idl",)),
        ("IMAPIProp", ("mapitypes.idl", "IUnknown.idl")),
        ("IMAPISession", ("mapitypes.idl", "IUnknown.idl")),
        ("IMAPISupport", ("mapitypes.idl", "IUnknown.idl")),
        ("IMAPIGetSession", ("mapitypes.idl", "IUnknown.idl")),
    ],
)
def test_imports(name: str, imports: tuple[str, ...]) -> None:
    assert _read(f"{name}.idl").imports == imports


def test_iunknown_slots() -> None:
    itf = _interface("IUnknown")
    assert [m.name for m in itf.methods] == ["QueryInterface", "AddRef", "Release"]
    query, add_ref, release = itf.methods
    assert [(p.name, p.type, p.direction) for p in query.params] == [
        ("riid", CType("REFIID"), Direction.IN),
        ("ppvObj", CType("LPVOID", 1), Direction.OUT),
    ]
    assert query.return_type == CType("HRESULT")
    assert add_ref.return_type == release.return_type == CType("ULONG")
    assert add_ref.params == release.params == ()


def test_imapiprop_order() -> None:
    assert _methods("IMAPIProp") == [
        "GetLastError",
        "SaveChanges",
        "GetProps",
        "GetPropList",
        "OpenProperty",
        "SetProps",
        "DeleteProps",
        "CopyTo",
        "CopyProps",
        "GetNamesFromIDs",
        "GetIDsFromNames",
    ]


def test_imapisession_order() -> None:
    assert _methods("IMAPISession") == [
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


def test_imapisupport_order() -> None:
    assert _methods("IMAPISupport") == [
        # MAPI_IMAPISUPPORT_METHODS1
        "GetLastError",
        "GetMemAllocRoutines",
        "Subscribe",
        "Unsubscribe",
        "Notify",
        "ModifyStatusRow",
        "OpenProfileSection",
        "RegisterPreprocessor",
        "NewUID",
        "MakeInvalid",
        # MAPI_IMAPISUPPORT_METHODS2
        "SpoolerYield",
        "SpoolerNotify",
        "CreateOneOff",
        "SetProviderUID",
        "CompareEntryIDs",
        "OpenTemplateID",
        "OpenEntry",
        "GetOneOffTable",
        "Address",
        "Details",
        "NewEntry",
        "DoConfigPropsheet",
        "CopyMessages",
        "CopyFolder",
        # MAPI_IMAPISUPPORT_METHODS3
        "DoCopyTo",
        "DoCopyProps",
        "DoProgressDialog",
        "ReadReceipt",
        "PrepareSubmit",
        "ExpandRecips",
        "UpdatePAB",
        "DoSentMail",
        "OpenAddressBook",
        "Preprocess",
        "CompleteMsg",
        "StoreLogoffTransports",
        "StatusRecips",
        "WrapStoreEntryID",
        "ModifyProfile",
        "IStorageFromStream",
        "GetSvcConfigSupportObj",
    ]


def test_get_mapi_session() -> None:
    (method,) = _interface("IMAPIGetSession").methods
    assert method.name == "GetMAPISession"
    assert method.return_type == CType("HRESULT")
    (param,) = method.params
    assert param.name == "lppSession"
    assert param.type == CType("LPUNKNOWN", 1)
    assert param.direction is Direction.OUT
    assert param.attributes == ()


def test_locations_are_pinned() -> None:
    itf = _interface("IMAPIGetSession")
    path = "cases/idl/IMAPIGetSession.idl"
    assert itf.loc == SourceLoc(path, 8, 1)  # the attribute list opens the declaration
    (method,) = itf.methods
    assert method.loc == SourceLoc(path, 16, 5)
    assert method.params[0].loc == SourceLoc(path, 16, 28)
    open_msg_store = _interface("IMAPISession").methods[2]
    lpp_mdb = open_msg_store.params[-1]
    assert (open_msg_store.name, lpp_mdb.name) == ("OpenMsgStore", "lppMDB")
    assert lpp_mdb.loc == SourceLoc("cases/idl/IMAPISession.idl", 31, 26)


def test_session_directions_and_types() -> None:
    methods = {m.name: m for m in _interface("IMAPISession").methods}
    open_msg_store = methods["OpenMsgStore"]
    assert [(p.name, p.type, p.direction) for p in open_msg_store.params] == [
        ("ulUIParam", CType("ULONG_PTR"), Direction.IN),
        ("cbEntryID", CType("ULONG"), Direction.IN),
        ("lpEntryID", CType("LPENTRYID"), Direction.IN),
        ("lpInterface", CType("LPCIID"), Direction.IN),
        ("ulFlags", CType("ULONG"), Direction.IN),
        ("lppMDB", CType("LPMDB", 1), Direction.OUT),
    ]
    enum = methods["EnumAdrTypes"].params[-1]
    assert (enum.name, enum.type, enum.direction) == (
        "lpppszAdrTypes",
        CType("LPTSTR", 2),
        Direction.OUT,
    )


def test_in_out_parameters() -> None:
    prop = {m.name: m for m in _interface("IMAPIProp").methods}
    assert prop["SetProps"].params[-1].direction is Direction.IN_OUT
    assert prop["GetNamesFromIDs"].params[0].direction is Direction.IN_OUT
    support = {m.name: m for m in _interface("IMAPISupport").methods}
    assert [p.direction for p in support["Address"].params] == [Direction.IN_OUT] * 3


def test_every_spec_parameter_has_a_direction() -> None:
    for path in IDL_FILES:
        for itf in parse_idl(path.name, path.read_text(encoding="utf-8")).interfaces:
            for method in itf.methods:
                for param in method.params:
                    assert param.direction is not None, (itf.name, method.name, param.name)


def test_mapitypes_typedefs() -> None:
    typedefs = {t.name: t.type for t in _read("mapitypes.idl").typedefs}
    assert typedefs["LPUNKNOWN"] == CType("IUnknown", 1)
    assert typedefs["ULONG"] == CType("unsigned long")
    assert typedefs["LPCIID"] == CType("IID", 1, True)
    assert typedefs["LPENTRYID"] == CType("struct _ENTRYID", 1)
    assert typedefs["LPMDB"] == CType("IMsgStore", 1)


def test_spec_types_are_declared() -> None:
    typedefs = {t.name for t in _read("mapitypes.idl").typedefs}
    for path in IDL_FILES:
        for itf in parse_idl(path.name, path.read_text(encoding="utf-8")).interfaces:
            for method in itf.methods:
                assert method.return_type.name in typedefs
                for param in method.params:
                    assert param.type.name in typedefs, (itf.name, method.name, param.name)


def test_mapitypes_hresults() -> None:
    codes = {h.name: h.value for h in _read("mapitypes.idl").hresults}
    assert codes["MAPI_E_NOT_FOUND"] == 0x8004010F
    assert codes["MAPI_E_CALL_FAILED"] == 0x80004005
    assert codes["MAPI_W_ERRORS_RETURNED"] == 0x00040380
    assert codes["S_OK"] == 0
    assert len(codes) == 45


# --- the grammar on small inputs ---------------------------------------------

SAMPLE = """\
import "a.idl", "b.idl";
cpp_quote("#define X \\"y\\"")
interface IBase;   // forward declaration
/* a block
   comment */
typedef unsigned long ULONG;
typedef struct _ENTRYID *LPENTRYID, **LPPENTRYID;
typedef const IID *REFIID;
typedef [unique] IUnknown *LPUNKNOWN;
const HRESULT MAPI_E_CALL_FAILED = 0x80004005;
const HRESULT NEGATIVE = -2147467259;
const SCODE DECIMAL = 262144L;

[local, helpstring("x, y"), uuid(614ab435-491d-4f5b-a8b4-60eb031030c6), object]
interface IX : IBase
{
    ULONG AddRef(void);
    ULONG Release();
    [local] HRESULT F([in, size_is( cValues )] LPTSTR **rgsz,
                      [out, in] ULONG *pul,
                      [in, string, unique] const char *psz,
                      [out, retval, iid_is(riid)] void **ppv,
                      ULONG cValues);
    LPVOID *G(void);
}
"""


def test_sample() -> None:
    abi = parse_idl("sample.idl", SAMPLE)
    assert abi.imports == ("a.idl", "b.idl")
    assert [(t.name, t.type) for t in abi.typedefs] == [
        ("ULONG", CType("unsigned long")),
        ("LPENTRYID", CType("struct _ENTRYID", 1)),
        ("LPPENTRYID", CType("struct _ENTRYID", 2)),
        ("REFIID", CType("IID", 1, True)),
        ("LPUNKNOWN", CType("IUnknown", 1)),
    ]
    assert [(h.name, h.value) for h in abi.hresults] == [
        ("MAPI_E_CALL_FAILED", 0x80004005),
        ("NEGATIVE", 0x80004005),
        ("DECIMAL", 0x00040000),
    ]
    (itf,) = abi.interfaces
    assert (itf.name, itf.base) == ("IX", "IBase")
    assert itf.iid == Guid("{614AB435-491D-4F5B-A8B4-60EB031030C6}")
    assert abi.guids[0].loc == SourceLoc("sample.idl", 14, 34)
    add_ref, release, f, g = itf.methods
    assert add_ref.params == release.params == g.params == ()
    assert g.return_type == CType("LPVOID", 1)
    assert [(p.name, p.type, p.direction, p.attributes) for p in f.params] == [
        ("rgsz", CType("LPTSTR", 2), Direction.IN, ("size_is(cValues)",)),
        ("pul", CType("ULONG", 1), Direction.IN_OUT, ()),
        ("psz", CType("char", 1, True), Direction.IN, ("string", "unique")),
        ("ppv", CType("void", 2), Direction.OUT, ("retval", "iid_is(riid)")),
        ("cValues", CType("ULONG"), None, ()),
    ]
    assert f.loc == SourceLoc("sample.idl", 19, 5)
    assert f.params[1].loc == SourceLoc("sample.idl", 20, 23)


def test_empty_file() -> None:
    assert parse_idl("empty.idl", "// nothing\n") == AbiFile("empty.idl", "idl", (), (), (), ())


def test_attribute_arguments_are_normalized() -> None:
    abi = parse_idl(
        "a.idl",
        "interface I { HRESULT F([in, size_is(cb * 2, (*pcb)), length_is(*pcb)] ULONG x); }",
    )
    (param,) = abi.interfaces[0].methods[0].params
    assert param.attributes == ("size_is(cb*2, (*pcb))", "length_is(*pcb)")


def test_keywords_stay_names_elsewhere() -> None:
    # "uuid" is a keyword only as an attribute name, "interface" only at the
    # start of a declaration.
    abi = parse_idl("k.idl", "interface I { HRESULT F([in] ULONG uuid); }")
    assert abi.interfaces[0].methods[0].params[0].name == "uuid"


# --- errors --------------------------------------------------------------------

ERRORS = [
    pytest.param(
        "interface I\n{\n    HRESULT F(void)\n    HRESULT G(void);\n};\n",
        (4, 5),
        "unexpected token 'HRESULT' — expected ';'",
        id="missing-semicolon",
    ),
    pytest.param(
        "[object, uuid(614AB435-491D-4F5B-A8B4-60EB031030C)]\ninterface I {};\n",
        (1, 15),
        "malformed uuid '614AB435-491D-4F5B-A8B4-60EB031030C'",
        id="bad-uuid",
    ),
    pytest.param(
        "[uuid(614AB435-491D-4F5B-A8B4-60EB031030CX)] interface I {};",
        (1, 7),
        "malformed uuid",
        id="bad-uuid-digit",
    ),
    pytest.param(
        "interface I {\n  HRESULT F([in, out, in] ULONG x);\n};",
        (2, 23),
        "direction 'in' given twice for parameter 'x'",
        id="direction-combination",
    ),
    pytest.param(
        "interface I {\n  HRESULT F(void);\n  /* never closed\n};\n",
        (3, 3),
        "unterminated comment",
        id="unterminated-comment",
    ),
    pytest.param(
        "interface I {\n  HRESULT F(void);\n  ULONG F(ULONG x);\n};\n",
        (3, 3),
        "method 'F' is declared twice in interface 'I' (first at line 2)",
        id="duplicate-method",
    ),
    pytest.param(
        "interface I {\n  HRESULT F(void); #\n};\n",
        (2, 20),
        "unexpected character '#' — expected a method declaration or '}'",
        id="garbage-character",
    ),
    pytest.param(
        "interface I {};\n\ninterface I {};\n",
        (3, 1),
        "interface 'I' is defined twice (first at line 1)",
        id="duplicate-interface",
    ),
    pytest.param(
        "interface I { HRESULT F([in] ULONG 2nd); };",
        (1, 36),
        "parameter name '2nd' is not a valid identifier",
        id="bad-parameter-name",
    ),
    pytest.param(
        "interface I { HRESULT F([in] ULONG const); };",
        (1, 36),
        "parameter name 'const' is not a valid identifier",
        id="keyword-parameter-name",
    ),
    pytest.param(
        "interface I { HRESULT F([in] ULONG a, [in] ULONG a); };",
        (1, 39),
        "parameter 'a' is declared twice in method 'F'",
        id="duplicate-parameter",
    ),
    pytest.param(
        "interface I { HRESULT F(ULONG a, ); };",
        (1, 34),
        "unexpected token ')' — expected '[' or a type",
        id="missing-parameter",
    ),
    pytest.param(
        "interface I { HRESULT F(ULONG *); };",
        (1, 32),
        "unexpected token ')' — expected '*' or a name",
        id="missing-parameter-name",
    ),
    pytest.param(
        "interface I {\n  HRESULT F(void);\n",
        (2, 19),
        "unexpected end of file — expected a method declaration or '}'",
        id="unexpected-eof",
    ),
    pytest.param(
        'import "a.idl;\n',
        (1, 8),
        "unterminated string literal",
        id="unterminated-string",
    ),
    pytest.param(
        "typedef ;",
        (1, 9),
        "unexpected token ';' — expected '[' or a type",
        id="typedef-without-type",
    ),
    pytest.param(
        "interface I {} }",
        (1, 16),
        "expected ';' or a declaration",
        id="stray-brace",
    ),
    pytest.param(
        "const float X = 1;",
        (1, 7),
        "only integer (ULONG, LONG, int, ...) and GUID constants are supported",
        id="non-integer-constant",
    ),
    pytest.param(
        "const HRESULT X = 0x100000000;",
        (1, 19),
        "does not fit in 32 bits",
        id="constant-too-big",
    ),
    pytest.param(
        "[uuid(614AB435-491D-4F5B-A8B4-60EB031030C6), uuid(614AB435-491D-4F5B-A8B4-60EB031030C6)]"
        " interface I {};",
        (1, 51),
        "more than one uuid",
        id="two-uuids",
    ),
]


@pytest.mark.parametrize(("source", "where", "message"), ERRORS)
def test_errors(source: str, where: tuple[int, int], message: str) -> None:
    try:
        parse_idl("bad.idl", source)
    except Exception as exc:  # noqa: BLE001 - the point is that nothing else escapes
        assert type(exc) is InputError, f"{type(exc).__name__}: {exc}"
        assert (exc.loc.file, exc.loc.line, exc.loc.column) == ("bad.idl", *where)
        assert message in exc.message
    else:
        pytest.fail("no InputError raised")


def test_error_render_points_at_the_column() -> None:
    with pytest.raises(InputError) as info:
        parse_idl("bad.idl", "interface I {\n  HRESULT F(void); #\n};\n")
    assert info.value.render().splitlines()[1:] == [
        "      HRESULT F(void); #",
        "                       ^",
    ]


def test_bom_and_crlf() -> None:
    abi = parse_idl("w.idl", "\ufeffinterface I {\r\n  HRESULT F(void);\r\n};\r\n")
    assert abi.interfaces[0].methods[0].loc == SourceLoc("w.idl", 2, 3)
