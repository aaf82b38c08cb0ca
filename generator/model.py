"""The one model every front end produces and every back end reads.

How the pieces relate:

* Front ends turn source files into *records*, one per file:
  ``InterfacePage`` and ``MethodPage`` (reference pages: prose, page vtable
  tables, documented parameter directions), ``StructurePage`` and
  ``MacroPage`` (structure, enum and macro pages: syntax blocks, member texts), ``AbiFile`` (IDL or C headers:
  interfaces with their exact vtable slots, typedefs, GUIDs, HRESULT codes).
* ``generator.merge`` joins the records into a ``Model``: a tuple of
  ``Interface`` objects whose ``methods`` hold only the slots the interface
  declares itself (its base's slots come first in the vtable, see
  ``Model.vtable``), plus every disagreement between sources as a
  ``Diagnostic``.  ``generator.structure_docs`` attaches the structure pages'
  prose to the headers' ``Aggregate`` records and keeps ``Enumeration`` and
  macro records.
* Back ends read the ``Model`` only.

Everything is a frozen, slotted dataclass with tuples for sequences, so a
model can be hashed, compared and shared freely.  Objects derived from a
source file carry a ``SourceLoc``.  Prose is kept as small inline/block trees
per language (``Localized``), so back ends can render plain text for
docstrings and linked HTML for the doc site.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, Self, TypeVar

T = TypeVar("T")

ENGLISH = "en-US"


class Record:
    """Base of the frozen records: pickled as a call to their constructor.

    Build caches and parse workers pickle thousands of records; dataclasses'
    own pickling of slotted frozen classes restores each field afterwards
    through ``object.__setattr__``, which makes unpickling about half again
    as slow.  Records do not inherit fields from one another, so a record's
    ``__slots__`` lists all its fields, in constructor order.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[type[Self], tuple[object, ...]]:
        return type(self), tuple(map(self.__getattribute__, self.__slots__))


@dataclass(frozen=True, slots=True, order=True)
class SourceLoc(Record):
    """A position in an input file (1-based line and column)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


# --- prose -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text(Record):
    """Plain text."""

    text: str


@dataclass(frozen=True, slots=True)
class Code(Record):
    """Inline code (backticks)."""

    text: str


@dataclass(frozen=True, slots=True)
class Strong(Record):
    """Bold text."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Emphasis(Record):
    """Italic text (in MAPI pages: parameter names)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link(Record):
    """A link; ``target`` is kept exactly as written in the page."""

    target: str
    children: tuple[Inline, ...]
    title: str = ""


@dataclass(frozen=True, slots=True)
class Image(Record):
    """An image: ``target`` as written (``media/…`` for the pages' own), its alternative text."""

    target: str
    children: tuple[Inline, ...]
    title: str = ""


@dataclass(frozen=True, slots=True)
class MediaFile(Record):
    """An image file a page's ``Image`` references (``media/<name>``), for the text in ``language``.

    ``source`` is its shown path (``es-ES/media/amapi_30.gif``): a translated
    folder has translated images under the same names.
    """

    language: str
    name: str
    data: bytes
    source: str


@dataclass(frozen=True, slots=True)
class LineBreak(Record):
    """A hard line break (``<br/>``, two spaces or a backslash at the end of a line)."""


Inline = Text | Code | Strong | Emphasis | Link | Image | LineBreak


def inline_words(nodes: Iterable[Inline]) -> str:
    """The text of inline content without its markup (a line break is a space)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, (Text, Code)):
            parts.append(node.text)
        elif isinstance(node, (Strong, Emphasis, Link, Image)):
            parts.append(inline_words(node.children))
        elif isinstance(node, LineBreak):
            parts.append(" ")
    return "".join(parts)


def inline_text(inlines: Iterable[Inline]) -> str:
    """Inline content without markup, white space runs (soft line breaks too) made single spaces."""
    return " ".join(inline_words(inlines).split())


@dataclass(frozen=True, slots=True)
class Paragraph(Record):
    """A paragraph of inline content."""

    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Heading(Record):
    """A heading inside a section (level 1-6 as written)."""

    level: int
    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class BulletList(Record):
    """A bullet list; each item is a sequence of blocks (``tight``: items are not paragraphs)."""

    items: tuple[tuple[Block, ...], ...]
    tight: bool = False


@dataclass(frozen=True, slots=True)
class OrderedList(Record):
    """A numbered list starting at ``start``; each item is a sequence of blocks."""

    start: int
    items: tuple[tuple[Block, ...], ...]
    tight: bool = False


@dataclass(frozen=True, slots=True)
class BlockQuote(Record):
    """A block quote that is not an alert."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ThematicBreak(Record):
    """A horizontal rule (``***``, ``---``)."""


@dataclass(frozen=True, slots=True)
class CodeBlock(Record):
    """A fenced or indented code block (``language``: the first word of the fence's info)."""

    language: str
    text: str


@dataclass(frozen=True, slots=True)
class Table(Record):
    """A table: header cells, then rows of cells."""

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]


