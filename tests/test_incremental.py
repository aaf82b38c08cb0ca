"""Regenerating: no-op and one-page rebuilds, atomic output, determinism, watch, and the API diff."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from conftest import ROOT, SPECS, require_corpus

import generator.build
import generator.sources
from generator.build import build
from generator.cache import BuildCache
from generator.errors import InputErrors
from generator.sources import InputFile, Sources

T = TypeVar("T")

# Subprocesses run this checkout's generator, whatever their working directory.
ENV = dict(os.environ, PYTHONPATH=str(ROOT))

PAGES = (
    "imapisessioniunknown.md", "imapisession-openmsgstore.md", "imapisession-logoff.md",
    "imapigetsessioniunknown.md", "imapigetsession-getmapisession.md", "mapi-constants.md",
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A project-like folder: specs/ and a few English pages under en-US/."""
    shutil.copytree(SPECS, tmp_path / "specs")
    docs = tmp_path / "en-US"
    docs.mkdir()
    for name in PAGES:
        shutil.copy(require_corpus() / "en-US" / name, docs / name)
    return tmp_path


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def sources(tree: Path) -> Sources:
    return Sources(tree / "specs", (tree / "en-US",))


def test_noop_rebuild_parses_and_writes_nothing(tree: Path) -> None:
    """specs/idl holds 71 files: 68 interfaces, mapitypes.idl, mapidata.idl and mapifunctions.idl."""
    out, cache = tree / "out", tree / "cache"
    first = build(sources(tree), out, BuildCache(cache))
    assert first.written and len(first.parsed) == 71 + 2 + len(PAGES) - 1
    before = snapshot(out)
    again = build(sources(tree), out, BuildCache(cache))
    assert again.up_to_date and again.parsed == [] and again.written == []
    assert snapshot(out) == before
    assert [d.code for d in again.diagnostics] == [d.code for d in first.diagnostics]


# What a build with work to do imports and a no-op must not: parsers, templates, encoders, the pool,
# the model beyond its records (diagnostics and their places).
BUILD_ONLY_MODULES = (
    "lark", "jinja2", "markupsafe", "yaml", "pyromark", "orjson", "multiprocessing", "generator.load", "generator.merge",
    "generator.frontends", "generator.backends", "generator.model.abi", "generator.model.merged",
    "generator.model.pages", "generator.model.prose",
)


