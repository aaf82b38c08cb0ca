"""The doc site: built from the corpus in three dialects, every link checked; hostile text stays inert."""

from __future__ import annotations

import posixpath
import re
import shutil
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import SPECS, require_corpus

from generator.backends.site import render_site
from generator.backends.site_data import constant_href
from generator.backends.site_links import link_resolver
from generator.backends.site_roles import ROLES, role_of
from generator.backends.site_search import js_literal
from generator.build import build_model
from generator.flags import split_flags
from generator.model import ENGLISH, Model, Paragraph, Text
from generator.sources import Sources
from generator.views import views_of

MINGW = Path("/usr/x86_64-w64-mingw32/include")
ALLOWED_SCHEMES = ("http", "https", "mailto")


class _Page(HTMLParser):
    """Every id/name, every href/src, and every script element of one HTML file."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name"):
            if values.get(key):
                self.ids.add(str(values[key]))
        for key in ("href", "src"):
            if key in values:
                self.links.append((tag, values[key] or ""))
        if tag == "script":
            self.scripts.append(values)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


def check_links(docs: Path) -> tuple[list[str], int]:
    """Every broken or unsafe link under ``docs`` as a readable line, and how many were checked."""
    parsed = {path: parse_html(path.read_text(encoding="utf-8")) for path in sorted(docs.rglob("*.html"))}
    root = docs.resolve()
    broken: list[str] = []
    checked = 0
    for path, page in parsed.items():
        where = path.relative_to(docs).as_posix()
        for tag, href in page.links:
            checked += 1
            lowered = href.strip().lower()
            if lowered.startswith(("javascript:", "data:", "vbscript:")):
                broken.append(f"{where}: unsafe <{tag}> link {href!r}")
                continue
            parts = urlsplit(href)
            if parts.scheme:
                if parts.scheme not in ALLOWED_SCHEMES:
                    broken.append(f"{where}: scheme not allowed in {href!r}")
                continue
            if parts.netloc or href.startswith("/"):
                broken.append(f"{where}: link leaves the site tree: {href!r}")
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path.resolve()
            if not target.is_relative_to(root):
                broken.append(f"{where}: {href!r} resolves outside docs/")
                continue
            if not target.is_file():
                broken.append(f"{where}: {href!r} -> missing file")
                continue
            if parts.fragment:
                ids = parsed[target].ids if target in parsed else set()
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{where}: {href!r} -> no id {parts.fragment!r} in the target")
    return broken, checked


def write(files: dict[str, str | bytes], out: Path) -> Path:
    """Write a rendered site (pages as text, images as bytes) under ``out``; its docs folder."""
    for rel, content in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return out / "docs"


@cache
def _corpus_build() -> tuple[Model, dict[str, str]]:
    corpus = require_corpus()
    headers = (MINGW,) if (MINGW / "mapidefs.h").is_file() else ()
    folders = (corpus / "en-US", corpus / "es-ES", corpus / "es-ES-sxs")
    model = build_model(Sources(SPECS, folders, headers, read_idl=False))
    return model, render_site(model)


def corpus_site() -> dict[str, str]:
    """The site of en-US + es-ES + es-ES-sxs (built once per session; the browser test reuses it)."""
    return _corpus_build()[1]


@pytest.fixture(scope="module")
def corpus_model() -> Model:
    return _corpus_build()[0]


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    return corpus_site()


@pytest.fixture(scope="module")
def docs(site: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(site, tmp_path_factory.mktemp("site"))


def test_every_link_resolves(docs: Path) -> None:
    broken, checked = check_links(docs)
    assert checked > 10_000
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:200])


def test_no_link_leaves_the_tree_or_runs_script(site: dict[str, str]) -> None:
    for rel, text in site.items():
        if not rel.endswith(".html"):
            continue
        for _, href in parse_html(text).links:
            assert not href.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (rel, href)
            if not urlsplit(href).scheme:
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(rel), urlsplit(href).path))
                assert resolved.startswith("docs/"), (rel, href)


def test_pages_per_language(corpus_model: Model, site: dict[str, str]) -> None:
    assert set(corpus_model.languages) == {"en-US", "es-ES"}
    methods = sum(len(itf.methods) for itf in corpus_model.interfaces)
    assert len(corpus_model.interfaces) == 69 and methods > 400
    data = views_of(corpus_model).data
    tables = len({c.header for c in data.constants}) + len({t.header for t in data.tags})
    data_pages = 3 + len(data.structures) + tables  # structures, constants, property sets; a page each
    data_pages += 2 + len(corpus_model.properties)  # the property indexes, a page per canonical property
    assert len(data.structures) > 90 and len(data.tags) > 700 and tables > 10  # mingw-w64's headers
    data_pages += 2 + len(corpus_model.functions)  # functions.html, python-values.html, a page per function
    data_pages += 2 + len(corpus_model.enums) + len(corpus_model.macros)  # enums.html, macros.html, a page per enumeration and macro
    for lang in ("en-US", "es-ES"):
        pages = [rel for rel in site if rel.startswith(f"docs/{lang}/") and rel.endswith(".html")]
        assert len(pages) == 1 + len(corpus_model.interfaces) + methods + data_pages
        for itf in corpus_model.interfaces:
            assert f"docs/{lang}/{itf.name}.html" in site
            for method in itf.methods:
                assert f"docs/{lang}/{itf.name}.{method.name}.html" in site
        assert f"docs/{lang}/search-index.js" in site
    assert {"docs/index.html", "docs/assets/style.css", "docs/assets/site.js", "docs/assets/favicon.svg"} <= set(site)
    images = [rel for rel in site if "/media/" in rel]
    assert images and all(isinstance(site[rel], bytes) for rel in images)
    assert len(site) == 4 + 2 * (2 + len(corpus_model.interfaces) + methods + data_pages) + len(images)


def test_language_switch_targets_exist(site: dict[str, str]) -> None:
    for rel in ("docs/en-US/IMAPISession.OpenMsgStore.html", "docs/es-ES/IMAPISupport.html", "docs/en-US/index.html"):
        page = parse_html(site[rel])
        switch = [href for tag, href in page.links if tag == "a" and href.startswith("../") and "-" in href.split("/")[1]]
        assert len(switch) == 2, switch
        for href in switch:
            assert posixpath.normpath(posixpath.join(posixpath.dirname(rel), href)) in site
    spanish = site["docs/es-ES/IMAPISession.OpenMsgStore.html"]
    assert '<html lang="es-ES">' in spanish and 'aria-current="page">Español' in spanish


def test_fallback_is_visible_where_a_translation_is_missing(corpus_model: Model, site: dict[str, str]) -> None:
    untranslated = [
        (itf.name, m.name) for itf in corpus_model.interfaces for m in itf.methods
        if m.summary.get(ENGLISH) and not m.summary.get("es-ES")
    ]
    assert untranslated
    itf, method = untranslated[0]
    spanish = site[f"docs/es-ES/{itf}.{method}.html"]
    assert 'class="fallback-notice"' in spanish and "se muestran en English" in spanish
    assert '<div class="prose fallback" lang="en-US"><span class="fallback-badge">English</span>' in spanish
    assert 'class="fallback-notice"' not in site[f"docs/en-US/{itf}.{method}.html"]
    assert 'class="fallback-notice"' not in site["docs/es-ES/IMAPISession.OpenMsgStore.html"]


def test_search_index_finds_names_and_summary_words(site: dict[str, str]) -> None:
    english = site["docs/en-US/search-index.js"]
    assert '["IMAPIGetSession::GetMAPISession","method","IMAPIGetSession.GetMAPISession.html",' in english
    assert '["IMAPISession","interface","IMAPISession.html","Manages objects associated with a MAPI logon session."]' in english
    spanish = site["docs/es-ES/search-index.js"]
    assert "Devuelve un puntero a la sesión MAPI asociada con el objeto de soporte técnico MAPI." in spanish
    assert english.count("\n") == 3 and "window.MAPI_SEARCH_INDEX = {" in english


def test_interface_page_shows_abi_facts(site: dict[str, str]) -> None:
    page = site["docs/en-US/IMsgStore.html"]
    assert "{00020306-0000-0000-C000-000000000046}" in page and "IID_IMsgStore" in page
    assert '<a href="IUnknown.html"><code>IUnknown</code></a>' in page
    assert '<a href="IMAPIProp.html"><code>IMAPIProp</code></a>' in page
    row = re.search(r'<tr>\s*<td class="num slot">16</td>.*?</tr>', page, re.DOTALL)
    assert row is not None and "64 (0x40)" in row.group(0) and "128 (0x80)" in row.group(0)
    assert 'href="IMAPIProp.GetProps.html"' in page and 'class="inherited"' in page
    assert "Message store providers" in page and "Client applications, the MAPI spooler, and MAPI" in page
    support = site["docs/en-US/IMAPISupport.html"]
    assert "vtable-missing" in support and "Preprocess" in support


def test_method_page_shows_python_and_flags(site: dict[str, str]) -> None:
    page = site["docs/en-US/IMAPISession.OpenMsgStore.html"]
    assert "def OpenMsgStore(" in page and ") -&gt; IMsgStore | None" in page
    assert "session = IMAPISessionClient(pointer)" in page and "lppMDB = session.OpenMsgStore(" in page
    assert 'id="flags-ulFlags-MDB_NO_MAIL"' in page and 'href="#flags-ulFlags-MDB_NO_MAIL"' in page
    assert 'id="flags-ulFlags"' in page
    assert "<code>MAPI_E_NOT_FOUND</code>" in page
    assert 'href="IMAPISession.html"' in page and 'href="IMAPISession.OpenAddressBook.html"' in page
    assert "ULONG_PTR ulUIParam," in page


def test_data_type_pages(corpus_model: Model, site: dict[str, str]) -> None:
    """Structures with their 32- and 64-bit layouts, a table per header of constants and tags, the property sets."""
    data = views_of(corpus_model).data
    page = site["docs/en-US/struct.SPropValue.html"]
    cells = r'<td class="num">(\d+)</td>'
    row = re.search(r'<tr id="member-Value">.*?</tr>', page, re.DOTALL)  # the member's text from the page spans lines
    assert row is not None and re.findall(cells, row.group(0)) == ["8", "8", "8", "16"]
    assert 'href="union._PV.html"' in row.group(0) and "<code>union _PV</code>" in row.group(0)
    assert "<dd>16</dd>" in page and "<dd>24</dd>" in page  # sizeof(SPropValue): Win32, Win64
    spanish = site["docs/es-ES/struct.SPropValue.html"]
    assert "Desplazamiento (32 bits)" in spanish
    # The structure page's prose, in each tree's language: description, each member's text, remarks.
    assert "<p>Describes a MAPI property.</p>" in page and '<section id="remarks">' in page
    assert "<p>Describe una propiedad MAPI.</p>" in spanish and "Reservado para MAPI" in spanish
    assert 'href="struct.SRowSet.html"' in site["docs/en-US/struct.SRow.html"]  # a link to srowset.md
    tag = next(t for t in data.tags if t.name == "PR_DISPLAY_NAME_W")
    file, _, anchor = constant_href(tag).partition("#")
    assert anchor == "PR_DISPLAY_NAME_W" and file.startswith("tags.")
    table = site[f"docs/en-US/{file}"]
    assert re.search(r'<tr id="PR_DISPLAY_NAME_W"><td><code>PR_DISPLAY_NAME_W</code></td><td class="num"><code>0x3001001F</code></td>'
                     r'<td class="num"><code>0x3001</code></td><td><code>PT_UNICODE</code></td></tr>', table)
    english = site["docs/en-US/search-index.js"]
    assert f'["PR_DISPLAY_NAME_W","property-tag","{file}#PR_DISPLAY_NAME_W","0x3001001F PT_UNICODE"]' in english
    assert '["SPropValue","struct","struct.SPropValue.html","struct _SPropValue (' in english
    sets = site["docs/en-US/property-sets.html"]
    assert '<tr id="PS_MAPI">' in sets and "{00020328-0000-0000-C000-000000000046}" in sets
    index = site["docs/en-US/index.html"]
    assert 'href="structures.html"' in index and 'href="constants.html"' in index and 'href="property-sets.html"' in index
    for s in data.structures:
        assert f"docs/en-US/{s.kind}.{s.name}.html" in site


def test_property_pages(corpus_model: Model, site: dict[str, str]) -> None:
    """A page per canonical property (tags with values, types, area, set, prose), the indexes, the search entries."""
    assert len(corpus_model.properties) == 967
    page = site["docs/en-US/property.PidTagDisplayName.html"]
    assert re.search(r'<tr id="PR_DISPLAY_NAME_W"><td><a href="tags\.[A-Za-z_]+\.html#PR_DISPLAY_NAME_W"><code>PR_DISPLAY_NAME_W</code></a></td>'
                     r'<td class="num"><code>0x3001001F</code></td></tr>', page)
    assert "<code>0x3001</code>" in page and "PT_STRING8 (0x001E), PT_UNICODE (0x001F)" in page and "<dd>MAPI common</dd>" in page
    assert "Contains the display name for a given MAPI object." in page and 'id="remarks"' in page
    spanish = site["docs/es-ES/property.PidTagDisplayName.html"]
    assert "Contiene el nombre para mostrar" in spanish and "<dd>MAPI común</dd>" in spanish
    email = site["docs/en-US/property.PidLidEmail1DisplayName.html"]
    assert "<code>PSETID_Address</code>" in email and "<code>0x00008080</code>" in email  # mingw-w64 defines no PSETID_ GUID to link to
    docs_only = site["docs/en-US/property.PidTag7BitDisplayName.html"]
    assert "<code>PR_7BIT_DISPLAY_NAME_W</code> <span" in docs_only and "0x39FF001F" in docs_only and "docs only" in docs_only
    unreadable = site["docs/en-US/property.PidTagOrgEmailAddress.html"]
    assert "property-id-unreadable" in unreadable  # its page's findings
    sets = site["docs/en-US/property-set-index.html"]
    assert 'id="set-PSETID_Address"' in sets and 'href="property.PidLidEmail1DisplayName.html"' in sets
    assert 'href="property.PidTagDisplayName.html"' in site["docs/en-US/properties.html"]
    index = site["docs/en-US/index.html"]
    assert 'href="properties.html"' in index and 'href="property-set-index.html"' in index
    english = site["docs/en-US/search-index.js"]
    entry = re.search(r'\["PidTagDisplayName","property","property\.PidTagDisplayName\.html","([^"]*)"\]', english)
    assert entry is not None and "PR_DISPLAY_NAME_W 0x3001001F" in entry.group(1)
    # A link to a property's reference page goes to its page here.
    assert 'href="property.PidTagDisplayName.html"' in site["docs/en-US/property.PidTagTransmittableDisplayName.html"]


def test_flags_show_their_values_and_link_to_them(corpus_model: Model, site: dict[str, str]) -> None:
    page = site["docs/en-US/IMAPISession.OpenMsgStore.html"]
    constant = next(c for c in views_of(corpus_model).data.constants if c.name == "MDB_NO_MAIL")
    assert constant.value == 0x80
    assert (
        '<dt id="flags-ulFlags-MDB_NO_MAIL"><code>MDB_NO_MAIL</code> '
        f'<a class="flag-value" href="{constant_href(constant)}"><code>0x00000080</code></a></dt>'
    ) in page


def test_every_listed_flag_has_a_value_or_a_finding(corpus_model: Model) -> None:
    """A flag a parameter's documentation lists resolves to a constant of the headers, or is a
    flag-unknown warning located at the parameter's entry on its page."""
    views = views_of(corpus_model).interfaces
    findings = {(d.interface, d.message) for d in corpus_model.diagnostics if d.code == "flag-unknown"}
    located = [d.loc for d in corpus_model.diagnostics if d.code == "flag-unknown"]
    resolved = unknown = 0
    for itf in views.interfaces:
        for method in itf.methods:
            for param in method.params:
                for flag in param.flags:
                    if flag.value is not None:
                        resolved += 1
                        continue
                    unknown += 1
                    where = f"{method.interface}::{method.name} parameter {param.c_name}"
                    assert (method.interface, f"{where} lists the flag {flag.name}, which no header defines") in findings
    assert resolved > 400 and 0 < unknown == len(findings)  # 441 and 121 with mingw-w64's headers
    assert all(loc is not None and loc.file.endswith(".md") and loc.line > 1 for loc in located)


