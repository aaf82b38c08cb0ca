"""Reference-page front end: Markdown pages of the MAPI reference into page records.

``page.lark`` gives the block and inline structure of a page in one pass;
``_PageBuilder`` builds small block objects as the parser reduces (no tree
is built), whose inline content may still hold side-by-side sentences
(``_Sxs``); ``_PageReader``
then reads them as a MAPI developer would (title, sections by anchor,
properties table, vtable table, parameters, return values) and projects every
piece of prose onto each language the page carries.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import cast

import yaml
from lark import Lark, Token, Transformer
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)

from generator.errors import (
    MAX_LIST_NESTING,
    MAX_NESTING,
    InputError,
    check_nesting,
    check_text,
    fail,
    printable,
)
from generator.model import (
    ENGLISH,
    Block,
    BulletList,
    Code,
    CodeBlock,
    CType,
    Diagnostic,
    Direction,
    Emphasis,
    Inline,
    InterfacePage,
    LineBreak,
    Link,
    Localized,
    MethodPage,
    Note,
    PageLink,
    Paragraph,
    ParamDoc,
    Record,
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

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# Direction words as the pages write them, English and localized.
_DIRECTION_WORDS = {
    "in": Direction.IN,
    "out": Direction.OUT,
    "in, out": Direction.IN_OUT,
    "in,out": Direction.IN_OUT,
    "in-out": Direction.IN_OUT,
    "in/out": Direction.IN_OUT,
    "out, in": Direction.IN_OUT,
    "entrada": Direction.IN,
    "en": Direction.IN,
    "salida": Direction.OUT,
    "entrada, salida": Direction.IN_OUT,
    "entrada salida": Direction.IN_OUT,
    "entrada/salida": Direction.IN_OUT,
}

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

# The rules of page.lark that nest inline content (checked against MAX_NESTING).
_NESTING_RULES = ("strong", "star_emphasis", "link", "bracketed", "sxs", "span")
# Tokens of page.lark that are whole inline elements (one level of nesting each).
_PLAIN_ELEMENTS = frozenset({"PLAIN_STRONG", "PLAIN_LINK", "PLAIN_SXS"})
_PLAIN_SXS_HALVES = re.compile(r'<span data-ttu-id="[^"]*">([^<]*)</span><span class="sxs-lookup"><span data-stu-id="[^"]*">([^<]*)</span></span>')
_NESTED = "inline elements (spans, links, bold, italic, brackets)"

# PyYAML's libyaml-based loader where it is built in (same results, several times faster).
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A language tag as front matter gives it (ms.contentlocale: es-ES).
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")


def warm_up() -> None:
    """Build the page grammar now: worker processes forked afterwards inherit it instead of each building it."""
    _parser()


@cache
def _parser() -> Lark:
    """The page parser: blocks are built during the parse, by ``_PageBuilder``."""
    return Lark.open(
        "page.lark",
        rel_to=__file__,
        parser="lalr",
        start=["start", "prototype"],
        transformer=_PageBuilder(),
        maybe_placeholders=False,
    )


@cache
def _tree_parser() -> Lark:
    """The same grammar building a tree with positions: only to locate a nesting error."""
    return Lark.open("page.lark", rel_to=__file__, parser="lalr", propagate_positions=True)


# --- what the transformer builds ---------------------------------------------


@dataclass(frozen=True, slots=True)
class _Sxs:
    """A side-by-side sentence: localized text and its English twin (``depth``: nesting inside)."""

    local: tuple[_Inline, ...]
    english: tuple[_Inline, ...]
    line: int = 0
    column: int = 0
    depth: int = 1


@dataclass(frozen=True, slots=True)
class _Anchor:
    name: str


@dataclass(frozen=True, slots=True)
class _Bi:
    """Inline containers whose children may hold ``_Sxs`` (projected later)."""

    kind: str
    children: tuple[_Inline, ...]
    target: str = ""
    line: int = 0
    column: int = 0
    depth: int = 1


@dataclass(frozen=True, slots=True)
class _CodeSpan:
    """A code span and where its text starts (GUID definitions in prose are read from these)."""

    text: str
    line: int
    column: int


_Inline = Text | _CodeSpan | LineBreak | _Sxs | _Anchor | _Bi


@dataclass(frozen=True, slots=True)
class _Heading:
    level: int
    inlines: tuple[_Inline, ...]
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class _Fence:
    info: str
    code: str
    first_line: int
    column: int

    @property
    def line(self) -> int:
        return self.first_line - 1


@dataclass(frozen=True, slots=True)
class _Row:
    cells: tuple[tuple[_Inline, ...], ...]
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class _Table:
    header: _Row
    rows: tuple[_Row, ...]
    line: int
    column: int
    ragged: tuple[_Row, ...] = ()  # rows whose cell count differs from the header's (padded in rows)


@dataclass(frozen=True, slots=True)
class _Quote:
    inlines: tuple[_Inline, ...]
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class _Bullet:
    indent: int
    inlines: tuple[_Inline, ...]
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class _Para:
    inlines: tuple[_Inline, ...]
    line: int
    column: int


_RawBlock = _Heading | _Fence | _Table | _Quote | _Bullet | _Para


@dataclass(frozen=True, slots=True)
class CodeSample(Record):
    """Code from a page (a fenced block, or a code span), with the line and column it starts at."""

    language: str
    text: str
    first_line: int
    first_column: int = 1


@dataclass(frozen=True, slots=True)
class PageResult(Record):
    """What one page yields: a record (or None), warnings, code blocks, metadata.

    ``guid_spans`` are the code spans in its prose that hold a
    ``DEFINE_GUID``/``DEFINE_OLEGUID`` statement (a page may give an IID so).
    """

    page: InterfacePage | MethodPage | None
    diagnostics: tuple[Diagnostic, ...]
    code_samples: tuple[CodeSample, ...]
    languages: tuple[str, ...]
    title: str
    guid_spans: tuple[CodeSample, ...] = ()


@dataclass(frozen=True, slots=True)
class _FrontMatter:
    """The front matter block as the page wrote it (read with PyYAML once the page parsed)."""

    text: str
    line: int


@dataclass(frozen=True, slots=True)
class _Unclosed:
    """A front matter block or code fence that is opened and never closed."""

    message: str
    line: int
    column: int


class _PageBuilder(Transformer[Token, list[object]]):
    """Builds a page's blocks while Lark parses it (an inline LALR transformer: no tree).

    It knows nothing of the page it reads (one instance serves every page), so
    what needs the file's name, reading the front matter and reporting, is
    left to ``parse_page``; blocks carry their line and column.
    """

    # blocks

    def start(self, children: list[object]) -> list[object]:
        return [c for c in children if not isinstance(c, Token)]

    def front_matter(self, children: list[Token]) -> _FrontMatter:
        token = children[0]
        return _FrontMatter(str(token), token.line or 1)

    def unclosed_front_matter(self, children: list[Token]) -> _Unclosed:
        return _Unclosed("front matter opened here is never closed by '---'", children[0].line or 1, 1)

    def heading(self, children: list[object]) -> _Heading:
        hashes = children[0]
        assert isinstance(hashes, Token)
        return _Heading(len(hashes.strip()), _inlines(children[1:]), hashes.line or 1, hashes.column or 1)

    def fence(self, children: list[Token]) -> _Fence:
        token = children[0]
        lines = str(token).split("\n")
        info = lines[0].strip().lstrip("`").strip()
        code = "\n".join(lines[1:-2]) + "\n"
        return _Fence(info, code, (token.line or 1) + 1, token.column or 1)

    def unclosed_fence(self, children: list[Token]) -> _Unclosed:
        token = children[0]
        return _Unclosed("code fence opened here is never closed by '```'", token.line or 1, token.column or 1)

    def table(self, children: list[object]) -> _Table:
        rows = [c for c in children if isinstance(c, _Row)]
        header = rows[0]
        width = len(header.cells)
        ragged = tuple(row for row in rows[1:] if len(row.cells) != width)
        body = tuple(
            row if len(row.cells) == width else _Row((row.cells + ((),) * width)[:width], row.line, row.column)
            for row in rows[1:]
        )
        return _Table(header, body, header.line, header.column, ragged)

    def table_row(self, children: list[object]) -> _Row:
        pipe = children[0]
        assert isinstance(pipe, Token)
        cells = [c for c in children if isinstance(c, tuple)]
        if cells and not _plain(cells[-1]).strip():
            cells.pop()
        return _Row(tuple(cells), pipe.line or 1, pipe.column or 1)

    def cell(self, children: list[object]) -> tuple[_Inline, ...]:
        return _inlines(children)

    def quote_line(self, children: list[object]) -> _Quote:
        mark = children[0]
        assert isinstance(mark, Token)
        return _Quote(_inlines(children[1:]), mark.line or 1, mark.column or 1)

    def bullet(self, children: list[object]) -> _Bullet:
        mark = children[0]
        assert isinstance(mark, Token)
        indent = len(mark) - len(mark.lstrip(" \t"))
        return _Bullet(indent, _inlines(children[1:]), mark.line or 1, mark.column or 1)

    def paragraph(self, children: list[_Para]) -> _Para:
        first = children[0]
        if len(children) == 1:
            return first
        joined: list[_Inline] = []
        for line in children:
            if joined:
                joined.append(Text(" "))
            joined.extend(line.inlines)
        return _Para(tuple(joined), first.line, first.column)

    def text_line(self, children: list[object]) -> _Para:
        """One line of a paragraph (``paragraph`` joins them)."""
        line, column = _position(children[0])
        return _Para(_inlines(children), line, column)

    # inline

    def strong(self, children: list[object]) -> _Bi:
        return _container("strong", children, children[1:-1])

    def star_emphasis(self, children: list[object]) -> _Bi:
        return _container("emphasis", children, children[1:-1])

    def link(self, children: list[object]) -> _Bi:
        return _container("link", children, children[1:-1], _link_target(str(children[-1])))

    def bracketed(self, children: list[object]) -> _Bi:
        return _container("group", children, [Text("["), *children[1:-1], Text("]")])

    def sxs(self, children: list[object]) -> _Sxs:
        kinds = [c.type if isinstance(c, Token) else "" for c in children]
        sxs_open = kinds.index("SXS_OPEN")
        line, column = _position(children[0])
        return _Sxs(
            _inlines(children[1 : sxs_open - 1]),
            _inlines(children[sxs_open + 2 : -2]),
            line,
            column,
            _depth(children),
        )

    def span(self, children: list[object]) -> _Bi:
        return _container("group", children, children[1:-1])


class _TooDeep(Exception):
    """Inline elements nest past ``MAX_NESTING`` (``parse_page`` reports where)."""


def _depth(children: Iterable[object]) -> int:
    """How deep an inline container holding ``children`` nests; past the limit, ``_TooDeep``."""
    depth = 1 + max(map(_element_depth, children), default=0)
    if depth > MAX_NESTING:
        raise _TooDeep
    return depth


def _element_depth(child: object) -> int:
    """How deep a child nests: its own depth if it is an element, else 0."""
    if isinstance(child, (_Bi, _Sxs)):
        return child.depth
    return 1 if isinstance(child, Token) and child.type in _PLAIN_ELEMENTS else 0


def _link_target(tail: str) -> str:
    """The target of a link from its ``](target "title")`` tail: the title is dropped."""
    return tail[2:-1].strip().split(" ", 1)[0]


def _container(kind: str, children: list[object], content: Iterable[object], target: str = "") -> _Bi:
    line, column = _position(children[0])
    return _Bi(kind, _inlines(content), target, line, column, _depth(children))


def _position(child: object) -> tuple[int, int]:
    """Where a parsed child starts: a token's position, or the one its builder kept."""
    if isinstance(child, (Token, _Bi, _Sxs)):
        return child.line or 1, child.column or 1
    return 1, 1


