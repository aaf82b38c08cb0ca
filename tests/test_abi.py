"""The ABI both ways, against C compiled at test time with the system C compiler."""

from __future__ import annotations

import ctypes
import subprocess
from pathlib import Path

import pytest
from conftest import require_tool

SOURCE = Path(__file__).parent / "c" / "getsession.c"


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> ctypes.CDLL:
    cc = require_tool("cc")
    out = tmp_path_factory.mktemp("abi") / "libgetsession.so"
    subprocess.run([cc, "-shared", "-fPIC", "-Wall", "-Werror", "-o", str(out), str(SOURCE)], check=True)
    library = ctypes.CDLL(str(out))
    for name in ("session_object", "make_getter"):
        getattr(library, name).restype = ctypes.c_void_p
    library.make_getter.argtypes = [ctypes.c_int32]
    library.session_refs.restype = ctypes.c_uint32
    for name in ("call_get_mapi_session", "call_query_interface"):
        getattr(library, name).restype = ctypes.c_int32
    library.call_get_mapi_session.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
    library.call_query_interface.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
    for name in ("call_add_ref", "call_release"):
        getattr(library, name).restype = ctypes.c_uint32
        getattr(library, name).argtypes = [ctypes.c_void_p]
    return library


def test_vtable_layout_matches_c() -> None:
    from mapi_bindings import IMAPIGetSessionVtbl

    names = [name for name, _ in IMAPIGetSessionVtbl._fields_]
    assert names == ["GetMAPISession"]
    assert IMAPIGetSessionVtbl.GetMAPISession.offset == 3 * ctypes.sizeof(ctypes.c_void_p)
    assert ctypes.sizeof(IMAPIGetSessionVtbl) == 4 * ctypes.sizeof(ctypes.c_void_p)


def test_python_calls_c_implementation(lib: ctypes.CDLL) -> None:
    from mapi_bindings import IMAPIGetSessionClient, IUnknownClient

    before = lib.session_refs()
    getter = IMAPIGetSessionClient(lib.make_getter(0))
    session = getter.GetMAPISession()
    assert isinstance(session, IUnknownClient)
    assert session.this == lib.session_object()
    assert lib.session_refs() == before + 1
    assert session.Release() == before
    again = getter.QueryInterface(IMAPIGetSessionClient)
    assert again.this == getter.this
    assert again.Release() == 1
    assert getter.Release() == 0


def test_client_is_the_interface_pointer_and_refuses_null(lib: ctypes.CDLL) -> None:
    from mapi_bindings import IMAPIGetSessionClient, IUnknownClient

    getter = IMAPIGetSessionClient(lib.make_getter(0))
    session = getter.GetMAPISession()
    assert isinstance(session, ctypes.c_void_p) and session.value == lib.session_object()
    assert lib.call_add_ref(session) == session.Release() + 1
    session.Release()
    assert IUnknownClient.wrap(0) is None
    with pytest.raises(ValueError, match="null interface pointer"):
        IUnknownClient(0).AddRef()
    getter.Release()


def test_failing_hresult_is_mapierror_with_name(lib: ctypes.CDLL) -> None:
    from mapi_bindings import IMAPIGetSessionClient, MAPIError

    getter = IMAPIGetSessionClient(lib.make_getter(ctypes.c_int32(0x80040102).value))
    with pytest.raises(MAPIError) as caught:
        getter.GetMAPISession()
    assert caught.value.hresult == 0x80040102
    assert caught.value.name == "MAPI_E_NO_SUPPORT"
    getter.Release()


def test_c_calls_python_implementation(lib: ctypes.CDLL) -> None:
    from mapi_bindings import (
        IID_IMAPIGetSession,
        IID_IMAPISession,
        IID_IUnknown,
        IMAPIGetSession,
        IUnknown,
        IUnknownClient,
        expose,
    )

    session = IUnknownClient(lib.session_object())

    class Getter(IMAPIGetSession):
        calls = 0

        def GetMAPISession(self) -> IUnknown | None:
            Getter.calls += 1
            return session

    before = lib.session_refs()
    pointer = expose(Getter())
    out = ctypes.c_void_p()
    assert lib.call_get_mapi_session(pointer, ctypes.byref(out)) == 0
    assert out.value == lib.session_object()
    assert Getter.calls == 1
    assert lib.session_refs() == before + 1
    session.Release()

    for iid in (IID_IMAPIGetSession, IID_IUnknown):
        same = ctypes.c_void_p()
        assert lib.call_query_interface(pointer, ctypes.addressof(iid), ctypes.byref(same)) == 0
        assert same.value == pointer
    other = ctypes.c_void_p(1)
    hr = lib.call_query_interface(pointer, ctypes.addressof(IID_IMAPISession), ctypes.byref(other))
    assert hr & 0xFFFFFFFF == 0x80004002 and other.value is None
    assert lib.call_add_ref(pointer) == 4
    assert [lib.call_release(pointer) for _ in range(4)] == [3, 2, 1, 0]


def test_python_failure_reaches_c_as_hresult(lib: ctypes.CDLL) -> None:
    from mapi_bindings import IMAPIGetSession, IUnknown, MAPIError, expose

    class Broken(IMAPIGetSession):
        def GetMAPISession(self) -> IUnknown | None:
            raise MAPIError(0x8004010F)

    class Crashing(IMAPIGetSession):
        def GetMAPISession(self) -> IUnknown | None:
            raise RuntimeError("boom")

    out = ctypes.c_void_p()
    assert lib.call_get_mapi_session(expose(Broken()), ctypes.byref(out)) & 0xFFFFFFFF == 0x8004010F
    assert lib.call_get_mapi_session(expose(Crashing()), ctypes.byref(out)) & 0xFFFFFFFF == 0x80004005