def test_a_noop_rebuild_imports_no_parser_template_or_encoder(tree: Path) -> None:
    """The command line's no-op, in a fresh process: it lists, compares and prints, nothing more."""
    out, cache = tree / "out", tree / "cache"
    build(sources(tree), out, BuildCache(cache))
    code = (
        "import sys; from generator.cli import main\n"
        f"status = main(['build', '-q', '--specs', 'specs', '--docs', 'en-US', '--out', {str(out)!r}, '--cache', {str(cache)!r}])\n"
        f"print(status, sorted(m for m in {BUILD_ONLY_MODULES!r} if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tree, env=ENV, capture_output=True, text=True, check=True)
    assert result.stdout.split("\n")[-2] == "0 []"


def test_a_noop_rebuild_reads_only_inputs_whose_time_stamp_or_size_moved(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Size and time stamp stand for the bytes, but for a file modified close to the last read."""
    out, cache = tree / "out", tree / "cache"
    build(sources(tree), out, BuildCache(cache))
    settled = time.time_ns() - 10**10  # every input as if written ten seconds before the build read it
    listed = sources(tree).files()
    for item in listed:
        os.utime(item.path, ns=(settled, settled))
    build(sources(tree), out, BuildCache(cache))  # touched, not changed: records the new time stamps
    reads: list[str] = []
    real_read, real_read_and_stat = generator.sources.read_input, generator.sources.read_input_and_stat

    def counting(path: Path, shown: str) -> bytes:
        reads.append(shown)
        return real_read(path, shown)

    def counting_and_stat(path: Path, shown: str) -> tuple[bytes, os.stat_result]:
        reads.append(shown)
        return real_read_and_stat(path, shown)

    monkeypatch.setattr(generator.sources, "read_input_and_stat", counting_and_stat)
    monkeypatch.setattr(generator.build, "read_input", counting)
    assert build(sources(tree), out, BuildCache(cache)).up_to_date and reads == []
    page = tree / "en-US" / "imapisession-logoff.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("Ends a MAPI session.", "Ends a MAPI sessioN."), encoding="utf-8")
    os.utime(page, ns=(settled, settled))  # same size, same time stamp: not seen, as in make and git
    assert build(sources(tree), out, BuildCache(cache)).up_to_date
    os.utime(page, ns=(settled + 1, settled + 1))
    result = build(sources(tree), out, BuildCache(cache))
    assert result.parsed == ["en-US/imapisession-logoff.md"] and len(reads) >= len(listed)
    page.write_text(text, encoding="utf-8")  # written just before a build reads it
    build(sources(tree), out, BuildCache(cache))
    written = page.stat().st_mtime_ns
    page.write_text(text.replace("Ends a MAPI session.", "Ends a MAPI sessiOn."), encoding="utf-8")
    os.utime(page, ns=(written, written))  # changed again within the time stamp's resolution: compared
    result = build(sources(tree), out, BuildCache(cache))
    assert result.parsed == ["en-US/imapisession-logoff.md"]
    assert "Ends a MAPI sessiOn." in (out / "model.json").read_text(encoding="utf-8")


def test_a_file_compared_long_after_its_change_is_not_compared_again(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inputs written just before a build are compared by their bytes on the next no-op; once that
    comparison happens ``_RACY_NS`` after their last change, the no-op records them as settled."""
    out, cache = tree / "out", tree / "cache"
    build(sources(tree), out, BuildCache(cache))  # the pages were copied just now: all racy
    racy = json.loads((cache / "state.json").read_text(encoding="utf-8"))["inputs"]["racy"]
    assert "en-US/imapisession-logoff.md" in racy
    monkeypatch.setattr(generator.build, "_RACY_NS", 0)  # as if the next build ran long after
    assert build(sources(tree), out, BuildCache(cache)).up_to_date
    assert json.loads((cache / "state.json").read_text(encoding="utf-8"))["inputs"]["racy"] == {}
    reads: list[str] = []
    real_read = generator.build.read_input
    monkeypatch.setattr(generator.build, "read_input", lambda path, shown: reads.append(shown) or real_read(path, shown))
    assert build(sources(tree), out, BuildCache(cache)).up_to_date and reads == []


def test_one_page_change_reparses_that_page_and_rewrites_only_what_changed(tree: Path) -> None:
    out, cache = tree / "out", tree / "cache"
    build(sources(tree), out, BuildCache(cache))
    before = snapshot(out)
    page = tree / "en-US" / "imapisession-logoff.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Ends a MAPI session.", "Ends the MAPI session now."), encoding="utf-8")
    result = build(sources(tree), out, BuildCache(cache))
    assert result.parsed == ["en-US/imapisession-logoff.md"]
    after = snapshot(out)
    changed = sorted(rel for rel in after if after[rel] != before.get(rel))
    assert changed == sorted(result.written)
    assert "model.json" in changed and "python/mapi_bindings/interfaces.py" in changed
    assert all("Logoff" in rel or "IMAPISession" in rel or rel in ("model.json",) or rel.startswith(("python/", "docs/")) for rel in changed)
    assert len(changed) < len(after) / 4
    unchanged = [rel for rel in after if rel not in changed]
    assert all(after[rel][1] == before[rel][1] for rel in unchanged)
    build(sources(tree), tree / "fresh", BuildCache(None))  # what the cached records gave is what parsing gives
    assert {rel: data for rel, (data, _) in snapshot(tree / "fresh").items()} == {rel: data for rel, (data, _) in after.items()}


def test_a_cache_kept_between_builds_reads_back_only_what_changed(tree: Path) -> None:
    out, cache = tree / "out", BuildCache(tree / "cache", hold=True)
    build(sources(tree), out, cache)
    shutil.rmtree(tree / "cache" / "parsed")  # what the next build reuses must come from memory
    page = tree / "en-US" / "imapisession-logoff.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Ends a MAPI session.", "Ends the MAPI session now."), encoding="utf-8")
    result = build(sources(tree), out, cache)
    idl_files, seed, builtins = 71, 1, 2
    assert result.parsed == ["en-US/imapisession-logoff.md"]
    assert result.reused == idl_files + seed + len(PAGES) - 1 + builtins
    assert "Ends the MAPI session now." in (out / "model.json").read_text(encoding="utf-8")
    fresh = build(sources(tree), tree / "fresh", BuildCache(None))
    assert len(fresh.parsed) == idl_files + seed + len(PAGES)
    assert {k: v[0] for k, v in snapshot(tree / "fresh").items()} == {k: v[0] for k, v in snapshot(out).items()}


