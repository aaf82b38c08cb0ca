"""Front end for MAPI C headers (mingw-w64 and Outlook MAPI header style).

Reads the ``*_METHODS(IPURE)`` macros, the ``DECLARE_MAPI_INTERFACE_`` bodies
that list them, ``DECLARE_MAPI_INTERFACE_PTR``, simple typedefs and those that
define a struct, union or enum, ``DEFINE_GUID``/``DEFINE_OLEGUID``, the macros
of GUID families defined with them (``DEFINE_EXCHFORMGUID``) and their uses, and
HRESULT ``#define`` lines; everything else in a header is skipped.  The grammar is
``header.lark``; its comments describe the quirks of the input.

Macros are often defined in one header and used in another (mapix.h uses
MAPI_IUNKNOWN_METHODS from mapidefs.h), so ``parse_headers`` reads several
headers into one macro table and resolves the interfaces afterwards.  An
interface body lists the macros of its whole base chain first; the record
keeps only the interface's own slots, after checking that the leading ones
are exactly its base's vtable.

Locations: an interface is at its ``DECLARE_*`` keyword, a method at its
``MAPIMETHOD``/``STDMETHOD`` keyword (inside the macro that declares it), a
parameter at its first token after a direction comment, a GUID at
``DEFINE_GUID``, a typedef at ``typedef``/``DECLARE_MAPI_INTERFACE_PTR`` and
an HRESULT code at its ``#define``.  A parameter without a name is called
``arg<N>`` (N counts from 1).  An interface's IID is the ``IID_<name>`` GUID
of any header read; an HRESULT alias resolves against every code read and
``STANDARD_HRESULTS``, and is left out when it names something else.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, replace
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedInput, UnexpectedToken, VisitError
from lark.tree import Meta, Tree

from generator.errors import MAX_NESTING, InputError, check_text, fail
from generator.frontends.cdata import (
    Expr,
    RawEnumerator,
    aggregates,
    enumerator_values,
    evaluate,
    parse_constant,
    parse_enumerators,
    parse_members,
)
from generator.model import (
    AbiFile,
    AbiFunction,
    AbiInterface,
    AbiMethod,
    AbiParam,
    Aggregate,
    Constant,
    CType,
    Direction,
    Enumeration,
    Enumerator,
    Guid,
    GuidDefinition,
    HResultCode,
    SourceLoc,
    Typedef,
)

# Codes from winerror.h that the MAPI headers alias (MAPI_E_CALL_FAILED is E_FAIL).
STANDARD_HRESULTS: dict[str, int] = {
    "S_OK": 0x00000000,
    "S_FALSE": 0x00000001,
    "E_UNEXPECTED": 0x8000FFFF,
    "E_NOTIMPL": 0x80004001,
    "E_NOINTERFACE": 0x80004002,
    "E_POINTER": 0x80004003,
    "E_ABORT": 0x80004004,
    "E_FAIL": 0x80004005,
    "E_ACCESSDENIED": 0x80070005,
    "E_OUTOFMEMORY": 0x8007000E,
    "E_INVALIDARG": 0x80070057,
}

# IUnknown is never declared by the MAPI headers; as a base it has these slots.
_IUNKNOWN = "IUnknown"
_IUNKNOWN_SLOTS = ("QueryInterface", "AddRef", "Release")

_MAKE_MAPI_E = 0x80040000  # severity 1, FACILITY_ITF
_MAKE_MAPI_S = 0x00040000  # severity 0, FACILITY_ITF

# DEFINE_OLEGUID(name, l, w1, w2) is {l-w1-w2-C000-000000000046}.
_OLE_GUID_TAIL = (0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46)
_GUID_LIMITS = (0xFFFFFFFF, 0xFFFF, 0xFFFF) + (0xFF,) * 8

# Names that reach generated code (interfaces, methods, parameters, HRESULT codes).
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

_C_INTEGER = re.compile(r"(?:0[xX]([0-9A-Fa-f]+)|(0[0-7]*)|([1-9][0-9]*))[uUlL]*")
_CONTINUATION = re.compile(r"\\\r?\n")
_DIRECTIONS = {
    "in": Direction.IN,
    "out": Direction.OUT,
    "in,out": Direction.IN_OUT,
    "in/out": Direction.IN_OUT,
}

_parser_instance: Lark | None = None


def _parser() -> Lark:
    global _parser_instance
    if _parser_instance is None:
        _parser_instance = Lark.open(
            "header.lark", rel_to=__file__, parser="lalr", propagate_positions=True
        )
    return _parser_instance


# --- public API -------------------------------------------------------------


def parse_header(path: str, text: str) -> AbiFile:
    """Read one header (``path`` is the display path); it must define every macro it uses."""
    return parse_headers([(path, text)])[0]


def parse_headers(files: list[tuple[str, str]]) -> tuple[AbiFile, ...]:
    """Read several ``(path, text)`` headers; those of one folder share one table of ``*_METHODS`` macros.

    Each folder (the path up to its last ``/``) is one header set, such as
    Microsoft's or mingw-w64's: its files are read in order, then interfaces,
    bases, IIDs and HRESULT aliases are resolved across them, but not across
    sets, which declare the same interfaces.  Returns one ``AbiFile`` per
    input, in input order.
    """
    for path, text in files:
        check_text(path, text)
    units = [_read(path, text) for path, text in files]
    sets: dict[str, list[_Unit]] = {}
    for unit in units:
        sets.setdefault(unit.path.rpartition("/")[0], []).append(unit)
    resolved = {f.path: f for members in sets.values() for f in _Resolver(members).files()}
    return tuple(resolved[unit.path] for unit in units)


def parse_guid_definitions(
    path: str, text: str, line_offset: int = 0, column_offset: int = 0
) -> tuple[GuidDefinition, ...]:
    """The ``DEFINE_GUID``/``DEFINE_OLEGUID`` definitions in a C or C++ snippet.

    The snippet starts at line ``line_offset + 1``, column ``column_offset + 1``
    of the file it was taken from, so positions point into that file.
    """
    text = "\n" * line_offset + " " * column_offset + text
    check_text(path, text)
    unit = _read(path, text)
    return tuple(r for r in unit.records if isinstance(r, GuidDefinition))


# --- records of one file, before resolution ---------------------------------


@dataclass(frozen=True, slots=True)
class _Macro:
    """``#define NAME(IPURE) <method declarations>``."""

    name: str
    methods: tuple[AbiMethod, ...]


