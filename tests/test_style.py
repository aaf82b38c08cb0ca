"""The generator's own code: ruff and mypy --strict, as configured in pyproject.toml.

Neither keeps a cache in the checkout (mypy's goes to a temporary folder).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, require_tool


def test_ruff() -> None:
    ruff = require_tool("ruff")
    command = [ruff, "check", "--no-cache", "generator", "tests", "bench"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


def test_mypy(tmp_path: Path) -> None:
    require_tool("mypy")
    command = [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


def _backend_imports(module: Path) -> set[str]:
    """The ``generator.backends`` modules ``module`` imports (by their last name)."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names] if isinstance(node, ast.Import) else []
        found |= {n.rpartition(".")[2] for n in names if n.startswith("generator.backends.")}
    return found


def test_no_back_end_reads_another_back_ends_views() -> None:
    """The site and the Python back end share the views stage (generator.views), not each other's modules."""
    backends = ROOT / "generator" / "backends"
    crossings = [
        f"{module.name} imports generator.backends.{imported}"
        for module in sorted(backends.glob("*.py"))
        for own, other in (("site", "python"), ("python", "site"))
        if module.stem.startswith(own)
        for imported in _backend_imports(module)
        if imported.startswith(other)
    ]
    assert len(list(backends.glob("site*.py"))) >= 4
    assert crossings == []
