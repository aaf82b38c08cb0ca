"""Doc-site back end: an HTML page per interface and per method, plus an index.

View models hold every string already escaped or marked safe (``Markup``);
the templates are autoescaped and only loop over them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from generator.backends.model_json import sorted_diagnostics
from generator.backends.prose import LinkResolver, rich_html
from generator.backends.render import render
from generator.model import Interface, Localized, Method, Model, RichText, Slot

LEARN = "https://learn.microsoft.com/en-us/office/client-developer/outlook/mapi/"
_PAGE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*\.md(#[A-Za-z0-9_-]*)?")


@dataclass(frozen=True, slots=True)
class LangText:
    """Prose in one language."""

    lang: str
    html: Markup


@dataclass(frozen=True, slots=True)
class SlotView:
    """A row of the vtable table."""

    index: int
    offset32: int
    offset64: int
    name: str
    href: str
    declared_by: str


@dataclass(frozen=True, slots=True)
class ParamRow:
    """A row of a method's parameter table."""

    name: str
    direction: str
    type: str
    docs: tuple[LangText, ...]


@dataclass(frozen=True, slots=True)
class MethodPageView:
    """What a method page shows."""

    interface: str
    name: str
    file: str
    signature: str
    summary: tuple[LangText, ...]
    params: tuple[ParamRow, ...]
    returns: tuple[tuple[str, tuple[LangText, ...]], ...]
    remarks: tuple[LangText, ...]


@dataclass(frozen=True, slots=True)
class FindingView:
    """A diagnostic about the interface: where the page and the ABI disagree, and the like."""

    severity: str
    code: str
    where: str
    message: str


@dataclass(frozen=True, slots=True)
class InterfacePageView:
    """What an interface page shows."""

    name: str
    file: str
    base: str | None
    base_file: str
    iid: str
    iid_symbol: str
    description: tuple[LangText, ...]
    summary: tuple[LangText, ...]
    slots: tuple[SlotView, ...]
    methods: tuple[MethodPageView, ...]
    findings: tuple[FindingView, ...]


def _resolver(known: dict[str, str]) -> LinkResolver:
    def resolve(target: str) -> str | None:
        lowered = target.strip().lower()
        if lowered.startswith(("http://", "https://", "mailto:")):
            return target.strip()
        name = lowered.rsplit("/", 1)[-1]
        if "/" in lowered or not _PAGE_NAME.fullmatch(name):
            return None
        page, _, anchor = name.partition("#")
        if page in known:
            return known[page] + (f"#{anchor}" if anchor else "")
        return LEARN + page.removesuffix(".md") + (f"#{anchor}" if anchor else "")

    return resolve


def _texts(text: Localized[RichText], resolve: LinkResolver) -> tuple[LangText, ...]:
    return tuple(LangText(lang, rich_html(value, resolve)) for lang, value in text.items if value)


def _signature(method: Method) -> str:
    params = ",\n".join(f"  {p.type} {p.name}" for p in method.params)
    return f"{method.return_type} {method.name}(\n{params}\n);" if params else f"{method.return_type} {method.name}(void);"


def _method_view(itf: Interface, method: Method, resolve: LinkResolver) -> MethodPageView:
    return MethodPageView(
        interface=itf.name,
        name=method.name,
        file=f"{itf.name}.{method.name}.html",
        signature=_signature(method),
        summary=_texts(method.summary, resolve),
        params=tuple(
            ParamRow(p.name, p.direction.value, str(p.type), _texts(p.doc, resolve)) for p in method.params
        ),
        returns=tuple((r.code, _texts(r.text, resolve)) for r in method.return_values),
        remarks=_texts(method.remarks, resolve),
    )


def _slot(slot: Slot) -> SlotView:
    return SlotView(
        slot.index, slot.index * 4, slot.index * 8, slot.method.name,
        f"{slot.declared_by}.{slot.method.name}.html", slot.declared_by,
    )


def render_site(model: Model) -> dict[str, str]:
    """The files of ``docs/``."""
    known: dict[str, str] = {}
    for itf in model.interfaces:
        if itf.page:
            known[itf.page.rsplit("/", 1)[-1].lower()] = f"{itf.name}.html"
        for method in itf.methods:
            if method.page:
                known[method.page.rsplit("/", 1)[-1].lower()] = f"{itf.name}.{method.name}.html"
    resolve = _resolver(known)
    views = [
        InterfacePageView(
            name=itf.name,
            file=f"{itf.name}.html",
            base=itf.base,
            base_file=f"{itf.base}.html" if itf.base else "",
            iid=itf.iid.value if itf.iid else "unknown",
            iid_symbol=itf.iid_symbol or "",
            description=_texts(itf.description, resolve),
            summary=_texts(itf.summary, resolve),
            slots=tuple(_slot(s) for s in model.vtable(itf.name)),
            methods=tuple(_method_view(itf, m, resolve) for m in itf.methods),
            findings=tuple(
                FindingView(d.severity.value, d.code, f"{d.loc.file}:{d.loc.line}" if d.loc else "", d.message)
                for d in sorted_diagnostics(model.diagnostics)
                if d.interface == itf.name
            ),
        )
        for itf in model.interfaces
    ]
    files = {"docs/index.html": render("site/index.html.j2", interfaces=views, languages=model.languages)}
    files["docs/style.css"] = render("site/style.css")
    for view in views:
        files[f"docs/{view.file}"] = render("site/interface.html.j2", itf=view)
        for page in view.methods:
            files[f"docs/{page.file}"] = render("site/method.html.j2", itf=view, method=page)
    return files
