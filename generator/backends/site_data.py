"""Doc-site back end, data part: pages for structures, constants, property tags and property sets.

Files inside a language tree (beside the interface pages)::

    structures.html                 every structure and union: kind, header, Win32 and Win64 size
    struct.<Name>.html, union.<Name>.html
                                    the structure page's description, members with C type, ctypes type,
                                    32- and 64-bit offsets and sizes and their text, the remarks
    constants.html                  the headers, with links to their tables, and the property sets
    constants.<Header>.html         a header's flags, values and PT_ types (an anchor per name)
    tags.<Header>.html              a header's PR_ tags: value, property id, type (an anchor per name)
    property-sets.html              the PS_ and PSETID_ GUIDs

One table page per header rather than one page per tag: the headers define
thousands of tags, and a page each would be thousands of files per language.
Facts come from the data views (``generator.views.data``); this module only
formats them, and the templates under ``templates/site`` loop over the result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from generator.backends.render import render
from generator.model import Localized, RichText
from generator.views.data import ConstantKind, ConstantView, DataViews, StructureView

_FILE_PART = re.compile(r"[^A-Za-z0-9_]")

STRUCTURES = "structures.html"
CONSTANTS = "constants.html"
PROPERTY_SETS = "property-sets.html"
DATA_IDS = frozenset({"members", "remarks", "values", "tags", "headers", "property-sets"})


@dataclass(frozen=True, slots=True)
class DataLabels:
    """The data pages' own words in one language."""

    data_types: str
    structures: str
    structures_intro: str
    structure: str
    kind: str
    header: str
    member: str
    members: str
    c_type: str
    ctypes_type: str
    offset32: str
    offset64: str
    size32: str
    size64: str
    aliases: str
    pointer_types: str
    packing: str
    variable: str
    constants: str
    constants_intro: str
    values_of: str
    tags_of: str
    tags: str
    name: str
    value: str
    property_id: str
    property_type: str
    property_sets: str
    property_sets_intro: str
    guid: str
    count: str
    flag_unknown: str
    description: str
    remarks: str


_ENGLISH = DataLabels(
    data_types="Data types",
    structures="Structures and unions",
    structures_intro="As the headers declare them, laid out for 32-bit (Win32) and 64-bit (Win64) Windows.",
    structure="Structure",
    kind="Kind",
    header="Header",
    member="Member",
    members="Members",
    c_type="C type",
    ctypes_type="ctypes type",
    offset32="Offset (32-bit)",
    offset64="Offset (64-bit)",
    size32="Size (32-bit)",
    size64="Size (64-bit)",
    aliases="Also named",
    pointer_types="Pointer types",
    packing="Packing",
    variable="Ends in a variable-length array: {name}.sized(n) is the type with n entries.",
    constants="Constants and property tags",
    constants_intro="Flags, values, property types (PT_) and property tags (PR_) the headers define, by header.",
    values_of="Constants of {header}",
    tags_of="Property tags of {header}",
    tags="Property tags",
    name="Name",
    value="Value",
    property_id="Property ID",
    property_type="Type",
    property_sets="Property sets",
    property_sets_intro="The GUIDs of the property sets (PS_, PSETID_) named properties belong to.",
    guid="GUID",
    count="Count",
    flag_unknown="no header defines it",
    description="Description",
    remarks="Remarks",
)

_SPANISH = DataLabels(
    data_types="Tipos de datos",
    structures="Estructuras y uniones",
    structures_intro="Tal como las declaran los encabezados, con su disposición en Windows de 32 bits (Win32) y 64 bits (Win64).",
    structure="Estructura",
    kind="Clase",
    header="Encabezado",
    member="Miembro",
    members="Miembros",
    c_type="Tipo C",
    ctypes_type="Tipo ctypes",
    offset32="Desplazamiento (32 bits)",
    offset64="Desplazamiento (64 bits)",
    size32="Tamaño (32 bits)",
    size64="Tamaño (64 bits)",
    aliases="También llamada",
    pointer_types="Tipos de puntero",
    packing="Empaquetado",
    variable="Termina en una matriz de longitud variable: {name}.sized(n) es el tipo con n entradas.",
    constants="Constantes y etiquetas de propiedad",
    constants_intro="Marcas, valores, tipos de propiedad (PT_) y etiquetas de propiedad (PR_) que definen los encabezados, por encabezado.",
    values_of="Constantes de {header}",
    tags_of="Etiquetas de propiedad de {header}",
    tags="Etiquetas de propiedad",
    name="Nombre",
    value="Valor",
    property_id="Id. de propiedad",
    property_type="Tipo",
    property_sets="Conjuntos de propiedades",
    property_sets_intro="Los GUID de los conjuntos de propiedades (PS_, PSETID_) a los que pertenecen las propiedades con nombre.",
    guid="GUID",
    count="Número",
    flag_unknown="ningún encabezado la define",
    description="Descripción",
    remarks="Comentarios",
)

