"""Doc-site back end, enumerations and macros: a page for each, and an index of each.

Files inside a language tree::

    enums.html              every enumeration: name, header or page, number of enumerators
    enum.<Name>.html        one enumeration: its description, enumerators with values and text, remarks
    macros.html             every macro a reference page documents: name, syntax, header
    macro.<Name>.html       one macro: its syntax, header, description, parameters, remarks

The facts are the model's (``Model.enums``: a header's enumeration, or an enum
page's own where no header declares it; ``Model.macros``: the macro pages); the
prose is formatted by the site's reader of each language, given by the caller so
that links in it resolve as on every other page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.backends.render import render
from generator.backends.site_data import Link, file_part
from generator.backends.site_properties import Chrome, Texts
from generator.model import Enumeration, Localized, MacroPage, RichText

ENUMS = "enums.html"
MACROS = "macros.html"
ENUM_IDS = frozenset({"members", "remarks"})
MACRO_IDS = frozenset({"syntax", "params", "remarks"})


@dataclass(frozen=True, slots=True)
class EnumWords:
    """The pages' own words in one language."""

    enums: str
    enums_intro: str
    macros: str
    macros_intro: str
    name: str
    header: str
    page: str
    enumerators: str
    value: str
    description: str
    syntax: str
    params: str
    remarks: str
    no_header: str


_ENGLISH = EnumWords(
    enums="Enumerations",
    enums_intro="The enumerations of the headers and of the enum pages; values as C counts them.",
    macros="Macros",
    macros_intro="The macros the reference pages document.",
    name="Name",
    header="Header",
    page="Reference page",
    enumerators="Enumerators",
    value="Value",
    description="Description",
    syntax="Syntax",
    params="Parameters",
    remarks="Remarks",
    no_header="no header read declares it; the values are the page's",
)

_SPANISH = EnumWords(
    enums="Enumeraciones",
    enums_intro="Las enumeraciones de los encabezados y de las páginas de enumeración; valores como los cuenta C.",
    macros="Macros",
    macros_intro="Las macros que documentan las páginas de referencia.",
    name="Nombre",
    header="Encabezado",
    page="Página de referencia",
    enumerators="Enumeradores",
    value="Valor",
    description="Descripción",
    syntax="Sintaxis",
    params="Parámetros",
    remarks="Comentarios",
    no_header="ningún encabezado leído la declara; los valores son los de la página",
)

_WORDS = {"en-US": _ENGLISH, "es-ES": _SPANISH}


def enum_file(name: str) -> str:
    """The page of an enumeration inside a language tree."""
    return f"enum.{file_part(name)}.html"


def macro_file(name: str) -> str:
    """The page of a macro inside a language tree."""
    return f"macro.{file_part(name)}.html"


def _page_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1].lower()


def enum_reference_pages(enums: tuple[Enumeration, ...], macros: tuple[MacroPage, ...]) -> dict[str, tuple[str, frozenset[str]]]:
    """Reference page name (``syncstate.md``, ``prop_tag.md``) → (its generated page, that page's section ids), for links."""
    pages = {_page_name(e.page): (enum_file(e.name), ENUM_IDS) for e in enums if e.page}
    pages.update((_page_name(m.path), (macro_file(m.name), MACRO_IDS)) for m in macros)
    return pages


@dataclass(frozen=True, slots=True)
class IndexRow:
    """An enumeration or macro in its index."""

    name: str
    href: str
    detail: str
    header: str


@dataclass(frozen=True, slots=True)
class EnumeratorRow:
    """An enumerator: its name, value (decimal and hex) and text."""

    name: str
    value: str
    doc: Any


@dataclass(frozen=True, slots=True)
class ParamRow:
    """A macro parameter and its text."""

    name: str
    doc: Any


@dataclass(frozen=True, slots=True)
class EnumPage:
    """What an enumeration page shows."""

    name: str
    tag: str
    header: str
    page: str
    members: tuple[EnumeratorRow, ...]
    documented: bool
    summary: Any
    remarks: Any


@dataclass(frozen=True, slots=True)
class MacroPageView:
    """What a macro page shows."""

    name: str
    syntax: str
    header: str
    page: str
    params: tuple[ParamRow, ...]
    summary: Any
    remarks: Any