@dataclass(frozen=True, slots=True)
class _MacroUse:
    """``NAME(PURE)`` in an interface body."""

    name: str
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class _Interface:
    """An interface body as written: methods and macro uses, in order."""

    name: str
    base: str | None
    items: tuple[AbiMethod | _MacroUse, ...]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class _Code:
    """``#define NAME value``: a number, or the name of another code."""

    name: str
    value: int | str
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class _GuidMacro:
    """``#define DEFINE_X(name, b) DEFINE_GUID(name, base | (b), ...)`` (or ``(base + b)``): the fixed fields."""

    name: str
    base: int
    rest: tuple[int, ...]  # w1, w2 and data4 (DEFINE_GUID) or w1, w2 (DEFINE_OLEGUID)
    ole: bool
    plus: bool  # base + b, not base | b


@dataclass(frozen=True, slots=True)
class _GuidMacroUse:
    """``DEFINE_X(symbol, b);``, a GUID of a macro's family."""

    macro: str
    symbol: str
    value: int
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class _Define:
    """``#define NAME value`` whose value is an integer expression (``cdata.Expr``), before its names are resolved."""

    name: str
    expr: Expr
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class _Aggregate:
    """A structure or union definition, its array dimensions not yet evaluated."""

    aggregate: Aggregate


@dataclass(frozen=True, slots=True)
class _Enum:
    """An enumeration definition, its values not yet evaluated (they may name constants of other headers)."""

    name: str
    tag: str
    enumerators: tuple[RawEnumerator, ...]
    locs: tuple[SourceLoc, ...]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class _FunctionInstance:
    """``MAPILOGONEX MAPILogonEx;``: a function declared by the name of its type."""

    type_name: str
    name: str
    loc: SourceLoc


_Record = _FunctionInstance | AbiFunction | _Macro | _Interface | _Code | Typedef | GuidDefinition | _GuidMacro | _GuidMacroUse | _Define | _Aggregate | _Enum


@dataclass(frozen=True, slots=True)
class _Unit:
    """One parsed file."""

    path: str
    text: str
    records: tuple[_Record, ...]


def _read(path: str, text: str) -> _Unit:
    # Same-length replacements keep every offset valid in the original text.
    joined = _CONTINUATION.sub(lambda m: " " * len(m.group()), text).replace("\r\n", " \n")
    if not joined.endswith("\n"):
        joined += "\n"
    joined = _neutralize_unclosed_comments(joined)
    try:
        records: list[_Record] = _Builder(path, text).transform(_parser().parse(joined))
    except UnexpectedInput as exc:
        raise _syntax_error(exc, _Locator(path, text)) from None
    except VisitError as exc:
        if isinstance(exc.orig_exc, InputError):
            raise exc.orig_exc from None
        raise
    return _Unit(path, text, tuple(records))


def _neutralize_unclosed_comments(text: str) -> str:
    """Every ``/*`` with no ``*/`` after it becomes ``/ `` (same length).

    C would read the rest of the file as a comment; this reader skips what it
    does not know anyway.  Left alone, each such opening would make the lexer
    scan to the end of the file, once per opening: hostile headers of
    repeated ``#/*`` would take hours.
    """
    last_close = text.rfind("*/")
    first_open = text.find("/*", last_close + 2 if last_close >= 0 else 0)
    if first_open < 0:
        return text
    return text[:first_open] + text[first_open:].replace("/*", "/ ")


