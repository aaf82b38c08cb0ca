"""Which flags a parameter's documentation lists: its text split into a description and named entries.

The merge gives each parameter the flags its text lists, with the value of the constant
each names (``Param.flags``; a name no header defines is a finding); the site lays out
each language's text around them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from generator.model import (
    ENGLISH,
    Block,
    BulletList,
    Code,
    Constant,
    Diagnostic,
    Emphasis,
    Inline,
    Interface,
    Localized,
    Paragraph,
    ParamDoc,
    ParamFlag,
    RichText,
    Severity,
    Strong,
    Text,
    inline_text,
)

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FLAG_LEAD = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::|\s[-–—])\s*")

Flag = tuple[str, tuple[Inline, ...], RichText]
"""One listed flag: its name, the inlines that spell it, and its text."""


@dataclass
class _Flag:
    name: tuple[Inline, ...]
    blocks: list[Block] = field(default_factory=list)


def split_flags(blocks: RichText) -> tuple[RichText, tuple[Flag, ...]]:
    """A parameter's text as (description, flags): each flag is (name, name inlines, text).

    A flag is a paragraph holding one identifier (``MAPI_UNICODE``, ``fnevNewMail``) after
    the first block, with the blocks up to the next such paragraph as its text, or an item
    of a bullet list whose items all start with ``NAME:`` (or are a lone identifier).
    Every block lands in the description or in exactly one flag.
    """
    description: list[Block] = []
    flags: list[_Flag] = []
    for position, block in enumerate(blocks):
        name = _lone_identifier(block) if position else None
        if name is not None:
            flags.append(_Flag(name))
            continue
        if isinstance(block, BulletList):
            items = [_flag_item(item) for item in block.items]
            if items and all(item is not None for item in items):
                flags.extend(item for item in items if item is not None)
                continue
        (flags[-1].blocks if flags else description).append(block)
    return tuple(description), tuple((inline_text(f.name).strip(), f.name, tuple(f.blocks)) for f in flags)


def flag_names(blocks: RichText) -> tuple[str, ...]:
    """The names of the flags ``blocks`` lists, in order, each once."""
    return tuple(dict.fromkeys(name for name, _, _ in split_flags(blocks)[1]))


def _is_flag_name(text: str) -> bool:
    return bool(_IDENTIFIER.fullmatch(text)) and ("_" in text or sum(c.isupper() for c in text) >= 2)


def _lone_identifier(block: Block) -> tuple[Inline, ...] | None:
    if isinstance(block, Paragraph) and _is_flag_name(inline_text(block.inlines).strip()):
        return block.inlines
    return None


def _flag_item(item: tuple[Block, ...]) -> _Flag | None:
    if not item or not isinstance(item[0], Paragraph):
        return None
    first, rest = item[0], list(item[1:])
    lone = _lone_identifier(first)
    if lone is not None:
        return _Flag(lone, rest)
    inlines = first.inlines
    head = inlines[0] if inlines else None
    if isinstance(head, Text):
        match = _FLAG_LEAD.match(head.text)
        if match and _is_flag_name(match.group(1)):
            tail = head.text[match.end():]
            body = ((Text(tail),) if tail else ()) + inlines[1:]
            return _Flag((Text(match.group(1)),), [Paragraph(body), *rest])
    if isinstance(head, (Strong, Code, Emphasis)) and len(inlines) >= 2 and isinstance(inlines[1], Text):
        name = inline_text((head,)).strip()
        after = inlines[1].text
        stripped = after.lstrip()
        if _is_flag_name(name) and stripped.startswith((":", "-", "–", "—")):
            tail = stripped[1:].lstrip()
            body = ((Text(tail),) if tail else ()) + inlines[2:]
            return _Flag((head,), [Paragraph(body), *rest])
    return None


def param_flags(doc: Localized[RichText], constants: Mapping[str, Constant]) -> tuple[ParamFlag, ...]:
    """The flags a parameter's text lists (its English text, else its first language's), each with
    the value and header of the constant of its name."""
    text = doc.get(ENGLISH) or next((value for _, value in doc.items if value), ())
    flags = []
    for name in flag_names(text):
        constant = constants.get(name)
        flags.append(ParamFlag(name, constant.value, constant.header) if constant else ParamFlag(name, None, ""))
    return tuple(flags)


def with_flags(interfaces: tuple[Interface, ...], constants: Mapping[str, Constant]) -> tuple[Interface, ...]:
    """``interfaces`` with every documented parameter's ``flags`` filled in."""
    return tuple(
        replace(itf, methods=tuple(
            replace(method, params=tuple(replace(p, flags=param_flags(p.doc, constants)) if p.doc.items else p for p in method.params))
            for method in itf.methods
        ))
        for itf in interfaces
    )


def unknown_flags(documented: list[tuple[str, str, ParamDoc]], defined: set[str]) -> tuple[Diagnostic, ...]:
    """A ``flag-unknown`` warning, at the parameter's entry on its page, for every flag a parameter's
    documentation lists that no header defines; ``documented`` holds (interface, "I::M parameter p", doc)."""
    findings = []
    for interface, where, doc in documented:
        text = doc.text.get(ENGLISH) or next((value for _, value in doc.text.items if value), ())
        for name in flag_names(text):
            if name not in defined:
                message = f"{where} lists the flag {name}, which no header defines"
                findings.append(Diagnostic(Severity.WARNING, "flag-unknown", message, doc.loc, interface))
    return tuple(findings)
