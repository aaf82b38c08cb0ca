"""Function pages: read in every docs folder, merged with the headers' functions (directions, prose, findings)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS_FOLDERS, SPECS

from generator.backends.model_json import render_model_json
from generator.build import build_model
from generator.frontends.page import PageKind, parse_page
from generator.frontends.page.csyntax import NotAPrototype, read_prototype
from generator.model import Direction, FunctionPage, Model
from generator.sources import Sources

# Every figure read from each folder, by name: the one place to update when classification changes.
# pages: function pages read; header_rows: those with a "Header file:" row; params: documented
# parameters; declared: documented functions a header declares; findings: the function findings
# that fire, by code (function-undeclared: documented, no header declares it; param-name: the page
# names a parameter otherwise than the header).
FIGURES: dict[str, dict[str, Any]] = {
    "en-US": {"pages": 142, "header_rows": 124, "params": 489, "declared": 117,
              "findings": {"function-undeclared": 25, "param-name": 116}},
    "en-US-2018": {"pages": 140, "header_rows": 123, "params": 484, "declared": 116,
                   "findings": {"function-undeclared": 24, "param-name": 116}},
    "es-ES": {"pages": 141, "header_rows": 122, "params": 478, "declared": 116,
              "findings": {"function-undeclared": 25, "param-name": 118}},
    "es-ES-sxs": {"pages": 140, "header_rows": 123, "params": 484, "declared": 116,
                  "findings": {"function-undeclared": 24, "param-name": 116}},
}
FUNCTION_CODES = ("function-undeclared", "function-params", "param-name", "page-type", "direction-mismatch")


def _function_findings(model: Model) -> Counter[str]:
    return Counter(d.code for d in model.diagnostics if d.interface is None and d.code in FUNCTION_CODES)


@pytest.mark.parametrize("name", CORPUS_FOLDERS)
def test_counts_read(name: str, docs_pages: dict[str, dict[str, Any]], folder_models: dict[str, Model]) -> None:
    pages = [r.page for r in docs_pages[name].values() if r.kind is PageKind.FUNCTION]
    assert all(isinstance(p, FunctionPage) for p in pages)
    figures = FIGURES[name]
    model = folder_models[name]
    read = {
        "pages": len(pages),
        "header_rows": sum(p.header_file is not None for p in pages),
        "params": sum(len(p.params) for p in pages),
        "declared": len(model.function_pages) - len(model.undeclared_functions),
        "findings": dict(_function_findings(model)),  # no function-params, page-type: counts and types agree
    }
    assert read == figures
    assert len(model.function_pages) == figures["pages"]  # one record per documented function
    assert len(model.undeclared_functions) == figures["findings"]["function-undeclared"]


def test_undeclared_functions_are_listed(folder_models: dict[str, Model]) -> None:
    model = folder_models["en-US"]
    names = {p.name for p in model.undeclared_functions}
    assert {"HrGetAutoDiscoverXML", "FtAdcFt", "CreateMAPIInitializationMonitor", "ValidateParameters"} <= names
    assert not names & {f.name for f in model.functions}
    document = json.loads(render_model_json(model)["model.json"])
    listed = {p["name"] for p in document["function_pages"] if not p["declared"]}
    assert listed == names


def test_mapilogonex_from_its_pages(folder_models: dict[str, Model], docs_pages: dict[str, dict[str, Any]]) -> None:
    page = docs_pages["en-US"]["mapilogonex.md"].page
    assert isinstance(page, FunctionPage)
    assert (page.name, page.header_file, str(page.return_type)) == ("MAPILogonEx", "Mapix.h", "HRESULT")
    expected = [Direction.IN, Direction.IN, Direction.IN, Direction.IN, Direction.OUT]
    assert [p.direction for p in page.params] == expected
    assert [p.name for p in page.params] == ["ulUIParam", "lpszProfileName", "lpszPassword", "flFlags", "lppSession"]
    for name in CORPUS_FOLDERS:
        logon = next(f for f in folder_models[name].functions if f.name == "MAPILogonEx")
        assert [(p.name, p.direction) for p in logon.params] == list(
            zip(["ulUIParam", "lpszProfileName", "lpszPassword", "ulFlags", "lppSession"], expected)
        )
    sxs = next(p for p in folder_models["es-ES-sxs"].function_pages if p.name == "MAPILogonEx")
    assert sxs.summary.languages == ("es-ES", "en-US")  # prose per language
    assert sxs.params[0].text.languages == ("es-ES", "en-US")


def test_hrqueryallrows_exports(folder_models: dict[str, Model]) -> None:
    document = json.loads(render_model_json(folder_models["en-US"])["model.json"])
    query = next(f for f in document["functions"] if f["name"] == "HrQueryAllRows")
    assert query["exports"] == {"win64": "HrQueryAllRows", "win32": "HrQueryAllRows@24"}
    assert [p["direction"] for p in query["params"]] == ["in", "in", "in", "in", "in", "out"]
    page = next(p for p in document["function_pages"] if p["name"] == "HrQueryAllRows")
    assert page["header_file"] == "Mapiutil.h" and page["pages"] == ["en-US/hrqueryallrows.md"]


def test_the_embedded_idl_carries_the_pages_directions(embedded_model: Model) -> None:
    model = embedded_model
    query = next(f for f in model.functions if f.name == "HrQueryAllRows")
    assert query.params[-1].direction is Direction.OUT and query.params[0].direction is Direction.IN


_PAGE = """---
title: MAPILogonEx
---
# MAPILogonEx