class _Locator:
    """Turns offsets into 1-based line/column positions of one file."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> SourceLoc:
        line = bisect.bisect_right(self._starts, offset)
        return SourceLoc(self.path, line, offset - self._starts[line - 1] + 1)

    def fail(self, message: str, offset: int) -> InputError:
        loc = self.at(offset)
        return fail(message, self.path, self.text, loc.line, loc.column)


def _syntax_error(exc: UnexpectedInput, where: _Locator) -> InputError:
    """The InputError for a Lark syntax error (interface bodies get a better message)."""
    if not isinstance(exc, UnexpectedToken):  # a character no terminal matches
        offset = exc.pos_in_stream or 0
        return where.fail(f"unexpected character {where.text[offset : offset + 1]!r}", offset)
    token, body = exc.token, _open_interface(exc)
    if token.type == "$END":
        if body is not None:
            message = f"unbalanced braces: the body of interface {body[0]} is never closed"
            return where.fail(message, body[1].start_pos or 0)
        return where.fail(f"unexpected end of file{_expected(exc)}", len(where.text))
    offset = token.start_pos or 0
    if body is not None and token == "{":
        message = f"unbalanced braces: unexpected '{{' in the body of interface {body[0]}"
        return where.fail(message, offset)
    what = "end of line" if token.type == "_EOL" else repr(str(token))
    inside = f" in the body of interface {body[0]}" if body is not None else ""
    return where.fail(f"unexpected {what}{inside}{_expected(exc)}", offset)


# How error messages name the regex terminals; literal ones are quoted as written.
_TERMINAL_WORDS = {
    "NAME": "a name",
    "NUMBER": "a number",
    "GUID_ARG": "a number",
    "_EOL": "end of line",
    "DIRECTION": "a direction comment",
    "ANNOTATION": "an annotation",
    "ARRAY": "'['",
}


def _expected(exc: UnexpectedToken) -> str:
    """A '; expected X or Y' suffix when only a few tokens fit, else ''."""
    words: set[str] = set()
    for name in exc.expected:
        if name in _TERMINAL_WORDS:
            words.add(_TERMINAL_WORDS[name])
            continue
        pattern = _parser().get_terminal(name).pattern if name != "$END" else None
        if pattern is None or pattern.type != "str":
            return ""
        words.add(repr(pattern.value))
    if not words or len(words) > 4:
        return ""
    return "; expected " + " or ".join(sorted(words))


def _open_interface(exc: UnexpectedToken) -> tuple[str, Token] | None:
    """(name, its '{') when the parser stopped inside an interface body."""
    stack: list[Any] = list(getattr(exc.state, "value_stack", ()))
    for head, brace in itertools.pairwise(stack):
        if isinstance(head, Tree) and head.data == "iface_head" and isinstance(brace, Token):
            return str(head.children[0]), brace
    return None


# --- parse tree to records --------------------------------------------------


def _tokens(children: list[Any], kind: str) -> list[Token]:
    return [c for c in children if isinstance(c, Token) and c.type == kind]


@v_args(meta=True)
class _Builder(Transformer[Token, list[_Record]]):
    """Turns one file's parse tree into records."""

    def __init__(self, path: str, text: str) -> None:
        super().__init__()
        self.where = _Locator(path, text)

    def _loc(self, meta: Meta) -> SourceLoc:
        return self.where.at(meta.start_pos)

    def _int(self, token: Token, limit: int, what: str) -> int:
        match = _C_INTEGER.fullmatch(token)
        if match is None:
            message = f"{what} {str(token)!r} is not a hexadecimal or decimal number"
            raise self.where.fail(message, token.start_pos or 0)
        hexadecimal, octal, decimal = match.groups()
        if decimal is not None and len(decimal) > 20:  # int() refuses 4300 digits; no limit is that long
            message = f"{what} {str(token)[:20]!r}... is larger than {limit:#x}"
            raise self.where.fail(message, token.start_pos or 0)
        value = int(hexadecimal, 16) if hexadecimal else int(octal or decimal, 8 if octal else 10)
        if value > limit:
            message = f"{what} {str(token)!r} is larger than {limit:#x}"
            raise self.where.fail(message, token.start_pos or 0)
        return value

    def start(self, meta: Meta, children: list[Any]) -> list[_Record]:
        """The records in order, without the constants and codes of ``#else`` branches of ``#ifdef UNICODE``.

        Directives are tracked only as far as ``UNICODE`` goes (see header.lark).
        """
        records: list[_Record] = []
        branches: list[tuple[str, bool]] = []  # per open #if: what it tests, and whether UNICODE skips this branch
        packs: list[int] = []  # #include <pshpackN.h> / #pragma pack(push, N), innermost last
        for child in children:
            if isinstance(child, Token):
                if child.type == "PP_OTHER":
                    _packing(child, packs)
                    self._directive(child, branches, records)
                continue
            if isinstance(child, _Code) and any(skipped for kind, skipped in branches if kind != "mac"):
                continue
            if isinstance(child, (AbiFunction, _FunctionInstance, list)) and _in_mac_branch(child, branches):
                continue
            if isinstance(child, list):
                records.extend(
                    _Aggregate(replace(r.aggregate, pack=packs[-1])) if isinstance(r, _Aggregate) and packs and packs[-1] else r
                    for r in child
                )
            else:
                records.append(child)
        return records

    def _directive(self, token: Token, branches: list[tuple[str, bool]], records: list[_Record]) -> None:
        match = _DIRECTIVE.match(token)
        if match is None:
            return
        word, rest = match.groups()
        if word in ("if", "ifdef", "ifndef"):
            condition = _COMMENTS.sub("", rest).strip()
            test = _UNICODE_TEST.fullmatch(condition)
            kind = "" if test is None else "ansi" if (word == "ifndef") != (test.group(1) == "!") else "unicode"
            if word != "ifndef" and _MAC_TEST.fullmatch(condition):
                kind = "mac"
            branches.append((kind, kind in ("ansi", "mac")))
        elif word in ("else", "elif") and branches:
            kind, skipped = branches[-1]
            branches[-1] = (kind, kind == "unicode" if word == "elif" else bool(kind) and not skipped)
            if kind == "mac":
                branches[-1] = (kind, False)
        elif word == "endif" and branches:
            branches.pop()
        elif word == "define" and not any(skipped for kind, skipped in branches if kind != "mac"):
            define = _OBJECT_DEFINE.match(rest)
            if define is not None and define.group(2).strip():
                expr = parse_constant(define.group(2))
                if expr is not None:
                    records.append(_Define(define.group(1), expr, self._loc_at(token.start_pos or 0)))

    def _loc_at(self, offset: int) -> SourceLoc:
        return self.where.at(offset)

    # methods

    def methods_macro(self, meta: Meta, children: list[Any]) -> _Macro:
        return _Macro(str(children[1]), tuple(children[3:]))

    def macro_method(self, meta: Meta, children: list[Any]) -> AbiMethod:
        return self._method(meta, children)

    def body_method(self, meta: Meta, children: list[Any]) -> AbiMethod:
        return self._method(meta, children)

    def _method(self, meta: Meta, children: list[Any]) -> AbiMethod:
        (return_type, name), params = children[0], children[1]
        self._unique(params, f"method {name}")
        return AbiMethod(name, return_type, params, self._loc(meta))

    def _unique(self, params: tuple[AbiParam, ...], owner: str) -> None:
        """Refuse a parameter name declared twice (generated Python would have duplicate arguments)."""
        seen: set[str] = set()
        for param in params:
            if param.name in seen:
                message = f"parameter {param.name} is declared twice in {owner}"
                raise fail(message, param.loc.file, self.where.text, param.loc.line, param.loc.column)
            seen.add(param.name)

    def _name(self, token: Token, what: str) -> str:
        """A name that reaches the model, checked to be a plain (ASCII) C identifier."""
        if not _IDENTIFIER.fullmatch(token):
            message = f"{what} {str(token)!r} is not an identifier ([A-Za-z_][A-Za-z0-9_]*)"
            raise self.where.fail(message, token.start_pos or 0)
        return str(token)

    def hresult_head(self, meta: Meta, children: list[Token]) -> tuple[CType, str]:
        return CType("HRESULT"), self._name(children[0], "method name")

    def typed_head(self, meta: Meta, children: list[Any]) -> tuple[CType, str]:
        return children[0], self._name(children[1], "method name")

    def params(self, meta: Meta, children: list[Any]) -> tuple[AbiParam, ...]:
        return tuple(
            AbiParam(name or f"arg{index}", ctype, direction, attributes, loc)
            for index, (direction, (name, ctype, attributes, loc)) in enumerate(children, 1)
        )

    def param(self, meta: Meta, children: list[Any]) -> tuple[Direction | None, Any]:
        if len(children) == 1:
            return None, children[0]
        words = re.sub(r"[^a-z,/]", "", str(children[0])[2:-2].lower())
        return _DIRECTIONS[words], children[1]

    def declaration(
        self, meta: Meta, children: list[Any]
    ) -> tuple[str | None, CType, tuple[str, ...], SourceLoc]:
        attributes = tuple(str(t) for t in _tokens(children, "ANNOTATION"))
        ctype = next(c for c in children if isinstance(c, CType))
        if _tokens(children, "ARRAY"):  # a T x[] parameter is a T *x
            ctype = CType(ctype.name, ctype.pointers + 1, ctype.const)
        names = _tokens(children, "NAME")
        name = self._name(names[0], "parameter name") if names else None
        return name, ctype, attributes, self._loc(meta)

    def ctype(self, meta: Meta, children: list[Token]) -> CType:
        name = " ".join(str(t) for t in children if t.type in ("STRUCT", "UNION", "ENUM", "NAME"))
        stars = len(_tokens(children, "STAR"))
        return CType(name, stars, bool(_tokens(children, "CONST")))

    # functions

    def function_typedef(self, meta: Meta, children: list[Any]) -> list[AbiFunction]:
        """``typedef R (CALLTYPE [FAR] [*] NAME)(...);``: a function type, or a pointer to one."""
        return_type, words, params = children[1], children[2], children[3]
        if not words or words[-1].type != "NAME":
            return []
        kind = "pointer" if _tokens(words, "STAR") else "type"
        name = self._name(words[-1], "function type name")
        return [self._function(meta, name, return_type, params, kind)]

    def fn_words(self, meta: Meta, children: list[Token]) -> list[Token]:
        return [c for c in children if c.type in ("NAME", "STAR")]

    def function_decl(self, meta: Meta, children: list[Any]) -> AbiFunction:
        """``STDAPI Name(...);``, ``STDAPI_(R) Name(...);``, ``R WINAPI Name(...);``."""
        head, name, params = children
        return self._function(meta, self._name(name, "function name"), _head_return_type(head), params, "function")

    def function_instance(self, meta: Meta, children: list[Token]) -> _FunctionInstance:
        return _FunctionInstance(str(children[0]), str(children[1]), self._loc(meta))

    def fparams(self, meta: Meta, children: list[Any]) -> list[Any]:
        found = [c for c in children if c is not None]
        if len(found) == 1:  # "(void)": no parameters
            _, (name, ctype, _, _) = found[0]
            if name is None and ctype.name in ("void", "VOID") and not ctype.pointers:
                return []
        return found

    def fparam(self, meta: Meta, children: list[Any]) -> tuple[Direction | None, Any]:
        return self.param(meta, children)

    def _function(self, meta: Meta, name: str, return_type: CType, params: list[Any], kind: str) -> AbiFunction:
        built = self.params(meta, params)
        self._unique(built, f"function {name}")
        loc = self._loc(meta)
        return AbiFunction(name, return_type, built, kind, loc, loc.file.rpartition("/")[2])

    # interfaces

    def interface(self, meta: Meta, children: list[Any]) -> _Interface:
        (name, base), items = children[0], children[1:]
        return _Interface(
            name, base, tuple(i for i in items if not isinstance(i, Token)), self._loc(meta)
        )

    def iface_head(self, meta: Meta, children: list[Token]) -> tuple[str, str | None]:
        name = self._name(children[0], "interface name")
        return name, (self._name(children[1], "base interface name") if len(children) > 1 else None)

    def macro_use(self, meta: Meta, children: list[Token]) -> _MacroUse:
        return _MacroUse(str(children[0]), self._loc(meta))

    def interface_ptr(self, meta: Meta, children: list[Token]) -> Typedef:
        interface, pointer = children
        return Typedef(str(pointer), CType(str(interface), 1), self._loc(meta))

    # typedefs

    def typedef(self, meta: Meta, children: list[Any]) -> list[Typedef]:
        first: list[Token] = children[1]
        if not first:  # "typedef FAR;": nothing but dropped words
            return []
        const = first[0].type == "CONST"
        if const:
            first = first[1:]
        count = next((i for i, t in enumerate(first) if t.type != "NAME"), len(first))
        words, rest = [str(t) for t in first[:count]], first[count:]
        if not rest and len(words) > 1:  # "typedef ULONG FLAGS;"
            rest = first[count - 1 : count]
            words.pop()
        shapes = _pointer_declarators([rest, *children[2:]])
        if not words or shapes is None:
            return []
        loc = self._loc(meta)
        base = " ".join(words)
        return [Typedef(name, CType(base, stars, const or const_stars), loc) for stars, const_stars, name in shapes]

    def aggregate_typedef(self, meta: Meta, children: list[Any]) -> list[Typedef | _Aggregate | _Enum]:
        """``typedef struct _X {...} X, *LPX;``: each declarator names the struct (or a pointer to it).

        An untagged definition takes its tag from its first declarator's name
        (``typedef struct {...} ENTRYID, *LPENTRYID;`` declares ``struct ENTRYID``).
        A struct or union whose body ``cdata`` reads is also an aggregate record.
        """
        head = _AGGREGATE_HEAD.match(children[0])
        shapes = _pointer_declarators(children[1:])
        if head is None or shapes is None:
            return []
        kind, tag = head.groups()
        loc = self._loc(meta)
        base = f"{kind} {tag or shapes[0][2]}"
        found: list[Typedef | _Aggregate | _Enum] = [Typedef(name, CType(base, stars, const), loc) for stars, const, name in shapes]
        body_start = children[0].index("{") + 1
        if kind == "enum" and shapes:
            enumerators = parse_enumerators(children[0][body_start:-1])
            if enumerators is not None:
                offset = (children[0].start_pos or 0) + body_start
                locs = tuple(self.where.at(offset + e.offset) for e in enumerators)
                found.append(_Enum(shapes[0][2], tag or shapes[0][2], enumerators, locs, loc))
        elif shapes:
            members = parse_members(_one_branch(children[0][body_start:-1]))
            if members is not None:
                offset = (children[0].start_pos or 0) + body_start
                found += [_Aggregate(a) for a in aggregates(kind, tag or shapes[0][2], shapes, members, self.where.at, offset, loc)]
        return found

    def scoped_enum(self, meta: Meta, children: list[Token]) -> list[_Enum]:
        """``enum class NAME {...};``: an enumeration named and tagged ``NAME``."""
        token = children[0]
        head = _SCOPED_ENUM_HEAD.match(token)
        body_start = token.index("{") + 1
        enumerators = parse_enumerators(token[body_start:-1])
        if head is None or enumerators is None:
            return []
        offset = (token.start_pos or 0) + body_start
        locs = tuple(self.where.at(offset + e.offset) for e in enumerators)
        return [_Enum(head.group(1), head.group(1), enumerators, locs, self._loc(meta))]

    def declarator(self, meta: Meta, children: list[Token]) -> list[Token]:
        return children

    # GUIDs

    def guid(self, meta: Meta, children: list[Token]) -> GuidDefinition:
        l, w1, w2, *data4 = self._guid_fields(meta, "DEFINE_GUID", children, 11)
        return GuidDefinition(
            str(children[0]), Guid.from_fields(l, w1, w2, tuple(data4)), self._loc(meta)
        )

    def oleguid(self, meta: Meta, children: list[Token]) -> GuidDefinition:
        l, w1, w2 = self._guid_fields(meta, "DEFINE_OLEGUID", children, 3)
        return GuidDefinition(
            str(children[0]), Guid.from_fields(l, w1, w2, _OLE_GUID_TAIL), self._loc(meta)
        )

    def _guid_fields(self, meta: Meta, macro: str, children: list[Token], count: int) -> list[int]:
        symbol, args = children[0], children[1:]
        if len(args) != count:
            message = (
                f"{macro}({symbol}, ...) needs {count} values after the name, found {len(args)}"
            )
            raise self.where.fail(message, meta.start_pos)
        return [self._int(arg, limit, f"{macro} value") for arg, limit in zip(args, _GUID_LIMITS)]

    def guid_macro(self, meta: Meta, children: list[Any]) -> list[_GuidMacro]:
        """``DEFINE_X(name, b) DEFINE_GUID(name, base | (b), ...)`` or ``(base + b)``; other parameter uses are skipped."""
        _, macro, symbol_param, value_param, family, symbol, (plus, base, added), *rest = children
        ole = family == "DEFINE_OLEGUID"
        if (symbol, added) != (symbol_param, value_param) or len(rest) != (2 if ole else 10):
            return []
        fields = [self._int(arg, limit, f"{family} value") for arg, limit in zip(rest, _GUID_LIMITS[1:])]
        first = self._int(base, 0xFFFFFFFF, f"{family} value")
        return [_GuidMacro(str(macro), first, tuple(fields), ole, plus)]

    def or_base(self, meta: Meta, children: list[Token]) -> tuple[bool, Token, Token]:
        return False, children[0], children[1]

    def plus_base(self, meta: Meta, children: list[Token]) -> tuple[bool, Token, Token]:
        return True, children[0], children[1]

    def guid_macro_use(self, meta: Meta, children: list[Token]) -> _GuidMacroUse:
        macro, symbol, value = children
        return _GuidMacroUse(str(macro), str(symbol), self._int(value, 0xFFFFFFFF, f"{macro} value"), self._loc(meta))

    # HRESULT codes

    def code_define(self, meta: Meta, children: list[Any]) -> _Code:
        return _Code(self._name(children[1], "HRESULT name"), children[2], self._loc(meta))

    def make_error(self, meta: Meta, children: list[Token]) -> int:
        return _MAKE_MAPI_E | self._int(children[0], 0xFFFF, "MAKE_MAPI_E code")

    def make_success(self, meta: Meta, children: list[Token]) -> int:
        return _MAKE_MAPI_S | self._int(children[0], 0xFFFF, "MAKE_MAPI_S code")

    def literal(self, meta: Meta, children: list[Token]) -> int:
        return self._int(children[-1], 0xFFFFFFFF, "HRESULT")

    def alias(self, meta: Meta, children: list[Token]) -> str:
        return str(children[0])