@dataclass(frozen=True, slots=True)
class Note(Record):
    """An alert: DocFX's ``> [!NOTE]`` (``kind``: note, tip, important, warning, caution)."""

    kind: str
    blocks: tuple[Block, ...]


Block = Paragraph | Heading | BulletList | OrderedList | BlockQuote | ThematicBreak | CodeBlock | Table | Note
RichText = tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Localized(Record, Generic[T]):
    """One value per language, as ``(language, value)`` pairs in load order."""

    items: tuple[tuple[str, T], ...] = ()

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages present, in order."""
        return tuple(lang for lang, _ in self.items)

    def get(self, language: str) -> T | None:
        """The value for ``language``, or None."""
        for lang, value in self.items:
            if lang == language:
                return value
        return None

    def merged(self, other: Localized[T]) -> Localized[T]:
        """These values plus those of ``other`` in languages not yet present."""
        have = set(self.languages)
        extra = tuple((lang, value) for lang, value in other.items if lang not in have)
        return Localized(self.items + extra)


# --- C types, GUIDs --------------------------------------------------------


class Direction(enum.Enum):
    """Parameter direction as written in IDL attributes or page text."""

    IN = "in"
    OUT = "out"
    IN_OUT = "in, out"


@dataclass(frozen=True, slots=True)
class CType(Record):
    """A C type as spelled in a declaration: ``const LPSTR **`` and the like."""

    name: str
    pointers: int = 0
    const: bool = False

    def __str__(self) -> str:
        prefix = "const " if self.const else ""
        stars = " " + "*" * self.pointers if self.pointers else ""
        return f"{prefix}{self.name}{stars}"


@dataclass(frozen=True, slots=True)
class Guid(Record):
    """A GUID in registry form, upper case: ``{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}``."""

    value: str

    @classmethod
    def from_fields(cls, data1: int, data2: int, data3: int, data4: tuple[int, ...]) -> Guid:
        """Build from the DEFINE_GUID fields (``data4`` has 8 bytes)."""
        tail = "".join(f"{b:02X}" for b in data4)
        return cls(f"{{{data1:08X}-{data2:04X}-{data3:04X}-{tail[:4]}-{tail[4:]}}}")

    @property
    def fields(self) -> tuple[int, int, int, tuple[int, ...]]:
        """(Data1, Data2, Data3, Data4 bytes)."""
        hexes = self.value.strip("{}").split("-")
        tail = hexes[3] + hexes[4]
        data4 = tuple(int(tail[i : i + 2], 16) for i in range(0, 16, 2))
        return int(hexes[0], 16), int(hexes[1], 16), int(hexes[2], 16), data4


@dataclass(frozen=True, slots=True)
class GuidDefinition(Record):
    """``DEFINE_GUID(symbol, …)`` or ``uuid(…)`` found in a source."""

    symbol: str
    guid: Guid
    loc: SourceLoc


# --- ABI records (IDL and C headers) ---------------------------------------


@dataclass(frozen=True, slots=True)
class AbiParam(Record):
    """A parameter as declared in IDL or a header."""

    name: str
    type: CType
    direction: Direction | None
    attributes: tuple[str, ...]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class AbiMethod(Record):
    """A vtable slot as declared in IDL or a header."""

    name: str
    return_type: CType
    params: tuple[AbiParam, ...]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class AbiInterface(Record):
    """An interface declaration: own methods in slot order, after the base's."""

    name: str
    base: str | None
    iid: Guid | None
    methods: tuple[AbiMethod, ...]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class AbiFunction(Record):
    """A function a header declares, or a function type (``kind``).

    ``kind`` is ``"function"`` for an entry point (``STDAPI HrQueryAllRows(...);``,
    or ``MAPILOGONEX MAPILogonEx;`` of a function type), ``"type"`` for a
    function-type typedef (``typedef HRESULT (STDMETHODCALLTYPE MAPILOGONEX)(...)``)
    and ``"pointer"`` for a typedef of a pointer to one (``LPFNBUTTON``).
    ``header`` is the header file that declares it (``MAPIUtil.h``).
    """

    name: str
    return_type: CType
    params: tuple[AbiParam, ...]
    kind: str
    loc: SourceLoc
    header: str = ""


