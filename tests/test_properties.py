"""Canonical property pages of the four docs folders, against Microsoft's headers.

The property pages of each folder (``pid*.md`` and ``property-types.md``) are
read once per session and reconciled with the constants of a build on
Microsoft's headers alone; one whole build (en-US with those headers) checks
what reaches the model, model.json, ``diff`` and the bindings.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CORPUS_FOLDERS, SPECS, require_corpus, require_tool
from test_reference import require_microsoft_headers

from generator.backends.model_json import render_model_json
from generator.backends.python import render_python
from generator.build import build_model
from generator.diff import diff_models
from generator.frontends.page import PageKind, parse_page
from generator.model import Constant, Diagnostic, Model, Property, PropertyPage, PropertyTypesPage
from generator.property_merge import merge_properties
from generator.sources import Sources

# folder: canonical properties (PidTag), named ones (PidLid, PidName), PR_ names the pages list
# (and how many distinct), of them docs only.  Every folder documents the same 967 properties;
# 12 pages say "Property type:" for "Data type:", and are read all the same.
COUNTS = {folder: (638, (278, 51), (1065, 1062), 253) for folder in CORPUS_FOLDERS}
# Findings per folder (docs-only ones are COUNTS' last figure).
FINDINGS = {
    "en-US": {"property-type-unknown": 8, "property-types-page": 8, "property-id-unreadable": 7,
              "property-type-mismatch": 6, "property-id-mismatch": 3},
    **{folder: {"property-type-unknown": 9, "property-types-page": 8, "property-id-unreadable": 7,
                "property-type-mismatch": 8, "property-id-mismatch": 3} for folder in ("en-US-2018", "es-ES", "es-ES-sxs")},
}
PROPERTY_TYPE_LABEL = (
    "pidtagaddressbookchoosedirectoryautomatically", "pidtagagingperiod", "pidtagconflictitems",
    "pidtagprofileserverfullversion", "pidtagprofileserverversion", "pidtagrpcoverhttpproxyprincipalname",
    "pidtagrpcoverhttpproxyserver", "pidtagsearchattachments", "pidtagsearchownerid",
    "pidtagsearchrecipientemailbcc", "pidtagsearchrecipientemailcc", "pidtagsearchrecipientemailto",
)


@pytest.fixture(scope="session")
def header_constants() -> tuple[Constant, ...]:
    """The constants (PT_, PR_ among them) of Microsoft's headers."""
    return build_model(Sources(SPECS, headers=(require_microsoft_headers(),), read_idl=False)).constants


@pytest.fixture(scope="session")
def property_pages() -> dict[str, list[PropertyPage | PropertyTypesPage]]:
    """Every property page of every folder, read once per session (the canonical-property kind, and property-types.md)."""
    found: dict[str, list[PropertyPage | PropertyTypesPage]] = {}
    for folder in CORPUS_FOLDERS:
        pages: list[PropertyPage | PropertyTypesPage] = found.setdefault(folder, [])
        for path in sorted((require_corpus() / folder).glob("*.md")):
            if path.name.startswith("pid") or path.name == "property-types.md":
                result = parse_page(f"{folder}/{path.name}", path.read_text(encoding="utf-8"))
                assert result.kind in (PageKind.PROPERTY, PageKind.PROPERTY_TYPE), path
                assert isinstance(result.page, (PropertyPage, PropertyTypesPage)), path
                pages.append(result.page)
    return found


@pytest.fixture(scope="session")
def reconciled(
    property_pages: dict[str, list[PropertyPage | PropertyTypesPage]], header_constants: tuple[Constant, ...]
) -> dict[str, tuple[dict[str, Property], tuple[Diagnostic, ...]]]:
    """Each folder's properties by name, and its findings."""
    out = {}
    for folder, pages in property_pages.items():
        properties, findings = merge_properties(pages, header_constants)
        out[folder] = ({p.name: p for p in properties}, findings)
    return out


@pytest.fixture(scope="session")
def english_model() -> Model:
    """en-US with Microsoft's headers, built once."""
    return build_model(Sources(SPECS, (require_corpus() / "en-US",), (require_microsoft_headers(),)))


