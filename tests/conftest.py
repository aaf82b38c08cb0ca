"""Shared test helpers: project paths, the corpus, and tools that CI must have."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
GENERATED = ROOT / "generated"
CORPUS = Path(os.environ.get("MAPI_CORPUS", ROOT.parent / "shared" / "docs"))
CORPUS_FOLDERS = ("en-US", "en-US-2018", "es-ES", "es-ES-sxs")

sys.path.insert(0, str(GENERATED / "python"))


def tools_required() -> bool:
    """In CI (or when asked) a missing tool fails the test instead of skipping it."""
    return os.environ.get("CI") == "true" or os.environ.get("MAPI_REQUIRE_TOOLS") == "1"


def require_tool(name: str) -> str:
    """The path of an external tool; skip (locally) or fail (CI) when it is missing."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed"
        if tools_required():
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)
    return path


def require_corpus() -> Path:
    """The shared docs folders (../shared/docs, or MAPI_CORPUS); skip locally or fail in CI when absent."""
    if not CORPUS.is_dir():
        if tools_required():
            pytest.fail(f"corpus not found at {CORPUS}")
        pytest.skip(f"corpus not found at {CORPUS}")
    return CORPUS