def _front_matter(path: str, text: str, block: _FrontMatter) -> dict[str, object]:
    """The front matter's keys and values; YAML errors are located in the page."""
    body = "\n".join(block.text.split("\n")[1:-2])
    first = block.line + 1
    try:
        _check_yaml_nesting(path, text, body, first)
        data = yaml.load(body, Loader=_YamlLoader) if body.strip() else {}
    except yaml.YAMLError as exc:
        raise _yaml_error(path, text, body, first, exc) from None
    except RecursionError:
        raise fail("front matter: YAML nested too deeply to read", path, text, first, 1) from None
    except (ValueError, TypeError, OverflowError) as exc:  # PyYAML's constructors: a date 2020-13-45
        raise fail(f"front matter: {exc}", path, text, first + _failing_line(body), 1) from None
    if not isinstance(data, dict):
        raise fail("front matter is not a mapping of keys to values", path, text, block.line, 1)
    metadata = {str(k): v for k, v in data.items()}
    locale = metadata.get("ms.contentlocale")
    if locale and not (isinstance(locale, str) and _LANGUAGE_TAG.fullmatch(locale)):
        lines = body.split("\n")
        line = next((first + i for i, text in enumerate(lines) if "ms.contentlocale" in text), first)
        shown = repr(locale) if isinstance(locale, str) else f"of type {type(locale).__name__}"
        message = f"front matter: ms.contentlocale {shown} is not a language tag such as es-ES"
        raise fail(message, path, text, line, 1)
    return metadata