# The head of a prototype: STDAPI, STDMETHODIMP (HRESULT), STDAPI_(R), STDMETHODIMP_(R), "R [*] [FAR] WINAPI|PASCAL".
_TYPED_HEAD = re.compile(r"(?:STDAPI|STDMETHODIMP)_\s*\(\s*([^()]*?)\s*\)")
_CALL_WORDS = {"WINAPI", "PASCAL", "FAR", "EXPORT"}


def _head_return_type(head: Token) -> CType:
    """The return type a ``FUNCTION_HEAD`` token spells."""
    text = str(head)
    typed = _TYPED_HEAD.fullmatch(text)
    if text in ("STDAPI", "STDMETHODIMP"):
        return CType("HRESULT")
    spelled = typed.group(1) if typed is not None else text
    stars = spelled.count("*")
    words = [w for w in spelled.replace("*", " ").split() if w not in _CALL_WORDS]
    return CType(" ".join(words), stars)


# Directives the constant reader follows: "#ifdef UNICODE", "#if defined(UNICODE)",
# "#ifndef UNICODE", "#if !defined(UNICODE)", their #else and #endif, and #define.
_DIRECTIVE = re.compile(r"#[ \t]*(if|ifdef|ifndef|elif|else|endif|define)\b(.*)", re.DOTALL)
_COMMENTS = re.compile(r"/\*(?:[^*]|\*(?!/))*\*/|//.*")
# "#ifdef _MAC", "#if defined(_MAC)": the Macintosh branch, whose functions (MAPIWin.h's
# Win32 stand-ins) no Windows build declares; its constants are read as before.
_MAC_TEST = re.compile(r"(?:defined[ \t]*\(?[ \t]*)?_MAC[ \t]*\)?")
_UNICODE_TEST = re.compile(r"(!?)[ \t]*(?:defined[ \t]*\(?[ \t]*)?UNICODE[ \t]*\)?")
# "#define NAME value", not "#define NAME(args) ..."
_OBJECT_DEFINE = re.compile(r"[ \t]+([^\W\d]\w*)(?![\w(])(.*)", re.DOTALL)

