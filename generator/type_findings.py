"""Findings about parameter types: two ABI sources, or a page and the ABI, that disagree.

Types are compared after following typedefs (``LPULONG`` is ``ULONG *``), so
spelling alone is never a finding.

* Two ABI sources (the embedded IDL and a header folder, or two header
  folders such as Microsoft's and mingw-w64's) declaring one parameter with
  different types: a ``type-conflict`` at the declaration that lost.  The
  first source read wins: IDL before headers, header folders in the order
  given.  The embedded IDL was written from Microsoft's headers, which carry
  the 64-bit types (``ULONG_PTR`` where mingw-w64's still say ``ULONG``).
* A page's syntax block naming another type than the ABI for a parameter:
  a ``page-type`` at the syntax block's line; the ABI wins.  Syntax blocks
  drop pointers (``ULONG lpulConnection`` for ``ULONG_PTR *``), so only the
  type a parameter finally names counts, not how many pointers lead to it;
  and only between integer types of another width or signedness
  (``ULONG`` vs ``ULONG_PTR``), which is what moves the stack on Windows
  x64.  Other names (a page's ``LPVOID`` for a header's ``LPENTRYID``) are
  noise of the same kind and left out.
"""

from __future__ import annotations

from generator.ctypes_facts import INTEGER_CTYPES, Resolved, TypeResolver
from generator.model import (
    AbiFunction,
    AbiInterface,
    AbiMethod,
    CType,
    Diagnostic,
    FunctionPage,
    MethodPage,
    Severity,
)

# Why the first ABI source wins, by the kind of source it is.
_WHY_FIRST = {
    "idl": "IDL comes before headers",
    "builtin": "the built-in IDL comes first",
    "header": "header folders rank in the order given (Microsoft's first: mingw-w64's predate the 64-bit types)",
}
_EMBEDDED = "specs/idl/"


def _why(first: AbiInterface, kind: str) -> str:
    why = _WHY_FIRST.get(kind, "the first source read wins")
    if kind == "idl" and first.loc.file.startswith(_EMBEDDED):
        why += " (the embedded IDL is written from Microsoft's headers)"
    return why


def _shown(ctype: CType, resolved: Resolved) -> str:
    """The type as written, and what it resolves to when that is spelled otherwise."""
    final = resolved.base + " " + "*" * resolved.pointers if resolved.pointers else resolved.base
    return str(ctype) if final == str(ctype) else f"{ctype} ({final})"


# How C spells some integer types that headers typedef others to (mingw-w64: ``unsigned __LONG32``).
_C_INTEGERS = {
    "unsigned __LONG32": "ULONG",
    "__LONG32": "LONG",
    "unsigned long": "ULONG",
    "long": "LONG",
    "unsigned int": "UINT",
    "unsigned short": "USHORT",
    "short": "SHORT",
    "unsigned char": "BYTE",
}


def _abi_key(resolved: Resolved) -> tuple[str, int]:
    """What the ABI sees of a type: an integer type's width and signedness, else its name; and the pointers."""
    base = _C_INTEGERS.get(resolved.base, resolved.base)
    return INTEGER_CTYPES.get(base, base), resolved.pointers


def same_shape(first: AbiInterface, other: AbiInterface) -> bool:
    """The same base, slots, return types and parameter counts: only parameter types may differ."""
    if first.base != other.base or len(first.methods) != len(other.methods):
        return False
    return all(
        a.name == b.name and str(a.return_type) == str(b.return_type) and len(a.params) == len(b.params)
        for a, b in zip(first.methods, other.methods)
    )


def abi_type_conflicts(
    first: AbiInterface, first_kind: str, other: AbiInterface, types: tuple[TypeResolver, TypeResolver]
) -> list[Diagnostic]:
    """A ``type-conflict`` for each parameter ``other`` types differently from ``first`` (same shape).

    ``types`` resolves names as each side's own source set declares them:
    ``BOOKMARK *`` is ``ULONG_PTR *`` in Microsoft's headers, ``ULONG *`` in mingw-w64's.
    """
    found = []
    for winner, loser in zip(first.methods, other.methods):
        for kept, lost in zip(winner.params, loser.params):
            kept_type, lost_type = types[0].resolve(kept.type), types[1].resolve(lost.type)
            if _abi_key(kept_type) == _abi_key(lost_type):
                continue
            message = (
                f"{first.name}::{winner.name} parameter {kept.name} is {_shown(lost.type, lost_type)} here"
                f" but {_shown(kept.type, kept_type)} in {first.loc.file};"
                f" {first.loc.file} wins: {_why(first, first_kind)}"
            )
            found.append(Diagnostic(Severity.WARNING, "type-conflict", message, lost.loc, first.name))
    return found


def page_type_mismatches(
    interface: str,
    abi: AbiMethod | AbiFunction,
    abi_file: str,
    page: MethodPage | FunctionPage,
    types: tuple[TypeResolver, TypeResolver],
) -> list[Diagnostic]:
    """A ``page-type`` for each syntax-block parameter whose integer type differs from the ABI's.

    ``types`` resolves the page's names and the ABI source's; ``interface``
    is "" for a function.
    """
    owner = f"{interface}::{abi.name}" if interface else abi.name
    found = []
    on_page = {p.name: p for p in page.syntax}
    for param in abi.params:
        written = on_page.get(param.name)
        if written is None:
            continue
        page_key = _abi_key(Resolved(types[0].resolve(written.type).base, 0))[0]
        abi_key = _abi_key(Resolved(types[1].resolve(param.type).base, 0))[0]
        integers = set(INTEGER_CTYPES.values())
        if page_key == abi_key or page_key not in integers or abi_key not in integers:
            continue
        message = (
            f"{owner} parameter {param.name} is {written.type} on the page but"
            f" {param.type} in {abi_file}; {abi_file} wins: the ABI comes from IDL and headers,"
            f" not from the pages' syntax blocks"
        )
        found.append(Diagnostic(Severity.WARNING, "page-type", message, written.loc, interface or None))
    return found
