"""Diagnostics as builds keep and report them: in a stable order, as JSON records, and read back.

``model.json`` and the build state hold diagnostics as the same records.  A
build that finds nothing changed reads the last build's findings back from
its state and reports them again; it imports this module and the model's
``records``, nothing more of the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.model.records import Diagnostic, Severity, SourceLoc

if TYPE_CHECKING:
    from generator.model import Model


def sorted_diagnostics(diagnostics: tuple[Diagnostic, ...]) -> list[Diagnostic]:
    """Diagnostics in a stable order: by file, line, column, code."""
    def key(d: Diagnostic) -> tuple[str, int, int, str, str]:
        loc = d.loc
        return (loc.file if loc else "", loc.line if loc else 0, loc.column if loc else 0, d.code, d.message)

    return sorted(diagnostics, key=key)


def diagnostic_record(diagnostic: Diagnostic) -> dict[str, object]:
    """A diagnostic as JSON: its severity, code, place, interface and message."""
    loc = diagnostic.loc
    return {
        "severity": diagnostic.severity.value,
        "code": diagnostic.code,
        "file": loc.file if loc else None,
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
        "interface": diagnostic.interface,
        "message": diagnostic.message,
    }


def findings(model: Model) -> dict[str, object]:
    """What a build that changes nothing reports again: the interface count and the diagnostics."""
    return {
        "interfaces": len(model.interfaces),
        "diagnostics": [diagnostic_record(d) for d in sorted_diagnostics(model.diagnostics)],
    }


def read_findings(document: object) -> tuple[int, list[Diagnostic]] | None:
    """The interface count and the diagnostics ``findings`` gave, or None if ``document`` is not that."""
    if not isinstance(document, dict):
        return None
    try:
        diagnostics = []
        for record in document["diagnostics"]:
            file, line, column = record["file"], record["line"], record["column"]
            loc = SourceLoc(file, line, column) if file is not None else None
            diagnostics.append(
                Diagnostic(Severity(record["severity"]), record["code"], record["message"], loc, record["interface"])
            )
        return int(document["interfaces"]), diagnostics
    except (KeyError, TypeError, ValueError):
        return None
