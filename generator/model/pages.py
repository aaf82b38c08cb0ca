"""What reference pages say, one record per page: interface and method pages, structure and macro
pages, function pages, property pages and ``property-types.md``."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from generator.model.abi import CType, Direction
from generator.model.prose import Inline, Localized, RichText
from generator.model.records import Record, SourceLoc

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
