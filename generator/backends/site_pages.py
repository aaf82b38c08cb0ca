"""View models of the interface and method pages: vtable rows, findings, parameters, flags."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from markupsafe import Markup

from generator.backends.prose import inline_html, rich_html
from generator.backends.site_chrome import NamedLink
from generator.backends.site_data import file_part
from generator.backends.site_labels import labels, language_name
from generator.backends.site_links import (
    PageText,
    Prose,
    interface_file,
    learn_url,
    method_file,
    page_name,
)
from generator.backends.site_python import ctypes_example, python_signature, root_python
from generator.backends.site_roles import ROLE_BY_KEY, role_of
from generator.findings import sorted_diagnostics
from generator.flags import split_flags
from generator.model import ENGLISH, Interface, Method, Model
from generator.views import Views


@dataclass(frozen=True, slots=True)
class SlotRow:
    """A row of the vtable table."""

    index: int
    offset32: str
    offset64: str
    name: str
    href: str
    declared_by: str
    declared_href: str
    inherited: bool
    summary: Prose | None


@dataclass(frozen=True, slots=True)
class FindingView:
    """A diagnostic about the interface: where the page and the ABI disagree, and the like."""

    severity: str
    code: str
    where: str
    message: str


@dataclass(frozen=True, slots=True)
class ChainLink:
    """An interface of the inheritance chain."""

    name: str
    href: str
    current: bool


@dataclass(frozen=True, slots=True)
class InterfaceView:
    """What an interface page shows."""

    name: str
    chain: tuple[ChainLink, ...]
    derived: tuple[NamedLink, ...]
    iid: str
    iid_symbol: str
    role: NamedLink
    implemented_by: Prose | None
    called_by: Prose | None
    description: Prose | None
    layout_source: str
    source_href: str
    slots: tuple[SlotRow, ...]
    findings: tuple[FindingView, ...]
    see_also: tuple[Prose, ...]


@dataclass(frozen=True, slots=True)
class ParamRow:
    """A row of a method's parameter table."""

    name: str
    direction: str
    assumed: bool
    c_type: str
    python: str
    doc: Prose | None
    flags: tuple[NamedLink, ...]


@dataclass(frozen=True, slots=True)
class FlagRow:
    """One flag (or value) a parameter documents."""

    id: str
    name: Markup
    text: Markup
    value: str
    href: str


@dataclass(frozen=True, slots=True)
class FlagGroup:
    """The flags of one parameter, in one language."""

    id: str
    param: str
    lang: str
    fallback: str
    flags: tuple[FlagRow, ...]


@dataclass(frozen=True, slots=True)
class ReturnRow:
    """A documented return value."""

    code: str
    text: Prose | None


@dataclass(frozen=True, slots=True)
class MethodPageView:
    """What a method page shows."""

    interface: str
    name: str
    itf_href: str
    position: str
    summary: Prose | None
    c_signature: str
    python_signature: str
    ctypes_example: str
    params: tuple[ParamRow, ...]
    flags: tuple[FlagGroup, ...]
    returns: tuple[ReturnRow, ...]
    remarks: Prose | None
    source_href: str
    previous: NamedLink | None
    next: NamedLink | None



def _location(loc_file: str, line: int) -> str:
    parts = loc_file.replace("\\", "/").split("/")
    return f"{'/'.join(parts[-2:])}:{line}"


def interface_findings(model: Model) -> dict[str, tuple[FindingView, ...]]:
    """The findings each interface page lists, by interface name, in ``sorted_diagnostics`` order."""
    found: dict[str, list[FindingView]] = {}
    for d in sorted_diagnostics(model.diagnostics):
        if d.interface:
            where = _location(d.loc.file, d.loc.line) if d.loc else ""
            found.setdefault(d.interface, []).append(FindingView(d.severity.value, d.code, where, d.message))
    return {name: tuple(views) for name, views in found.items()}


def interface_view(
    model: Model, derived: dict[str, list[str]], findings: dict[str, tuple[FindingView, ...]], itf: Interface, text: PageText
) -> InterfaceView:
    """What the page of ``itf`` shows; ``derived`` maps each interface to those that derive from it,
    ``findings`` to what ``interface_findings`` lists for it."""
    lang = text.language
    role = ROLE_BY_KEY[role_of(itf)]
    see_also: list[Prose] = []
    for link in itf.see_also:
        picked = text.pick(link.text)
        shown = picked[0] if picked else lang
        inner = inline_html(picked[1], text.resolve) if picked else Markup("")
        if not inner:
            inner = Markup("%s") % link.target
        href = text.resolve(link.target)
        html = Markup('<a href="%s">%s</a>') % (href, inner) if href else inner
        see_also.append(Prose(html, shown, language_name(shown) if shown != lang else ""))
    source = labels(lang).abi_sources.get(itf.abi_source, itf.abi_source)
    return InterfaceView(
        name=itf.name,
        chain=tuple(
            ChainLink(base.name, interface_file(base.name), base.name == itf.name)
            for base in model.chain(itf.name)
        ),
        derived=tuple(
            NamedLink(name, interface_file(name)) for name in sorted(derived.get(itf.name, ()))
        ),
        iid=itf.iid.value if itf.iid else "",
        iid_symbol=itf.iid_symbol or "",
        role=NamedLink(role.title.get(lang, role.title[ENGLISH]), f"index.html#role-{role.key}"),
        implemented_by=text.inline(itf.implemented_by),
        called_by=text.inline(itf.called_by),
        description=text.rich(itf.description),
        layout_source=f"{source} ({posixpath.basename(itf.loc.file.replace(chr(92), '/'))})",
        source_href=learn_url(lang, page_name(itf.page)) if itf.page else "",
        slots=tuple(
            SlotRow(
                index=slot.index,
                offset32=f"{slot.index * 4} (0x{slot.index * 4:X})",
                offset64=f"{slot.index * 8} (0x{slot.index * 8:X})",
                name=slot.method.name,
                href=method_file(slot.declared_by, slot.method.name),
                declared_by=slot.declared_by,
                declared_href=interface_file(slot.declared_by),
                inherited=slot.declared_by != itf.name,
                summary=text.inline(slot.method.row_summary)
                if slot.method.row_summary.get(lang)
                else text.lead(slot.method.summary),
            )
            for slot in model.vtable(itf.name)
        ),
        findings=findings.get(itf.name, ()),
        see_also=tuple(see_also),
    )