def _yaml_error(path: str, text: str, body: str, first: int, error: yaml.YAMLError) -> InputError:
    """The located error for front matter the fast loader refused.

    The message and position are those of PyYAML's pure Python loader, so
    they do not depend on whether libyaml is installed.
    """
    try:
        yaml.safe_load(body)
    except yaml.YAMLError as exc:
        error = exc
    mark = getattr(error, "problem_mark", None)
    line = first + (mark.line if mark else 0)
    column = (mark.column + 1) if mark else 1
    problem = getattr(error, "problem", None) or "invalid YAML"
    return fail(f"front matter: {problem}", path, text, line, column)


def _check_yaml_nesting(path: str, text: str, body: str, first: int) -> None:
    """Refuse YAML nested deeper than ``MAX_NESTING`` (PyYAML builds its objects recursively).

    PyYAML's parser is a state machine, so its events can be counted safely.
    """
    if sum(body.count(mark) for mark in "[{-:?") <= MAX_NESTING:
        return  # every level of YAML nesting takes one of these characters
    depth = 0
    for event in yaml.parse(body, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_NESTING:
                mark = event.start_mark
                line, column = (mark.line, mark.column + 1) if mark is not None else (0, 1)
                message = f"front matter: YAML nested more than {MAX_NESTING} deep (the nesting limit)"
                raise fail(message, path, text, first + line, column)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _failing_line(body: str) -> int:
    """The index of the first front matter line whose value PyYAML cannot build (else 0).

    Constructor errors (``ms.date: 2020-13-45``) carry no position; most
    front matter is one ``key: value`` per line, so each line is tried alone.
    """
    for index, line in enumerate(body.split("\n")):
        try:
            yaml.safe_load(line)
        except (ValueError, TypeError, OverflowError):
            return index
        except yaml.YAMLError:
            continue
    return 0


def _inlines(children: Iterable[object]) -> tuple[_Inline, ...]:
    """Inline tokens and subtrees → inline nodes; adjacent text merged."""
    out: list[_Inline] = []
    for child in children:
        node: _Inline | None
        if isinstance(child, Token):
            node = _token_inline(child)
        elif isinstance(child, (Text, _CodeSpan, LineBreak, _Sxs, _Anchor, _Bi)):
            node = child
        else:
            node = None
        if node is None:
            continue
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)


def _token_inline(token: Token) -> _Inline | None:
    kind, value = token.type, str(token)
    if kind in ("TEXT", "STRAY", "PIPE"):
        return Text(html.unescape(value))
    if kind in _PLAIN_ELEMENTS:
        return _plain_element(token)
    if kind == "ESCAPE":
        return Text(value[1:])
    if kind == "CODE_SPAN":
        return _CodeSpan(value[1:-1], token.line or 1, (token.column or 1) + 1)
    if kind == "UNDERSCORE_EMPHASIS":
        return _Bi("emphasis", (Text(value[1:-1]),))
    if kind == "BREAK":
        return LineBreak()
    if kind == "ANCHOR":
        match = re.search(r'name="([^"]*)"', value)
        return _Anchor(match.group(1) if match else "")
    return None


def _plain_element(token: Token) -> _Bi | _Sxs:
    """What ``strong``, ``link`` or ``sxs`` builds, for the token of one holding only text."""
    line, column = token.line or 1, token.column or 1
    if token.type == "PLAIN_SXS":
        local, english = _PLAIN_SXS_HALVES.fullmatch(token).groups()  # type: ignore[union-attr]
        return _Sxs(_text_inlines(local), _text_inlines(english), line, column)
    if token.type == "PLAIN_STRONG":
        return _Bi("strong", _text_inlines(token[2:-2]), "", line, column)
    tail = token.index("](")
    return _Bi("link", _text_inlines(token[1:tail]), _link_target(token[tail:]), line, column)


def _text_inlines(text: str) -> tuple[_Inline, ...]:
    return (Text(html.unescape(text)),) if text else ()


# --- projection onto one language ----------------------------------------------