@dataclass(frozen=True, slots=True)
class Typedef(Record):
    """``typedef <type> <name>;`` (for example ``typedef IUnknown *LPUNKNOWN;``)."""

    name: str
    type: CType
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class HResultCode(Record):
    """A named HRESULT value."""

    name: str
    value: int
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class Member(Record):
    """A member of a structure or union: its C type and array dimensions (``BYTE ab[MAPI_DIM]``).

    ``dims`` are the values of the dimensions, ``dims_text`` how the source
    spells them (``MAPI_DIM`` marks a variable-length array of one entry);
    ``doc`` its text on the structure's page, per language.
    """

    name: str
    type: CType
    dims: tuple[int, ...]
    dims_text: tuple[str, ...]
    loc: SourceLoc
    doc: Localized[RichText] = Localized()


@dataclass(frozen=True, slots=True)
class Aggregate(Record):
    """``typedef struct|union [tag] {...} NAME, *LPNAME;``: members in order.

    ``name`` is what the bindings call it (the first typedef name, or the tag
    when that name starts with ``__``, as ``union _PV {...} __UPV``); ``tag``
    the C tag members refer to (``union _PV``; an untagged definition takes
    its first typedef name); ``aliases`` the other names of the type itself,
    ``pointers`` the names of pointers to it (``LPSPropValue``).  A member of
    an anonymous nested ``union {...} info;`` has the type ``union
    <outer>_<member>``, an aggregate of its own with ``nested`` set.
    ``header`` is the header file that declares it (``MAPIDefS.h``); ``pack``
    the packing in force there (``#include <pshpack1.h>``: 1), 0 for the
    natural alignment.  ``summary``, ``remarks`` and ``page`` come from the
    structure's reference page, when one documents it.
    """

    name: str
    kind: str
    tag: str
    members: tuple[Member, ...]
    aliases: tuple[str, ...]
    pointers: tuple[str, ...]
    nested: bool
    loc: SourceLoc
    header: str = ""
    pack: int = 0
    summary: Localized[RichText] = Localized()
    remarks: Localized[RichText] = Localized()
    page: str | None = None

    @property
    def variable(self) -> bool:
        """The last member is a ``[MAPI_DIM]`` array: allocated with n entries."""
        return bool(self.members) and self.members[-1].dims_text[:1] == ("MAPI_DIM",)


@dataclass(frozen=True, slots=True)
class Constant(Record):
    """An integer ``#define`` (or IDL ``const``): value and C type (``ULONG`` from a cast, else ``int``).

    Property tags (``PR_*``) and property types (``PT_*``) are constants too;
    ``Model`` sorts them apart.  ``header`` is the header file that defines it
    (``MAPITags.h``), also when it was read from the embedded IDL.
    """

    name: str
    value: int
    ctype: str
    loc: SourceLoc
    header: str = ""

    @property
    def prop_id(self) -> int:
        """The property id of a tag (its upper 16 bits)."""
        return (self.value >> 16) & 0xFFFF

    @property
    def prop_type(self) -> int:
        """The property type of a tag (its lower 16 bits)."""
        return self.value & 0xFFFF