@pytest.mark.parametrize("folder", CORPUS_FOLDERS)
def test_counts_per_folder(folder: str, reconciled: dict[str, tuple[dict[str, Property], tuple[Diagnostic, ...]]]) -> None:
    properties, findings = reconciled[folder]
    tagged, named, listed, docs_only = COUNTS[folder]
    kinds = Counter(p.kind for p in properties.values())
    assert (kinds["tag"], (kinds["lid"], kinds["name"])) == (tagged, named)
    tags = [t for p in properties.values() for t in p.tags]
    assert (len(tags), len({t.name for t in tags})) == listed
    assert sum(t.docs_only for t in tags) == docs_only
    codes = Counter(f.code for f in findings)
    assert codes.pop("property-docs-only") == docs_only
    assert dict(codes) == FINDINGS[folder]


@pytest.mark.parametrize("folder", CORPUS_FOLDERS)
def test_spot_values(folder: str, reconciled: dict[str, tuple[dict[str, Property], tuple[Diagnostic, ...]]]) -> None:
    properties, _ = reconciled[folder]
    display = properties["PidTagDisplayName"]
    assert (display.kind, display.prop_id, display.types) == ("tag", 0x3001, ("PT_STRING8", "PT_UNICODE"))
    tags = {t.name: t for t in display.tags}
    assert tags["PR_DISPLAY_NAME_W"].value == 0x3001001F and tags["PR_DISPLAY_NAME_A"].value == 0x3001001E
    assert tags["PR_DISPLAY_NAME"].value == 0x3001001F and tags["PR_DISPLAY_NAME_W"].header == "MAPITags.h"
    assert not any(t.docs_only for t in display.tags)
    email = properties["PidLidEmail1DisplayName"]
    assert (email.kind, email.property_set, email.lid, email.types) == ("lid", "PSETID_Address", 0x8080, ("PT_UNICODE",))
    assert email.aliases == ("dispidEmail1DisplayName",) and email.tags == ()
    areas = {"es-ES": (("es-ES", "MAPI común"),), "es-ES-sxs": (("en-US", "MAPI common"), ("es-ES", "MAPI comunes"))}
    assert display.area.items == areas.get(folder, (("en-US", "MAPI common"),))
    keywords = properties["PidNameKeywords"]
    # es-ES's machine translation translates the name, an identifier (so English pages' facts win in a merge).
    name = "Palabras clave" if folder == "es-ES" else "Keywords"
    assert (keywords.kind, keywords.property_set, keywords.property_name, keywords.types) == ("name", "PS_PUBLIC_STRINGS", name, ("PT_MV_UNICODE",))
    # A tag page that gives its id on a "Long ID" row, and one whose type row is "Property type:".
    assert properties["PidTagSpamThreshold"].prop_id == 0x041B
    assert properties["PidTagSearchOwnerId"].types == ("PT_LONG",)


def test_english_facts_win_over_translated_ones(
    property_pages: dict[str, list[PropertyPage | PropertyTypesPage]], header_constants: tuple[Constant, ...]
) -> None:
    properties, _ = merge_properties(property_pages["es-ES"] + property_pages["en-US"], header_constants)
    keywords = next(p for p in properties if p.name == "PidNameKeywords")
    assert keywords.property_name == "Keywords" and keywords.pages == ("es-ES/pidnamekeywords-canonical-property.md", "en-US/pidnamekeywords-canonical-property.md")
    assert keywords.description.languages == ("en-US", "es-ES")


def test_property_type_label_is_read(property_pages: dict[str, list[PropertyPage | PropertyTypesPage]]) -> None:
    """The 12 pages that say "Property type:" (Spanish "Tipo de propiedad:") have their types read, with no finding."""
    for folder, pages in property_pages.items():
        by_file = {Path(p.path).name.removesuffix("-canonical-property.md"): p for p in pages if isinstance(p, PropertyPage)}
        for name in PROPERTY_TYPE_LABEL:
            row = by_file[name].data_type
            assert row is not None and row.text.startswith("PT_"), (folder, name)


