"""Reconcile the structure, enum and macro pages with the structures and enumerations of the headers.

The headers decide every layout and value; the pages give prose.  A
structure page documents the aggregate its syntax block names (its tag or a
typedef name, else its title); its summary, remarks and each member's text,
in every language read, are attached to the headers' ``Aggregate``.  What
does not agree is a located finding:

* ``struct-page-members``: the syntax block declares other members than the
  header (names, or their order), or gives a member an integer type of
  another width or signedness, after following typedefs (at the syntax
  block's member).  As for method pages, a syntax block that drops a pointer
  or names the pointer otherwise (``LPVOID``) is noise, not a finding;
* ``member-doc-unknown``: the "Members" section documents a name the
  header's aggregate does not have (at the entry);
* ``struct-page-orphan``: a structure page for a type no header declares
  (at its title);
* ``struct-undocumented``: one note counting the header's structures and
  unions that no page documents (nested anonymous ones are not counted),
  when the build read structure pages at all.

An enum page documents the enumeration of that name a header declares
(``Enumeration``, values from the header), else the model keeps the page's
own enumerators and values.  Macro pages are kept by name, their prose
pooled across languages.
"""

from __future__ import annotations

from dataclasses import replace

from generator.ctypes_facts import INTEGER_CTYPES, Resolved, TypeResolver
from generator.model import (
    Aggregate,
    Diagnostic,
    Enumeration,
    Enumerator,
    Localized,
    MacroPage,
    MemberDoc,
    RichText,
    Severity,
    StructurePage,
)
from generator.type_findings import _abi_key

_INTEGERS = frozenset(INTEGER_CTYPES.values())
_LISTED = 12  # names a count-only note lists before "…"


def document_data(
    aggregates: tuple[Aggregate, ...],
    pages: list[StructurePage],
    macros: list[MacroPage],
    enums: list[Enumeration],
    types: TypeResolver,
) -> tuple[tuple[Aggregate, ...], tuple[Enumeration, ...], tuple[MacroPage, ...], tuple[Diagnostic, ...]]:
    """(aggregates with their pages' prose, enumerations, macros by name, findings)."""
    findings: list[Diagnostic] = []
    by_name: dict[str, Aggregate] = {}
    for aggregate in aggregates:
        if not aggregate.nested:
            for name in (aggregate.name, *aggregate.aliases, aggregate.tag):
                by_name.setdefault(name, aggregate)
    enum_by_name = {n: e for e in enums for n in (e.name, e.tag)}
    documented: dict[str, StructurePage] = {}
    enum_pages: dict[str, StructurePage] = {}
    for page in pages:
        if page.kind == "enum":
            key = next((n for n in (*page.names, page.name) if n in enum_by_name), page.names[-1])
            enum_pages[key] = _pooled(enum_pages[key], page) if key in enum_pages else page
            continue
        found = next((by_name[n] for n in (*page.names, page.name) if n in by_name), None)
        if found is None:
            message = f"structure page for {page.name}, which no header declares: its prose is not attached to any structure"
            findings.append(Diagnostic(Severity.NOTE, "struct-page-orphan", message, page.loc))
            continue
        if found.name in documented:
            documented[found.name] = _pooled(documented[found.name], page)
        else:
            documented[found.name] = page
        findings += _compared(page, found, _inner(found, aggregates), types)
    owner = {inner.name: outer for outer in documented for inner in _inner(by_name[outer], aggregates)}
    attached = tuple(
        _attached(a, documented[a.name]) if a.name in documented else _attached_inner(a, documented[owner[a.name]]) if a.name in owner else a
        for a in aggregates
    )
    missing = [a.name for a in aggregates if not a.nested and a.name not in documented]
    if missing and documented:
        listed = ", ".join(missing[:_LISTED]) + (", …" if len(missing) > _LISTED else "")
        message = f"{len(missing)} structure(s) and union(s) of the headers have no structure page: {listed}"
        findings.append(Diagnostic(Severity.NOTE, "struct-undocumented", message, None))
    enumerations = _enumerations(enums, enum_pages)
    pooled_macros: dict[str, MacroPage] = {}
    for macro in macros:
        pooled_macros[macro.name] = _pooled_macro(pooled_macros[macro.name], macro) if macro.name in pooled_macros else macro
    ordered_macros = tuple(sorted(pooled_macros.values(), key=lambda m: m.name))
    return attached, enumerations, ordered_macros, tuple(findings)


def _pooled(first: StructurePage, other: StructurePage) -> StructurePage:
    """Pages of one structure in several languages: the first keeps its facts, prose is pooled."""
    docs = {m.name: m.text for m in other.members}
    members = tuple(replace(m, text=m.text.merged(docs.get(m.name, Localized()))) for m in first.members)
    return replace(first, summary=first.summary.merged(other.summary), remarks=first.remarks.merged(other.remarks), members=members)


