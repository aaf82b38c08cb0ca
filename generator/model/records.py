"""The base of every model record, source locations, diagnostics, and the language prose falls back to.

A build with nothing to do needs only this module of the model: it reads its
diagnostics back from the build state and prints them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Self

ENGLISH = "en-US"

class Record:
    """Base of the frozen records: pickled as a call to their constructor.

    Build caches and parse workers pickle thousands of records; dataclasses'
    own pickling of slotted frozen classes restores each field afterwards
    through ``object.__setattr__``, which makes unpickling about half again
    as slow.  Records do not inherit fields from one another, so a record's
    ``__slots__`` lists all its fields, in constructor order.  The fields are
    read by one ``attrgetter`` per class (compiled code, made on first use):
    ``__reduce__`` runs once per record, hundreds of thousands of times when
    the page workers send back their results.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[type[Self], tuple[object, ...]]:
        cls = type(self)
        fields = _FIELD_GETTERS.get(cls) or _field_getter(cls)
        return cls, fields(self)


# A record class → the function that gives its fields as a tuple, in constructor order.
_FIELD_GETTERS: dict[type[Record], Callable[[object], tuple[object, ...]]] = {}


def _field_getter(cls: type[Record]) -> Callable[[object], tuple[object, ...]]:
    names: tuple[str, ...] = cls.__slots__
    if len(names) > 1:
        getter: Callable[[object], tuple[object, ...]] = attrgetter(*names)
    else:  # attrgetter of one name gives the value, not a tuple
        getter = (lambda record: (getattr(record, names[0]),)) if names else (lambda record: ())
    _FIELD_GETTERS[cls] = getter
    return getter


@dataclass(frozen=True, slots=True, order=True)
class SourceLoc(Record):
    """A position in an input file (1-based line and column)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Severity(enum.Enum):
    """How serious a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Diagnostic(Record):
    """A finding about the inputs, tied to the place that caused it."""

    severity: Severity
    code: str
    message: str
    loc: SourceLoc | None
    interface: str | None = None

    def __str__(self) -> str:
        where = f"{self.loc}: " if self.loc else ""
        return f"{where}{self.severity.value}: {self.message} [{self.code}]"
