"""Shared test helpers: project paths, the corpus (read and built once per session), and tools that CI must have."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the bindings' own test environment has no generator (tests/test_ship.py)
    from generator.frontends.page import PageResult
    from generator.model import Model

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
GENERATED = ROOT / "generated"
CORPUS = Path(os.environ.get("MAPI_CORPUS", ROOT.parent / "shared" / "docs"))
CORPUS_FOLDERS = ("en-US", "en-US-2018", "es-ES", "es-ES-sxs")

# The tests import the generated package from generated/python, or, with
# MAPI_BINDINGS=installed, the mapi-bindings distribution installed in the
# environment (tests/test_ship.py runs the ABI tests so against its wheel).
BINDINGS_INSTALLED = os.environ.get("MAPI_BINDINGS") == "installed"
if not BINDINGS_INSTALLED:
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


def _parse_folder(folder: str) -> dict[str, PageResult]:
    from generator.frontends.page import parse_page

    root = require_corpus() / folder
    return {p.name: parse_page(p.name, p.read_text(encoding="utf-8")) for p in sorted(root.glob("*.md"))}


@pytest.fixture(scope="session")
def docs_pages() -> dict[str, dict[str, PageResult]]:
    """Every page of every folder, read once per session."""
    return {name: _parse_folder(name) for name in CORPUS_FOLDERS}


@pytest.fixture(scope="session")
def embedded_model() -> Model:
    """The embedded specs alone (the IDL, no pages), built once per session."""
    from generator.build import build_model
    from generator.sources import Sources

    return build_model(Sources(SPECS))


@pytest.fixture(scope="session")
def folder_models() -> dict[str, Model]:
    """Each folder built with the embedded IDL, once per session."""
    from generator.build import build_model
    from generator.sources import Sources

    return {name: build_model(Sources(SPECS, (require_corpus() / name,))) for name in CORPUS_FOLDERS}


@pytest.fixture(scope="session")
def data_model() -> Model:
    """The four folders with Microsoft's headers and no embedded IDL (the headers' own reading), built once per session."""
    from test_reference import require_microsoft_headers

    from generator.build import build_model
    from generator.sources import Sources

    folders = tuple(require_corpus() / name for name in CORPUS_FOLDERS)
    return build_model(Sources(SPECS, folders, (require_microsoft_headers(),), read_idl=False))


def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis keeps its example database and caches in a temporary folder, not in the checkout."""
    try:
        from hypothesis import configuration
    except ImportError:  # the bindings' own test environment has no hypothesis
        return
    home = Path(tempfile.mkdtemp(prefix="mapi-hypothesis-"))
    configuration.set_hypothesis_home_dir(home)
    config.add_cleanup(lambda: shutil.rmtree(home, ignore_errors=True))