@dataclass(frozen=True, slots=True)
class AbiFile(Record):
    """What an IDL file or a C header declares."""

    path: str
    kind: str
    interfaces: tuple[AbiInterface, ...]
    typedefs: tuple[Typedef, ...]
    guids: tuple[GuidDefinition, ...]
    hresults: tuple[HResultCode, ...]
    imports: tuple[str, ...] = ()
    aggregates: tuple[Aggregate, ...] = ()
    constants: tuple[Constant, ...] = ()
    functions: tuple[AbiFunction, ...] = ()
    enums: tuple[Enumeration, ...] = ()


# --- reference page records ------------------------------------------------


class RowKind(enum.Enum):
    """What a row of a page's "Vtable order" table stands for.

    METHOD: a link to the method's page.  PLACEHOLDER: a named method without
    a page ("**MessageOptions** – not supported or documented").  RESERVED: an
    unnamed slot ("*Placeholder member*"), still a slot of the vtable.
    """

    METHOD = "method"
    PLACEHOLDER = "placeholder"
    RESERVED = "reserved"


@dataclass(frozen=True, slots=True)
class VtableRow(Record):
    """One row of a page's vtable table: a method name, its page, its summary."""

    name: str
    target: str | None
    kind: RowKind
    summary: Localized[tuple[Inline, ...]]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class PageLink(Record):
    """A "See also" entry."""

    target: str
    text: Localized[tuple[Inline, ...]]


@dataclass(frozen=True, slots=True)
class InterfacePage(Record):
    """An interface reference page (``# IName : IBase``)."""

    path: str
    name: str
    base: str | None
    iid_symbol: str | None
    implemented_by: Localized[tuple[Inline, ...]]
    called_by: Localized[tuple[Inline, ...]]
    description: Localized[RichText]
    vtable: tuple[VtableRow, ...]
    see_also: tuple[PageLink, ...]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class SyntaxParam(Record):
    """A parameter of a method page's C syntax block."""

    name: str
    type: CType
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class ParamDoc(Record):
    """A documented parameter: its direction as the page states it, its text."""

    name: str
    direction: Direction | None
    text: Localized[RichText]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class ReturnValueDoc(Record):
    """A documented return value."""

    code: str
    text: Localized[RichText]


@dataclass(frozen=True, slots=True)
class MethodPage(Record):
    """A method reference page (``# IFace::Method``)."""

    path: str
    interface: str
    name: str
    return_type: CType | None
    syntax: tuple[SyntaxParam, ...]
    summary: Localized[RichText]
    params: tuple[ParamDoc, ...]
    return_values: tuple[ReturnValueDoc, ...]
    remarks: Localized[RichText]
    loc: SourceLoc


# --- the merged model ------------------------------------------------------


