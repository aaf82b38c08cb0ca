"""Views of the data types: structures and unions with their ctypes types and Win32/Win64 layouts,
constants, property types and tags with their values, and the property-set GUIDs.

Every structure and union maps to ctypes as on Windows: integers by their
Windows width, pointers as pointers (``ULONG_PTR`` is ``c_size_t``), the
8-byte unions (``CY``, ``LARGE_INTEGER``) as 64-bit integers.  A structure
whose member has a type no source declares by value is left out
(``skipped``, with the reason), and so is one whose name another module
binds (``taken``).
"""

from __future__ import annotations

import builtins
import enum
import keyword
from dataclasses import dataclass

from generator.ctypes_facts import (
    INTEGER_CTYPES,
    WINDOWS_POINTER_CTYPES,
    WINDOWS_VALUE_CTYPES,
    TypeResolver,
)
from generator.model import Aggregate, Constant, CType, Localized, Model, RichText
from generator.views.layout import Layout, Placement, lay_out, scalar

PLATFORMS = (("win32", 4), ("win64", 8))
"""The platforms a layout is computed for, with their pointer size."""


class ConstantKind(enum.Enum):
    """What a constant of the headers is."""

    VALUE = "value"  # a flag or a value
    PROPERTY_TYPE = "property-type"  # PT_*
    PROPERTY_TAG = "property-tag"  # PR_*


@dataclass(frozen=True, slots=True)
class MemberView:
    """A member: its C type, its ctypes type (``element``, arrays as ``dims``), where it lies."""

    name: str
    c_type: str
    dims: tuple[int, ...]
    dims_text: tuple[str, ...]
    element: str
    win32: Placement
    win64: Placement
    doc: Localized[RichText]


@dataclass(frozen=True, slots=True)
class StructureView:
    """A structure or union the bindings define."""

    name: str
    kind: str
    tag: str
    header: str
    file: str
    line: int
    members: tuple[MemberView, ...]
    aliases: tuple[str, ...]
    pointers: tuple[str, ...]
    nested: bool
    variable: bool
    pack: int
    win32: Layout
    win64: Layout
    summary: Localized[RichText]
    remarks: Localized[RichText]
    page: str | None


@dataclass(frozen=True, slots=True)
class ConstantView:
    """A constant with its value; a property tag also with its id and the ``PT_`` type it names."""

    name: str
    value: int
    kind: ConstantKind
    header: str
    ctype: str
    property_id: int | None
    property_type: str

    @property
    def hex(self) -> str:
        """The value as the headers spell it (``0x3001001F``; a negative value in decimal)."""
        return f"-{-self.value}" if self.value < 0 else f"0x{self.value:08X}"


@dataclass(frozen=True, slots=True)
class GuidView:
    """A GUID that is not an interface's IID (``PS_MAPI``, ``PSETID_Address``)."""

    name: str
    value: str
    fields: tuple[int, int, int, tuple[int, ...]]
    header: str


@dataclass(frozen=True, slots=True)
class DataViews:
    """Every data type the bindings define, and the structures they leave out."""

    structures: tuple[StructureView, ...]
    constants: tuple[ConstantView, ...]
    tags: tuple[ConstantView, ...]
    guids: tuple[GuidView, ...]
    skipped: tuple[tuple[str, str], ...]
    languages: tuple[str, ...] = ()

    @property
    def structure_names(self) -> list[str]:
        """Every name ``structures.py`` exports."""
        return [n for s in self.structures for n in (s.name, *s.aliases, *s.pointers)]


class _Types:
    """Member types as ctypes expressions, for the aggregates the bindings define."""

    def __init__(self, model: Model, classes: dict[str, str]) -> None:
        self.resolver = TypeResolver.of(model)
        self.classes = classes  # "struct _SPropValue", "SPropValue" → class name

    def value(self, ctype: CType) -> str | None:
        resolved = self.resolver.resolve(ctype)
        if resolved.pointers:
            return self.pointer(resolved.base, resolved.pointers)
        base = resolved.base
        if base in WINDOWS_POINTER_CTYPES:
            return WINDOWS_POINTER_CTYPES[base]
        return INTEGER_CTYPES.get(base) or WINDOWS_VALUE_CTYPES.get(base) or self.classes.get(base)

    def pointer(self, base: str, levels: int) -> str:
        if levels > 1 or base in WINDOWS_POINTER_CTYPES or base == "void":
            return "ctypes.c_void_p"
        if base in ("char", "CHAR"):
            return "ctypes.c_char_p"
        if base in ("WCHAR", "wchar_t"):
            return "WSTR"
        target = INTEGER_CTYPES.get(base) or WINDOWS_VALUE_CTYPES.get(base) or self.classes.get(base)
        return f"ctypes.POINTER({target})" if target else "ctypes.c_void_p"