# Packing: "#include <pshpack1.h>" ... "#include <poppack.h>" (mingw-w64's tnef.h), "#pragma pack(push, 1)",
# "#pragma pack(1)", "#pragma pack(pop)", "#pragma pack()".
_PACK = re.compile(r"#[ \t]*(?:include[ \t]*[<\"]pshpack(\d)\.h[>\"]|include[ \t]*[<\"](poppack)\.h[>\"]"
                   r"|pragma[ \t]+pack[ \t]*\([ \t]*(?:(push)[ \t]*,[ \t]*(\d+)|(pop)|(\d+)|())[ \t]*\))")


def _in_mac_branch(child: object, branches: list[tuple[str, bool]]) -> bool:
    """A function record read inside the ``_MAC`` branch of an ``#if``."""
    if isinstance(child, list) and not any(isinstance(r, AbiFunction) for r in child):
        return False
    return any(kind == "mac" and skipped for kind, skipped in branches)


def _packing(token: Token, packs: list[int]) -> None:
    """Follow the packing directives: push, pop or set the packing of the aggregates that follow."""
    match = _PACK.match(token)
    if match is None:
        return
    include_push, include_pop, push, push_value, pop, value, reset = match.groups()
    if include_push or push:
        packs.append(int(include_push or push_value))
    elif (include_pop or pop) and packs:
        packs.pop()
    elif value is not None:
        packs[-1:] = [int(value)]
    elif reset is not None:
        packs[-1:] = [0]


