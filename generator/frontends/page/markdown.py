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
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

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
class Document:
    """What the CommonMark stage reads from one language's text of a page.

    ``flattened``: where containers first nest past ``MAX_NESTING`` (or lists
    past ``MAX_LIST_NESTING``), and which limit: deeper levels are read as text.
    """

    blocks: tuple[Placed, ...]
    guid_spans: tuple[GuidSpan, ...]
    flattened: tuple[int, int, str] | None = None


_Stream = Iterator[tuple[object, dict[str, int]]]


class _Positions:
    """Byte offsets (pulldown-cmark's ranges) → line and column (in characters)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        starts = [0]
        find = data.find
        at = find(b"\n")
        while at >= 0:
            starts.append(at + 1)
            at = find(b"\n", at + 1)
        self.starts = starts

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        start = self.starts[index]
        column = len(self.data[start:offset].decode("utf-8", "replace")) + 1
        return index + 1, column


class _Builder:
    """Turns the event stream into blocks and inlines (one pass, a stack of open containers)."""

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8")
        self.positions = _Positions(self.data)
        self.guid_spans: list[GuidSpan] = []
        self.depth = 0  # containers open (quotes, lists, emphasis, links)
        self.lists = 0  # lists open
        self.flattened: list[tuple[int, str]] = []  # (byte offset, what) where nesting past a limit was flattened

    def document(self) -> Document:
        events = pyromark.events_with_range(self.data.decode("utf-8"), options=_OPTIONS, merge_text=True)
        stream: _Stream = iter(events)  # type: ignore[arg-type]  # pyromark's event types, read as plain dicts
        blocks: list[Placed] = []
        for event, span in stream:
            placed = self.top_block(event, span["start"], stream)
            if placed is not None:
                blocks.append(placed)
        flattened = None
        if self.flattened:
            offset, what = self.flattened[0]
            flattened = (*self.positions.at(offset), what)
        return Document(tuple(blocks), tuple(self.guid_spans), flattened)

    # blocks

    def top_block(self, event: object, start: int, stream: _Stream) -> Placed | None:
        line, column = self.positions.at(start)
        if isinstance(event, dict) and "Start" in event:
            tag = event["Start"]
            if isinstance(tag, dict) and "Heading" in tag:
                inlines, anchor = self.inlines(stream, anchors=True)
                level = int(tag["Heading"]["level"][1:])
                return Placed(Heading(level, inlines), line, column, anchor)
            if isinstance(tag, dict) and "Table" in tag:
                table, rows = self.table(stream, with_rows=True)
                return Placed(table, line, column, rows=rows, ragged=self.ragged(table, rows))
        block = self.block(event, stream)
        return Placed(block, line, column) if block is not None else None

    def block(self, event: object, stream: _Stream) -> Block | None:
        """The block ``event`` opens (its events are consumed), or None for one that renders nothing."""
        if event == "Rule":
            return ThematicBreak()
        if not isinstance(event, dict):
            return None
        if "Html" in event:  # an HTML block outside a container: a single event
            return self.html_block(str(event["Html"]), stream, open_=False)
        tag = event.get("Start")
        if tag is None:
            return None
        if tag == "Paragraph":
            return Paragraph(self.inlines(stream)[0])
        if tag == "HtmlBlock":
            return self.html_block("", stream, open_=True)
        if isinstance(tag, dict):
            if "Heading" in tag:
                return Heading(int(tag["Heading"]["level"][1:]), self.inlines(stream)[0])
            if "CodeBlock" in tag:
                kind = tag["CodeBlock"]
                info = kind.get("Fenced", "") if isinstance(kind, dict) else ""
                return CodeBlock(info.split(" ", 1)[0] if info else "", self.code(stream))
            if "BlockQuote" in tag:
                if self.depth >= MAX_NESTING:
                    return self.flatten(stream, _NESTED)
                self.depth += 1
                inner = self.blocks(stream)
                self.depth -= 1
                alert = tag["BlockQuote"]
                return Note(str(alert).lower(), inner) if alert else BlockQuote(inner)
            if "List" in tag:
                if self.depth >= MAX_NESTING or self.lists >= MAX_LIST_NESTING:
                    return self.flatten(stream, _NESTED if self.depth >= MAX_NESTING else _LISTS)
                start = tag["List"]
                self.depth += 1
                self.lists += 1
                items, tight = self.items(stream)
                self.depth -= 1
                self.lists -= 1
                return OrderedList(int(start), items, tight) if start is not None else BulletList(items, tight)
            if "Table" in tag:
                return self.table(stream, with_rows=False)[0]
            if "Image" in tag or "Link" in tag:  # cannot start a block; read defensively as a paragraph
                return Paragraph(self.inline_container(tag, stream))
        if tag in ("Emphasis", "Strong", "Strikethrough"):
            return Paragraph(self.inline_container(tag, stream))
        self.flatten(stream)
        return None

    def blocks(self, stream: _Stream) -> tuple[Block, ...]:
        """Blocks up to the end of the container they are in."""
        out: list[Block] = []
        for event, _ in stream:
            if isinstance(event, dict) and "End" in event:
                break
            block = self.block(event, stream)
            if block is not None:
                out.append(block)
        return tuple(out)

    def items(self, stream: _Stream) -> tuple[tuple[tuple[Block, ...], ...], bool]:
        """The items of a list; tight when no item holds its text in paragraphs."""
        items: list[tuple[Block, ...]] = []
        tight = True
        for event, _ in stream:
            if isinstance(event, dict) and "End" in event:
                break
            if not (isinstance(event, dict) and event.get("Start") == "Item"):
                continue
            content: list[Block] = []
            loose: list[Inline] = []
            for inner, _ in stream:
                if isinstance(inner, dict) and "End" in inner:
                    break
                inline = self.inline(inner, stream, loose)
                if inline:
                    continue
                if loose:
                    content.append(Paragraph(tuple(loose)))
                    loose = []
                if isinstance(inner, dict) and inner.get("Start") == "Paragraph":
                    tight = False
                block = self.block(inner, stream)
                if block is not None:
                    content.append(block)
            if loose:
                content.append(Paragraph(tuple(loose)))
            items.append(tuple(content))
        return tuple(items), tight

    def table(self, stream: _Stream, with_rows: bool) -> tuple[Table, tuple[int, ...]]:
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        lines: list[int] = []
        cells: list[tuple[Inline, ...]] = []
        for event, span in stream:
            if event in ({"Start": "TableHead"}, {"Start": "TableRow"}):
                cells = []
                if with_rows:
                    lines.append(self.positions.at(span["start"])[0])
            elif event == {"Start": "TableCell"}:
                cells.append(self.inlines(stream)[0])
            elif event in ({"End": "TableHead"}, {"End": "TableRow"}):
                rows.append(tuple(cells))
            elif isinstance(event, dict) and event.get("End") == "Table":
                break
        header, body = (rows[0], tuple(rows[1:])) if rows else ((), ())
        return Table(header, body), tuple(lines)

    def ragged(self, table: Table, lines: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
        """The rows whose source line holds a cell count other than the header's."""
        width = len(table.header)
        found = []
        for line in lines[1:]:
            start = self.positions.starts[line - 1]
            end = self.data.find(b"\n", start)
            written = _cell_count(self.data[start : end if end >= 0 else len(self.data)].decode("utf-8", "replace"))
            if written != width:
                found.append((line, written))
        return tuple(found)

    def code(self, stream: _Stream) -> str:
        parts: list[str] = []
        for event, _ in stream:
            if isinstance(event, dict) and "Text" in event:
                parts.append(event["Text"])
            elif isinstance(event, dict) and "End" in event:
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
        """Inline content up to the end of its container; with ``anchors``, the first ``<a name>`` too."""
        out: list[Inline | str] = []  # text as plain strings, made into ``Text`` nodes once merged
        anchor = ""
        for event, span in stream:
            if type(event) is dict:
                text = event.get("Text")
                if text is not None:  # the commonest event, first
                    out.append(text)
                    continue
                if "End" in event:
                    break
            elif event == "SoftBreak":
                out.append("\n")
                continue
            if anchors and not anchor and isinstance(event, dict) and "InlineHtml" in event:
                found = _ANCHOR_TAG.match(event["InlineHtml"])
                if found:
                    anchor = found.group(1)
                    continue
            if isinstance(event, dict) and "Code" in event and _GUID_STATEMENT.match(event["Code"]):
                line, column = self.positions.at(span["start"])
                self.guid_spans.append(GuidSpan(event["Code"], line, column + _opening_ticks(self.data, span["start"])))
            self.inline(event, stream, out)  # type: ignore[arg-type]  # it appends inlines only
        return _merged(out), anchor

    def inline(self, event: object, stream: _Stream, out: list[Inline]) -> bool:
        """Append the inline ``event`` stands for to ``out``; False if it is not inline."""
        if isinstance(event, str):
            if event == "SoftBreak":
                out.append(Text("\n"))
                return True
            if event == "HardBreak":
                out.append(LineBreak())
                return True
            return False
        if not isinstance(event, dict):
            return False
        if "Text" in event:
            out.append(Text(event["Text"]))
        elif "Code" in event:
            out.append(Code(event["Code"]))
        elif "InlineHtml" in event:
            html = event["InlineHtml"]
            if _BREAK_TAG.fullmatch(html):
                out.append(LineBreak())
            elif not _LAYOUT_TAG.fullmatch(html):
                out.append(Text(html))
        elif "Start" in event and (event["Start"] in ("Emphasis", "Strong", "Strikethrough") or _is_link(event["Start"])):
            out.extend(self.inline_container(event["Start"], stream))
        else:
            return "FootnoteReference" in event or "TaskListMarker" in event or "InlineMath" in event
        return True

    def inline_container(self, tag: object, stream: _Stream) -> tuple[Inline, ...]:
        if self.depth >= MAX_NESTING:
            flat = self.flatten(stream, _NESTED)
            return flat.inlines if flat is not None else ()
        self.depth += 1
        children = self.inlines(stream)[0]
        self.depth -= 1
        if tag == "Emphasis":
            return (Emphasis(children),)
        if tag == "Strong":
            return (Strong(children),)
        if isinstance(tag, dict) and "Link" in tag:
            link = tag["Link"]
            return (Link(str(link["dest_url"]), children, str(link["title"])),)
        if isinstance(tag, dict) and "Image" in tag:
            image = tag["Image"]
            return (Image(str(image["dest_url"]), children, str(image["title"])),)
        return children


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


def _merged(nodes: list[Inline | str]) -> tuple[Inline, ...]:
    """Adjacent text (strings and ``Text`` nodes) merged into one node (each run joined once: pulldown-cmark
    may cut a line into many)."""
    out: list[Inline] = []
    run: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            run.append(node)
            continue
        if type(node) is Text:
            run.append(node.text)
            continue
        if run:
            out.append(Text("".join(run)))
            run = []
        out.append(node)
    if run:
        out.append(Text("".join(run)))
    return tuple(out)


# The docs folders of a user's snapshots and locales repeat much of their text
# (a property page's description and remarks, whole pages), and a ``Document``
# is immutable: the same text is read once per process (``load`` parses the pages
# of one name one after the other, so a short memory of recent texts suffices).
@lru_cache(maxsize=256)
def read_markdown(text: str) -> Document:
    """The blocks and GUID code spans of ``text`` as CommonMark reads it."""
    return _Builder(text).document()
