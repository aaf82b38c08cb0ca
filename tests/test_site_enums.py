"""The doc site's enumeration and macro pages (generator/backends/site_enums.py), on the corpus site of test_site.py.

The site is built once per session (``corpus_site``: en-US, es-ES and
es-ES-sxs with mingw-w64's headers); the link checker of test_site.py covers
these pages with the others.
"""

from __future__ import annotations

import re

import pytest
from test_site import _corpus_build, corpus_site


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    return corpus_site()


def test_a_page_per_enumeration_and_macro_linked_from_the_index(site: dict[str, str]) -> None:
    model = _corpus_build()[0]
    for lang in ("en-US", "es-ES"):
        files = {k.removeprefix(f"docs/{lang}/") for k in site if k.startswith(f"docs/{lang}/")}
        assert {f"enum.{e.name}.html" for e in model.enums} <= files and {f"macro.{m.name}.html" for m in model.macros} <= files
        index = site[f"docs/{lang}/index.html"]
        assert 'href="enums.html"' in index and 'href="macros.html"' in index
        assert len(re.findall(r'href="enum\.', site[f"docs/{lang}/enums.html"])) == len(model.enums) == 8
        assert len(re.findall(r'href="macro\.', site[f"docs/{lang}/macros.html"])) == len(model.macros) == 41
    sync = site["docs/en-US/enum.SYNCSTATE.html"]
    assert '<tr id="LR_SYNC_UPLOAD_MESSAGE_DEL"><td><code>LR_SYNC_UPLOAD_MESSAGE_DEL</code></td><td class="num"><code>9 (0x9)</code>' in sync
    assert "no header read declares it" in sync
    saveopts = site["docs/en-US/enum.SAVEOPTS.html"]
    assert "mapiform.h (include/mapiform.h:75)" in saveopts and "<code>2 (0x2)</code>" in saveopts
    prop_tag = site["docs/en-US/macro.PROP_TAG.html"]
    assert "<pre><code>PROP_TAG (ulPropType, ulPropID)</code></pre>" in prop_tag
    assert '<dt id="param-ulPropType"><code>ulPropType</code></dt>' in prop_tag
    assert "Returns a property tag created by combining" in prop_tag
    assert '<div class="prose" lang="es-ES">' in site["docs/es-ES/macro.PROP_TAG.html"]


def test_links_in_prose_go_to_the_macro_pages_and_the_search_finds_them(site: dict[str, str]) -> None:
    assert 'href="macro.PROP_TAG.html"' in site["docs/en-US/IMAPISupport.DoCopyTo.html"]
    assert not any("learn.microsoft.com/en-us/office/client-developer/outlook/mapi/prop_tag" in v for v in site.values() if isinstance(v, str))
    search = site["docs/en-US/search-index.js"]
    assert '["PROP_TAG","macro","macro.PROP_TAG.html","PROP_TAG (ulPropType, ulPropID) Returns' in search
    assert '["SYNCSTATE","enum","enum.SYNCSTATE.html",' in search
