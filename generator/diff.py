"""API diff between two models (``python -m generator diff OLD NEW``).

ABI changes: interfaces or methods added or removed, methods moved to another
slot, parameter types, directions or count changed, return types, IIDs and
bases changed; structures and unions added, removed or with other members (name, type,
array size); enumerations added, removed or with other members or values;
constants and ``PR_`` properties added, removed or with another value.
API-only changes: parameter names; canonical properties (``PidTag…``,
``PidLid…``) added, removed or with other facts (id, long ID or name,
property set, types, tags).  Prose changes are only counted, per language:
the interfaces, methods and structures whose text changed while
their ABI did not.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from generator.backends.prose import plain_text
from generator.model import Aggregate, Enumeration, Interface, Method, Model, Property, inline_text

_R = TypeVar("_R")


@dataclass(frozen=True, slots=True)
class Change:
    """One difference; ``abi`` tells whether binaries built against OLD break."""

    kind: str
    interface: str
    method: str | None
    detail: str
    abi: bool


@dataclass(frozen=True, slots=True)
class ApiDiff:
    """All the differences between two models."""

    changes: tuple[Change, ...]
    prose: tuple[tuple[str, int], ...]

    @property
    def abi_changed(self) -> bool:
        """True when any change breaks the ABI."""
        return any(c.abi for c in self.changes)


def diff_models(old: Model, new: Model) -> ApiDiff:
    """Compare ``old`` with ``new``."""
    changes: list[Change] = []
    before = {i.name: i for i in old.interfaces}
    after = {i.name: i for i in new.interfaces}
    for name in sorted(set(before) - set(after)):
        changes.append(Change("interface-removed", name, None, f"{name} was removed", True))
    for name in sorted(set(after) - set(before)):
        changes.append(Change("interface-added", name, None, f"{name} : {after[name].base} was added", True))
    prose: dict[str, int] = {}
    for name in sorted(set(before) & set(after)):
        found = _interface_changes(old, new, before[name], after[name])
        changes += found
        touched = {c.method for c in found}
        for lang in sorted(set(old.languages) | set(new.languages)):
            count = _prose_changes(before[name], after[name], lang, touched)
            if count:
                prose[lang] = prose.get(lang, 0) + count
    changes += _data_changes(old, new)
    structures_a = {a.name: a for a in old.aggregates}
    for aggregate in new.aggregates:
        earlier = structures_a.get(aggregate.name)
        if earlier is None or _shape(earlier) != _shape(aggregate):
            continue
        for lang in sorted(set(old.languages) | set(new.languages)):
            if _structure_text(earlier, lang) != _structure_text(aggregate, lang):
                prose[lang] = prose.get(lang, 0) + 1
    changes += _property_changes(old, new)
    return ApiDiff(tuple(changes), tuple(sorted(prose.items())))


def _data_changes(old: Model, new: Model) -> list[Change]:
    """Structures and unions, constants and ``PR_`` properties added, removed or changed."""
    changes = _named_changes(
        "structure",
        {a.name: a for a in old.aggregates},
        {a.name: a for a in new.aggregates},
        lambda a: f"{a.kind} {a.name}",
        lambda a, b: "" if _shape(a) == _shape(b) else f"members ({'; '.join(_shape(a))}) -> ({'; '.join(_shape(b))})",
        abi=True,
    )
    changes += _named_changes(
        "enum",
        {e.name: e for e in old.enums},
        {e.name: e for e in new.enums},
        lambda e: f"enum {e.name}",
        lambda a, b: "" if _enumerators(a) == _enumerators(b) else f"members ({_enumerators(a)}) -> ({_enumerators(b)})",
        abi=True,
    )
    values_a = {c.name: c.value for c in old.constants}
    values_b = {c.name: c.value for c in new.constants}
    for name in sorted(set(values_a) | set(values_b)):
        kind = "property" if name.startswith("PR_") else "constant"
        a, b = values_a.get(name), values_b.get(name)
        if b is None:
            changes.append(Change(f"{kind}-removed", name, None, f"{name} (0x{a or 0:08X}) was removed", True))
        elif a is None:
            changes.append(Change(f"{kind}-added", name, None, f"{name} = 0x{b & 0xFFFFFFFF:08X} was added", True))
        elif a != b:
            detail = f"0x{a & 0xFFFFFFFF:08X} -> 0x{b & 0xFFFFFFFF:08X}"
            changes.append(Change(f"{kind}-changed", name, None, detail, True))
    return changes


def _property_changes(old: Model, new: Model) -> list[Change]:
    """Canonical properties added, removed or with other facts (their prose is not compared)."""

    def changed(a: Property, b: Property) -> str:
        facts_a, facts_b = _facts(a), _facts(b)
        return "; ".join(f"{key} {facts_a[key]} -> {facts_b[key]}" for key in facts_a if facts_a[key] != facts_b[key])

    before = {p.name: p for p in old.properties}
    after = {p.name: p for p in new.properties}
    return _named_changes("canonical", before, after, lambda p: p.name, changed, abi=False)


def _named_changes(
    kind: str,
    before: dict[str, _R],
    after: dict[str, _R],
    label: Callable[[_R], str],
    changed: Callable[[_R, _R], str],
    abi: bool,
) -> list[Change]:
    """``<kind>-removed``, ``-added`` and ``-changed`` for records by name (``changed``: the detail, "" for none)."""
    changes = [Change(f"{kind}-removed", n, None, f"{label(before[n])} was removed", abi) for n in sorted(set(before) - set(after))]
    changes += [Change(f"{kind}-added", n, None, f"{label(after[n])} was added", abi) for n in sorted(set(after) - set(before))]
    for name in sorted(set(before) & set(after)):
        detail = changed(before[name], after[name])
        if detail:
            changes.append(Change(f"{kind}-changed", name, None, detail, abi))
    return changes


def _enumerators(enum: Enumeration) -> str:
    return "; ".join(f"{m.name} = {m.value}" for m in enum.members)


def _facts(prop: Property) -> dict[str, str]:
    return {
        "id": "none" if prop.prop_id is None else f"0x{prop.prop_id:04X}",
        "LID": "none" if prop.lid is None else f"0x{prop.lid:08X}",
        "name": prop.property_name or "none",
        "property set": prop.property_set or "none",
        "types": ", ".join(prop.types) or "none",
        "tags": ", ".join(f"{t.name}=" + ("?" if t.value is None else f"0x{t.value:08X}") for t in prop.tags) or "none",
    }


def _shape(aggregate: Aggregate) -> list[str]:
    return [f"{m.type} {m.name}{''.join(f'[{d}]' for d in m.dims)}" for m in aggregate.members]


def _interface_changes(old: Model, new: Model, a: Interface, b: Interface) -> list[Change]:
    name = a.name
    changes: list[Change] = []
    if a.base != b.base:
        changes.append(Change("base-changed", name, None, f"base {a.base} -> {b.base}", True))
    if a.iid != b.iid:
        old_iid = a.iid.value if a.iid else "unknown"
        new_iid = b.iid.value if b.iid else "unknown"
        changes.append(Change("iid-changed", name, None, f"IID {old_iid} -> {new_iid}", True))
    slots_a = {s.method.name: s for s in old.vtable(name)}
    slots_b = {s.method.name: s for s in new.vtable(name)}
    own_a = {m.name: m for m in a.methods}
    own_b = {m.name: m for m in b.methods}
    for method in [m for m in own_a if m not in slots_b]:
        changes.append(Change("method-removed", name, method, f"slot {slots_a[method].index} removed", True))
    for method in [m for m in own_b if m not in slots_a]:
        changes.append(Change("method-added", name, method, f"added at slot {slots_b[method].index}", True))
    for method in [m for m in own_b if m in slots_a and m in slots_b]:
        if slots_a[method].index != slots_b[method].index:
            detail = f"moved from slot {slots_a[method].index} to slot {slots_b[method].index}"
            changes.append(Change("method-moved", name, method, detail, True))
        if method in own_a:
            changes += _method_changes(name, own_a[method], own_b[method])
    return changes


def _method_changes(interface: str, a: Method, b: Method) -> list[Change]:
    changes: list[Change] = []
    if str(a.return_type) != str(b.return_type):
        detail = f"returns {a.return_type} -> {b.return_type}"
        changes.append(Change("return-changed", interface, a.name, detail, True))
    if len(a.params) != len(b.params):
        detail = f"{len(a.params)} -> {len(b.params)} parameters"
        changes.append(Change("params-changed", interface, a.name, detail, True))
        return changes
    for index, (p, q) in enumerate(zip(a.params, b.params), start=1):
        if str(p.type) != str(q.type):
            detail = f"parameter {index} ({q.name}) type {p.type} -> {q.type}"
            changes.append(Change("param-type", interface, a.name, detail, True))
        if p.direction != q.direction:
            detail = f"parameter {index} ({q.name}) [{p.direction.value}] -> [{q.direction.value}]"
            changes.append(Change("param-direction", interface, a.name, detail, True))
        if p.name != q.name:
            detail = f"parameter {index} renamed {p.name} -> {q.name}"
            changes.append(Change("param-name", interface, a.name, detail, False))
    return changes


def _structure_text(aggregate: Aggregate, lang: str) -> tuple[str, ...]:
    return (
        plain_text(aggregate.summary.get(lang) or ()),
        plain_text(aggregate.remarks.get(lang) or ()),
        *(plain_text(m.doc.get(lang) or ()) for m in aggregate.members),
    )


def _prose_changes(a: Interface, b: Interface, lang: str, touched: set[str | None]) -> int:
    """Interfaces and methods whose text changed, leaving out those whose ABI or API changed."""
    count = int(None not in touched and _interface_text(a, lang) != _interface_text(b, lang))
    methods_b = {m.name: m for m in b.methods}
    for method in a.methods:
        other = methods_b.get(method.name)
        if other is not None and method.name not in touched and _method_text(method, lang) != _method_text(other, lang):
            count += 1
    return count


def _interface_text(itf: Interface, lang: str) -> tuple[str, ...]:
    return (
        plain_text(itf.description.get(lang) or ()),
        inline_text(itf.implemented_by.get(lang) or ()),
        inline_text(itf.called_by.get(lang) or ()),
    )


def _method_text(method: Method, lang: str) -> tuple[str, ...]:
    return (
        plain_text(method.summary.get(lang) or ()),
        plain_text(method.remarks.get(lang) or ()),
        *(plain_text(p.doc.get(lang) or ()) for p in method.params),
        *(f"{r.code}: {plain_text(r.text.get(lang) or ())}" for r in method.return_values),
    )


def format_text(diff: ApiDiff) -> str:
    """The diff for people: one line a change, then the prose counts and a verdict."""
    lines = []
    for change in diff.changes:
        where = f"{change.interface}::{change.method}" if change.method else change.interface
        lines.append(f"{'ABI' if change.abi else 'API'}  {change.kind:<18} {where}: {change.detail}")
    for lang, count in diff.prose:
        lines.append(f"prose  {lang}: {count} interface(s), method(s) or structure(s) with changed text")
    lines.append("ABI changed" if diff.abi_changed else "ABI unchanged")
    return "\n".join(lines) + "\n"


def format_json(diff: ApiDiff) -> str:
    """The diff for tools."""
    document = {
        "abi_changed": diff.abi_changed,
        "changes": [
            {"kind": c.kind, "interface": c.interface, "method": c.method, "detail": c.detail, "abi": c.abi}
            for c in diff.changes
        ],
        "prose_changes": dict(diff.prose),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
