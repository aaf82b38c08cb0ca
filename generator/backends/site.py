"""Doc-site back end: a static, multilingual reference site built from the model.

Layout of what ``render_site`` returns (paths under the output folder)::

    docs/index.html                     the languages, each linking to its tree
    docs/assets/style.css, site.js      the one style sheet and the one script
    docs/<lang>/index.html              interfaces grouped by role, with the search box
    docs/<lang>/search-index.js         the search data (assigned to ``window.MAPI_SEARCH_INDEX``)
    docs/<lang>/<Interface>.html        inheritance, IID, roles, description, full vtable,
                                        reconciliation findings, see also
    docs/<lang>/<Interface>.<Method>.html
                                        C and Python signatures, ctypes usage, parameters,
                                        flags (with their values), return values, remarks
    docs/<lang>/structures.html, struct.<Name>.html, constants.html, constants.<Header>.html,
    tags.<Header>.html, property-sets.html
                                        the data types (``site_data.py``)
    docs/<lang>/enums.html, enum.<Name>.html, macros.html, macro.<Name>.html
                                        enumerations and macros (``site_enums.py``)
    docs/<lang>/functions.html, function.<Name>.html, functype.<Name>.html, python-values.html
                                        functions and function types, the Python values
                                        (``site_functions.py``)

Python and ctypes facts come from the views stage (``generator.views``).
This module builds the trees; the pieces are ``site_links`` (page names,
link resolution, prose in a page's language), ``site_labels`` (the site's own
words), ``site_chrome`` (what surrounds every page; ``docs/`` root and
assets), ``site_roles`` (the index), ``site_pages`` and ``site_python`` (the
interface and method pages) and ``site_search`` (the search index).

Every language of the model gets a tree (English first, then the others by
name); every page links to the same page in the other languages.  Text
missing in a language falls back to English (then to any language that has
it), is marked with the language it is shown in, and the page says so.

The site works from the file system: no fetch, no external resource; every
link inside the site is a relative link within ``docs/``.  View models hold
every string already escaped or wrapped in ``Markup``; the templates are
autoescaped and only loop over them.  Output is deterministic: no
timestamps, no absolute paths, everything from sets or dicts sorted.
"""

from __future__ import annotations

import re
from functools import partial

from generator.backends.render import render
from generator.backends.site_chrome import SEARCH_INDEX, Chrome, NamedLink, page_chrome, render_root
from generator.backends.site_data import DATA_IDS, DataPages, constant_href, structure_file
from generator.backends.site_enums import EnumPages, enum_reference_pages
from generator.backends.site_functions import FUNCTION_IDS, FunctionPages
from generator.backends.site_labels import labels, language_order
from generator.backends.site_links import (
    INTERFACE_IDS,
    METHOD_IDS,
    MediaShelf,
    PageText,
    SitePage,
    interface_file,
    learn_url,
    link_resolver,
    method_file,
    page_name,
)
from generator.backends.site_pages import interface_findings, interface_view, method_view
from generator.backends.site_properties import PROPERTY_IDS, PropertyPages, reference_pages
from generator.backends.site_roles import index_groups
from generator.backends.site_search import search_index_js
from generator.model import ENGLISH, Model
from generator.views import Views, views_of

_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")


def site_languages(model: Model) -> tuple[str, ...]:
    """The languages that get a tree: English first, then the others by name.

    Only language tags (``es-ES``) name a folder; anything else in the model is left out.
    """
    tags = {lang for lang in model.languages if _LANGUAGE_TAG.fullmatch(lang)}
    return tuple(sorted(tags or {ENGLISH}, key=language_order))


