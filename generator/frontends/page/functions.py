"""Function pages: a page documenting a MAPI function (``# MAPILogonEx``) → a ``FunctionPage``.

A function page is read with the method pages' reader (the structure
grammar, the syntax block through ``csyntax.lark``, ``[in]``/``[out]``
entries, return values, remarks); what is its own is the title (one C name)
and the properties table's "Header file:" row, in any language.
"""

from __future__ import annotations

import re

from generator.frontends.page.reader import NotThisKind, PageReader
from generator.frontends.page.structure import IDENTIFIER, squeezed
from generator.model import FunctionPage, Table

# Labels of the header row, English and localized.
_HEADER_LABELS = frozenset(
    {"header file", "specified in header file", "archivo de encabezado", "especificado en el archivo de encabezado"}
)
_HEADER_NAME = re.compile(r"[A-Za-z0-9_.]+\.h", re.IGNORECASE)


def function_page(reader: PageReader) -> FunctionPage:
    """The function page ``reader`` reads; ``NotThisKind`` when its title, read as CommonMark, is no C name."""
    name = reader.heading_text()
    if not IDENTIFIER.fullmatch(name):
        raise NotThisKind(f"function title {name!r} is not a C name once read as CommonMark: read as an article")
    summary, return_type, syntax = reader.syntax_and_summary()
    return FunctionPage(
        path=reader.path,
        name=name,
        header_file=_header_file(reader),
        return_type=return_type,
        syntax=syntax,
        summary=reader.rich(summary),
        params=reader.params(reader.find("parameters"), syntax),
        return_values=reader.return_values(reader.find("return-value")),
        remarks=reader.remarks(),
        loc=reader.loc(reader.title),
    )


def _header_file(reader: PageReader) -> str | None:
    """The "Header file:" row's header (``Mapix.h``) of the page's tables before the first section."""
    for placed in (*reader.properties, *reader.intro):
        table = placed.block
        if not isinstance(table, Table):
            continue
        for row in (table.header, *table.rows):
            if len(row) >= 2 and squeezed(row[0]).rstrip(": ").lower() in _HEADER_LABELS:
                found = _HEADER_NAME.search(squeezed(row[1]))
                if found:
                    return found.group(0)
    return None
