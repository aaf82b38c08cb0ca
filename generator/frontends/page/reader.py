"""Structure stage: the blocks of one language's reading of a page → an interface or method page.

It reads the page as a MAPI developer would: the title, the sections (by
their ``<a name>`` anchor, or the slug of their heading), the properties table
and its interface identifier row, the vtable table and its rows, the syntax
block, the parameter and return-value entries.  ``combine`` then joins the
readings of a side-by-side page (structure from the English one, prose from
both).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from generator.errors import InputError, fail, printable
from generator.frontends.page.csyntax import NotAPrototype, read_prototype
from generator.frontends.page.markdown import Placed
from generator.model import (
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    CType,
    Diagnostic,
    Direction,
    Emphasis,
    Heading,
    Image,
    Inline,
    InterfacePage,
    LineBreak,
    Link,
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
_V = TypeVar("_V")

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# Direction words as the pages write them, English and localized ("en" is a
# translation slip some Spanish pages make for "entrada").
_IN_WORDS = frozenset({"in", "entrada", "en"})
_OUT_WORDS = frozenset({"out", "salida"})
_IGNORED_WORDS = frozenset({"optional", "opcional", "y", "and"})
_WORD_SPLIT = re.compile(r"[\s,/\-]+")

# Labels of the properties table ("Implemented by:" …), English and localized.
_PROPERTY_LABELS = {
    "implemented by": "implemented_by",
    "implementado por": "implemented_by",
    "se implementa mediante": "implemented_by",
    "called by": "called_by",
    "llamado por": "called_by",
    "llamada por": "called_by",
    "interface identifier": "iid",
    "identificador de interfaz": "iid",
}

_SECTION_ALIASES = {"return-values": "return-value", "orden-vtable": "vtable-order"}


def direction_of(marker: str) -> Direction | None:
    """The direction a marker such as ``in, out``, ``entrada y salida`` or ``IN`` gives, or None."""
    words = {w for w in _WORD_SPLIT.split(marker.strip().lower()) if w} - _IGNORED_WORDS
    if not words or not words <= _IN_WORDS | _OUT_WORDS:
        return None
    has_in, has_out = bool(words & _IN_WORDS), bool(words & _OUT_WORDS)
    return Direction.IN_OUT if has_in and has_out else Direction.IN if has_in else Direction.OUT


def plain(nodes: Iterable[Inline]) -> str:
    """The text of inline nodes, without markup."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, (Text, Code)):
            parts.append(node.text)
        elif isinstance(node, (Strong, Emphasis, Link, Image)):
            parts.append(plain(node.children))
        elif isinstance(node, LineBreak):
            parts.append(" ")
    return "".join(parts)


def squeezed(nodes: Iterable[Inline]) -> str:
    """``plain`` with white space runs made single spaces and the ends trimmed."""
    return " ".join(plain(nodes).split())


@dataclass(frozen=True, slots=True)
class _Section:
    ident: str
    heading: Placed | None
    blocks: tuple[Placed, ...]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _section_id(heading: Placed) -> str:
    assert isinstance(heading.block, Heading)
    ident = heading.anchor or _slug(plain(heading.block.inlines))
    return _SECTION_ALIASES.get(ident, ident)


