"""Merge and validate: page records and ABI records into one ``Model``.

The ABI (vtable slots, parameter types, bases, IIDs) comes from IDL and C
headers; the pages give prose, and parameter directions where the ABI source
is silent.  Every disagreement between them becomes a ``Diagnostic``; an
interface that no ABI source declares gets its vtable from its page, with a
diagnostic that says so.  Errors that leave no usable model (unknown base,
inheritance cycle) raise ``InputError``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from generator.ctypes_facts import INTEGER_CTYPES, TypeResolver
from generator.data_merge import merge_data, merge_functions
from generator.errors import MAX_NESTING, InputError
from generator.flags import unknown_flags, with_flags
from generator.function_merge import merge_function_pages, merge_page_prose
from generator.model import (
    ENGLISH,
    AbiFile,
    AbiInterface,
    AbiMethod,
    AbiParam,
    Constant,
    CType,
    Diagnostic,
    Direction,
    FunctionPage,
    GuidDefinition,
    HResultCode,
    Inline,
    Interface,
    InterfacePage,
    Localized,
    MacroPage,
    MediaFile,
    Method,
    MethodPage,
    Model,
    Paragraph,
    Param,
    ParamDoc,
    PropertyPage,
    PropertyTypesPage,
    RichText,
    RowKind,
    Severity,
    SourceLoc,
    StructurePage,
    Typedef,
    VtableRow,
)
from generator.property_merge import merge_properties
from generator.structure_docs import document_data
from generator.type_findings import abi_type_conflicts, page_type_mismatches, same_shape


@dataclass
class Inputs:
    """Everything the front ends read, in load order."""

    abi_files: list[AbiFile] = field(default_factory=list)
    interface_pages: list[InterfacePage] = field(default_factory=list)
    method_pages: list[MethodPage] = field(default_factory=list)
    function_pages: list[FunctionPage] = field(default_factory=list)
    property_pages: list[PropertyPage | PropertyTypesPage] = field(default_factory=list)
    guids: list[GuidDefinition] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    page_kinds: dict[str, int] = field(default_factory=dict)
    structure_pages: list[StructurePage] = field(default_factory=list)
    macro_pages: list[MacroPage] = field(default_factory=list)
    media: list[MediaFile] = field(default_factory=list)


class _Merger:
    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs
        self.diagnostics: list[Diagnostic] = list(inputs.diagnostics)
        self.param_docs: list[tuple[str, str, ParamDoc]] = []
        self.abi: dict[str, tuple[AbiInterface, str]] = {}
        self.pages: dict[str, InterfacePage] = {}
        self.method_pages: dict[tuple[str, str], MethodPage] = {}
        self.pages_by_file: dict[str, MethodPage] = {}
        self.guids: dict[str, GuidDefinition] = {}
        self.types = TypeResolver(_typedefs(inputs.abi_files), set())
        self.set_types: dict[str, TypeResolver] = {}

    def types_of(self, file: str) -> TypeResolver:
        """Types as the source set of ``file`` (its folder) declares them, then as any other does."""
        folder = file.rpartition("/")[0]
        if folder not in self.set_types:
            own = [f for f in self.inputs.abi_files if f.path.rpartition("/")[0] == folder]
            self.set_types[folder] = TypeResolver(_typedefs(own + self.inputs.abi_files), set())
        return self.set_types[folder]

    def note(self, severity: Severity, code: str, message: str, loc: SourceLoc | None, interface: str | None) -> None:
        self.diagnostics.append(Diagnostic(severity, code, message, loc, interface))

    def add_guid(self, guid: GuidDefinition) -> None:
        """Keep the first definition of a symbol (ABI sources come before pages); report any other value."""
        first = self.guids.setdefault(guid.symbol, guid)
        if first.guid != guid.guid:
            self.note(
                Severity.WARNING,
                "guid-conflict",
                f"{guid.symbol} is {guid.guid.value} here but {first.guid.value} in {first.loc.file}; "
                f"the first is used",
                guid.loc,
                None,
            )

    def index(self) -> None:
        for abi_file in self.inputs.abi_files:
            for itf in abi_file.interfaces:
                if itf.name in self.abi:
                    first, kind = self.abi[itf.name]
                    if same_shape(first, itf):
                        types = (self.types_of(first.loc.file), self.types_of(itf.loc.file))
                        self.diagnostics += abi_type_conflicts(first, kind, itf, types)
                    elif _abi_signature(first) != _abi_signature(itf):
                        self.note(
                            Severity.WARNING,
                            "abi-conflict",
                            f"{itf.name} is declared differently in {first.loc.file} ({kind}); "
                            f"the first declaration is used",
                            itf.loc,
                            itf.name,
                        )
                    continue
                self.abi[itf.name] = (itf, abi_file.kind)
            for guid in abi_file.guids:
                self.add_guid(guid)
        for guid in self.inputs.guids:
            self.add_guid(guid)
        for page in self.inputs.interface_pages:
            known = self.pages.get(page.name)
            self.pages[page.name] = _merge_interface_pages(known, page) if known else page
        for mpage in self.inputs.method_pages:
            key = (mpage.interface, mpage.name)
            known_m = self.method_pages.get(key)
            merged = merge_page_prose(known_m, mpage) if known_m else mpage
            self.method_pages[key] = merged
            self.pages_by_file[_file_name(mpage.path)] = merged

    def run(self) -> tuple[Interface, ...]:
        self.index()
        names = sorted(set(self.abi) | set(self.pages))
        built: dict[str, Interface] = {}
        for name in names:
            built[name] = self.interface(name)
        self.check_method_pages(built)
        return _ordered(built)

    def interface(self, name: str) -> Interface:
        page = self.pages.get(name)
        abi_entry = self.abi.get(name)
        if abi_entry is not None:
            abi, source = abi_entry
            if page is not None:
                self.compare_vtable(page, abi)
                if page.base != abi.base:
                    self.note(
                        Severity.WARNING,
                        "base-mismatch",
                        f"page says {name} derives from {page.base}, the {source} says {abi.base}",
                        page.loc,
                        name,
                    )
            methods = tuple(self.method(name, m, page) for m in abi.methods)
            base, loc = abi.base, abi.loc
        else:
            assert page is not None
            source = "page"
            self.note(
                Severity.WARNING,
                "abi-from-page",
                f"no IDL or header declares {name}: its vtable is taken from the page "
                f"(base {page.base} first, then the page's table)",
                page.loc,
                name,
            )
            methods = self.page_methods(page)
            base, loc = page.base, page.loc
        iid_symbol, iid = self.resolve_iid(name, page, abi_entry[0] if abi_entry else None)
        empty_rich: Localized[RichText] = Localized()
        description = page.description if page else empty_rich
        return Interface(
            name=name,
            base=base if name != "IUnknown" else None,
            iid=iid.guid if iid else None,
            iid_symbol=iid_symbol,
            methods=methods,
            summary=_first_paragraph(description),
            description=description,
            implemented_by=page.implemented_by if page else Localized(),
            called_by=page.called_by if page else Localized(),
            see_also=page.see_also if page else (),
            page=page.path if page else None,
            abi_source=source,
            loc=loc,
        )

    def resolve_iid(
        self, name: str, page: InterfacePage | None, abi: AbiInterface | None
    ) -> tuple[str | None, GuidDefinition | None]:
        symbol = page.iid_symbol if page and page.iid_symbol else f"IID_{name}"
        definition = self.guids.get(symbol)
        if definition is None:
            folded = {s.lower(): d for s, d in self.guids.items()}
            definition = folded.get(symbol.lower())
            if definition is not None:
                self.note(
                    Severity.NOTE,
                    "iid-symbol-case",
                    f"the page names {symbol}, defined as {definition.symbol}",
                    page.loc if page else None,
                    name,
                )
        if abi is not None and abi.iid is not None:
            if definition is not None and definition.guid != abi.iid:
                self.note(
                    Severity.WARNING,
                    "iid-mismatch",
                    f"{symbol} is {definition.guid.value} but the ABI source gives {abi.iid.value}",
                    definition.loc,
                    name,
                )
            return symbol, GuidDefinition(symbol, abi.iid, abi.loc)
        if definition is None:
            self.note(
                Severity.WARNING,
                "iid-unknown",
                f"no source defines {symbol}: the IID of {name} is unknown",
                page.loc if page else (abi.loc if abi else None),
                name,
            )
        return symbol, definition

    def row_name(self, row: VtableRow) -> str:
        """The method a vtable row stands for: its linked page's name (link texts may be translated)."""
        mpage = self.pages_by_file.get(_file_name(row.target)) if row.target else None
        return mpage.name if mpage else row.name

    def abi_slots(self, name: str | None) -> list[str]:
        """The method names of an ABI interface's full vtable below IUnknown (a loop: chains may be long)."""
        parts: list[list[str]] = []
        seen: set[str] = set()
        while name is not None and name in self.abi and name not in seen:
            seen.add(name)
            itf = self.abi[name][0]
            parts.append([m.name for m in itf.methods])
            name = itf.base
        return [m for part in reversed(parts) for m in part]

    def own_slots(self, page: InterfacePage, abi: AbiInterface) -> list[str]:
        """The slots the page's table lists: the ABI's own, or past its page's base when that base's vtable leads.

        (Microsoft's MAPIAux.h declares IMsgServiceAdmin2 on IUnknown with
        IMsgServiceAdmin's methods first; its page derives it from IMsgServiceAdmin.)
        """
        own = [m.name for m in abi.methods]
        if page.base == abi.base or page.base not in self.abi:
            return own
        full, inherited = self.abi_slots(abi.name), self.abi_slots(page.base)
        return full[len(inherited):] if full[: len(inherited)] == inherited else own

    def compare_vtable(self, page: InterfacePage, abi: AbiInterface) -> None:
        on_page = [self.row_name(row) for row in page.vtable]
        in_abi = self.own_slots(page, abi)
        rows = {self.row_name(row): row for row in page.vtable}
        # Sets and first positions: hostile tables may be long, list lookups would be quadratic.
        page_names, abi_names = set(on_page), set(in_abi)
        page_index: dict[str, int] = {}
        abi_index: dict[str, int] = {}
        for index, name in enumerate(on_page):
            page_index.setdefault(name, index)
        for index, name in enumerate(in_abi):
            abi_index.setdefault(name, index)
        for missing in [m for m in in_abi if m not in page_names]:
            self.note(
                Severity.WARNING,
                "vtable-missing",
                f"{page.name}'s page table omits {missing}, which the ABI has at own slot "
                f"{abi_index[missing]}",
                page.loc,
                page.name,
            )
        for extra in [m for m in on_page if m not in abi_names]:
            self.note(
                Severity.WARNING,
                "vtable-extra",
                f"{page.name}'s page table lists {extra}, which the ABI does not declare",
                rows[extra].loc,
                page.name,
            )
        common_page = [m for m in on_page if m in abi_names]
        common_abi = [m for m in in_abi if m in page_names]
        in_order = set(_longest_common_subsequence(common_page, common_abi))
        for moved in [m for m in common_page if m not in in_order]:
            self.note(
                Severity.WARNING,
                "vtable-order",
                f"{page.name}'s page table lists {moved} at position {page_index[moved] + 1}; "
                f"the ABI has it at own slot {abi_index[moved]}",
                rows[moved].loc,
                page.name,
            )

    def method_page(self, interface: str, name: str) -> MethodPage | None:
        """The page of ``interface::name``, else of the method in the bases its pages name.

        Microsoft's MAPIAux.h declares IMsgServiceAdmin2 on IUnknown, repeating
        IMsgServiceAdmin's methods, whose pages are IMsgServiceAdmin's.
        """
        seen: set[str] = set()
        current: str | None = interface
        while current is not None and current not in seen:
            seen.add(current)
            found = self.method_pages.get((current, name))
            if found is not None:
                return found
            page = self.pages.get(current)
            current = page.base if page else None
        return None

    def method(self, interface: str, abi: AbiMethod, page: InterfacePage | None) -> Method:
        mpage = self.method_page(interface, abi.name)
        docs = {d.name: d for d in mpage.params} if mpage else {}
        ordered_docs = list(mpage.params) if mpage else []
        params: list[Param] = []
        for index, param in enumerate(abi.params):
            doc = docs.get(param.name)
            if doc is None and mpage is not None and index < len(ordered_docs):
                doc = ordered_docs[index]
                self.note(
                    Severity.NOTE,
                    "param-name",
                    f"{interface}::{abi.name} parameter {index + 1} is {param.name} in the ABI "
                    f"and {doc.name} on the page",
                    doc.loc,
                    interface,
                )
            params.append(self.param(interface, abi.name, param, doc))
        if mpage is not None:
            types = (self.types, self.types_of(abi.loc.file))
            self.diagnostics += page_type_mismatches(interface, abi, abi.loc.file, mpage, types)
        return Method(
            name=abi.name,
            return_type=abi.return_type,
            params=tuple(params),
            summary=self.method_summary(mpage, page, abi.name),
            remarks=mpage.remarks if mpage else Localized(),
            return_values=mpage.return_values if mpage else (),
            page=mpage.path if mpage else None,
            loc=abi.loc,
            row_summary=self.row_summary(page, abi.name),
        )

    def param(self, interface: str, method: str, abi: AbiParam, doc: ParamDoc | None) -> Param:
        direction = abi.direction
        where = f"{interface}::{method} parameter {abi.name}"
        if doc is not None and doc.direction is not None:
            if direction is None:
                direction = doc.direction
            elif direction != doc.direction:
                self.note(
                    Severity.WARNING,
                    "direction-mismatch",
                    f"{where} is [{direction.value}] in the ABI source and "
                    f"[{doc.direction.value}] on the page; the ABI source wins",
                    doc.loc,
                    interface,
                )
        if doc is not None:
            self.param_docs.append((interface, where, doc))
        assumed = direction is None
        if direction is None:
            direction = Direction.IN
            self.note(
                Severity.WARNING,
                "direction-unknown",
                f"{where}: no source states its direction; taken as [in]",
                abi.loc,
                interface,
            )
        return Param(abi.name, abi.type, direction, abi.attributes, doc.text if doc else Localized(), assumed)

    def method_summary(self, mpage: MethodPage | None, page: InterfacePage | None, name: str) -> Localized[RichText]:
        summary: Localized[RichText] = mpage.summary if mpage else Localized()
        from_row: Localized[RichText] = Localized(
            tuple((lang, (Paragraph(text),)) for lang, text in self.row_summary(page, name).items)
        )
        return summary.merged(from_row)

    def row_summary(self, page: InterfacePage | None, name: str) -> Localized[tuple[Inline, ...]]:
        """What the interface page's vtable rows for ``name`` say of it, per language."""
        summary: Localized[tuple[Inline, ...]] = Localized()
        for row in page.vtable if page is not None else ():
            if self.row_name(row) == name:  # by its linked page: a row's text may be translated
                summary = summary.merged(row.summary)
        return summary

    def page_methods(self, page: InterfacePage) -> tuple[Method, ...]:
        methods: list[Method] = []
        seen: set[str] = set()
        for row in page.vtable:
            mpage = self.pages_by_file.get(_file_name(row.target)) if row.target else None
            name = self.row_name(row)
            if name in seen:
                raise InputError(f"{page.name}'s vtable lists {name} twice", row.loc)
            seen.add(name)
            params = tuple(
                AbiParam(p.name, p.type, None, (), p.loc) for p in (mpage.syntax if mpage else ())
            )
            return_type = mpage.return_type if mpage and mpage.return_type else CType("HRESULT")
            if row.kind is RowKind.PLACEHOLDER:
                self.note(
                    Severity.NOTE,
                    "vtable-placeholder",
                    f"{page.name}.{name} is listed without a page; its slot is kept",
                    row.loc,
                    page.name,
                )
            abi = AbiMethod(name, return_type, params, row.loc)
            methods.append(self.method(page.name, abi, page))
        return tuple(methods)

    def check_method_pages(self, built: dict[str, Interface]) -> None:
        for (interface, name), mpage in sorted(self.method_pages.items()):
            itf = built.get(interface)
            if itf is None:
                self.note(
                    Severity.WARNING,
                    "method-page-orphan",
                    f"method page for {interface}::{name}, but no interface {interface} is known",
                    mpage.loc,
                    interface,
                )
            elif name not in {m.name for m in itf.methods}:
                self.note(
                    Severity.WARNING,
                    "method-page-unattached",
                    f"method page for {interface}::{name}, but {interface} declares no {name}",
                    mpage.loc,
                    interface,
                )


