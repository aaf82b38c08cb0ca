"""IDL front end: MIDL-style interface descriptions into ``AbiFile`` records.

``idl.lark`` holds the grammar (LALR, contextual lexer).  ``_IdlTransformer``
turns the parse tree into the model's frozen records and checks what the
grammar cannot: the form of a uuid, identifiers, duplicate names, parameter
direction attributes and constant values.  Every problem, syntax errors
included, leaves this module as ``InputError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedToken, VisitError
from lark.tree import Meta

from generator.errors import InputError, check_nesting, check_text, fail
from generator.frontends.cdata import aggregates, evaluate, parse_constant, parse_members
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
    Guid,
    GuidDefinition,
    HResultCode,
    SourceLoc,
    Typedef,
)

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")

# Words that cannot name a parameter, method, typedef or constant.
_RESERVED = frozenset(
    {
        *("auto", "break", "case", "char", "const", "continue", "default", "do", "double"),
        *("else", "enum", "extern", "float", "for", "goto", "if", "int", "long", "register"),
        *("return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef"),
        *("union", "unsigned", "void", "volatile", "while", "hyper", "small", "interface"),
        *("import", "cpp_quote", "library", "coclass", "dispinterface", "module"),
    }
)

# The types a ``const`` declaration may have (the model only keeps HRESULTs).
_HRESULT_TYPES = frozenset({"HRESULT", "SCODE"})
# The C types an integer constant may have (as the headers cast them).
_CONSTANT_TYPES = frozenset({"ULONG", "LONG", "DWORD", "UINT", "INT", "int", "USHORT", "WORD", "SHORT", "BYTE", "unsigned", "long", "short"})


_INCLUDE = re.compile(r"#include <([\w.]+)>")
_PSHPACK = re.compile(r"pshpack(\d)\.h")


@dataclass(frozen=True, slots=True)
class _Module:
    """``module NAME { ... }``: the functions and function types it declares."""

    functions: tuple[AbiFunction, ...]


@dataclass(frozen=True, slots=True)
class _Include:
    """``cpp_quote("#include <X>")``."""

    header: str


@dataclass(frozen=True, slots=True)
class _AggregateDecl:
    """``typedef struct _X {...} X, *LPX;``: its typedefs and aggregates (nested ones first)."""

    typedefs: tuple[Typedef, ...]
    aggregates: tuple[Aggregate, ...]

_DIRECTIONS = {
    ("in",): Direction.IN,
    ("out",): Direction.OUT,
    ("in", "out"): Direction.IN_OUT,
    ("out", "in"): Direction.IN_OUT,
}

# How syntax errors name the regex terminals of idl.lark.
_TERMINAL_WORDS = {
    "IDENT": "a name",
    "NAME": "a name",
    "UUID": "a uuid",
    "NUMBER": "a number",
    "STRING": "a quoted string",
    "ARG_OP": "an operator",
    "$END": "end of file",
}

# The keywords that can start a type.  Where a type may start (VOID is
# expected), syntax errors say "a type" instead of listing them and IDENT.
_TYPE_KEYWORDS = frozenset(
    {
        *("void", "const", "unsigned", "signed", "char", "short", "int", "long", "hyper"),
        *("small", "__int8", "__int16", "__int32", "__int64", "__int3264"),
        *("struct", "union", "enum"),
    }
)

# Expected sets that read better as one phrase: the first phrase whose
# trigger words are all expected wins.
_DECLARATION = "a declaration (import, interface, typedef, const or cpp_quote)"
_PHRASES: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"'import'", "';'"}), f"';' or {_DECLARATION}"),
    (frozenset({"'import'"}), _DECLARATION),
    (frozenset({"a type", "'}'"}), "a method declaration or '}'"),
    (frozenset({"a type", "')'"}), "a parameter or ')'"),
    (frozenset({"'uuid'"}), "an attribute"),
)


def warm_up() -> None:
    """Build the IDL grammar now: worker processes forked afterwards inherit it instead of each building it."""
    _parser()


@cache
def _parser() -> Lark:
    """The IDL parser, built on first use."""
    return Lark.open("idl.lark", rel_to=__file__, parser="lalr", propagate_positions=True)


def parse_idl(path: str, text: str) -> AbiFile:
    """Read one IDL file; ``path`` is what locations show.  Raises ``InputError`` (and no other)."""
    text = text.removeprefix("\ufeff")
    check_text(path, text)
    try:
        tree = _parser().parse(text)
    except (UnexpectedToken, UnexpectedCharacters) as exc:  # the LALR parser's only two
        raise _syntax_error(exc, path, text) from None
    check_nesting(tree, ("arg_group",), "parentheses in attribute arguments", path, text)
    try:
        return _IdlTransformer(path, text).transform(tree)
    except VisitError as exc:
        raise exc.orig_exc from None


# --- syntax errors -----------------------------------------------------------


def _syntax_error(exc: UnexpectedToken | UnexpectedCharacters, path: str, text: str) -> InputError:
    """A Lark parse error as an ``InputError`` with a readable message."""
    pos: int | None = None
    if isinstance(exc, UnexpectedCharacters):
        pos, line, column = exc.pos_in_stream or 0, exc.line, exc.column
        found = f"character {text[pos]!r}"
    elif exc.token.type == "$END":  # positioned on the last token: report its end
        found = "end of file"
        line, column = exc.token.end_line or 1, exc.token.end_column or 1
    else:
        pos, line, column = exc.token.start_pos, exc.line, exc.column
        found = f"token '{exc.token.value}'"
    if pos is not None and text.startswith("/*", pos):
        return fail("unterminated comment: '/*' without a closing '*/'", path, text, line, column)
    if pos is not None and text.startswith('"', pos):
        return fail("unterminated string literal", path, text, line, column)
    message = f"unexpected {found} — expected {_expected(exc)}"
    return fail(message, path, text, line, column)


def _expected(exc: UnexpectedToken | UnexpectedCharacters) -> str:
    """What the parser would have accepted where ``exc`` happened, in words."""
    # exc.state is the LALR ParserState.  Its parse-table row is the exact
    # expected set: the contextual lexer's "allowed" set lacks the keywords.
    row = exc.state.parse_conf.states[exc.state.position]
    return _describe_expected({name for name in row if name.isupper()})


def _describe_expected(names: set[str]) -> str:
    """The terminals a parser state accepts, in words."""
    words: set[str] = set()
    for name in names:
        word = _TERMINAL_WORDS.get(name) or f"'{_parser().get_terminal(name).pattern.value}'"
        if "VOID" in names and (name in ("IDENT", "AGGREGATE_KIND") or word.strip("'") in _TYPE_KEYWORDS):
            word = "a type"
        words.add(word)
    for trigger, phrase in _PHRASES:
        if trigger <= words:
            return phrase
    ordered = sorted(words)
    if not ordered:
        return "nothing more"
    if len(ordered) == 1:
        return ordered[0]
    return ", ".join(ordered[:-1]) + " or " + ordered[-1]


# --- tree to model -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Attr:
    """One attribute of an attribute list, normalized (``size_is(cValues)``)."""

    text: str
    loc: SourceLoc
    guid: Guid | None = None


@dataclass(frozen=True, slots=True)
class _Interface:
    """An interface and the definition of its IID (None without a uuid)."""

    interface: AbiInterface
    iid: GuidDefinition | None


@dataclass(frozen=True, slots=True)
class _Imports:
    """The files named by one ``import`` statement."""

    paths: tuple[str, ...]


@v_args(meta=True)
class _IdlTransformer(Transformer[Token, AbiFile]):
    """Parse tree → ``AbiFile``, with the checks the grammar cannot make."""

    def __init__(self, path: str, text: str) -> None:
        super().__init__()
        self.path = path
        self.text = text

    # helpers

    def _loc(self, meta: Meta) -> SourceLoc:
        return SourceLoc(self.path, meta.line, meta.column)

    def _token_loc(self, token: Token) -> SourceLoc:
        return SourceLoc(self.path, token.line or 1, token.column or 1)

    def _fail(self, message: str, loc: SourceLoc) -> InputError:
        return fail(message, self.path, self.text, loc.line, loc.column)

    def _name(self, token: Token, what: str) -> str:
        """``token`` as a declared name, checked to be a usable identifier."""
        name = str(token)
        if not _IDENTIFIER.fullmatch(name) or name in _RESERVED:
            raise self._fail(f"{what} '{name}' is not a valid identifier", self._token_loc(token))
        return name

    # file level

    def start(self, meta: Meta, items: list[Any]) -> AbiFile:
        interfaces: list[AbiInterface] = []
        guids: list[GuidDefinition] = []
        typedefs: list[Typedef] = []
        hresults: list[HResultCode] = []
        imports: list[str] = []
        constants: dict[str, Constant] = {}
        found_aggregates: list[Aggregate] = []
        functions: list[AbiFunction] = []
        seen: dict[str, AbiInterface] = {}
        header = ""  # the header named by the last cpp_quote("#include <X>")
        packs: list[int] = []  # cpp_quote("#include <pshpackN.h>") ... cpp_quote("#include <poppack.h>")
        for item in items:
            if isinstance(item, _Include):
                pushed = _PSHPACK.fullmatch(item.header)
                if pushed:
                    packs.append(int(pushed.group(1)))
                elif item.header == "poppack.h":
                    packs[-1:] = []
                else:
                    header = item.header
                continue
            if isinstance(item, _AggregateDecl):
                typedefs.extend(item.typedefs)
                pack = packs[-1] if packs else 0
                found_aggregates += [replace(self._dims(a, constants), header=header, pack=pack) for a in item.aggregates]
                continue
            if isinstance(item, Constant):
                constants.setdefault(item.name, replace(item, header=header))
                continue
            if isinstance(item, GuidDefinition):
                guids.append(item)
                continue
            if isinstance(item, _Interface):
                itf = item.interface
                if itf.name in seen:
                    first = seen[itf.name].loc
                    raise self._fail(
                        f"interface '{itf.name}' is defined twice (first at line {first.line})",
                        itf.loc,
                    )
                seen[itf.name] = itf
                interfaces.append(itf)
                if item.iid is not None:
                    guids.append(item.iid)
            elif isinstance(item, HResultCode):
                hresults.append(item)
            elif isinstance(item, _Module):
                functions.extend(item.functions)
            elif isinstance(item, _Imports):
                imports.extend(item.paths)
            elif isinstance(item, tuple):
                typedefs.extend(item)
        return AbiFile(
            path=self.path,
            kind="idl",
            interfaces=tuple(interfaces),
            typedefs=tuple(typedefs),
            guids=tuple(guids),
            hresults=tuple(hresults),
            imports=tuple(imports),
            aggregates=tuple(found_aggregates),
            constants=tuple(constants.values()),
            functions=tuple(functions),
        )

    def _dims(self, aggregate: Aggregate, constants: dict[str, Constant]) -> Aggregate:
        """``aggregate`` with its array dimensions evaluated against the constants defined above it."""

        def lookup(name: str) -> tuple[int, str] | None:
            found = constants.get(name)
            return None if found is None else (found.value, found.ctype)

        members = []
        for member in aggregate.members:
            dims = []
            for text in member.dims_text:
                expr = parse_constant(text)
                value = evaluate(expr, lookup) if expr is not None else None
                if value is None or not 0 < value[0] <= 0xFFFF:
                    raise self._fail(f"array size [{text}] of {aggregate.name}.{member.name} is not a known positive number", member.loc)
                dims.append(value[0])
            members.append(replace(member, dims=tuple(dims)))
        return replace(aggregate, members=tuple(members))

    def tagged_typedef(self, meta: Meta, children: list[Any]) -> tuple[Typedef, ...]:
        kind, tag, *declarators = children
        loc = self._loc(meta)
        return tuple(
            Typedef(self._name(name, "typedef name"), CType(f"{kind} {tag}", stars), loc) for stars, name in declarators
        )

    def aggregate_decl(self, meta: Meta, children: list[Any]) -> _AggregateDecl:
        kind, tag_token, body, *declarators = children
        shapes = [(stars, False, self._name(name, "typedef name")) for stars, name in declarators]
        tag = str(tag_token) if tag_token is not None else shapes[0][2]
        loc = self._loc(meta)
        typedefs = tuple(Typedef(name, CType(f"{kind} {tag}", stars), loc) for stars, _, name in shapes)
        members = parse_members(str(body)[1:-1])
        if members is None:
            raise self._fail(f"the members of {kind} {tag} cannot be read (a bit field or an unnamed member?)", self._token_loc(body))
        base = body.start_pos or 0
        found = aggregates(str(kind), tag, shapes, members, lambda offset: self._offset_loc(offset), base + 1, loc)
        return _AggregateDecl(typedefs, tuple(found))

    def _offset_loc(self, offset: int) -> SourceLoc:
        line = self.text.count("\n", 0, offset) + 1
        return SourceLoc(self.path, line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1)

    def guid_const(self, meta: Meta, children: list[Any]) -> GuidDefinition:
        _const, type_name, name, value = children
        if str(type_name) != "GUID" or not _UUID.fullmatch(str(value)):
            raise self._fail(f"GUID constant {name}: expected const GUID NAME = uuid(XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX)", self._loc(meta))
        return GuidDefinition(self._name(name, "constant name"), Guid("{" + str(value).upper() + "}"), self._loc(meta))

    def import_decl(self, meta: Meta, strings: list[Token]) -> _Imports:
        return _Imports(tuple(_unquote(s) for s in strings))

    def cpp_quote(self, meta: Meta, children: list[Token]) -> _Include | None:
        """``cpp_quote("#include <MAPIDefS.h>")`` names the header of the constants and structures after it."""
        include = _INCLUDE.fullmatch(_unquote(children[0]))
        return _Include(include.group(1)) if include else None

    def forward_decl(self, meta: Meta, children: list[Token]) -> None:
        return None

    def typedef_decl(self, meta: Meta, children: list[Any]) -> tuple[Typedef, ...]:
        base: CType = children[1]
        loc = self._loc(meta)
        return tuple(
            Typedef(self._name(name, "typedef name"), CType(base.name, stars, base.const), loc)
            for stars, name in children[2:]
        )

    def declarator(self, meta: Meta, children: list[Token]) -> tuple[int, Token]:
        return len(children) - 1, children[-1]

    def const_decl(self, meta: Meta, children: list[Any]) -> HResultCode | Constant:
        _const, type_name, name, value = children
        if str(type_name) in _HRESULT_TYPES:
            return HResultCode(self._name(name, "constant name"), value, self._loc(meta))
        if str(type_name) not in _CONSTANT_TYPES:
            raise self._fail(
                f"constant of type '{type_name}': only integer (ULONG, LONG, int, ...) and GUID constants are supported",
                self._token_loc(type_name),
            )
        negative = "-" in self.text[(name.end_pos or 0) : meta.end_pos]
        return Constant(self._name(name, "constant name"), value - (1 << 32) if negative else value, str(type_name), self._loc(meta))

    def int_value(self, meta: Meta, children: list[Token]) -> int:
        digits = str(children[-1]).rstrip("uUlL")
        if digits[:2] in ("0x", "0X"):
            value = int(digits, 16)
        elif len(digits) > 1 and digits.startswith("0"):  # C: a leading 0 means octal
            try:
                value = int(digits, 8)
            except ValueError:
                raise self._fail(f"invalid octal number '{digits}'", self._loc(meta)) from None
        elif len(digits.lstrip("0")) > 10:  # more than 32 bits (and int() refuses 4300 digits)
            raise self._fail(f"value {digits[:20]}... does not fit in 32 bits", self._loc(meta))
        else:
            value = int(digits)
        if len(children) == 2:
            value = -value
        if not -(2**31) <= value < 2**32:
            raise self._fail(f"value {value} does not fit in 32 bits", self._loc(meta))
        # Stored as the unsigned 32-bit pattern: -2147467259 is 0x80004005.
        return value & 0xFFFFFFFF

    # functions

    def module_def(self, meta: Meta, children: list[Any]) -> _Module:
        """``module NAME { ... }``: its functions, each with the header its last ``cpp_quote`` names."""
        functions: list[AbiFunction] = []
        seen: dict[str, AbiFunction] = {}
        header = ""
        for item in children[1:]:
            if isinstance(item, _Include):
                header = item.header
            elif isinstance(item, AbiFunction):
                if item.name in seen:
                    first = seen[item.name].loc
                    raise self._fail(f"function '{item.name}' is declared twice (first at line {first.line})", item.loc)
                seen[item.name] = item
                functions.append(replace(item, header=header))
        return _Module(tuple(functions))

    def function(self, meta: Meta, children: list[Any]) -> AbiFunction:
        attrs: list[_Attr] = children[0] or []
        method = self.method(meta, children)
        words = {a.text for a in attrs}
        kind = ("pointer" if "pointer" in words else "type") if "callback" in words else "function"
        return AbiFunction(method.name, method.return_type, method.params, kind, method.loc)

    # interfaces and methods

    def interface_def(self, meta: Meta, children: list[Any]) -> _Interface:
        attrs: list[_Attr] = children[0] or []
        name = self._name(children[1], "interface name")
        base = self._name(children[2], "base interface name") if children[2] is not None else None
        uuids = [(a.guid, a.loc) for a in attrs if a.guid is not None]
        if len(uuids) > 1:
            raise self._fail(f"interface '{name}' has more than one uuid", uuids[1][1])
        methods: list[AbiMethod] = []
        seen: dict[str, AbiMethod] = {}
        for method in children[3:]:
            if method is None:  # cpp_quote
                continue
            if method.name in seen:
                first = seen[method.name].loc
                raise self._fail(
                    f"method '{method.name}' is declared twice in interface '{name}'"
                    f" (first at line {first.line})",
                    method.loc,
                )
            seen[method.name] = method
            methods.append(method)
        interface = AbiInterface(
            name=name,
            base=base,
            iid=uuids[0][0] if uuids else None,
            methods=tuple(methods),
            loc=self._loc(meta),
        )
        iid = GuidDefinition(f"IID_{name}", *uuids[0]) if uuids else None
        return _Interface(interface, iid)

    def method(self, meta: Meta, children: list[Any]) -> AbiMethod:
        base: CType = children[1]
        name = self._name(children[-2], "method name")
        params: list[AbiParam] = children[-1] or []
        seen: set[str] = set()
        for param in params:
            if param.name in seen:
                raise self._fail(
                    f"parameter '{param.name}' is declared twice in method '{name}'", param.loc
                )
            seen.add(param.name)
        return AbiMethod(
            name=name,
            return_type=CType(base.name, len(children) - 4, base.const),
            params=tuple(params),
            loc=self._loc(meta),
        )

    def no_params(self, meta: Meta, children: list[Token]) -> list[AbiParam]:
        return []

    def param_list(self, meta: Meta, params: list[AbiParam]) -> list[AbiParam]:
        return params

    def param(self, meta: Meta, children: list[Any]) -> AbiParam:
        attrs: list[_Attr] = children[0] or []
        base: CType = children[1]
        name = self._name(children[-1], "parameter name")
        directions: list[str] = []
        others: list[str] = []
        for attr in attrs:
            if attr.text in ("in", "out"):
                if attr.text in directions:
                    raise self._fail(
                        f"direction '{attr.text}' given twice for parameter '{name}'"
                        " (use [in], [out] or [in, out])",
                        attr.loc,
                    )
                directions.append(attr.text)
            else:
                others.append(attr.text)
        return AbiParam(
            name=name,
            type=CType(base.name, len(children) - 3, base.const),
            direction=_DIRECTIONS.get(tuple(directions)),
            attributes=tuple(others),
            loc=self._loc(meta),
        )

    # types

    def ctype(self, meta: Meta, children: list[Any]) -> CType:
        const, name = children
        return CType(name, 0, const is not None)

    def named_type(self, meta: Meta, children: list[Token]) -> str:
        return str(children[0])

    def void_type(self, meta: Meta, children: list[Token]) -> str:
        return "void"

    def int_type(self, meta: Meta, children: list[Token]) -> str:
        return " ".join(str(word) for word in children)

    def tagged_type(self, meta: Meta, children: list[Token]) -> str:
        return " ".join(str(word) for word in children)

    # attributes

    def attr_list(self, meta: Meta, attrs: list[_Attr]) -> list[_Attr]:
        return attrs

    def uuid_attr(self, meta: Meta, children: list[Token]) -> _Attr:
        value = str(children[0])
        loc = self._token_loc(children[0])
        if not _UUID.fullmatch(value):
            raise self._fail(
                f"malformed uuid '{value}': expected XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX"
                " (hexadecimal digits)",
                loc,
            )
        return _Attr(f"uuid({value.upper()})", loc, Guid("{" + value.upper() + "}"))

    def attr(self, meta: Meta, children: list[Any]) -> _Attr:
        name, args = children
        text = str(name) if args is None else f"{name}({', '.join(args)})"
        return _Attr(text, self._loc(meta))

    def attr_args(self, meta: Meta, args: list[str]) -> list[str]:
        return args

    def attr_arg(self, meta: Meta, pieces: list[Any]) -> str:
        text = ""
        for piece in map(str, pieces):
            if (
                text
                and (text[-1].isalnum() or text[-1] == "_")
                and (piece[0].isalnum() or piece[0] == "_")
            ):
                text += " "
            text += piece
        return text

    def arg_group(self, meta: Meta, children: list[list[str]]) -> str:
        return f"({', '.join(children[0])})"


def _unquote(token: Token) -> str:
    """The text of a STRING token, quotes removed."""
    return str(token)[1:-1]
