"""The walk over one header's parse tree that builds its records (``RecordBuilder``).

Each grammar rule of ``header.lark`` gives one record or part of one: methods
and their parameters, functions and function types, interfaces, typedefs
(with the structures, unions and enums ``cdata`` reads from their bodies),
GUIDs and GUID families, HRESULT codes.  Names that reach generated code are
checked to be identifiers, numbers against their limits.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from lark import Token, Transformer, v_args
from lark.tree import Meta

from generator.errors import fail
from generator.frontends.cdata import aggregates, parse_enumerators, parse_members
from generator.frontends.header_preprocess import (
    follow_directive,
    follow_packing,
    in_mac_branch,
    one_branch,
)
from generator.frontends.header_records import (
    IDENTIFIER,
    OLE_GUID_TAIL,
    AggregateRecord,
    CodeDefine,
    EnumRecord,
    FunctionInstance,
    GuidMacro,
    GuidMacroUse,
    InterfaceBody,
    Locator,
    MacroUse,
    MethodsMacro,
    Record,
)
from generator.model import (
    AbiFunction,
    AbiMethod,
    AbiParam,
    CType,
    Direction,
    Guid,
    GuidDefinition,
    SourceLoc,
    Typedef,
)

_MAKE_MAPI_E = 0x80040000  # severity 1, FACILITY_ITF
_MAKE_MAPI_S = 0x00040000  # severity 0, FACILITY_ITF

_GUID_LIMITS = (0xFFFFFFFF, 0xFFFF, 0xFFFF) + (0xFF,) * 8

_C_INTEGER = re.compile(r"(?:0[xX]([0-9A-Fa-f]+)|(0[0-7]*)|([1-9][0-9]*))[uUlL]*")
_DIRECTIONS = {
    "in": Direction.IN,
    "out": Direction.OUT,
    "in,out": Direction.IN_OUT,
    "in/out": Direction.IN_OUT,
}


def _tokens(children: list[Any], kind: str) -> list[Token]:
    return [c for c in children if isinstance(c, Token) and c.type == kind]


@v_args(meta=True)
class RecordBuilder(Transformer[Token, list[Record]]):
    """Turns one file's parse tree into records."""

    def __init__(self, path: str, text: str) -> None:
        super().__init__()
        self.where = Locator(path, text)

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

    def start(self, meta: Meta, children: list[Any]) -> list[Record]:
        """The records in order, without the constants and codes of ``#else`` branches of ``#ifdef UNICODE``.

        Directives are tracked only as far as ``UNICODE`` goes (see header.lark).
        """
        records: list[Record] = []
        branches: list[tuple[str, bool]] = []  # per open #if: what it tests, and whether UNICODE skips this branch
        packs: list[int] = []  # #include <pshpackN.h> / #pragma pack(push, N), innermost last
        for child in children:
            if isinstance(child, Token):
                if child.type == "PP_OTHER":
                    follow_packing(child, packs)
                    follow_directive(child, branches, records, self.where)
                continue
            if isinstance(child, CodeDefine) and any(skipped for kind, skipped in branches if kind != "mac"):
                continue
            if isinstance(child, (AbiFunction, FunctionInstance, list)) and in_mac_branch(child, branches):
                continue
            if isinstance(child, list):
                records.extend(
                    AggregateRecord(replace(r.aggregate, pack=packs[-1])) if isinstance(r, AggregateRecord) and packs and packs[-1] else r
                    for r in child
                )
            else:
                records.append(child)
        return records

    # methods

    def methods_macro(self, meta: Meta, children: list[Any]) -> MethodsMacro:
        return MethodsMacro(str(children[1]), tuple(children[3:]))

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
        if not IDENTIFIER.fullmatch(token):
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

    def function_instance(self, meta: Meta, children: list[Token]) -> FunctionInstance:
        return FunctionInstance(str(children[0]), str(children[1]), self._loc(meta))

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

    def interface(self, meta: Meta, children: list[Any]) -> InterfaceBody:
        (name, base), items = children[0], children[1:]
        return InterfaceBody(
            name, base, tuple(i for i in items if not isinstance(i, Token)), self._loc(meta)
        )

    def iface_head(self, meta: Meta, children: list[Token]) -> tuple[str, str | None]:
        name = self._name(children[0], "interface name")
        return name, (self._name(children[1], "base interface name") if len(children) > 1 else None)

    def macro_use(self, meta: Meta, children: list[Token]) -> MacroUse:
        return MacroUse(str(children[0]), self._loc(meta))

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

    def aggregate_typedef(self, meta: Meta, children: list[Any]) -> list[Typedef | AggregateRecord | EnumRecord]:
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
        found: list[Typedef | AggregateRecord | EnumRecord] = [Typedef(name, CType(base, stars, const), loc) for stars, const, name in shapes]
        body_start = children[0].index("{") + 1
        if kind == "enum" and shapes:
            enumerators = parse_enumerators(children[0][body_start:-1])
            if enumerators is not None:
                offset = (children[0].start_pos or 0) + body_start
                locs = tuple(self.where.at(offset + e.offset) for e in enumerators)
                found.append(EnumRecord(shapes[0][2], tag or shapes[0][2], enumerators, locs, loc))
        elif shapes:
            members = parse_members(one_branch(children[0][body_start:-1]))
            if members is not None:
                offset = (children[0].start_pos or 0) + body_start
                found += [AggregateRecord(a) for a in aggregates(kind, tag or shapes[0][2], shapes, members, self.where.at, offset, loc)]
        return found

    def scoped_enum(self, meta: Meta, children: list[Token]) -> list[EnumRecord]:
        """``enum class NAME {...};``: an enumeration named and tagged ``NAME``."""
        token = children[0]
        head = _SCOPED_ENUM_HEAD.match(token)
        body_start = token.index("{") + 1
        enumerators = parse_enumerators(token[body_start:-1])
        if head is None or enumerators is None:
            return []
        offset = (token.start_pos or 0) + body_start
        locs = tuple(self.where.at(offset + e.offset) for e in enumerators)
        return [EnumRecord(head.group(1), head.group(1), enumerators, locs, self._loc(meta))]

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
            str(children[0]), Guid.from_fields(l, w1, w2, OLE_GUID_TAIL), self._loc(meta)
        )

    def _guid_fields(self, meta: Meta, macro: str, children: list[Token], count: int) -> list[int]:
        symbol, args = children[0], children[1:]
        if len(args) != count:
            message = (
                f"{macro}({symbol}, ...) needs {count} values after the name, found {len(args)}"
            )
            raise self.where.fail(message, meta.start_pos)
        return [self._int(arg, limit, f"{macro} value") for arg, limit in zip(args, _GUID_LIMITS)]

    def guid_macro(self, meta: Meta, children: list[Any]) -> list[GuidMacro]:
        """``DEFINE_X(name, b) DEFINE_GUID(name, base | (b), ...)`` or ``(base + b)``; other parameter uses are skipped."""
        _, macro, symbol_param, value_param, family, symbol, (plus, base, added), *rest = children
        ole = family == "DEFINE_OLEGUID"
        if (symbol, added) != (symbol_param, value_param) or len(rest) != (2 if ole else 10):
            return []
        fields = [self._int(arg, limit, f"{family} value") for arg, limit in zip(rest, _GUID_LIMITS[1:])]
        first = self._int(base, 0xFFFFFFFF, f"{family} value")
        return [GuidMacro(str(macro), first, tuple(fields), ole, plus)]

    def or_base(self, meta: Meta, children: list[Token]) -> tuple[bool, Token, Token]:
        return False, children[0], children[1]

    def plus_base(self, meta: Meta, children: list[Token]) -> tuple[bool, Token, Token]:
        return True, children[0], children[1]

    def guid_macro_use(self, meta: Meta, children: list[Token]) -> GuidMacroUse:
        macro, symbol, value = children
        return GuidMacroUse(str(macro), str(symbol), self._int(value, 0xFFFFFFFF, f"{macro} value"), self._loc(meta))

    # HRESULT codes

    def code_define(self, meta: Meta, children: list[Any]) -> CodeDefine:
        return CodeDefine(self._name(children[1], "HRESULT name"), children[2], self._loc(meta))

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