def test_links_between_reference_pages(site: dict[str, str]) -> None:
    page = site["docs/en-US/IMAPIGetSession.html"]
    assert '<a href="IMAPISupport.html">IMAPISupport</a>' in page
    learn = "https://learn.microsoft.com/en-us/office/client-developer/outlook/mapi/support-object-overview"
    assert f'<a href="{learn}">' in page
    spanish = site["docs/es-ES/IMAPIGetSession.html"]
    assert 'href="https://learn.microsoft.com/es-es/office/client-developer/outlook/mapi/mapi-interfaces"' in spanish


def test_link_resolver_rules() -> None:
    from generator.backends.site_links import SitePage

    pages = {"imapisession-openmsgstore.md": SitePage("IMAPISession.OpenMsgStore.html", frozenset({"remarks"}))}
    resolve = link_resolver("es-ES", pages, SitePage("X.html", frozenset({"see-also"})))
    assert resolve("imapisession-openmsgstore.md") == "IMAPISession.OpenMsgStore.html"
    assert resolve("IMAPISession-OpenMsgStore.md#remarks") == "IMAPISession.OpenMsgStore.html#remarks"
    assert resolve("imapisession-openmsgstore.md#nowhere") == "IMAPISession.OpenMsgStore.html"
    assert resolve("./other.md#x") == "https://learn.microsoft.com/es-es/office/client-developer/outlook/mapi/other#x"
    assert resolve("/windows/win32/api/objidl/nn-objidl-istream") == (
        "https://learn.microsoft.com/es-es/windows/win32/api/objidl/nn-objidl-istream"
    )
    assert resolve("#see-also") == "#see-also" and resolve("#nowhere") is None
    assert resolve("https://example.com/a?b=c") == "https://example.com/a?b=c"
    assert resolve("mailto:someone@example.com") == "mailto:someone@example.com"
    for bad in (
        "javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x", "file:///etc/passwd",
        "../../../../etc/passwd", "../mapi/x.md", "sub/x.md", "//evil.example/x", "x.md\" onclick=\"y",
        "/../../etc/passwd", "x.html", "",
    ):
        assert resolve(bad) is None, bad


