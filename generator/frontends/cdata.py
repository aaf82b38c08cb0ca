"""C data definitions shared by the header and IDL front ends: structure bodies and constant values.

The grammar is ``cdata.lark``.  ``parse_members`` reads the text between a
structure's braces into raw members (nested anonymous unions and structures
become members of their own aggregate type); ``parse_constant`` reads the
value of an object-like ``#define`` into a small expression (nested tuples),
and ``evaluate`` computes it once the names it uses are known.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import LarkError
from lark.tree import Meta

from generator.errors import MAX_NESTING
from generator.model import Aggregate, CType, Member, SourceLoc

# An expression: ("num", value, ctype), ("name", name), ("cast", ctype, e),
# ("un", op, e), ("bin", op, a, b), ("call", name, args).
Expr = tuple[Any, ...]

_UNSIGNED = {"ULONG", "DWORD", "UINT", "unsigned long", "unsigned int", "unsigned", "ULONG_PTR", "DWORD_PTR"}
_SIGNED = {"LONG", "INT", "int", "long", "SCODE", "HRESULT", "LONG_PTR"}
_SHORT = {"USHORT", "WORD"}
_C_INTEGER = re.compile(r"(?:0[xX]([0-9A-Fa-f]+)|(0[0-7]*)|([1-9][0-9]*))([uUlL]*)")
_MAX_DIGITS = 20

_parser_instance: Lark | None = None


def _parser() -> Lark:
    global _parser_instance
    if _parser_instance is None:
        _parser_instance = Lark.open(
            "cdata.lark", rel_to=__file__, parser="lalr", start=["members", "constant", "enumerators"], propagate_positions=True
        )
    return _parser_instance


def warm_up() -> None:
    """Build the grammar now (forked workers then inherit it)."""
    _parser()


@dataclass(frozen=True, slots=True)
class RawMember:
    """A member as written: its C type, name, array dimensions (text) and offset in the parsed text."""

    name: str
    type: CType
    dims: tuple[str, ...]
    offset: int
    body: tuple[RawMember, ...] | None = None  # a nested anonymous aggregate's members
    kind: str = ""


def parse_members(text: str) -> tuple[RawMember, ...] | None:
    """The members between a structure's braces; None when a member has a shape not read."""
    try:
        tree = _parser().parse(text, start="members")
        members: tuple[RawMember, ...] = _Members().transform(tree)
    except (LarkError, _Unreadable, RecursionError):
        return None
    return members


@dataclass(frozen=True, slots=True)
class RawEnumerator:
    """An enumerator as written: its name, its value's expression (None: the previous one's plus one), its offset."""

    name: str
    expr: Expr | None
    offset: int


def parse_enumerators(text: str) -> tuple[RawEnumerator, ...] | None:
    """The enumerators between an enumeration's braces; None when the body is not such a list."""
    try:
        tree = _parser().parse(text, start="enumerators")
        found = tuple(_enumerator(child) for child in tree.children if isinstance(child, Tree))
    except (LarkError, _Unreadable, RecursionError):
        return None
    return found


def _enumerator(tree: Tree[Token]) -> RawEnumerator:
    name, *value = tree.children
    assert isinstance(name, Token) and all(isinstance(v, Tree) for v in value)
    expr: Expr | None = _Constant().transform(value[0]) if value and isinstance(value[0], Tree) else None
    return RawEnumerator(str(name), expr, name.start_pos or 0)


def enumerator_values(
    enumerators: tuple[RawEnumerator, ...], lookup: Callable[[str], tuple[int, str] | None]
) -> list[int | None]:
    """Each enumerator's value as C gives it: its expression's, or the previous value plus one
    (0 for the first); ``lookup`` gives other constants' (the enumeration's own come first)."""
    values: dict[str, tuple[int, str]] = {}
    found: list[int | None] = []
    previous: int | None = -1
    for enumerator in enumerators:
        if enumerator.expr is None:
            value = None if previous is None else previous + 1
        else:
            evaluated = evaluate(enumerator.expr, lambda name: values.get(name) or lookup(name))
            value = None if evaluated is None else evaluated[0]
        if value is not None:
            values[enumerator.name] = (value, "int")
        found.append(value)
        previous = value
    return found


