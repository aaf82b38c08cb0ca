"""Python back end, value part: the view of ``values.py``, the Python values of MAPI data.

The table that converts a property value by its ``PT_`` type is derived from
the model: a row for each property type (``PT_*`` constant) whose member of
the ``SPropValue`` union (``_PV``, named by ``PV_MEMBERS`` as MAPIDefS.h
documents it) the headers declare, with the kind of Python value it becomes.
A multi-valued type (``PT_MV_*``) is its single type's kind in a list.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Model

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
