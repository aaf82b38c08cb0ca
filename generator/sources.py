"""Where the inputs are: the folders a build reads and the files in them, in load order.

Every file gets a *shown* path, ``<root>/<relative path>`` (``specs/idl/IMAPISession.idl``,
``en-US/imapisession-openmsgstore.md``), which diagnostics and outputs use, so
that the output does not depend on where the inputs live.  A build reads every
file once (``read_inputs``): the same bytes and hashes decide whether there is
anything to do and key the front ends' cached results.  Nothing here parses:
deciding that a build has nothing to do needs only this module.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import translate
from functools import cache
from pathlib import Path

from generator.cache import content_hash
from generator.errors import InputError, max_input_bytes, size_error
from generator.model.records import SourceLoc

# The MAPI headers among a folder of system headers, matched case-insensitively:
# mingw-w64 spells them in lower case, Microsoft in mixed case (MAPIDefS.h, EdkGuid.h).
HEADER_PATTERNS = (
    "mapi*.h",
    "imessage.h",
    "tnef.h",
    "mspst.h",
    "edkmdb.h",
    "edkguid.h",
    "imapi*.h",
    "imscapabilities.h",
    "exchform.h",
    "emsabtag.h",
)


@dataclass(frozen=True)
class InputFile:
    """One input: where it is, how outputs name it, which front end reads it (``media``: none, an image)."""

    path: Path
    shown: str
    kind: str


@dataclass(frozen=True)
class Sources:
    """Where to read from: a specs folder (``idl/``, ``pages/``), page folders, header folders.

    ``read_idl`` off leaves out ``specs/idl`` (the ``idl`` command rebuilds it
    from the pages and headers alone); ``idl`` adds further IDL folders.
    """

    specs: Path | None
    docs: tuple[Path, ...] = ()
    headers: tuple[Path, ...] = ()
    read_idl: bool = True
    idl: tuple[Path, ...] = ()

    def roots(self) -> list[tuple[Path, str, str, tuple[str, ...]]]:
        """(folder, label, kind, patterns) for every input folder, in load order."""
        roots: list[tuple[Path, str, str, tuple[str, ...]]] = []
        if self.specs is not None:
            if self.read_idl:
                roots.append((self.specs / "idl", "specs/idl", "idl", ("*.idl",)))
            roots.append((self.specs / "pages", "specs/pages", "page", ("*.md",)))
        roots += [(folder, folder.name, "idl", ("*.idl",)) for folder in self.idl]
        roots += [(folder, folder.name, "page", ("*.md",)) for folder in self.docs]
        roots += [(folder, folder.name, "header", HEADER_PATTERNS) for folder in self.headers]
        roots = _unique_labels(roots)
        # A docs folder's images (``media/``), which its pages reference as ``media/<name>``.
        docs = set(self.docs)
        roots += [(folder / "media", f"{label}/media", "media", ("*",)) for folder, label, kind, _ in roots if kind == "page" and folder in docs]
        return roots

    def files(self) -> list[InputFile]:
        """Every input file, in load order (sorted by name within a folder)."""
        return [InputFile(folder / name, f"{label}/{name}", kind) for folder, label, kind, names in self.listing() for name in names]

    def listing(self) -> list[tuple[Path, str, str, list[str]]]:
        """(folder, label, kind, names of its input files) for every input folder, in load order.

        What ``files`` lists, without a ``Path`` per file: enough to tell
        whether the inputs are those the last build read.
        """
        return [(folder, label, kind, _matching(folder, patterns)) for folder, label, kind, patterns in self.roots()]

    def terminal_paths(self) -> Callable[[str], str]:
        """Shown path → the path as the terminal shows it, for messages (other text as it is).

        Only the folders are looked at (``<label>/<name>`` is ``<folder as shown>/<name>``),
        so locating any number of messages costs no listing of the folders.
        """
        folders = sorted(((label, display_path(folder)) for folder, label, *_ in self.roots()), key=lambda r: -len(r[0]))

        def terminal_path(shown: str) -> str:
            for label, folder in folders:
                if shown.startswith(label + "/"):
                    return f"{folder}/{shown[len(label) + 1:]}"
            return shown

        return terminal_path

    def unread_folders(self) -> list[str]:
        """A warning for each ``--docs`` or ``--headers`` folder in which no file matches, naming it."""
        what = {"page": "no reference pages (*.md)", "header": f"no MAPI headers ({', '.join(HEADER_PATTERNS)})"}
        given = {(folder, "page") for folder in self.docs} | {(folder, "header") for folder in self.headers}
        return [
            f"{display_path(folder)}: warning: {what[kind]} in this folder: nothing is read from it"
            for folder, _, kind, patterns in self.roots()
            if (folder, kind) in given and not _any_matching(folder, patterns)
        ]

    def watched(self) -> list[Path]:
        """The folders a watcher should follow (a docs folder's ``media/`` with it)."""
        return [folder for folder, _, kind, _ in self.roots() if kind != "media" and folder.is_dir()]


@dataclass(frozen=True)
class InputData:
    """One input file as a build read it: its bytes and their hash, or why it could not be read."""

    item: InputFile
    data: bytes
    digest: str
    error: InputError | None = None
    stat: tuple[int, int] | None = None


def read_inputs(sources: Sources, files: list[InputFile] | None = None) -> list[InputData]:
    """Every input file of ``sources`` (or ``files``, as listed already), read once, in load order.

    ``stat`` is each file's (size, mtime in ns) taken before its bytes were
    read, so a file that changes during or after the read never matches it.
    """
    inputs = []
    for item in sources.files() if files is None else files:
        try:
            data, info = read_input_and_stat(item.path, item.shown)
        except InputError as exc:
            inputs.append(InputData(item, b"", "", exc))
            continue
        inputs.append(InputData(item, data, content_hash(data), stat=(info.st_size, info.st_mtime_ns)))
    return inputs


def read_input(path: Path, shown: str) -> bytes:
    """A file's bytes; an unreadable or too large file is an ``InputError`` located in ``shown``.

    At most ``max_input_bytes()`` (5 MB unless ``MAPI_MAX_INPUT_BYTES`` says
    otherwise) are read, so no file can exhaust memory before it is refused.
    """
    return read_input_and_stat(path, shown)[0]


def read_input_and_stat(path: Path, shown: str) -> tuple[bytes, os.stat_result]:
    """``read_input``'s bytes, and the file's status as it was before they were read.

    The file is read through its descriptor (``os.open``, ``os.fstat``,
    ``os.read``): a build reads thousands of small files, and a buffered file
    object and a second ``stat`` of the path cost more than the read itself.
    """
    try:
        limit = max_input_bytes()
    except ValueError as exc:
        raise InputError(str(exc), SourceLoc(shown, 1, 1)) from None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            info = os.fstat(fd)
            size = info.st_size
            data = _read_up_to(fd, min(size, limit) + 1)  # not a buffer of the limit's size for every file
            if size < len(data) <= limit:  # it grew while being read
                data += _read_up_to(fd, limit + 1 - len(data))
        finally:
            os.close(fd)
        size = max(size, len(data))
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", SourceLoc(shown, 1, 1)) from None
    too_large = size_error(shown, size)
    if too_large is not None:
        raise too_large
    return data, info


def _read_up_to(fd: int, count: int) -> bytes:
    """Up to ``count`` bytes from ``fd``: fewer only at the end of the file."""
    data = os.read(fd, count)
    while 0 < len(data) < count:
        more = os.read(fd, count - len(data))
        if not more:
            break
        data += more
    return data


def decode_input(shown: str, data: bytes) -> str:
    """An input's text: invalid UTF-8 is an ``InputError`` at the offending byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        end = data.find(b"\n", exc.start)
        source_line = data[start : end if end >= 0 else len(data)].decode("utf-8", "replace")
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[start : exc.start].decode("utf-8")) + 1  # in characters, as elsewhere
        raise InputError(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x})", SourceLoc(shown, line, column), source_line
        ) from None


def _matching(folder: Path, patterns: tuple[str, ...]) -> list[str]:
    """Names of the files in ``folder`` that match a pattern in any case, sorted (hidden files left out, as glob does)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if _matches(e, patterns))
    except OSError:
        return []


