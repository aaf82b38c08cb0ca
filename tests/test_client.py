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

# The example, as the README shows it (its "Calling MAPI from Python" section).
EXAMPLE = """\
import mapi_bindings as mapi
from mapi_bindings import runtime

runtime.load()            # Windows: the MAPI that Outlook registers; elsewhere load(path) or $MAPI_BINDINGS_LIBRARY
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


def _readme_example() -> str:
    """The first Python block of the README's "Calling MAPI from Python" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("\n## Calling MAPI from Python\n") :]
    start = section.index("```python\n") + len("```python\n")
    return section[start : section.index("```\n", start)]


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
        "OpenAddressBook": _slot(mapi.IMAPISessionVtbl, "OpenAddressBook"),
        "SessionAdvise": _slot(mapi.IMAPISessionVtbl, "Advise"),
        "SessionUnadvise": _slot(mapi.IMAPISessionVtbl, "Unadvise"),
        "StoreAdvise": _slot(mapi.IMsgStoreVtbl, "Advise"),
        "StoreUnadvise": _slot(mapi.IMsgStoreVtbl, "Unadvise"),
        "TableAdvise": _slot(mapi.IMAPITableVtbl, "Advise"),
        "TableUnadvise": _slot(mapi.IMAPITableVtbl, "Unadvise"),
        "SortTable": _slot(mapi.IMAPITableVtbl, "SortTable"),
        "ResolveName": _slot(mapi.IAddrBookVtbl, "ResolveName"),
        "OnNotify": _slot(mapi.IMAPIAdviseSinkVtbl, "OnNotify"),
        "CompareEntryIDs": _slot(mapi.IMAPISessionVtbl, "CompareEntryIDs"),
        "SessionOpenEntry": _slot(mapi.IMAPISessionVtbl, "OpenEntry"),
        "SetColumns": _slot(mapi.IMAPITableVtbl, "SetColumns"),
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
        program = _readme_example()
        assert program == EXAMPLE and program.count("runtime.load()") == 1
        exec(program.replace("runtime.load()", f"runtime.load({path!r})"), {})  # noqa: S102 - the README's example, run as a user runs it
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
        mapi.PT_UNICODE: f"wide \u00e9\u4e2d\U0001f389 {seed}",  # a surrogate pair in UTF-16
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


def test_wide_strings_are_utf16_on_every_platform() -> None:
    """MAPI's WCHAR is 16 bits; ctypes' c_wchar_p is the host's wchar_t (4 bytes here), so no generated LPWSTR uses it."""
    text = "wide \u00e9\u4e2d\U0001f389"
    assert dict(mapi._PV._fields_)["lpszW"] is mapi.WSTR
    assert dict(mapi.NEWMAIL_NOTIFICATION._fields_)["lpszMessageClass"] is mapi.WSTR
    prop = mapi.SPropValue()
    prop.Value.lpszW = pointer = mapi.WSTR.of(text)
    assert ctypes.string_at(prop.Value.lpszW.value, 20) == (text + "\0").encode("utf-16-le")
    assert prop.Value.lpszW.text == text == pointer.text and mapi.WSTR().text == ""
    package = ROOT / "generated" / "python" / "mapi_bindings"
    wide = sorted(path.name for path in package.glob("*.py") if "ctypes.c_wchar_p" in path.read_text(encoding="utf-8"))
    assert wide == ["runtime.py"]  # its Windows-only calls of kernel32 and msi, where wchar_t is 16 bits


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


def _names(rows: list[dict[int, Any]]) -> list[str]:
    return [row[mapi.PR_DISPLAY_NAME_W] for row in rows]


