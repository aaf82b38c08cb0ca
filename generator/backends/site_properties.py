"""Doc-site back end, properties part: a page for every canonical property, and the indexes of them.

Files inside a language tree::

    properties.html                 every canonical property: name, id or long ID / name, types, area
    property-set-index.html         the named properties grouped by property set, a section per set
    property.<Name>.html            one property: its facts, PR_ names with tag values, types, area,
                                    property set, description, remarks, findings and source pages

The facts come from the property views (``generator.views.properties``); the
prose is formatted by the site's own reader of each language (``Prose``), given
by the caller so that links in it resolve as on every other page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from generator.backends.render import render
from generator.backends.site_data import PROPERTY_SETS, file_part, tags_file
from generator.model import ENGLISH, Diagnostic, Localized, RichText
from generator.views.properties import PropertyView, PropertyViews

PROPERTIES = "properties.html"
PROPERTY_SET_INDEX = "property-set-index.html"
PROPERTY_IDS = frozenset({"facts", "description", "tags", "remarks", "findings", "pages"})


class Texts(Protocol):
    """The site's prose in one language for one page (the site's ``_Text``)."""

    def rich(self, text: Localized[RichText]) -> Any: ...

    def lead_text(self, text: Localized[RichText]) -> str: ...


Chrome = Callable[[str, str, tuple[Any, ...], Any], Any]
"""Makes a page's surroundings from (file, title, breadcrumbs, texts)."""


@dataclass(frozen=True, slots=True)
class PropertyWords:
    """The property pages' own words in one language."""

    properties: str
    properties_intro: str
    sets_index: str
    sets_intro: str
    name: str
    kind: str
    kinds: dict[str, str]
    identifier: str
    lid: str
    property_name: str
    property_set: str
    types: str
    area: str
    tags: str
    tag: str
    value: str
    docs_only: str
    aliases: str
    description: str
    remarks: str
    findings: str
    pages: str
    unknown: str


_ENGLISH = PropertyWords(
    properties="Canonical properties",
    properties_intro="Every property the reference pages document, by canonical name; tag values from the headers.",
    sets_index="Named properties by property set",
    sets_intro="The named properties (long ID or name) of each property set.",
    name="Name",
    kind="Kind",
    kinds={"tag": "Property tag", "lid": "Named property (long ID)", "name": "Named property (name)"},
    identifier="Identifier",
    lid="Long ID (LID)",
    property_name="Property name",
    property_set="Property set",
    types="Data types",
    area="Area",
    tags="Property tags",
    tag="Tag",
    value="Value",
    docs_only="docs only: no header defines it; generated from the page's id and type",
    aliases="Also named",
    description="Description",
    remarks="Remarks",
    findings="Findings",
    pages="Reference pages",
    unknown="unknown",
)

_SPANISH = PropertyWords(
    properties="Propiedades canónicas",
    properties_intro="Todas las propiedades que documentan las páginas de referencia, por nombre canónico; valores de etiqueta de los encabezados.",
    sets_index="Propiedades con nombre por conjunto de propiedades",
    sets_intro="Las propiedades con nombre (id. largo o nombre) de cada conjunto de propiedades.",
    name="Nombre",
    kind="Clase",
    kinds={"tag": "Etiqueta de propiedad", "lid": "Propiedad con nombre (id. largo)", "name": "Propiedad con nombre (nombre)"},
    identifier="Identificador",
    lid="Id. largo (LID)",
    property_name="Nombre de la propiedad",
    property_set="Conjunto de propiedades",
    types="Tipos de datos",
    area="Área",
    tags="Etiquetas de propiedad",
    tag="Etiqueta",
    value="Valor",
    docs_only="solo en la documentación: ningún encabezado la define; generada del id. y el tipo de la página",
    aliases="También llamada",
    description="Descripción",
    remarks="Comentarios",
    findings="Hallazgos",
    pages="Páginas de referencia",
    unknown="desconocido",
)

_WORDS = {"en-US": _ENGLISH, "es-ES": _SPANISH}


def property_file(name: str) -> str:
    """The page of a canonical property inside a language tree."""
    return f"property.{file_part(name)}.html"


def reference_pages(views: PropertyViews) -> dict[str, str]:
    """Reference page name (``pidtagdisplayname-canonical-property.md``) → its property's page, for links."""
    return {
        path.replace("\\", "/").rsplit("/", 1)[-1].lower(): property_file(p.name)
        for p in views.properties
        for path in p.source.pages
    }


@dataclass(frozen=True, slots=True)
class Link:
    """A link with a plain-text name (``href`` empty: no link)."""

    name: str
    href: str


@dataclass(frozen=True, slots=True)
class TagRow:
    """A ``PR_`` name of the property with its value; ``href`` its row in its header's tag table."""

    name: str
    value: str
    href: str
    docs_only: bool


@dataclass(frozen=True, slots=True)
class Fact:
    """A row of the facts list: label, value, optional link; ``code``: the value is a name or a number."""

    label: str
    value: str
    href: str
    code: bool = True


@dataclass(frozen=True, slots=True)
class PropertyRow:
    """A property in an index."""

    name: str
    href: str
    kind: str
    key: str
    types: str
    area: str


@dataclass(frozen=True, slots=True)
class SetSection:
    """A property set and its named properties."""

    name: str
    href: str
    rows: tuple[PropertyRow, ...]


@dataclass(frozen=True, slots=True)
class FindingRow:
    """A finding at one of the property's pages."""

    severity: str
    code: str
    where: str
    message: str


@dataclass(frozen=True, slots=True)
class PropertyPage:
    """What a property page shows."""

    name: str
    facts: tuple[Fact, ...]
    tags: tuple[TagRow, ...]
    description: Any
    remarks: Any
    findings: tuple[FindingRow, ...]
    pages: tuple[Link, ...]