def _project(nodes: Sequence[_Inline], english: bool) -> tuple[Inline, ...]:
    """Choose one side of every side-by-side sentence; drop anchors; tidy spaces."""
    out: list[Inline] = []

    def add(node: Inline) -> None:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        else:
            out.append(node)

    for node in nodes:
        if isinstance(node, _Sxs):
            for inner in _project(node.english if english else node.local, english):
                add(inner)
        elif isinstance(node, _Anchor):
            continue
        elif isinstance(node, _CodeSpan):
            add(Code(node.text))
        elif isinstance(node, _Bi):
            children = _project(node.children, english)
            if node.kind == "strong":
                add(Strong(children))
            elif node.kind == "emphasis":
                add(Emphasis(children))
            elif node.kind == "link":
                add(Link(node.target, children))
            else:
                for inner in children:
                    add(inner)
        else:
            add(node)
    return _squeeze(out)


def _squeeze(nodes: list[Inline]) -> tuple[Inline, ...]:
    """Collapse runs of white space in text and trim the ends."""
    squeezed = [_single_spaced(n) if isinstance(n, Text) else n for n in nodes]
    while squeezed and isinstance(squeezed[0], (Text, LineBreak)) and not _plain([squeezed[0]]).strip():
        squeezed.pop(0)
    while squeezed and isinstance(squeezed[-1], (Text, LineBreak)) and not _plain([squeezed[-1]]).strip():
        squeezed.pop()
    if squeezed and isinstance(squeezed[0], Text):
        squeezed[0] = Text(squeezed[0].text.lstrip())
    if squeezed and isinstance(squeezed[-1], Text):
        squeezed[-1] = Text(squeezed[-1].text.rstrip())
    return tuple(squeezed)


_SPACE_RUN = re.compile(r"\s+")


def _single_spaced(node: Text) -> Text:
    text = _SPACE_RUN.sub(" ", node.text)
    return node if text == node.text else Text(text)


