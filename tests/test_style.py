"""The generator's own code: ruff and mypy --strict, as configured in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, require_tool


def test_ruff() -> None:
    ruff = require_tool("ruff")
    result = subprocess.run([ruff, "check", "generator", "tests"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


def test_mypy() -> None:
    require_tool("mypy")
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
