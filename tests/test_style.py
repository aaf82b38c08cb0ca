"""The generator's own code: ruff and mypy --strict, as configured in pyproject.toml.

Neither keeps a cache in the checkout (mypy's goes to a temporary folder).
"""

from __future__ import annotations

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
