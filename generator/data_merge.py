"""Merge the data types: structures, unions, constants and GUIDs of every ABI source into the model.

Sources rank in load order (the IDL, then header folders in the order given),
as for interfaces: the first definition of a name decides.  A later source
that defines it differently gets a finding at its own line, naming the winner:
``struct-conflict`` (members differ in name, order, type after following each
set's typedefs, or array size), ``constant-conflict`` and, for ``PR_`` names,
``tag-conflict``; ``function-conflict`` for a function or function type
declared with other parameters (count, names or types) or another return
type.  Structures come out in dependency order: an aggregate
after every aggregate it holds by value.
"""

from __future__ import annotations

import re

from generator.ctypes_facts import INTEGER_CTYPES, WINDOWS_VALUE_CTYPES, TypeResolver
from generator.model import (
    AbiFile,
    AbiFunction,
    Aggregate,
    Constant,
    CType,
    Diagnostic,
    GuidDefinition,
    Member,
    Severity,
)

GUID_PREFIXES = ("PS_", "PSETID_")


def _folder(path: str) -> str:
    return path.rpartition("/")[0]


def merge_data(
    abi_files: list[AbiFile], guids: dict[str, GuidDefinition], types_of: dict[str, TypeResolver]
) -> tuple[tuple[Aggregate, ...], tuple[Constant, ...], tuple[GuidDefinition, ...], tuple[Diagnostic, ...]]:
    """(aggregates in dependency order, constants by name, property-set GUIDs by name, findings).

    ``types_of`` maps a source folder to the typedefs as that set declares them.
    """
    findings: list[Diagnostic] = []
    aggregates: dict[str, Aggregate] = {}
    constants: dict[str, Constant] = {}
    for abi_file in abi_files:
        for aggregate in abi_file.aggregates:
            first = aggregates.setdefault(aggregate.name, aggregate)
            if first is not aggregate and _folder(first.loc.file) != _folder(aggregate.loc.file):
                difference = _difference(first, aggregate, types_of)
                if difference:
                    findings.append(
                        Diagnostic(
                            Severity.WARNING,
                            "struct-conflict",
                            f"{aggregate.kind} {aggregate.name} differs from {first.loc.file}: {difference}; "
                            f"the first definition is used",
                            aggregate.loc,
                        )
                    )
        for constant in abi_file.constants:
            first_constant = constants.setdefault(constant.name, constant)
            if first_constant.value != constant.value and _folder(first_constant.loc.file) != _folder(constant.loc.file):
                code = "tag-conflict" if constant.name.startswith("PR_") else "constant-conflict"
                findings.append(
                    Diagnostic(
                        Severity.WARNING,
                        code,
                        f"{constant.name} is 0x{constant.value & 0xFFFFFFFF:08X} here but "
                        f"0x{first_constant.value & 0xFFFFFFFF:08X} in {first_constant.loc.file}; the first is used",
                        constant.loc,
                    )
                )
    property_sets = tuple(sorted((g for g in guids.values() if g.symbol.startswith(GUID_PREFIXES)), key=lambda g: g.symbol))
    ordered = _dependency_order(aggregates, TypeResolver(tuple(t for f in abi_files for t in f.typedefs), set()))
    return ordered, tuple(sorted(constants.values(), key=lambda c: c.name)), property_sets, tuple(findings)


def merge_functions(abi_files: list[AbiFile], types_of: dict[str, TypeResolver]) -> tuple[tuple[AbiFunction, ...], tuple[Diagnostic, ...]]:
    """(functions and function types by name, the first declaration of each; findings for the others)."""
    functions: dict[str, AbiFunction] = {}
    findings: list[Diagnostic] = []
    for abi_file in abi_files:
        for function in abi_file.functions:
            first = functions.setdefault(function.name, function)
            if first is function or _folder(first.loc.file) == _folder(function.loc.file):
                continue
            difference = _function_difference(first, function, types_of)
            if difference:
                findings.append(
                    Diagnostic(
                        Severity.WARNING,
                        "function-conflict",
                        f"{function.name} differs from {first.loc.file}: {difference}; the first declaration is used",
                        function.loc,
                    )
                )
    return tuple(sorted(functions.values(), key=lambda f: f.name)), tuple(findings)