def test_roles_group_every_interface(corpus_model: Model) -> None:
    roles = {itf.name: role_of(itf) for itf in corpus_model.interfaces}
    assert set(roles.values()) <= {role.key for role in ROLES}
    assert roles["IMAPISession"] == "client" and roles["IAddrBook"] == "client"
    assert roles["IMsgStore"] == "objects" and roles["IMAPITable"] == "objects"
    assert roles["IMSProvider"] == "provider" and roles["IXPLogon"] == "provider"
    assert roles["IMAPISupport"] == "support" and roles["IMAPIGetSession"] == "support"
    assert roles["IMAPIAdviseSink"] == "callbacks"
    assert roles["IMAPIForm"] == "forms" and roles["IPersistMessage"] == "forms"
    assert roles["IPSTX3"] == "offline" and roles["IMAPISync"] == "offline" and roles["IOSTX"] == "offline"
    assert roles["IUnknown"] == "other"


def test_index_groups_by_role(site: dict[str, str]) -> None:
    index = site["docs/en-US/index.html"]
    assert 'id="role-client"' in index and 'id="role-forms"' in index
    assert index.index('id="role-client"') < index.index('href="IMAPISession.html"') < index.index('id="role-objects"')
    assert 'id="search"' in index and "GetMAPISession" in index
    assert "Manages objects associated with a MAPI logon session." in index
    languages = site["docs/index.html"]
    assert 'href="en-US/index.html"' in languages and 'href="es-ES/index.html"' in languages


