"""Python back end, properties part: ``properties.py``, every canonical property under its canonical name.

``PidTagDisplayName`` is a ``TaggedProperty`` (id, types, ``PR_`` tags),
``PidLidEmail1DisplayName`` a ``NamedProperty`` (property set, long ID or
name, types); the ``PR_`` names only the pages give are bound beside them,
marked docs only.  Formatted from the views (``generator.views.properties``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.backends.prose import plain_text
from generator.backends.render import import_order, py_string
from generator.views.properties import PropertyView, PropertyViews


@dataclass(frozen=True, slots=True)
class PropertyCode:
    """``Name = TaggedProperty(...)`` or ``Name = NamedProperty(...)``: the class and its arguments."""

    name: str
    cls: str
    arguments: str


@dataclass(frozen=True, slots=True)
class PropertiesCode:
    """What ``properties.py`` holds; ``guids``: the property sets it imports from ``guids.py``."""

    properties: tuple[PropertyCode, ...]
    docs_only: tuple[tuple[str, str], ...]
    guids: tuple[str, ...]
    names: list[str]


def properties_code(views: PropertyViews) -> PropertiesCode:
    """The code of ``properties.py`` from the views."""
    return PropertiesCode(
        properties=tuple(_property(p) for p in views.properties),
        docs_only=tuple((t.name, t.hex) for t in views.docs_only),
        guids=tuple(import_order(sorted({p.property_set for p in views.properties if p.property_set_bound}))),
        names=["DOCS_ONLY_TAGS", "NamedProperty", "TaggedProperty", *views.names],
    )


def _property(view: PropertyView) -> PropertyCode:
    types = _tuple(f"0x{value:04X}" for _, value in view.types)
    description = plain_text(next((text for _, text in view.source.description.items), ()))
    description = " ".join(description.split())
    if view.kind == "tag":
        prop_id = "None" if view.prop_id is None else f"0x{view.prop_id:04X}"
        tags = _tuple(f"({py_string(t.name)}, {t.hex})" for t in view.tags if t.value is not None)
        docs_only = _tuple(py_string(t.name) for t in view.tags if t.docs_only and t.value is not None)
        arguments = [py_string(view.name), prop_id, types, tags, docs_only]
        cls = "TaggedProperty"
    else:
        guid = view.property_set if view.property_set_bound else "None"
        lid = "None" if view.lid is None else f"0x{view.lid:08X}"
        arguments = [py_string(view.name), py_string(view.property_set), guid, lid, py_string(view.property_name), types]
        cls = "NamedProperty"
    arguments += [py_string(view.area), py_string(description)]
    return PropertyCode(view.name, cls, ", ".join(arguments))


def _tuple(items: Iterable[str]) -> str:
    parts = list(items)
    return f"({parts[0]},)" if len(parts) == 1 else f"({', '.join(parts)})"
