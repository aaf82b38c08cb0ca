"""The merged model: interfaces with their methods and parameters, diagnostics, canonical properties,
and ``Model``, which holds everything the back ends read."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.model.abi import (
    AbiFunction,
    Aggregate,
    Constant,
    CType,
    Direction,
    Enumeration,
    Guid,
    GuidDefinition,
    HResultCode,
    Typedef,
)
from generator.model.pages import FunctionPage, MacroPage, PageLink, ReturnValueDoc
from generator.model.prose import Inline, Localized, MediaFile, RichText
from generator.model.records import Diagnostic, Record, SourceLoc

# --- the merged model ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParamFlag(Record):
    """A flag a parameter's documentation lists, with the value and header of the constant of
    its name (None and "" when no header defines it: a ``flag-unknown`` finding)."""

    name: str
    value: int | None
    header: str


@dataclass(frozen=True, slots=True)
class Param(Record):
    """A method parameter: ABI type from IDL/headers, direction, page prose, the flags the prose lists."""

    name: str
    type: CType
    direction: Direction
    attributes: tuple[str, ...]
    doc: Localized[RichText]
    direction_assumed: bool = False
    flags: tuple[ParamFlag, ...] = ()


@dataclass(frozen=True, slots=True)
class Method(Record):
    """A vtable slot declared by an interface.

    ``summary`` is the method page's (a language the page lacks takes the
    interface page's vtable row); ``row_summary`` is what the interface page's
    vtable row says of the method, in every language it says it.
    """

    name: str
    return_type: CType
    params: tuple[Param, ...]
    summary: Localized[RichText]
    remarks: Localized[RichText]
    return_values: tuple[ReturnValueDoc, ...]
    page: str | None
    loc: SourceLoc
    row_summary: Localized[tuple[Inline, ...]] = Localized()


@dataclass(frozen=True, slots=True)
class Interface(Record):
    """A COM interface: own methods in slot order (the base's come first)."""

    name: str
    base: str | None
    iid: Guid | None
    iid_symbol: str | None
    methods: tuple[Method, ...]
    summary: Localized[RichText]
    description: Localized[RichText]
    implemented_by: Localized[tuple[Inline, ...]]
    called_by: Localized[tuple[Inline, ...]]
    see_also: tuple[PageLink, ...]
    page: str | None
    abi_source: str
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class Slot(Record):
    """One entry of a full vtable: index, the method, and who declares it."""

    index: int
    method: Method
    declared_by: str


@dataclass(frozen=True, slots=True)
class Snapshot(Record):
    """What a build read, as the bindings' version names it.

    ``newest_page_date`` is the latest ``ms.date`` among the pages (ISO
    ``YYYY-MM-DD``, None when no page has one); ``digest`` is a sha256 over
    the kind, shown path and content hash of every input, so two builds with
    the same snapshot read the same files.
    """

    newest_page_date: str | None
    digest: str
    pages: int
    abi_files: int


@dataclass(frozen=True, slots=True)
class Model:
    """Every interface, in dependency order (bases before the interfaces that derive).

    ``aggregates`` holds every structure and union, members before the
    aggregates that hold them by value; ``constants`` every integer constant
    by name (flags, ``PT_*`` property types, ``PR_*`` property tags, see
    ``property_types`` and ``property_tags``); ``guids`` the GUIDs that are not
    an interface's IID (``PS_MAPI``, ``PSETID_Address``); ``functions`` the
    entry points and function types the headers declare, by name (see
    ``entry_points`` and ``function_types``), their parameters' directions
    from the pages where the headers state none; ``function_pages`` what the
    function pages say, one record per documented function (the pages of
    every folder merged), by name (``undeclared_functions``: those no header
    declares); ``enums`` the enumerations of the headers and of enum pages,
    ``macros`` the macro pages, by name; ``properties`` the canonical
    properties of the property pages, by name (see ``Property``).
    ``page_kinds``: how many reference pages of each kind were read (interface,
    method, …, article), in the order the kinds are listed.  ``media``: the
    image files the pages read reference, by language and name.

    Look-ups by name and full vtables are indexed once, on first use.
    ``snapshot`` says what the model was built from (None for a model merged
    from records alone).
    """

    interfaces: tuple[Interface, ...]
    typedefs: tuple[Typedef, ...]
    hresults: tuple[HResultCode, ...]
    languages: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    snapshot: Snapshot | None = None
    aggregates: tuple[Aggregate, ...] = ()
    constants: tuple[Constant, ...] = ()
    guids: tuple[GuidDefinition, ...] = ()
    page_kinds: tuple[tuple[str, int], ...] = field(default=())
    functions: tuple[AbiFunction, ...] = ()
    enums: tuple[Enumeration, ...] = ()
    macros: tuple[MacroPage, ...] = ()
    media: tuple[MediaFile, ...] = ()
    function_pages: tuple[FunctionPage, ...] = ()
    properties: tuple[Property, ...] = ()
    _by_name: dict[str, Interface] = field(default_factory=dict, init=False, repr=False, compare=False)
    _vtables: dict[str, tuple[Slot, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def property_tags(self) -> tuple[Constant, ...]:
        """The ``PR_*`` constants."""
        return tuple(c for c in self.constants if c.name.startswith("PR_"))

    @property
    def property_types(self) -> tuple[Constant, ...]:
        """The ``PT_*`` constants."""
        return tuple(c for c in self.constants if c.name.startswith("PT_"))

    @property
    def entry_points(self) -> tuple[AbiFunction, ...]:
        """The functions a MAPI library exports (``MAPILogonEx``, ``HrQueryAllRows``)."""
        return tuple(f for f in self.functions if f.kind == "function")

    @property
    def function_types(self) -> tuple[AbiFunction, ...]:
        """The function types and function-pointer types (``MAPILOGONEX``, ``LPFNBUTTON``)."""
        return tuple(f for f in self.functions if f.kind != "function")

    @property
    def undeclared_functions(self) -> tuple[FunctionPage, ...]:
        """The documented functions no header declares."""
        declared = {f.name for f in self.functions}
        return tuple(p for p in self.function_pages if p.name not in declared)

    def interface(self, name: str) -> Interface:
        """The interface called ``name`` (KeyError if absent)."""
        if not self._by_name:
            self._by_name.update((itf.name, itf) for itf in self.interfaces)
        return self._by_name[name]

    def chain(self, name: str) -> tuple[Interface, ...]:
        """``name`` and its bases, root (IUnknown) first."""
        chain: list[Interface] = []
        current: str | None = name
        while current is not None:
            itf = self.interface(current)
            chain.append(itf)
            current = itf.base
        return tuple(reversed(chain))

    def vtable(self, name: str) -> tuple[Slot, ...]:
        """The full vtable of ``name``: inherited slots first, in order."""
        found = self._vtables.get(name)
        if found is None:
            slots: list[Slot] = []
            for itf in self.chain(name):
                for method in itf.methods:
                    slots.append(Slot(len(slots), method, itf.name))
            found = self._vtables[name] = tuple(slots)
        return found

    def slot_of(self, interface: str, method: Method) -> int:
        """The slot of ``method``, one of ``interface``'s own methods, in its full vtable."""
        own = self.interface(interface).methods
        return len(self.vtable(interface)) - len(own) + next(i for i, m in enumerate(own) if m is method)




@dataclass(frozen=True, slots=True)
class PropertyTag(Record):
    """A ``PR_`` name a property page lists, with its full tag value.

    ``header`` is the header that defines it; a name no header defines is
    ``docs_only``, its value generated from the page's id and type (None when
    the page gives no readable id or type).
    """

    name: str
    value: int | None
    header: str
    docs_only: bool


@dataclass(frozen=True, slots=True)
class Property(Record):
    """A canonical property (``PidTagDisplayName``, ``PidLidEmail1DisplayName``, ``PidNameKeywords``).

    ``kind`` is ``tag`` (a property id, ``PR_`` tags), ``lid`` (a named
    property with a long ID in ``property_set``) or ``name`` (a named property
    with a string name).  ``types`` are the ``PT_`` names the page gives that a
    header defines; ``aliases`` the other names the page lists (``dispid…``,
    friendly names); ``pages`` every page that documents it, in load order.
    """

    name: str
    kind: str
    prop_id: int | None
    lid: int | None
    property_name: str
    property_set: str
    types: tuple[str, ...]
    tags: tuple[PropertyTag, ...]
    aliases: tuple[str, ...]
    area: Localized[str]
    description: Localized[RichText]
    remarks: Localized[RichText]
    pages: tuple[str, ...]
    loc: SourceLoc
