"""The generator's one error type, with the source position it concerns."""

from __future__ import annotations

from pathlib import Path

from generator.model import SourceLoc


class InputError(Exception):
    """Bad input: a message tied to ``file:line:col``.

    Every front end raises only this (through ``fail``); the CLI prints it as
    ``file:line:col: error: message`` followed by the offending line and a caret.
    """

    def __init__(self, message: str, loc: SourceLoc, source_line: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc
        self.source_line = source_line

    def __str__(self) -> str:
        return f"{self.loc}: error: {self.message}"

    def render(self) -> str:
        """The error line, then the source line and a caret under the column."""
        text = str(self)
        if self.source_line is not None:
            line = self.source_line.rstrip("\r\n").expandtabs(1)
            caret = " " * max(self.loc.column - 1, 0) + "^"
            text += f"\n    {line}\n    {caret}"
        return text


class InputErrors(Exception):
    """Several input errors, collected so one build reports every broken file."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__(f"{len(errors)} input error(s)")
        self.errors = errors


def fail(message: str, path: str, text: str, line: int, column: int) -> InputError:
    """Build an ``InputError`` at ``line``/``column`` of ``text`` (read from ``path``)."""
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else None
    return InputError(message, SourceLoc(path, line, column), source_line)


def display_path(path: Path) -> str:
    """The path as diagnostics show it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
