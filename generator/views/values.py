"""The views of the Python values of MAPI data: what ``values.py`` converts and the site's value table shows.

The table that converts a property value by its ``PT_`` type is derived from
the model: a row for each property type (``PT_*`` constant) whose member of
the ``SPropValue`` union (``_PV``, named by ``PV_MEMBERS`` as MAPIDefS.h
documents it) the headers declare, with the kind of Python value it becomes.
A multi-valued type (``PT_MV_*``) is its single type's kind in a list.

Restrictions and notifications are derived the same way: a restriction class
for each ``RES_*`` constant whose member of ``SRestriction``'s union the
headers declare (``RESTRICTION_MEMBERS`` names the member, the class and what
each of the member structure's fields takes), and a notification kind for
each ``fnev*`` event whose member of ``NOTIFICATION``'s union they declare.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.ctypes_facts import INTEGER_CTYPES, TypeResolver
from generator.model import CType, Direction, Model, Param
from generator.views.interfaces import InterfaceView

# PT_ type -> (member of union _PV, kind of Python value), as MAPIDefS.h pairs them.
PV_MEMBERS = {
    "PT_I2": ("i", "int"),
    "PT_LONG": ("l", "int"),
    "PT_R4": ("flt", "float"),
    "PT_DOUBLE": ("dbl", "float"),
    "PT_CURRENCY": ("cur", "currency"),
    "PT_APPTIME": ("at", "float"),
    "PT_ERROR": ("err", "error"),
    "PT_BOOLEAN": ("b", "bool"),
    "PT_I8": ("li", "int"),
    "PT_STRING8": ("lpszA", "string8"),
    "PT_UNICODE": ("lpszW", "unicode"),
    "PT_SYSTIME": ("ft", "systime"),
    "PT_CLSID": ("lpguid", "clsid"),
    "PT_BINARY": ("bin", "binary"),
    "PT_MV_I2": ("MVi", "int"),
    "PT_MV_LONG": ("MVl", "int"),
    "PT_MV_R4": ("MVflt", "float"),
    "PT_MV_DOUBLE": ("MVdbl", "float"),
    "PT_MV_CURRENCY": ("MVcur", "currency"),
    "PT_MV_APPTIME": ("MVat", "float"),
    "PT_MV_I8": ("MVli", "int"),
    "PT_MV_STRING8": ("MVszA", "string8"),
    "PT_MV_UNICODE": ("MVszW", "unicode"),
    "PT_MV_SYSTIME": ("MVft", "systime"),
    "PT_MV_CLSID": ("MVguid", "clsid"),
    "PT_MV_BINARY": ("MVbin", "binary"),
}


# RES_ constant -> (member of SRestriction's union, Python class, what each C field takes):
# an argument's name, "#len:<argument>" (that argument's length), "#zero".
RESTRICTION_MEMBERS = {
    "RES_AND": ("resAnd", "AndRestriction", ("#len:restrictions", "restrictions")),
    "RES_OR": ("resOr", "OrRestriction", ("#len:restrictions", "restrictions")),
    "RES_NOT": ("resNot", "NotRestriction", ("#zero", "restriction")),
    "RES_CONTENT": ("resContent", "ContentRestriction", ("fuzzy_level", "tag", "value")),
    "RES_PROPERTY": ("resProperty", "PropertyRestriction", ("relop", "tag", "value")),
    "RES_COMPAREPROPS": ("resCompareProps", "ComparePropsRestriction", ("relop", "tag1", "tag2")),
    "RES_BITMASK": ("resBitMask", "BitMaskRestriction", ("rel", "tag", "mask")),
    "RES_SIZE": ("resSize", "SizeRestriction", ("relop", "tag", "size")),
    "RES_EXIST": ("resExist", "ExistRestriction", ("#zero", "tag", "#zero")),
    "RES_SUBRESTRICTION": ("resSub", "SubRestriction", ("subobject", "restriction")),
    "RES_COMMENT": ("resComment", "CommentRestriction", ("#len:props", "restriction", "props")),
    "RES_COUNT": ("resCount", "CountRestriction", ("count", "restriction")),
}

# fnev* event -> member of NOTIFICATION's union ``info``, as MAPIDefS.h pairs them.
NOTIFICATION_MEMBERS = {
    "fnevCriticalError": "err",
    "fnevNewMail": "newmail",
    "fnevObjectCreated": "obj",
    "fnevObjectDeleted": "obj",
    "fnevObjectModified": "obj",
    "fnevObjectMoved": "obj",
    "fnevObjectCopied": "obj",
    "fnevSearchComplete": "obj",
    "fnevTableModified": "tab",
    "fnevStatusObjectModified": "statobj",
    "fnevExtended": "ext",
}


@dataclass(frozen=True, slots=True)
class RestrictionView:
    """One restriction class: ``class_name(*args)`` fills ``member`` of an ``SRestriction`` of type ``value``."""

    constant: str
    value: int
    member: str
    class_name: str
    fields: tuple[str, ...]

    @property
    def args(self) -> tuple[str, ...]:
        """The constructor's arguments, in the C fields' order."""
        return tuple(f for f in self.fields if not f.startswith("#"))


@dataclass(frozen=True, slots=True)
class NotificationView:
    """One event type and the member of ``NOTIFICATION.info`` its notification fills."""

    event: str
    value: int
    member: str


@dataclass(frozen=True, slots=True)
class PropTypeView:
    """One row of the conversion table."""

    name: str
    value: str
    member: str
    kind: str
    multi: bool


def value_views(model: Model) -> tuple[PropTypeView, ...]:
    """The rows of the conversion table the model supports (its ``PT_`` constants and ``_PV`` members)."""
    union = next((a for a in model.aggregates if a.name == "_PV"), None)
    members = {m.name for m in union.members} if union is not None else set()
    types = {c.name: c.value for c in model.property_types}
    return tuple(
        PropTypeView(name, f"0x{types[name]:04X}", member, kind, name.startswith("PT_MV_"))
        for name, (member, kind) in PV_MEMBERS.items()
        if name in types and member in members
    )


def _union_members(model: Model, name: str) -> dict[str, int]:
    """The members of the union ``name`` (the number of fields of each member's structure, 0 when none)."""
    union = next((a for a in model.aggregates if a.name == name), None)
    if union is None:
        return {}
    sizes = {a.name: len(a.members) for a in model.aggregates}
    return {m.name: sizes.get(m.type.name, 0) for m in union.members}


def restriction_views(model: Model) -> tuple[RestrictionView, ...]:
    """The restriction classes the model supports: a ``RES_*`` constant, and its union member with as many fields as the table says."""
    members = _union_members(model, "SRestriction_res")
    constants = {c.name: c.value for c in model.constants}
    return tuple(
        RestrictionView(name, constants[name], member, class_name, fields)
        for name, (member, class_name, fields) in RESTRICTION_MEMBERS.items()
        if name in constants and members.get(member) == len(fields)
    )


def notification_views(model: Model) -> tuple[NotificationView, ...]:
    """The events whose notification the model's ``NOTIFICATION`` union holds, by value."""
    members = _union_members(model, "NOTIFICATION_info")
    constants = {c.name: c.value for c in model.constants}
    views = [
        NotificationView(event, constants[event], member)
        for event, member in NOTIFICATION_MEMBERS.items()
        if event in constants and member in members
    ]
    return tuple(sorted(views, key=lambda v: v.value))


# What values.py defines besides the restriction classes (the package exports them all).
VALUE_NAMES = (
    "AddrBook",
    "AdviseSink",
    "HrQueryAllRows",
    "MAPIInitialize",
    "MAPILogonEx",
    "MAPIUninitialize",
    "Notification",
    "Object",
    "PropError",
    "Restriction",
    "Session",
    "SortOrderSet",
    "Store",
    "Table",
)


# What values.py calls: these functions, interfaces and structures must be in the model.
_VALUES_NEEDS = ("HrQueryAllRows", "MAPIInitialize", "MAPILogonEx", "MAPIUninitialize", "MAPIFreeBuffer", "FreeProws", "MAPIAllocateBuffer", "FreePadrlist")
_VALUES_INTERFACES = ("IMAPIProp", "IMAPISession", "IMAPITable", "IMsgStore", "IAddrBook", "IMAPIAdviseSink")
_VALUES_STRUCTURES = ("SPropValue", "SRowSet", "SPropTagArray", "FILETIME", "_PV", "ADRLIST", "NOTIFICATION", "SRestriction", "SSortOrderSet")


def _has_values(model: Model, functions: Iterable[str]) -> bool:
    """values.py is written when the model has what it calls."""
    bound = set(functions)
    interfaces = {i.name for i in model.interfaces}
    structures = {a.name for a in model.aggregates}
    return (
        all(n in bound for n in _VALUES_NEEDS)
        and all(n in interfaces for n in _VALUES_INTERFACES)
        and all(n in structures for n in _VALUES_STRUCTURES)
    )


@dataclass(frozen=True, slots=True)
class ValueViews:
    """Everything ``values.py`` and the site's value table need; ``names``: what values.py binds (none without it)."""

    props: tuple[PropTypeView, ...]
    restrictions: tuple[RestrictionView, ...]
    notifications: tuple[NotificationView, ...]
    calls: tuple[ValueCallView, ...]
    names: tuple[str, ...]


def value_views_of(model: Model, interfaces: Iterable[InterfaceView], functions: Iterable[str]) -> ValueViews:
    """The value views of ``model``; ``functions``: the names ``functions.py`` binds."""
    restrictions = restriction_views(model)
    names = sorted([*VALUE_NAMES, *(r.class_name for r in restrictions)]) if _has_values(model, functions) else []
    return ValueViews(value_views(model), restrictions, notification_views(model), value_call_views(model, interfaces), tuple(names))


# What a pointer argument of these structures takes in Python (a Python value, converted).
_POINTEE_KINDS = {"SPropTagArray": "tags", "SRestriction": "restriction", "SSortOrderSet": "sort"}
_BYTE_POINTEES = frozenset({"ENTRYID", "BYTE", "VOID", "void", "MAPIUID", "FLATENTRY"})


@dataclass(frozen=True, slots=True)
class ValueCallView:
    """How ``Object`` calls one raw method with Python values: the kind of each argument the raw client takes.

    ``""`` passes the argument as it is; ``"cb"`` is a byte count the next
    argument's ``bytes`` give (the pair is one ``bytes`` argument); ``"bytes"``
    that buffer; ``"tags"``, ``"restriction"``, ``"sort"`` a tag sequence, a
    restriction or a sort order written in Python.
    """

    interface: str
    method: str
    kinds: tuple[str, ...]


def value_call_views(model: Model, interfaces: Iterable[InterfaceView]) -> tuple[ValueCallView, ...]:
    """The methods whose raw arguments include a ``(cb…, lp…)`` pair, a tag array, a restriction or a sort order.

    A pair is an integer parameter ``cb<Name>`` followed by a pointer
    parameter ``lp<Name>`` (or ``lpb<Name>``, ``pb<Name>``) to bytes or an
    ``ENTRYID``, both passed in: the headers' convention for a byte count and
    its buffer, which the pages describe as "the byte count in …".
    """
    types = TypeResolver.of(model)
    found = []
    for view in interfaces:
        own = {m.name: m for m in model.interface(view.name).methods}
        for method in view.methods:
            params = {p.name: p for p in own[method.name].params}
            ins = [params[p.c_name] for p in method.ins]
            kinds = [_pointee_kind(types, p.type) for p in ins]
            for index in range(len(ins) - 1):
                if _is_pair(types, ins[index], ins[index + 1]):
                    kinds[index], kinds[index + 1] = "cb", "bytes"
            if any(kinds):
                found.append(ValueCallView(view.name, method.name, tuple(kinds)))
    return tuple(found)


def _base(types: TypeResolver, ctype: CType) -> tuple[str, int]:
    """A type's base after typedefs, without ``struct``/``union``/``const`` (``LPENTRYID``: ``ENTRYID``), and its pointers."""
    resolved = types.resolve(ctype)
    words = [w for w in resolved.base.split() if w not in ("struct", "union", "const")]
    return " ".join(words), resolved.pointers


def _pointee_kind(types: TypeResolver, ctype: CType) -> str:
    base, pointers = _base(types, ctype)
    return _POINTEE_KINDS.get(base.lstrip("_"), "") if pointers == 1 else ""


def _is_pair(types: TypeResolver, count: Param, buffer: Param) -> bool:
    if not count.name.startswith("cb") or count.direction is not Direction.IN or buffer.direction is not Direction.IN:
        return False
    stem = count.name[2:]
    if not stem or buffer.name not in (f"lp{stem}", f"lpb{stem}", f"pb{stem}"):
        return False
    counted, pointed = _base(types, count.type), _base(types, buffer.type)
    return counted[1] == 0 and counted[0] in INTEGER_CTYPES and pointed[1] == 1 and pointed[0].lstrip("_") in _BYTE_POINTEES
