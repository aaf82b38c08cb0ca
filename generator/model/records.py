"""The base of every model record, source locations, and the language prose falls back to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

ENGLISH = "en-US"

class Record:
    """Base of the frozen records: pickled as a call to their constructor.

    Build caches and parse workers pickle thousands of records; dataclasses'
    own pickling of slotted frozen classes restores each field afterwards
    through ``object.__setattr__``, which makes unpickling about half again
    as slow.  Records do not inherit fields from one another, so a record's
    ``__slots__`` lists all its fields, in constructor order.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[type[Self], tuple[object, ...]]:
        return type(self), tuple(map(self.__getattribute__, self.__slots__))


@dataclass(frozen=True, slots=True, order=True)
class SourceLoc(Record):
    """A position in an input file (1-based line and column)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"
