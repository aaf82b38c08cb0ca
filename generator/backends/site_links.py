"""Page naming and link resolution of the doc site, and prose picked in a page's language.

Every reference page the model read maps to a generated file (``SitePage``);
``link_resolver`` turns a link as a page writes it into an href inside the
site, on Microsoft Learn, or nothing; ``PageText`` picks each text in the
page's language with fallbacks and renders it through that resolver.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeVar

from markupsafe import Markup

from generator.backends.prose import LinkResolver, inline_html, rich_html
from generator.backends.site_data import file_part
from generator.backends.site_labels import Labels, language_name, language_order
from generator.model import (
    ENGLISH,
    Inline,
    Localized,
    MediaFile,
    Model,
    Paragraph,
    RichText,
    Strong,
    Text,
    inline_text,
)

T = TypeVar("T")

LEARN_ROOT = "https://learn.microsoft.com/"
LEARN_MAPI = "office/client-developer/outlook/mapi/"

# Section ids that every page of a kind has, so links to ``page.md#id`` can keep their fragment.
INTERFACE_IDS = frozenset({"iid", "description", "vtable-order", "findings", "see-also"})
METHOD_IDS = frozenset({"syntax", "python", "ctypes", "parameters", "flags", "return-value", "remarks"})

_PAGE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.md")
_FRAGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LEARN_PATH = re.compile(r"/[A-Za-z0-9][A-Za-z0-9._~/%=-]*")
_SAFE_URL = re.compile(r"[^\s\"'<>\\`]+")
_SENTENCE_END = re.compile(r"(?<![A-Z])(?<!e\.g)(?<!i\.e)\.\s+(?=[A-ZÁÉÍÓÚÑ¿¡])")


@dataclass(frozen=True, slots=True)
class Prose:
    """Text from the reference in one language; ``fallback`` names that language when it
    is not the page's own."""

    html: Markup
    lang: str
    fallback: str



# --- file names and links ----------------------------------------------------------------


def interface_file(name: str) -> str:
    """The file of an interface page inside a language tree."""
    return f"{file_part(name)}.html"


def method_file(interface: str, method: str) -> str:
    """The file of a method page inside a language tree."""
    return f"{file_part(interface)}.{file_part(method)}.html"


def page_name(path: str | None) -> str:
    return (path or "").replace("\\", "/").rsplit("/", 1)[-1].lower()


def learn_url(language: str, page: str, fragment: str = "") -> str:
    """The public Microsoft Learn address of a reference page (``name.md``) in ``language``."""
    anchor = f"#{fragment}" if fragment else ""
    return f"{LEARN_ROOT}{language.lower()}/{LEARN_MAPI}{page.lower().removesuffix('.md')}{anchor}"


@dataclass(frozen=True, slots=True)
class SitePage:
    """A generated page a reference page name maps to, with the section ids it has."""

    file: str
    ids: frozenset[str]


class MediaShelf:
    """The image files one language tree can show as ``media/<name>``, and the ones its pages showed.

    A name is taken from the tree's language first (a translated folder has
    translated images), then English, then any other language.
    """

    def __init__(self, model: Model, language: str) -> None:
        rank = {language: 0, ENGLISH: 1}
        self.available: dict[str, MediaFile] = {}
        for media in sorted(model.media, key=lambda m: rank.get(m.language, 2)):
            self.available.setdefault(media.name, media)
        self.shown: set[str] = set()

    def show(self, name: str) -> bool:
        """Whether ``name`` can be shown; if so it is copied into the tree."""
        if name not in self.available:
            return False
        self.shown.add(name)
        return True

    def files(self, root: str) -> dict[str, bytes]:
        """The copies of the images shown, under ``<root>/media/``."""
        return {f"{root}/media/{name}": self.available[name].data for name in sorted(self.shown)}


