"""Reading stage: one language's reading of a page → an interface or method page record.

``structure.lark`` gives the page's structure (title, properties tables,
sections, vtable rows, parameter and return-value entries); this module reads
what they say as a MAPI developer would: names, the interface identifier,
directions, the syntax block (through ``csyntax``), each piece of prose in
its language.  ``combine`` then joins the
readings of a side-by-side page (structure from the English one, prose from
both).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TypeVar

from generator.errors import printable
from generator.frontends.page.csyntax import NotAPrototype, read_prototype
from generator.frontends.page.markdown import Placed
from generator.frontends.page.structure import (
    IDENTIFIER,
    Section,
    VtableEntry,
    is_applies_to,
    links,
    properties_key,
    read_structure,
    squeezed,
)
from generator.model import (
    Block,
    BlockQuote,
    BulletList,
    CodeBlock,
    CType,
    Diagnostic,
    Direction,
    FunctionPage,
    Heading,
    Inline,
    InterfacePage,
    LineBreak,
    Localized,
    MethodPage,
    Note,
    OrderedList,
    PageLink,
    Paragraph,
    ParamDoc,
    ReturnValueDoc,
    RichText,
    RowKind,
    Severity,
    SourceLoc,
    Strong,
    SyntaxParam,
    Table,
    Text,
    VtableRow,
)

_T = TypeVar("_T")
_Page = InterfacePage | MethodPage | FunctionPage
_V = TypeVar("_V")


# Direction words as the pages write them, English and localized ("en" is a
# translation slip some Spanish pages make for "entrada").
_IN_WORDS = frozenset({"in", "entrada", "en"})
_OUT_WORDS = frozenset({"out", "salida"})
_IGNORED_WORDS = frozenset({"optional", "opcional", "y", "and"})
_WORD_SPLIT = re.compile(r"[\s,/\-]+")

def direction_of(marker: str) -> Direction | None:
    """The direction a marker such as ``in, out``, ``entrada y salida`` or ``IN`` gives, or None."""
    words = {w for w in _WORD_SPLIT.split(marker.strip().lower()) if w} - _IGNORED_WORDS
    if not words or not words <= _IN_WORDS | _OUT_WORDS:
        return None
    has_in, has_out = bool(words & _IN_WORDS), bool(words & _OUT_WORDS)
    return Direction.IN_OUT if has_in and has_out else Direction.IN if has_in else Direction.OUT


class NotThisKind(Exception):
    """The page's title, read as CommonMark, is not the title its kind needs (the message says why)."""