# A test for a big-endian (Macintosh) build: "#if TARGET_RT_BIG_ENDIAN", "#ifdef _MAC".
_BIG_ENDIAN_TEST = re.compile(r"(?:defined[ \t]*\(?[ \t]*)?(?:_MAC|TARGET_RT_BIG_ENDIAN)\b")
_BODY_DIRECTIVE = re.compile(r"^[ \t]*#[ \t]*(\w*)(.*)$", re.MULTILINE)


def _one_branch(body: str) -> str:
    """A structure's body with its directive lines, and the branches of its ``#if``s not read, blanked.

    Of an ``#if`` the first branch is read, as for constants, except where the
    test is for a big-endian or Macintosh build (``TARGET_RT_BIG_ENDIAN``,
    ``_MAC``) or ``#ifndef UNICODE``: there the ``#else`` branch is, as a
    Unicode Windows build sees it (CY's ``ULONG Lo; LONG Hi;``).  Blanks keep
    every offset.
    """
    if "#" not in body:
        return body
    out: list[str] = []
    reading: list[bool] = []  # per open #if: is the branch being read
    taken: list[bool] = []  # per open #if: was a branch read already
    position = 0
    for match in _BODY_DIRECTIVE.finditer(body):
        if all(reading):
            out.append(body[position : match.start()])
        else:
            out.append(re.sub(r"[^\n]", " ", body[position : match.start()]))
        out.append(" " * (match.end() - match.start()))
        position = match.end()
        word, rest = match.group(1), _COMMENTS.sub(" ", match.group(2)).strip()
        if word in ("if", "ifdef", "ifndef"):
            unicode_test = _UNICODE_TEST.fullmatch(rest)
            negated = word == "ifndef" or (unicode_test is not None and unicode_test.group(1) == "!")
            other_branch = bool(_BIG_ENDIAN_TEST.search(rest)) or (unicode_test is not None and negated)
            reading.append(not other_branch)
            taken.append(not other_branch)
        elif word in ("elif", "else") and reading:
            reading[-1] = not taken[-1]
            taken[-1] = True
        elif word == "endif" and reading:
            reading.pop()
            taken.pop()
    out.append(body[position:] if all(reading) else re.sub(r"[^\n]", " ", body[position:]))
    return "".join(out)


