"""The pipeline in one place: load → merge → render → write (or check).

The CLI and the tests call these same functions.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.backends.model_json import render_model_json
from generator.backends.python import render_python
from generator.backends.site import render_site
from generator.load import Sources, load
from generator.merge import merge
from generator.model import Model


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


def build_model(sources: Sources) -> Model:
    """Read and merge every input (raises ``InputErrors``)."""
    return merge(load(sources))


def render_all(model: Model) -> dict[str, str]:
    """Every output file, by path relative to the output folder."""
    files: dict[str, str] = {}
    files.update(render_model_json(model))
    files.update(render_python(model))
    files.update(render_site(model))
    return dict(sorted(files.items()))


def check_outputs(files: dict[str, str], out: Path) -> CheckResult:
    """Compare ``files`` with what is under ``out`` without writing anything."""
    missing, stale = [], []
    for rel, text in files.items():
        target = out / rel
        if not target.is_file():
            missing.append(rel)
        elif target.read_bytes() != text.encode("utf-8"):
            stale.append(rel)
    present = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} if out.is_dir() else set()
    extra = sorted(present - set(files) - {".gitattributes"})
    return CheckResult(tuple(missing), tuple(stale), tuple(p for p in extra if "__pycache__" not in p))


def write_outputs(files: dict[str, str], out: Path) -> list[str]:
    """Write the tree atomically: build beside ``out``, then swap it in; return changed paths."""
    changed = [rel for rel, text in files.items() if not _same(out / rel, text)]
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for rel, text in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            old = out / rel
            if rel not in changed:
                shutil.copy2(old, target)
            else:
                target.write_bytes(text.encode("utf-8"))
        previous = out.parent / f".{out.name}-previous"
        if previous.exists():
            shutil.rmtree(previous)
        if out.exists():
            os.replace(out, previous)
        os.replace(staging, out)
        if previous.exists():
            shutil.rmtree(previous)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return changed


def _same(path: Path, text: str) -> bool:
    return path.is_file() and path.read_bytes() == text.encode("utf-8")