def data_views(model: Model, taken: set[str]) -> DataViews:
    """The data types' views; ``taken`` holds the names other modules bind (not rebound here)."""
    classes: dict[str, str] = {}
    for aggregate in model.aggregates:
        for name in (f"{aggregate.kind} {aggregate.tag}", aggregate.name, *aggregate.aliases):
            classes.setdefault(name, aggregate.name)
    types = _Types(model, classes)
    skipped: list[tuple[str, str]] = []
    kept: list[Aggregate] = []
    dropped: set[str] = set()
    for aggregate in model.aggregates:  # members first, so a structure holding a dropped one is dropped too
        unknown = [m for m in aggregate.members if (types.value(m.type) or "") in ("", *dropped)]
        if unknown or not usable(aggregate.name, taken):
            member = unknown[0] if unknown else None
            why = f"member {member.name} has type {member.type}, which no source declares" if member else "name taken"
            skipped.append((aggregate.name, why))
            dropped.add(aggregate.name)
            continue
        kept.append(aggregate)
    types.classes = {key: name for key, name in classes.items() if name not in dropped}
    layouts: dict[str, StructureView] = {}
    for aggregate in kept:
        layouts[aggregate.name] = _structure(aggregate, types, layouts)
    structures = tuple(layouts.values())
    names = taken | {n for s in structures for n in (s.name, *s.aliases, *s.pointers)}
    constants: list[ConstantView] = []
    tags: list[ConstantView] = []
    for constant in model.constants:
        if constant.name.startswith("_") or not usable(constant.name, names):
            continue
        view = _constant(constant)
        (tags if view.kind is ConstantKind.PROPERTY_TAG else constants).append(view)
    type_names = _property_type_names(constants)
    tags = [_with_type(tag, type_names) for tag in tags]
    guids = tuple(
        GuidView(g.symbol, g.guid.value, g.guid.fields, g.loc.file.rpartition("/")[2])
        for g in model.guids
        if usable(g.symbol, names)
    )
    return DataViews(structures, tuple(constants), tuple(tags), guids, tuple(skipped), model.languages)


def usable(name: str, taken: set[str]) -> bool:
    """A C name the data modules can bind as it is: no keyword or builtin, not bound elsewhere."""
    return name.isidentifier() and not keyword.iskeyword(name) and not hasattr(builtins, name) and name not in taken


def _structure(aggregate: Aggregate, types: _Types, done: dict[str, StructureView]) -> StructureView:
    elements = [types.value(m.type) or "ctypes.c_void_p" for m in aggregate.members]
    layouts = {}
    for platform, pointer_size in PLATFORMS:
        shapes = []
        for member, element in zip(aggregate.members, elements):
            count = 1
            for dim in member.dims:
                count *= dim
            found = scalar(element, pointer_size)
            if found is None:
                inner: Layout = getattr(done[element], platform)
                found = (inner.size, inner.align)
            shapes.append((*found, count))
        layouts[platform] = lay_out(aggregate.kind == "union", shapes, aggregate.pack)
    members = tuple(
        MemberView(
            name=m.name,
            c_type=str(m.type),
            dims=m.dims,
            dims_text=m.dims_text,
            element=element,
            win32=layouts["win32"].members[i],
            win64=layouts["win64"].members[i],
            doc=m.doc,
        )
        for i, (m, element) in enumerate(zip(aggregate.members, elements))
    )
    return StructureView(
        name=aggregate.name,
        kind=aggregate.kind,
        tag=aggregate.tag,
        header=aggregate.header or aggregate.loc.file.rpartition("/")[2],
        file=aggregate.loc.file.rpartition("/")[2],
        line=aggregate.loc.line,
        members=members,
        aliases=aggregate.aliases,
        pointers=aggregate.pointers,
        nested=aggregate.nested,
        variable=aggregate.variable,
        pack=aggregate.pack,
        win32=layouts["win32"],
        win64=layouts["win64"],
        summary=aggregate.summary,
        remarks=aggregate.remarks,
        page=aggregate.page,
    )


def _constant(constant: Constant) -> ConstantView:
    if constant.name.startswith("PR_"):
        kind = ConstantKind.PROPERTY_TAG
    elif constant.name.startswith("PT_"):
        kind = ConstantKind.PROPERTY_TYPE
    else:
        kind = ConstantKind.VALUE
    header = constant.header or constant.loc.file.rpartition("/")[2]
    prop_id = (constant.value >> 16) & 0xFFFF if kind is ConstantKind.PROPERTY_TAG else None
    return ConstantView(constant.name, constant.value, kind, header, constant.ctype, prop_id, "")


def _property_type_names(constants: list[ConstantView]) -> dict[int, str]:
    """The ``PT_`` name of each property type value; of aliases (PT_I4, PT_LONG), the first by name."""
    names: dict[int, str] = {}
    for constant in sorted(constants, key=lambda c: c.name):
        if constant.kind is ConstantKind.PROPERTY_TYPE and constant.name not in ("PT_TSTRING", "PT_MV_TSTRING"):
            names.setdefault(constant.value, constant.name)
    return names


def _with_type(tag: ConstantView, type_names: dict[int, str]) -> ConstantView:
    name = type_names.get(tag.value & 0xFFFF, f"0x{tag.value & 0xFFFF:04X}")
    return ConstantView(tag.name, tag.value, tag.kind, tag.header, tag.ctype, tag.property_id, name)