def _value(value: int | None) -> str:
    return "?" if value is None else f"{value} (0x{value & 0xFFFFFFFF:X})"


class EnumPages:
    """The enumeration and macro pages of one language tree, and their search entries."""

    def __init__(self, enums: tuple[Enumeration, ...], macros: tuple[MacroPage, ...], language: str) -> None:
        self.enums = tuple(sorted(enums, key=lambda e: e.name.lower()))
        self.macros = tuple(sorted(macros, key=lambda m: m.name.lower()))
        self.words = _WORDS.get(language, _ENGLISH)

    def links(self) -> tuple[Link, ...]:
        """The data-types index's links to the two indexes (an index with nothing to list is not written)."""
        links = (Link(f"{self.words.enums} ({len(self.enums)})", ENUMS),) if self.enums else ()
        return links + ((Link(f"{self.words.macros} ({len(self.macros)})", MACROS),) if self.macros else ())

    def files(self, chrome: Chrome, home: Any, texts: Callable[[str, frozenset[str]], Texts]) -> dict[str, str]:
        """Every page and index, by file name; ``texts(file, ids)`` reads the prose for the page ``file``, whose sections are ``ids``."""
        words = self.words
        crumbs = (home,)
        enum_rows = tuple(IndexRow(e.name, enum_file(e.name), str(len(e.members)), e.header or _page_name(e.page or "")) for e in self.enums)
        macro_rows = tuple(IndexRow(m.name, macro_file(m.name), m.syntax, m.header) for m in self.macros)
        files = {}
        if enum_rows:
            files[ENUMS] = render("site/enum-index.html.j2", page=chrome(ENUMS, words.enums, crumbs, None), words=words, rows=enum_rows, enums=True)
        if macro_rows:
            files[MACROS] = render(
                "site/enum-index.html.j2", page=chrome(MACROS, words.macros, crumbs, None), words=words, rows=macro_rows, enums=False
            )
        inner = (*crumbs, Link(words.enums, ENUMS))
        for enum in self.enums:
            file = enum_file(enum.name)
            text = texts(file, ENUM_IDS)
            files[file] = render("site/enum.html.j2", page=chrome(file, enum.name, inner, text), words=words, e=self.enum_page(enum, text))
        inner = (*crumbs, Link(words.macros, MACROS))
        for macro in self.macros:
            file = macro_file(macro.name)
            text = texts(file, MACRO_IDS)
            files[file] = render("site/macro.html.j2", page=chrome(file, macro.name, inner, text), words=words, m=self.macro_page(macro, text))
        return files

    def enum_page(self, enum: Enumeration, text: Texts) -> EnumPage:
        members = tuple(EnumeratorRow(m.name, _value(m.value), text.rich(m.doc)) for m in enum.members)
        header = f"{enum.header} ({enum.loc.file}:{enum.loc.line})" if enum.header else ""
        return EnumPage(
            name=enum.name,
            tag=enum.tag,
            header=header,
            page=enum.page or "",
            members=members,
            documented=any(m.doc for m in members),
            summary=text.rich(enum.summary),
            remarks=text.rich(enum.remarks),
        )

    def macro_page(self, macro: MacroPage, text: Texts) -> MacroPageView:
        return MacroPageView(
            name=macro.name,
            syntax=macro.syntax,
            header=macro.header,
            page=macro.path,
            params=tuple(ParamRow(p.name, text.rich(p.text)) for p in macro.params),
            summary=text.rich(macro.summary),
            remarks=text.rich(macro.remarks),
        )

    def search_entries(self, lead: Callable[[Localized[RichText]], str]) -> list[list[str]]:
        """[name, kind, href, summary] for every enumeration (its enumerators named) and macro."""
        entries = []
        for enum in self.enums:
            names = " ".join(m.name for m in enum.members)
            entries.append([enum.name, "enum", enum_file(enum.name), " ".join(part for part in (lead(enum.summary), names) if part)])
        for macro in self.macros:
            entries.append([macro.name, "macro", macro_file(macro.name), " ".join(part for part in (macro.syntax, lead(macro.summary)) if part)])
        return entries
