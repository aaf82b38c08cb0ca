"""Prose as the model keeps it: inline and block trees, per language (``Localized``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from generator.model.records import Record

T = TypeVar("T")


# --- prose -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text(Record):
    """Plain text."""

    text: str


@dataclass(frozen=True, slots=True)
class Code(Record):
    """Inline code (backticks)."""

    text: str


@dataclass(frozen=True, slots=True)
class Strong(Record):
    """Bold text."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Emphasis(Record):
    """Italic text (in MAPI pages: parameter names)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link(Record):
    """A link; ``target`` is kept exactly as written in the page."""

    target: str
    children: tuple[Inline, ...]
    title: str = ""


@dataclass(frozen=True, slots=True)
class Image(Record):
    """An image: ``target`` as written (``media/…`` for the pages' own), its alternative text."""

    target: str
    children: tuple[Inline, ...]
    title: str = ""


@dataclass(frozen=True, slots=True)
class MediaFile(Record):
    """An image file a page's ``Image`` references (``media/<name>``), for the text in ``language``.

    ``source`` is its shown path (``es-ES/media/amapi_30.gif``): a translated
    folder has translated images under the same names.
    """

    language: str
    name: str
    data: bytes
    source: str


@dataclass(frozen=True, slots=True)
class LineBreak(Record):
    """A hard line break (``<br/>``, two spaces or a backslash at the end of a line)."""


Inline = Text | Code | Strong | Emphasis | Link | Image | LineBreak
_CONTAINERS = frozenset({Strong, Emphasis, Link, Image})


def inline_words(nodes: Iterable[Inline]) -> str:
    """The text of inline content without its markup (a line break is a space)."""
    parts: list[str] = []
    for node in nodes:
        kind = type(node)  # the prose records are final classes: one lookup instead of isinstance chains
        if kind is Text or kind is Code:
            parts.append(node.text)  # type: ignore[union-attr]
        elif kind in _CONTAINERS:
            parts.append(inline_words(node.children))  # type: ignore[union-attr]
        elif kind is LineBreak:
            parts.append(" ")
    return "".join(parts)


def inline_text(inlines: Iterable[Inline]) -> str:
    """Inline content without markup, white space runs (soft line breaks too) made single spaces."""
    return " ".join(inline_words(inlines).split())


@dataclass(frozen=True, slots=True)
class Paragraph(Record):
    """A paragraph of inline content."""

    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Heading(Record):
    """A heading inside a section (level 1-6 as written)."""

    level: int
    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class BulletList(Record):
    """A bullet list; each item is a sequence of blocks (``tight``: items are not paragraphs)."""

    items: tuple[tuple[Block, ...], ...]
    tight: bool = False


@dataclass(frozen=True, slots=True)
class OrderedList(Record):
    """A numbered list starting at ``start``; each item is a sequence of blocks."""

    start: int
    items: tuple[tuple[Block, ...], ...]
    tight: bool = False


@dataclass(frozen=True, slots=True)
class BlockQuote(Record):
    """A block quote that is not an alert."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ThematicBreak(Record):
    """A horizontal rule (``***``, ``---``)."""


@dataclass(frozen=True, slots=True)
class CodeBlock(Record):
    """A fenced or indented code block (``language``: the first word of the fence's info)."""

    language: str
    text: str


@dataclass(frozen=True, slots=True)
class Table(Record):
    """A table: header cells, then rows of cells."""

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]


@dataclass(frozen=True, slots=True)
class Note(Record):
    """An alert: DocFX's ``> [!NOTE]`` (``kind``: note, tip, important, warning, caution)."""

    kind: str
    blocks: tuple[Block, ...]


Block = Paragraph | Heading | BulletList | OrderedList | BlockQuote | ThematicBreak | CodeBlock | Table | Note
RichText = tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Localized(Record, Generic[T]):
    """One value per language, as ``(language, value)`` pairs in load order."""

    items: tuple[tuple[str, T], ...] = ()

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages present, in order."""
        return tuple(lang for lang, _ in self.items)

    def get(self, language: str) -> T | None:
        """The value for ``language``, or None."""
        for lang, value in self.items:
            if lang == language:
                return value
        return None

    def merged(self, other: Localized[T]) -> Localized[T]:
        """These values plus those of ``other`` in languages not yet present."""
        have = set(self.languages)
        extra = tuple((lang, value) for lang, value in other.items if lang not in have)
        return Localized(self.items + extra)