def test_flags_split_keeps_every_block() -> None:
    blocks = (
        Paragraph((Text("[in] Flags:"),)),
        Paragraph((Text("MAPI_UNICODE"),)),
        Paragraph((Text("Strings are Unicode."),)),
        Paragraph((Text("fnevNewMail"),)),
    )
    description, flags = split_flags(blocks)
    assert description == blocks[:1]
    assert [(name, text) for name, _, text in flags] == [("MAPI_UNICODE", blocks[2:3]), ("fnevNewMail", ())]


def test_output_is_deterministic(corpus_model: Model, site: dict[str, str]) -> None:
    assert render_site(corpus_model) == site
    for rel, text in site.items():
        content = text if isinstance(text, bytes) else text.encode()  # images are bytes
        assert str(Path.cwd().resolve()).encode() not in content and b"/tmp/" not in content, rel


# --- hostile input ------------------------------------------------------------------------

HOSTILE = """---
title: IMAPIGetSession IUnknown
---
# IMAPIGetSession : IUnknown

**Applies to**: Outlook

Evil <script>alert(1)</script> "quoted" {{ 7\\*7 }} {% raw %} text with [x](javascript:alert(1)) and \
[y](../../../../etc/passwd) and [z](data:text/html,hi) and [ok](imapisupportiunknown.md).

|||
|:-----|:-----|
|Implemented by:  <br/> |MAPI <script>alert(2)</script> <br/> |
|Called by:  <br/> |Client applications  <br/> |
|Interface identifier:  <br/> |IID_IMAPIGetSession  <br/> |

## Vtable order

|||
|:-----|:-----|
|[GetMAPISession](imapigetsession-getmapisession.md) <br/> |</script><script>alert(3)</script>\u2028{{ 7\\*7 }} "q" \\ end <br/> |

## See also

[x](javascript:alert(1))
[y](../../../../etc/passwd)
"""


