"""``model.json``: the merged model, for tools and for reviewing what was read."""

from __future__ import annotations

import json

import orjson

from generator.backends.prose import plain_text
from generator.ctypes_facts import TypeResolver, x86_export_name
from generator.findings import diagnostic_record, sorted_diagnostics
from generator.model import (
    AbiFunction,
    Aggregate,
    Enumeration,
    FunctionPage,
    Inline,
    Interface,
    Localized,
    MacroPage,
    Method,
    Model,
    Property,
    RichText,
    SourceLoc,
    inline_text,
)

GENERATOR = "mapi-generator"


def _loc(loc: SourceLoc | None) -> dict[str, object] | None:
    return None if loc is None else {"file": loc.file, "line": loc.line, "column": loc.column}


def _rich(text: Localized[RichText]) -> dict[str, str]:
    return {lang: plain_text(value) for lang, value in text.items}


def _inline(text: Localized[tuple[Inline, ...]]) -> dict[str, str]:
    return {lang: inline_text(value) for lang, value in text.items}


def _method(model: Model, itf: Interface, method: Method, slot: int) -> dict[str, object]:
    return {
        "name": method.name,
        "slot": slot,
        "return_type": str(method.return_type),
        "params": [
            {
                "name": p.name,
                "type": str(p.type),
                "direction": p.direction.value,
                "attributes": list(p.attributes),
                "doc": _rich(p.doc),
                "flags": [{"name": f.name, "value": _hex(f.value) if f.value is not None else None, "header": f.header} for f in p.flags],
            }
            for p in method.params
        ],
        "summary": _rich(method.summary),
        "row_summary": _inline(method.row_summary),
        "return_values": [{"code": r.code, "text": _rich(r.text)} for r in method.return_values],
        "page": method.page,
        "loc": _loc(method.loc),
    }


def _interface(model: Model, itf: Interface) -> dict[str, object]:
    vtable = model.vtable(itf.name)
    own = {id(s.method): s.index for s in vtable if s.declared_by == itf.name}
    return {
        "name": itf.name,
        "base": itf.base,
        "iid": itf.iid.value if itf.iid else None,
        "iid_symbol": itf.iid_symbol,
        "abi_source": itf.abi_source,
        "vtable": [s.method.name for s in vtable],
        "slots": [{"index": s.index, "name": s.method.name, "declared_by": s.declared_by} for s in vtable],
        "methods": [_method(model, itf, m, own[id(m)]) for m in itf.methods],
        "summary": _rich(itf.summary),
        "description": _rich(itf.description),
        "implemented_by": _inline(itf.implemented_by),
        "called_by": _inline(itf.called_by),
        "page": itf.page,
        "loc": _loc(itf.loc),
    }


def _hex(value: int) -> str:
    return f"-0x{-value:X}" if value < 0 else f"0x{value:08X}"


def _aggregate(aggregate: Aggregate) -> dict[str, object]:
    return {
        "name": aggregate.name,
        "kind": aggregate.kind,
        "tag": aggregate.tag,
        "aliases": list(aggregate.aliases),
        "pointers": list(aggregate.pointers),
        "nested": aggregate.nested,
        "header": aggregate.header,
        "loc": str(aggregate.loc),
        "members": [
            {"name": m.name, "type": str(m.type), "dims": list(m.dims), "dims_text": list(m.dims_text), "doc": _rich(m.doc)}
            for m in aggregate.members
        ],
        "page": aggregate.page,
        "summary": _rich(aggregate.summary),
        "remarks": _rich(aggregate.remarks),
    }


def _enum(enum: Enumeration) -> dict[str, object]:
    return {
        "name": enum.name,
        "tag": enum.tag,
        "header": enum.header,
        "loc": str(enum.loc),
        "members": [{"name": m.name, "value": m.value, "doc": _rich(m.doc)} for m in enum.members],
        "page": enum.page,
        "summary": _rich(enum.summary),
        "remarks": _rich(enum.remarks),
    }


def _macro(macro: MacroPage) -> dict[str, object]:
    return {
        "name": macro.name,
        "header": macro.header,
        "syntax": macro.syntax,
        "page": macro.path,
        "summary": _rich(macro.summary),
        "params": [{"name": p.name, "doc": _rich(p.text)} for p in macro.params],
        "remarks": _rich(macro.remarks),
    }


