"""C syntax stage: the prototype in a method page's syntax block → return type and parameters.

``csyntax.lark`` gives the words, stars and brackets of each parameter; which
word is the name is decided here, as a reader of the page would decide it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput, UnexpectedToken

from generator.model import CType

_C_NOISE = frozenset({"FAR", "__RPC_FAR", "IN", "OUT", "OPTIONAL"})
_C_QUALIFIERS = frozenset({"const", "struct", "union", "enum", "unsigned", "signed"})
_CALLING_CONVENTIONS = ("STDMETHODCALLTYPE", "STDMETHODIMP", "WINAPI")


@dataclass(frozen=True, slots=True)
class Declared:
    """A parameter the syntax block declares, with its position in the block (1-based)."""

    name: str
    type: CType
    line: int
    column: int
    missing_comma: bool = False


@dataclass(frozen=True, slots=True)
class Prototype:
    """A syntax block read as a prototype."""

    return_type: CType | None
    params: tuple[Declared, ...]


class NotAPrototype(Exception):
    """The block is no prototype; ``line``/``column`` say where reading it stopped."""

    def __init__(self, line: int, column: int) -> None:
        super().__init__(f"not a prototype at {line}:{column}")
        self.line = line
        self.column = column


@cache
def _parser() -> Lark:
    return Lark.open("csyntax.lark", rel_to=__file__, parser="lalr", start="prototype")


def warm_up() -> None:
    """Build the grammar now (forked workers then inherit it)."""
    _parser()


def read_prototype(code: str) -> Prototype:
    """The return type and parameters of the prototype ``code``; ``NotAPrototype`` if it is none."""
    read = _read(code)
    if isinstance(read, tuple):
        raise NotAPrototype(*read)
    return read


@lru_cache(maxsize=1024)
def _read(code: str) -> Prototype | tuple[int, int]:
    """``read_prototype``'s prototype, or the (line, column) where the block stops being one.

    Cached: C is not translated, so the folders of one snapshot, its locales and
    both halves of a side-by-side page repeat the same syntax blocks (the four
    folders: 3,477 code blocks, 662 texts), and their pages are read one after
    the other.
    """
    try:
        tree = _parser().parse(code)
    except UnexpectedToken as exc:
        return _start(exc.token)
    except UnexpectedInput as exc:
        return exc.line, exc.column
    words_tree, *rest = [c for c in tree.children if isinstance(c, Tree)]
    words = [str(t).strip() for t in words_tree.children if isinstance(t, Token) and t.type == "C_WORD"]
    words = [w for w in words if w not in _CALLING_CONVENTIONS]
    return_type = CType(words[0]) if len(words) >= 2 else None
    params: list[Declared] = []
    for params_tree in rest:
        for param in params_tree.children:
            if not isinstance(param, Tree):
                continue
            first = param.children[0]
            line, column = _start(first) if isinstance(first, Token) else (1, 1)
            declarations = _c_param(param.children)
            split = len(declarations) > 1
            params.extend(Declared(name, ctype, line, column, split) for ctype, name in declarations)
    return Prototype(return_type, tuple(params))


def _start(token: Token) -> tuple[int, int]:
    """Where a token's word begins (1-based): the terminals take the blanks before them, line breaks too."""
    text = str(token)
    line, column = token.line or 1, token.column or 1
    blanks = text[: len(text) - len(text.lstrip())]
    breaks = blanks.count("\n")
    if breaks:
        return line + breaks, len(blanks) - blanks.rfind("\n")
    return line, column + len(blanks)


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
