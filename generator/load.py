"""Input stage: find the input files and run each through its front end.

Errors are collected per file, so one run reports every broken file; the
caller gets either ``Inputs`` for the merge step or ``InputErrors``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from generator.errors import InputError, InputErrors
from generator.frontends.header import parse_guid_definitions, parse_headers
from generator.frontends.idl import parse_idl
from generator.frontends.page import parse_page
from generator.merge import Inputs
from generator.model import InterfacePage, MethodPage, SourceLoc

# IUnknown, which every interface derives from and no MAPI source declares.
BUILTIN_IDL = Path(__file__).resolve().parent / "unknwn.idl"

# The MAPI headers among a folder of system headers.
HEADER_PATTERNS = ("mapi*.h", "imessage.h", "tnef.h", "mspst.h", "edkmdb.h", "imapi*.h")


@dataclass(frozen=True)
class Sources:
    """Where to read from: IDL files, page folders, header folders.

    ``read_idl`` off leaves out ``specs/idl`` (the ``idl`` command rebuilds it
    from the pages and headers alone).
    """

    specs: Path
    docs: tuple[Path, ...] = ()
    headers: tuple[Path, ...] = ()
    read_idl: bool = True

    def files(self) -> list[Path]:
        """Every input file, in load order."""
        return [*self._idl_files(), *self._page_files(), *self._header_files()]

    def _idl_files(self) -> list[Path]:
        return sorted((self.specs / "idl").glob("*.idl")) if self.read_idl else []

    def _page_files(self) -> list[Path]:
        folders = [self.specs / "pages", *self.docs]
        return [f for folder in folders for f in sorted(folder.glob("*.md"))]

    def _header_files(self) -> list[Path]:
        found: set[Path] = set()
        for folder in self.headers:
            for pattern in HEADER_PATTERNS:
                found.update(folder.glob(pattern))
        return sorted(found)


def display_path(path: Path) -> str:
    """The path as diagnostics and outputs show it: relative, with forward slashes."""
    return Path(os.path.relpath(path)).as_posix()


def read_text(path: Path) -> str:
    """A UTF-8 input file; invalid UTF-8 is an ``InputError`` at its position."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x})", SourceLoc(display_path(path), line, column)
        ) from None


def load(sources: Sources) -> Inputs:
    """Parse every input; raise ``InputErrors`` listing all the files that failed."""
    inputs = Inputs()
    errors: list[InputError] = []
    builtin = parse_idl("<builtin>/unknwn.idl", BUILTIN_IDL.read_text(encoding="utf-8"))
    inputs.abi_files.append(replace(builtin, kind="builtin"))
    for path in sources._idl_files():
        try:
            inputs.abi_files.append(parse_idl(display_path(path), read_text(path)))
        except InputError as exc:
            errors.append(exc)
    for path in sources._page_files():
        try:
            _load_page(inputs, display_path(path), read_text(path))
        except InputError as exc:
            errors.append(exc)
    headers: list[tuple[str, str]] = []
    for path in sources._header_files():
        try:
            headers.append((display_path(path), read_text(path)))
        except InputError as exc:
            errors.append(exc)
    if headers:
        try:
            inputs.abi_files.extend(parse_headers(headers))
        except InputError as exc:
            errors.append(exc)
    if errors:
        raise InputErrors(errors)
    return inputs


def _load_page(inputs: Inputs, path: str, text: str) -> None:
    result = parse_page(path, text)
    inputs.diagnostics.extend(result.diagnostics)
    inputs.languages.extend(result.languages)
    if isinstance(result.page, InterfacePage):
        inputs.interface_pages.append(result.page)
    elif isinstance(result.page, MethodPage):
        inputs.method_pages.append(result.page)
    else:
        for sample in result.code_samples:
            if "DEFINE_GUID" in sample.text or "DEFINE_OLEGUID" in sample.text:
                inputs.guids.extend(parse_guid_definitions(path, sample.text, sample.first_line - 1))
