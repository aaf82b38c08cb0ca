"""What IDL and C headers say: C types, GUIDs, interfaces with their exact slots, functions, typedefs,
structures, constants and enumerations, one ``AbiFile`` per source file."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from generator.model.prose import Localized, RichText
from generator.model.records import Record, SourceLoc

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