# The kind and tag of an AGGREGATE_TYPEDEF token ("typedef struct _ADRLIST {").
_AGGREGATE_HEAD = re.compile(r"typedef\s+(struct|union|enum)(?:\s+([^\W\d]\w*))?")
_SCOPED_ENUM_HEAD = re.compile(r"enum\s+(?:class|struct)\s+([^\W\d]\w*)")


def _pointer_declarators(declarators: list[list[Token]]) -> list[tuple[int, bool, str]] | None:
    """The (stars, const, name) of each declarator; None when one has another shape."""
    shapes = [_pointer_declarator(d) for d in declarators]
    return [shape for shape in shapes if shape is not None] if None not in shapes else None


def _pointer_declarator(tokens: list[Token]) -> tuple[int, bool, str] | None:
    """(stars, const, name) of "* const * NAME"; None for any other shape."""
    if not tokens or tokens[-1].type != "NAME":
        return None
    if any(t.type not in ("STAR", "CONST") for t in tokens[:-1]):
        return None
    return len(_tokens(tokens, "STAR")), bool(_tokens(tokens, "CONST")), str(tokens[-1])


# --- resolution across files ------------------------------------------------


def _same_slot(method: AbiMethod, base: AbiMethod | str) -> bool:
    if isinstance(base, str):
        return method.name == base
    return (
        method.name == base.name
        and method.return_type == base.return_type
        and [p.type for p in method.params] == [p.type for p in base.params]
    )