def test_every_common_restriction_kind_filters_the_table(library: tuple[str, ctypes.CDLL]) -> None:
    _, lib = library
    mapi.MAPIInitialize(None)
    default = mapi.PropertyRestriction(mapi.RELOP_EQ, mapi.PR_DEFAULT_STORE, True)
    cases: list[tuple[Any, list[str]]] = [
        (mapi.AndRestriction(default, mapi.ExistRestriction(mapi.PR_DISPLAY_NAME_W)), ["Mailbox - Test User"]),
        (mapi.AndRestriction(default, mapi.NotRestriction(mapi.ExistRestriction(mapi.PR_DISPLAY_NAME_W))), []),
        (mapi.OrRestriction(mapi.ContentRestriction(mapi.FL_SUBSTRING, mapi.PR_DISPLAY_NAME_W, "Folders"), default), ["Public Folders", "Mailbox - Test User"]),
        (mapi.NotRestriction(default), ["Public Folders"]),
        (mapi.ContentRestriction(mapi.FL_PREFIX, mapi.PR_DISPLAY_NAME_W, "Mail"), ["Mailbox - Test User"]),
        (mapi.ContentRestriction(mapi.FL_FULLSTRING, mapi.PR_DISPLAY_NAME_W, "Mail"), []),
        ((mapi.RES_NOT, (default,)), ["Public Folders"]),  # a tuple (RES_…, (arguments…)) reads as its class
        ((mapi.RES_AND, [(mapi.RES_EXIST, (mapi.PR_DISPLAY_NAME_W,)), default]), ["Mailbox - Test User"]),
    ]
    with mapi.MAPILogonEx(0, None, None, mapi.MAPI_UNICODE) as session, session.GetMsgStoresTable(0) as table:
        for restriction, expected in cases:
            assert _names(mapi.HrQueryAllRows(table, [mapi.PR_DISPLAY_NAME_W], restriction, None, 0)) == expected, restriction
    mapi.MAPIUninitialize()
    counts = _counts(lib)
    assert counts["buffers_handed_out"] == counts["buffers_freed"] and counts["bad_free_count"] == 0


def test_restrictions_written_in_python_have_the_c_layout() -> None:
    from mapi_bindings import values

    buffers = values.Buffers()
    inner = mapi.BitMaskRestriction(mapi.BMR_NEZ, mapi.PR_DEFAULT_STORE, 0x10)
    compare = mapi.ComparePropsRestriction(mapi.RELOP_GE, mapi.PR_ENTRYID, mapi.PR_IPM_SUBTREE_ENTRYID)
    top = mapi.OrRestriction(mapi.SubRestriction(mapi.PR_MESSAGE_RECIPIENTS, inner), compare, mapi.SizeRestriction(mapi.RELOP_LT, mapi.PR_ENTRYID, 64))
    c = top.to_c(buffers)
    assert (c.rt, c.res.resOr.cRes) == (mapi.RES_OR, 3)
    sub, cmp, size = (c.res.resOr.lpRes[i] for i in range(3))
    assert (sub.rt, sub.res.resSub.ulSubObject) == (mapi.RES_SUBRESTRICTION, mapi.PR_MESSAGE_RECIPIENTS)
    bitmask = sub.res.resSub.lpRes[0].res.resBitMask
    assert (sub.res.resSub.lpRes[0].rt, bitmask.relBMR, bitmask.ulPropTag, bitmask.ulMask) == (mapi.RES_BITMASK, mapi.BMR_NEZ, mapi.PR_DEFAULT_STORE, 0x10)
    assert (cmp.rt, cmp.res.resCompareProps.ulPropTag2) == (mapi.RES_COMPAREPROPS, mapi.PR_IPM_SUBTREE_ENTRYID)
    assert (size.rt, size.res.resSize.relop, size.res.resSize.cb) == (mapi.RES_SIZE, mapi.RELOP_LT, 64)
    comment = mapi.CommentRestriction(inner, {mapi.PR_DISPLAY_NAME_W: "why"}).to_c(buffers)
    assert comment.res.resComment.cValues == 1 and comment.res.resComment.lpRes[0].rt == mapi.RES_BITMASK
    assert values.read_value(comment.res.resComment.lpProp[0]) == "why"
    with pytest.raises(TypeError, match="takes 3 argument"):
        mapi.PropertyRestriction(mapi.RELOP_EQ, mapi.PR_ENTRYID)


