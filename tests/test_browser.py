"""The doc site in a real browser: headless Chromium searches, follows a result, switches language;
searches a property tag's value and a structure and reads their rows.

Served over http from a thread (and opened once from file://, as published); screenshots go to
``mapi-generator-test-artifacts/`` in the system's temporary folder (never in the checkout).  In CI a missing Chromium or playwright fails the test.
"""

from __future__ import annotations

import functools
import http.server
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import require_tool, tools_required
from test_site import corpus_site, write

ARTIFACTS = Path(tempfile.gettempdir()) / "mapi-generator-test-artifacts"
TIMEOUT_MS = 10_000
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ENGLISH_SUMMARY = "Returns a pointer to the MAPI session associated with the MAPI support object."
SPANISH_SUMMARY = "Devuelve un puntero a la sesión MAPI asociada con el objeto de soporte técnico MAPI."
# The Spanish interface page's vtable row has its own text, kept beside the method page's summary.
SPANISH_ROW_SUMMARY = "Se llama para obtener un puntero a la sesión MAPI actual."


def require_playwright() -> Any:
    """playwright's sync API; skip (locally) or fail (CI) when it is not installed."""
    try:
        from playwright import sync_api
    except ImportError:
        message = "playwright is not installed (pip install playwright)"
        if tools_required():
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)
    return sync_api


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The site under ``docs/``: its http base address and its folder."""
    out = tmp_path_factory.mktemp("browser-site")
    docs = write(corpus_site(), out)
    handler = functools.partial(_Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/docs", docs
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_search_follow_and_switch_language(served: tuple[str, Path]) -> None:
    chromium = require_tool("chromium")
    sync_api = require_playwright()
    base, docs = served
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=BROWSER_ARGS, timeout=30_000)
        try:
            for width, height, tag in ((1280, 900, "wide"), (390, 844, "phone")):
                context = browser.new_context(viewport={"width": width, "height": height})
                context.set_default_timeout(TIMEOUT_MS)
                context.set_default_navigation_timeout(TIMEOUT_MS)
                page = context.new_page()
                page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
                page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
                page.on("request", lambda request: requests.append(request.url))
                page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
                try:
                    _walk(page, base, tag)
                    _data_types(page, base, tag)
                finally:
                    context.close()
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            try:
                _offline(page, docs)
            finally:
                context.close()
        finally:
            browser.close()
    assert not problems, problems
    outside = [url for url in requests if not url.startswith(base + "/")]
    assert not outside, f"requests outside the site: {outside}"


def _walk(page: Any, base: str, tag: str) -> None:
    """Index → search "GetMAPISession" → the method page → Spanish → its interface page."""
    page.goto(f"{base}/en-US/index.html")
    search = page.locator("#search")
    search.wait_for(state="visible")
    search.click()
    search.type("GetMAPISession")
    results = page.locator("#search-results a")
    results.first.wait_for(state="visible")
    assert results.first.inner_text() == "IMAPIGetSession::GetMAPISession"
    page.screenshot(path=str(ARTIFACTS / f"site-{tag}-search.png"))

    results.first.click()
    page.wait_for_url("**/en-US/IMAPIGetSession.GetMAPISession.html")
    assert page.locator("h1").inner_text() == "IMAPIGetSession::GetMAPISession"
    assert page.get_by_text(ENGLISH_SUMMARY, exact=True).is_visible()
    assert page.locator("#python pre").inner_text() == "def GetMAPISession(self) -> IUnknown | None"
    page.screenshot(path=str(ARTIFACTS / f"site-{tag}-method-en.png"), full_page=True)

    page.locator('nav.langs a[hreflang="es-ES"]').click()
    page.wait_for_url("**/es-ES/IMAPIGetSession.GetMAPISession.html")
    assert page.locator("html").get_attribute("lang") == "es-ES"
    assert page.get_by_text(SPANISH_SUMMARY, exact=True).is_visible()
    assert page.locator("#parameters h2").inner_text() == "Parámetros"
    page.screenshot(path=str(ARTIFACTS / f"site-{tag}-method-es.png"), full_page=True)

    page.locator("h1 a").click()
    page.wait_for_url("**/es-ES/IMAPIGetSession.html")
    row = page.locator("table.vtable tbody tr").nth(3)
    assert row.locator("td.method-name").inner_text() == "GetMAPISession"
    assert row.locator("td.slot-summary").inner_text() == SPANISH_ROW_SUMMARY
    assert row.locator("td").nth(2).inner_text().endswith("24 (0x18)")
    page.screenshot(path=str(ARTIFACTS / f"site-{tag}-interface-es.png"), full_page=True)

    search = page.locator("#search")
    search.fill("sesión MAPI actual")
    names = page.locator("#search-results a")
    names.first.wait_for(state="visible")
    assert "IMAPIGetSession" in names.all_inner_texts()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways on {tag}: {overflow}px"


def _data_types(page: Any, base: str, tag: str) -> None:
    """Search a tag value → the tag's row in its header's table, and its canonical property's page; search a structure → its layout."""
    page.goto(f"{base}/en-US/index.html")
    search = page.locator("#search")
    search.wait_for(state="visible")
    search.fill("0x3001001F")
    results = page.locator("#search-results a")
    results.first.wait_for(state="visible")
    assert "PR_DISPLAY_NAME_W" in results.all_inner_texts()
    results.filter(has_text="PR_DISPLAY_NAME_W").first.click()
    page.wait_for_url("**/en-US/tags.*.html#PR_DISPLAY_NAME_W")
    row = page.locator('tr[id="PR_DISPLAY_NAME_W"]')
    assert row.locator("td").nth(1).inner_text() == "0x3001001F"
    assert row.locator("td").nth(3).inner_text() == "PT_UNICODE"
    page.screenshot(path=str(ARTIFACTS / f"site-{tag}-tag.png"))

    search = page.locator("#search")
    search.fill("0x3001001F")
    results = page.locator("#search-results a")
    results.first.wait_for(state="visible")
    assert "PidTagDisplayName" in results.all_inner_texts()
    results.filter(has_text="PidTagDisplayName").first.click()
    page.wait_for_url("**/en-US/property.PidTagDisplayName.html")
    row = page.locator('tr[id="PR_DISPLAY_NAME_W"]')
    assert row.locator("td").nth(1).inner_text() == "0x3001001F"
    page.screenshot(path=str(ARTIFACTS / f"site-{tag}-property.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the property page scrolls sideways on {tag}: {overflow}px"

    search = page.locator("#search")
    search.fill("SPropValue")
    results = page.locator("#search-results a")
    results.first.wait_for(state="visible")
    assert results.first.inner_text() == "SPropValue"
    results.first.click()
    page.wait_for_url("**/en-US/struct.SPropValue.html")
    cells = page.locator('tr[id="member-Value"] td').all_inner_texts()
    assert cells[3:7] == ["8", "8", "8", "16"], cells  # 32-bit offset and size, 64-bit offset and size
    assert cells[7].startswith("Union of data values"), cells  # the member's text from spropvalue.md
    page.screenshot(path=str(ARTIFACTS / f"site-{tag}-structure.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the structure page scrolls sideways on {tag}: {overflow}px"


def _offline(page: Any, docs: Path) -> None:
    """The published tree works from the file system: the search index is a script, not a fetch."""
    page.goto((docs / "en-US" / "index.html").as_uri())
    search = page.locator("#search")
    search.wait_for(state="visible")
    search.fill("logon session")
    results = page.locator("#search-results a")
    results.first.wait_for(state="visible")
    assert "IMAPISession" in results.all_inner_texts()
    results.first.click()
    page.wait_for_url("**/en-US/*.html")
