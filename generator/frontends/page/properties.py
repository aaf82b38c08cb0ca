"""Property pages: a canonical property page → ``PropertyPage``; ``property-types.md`` → ``PropertyTypesPage``.

A property page is a title naming the property (``PidTagDisplayName Canonical
Property``, ``Propiedad canónica PidTagDisplayName``), a sentence or two, one
table of ``label | value`` rows, then sections.  Only what is needed is read:
the table's rows line by line (labels in English or Spanish, markup dropped),
and, through the CommonMark stage, the two pieces of prose the model keeps (the
text before the table and the Remarks section), not the long "Related
resources" lists.  A side-by-side page's values are read from its English
half, its area and prose from both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.frontends.page.classify import Classified, PageKind
from generator.frontends.page.markdown import ImageSpan, read_markdown
from generator.frontends.page.reader import tidy
from generator.frontends.page.structure import is_applies_to
from generator.frontends.page.sxs import project
from generator.model import (
    ENGLISH,
    Localized,
    PageField,
    PropertyPage,
    PropertyTypeRow,
    PropertyTypesPage,
    RichText,
    SourceLoc,
)

# Row labels, lower case without their colon, in every language the snapshots use.
_LABELS = {
    "associated properties": "associated",
    "propiedades asociadas": "associated",
    "friendly names": "associated",
    "nombres descriptivos": "associated",
    "identifier": "identifier",
    "identificador": "identifier",
    "property set": "property_set",
    "conjunto de propiedades": "property_set",
    "long id (lid)": "lid",
    "id. largo (lid)": "lid",
    "identificador de tipo long (lid)": "lid",
    "property name": "property_name",
    "nombre de la propiedad": "property_name",
    "data type": "data_type",
    "property type": "data_type",  # 12 pages
    "tipo de datos": "data_type",
    "tipo de propiedad": "data_type",
    "area": "area",
    "área": "area",
}
_CANONICAL = re.compile(r"\bPid(?:Tag|Lid|Name)[A-Za-z0-9_]+")
_MARKUP = re.compile(r"<[^<>\n]*>|\*\*|\\(?=[!-/:-@\[-`{-~])")
_SECTION = re.compile(r" {0,3}##(?!#)")
_REMARKS = re.compile(r'<a name="remarks">|\b(?:Remarks|Comentarios)\b', re.IGNORECASE)
_TAIL = re.compile(r'^## (?:<a name="(?:related-resources|see-also)"></a>|Related resources|See also)', re.MULTILINE)
_SAME_AS = re.compile(r"(?:same as|mismo que)\s+(?:the\s+|el\s+)?(PT_[A-Z0-9_]+)")
_TYPE_CELL = re.compile(r"(PT_[A-Za-z0-9_]+)\s*(?:\(\s*(PT_[A-Za-z0-9_]+)\s*\))?")


def read_properties(
    path: str, body: str, classified: Classified, side_by_side: bool, language: str
) -> tuple[PropertyPage | PropertyTypesPage | None, list[tuple[str, list[ImageSpan]]]]:
    """A property page's record, or ``property-types.md``'s (None for a page of the kind that names no canonical property),
    and the images of its prose, per language."""
    tail = _TAIL.search(body)  # the long lists of specifications and links, read no further
    body = body[: tail.start()] if tail else body
    text = project(body, english=True) if side_by_side else body
    if classified.kind is PageKind.PROPERTY_TYPE:
        return read_property_types_page(path, text), []
    match = _CANONICAL.search(classified.title)
    if match is None:
        return None, []
    local = project(body, english=False) if side_by_side and language != ENGLISH else None
    return read_property_page(path, match.group(0), classified.title_line, text, language, local)


def read_property_page(
    path: str, name: str, title_line: int, text: str, language: str, local: str | None = None
) -> tuple[PropertyPage, list[tuple[str, list[ImageSpan]]]]:
    """Read a property page from ``text``, in ``language``; the table's line of the title is ``title_line``.
    Also the images of the prose it keeps, per language.

    For a side-by-side page ``text`` is its English half and ``local`` the
    other (in ``language``): values are read from the first, area and prose
    from both.
    """
    lines = text.split("\n")
    rows: dict[str, PageField] = {}
    table = end = heading = 0
    for index in range(title_line, len(lines)):
        line = lines[index]
        if _SECTION.match(line):
            if table:  # the table may follow a heading ("## Quick info")
                end = index
                break
            heading = heading or index
            continue
        cells = line.split("|")
        if len(cells) < 4 or cells[0].strip():
            continue
        table = table or index
        key = _LABELS.get(" ".join(_clean(cells[1]).split()).rstrip(":. ").lower())
        if key is not None and key not in rows:
            column = len(cells[0]) + len(cells[1]) + 3
            rows[key] = PageField(_clean(cells[2]), SourceLoc(path, index + 1, column))
    end = end or len(lines)
    texts = [(ENGLISH, lines), (language, local.split("\n"))] if local is not None else [(language, lines)]
    area: list[tuple[str, str]] = []
    description: list[tuple[str, RichText]] = []
    remarks: list[tuple[str, RichText]] = []
    images: list[tuple[str, list[ImageSpan]]] = []
    area_row = rows.get("area")
    for lang, half in texts:
        if area_row is not None:
            cells = half[area_row.loc.line - 1].split("|")
            area.append((lang, _clean(cells[2]) if len(cells) > 2 else area_row.text))
        shown: list[ImageSpan] = []
        description.append((lang, _prose(half[title_line : min(heading or table or end, table or end)], title_line, shown)))
        first, section = _remarks(half, end)
        if section:
            remarks.append((lang, _prose(section, first, shown)))
        images.append((lang, shown))
    page = PropertyPage(
        path=path,
        name=name,
        associated=rows.get("associated"),
        identifier=rows.get("identifier"),
        property_set=rows.get("property_set"),
        lid=rows.get("lid"),
        property_name=rows.get("property_name"),
        data_type=rows.get("data_type"),
        area=Localized(tuple(area)),
        description=Localized(tuple(description)),
        remarks=Localized(tuple(r for r in remarks if r[1])),
        loc=SourceLoc(path, title_line, 1),
    )
    return page, images


def read_property_types_page(path: str, text: str) -> PropertyTypesPage:
    """The rows of ``property-types.md`` whose first cell is a type (``PT_I2 (PT_MV_I2)``)."""
    rows = []
    for index, line in enumerate(text.split("\n")):
        cells = line.split("|")
        if len(cells) < 4 or cells[0].strip():
            continue
        match = _TYPE_CELL.fullmatch(_clean(cells[1]))
        if match is None:
            continue
        same_as = tuple(dict.fromkeys(_SAME_AS.findall(_clean("|".join(cells[3:])))))
        column = len(cells[0]) + 2
        row = PropertyTypeRow(match.group(1), match.group(2) or "", _clean(cells[2]), same_as, SourceLoc(path, index + 1, column))
        rows.append(row)
    return PropertyTypesPage(path, tuple(rows))


def _clean(cell: str) -> str:
    """A table cell's text: tags (``<br/>``, spans) and bold marks dropped, white space squeezed."""
    return " ".join(_MARKUP.sub(" ", cell).split())


def _remarks(lines: Sequence[str], start: int) -> tuple[int, Sequence[str]]:
    """The index of the first line of the Remarks section (its heading at ``start`` or later) and its lines,
    empty when there is none."""
    for index in range(start, len(lines)):
        if _SECTION.match(lines[index]) and _REMARKS.search(lines[index]):
            for stop in range(index + 1, len(lines)):
                if _SECTION.match(lines[stop]):
                    return index + 1, lines[index + 1 : stop]
            return index + 1, lines[index + 1 :]
    return 0, ()


def _prose(lines: Sequence[str], first: int, images: list[ImageSpan]) -> RichText:
    """Lines of a page (the first at index ``first``) through the CommonMark stage, without the "Applies to"
    line; their images are added to ``images``, placed in the page."""
    document = read_markdown("\n".join(lines) + "\n")
    images.extend(ImageSpan(image.target, image.line + first, image.column) for image in document.images)
    return tidy([placed.block for placed in document.blocks if not is_applies_to(placed.block)])
