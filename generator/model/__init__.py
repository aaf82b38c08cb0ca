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

The package holds one module per family of records: ``records`` (``Record``,
``SourceLoc``), ``prose`` (inline and block trees, ``Localized``), ``abi``
(IDL and header records, ``AbiFile``), ``pages`` (reference page records) and
``merged`` (``Model`` and what it holds of its own); every name is importable
from ``generator.model``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.model.abi import (
        AbiFile,
        AbiFunction,
        AbiInterface,
        AbiMethod,
        AbiParam,
        Aggregate,
        Constant,
        CType,
        Direction,
        Enumeration,
        Enumerator,
        Guid,
        GuidDefinition,
        HResultCode,
        Member,
        Typedef,
    )
    from generator.model.merged import (
        Interface,
        Method,
        Model,
        Param,
        ParamFlag,
        Property,
        PropertyTag,
        Slot,
        Snapshot,
    )
    from generator.model.pages import (
        FunctionPage,
        InterfacePage,
        MacroPage,
        MemberDoc,
        MethodPage,
        PageField,
        PageLink,
        PageMember,
        ParamDoc,
        PropertyPage,
        PropertyTypeRow,
        PropertyTypesPage,
        ReturnValueDoc,
        RowKind,
        StructurePage,
        SyntaxParam,
        VtableRow,
    )
    from generator.model.prose import (
        Block,
        BlockQuote,
        BulletList,
        Code,
        CodeBlock,
        Emphasis,
        Heading,
        Image,
        Inline,
        LineBreak,
        Link,
        Localized,
        MediaFile,
        Note,
        OrderedList,
        Paragraph,
        RichText,
        Strong,
        Table,
        Text,
        ThematicBreak,
        inline_text,
        inline_words,
    )
    from generator.model.records import (
        ENGLISH,
        Diagnostic,
        Record,
        Severity,
        SourceLoc,
    )

__all__ = [
    "ENGLISH",
    "AbiFile",
    "AbiFunction",
    "AbiInterface",
    "AbiMethod",
    "AbiParam",
    "Aggregate",
    "Block",
    "BlockQuote",
    "BulletList",
    "CType",
    "Code",
    "CodeBlock",
    "Constant",
    "Diagnostic",
    "Direction",
    "Emphasis",
    "Enumeration",
    "Enumerator",
    "FunctionPage",
    "Guid",
    "GuidDefinition",
    "HResultCode",
    "Heading",
    "Image",
    "Inline",
    "Interface",
    "InterfacePage",
    "LineBreak",
    "Link",
    "Localized",
    "MacroPage",
    "MediaFile",
    "Member",
    "MemberDoc",
    "Method",
    "MethodPage",
    "Model",
    "Note",
    "OrderedList",
    "PageField",
    "PageLink",
    "PageMember",
    "Paragraph",
    "Param",
    "ParamDoc",
    "ParamFlag",
    "Property",
    "PropertyPage",
    "PropertyTag",
    "PropertyTypeRow",
    "PropertyTypesPage",
    "Record",
    "ReturnValueDoc",
    "RichText",
    "RowKind",
    "Severity",
    "Slot",
    "Snapshot",
    "SourceLoc",
    "Strong",
    "StructurePage",
    "SyntaxParam",
    "Table",
    "Text",
    "ThematicBreak",
    "Typedef",
    "VtableRow",
    "inline_text",
    "inline_words",
]

# The package's modules, in the order their names are looked up.
_MODULES = ("records", "prose", "abi", "pages", "merged")


def __getattr__(name: str) -> object:
    """A name of the model, its module imported on first use.

    A build with nothing to do imports ``generator.model.records`` alone:
    the other modules define some sixty classes, which take longer to
    create than the rest of that build's work.
    """
    if name in __all__:
        for module in _MODULES:
            found = import_module(f"generator.model.{module}").__dict__.get(name)
            if found is not None:
                globals()[name] = found
                return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