Logs on.

|Property|Value|
|:-----|:-----|
|Header file:  <br/> |Mapix.h  <br/> |
|Implemented by:  <br/> |MAPI  <br/> |

```cpp
HRESULT MAPILogonEx(
  ULONG ulUIParam,
  LPSTR lpszProfileName,
  LPSTR lpszPassword,
  FLAGS flFlags
);
```

## Parameters

_ulUIParam_

> [in] A window.

_lpszProfileName_

> [in] A profile.

_lpszPassword_

> [in] A password.

_flFlags_

> [in] Flags.

## Return value

S_OK

> It worked.
"""


def test_findings_of_a_page_that_disagrees_with_the_header(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "mapilogonex.md").write_text(_PAGE, encoding="utf-8")
    (docs / "mapinothing.md").write_text(_PAGE.replace("MAPILogonEx", "MAPINothing"), encoding="utf-8")
    model = build_model(Sources(SPECS, (docs,)))
    found = Counter(d.code for d in model.diagnostics if d.interface is None and d.code in FUNCTION_CODES)
    assert found == {"function-params": 1, "page-type": 1, "function-undeclared": 1}
    places = {d.code: (d.loc.line, d.loc.column) for d in model.diagnostics if d.code in FUNCTION_CODES and d.loc}
    # At the syntax block's first parameter (line 15, "  ULONG ulUIParam,": its type's first letter,
    # not the end of the line above), and at the undeclared function's title.
    assert places == {"function-params": (15, 3), "page-type": (15, 3), "function-undeclared": (4, 1)}
    message = next(d.message for d in model.diagnostics if d.code == "function-params")
    assert message == "MAPILogonEx has 4 parameter(s) in the page's syntax block and 5 in specs/idl/mapifunctions.idl; specs/idl/mapifunctions.idl wins"
    assert [p.name for p in model.undeclared_functions] == ["MAPINothing"]
    result = parse_page("docs/mapilogonex.md", _PAGE)
    assert isinstance(result.page, FunctionPage) and result.page.return_values[0].code == "S_OK"


def test_syntax_block_parameters_are_placed_at_their_words() -> None:
    """A parameter's place is its first word, past the blanks and line breaks before it; so is a stray token's."""
    code = "HRESULT OpenMsgStore(\n  ULONG_PTR ulUIParam,\n  ULONG cbEntryID,\n\tLPENTRYID lpEntryID, LPCIID lpInterface\n);"
    params = read_prototype(code).params
    assert [(p.name, p.line, p.column) for p in params] == [
        ("ulUIParam", 2, 3), ("cbEntryID", 3, 3), ("lpEntryID", 4, 2), ("lpInterface", 4, 23),
    ]
    with pytest.raises(NotAPrototype) as stray:
        read_prototype("HRESULT F(\n  ULONG a,\n   ,\n);")
    assert (stray.value.line, stray.value.column) == (3, 4)