class PageReader:
    """Reads one language's text of a page, its structure parsed by ``structure.lark``, into a record."""

    def __init__(self, path: str, text: str, blocks: Sequence[Placed], language: str) -> None:
        self.path = path
        self.text = text
        self.language = language
        self.diagnostics: list[Diagnostic] = []
        structure = read_structure(blocks)
        self.title = structure.title
        self.intro = structure.intro
        self.properties = structure.properties
        self.sections = structure.sections

    def warn(self, code: str, message: str, loc: SourceLoc) -> None:
        self.diagnostics.append(Diagnostic(Severity.WARNING, code, message, loc))

    def loc(self, block: Placed) -> SourceLoc:
        return SourceLoc(self.path, block.line, block.column)

    def inline(self, nodes: tuple[Inline, ...]) -> Localized[tuple[Inline, ...]]:
        return Localized(((self.language, _trimmed(nodes)),))

    def rich(self, blocks: Iterable[Placed | Block], entry: bool = False) -> Localized[RichText]:
        """Blocks as this language's rich text; in an ``entry`` (a parameter's, a return value's), quotes are layout."""
        model = [b.block if isinstance(b, Placed) else b for b in blocks]
        if entry:
            model = [inner for b in model for inner in (b.blocks if isinstance(b, BlockQuote) else (b,))]
        return Localized(((self.language, tidy(model)),))

    # structure

    def find(self, ident: str) -> Section | None:
        return next((s for s in self.sections if s.ident == ident), None)

    def heading_text(self) -> str:
        assert isinstance(self.title.block, Heading)
        return squeezed(self.title.block.inlines)

    # interface pages

    def interface_page(self) -> InterfacePage:
        heading = self.heading_text()
        match = re.fullmatch(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([A-Za-z_][A-Za-z0-9_]*)\s*", heading)
        if not match:
            raise NotThisKind(f"interface title {heading!r} is not 'IName : IBase' once read as CommonMark: read as an article")
        name, base = match.group(1), match.group(2)
        vtable_section = self.find("vtable-order")
        tables = [*self.properties, *(vtable_section.blocks if vtable_section else ())]
        properties: dict[str, tuple[Inline, ...]] = {}
        for table in tables:
            if isinstance(table.block, Table):
                for row in (table.block.header, *table.block.rows):
                    key = properties_key(row)
                    if key is not None:
                        properties[key] = row[1]
        description = [b for b in self.intro if not is_applies_to(b.block)]
        iid_symbol = squeezed(properties["iid"]) if "iid" in properties else None
        if iid_symbol is not None and not IDENTIFIER.fullmatch(iid_symbol):
            iid_symbol = None
        return InterfacePage(
            path=self.path,
            name=name,
            base=base,
            iid_symbol=iid_symbol,
            implemented_by=self.inline(properties.get("implemented_by", ())),
            called_by=self.inline(properties.get("called_by", ())),
            description=self.rich(description),
            vtable=self.vtable_rows(vtable_section.rows if vtable_section else ()),
            see_also=self.see_also(self.find("see-also")),
            loc=self.loc(self.title),
        )

    def vtable_rows(self, entries: Sequence[VtableEntry]) -> tuple[VtableRow, ...]:
        rows: list[VtableRow] = []
        reserved = 0
        for entry in entries:
            loc = SourceLoc(self.path, entry.line, entry.column)
            summary = self.inline(entry.cells[1] if len(entry.cells) > 1 else ())
            if entry.kind == "reserved":
                reserved += 1
                rows.append(VtableRow(f"Reserved{reserved}", None, RowKind.RESERVED, summary, loc))
                continue
            link = next(links(entry.cells[0]), None)
            text = squeezed(link.children if link else entry.cells[0])
            name = _member_name(text)
            if name is None:
                self.warn("vtable-row", f"vtable row {text!r} names no method", loc)
                continue
            kind = RowKind.METHOD if link is not None else RowKind.PLACEHOLDER
            rows.append(VtableRow(name, link.target if link else None, kind, summary, loc))
        return tuple(rows)

    def see_also(self, section: Section | None) -> tuple[PageLink, ...]:
        if section is None:
            return ()
        found: list[PageLink] = []
        for block in section.blocks:
            for item in _paragraphs(block.block):
                for node in links(item.inlines):
                    found.append(PageLink(node.target, self.inline(node.children)))
        return tuple(found)

    # method pages

    def method_page(self) -> MethodPage:
        heading = self.heading_text()
        match = re.fullmatch(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*::?\s*([A-Za-z_][A-Za-z0-9_]*)\s*", heading)
        if not match:
            raise NotThisKind(f"method title {heading!r} is not 'IName::Method' once read as CommonMark: read as an article")
        if "::" not in heading:
            message = f"title {heading!r} reads as a method page: ':' where '::' was meant"
            self.warn("method-title", message, self.loc(self.title))
        interface, name = match.group(1), match.group(2)
        summary, return_type, syntax = self.syntax_and_summary()
        return MethodPage(
            path=self.path,
            interface=interface,
            name=name,
            return_type=return_type,
            syntax=syntax,
            summary=self.rich(summary),
            params=self.params(self.find("parameters"), syntax),
            return_values=self.return_values(self.find("return-value")),
            remarks=self.remarks(),
            loc=self.loc(self.title),
        )

    def syntax_and_summary(self) -> tuple[list[Placed], CType | None, tuple[SyntaxParam, ...]]:
        """The intro's blocks before the syntax block (the summary), and the syntax block's return type and parameters."""
        summary: list[Placed] = []
        return_type: CType | None = None
        syntax: tuple[SyntaxParam, ...] = ()
        seen_syntax = False
        for block in self.intro:
            if isinstance(block.block, CodeBlock) and not seen_syntax:
                seen_syntax = True
                parsed = self.prototype(block)
                if parsed is not None:
                    return_type, syntax = parsed
                continue
            if is_applies_to(block.block):
                continue
            if not seen_syntax:
                summary.append(block)
        return summary, return_type, syntax

    def remarks(self) -> Localized[RichText]:
        """The remarks and "Notes to …" sections, each later one under its heading in bold."""
        remarks: list[Placed | Block] = []
        for section in self.sections:
            if section.ident == "remarks" or section.ident.startswith("notes-to"):
                if remarks and section.heading is not None:
                    assert isinstance(section.heading.block, Heading)
                    remarks.append(Paragraph((Strong(section.heading.block.inlines),)))
                remarks.extend(section.blocks)
        return self.rich(remarks)

    def prototype(self, fence: Placed) -> tuple[CType | None, tuple[SyntaxParam, ...]] | None:
        code = fence.block
        assert isinstance(code, CodeBlock)
        first_line = fence.line + 1
        try:
            prototype = read_prototype(code.text)
        except NotAPrototype as exc:
            loc = SourceLoc(self.path, first_line + exc.line - 1, exc.column + fence.column - 1)
            self.warn("syntax-block", "the C syntax block is not a prototype; page types ignored", loc)
            return None
        params: list[SyntaxParam] = []
        indent = fence.column - 1  # a fenced block's lines lose its fence's indentation
        for declared in prototype.params:
            loc = SourceLoc(self.path, first_line + declared.line - 1, declared.column + indent)
            if declared.missing_comma and (not params or params[-1].loc != loc):
                self.warn("syntax-comma", "the C syntax block misses a ',' between two parameters", loc)
            params.append(SyntaxParam(declared.name, declared.type, loc))
        names = [p.name for p in params]
        twice = next((n for i, n in enumerate(names) if n in names[:i]), None)
        if twice is not None:
            loc = next(p.loc for i, p in enumerate(params) if p.name == twice and p.name in names[:i])
            self.warn("syntax-block", f"the C syntax block names parameter {twice} twice; page types ignored", loc)
            return None
        return prototype.return_type, tuple(params)

    def params(self, section: Section | None, syntax: tuple[SyntaxParam, ...]) -> tuple[ParamDoc, ...]:
        """Documented parameters; an entry the syntax block does not name is a flag of the one before."""
        if section is None:
            return ()
        declared = [p.name for p in syntax]
        entries: list[tuple[str, SourceLoc, list[Placed | Block]]] = []
        for entry in section.entries:
            name, loc, blocks = entry.name, self.loc(entry.first), list(entry.body)
            if not IDENTIFIER.fullmatch(name):
                matched = self._translated_name(name, len(entries), declared, loc)
                if matched is None:
                    continue
                name = matched
            elif declared and name not in declared and entries:
                entries[-1][2].extend([Paragraph((Strong((Text(name),)),)), *blocks])
                continue
            entries.append((name, loc, list(blocks)))
        return tuple(
            ParamDoc(name, self.direction(blocks, loc), self.rich(blocks, entry=True), loc) for name, loc, blocks in entries
        )

    def _translated_name(self, written: str, index: int, declared: list[str], loc: SourceLoc) -> str | None:
        """The ABI name of an entry whose name was translated (``_tiempo de espera_``): the syntax block's at its place."""
        shown = printable(written)
        if index < len(declared):
            name = declared[index]
            self.warn("param-name", f"parameter entry '{shown}' is not a C name; read as {name}, the syntax block's parameter at its place", loc)
            return name
        self.warn("param-name", f"parameter entry '{shown}' is not a C name and the syntax block has none at its place; left out", loc)
        return None

    def direction(self, blocks: list[Placed | Block], loc: SourceLoc) -> Direction | None:
        for block in blocks:
            model = block.block if isinstance(block, Placed) else block
            if isinstance(model, BlockQuote) and model.blocks:
                model = model.blocks[0]
            if not isinstance(model, Paragraph):
                continue
            text = squeezed(model.inlines)
            match = re.match(r"\[([^\]]*)\]", text)
            if not match:
                return None
            found = direction_of(match.group(1))
            if found is None:
                where = self.loc(block) if isinstance(block, Placed) else loc
                self.warn("direction", f"unknown parameter direction [{printable(match.group(1))}]", where)
            return found
        return None

    def return_values(self, section: Section | None) -> tuple[ReturnValueDoc, ...]:
        if section is None:
            return ()
        return tuple(ReturnValueDoc(e.name, self.rich(e.body, entry=True)) for e in section.entries)


def _trimmed(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Inline content without the white space and line breaks at its ends (table cells end in ``<br/>``)."""
    start, end = 0, len(nodes)
    while start < end and _blank(nodes[start]):
        start += 1
    while end > start and _blank(nodes[end - 1]):
        end -= 1
    if start == end:
        return ()
    first, last = nodes[start], nodes[end - 1]
    if type(first) is not Text and type(last) is not Text:
        return nodes[start:end] if start or end < len(nodes) else nodes
    items = list(nodes[start:end])
    if type(first) is Text and first.text[:1].isspace():
        items[0] = Text(first.text.lstrip())
    last = items[-1]  # the first, stripped, when it is the only one
    if type(last) is Text and last.text[-1:].isspace():
        items[-1] = Text(last.text.rstrip())
    return tuple(items)


def _blank(node: Inline) -> bool:
    """Whether ``node`` is a line break or white space only."""
    kind = type(node)
    return kind is LineBreak or (kind is Text and not node.text.strip())  # type: ignore[union-attr]


def tidy(blocks: Sequence[Block]) -> RichText:
    """Blocks with their paragraphs trimmed; empty paragraphs dropped."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            inlines = _trimmed(block.inlines)
            if inlines:
                out.append(Paragraph(inlines))
        else:
            out.append(block)
    return tuple(out)


def _paragraphs(block: Block) -> Iterator[Paragraph]:
    """The paragraphs of a block, lists and quotes included."""
    if isinstance(block, Paragraph):
        yield block
    elif isinstance(block, (BulletList, OrderedList)):
        for item in block.items:
            for inner in item:
                yield from _paragraphs(inner)
    elif isinstance(block, (BlockQuote, Note)):
        for inner in block.blocks:
            yield from _paragraphs(inner)


def _member_name(text: str) -> str | None:
    """A method name from a vtable cell: ``Name``, ``IFace::Name``, or a whole signature."""
    text = text.strip().strip("*").strip()
    head = text.split("(", 1)[0].strip()
    words = IDENTIFIER.findall(head.split("::")[-1])
    return words[-1] if words else None


# --- side-by-side pages: two readings, one record -------------------------------


def combine(english: _Page, local: _Page) -> _Page:
    """One record from the English and the localized reading of a side-by-side page.

    Structure (names, targets, directions, types) comes from the English
    reading; every piece of prose carries both languages, the localized first.
    """
    if isinstance(english, InterfacePage) and isinstance(local, InterfacePage):
        rows = tuple(
            replace(row, summary=_pick(local.vtable, index, lambda r: r.summary).merged(row.summary))
            for index, row in enumerate(english.vtable)
        )
        see_also = tuple(
            replace(link, text=_pick(local.see_also, index, lambda li: li.text).merged(link.text))
            for index, link in enumerate(english.see_also)
        )
        return replace(
            english,
            implemented_by=local.implemented_by.merged(english.implemented_by),
            called_by=local.called_by.merged(english.called_by),
            description=local.description.merged(english.description),
            vtable=rows,
            see_also=see_also,
        )
    if isinstance(english, (MethodPage, FunctionPage)) and isinstance(local, (MethodPage, FunctionPage)):
        local_params = {p.name: p for p in local.params}
        params = tuple(
            replace(p, text=(local_params[p.name].text if p.name in local_params else Localized()).merged(p.text))
            for p in english.params
        )
        local_returns = {r.code: r for r in local.return_values}
        returns = tuple(
            replace(r, text=(local_returns[r.code].text if r.code in local_returns else Localized()).merged(r.text))
            for r in english.return_values
        )
        return replace(
            english,
            summary=local.summary.merged(english.summary),
            remarks=local.remarks.merged(english.remarks),
            params=params,
            return_values=returns,
        )
    return english


def _pick(items: Sequence[_T], index: int, value: Callable[[_T], Localized[_V]]) -> Localized[_V]:
    return value(items[index]) if index < len(items) else Localized()
