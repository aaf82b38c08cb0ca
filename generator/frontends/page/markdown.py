"""CommonMark stage: one language's text of a page → its top-level blocks, with positions.

The Markdown is read by pulldown-cmark (through pyromark, compiled: a page
costs microseconds), with GFM tables and GFM alerts (DocFX writes its
``> [!NOTE]`` alerts the same way).  CommonMark gives every input a
rendering, so nothing here fails: unbalanced emphasis, a bare ``*`` or a stray
``[`` are text.  Its events become the model's prose types; the blocks at the
top of the page are wrapped in a ``Placed`` record saying where they start,
because the structure stage locates what it reads by them.

Raw HTML never reaches the model as markup: ``<br>`` is a line break, an
``<a name>`` anchor names its heading, the tags the pages use for layout are
dropped and their text kept, and any other tag is text.  Side-by-side spans are resolved before this stage (``sxs.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from operator import length_hint
from typing import Any, TypeVar

import pyromark

from generator.errors import MAX_LIST_NESTING, MAX_NESTING
from generator.model import (
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Emphasis,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    Note,
    OrderedList,
    Paragraph,
    Strong,
    Table,
    Text,
    ThematicBreak,
)

_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_GFM | pyromark.Options.ENABLE_STRIKETHROUGH

_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ANCHOR_TAG = re.compile(r'<a\s+name="([^"]*)"\s*>', re.IGNORECASE)
# The HTML the pages use for layout: dropped, its text kept.  Any other tag
# (``<script>``, ``<subject message class>``) is text, shown as written.
_LAYOUT_TAG = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<![A-Za-z].*?>"
    r"|</?(?:a|b|i|u|p|em|strong|code|sup|sub|img|div|span|table|tr|td|th|tbody|thead|ul|ol|li|pre|kbd|br|dl|dt|dd"
    r"|h[1-6]|hr|blockquote|font|small|big|center|tt|var|samp|cite|abbr|del|ins|s|strike|caption|col|colgroup)"
    r"(?:\s[^<>]*)?/?>",
    re.DOTALL | re.IGNORECASE,
)
_GUID_STATEMENT = re.compile(r"\s*DEFINE_(?:OLE)?GUID\s*\(")
_NESTED = f"quotes, lists, emphasis and links nested more than {MAX_NESTING} deep (the nesting limit)"
_LISTS = f"lists nested more than {MAX_LIST_NESTING} deep (the nesting limit)"


@dataclass(frozen=True, slots=True)
class Placed:
    """A top-level block of a page and where it starts (1-based line and column).

    ``anchor``: the ``<a name>`` of a heading; ``rows``: for a table, the line of
    its header row and of each body row; ``ragged``: for a table, the (line,
    cell count) of each row written with more or fewer cells than its header
    (CommonMark pads or cuts them).
    """

    block: Block
    line: int
    column: int
    anchor: str = ""
    rows: tuple[int, ...] = ()
    ragged: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class GuidSpan:
    """A code span that starts a GUID definition, and where its text starts."""

    text: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class ImageSpan:
    """An image, and where its target is written (where the image starts, for a reference-style one)."""

    target: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Document:
    """What the CommonMark stage reads from one language's text of a page.

    ``flattened``: where containers first nest past ``MAX_NESTING`` (or lists
    past ``MAX_LIST_NESTING``), and which limit: deeper levels are read as text.
    ``images``: every image the blocks hold, in the order they are written.
    """

    blocks: tuple[Placed, ...]
    guid_spans: tuple[GuidSpan, ...]
    flattened: tuple[int, int, str] | None = None
    images: tuple[ImageSpan, ...] = ()


_Stream = Iterator[tuple[Any, dict[str, int]]]  # pyromark's events: strings, and dicts of one key

# The blocks read lately, by their source: the docs folders of a user's snapshots and locales repeat
# most of their paragraphs, notes and table rows in texts that differ elsewhere (``load`` parses the
# pages of one name one after the other).  While a text defines no link reference, a block's reading
# depends only on its source: a top-level block's from the start of its line, a table row's with how
# deep it is and its table's width.  Each value holds how many events follow the block's first, to
# pass over them.  A block that notes a GUID span, an image or a flattening is not kept: those carry
# positions in their text.  Only within one process, like ``read_markdown``'s texts.
_BLOCKS: dict[bytes, tuple[Placed | None, int]] = {}  # a top-level block, placed where last read
_ROWS: dict[tuple[int, int, bytes], tuple[tuple[tuple[Inline, ...], ...], int]] = {}
_MEMO_SIZE = 4096
_K = TypeVar("_K")
_V = TypeVar("_V")


def _remember(memo: dict[_K, _V], key: _K, value: _V) -> None:
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = value


class _Positions:
    """Byte offsets (pulldown-cmark's ranges) → line and column (in characters).

    The line of an offset is counted from the last one asked for: the stage
    asks in nearly increasing order, so each call scans a short stretch (in C)
    and no table of line starts is built for the many texts that need few.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0
        self.line = 1

    def at(self, offset: int) -> tuple[int, int]:
        data = self.data
        if offset >= self.offset:
            self.line += data.count(b"\n", self.offset, offset)
        else:
            self.line -= data.count(b"\n", offset, self.offset)
        self.offset = offset
        start = data.rfind(b"\n", 0, offset) + 1
        if start == offset:
            return self.line, 1
        return self.line, len(data[start:offset].decode("utf-8", "replace")) + 1


# The inline containers whose tag is a plain string (links and images have a dict).
_SPANS = frozenset({"Emphasis", "Strong", "Strikethrough"})


class _Builder:
    """Turns the event stream into blocks and inlines (one pass, a stack of open containers).

    Blocks are read by one method per kind, chosen by the event's tag from a
    dict; a block's inline content is read by one loop (``inlines``) with a
    stack of open emphasis, links and images instead of a call per event and a
    recursion per container, and adjacent text is joined as it comes.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode("utf-8")
        self.positions = _Positions(self.data)
        self.guid_spans: list[GuidSpan] = []
        self.images: list[ImageSpan] = []
        self.depth = 0  # containers open (quotes, lists, emphasis, links)
        self.lists = 0  # lists open
        self.flattened: list[tuple[int, str]] = []  # (byte offset, what) where nesting past a limit was flattened
        self.memo = b"]:" not in self.data  # no link reference definition: blocks read once (``_BLOCKS``)
        self.noted = 0  # GUID spans, images and flattenings noted: a block that notes one is not kept
        self.readers: dict[str, Callable[[object, _Stream, dict[str, int]], Block | None]] = {
            "Paragraph": self.paragraph,
            "Heading": self.heading,
            "CodeBlock": self.code_block,
            "BlockQuote": self.block_quote,
            "List": self.list_block,
            "Table": self.table_block,
            "HtmlBlock": self.html_block_open,
            "Emphasis": self.span_block,
            "Strong": self.span_block,
            "Strikethrough": self.span_block,
            "Link": self.span_block,
            "Image": self.span_block,
        }

    def document(self) -> Document:
        events = list(pyromark.events_with_range(self.text, options=_OPTIONS, merge_text=True))
        stream: _Stream = iter(events)  # type: ignore[arg-type]  # pyromark's event types, read as plain dicts
        blocks: list[Placed] = []
        data = self.data
        count, rfind = data.count, data.rfind
        line, offset = 1, 0
        for event, span in stream:
            # The line and column of each top-level block, counted on from the last (positions are in order).
            start = span["start"]
            line += count(b"\n", offset, start)
            offset = start
            line_start = rfind(b"\n", 0, start) + 1
            column = 1 if line_start == start else len(data[line_start:start].decode("utf-8", "replace")) + 1
            if not self.memo:
                placed = self.top_block(event, stream, span, line, column)
                if placed is not None:
                    blocks.append(placed)
                continue
            key = data[line_start : span["end"]]
            known = _BLOCKS.get(key)
            if known is not None:
                placed, inner = known
                if inner:
                    next(islice(stream, inner - 1, None), None)  # its events, read already
                if placed is None:
                    continue
                if placed.line != line:
                    rows, ragged, shift = placed.rows, placed.ragged, line - placed.line
                    if rows:  # a table's
                        rows = tuple(r + shift for r in rows)
                        ragged = tuple((r + shift, n) for r, n in ragged)
                    placed = Placed(placed.block, line, column, placed.anchor, rows, ragged)
                blocks.append(placed)
                continue
            left, noted = length_hint(stream), self.noted
            placed = self.top_block(event, stream, span, line, column)
            if placed is not None:
                blocks.append(placed)
            if noted == self.noted:
                _remember(_BLOCKS, key, (placed, left - length_hint(stream)))
        flattened = None
        if self.flattened:
            offset, what = self.flattened[0]
            flattened = (*self.positions.at(offset), what)
        return Document(tuple(blocks), tuple(self.guid_spans), flattened, tuple(self.images))

    def top_block(self, event: object, stream: _Stream, span: dict[str, int], line: int, column: int) -> Placed | None:
        """The top-level block ``event`` opens, at ``line`` and ``column``: a heading with its anchor, a table
        with its rows' lines."""
        tag = event.get("Start") if type(event) is dict else None
        if tag == "Paragraph":  # the commonest block
            return Placed(Paragraph(self.inlines(stream)[0]), line, column)
        if type(tag) is dict and "Heading" in tag:
            inlines, anchor = self.inlines(stream, anchors=True)
            return Placed(Heading(int(tag["Heading"]["level"][1:]), inlines), line, column, anchor)
        if type(tag) is dict and "Table" in tag:
            table, rows = self.table(stream, with_rows=True)
            return Placed(table, line, column, rows=tuple(r for r, _ in rows), ragged=self.ragged(table, rows))
        block = self.block(event, stream, span)
        return Placed(block, line, column) if block is not None else None

    # blocks

    def block(self, event: object, stream: _Stream, span: dict[str, int]) -> Block | None:
        """The block ``event`` opens (its events are consumed), or None for one that renders nothing."""
        if type(event) is not dict:
            return ThematicBreak() if event == "Rule" else None
        tag = event.get("Start")
        if tag is None:
            html = event.get("Html")  # an HTML block outside a container: a single event
            return self.html_block(str(html), stream, open_=False) if html is not None else None
        reader = self.readers.get(tag if type(tag) is str else next(iter(tag), ""))
        if reader is None:
            self.flatten(stream)
            return None
        return reader(tag, stream, span)

    def paragraph(self, tag: object, stream: _Stream, span: dict[str, int]) -> Block:
        return Paragraph(self.inlines(stream)[0])

    def heading(self, tag: object, stream: _Stream, span: dict[str, int]) -> Block:
        assert isinstance(tag, dict)
        return Heading(int(tag["Heading"]["level"][1:]), self.inlines(stream)[0])

    def code_block(self, tag: object, stream: _Stream, span: dict[str, int]) -> Block:
        assert isinstance(tag, dict)
        kind = tag["CodeBlock"]
        info = kind.get("Fenced", "") if isinstance(kind, dict) else ""
        return CodeBlock(info.split(" ", 1)[0] if info else "", self.code(stream))

    def block_quote(self, tag: object, stream: _Stream, span: dict[str, int]) -> Block | None:
        assert isinstance(tag, dict)
        if self.depth >= MAX_NESTING:
            return self.flatten(stream, _NESTED)
        self.depth += 1
        inner = self.blocks(stream)
        self.depth -= 1
        alert = tag["BlockQuote"]
        return Note(str(alert).lower(), inner) if alert else BlockQuote(inner)

    def list_block(self, tag: object, stream: _Stream, span: dict[str, int]) -> Block | None:
        assert isinstance(tag, dict)
        if self.depth >= MAX_NESTING or self.lists >= MAX_LIST_NESTING:
            return self.flatten(stream, _NESTED if self.depth >= MAX_NESTING else _LISTS)
        start = tag["List"]
        self.depth += 1
        self.lists += 1
        items, tight = self.items(stream)
        self.depth -= 1
        self.lists -= 1
        return OrderedList(int(start), items, tight) if start is not None else BulletList(items, tight)

    def table_block(self, tag: object, stream: _Stream, span: dict[str, int]) -> Block:
        return self.table(stream, with_rows=False)[0]

    def html_block_open(self, tag: object, stream: _Stream, span: dict[str, int]) -> Block | None:
        return self.html_block("", stream, open_=True)

    def span_block(self, tag: object, stream: _Stream, span: dict[str, int]) -> Block:
        """Emphasis, a link or an image cannot start a block; read defensively as a paragraph."""
        return Paragraph(self.inline_container(tag, stream, span))

    def blocks(self, stream: _Stream) -> tuple[Block, ...]:
        """Blocks up to the end of the container they are in."""
        out: list[Block] = []
        block = self.block
        for event, span in stream:
            if type(event) is dict and "End" in event:
                break
            found = block(event, stream, span)
            if found is not None:
                out.append(found)
        return tuple(out)

    def items(self, stream: _Stream) -> tuple[tuple[tuple[Block, ...], ...], bool]:
        """The items of a list; tight when no item holds its text in paragraphs."""
        items: list[tuple[Block, ...]] = []
        tight = True
        for event, _ in stream:
            if type(event) is not dict:
                continue
            if "End" in event:
                break
            if event.get("Start") != "Item":
                continue
            content: list[Block] = []
            loose: list[Inline] = []
            for inner, span in stream:
                if type(inner) is dict and "End" in inner:
                    break
                if self.inline(inner, stream, span, loose):
                    continue
                if loose:
                    content.append(Paragraph(tuple(loose)))
                    loose = []
                if type(inner) is dict and inner.get("Start") == "Paragraph":
                    tight = False
                block = self.block(inner, stream, span)
                if block is not None:
                    content.append(block)
            if loose:
                content.append(Paragraph(tuple(loose)))
            items.append(tuple(content))
        return tuple(items), tight

    def table(self, stream: _Stream, with_rows: bool) -> tuple[Table, list[tuple[int, int]]]:
        """A table, and with ``with_rows`` the (line, byte offset) of its header row and of each body row."""
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        starts: list[tuple[int, int]] = []
        for event, span in stream:
            if type(event) is not dict:
                continue
            tag = event.get("Start")
            if tag == "TableRow" or tag == "TableHead":
                if with_rows:
                    offset = span["start"]
                    starts.append((self.positions.at(offset)[0], offset))
                rows.append(self.row(stream, span, len(rows[0]) if rows else -1))
            elif event.get("End") == "Table":
                break
        header, body = (rows[0], tuple(rows[1:])) if rows else ((), ())
        return Table(header, body), starts

    def row(self, stream: _Stream, span: dict[str, int], width: int) -> tuple[tuple[Inline, ...], ...]:
        """The cells of a table's row (a body row is cut or padded to the header's ``width``); a row read
        before (the same text, as deep, as wide) is not read again."""
        key = (self.depth, width, self.data[span["start"] : span["end"]]) if self.memo else None
        if key is not None:
            known = _ROWS.get(key)
            if known is not None:
                next(islice(stream, known[1] - 1, None), None)  # its events, read already
                return known[0]
            left, noted = length_hint(stream), self.noted
        cells: list[tuple[Inline, ...]] = []
        for event, _ in stream:
            if type(event) is dict:
                if event.get("Start") == "TableCell":
                    cells.append(self.inlines(stream)[0])
                elif "End" in event:  # of the row (a cell's end is read with its content)
                    break
        row = tuple(cells)
        if key is not None and noted == self.noted:
            _remember(_ROWS, key, (row, left - length_hint(stream)))
        return row

    def ragged(self, table: Table, rows: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
        """The rows whose source line holds a cell count other than the header's."""
        width = len(table.header)
        found = []
        data = self.data
        for line, offset in rows[1:]:
            start = data.rfind(b"\n", 0, offset) + 1
            end = data.find(b"\n", start)
            written = _cell_count(data[start : end if end >= 0 else len(data)].decode("utf-8", "replace"))
            if written != width:
                found.append((line, written))
        return tuple(found)

    def code(self, stream: _Stream) -> str:
        parts: list[str] = []
        for event, _ in stream:
            if type(event) is dict:
                text = event.get("Text")
                if text is not None:
                    parts.append(text)
                elif "End" in event:
                    break
        return "".join(parts)

    def html_block(self, first: str, stream: _Stream, open_: bool) -> Block | None:
        """An HTML block: its tags dropped, its text kept as a paragraph (or nothing)."""
        parts = [first]
        if open_:
            for event, _ in stream:
                if isinstance(event, dict) and "End" in event:
                    break
                if isinstance(event, dict):
                    parts.append(str(event.get("Html", event.get("Text", ""))))
        text = " ".join(_LAYOUT_TAG.sub(" ", "".join(parts)).split())
        return Paragraph((Text(text),)) if text else None

    def flatten(self, stream: _Stream, what: str = "") -> Paragraph | None:
        """A container read without recursion, as one paragraph of its text: one nested past a limit
        (``what`` says which, and the first is reported), or one that renders nothing (no ``what``)."""
        parts: list[str] = []
        depth = 1
        if what:
            self.noted += 1
        for event, span in stream:
            if what and not self.flattened:
                self.flattened.append((span["start"], what))
            if isinstance(event, dict):
                if "Start" in event:
                    depth += 1
                elif "End" in event:
                    depth -= 1
                    if depth == 0:
                        break
                else:
                    parts.append(str(event.get("Text", event.get("Code", ""))))
            elif event in ("SoftBreak", "HardBreak"):
                parts.append(" ")
        text = " ".join("".join(parts).split())
        return Paragraph((Text(text),)) if text else None

    # inlines

    def inlines(self, stream: _Stream, anchors: bool = False) -> tuple[tuple[Inline, ...], str]:
        """Inline content up to the end of its container; with ``anchors``, the first ``<a name>`` too.

        One loop reads the content and every emphasis, link and image in it:
        ``frames`` holds the enclosing containers' tags and their content so
        far.  Text is kept as strings (``run``) until something else comes, then
        joined into one ``Text`` (pulldown-cmark may cut a line into many).
        """
        out: list[Inline] = []
        run: list[str] = []
        frames: list[tuple[object, list[Inline], list[str]]] = []
        anchor = ""
        for event, span in stream:
            try:
                text = event.get("Text")
            except AttributeError:  # the events that are strings, rare here
                if event == "SoftBreak":
                    run.append("\n")
                elif event == "HardBreak":
                    if run:
                        out.append(Text("".join(run)))
                        run.clear()
                    out.append(LineBreak())
                continue
            if text is not None:  # the commonest event, first
                run.append(text)
                continue
            tag = event.get("Start")
            if tag is not None:
                if not (tag in _SPANS if type(tag) is str else "Link" in tag or "Image" in tag):
                    continue  # no other container holds inlines
                if self.depth + len(frames) >= MAX_NESTING:
                    flat = self.flatten(stream, _NESTED)
                    if flat is not None:
                        run.append(flat.inlines[0].text)  # type: ignore[union-attr]  # a Text
                    continue
                if type(tag) is dict and "Image" in tag:
                    self.image(tag, span)
                frames.append((tag, out, run))
                out = []
                run = []
                continue
            if "End" in event:
                if run:
                    out.append(Text("".join(run)))
                if not frames:
                    return tuple(out), anchor
                children = tuple(out)
                tag, out, run = frames.pop()
                node: Inline
                if tag == "Strong":  # the commonest two, without a call
                    node = Strong(children)
                elif tag == "Emphasis":
                    node = Emphasis(children)
                else:
                    _close(tag, children, out, run)
                    continue
                if run:
                    out.append(Text("".join(run)))
                    run.clear()
                out.append(node)
                continue
            html = event.get("InlineHtml")
            if html is not None:
                if anchors and not anchor and not frames:
                    found = _ANCHOR_TAG.match(html)
                    if found:
                        anchor = found.group(1)
                        continue
                kind = _HTML_KINDS.get(html)
                if kind is None:
                    kind = _html_kind(html)
                if kind is _BREAK:
                    if run:
                        out.append(Text("".join(run)))
                        run.clear()
                    out.append(LineBreak())
                elif kind is _SHOWN:
                    run.append(html)
                continue
            code = event.get("Code")
            if code is not None:
                if _GUID_STATEMENT.match(code):
                    self.guid_span(code, span["start"])
                if run:
                    out.append(Text("".join(run)))
                    run.clear()
                out.append(Code(code))
        while True:  # the stream ended inside the content (pulldown-cmark closes everything it opens)
            if run:
                out.append(Text("".join(run)))
            if not frames:
                return tuple(out), anchor
            children = tuple(out)
            tag, out, run = frames.pop()
            _close(tag, children, out, run)

    def inline(self, event: object, stream: _Stream, span: dict[str, int], out: list[Inline]) -> bool:
        """Append the inline ``event`` stands for to ``out`` (not joined with the text before it); False if it
        is not inline.  For the content of a tight list's item, which comes without a paragraph."""
        if type(event) is not dict:
            if event == "SoftBreak":
                out.append(Text("\n"))
                return True
            if event == "HardBreak":
                out.append(LineBreak())
                return True
            return False
        if "Text" in event:
            out.append(Text(event["Text"]))
        elif "Code" in event:
            out.append(Code(event["Code"]))
        elif "InlineHtml" in event:
            html = event["InlineHtml"]
            kind = _html_kind(html)
            if kind is _BREAK:
                out.append(LineBreak())
            elif kind is _SHOWN:
                out.append(Text(html))
        elif "Start" in event and (event["Start"] in _SPANS if type(event["Start"]) is str else _is_link(event["Start"])):
            out.extend(self.inline_container(event["Start"], stream, span))
        else:
            return "FootnoteReference" in event or "TaskListMarker" in event or "InlineMath" in event
        return True

    def inline_container(self, tag: object, stream: _Stream, span: dict[str, int]) -> tuple[Inline, ...]:
        """The emphasis, link or image ``tag`` opens, its ``Start`` event read already (the text of its
        content for a ``Strikethrough``)."""
        if self.depth >= MAX_NESTING:
            flat = self.flatten(stream, _NESTED)
            return flat.inlines if flat is not None else ()
        if type(tag) is dict and "Image" in tag:
            self.image(tag, span)
        self.depth += 1
        children = self.inlines(stream)[0]
        self.depth -= 1
        out: list[Inline] = []
        run: list[str] = []
        _close(tag, children, out, run)
        if run:
            out.append(Text("".join(run)))
        return tuple(out)

    def guid_span(self, code: str, start: int) -> None:
        line, column = self.positions.at(start)
        self.guid_spans.append(GuidSpan(code, line, column + _opening_ticks(self.data, start)))
        self.noted += 1

    def image(self, tag: dict[str, dict[str, str]], span: dict[str, int]) -> None:
        """Note where the image ``tag`` opens (at its target, where written inside the image's own text)."""
        target = str(tag["Image"]["dest_url"])
        at = self.data.find(target.encode("utf-8"), span["start"], span["end"]) if target else -1
        line, column = self.positions.at(at if at >= 0 else span["start"])
        self.images.append(ImageSpan(target, line, column))
        self.noted += 1


# What inline HTML stands for: a line break, nothing (a layout tag), or text.  The pages use few
# distinct tags (``<br/>``, ``<sup>``, ``</b>``…), so each is matched once per process.
_BREAK, _DROPPED, _SHOWN = "break", "dropped", "shown"
_HTML_KINDS: dict[str, str] = {}


def _html_kind(html: str) -> str:
    kind = _BREAK if _BREAK_TAG.fullmatch(html) else _DROPPED if _LAYOUT_TAG.fullmatch(html) else _SHOWN
    if len(_HTML_KINDS) < _MEMO_SIZE:
        _HTML_KINDS[html] = kind
    return kind


def _close(tag: object, children: tuple[Inline, ...], out: list[Inline], run: list[str]) -> None:
    """Append the container ``tag`` with ``children`` to the content ``out`` (and its text ``run``) it is in."""
    node: Inline
    if tag == "Emphasis":
        node = Emphasis(children)
    elif tag == "Strong":
        node = Strong(children)
    elif type(tag) is dict and "Link" in tag:
        link = tag["Link"]
        node = Link(str(link["dest_url"]), children, str(link["title"]))
    elif type(tag) is dict and "Image" in tag:
        image = tag["Image"]
        node = Image(str(image["dest_url"]), children, str(image["title"]))
    else:  # a strikethrough: its content, as if not struck
        for child in children:
            if type(child) is Text:
                run.append(child.text)
            else:
                if run:
                    out.append(Text("".join(run)))
                    run.clear()
                out.append(child)
        return
    if run:
        out.append(Text("".join(run)))
        run.clear()
    out.append(node)


_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")


def _cell_count(row: str) -> int:
    """How many cells a table row's line writes (``|`` escaped as ``\\|`` separates nothing)."""
    row = row.strip()
    row = row.removeprefix("|")
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return len(_CELL_SEPARATOR.split(row))


def _is_link(tag: object) -> bool:
    return isinstance(tag, dict) and ("Link" in tag or "Image" in tag)


def _opening_ticks(data: bytes, start: int) -> int:
    """How many backticks open the code span at byte ``start`` (its text starts after them)."""
    end = start
    while end < len(data) and data[end : end + 1] == b"`":
        end += 1
    return end - start


# The docs folders of a user's snapshots and locales repeat much of their text
# (a property page's description and remarks, whole pages), and a ``Document``
# is immutable: the same text is read once per process (``load`` parses the pages
# of one name one after the other, so a short memory of recent texts suffices).
@lru_cache(maxsize=256)
def read_markdown(text: str) -> Document:
    """The blocks and GUID code spans of ``text`` as CommonMark reads it."""
    return _Builder(text).document()