def _property(prop: Property) -> dict[str, object]:
    """A canonical property: its facts, its ``PR_`` tags with their values, its prose per language."""
    return {
        "name": prop.name,
        "kind": prop.kind,
        "id": None if prop.prop_id is None else f"0x{prop.prop_id:04X}",
        "lid": None if prop.lid is None else f"0x{prop.lid:08X}",
        "property_name": prop.property_name or None,
        "property_set": prop.property_set or None,
        "types": list(prop.types),
        "tags": [
            {"name": t.name, "tag": None if t.value is None else _hex(t.value), "header": t.header or None, "docs_only": t.docs_only}
            for t in prop.tags
        ],
        "aliases": list(prop.aliases),
        "area": dict(prop.area.items),
        "description": _rich(prop.description),
        "remarks": _rich(prop.remarks),
        "pages": list(prop.pages),
        "loc": str(prop.loc),
    }


def _function(function: AbiFunction, types: TypeResolver) -> dict[str, object]:
    """A function (with its export names on 64- and 32-bit Windows) or a function type."""
    found: dict[str, object] = {
        "name": function.name,
        "kind": function.kind,
        "return_type": str(function.return_type),
        "params": [
            {"name": p.name, "type": str(p.type), "direction": p.direction.value if p.direction else None}
            for p in function.params
        ],
        "header": function.header,
        "loc": str(function.loc),
    }
    if function.kind == "function":
        found["exports"] = {"win64": function.name, "win32": x86_export_name(function.name, tuple(p.type for p in function.params), types)}
    return found


def _function_page(page: FunctionPage, declared: set[str]) -> dict[str, object]:
    """What the pages say of a function: its pages, header row, documented parameters; whether a header declares it."""
    return {
        "name": page.name,
        "declared": page.name in declared,
        "header_file": page.header_file,
        "pages": list(page.pages),
        "params": [{"name": p.name, "direction": p.direction.value if p.direction else None} for p in page.params],
        "languages": list(page.summary.languages),
    }


def render_model_json(model: Model) -> dict[str, str]:
    """``{"model.json": text}``; interfaces in model order, keys stable."""
    types = TypeResolver.of(model)
    document = {
        "generator": GENERATOR,
        "languages": list(model.languages),
        "pages": dict(model.page_kinds),
        "interfaces": [_interface(model, itf) for itf in model.interfaces],
        "hresults": [{"name": h.name, "value": f"0x{h.value & 0xFFFFFFFF:08X}"} for h in model.hresults],
        "typedefs": [{"name": t.name, "type": str(t.type)} for t in model.typedefs],
        "structures": [_aggregate(a) for a in model.aggregates],
        "enums": [_enum(e) for e in model.enums],
        "macros": [_macro(m) for m in model.macros],
        "constants": [
            {"name": c.name, "value": _hex(c.value), "type": c.ctype, "header": c.header, "loc": str(c.loc)}
            for c in model.constants
            if not c.name.startswith(("PR_", "PT_"))
        ],
        "property_types": [{"name": c.name, "value": _hex(c.value), "loc": str(c.loc)} for c in model.property_types],
        "property_tags": [
            {"name": c.name, "tag": _hex(c.value), "id": f"0x{c.prop_id:04X}", "type": f"0x{c.prop_type:04X}", "header": c.header, "loc": str(c.loc)}
            for c in model.property_tags
        ],
        "guids": [{"name": g.symbol, "guid": g.guid.value, "loc": str(g.loc)} for g in model.guids],
        "functions": [_function(f, types) for f in model.functions],
        "function_pages": [_function_page(p, {f.name for f in model.functions}) for p in model.function_pages],
        "properties": [_property(p) for p in model.properties],
        "diagnostics": [diagnostic_record(d) for d in sorted_diagnostics(model.diagnostics)],
    }
    return {"model.json": json_text(document) + "\n"}


def json_text(document: object) -> str:
    """``json.dumps(document, indent=2, ensure_ascii=False)``, by orjson where it can.

    For the types a model's document holds (dicts with text keys, lists,
    text, integers, booleans, None) orjson writes the very same text, in a
    sixth of the standard library's time.  What orjson refuses (an integer
    beyond 64 bits, as a hostile header's enumerator can be) the standard
    library writes.
    """
    try:
        return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode("utf-8")
    except orjson.JSONEncodeError:
        return json.dumps(document, indent=2, ensure_ascii=False)
