"""Structure, enum and macro pages: what the four docs folders give, and how it meets the headers' structures.

The corpus is read and built once per session (``docs_pages``, ``folder_models``
in conftest.py); the header cases are small texts parsed here.
"""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import CORPUS_FOLDERS

from generator.backends.prose import plain_text
from generator.frontends.header import parse_headers
from generator.frontends.page import PageResult
from generator.model import FunctionPage, MacroPage, Model, StructurePage

# folder: structure pages read (struct and union, enum), macro pages, structures the model documents
COUNTS = {
    "en-US": (116, 7, 41, 84),
    "en-US-2018": (115, 7, 41, 83),
    "es-ES": (115, 7, 41, 83),
    "es-ES-sxs": (115, 7, 41, 83),
}
# Every page where a finding fires, the same in every folder.
FINDINGS = {
    "struct-page-members": {"currency.md", "flaglist.md", "formprintsetup.md", "mtsid.md", "notification.md", "smapiverb.md", "table_notification.md"},
    "member-doc-unknown": {"flaglist.md", "formprintsetup.md", "mtsid.md", "smapiverbarray.md"},
}


def _pages(results: dict[str, PageResult]) -> tuple[dict[str, StructurePage], dict[str, MacroPage]]:
    structures = {n: r.page for n, r in results.items() if isinstance(r.page, StructurePage)}
    macros = {n: r.page for n, r in results.items() if isinstance(r.page, MacroPage)}
    return structures, macros


@pytest.mark.parametrize("name", CORPUS_FOLDERS)
def test_counts(name: str, docs_pages: dict[str, dict[str, PageResult]], folder_models: dict[str, Model]) -> None:
    structures, macros = _pages(docs_pages[name])
    kinds = Counter(p.kind for p in structures.values())
    model = folder_models[name]
    documented = [a for a in model.aggregates if a.page]
    assert (kinds["struct"] + kinds["union"], kinds["enum"], len(macros), len(documented)) == COUNTS[name]
    assert len(model.macros) == len(macros) and len(model.enums) == 7
    # A page whose syntax block calls its name with typed parameters is a function page (HrComposeEID), not a macro's.
    assert isinstance(docs_pages[name]["hrcomposeeid.md"].page, FunctionPage) and "cbnewsrowset.md" in macros


@pytest.mark.parametrize("name", CORPUS_FOLDERS)
def test_findings_fire_where_the_corpus_has_a_case(name: str, folder_models: dict[str, Model]) -> None:
    model = folder_models[name]
    diagnostics = model.diagnostics
    for code, pages in FINDINGS.items():
        assert {d.loc.file.rpartition("/")[2] for d in diagnostics if d.code == code and d.loc} == pages, code
    orphans = {d.loc.file.rpartition("/")[2] for d in diagnostics if d.code == "struct-page-orphan" and d.loc}
    assert {"feid.md", "syncstate.md"} - orphans == {"syncstate.md"}  # an enum page is no orphan structure
    assert len(orphans) == 32 and "implementing-objects-in-c.md" not in orphans  # an article's struct sample
    (undocumented,) = [d for d in diagnostics if d.code == "struct-undocumented"]
    top_level = sum(not a.nested for a in model.aggregates)
    assert undocumented.loc is None and undocumented.message.startswith(f"{top_level - COUNTS[name][3]} structure(s) and union(s)")
    assert top_level - COUNTS[name][3] in (19, 20) and "MapiMessage" in undocumented.message
    by_page = {d.loc.file.rpartition("/")[2]: d for d in diagnostics if d.code == "struct-page-members" and d.loc}
    assert "(cFlags, ulFlags) on the page, (cFlags, ulFlag) in the header" in by_page["flaglist.md"].message
    assert "member lVerb is ULONG on the page but LONG" in by_page["smapiverb.md"].message
    where = by_page["notification.md"].loc  # at the page's member where the header's ulAlignPad is missing
    assert where is not None and (where.line, where.column) == {"en-US": (39, 5), "en-US-2018": (39, 5)}.get(name, (44, 5))