def test_sort_orders_written_in_python(library: tuple[str, ctypes.CDLL]) -> None:
    _, lib = library
    mapi.MAPIInitialize(None)
    with mapi.MAPILogonEx(0, None, None, mapi.MAPI_UNICODE) as session, session.GetMsgStoresTable(0) as table:
        columns = [mapi.PR_DISPLAY_NAME_W]
        ascending = [(mapi.PR_DISPLAY_NAME_W, mapi.TABLE_SORT_ASCEND)]
        assert _names(mapi.HrQueryAllRows(table, columns, None, ascending, 0)) == ["Mailbox - Test User", "Public Folders"]
        descending = mapi.SortOrderSet([(mapi.PR_DISPLAY_NAME_W, mapi.TABLE_SORT_DESCEND)])
        assert _names(mapi.HrQueryAllRows(table, columns, None, descending, 0)) == ["Public Folders", "Mailbox - Test User"]
        table.SortTable(ascending, 0)
        assert _names(mapi.HrQueryAllRows(table, columns, None, None, 0)) == ["Mailbox - Test User", "Public Folders"]
    mapi.MAPIUninitialize()
    c = mapi.SortOrderSet([(mapi.PR_DISPLAY_NAME_W, 1), (mapi.PR_ENTRYID, 0)], 1, 1).to_c()
    assert (c.cSorts, c.cCategories, c.cExpanded, c.aSort[1].ulPropTag) == (2, 1, 1, mapi.PR_ENTRYID)
    assert _counts(lib)["buffers_handed_out"] == _counts(lib)["buffers_freed"]


def test_resolve_name_takes_and_gives_an_adrlist_as_rows(library: tuple[str, ctypes.CDLL]) -> None:
    _, lib = library
    mapi.MAPIInitialize(None)
    with mapi.MAPILogonEx(0, None, None, mapi.MAPI_UNICODE) as session, session.OpenAddressBook(0, None, 0) as book:
        entries = [{mapi.PR_DISPLAY_NAME_W: "Ann"}, [(mapi.PR_DISPLAY_NAME_W, "Bob")]]
        resolved = book.ResolveName(0, mapi.MAPI_UNICODE, None, entries)
        assert resolved == [
            {mapi.PR_DISPLAY_NAME_W: "Ann", mapi.PR_ENTRYID: b"ab:Ann", mapi.PR_EMAIL_ADDRESS_W: "Ann@example.com"},
            {mapi.PR_DISPLAY_NAME_W: "Bob", mapi.PR_ENTRYID: b"ab:Bob", mapi.PR_EMAIL_ADDRESS_W: "Bob@example.com"},
        ]
        with pytest.raises(mapi.MAPIError, match="MAPI_E_NOT_FOUND"):
            book.ResolveName(0, mapi.MAPI_UNICODE, None, [{mapi.PR_DISPLAY_NAME_W: "Ann"}, {mapi.PR_DISPLAY_NAME_W: "nobody"}])
    mapi.MAPIUninitialize()
    counts = _counts(lib)
    # each call: the list and its entries' arrays (3); the first call's provider replaced two arrays (2)
    assert counts["buffers_handed_out"] == 8 == counts["buffers_freed"]
    assert counts["bad_free_count"] == 0 and counts["live_objects"] == 0


class _Recorder(mapi.AdviseSink):
    def __init__(self) -> None:
        super().__init__()
        self.received: list[list[mapi.Notification]] = []

    def notify(self, notifications: list[mapi.Notification]) -> None:
        self.received.append(notifications)


