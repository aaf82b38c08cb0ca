"""The command line: exit codes, diagnostics, --check, and bad input leaving output untouched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GENERATED, ROOT, SPECS

from generator import __version__


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """This checkout's generator, run in ``cwd`` (where a build keeps its ``.mapi-cache``)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_main_command_twice_with_bytecode_written(tmp_path: Path) -> None:
    """The README's ``python -m generator build``, run twice as on a user's machine (bytecode written)."""
    checkout = tmp_path / "checkout"
    for folder in ("generator", "templates", "specs", "generated"):
        shutil.copytree(ROOT / folder, checkout / folder, ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    command = [sys.executable, "-m", "generator", "build"]
    first = subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    assert (checkout / "generator" / "frontends" / "__pycache__").is_dir()
    assert "specs: ./specs" in first.stderr
    second = subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True, check=False)
    assert second.returncode == 0, second.stderr
    assert "nothing changed" in second.stdout, second.stdout


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    copy = tmp_path / "specs"
    shutil.copytree(SPECS, copy)
    return copy


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` but bytecode (importing the generated package writes some)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_without_specs_a_build_elsewhere_reads_the_embedded_specs(tmp_path: Path) -> None:
    result = run("build", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == f"specs: the embedded specs ({os.path.relpath(SPECS, tmp_path)})"
    assert snapshot(tmp_path / "out") == snapshot(GENERATED)
    assert run("build", "--out", "out", "-q", cwd=tmp_path).stderr == ""


def test_version(tmp_path: Path) -> None:
    result = run("--version", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, f"mapi-generator {__version__}\n")


def test_build_then_check(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--specs", str(specs), "--out", str(out), cwd=tmp_path).returncode == 0
    assert (out / "model.json").is_file()
    checked = run("build", "--specs", str(specs), "--out", str(out), "--check", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    (out / "docs" / "index.html").write_text("stale", encoding="utf-8")
    (out / "model.json").unlink()
    stale = run("build", "--specs", str(specs), "--out", str(out), "--check", cwd=tmp_path)
    assert stale.returncode == 1
    assert "docs/index.html: stale" in stale.stderr
    assert "model.json: missing" in stale.stderr


MALFORMED_IDL = """import "mapitypes.idl";
[object, uuid(614AB435-491D-4F5B-A8B4-60EB031030C6), local]
interface IBroken : IUnknown
{
    HRESULT Open([in] ULONG ulFlags
};
"""

MALFORMED_PAGE = """---
title: broken
---
# IBroken : IUnknown

Markdown has no syntax errors, but a page must be text: a NUL \x00 is not.
"""


@pytest.mark.parametrize(
    ("relative", "text", "where", "message"),
    [
        ("idl/IBroken.idl", MALFORMED_IDL, "IBroken.idl:6:1: error: ", "unexpected token '}'"),
        ("pages/broken.md", MALFORMED_PAGE, "broken.md:6:63: error: ", "NUL character"),
    ],
)
def test_malformed_input(specs: Path, tmp_path: Path, relative: str, text: str, where: str, message: str) -> None:
    out = tmp_path / "out"
    assert run("build", "--specs", str(specs), "--out", str(out), cwd=tmp_path).returncode == 0
    before = snapshot(out)
    (specs / relative).write_text(text, encoding="utf-8")
    result = run("build", "--specs", str(specs), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 1
    assert where in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr
    assert "^" in result.stderr
    assert snapshot(out) == before


def test_every_broken_file_is_reported(specs: Path, tmp_path: Path) -> None:
    (specs / "idl" / "IBroken.idl").write_text(MALFORMED_IDL, encoding="utf-8")
    (specs / "pages" / "broken.md").write_text(MALFORMED_PAGE, encoding="utf-8")
    result = run("build", "--specs", str(specs), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count(": error: ") == 2


def test_usage_errors_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("build", "--specs", str(tmp_path / "missing"), cwd=tmp_path).returncode == 2
    assert run("frobnicate", cwd=tmp_path).returncode == 2
    assert run(cwd=tmp_path).returncode == 2
    monkeypatch.setenv("MAPI_MAX_INPUT_BYTES", "lots")
    bad_limit = run("build", "--check", cwd=tmp_path)
    assert bad_limit.returncode == 2
    assert bad_limit.stderr == "error: MAPI_MAX_INPUT_BYTES='lots' is not a positive number of bytes\n"


def test_report_lists_findings(specs: Path, tmp_path: Path) -> None:
    page = specs / "pages" / "imapigetsessioniunknown.md"
    page.write_text(page.read_text(encoding="utf-8").replace("IMAPIGetSession : IUnknown</span></span>", "IMAPIGetSession : IMAPIProp</span></span>"), encoding="utf-8")
    result = run("report", "--specs", str(specs), cwd=tmp_path)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["interface", "finding", "where", "detail"]
    assert any("IMAPIGetSession" in line and "base-mismatch" in line for line in lines[1:])