def test_spot_values(docs_pages: dict[str, dict[str, PageResult]], folder_models: dict[str, Model]) -> None:
    page = docs_pages["en-US"]["spropvalue.md"].page
    assert isinstance(page, StructurePage)
    assert (page.kind, page.names, page.header) == ("struct", ("_SPropValue", "SPropValue", "LPSPropValue"), "Mapidefs.h")
    assert [(m.name, str(m.type), m.loc.line, m.loc.column) for m in page.syntax] == [
        ("ulPropTag", "ULONG", 35, 9), ("dwAlignPad", "ULONG", 36, 9), ("Value", "union _PV", 37, 13)
    ]
    assert [m.name for m in page.members] == ["ulPropTag", "dwAlignPad", "Value"]
    aggregates = {a.name: a for a in folder_models["es-ES-sxs"].aggregates}
    value = aggregates["SPropValue"]
    assert value.page == "es-ES-sxs/spropvalue.md"
    assert plain_text(value.summary.get("en-US") or ()) == "Describes a MAPI property."
    assert plain_text(value.summary.get("es-ES") or ()) == "Describe una propiedad MAPI."
    docs = {m.name: m.doc for m in value.members}
    assert plain_text(docs["dwAlignPad"].get("en-US") or ()) == "Reserved for MAPI; do not use."
    assert plain_text(docs["dwAlignPad"].get("es-ES") or ()) == "Reservado para MAPI; No use."
    assert "PT_I2 or PT_SHORT" in plain_text(docs["Value"].get("en-US") or ())  # the member's table is its text
    rows = {m.name: m for m in folder_models["en-US"].aggregates}["SRowSet"]
    assert [(m.name, bool(m.doc.get("en-US"))) for m in rows.members] == [("cRows", True), ("aRow", True)]
    assert "SRow" in plain_text(rows.summary.get("en-US") or ())


def test_translated_member_names(docs_pages: dict[str, dict[str, PageResult]]) -> None:
    result = docs_pages["es-ES"]["spropvalue.md"]
    assert isinstance(result.page, StructurePage)
    assert [m.name for m in result.page.members] == ["ulPropTag", "dwAlignPad", "Value"]
    (warning,) = [d for d in result.diagnostics if d.code == "member-name"]
    assert "'Valor'" in warning.message and "read as Value" in warning.message
    flags = docs_pages["en-US"]["mapinameid.md"].page  # the values a member takes stay in its text
    assert isinstance(flags, StructurePage)
    assert [m.name for m in flags.members] == ["lpguid", "ulKind", "Kind"]


def test_enum_and_macro_pages(docs_pages: dict[str, dict[str, PageResult]], folder_models: dict[str, Model]) -> None:
    sync = docs_pages["en-US"]["syncstate.md"].page
    assert isinstance(sync, StructurePage) and sync.kind == "enum"
    values = {m.name: m.value for m in sync.syntax}
    assert (values["LR_SYNC_IDLE"], values["LR_SYNC"], values["LR_SYNC_UPLOAD_MESSAGE_DEL"], values["LR_SYNC_DOWNLOAD_HEADER"]) == ("0", "1", "9", "17")
    enums = {e.name: e for e in folder_models["en-US"].enums}
    gender = enums["Gender"]
    assert gender.header == "" and gender.page == "en-US/gender.md"
    assert [(m.name, m.value) for m in gender.members][-2:] == [("genderCount", 3), ("genderMax", 2)]
    macro = {m.name: m for m in folder_models["es-ES-sxs"].macros}["PROP_TAG"]
    assert macro.syntax == "PROP_TAG (ulPropType, ulPropID)" and macro.header == "Mapidefs.h"
    assert [p.name for p in macro.params] == ["ulPropType", "ulPropID"]
    assert set(macro.summary.languages) == {"es-ES", "en-US"}