def _plain(nodes: Iterable[object], english: bool = True) -> str:
    """The text of inline nodes, without markup."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, (Text, Code, _CodeSpan)):
            parts.append(node.text)
        elif isinstance(node, _Sxs):
            parts.append(_plain(node.english if english else node.local, english))
        elif isinstance(node, (_Bi, Strong, Emphasis, Link)):
            parts.append(_plain(node.children, english))
        elif isinstance(node, LineBreak):
            parts.append(" ")
    return "".join(parts)


def _has_sxs(nodes: Iterable[object]) -> bool:
    for node in nodes:
        if isinstance(node, _Sxs):
            return True
        if isinstance(node, _Bi) and _has_sxs(node.children):
            return True
    return False


# --- reading a page ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Section:
    ident: str
    heading: _Heading | None
    blocks: tuple[_RawBlock, ...]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _section_id(heading: _Heading) -> str:
    for node in heading.inlines:
        if isinstance(node, _Anchor) and node.name:
            return _SECTION_ALIASES.get(node.name, node.name)
    slug = _slug(_plain(heading.inlines))
    return _SECTION_ALIASES.get(slug, slug)


class _PageReader:
    """Reads the blocks of one page into an interface or method page record."""

    def __init__(self, path: str, text: str, blocks: list[_RawBlock], meta: dict[str, object]) -> None:
        self.path = path
        self.text = text
        self.blocks = blocks
        locale = meta.get("ms.contentlocale")
        self.local_language = str(locale) if locale else ENGLISH
        self.side_by_side = any(_block_has_sxs(b) for b in blocks)
        self.diagnostics: list[Diagnostic] = []

    @property
    def languages(self) -> tuple[str, ...]:
        if self.side_by_side and self.local_language != ENGLISH:
            return (self.local_language, ENGLISH)
        return (self.local_language,)

    def warn(self, code: str, message: str, loc: SourceLoc) -> None:
        self.diagnostics.append(Diagnostic(Severity.WARNING, code, message, loc))

    def error(self, message: str, loc: SourceLoc) -> InputError:
        return fail(message, self.path, self.text, loc.line, loc.column)

    def loc(self, block: _RawBlock | _Row) -> SourceLoc:
        return SourceLoc(self.path, block.line, block.column)

    # language projection

    def inline(self, nodes: Sequence[_Inline]) -> Localized[tuple[Inline, ...]]:
        return Localized(
            tuple((lang, _project(nodes, lang == ENGLISH and self.side_by_side)) for lang in self.languages)
        )

    def rich(self, blocks: Sequence[_RawBlock]) -> Localized[RichText]:
        try:
            return Localized(
                tuple((lang, _rich(blocks, lang == ENGLISH and self.side_by_side)) for lang in self.languages)
            )
        except _ListTooDeep as exc:
            message = f"bullet lists nested more than {MAX_LIST_NESTING} deep (the nesting limit)"
            raise self.error(message, self.loc(exc.item)) from None

    def english(self, nodes: Sequence[_Inline]) -> str:
        """The English reading of ``nodes`` (the only reading of a plain page)."""
        return re.sub(r"\s+", " ", _plain(nodes, english=True)).strip()

    # structure

    def sections(self) -> tuple[_Heading, list[_RawBlock], list[_Section]]:
        title: _Heading | None = None
        intro: list[_RawBlock] = []
        sections: list[_Section] = []
        current: list[_RawBlock] | None = None
        heading: _Heading | None = None
        for block in self.blocks:
            if isinstance(block, _Heading) and block.level == 1 and title is None:
                title = block
                continue
            if isinstance(block, _Heading) and block.level == 2:
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

    def read(self) -> InterfacePage | MethodPage | None:
        title, intro, sections = self.sections()
        heading = self.english(title.inlines)
        if "::" in heading:
            return self.method_page(heading, title, intro, sections)
        if ":" in heading:
            idents = {s.ident for s in sections}
            if "vtable-order" not in idents and idents & {"parameters", "return-value"}:
                self.warn(
                    "method-title",
                    f"title {heading!r} reads as a method page: ':' where '::' was meant",
                    self.loc(title),
                )
                return self.method_page(heading.replace(":", "::", 1), title, intro, sections)
            return self.interface_page(heading, title, intro, sections)
        return None

    def interface_page(
        self, heading: str, title: _Heading, intro: list[_RawBlock], sections: list[_Section]
    ) -> InterfacePage:
        match = re.fullmatch(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(\S*)\s*", heading)
        if not match:
            raise self.error(f"interface title {heading!r} is not 'IName : IBase'", self.loc(title))
        name, base = match.group(1), match.group(2)
        if not base:
            raise self.error(f"interface {name} names no base interface after ':'", self.loc(title))
        if not IDENTIFIER.fullmatch(base):
            raise self.error(f"base interface {base!r} of {name} is not an identifier", self.loc(title))
        properties: dict[str, tuple[_Inline, ...]] = {}
        description: list[_RawBlock] = []
        for block in intro:
            if isinstance(block, _Table) and self._properties(block, properties):
                continue
            if _is_applies_to(block):
                continue
            description.append(block)
        vtable_section = _find(sections, "vtable-order")
        vtable_blocks = list(vtable_section.blocks) if vtable_section else []
        for extra_table in [b for b in vtable_blocks if isinstance(b, _Table)]:
            if self._properties(extra_table, properties):
                vtable_blocks.remove(extra_table)
        iid_symbol = self.english(properties["iid"]) if "iid" in properties else None
        if iid_symbol is not None and not IDENTIFIER.fullmatch(iid_symbol):
            iid_symbol = None
        empty: tuple[_Inline, ...] = ()
        return InterfacePage(
            path=self.path,
            name=name,
            base=base,
            iid_symbol=iid_symbol,
            implemented_by=self.inline(properties.get("implemented_by", empty)),
            called_by=self.inline(properties.get("called_by", empty)),
            description=self.rich(description),
            vtable=self.vtable_rows(_vtable_tables(name, vtable_blocks)),
            see_also=self.see_also(_find(sections, "see-also")),
            loc=self.loc(title),
        )

    def _properties(self, table: _Table, into: dict[str, tuple[_Inline, ...]]) -> bool:
        """Read a properties table (Implemented by / Called by / Interface identifier)."""
        found: dict[str, tuple[_Inline, ...]] = {}
        for row in (table.header, *table.rows):
            if len(row.cells) < 2:
                continue
            label = self.english(row.cells[0]).rstrip(": ").lower()
            key = _PROPERTY_LABELS.get(label)
            value = self.english(row.cells[1])
            if key is None and IDENTIFIER.fullmatch(value) and value.startswith("IID_"):
                key = "iid"
            if key is not None:
                found[key] = row.cells[1]
        into.update(found)
        return bool(found)

    def vtable_rows(self, tables: list[_Table]) -> tuple[VtableRow, ...]:
        rows: list[VtableRow] = []
        reserved = 0
        for block in tables:
            for row in block.rows:
                if row.cells and _is_reserved_cell(row.cells[0]):
                    reserved += 1
                    summary = self.inline(row.cells[1] if len(row.cells) > 1 else ())
                    rows.append(VtableRow(f"Reserved{reserved}", None, RowKind.RESERVED, summary, self.loc(row)))
                    continue
                entry = self.vtable_row(row)
                if entry is not None:
                    rows.append(entry)
        return tuple(rows)

    def vtable_row(self, row: _Row) -> VtableRow | None:
        if not row.cells:
            return None
        first = row.cells[0]
        link = _first_link(first)
        summary = self.inline(row.cells[1] if len(row.cells) > 1 else ())
        text = self.english(link.children if link else first)
        name = _member_name(text)
        if name is None:
            self.warn("vtable-row", f"vtable row {text!r} names no method", self.loc(row))
            return None
        kind = RowKind.METHOD if link is not None else RowKind.PLACEHOLDER
        return VtableRow(name, link.target if link else None, kind, summary, self.loc(row))

    def see_also(self, section: _Section | None) -> tuple[PageLink, ...]:
        if section is None:
            return ()
        links: list[PageLink] = []
        for block in section.blocks:
            if isinstance(block, (_Para, _Bullet)):
                for node in _links(block.inlines):
                    links.append(PageLink(node.target, self.inline(node.children)))
        return tuple(links)

    def method_page(
        self, heading: str, title: _Heading, intro: list[_RawBlock], sections: list[_Section]
    ) -> MethodPage:
        match = re.fullmatch(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*::\s*([A-Za-z_][A-Za-z0-9_]*)\s*", heading)
        if not match:
            raise self.error(f"method title {heading!r} is not 'IName::Method'", self.loc(title))
        interface, name = match.group(1), match.group(2)
        summary: list[_RawBlock] = []
        return_type: CType | None = None
        syntax: tuple[SyntaxParam, ...] = ()
        seen_syntax = False
        for block in intro:
            if isinstance(block, _Fence) and not seen_syntax:
                seen_syntax = True
                parsed = self.prototype(block)
                if parsed is not None:
                    return_type, syntax = parsed
                continue
            if _is_applies_to(block):
                continue
            if not seen_syntax:
                summary.append(block)
        remarks: list[_RawBlock] = []
        for section in sections:
            if section.ident == "remarks" or section.ident.startswith("notes-to"):
                if remarks and section.heading is not None:
                    label = section.heading
                    remarks.append(_Para((_Bi("strong", label.inlines),), label.line, label.column))
                remarks.extend(section.blocks)
        return MethodPage(
            path=self.path,
            interface=interface,
            name=name,
            return_type=return_type,
            syntax=syntax,
            summary=self.rich(summary),
            params=self.params(_find(sections, "parameters"), syntax),
            return_values=self.return_values(_find(sections, "return-value")),
            remarks=self.rich(remarks),
            loc=self.loc(title),
        )

    def prototype(self, fence: _Fence) -> tuple[CType | None, tuple[SyntaxParam, ...]] | None:
        try:
            tree = _parser().parse(fence.code, start="prototype")
        except UnexpectedInput as exc:
            loc = SourceLoc(self.path, fence.first_line + exc.line - 1, exc.column)
            self.warn("syntax-block", "the C syntax block is not a prototype; page types ignored", loc)
            return None
        words_tree, *rest = [c for c in tree.children if not isinstance(c, Token)]
        words = [str(t).strip() for t in words_tree.children if isinstance(t, Token) and t.type == "C_WORD"]
        words = [w for w in words if w not in ("STDMETHODCALLTYPE", "STDMETHODIMP", "WINAPI")]
        return_type = CType(words[0]) if len(words) >= 2 else None
        params: list[SyntaxParam] = []
        for params_tree in rest:
            for param in params_tree.children:
                if isinstance(param, Token):
                    continue
                line, column = _position(param.children[0])
                loc = SourceLoc(self.path, fence.first_line + line - 1, column)
                declarations = _c_param(param.children)
                if len(declarations) > 1:
                    self.warn("syntax-comma", "the C syntax block misses a ',' between two parameters", loc)
                params.extend(SyntaxParam(pname, ctype, loc) for ctype, pname in declarations)
        names = [p.name for p in params]
        twice = next((n for i, n in enumerate(names) if n in names[:i]), None)
        if twice is not None:
            loc = next(p.loc for i, p in enumerate(params) if p.name == twice and p.name in names[:i])
            self.warn("syntax-block", f"the C syntax block names parameter {twice} twice; page types ignored", loc)
            return None
        return return_type, tuple(params)

    def params(self, section: _Section | None, syntax: tuple[SyntaxParam, ...]) -> tuple[ParamDoc, ...]:
        """Documented parameters; an entry the syntax block does not name is a flag of the one before."""
        if section is None:
            return ()
        declared = {p.name for p in syntax}
        entries: list[tuple[str, SourceLoc, list[_RawBlock]]] = []
        for name, first, blocks in _entries(section.blocks, _param_name):
            if declared and name not in declared and entries:
                heading = _Para((_Bi("strong", (Text(name),)),), first.line, first.column)
                entries[-1][2].extend([heading, *blocks])
                continue
            entries.append((name, self.loc(first), list(blocks)))
        return tuple(
            ParamDoc(name, self.direction(blocks, loc), self.rich(blocks), loc)
            for name, loc, blocks in entries
        )

    def direction(self, blocks: list[_RawBlock], loc: SourceLoc) -> Direction | None:
        for block in blocks:
            if isinstance(block, (_Quote, _Para)):
                text = self.english(block.inlines)
                match = re.match(r"\[([^\]]*)\]", text)
                if not match:
                    return None
                word = re.sub(r"\s+", " ", match.group(1).strip().lower())
                if word in _DIRECTION_WORDS:
                    return _DIRECTION_WORDS[word]
                self.warn("direction", f"unknown parameter direction [{printable(match.group(1))}]", self.loc(block))
                return None
        return None

    def return_values(self, section: _Section | None) -> tuple[ReturnValueDoc, ...]:
        if section is None:
            return ()
        return tuple(
            ReturnValueDoc(code, self.rich(blocks))
            for code, _, blocks in _entries(section.blocks, _return_code)
        )


def _block_has_sxs(block: _RawBlock) -> bool:
    if isinstance(block, (_Heading, _Quote, _Bullet, _Para)):
        return _has_sxs(block.inlines)
    if isinstance(block, _Table):
        return any(_has_sxs(cell) for row in (block.header, *block.rows) for cell in row.cells)
    return False


def _is_reserved_cell(cell: tuple[_Inline, ...]) -> bool:
    """An unnamed slot: no link, and words rather than a method name ("Placeholder member.")."""
    if _first_link(cell):
        return False
    text = re.sub(r"\s+", " ", _plain(cell)).strip(" *.")
    return not IDENTIFIER.fullmatch(text)


def _vtable_tables(interface: str, blocks: list[_RawBlock]) -> list[_Table]:
    """The tables of the vtable section that list methods.

    A table lists methods when a member cell links to one of the interface's
    method pages (named after the interface), or when no member cell links anywhere (placeholder rows).
    Tables whose member cells link elsewhere list the properties the
    interface's objects carry ("no unique methods" pages put them here).
    """
    prefix = interface.lower()
    tables: list[_Table] = []
    for table in (b for b in blocks if isinstance(b, _Table)):
        targets = [link.target.lower() for row in table.rows for link in _links(row.cells[0] if row.cells else ())]
        if any(t.startswith(prefix) for t in targets) or not targets:
            tables.append(table)
    return tables


def _find(sections: list[_Section], ident: str) -> _Section | None:
    return next((s for s in sections if s.ident == ident), None)


def _is_applies_to(block: _RawBlock) -> bool:
    """The "**Applies to**: Outlook …" line, in any language: a bold label, a colon, products."""
    if not isinstance(block, _Para):
        return False
    nodes = [n for n in block.inlines if not (isinstance(n, Text) and not n.text.strip())]
    if nodes and isinstance(nodes[0], _Sxs):
        nodes = [n for n in nodes[0].english if not (isinstance(n, Text) and not n.text.strip())]
    if not nodes or not (isinstance(nodes[0], _Bi) and nodes[0].kind == "strong"):
        return False
    rest = _plain(nodes[1:]).strip()
    return rest.startswith(":") and "Outlook" in rest


def _first_link(nodes: Sequence[_Inline]) -> _Bi | None:
    return next(iter(_links(nodes)), None)


def _links(nodes: Sequence[_Inline]) -> Iterator[_Bi]:
    """Links among ``nodes`` (for side-by-side sentences, the English side's)."""
    for node in nodes:
        if isinstance(node, _Bi):
            if node.kind == "link":
                yield node
            else:
                yield from _links(node.children)
        elif isinstance(node, _Sxs):
            yield from _links(node.english)


def _member_name(text: str) -> str | None:
    """A method name from a vtable cell: ``Name``, ``IFace::Name``, or a whole signature."""
    text = text.strip().strip("*").strip()
    head = text.split("(", 1)[0].strip()
    words = IDENTIFIER.findall(head.split("::")[-1])
    return words[-1] if words else None


def _param_name(block: _RawBlock) -> str | None:
    if not isinstance(block, _Para):
        return None
    nodes = [n for n in block.inlines if not (isinstance(n, Text) and not n.text.strip())]
    if len(nodes) == 1 and isinstance(nodes[0], _Sxs):
        nodes = [n for n in nodes[0].english if not (isinstance(n, Text) and not n.text.strip())]
    if len(nodes) == 1 and isinstance(nodes[0], _Bi) and nodes[0].kind == "emphasis":
        name = _plain(nodes[0].children).strip()
        return name if IDENTIFIER.fullmatch(name) else None
    return None


def _return_code(block: _RawBlock) -> str | None:
    if not isinstance(block, _Para):
        return None
    text = _plain(block.inlines).strip()
    return text if re.fullmatch(r"[A-Z][A-Z0-9_]*", text) else None


def _entries(
    blocks: Sequence[_RawBlock], recognize: Callable[[_RawBlock], str | None]
) -> Iterator[tuple[str, _RawBlock, list[_RawBlock]]]:
    """Split a section into entries (name, first block, body) that start at a block ``recognize`` names."""
    entry: tuple[str, _RawBlock] | None = None
    body: list[_RawBlock] = []
    for block in blocks:
        found = recognize(block)
        if found is not None:
            if entry is not None:
                yield entry[0], entry[1], body
            entry, body = (found, block), []
        elif entry is not None:
            body.append(block)
    if entry is not None:
        yield entry[0], entry[1], body


_C_NOISE = frozenset({"FAR", "__RPC_FAR", "IN", "OUT", "OPTIONAL"})
_C_QUALIFIERS = frozenset({"const", "struct", "union", "enum", "unsigned", "signed"})


def _c_param(children: Sequence[object]) -> list[tuple[CType, str]]:
    """One parameter of a syntax block as (type, name); two when the page dropped a comma.

    Which word is the name is decided here: the last word, unless the type is
    a single word with no name (``void``, or ``ULONG`` alone).
    """
    words: list[str] = []
    pointers = 0
    split: list[tuple[list[str], int]] = []
    for child in children:
        if not isinstance(child, Token):
            continue
        value = str(child).strip()
        if child.type in ("C_STARS", "C_ARRAY"):
            pointers += len(value) if child.type == "C_STARS" else 1
        elif value not in _C_NOISE:
            plain = [w for w in words if w not in _C_QUALIFIERS]
            if len(plain) >= 2 and pointers == 0 and value not in _C_QUALIFIERS:
                split.append((words, 0))
                words = []
            words.append(value)
    split.append((words, pointers))
    declarations: list[tuple[CType, str]] = []
    for index, (group, stars) in enumerate(split, start=1):
        if group == ["void"] and stars == 0:
            continue
        const = "const" in group
        names = [w for w in group if w != "const"]
        name = names.pop() if len([w for w in names if w not in _C_QUALIFIERS]) >= 2 else f"arg{index}"
        if names:
            declarations.append((CType(" ".join(names), stars, const), name))
    return declarations


def _rich(blocks: Sequence[_RawBlock], english: bool) -> RichText:
    """Raw blocks → model blocks in one language; bullets nest by indentation."""
    out: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if isinstance(block, _Para):
            out.append(Paragraph(_project(block.inlines, english)))
            index += 1
        elif isinstance(block, _Fence):
            out.append(CodeBlock(block.info, block.code))
            index += 1
        elif isinstance(block, _Table):
            out.append(
                Table(
                    tuple(_project(c, english) for c in block.header.cells),
                    tuple(tuple(_project(c, english) for c in row.cells) for row in block.rows),
                )
            )
            index += 1
        elif isinstance(block, _Quote):
            end = index
            while end < len(blocks) and isinstance(blocks[end], _Quote):
                end += 1
            out.extend(_quote(blocks[index:end], english))
            index = end
        elif isinstance(block, _Bullet):
            end = index
            while end < len(blocks) and isinstance(blocks[end], _Bullet):
                end += 1
            out.append(_bullets([b for b in blocks[index:end] if isinstance(b, _Bullet)], english))
            index = end
        elif isinstance(block, _Heading):
            out.append(Paragraph((Strong(_project(block.inlines, english)),)))
            index += 1
        else:
            index += 1
    return tuple(b for b in out if not (isinstance(b, Paragraph) and not b.inlines))


def _quote(lines: Sequence[_RawBlock], english: bool) -> list[Block]:
    """Quote lines: a ``[!NOTE]`` alert becomes a Note, a plain quote its paragraphs."""
    paragraphs: list[list[Inline]] = [[]]
    for line in lines:
        assert isinstance(line, _Quote)
        projected = _project(line.inlines, english)
        if not projected:
            paragraphs.append([])
            continue
        if paragraphs[-1]:
            paragraphs[-1].append(Text(" "))
        paragraphs[-1].extend(projected)
    blocks: list[Block] = [Paragraph(tuple(p)) for p in paragraphs if p]
    first = blocks[0] if blocks else None
    if isinstance(first, Paragraph) and first.inlines and isinstance(first.inlines[0], Text):
        alert = re.match(r"\[!(\w+)\]\s*", first.inlines[0].text)
        if alert:
            rest = (Text(first.inlines[0].text[alert.end() :]), *first.inlines[1:])
            body = (Paragraph(_squeeze(list(rest))), *blocks[1:])
            return [Note(alert.group(1).lower(), tuple(b for b in body if not (isinstance(b, Paragraph) and not b.inlines)))]
    return blocks


class _ListTooDeep(Exception):
    """Bullet lists nest past ``MAX_LIST_NESTING`` (the reader reports where)."""

    def __init__(self, item: _Bullet) -> None:
        super().__init__()
        self.item = item


def _bullets(items: Sequence[_Bullet], english: bool, depth: int = 1) -> BulletList:
    """Bullet lines as a list, nested by indentation (refused past ``MAX_LIST_NESTING`` levels)."""
    if depth > MAX_LIST_NESTING:
        raise _ListTooDeep(items[0])
    base = items[0].indent
    grouped: list[tuple[Block, ...]] = []
    index = 0
    while index < len(items):
        item = items[index]
        end = index + 1
        while end < len(items) and items[end].indent > base:
            end += 1
        content: list[Block] = [Paragraph(_project(item.inlines, english))]
        if end > index + 1:
            content.append(_bullets(items[index + 1 : end], english, depth + 1))
        grouped.append(tuple(content))
        index = end
    return BulletList(tuple(grouped))


# --- entry point -------------------------------------------------------------------


def normalize(text: str) -> str:
    """Drop a BOM, turn CRLF/CR into LF, end with a newline (lines and columns keep)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") else text + "\n"


def parse_page(path: str, text: str) -> PageResult:
    """Parse one reference page; raise ``InputError`` on malformed input (and on no other)."""
    text = normalize(text)
    check_text(path, text)
    try:
        parsed = _parser().parse(text, start="start")
    except UnexpectedInput as exc:
        raise _syntax_error(path, text, exc) from None
    except _TooDeep:
        raise _nesting_error(path, text) from None
    assert isinstance(parsed, list)
    metadata: dict[str, object] = {}
    blocks: list[_RawBlock] = []
    warnings: list[Diagnostic] = []
    for item in parsed:
        if isinstance(item, _Unclosed):
            raise fail(item.message, path, text, item.line, item.column)
        if isinstance(item, _FrontMatter):
            metadata = _front_matter(path, text, item)
            continue
        if isinstance(item, _Table):
            width = len(item.header.cells)
            warnings += [
                Diagnostic(
                    Severity.WARNING,
                    "table-cells",
                    f"table row has {len(row.cells)} cell(s), the table's header has {width}",
                    SourceLoc(path, row.line, row.column),
                )
                for row in item.ragged
            ]
        blocks.append(cast(_RawBlock, item))
    reader = _PageReader(path, text, blocks, metadata)
    page = reader.read()
    samples = tuple(CodeSample(b.info, b.code, b.first_line) for b in blocks if isinstance(b, _Fence))
    title_value = metadata.get("title", "")
    # Only a scalar: str() of a YAML alias "bomb" would expand it.
    title = "" if isinstance(title_value, (list, dict, set, tuple)) else str(title_value)
    return PageResult(
        page, tuple(warnings + reader.diagnostics), samples, reader.languages, title, _guid_spans(blocks)
    )


_GUID_STATEMENT = re.compile(r"\s*DEFINE_(?:OLE)?GUID\s*\(")


def _guid_spans(blocks: list[_RawBlock]) -> tuple[CodeSample, ...]:
    """The code spans of the page's prose (English side) that start a GUID definition."""
    found: list[CodeSample] = []

    def visit(nodes: Iterable[_Inline]) -> None:
        for node in nodes:
            if isinstance(node, _CodeSpan) and _GUID_STATEMENT.match(node.text):
                found.append(CodeSample("c", node.text, node.line, node.column))
            elif isinstance(node, _Bi):
                visit(node.children)
            elif isinstance(node, _Sxs):
                visit(node.english)

    for block in blocks:
        if isinstance(block, _Table):
            for row in (block.header, *block.rows):
                for cell in row.cells:
                    visit(cell)
        elif not isinstance(block, _Fence):
            visit(block.inlines)
    return tuple(found)


def _nesting_error(path: str, text: str) -> InputError:
    """The error for inline elements nested past the limit, located with a positioned tree.

    The page builder keeps no positions and stops at the first element past
    the limit, so the page is parsed again into a tree; a syntax error further
    on wins, as it does for any page.
    """
    try:
        tree = _tree_parser().parse(text)
        check_nesting(tree, _NESTING_RULES, _NESTED, path, text, _PLAIN_ELEMENTS)
    except UnexpectedInput as exc:
        return _syntax_error(path, text, exc)
    except InputError as exc:
        return exc
    raise AssertionError("the tree parser finds no nesting the page builder found")


def _syntax_error(path: str, text: str, exc: UnexpectedInput) -> InputError:
    opener = _unclosed_opener(exc)
    if opener is not None:
        mark = _OPENERS[opener.type]
        escaped = "".join("\\" + c for c in mark)
        hint = f" (write '{escaped}' for a literal '{mark}')" if mark in ("*", "**", "[") else ""
        message = f"'{mark}' opened here is not closed on its line{hint}"
        return fail(message, path, text, opener.line or 1, opener.column or 1)
    return fail(_describe(exc), path, text, exc.line, exc.column)


# Tokens that open an inline element, as a message names them.
_OPENERS = {
    "STRONG_MARK": "**",
    "STAR": "*",
    "LBRACKET": "[",
    "SPAN_OPEN": "<span>",
    "TTU_OPEN": "<span>",
    "SXS_OPEN": "<span>",
    "STU_OPEN": "<span>",
}


def _unclosed_opener(exc: UnexpectedInput) -> Token | None:
    """At the end of a line or the page, the innermost inline element still open, if any."""
    if not isinstance(exc, UnexpectedToken) or exc.token.type not in ("_NL", "BLANK", "$END"):
        return None
    stack = getattr(exc.state, "value_stack", None) or ()
    return next((t for t in reversed(stack) if isinstance(t, Token) and t.type in _OPENERS), None)


def _describe(exc: UnexpectedInput) -> str:
    if isinstance(exc, UnexpectedCharacters):
        return f"unexpected character {exc.char!r}"
    if isinstance(exc, UnexpectedEOF):
        return "unexpected end of page"
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        if token.type == "$END":
            return "unexpected end of page: an inline element ('**', '*', '[' or <span>) is not closed"
        return f"unexpected {str(token)!r}: an inline element is not closed or not opened"
    return "malformed page"
