"""Reference-page front end: a Markdown page of the MAPI reference → a page record.

The stages, one module each:

1. ``front_matter``: the YAML block at the top (PyYAML's C loader);
2. ``classify``: the page's kind, from a few patterns over its text; only
   interface, method and function pages (and GUID pages) go further;
3. ``sxs``: a side-by-side page becomes one text per language;
4. ``markdown``: each text is read as CommonMark (pulldown-cmark) into the
   model's prose types, top-level blocks placed at their line and column;
5. ``structure``: ``structure.lark``, a Lark LALR grammar over those blocks,
   gives the page's structure (title, properties tables, sections, vtable
   rows, parameter and return-value entries);
6. ``reader``: what the structure says (names, the interface identifier,
   directions, the syntax block through ``csyntax.lark``, prose per
   language) into an ``InterfacePage`` or ``MethodPage``, and ``functions``
   a function page into a ``FunctionPage``; the two readings of a
   side-by-side page are combined.

Only a page that cannot be decoded, holds a NUL, or has front matter YAML
cannot read is an error; everything else on a page is text or a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from generator.errors import check_text
from generator.frontends.page.classify import (
    INTERFACE_TITLE,
    KIND_ORDER,
    Classified,
    PageKind,
    classify,
)
from generator.frontends.page.csyntax import warm_up as _warm_up_csyntax
from generator.frontends.page.front_matter import read_front_matter, split_front_matter
from generator.frontends.page.functions import function_page
from generator.frontends.page.markdown import Document, ImageSpan, Placed, read_markdown
from generator.frontends.page.properties import read_properties
from generator.frontends.page.reader import NotThisKind, PageReader
from generator.frontends.page.structure import NoTitle
from generator.frontends.page.structure import warm_up as _warm_up_structure
from generator.frontends.page.structures import AnyPage, combine, read_data_page
from generator.frontends.page.structures import warm_up as _warm_up_data
from generator.frontends.page.sxs import is_side_by_side, project
from generator.model import (
    ENGLISH,
    CodeBlock,
    Diagnostic,
    FunctionPage,
    InterfacePage,
    MethodPage,
    PropertyPage,
    PropertyTypesPage,
    Record,
    Severity,
    SourceLoc,
    Table,
)

__all__ = ["KIND_ORDER", "CodeSample", "PageImage", "PageKind", "PageResult", "normalize", "parse_page", "warm_up"]

# A title that starts like an interface's or a method's but is neither ("IHostile::Open Now").
_LOOKS_LIKE_ABI = re.compile(r"\s*[A-Za-z_][A-Za-z0-9_]*\s*::?(?!\S*\s*$)|\s*[A-Za-z_][A-Za-z0-9_]*\s*:\s*$")


def warm_up() -> None:
    """Build the structure and C syntax grammars now: worker processes forked afterwards inherit them."""
    _warm_up_structure()
    _warm_up_csyntax()
    _warm_up_data()


@dataclass(frozen=True, slots=True)
class CodeSample(Record):
    """Code from a page (a code block, or a code span), with the line and column it starts at."""

    language: str
    text: str
    first_line: int
    first_column: int = 1


@dataclass(frozen=True, slots=True)
class PageImage(Record):
    """An image a page's record shows, in ``language``: its target as written and where that is written."""

    language: str
    target: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class PageResult(Record):
    """What one page yields: its kind, a record (interface, method and property pages), warnings, code, metadata.

    ``guid_spans`` are the code spans in its prose that hold a
    ``DEFINE_GUID``/``DEFINE_OLEGUID`` statement (a page may give an IID so);
    ``images`` the images of the text its record was read from, one per
    language and target, at their first place (on a side-by-side page, at
    their line and their column in the language's text).
    """

    page: AnyPage | PropertyPage | PropertyTypesPage | None
    diagnostics: tuple[Diagnostic, ...]
    code_samples: tuple[CodeSample, ...]
    languages: tuple[str, ...]
    title: str
    guid_spans: tuple[CodeSample, ...] = ()
    kind: PageKind = PageKind.ARTICLE
    images: tuple[PageImage, ...] = ()


