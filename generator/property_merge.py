"""Property pages against the headers: canonical ``Property`` objects and the findings between them.

The headers decide a tag's value; a page gives the canonical name, the area
and the prose, and for a named property the property set and its long ID or
name.  Every disagreement is a finding at the page's row:

* ``property-id-mismatch`` / ``property-type-mismatch``: a ``PR_`` name the
  page lists has another id, or a type the page does not give, in the headers;
* ``property-docs-only`` (a note): a ``PR_`` name no header defines; its value
  is generated from the page's id and type and marked docs only;
* ``property-id-unreadable``: an identifier or long ID that is no number
  (``TBD``), a truncated one (``0x3439000``), or a whole tag where the id
  belongs (the id is then read from its upper half);
* ``property-type-unknown``: a type no header defines (``PT_GUID``,
  ``PT_MV_UNICODE8``, ``TBD``), on a property page or on ``property-types.md``;
* ``property-types-page``: ``property-types.md`` against the headers (a value
  that differs, ``PT_TSTRING`` given one value, a type without a row).

A property documented in several folders is one ``Property``: the facts of
the first English page (else the first page), the prose of every language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from generator.model import (
    ENGLISH,
    Constant,
    Diagnostic,
    PageField,
    Property,
    PropertyPage,
    PropertyTag,
    PropertyTypesPage,
    Severity,
    SourceLoc,
)

_ID = re.compile(r"0x([0-9A-Fa-f]{4})")
_WHOLE_TAG = re.compile(r"0x([0-9A-Fa-f]{8})")
_HEX = re.compile(r"0x([0-9A-Fa-f]{1,8})")
_NAMES = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_SEPARATORS = re.compile(r",|;|\s+or\s+")
_KINDS = (("PidTag", "tag"), ("PidLid", "lid"), ("PidName", "name"))
_MULTI_VALUED = 0x1000
_STRING8, _UNICODE = 0x001E, 0x001F
# Types the headers switch on UNICODE (PT_UNICODE when it is defined, PT_STRING8 otherwise).
_SWITCHED, _SWITCHED_MULTI_VALUED = "PT_TSTRING", "PT_MV_TSTRING"


def merge_properties(
    pages: Iterable[PropertyPage | PropertyTypesPage], constants: Sequence[Constant]
) -> tuple[tuple[Property, ...], tuple[Diagnostic, ...]]:
    """The canonical properties of ``pages`` (by name) and the findings against the headers' ``constants``."""
    checker = _Checker(constants)
    by_name: dict[str, Property] = {}
    for page in pages:
        if isinstance(page, PropertyTypesPage):
            checker.types_page(page)
            continue
        prop = checker.property(page)
        known = by_name.get(prop.name)
        by_name[prop.name] = _merged(known, prop) if known else prop
    return tuple(by_name[name] for name in sorted(by_name)), tuple(checker.findings)


