"""Shipping: the generator's wheel on a clean machine, and the bindings as a distribution of their own.

Each wheel is built once per session and installed into a fresh virtual
environment (``python -m venv``; pip may fetch dependencies from PyPI, through
its cache).  The generator's wheel builds from an empty folder, on its embedded
specs, exactly what the source checkout builds; the bindings' wheel passes the
ABI tests with ``mapi_bindings`` imported from the environment it was
installed into.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import GENERATED, ROOT, require_tool

from generator import __version__
from generator.build import build_model
from generator.snapshot import page_date, snapshot_of
from generator.sources import Sources, read_inputs

BIN = "Scripts" if os.name == "nt" else "bin"


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell: no project variables, no PYTHONPATH, bytecode written."""
    dropped = ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "PYTHONHOME", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAPI_") and k not in dropped}
    return {**env, **extra}


def run(command: list[str | Path], cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=clean_env(**extra), capture_output=True, text=True,
        check=False, timeout=900,
    )
    assert result.returncode == 0, f"{command} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def venv(folder: Path, *requirements: str | Path) -> Path:
    """A fresh virtual environment with ``requirements`` installed; its Python."""
    run([sys.executable, "-m", "venv", folder], cwd=folder.parent)
    python = folder / BIN / "python"
    run([python, "-m", "pip", "install", "-q", *requirements], cwd=folder.parent)
    return python


def wheel(source: Path, out: Path) -> Path:
    """The wheel pip builds from ``source`` (in an isolated build environment)."""
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", out, source], cwd=out.parent)
    (built,) = out.glob("*.whl")
    return built


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


# --- the snapshot the bindings' version names ---------------------------------------------------


def test_page_date_reads_ms_date_from_the_front_matter() -> None:
    assert str(page_date(b"---\ntitle: x\nms.date: 03/09/2015\n---\n# T\n")) == "2015-03-09"
    assert str(page_date(b"\xef\xbb\xbf---\nms.date: '2019-11-05'\n---\n")) == "2019-11-05"
    assert page_date(b"---\nms.date: 13/45/2015\n---\n") is None
    assert page_date(b"---\ntitle: x\n---\nms.date: 03/09/2015\n") is None  # body text, not front matter
    assert page_date(b"# no front matter\n") is None


def test_version_names_the_generator_the_newest_page_and_the_inputs(tmp_path: Path) -> None:
    pages = tmp_path / "en-US"
    pages.mkdir()
    for name, date in (("a.md", "10/09/2025"), ("b.md", "12/27/2024"), ("c.md", "")):
        (pages / name).write_text(f"---\ntitle: {name}\nms.date: {date}\n---\n# Text\n", encoding="utf-8")
    first = snapshot_of(read_inputs(Sources(None, (pages,))))
    assert (first.newest_page_date, first.pages, first.abi_files) == ("2025-10-09", 3, 0)
    (pages / "c.md").write_text("---\ntitle: c\n---\n# Other text\n", encoding="utf-8")
    second = snapshot_of(read_inputs(Sources(None, (pages,))))
    assert second.newest_page_date == first.newest_page_date and second.digest != first.digest


def test_generated_pyproject_is_the_bindings_distribution() -> None:
    project = tomllib.loads((GENERATED / "python" / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    snapshot = build_model(Sources(ROOT / "specs")).snapshot
    assert snapshot is not None and snapshot.newest_page_date == "2015-03-09"
    assert project["name"] == "mapi-bindings"
    assert project["version"] == f"{__version__}+docs.20150309.{snapshot.digest[:8]}"
    assert project["dependencies"] == []
    assert project["license"] == "MIT AND CC-BY-4.0"
    assert (GENERATED / "python" / "mapi_bindings" / "py.typed").is_file()
    assert "CC BY 4.0" in (GENERATED / "python" / "LICENSE").read_text(encoding="utf-8")
    assert snapshot.digest in (GENERATED / "python" / "README.md").read_text(encoding="utf-8")


# --- on a clean machine -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def installed_generator(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment with the generator's wheel installed; its ``bin`` folder."""
    root = tmp_path_factory.mktemp("generator-wheel")
    built = wheel(ROOT, root / "dist")
    assert built.name == f"mapi_generator-{__version__}-py3-none-any.whl"
    return venv(root / "venv", built).parent


@pytest.fixture(scope="session")
def wheel_build(installed_generator: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``mapi-generator build --out <tmp>`` run from an empty folder; the output folder."""
    empty = tmp_path_factory.mktemp("empty")
    out = tmp_path_factory.mktemp("wheel-build") / "out"
    result = run([installed_generator / "mapi-generator", "build", "--out", out], cwd=empty)
    assert result.stderr.startswith("specs: the embedded specs (")
    assert f"{os.sep}site-packages{os.sep}generator{os.sep}specs)" in result.stderr.splitlines()[0]
    assert sorted(p.name for p in empty.iterdir()) == [".mapi-cache"]
    again = run([installed_generator / "mapi-generator", "build", "--out", out], cwd=empty)
    assert "nothing changed" in again.stdout
    return out


def test_console_script_and_module_print_the_version(installed_generator: Path, tmp_path: Path) -> None:
    expected = f"mapi-generator {__version__}\n"
    assert run([installed_generator / "mapi-generator", "--version"], cwd=tmp_path).stdout == expected
    assert run([installed_generator / "python", "-m", "generator", "--version"], cwd=tmp_path).stdout == expected


def test_wheel_builds_what_the_checkout_builds(wheel_build: Path, tmp_path: Path) -> None:
    checkout_build = tmp_path / "out"
    command = [sys.executable, "-m", "generator", "build", "--out", checkout_build, "--cache", tmp_path / "cache"]
    run(command, cwd=ROOT, PYTHONPATH=str(ROOT))
    built = files_under(wheel_build)
    assert built == files_under(checkout_build)
    assert built == files_under(GENERATED)


def test_editable_install_builds_the_same(wheel_build: Path, tmp_path: Path) -> None:
    """``pip install -e .`` finds the checkout's templates/ and specs/ and builds what the wheel builds."""
    bin_folder = venv(tmp_path / "venv", "-e", ROOT).parent
    empty, out = tmp_path / "empty", tmp_path / "out"
    empty.mkdir()
    result = run([bin_folder / "mapi-generator", "build", "--out", out], cwd=empty)
    assert result.stderr.splitlines()[0] == f"specs: the embedded specs ({os.path.relpath(ROOT / 'specs', empty)})"
    assert files_under(out) == files_under(wheel_build)


def test_bindings_wheel_passes_the_abi_tests_installed(wheel_build: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    require_tool("cc")
    root = tmp_path_factory.mktemp("bindings-wheel")
    built = wheel(wheel_build / "python", root / "dist")
    version = tomllib.loads((wheel_build / "python" / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert built.name == f"mapi_bindings-{version}-py3-none-any.whl"
    python = venv(root / "venv", "pytest", built)
    probe = "import importlib.metadata as m, mapi_bindings; print(mapi_bindings.__file__); print(m.version('mapi-bindings'))"
    where, installed_version = run([python, "-c", probe], cwd=root).stdout.split()
    assert Path(where).is_relative_to(root / "venv") and installed_version == version
    tests = ["tests/test_abi.py", "tests/test_generated_code.py", "-k", "not ruff and not mypy"]
    result = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], cwd=ROOT, MAPI_BINDINGS="installed")
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout
