"""Prose from the model as plain text (docstrings) or as safe HTML (doc pages)."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from generator.model import (
    Block,
    BulletList,
    Code,
    CodeBlock,
    Emphasis,
    Inline,
    LineBreak,
    Link,
    Note,
    Paragraph,
    RichText,
    Strong,
    Table,
    Text,
)


def inline_text(inlines: tuple[Inline, ...]) -> str:
    """Inline content without markup."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, (Text, Code)):
            parts.append(node.text)
        elif isinstance(node, (Strong, Emphasis, Link)):
            parts.append(inline_text(node.children))
        elif isinstance(node, LineBreak):
            parts.append(" ")
    return "".join(parts)


def plain_text(blocks: RichText) -> str:
    """Blocks as plain text: paragraphs apart, list items with dashes."""
    return "\n\n".join(_plain_block(b, "") for b in blocks).strip()


def _plain_block(block: Block, indent: str) -> str:
    if isinstance(block, Paragraph):
        return indent + inline_text(block.inlines)
    if isinstance(block, BulletList):
        items = []
        for item in block.items:
            text = "\n".join(_plain_block(b, indent + "  ") for b in item).strip()
            items.append(f"{indent}- {text}")
        return "\n".join(items)
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
    parts: list[Markup] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(escape(node.text))
        elif isinstance(node, Code):
            parts.append(Markup("<code>%s</code>") % node.text)
        elif isinstance(node, Strong):
            parts.append(Markup("<strong>%s</strong>") % inline_html(node.children, resolve))
        elif isinstance(node, Emphasis):
            parts.append(Markup("<em>%s</em>") % inline_html(node.children, resolve))
        elif isinstance(node, LineBreak):
            parts.append(Markup("<br>"))
        elif isinstance(node, Link):
            href = resolve(node.target)
            inner = inline_html(node.children, resolve)
            parts.append(Markup('<a href="%s">%s</a>') % (href, inner) if href else inner)
    return Markup("").join(parts)


def rich_html(blocks: RichText, resolve: LinkResolver) -> Markup:
    """Blocks as escaped HTML."""
    return Markup("\n").join(_html_block(b, resolve) for b in blocks)


def _html_block(block: Block, resolve: LinkResolver) -> Markup:
    if isinstance(block, Paragraph):
        return Markup("<p>%s</p>") % inline_html(block.inlines, resolve)
    if isinstance(block, BulletList):
        items = Markup("").join(
            Markup("<li>%s</li>") % rich_html(item, resolve) for item in block.items
        )
        return Markup("<ul>%s</ul>") % items
    if isinstance(block, CodeBlock):
        return Markup("<pre><code>%s</code></pre>") % block.text
    if isinstance(block, Note):
        return Markup('<aside class="note"><strong>%s</strong> %s</aside>') % (
            block.kind.upper(),
            rich_html(block.blocks, resolve),
        )
    if isinstance(block, Table):
        head = Markup("").join(Markup("<th>%s</th>") % inline_html(c, resolve) for c in block.header)
        rows = Markup("").join(
            Markup("<tr>%s</tr>")
            % Markup("").join(Markup("<td>%s</td>") % inline_html(c, resolve) for c in row)
            for row in block.rows
        )
        return Markup('<div class="table-scroll"><table><thead><tr>%s</tr></thead><tbody>%s</tbody></table></div>') % (
            head,
            rows,
        )
    return Markup("")
