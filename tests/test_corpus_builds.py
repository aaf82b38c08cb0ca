"""Every docs folder, alone and all four together, builds without an error with each kind of headers.

Microsoft's Outlook headers, mingw-w64's, or none (the embedded IDL alone): the model has no
error diagnostic and all 69 interfaces of the embedded IDL with the vtables it gives them
(Microsoft's headers declare 19 more).  The
command line's exit status for the same inputs is tested by ``test_hostile``'s whole-corpus
build and by ``bench/run.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS_FOLDERS, ROOT, SPECS, require_corpus, tools_required

from generator.build import build_model
from generator.model import Model, Severity
from generator.sources import Sources

OUTLOOK = ROOT.parent / "shared" / "outlook-headers"
MINGW = Path("/usr/x86_64-w64-mingw32/include")
HEADERS = {"outlook": OUTLOOK, "mingw": MINGW}


@pytest.fixture(scope="module")
def idl_vtables(embedded_model: Model) -> dict[str, list[str]]:
    return {itf.name: [s.method.name for s in embedded_model.vtable(itf.name)] for itf in embedded_model.interfaces}


def _headers(kind: str) -> tuple[Path, ...]:
    if kind == "none":
        return ()
    folder = HEADERS[kind]
    if not folder.is_dir():
        if tools_required():
            pytest.fail(f"{kind} headers not found at {folder}")
        pytest.skip(f"{kind} headers not found at {folder}")
    return (folder,)


def _check(model: Model, idl_vtables: dict[str, list[str]]) -> None:
    errors = [f"{d.loc}: {d.message}" for d in model.diagnostics if d.severity is Severity.ERROR]
    assert errors == []
    assert len(idl_vtables) == 69 and {i.name for i in model.interfaces} >= set(idl_vtables)
    assert {name: [s.method.name for s in model.vtable(name)] for name in idl_vtables} == idl_vtables


@pytest.mark.parametrize("headers", ["outlook", "mingw"])
@pytest.mark.parametrize("folder", CORPUS_FOLDERS)
def test_one_folder(folder: str, headers: str, idl_vtables: dict[str, list[str]]) -> None:
    _check(build_model(Sources(SPECS, (require_corpus() / folder,), _headers(headers))), idl_vtables)


def test_one_folder_without_headers(folder_models: dict[str, Model], idl_vtables: dict[str, list[str]]) -> None:
    for folder in CORPUS_FOLDERS:
        _check(folder_models[folder], idl_vtables)


@pytest.mark.parametrize("headers", ["outlook", "mingw", "none"])
def test_all_four_folders(headers: str, idl_vtables: dict[str, list[str]]) -> None:
    folders = tuple(require_corpus() / f for f in CORPUS_FOLDERS)
    _check(build_model(Sources(SPECS, folders, _headers(headers))), idl_vtables)
