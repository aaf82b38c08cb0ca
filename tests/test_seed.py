"""The founding page and specs/: what the default build reads and writes."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from conftest import GENERATED, SPECS

from generator.build import build_model, render_all
from generator.frontends.page import parse_page
from generator.model import InterfacePage
from generator.outputs import check_outputs
from generator.sources import Sources

SPANISH = "Proporciona acceso a la sesión MAPI actual asociado con el objeto de soporte."
ENGLISH = "Provides access to the current MAPI session associated with the support object."
SEED = SPECS / "pages" / "imapigetsessioniunknown.md"


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return render_all(build_model(Sources(SPECS)))


def test_seed_page_is_read_in_both_languages() -> None:
    result = parse_page("seed.md", SEED.read_text(encoding="utf-8"))
    page = result.page
    assert isinstance(page, InterfacePage)
    assert (page.name, page.base, page.iid_symbol) == ("IMAPIGetSession", "IUnknown", "IID_IMAPIGetSession")
    assert result.languages == ("es-ES", "en-US")
    assert [row.name for row in page.vtable] == ["GetMAPISession"]
    assert page.vtable[0].target == "imapigetsession-getmapisession.md"
    assert (page.vtable[0].loc.line, page.vtable[0].loc.column) == (40, 1)
    assert (page.loc.line, page.loc.column) == (22, 1)
    spanish = page.description.get("es-ES")
    english = page.description.get("en-US")
    assert spanish is not None and english is not None
    assert [p.target for p in page.see_also] == [
        "imapigetsession-getmapisession.md",
        "imapisupportiunknown.md",
        "mapi-interfaces.md",
        "support-object-overview.md",
    ]


def test_model_json_facts(files: dict[str, str]) -> None:
    model = json.loads(files["model.json"])
    by_name = {i["name"]: i for i in model["interfaces"]}
    assert len(by_name) == 69
    assert {"IUnknown", "IMAPIGetSession", "IMAPIProp", "IMAPISession", "IMAPISupport", "ISpoolerHook"} <= set(by_name)
    itf = by_name["IMAPIGetSession"]
    assert itf["base"] == "IUnknown"
    assert itf["iid"] == "{614AB435-491D-4F5B-A8B4-60EB031030C6}"
    assert itf["vtable"] == ["QueryInterface", "AddRef", "Release", "GetMAPISession"]
    (method,) = itf["methods"]
    assert method["slot"] == 3
    assert [(p["name"], p["direction"], p["type"]) for p in method["params"]] == [("lppSession", "out", "LPUNKNOWN *")]
    assert itf["description"]["es-ES"].startswith(SPANISH)
    assert itf["description"]["en-US"].startswith(ENGLISH)
    session = by_name["IMAPISession"]["vtable"]
    assert session[3:] == [
        "GetLastError", "GetMsgStoresTable", "OpenMsgStore", "OpenAddressBook", "OpenProfileSection",
        "GetStatusTable", "OpenEntry", "CompareEntryIDs", "Advise", "Unadvise", "MessageOptions",
        "QueryDefaultMessageOpt", "EnumAdrTypes", "QueryIdentity", "Logoff", "SetDefaultStore",
        "AdminServices", "ShowForm", "PrepareForm",
    ]
    assert by_name["IMAPISession"]["iid"] == "{00020300-0000-0000-C000-000000000046}"
    assert len(by_name["IMAPIProp"]["vtable"]) == 14
    assert model["languages"] == ["es-ES", "en-US"]


def test_both_languages_reach_docstring_and_doc_page(files: dict[str, str]) -> None:
    tree = ast.parse(files["python/mapi_bindings/interfaces.py"])
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    doc = ast.get_docstring(classes["IMAPIGetSession"]) or ""
    assert SPANISH in doc and ENGLISH in doc
    assert ENGLISH in files["docs/en-US/IMAPIGetSession.html"]
    assert SPANISH in files["docs/es-ES/IMAPIGetSession.html"]
    assert "GetMAPISession" in files["docs/en-US/index.html"] and "GetMAPISession" in files["docs/es-ES/index.html"]


def test_committed_output_is_current(files: dict[str, str]) -> None:
    result = check_outputs(files, GENERATED)
    assert result.ok, f"run python -m generator build: {result}"


def test_generated_files_match_golden(files: dict[str, str]) -> None:
    """The committed tree is the golden output of the seed; any drift shows as a diff."""
    import difflib

    for rel, text in files.items():
        committed = (GENERATED / rel).read_text(encoding="utf-8") if (GENERATED / rel).is_file() else ""
        if committed != text:
            diff = "".join(difflib.unified_diff(committed.splitlines(True), text.splitlines(True), rel, rel, n=2))
            pytest.fail(f"{rel} differs from the committed output (run python -m generator build):\n{diff[:4000]}")


def test_output_paths_are_relative(files: dict[str, str]) -> None:
    for rel, text in files.items():
        assert not Path(rel).is_absolute()
        assert str(Path.cwd().resolve()) not in text, rel