class PropertyPages:
    """The property pages of one language tree, and their search entries."""

    def __init__(self, views: PropertyViews, language: str, diagnostics: Iterable[Diagnostic], learn: Callable[[str], str]) -> None:
        self.views = views
        self.language = language
        self.words = _WORDS.get(language, _ENGLISH)
        self.learn = learn
        self.findings: dict[str, list[Diagnostic]] = {}
        for diagnostic in diagnostics:
            if diagnostic.loc is not None and diagnostic.code.startswith("property-"):
                self.findings.setdefault(diagnostic.loc.file, []).append(diagnostic)

    def links(self) -> tuple[Link, ...]:
        """The index's links to the property indexes."""
        named = sum(1 for p in self.views.properties if p.kind != "tag")
        return (
            Link(f"{self.words.properties} ({len(self.views.properties)})", PROPERTIES),
            Link(f"{self.words.sets_index} ({named})", PROPERTY_SET_INDEX),
        )

    def files(self, chrome: Chrome, home: Any, texts: Callable[[str], Texts]) -> dict[str, str]:
        """Every property page and index, by file name; ``texts(file)`` reads the prose for the page ``file``."""
        words = self.words
        crumbs = (home,)
        rows = tuple(self.row(p) for p in sorted(self.views.properties, key=lambda p: p.name.lower()))
        files = {
            PROPERTIES: render("site/properties.html.j2", page=chrome(PROPERTIES, words.properties, crumbs, None), words=words, rows=rows)
        }
        sets: dict[str, list[PropertyRow]] = {}
        for view, row in zip(sorted(self.views.properties, key=lambda p: p.name.lower()), rows):
            if view.kind != "tag":
                sets.setdefault(view.property_set or words.unknown, []).append(row)
        sections = tuple(
            SetSection(name, f"{PROPERTY_SETS}#{name}" if self._bound(name) else "", tuple(sets[name])) for name in sorted(sets)
        )
        files[PROPERTY_SET_INDEX] = render(
            "site/property-set-index.html.j2", page=chrome(PROPERTY_SET_INDEX, words.sets_index, crumbs, None), words=words, sets=sections
        )
        inner = (*crumbs, Link(words.properties, PROPERTIES))
        for view in self.views.properties:
            file = property_file(view.name)
            text = texts(file)
            files[file] = render(
                "site/property.html.j2", page=chrome(file, view.name, inner, text), words=words, p=self.page(view, text)
            )
        return files

    def _bound(self, name: str) -> bool:
        return any(p.property_set == name and p.property_set_bound for p in self.views.properties)

    def row(self, view: PropertyView) -> PropertyRow:
        if view.kind == "tag":
            key = "?" if view.prop_id is None else f"0x{view.prop_id:04X}"
        elif view.kind == "lid":
            key = f"{view.property_set} " + ("?" if view.lid is None else f"0x{view.lid:08X}")
        else:
            key = f"{view.property_set} {view.property_name}"
        types = ", ".join(name for name, _ in view.types)
        return PropertyRow(view.name, property_file(view.name), self.words.kinds[view.kind], key, types, view.area)

    def page(self, view: PropertyView, text: Texts) -> PropertyPage:
        words = self.words
        facts = [Fact(words.kind, words.kinds[view.kind], "", code=False)]
        if view.kind == "tag":
            facts.append(Fact(words.identifier, words.unknown if view.prop_id is None else f"0x{view.prop_id:04X}", ""))
        else:
            href = f"{PROPERTY_SETS}#{view.property_set}" if view.property_set_bound else ""
            facts.append(Fact(words.property_set, view.property_set or words.unknown, href))
            if view.kind == "lid":
                facts.append(Fact(words.lid, words.unknown if view.lid is None else f"0x{view.lid:08X}", ""))
            else:
                facts.append(Fact(words.property_name, view.property_name or words.unknown, ""))
        types = ", ".join(f"{name} (0x{value:04X})" for name, value in view.types)
        facts.append(Fact(words.types, types or words.unknown, ""))
        area = short_text(view.source.area, self.language)
        if area:
            facts.append(Fact(words.area, area, "", code=False))
        if view.aliases:
            facts.append(Fact(words.aliases, ", ".join(view.aliases), ""))
        tags = tuple(
            TagRow(t.name, t.hex, "" if t.docs_only else f"{tags_file(t.header)}#{t.name}", t.docs_only) for t in view.tags
        )
        findings = tuple(
            FindingRow(d.severity.value, d.code, f"{d.loc.file}:{d.loc.line}" if d.loc else "", d.message)
            for path in view.source.pages
            for d in self.findings.get(path, ())
        )
        pages = tuple(Link(path, self.learn(path.replace("\\", "/").rsplit("/", 1)[-1])) for path in view.source.pages)
        return PropertyPage(
            name=view.name,
            facts=tuple(facts),
            tags=tags,
            description=text.rich(view.source.description),
            remarks=text.rich(view.source.remarks),
            findings=findings,
            pages=pages,
        )

    def search_entries(self, lead: Callable[[Localized[RichText]], str]) -> list[list[str]]:
        """[name, kind, href, summary] for every property: the summary holds its id and tag values, so a value finds it."""
        entries = []
        for view in self.views.properties:
            row = self.row(view)
            tags = " ".join(f"{t.name} {t.hex}" for t in view.tags if t.value is not None)
            summary = " ".join(part for part in (row.key, row.types, tags, lead(view.source.description)) if part)
            entries.append([view.name, "property", row.href, summary])
        return entries


def short_text(text: Localized[str], language: str) -> str:
    """A short text (an area) in ``language``, else in English, else in the first language there is."""
    return text.get(language) or text.get(ENGLISH) or (text.items[0][1] if text.items else "")
