"""The command line: exit codes, diagnostics, --check, and bad input leaving output untouched."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SPECS


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    copy = tmp_path / "specs"
    shutil.copytree(SPECS, copy)
    return copy


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_build_then_check(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--specs", str(specs), "--out", str(out)).returncode == 0
    assert (out / "model.json").is_file()
    checked = run("build", "--specs", str(specs), "--out", str(out), "--check")
    assert checked.returncode == 0, checked.stderr
    (out / "docs" / "index.html").write_text("stale", encoding="utf-8")
    (out / "model.json").unlink()
    stale = run("build", "--specs", str(specs), "--out", str(out), "--check")
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
    assert run("build", "--specs", str(specs), "--out", str(out)).returncode == 0
    before = snapshot(out)
    (specs / relative).write_text(text, encoding="utf-8")
    result = run("build", "--specs", str(specs), "--out", str(out))
    assert result.returncode == 1
    assert where in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr
    assert "^" in result.stderr
    assert snapshot(out) == before


def test_every_broken_file_is_reported(specs: Path, tmp_path: Path) -> None:
    (specs / "idl" / "IBroken.idl").write_text(MALFORMED_IDL, encoding="utf-8")
    (specs / "pages" / "broken.md").write_text(MALFORMED_PAGE, encoding="utf-8")
    result = run("build", "--specs", str(specs), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.count(": error: ") == 2


def test_usage_errors_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("build", "--specs", str(tmp_path / "missing")).returncode == 2
    assert run("frobnicate").returncode == 2
    assert run().returncode == 2
    monkeypatch.setenv("MAPI_MAX_INPUT_BYTES", "lots")
    bad_limit = run("build", "--check")
    assert bad_limit.returncode == 2
    assert bad_limit.stderr == "error: MAPI_MAX_INPUT_BYTES='lots' is not a positive number of bytes\n"


def test_report_lists_findings(specs: Path) -> None:
    page = specs / "pages" / "imapigetsessioniunknown.md"
    page.write_text(page.read_text(encoding="utf-8").replace("IMAPIGetSession : IUnknown</span></span>", "IMAPIGetSession : IMAPIProp</span></span>"), encoding="utf-8")
    result = run("report", "--specs", str(specs))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["interface", "finding", "where", "detail"]
    assert any("IMAPIGetSession" in line and "base-mismatch" in line for line in lines[1:])