_LABELS = {"en-US": _ENGLISH, "es-ES": _SPANISH}


def data_labels(language: str) -> DataLabels:
    """The data pages' words in ``language`` (English for languages without a translation)."""
    return _LABELS.get(language, _ENGLISH)


def file_part(name: str) -> str:
    """``name`` as part of a file name: anything but letters, digits and ``_`` becomes ``_``."""
    return _FILE_PART.sub("_", name)


def structure_file(view: StructureView) -> str:
    """The page of a structure or union inside a language tree."""
    return f"{view.kind}.{file_part(view.name)}.html"


def constants_file(header: str) -> str:
    """The table of a header's constants."""
    return f"constants.{file_part(header)}.html"


def tags_file(header: str) -> str:
    """The table of a header's property tags."""
    return f"tags.{file_part(header)}.html"


def constant_href(view: ConstantView) -> str:
    """Where a constant or tag is shown: its header's table, at its anchor."""
    page = tags_file(view.header) if view.kind is ConstantKind.PROPERTY_TAG else constants_file(view.header)
    return f"{page}#{view.name}"


@dataclass(frozen=True, slots=True)
class Link:
    """A link with a plain-text name."""

    name: str
    href: str


@dataclass(frozen=True, slots=True)
class MemberRow:
    """A row of a structure's member table."""

    name: str
    c_type: str
    ctypes_type: str
    type_href: str
    offset32: int
    size32: int
    offset64: int
    size64: int
    doc: Any = None


@dataclass(frozen=True, slots=True)
class StructurePage:
    """What a structure page shows."""

    name: str
    kind: str
    header: str
    aliases: str
    pointers: str
    pack: int
    variable: str
    size32: int
    size64: int
    members: tuple[MemberRow, ...]
    summary: Any = None
    remarks: Any = None
    documented: bool = False


@dataclass(frozen=True, slots=True)
class StructureRow:
    """A structure on the structures page."""

    name: str
    href: str
    kind: str
    header: str
    size32: int
    size64: int


@dataclass(frozen=True, slots=True)
class ValueRow:
    """A constant or property tag in a header's table."""

    name: str
    value: str
    c_type: str
    property_id: str
    property_type: str


@dataclass(frozen=True, slots=True)
class HeaderRow:
    """A header on the constants page, with links to its tables."""

    header: str
    constants: Link | None
    constant_count: int
    tags: Link | None
    tag_count: int


@dataclass(frozen=True, slots=True)
class GuidRow:
    """A property set."""

    name: str
    guid: str
    header: str


Chrome = Callable[[str, str, tuple[Any, ...], Any], Any]
"""Makes a page's surroundings from (file, title, breadcrumbs, the page's prose picker or None)."""


class ProsePicker(Protocol):
    """Renders a page's prose in its language (else English, else any), remembering fallbacks (site.py's)."""

    def rich(self, text: Localized[RichText]) -> Any: ...


Picker = Callable[[str], ProsePicker]
"""The prose picker of the page written to a file."""