def test_a_page_gone_between_listing_and_reading_is_a_located_error(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor's temporary file can vanish while a build (or the watcher) lists the folder."""
    listed = Sources.files

    def with_a_vanished_page(self: Sources) -> list[InputFile]:
        return [*listed(self), InputFile(tree / "en-US" / "gone.md", "en-US/gone.md", "page")]

    monkeypatch.setattr(Sources, "files", with_a_vanished_page)
    with pytest.raises(InputErrors) as caught:
        build(sources(tree), tree / "out", BuildCache(tree / "cache"))
    [error] = caught.value.errors
    assert (error.loc.file, error.loc.line, error.loc.column) == ("en-US/gone.md", 1, 1)
    assert error.message.startswith("cannot read the file: No such file")
    assert not (tree / "out").exists()


def test_the_cycle_collector_is_off_while_a_build_parses_and_renders(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    import generator.backends.python
    import generator.load

    seen: dict[str, bool] = {}

    def watching(stage: str, real: Callable[..., T]) -> Callable[..., T]:
        def run(*args: object) -> T:
            seen[stage] = gc.isenabled()
            return real(*args)

        return run

    monkeypatch.setattr(generator.load, "load", watching("load", generator.load.load))
    monkeypatch.setattr(generator.backends.python, "render_python", watching("render", generator.backends.python.render_python))
    assert gc.isenabled()
    build(sources(tree), tree / "out", BuildCache(None))
    assert seen == {"load": False, "render": False}
    assert gc.isenabled()


def test_deleting_the_cache_changes_no_output(tree: Path) -> None:
    build(sources(tree), tree / "a", BuildCache(tree / "cache"))
    shutil.rmtree(tree / "cache")
    build(sources(tree), tree / "b", BuildCache(tree / "cache"))
    build(sources(tree), tree / "c", BuildCache(None))
    a, b, c = ({k: v[0] for k, v in snapshot(tree / name).items()} for name in "abc")
    assert a == b == c


def test_killed_build_leaves_the_old_output_intact(tree: Path) -> None:
    out = tree / "out"
    assert build(sources(tree), out, BuildCache(None)).written
    before = snapshot(out)
    (tree / "specs" / "pages" / "imapigetsessioniunknown.md").write_text(
        (SPECS / "pages" / "imapigetsessioniunknown.md").read_text(encoding="utf-8").replace("Proporciona", "Ofrece"),
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "generator", "build", "--no-cache", "--specs", "specs", "--docs", "en-US", "--out", "out", "-q"]
    killed_while_writing = False
    for _ in range(20):
        process = subprocess.Popen(command, cwd=tree, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            if any(tree.glob(".out.new-*")):
                process.send_signal(signal.SIGKILL)
                killed_while_writing = True
                break
            time.sleep(0.0005)
        process.wait(timeout=60)
        if killed_while_writing:
            break
    assert killed_while_writing, "the build always finished before it could be killed"
    assert snapshot(out) == before
    result = subprocess.run(command, cwd=tree, env=ENV, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0
    assert not list(tree.glob(".out.new-*"))
    assert any("Ofrece" in p.read_text(encoding="utf-8") for p in (out / "docs").rglob("*.html"))


def test_builds_are_byte_identical_across_paths_seeds_locales_and_time_zones(tmp_path: Path) -> None:
    outputs = []
    for name, seed, tz, locale in (("one", "1", "UTC", "C"), ("elsewhere/two", "4242", "Asia/Kolkata", "C.UTF-8")):
        root = tmp_path / name
        shutil.copytree(SPECS, root / "specs")
        shutil.copytree(require_corpus() / "es-ES-sxs", root / "pages" / "es-ES-sxs")
        env = dict(os.environ, PYTHONHASHSEED=seed, TZ=tz, LC_ALL=locale, PYTHONPATH=str(ROOT))
        result = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--no-cache", "--docs", "pages/es-ES-sxs", "--out", "out", "-q"],
            cwd=root, env=env, capture_output=True, text=True, check=False, timeout=300,
        )
        assert result.returncode == 0, result.stderr
        outputs.append({k: v[0] for k, v in snapshot(root / "out").items()})
    assert outputs[0].keys() == outputs[1].keys()
    assert [k for k in outputs[0] if outputs[0][k] != outputs[1][k]] == []
    text = b"".join(outputs[0].values())
    assert str(tmp_path).encode() not in text


def test_watch_rebuilds_when_a_page_changes(tree: Path) -> None:
    command = [sys.executable, "-m", "generator", "build", "--watch", "--specs", "specs", "--docs", "en-US", "--out", "out", "--cache", "cache", "-q"]
    process = subprocess.Popen(command, cwd=tree, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        lines = []
        while not any(line.startswith("watching") for line in lines):
            lines.append(process.stdout.readline())
            assert process.poll() is None, lines
        time.sleep(0.5)
        page = tree / "en-US" / "imapisession-logoff.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "inputs parsed" in line and "changed:" in "".join(lines):
                break
        assert any(line.startswith("changed: imapisession-logoff.md") for line in lines), lines
        assert any("1 inputs parsed" in line for line in lines), lines
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()


def write_pages(folder: Path, pages: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


INTERFACE = """---
title: {name}
---
# {name} : IUnknown

{summary}

|Property |Value |
|:-----|:-----|
|Interface identifier:  <br/> |IID_{name}  <br/> |

## Vtable order

|Member |Description |
|:-----|:-----|
{rows}
"""

METHOD = """---
title: {itf}::{name}
---
# {itf}::{name}

Does {name}.

```cpp
HRESULT {name}(
{params}
);
```

## Parameters

{docs}
"""


def interface(name: str, summary: str, methods: list[str]) -> str:
    rows = "\n".join(f"|[{m}]({name.lower()}-{m.lower()}.md) <br/> |Does {m}. |" for m in methods)
    return INTERFACE.format(name=name, summary=summary, rows=rows)


def method(itf: str, name: str, params: list[tuple[str, str, str]]) -> str:
    declared = ",\n".join(f"  {t} {n}" for t, n, _ in params)
    docs = "\n\n".join(f"_{n}_\n\n> [{d}] The {n}." for _, n, d in params)
    return METHOD.format(itf=itf, name=name, params=declared, docs=docs)


def test_diff_reports_constructed_changes_exactly(tmp_path: Path) -> None:
    old = write_pages(tmp_path / "old", {
        "ifooiunknown.md": interface("IFoo", "Foo things.", ["Open", "Close"]),
        "ifoo-open.md": method("IFoo", "Open", [("ULONG", "ulFlags", "in"), ("LPUNKNOWN *", "lppUnk", "out")]),
        "ifoo-close.md": method("IFoo", "Close", [("ULONG", "ulFlags", "in")]),
        "ibariunknown.md": interface("IBar", "Bar things.", ["Run"]),
        "ibar-run.md": method("IBar", "Run", []),
    })
    new = write_pages(tmp_path / "new", {
        "ifooiunknown.md": interface("IFoo", "Foo things, better said.", ["Close", "Open", "Reset"]),
        "ifoo-open.md": method("IFoo", "Open", [("ULONG", "ulOptions", "in"), ("LPUNKNOWN *", "lppUnk", "in, out")]),
        "ifoo-close.md": method("IFoo", "Close", [("ULONG", "ulFlags", "in")]),
        "ifoo-reset.md": method("IFoo", "Reset", []),
        "ibaziunknown.md": interface("IBaz", "Baz things.", []),
    })
    result = subprocess.run(
        [sys.executable, "-m", "generator", "diff", str(old), str(new), "--json"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert document["abi_changed"] is True
    assert [(c["kind"], c["interface"], c["method"], c["detail"]) for c in document["changes"]] == [
        ("interface-removed", "IBar", None, "IBar was removed"),
        ("interface-added", "IBaz", None, "IBaz : IUnknown was added"),
        ("method-added", "IFoo", "Reset", "added at slot 5"),
        ("method-moved", "IFoo", "Close", "moved from slot 4 to slot 3"),
        ("method-moved", "IFoo", "Open", "moved from slot 3 to slot 4"),
        ("param-name", "IFoo", "Open", "parameter 1 renamed ulFlags -> ulOptions"),
        ("param-direction", "IFoo", "Open", "parameter 2 (lppUnk) [out] -> [in, out]"),
    ]
    assert document["prose_changes"] == {"en-US": 1}
    same = subprocess.run(
        [sys.executable, "-m", "generator", "diff", str(old), str(old)], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert same.returncode == 0 and same.stdout.strip().endswith("ABI unchanged")


def test_diff_locates_errors_in_the_side_that_has_them(tmp_path: Path) -> None:
    good = write_pages(tmp_path / "a" / "en-US", {"ifooiunknown.md": interface("IFoo", "Foo.", ["Open"])})
    bad = write_pages(tmp_path / "b" / "en-US", {"ifooiunknown.md": "---\ntitle: [x\n---\n# IFoo : IUnknown\n"})
    result = subprocess.run(
        [sys.executable, "-m", "generator", "diff", str(good), str(bad)], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 1
    assert "b/en-US/ifooiunknown.md:2:10: error: front matter" in result.stderr
    assert "a/en-US" not in result.stderr
