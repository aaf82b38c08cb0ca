"""Prose from the model as plain text (docstrings) or as safe HTML (doc pages)."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

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
    RichText,
    Strong,
    Table,
    Text,
    ThematicBreak,
    inline_text,
    inline_words,
)


def plain_text(blocks: RichText) -> str:
    """Blocks as plain text: paragraphs apart, list items with dashes."""
    return "\n\n".join(_plain_block(b, "") for b in blocks).strip()


def _plain_block(block: Block, indent: str) -> str:
    if isinstance(block, (Paragraph, Heading)):
        return indent + inline_text(block.inlines)
    if isinstance(block, (BulletList, OrderedList)):
        items = []
        for number, item in enumerate(block.items, start=block.start if isinstance(block, OrderedList) else 1):
            text = "\n".join(_plain_block(b, indent + "  ") for b in item).strip()
            items.append(f"{indent}{number}. {text}" if isinstance(block, OrderedList) else f"{indent}- {text}")
        return "\n".join(items)
    if isinstance(block, BlockQuote):
        return "\n\n".join(_plain_block(b, indent) for b in block.blocks)
    if isinstance(block, ThematicBreak):
        return indent + "---"
    if isinstance(block, CodeBlock):
        return block.text.rstrip("\n")
    if isinstance(block, Note):
        return f"{block.kind.upper()}: " + " ".join(_plain_block(b, "") for b in block.blocks)
    if isinstance(block, Table):
        rows = [block.header, *block.rows]
        return "\n".join(" | ".join(inline_text(c) for c in row) for row in rows)
    return ""


LinkResolver = Callable[[str], str | None]


def inline_html(inlines: tuple[Inline, ...], resolve: LinkResolver) -> Markup:
    """Inline content as escaped HTML; links go through ``resolve`` (None drops the link)."""
    return Markup(_inline_html(inlines, resolve))


def rich_html(blocks: RichText, resolve: LinkResolver) -> Markup:
    """Blocks as escaped HTML."""
    return Markup(_rich_html(blocks, resolve))


# The HTML is built as plain strings, every piece of text through ``_escape``,
# and marked safe once at the end: a Markup object per node would cost more
# than the rest of the doc site's rendering.
def _escape(text: str) -> str:
    """Text for HTML content or a quoted attribute (the characters markupsafe escapes, as it does)."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def _inline_html(inlines: tuple[Inline, ...], resolve: LinkResolver) -> str:
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(_escape(node.text))
        elif isinstance(node, Code):
            parts.append(f"<code>{_escape(node.text)}</code>")
        elif isinstance(node, Strong):
            parts.append(f"<strong>{_inline_html(node.children, resolve)}</strong>")
        elif isinstance(node, Emphasis):
            parts.append(f"<em>{_inline_html(node.children, resolve)}</em>")
        elif isinstance(node, LineBreak):
            parts.append("<br />\n")
        elif isinstance(node, Link):
            href = resolve(node.target)
            inner = _inline_html(node.children, resolve)
            title = f' title="{_escape(node.title)}"' if node.title else ""
            parts.append(f'<a href="{_escape(href)}"{title}>{inner}</a>' if href is not None else inner)
        elif isinstance(node, Image):
            src = resolve(node.target)
            alt = _escape(inline_words(node.children))
            title = f' title="{_escape(node.title)}"' if node.title else ""
            parts.append(f'<img src="{_escape(src)}" alt="{alt}"{title} />' if src is not None else alt)
    return "".join(parts)


def _rich_html(blocks: RichText, resolve: LinkResolver) -> str:
    return "\n".join(_html_block(b, resolve) for b in blocks)


def _item_html(item: tuple[Block, ...], resolve: LinkResolver, tight: bool) -> str:
    """A list item: in a tight list its paragraphs are bare text, as CommonMark renders them."""
    return "\n".join(_html_block(b, resolve, tight) for b in item)


def _html_block(block: Block, resolve: LinkResolver, tight: bool = False) -> str:
    if isinstance(block, Paragraph):
        inner = _inline_html(block.inlines, resolve)
        return inner if tight else f"<p>{inner}</p>"
    if isinstance(block, Heading):
        return f"<h{block.level}>{_inline_html(block.inlines, resolve)}</h{block.level}>"
    if isinstance(block, (BulletList, OrderedList)):
        items = "\n".join(f"<li>{_item_html(item, resolve, block.tight)}</li>" for item in block.items)
        if isinstance(block, BulletList):
            return f"<ul>\n{items}\n</ul>"
        start = f' start="{block.start}"' if block.start != 1 else ""
        return f"<ol{start}>\n{items}\n</ol>"
    if isinstance(block, BlockQuote):
        return f"<blockquote>\n{_rich_html(block.blocks, resolve)}\n</blockquote>"
    if isinstance(block, ThematicBreak):
        return "<hr />"
    if isinstance(block, CodeBlock):
        language = f' class="language-{_escape(block.language)}"' if block.language else ""
        return f"<pre><code{language}>{_escape(block.text)}</code></pre>"
    if isinstance(block, Note):
        return f'<aside class="note"><strong>{_escape(block.kind.upper())}</strong> {_rich_html(block.blocks, resolve)}</aside>'
    if isinstance(block, Table):
        head = "".join(f"<th>{_inline_html(c, resolve)}</th>" for c in block.header)
        rows = "".join(
            "<tr>" + "".join(f"<td>{_inline_html(c, resolve)}</td>" for c in row) + "</tr>" for row in block.rows
        )
        return (
            '<div class="table-scroll"><table><thead>'
            f"<tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
        )
    return ""