def test_side_by_side_pages_give_both_languages(property_pages: dict[str, list[PropertyPage | PropertyTypesPage]]) -> None:
    page = next(p for p in property_pages["es-ES-sxs"] if isinstance(p, PropertyPage) and p.name == "PidTagDisplayName")
    assert page.area.items == (("en-US", "MAPI common"), ("es-ES", "MAPI comunes"))
    assert page.identifier is not None and page.identifier.text == "0x3001" and page.identifier.loc.line == 33
    assert page.description.languages == ("en-US", "es-ES") and page.remarks.languages == ("en-US", "es-ES")
    spanish = next(p for p in property_pages["es-ES"] if isinstance(p, PropertyPage) and p.name == "PidTagDisplayName")
    assert spanish.area.items == (("es-ES", "MAPI común"),) and spanish.description.languages == ("es-ES",)


def _at(findings: tuple[Diagnostic, ...], code: str) -> set[tuple[str, int]]:
    return {(Path(f.loc.file).name, f.loc.line) for f in findings if f.code == code and f.loc is not None}


def test_every_finding_fires_where_the_corpus_has_a_case(reconciled: dict[str, tuple[dict[str, Property], tuple[Diagnostic, ...]]]) -> None:
    properties, findings = reconciled["en-US"]
    unreadable = _at(findings, "property-id-unreadable")
    assert ("pidtagorgemailaddress-canonical-property.md", 26) in unreadable  # TBD
    assert ("pidtaginferenceenabled-canonical-property.md", 26) in unreadable  # 0x3439000, truncated
    assert ("pidtagprofilehomeserverfqdn-canonical-property.md", 28) in unreadable  # 0x662A001F, a whole tag
    assert properties["PidTagProfileHomeServerFQDN"].prop_id == 0x662A and properties["PidTagInferenceEnabled"].prop_id is None
    unknown = {f.message.split("'")[1] for f in findings if f.code == "property-type-unknown" and "'" in f.message}
    assert {"PT_GUID", "PT_MV_UNICODE8", "TBD", "None", "Boolean"} <= unknown
    assert ("pidtagformdesignerguid-canonical-property.md", 29) in _at(findings, "property-type-unknown")
    mismatch = [f for f in findings if f.code == "property-id-mismatch"]
    assert {Path(f.loc.file).name for f in mismatch if f.loc} == {"pidtagmailboxownername-canonical-property.md"}
    assert "0x001F" in mismatch[0].message and "0x661C" in mismatch[0].message  # the page puts the type where the id belongs
    assert ("pidtagmembername-canonical-property.md", 29) in _at(findings, "property-type-mismatch")
    docs_only = [f for f in findings if f.code == "property-docs-only"]
    assert any("PR_7BIT_DISPLAY_NAME_W" in f.message and "0x39FF001F" in f.message for f in docs_only)
    assert ("pidtag7bitdisplayname-canonical-property.md", 27) in _at(findings, "property-docs-only")
    assert any("PR_ORG_EMAIL_ADDRESS_W" in f.message and "has no value" in f.message for f in docs_only)
    seven = {t.name: t for t in properties["PidTag7BitDisplayName"].tags}
    assert seven["PR_7BIT_DISPLAY_NAME_A"].value == 0x39FF001E and seven["PR_7BIT_DISPLAY_NAME_A"].docs_only
    types_page = [f.message for f in findings if f.code == "property-types-page"]
    assert any("no row for PT_UNICODE" in m for m in types_page)
    assert any(m.startswith("PT_TSTRING is 0x001F") and "001F" in m for m in types_page)
    assert ("property-types.md", 34) in _at(findings, "property-type-unknown")  # PT_BOOLEAN (PT_MV_12)


