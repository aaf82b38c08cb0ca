"""Every page of the four whole docs folders: the kind of each, what is read, counted and spot-checked."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import CORPUS_FOLDERS

from generator.backends.model_json import render_model_json
from generator.backends.prose import plain_text
from generator.backends.site import render_site_language
from generator.frontends.page import PageKind, PageResult
from generator.model import Direction, InterfacePage, MethodPage, Model, RowKind

# Pages of each kind in each whole docs folder.
KINDS = {
    "en-US": {"interface": 67, "method": 364, "structure": 123, "function": 142, "macro": 41,
              "canonical property": 973, "property type": 1, "constants": 1, "article": 598},
    "en-US-2018": {"interface": 65, "method": 360, "structure": 122, "function": 140, "macro": 41,
                   "canonical property": 973, "property type": 1, "constants": 1, "article": 597},
    "es-ES": {"interface": 67, "method": 364, "structure": 122, "function": 141, "macro": 41,
              "canonical property": 973, "property type": 1, "constants": 1, "article": 597},
    "es-ES-sxs": {"interface": 65, "method": 360, "structure": 122, "function": 140, "macro": 41,
                  "canonical property": 973, "property type": 1, "constants": 1, "article": 597},
}
# folder: vtable rows, documented params, params by direction (in, out, in-out, unstated),
# return values, syntax-block params.  Every locale gives every direction (es-ES's
# `[entrada y salida]` too), and es-ES's translated `_tiempo de espera_` entries are the
# syntax block's `timeout`.
EXPECTED = {
    "en-US": (407, 1068, (789, 233, 29, 17), 667, 1080),
    "en-US-2018": (403, 1064, (785, 233, 29, 17), 659, 1076),
    "es-ES": (407, 1068, (789, 233, 29, 17), 663, 1080),
    "es-ES-sxs": (403, 1064, (785, 233, 29, 17), 659, 1076),
}


@pytest.fixture(params=CORPUS_FOLDERS)
def folder(request: pytest.FixtureRequest, docs_pages: dict[str, dict[str, PageResult]]) -> tuple[str, dict[str, PageResult]]:
    return request.param, docs_pages[request.param]


def test_every_page_has_a_kind(folder: tuple[str, dict[str, PageResult]]) -> None:
    name, pages = folder
    assert dict(Counter(r.kind.value for r in pages.values())) == KINDS[name]
    kinds = {r.kind for r in pages.values() if r.page is not None}
    assert kinds == {
        PageKind.INTERFACE, PageKind.METHOD, PageKind.FUNCTION, PageKind.STRUCTURE, PageKind.MACRO, PageKind.PROPERTY, PageKind.PROPERTY_TYPE
    }
    for title in ("supporting-formatted-text-rendering-attachments.md", "avoiding-using-istream-setsize-to-extend-a-stream.md"):
        assert pages[title].kind is PageKind.ARTICLE and pages[title].page is None
    spot = {
        "adrlist.md": PageKind.STRUCTURE, "mapiallocatebuffer.md": PageKind.FUNCTION, "cbnewadrlist.md": PageKind.MACRO,
        "pidtagsubject-canonical-property.md": PageKind.PROPERTY, "property-types.md": PageKind.PROPERTY_TYPE,
        "mapi-constants.md": PageKind.CONSTANTS, "imapisessioniunknown.md": PageKind.INTERFACE,
    }
    assert {n: pages[n].kind for n in spot} == spot


def test_counts(folder: tuple[str, dict[str, PageResult]]) -> None:
    name, pages = folder
    counts: Counter[str] = Counter()
    for result in pages.values():
        page = result.page
        if isinstance(page, InterfacePage):
            counts["rows"] += len(page.vtable)
        elif isinstance(page, MethodPage):
            counts["params"] += len(page.params)
            counts["returns"] += len(page.return_values)
            counts["syntax"] += len(page.syntax)
            for param in page.params:
                counts[param.direction.value if param.direction else "unstated"] += 1
    got = (
        counts["rows"], counts["params"],
        (counts["in"], counts["out"], counts["in, out"], counts["unstated"]),
        counts["returns"], counts["syntax"],
    )
    assert got == EXPECTED[name]


def test_languages(folder: tuple[str, dict[str, PageResult]]) -> None:
    name, pages = folder
    expected = {"en-US": ("en-US",), "en-US-2018": ("en-US",), "es-ES": ("es-ES",), "es-ES-sxs": ("es-ES", "en-US")}
    assert {r.languages for r in pages.values() if r.page is not None} == {expected[name]}


def test_spot_values_english(docs_pages: dict[str, dict[str, PageResult]]) -> None:
    pages = docs_pages["en-US"]
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


def test_spot_values_localized(docs_pages: dict[str, dict[str, PageResult]]) -> None:
    plain = docs_pages["es-ES"]["imapigetsession-getmapisession.md"].page
    assert isinstance(plain, MethodPage)
    (param,) = plain.params
    assert param.direction is Direction.OUT
    assert plain_text(plain.summary.get("es-ES") or ()) == (
        "Devuelve un puntero a la sesión MAPI asociada con el objeto de soporte técnico MAPI."
    )
    assert plain_text(param.text.get("es-ES") or ()).startswith("[salida] Puntero a la sesión MAPI actual.")
    sxs = docs_pages["es-ES-sxs"]["imapisession-openmsgstore.md"].page
    assert isinstance(sxs, MethodPage)
    summary_es = plain_text(sxs.summary.get("es-ES") or ())
    summary_en = plain_text(sxs.summary.get("en-US") or ())
    assert summary_es.startswith("Se abre un almacén de mensajes y devuelve un puntero IMsgStore")
    assert summary_en.startswith("Opens a message store and returns an IMsgStore pointer")


def test_spanish_directions_and_translated_names(docs_pages: dict[str, dict[str, PageResult]]) -> None:
    pages = docs_pages["es-ES"]
    resolve = pages["iaddrbook-resolvename.md"].page
    assert isinstance(resolve, MethodPage)
    assert [(p.name, p.direction) for p in resolve.params][-1] == ("lpAdrList", Direction.IN_OUT)  # [entrada y salida]
    wait = pages["imapiinitmonitor-wait.md"]
    assert isinstance(wait.page, MethodPage)
    assert [p.name for p in wait.page.params] == [p.name for p in wait.page.syntax]
    (translated,) = [d for d in wait.diagnostics if d.code == "param-name"]
    assert "'tiempo de espera'" in translated.message and "timeout" in translated.message


@pytest.mark.parametrize("name", CORPUS_FOLDERS)
def test_build_each_folder(
    name: str, folder_models: dict[str, Model], docs_pages: dict[str, dict[str, PageResult]], embedded_model: Model
) -> None:
    model = folder_models[name]
    document = json.loads(render_model_json(model)["model.json"])
    assert document["pages"] == {**KINDS[name], "interface": KINDS[name]["interface"] + 1}  # and the seed page
    documented = {i["name"] for i in document["interfaces"] if i["page"]}
    assert len(documented) == KINDS[name]["interface"]
    attached = {Path(m["page"]).name for i in document["interfaces"] for m in i["methods"] if m["page"]}
    method_pages = {n for n, r in docs_pages[name].items() if isinstance(r.page, MethodPage)}
    assert method_pages - attached == {"iproxystoreobject-unwrapnoref.md"}  # no interface IProxyStoreObject
    codes = Counter(d["code"] for d in document["diagnostics"])
    assert codes["method-page-orphan"] == 1 and codes["method-page-unattached"] == 0
    # Full vtables: every interface has the slots the embedded IDL gives it, documented or not.
    assert len(model.interfaces) == len(embedded_model.interfaces) == 69
    for itf in embedded_model.interfaces:
        assert [s.method.name for s in model.vtable(itf.name)] == [s.method.name for s in embedded_model.vtable(itf.name)]


@pytest.mark.parametrize("name", ["es-ES", "es-ES-sxs"])
def test_a_vtable_row_keeps_its_summary_beside_the_method_pages(name: str, folder_models: dict[str, Model]) -> None:
    """The interface page's row ("Se llama para obtener…") and the method page ("Devuelve…") say different things:
    model.json keeps both in every language, the interface page's vtable shows the row's, the method page its own."""
    model = folder_models[name]
    document = json.loads(render_model_json(model)["model.json"])
    (itf,) = [i for i in document["interfaces"] if i["name"] == "IMAPIGetSession"]
    (method,) = itf["methods"]
    assert set(method["row_summary"]) == set(method["summary"]) == {"es-ES", "en-US"}  # en-US: the seed page, or sxs
    row_es, page_es = method["row_summary"]["es-ES"], method["summary"]["es-ES"]
    assert row_es.startswith("Se llama para obtener un puntero a la sesión MAPI actual")
    assert page_es.startswith("Devuelve un puntero a la sesión MAPI asociada")
    assert method["row_summary"]["en-US"] == "Called to obtain a pointer to the current MAPI session."
    if name == "es-ES-sxs":  # the English half of the method page; es-ES has none, so the row fills in
        assert method["summary"]["en-US"].startswith("Returns a pointer to the MAPI session associated")
    rows = sum(len(m["row_summary"]) for i in document["interfaces"] for m in i["methods"])
    differing = sum(
        1 for i in document["interfaces"] for m in i["methods"] for lang, text in m["row_summary"].items()
        if lang in m["summary"] and " ".join(text.split()) != " ".join(m["summary"][lang].split())
    )
    assert rows > 300 and differing > 50  # each was dropped when the method page had a summary in its language
    site = render_site_language(model, "es-ES")
    assert "Se llama para obtener un puntero a la sesión MAPI actual" in site["docs/es-ES/IMAPIGetSession.html"]
    method_page = site["docs/es-ES/IMAPIGetSession.GetMAPISession.html"]
    assert "Devuelve un puntero a la sesión MAPI asociada" in method_page