def _function_difference(first: AbiFunction, other: AbiFunction, types_of: dict[str, TypeResolver]) -> str:
    """What differs between two declarations of one function, in words; '' when nothing does."""
    mine, theirs = types_of[_folder(other.loc.file)], types_of[_folder(first.loc.file)]
    if len(first.params) != len(other.params):
        return f"{len(other.params)} parameter(s) here, {len(first.params)} there"
    returned = _type_shape(other.return_type, mine), _type_shape(first.return_type, theirs)
    if returned[0] != returned[1]:
        return f"returns {_spelled(('', *returned[0], ()))} here, {_spelled(('', *returned[1], ()))} there"
    for here, there in zip(other.params, first.params):
        if here.name != there.name:
            return f"parameter {here.name} here is {there.name} there"
        shapes = _type_shape(here.type, mine), _type_shape(there.type, theirs)
        if shapes[0] != shapes[1]:
            return f"parameter {here.name} is {_spelled(('', *shapes[0], ()))} here, {_spelled(('', *shapes[1], ()))} there"
    return ""


def _type_shape(ctype: CType, types: TypeResolver) -> tuple[str, int]:
    """A type after its typedefs, an integer type by its ctypes width and sign."""
    resolved = types.resolve(ctype)
    base = " ".join(w for w in resolved.base.split() if not _SAL_WORD.fullmatch(w))
    base = INTEGER_CTYPES.get(base) or WINDOWS_VALUE_CTYPES.get(base) or _WIDE_CHARS.get(base) or base
    return base, resolved.pointers


# SAL words a typedef may carry (Microsoft's "typedef _Null_terminated_ WCHAR *LPWSTR"), and the
# 16-bit characters of Windows, which mingw-w64 spells wchar_t.
_SAL_WORD = re.compile(r"_[A-Z][A-Za-z_]*_")
_WIDE_CHARS = {"wchar_t": "ctypes.c_uint16"}


def _member_shape(member: Member, types: TypeResolver) -> tuple[str, str, int, tuple[int, ...]]:
    """Name, type (an integer type by its ctypes width and sign, so ``ULONG`` is ``unsigned __LONG32``), dims."""
    resolved = types.resolve(member.type)
    base = resolved.base
    if not resolved.pointers:
        base = INTEGER_CTYPES.get(base) or WINDOWS_VALUE_CTYPES.get(base) or base
    return member.name, base, resolved.pointers, member.dims


def _difference(first: Aggregate, other: Aggregate, types_of: dict[str, TypeResolver]) -> str:
    """What differs between two definitions of one aggregate, in words; '' when nothing does."""
    if first.kind != other.kind:
        return f"a {other.kind} here, a {first.kind} there"
    mine, theirs = types_of[_folder(other.loc.file)], types_of[_folder(first.loc.file)]
    here = [_member_shape(m, mine) for m in other.members]
    there = [_member_shape(m, theirs) for m in first.members]
    if [h[0] for h in here] != [t[0] for t in there]:
        return f"members ({', '.join(h[0] for h in here)}) there ({', '.join(t[0] for t in there)})"
    for member, h, t in zip(other.members, here, there):
        if h != t:
            return f"member {member.name} is {_spelled(h)} here, {_spelled(t)} there"
    return ""


def _spelled(shape: tuple[str, str, int, tuple[int, ...]]) -> str:
    _, base, pointers, dims = shape
    return base + " " * bool(pointers) + "*" * pointers + "".join(f"[{d}]" for d in dims)


def _dependency_order(aggregates: dict[str, Aggregate], types: TypeResolver) -> tuple[Aggregate, ...]:
    """Aggregates in first-seen order, each after those it holds by value (by tag, following typedefs)."""
    by_tag: dict[str, Aggregate] = {}
    for aggregate in aggregates.values():
        by_tag.setdefault(f"{aggregate.kind} {aggregate.tag}", aggregate)
        for name in (aggregate.name, *aggregate.aliases):
            by_tag.setdefault(name, aggregate)
    ordered: list[Aggregate] = []
    placed: set[str] = set()
    started: set[str] = set()
    for root in aggregates.values():
        stack = [(root, False)]
        while stack:
            aggregate, expanded = stack.pop()
            if aggregate.name in placed:
                continue
            if expanded:
                placed.add(aggregate.name)
                ordered.append(aggregate)
                continue
            stack.append((aggregate, True))
            started.add(aggregate.name)
            for member in reversed(aggregate.members):
                resolved = types.resolve(member.type)
                held = by_tag.get(resolved.base) if resolved.pointers == 0 else None
                if held is not None and held.name not in placed and held.name not in started:
                    stack.append((held, False))
    return tuple(ordered)