def test_the_model_and_model_json_carry_properties(english_model: Model) -> None:
    assert len(english_model.properties) == 967
    assert english_model.page_kinds[[k for k, _ in english_model.page_kinds].index("canonical property")][1] == 973
    document = json.loads(render_model_json(english_model)["model.json"])
    display = next(p for p in document["properties"] if p["name"] == "PidTagDisplayName")
    assert display["id"] == "0x3001" and display["types"] == ["PT_STRING8", "PT_UNICODE"]
    assert {"name": "PR_DISPLAY_NAME_W", "tag": "0x3001001F", "header": "MAPITags.h", "docs_only": False} in display["tags"]
    assert display["area"] == {"en-US": "MAPI common"} and display["description"]["en-US"].startswith("Contains the display name")
    email = next(p for p in document["properties"] if p["name"] == "PidLidEmail1DisplayName")
    assert (email["property_set"], email["lid"], email["types"]) == ("PSETID_Address", "0x00008080", ["PT_UNICODE"])
    codes = Counter(d["code"] for d in document["diagnostics"])
    assert codes["property-docs-only"] == 253 and codes["property-id-unreadable"] == 7


def test_diff_reports_properties(english_model: Model) -> None:
    properties = {p.name: p for p in english_model.properties}
    changed = replace(properties["PidTagDisplayName"], prop_id=0x3002)
    kept = [p for n, p in properties.items() if n not in ("PidLidEmail1DisplayName", "PidTagDisplayName")]
    extra = replace(properties["PidTagSubject"], name="PidTagInvented")
    newer = replace(english_model, properties=tuple(sorted([*kept, changed, extra], key=lambda p: p.name)))
    changes = {(c.kind, c.interface): c for c in diff_models(english_model, newer).changes}
    assert ("canonical-removed", "PidLidEmail1DisplayName") in changes and ("canonical-added", "PidTagInvented") in changes
    assert changes[("canonical-changed", "PidTagDisplayName")].detail == "id 0x3001 -> 0x3002"
    assert len(changes) == 3 and not any(c.abi for c in changes.values())


def test_bindings_reach_every_property_by_its_canonical_name(english_model: Model, tmp_path: Path) -> None:
    """The bindings of the en-US build: each property by name, docs-only tags bound and marked; ruff and mypy --strict clean."""
    for rel, text in render_python(english_model).items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    check = """
import mapi_bindings as m
d = m.PidTagDisplayName
assert isinstance(d, m.TaggedProperty) and d.id == 0x3001 and d.types == (m.PT_STRING8, m.PT_UNICODE), d
assert dict(d.tags)["PR_DISPLAY_NAME_W"] == m.PR_DISPLAY_NAME_W == 0x3001001F and d.docs_only == ()
e = m.PidLidEmail1DisplayName
assert isinstance(e, m.NamedProperty) and e.property_set == "PSETID_Address" and e.guid == m.PSETID_Address
assert e.lid == 0x8080 and e.types == (m.PT_UNICODE,) and e.area == "Contact"
assert m.PR_7BIT_DISPLAY_NAME_W == 0x39FF001F and "PR_7BIT_DISPLAY_NAME_W" in m.DOCS_ONLY_TAGS
assert m.PidTag7BitDisplayName.docs_only == ("PR_7BIT_DISPLAY_NAME_A", "PR_7BIT_DISPLAY_NAME_W")
assert m.PidNameKeywords.property_name == "Keywords" and m.PidNameKeywords.lid is None
names = [n for n in m.__all__ if n.startswith("Pid")]
print(len(names), len(m.DOCS_ONLY_TAGS))
"""
    result = subprocess.run([sys.executable, "-c", check], cwd=tmp_path / "python", capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    # 253 docs-only names, of which 5 have no value (the id is TBD or 0x3439000, the type PT_MV_UNICODE8)
    assert result.stdout.split() == ["967", "248"]
    package = tmp_path / "python" / "mapi_bindings"
    ruff = subprocess.run([require_tool("ruff"), "check", "--isolated", "--no-cache", str(package)], capture_output=True, text=True, check=False)
    assert ruff.returncode == 0, ruff.stdout
    require_tool("mypy")
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null", str(package / "properties.py")],
        capture_output=True, text=True, check=False, cwd=tmp_path / "python",
    )
    assert mypy.returncode == 0, mypy.stdout
