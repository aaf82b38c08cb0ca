"""The data types of one build of the four docs folders with Microsoft's headers (issue #15's "Done when").

``data_model`` (conftest.py) is that build, made once per session without the
embedded IDL, so what the headers and the pages give is measured.  The tests
assert the counts read, the spot values, that every finding of the data types
fires where the corpus has a case of it (located on the page that has it), that
every flag a method page lists resolves to a header's value or is a finding, and
that the bindings this build writes hold every ``PR_`` tag with its value.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from conftest import CORPUS_FOLDERS
from test_reference import require_microsoft_headers

from generator.backends.model_json import render_model_json
from generator.backends.python import render_python
from generator.frontends.header import parse_headers
from generator.model import Model, ParamFlag
from generator.sources import Sources
from generator.views import views_of

# Findings of the data types: how many, and on which pages (each folder's page has its own).
FINDINGS = {
    "struct-page-members": 28,  # 7 pages a folder: flaglist.md's ulFlags for ulFlag, notification.md without ulAlignPad, ...
    "member-doc-unknown": 16,
    "struct-page-orphan": 136,  # 34 a folder with these headers: pages of types no header declares (feid.md, upmsg.md, ...)
    "property-id-mismatch": 12,  # pidtagmailboxownername: 0x001F where the id belongs, for its 3 PR_ names
    "property-type-mismatch": 30,
    "property-docs-only": 1012,  # 253 a folder
    "property-id-unreadable": 28,  # TBD, 0x3439000, a whole tag: 7 a folder
    "property-type-unknown": 35,  # PT_GUID, PT_MV_UNICODE8, TBD, Boolean, and property-types.md's PT_MV_12, ...
    "property-types-page": 32,  # property-types.md against the headers: 8 a folder
    "flag-unknown": 94,  # method pages are merged: the first folder's (en-US) page is located
}


def _pages(model: Model, code: str) -> set[str]:
    return {d.loc.file for d in model.diagnostics if d.code == code and d.loc is not None}


def test_counts_read(data_model: Model) -> None:
    kinds = Counter(a.kind for a in data_model.aggregates)
    assert kinds == {"struct": 99, "union": 9} and sum(a.nested for a in data_model.aggregates) == 12
    assert sum(bool(a.page) for a in data_model.aggregates) == 82  # structures with a page, of 96 top-level ones
    names = Counter("PR_" if c.name.startswith("PR_") else "PT_" if c.name.startswith("PT_") else "other" for c in data_model.constants)
    assert names == {"PR_": 2390, "PT_": 47, "other": 1096}
    assert (len(data_model.property_tags), len(data_model.property_types), len(data_model.guids)) == (2390, 47, 24)
    assert Counter(p.kind for p in data_model.properties) == {"tag": 638, "lid": 278, "name": 51}
    listed = [t for p in data_model.properties for t in p.tags]
    assert (len(listed), len({t.name for t in listed}), sum(t.docs_only for t in listed)) == (1065, 1062, 253)
    assert (len(data_model.enums), len(data_model.macros)) == (9, 41)
    enums = {e.name: e for e in data_model.enums}
    assert {n for n, e in enums.items() if e.header} == {"ACTTYPE", "MSCAP_SELECTOR", "SAVEOPTS"}  # the others: their pages' own
    selector = enums["MSCAP_SELECTOR"]  # "enum class" in IMSCapabilities.h, documented by mscap_selector.md
    assert (selector.header, selector.page, selector.loc.line) == ("IMSCapabilities.h", "en-US/mscap_selector.md", 29)
    assert [(m.name, m.value) for m in selector.members][-1] == ("MSCAP_SEL_RESTRICTION", 4)


def test_spot_values(data_model: Model) -> None:
    constants = {c.name: c for c in data_model.constants}
    assert constants["PR_DISPLAY_NAME_W"].value == 0x3001001F == constants["PR_DISPLAY_NAME"].value
    assert (constants["MAPI_BEST_ACCESS"].value, constants["MAPI_BEST_ACCESS"].header) == (0x10, "MAPIDefS.h")
    value = {a.name: a for a in data_model.aggregates}["SPropValue"]
    assert [(m.name, str(m.type)) for m in value.members] == [("ulPropTag", "ULONG"), ("dwAlignPad", "ULONG"), ("Value", "union _PV")]
    assert value.header == "MAPIDefS.h" and value.page == "en-US/spropvalue.md"
    view = {s.name: s for s in views_of(data_model).data.structures}["SPropValue"]
    assert [(m.name, m.win32.offset, m.win64.offset) for m in view.members] == [("ulPropTag", 0, 0), ("dwAlignPad", 4, 4), ("Value", 8, 8)]
    assert (view.win32.size, view.win64.size) == (16, 24)
    properties = {p.name: p for p in data_model.properties}
    email = properties["PidLidEmail1DisplayName"]
    assert (email.kind, email.property_set, email.lid, email.types) == ("lid", "PSETID_Address", 0x8080, ("PT_UNICODE",))
    assert email.pages == tuple(f"{folder}/pidlidemail1displayname-canonical-property.md" for folder in CORPUS_FOLDERS)
    display = properties["PidTagDisplayName"]
    assert {t.name: t.value for t in display.tags}["PR_DISPLAY_NAME_W"] == 0x3001001F


def test_every_finding_fires_where_the_corpus_has_a_case(data_model: Model) -> None:
    codes = Counter(d.code for d in data_model.diagnostics)
    assert {code: codes[code] for code in FINDINGS} == FINDINGS
    located = [d for d in data_model.diagnostics if d.code in FINDINGS]
    assert all(d.loc is not None and d.loc.file.endswith(".md") and d.loc.line > 1 for d in located)
    for code in set(FINDINGS) - {"flag-unknown"}:
        assert {f.split("/")[0] for f in _pages(data_model, code)} == set(CORPUS_FOLDERS), code
    assert {f"{folder}/{page}" for folder in CORPUS_FOLDERS for page in ("flaglist.md", "smapiverb.md", "notification.md")} <= _pages(
        data_model, "struct-page-members"
    )
    assert "es-ES/pidtagmailboxownername-canonical-property.md" in _pages(data_model, "property-id-mismatch")
    assert "es-ES-sxs/pidtagorgemailaddress-canonical-property.md" in _pages(data_model, "property-id-unreadable")
    assert "en-US-2018/pidtagformdesignerguid-canonical-property.md" in _pages(data_model, "property-type-unknown")
    assert "en-US/pidtag7bitdisplayname-canonical-property.md" in _pages(data_model, "property-docs-only")
    assert {f"{folder}/property-types.md" for folder in CORPUS_FOLDERS} == _pages(data_model, "property-types-page")
    messages = {d.message for d in data_model.diagnostics if d.code == "flag-unknown"}
    assert "IAddrBook::OpenEntry parameter ulFlags lists the flag MAPI_GAL_ONLY, which no header defines" in messages
    (undocumented,) = [d for d in data_model.diagnostics if d.code == "struct-undocumented"]
    assert undocumented.message.startswith("14 structure(s) and union(s) of the headers have no structure page")


def test_every_flag_a_method_page_names_resolves_or_is_a_finding(data_model: Model) -> None:
    findings = {(d.interface, d.message) for d in data_model.diagnostics if d.code == "flag-unknown"}
    constants = {c.name: c.value for c in data_model.constants}
    resolved = unknown = 0
    for itf in views_of(data_model).interfaces.interfaces:
        for method in itf.methods:
            for param in method.params:
                for flag in param.flags:
                    if flag.value is not None:
                        assert constants[flag.name] == flag.value
                        resolved += 1
                        continue
                    unknown += 1
                    where = f"{method.interface}::{method.name} parameter {param.c_name}"
                    assert (method.interface, f"{where} lists the flag {flag.name}, which no header defines") in findings
    assert (resolved, unknown) == (481, 94) and unknown == len(findings)


def test_the_bindings_of_this_build_hold_every_pr_tag_of_microsofts_headers(data_model: Model, tmp_path: Path) -> None:
    """Read the headers again, independently of the build, and import the package the build writes."""
    files = [(item.path.name, item.path.read_text(encoding="utf-8", errors="replace")) for item in Sources(None, headers=(require_microsoft_headers(),)).files()]
    tags = {c.name: c.value for f in parse_headers(files) for c in f.constants if c.name.startswith("PR_")}
    assert len(tags) == 2390
    for rel, text in render_python(data_model).items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    check = "import json, sys, mapi_bindings as m\njson.dump({n: getattr(m, n, None) for n in json.load(sys.stdin)}, sys.stdout)"
    result = subprocess.run(
        [sys.executable, "-c", check], input=json.dumps(sorted(tags)), cwd=tmp_path / "python", capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    bound = json.loads(result.stdout)
    assert {name: value for name, value in tags.items() if bound[name] != value} == {}


def test_flags_per_parameter_are_in_the_model_and_model_json(data_model: Model) -> None:
    session = next(i for i in data_model.interfaces if i.name == "IMAPISession")
    store = next(m for m in session.methods if m.name == "OpenMsgStore")
    flags = {f.name: f for p in store.params if p.name == "ulFlags" for f in p.flags}
    assert (flags["MAPI_BEST_ACCESS"].value, flags["MAPI_BEST_ACCESS"].header) == (0x10, "MAPIDefS.h")
    assert flags["MDB_NO_DIALOG"].value == 0x1
    book = next(i for i in data_model.interfaces if i.name == "IAddrBook")
    entry = next(p for m in book.methods if m.name == "OpenEntry" for p in m.params if p.name == "ulFlags")
    assert ParamFlag("MAPI_GAL_ONLY", None, "") in entry.flags  # no header defines it: a flag-unknown finding
    document = json.loads(render_model_json(data_model)["model.json"])
    methods = {(i["name"], m["name"]): m for i in document["interfaces"] for m in i["methods"]}
    (listed,) = [p["flags"] for p in methods[("IMAPISession", "OpenMsgStore")]["params"] if p["name"] == "ulFlags"]
    assert {"name": "MAPI_BEST_ACCESS", "value": "0x00000010", "header": "MAPIDefS.h"} in listed
