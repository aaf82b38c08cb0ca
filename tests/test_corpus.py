"""Every page of the four corpus snapshots: what is read, counted and spot-checked."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from conftest import CORPUS_FOLDERS, SPECS, require_corpus

from generator.backends.model_json import render_model_json
from generator.backends.prose import plain_text
from generator.build import build_model
from generator.frontends.page import PageResult, parse_page
from generator.model import Direction, InterfacePage, MethodPage, RowKind
from generator.sources import Sources

# folder: interface pages, method pages, other pages, vtable rows, documented params,
# params by direction (in, out, in-out, unstated), return values, syntax-block params
EXPECTED = {
    "en-US": (67, 363, 84, 407, 1067, (789, 232, 29, 17), 666, 1079),
    "en-US-2018": (65, 359, 84, 403, 1063, (785, 232, 29, 17), 658, 1075),
    "es-ES": (67, 363, 84, 407, 1064, (786, 232, 28, 18), 662, 1079),
    "es-ES-sxs": (65, 359, 84, 403, 1063, (785, 232, 29, 17), 658, 1075),
}


@cache
def _parse_folder(folder: str) -> dict[str, PageResult]:
    root = require_corpus() / folder
    return {p.name: parse_page(p.name, p.read_text(encoding="utf-8")) for p in sorted(root.glob("*.md"))}


@pytest.fixture(scope="module", params=CORPUS_FOLDERS)
def folder(request: pytest.FixtureRequest) -> tuple[str, dict[str, PageResult]]:
    return request.param, _parse_folder(request.param)


def test_counts(folder: tuple[str, dict[str, PageResult]]) -> None:
    name, pages = folder
    counts: Counter[str] = Counter()
    for result in pages.values():
        page = result.page
        if isinstance(page, InterfacePage):
            counts["interfaces"] += 1
            counts["rows"] += len(page.vtable)
        elif isinstance(page, MethodPage):
            counts["methods"] += 1
            counts["params"] += len(page.params)
            counts["returns"] += len(page.return_values)
            counts["syntax"] += len(page.syntax)
            for param in page.params:
                counts[param.direction.value if param.direction else "unstated"] += 1
        else:
            counts["other"] += 1
    got = (
        counts["interfaces"], counts["methods"], counts["other"], counts["rows"], counts["params"],
        (counts["in"], counts["out"], counts["in, out"], counts["unstated"]),
        counts["returns"], counts["syntax"],
    )
    assert got == EXPECTED[name]


def test_languages(folder: tuple[str, dict[str, PageResult]]) -> None:
    name, pages = folder
    expected = {"en-US": ("en-US",), "en-US-2018": ("en-US",), "es-ES": ("es-ES",), "es-ES-sxs": ("es-ES", "en-US")}
    assert {r.languages for r in pages.values() if r.page is not None} == {expected[name]}


def test_spot_values_english() -> None:
    pages = _parse_folder("en-US")
    session = pages["imapisessioniunknown.md"].page
    assert isinstance(session, InterfacePage)
    kinds = {row.name: row.kind for row in session.vtable}
    assert kinds["MessageOptions"] is RowKind.PLACEHOLDER and kinds["OpenMsgStore"] is RowKind.METHOD
    store = pages["imapisession-openmsgstore.md"].page
    assert isinstance(store, MethodPage)
    assert [(p.name, p.direction) for p in store.params] == [
        ("ulUIParam", Direction.IN), ("cbEntryID", Direction.IN), ("lpEntryID", Direction.IN),
        ("lpInterface", Direction.IN), ("ulFlags", Direction.IN), ("lppMDB", Direction.OUT),
    ]
    assert [str(p.type) for p in store.syntax][-1] == "LPMDB *"
    assert [r.code for r in store.return_values][:2] == ["S_OK", "MAPI_E_NO_ACCESS"]
    flags = plain_text(store.params[4].text.get("en-US") or ())
    assert "- MDB_NO_MAIL: The message store should not be used" in flags
    converter = pages["iconvertersessioniunknown.md"].page
    assert isinstance(converter, InterfacePage)
    assert [r.kind for r in converter.vtable].count(RowKind.RESERVED) == 5
    advise = pages["imsgstore-advise.md"].page
    assert isinstance(advise, MethodPage)
    assert "fnevNewMail" not in [p.name for p in advise.params]


def test_spot_values_localized() -> None:
    plain = _parse_folder("es-ES")["imapigetsession-getmapisession.md"].page
    assert isinstance(plain, MethodPage)
    (param,) = plain.params
    assert param.direction is Direction.OUT
    assert plain_text(plain.summary.get("es-ES") or ()) == (
        "Devuelve un puntero a la sesión MAPI asociada con el objeto de soporte técnico MAPI."
    )
    assert plain_text(param.text.get("es-ES") or ()).startswith("[salida] Puntero a la sesión MAPI actual.")
    sxs = _parse_folder("es-ES-sxs")["imapisession-openmsgstore.md"].page
    assert isinstance(sxs, MethodPage)
    summary_es = plain_text(sxs.summary.get("es-ES") or ())
    summary_en = plain_text(sxs.summary.get("en-US") or ())
    assert summary_es.startswith("Se abre un almacén de mensajes y devuelve un puntero IMsgStore")
    assert summary_en.startswith("Opens a message store and returns an IMsgStore pointer")


@pytest.mark.parametrize("name", CORPUS_FOLDERS)
def test_build_each_folder(name: str) -> None:
    model = build_model(Sources(SPECS, (require_corpus() / name,)))
    document = json.loads(render_model_json(model)["model.json"])
    documented = {i["name"] for i in document["interfaces"] if i["page"]}
    assert len(documented) == EXPECTED[name][0]
    attached = {Path(m["page"]).name for i in document["interfaces"] for m in i["methods"] if m["page"]}
    method_pages = {n for n, r in _parse_folder(name).items() if isinstance(r.page, MethodPage)}
    assert method_pages == attached
    codes = Counter(d["code"] for d in document["diagnostics"])
    assert codes["method-page-orphan"] == 0 and codes["method-page-unattached"] == 0
