"""Python back end, data part: the view models of ``structures.py``, ``constants.py``, ``tags.py`` and ``guids.py``.

Every structure and union becomes a ``ctypes.Structure`` or ``ctypes.Union``
named as in C, in two phases as comtypes does: all classes first, then their
``_fields_`` in dependency order, so that pointers between them (an
``SRestriction`` holds pointers to ``SRestriction``) need no forward names.
Member types are those of Windows x64: integers by their Windows width,
pointers as pointers (``ULONG_PTR`` is ``c_size_t``), ``FILETIME`` and the
8-byte unions (``CY``, ``LARGE_INTEGER``) aligned to 8.  A structure whose
member has a type no source declares by value is left out, with a
``struct-unknown-type`` note in the report (``unresolved``).
"""

from __future__ import annotations

import builtins
import keyword
from dataclasses import dataclass

from generator.backends.render import py_string
from generator.ctypes_facts import (
    INTEGER_CTYPES,
    WINDOWS_POINTER_CTYPES,
    WINDOWS_VALUE_CTYPES,
    TypeResolver,
)
from generator.model import Aggregate, CType, Model


@dataclass(frozen=True, slots=True)
class FieldView:
    """One ``(name, type)`` entry of ``_fields_``."""

    name_literal: str
    ctype: str


@dataclass(frozen=True, slots=True)
class StructureView:
    """One structure or union as the template needs it."""

    name: str
    base: str
    doc: str
    fields: tuple[FieldView, ...]
    pointers: tuple[str, ...]
    aliases: tuple[str, ...]
    variable: bool
    last_name_literal: str
    last_element: str
    pack: int


@dataclass(frozen=True, slots=True)
class ValueView:
    """``NAME = value``."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class GuidView:
    """``NAME = GUID.from_fields(...)``."""

    name: str
    fields: str


@dataclass(frozen=True, slots=True)
class DataViews:
    """Everything the data modules and ``__init__`` need."""

    structures: tuple[StructureView, ...]
    constants: tuple[ValueView, ...]
    tags: tuple[ValueView, ...]
    guids: tuple[GuidView, ...]
    skipped: tuple[tuple[str, str], ...]

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
            return "ctypes.c_wchar_p"
        target = INTEGER_CTYPES.get(base) or WINDOWS_VALUE_CTYPES.get(base) or self.classes.get(base)
        return f"ctypes.POINTER({target})" if target else "ctypes.c_void_p"


def data_views(model: Model, taken: set[str]) -> DataViews:
    """The data modules' views; ``taken`` holds the names the other modules bind (not rebound here)."""
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
        if unknown or not _usable(aggregate.name, taken):
            member = unknown[0] if unknown else None
            why = f"member {member.name} has type {member.type}, which no source declares" if member else "name taken"
            skipped.append((aggregate.name, why))
            dropped.add(aggregate.name)
            continue
        kept.append(aggregate)
    types.classes = {key: name for key, name in classes.items() if name not in dropped}
    structures = tuple(_structure(a, types) for a in kept)
    names = taken | {n for s in structures for n in (s.name, *s.aliases, *s.pointers)}
    constants: list[ValueView] = []
    tags: list[ValueView] = []
    for constant in model.constants:
        if constant.name.startswith("_") or not _usable(constant.name, names):
            continue
        view = ValueView(constant.name, f"-{-constant.value}" if constant.value < 0 else f"0x{constant.value:08X}")
        (tags if constant.name.startswith("PR_") else constants).append(view)
    guids = []
    for guid in model.guids:
        if _usable(guid.symbol, names):
            d1, d2, d3, d4 = guid.guid.fields
            guids.append(GuidView(guid.symbol, f"0x{d1:08X}, 0x{d2:04X}, 0x{d3:04X}, ({', '.join(f'0x{b:02X}' for b in d4)})"))
    return DataViews(structures, tuple(constants), tuple(tags), tuple(guids), tuple(skipped))


def _usable(name: str, taken: set[str]) -> bool:
    """A C name the data modules can bind as it is: no keyword or builtin, not bound elsewhere."""
    return name.isidentifier() and not keyword.iskeyword(name) and not hasattr(builtins, name) and name not in taken


def _structure(aggregate: Aggregate, types: _Types) -> StructureView:
    fields = []
    for member in aggregate.members:
        ctype = types.value(member.type) or "ctypes.c_void_p"
        for dim in reversed(member.dims):
            ctype = f"{ctype} * {dim}"
        fields.append(FieldView(py_string(member.name), ctype))
    last = aggregate.members[-1] if aggregate.variable else None
    where = aggregate.loc.file.rpartition("/")[2]
    doc = f"{aggregate.kind} {aggregate.tag} ({where})."
    if aggregate.variable:
        doc += f" Variable length: ``{aggregate.name}.sized(n)`` is the type with n entries in {last.name if last else ''}."
    return StructureView(
        name=aggregate.name,
        base="ctypes.Union" if aggregate.kind == "union" else "ctypes.Structure",
        doc=py_string(doc, docstring=True),
        fields=tuple(fields),
        pointers=aggregate.pointers,
        aliases=aggregate.aliases,
        variable=aggregate.variable,
        last_name_literal=py_string(last.name) if last else "",
        last_element=(types.value(last.type) or "ctypes.c_void_p") if last else "",
        pack=aggregate.pack,
    )
