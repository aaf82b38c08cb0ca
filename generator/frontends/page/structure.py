"""Structure stage: ``structure.lark`` over the blocks of an interface or method page.

A lexer names the top-level blocks that carry structure (``PageLexer``: the
title, section headings, properties tables, parameter names, return codes, and
in the vtable section each row of a table listing methods; a run of other
blocks is one token), Lark's LALR parser checks them against
the grammar, and ``_ToStructure`` builds a ``Structure``: the title, the
intro, and the sections with their entries and vtable rows.  What a name
means (a method, a direction, a type) is read by ``reader.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput
from lark.lexer import Lexer

from generator.frontends.page.markdown import Placed
from generator.model import (
    Block,
    Emphasis,
    Heading,
    Inline,
    Link,
    Paragraph,
    Strong,
    Table,
    Text,
    inline_words,
)

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# Labels of the properties table ("Implemented by:" …), English and localized.
PROPERTY_LABELS = {
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
_SECTION_TOKENS = {"vtable-order": "VTABLE_HEADING", "parameters": "PARAMS_HEADING", "return-value": "RETURNS_HEADING"}


plain = inline_words  # the text of inline nodes, without markup


def squeezed(nodes: Iterable[Inline]) -> str:
    """``plain`` with white space runs made single spaces and the ends trimmed."""
    return " ".join(plain(nodes).split())


@dataclass(frozen=True, slots=True)
class VtableEntry:
    """A row of a table listing methods: its kind (method, placeholder, reserved) and cells."""

    kind: str
    cells: tuple[tuple[Inline, ...], ...]
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Entry:
    """A parameter or return-value entry: its name as written, the block naming it, its body."""

    name: str
    first: Placed
    body: tuple[Placed, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """A level-2 section: its id (anchor or slug), heading, blocks, entries and vtable rows."""

    ident: str
    heading: Placed
    blocks: tuple[Placed, ...]
    entries: tuple[Entry, ...] = ()
    rows: tuple[VtableEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Structure:
    """A reference page's structure: the title, the intro's blocks, properties tables and syntax blocks, the sections."""

    title: Placed
    intro: tuple[Placed, ...]
    properties: tuple[Placed, ...]
    sections: tuple[Section, ...]


class NoTitle(Exception):
    """The page has no level-1 heading."""


def section_id(heading: Heading, anchor: str) -> str:
    """A section's id: its ``<a name>`` anchor, or the slug of its heading, with the pages' aliases."""
    ident = anchor or re.sub(r"[^a-z0-9]+", "-", plain(heading.inlines).lower()).strip("-")
    return _SECTION_ALIASES.get(ident, ident)


def properties_key(row: tuple[tuple[Inline, ...], ...]) -> str | None:
    """Which property a row of a properties table gives (implemented_by, called_by, iid), if any."""
    if len(row) < 2:
        return None
    key = PROPERTY_LABELS.get(squeezed(row[0]).rstrip(": ").lower())
    if key is None and "IID_" in (value := plain(row[1])):  # the value cell is only read for an identifier row
        value = " ".join(value.split())
        if IDENTIFIER.fullmatch(value) and value.startswith("IID_"):
            key = "iid"
    return key


def links(nodes: Sequence[Inline]) -> Iterator[Link]:
    """The links among ``nodes``, inside bold and italic too."""
    for node in nodes:
        if isinstance(node, Link):
            yield node
        elif isinstance(node, (Strong, Emphasis)):
            yield from links(node.children)


def is_reserved_cell(cell: tuple[Inline, ...]) -> bool:
    """An unnamed slot: no link, and words rather than a method name ("Placeholder member.")."""
    if next(links(cell), None):
        return False
    text = " ".join(plain(cell).split()).strip(" *.")
    return not IDENTIFIER.fullmatch(text)


def is_applies_to(block: Block) -> bool:
    """The "**Applies to**: Outlook …" line, in any language: a bold label, a colon, products."""
    if not isinstance(block, Paragraph):
        return False
    nodes = [n for n in block.inlines if not (isinstance(n, Text) and not n.text.strip())]
    if not nodes or not isinstance(nodes[0], Strong):
        return False
    rest = plain(nodes[1:]).strip()
    return rest.startswith(":") and "Outlook" in rest


def param_name(block: Block) -> str | None:
    """The name a parameter entry starts with: a paragraph of one italic name (``_lpEntryID_``)."""
    if not isinstance(block, Paragraph):
        return None
    nodes = [n for n in block.inlines if not (isinstance(n, Text) and not n.text.strip())]
    if len(nodes) == 1 and isinstance(nodes[0], Emphasis):
        name = squeezed(nodes[0].children)
        return name if name and len(name) < 80 and "[" not in name else None
    return None


_CODE = re.compile(r"[A-Z][A-Z0-9_]*")


def return_code(block: Block) -> str | None:
    """The code a return-value entry starts with: a paragraph of one upper-case name."""
    if not isinstance(block, Paragraph):
        return None
    text = plain(block.inlines).strip()
    return text if _CODE.fullmatch(text) else None


def _is_properties(table: Table) -> bool:
    return any(properties_key(row) for row in (table.header, *table.rows))


def _lists_methods(interface: str, table: Table) -> bool:
    """A table of the vtable section lists methods when a member cell links to one of the
    interface's method pages (named after the interface), or when no member cell links anywhere.
    Tables whose member cells link elsewhere list the properties the interface's objects carry
    ("no unique methods" pages put them there)."""
    targets = [link.target.lower() for row in table.rows for link in links(row[0] if row else ())]
    return not targets or any(t.startswith(interface.lower()) for t in targets)


@dataclass(frozen=True, slots=True)
class _Named:
    """What a heading, parameter name or return code token carries: the name it gives, its block."""

    name: str
    placed: Placed


class PageLexer(Lexer):
    """Names the blocks of a page for ``structure.lark`` (``data``: the page's placed blocks).

    A block is only tested for what it can mean where it stands (a parameter
    name in a parameters section, a return code in a return-value section, a
    properties table in the intro, a table of methods in the vtable section),
    and each run of the other blocks is one ``BLOCKS`` token.
    """

    def __init__(self, lexer_conf: object) -> None:
        pass

    def lex(self, data: Sequence[Placed]) -> Iterator[Token]:  # type: ignore[override]  # a custom lexer gets the parse's input
        blocks = iter(data)
        for title in blocks:
            if isinstance(title.block, Heading) and title.block.level == 1:
                break
        else:
            return
        words = IDENTIFIER.findall(plain(title.block.inlines))
        interface = words[0] if words else ""
        yield _token("TITLE", title)
        section: str | None = None  # None in the intro ("" is the id of a heading with no letters)
        run: list[Placed] = []
        for placed in blocks:
            block = placed.block
            kind: str = ""
            value: object = None
            if isinstance(block, Heading):
                if block.level == 2:
                    section = section_id(block, placed.anchor)
                    kind, value = _SECTION_TOKENS.get(section, "SECTION"), _Named(section, placed)
            elif isinstance(block, Table):
                if section is None and _is_properties(block):
                    kind, value = "PROPERTIES", placed
                elif section == "vtable-order" and not _is_properties(block) and _lists_methods(interface, block):
                    if run:
                        yield _run(run)
                        run = []
                    yield from _rows(placed, block)
                    continue
            elif section == "parameters":
                name = param_name(block)
                if name is not None:
                    kind, value = "PARAM_NAME", _Named(name, placed)
            elif section == "return-value" and param_name(block) is None:
                code = return_code(block)
                if code is not None:
                    kind, value = "RETURN_CODE", _Named(code, placed)
            if not kind:
                run.append(placed)
                continue
            if run:
                yield _run(run)
                run = []
            yield _token(kind, value, placed.line, placed.column)
        if run:
            yield _run(run)


def _token(kind: str, value: object, line: int = 0, column: int = 0) -> Token:
    """A token carrying ``value`` (a Token is a string: it is made of "" and given the value after,
    so that no block is turned into its repr)."""
    if isinstance(value, Placed):
        line, column = value.line, value.column
    token = Token(kind, "", None, line, column)
    token.value = value
    return token


def _run(run: list[Placed]) -> Token:
    """A ``BLOCKS`` token: a run of blocks no rule tells apart."""
    return _token("BLOCKS", tuple(run), run[0].line, run[0].column)


def _rows(placed: Placed, table: Table) -> Iterator[Token]:
    yield _token("TABLE_OPEN", placed)
    for index, row in enumerate(table.rows):
        line = placed.rows[index + 1] if index + 1 < len(placed.rows) else placed.line
        if not row:
            kind = "EMPTY_ROW"
        elif is_reserved_cell(row[0]):
            kind = "RESERVED_ROW"
        elif next(links(row[0]), None) is not None:
            kind = "METHOD_ROW"
        else:
            kind = "PLACEHOLDER_ROW"
        yield _token(kind, VtableEntry(kind.removesuffix("_ROW").lower(), row, line, placed.column), line, placed.column)
    yield _token("TABLE_CLOSE", placed)


@cache
def _parser() -> Lark:
    # The transformer runs inside the LALR parser, at each reduction: no parse tree is built.
    return Lark.open(
        "structure.lark", rel_to=__file__, parser="lalr", lexer=PageLexer, maybe_placeholders=False, transformer=_ToStructure()
    )


def warm_up() -> None:
    """Build the grammar now (forked workers then inherit it)."""
    _parser()


class _ToStructure(Transformer[Token, object]):
    """Builds the ``Structure`` from the parse (each rule one object)."""

    def start(self, children: list[object]) -> Structure:
        title, intro, *sections = children
        assert isinstance(title, Token) and isinstance(intro, tuple)
        blocks, properties = intro
        return Structure(title.value, blocks, properties, tuple(s for s in sections if isinstance(s, Section)))

    def intro(self, children: list[Token]) -> tuple[tuple[Placed, ...], tuple[Placed, ...]]:
        blocks: list[Placed] = []
        properties: list[Placed] = []
        for child in children:
            if child.type == "PROPERTIES":
                properties.append(child.value)
            else:
                blocks.extend(child.value)
        return tuple(blocks), tuple(properties)

    def vtable_section(self, children: list[object]) -> Section:
        heading, *rest = children
        rows: list[VtableEntry] = []
        blocks: list[Placed] = []
        for child in rest:
            if isinstance(child, list):
                rows.extend(child)
            else:
                blocks.extend(_blocks(child))
        return _section(heading, tuple(blocks), rows=tuple(rows))

    def vtable(self, children: list[object]) -> list[VtableEntry]:
        return [c for c in children if isinstance(c, VtableEntry)]

    def method_row(self, children: list[Token]) -> VtableEntry:
        entry = children[0].value
        assert isinstance(entry, VtableEntry)
        return entry

    placeholder_row = method_row
    reserved_row = method_row

    def parameters(self, children: list[object]) -> Section:
        return self._entries(children)

    def return_values(self, children: list[object]) -> Section:
        return self._entries(children)

    def _entries(self, children: list[object]) -> Section:
        heading, *rest = children
        entries = tuple(c for c in rest if isinstance(c, Entry))
        lead = [b for c in rest if not isinstance(c, Entry) for b in _blocks(c)]
        blocks = (*lead, *(b for e in entries for b in (e.first, *e.body)))
        return _section(heading, blocks, entries=entries)

    def param(self, children: list[Token]) -> Entry:
        named = children[0].value
        assert isinstance(named, _Named)
        return Entry(named.name, named.placed, _blocks(children[1]) if len(children) > 1 else ())

    return_value = param

    def other_section(self, children: list[object]) -> Section:
        heading, *rest = children
        return _section(heading, tuple(b for c in rest for b in _blocks(c)))


def _blocks(child: object) -> tuple[Placed, ...]:
    assert isinstance(child, Token) and child.type == "BLOCKS"
    blocks: tuple[Placed, ...] = child.value
    return blocks


def _section(
    heading: object, blocks: tuple[Placed, ...], entries: tuple[Entry, ...] = (), rows: tuple[VtableEntry, ...] = ()
) -> Section:
    assert isinstance(heading, Token) and isinstance(heading.value, _Named)
    return Section(heading.value.name, heading.value.placed, blocks, entries, rows)


def read_structure(blocks: Sequence[Placed]) -> Structure:
    """The structure of a page from its placed blocks; ``NoTitle`` when it has no level-1 heading."""
    if not any(isinstance(b.block, Heading) and b.block.level == 1 for b in blocks):
        raise NoTitle
    try:
        structure = _parser().parse(blocks)  # the custom lexer reads blocks, not text
    except UnexpectedInput as exc:  # the grammar accepts every sequence of named blocks
        raise AssertionError(f"structure.lark refused a page: {exc}") from None
    assert isinstance(structure, Structure)
    return structure
