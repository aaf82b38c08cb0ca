"""The output tree: compared with what a build renders, or replaced by it in one atomic exchange.

A build writes its new tree into a staging folder beside the output
(``Staging``): files whose bytes the current tree already holds are hard
links to the current ones (so their modification times stay), the others
are written.  Then the two folders are exchanged in one ``renameat2`` call
(or, where that does not exist, two renames), so a reader, a crash or a
kill sees either the old tree or the new one.  Every process of a build
can put files into the one staging folder: the rendering workers write what
they render as they render it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

# shutil and tempfile are imported when there is something to write: a build
# that finds nothing changed imports neither.


@dataclass(frozen=True)
class CheckResult:
    """Output files that are missing, stale, or present but no longer generated."""

    missing: tuple[str, ...]
    stale: tuple[str, ...]
    extra: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when the output tree is exactly what a build would write."""
        return not (self.missing or self.stale or self.extra)


def check_outputs(files: Mapping[str, str | bytes], out: Path) -> CheckResult:
    """Compare ``files`` with what is under ``out`` without writing anything."""
    missing, stale = [], []
    for rel, text in files.items():
        target = out / rel
        if not target.is_file():
            missing.append(rel)
        elif target.read_bytes() != _bytes(text):
            stale.append(rel)
    extra = sorted(present(out) - set(files))
    return CheckResult(tuple(missing), tuple(stale), tuple(extra))


def write_outputs(files: Mapping[str, str | bytes], out: Path) -> list[str]:
    """Write the tree atomically and return the paths whose content changed (see the module's docstring)."""
    staging = Staging.begin(out)
    try:
        changed = staging.put(files)
        staging.finish(files, bool(changed))
    finally:
        staging.discard()
    return changed


class Staging:
    """The folder a new output tree is written into, beside the output it is to replace.

    Forked processes may each ``put`` files into it; one process ``finish``es it.
    Folders inside it are made one level at a time below the staging folder,
    never the staging folder itself: a process that outlived a killed build
    cannot bring back the folder the next build removed as a leftover.
    """

    def __init__(self, out: Path, folder: Path) -> None:
        self.out = out
        self.folder = folder
        self._compare = out.is_dir()  # a first build has nothing to compare or link
        self._made: set[str] = {""}

    @classmethod
    def begin(cls, out: Path) -> Staging:
        """A new, empty staging folder beside ``out`` (leftovers of killed builds removed first)."""
        import tempfile

        out.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out)
        return cls(out, Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent)))

    def put(self, files: Mapping[str, str | bytes]) -> list[str]:
        """Stage ``files`` (by path relative to the output); the paths whose content changed."""
        changed: list[str] = []
        out, folder = os.fspath(self.out), os.fspath(self.folder)
        for rel, content in files.items():
            data = _bytes(content)
            self._make_folder(rel.rpartition("/")[0])
            target = os.path.join(folder, rel)
            current = os.path.join(out, rel)
            if self._compare and _holds(current, data):
                _link_or_copy(current, target)
            else:
                with open(target, "wb") as stream:
                    stream.write(data)
                changed.append(rel)
        return changed

    def finish(self, files: Collection[str], changed: bool) -> None:
        """Put the staged tree in place of the output, unless the output already is that tree.

        ``files``: every path staged, by any process; ``changed``: whether any of them changed.
        """
        if not changed and present(self.out) <= set(files):
            return
        if self.out.exists():
            _exchange(self.folder, self.out)
        else:
            os.replace(self.folder, self.out)

    def discard(self) -> None:
        """Remove the staging folder (after ``finish``: the old tree, or nothing)."""
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)

    def _make_folder(self, rel: str) -> None:
        if rel in self._made:
            return
        self._make_folder(rel.rpartition("/")[0])
        try:
            os.mkdir(os.path.join(self.folder, rel))
        except FileExistsError:  # another process of the build made it
            pass
        self._made.add(rel)


def _holds(path: str, data: bytes) -> bool:
    """The file at ``path`` holds exactly ``data``."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        with open(path, "rb") as stream:
            return stream.read() == data
    except OSError:
        return False


def _exchange(new: Path, current: Path) -> None:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE), else by two renames."""
    import ctypes
    import ctypes.util

    libc_name = ctypes.util.find_library("c")
    renameat2 = getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None) if libc_name else None
    if renameat2 is not None:
        at_fdcwd, rename_exchange = -100, 2
        if renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(current), rename_exchange) == 0:
            return
    old = current.with_name(f".{current.name}.old-{os.getpid()}")
    os.replace(current, old)
    os.replace(new, current)
    os.replace(old, new)


def _remove_leftovers(out: Path) -> None:
    """Temporary trees of builds that were killed midway."""
    import shutil

    for leftover in out.parent.glob(f".{out.name}.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _link_or_copy(source: str, target: str) -> None:
    import shutil

    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def present(out: Path) -> set[str]:
    """The files under ``out`` as relative paths with '/', bytecode caches left out."""
    try:
        return {rel for rel, _ in present_entries(os.fspath(out), "")}
    except (FileNotFoundError, NotADirectoryError):
        return set()


def present_entries(folder: str, prefix: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(relative path with '/', directory entry) of every file under ``folder``, bytecode caches left out."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir():
                if entry.name != "__pycache__":
                    yield from present_entries(entry.path, f"{prefix}{entry.name}/")
            else:
                yield f"{prefix}{entry.name}", entry
