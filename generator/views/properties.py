"""Views of the canonical properties: what the bindings and the doc site show of each.

A property's types are the headers' ``PT_`` values of the names its page
gives; its tags the ``PR_`` names with their values (a docs-only one's
generated, see ``generator.property_merge``).  A docs-only name is bound by the
bindings when it has a value and its name is free (``bound``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from generator.model import ENGLISH, Localized, Model, Property
from generator.views.data import usable

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class TagView:
    """A ``PR_`` name of a property, its value (None: unknown), whether only the pages give it."""

    name: str
    value: int | None
    docs_only: bool
    header: str

    @property
    def hex(self) -> str:
        """The tag in hexadecimal (``0x3001001F``), or ``?``."""
        return "?" if self.value is None else f"0x{self.value:08X}"


@dataclass(frozen=True, slots=True)
class PropertyView:
    """A canonical property: its facts, its types as (name, value), its tags, its English area; ``source`` for its prose."""

    name: str
    kind: str
    prop_id: int | None
    lid: int | None
    property_name: str
    property_set: str
    property_set_bound: bool
    types: tuple[tuple[str, int], ...]
    tags: tuple[TagView, ...]
    aliases: tuple[str, ...]
    area: str
    source: Property


@dataclass(frozen=True, slots=True)
class PropertyViews:
    """Every canonical property the bindings bind, and the docs-only tags they bind beside them."""

    properties: tuple[PropertyView, ...]
    docs_only: tuple[TagView, ...]

    @property
    def names(self) -> list[str]:
        """Every name ``properties.py`` binds for the package to export."""
        return [p.name for p in self.properties] + [t.name for t in self.docs_only]


def property_views(model: Model, taken: frozenset[str] | set[str], guids: set[str]) -> PropertyViews:
    """The properties' views; ``taken`` are the names bound elsewhere, ``guids`` the property sets bound."""
    type_values = {c.name: c.value for c in model.property_types}
    views: list[PropertyView] = []
    docs_only: dict[str, TagView] = {}
    names, free = set(taken), set(taken)
    for prop in model.properties:
        if not usable(prop.name, names):
            continue
        names.add(prop.name)
        tags = tuple(TagView(t.name, t.value, t.docs_only, t.header) for t in prop.tags)
        for tag in tags:
            if tag.docs_only and tag.value is not None and tag.name not in docs_only and usable(tag.name, free):
                docs_only[tag.name] = tag
        views.append(
            PropertyView(
                name=prop.name,
                kind=prop.kind,
                prop_id=prop.prop_id,
                lid=prop.lid,
                property_name=prop.property_name,
                property_set=prop.property_set,
                property_set_bound=prop.property_set in guids,
                types=tuple((t, type_values[t]) for t in prop.types if t in type_values),
                tags=tags,
                aliases=prop.aliases,
                area=_english(prop.area) or "",
                source=prop,
            )
        )
    return PropertyViews(tuple(views), tuple(docs_only[n] for n in sorted(docs_only)))


def _english(text: Localized[T]) -> T | None:
    """The English value, else the first language's."""
    found = text.get(ENGLISH)
    return found if found is not None else (text.items[0][1] if text.items else None)