class _Checker:
    def __init__(self, constants: Sequence[Constant]) -> None:
        self.tags = {c.name: c for c in constants if c.name.startswith("PR_")}
        self.types = {c.name: c.value for c in constants if c.name.startswith("PT_")}
        self.type_names: dict[int, list[str]] = {}
        for name, value in sorted(self.types.items()):
            self.type_names.setdefault(value, []).append(name)
        self.findings: list[Diagnostic] = []

    def warn(self, code: str, message: str, loc: SourceLoc, severity: Severity = Severity.WARNING) -> None:
        self.findings.append(Diagnostic(severity, code, message, loc))

    def type_name(self, value: int) -> str:
        return "/".join(self.type_names.get(value, [f"0x{value:04X}"]))

    def property(self, page: PropertyPage) -> Property:
        kind = next(kind for prefix, kind in _KINDS if page.name.startswith(prefix))
        listed = _NAMES.findall(page.associated.text) if page.associated else []
        names = [n for n in dict.fromkeys(listed) if n.startswith("PR_")]
        types = self.page_types(page)
        prop_id = self.prop_id(page, names) if kind == "tag" else None
        lid = self.number(page, page.lid, "long ID") if kind == "lid" else None
        tags = tuple(self.tag(page, name, prop_id, types) for name in names)
        return Property(
            name=page.name,
            kind=kind,
            prop_id=prop_id,
            lid=lid,
            property_name=page.property_name.text if page.property_name else "",
            property_set=page.property_set.text if page.property_set else "",
            types=tuple(types),
            tags=tags,
            aliases=tuple(n for n in dict.fromkeys(listed) if not n.startswith("PR_")),
            area=page.area,
            description=page.description,
            remarks=page.remarks,
            pages=(page.path,),
            loc=page.loc,
        )

    def page_types(self, page: PropertyPage) -> dict[str, int]:
        """The types the data type row gives that a header defines (each other one is a finding)."""
        found: dict[str, int] = {}
        row = page.data_type
        if row is None or not self.types:
            return found
        for written in (w.strip() for w in _SEPARATORS.split(row.text)):
            if written in self.types:
                found[written] = self.types[written]
            elif written:
                message = f"{page.name}: {written!r} is not a property type the headers define; it is left out"
                self.warn("property-type-unknown", message, row.loc)
        return found

    def number(self, page: PropertyPage, row: PageField | None, what: str) -> int | None:
        if row is None:
            return None
        match = _HEX.fullmatch(row.text)
        if match is None:
            self.warn("property-id-unreadable", f"{page.name}: the {what} {row.text!r} is not a number", row.loc)
            return None
        return int(match.group(1), 16)

    def prop_id(self, page: PropertyPage, names: list[str]) -> int | None:
        """The property id the identifier row gives (a tag page gives it on a "Long ID" row on 6 pages)."""
        row = page.identifier or page.lid
        text = row.text if row else ""
        match = _ID.fullmatch(text)
        if match:
            return int(match.group(1), 16)
        whole = _WHOLE_TAG.fullmatch(text)
        if row is not None and whole:
            prop_id = int(whole.group(1), 16) >> 16
            message = f"{page.name}: the identifier {text} is a whole tag where the property id belongs; the id 0x{prop_id:04X} is read from it"
            self.warn("property-id-unreadable", message, row.loc)
            return prop_id
        known = next((self.tags[n] for n in names if n in self.tags), None)
        fallback = f"the id of {known.name} in {known.header}, 0x{known.prop_id:04X}, is used" if known else "the property has no id"
        what = f"the identifier {text!r} is not a property id (0x and four hexadecimal digits)" if row else "the page gives no identifier"
        self.warn("property-id-unreadable", f"{page.name}: {what}; {fallback}", row.loc if row else page.loc)
        return known.prop_id if known else None

    def tag(self, page: PropertyPage, name: str, prop_id: int | None, types: dict[str, int]) -> PropertyTag:
        """A ``PR_`` name of the page: the header's tag, checked against the page; else a docs-only one."""
        assert page.associated is not None
        constant = self.tags.get(name)
        if constant is not None:
            if prop_id is not None and constant.prop_id != prop_id and page.identifier is not None:
                message = (
                    f"{page.name}: the page gives the id 0x{prop_id:04X}, but {name} is 0x{constant.value:08X} "
                    f"in {constant.header} (id 0x{constant.prop_id:04X}); the header's tag is used"
                )
                self.warn("property-id-mismatch", message, page.identifier.loc)
            if types and constant.prop_type not in types.values() and page.data_type is not None:
                message = (
                    f"{page.name}: the page gives {', '.join(types)}, but {name} is of type "
                    f"{self.type_name(constant.prop_type)} in {constant.header}; the header's tag is used"
                )
                self.warn("property-type-mismatch", message, page.data_type.loc)
            return PropertyTag(name, constant.value, constant.header, False)
        value = _generated(name, prop_id, list(types.values()))
        if self.tags:
            how = (
                f"0x{value:08X} is generated from the page's id and type" if value is not None
                else "it has no value, as the page gives no readable id or type"
            )
            self.warn("property-docs-only", f"{name} is defined by no header: {how} (docs only)", page.associated.loc, Severity.NOTE)
        return PropertyTag(name, value, "", True)

    def types_page(self, page: PropertyTypesPage) -> None:
        """``property-types.md`` against the headers' ``PT_`` constants."""
        if not self.types:
            return
        covered: set[str] = set()
        for row in page.rows:
            covered.update((row.name, row.multi_valued, *row.same_as))
            value = int(row.value, 16) if re.fullmatch(r"(?:0x)?[0-9A-Fa-f]{1,4}", row.value) else None
            for name, expected in ((row.name, value), (row.multi_valued, None if value is None else value | _MULTI_VALUED)):
                if not name:
                    continue
                if name not in self.types:
                    self.warn("property-type-unknown", f"{name} is not a property type the headers define", row.loc)
                elif name == _SWITCHED:
                    message = (
                        f"{name} is 0x{_UNICODE:04X} (PT_UNICODE) only when UNICODE is defined, 0x{_STRING8:04X} "
                        f"(PT_STRING8) otherwise; the page gives it the one value {row.value}"
                    )
                    self.warn("property-types-page", message, row.loc)
                elif name == _SWITCHED_MULTI_VALUED:
                    continue
                elif expected is not None and self.types[name] != expected:
                    message = f"{name} is 0x{self.types[name]:04X} in the headers; the page gives 0x{expected:04X}"
                    self.warn("property-types-page", message, row.loc)
        where = page.rows[0].loc if page.rows else SourceLoc(page.path, 1, 1)
        for name, value in sorted(self.types.items(), key=lambda item: (item[1], item[0])):
            if value < _MULTI_VALUED and name not in covered:
                message = f"the page has no row for {name} (0x{value:04X}), which the headers define"
                self.warn("property-types-page", message, where)


def _generated(name: str, prop_id: int | None, types: list[int]) -> int | None:
    """A docs-only name's tag: the page's id and the type its suffix asks for (``_A``: 8-bit, else Unicode first)."""
    if prop_id is None or not types:
        return None
    want = _STRING8 if name.endswith("_A") else _UNICODE
    chosen = next((t for t in types if t & ~_MULTI_VALUED == want), types[0])
    return prop_id << 16 | chosen


def _merged(first: Property, other: Property) -> Property:
    """One property of two pages: the facts of the first English one (es-ES's machine translation
    translates some values: ``Keywords`` is "Palabras clave"), the prose of both, both pages."""
    if ENGLISH not in first.description.languages and ENGLISH in other.description.languages:
        return replace(_merged(other, first), pages=first.pages + other.pages)
    return replace(
        first,
        area=first.area.merged(other.area),
        description=first.description.merged(other.description),
        remarks=first.remarks.merged(other.remarks),
        pages=first.pages + other.pages,
    )