# The commonest shapes of a #define value, read without the parser (the same
# expressions it would build): a number, "((ULONG) 0x10)", "PROP_TAG( PT_LONG, 0x3001)",
# "PROP_TAG(PT_LONG, pidStoreMin+0x02)".
_NUMBER = r"(0[xX][0-9A-Fa-f]+[uUlL]*|\d+[uUlL]*)"
_COMMENT = re.compile(r"/\*(?:[^*]|\*(?!/))*\*/|//[^\n]*")
_PLAIN_NUMBER = re.compile(rf"\s*{_NUMBER}\s*")
_CAST_NUMBER = re.compile(rf"\s*\(\s*\(\s*(ULONG|LONG|DWORD|UINT|SCODE|HRESULT)\s*\)\s*{_NUMBER}\s*\)\s*")
_SIMPLE_TAG = re.compile(rf"\s*PROP_TAG\s*\(\s*([^\W\d]\w*)\s*,\s*{_NUMBER}\s*\)\s*")
# "PROP_TAG(PT_LONG, pidStoreMin+0x02)": half of the rest in Exchange's headers.
_OFFSET_TAG = re.compile(rf"\s*PROP_TAG\s*\(\s*([^\W\d]\w*)\s*,\s*([^\W\d]\w*)\s*([-+])\s*{_NUMBER}\s*\)\s*")


def _simple_constant(text: str) -> Expr | None:
    text = _COMMENT.sub(" ", text)
    found = _PLAIN_NUMBER.fullmatch(text)
    if found:
        return number(Token("NUMBER", found.group(1)))
    found = _CAST_NUMBER.fullmatch(text)
    if found:
        return ("cast", found.group(1), number(Token("NUMBER", found.group(2))))
    found = _SIMPLE_TAG.fullmatch(text)
    if found:
        return ("call", "PROP_TAG", (("name", found.group(1)), number(Token("NUMBER", found.group(2)))))
    found = _OFFSET_TAG.fullmatch(text)
    if found:
        offset = ("bin", found.group(3), ("name", found.group(2)), number(Token("NUMBER", found.group(4))))
        return ("call", "PROP_TAG", (("name", found.group(1)), offset))
    return None


def parse_constant(text: str) -> Expr | None:
    """The expression of a ``#define`` value; None when it is not an integer expression.

    More than ``MAX_NESTING`` parentheses are no constant of MAPI's (and would nest the
    evaluation that deep).
    """
    if text.count("(") > MAX_NESTING:
        return None
    try:
        simple = _simple_constant(text)
        if simple is not None:
            return simple
        expr: Expr = _Constant().transform(_parser().parse(text, start="constant"))
    except (LarkError, _Unreadable, RecursionError):
        return None
    return expr if _depth(expr) <= MAX_NESTING else None


