"""The index of a language tree: interfaces grouped by role, and the rules that give each its role."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.backends.site_chrome import NamedLink
from generator.backends.site_labels import labels
from generator.backends.site_links import PageText, Prose, interface_file, method_file
from generator.model import ENGLISH, Inline, Interface, Localized, Model, inline_text


@dataclass(frozen=True, slots=True)
class Role:
    """A group of the index: a key (also the section id) and its words per language."""

    key: str
    title: dict[str, str]
    blurb: dict[str, str]


ROLES = (
    Role(
        "client",
        {"en-US": "Client interfaces", "es-ES": "Interfaces de cliente"},
        {
            "en-US": "Implemented by MAPI or Outlook; client applications call them (sessions, profiles, address book).",
            "es-ES": "Implementadas por MAPI u Outlook; las llaman las aplicaciones cliente (sesiones, perfiles, libreta de direcciones).",
        },
    ),
    Role(
        "objects",
        {"en-US": "Objects implemented by providers", "es-ES": "Objetos implementados por proveedores"},
        {
            "en-US": "Stores, folders, messages, containers and tables that service providers implement and clients use.",
            "es-ES": "Almacenes, carpetas, mensajes, contenedores y tablas que implementan los proveedores y usan los clientes.",
        },
    ),
    Role(
        "provider",
        {"en-US": "Service provider interfaces", "es-ES": "Interfaces de proveedores de servicios"},
        {
            "en-US": "Implemented by address book, message store and transport providers; MAPI or the spooler calls them.",
            "es-ES": "Implementadas por proveedores de libreta, almacén y transporte; las llama MAPI o la cola MAPI.",
        },
    ),
    Role(
        "support",
        {"en-US": "Support for providers", "es-ES": "Soporte para proveedores"},
        {
            "en-US": "Implemented by MAPI for service providers to call.",
            "es-ES": "Implementadas por MAPI para que las llamen los proveedores de servicios.",
        },
    ),
    Role(
        "callbacks",
        {"en-US": "Callbacks", "es-ES": "Devoluciones de llamada"},
        {
            "en-US": "Implemented by client applications (and MAPI) to receive notifications and progress.",
            "es-ES": "Implementadas por aplicaciones cliente (y MAPI) para recibir notificaciones y progreso.",
        },
    ),
    Role(
        "forms",
        {"en-US": "Forms", "es-ES": "Formularios"},
        {
            "en-US": "Form servers, form viewers and form libraries.",
            "es-ES": "Servidores de formularios, visores de formularios y bibliotecas de formularios.",
        },
    ),
    Role(
        "offline",
        {"en-US": "Offline, synchronization and PST", "es-ES": "Sin conexión, sincronización y PST"},
        {
            "en-US": "Offline state, background synchronization and PST/OST replication.",
            "es-ES": "Estado sin conexión, sincronización en segundo plano y replicación PST/OST.",
        },
    ),
    Role(
        "other",
        {"en-US": "Other interfaces", "es-ES": "Otras interfaces"},
        {
            "en-US": "COM's IUnknown and interfaces whose reference page states no role.",
            "es-ES": "IUnknown de COM e interfaces cuya página de referencia no indica función.",
        },
    ),
)
ROLE_BY_KEY = {role.key: role for role in ROLES}

_FORM_NAMES = ("IMAPIForm", "IMAPIView", "IPersistMessage", "IMAPIMessageSite")
_OFFLINE_NAMES = ("IMAPIOffline", "IMAPISync", "IPST", "IOSTX")


def role_of(itf: Interface) -> str:
    """The key of the index group an interface belongs to.

    Decided from facts in the model, first rule that matches:

    1. ``forms``: the name starts with IMAPIForm, IMAPIView, IPersistMessage or
       IMAPIMessageSite, or the English "Implemented by"/"Called by" text names
       forms ("Form servers", "Form viewers", "Form objects", "Form library providers").
    2. ``offline``: the name starts with IMAPIOffline, IMAPISync, IPST or IOSTX.
    3. ``provider``: implemented by providers ("provider" in "Implemented by"),
       called without clients ("client" not in "Called by": MAPI, the spooler).
    4. ``callbacks``: implemented by clients ("client" in "Implemented by").
    5. ``objects``: implemented by providers and called by clients.
    6. ``support``: called by providers and not by clients (implemented by MAPI).
    7. ``client``: called by clients.
    8. ``other``: everything else (IUnknown, interfaces whose page has no
       "Implemented by"/"Called by" table, interfaces without a page).
    """
    implemented = _english(itf.implemented_by).lower()
    called = _english(itf.called_by).lower()
    if itf.name.startswith(_FORM_NAMES) or re.search(r"\bforms?\b", implemented + " " + called):
        return "forms"
    if itf.name.startswith(_OFFLINE_NAMES):
        return "offline"
    if "provider" in implemented and "client" not in called:
        return "provider"
    if "client" in implemented:
        return "callbacks"
    if "provider" in implemented:
        return "objects"
    if "provider" in called and "client" not in called:
        return "support"
    if "client" in called:
        return "client"
    return "other"


def _english(text: Localized[tuple[Inline, ...]]) -> str:
    value = text.get(ENGLISH)
    return inline_text(value) if value else ""



@dataclass(frozen=True, slots=True)
class IndexEntry:
    """An interface on the index."""

    name: str
    href: str
    base: str
    summary: Prose | None
    methods: tuple[NamedLink, ...]
    methods_label: str


@dataclass(frozen=True, slots=True)
class RoleGroup:
    """A group of the index."""

    key: str
    title: str
    blurb: str
    interfaces: tuple[IndexEntry, ...]



def index_groups(model: Model, lang: str, text: PageText) -> tuple[RoleGroup, ...]:
    """The groups of the index in ``lang``, in the order of ``ROLES``, each interface by name."""
    ui = labels(lang)
    members: dict[str, list[IndexEntry]] = {}
    for itf in sorted(model.interfaces, key=lambda i: i.name.lower()):
        entry = IndexEntry(
            name=itf.name,
            href=interface_file(itf.name),
            base=itf.base or "",
            summary=text.lead(itf.summary),
            methods=tuple(NamedLink(m.name, method_file(itf.name, m.name)) for m in itf.methods),
            methods_label=ui.method_one if len(itf.methods) == 1 else ui.methods.format(count=len(itf.methods)),
        )
        members.setdefault(role_of(itf), []).append(entry)
    return tuple(
        RoleGroup(
            role.key,
            role.title.get(lang, role.title[ENGLISH]),
            role.blurb.get(lang, role.blurb[ENGLISH]),
            tuple(members[role.key]),
        )
        for role in ROLES
        if role.key in members
    )
