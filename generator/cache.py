"""The build cache: front-end results by content hash, and the last build's fingerprint.

An optimisation only: every entry is keyed by the hash of what produced it
(the input's bytes, the front end's own source and grammar, the Python
version), so a stale entry is never used and deleting the folder changes no
output, only the time a build takes.  A process that builds again and again
(``build --watch``) keeps one ``BuildCache`` that holds in memory the entries
its last build used, so a rebuild reads back only what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

from generator.resources import package_folder

T = TypeVar("T")


# What the generator reads of its own package: code, grammars, built-in IDL.
# Anything else a glob may meet (``__pycache__/``, ``*.pyc``, an editor's
# backup file) is not part of what a build depends on.
CODE_SUFFIXES = frozenset({".py", ".lark", ".idl"})


@cache
def code_version(*parts: str) -> str:
    """A hash of generator source files (globs relative to the package) and the Python version.

    Only files with a suffix in ``CODE_SUFFIXES`` count: folders and bytecode
    the globs also match are left out.
    """
    package = package_folder()
    digest = hashlib.sha256(sys.version.encode())
    for part in sorted(parts):
        for path in sorted(package.glob(part)):
            if path.suffix in CODE_SUFFIXES and path.is_file():
                digest.update(path.relative_to(package).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def content_hash(*chunks: bytes | str) -> str:
    """sha256 over the chunks, each length-prefixed."""
    digest = hashlib.sha256()
    for chunk in chunks:
        data = chunk.encode("utf-8", "surrogatepass") if isinstance(chunk, str) else chunk
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


class BuildCache:
    """A folder of pickled front-end results plus ``state.json``; ``None`` folder disables it.

    With ``hold``, the entries a build used are also kept in memory for the
    next build.  ``parsed`` and ``reused`` count what the current build parsed
    and found.
    """

    def __init__(self, folder: Path | None, hold: bool = False) -> None:
        self.folder = folder
        self.hold = hold
        self.parsed: list[str] = []
        self.reused = 0
        self._held: dict[str, object] = {}
        self._used: set[str] = set()

    def begin_build(self) -> None:
        """Start counting for a new build."""
        self.parsed, self.reused, self._used = [], 0, set()

    def release_unused(self) -> None:
        """Let go of the entries held in memory that the build just done did not use."""
        self._held = {key: value for key, value in self._held.items() if key in self._used}

    def lookup(self, key: str) -> object | None:
        """The value stored under ``key``, or None (also when unreadable)."""
        if self.folder is None:
            return None
        value = self._held.get(key)
        if value is None:
            import pickle

            path = self.folder / "parsed" / key[:2] / f"{key}.pickle"
            try:
                with path.open("rb") as handle:
                    value = pickle.load(handle)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
                return None
            self._keep(key, value)
        self._used.add(key)
        self.reused += 1
        return value

    def store(self, key: str, value: object) -> None:
        """Keep ``value`` under ``key`` (written atomically; failures are ignored)."""
        if self.folder is None:
            return
        import pickle

        self._keep(key, value)
        self._used.add(key)
        _atomic_write(self.folder / "parsed" / key[:2] / f"{key}.pickle", pickle.dumps(value, protocol=5))

    def _keep(self, key: str, value: object) -> None:
        if self.hold:
            self._held[key] = value

    def fetch(self, key: str, expected: type[T], make: Callable[[], T]) -> T:
        """The value under ``key`` if it is an ``expected``, else ``make()``'s, which is then stored."""
        found = self.lookup(key)
        if isinstance(found, expected):
            return found
        value = make()
        self.store(key, value)
        return value

    def state(self) -> dict[str, object]:
        """What the last successful build recorded."""
        if self.folder is None:
            return {}
        try:
            loaded = json.loads((self.folder / "state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def save_state(self, state: dict[str, object]) -> None:
        """Record the last successful build."""
        if self.folder is not None:
            _atomic_write(self.folder / "state.json", json.dumps(state, sort_keys=True).encode())


def _atomic_write(path: Path, data: bytes) -> None:
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except OSError:
        return
