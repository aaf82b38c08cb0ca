"""IDL back end: MIDL-style IDL from the merged model (``python -m generator idl``).

One file per interface, importing its base, plus ``mapitypes.idl`` with the
forward declarations, typedefs and HRESULT codes.  Only facts go in: names,
IIDs, slot order, parameter types and directions.  Reading the files back with
the IDL front end gives the same ABI (a tested round trip).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.backends.render import render
from generator.model import Aggregate, CType, Interface, Model, Param

# What MIDL and our IDL grammar accept as the type of a typedef.
_TYPE_NAME = re.compile(r"(const )?((struct|union|enum) )?[A-Za-z_][A-Za-z0-9_]*|unsigned (char|short|long|int|__int3264|hyper)|(signed )?(char|short|long|int|hyper)")


@dataclass(frozen=True, slots=True)
class IdlParam:
    """A parameter line, with a trailing comment where a fact was assumed."""

    declaration: str
    separator: str
    note: str


@dataclass(frozen=True, slots=True)
class IdlMethod:
    """A method: its head up to the opening parenthesis, its parameters."""

    head: str
    params: tuple[IdlParam, ...]
    note: str


@dataclass(frozen=True, slots=True)
class IdlInterface:
    """One interface file."""

    name: str
    base: str | None
    uuid: str
    imports: tuple[str, ...]
    methods: tuple[IdlMethod, ...]
    source_note: str


def _param(param: Param) -> str:
    attributes = ", ".join([param.direction.value, *param.attributes])
    return f"[{attributes}] {_declarator(param.type, param.name)}"


def _declarator(ctype: CType, name: str) -> str:
    prefix = "const " if ctype.const else ""
    return f"{prefix}{ctype.name} {'*' * ctype.pointers}{name}"


def _interface(model: Model, itf: Interface) -> IdlInterface:
    methods = []
    for method in itf.methods:
        returns = _declarator(method.return_type, "").rstrip()
        params = tuple(
            IdlParam(
                _param(p),
                "," if i < len(method.params) - 1 else "",
                "direction stated by no source" if p.direction_assumed else "",
            )
            for i, p in enumerate(method.params)
        )
        reserved = method.name.startswith("Reserved") and method.page is None and itf.abi_source == "page"
        note = "reserved slot: its name and signature are not published" if reserved else ""
        methods.append(IdlMethod(f"{returns} {method.name}", params, note))
    base = model.interface(itf.base) if itf.base else None
    base_file = "unknwn.idl" if base and base.abi_source == "builtin" else f"{itf.base}.idl"
    imports = ["mapitypes.idl"] + ([base_file] if base else [])
    source = {
        "idl": "",
        "builtin": "",
        "header": "slot order and types from the C headers",
        "page": "no header declares it: slot order and types from its reference pages",
    }[itf.abi_source]
    return IdlInterface(
        name=itf.name,
        base=itf.base,
        uuid=itf.iid.value.strip("{}") if itf.iid else "",
        imports=tuple(imports),
        methods=tuple(methods),
        source_note=source,
    )


def render_idl(model: Model) -> dict[str, str]:
    """``{file name: IDL text}`` for every interface ``specs/idl`` holds, and the shared types."""
    interfaces = _embedded(model)
    typedefs = [
        f"typedef {_declarator(t.type, t.name)};"
        for t in model.typedefs
        if _TYPE_NAME.fullmatch(("const " if t.type.const else "") + t.type.name) and t.name != t.type.name
    ]
    files = {
        "mapitypes.idl": render(
            "idl/mapitypes.idl.j2",
            interfaces=[i.name for i in interfaces],
            typedefs=typedefs,
            hresults=[(h.name, f"0x{h.value & 0xFFFFFFFF:08X}") for h in model.hresults],
        )
    }
    files["mapidata.idl"] = render("idl/mapidata.idl.j2", lines=data_lines(model))
    if model.functions:
        files["mapifunctions.idl"] = render("idl/mapifunctions.idl.j2", lines=function_lines(model))
    for itf in (i for i in interfaces if i.abi_source != "builtin"):
        files[f"{itf.name}.idl"] = render("idl/interface.idl.j2", itf=_interface(model, itf))
    return files


def _embedded(model: Model) -> list[Interface]:
    """The interfaces ``specs/idl`` holds: all but the Exchange EDK's that no page documents.

    Microsoft's EdkMdb.h declares IExchangeModifyTable, which has pages, beside
    some twenty Exchange store interfaces that have none; no source states
    their parameters' directions, so they are not in the embedded IDL (a build
    with ``--headers`` still has them).
    """
    return [i for i in model.interfaces if i.page is not None or not _file_name(i.loc.file).startswith("edk")]


def _file_name(shown: str) -> str:
    return shown.rpartition("/")[2].lower()


# The constant types the IDL front end reads back; other constants are written as int.
_IDL_CONSTANT_TYPES = ("ULONG", "LONG", "DWORD", "UINT", "INT", "int", "USHORT", "WORD", "SHORT", "BYTE")


def data_lines(model: Model) -> list[str]:
    """The lines of ``mapidata.idl``: GUIDs, constants (those that fit 32 bits), then aggregates, held ones first.

    Constants are grouped by header and aggregates marked where the header
    changes, by ``cpp_quote("#include <MAPIDefS.h>")`` lines the IDL front end reads back;
    a packed aggregate stands between ``<pshpackN.h>`` and ``<poppack.h>`` includes.
    """
    lines = [f"const GUID {g.symbol} = uuid({g.guid.value.strip('{}')});" for g in model.guids]
    header = ""
    for constant in sorted(model.constants, key=lambda c: (c.header, c.name)):
        if constant.header != header:
            header = constant.header
            lines.append(f'cpp_quote("#include <{header}>")')
        if -(2**31) <= constant.value < 2**32:
            ctype = constant.ctype if constant.ctype in _IDL_CONSTANT_TYPES else "int"
            value = f"-{-constant.value}" if constant.value < 0 else f"0x{constant.value:08X}"
            lines.append(f"const {ctype} {constant.name} = {value};")
    nested = {f"{a.kind} {a.name}": a for a in model.aggregates if a.nested}
    for aggregate in model.aggregates:
        if aggregate.nested:
            continue
        names = [aggregate.name, *aggregate.aliases, *(f"*{p}" for p in aggregate.pointers)]
        if aggregate.header != header:
            header = aggregate.header
            lines.append(f'cpp_quote("#include <{header}>")')
        if aggregate.pack:
            lines.append(f'cpp_quote("#include <pshpack{aggregate.pack}.h>")')
        lines.append(f"typedef {aggregate.kind} {aggregate.tag} {{")
        lines += _member_lines(aggregate, nested, "    ")
        lines.append(f"}} {', '.join(names)};")
        if aggregate.pack:
            lines.append('cpp_quote("#include <poppack.h>")')
    return lines


def function_lines(model: Model) -> list[str]:
    """The lines of ``mapifunctions.idl``'s module: function types, then entry points, by header then name."""
    lines: list[str] = []
    header = ""
    ordered = sorted(model.functions, key=lambda f: (f.kind == "function", f.header, f.name))
    for function in ordered:
        if function.header != header:
            header = function.header
            lines.append(f'cpp_quote("#include <{header}>")')
        attributes = {"type": "[callback] ", "pointer": "[callback, pointer] ", "function": ""}[function.kind]
        returns = _declarator(function.return_type, "").rstrip()
        params = ", ".join(
            (f"[{p.direction.value}] " if p.direction else "") + _declarator(p.type, p.name) for p in function.params
        )
        lines.append(f"{attributes}{returns} {function.name}({params});")
    return lines


def _member_lines(aggregate: Aggregate, nested: dict[str, Aggregate], indent: str) -> list[str]:
    lines = []
    for member in aggregate.members:
        dims = "".join(f"[{d}]" for d in member.dims_text)
        inner = nested.get(member.type.name) if not member.type.pointers else None
        if inner is not None:
            lines.append(f"{indent}{inner.kind} {{")
            lines += _member_lines(inner, nested, indent + "    ")
            lines.append(f"{indent}}} {member.name}{dims};")
        else:
            lines.append(f"{indent}{_declarator(member.type, member.name)}{dims};")
    return lines
