"""Python back end, data part: ``structures.py``, ``constants.py``, ``tags.py`` and ``guids.py`` formatted
from the data views (``generator.views.data``).

Every structure and union becomes a ``ctypes.Structure`` or ``ctypes.Union``
named as in C, in two phases as comtypes does: all classes first, then their
``_fields_`` in dependency order, so that pointers between them (an
``SRestriction`` holds pointers to ``SRestriction``) need no forward names.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.backends.prose import plain_text
from generator.backends.render import py_string
from generator.views.data import DataViews, StructureView


@dataclass(frozen=True, slots=True)
class FieldCode:
    """One ``(name, type)`` entry of ``_fields_``."""

    name_literal: str
    ctype: str


@dataclass(frozen=True, slots=True)
class StructureCode:
    """One structure or union as the template needs it."""

    name: str
    base: str
    doc: str
    fields: tuple[FieldCode, ...]
    pointers: tuple[str, ...]
    aliases: tuple[str, ...]
    variable: bool
    last_name_literal: str
    last_element: str
    pack: int


@dataclass(frozen=True, slots=True)
class ValueCode:
    """``NAME = value``."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class GuidCode:
    """``NAME = GUID.from_fields(...)``."""

    name: str
    fields: str


@dataclass(frozen=True, slots=True)
class DataCode:
    """Everything the data modules and ``__init__`` need."""

    structures: tuple[StructureCode, ...]
    constants: tuple[ValueCode, ...]
    tags: tuple[ValueCode, ...]
    guids: tuple[GuidCode, ...]
    structure_names: list[str]


def data_code(views: DataViews) -> DataCode:
    """The data modules' code, formatted from ``views``."""
    guids = []
    for guid in views.guids:
        d1, d2, d3, d4 = guid.fields
        guids.append(GuidCode(guid.name, f"0x{d1:08X}, 0x{d2:04X}, 0x{d3:04X}, ({', '.join(f'0x{b:02X}' for b in d4)})"))
    return DataCode(
        structures=tuple(_structure(s, views.languages) for s in views.structures),
        constants=tuple(ValueCode(c.name, c.hex) for c in views.constants),
        tags=tuple(ValueCode(c.name, c.hex) for c in views.tags),
        guids=tuple(guids),
        structure_names=views.structure_names,
    )


def _structure(view: StructureView, languages: tuple[str, ...]) -> StructureCode:
    fields = []
    for member in view.members:
        ctype = member.element
        for dim in reversed(member.dims):
            ctype = f"{ctype} * {dim}"
        fields.append(FieldCode(py_string(member.name), ctype))
    last = view.members[-1] if view.variable else None
    doc = f"{view.kind} {view.tag} ({view.file})."
    if view.variable:
        doc += f" Variable length: ``{view.name}.sized(n)`` is the type with n entries in {last.name if last else ''}."
    for lang in languages:
        summary = view.summary.get(lang)
        members = [(m.name, m.doc.get(lang)) for m in view.members]
        described = [f"{name}: {plain_text(text)}" for name, text in members if text]
        if not summary and not described:
            continue
        title = f"[{lang}]\n" if len(languages) > 1 else ""
        doc += "\n\n" + title + "\n\n".join(part for part in (plain_text(summary or ()), "\n".join(described)) if part)
    if "\n" in doc:
        doc += "\n"
    literal = "\n".join(line if not line or i == 0 else "    " + line for i, line in enumerate(py_string(doc, docstring=True).split("\n")))
    return StructureCode(
        name=view.name,
        base="ctypes.Union" if view.kind == "union" else "ctypes.Structure",
        doc=literal,
        fields=tuple(fields),
        pointers=view.pointers,
        aliases=view.aliases,
        variable=view.variable,
        last_name_literal=py_string(last.name) if last else "",
        last_element=last.element if last else "",
        pack=view.pack,
    )
