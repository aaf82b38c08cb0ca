"""Functions and function types: read from the headers, carried by the IDL, bound in ``functions.py``.

Counts and spot facts come from builds on one header set at a time (no
embedded IDL), so each set's own reading is measured; the findings from a
build with both sets, Microsoft's first.
"""

from __future__ import annotations

import ctypes
import importlib
from collections import Counter

import pytest
from conftest import SPECS
from test_reference import require_microsoft_headers, require_mingw_headers

from generator.build import build_model
from generator.frontends.header import parse_header
from generator.model import Direction, Model
from generator.sources import Sources


@pytest.fixture(scope="session")
def microsoft_functions() -> Model:
    """Built from Microsoft's headers (and the seed page), without the embedded IDL."""
    return build_model(Sources(SPECS, headers=(require_microsoft_headers(),), read_idl=False))


@pytest.fixture(scope="session")
def both_sets() -> Model:
    return build_model(Sources(SPECS, headers=(require_microsoft_headers(), require_mingw_headers()), read_idl=False))


def _by_name(model: Model) -> dict[str, object]:
    return {f.name: f for f in model.functions}


def test_counts_from_microsofts_headers(microsoft_functions: Model) -> None:
    kinds = Counter(f.kind for f in microsoft_functions.functions)
    assert kinds == {"function": 127, "type": 41, "pointer": 3}
    headers = Counter(f.header for f in microsoft_functions.entry_points)
    assert headers["MAPIUtil.h"] == 70
    assert headers["MAPIX.h"] == 6  # MAPIFreeBuffer is MAPI.h's, read first
    assert headers["MAPIWin.h"] == 1  # its _MAC branch's Win32 stand-ins are not MAPI's
    assert "GetLastError" not in _by_name(microsoft_functions)


def test_mapilogonex(microsoft_functions: Model) -> None:
    logon = next(f for f in microsoft_functions.entry_points if f.name == "MAPILogonEx")
    assert [(p.name, str(p.type)) for p in logon.params] == [
        ("ulUIParam", "ULONG_PTR"),
        ("lpszProfileName", "LPTSTR"),
        ("lpszPassword", "LPTSTR"),
        ("ulFlags", "ULONG"),
        ("lppSession", "LPMAPISESSION *"),
    ]
    assert str(logon.return_type) == "HRESULT"
    assert (logon.header, logon.loc.line) == ("MAPIX.h", 112)
    assert all(p.direction is None for p in logon.params)  # no header states them


def test_function_shapes() -> None:
    text = """
typedef HRESULT (STDMETHODCALLTYPE FOO)(/*in*/ ULONG ulFlags, /*out*/ LPVOID FAR * lppv);
typedef SCODE (STDMETHODCALLTYPE FAR * LPFNBAR)(ULONG_PTR ulUIParam);
FOO Foo;
NOTATYPE NotAFunction;
STDAPI_(void) Baz(void);
STDMETHODIMP_(SCODE)
Qux(LPVOID pv, ULONG cb);
HRESULT WINAPI Quux(IMAPIProp * pprop, BYTE ** ppb);
ULONG FAR PASCAL Simple(LPVOID pv);
STDAPI Skipped(void (*pfn)(ULONG));
#if defined(_MAC)
DWORD WINAPI GetLastError(void);
#endif
"""
    found = {f.name: f for f in parse_header("h/test.h", text).functions}
    assert sorted(found) == sorted(["FOO", "Foo", "LPFNBAR", "Baz", "Quux", "Qux", "Simple"])
    assert found["FOO"].kind == "type" and found["LPFNBAR"].kind == "pointer" and found["Foo"].kind == "function"
    assert [p.direction for p in found["Foo"].params] == [Direction.IN, Direction.OUT]
    assert str(found["Foo"].params[1].type) == "LPVOID *"
    assert (str(found["Baz"].return_type), found["Baz"].params) == ("void", ())
    assert str(found["Qux"].return_type) == "SCODE"
    assert str(found["Quux"].params[1].type) == "BYTE **"
    assert str(found["Simple"].return_type) == "ULONG"
    assert found["Foo"].loc.line == 4


def test_findings_between_header_sets(both_sets: Model) -> None:
    found = [d for d in both_sets.diagnostics if d.code == "function-conflict"]
    assert len(found) == 6
    by_name = {d.message.split()[0]: d for d in found}
    assert "ulUIParam is ctypes.c_uint32 here, ctypes.c_size_t there" in by_name["LPFNBUTTON"].message
    assert by_name["LPFNBUTTON"].loc is not None and by_name["LPFNBUTTON"].loc.file.endswith("mapidefs.h")


def test_embedded_idl_carries_the_functions(embedded_model: Model) -> None:
    model = embedded_model
    names = _by_name(model)
    assert len(model.entry_points) == 132 and len(model.function_types) == 47
    logon = names["MAPILogonEx"]
    assert len(logon.params) == 5 and logon.header == "MAPIX.h"  # type: ignore[attr-defined]
    assert names["LPFNBUTTON"].kind == "pointer"  # type: ignore[attr-defined]


def test_bindings() -> None:
    functions = importlib.import_module("mapi_bindings.functions")
    runtime = importlib.import_module("mapi_bindings.runtime")
    query = functions.HrQueryAllRows
    assert query.name == "HrQueryAllRows" and len(query.argtypes) == 6
    # 32-bit export names: each argument rounded up to 4 bytes, pointers 4 bytes there
    win32 = [ctypes.c_int32 if t is ctypes.c_int32 else ctypes.c_uint32 for t in query.argtypes]
    assert runtime.decorated_name("HrQueryAllRows", win32) == "HrQueryAllRows@24"
    assert len(functions.MAPILogonEx.argtypes) == 5
    assert functions.MAPILogonEx.argtypes[0] is ctypes.c_size_t
    assert functions.MAPIUninitialize.restype is None and functions.MAPIUninitialize.argtypes == ()
    # function-pointer types are prototypes, and parameters of those types use them
    assert functions.LPALLOCATEBUFFER is functions.ALLOCATEBUFFER
    assert issubclass(functions.LPFNBUTTON, ctypes._CFuncPtr)  # type: ignore[attr-defined]
    init = functions.HPPROVIDERINIT
    assert functions.ALLOCATEBUFFER in init._argtypes_
    callback = functions.LPNOTIFCALLBACK(lambda context, count, notifications: 0)
    assert callback(None, 0, None) == 0