def test_a_python_advise_sink_receives_notifications_as_python_objects(library: tuple[str, ctypes.CDLL]) -> None:
    _, lib = library
    from mapi_bindings import com

    before = set(com._LIVE)  # objects other tests exposed
    mapi.MAPIInitialize(None)
    sink = _Recorder()
    calls: list[list[mapi.Notification]] = []
    with mapi.MAPILogonEx(0, None, None, mapi.MAPI_UNICODE) as session, session.GetMsgStoresTable(0) as table:
        connection = session.Advise(None, mapi.fnevNewMail | mapi.fnevObjectCreated, sink)
        table_connection = table.Advise(mapi.fnevTableModified, mapi.AdviseSink(calls.append))
        assert lib.advised_sinks() == 2
        assert lib.fire_notifications() == 2
        session.Unadvise(connection)
        table.Unadvise(table_connection)
        assert lib.fire_notifications() == 0
    mapi.MAPIUninitialize()
    assert len(sink.received) == 1 and calls == sink.received
    newmail, created, row = sink.received[0]
    assert (newmail.ulEventType, newmail.kind) == (mapi.fnevNewMail, "newmail")
    assert (newmail.EntryID, newmail.ParentID, newmail.lpszMessageClass, newmail.ulMessageFlags) == (b"msg-1", b"inbox", "IPM.Note", 1)
    assert (created.kind, created.EntryID, created.ulObjType, created.OldID) == ("obj", b"fld-2", mapi.MAPI_FOLDER, b"")
    assert created.lpPropTagArray == [mapi.PR_DISPLAY_NAME_W, mapi.PR_ENTRYID]
    assert (row.kind, row.ulTableEvent, row.hResult) == ("tab", mapi.TABLE_ROW_ADDED, 0)
    assert row.propIndex == (mapi.PR_INSTANCE_KEY, b"row-3") and row.propPrior is None
    assert row.row == {mapi.PR_DISPLAY_NAME_W: "Archive", mapi.PR_ENTRYID: b"store-archive"}
    assert not hasattr(row, "ulPad")
    counts = _counts(lib)
    # the notification blocks (two firings) are the library's: freed by it, once; nothing else leaks
    assert counts["buffers_handed_out"] == 2 == counts["buffers_freed"] and counts["bad_free_count"] == 0
    assert lib.advised_sinks() == 0 and set(com._LIVE) == before  # Unadvise released each sink: no exposed object is left


def test_other_methods_take_python_values_as_the_model_says(library: tuple[str, ctypes.CDLL]) -> None:
    _, lib = library
    from mapi_bindings import values

    assert values.ARGUMENT_KINDS["IMAPISession"]["CompareEntryIDs"] == ("cb", "bytes", "cb", "bytes", "")
    assert values.ARGUMENT_KINDS["IMAPITable"]["SetColumns"] == ("tags", "")
    mapi.MAPIInitialize(None)
    with mapi.MAPILogonEx(0, None, None, mapi.MAPI_UNICODE) as session, session.GetMsgStoresTable(0) as table:
        assert session.CompareEntryIDs(b"store-a", b"store-a", 0) == 1  # each (cb, lp) pair is one bytes argument
        assert session.CompareEntryIDs(b"store-a", b"store-b", 0) == 0
        with pytest.raises(TypeError, match="takes 3 argument"):
            session.CompareEntryIDs(7, b"store-a", 7, b"store-a", 0)
        table.SetColumns([mapi.PR_ENTRYID, mapi.PR_DISPLAY_NAME_W, mapi.PR_DEFAULT_STORE], 0)
        assert lib.last_column_count() == 3
        kind, message = session.OpenEntry(b"message", None, 0)  # an interface it returns is an Object
        assert kind == mapi.MAPI_MESSAGE and isinstance(message, mapi.Object)
        with message:
            message.SetProps({mapi.PR_SUBJECT_W: "hello"})
            assert message.GetProps([mapi.PR_SUBJECT_W], 0) == {mapi.PR_SUBJECT_W: "hello"}
        assert session.raw.CompareEntryIDs(1, b"a", 1, b"a", 0) == 1  # the raw client stays underneath
    mapi.MAPIUninitialize()
    counts = _counts(lib)
    assert counts["buffers_handed_out"] == counts["buffers_freed"] == 1 and counts["live_objects"] == 0