def test_anonymous_members_are_documented_on_the_outer_page(folder_models: dict[str, Model]) -> None:
    """CY (MAPIDefS.h: a union of an anonymous struct and int64) gets currency.md's Lo and Hi texts on its struct s."""
    aggregates = {a.name: a for a in folder_models["en-US"].aggregates}
    assert aggregates["CY"].page == "en-US/currency.md"
    assert [(m.name, bool(m.doc.get("en-US"))) for m in aggregates["CY_s"].members] == [("Lo", True), ("Hi", True)]
    assert [(m.name, bool(m.doc.get("en-US"))) for m in aggregates["DTPAGE_u"].members] == [("lpszComponent", True), ("ulItemID", True)]


def test_unreadable_syntax_blocks_are_located(docs_pages: dict[str, dict[str, PageResult]]) -> None:
    for name in ("dtpage.md", "uptble.md"):
        result = docs_pages["en-US"][name]
        assert isinstance(result.page, StructurePage) and result.page.syntax == ()
        (warning,) = [d for d in result.diagnostics if d.code == "syntax-block"]
        assert warning.loc is not None and warning.loc.file == name


HEADER = """\
typedef ULONG_PTR BOOKMARK;
#define BOOKMARK_BEGINNING ((BOOKMARK) 0)
#define BOOKMARK_END ((BOOKMARK) 2)
#define STYLE_DEFAULT (ULONG) -1
#define X400_ENV_PLAIN (ENV_BLANK)
#define ENV_BLANK 5
typedef enum tagSAVEOPTS
{
    SAVEOPTS_SAVEIFDIRTY = 0,
    SAVEOPTS_NOSAVE = 1,
    SAVEOPTS_PROMPTSAVE = BOOKMARK_END,
    SAVEOPTS_NEXT
} SAVEOPTS;
"""


def test_casts_to_typedefs_and_enumerations_of_a_header() -> None:
    (read,) = parse_headers([("h/MAPIDefS.h", HEADER)])
    constants = {c.name: (c.value, c.ctype) for c in read.constants}
    assert constants["BOOKMARK_BEGINNING"] == (0, "BOOKMARK") and constants["BOOKMARK_END"] == (2, "BOOKMARK")
    assert constants["STYLE_DEFAULT"] == (0xFFFFFFFF, "ULONG") and constants["X400_ENV_PLAIN"] == (5, "int")
    (enum,) = read.enums
    assert (enum.name, enum.tag, enum.header, enum.loc.line) == ("SAVEOPTS", "tagSAVEOPTS", "MAPIDefS.h", 7)
    assert [(m.name, m.value, m.loc.line) for m in enum.members] == [
        ("SAVEOPTS_SAVEIFDIRTY", 0, 9), ("SAVEOPTS_NOSAVE", 1, 10), ("SAVEOPTS_PROMPTSAVE", 2, 11), ("SAVEOPTS_NEXT", 3, 12)
    ]


def test_a_scoped_enumeration_is_read() -> None:
    """IMSCapabilities.h's ``enum class MSCAP_SELECTOR {...};`` (C++11) is an enumeration like a typedef'd one."""
    text = "/* Selector values */\nenum class MSCAP_SELECTOR\n{\n\tMSCAP_SEL_RESERVED1   = 0,\n\tMSCAP_SEL_FOLDER = 2,\n\tMSCAP_SEL_NEXT,\n};\n"
    (read,) = parse_headers([("h/IMSCapabilities.h", text)])
    (enum,) = read.enums
    assert (enum.name, enum.tag, enum.header, enum.loc.line) == ("MSCAP_SELECTOR", "MSCAP_SELECTOR", "IMSCapabilities.h", 2)
    assert [(m.name, m.value, m.loc.line) for m in enum.members] == [("MSCAP_SEL_RESERVED1", 0, 4), ("MSCAP_SEL_FOLDER", 2, 5), ("MSCAP_SEL_NEXT", 3, 6)]