class _Resolver:
    """Expands interface bodies with the shared macro table and builds the AbiFiles."""

    def __init__(self, units: list[_Unit]) -> None:
        self.units = units
        self.texts = {unit.path: unit.text for unit in units}
        self.macros: dict[str, _Macro] = {}
        self.interfaces: dict[str, _Interface] = {}
        self.codes: dict[str, _Code] = {}
        self.guids: dict[str, Guid] = {}
        self.defines: dict[str, _Define] = {}
        self.guid_macros = {r.name: r for unit in units for r in unit.records if isinstance(r, _GuidMacro)}
        self.function_types: dict[str, AbiFunction] = {}
        for unit in units:
            for record in unit.records:
                if isinstance(record, AbiFunction) and record.kind == "type":
                    self.function_types.setdefault(record.name, record)
        for unit in units:
            for record in unit.records:
                if isinstance(record, _GuidMacroUse):
                    record = self._family_guid(record)
                if isinstance(record, _Macro):
                    self.macros[record.name] = record
                elif isinstance(record, _Interface):
                    first = self.interfaces.setdefault(record.name, record)
                    if first is not record:
                        message = f"interface {record.name} is already declared at {first.loc}"
                        raise self._fail(message, record.loc)
                elif isinstance(record, _Code):
                    self.codes[record.name] = record
                elif isinstance(record, GuidDefinition):
                    self.guids.setdefault(record.symbol, record.guid)
                elif isinstance(record, _Define):
                    self.defines.setdefault(record.name, record)
        for code in self.codes.values():  # "#define PT_TSTRING PT_UNICODE": an alias, not an HRESULT
            if isinstance(code.value, str) and self._code_value(code.value) is None:
                self.defines.setdefault(code.name, _Define(code.name, ("name", code.value), code.loc))
        self.values: dict[str, tuple[int, str] | None] = {}
        self.depth = 0  # names being evaluated, one inside the other
        # full vtable of each interface, with the body item each slot comes from
        self.vtables: dict[str, tuple[tuple[AbiMethod, SourceLoc], ...]] = {}

    def _fail(self, message: str, loc: SourceLoc) -> InputError:
        return fail(message, loc.file, self.texts[loc.file], loc.line, loc.column)

    def _family_guid(self, use: _GuidMacroUse) -> GuidDefinition | _GuidMacroUse:
        """The GUID a family macro's use defines; the use itself when no header read defines the macro."""
        macro = self.guid_macros.get(use.macro)
        if macro is None:
            return use
        w1, w2, *data4 = macro.rest
        first = (macro.base + use.value) & 0xFFFFFFFF if macro.plus else macro.base | use.value
        guid = Guid.from_fields(first, w1, w2, _OLE_GUID_TAIL if macro.ole else tuple(data4))
        return GuidDefinition(use.symbol, guid, use.loc)

    def value(self, name: str) -> tuple[int, str] | None:
        """(value, C type) of the constant ``name`` in this header set; None when unknown or circular."""
        if name in self.values:
            return self.values[name]
        define = self.defines.get(name)
        self.values[name] = None  # a cycle evaluates to unknown
        if define is not None and self.depth < MAX_NESTING:  # a chain of names deeper than that is unknown too
            self.depth += 1
            found = evaluate(define.expr, self.value)
            self.depth -= 1
        else:
            found = None
        self.values[name] = found
        return found

    def _constant(self, define: _Define) -> Constant | None:
        if self.defines.get(define.name) is not define or define.name in self.codes and self._code_value(define.name) is not None:
            return None
        found = self.value(define.name)
        header = define.loc.file.rpartition("/")[2]
        return None if found is None else Constant(define.name, found[0], found[1], define.loc, header)

    def _aggregate(self, aggregate: Aggregate) -> Aggregate | None:
        """``aggregate`` with its array dimensions evaluated; None when one is not a known positive number."""
        members = []
        for member in aggregate.members:
            dims = []
            for text in member.dims_text:
                expr = parse_constant(text)
                found = evaluate(expr, self.value) if expr is not None else None
                if found is None or not 0 < found[0] <= 0xFFFF:
                    return None
                dims.append(found[0])
            members.append(replace(member, dims=tuple(dims)))
        return replace(aggregate, members=tuple(members), header=aggregate.loc.file.rpartition("/")[2])

    def files(self) -> tuple[AbiFile, ...]:
        return tuple(self._file(unit) for unit in self.units)

    def _file(self, unit: _Unit) -> AbiFile:
        interfaces: list[AbiInterface] = []
        hresults: list[HResultCode] = []
        for record in unit.records:
            if isinstance(record, _Interface):
                interfaces.append(self._interface(record))
            elif isinstance(record, _Code):
                value = self._code_value(record.value)
                if value is not None:
                    hresults.append(HResultCode(record.name, value, record.loc))
        return AbiFile(
            path=unit.path,
            kind="header",
            functions=self._functions(unit),
            interfaces=tuple(interfaces),
            typedefs=tuple(r for r in unit.records if isinstance(r, Typedef)),
            guids=tuple(
                guid
                for guid in (self._family_guid(r) if isinstance(r, _GuidMacroUse) else r for r in unit.records)
                if isinstance(guid, GuidDefinition)
            ),
            hresults=tuple(hresults),
            aggregates=tuple(a for a in (self._aggregate(r.aggregate) for r in unit.records if isinstance(r, _Aggregate)) if a is not None),
            constants=tuple(c for c in (self._constant(r) for r in self._constant_records(unit)) if c is not None),
            enums=tuple(self._enum(r) for r in unit.records if isinstance(r, _Enum)),
        )

    def _enum(self, enum: _Enum) -> Enumeration:
        """An enumeration with its values (None where one names what the header set does not define)."""
        values = enumerator_values(enum.enumerators, self.value)
        members = tuple(Enumerator(e.name, v, loc) for e, v, loc in zip(enum.enumerators, values, enum.locs))
        return Enumeration(enum.name, enum.tag, members, enum.loc, enum.loc.file.rpartition("/")[2])

    def _functions(self, unit: _Unit) -> tuple[AbiFunction, ...]:
        """The unit's functions and function types, in file order; ``TYPE name;`` only for a function type of the set."""
        found: list[AbiFunction] = []
        for record in unit.records:
            if isinstance(record, AbiFunction):
                found.append(record)
            elif isinstance(record, _FunctionInstance):
                kind = self.function_types.get(record.type_name)
                if kind is not None and _IDENTIFIER.fullmatch(record.name):
                    header = record.loc.file.rpartition("/")[2]
                    found.append(AbiFunction(record.name, kind.return_type, kind.params, "function", record.loc, header))
        return tuple(found)

    def _constant_records(self, unit: _Unit) -> list[_Define]:
        """The unit's defines, and its aliases that are no HRESULT, in file order."""
        found = []
        for record in unit.records:
            if isinstance(record, _Define):
                found.append(record)
            elif isinstance(record, _Code) and self.defines.get(record.name, None) is not None and self.defines[record.name].loc == record.loc:
                found.append(self.defines[record.name])
        return found

    def _interface(self, itf: _Interface) -> AbiInterface:
        inherited = len(self._base_slots(itf))
        own = tuple(method for method, _ in self._vtable(itf, ())[inherited:])
        return AbiInterface(itf.name, itf.base, self.guids.get(f"IID_{itf.name}"), own, itf.loc)

    def _base_slots(
        self, itf: _Interface, chain: tuple[str, ...] = ()
    ) -> tuple[AbiMethod | str, ...]:
        if itf.base is None:
            return ()
        base = self.interfaces.get(itf.base)
        if base is not None:
            return tuple(method for method, _ in self._vtable(base, (*chain, itf.name)))
        if itf.base == _IUNKNOWN:
            return _IUNKNOWN_SLOTS
        message = f"base interface {itf.base} of {itf.name} is not declared in the headers read"
        raise self._fail(message, itf.loc)

    def _vtable(
        self, itf: _Interface, chain: tuple[str, ...]
    ) -> tuple[tuple[AbiMethod, SourceLoc], ...]:
        """The expanded body of ``itf``, checked against its base."""
        done = self.vtables.get(itf.name)
        if done is not None:
            return done
        if itf.name in chain:
            raise self._fail(f"interface {itf.name} inherits from itself", itf.loc)
        if len(chain) > MAX_NESTING:
            message = f"the bases of interface {chain[0]} are nested more than {MAX_NESTING} deep (the nesting limit)"
            raise self._fail(message, self.interfaces[chain[0]].loc)
        slots: list[tuple[AbiMethod, SourceLoc]] = []
        for item in itf.items:
            if isinstance(item, AbiMethod):
                slots.append((item, item.loc))
                continue
            macro = self.macros.get(item.name)
            if macro is None:
                raise self._fail(f"macro {item.name} is not defined", item.loc)
            slots.extend((method, item.loc) for method in macro.methods)
        base = self._base_slots(itf, chain)
        if len(slots) < len(base):
            message = (
                f"interface {itf.name} has {len(slots)} slot(s),"
                f" fewer than the {len(base)} of its base {itf.base}"
            )
            raise self._fail(message, itf.loc)
        for index, ((method, used_at), expected) in enumerate(zip(slots, base)):
            if not _same_slot(method, expected):
                name = expected if isinstance(expected, str) else expected.name
                message = (
                    f"interface {itf.name} does not start with the vtable of its base"
                    f" {itf.base}: slot {index} is {method.name}, expected {name}"
                )
                if method.name == name:
                    message += " with the same signature"
                raise self._fail(message, used_at)
        seen: set[str] = set()
        for method, used_at in slots:
            if method.name in seen:
                raise self._fail(f"duplicate method {method.name} in interface {itf.name}", used_at)
            seen.add(method.name)
        self.vtables[itf.name] = tuple(slots)
        return self.vtables[itf.name]

    def _code_value(self, value: int | str) -> int | None:
        """The number behind a code, following aliases (None when unresolvable)."""
        seen: set[str] = set()
        while isinstance(value, str):
            if value in seen:
                return None
            seen.add(value)
            target = self.codes.get(value)
            if target is None:
                return STANDARD_HRESULTS.get(value)
            value = target.value
        return value