class Site:
    """The pages every language tree links to, and the trees themselves.

    What the trees share is computed once, so that one ``Site`` made before
    the rendering workers fork serves every tree; ``views``: the model's
    views, when the caller has them already.
    """

    def __init__(self, model: Model, views: Views | None = None) -> None:
        self.model = model
        self.languages = site_languages(model)
        self.views = views_of(model) if views is None else views
        self.constants = {c.name: constant_href(c) for c in (*self.views.data.constants, *self.views.data.tags)}
        self.findings = interface_findings(model)
        self.derived: dict[str, list[str]] = {}
        for itf in model.interfaces:
            if itf.base:
                self.derived.setdefault(itf.base, []).append(itf.name)
        self.pages: dict[str, SitePage] = {}
        for itf in model.interfaces:
            for method in itf.methods:
                if method.page:
                    self.pages[page_name(method.page)] = SitePage(method_file(itf.name, method.name), METHOD_IDS)
        for itf in model.interfaces:
            if itf.page:
                self.pages[page_name(itf.page)] = SitePage(interface_file(itf.name), INTERFACE_IDS)
        for structure in self.views.data.structures:
            if structure.page:
                self.pages[page_name(structure.page)] = SitePage(structure_file(structure), DATA_IDS)
        for page, file in FunctionPages(model, self.views, ENGLISH, {}).page_files().items():
            self.pages.setdefault(page, SitePage(file, FUNCTION_IDS))
        self.pages.update((name, SitePage(file, PROPERTY_IDS)) for name, file in reference_pages(self.views.properties).items())
        self.pages.update((name, SitePage(*page)) for name, page in enum_reference_pages(model.enums, model.macros).items())

    def chrome(self, lang: str, file: str, title: str, crumbs: tuple[NamedLink, ...], text: PageText | None) -> Chrome:
        return page_chrome(self.languages, lang, file, title, crumbs, text)

    def language_tree(self, lang: str) -> dict[str, str | bytes]:
        """The files of ``docs/<lang>/`` (the images its pages show as bytes, under ``media/``)."""
        root = f"docs/{lang}"
        files: dict[str, str | bytes] = {}
        media = MediaShelf(self.model, lang)
        search: list[list[str]] = []
        for itf in self.model.interfaces:
            file = interface_file(itf.name)
            text = PageText(lang, link_resolver(lang, self.pages, SitePage(file, INTERFACE_IDS), media))
            view = interface_view(self.model, self.derived, self.findings, itf, text)
            crumbs = (NamedLink(labels(lang).home, "index.html"),)
            files[f"{root}/{file}"] = render(
                "site/interface.html.j2", page=self.chrome(lang, file, itf.name, crumbs, text), itf=view
            )
            search.append([itf.name, "interface", file, PageText(lang, text.resolve).lead_text(itf.summary)])
            for position, method in enumerate(itf.methods):
                mfile = method_file(itf.name, method.name)
                mtext = PageText(lang, link_resolver(lang, self.pages, SitePage(mfile, METHOD_IDS), media))
                mview = method_view(self.model, self.views, self.constants, itf, position, mtext)
                mcrumbs = (*crumbs, NamedLink(itf.name, file))
                files[f"{root}/{mfile}"] = render(
                    "site/method.html.j2",
                    page=self.chrome(lang, mfile, f"{itf.name}::{method.name}", mcrumbs, mtext),
                    method=mview,
                )
                summary = PageText(lang, mtext.resolve).lead_text(method.summary)
                search.append([f"{itf.name}::{method.name}", "method", mfile, summary])
        data = DataPages(self.views.data, lang, lambda file: PageText(lang, link_resolver(lang, self.pages, SitePage(file, DATA_IDS), media)))
        home = NamedLink(labels(lang).home, "index.html")

        def chrome(file: str, title: str, crumbs: tuple[NamedLink, ...], text: PageText | None) -> Chrome:
            return self.chrome(lang, file, title, crumbs, text)

        files.update((f"{root}/{file}", text) for file, text in data.files(chrome, home).items())
        search.extend(data.search_entries())
        functions = FunctionPages(self.model, self.views, lang, self.constants)

        def text_of(file: str) -> PageText:
            return PageText(lang, link_resolver(lang, self.pages, SitePage(file, FUNCTION_IDS), media))

        files.update((f"{root}/{file}", text) for file, text in functions.files(chrome, home, text_of).items())
        search.extend(functions.search_entries())
        props = PropertyPages(self.views.properties, lang, self.model.diagnostics, lambda page: learn_url(lang, page))

        def texts(file: str) -> PageText:
            return PageText(lang, link_resolver(lang, self.pages, SitePage(file, PROPERTY_IDS), media))

        files.update((f"{root}/{file}", text) for file, text in props.files(partial(self.chrome, lang), home, texts).items())
        index_text = PageText(lang, link_resolver(lang, self.pages, media=media))
        search.extend(props.search_entries(index_text.lead_text))
        enums = EnumPages(self.model.enums, self.model.macros, lang)
        files.update((f"{root}/{file}", text) for file, text in enums.files(partial(self.chrome, lang), home, lambda file, ids: PageText(lang, link_resolver(lang, self.pages, SitePage(file, ids), media))).items())
        search.extend(enums.search_entries(index_text.lead_text))
        groups = index_groups(self.model, lang, index_text)
        files[f"{root}/index.html"] = render(
            "site/index.html.j2",
            page=self.chrome(lang, "index.html", labels(lang).site_title, (), index_text),
            groups=groups,
            data_title=data.words.data_types,
            data_links=data.links() + enums.links() + functions.links() + props.links(),
        )
        files[f"{root}/{SEARCH_INDEX}"] = search_index_js(lang, sorted(search))
        files.update(media.files(root))
        return files


def render_site(model: Model) -> dict[str, str | bytes]:
    """The files of ``docs/``."""
    site = Site(model)
    files: dict[str, str | bytes] = {**render_root(site.languages)}
    for lang in site.languages:
        files.update(site.language_tree(lang))
    return dict(sorted(files.items()))


def render_site_root(model: Model) -> dict[str, str]:
    """The files of ``docs/`` outside the language trees (``render_site`` without them)."""
    return render_root(site_languages(model))


def render_site_language(model: Model, lang: str) -> dict[str, str | bytes]:
    """The files of one language tree, ``docs/<lang>/`` (the images its pages show as bytes, under ``media/``)."""
    return Site(model).language_tree(lang)