class DataPages:
    """The data pages of one language tree, and their search entries."""

    def __init__(self, data: DataViews, language: str, picker: Picker) -> None:
        self.data = data
        self.picker = picker
        self.words = data_labels(language)
        self.by_type: dict[str, StructureView] = {}
        for view in data.structures:
            for name in (view.name, *view.aliases):
                self.by_type.setdefault(name, view)

    def links(self) -> tuple[Link, ...]:
        """The index's links to the data pages."""
        words = self.words
        return (
            Link(f"{words.structures} ({len(self.data.structures)})", STRUCTURES),
            Link(f"{words.constants} ({len(self.data.constants) + len(self.data.tags)})", CONSTANTS),
            Link(f"{words.property_sets} ({len(self.data.guids)})", PROPERTY_SETS),
        )

    def files(self, chrome: Chrome, home: Any) -> dict[str, str]:
        """Every data page, by file name inside the tree; ``home`` is the index's breadcrumb."""
        words = self.words
        files: dict[str, str] = {}
        crumbs = (home,)
        rows = tuple(
            StructureRow(s.name, structure_file(s), s.kind, s.header, s.win32.size, s.win64.size)
            for s in sorted(self.data.structures, key=lambda s: s.name.lower())
        )
        files[STRUCTURES] = render(
            "site/structures.html.j2", page=chrome(STRUCTURES, words.structures, crumbs, None), words=words, rows=rows
        )
        inner = (*crumbs, Link(words.structures, STRUCTURES))
        for view in self.data.structures:
            file = structure_file(view)
            text = self.picker(file)
            page = self.structure_page(view, text)
            files[file] = render("site/structure.html.j2", page=chrome(file, view.name, inner, text), words=words, s=page)
        headers: dict[str, tuple[list[ConstantView], list[ConstantView]]] = {}
        for constant in (*self.data.constants, *self.data.tags):
            values, tags = headers.setdefault(constant.header, ([], []))
            (tags if constant.kind is ConstantKind.PROPERTY_TAG else values).append(constant)
        header_rows = []
        inner = (*crumbs, Link(words.constants, CONSTANTS))
        for header in sorted(headers, key=str.lower):
            values, tags = headers[header]
            if values:
                file = constants_file(header)
                title = words.values_of.format(header=header)
                files[file] = render(
                    "site/values.html.j2", page=chrome(file, title, inner, None), words=words, rows=_rows(values), tags=False
                )
            if tags:
                file = tags_file(header)
                title = words.tags_of.format(header=header)
                files[file] = render(
                    "site/values.html.j2", page=chrome(file, title, inner, None), words=words, rows=_rows(tags), tags=True
                )
            header_rows.append(
                HeaderRow(
                    header,
                    Link(words.values_of.format(header=header), constants_file(header)) if values else None,
                    len(values),
                    Link(words.tags_of.format(header=header), tags_file(header)) if tags else None,
                    len(tags),
                )
            )
        files[CONSTANTS] = render(
            "site/constants.html.j2", page=chrome(CONSTANTS, words.constants, crumbs, None), words=words,
            headers=tuple(header_rows), property_sets=Link(words.property_sets, PROPERTY_SETS),
        )
        guids = tuple(GuidRow(g.name, g.value, g.header) for g in sorted(self.data.guids, key=lambda g: g.name))
        files[PROPERTY_SETS] = render(
            "site/property-sets.html.j2", page=chrome(PROPERTY_SETS, words.property_sets, crumbs, None), words=words,
            rows=guids,
        )
        return files

    def structure_page(self, view: StructureView, text: ProsePicker) -> StructurePage:
        rows = []
        for member in view.members:
            dims = "".join(f"[{d}]" for d in member.dims_text)
            target = self.by_type.get(member.element)
            rows.append(
                MemberRow(
                    name=member.name,
                    c_type=f"{member.c_type}{dims}",
                    ctypes_type=member.element + "".join(f" * {d}" for d in reversed(member.dims)),
                    type_href=structure_file(target) if target is not None else "",
                    offset32=member.win32.offset,
                    size32=member.win32.size,
                    offset64=member.win64.offset,
                    size64=member.win64.size,
                    doc=text.rich(member.doc),
                )
            )
        return StructurePage(
            name=view.name,
            kind=view.kind,
            header=f"{view.header} ({view.file}:{view.line})" if view.file != view.header else f"{view.header}:{view.line}",
            aliases=", ".join(view.aliases),
            pointers=", ".join(view.pointers),
            pack=view.pack,
            variable=self.words.variable.format(name=view.name) if view.variable else "",
            size32=view.win32.size,
            size64=view.win64.size,
            members=tuple(rows),
            summary=text.rich(view.summary),
            remarks=text.rich(view.remarks),
            documented=any(r.doc for r in rows),
        )

    def search_entries(self) -> list[list[str]]:
        """[name, kind, href, summary] for every structure, constant and tag."""
        entries = [
            [s.name, s.kind, structure_file(s), f"{s.kind} {s.tag} ({s.header})"] for s in self.data.structures
        ]
        for constant in (*self.data.constants, *self.data.tags):
            summary = constant.hex
            if constant.kind is ConstantKind.PROPERTY_TAG:
                summary = f"{constant.hex} {constant.property_type}"
            entries.append([constant.name, constant.kind.value, constant_href(constant), summary])
        return entries


def _rows(values: list[ConstantView]) -> tuple[ValueRow, ...]:
    return tuple(
        ValueRow(
            name=c.name,
            value=c.hex,
            c_type=c.ctype,
            property_id=f"0x{c.property_id:04X}" if c.property_id is not None else "",
            property_type=c.property_type,
        )
        for c in sorted(values, key=lambda c: c.name)
    )