# The largest table the exact longest-common-subsequence computation fills in.
_LCS_CELLS = 4_000_000


def _longest_common_subsequence(first: list[str], second: list[str]) -> list[str]:
    """The longest run of names in the same relative order in both lists."""
    if len(first) * len(second) > _LCS_CELLS:
        return _longest_increasing_run(first, second)
    lengths = [[0] * (len(second) + 1) for _ in range(len(first) + 1)]
    for i, a in enumerate(first):
        for j, b in enumerate(second):
            lengths[i + 1][j + 1] = lengths[i][j] + 1 if a == b else max(lengths[i][j + 1], lengths[i + 1][j])
    result: list[str] = []
    i, j = len(first), len(second)
    while i and j:
        if first[i - 1] == second[j - 1]:
            result.append(first[i - 1])
            i, j = i - 1, j - 1
        elif lengths[i - 1][j] >= lengths[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return result[::-1]


def _longest_increasing_run(first: list[str], second: list[str]) -> list[str]:
    """A longest common subsequence in O(n log n), for long lists whose ``second`` has no repeats.

    With every name once in ``second``, a common subsequence is a run of
    ``first`` whose positions in ``second`` strictly increase.
    """
    position = {name: index for index, name in enumerate(second)}
    if len(position) != len(second):
        return []
    tails: list[int] = []  # tails[k]: the smallest last position of an increasing run of k + 1
    tail_at: list[int] = []  # the index in ``first`` of that last element
    previous: list[int] = [-1] * len(first)
    for index, name in enumerate(first):
        where = position.get(name)
        if where is None:
            continue
        k = bisect.bisect_left(tails, where)
        previous[index] = tail_at[k - 1] if k else -1
        if k == len(tails):
            tails.append(where)
            tail_at.append(index)
        else:
            tails[k], tail_at[k] = where, index
    result: list[str] = []
    at = tail_at[-1] if tail_at else -1
    while at >= 0:
        result.append(first[at])
        at = previous[at]
    return result[::-1]


def _abi_signature(itf: AbiInterface) -> tuple[object, ...]:
    return (
        itf.base,
        tuple((m.name, str(m.return_type), tuple(str(p.type) for p in m.params)) for m in itf.methods),
    )


def _file_name(path: str | None) -> str:
    return (path or "").replace("\\", "/").rsplit("/", 1)[-1].split("#", 1)[0].lower()


def _first_paragraph(text: Localized[RichText]) -> Localized[RichText]:
    return Localized(
        tuple(
            (lang, tuple(b for b in blocks if isinstance(b, Paragraph))[:1])
            for lang, blocks in text.items
        )
    )


def _merge_interface_pages(first: InterfacePage, other: InterfacePage) -> InterfacePage:
    """Pages of one interface in several languages: the first keeps its facts, prose is pooled."""
    return replace(
        first,
        implemented_by=first.implemented_by.merged(other.implemented_by),
        called_by=first.called_by.merged(other.called_by),
        description=first.description.merged(other.description),
        see_also=first.see_also,
    )


def _ordered(built: dict[str, Interface]) -> tuple[Interface, ...]:
    """Bases before derived interfaces, otherwise by name; unknown bases, cycles and chains
    deeper than ``MAX_NESTING`` fail.  (A loop, not recursion: chains may be long.)"""
    ordered: list[Interface] = []
    state: dict[str, str] = {}
    depth: dict[str, int] = {}
    for start in sorted(built):
        trail: list[str] = []
        name: str | None = start
        while name is not None and state.get(name) != "done":
            itf = built[name]
            if state.get(name) == "active":
                cycle = " -> ".join((*trail, name))
                raise InputError(f"inheritance cycle: {cycle}", itf.loc)
            state[name] = "active"
            trail.append(name)
            if itf.base is not None and itf.base not in built:
                raise InputError(f"{name} derives from {itf.base}, which no input declares", itf.loc)
            name = itf.base
        for name in reversed(trail):
            itf = built[name]
            depth[name] = depth[itf.base] + 1 if itf.base is not None else 1
            if depth[name] > MAX_NESTING:
                message = f"{name}'s chain of bases is more than {MAX_NESTING} deep (the nesting limit)"
                raise InputError(message, itf.loc)
            state[name] = "done"
            ordered.append(itf)
    return tuple(ordered)


def merge(inputs: Inputs) -> Model:
    """Join the records into the model: interfaces base-first, with every diagnostic."""
    merger = _Merger(inputs)
    interfaces = merger.run()
    hresults: dict[str, HResultCode] = {}
    for abi_file in inputs.abi_files:
        for code in abi_file.hresults:
            hresults.setdefault(code.name, code)
    sorted_typedefs = _typedefs(inputs.abi_files)
    types = TypeResolver(sorted_typedefs, {i.name for i in interfaces})
    unknown = _unknown_value_types(interfaces, types) + _interfaces_out_by_value(interfaces, types)
    folders = {f.path.rpartition("/")[0] for f in inputs.abi_files}
    types_of = {folder: merger.types_of(f"{folder}/") for folder in folders}
    aggregates, constants, guids, data_findings = merge_data(inputs.abi_files, merger.guids, types_of)
    defined: dict[str, Constant] = {}
    for constant in constants:
        defined.setdefault(constant.name, constant)
    interfaces = with_flags(interfaces, defined)
    flag_findings = unknown_flags(merger.param_docs, set(defined))
    functions, function_findings = merge_functions(inputs.abi_files, types_of)
    abi_enums = [e for f in inputs.abi_files for e in f.enums]
    aggregates, enums, macros, data_page_findings = document_data(aggregates, inputs.structure_pages, inputs.macro_pages, abi_enums, types)
    functions, function_pages, function_page_findings = merge_function_pages(inputs.function_pages, functions, types, types_of)
    properties, property_findings = merge_properties(inputs.property_pages, constants)
    return Model(
        interfaces=interfaces,
        typedefs=sorted_typedefs,
        hresults=tuple(sorted(hresults.values(), key=lambda h: h.name)),
        languages=tuple(dict.fromkeys(inputs.languages)) or (ENGLISH,),
        diagnostics=tuple(merger.diagnostics) + unknown + data_findings + flag_findings + function_findings + data_page_findings + function_page_findings
        + property_findings,
        aggregates=aggregates,
        constants=constants,
        guids=guids,
        page_kinds=tuple(inputs.page_kinds.items()),
        functions=functions,
        enums=enums,
        macros=macros,
        media=tuple(inputs.media),
        function_pages=function_pages,
        properties=properties,
    )


def _typedefs(abi_files: list[AbiFile]) -> tuple[Typedef, ...]:
    """Every typedef the ABI sources declare, sorted by name; the first declaration of a name wins.

    Windows' own integer types are left out: their meaning is built in
    (``INTEGER_CTYPES``), and Microsoft's headers redeclare some of them in
    branches for other platforms (MAPIWin.h's ``typedef double LONGLONG``).
    """
    typedefs: dict[str, Typedef] = {}
    for abi_file in abi_files:
        for typedef in abi_file.typedefs:
            if typedef.name not in INTEGER_CTYPES:
                typedefs.setdefault(typedef.name, typedef)
    return tuple(sorted(typedefs.values(), key=lambda t: t.name))


def _parameters(interfaces: tuple[Interface, ...]) -> Iterator[tuple[Interface, Method, Param]]:
    """Every parameter of every interface's own methods, in model order."""
    for itf in interfaces:
        for method in itf.methods:
            for param in method.params:
                yield itf, method, param


def _interfaces_out_by_value(interfaces: tuple[Interface, ...], types: TypeResolver) -> tuple[Diagnostic, ...]:
    """[out] parameters that are one interface pointer, passed by value: nothing comes back through them."""
    return tuple(
        Diagnostic(
            Severity.WARNING,
            "out-by-value",
            f"{itf.name}::{method.name} {param.name} is [out] but its type {param.type} is an"
            " interface pointer passed by value, which cannot return one; the bindings pass it in",
            method.loc,
            itf.name,
        )
        for itf, method, param in _parameters(interfaces)
        if param.direction is Direction.OUT and types.is_interface_pointer(types.resolve(param.type))
    )


def _unknown_value_types(interfaces: tuple[Interface, ...], types: TypeResolver) -> tuple[Diagnostic, ...]:
    """Types passed by value that no source declares (their size is a guess): one finding each."""
    uses: dict[str, list[tuple[Interface, Method, Param]]] = {}
    for itf, method, param in _parameters(interfaces):
        if types.is_unknown_value(param.type):
            uses.setdefault(param.type.name, []).append((itf, method, param))
    found = []
    for name, places in sorted(uses.items()):
        itf, method, param = places[0]
        found.append(
            Diagnostic(
                Severity.WARNING,
                "type-unknown",
                f"no source declares {name} ({len(places)} parameter(s), first {itf.name}::{method.name} "
                f"{param.name}); the bindings pass it as a pointer-sized value",
                method.loc,
                itf.name,
            )
        )
    return tuple(found)