def test_hostile_page_renders_inert(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(SPECS / "idl", specs / "idl")
    (specs / "pages").mkdir()
    (specs / "pages" / "imapigetsessioniunknown.md").write_text(HOSTILE, encoding="utf-8")
    model = build_model(Sources(specs))
    site = render_site(model)
    docs = write(site, tmp_path / "out")
    broken, _ = check_links(docs)
    assert not broken, broken
    for rel, text in site.items():
        if rel.endswith(".html"):
            page = parse_html(text)
            assert all(set(s) == {"src"} for s in page.scripts), (rel, page.scripts)
            assert text.count("<script") == len(page.scripts) <= 2, rel
            for _, href in page.links:
                assert not href.lower().startswith(("javascript:", "data:")) and "etc/passwd" not in href, (rel, href)
            assert not re.search(r"(?<![\w-])49(?![\w-])", "".join(page.text)), rel
    page = site["docs/en-US/IMAPIGetSession.html"]
    assert "Evil &lt;script&gt;alert(1)&lt;/script&gt; &#34;quoted&#34; {{ 7*7 }} {% raw %} text with x" in page
    # CommonMark reads balanced parentheses in a link target: the whole "javascript:alert(1)" link is dropped.
    assert "text with x and y and z and" in page
    learn = "https://learn.microsoft.com/en-us/office/client-developer/outlook/mapi/imapisupportiunknown"
    assert f'<a href="{learn}">ok</a>' in page
    assert "MAPI &lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;" in site["docs/en-US/IMAPIGetSession.html"]
    index = site["docs/en-US/search-index.js"]
    data = index.split("window.MAPI_SEARCH_INDEX = ", 1)[1]
    assert "<" not in data and ">" not in data and "\u2028" not in data and "\u2029" not in data
    # Summaries are whitespace-normalized (U+2028 becomes a space); the literal escapes it anyway.
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(3)\\u003c/script\\u003e {{ 7*7 }} \\\"q\\\" \\\\ end" in data
    assert js_literal("</script>\u2028\u2029&") == '"\\u003c/script\\u003e\\u2028\\u2029\\u0026"'


def test_seed_site_links(tmp_path: Path) -> None:
    """The default build (specs/ only), as published under generated/docs."""
    site = render_site(build_model(Sources(SPECS)))
    broken, checked = check_links(write(site, tmp_path))
    assert checked > 1000 and not broken, broken[:50]
    assert "docs/es-ES/IMAPIGetSession.GetMAPISession.html" in site


def test_ctypes_examples_run_against_the_generated_bindings(tmp_path: Path) -> None:
    """The usage example of a method page, pasted as is, calls a live object through ctypes."""
    import html
    import subprocess
    import sys

    from generator.build import render_all

    files = render_all(build_model(Sources(SPECS)))
    write({rel: text for rel, text in files.items() if rel.startswith("python/")}, tmp_path)

    def example(rel: str) -> str:
        match = re.search(r'<section id="ctypes">.*?<pre class="code"><code>(.*?)</code></pre>', files[rel], re.DOTALL)
        assert match is not None, rel
        return html.unescape(match.group(1))

    script = "\n".join(
        [
            "import sys",
            f"sys.path.insert(0, {str(tmp_path / 'python')!r})",
            "from mapi_bindings import IMAPIGetSession, IMAPISession, expose",
            "class Getter(IMAPIGetSession):",
            "    def GetMAPISession(self):",
            "        return None",
            "class Session(IMAPISession):",
            "    def OpenMsgStore(self, ulUIParam, cbEntryID, lpEntryID, lpInterface, ulFlags):",
            "        assert (ulUIParam, cbEntryID, lpEntryID, lpInterface, ulFlags) == (0, 0, None, None, 0)",
            "        return None",
            "pointer = expose(Getter())",
            example("docs/en-US/IMAPIGetSession.GetMAPISession.html"),
            "assert lppSession is None",
            "pointer = expose(Session())",
            example("docs/en-US/IMAPISession.OpenMsgStore.html"),
            "assert lppMDB is None",
            "print('ok')",
        ]
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-3000:] + "\n" + script


def test_only_language_tags_name_folders() -> None:
    from dataclasses import replace

    from generator.backends.site import site_languages

    model = build_model(Sources(SPECS))
    assert site_languages(replace(model, languages=("es-ES", "../../x", "en-US", ""))) == ("en-US", "es-ES")
    assert site_languages(replace(model, languages=())) == ("en-US",)


def test_prose_html_escapes_as_markupsafe_does() -> None:
    from markupsafe import escape

    from generator.backends.prose import inline_html, rich_html
    from generator.model import Code, Link

    hostile = "a & b < c > d 'e' \"f\" &amp; <script>"
    resolve = {"t.md": 'x.html?a=1&b="2"'}.get
    html = inline_html((Text(hostile), Code(hostile), Link("t.md", (Text(hostile),))), resolve)
    assert html == f'{escape(hostile)}<code>{escape(hostile)}</code><a href="{escape(resolve("t.md"))}">{escape(hostile)}</a>'
    assert rich_html((Paragraph((Text(hostile),)),), resolve) == f"<p>{escape(hostile)}</p>"


def test_function_pages(site: dict[str, str]) -> None:
    page = parse_html(site["docs/en-US/function.MAPILogonEx.html"])
    text = " ".join("".join(page.text).split())
    assert "HRESULT MAPILogonEx( ULONG_PTR ulUIParam, LPTSTR lpszProfileName" in text
    assert 'MAPILogonEx = runtime.function("MAPILogonEx", ctypes.c_int32, ctypes.c_size_t' in text
    assert "Logs a client application on to a session with the messaging system." in text  # the page's prose
    assert "Headermapix.h" in text and "(reference page)Mapix.h" in text  # the header (mingw-w64 here), and the page's "Header file:" row
    html = site["docs/en-US/function.MAPILogonEx.html"]
    assert "MAPILogonEx@20" in text
    assert html.count('<span class="direction">[in]</span>') == 4 and html.count('<span class="direction">[out]</span>') == 1
    spanish = " ".join("".join(parse_html(site["docs/es-ES/function.MAPILogonEx.html"]).text).split())
    assert "Registra una aplicación cliente" in spanish and "Nombres exportados" in spanish
    query = " ".join("".join(parse_html(site["docs/en-US/function.HrQueryAllRows.html"]).text).split())
    assert "HrQueryAllRows@24" in query
    listing = " ".join("".join(parse_html(site["docs/en-US/functions.html"]).text).split())
    assert "Documented, declared by no header" in listing and "HrGetAutoDiscoverXML" in listing
    rows = {line.split('"')[1]: " ".join("".join(parse_html(line).text).split()) for line in site["docs/en-US/python-values.html"].splitlines() if line.startswith("<tr id=")}
    assert rows["PT_SYSTIME"] == "PT_SYSTIME0x0040datetime.datetime (UTC)" and rows["PT_MV_UNICODE"] == "PT_MV_UNICODE0x101Flist[str]"
    assert len([r for r in rows if r.startswith("PT_")]) == 26
    assert rows["RES_AND"] == "RES_ANDAndRestriction(restrictions)" and rows["RES_PROPERTY"] == "RES_PROPERTYPropertyRestriction(relop, tag, value)"
    index = site["docs/en-US/index.html"]
    assert 'href="functions.html"' in index and 'href="python-values.html"' in index
    assert '["MAPILogonEx","function","function.MAPILogonEx.html"' in site["docs/en-US/search-index.js"]
    # a link in a reference page to a function page goes to the generated page
    others = [rel for rel, html in site.items() if rel.startswith("docs/en-US/I") and 'href="function.' in html]
    assert len(others) > 50 and any('href="function.MAPIAllocateBuffer.html"' in site[rel] for rel in others)
