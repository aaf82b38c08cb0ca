"""The Python values of MAPI data, proven by a client's whole first program against a C stand-in.

``tests/c/mapi_client.c`` is compiled with ``cc`` and loaded with
``runtime.load(path)``; its vtable slots are the generated bindings' own
(``-DSLOT_<Method>=<index>`` from the ``<I>Vtbl`` structures), and it counts
every buffer its ``MAPIAllocateBuffer`` hands out and every ``MAPIFreeBuffer``
of one (a second free of a buffer is counted as bad).  Each test loads a fresh
copy, so the counters start at zero.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import decimal
import io
import itertools
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mapi_bindings as mapi
import pytest
from conftest import ROOT, require_tool
from mapi_bindings import runtime

SOURCE = ROOT / "tests" / "c" / "mapi_client.c"

# The example, unchanged but for the load argument.
EXAMPLE = """\
import mapi_bindings as mapi
from mapi_bindings import runtime

runtime.load(LIBRARY)
mapi.MAPIInitialize(None)
try:
    session = mapi.MAPILogonEx(0, None, None, mapi.MAPI_EXTENDED | mapi.MAPI_USE_DEFAULT | mapi.MAPI_UNICODE)
    rows = mapi.HrQueryAllRows(session.GetMsgStoresTable(0),
                               [mapi.PR_ENTRYID, mapi.PR_DISPLAY_NAME_W, mapi.PR_DEFAULT_STORE], None, None, 0)
    default = next(row for row in rows if row.get(mapi.PR_DEFAULT_STORE))
    store = session.OpenMsgStore(0, default[mapi.PR_ENTRYID], None, mapi.MDB_NO_DIALOG | mapi.MAPI_BEST_ACCESS)
    props = store.GetProps([mapi.PR_DISPLAY_NAME_W, mapi.PR_IPM_SUBTREE_ENTRYID], 0)
    print(props[mapi.PR_DISPLAY_NAME_W])
    session.Logoff(0, 0, 0)
finally:
    mapi.MAPIUninitialize()
"""

_COUNTER = itertools.count()


def _slot(vtbl: Any, name: str) -> int:
    """The index of a method in a generated vtable structure, its bases' slots first."""
    names = [field[0] for cls in reversed(vtbl.__mro__) for field in cls.__dict__.get("_fields_", ())]
    return names.index(name)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cc = require_tool("cc")
    slots = {
        "GetMsgStoresTable": _slot(mapi.IMAPISessionVtbl, "GetMsgStoresTable"),
        "OpenMsgStore": _slot(mapi.IMAPISessionVtbl, "OpenMsgStore"),
        "Logoff": _slot(mapi.IMAPISessionVtbl, "Logoff"),
        "GetProps": _slot(mapi.IMsgStoreVtbl, "GetProps"),
        "SetProps": _slot(mapi.IMsgStoreVtbl, "SetProps"),
        "OpenEntry": _slot(mapi.IMsgStoreVtbl, "OpenEntry"),
    }
    out = tmp_path_factory.mktemp("mapi-client") / "libmapi-client.so"
    defines = [f"-DSLOT_{name}={index}" for name, index in slots.items()]
    subprocess.run([cc, "-shared", "-fPIC", "-Wall", "-Werror", *defines, "-o", str(out), str(SOURCE)], check=True)
    return out


@pytest.fixture
def library(compiled: Path, tmp_path: Path) -> Iterator[tuple[str, ctypes.CDLL]]:
    """A fresh copy of the stand-in (its own counters), loaded as the MAPI library."""
    copy = tmp_path / f"libmapi-client-{next(_COUNTER)}.so"
    copy.write_bytes(compiled.read_bytes())
    runtime.unload()
    lib = runtime.load(str(copy))
    yield str(copy), lib
    runtime.unload()


def _counts(lib: ctypes.CDLL) -> dict[str, int]:
    return {
        name: getattr(lib, name)()
        for name in ("buffers_handed_out", "buffers_freed", "bad_free_count", "buffers_outstanding", "live_objects", "logoff_count")
    }


def test_the_example_runs_and_prints_the_store_name(library: tuple[str, ctypes.CDLL]) -> None:
    path, lib = library
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(EXAMPLE.replace("LIBRARY", repr(path)), {})  # noqa: S102 - the README's example, run as a user runs it
    assert printed.getvalue() == "Mailbox - Test User\n"
    counts = _counts(lib)
    # the row set, its two rows' property arrays, and the store's GetProps
    assert counts["buffers_handed_out"] == 4 and counts["buffers_freed"] == 4
    assert counts["bad_free_count"] == 0 and counts["buffers_outstanding"] == 0
    assert counts["logoff_count"] == 1
    import gc

    gc.collect()
    assert _counts(lib)["live_objects"] == 0  # session, table and store released when collected
    assert lib.initialize_count() == 0