def _pooled_macro(first: MacroPage, other: MacroPage) -> MacroPage:
    texts = {p.name: p.text for p in other.params}
    params = tuple(replace(p, text=p.text.merged(texts.get(p.name, Localized()))) for p in first.params)
    return replace(first, summary=first.summary.merged(other.summary), remarks=first.remarks.merged(other.remarks), params=params)


def _attached(aggregate: Aggregate, page: StructurePage) -> Aggregate:
    docs: dict[str, Localized[RichText]] = {m.name: m.text for m in page.members}
    members = tuple(replace(m, doc=docs[m.name]) if m.name in docs else m for m in aggregate.members)
    return replace(aggregate, members=members, summary=page.summary, remarks=page.remarks, page=page.path)


def _inner(aggregate: Aggregate, aggregates: tuple[Aggregate, ...]) -> list[Aggregate]:
    """The nested aggregates of ``aggregate`` (``NOTIFICATION_info``, CY's anonymous ``CY_s``), deepest too."""
    return [a for a in aggregates if a.nested and a.name.startswith(f"{aggregate.name}_")]


def _attached_inner(aggregate: Aggregate, page: StructurePage) -> Aggregate:
    """A nested aggregate with the texts its outer structure's page gives its members (C11 anonymous members are documented so)."""
    docs: dict[str, Localized[RichText]] = {m.name: m.text for m in page.members}
    return replace(aggregate, members=tuple(replace(m, doc=docs[m.name]) if m.name in docs else m for m in aggregate.members))


def _compared(page: StructurePage, aggregate: Aggregate, inner: list[Aggregate], types: TypeResolver) -> list[Diagnostic]:
    """``struct-page-members`` and ``member-doc-unknown`` findings of one page against the header's aggregate.

    A documented name may be a member of a nested aggregate (``DTPAGE``'s
    anonymous union holds ``ulItemID``).
    """
    found: list[Diagnostic] = []
    where = aggregate.header or aggregate.loc.file
    have = [m.name for m in aggregate.members]
    documentable = {*have, *(m.name for a in inner for m in a.members)}
    unknown: list[MemberDoc] = [m for m in page.members if m.name not in documentable]
    for doc in unknown:
        message = f"the page documents member {doc.name}, which {aggregate.name} in {where} does not have"
        found.append(Diagnostic(Severity.WARNING, "member-doc-unknown", message, doc.loc))
    if not page.syntax:
        return found
    written = [m.name for m in page.syntax]
    if written != have:
        differs = next((i for i, (a, b) in enumerate(zip(written, have)) if a != b), min(len(written), len(have)))
        loc = page.syntax[min(differs, len(page.syntax) - 1)].loc
        what = "in another order" if sorted(written) == sorted(have) else "other members"
        message = (
            f"the syntax block declares {what} than {where}: ({', '.join(written)}) on the page,"
            f" ({', '.join(have)}) in the header; the header wins"
        )
        found.append(Diagnostic(Severity.WARNING, "struct-page-members", message, loc))
        return found
    for member, abi in zip(page.syntax, aggregate.members):
        page_key = _integer(types.resolve(member.type))
        abi_key = _integer(types.resolve(abi.type))
        if page_key != abi_key and page_key in _INTEGERS and abi_key in _INTEGERS:
            message = (
                f"member {member.name} is {member.type} on the page but {abi.type} in {where};"
                f" the header wins: the ABI comes from the headers, not from the pages' syntax blocks"
            )
            found.append(Diagnostic(Severity.WARNING, "struct-page-members", message, member.loc))
    return found


def _integer(resolved: Resolved) -> str:
    """What a member finally names, an integer type by its width and signedness (pointers dropped, as pages drop them)."""
    return _abi_key(Resolved(resolved.base, 0))[0]


def _enumerations(enums: list[Enumeration], pages: dict[str, StructurePage]) -> tuple[Enumeration, ...]:
    """The headers' enumerations with their pages' prose, then the enumerations only a page gives."""
    found: dict[str, Enumeration] = {}
    for enum in enums:
        found.setdefault(enum.name, enum)
    for key, page in pages.items():
        declared = found.get(key)
        if declared is None:
            members = tuple(Enumerator(m.name, int(m.value) if m.value else None, m.loc) for m in page.syntax)
            found[key] = Enumeration(key, key, members, page.loc, "", page.summary, page.remarks, page.path)
            continue
        docs = {m.name: m.text for m in page.members}
        members = tuple(replace(m, doc=docs[m.name]) if m.name in docs else m for m in declared.members)
        found[key] = replace(declared, members=members, summary=page.summary, remarks=page.remarks, page=page.path)
    return tuple(sorted(found.values(), key=lambda e: e.name))