class PageReader:
    """Reads the blocks of one language's text of a page into an interface or method page."""

    def __init__(self, path: str, text: str, blocks: Sequence[Placed], language: str) -> None:
        self.path = path
        self.text = text
        self.blocks = blocks
        self.language = language
        self.diagnostics: list[Diagnostic] = []
        title, self.intro, self.sections = self._split()
        self.title = title

    def warn(self, code: str, message: str, loc: SourceLoc) -> None:
        self.diagnostics.append(Diagnostic(Severity.WARNING, code, message, loc))

    def error(self, message: str, loc: SourceLoc) -> InputError:
        return fail(message, self.path, self.text, loc.line, loc.column)

    def loc(self, block: Placed) -> SourceLoc:
        return SourceLoc(self.path, block.line, block.column)

    def inline(self, nodes: tuple[Inline, ...]) -> Localized[tuple[Inline, ...]]:
        return Localized(((self.language, _trimmed(nodes)),))

    def rich(self, blocks: Iterable[Placed | Block], entry: bool = False) -> Localized[RichText]:
        """Blocks as this language's rich text; in an ``entry`` (a parameter's, a return value's), quotes are layout."""
        model = [b.block if isinstance(b, Placed) else b for b in blocks]
        if entry:
            model = [inner for b in model for inner in (b.blocks if isinstance(b, BlockQuote) else (b,))]
        return Localized(((self.language, _tidy(model)),))

    # structure

    def _split(self) -> tuple[Placed, list[Placed], list[_Section]]:
        title: Placed | None = None
        intro: list[Placed] = []
        sections: list[_Section] = []
        current: list[Placed] | None = None
        heading: Placed | None = None
        for block in self.blocks:
            level = block.block.level if isinstance(block.block, Heading) else 0
            if level == 1 and title is None:
                title = block
                continue
            if level == 2:
                if current is not None and heading is not None:
                    sections.append(_Section(_section_id(heading), heading, tuple(current)))
                heading, current = block, []
                continue
            if title is None:
                continue
            (current if current is not None else intro).append(block)
        if current is not None and heading is not None:
            sections.append(_Section(_section_id(heading), heading, tuple(current)))
        if title is None:
            raise self.error("page has no '# ' title", SourceLoc(self.path, 1, 1))
        return title, intro, sections

    def find(self, ident: str) -> _Section | None:
        return next((s for s in self.sections if s.ident == ident), None)

    def heading_text(self) -> str:
        assert isinstance(self.title.block, Heading)
        return squeezed(self.title.block.inlines)

    # interface pages

    def interface_page(self) -> InterfacePage:
        heading = self.heading_text()
        match = re.fullmatch(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([A-Za-z_][A-Za-z0-9_]*)\s*", heading)
        if not match:
            raise self.error(f"interface title {heading!r} is not 'IName : IBase'", self.loc(self.title))
        name, base = match.group(1), match.group(2)
        properties: dict[str, tuple[Inline, ...]] = {}
        description: list[Placed] = []
        for block in self.intro:
            if isinstance(block.block, Table) and self._properties(block.block, properties):
                continue
            if _is_applies_to(block.block):
                continue
            description.append(block)
        vtable_section = self.find("vtable-order")
        vtable_blocks = list(vtable_section.blocks) if vtable_section else []
        for extra in [b for b in vtable_blocks if isinstance(b.block, Table)]:
            assert isinstance(extra.block, Table)
            if self._properties(extra.block, properties):
                vtable_blocks.remove(extra)
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
            vtable=self.vtable_rows(_vtable_tables(name, vtable_blocks)),
            see_also=self.see_also(self.find("see-also")),
            loc=self.loc(self.title),
        )

    def _properties(self, table: Table, into: dict[str, tuple[Inline, ...]]) -> bool:
        """Read a properties table (Implemented by / Called by / Interface identifier)."""
        found: dict[str, tuple[Inline, ...]] = {}
        for row in (table.header, *table.rows):
            if len(row) < 2:
                continue
            label = squeezed(row[0]).rstrip(": ").lower()
            key = _PROPERTY_LABELS.get(label)
            value = squeezed(row[1])
            if key is None and IDENTIFIER.fullmatch(value) and value.startswith("IID_"):
                key = "iid"
            if key is not None:
                found[key] = row[1]
        into.update(found)
        return bool(found)

    def vtable_rows(self, tables: list[Placed]) -> tuple[VtableRow, ...]:
        rows: list[VtableRow] = []
        reserved = 0
        for placed in tables:
            table = placed.block
            assert isinstance(table, Table)
            for index, row in enumerate(table.rows):
                line = placed.rows[index + 1] if index + 1 < len(placed.rows) else placed.line
                loc = SourceLoc(self.path, line, placed.column)
                if not row:
                    continue
                summary = self.inline(row[1] if len(row) > 1 else ())
                if _is_reserved_cell(row[0]):
                    reserved += 1
                    rows.append(VtableRow(f"Reserved{reserved}", None, RowKind.RESERVED, summary, loc))
                    continue
                link = _first_link(row[0])
                text = squeezed(link.children if link else row[0])
                name = _member_name(text)
                if name is None:
                    self.warn("vtable-row", f"vtable row {text!r} names no method", loc)
                    continue
                kind = RowKind.METHOD if link is not None else RowKind.PLACEHOLDER
                rows.append(VtableRow(name, link.target if link else None, kind, summary, loc))
        return tuple(rows)

    def see_also(self, section: _Section | None) -> tuple[PageLink, ...]:
        if section is None:
            return ()
        links: list[PageLink] = []
        for block in section.blocks:
            for item in _paragraphs(block.block):
                for node in _links(item.inlines):
                    links.append(PageLink(node.target, self.inline(node.children)))
        return tuple(links)

    # method pages

    def method_page(self) -> MethodPage:
        heading = self.heading_text()
        match = re.fullmatch(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*::?\s*([A-Za-z_][A-Za-z0-9_]*)\s*", heading)
        if not match:
            raise self.error(f"method title {heading!r} is not 'IName::Method'", self.loc(self.title))
        if "::" not in heading:
            message = f"title {heading!r} reads as a method page: ':' where '::' was meant"
            self.warn("method-title", message, self.loc(self.title))
        interface, name = match.group(1), match.group(2)
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
            if _is_applies_to(block.block):
                continue
            if not seen_syntax:
                summary.append(block)
        remarks: list[Placed | Block] = []
        for section in self.sections:
            if section.ident == "remarks" or section.ident.startswith("notes-to"):
                if remarks and section.heading is not None:
                    assert isinstance(section.heading.block, Heading)
                    remarks.append(Paragraph((Strong(section.heading.block.inlines),)))
                remarks.extend(section.blocks)
        return MethodPage(
            path=self.path,
            interface=interface,
            name=name,
            return_type=return_type,
            syntax=syntax,
            summary=self.rich(summary),
            params=self.params(self.find("parameters"), syntax),
            return_values=self.return_values(self.find("return-value")),
            remarks=self.rich(remarks),
            loc=self.loc(self.title),
        )

    def prototype(self, fence: Placed) -> tuple[CType | None, tuple[SyntaxParam, ...]] | None:
        code = fence.block
        assert isinstance(code, CodeBlock)
        first_line = fence.line + 1
        try:
            prototype = read_prototype(code.text)
        except NotAPrototype as exc:
            loc = SourceLoc(self.path, first_line + exc.line - 1, exc.column)
            self.warn("syntax-block", "the C syntax block is not a prototype; page types ignored", loc)
            return None
        params: list[SyntaxParam] = []
        for declared in prototype.params:
            loc = SourceLoc(self.path, first_line + declared.line - 1, declared.column)
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

    def params(self, section: _Section | None, syntax: tuple[SyntaxParam, ...]) -> tuple[ParamDoc, ...]:
        """Documented parameters; an entry the syntax block does not name is a flag of the one before."""
        if section is None:
            return ()
        declared = [p.name for p in syntax]
        entries: list[tuple[str, SourceLoc, list[Placed | Block]]] = []
        for name, first, blocks in _entries(section.blocks, _param_name):
            loc = self.loc(first)
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

    def return_values(self, section: _Section | None) -> tuple[ReturnValueDoc, ...]:
        if section is None:
            return ()
        return tuple(
            ReturnValueDoc(code, self.rich(blocks, entry=True)) for code, _, blocks in _entries(section.blocks, _return_code)
        )


def _trimmed(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Inline content without the white space and line breaks at its ends (table cells end in ``<br/>``)."""
    items = list(nodes)
    while items and isinstance(items[0], (Text, LineBreak)) and not plain(items[:1]).strip():
        items.pop(0)
    while items and isinstance(items[-1], (Text, LineBreak)) and not plain(items[-1:]).strip():
        items.pop()
    if items and isinstance(items[0], Text):
        items[0] = Text(items[0].text.lstrip())
    if items and isinstance(items[-1], Text):
        items[-1] = Text(items[-1].text.rstrip())
    return tuple(items)


def _tidy(blocks: Sequence[Block]) -> RichText:
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


def _is_reserved_cell(cell: tuple[Inline, ...]) -> bool:
    """An unnamed slot: no link, and words rather than a method name ("Placeholder member.")."""
    if _first_link(cell):
        return False
    text = " ".join(plain(cell).split()).strip(" *.")
    return not IDENTIFIER.fullmatch(text)


def _vtable_tables(interface: str, blocks: list[Placed]) -> list[Placed]:
    """The tables of the vtable section that list methods.

    A table lists methods when a member cell links to one of the interface's
    method pages (named after the interface), or when no member cell links anywhere (placeholder rows).
    Tables whose member cells link elsewhere list the properties the
    interface's objects carry ("no unique methods" pages put them here).
    """
    prefix = interface.lower()
    tables: list[Placed] = []
    for placed in blocks:
        table = placed.block
        if not isinstance(table, Table):
            continue
        targets = [link.target.lower() for row in table.rows for link in _links(row[0] if row else ())]
        if any(t.startswith(prefix) for t in targets) or not targets:
            tables.append(placed)
    return tables


def _is_applies_to(block: Block) -> bool:
    """The "**Applies to**: Outlook …" line, in any language: a bold label, a colon, products."""
    if not isinstance(block, Paragraph):
        return False
    nodes = [n for n in block.inlines if not (isinstance(n, Text) and not n.text.strip())]
    if not nodes or not isinstance(nodes[0], Strong):
        return False
    rest = plain(nodes[1:]).strip()
    return rest.startswith(":") and "Outlook" in rest


def _first_link(nodes: Sequence[Inline]) -> Link | None:
    return next(iter(_links(nodes)), None)


def _links(nodes: Sequence[Inline]) -> Iterator[Link]:
    for node in nodes:
        if isinstance(node, Link):
            yield node
        elif isinstance(node, (Strong, Emphasis)):
            yield from _links(node.children)


def _member_name(text: str) -> str | None:
    """A method name from a vtable cell: ``Name``, ``IFace::Name``, or a whole signature."""
    text = text.strip().strip("*").strip()
    head = text.split("(", 1)[0].strip()
    words = IDENTIFIER.findall(head.split("::")[-1])
    return words[-1] if words else None


def _param_name(block: Block) -> str | None:
    """The name a parameter entry starts with: a paragraph of one italic name (``_lpEntryID_``)."""
    if not isinstance(block, Paragraph):
        return None
    nodes = [n for n in block.inlines if not (isinstance(n, Text) and not n.text.strip())]
    if len(nodes) == 1 and isinstance(nodes[0], Emphasis):
        name = squeezed(nodes[0].children)
        return name if name and len(name) < 80 and "[" not in name else None
    return None


def _return_code(block: Block) -> str | None:
    if not isinstance(block, Paragraph):
        return None
    text = plain(block.inlines).strip()
    return text if re.fullmatch(r"[A-Z][A-Z0-9_]*", text) else None


def _entries(
    blocks: Sequence[Placed], recognize: Callable[[Block], str | None]
) -> Iterator[tuple[str, Placed, list[Placed | Block]]]:
    """Split a section into entries (name, first block, body) that start at a block ``recognize`` names."""
    entry: tuple[str, Placed] | None = None
    body: list[Placed | Block] = []
    for block in blocks:
        found = recognize(block.block)
        if found is not None:
            if entry is not None:
                yield entry[0], entry[1], body
            entry, body = (found, block), []
        elif entry is not None:
            body.append(block)
    if entry is not None:
        yield entry[0], entry[1], body


# --- side-by-side pages: two readings, one record -------------------------------


def combine(english: InterfacePage | MethodPage, local: InterfacePage | MethodPage) -> InterfacePage | MethodPage:
    """One record from the English and the localized reading of a side-by-side page.

    Structure (names, targets, directions, types) comes from the English
    reading; every piece of prose carries both languages, the localized first.
    """
    if isinstance(english, InterfacePage) and isinstance(local, InterfacePage):
        rows = tuple(
            replace(row, summary=_pick(local.vtable, index, lambda r: r.summary).merged(row.summary))
            for index, row in enumerate(english.vtable)
        )
        links = tuple(
            replace(link, text=_pick(local.see_also, index, lambda li: li.text).merged(link.text))
            for index, link in enumerate(english.see_also)
        )
        return replace(
            english,
            implemented_by=local.implemented_by.merged(english.implemented_by),
            called_by=local.called_by.merged(english.called_by),
            description=local.description.merged(english.description),
            vtable=rows,
            see_also=links,
        )
    if isinstance(english, MethodPage) and isinstance(local, MethodPage):
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