def _every_type(seed: int) -> dict[int, Any]:
    """One property of every PT_ type of the README's table (PT_MV_* included), values depending on seed."""
    when = datetime.datetime(2020, 1, 2, 3, 4, 5, 123456 + seed, tzinfo=datetime.UTC)
    single = {
        mapi.PT_I2: -2 - seed,
        mapi.PT_LONG: 70000 + seed,
        mapi.PT_R4: 1.5 + seed,
        mapi.PT_DOUBLE: 2.25 + seed,
        mapi.PT_CURRENCY: decimal.Decimal("1234.5678") + seed,
        mapi.PT_APPTIME: 43831.5 + seed,
        mapi.PT_BOOLEAN: bool(seed % 2),
        mapi.PT_I8: 2**40 + seed,
        mapi.PT_STRING8: b"ansi %d" % seed,
        mapi.PT_UNICODE: f"wide \u00e9\u4e2d {seed}",
        mapi.PT_SYSTIME: when,
        mapi.PT_CLSID: uuid.UUID(int=0x0123456789ABCDEF + seed),
        mapi.PT_BINARY: bytes([0, 1, 2, seed]),
    }
    values: dict[int, Any] = {}
    for index, (ptype, value) in enumerate(single.items()):
        values[(0x8100 + index) << 16 | ptype] = value
        if ptype != mapi.PT_BOOLEAN:  # MAPI has no PT_MV_BOOLEAN
            values[(0x8200 + index) << 16 | ptype | mapi.MV_FLAG] = [value, value]
    return values


def test_every_type_round_trips_through_set_props_and_get_props(library: tuple[str, ctypes.CDLL]) -> None:
    _, lib = library
    lib.message_object.restype = ctypes.c_void_p
    message = mapi.Object(mapi.IMAPIPropClient(lib.message_object()))
    message.raw.AddRef()
    for seed in (0, 1):
        expected = _every_type(seed)
        message.SetProps(expected)
        assert message.GetProps(list(expected), 0) == expected
        assert message.GetProps(None, 0) == expected  # all properties, in the message's order
    assert len(expected) == 25
    missing = 0x7FFF001F
    found = message.GetProps([missing, next(iter(expected))], 0)
    assert found[missing] == mapi.PropError(0x8004010F)  # MAPI_E_NOT_FOUND, a value, not an exception
    message.Release()
    counts = _counts(lib)
    assert counts["buffers_handed_out"] == 5 == counts["buffers_freed"] and counts["bad_free_count"] == 0


def test_buffers_are_freed_after_a_failing_call(library: tuple[str, ctypes.CDLL]) -> None:
    _, lib = library
    mapi.MAPIInitialize(None)
    with mapi.MAPILogonEx(0, None, None, mapi.MAPI_UNICODE) as session, session.GetMsgStoresTable(0) as table:
        lib.set_fail_queries(1)
        with pytest.raises(mapi.MAPIError):
            mapi.HrQueryAllRows(table, [mapi.PR_ENTRYID], None, None, 0)
        lib.set_fail_queries(0)
        lib.set_bad_rows(1)  # rows MAPI hands out that cannot be converted: freed all the same
        with pytest.raises(ValueError, match="no Python value"):
            mapi.HrQueryAllRows(table, [mapi.PR_ENTRYID, mapi.PR_DISPLAY_NAME_W], None, None, 0)
        lib.set_bad_rows(0)
        assert len(mapi.HrQueryAllRows(table, None, None, None, 0)) == 2
    mapi.MAPIUninitialize()
    counts = _counts(lib)
    assert counts["buffers_handed_out"] == 6 == counts["buffers_freed"]
    assert counts["bad_free_count"] == 0 and counts["buffers_outstanding"] == 0
    assert counts["live_objects"] == 0  # released by the with blocks, once


def test_the_raw_functions_stay_underneath() -> None:
    assert mapi.MAPILogonEx is not mapi.functions.MAPILogonEx
    assert mapi.functions.MAPILogonEx.name == "MAPILogonEx"


def test_a_restriction_written_in_python_filters_the_table(library: tuple[str, ctypes.CDLL]) -> None:
    _, lib = library
    mapi.MAPIInitialize(None)
    with mapi.MAPILogonEx(0, None, None, mapi.MAPI_UNICODE) as session, session.GetMsgStoresTable(0) as table:
        columns = [mapi.PR_DISPLAY_NAME_W]
        default = mapi.PropertyRestriction(mapi.RELOP_EQ, mapi.PR_DEFAULT_STORE, True)
        assert mapi.HrQueryAllRows(table, columns, default, None, 0) == [{mapi.PR_DISPLAY_NAME_W: "Mailbox - Test User"}]
        public = mapi.PropertyRestriction(mapi.RELOP_EQ, mapi.PR_DISPLAY_NAME_W, "Public Folders")
        assert mapi.HrQueryAllRows(table, columns, public, None, 0) == [{mapi.PR_DISPLAY_NAME_W: "Public Folders"}]
        nothing = mapi.PropertyRestriction(mapi.RELOP_EQ, mapi.PR_DISPLAY_NAME_W, "No such store")
        assert mapi.HrQueryAllRows(table, columns, nothing, None, 0) == []
    mapi.MAPIUninitialize()
    counts = _counts(lib)
    assert counts["buffers_handed_out"] == counts["buffers_freed"] == 5 and counts["bad_free_count"] == 0
