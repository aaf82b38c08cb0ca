"""The generator's one error type, with the source position it concerns, and the input limits.

Every front end raises only ``InputError`` (through ``fail``).  The limits
below are checked before and while parsing, so that no input, however large,
deep or strange, gets further than a located error: a file larger than
``max_input_bytes()`` (``MAX_INPUT_BYTES``, or the ``MAPI_MAX_INPUT_BYTES``
environment variable), a NUL byte, or constructs nested deeper than
``MAX_NESTING`` (``MAX_LIST_NESTING`` for bullet lists).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from typing import NoReturn, Protocol

from generator.model.records import SourceLoc

# The largest input file read, in bytes (overridable with MAPI_MAX_INPUT_BYTES).
MAX_INPUT_BYTES = 5 * 1024 * 1024
MAX_INPUT_BYTES_VARIABLE = "MAPI_MAX_INPUT_BYTES"

# The deepest nesting accepted: inline elements of a page (spans, links,
# bold, italic, brackets), parentheses in IDL attribute arguments, the YAML
# of a page's front matter, chains of base interfaces.  Parsers are
# iterative, but what turns their trees into records, and the back ends that
# render prose, recurse once per level.
MAX_NESTING = 200

# The deepest bullet list accepted (a level costs the HTML renderer several
# stack frames; a page at both limits still renders).
MAX_LIST_NESTING = 50

_SURROGATE = re.compile("[\ud800-\udfff]")


class InputError(Exception):
    """Bad input: a message tied to ``file:line:col``.

    Every front end raises only this (through ``fail``); the CLI prints it as
    ``file:line:col: error: message`` followed by the offending line and a caret.
    """

    def __init__(self, message: str, loc: SourceLoc, source_line: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc
        self.source_line = source_line

    def __str__(self) -> str:
        return f"{self.loc}: error: {printable(self.message)}"

    def render(self) -> str:
        """The error line, then the source line and a caret under the column.

        Characters that a terminal would not show as themselves (escape
        sequences, bidi controls, tabs) are shown escaped, and the caret
        still points at the column.
        """
        text = str(self)
        if self.source_line is not None:
            line = self.source_line.rstrip("\r\n")
            before = printable(line[: max(self.loc.column - 1, 0)])
            text += f"\n    {printable(line)}\n    {' ' * len(before)}^"
        return text


class InputErrors(Exception):
    """Several input errors, collected so one build reports every broken file."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__(f"{len(errors)} input error(s)")
        self.errors = errors


def fail(message: str, path: str, text: str, line: int, column: int) -> InputError:
    """Build an ``InputError`` at ``line``/``column`` of ``text`` (read from ``path``).

    Lines are counted at ``\\n`` only, as the parsers count them (a form feed
    or a U+2028 inside a line does not start a new one).
    """
    line, column = max(line, 1), max(column, 1)
    lines = text.split("\n")
    source_line = lines[line - 1] if line <= len(lines) else None
    return InputError(message, SourceLoc(path, line, column), source_line)


def fail_at(message: str, path: str, text: str, offset: int) -> InputError:
    """Build an ``InputError`` at character ``offset`` of ``text``."""
    offset = min(max(offset, 0), len(text))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return fail(message, path, text, line, column)


def printable(text: str) -> str:
    """``text`` with every character a terminal would not print as itself escaped (``\\x1b``)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


# --- limits -------------------------------------------------------------------


def max_input_bytes() -> int:
    """The size limit for one input file: ``MAPI_MAX_INPUT_BYTES`` if set, else ``MAX_INPUT_BYTES``.

    Raises ``ValueError`` when the variable is set to anything but a positive
    whole number of bytes.
    """
    value = os.environ.get(MAX_INPUT_BYTES_VARIABLE)
    if value is None or not value.strip():
        return MAX_INPUT_BYTES
    if not value.strip().isdigit() or int(value) <= 0:
        raise ValueError(f"{MAX_INPUT_BYTES_VARIABLE}={value!r} is not a positive number of bytes")
    return int(value)


def size_error(path: str, size: int) -> InputError | None:
    """The error for an input of ``size`` bytes, or None when it is within the limit."""
    try:
        limit = max_input_bytes()
    except ValueError as exc:
        return InputError(str(exc), SourceLoc(path, 1, 1))
    if size <= limit:
        return None
    return InputError(
        f"file is {size} bytes, larger than the input size limit of {limit} bytes"
        f" (set {MAX_INPUT_BYTES_VARIABLE} to change it)",
        SourceLoc(path, 1, 1),
    )


def check_text(path: str, text: str) -> None:
    """What every front end checks first: the size limit, no NUL character, no lone surrogate."""
    size = len(text)
    if size * 4 > MAX_INPUT_BYTES or MAX_INPUT_BYTES_VARIABLE in os.environ:
        size = len(text.encode("utf-8", "surrogatepass"))  # a UTF-8 character is 1 to 4 bytes
    error = size_error(path, size)
    if error is not None:
        raise error
    nul = text.find("\x00")
    if nul >= 0:
        raise fail_at("NUL character (\\x00) in the input: this is not a text file", path, text, nul)
    if text.isascii():
        return
    try:
        text.encode("utf-8")  # fails only at a lone surrogate, and is faster than searching for one
    except UnicodeEncodeError:
        surrogate = _SURROGATE.search(text)
        if surrogate is not None:  # only direct callers can pass one: files are decoded strictly
            message = f"lone surrogate U+{ord(surrogate.group()):04X} in the input: not Unicode text"
            raise fail_at(message, path, text, surrogate.start()) from None


class _Node(Protocol):
    """A parse tree node (Lark's ``Tree``), as ``check_nesting`` reads it."""

    @property
    def data(self) -> str: ...

    @property
    def children(self) -> Sequence[object]: ...


def check_nesting(
    tree: _Node, rules: Iterable[str], what: str, path: str, text: str, leaves: Iterable[str] = ()
) -> None:
    """Refuse a tree where nodes of ``rules`` nest deeper than ``MAX_NESTING``.

    Tokens whose type is in ``leaves`` are whole elements and count as one
    level.  Walks the tree without recursion; the error is at the first node
    past the limit (its ``meta.line``/``meta.column``, a leaf's own position).
    """
    counted = frozenset(rules)
    counted_leaves = frozenset(leaves)
    node_type = type(tree)  # the parser's tree class; its leaves (tokens) are not nodes
    stack: list[tuple[_Node, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if node.data in counted:
            depth += 1
            if depth > MAX_NESTING:
                meta = getattr(node, "meta", None)
                _too_deep(what, path, text, getattr(meta, "line", 1), getattr(meta, "column", 1))
        if depth == MAX_NESTING:
            for leaf in node.children:
                if getattr(leaf, "type", None) in counted_leaves:
                    _too_deep(what, path, text, getattr(leaf, "line", 1), getattr(leaf, "column", 1))
        stack.extend((child, depth) for child in node.children if isinstance(child, node_type))


def _too_deep(what: str, path: str, text: str, line: int | None, column: int | None) -> NoReturn:
    raise fail(f"{what} nested more than {MAX_NESTING} deep (the nesting limit)", path, text, line or 1, column or 1)