def link_resolver(
    language: str, pages: dict[str, SitePage], current: SitePage | None = None, media: MediaShelf | None = None
) -> LinkResolver:
    """Turn a link target as written in a reference page into an href, or None to drop it.

    * ``name.md`` (or ``./name.md``), optionally ``#fragment``: the generated page when
      ``name.md`` was loaded (the fragment kept only when that page has the id), else
      the page on Microsoft Learn in ``language``.
    * ``#fragment``: kept when the current page has the id.
    * ``http:``, ``https:``, ``mailto:``: kept as written.
    * ``/path`` (Learn's site-relative links): the path on learn.microsoft.com in ``language``.
    * ``media/<name>``: the copy of the docs folder's image in this tree, when ``media`` has it.
    * Anything else (other schemes such as ``javascript:``, ``data:``; paths with folders
      or ``..``; other files): dropped, so the link text is shown alone.
    """

    def resolve(target: str) -> str | None:
        target = target.strip()
        if not target or not _SAFE_URL.fullmatch(target):
            return None
        if _SCHEME.match(target):
            scheme = target.split(":", 1)[0].lower()
            return target if scheme in ("http", "https", "mailto") else None
        if target.startswith("#"):
            fragment = target[1:]
            ok = current is not None and fragment in current.ids
            return target if ok else None
        if target.startswith("//"):
            return None
        if target.startswith("/"):
            path = target.split("#", 1)[0].split("?", 1)[0]
            if not _LEARN_PATH.fullmatch(path) or ".." in path.split("/"):
                return None
            return f"{LEARN_ROOT}{language.lower()}{path}"
        path, _, fragment = target.partition("#")
        path = path.removeprefix("./")
        if path.startswith("media/") and media is not None:
            name = path.removeprefix("media/")
            return f"media/{name}" if not fragment and media.show(name) else None
        if not _PAGE_NAME.fullmatch(path) or (fragment and not _FRAGMENT.fullmatch(fragment)):
            return None
        page = pages.get(path.lower())
        if page is None:
            return learn_url(language, path, fragment)
        return page.file + (f"#{fragment}" if fragment in page.ids else "")

    return resolve


# --- prose in one language, with fallback ------------------------------------------------


class PageText:
    """Picks each text in the page's language, else English, else any; remembers fallbacks."""

    def __init__(self, language: str, resolve: LinkResolver) -> None:
        self.language = language
        self.resolve = resolve
        self.fallbacks: set[str] = set()

    def pick(self, text: Localized[T]) -> tuple[str, T] | None:
        for lang in (self.language, ENGLISH, *text.languages):
            value = text.get(lang)
            if value:
                if lang != self.language:
                    self.fallbacks.add(lang)
                return lang, value
        return None

    def _prose(self, lang: str, html: Markup) -> Prose:
        return Prose(html, lang, language_name(lang) if lang != self.language else "")

    def rich(self, text: Localized[RichText]) -> Prose | None:
        picked = self.pick(text)
        return self._prose(picked[0], rich_html(picked[1], self.resolve)) if picked else None

    def inline(self, text: Localized[tuple[Inline, ...]]) -> Prose | None:
        picked = self.pick(text)
        return self._prose(picked[0], inline_html(picked[1], self.resolve)) if picked else None

    def lead(self, text: Localized[RichText]) -> Prose | None:
        """The first sentence of the first real paragraph."""
        picked = self.pick(Localized(tuple((lang, lead_inlines(value)) for lang, value in text.items)))
        return self._prose(picked[0], inline_html(picked[1], self.resolve)) if picked else None

    def lead_text(self, text: Localized[RichText]) -> str:
        picked = self.pick(Localized(tuple((lang, lead_inlines(value)) for lang, value in text.items)))
        return " ".join(inline_text(picked[1]).split()) if picked else ""

    def notice(self, ui: Labels) -> str:
        if not self.fallbacks:
            return ""
        shown = ", ".join(language_name(lang) for lang in sorted(self.fallbacks, key=language_order))
        return ui.fallback_notice.format(language=language_name(self.language), fallback=shown)


def lead_inlines(blocks: RichText) -> tuple[Inline, ...]:
    """The first sentence of the first paragraph that is not a "**Label**: value" line."""
    for block in blocks:
        if isinstance(block, Paragraph) and block.inlines and not _is_label_line(block.inlines):
            return _first_sentence(block.inlines)
    return ()


def _is_label_line(inlines: tuple[Inline, ...]) -> bool:
    """``**Applies to**: Outlook`` and its translations (``**Se aplica a**: …``)."""
    return (
        len(inlines) >= 2
        and isinstance(inlines[0], Strong)
        and isinstance(inlines[1], Text)
        and inlines[1].text.lstrip().startswith(":")
    )


def _first_sentence(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            match = _SENTENCE_END.search(node.text)
            if match:
                out.append(Text(node.text[: match.start() + 1]))
                return tuple(out)
        out.append(node)
    return tuple(out)

