"""The generated package: lint-clean, type-clean, importable, and honest about its names."""

from __future__ import annotations

import importlib
import subprocess
import sys

from conftest import GENERATED, require_tool

PACKAGE = GENERATED / "python" / "mapi_bindings"


def test_ruff_check_passes() -> None:
    ruff = require_tool("ruff")
    result = subprocess.run([ruff, "check", "--isolated", "--no-cache", str(PACKAGE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes() -> None:
    require_tool("mypy")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null", str(PACKAGE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_export_exists() -> None:
    package = importlib.import_module("mapi_bindings")
    for name in package.__all__:
        assert hasattr(package, name), name
    assert str(package.IID_IMAPISession) == "{00020300-0000-0000-C000-000000000046}"


def test_vtable_slots_in_order() -> None:
    package = importlib.import_module("mapi_bindings")
    import ctypes

    size = ctypes.sizeof(ctypes.c_void_p)
    assert package.IMAPISessionVtbl.MessageOptions.offset == 13 * size
    assert package.IMAPISessionVtbl.QueryDefaultMessageOpt.offset == 14 * size
    assert package.IMAPIPropVtbl.GetIDsFromNames.offset == 13 * size
    assert ctypes.sizeof(package.IUnknownVtbl) == 3 * size