def normalize(text: str) -> str:
    """Drop a BOM, turn CRLF/CR into LF, end with a newline (lines and columns keep)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") else text + "\n"


def parse_page(path: str, text: str) -> PageResult:
    """Read one reference page; raise ``InputError`` only for text that is no text or front matter YAML refuses."""
    text = normalize(text)
    check_text(path, text)
    body, yaml_text = split_front_matter(text)
    warnings: list[Diagnostic] = []
    metadata = read_front_matter(path, text, yaml_text) if yaml_text is not None else {}
    if yaml_text is None and re.match(r"---[ \t]*\n", text):
        message = "front matter opened here is never closed by '---': the page is read without it"
        warnings.append(Diagnostic(Severity.WARNING, "front-matter", message, SourceLoc(path, 1, 1)))
    locale = metadata.get("ms.contentlocale")
    local = str(locale) if locale else ENGLISH
    side_by_side = is_side_by_side(body)
    languages = (local, ENGLISH) if side_by_side and local != ENGLISH else (local,)
    classified = classify(body)
    title_value = metadata.get("title", "")
    # Only a scalar: str() of a YAML alias "bomb" would expand it.
    title = "" if isinstance(title_value, (list, dict, set, tuple)) else str(title_value)
    if classified.kind is PageKind.ARTICLE:
        message = _not_abi(classified.title)
        if message:
            warnings.append(Diagnostic(Severity.WARNING, "page-kind", message, SourceLoc(path, classified.title_line, 1)))
    if classified.kind in (PageKind.PROPERTY, PageKind.PROPERTY_TYPE):
        record, shown = read_properties(path, body, classified, side_by_side, local)
        return PageResult(record, tuple(warnings), (), languages, title, (), classified.kind, _page_images(shown))
    full = classified.kind in _READ_WHOLE or "DEFINE_" in body
    if not full:
        return PageResult(None, tuple(warnings), (), languages, title, (), classified.kind)
    english_text = project(body, english=True) if side_by_side else body
    document = read_markdown(english_text)
    page, diagnostics = _read(path, text, document, classified, ENGLISH if side_by_side else local)
    images: list[tuple[str, Iterable[ImageSpan]]] = [(ENGLISH if side_by_side else local, document.images)] if page is not None else []
    if side_by_side and page is not None and local != ENGLISH:
        local_document = read_markdown(project(body, english=False))
        local_page, _ = _read(path, text, local_document, classified, local)
        if local_page is not None:
            page = combine(page, local_page)
            images.append((local, local_document.images))
    if document.flattened is not None:
        line, column, what = document.flattened
        message = f"{what}: the deeper levels are read as text"
        diagnostics.append(Diagnostic(Severity.WARNING, "nesting", message, SourceLoc(path, line, column)))
    for placed in document.blocks:
        width = len(placed.block.header) if isinstance(placed.block, Table) else 0
        for line, cells in placed.ragged:
            message = f"table row has {cells} cell(s), the table's header has {width}"
            diagnostics.append(Diagnostic(Severity.WARNING, "table-cells", message, SourceLoc(path, line, 1)))
    samples = tuple(_code_samples(english_text, document.blocks))
    spans = tuple(CodeSample("c", s.text, s.line, s.column) for s in document.guid_spans)
    return PageResult(page, tuple(warnings + diagnostics), samples, languages, title, spans, classified.kind, _page_images(images))


def _page_images(texts: Iterable[tuple[str, Iterable[ImageSpan]]]) -> tuple[PageImage, ...]:
    """The images of each language's text, one per language and target (where first written), in that order."""
    found: dict[tuple[str, str], PageImage] = {}
    for language, images in texts:
        for image in images:
            found.setdefault((language, image.target), PageImage(language, image.target, image.line, image.column))
    return tuple(found[key] for key in sorted(found))


# The kinds read into a record, and the kinds whose text is read whole (a constants page for its GUIDs).
_RECORD_KINDS = (PageKind.INTERFACE, PageKind.METHOD, PageKind.FUNCTION, PageKind.STRUCTURE, PageKind.MACRO)
_READ_WHOLE = (*_RECORD_KINDS, PageKind.CONSTANTS)


def _not_abi(title: str) -> str:
    """Why a page whose title starts like an interface's or a method's is an article ("" for other titles)."""
    if INTERFACE_TITLE.fullmatch(title):
        return f"title {title!r} reads as an interface's, but the page has no interface identifier row, vtable section or properties table: read as an article"
    if _LOOKS_LIKE_ABI.match(title):
        return f"title {title!r} is neither 'IName : IBase' nor 'IName::Method': read as an article"
    return ""


def _read(
    path: str, text: str, document: Document, classified: Classified, language: str
) -> tuple[AnyPage | None, list[Diagnostic]]:
    """One language's reading of an interface, method, function, structure or macro page (None for other kinds)."""
    if classified.kind not in _RECORD_KINDS:
        return None, []
    try:
        if classified.kind in (PageKind.STRUCTURE, PageKind.MACRO):
            return read_data_page(path, text, document.blocks, classified.kind, language)
        reader = PageReader(path, text, document.blocks, language)
        page = _READERS[classified.kind](reader)
    except NoTitle:  # the title the classifier saw is inside a code block or an HTML block
        message = "the page has no '# ' title outside code: read as an article"
        return None, [Diagnostic(Severity.WARNING, "page-kind", message, SourceLoc(path, classified.title_line, 1))]
    except NotThisKind as exc:
        return None, [Diagnostic(Severity.WARNING, "page-kind", str(exc), SourceLoc(path, classified.title_line, 1))]
    return page, reader.diagnostics


_READERS: dict[PageKind, Callable[[PageReader], InterfacePage | MethodPage | FunctionPage]] = {
    PageKind.INTERFACE: PageReader.interface_page,
    PageKind.METHOD: PageReader.method_page,
    PageKind.FUNCTION: function_page,
}


def _code_samples(text: str, blocks: tuple[Placed, ...]) -> list[CodeSample]:
    """The page's top-level code blocks, each with the line its code starts on."""
    lines = text.split("\n")
    samples = []
    for placed in blocks:
        if isinstance(placed.block, CodeBlock):
            opening = lines[placed.line - 1].lstrip() if placed.line <= len(lines) else ""
            fenced = opening.startswith(("```", "~~~"))
            samples.append(CodeSample(placed.block.language, placed.block.text, placed.line + int(fenced)))
    return samples
