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
from generator.model import Direction, FunctionPage, Model
from generator.sources import Sources

# folder: function pages read, with a "Header file:" row, documented parameters,
# documented functions no header declares, param-name notes
READ = {
    "en-US": (142, 124, 489, 25, 116),
    "en-US-2018": (140, 123, 484, 24, 116),
    "es-ES": (141, 122, 478, 25, 118),
    "es-ES-sxs": (140, 123, 484, 24, 116),
}
FUNCTION_CODES = ("function-undeclared", "function-params", "param-name", "page-type", "direction-mismatch")


def _function_findings(model: Model) -> Counter[str]:
    return Counter(d.code for d in model.diagnostics if d.interface is None and d.code in FUNCTION_CODES)


@pytest.mark.parametrize("name", CORPUS_FOLDERS)
def test_counts_read(name: str, docs_pages: dict[str, dict[str, Any]], folder_models: dict[str, Model]) -> None:
    pages = [r.page for r in docs_pages[name].values() if r.kind is PageKind.FUNCTION]
    assert all(isinstance(p, FunctionPage) for p in pages)
    read, with_header, params, undeclared, renamed = READ[name]
    assert len(pages) == read
    assert sum(p.header_file is not None for p in pages) == with_header
    assert sum(len(p.params) for p in pages) == params
    model = folder_models[name]
    assert len(model.function_pages) == read  # one record per documented function
    assert len(model.undeclared_functions) == undeclared
    findings = _function_findings(model)
    assert findings == {"function-undeclared": undeclared, "param-name": renamed}  # counts and types agree with the headers


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


def test_the_embedded_idl_carries_the_pages_directions() -> None:
    model = build_model(Sources(SPECS))
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
    lines = {d.code: d.loc.line for d in model.diagnostics if d.code in FUNCTION_CODES and d.loc}
    # At the syntax block (csyntax places a parameter where the white space before it starts:
    # the end of the line above), and at the undeclared function's title.
    assert 13 < lines["function-params"] == lines["page-type"] < 20 and lines["function-undeclared"] == 4
    message = next(d.message for d in model.diagnostics if d.code == "function-params")
    assert message == "MAPILogonEx has 4 parameter(s) in the page's syntax block and 5 in specs/idl/mapifunctions.idl; specs/idl/mapifunctions.idl wins"
    assert [p.name for p in model.undeclared_functions] == ["MAPINothing"]
    result = parse_page("docs/mapilogonex.md", _PAGE)
    assert isinstance(result.page, FunctionPage) and result.page.return_values[0].code == "S_OK"