def _depth(expr: Expr) -> int:
    """How deep an expression nests (counted without recursing)."""
    deepest, stack = 0, [(expr, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        kind = node[0]
        children = node[2:] if kind == "bin" else node[2] if kind == "call" else node[2:3] if kind in ("cast", "un") else ()
        stack += [(child, depth + 1) for child in children]
    return deepest


class _Unreadable(Exception):
    """A shape the data reader does not take (bit fields, an unnamed member, a huge number)."""


def _dims(tokens: list[Token]) -> tuple[str, ...]:
    return tuple(" ".join(str(t)[1:-1].split()) for t in tokens)


@v_args(meta=True)
class _Members(Transformer[Token, Any]):
    def members(self, meta: Meta, children: list[Any]) -> tuple[RawMember, ...]:
        return _named(tuple(m for child in children for m in child))

    def field(self, meta: Meta, children: list[Any]) -> list[RawMember]:
        tokens = [c for c in children if isinstance(c, Token)]
        more = [c for c in children if not isinstance(c, Token)]
        first_array = next((i for i, t in enumerate(tokens) if t.type == "ARRAY"), len(tokens))
        head, arrays = tokens[:first_array], tokens[first_array:]
        if any(t.type != "ARRAY" for t in arrays) or not head or head[-1].type != "NAME":
            raise _Unreadable
        name, type_tokens = head[-1], head[:-1]
        words = [str(t) for t in type_tokens if t.type in ("NAME", "STRUCT", "UNION", "ENUM")]
        if not words:
            raise _Unreadable
        base_stars = sum(1 for t in type_tokens if t.type == "STAR")
        const = any(t.type == "CONST" for t in type_tokens)
        base = " ".join(words)
        found = [RawMember(str(name), CType(base, base_stars, const), _dims(arrays), name.start_pos or 0)]
        for stars, other, other_arrays in more:
            found.append(RawMember(str(other), CType(base, stars, const), _dims(other_arrays), other.start_pos or 0))
        return found

    def more(self, meta: Meta, children: list[Token]) -> tuple[int, Token, list[Token]]:
        names = [t for t in children if t.type == "NAME"]
        stars = sum(1 for t in children if t.type == "STAR")
        return stars, names[0], [t for t in children if t.type == "ARRAY"]

    def nested(self, meta: Meta, children: list[Any]) -> list[RawMember]:
        kind = str(children[0])
        body = _named(tuple(m for child in children[1:] if isinstance(child, list) for m in child))
        names = [c for c in children[1:] if isinstance(c, Token) and c.type == "NAME"]
        declarator = [n for n in names if (n.start_pos or 0) > max((m.offset for m in body), default=0)]
        if not declarator and names:  # a tag without a member name: a declaration, not a member
            raise _Unreadable
        if not declarator:  # a C11 anonymous member: named by _named, as NONAMELESSUNION names it
            return [RawMember("", CType(kind, 0), (), meta.start_pos, body, kind)]
        name = declarator[-1]
        return [RawMember(str(name), CType(kind, 0), (), name.start_pos or 0, body, kind)]


def _named(members: tuple[RawMember, ...]) -> tuple[RawMember, ...]:
    """Members with each C11 anonymous structure or union named as the Windows headers name it
    when nameless members are off (``NONAMELESSUNION``): ``s``, ``s2``, … and ``u``, ``u2``, …"""
    counts = {"struct": 0, "union": 0}
    named = []
    for member in members:
        if not member.name:
            counts[member.kind] += 1
            count = counts[member.kind]
            member = replace(member, name=member.kind[0] + (str(count) if count > 1 else ""))
        named.append(member)
    return tuple(named)


def number(token: Token) -> Expr:
    """A C integer literal: ("num", value, "int") (``unsigned`` with a U suffix)."""
    match = _C_INTEGER.fullmatch(token)
    if match is None:
        raise _Unreadable
    hexadecimal, octal, decimal, suffix = match.groups()
    if decimal is not None and len(decimal) > _MAX_DIGITS:
        raise _Unreadable
    value = int(hexadecimal, 16) if hexadecimal else int(octal or decimal, 8 if octal else 10)
    return ("num", value, "unsigned" if "u" in suffix.lower() else "int")


@v_args(inline=True)
class _Constant(Transformer[Token, Expr]):
    def constant(self, expr: Expr) -> Expr:
        return expr

    def number(self, token: Token) -> Expr:
        return number(token)

    def name(self, token: Token) -> Expr:
        return ("name", str(token))

    def call(self, name: Token, *args: Expr) -> Expr:
        return ("call", str(name), args)

    def cast(self, ctype: Token, expr: Expr) -> Expr:
        return ("cast", " ".join(str(ctype).strip("()").split()), expr)

    def neg(self, expr: Expr) -> Expr:
        return ("un", "-", expr)

    def inv(self, expr: Expr) -> Expr:
        return ("un", "~", expr)

    def bor(self, left: Expr, right: Expr) -> Expr:
        return ("bin", "|", left, right)

    def bxor(self, left: Expr, right: Expr) -> Expr:
        return ("bin", "^", left, right)

    def band(self, left: Expr, right: Expr) -> Expr:
        return ("bin", "&", left, right)

    def shl(self, left: Expr, right: Expr) -> Expr:
        return ("bin", "<<", left, right)

    def shr(self, left: Expr, right: Expr) -> Expr:
        return ("bin", ">>", left, right)

    def add(self, left: Expr, right: Expr) -> Expr:
        return ("bin", "+", left, right)

    def sub(self, left: Expr, right: Expr) -> Expr:
        return ("bin", "-", left, right)

    def mul(self, left: Expr, right: Expr) -> Expr:
        return ("bin", "*", left, right)


def _cast(ctype: str, value: int) -> int:
    if ctype in _UNSIGNED:
        return value & (0xFFFFFFFFFFFFFFFF if ctype.endswith("_PTR") else 0xFFFFFFFF)
    if ctype in _SHORT:
        return value & 0xFFFF
    if ctype in _SIGNED:
        bits = 64 if ctype.endswith("_PTR") else 32
        value &= (1 << bits) - 1
        return value - (1 << bits) if value >> (bits - 1) else value
    return value


_MAKE = {"MAKE_MAPI_E": 0x80040000, "MAKE_MAPI_S": 0x00040000}


def evaluate(expr: Expr, lookup: Callable[[str], tuple[int, str] | None]) -> tuple[int, str] | None:
    """(value, C type) of ``expr``; ``lookup`` gives those of a name (None: unknown, so is the result).

    The type is the outermost cast's, a tag macro's ``ULONG``, a name's own, or ``int``.
    """
    kind = expr[0]
    if kind == "num":
        return expr[1], expr[2]
    if kind == "name":
        return lookup(expr[1])
    if kind == "cast":
        inner = evaluate(expr[2], lookup)
        return None if inner is None else (_cast(expr[1], inner[0]), expr[1])
    if kind == "un":
        inner = evaluate(expr[2], lookup)
        if inner is None:
            return None
        value = -inner[0] if expr[1] == "-" else ~inner[0]
        return (_cast("ULONG", value) if inner[1] in _UNSIGNED else value), inner[1]
    if kind == "bin":
        left, right = evaluate(expr[2], lookup), evaluate(expr[3], lookup)
        if left is None or right is None or (expr[1] in ("<<", ">>") and not 0 <= right[0] < 64):
            return None
        value = _BINARY[expr[1]](left[0], right[0])
        if not -(2**64) < value < 2**64:  # no MAPI constant is wider; products of products would grow without bound
            return None
        ctype = left[1] if left[1] != "int" else right[1]
        return (_cast("ULONG", value) if ctype in _UNSIGNED else value), ctype
    args = [evaluate(arg, lookup) for arg in expr[2]]
    if any(a is None for a in args):
        return None
    values = [a[0] for a in args if a is not None]
    if expr[1] == "PROP_TAG" and len(values) == 2:
        return _cast("ULONG", (values[1] << 16) | (values[0] & 0xFFFFFFFF)), "ULONG"
    if expr[1] == "CHANGE_PROP_TYPE" and len(values) == 2:
        return _cast("ULONG", (values[0] & 0xFFFF0000) | values[1]), "ULONG"
    if expr[1] in _MAKE and len(values) == 1:
        return _cast("SCODE", _MAKE[expr[1]] | (values[0] & 0xFFFF)), "SCODE"
    if expr[1] == "MAKE_SCODE" and len(values) == 3:
        return _cast("SCODE", (values[0] << 31) | (values[1] << 16) | values[2]), "SCODE"
    return None


_BINARY: dict[str, Callable[[int, int], int]] = {
    "|": lambda a, b: a | b,
    "^": lambda a, b: a ^ b,
    "&": lambda a, b: a & b,
    "<<": lambda a, b: a << b,
    ">>": lambda a, b: a >> b,
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
}


def aggregates(
    kind: str,
    tag: str,
    declarators: list[tuple[int, bool, str]],
    members: tuple[RawMember, ...],
    at: Callable[[int], SourceLoc],
    offset: int,
    loc: SourceLoc,
) -> list[Aggregate]:
    """The aggregate ``typedef <kind> <tag> {members} <declarators>;`` defines, nested anonymous ones first.

    ``declarators`` are (stars, const, name); ``at`` turns an offset of the
    file into a location, ``offset`` is where the members' text starts.  Array
    dimensions are left to the caller to evaluate (``dims`` is empty).
    """
    values = [name for stars, _, name in declarators if stars == 0]
    pointers = tuple(name for stars, _, name in declarators if stars == 1)
    usable = [name for name in values if not name.startswith("__")]
    name = usable[0] if usable else tag
    found: list[Aggregate] = []
    own = tuple(_member(name, m, at, offset, found) for m in members)
    found.append(Aggregate(name, kind, tag, own, tuple(usable[1:]), pointers, False, loc))
    return found


def _member(outer: str, raw: RawMember, at: Callable[[int], SourceLoc], offset: int, found: list[Aggregate]) -> Member:
    loc = at(offset + raw.offset)
    if raw.body is None:
        return Member(raw.name, raw.type, (), raw.dims, loc)
    name = f"{outer}_{raw.name}"
    inner = tuple(_member(name, m, at, offset, found) for m in raw.body)
    found.append(Aggregate(name, raw.kind, name, inner, (), (), True, loc))
    return Member(raw.name, CType(f"{raw.kind} {name}"), (), raw.dims, loc)
