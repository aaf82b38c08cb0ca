"""The build cache: front-end results by content hash, and the last build's fingerprint.

An optimisation only: every entry is keyed by the hash of what produced it
(the input's bytes, the front end's own source and grammar, the Python
version), so a stale entry is never used and deleting the folder changes no
output, only the time a build takes.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


@cache
def code_version(*parts: str) -> str:
    """A hash of generator source files (relative to the package) and the Python version."""
    digest = hashlib.sha256(sys.version.encode())
    for part in sorted(parts):
        for path in sorted(PACKAGE.glob(part)):
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
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
    """A folder of pickled front-end results plus ``state.json``; ``None`` folder disables it."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.parsed: list[str] = []
        self.reused = 0

    def lookup(self, key: str) -> object | None:
        """The value stored under ``key``, or None (also when unreadable)."""
        if self.folder is None:
            return None
        path = self.folder / "parsed" / key[:2] / f"{key}.pickle"
        try:
            with path.open("rb") as handle:
                value: object = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None
        self.reused += 1
        return value

    def store(self, key: str, value: object) -> None:
        """Keep ``value`` under ``key`` (written atomically; failures are ignored)."""
        if self.folder is None:
            return
        _atomic_write(self.folder / "parsed" / key[:2] / f"{key}.pickle", pickle.dumps(value, protocol=5))

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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except OSError:
        return