class Severity(enum.Enum):
    """How serious a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Diagnostic(Record):
    """A finding about the inputs, tied to the place that caused it."""

    severity: Severity
    code: str
    message: str
    loc: SourceLoc | None
    interface: str | None = None

    def __str__(self) -> str:
        where = f"{self.loc}: " if self.loc else ""
        return f"{where}{self.severity.value}: {self.message} [{self.code}]"


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


# --- structure, enum and macro pages, and their documentation in the model ----


@dataclass(frozen=True, slots=True)
class PageMember(Record):
    """A member a structure page's syntax block declares (``type`` and ``dims_text`` as written),
    or an enumerator of an enum page's (``value``: the text after ``=``, "" when none)."""

    name: str
    type: CType
    dims_text: tuple[str, ...]
    value: str
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class MemberDoc(Record):
    """A documented member of a structure page's "Members" section (its name as the syntax block spells it)."""

    name: str
    text: Localized[RichText]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class StructurePage(Record):
    """A structure, union or enum reference page (``spropvalue.md``, ``syncstate.md``).

    ``kind`` is ``struct``, ``union`` or ``enum`` as the syntax block says;
    ``names`` the names that block gives the type (its tag and typedef
    names; the title when it could not be read); ``syntax`` its members,
    empty when the block could not be read; ``header`` the "Header file:"
    row ("" when none).
    """

    path: str
    name: str
    kind: str
    names: tuple[str, ...]
    header: str
    syntax: tuple[PageMember, ...]
    summary: Localized[RichText]
    members: tuple[MemberDoc, ...]
    remarks: Localized[RichText]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class MacroPage(Record):
    """A macro reference page (``prop_tag.md``, ``cbnewsrowset.md``): its syntax line, parameters, prose.

    The model keeps one per macro, the prose of every language pooled.
    """

    path: str
    name: str
    header: str
    syntax: str
    summary: Localized[RichText]
    params: tuple[ParamDoc, ...]
    remarks: Localized[RichText]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class Enumerator(Record):
    """A named value of an enumeration (``value`` None when the source's expression is not read)."""

    name: str
    value: int | None
    loc: SourceLoc
    doc: Localized[RichText] = Localized()


@dataclass(frozen=True, slots=True)
class Enumeration(Record):
    """``typedef enum [tag] {...} NAME;``: from a header when one declares it, else from its page.

    ``header`` is the header file that declares it ("" when none does, then
    ``members`` are the page's); ``page`` the page that documents it.
    """

    name: str
    tag: str
    members: tuple[Enumerator, ...]
    loc: SourceLoc
    header: str = ""
    summary: Localized[RichText] = Localized()
    remarks: Localized[RichText] = Localized()
    page: str | None = None


# --- function pages (read by generator.frontends.page.functions) ----------


@dataclass(frozen=True, slots=True)
class FunctionPage(Record):
    """A function reference page (``# MAPILogonEx``): a syntax block, parameters, a "Header file:" row.

    ``name`` is the function the page documents (the header's spelling once
    merged, ``ABProviderInit``'s page is ``ABPROVIDERINIT``'s);
    ``header_file`` the properties table's "Header file:" row as written
    (``Mapix.h``), None when the page has none; ``pages`` every page merged
    into this record (one per docs folder).
    """

    path: str
    name: str
    header_file: str | None
    return_type: CType | None
    syntax: tuple[SyntaxParam, ...]
    summary: Localized[RichText]
    params: tuple[ParamDoc, ...]
    return_values: tuple[ReturnValueDoc, ...]
    remarks: Localized[RichText]
    loc: SourceLoc
    pages: tuple[str, ...] = ()


# --- property pages --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageField(Record):
    """A row of a property page's table: its value as written (markup dropped), where the value starts."""

    text: str
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class PropertyPage(Record):
    """A canonical property page (``pidtag…``, ``pidlid…``, ``pidname…-canonical-property.md``).

    The fields are the rows of its table as written, in any language's labels:
    ``associated`` ("Associated properties:" / "Friendly names:": ``PR_`` names,
    ``dispid…`` names), ``identifier`` (a tag's property id), ``property_set``,
    ``lid`` ("Long ID (LID):") and ``property_name`` of a named property,
    ``data_type`` ("Data type:", on 12 pages "Property type:"); ``area`` is
    the "Area:" row per language; ``description`` the text before the table,
    ``remarks`` the Remarks section.
    """

    path: str
    name: str
    associated: PageField | None
    identifier: PageField | None
    property_set: PageField | None
    lid: PageField | None
    property_name: PageField | None
    data_type: PageField | None
    area: Localized[str]
    description: Localized[RichText]
    remarks: Localized[RichText]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class PropertyTypeRow(Record):
    """A row of ``property-types.md``: a type, its multiple-value type, its hexadecimal value as written.

    ``same_as`` are the types its description calls the same (``PT_SHORT``).
    """

    name: str
    multi_valued: str
    value: str
    same_as: tuple[str, ...]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class PropertyTypesPage(Record):
    """``property-types.md``: the table of property types."""

    path: str
    rows: tuple[PropertyTypeRow, ...]


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
