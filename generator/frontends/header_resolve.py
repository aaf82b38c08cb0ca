"""Resolution across the headers of one set: interface bodies expanded and checked, values and IIDs found.

``Resolver`` takes the ``Unit`` of every file of one folder, shares their
``*_METHODS`` macros, GUID families, codes and defines, and builds one
``AbiFile`` per file.
"""

from __future__ import annotations

from dataclasses import replace

from generator.errors import MAX_NESTING, InputError, fail
from generator.frontends.cdata import enumerator_values, evaluate, parse_constant
from generator.frontends.header_records import (
    IDENTIFIER,
    OLE_GUID_TAIL,
    AggregateRecord,
    CodeDefine,
    Define,
    EnumRecord,
    FunctionInstance,
    GuidMacro,
    GuidMacroUse,
    InterfaceBody,
    MethodsMacro,
    Unit,
)
from generator.model import (
    AbiFile,
    AbiFunction,
    AbiInterface,
    AbiMethod,
    Aggregate,
    Constant,
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


def _same_slot(method: AbiMethod, base: AbiMethod | str) -> bool:
    if isinstance(base, str):
        return method.name == base
    return (
        method.name == base.name
        and method.return_type == base.return_type
        and [p.type for p in method.params] == [p.type for p in base.params]
    )


class Resolver:
    """Expands interface bodies with the shared macro table and builds the AbiFiles."""

    def __init__(self, units: list[Unit]) -> None:
        self.units = units
        self.texts = {unit.path: unit.text for unit in units}
        self.macros: dict[str, MethodsMacro] = {}
        self.interfaces: dict[str, InterfaceBody] = {}
        self.codes: dict[str, CodeDefine] = {}
        self.guids: dict[str, Guid] = {}
        self.defines: dict[str, Define] = {}
        self.guid_macros = {r.name: r for unit in units for r in unit.records if isinstance(r, GuidMacro)}
        self.function_types: dict[str, AbiFunction] = {}
        for unit in units:
            for record in unit.records:
                if isinstance(record, AbiFunction) and record.kind == "type":
                    self.function_types.setdefault(record.name, record)
        for unit in units:
            for record in unit.records:
                if isinstance(record, GuidMacroUse):
                    record = self._family_guid(record)
                if isinstance(record, MethodsMacro):
                    self.macros[record.name] = record
                elif isinstance(record, InterfaceBody):
                    first = self.interfaces.setdefault(record.name, record)
                    if first is not record:
                        message = f"interface {record.name} is already declared at {first.loc}"
                        raise self._fail(message, record.loc)
                elif isinstance(record, CodeDefine):
                    self.codes[record.name] = record
                elif isinstance(record, GuidDefinition):
                    self.guids.setdefault(record.symbol, record.guid)
                elif isinstance(record, Define):
                    self.defines.setdefault(record.name, record)
        for code in self.codes.values():  # "#define PT_TSTRING PT_UNICODE": an alias, not an HRESULT
            if isinstance(code.value, str) and self._code_value(code.value) is None:
                self.defines.setdefault(code.name, Define(code.name, ("name", code.value), code.loc))
        self.values: dict[str, tuple[int, str] | None] = {}
        self.depth = 0  # names being evaluated, one inside the other
        # full vtable of each interface, with the body item each slot comes from
        self.vtables: dict[str, tuple[tuple[AbiMethod, SourceLoc], ...]] = {}

    def _fail(self, message: str, loc: SourceLoc) -> InputError:
        return fail(message, loc.file, self.texts[loc.file], loc.line, loc.column)

    def _family_guid(self, use: GuidMacroUse) -> GuidDefinition | GuidMacroUse:
        """The GUID a family macro's use defines; the use itself when no header read defines the macro."""
        macro = self.guid_macros.get(use.macro)
        if macro is None:
            return use
        w1, w2, *data4 = macro.rest
        first = (macro.base + use.value) & 0xFFFFFFFF if macro.plus else macro.base | use.value
        guid = Guid.from_fields(first, w1, w2, OLE_GUID_TAIL if macro.ole else tuple(data4))
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

    def _constant(self, define: Define) -> Constant | None:
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

    def _file(self, unit: Unit) -> AbiFile:
        interfaces: list[AbiInterface] = []
        hresults: list[HResultCode] = []
        for record in unit.records:
            if isinstance(record, InterfaceBody):
                interfaces.append(self._interface(record))
            elif isinstance(record, CodeDefine):
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
                for guid in (self._family_guid(r) if isinstance(r, GuidMacroUse) else r for r in unit.records)
                if isinstance(guid, GuidDefinition)
            ),
            hresults=tuple(hresults),
            aggregates=tuple(a for a in (self._aggregate(r.aggregate) for r in unit.records if isinstance(r, AggregateRecord)) if a is not None),
            constants=tuple(c for c in (self._constant(r) for r in self._constant_records(unit)) if c is not None),
            enums=tuple(self._enum(r) for r in unit.records if isinstance(r, EnumRecord)),
        )

    def _enum(self, enum: EnumRecord) -> Enumeration:
        """An enumeration with its values (None where one names what the header set does not define)."""
        values = enumerator_values(enum.enumerators, self.value)
        members = tuple(Enumerator(e.name, v, loc) for e, v, loc in zip(enum.enumerators, values, enum.locs))
        return Enumeration(enum.name, enum.tag, members, enum.loc, enum.loc.file.rpartition("/")[2])

    def _functions(self, unit: Unit) -> tuple[AbiFunction, ...]:
        """The unit's functions and function types, in file order; ``TYPE name;`` only for a function type of the set."""
        found: list[AbiFunction] = []
        for record in unit.records:
            if isinstance(record, AbiFunction):
                found.append(record)
            elif isinstance(record, FunctionInstance):
                kind = self.function_types.get(record.type_name)
                if kind is not None and IDENTIFIER.fullmatch(record.name):
                    header = record.loc.file.rpartition("/")[2]
                    found.append(AbiFunction(record.name, kind.return_type, kind.params, "function", record.loc, header))
        return tuple(found)

    def _constant_records(self, unit: Unit) -> list[Define]:
        """The unit's defines, and its aliases that are no HRESULT, in file order."""
        found = []
        for record in unit.records:
            if isinstance(record, Define):
                found.append(record)
            elif isinstance(record, CodeDefine) and self.defines.get(record.name, None) is not None and self.defines[record.name].loc == record.loc:
                found.append(self.defines[record.name])
        return found

    def _interface(self, itf: InterfaceBody) -> AbiInterface:
        inherited = len(self._base_slots(itf))
        own = tuple(method for method, _ in self._vtable(itf, ())[inherited:])
        return AbiInterface(itf.name, itf.base, self.guids.get(f"IID_{itf.name}"), own, itf.loc)

    def _base_slots(
        self, itf: InterfaceBody, chain: tuple[str, ...] = ()
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
        self, itf: InterfaceBody, chain: tuple[str, ...]
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