def method_view(model: Model, views: Views, constants: dict[str, str], itf: Interface, position: int, text: PageText) -> MethodPageView:
    """What the page of ``itf``'s method at ``position`` shows; ``constants`` maps names to their hrefs."""
    lang = text.language
    ui = labels(lang)
    method = itf.methods[position]
    slot = next(s for s in model.vtable(itf.name) if s.declared_by == itf.name and s.method is method)
    view = views.interfaces.interface(itf.name).methods[position]
    values = {flag.name: flag for p in view.params for flag in p.flags}
    if itf.base is None:
        py_signature, example = root_python(itf.name, method, view)
    else:
        py_signature, example = python_signature(view), ctypes_example(itf.name, method, view)
    annotations = {p.c_name: p for p in view.params}
    params: list[ParamRow] = []
    flag_groups: list[FlagGroup] = []
    for param in method.params:
        picked = text.pick(param.doc)
        doc: Prose | None = None
        flag_links: tuple[NamedLink, ...] = ()
        if picked is not None:
            doc_lang, blocks = picked
            description, flags = split_flags(blocks)
            fallback = language_name(doc_lang) if doc_lang != lang else ""
            doc = Prose(rich_html(description, text.resolve), doc_lang, fallback) if description else None
            if flags:
                group_id = f"flags-{file_part(param.name)}"
                rows: list[FlagRow] = []
                seen: set[str] = set()
                for name, name_inlines, flag_blocks in flags:
                    flag_id = f"{group_id}-{file_part(name)}"
                    while flag_id in seen:
                        flag_id += "_"
                    seen.add(flag_id)
                    value = values.get(name)
                    rows.append(
                        FlagRow(
                            flag_id,
                            inline_html(name_inlines, text.resolve),
                            rich_html(flag_blocks, text.resolve),
                            value.hex if value else "",
                            constants.get(name, ""),
                        )
                    )
                flag_groups.append(FlagGroup(group_id, param.name, doc_lang, fallback, tuple(rows)))
                flag_links = tuple(NamedLink(name, f"#{row.id}") for (name, _, _), row in zip(flags, rows))
        pview = annotations.get(param.name)
        python = pview.annotation if pview else ""
        if pview is not None and pview.out:
            python = f"{ui.returned}: {python}"
        params.append(
            ParamRow(
                name=param.name,
                direction=param.direction.value,
                assumed=param.direction_assumed,
                c_type=str(param.type),
                python=python,
                doc=doc,
                flags=flag_links,
            )
        )
    previous = itf.methods[position - 1] if position else None
    following = itf.methods[position + 1] if position + 1 < len(itf.methods) else None
    return MethodPageView(
        interface=itf.name,
        name=method.name,
        itf_href=interface_file(itf.name),
        position=ui.vtable_position.format(
            slot=slot.index, interface=itf.name, offset32=slot.index * 4, offset64=slot.index * 8
        ),
        summary=text.rich(method.summary),
        c_signature=c_signature(method),
        python_signature=py_signature,
        ctypes_example=example,
        params=tuple(params),
        flags=tuple(flag_groups),
        returns=tuple(ReturnRow(r.code, text.rich(r.text)) for r in method.return_values),
        remarks=text.rich(method.remarks),
        source_href=learn_url(lang, page_name(method.page)) if method.page else "",
        previous=NamedLink(previous.name, method_file(itf.name, previous.name)) if previous else None,
        next=NamedLink(following.name, method_file(itf.name, following.name)) if following else None,
    )


def c_signature(method: Method) -> str:
    """The method's C declaration, one parameter a line, with IDL-style directions."""
    if not method.params:
        return f"{method.return_type} {method.name}(void);"
    width = max(len(str(p.type)) for p in method.params)
    lines = [
        f"  {str(p.type).ljust(width)} {p.name}{',' if i + 1 < len(method.params) else ''}"
        for i, p in enumerate(method.params)
    ]
    return f"{method.return_type} {method.name}(\n" + "\n".join(lines) + "\n);"