def _any_matching(folder: Path, patterns: tuple[str, ...]) -> bool:
    """Whether ``folder`` holds a file ``_matching`` would list (it stops at the first)."""
    try:
        with os.scandir(folder) as entries:
            return any(_matches(e, patterns) for e in entries)
    except OSError:
        return False


def _matches(entry: os.DirEntry[str], patterns: tuple[str, ...]) -> bool:
    name = entry.name
    return not name.startswith(".") and _pattern(patterns).match(name.lower()) is not None and entry.is_file()


@cache
def _pattern(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One expression matching a lower-case name that any of the glob ``patterns`` matches."""
    return re.compile("|".join(translate(p) for p in patterns))


def _unique_labels(
    roots: list[tuple[Path, str, str, tuple[str, ...]]],
) -> list[tuple[Path, str, str, tuple[str, ...]]]:
    seen: dict[str, int] = {}
    unique = []
    for folder, label, kind, patterns in roots:
        seen[label] = seen.get(label, 0) + 1
        unique.append((folder, label if seen[label] == 1 else f"{label}~{seen[label]}", kind, patterns))
    return unique


def display_path(path: Path) -> str:
    """A path as the terminal shows it: relative to the working directory, forward slashes."""
    return Path(os.path.relpath(path)).as_posix()
