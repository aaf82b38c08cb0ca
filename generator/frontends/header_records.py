"""What the header front end reads from one file before resolving it against its header set.

The records of one header (``Unit``) keep the macros, interface bodies, codes,
defines, aggregates and GUID macros in file order; ``header_resolve`` expands
and checks them across the files of one folder.  ``Locator`` turns the
parser's offsets into positions.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from generator.errors import InputError, fail
from generator.frontends.cdata import Expr, RawEnumerator
from generator.model import AbiFunction, AbiMethod, Aggregate, GuidDefinition, SourceLoc, Typedef

# DEFINE_OLEGUID(name, l, w1, w2) is {l-w1-w2-C000-000000000046}.
OLE_GUID_TAIL = (0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46)

# Names that reach generated code (interfaces, methods, parameters, HRESULT codes).
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True, slots=True)
class MethodsMacro:
    """``#define NAME(IPURE) <method declarations>``."""

    name: str
    methods: tuple[AbiMethod, ...]


@dataclass(frozen=True, slots=True)
class MacroUse:
    """``NAME(PURE)`` in an interface body."""

    name: str
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class InterfaceBody:
    """An interface body as written: methods and macro uses, in order."""

    name: str
    base: str | None
    items: tuple[AbiMethod | MacroUse, ...]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class CodeDefine:
    """``#define NAME value``: a number, or the name of another code."""

    name: str
    value: int | str
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class GuidMacro:
    """``#define DEFINE_X(name, b) DEFINE_GUID(name, base | (b), ...)`` (or ``(base + b)``): the fixed fields."""

    name: str
    base: int
    rest: tuple[int, ...]  # w1, w2 and data4 (DEFINE_GUID) or w1, w2 (DEFINE_OLEGUID)
    ole: bool
    plus: bool  # base + b, not base | b


@dataclass(frozen=True, slots=True)
class GuidMacroUse:
    """``DEFINE_X(symbol, b);``, a GUID of a macro's family."""

    macro: str
    symbol: str
    value: int
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class Define:
    """``#define NAME value`` whose value is an integer expression (``cdata.Expr``), before its names are resolved."""

    name: str
    expr: Expr
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class AggregateRecord:
    """A structure or union definition, its array dimensions not yet evaluated."""

    aggregate: Aggregate


@dataclass(frozen=True, slots=True)
class EnumRecord:
    """An enumeration definition, its values not yet evaluated (they may name constants of other headers)."""

    name: str
    tag: str
    enumerators: tuple[RawEnumerator, ...]
    locs: tuple[SourceLoc, ...]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class FunctionInstance:
    """``MAPILOGONEX MAPILogonEx;``: a function declared by the name of its type."""

    type_name: str
    name: str
    loc: SourceLoc


Record = FunctionInstance | AbiFunction | MethodsMacro | InterfaceBody | CodeDefine | Typedef | GuidDefinition | GuidMacro | GuidMacroUse | Define | AggregateRecord | EnumRecord


@dataclass(frozen=True, slots=True)
class Unit:
    """One parsed file."""

    path: str
    text: str
    records: tuple[Record, ...]


class Locator:
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
