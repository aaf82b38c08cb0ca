"""The snapshot a build was made from: the newest page date and a digest of every input.

The bindings' version names it (``0.1.0+docs.20251009.1a2b3c4d``), so a user
can tell which docs an installed ``mapi-bindings`` came from.  The date is the
``ms.date`` line of each page's front matter (``MM/DD/YYYY`` as the reference
writes it, or ISO); a page without a readable one is left out of the date,
never an error: the page front end decides what a page means.
"""

from __future__ import annotations

import datetime
import re

from generator.cache import content_hash
from generator.model import Snapshot
from generator.sources import InputData

_MS_DATE = re.compile(
    rb"^ms\.date:[ \t]*['\"]?(?:(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))",
    re.MULTILINE,
)


def snapshot_of(read: list[InputData]) -> Snapshot:
    """The snapshot of the inputs as a build read them."""
    dates = [date for data in read if data.item.kind == "page" and (date := page_date(data.data)) is not None]
    digest = content_hash(*(part for data in read for part in (data.item.kind, data.item.shown, data.digest)))
    pages = sum(1 for data in read if data.item.kind == "page")
    return Snapshot(max(dates).isoformat() if dates else None, digest, pages, len(read) - pages)


def page_date(data: bytes) -> datetime.date | None:
    """The ``ms.date`` of a page's front matter, if it has a valid one."""
    text = data.removeprefix(b"\xef\xbb\xbf")
    if not text.startswith(b"---"):
        return None
    end = text.find(b"\n---", 3)
    match = _MS_DATE.search(text, 3, end if end >= 0 else len(text))
    if match is None:
        return None
    year, month, day = (match["y"], match["m"], match["d"]) if match["y"] else (match["iy"], match["im"], match["id"])
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
