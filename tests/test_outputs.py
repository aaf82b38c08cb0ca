"""The output tree: staged by several processes, exchanged atomically; model.json's encoding."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generator.backends.model_json import json_text
from generator.build import render_all, render_outputs
from generator.model import Model
from generator.outputs import Staging, write_outputs


def _tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder``: (content, inode)."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_ino) for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_processes_stage_into_one_tree_and_unchanged_files_stay_as_they_were(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs({"a/same.txt": "same", "a/old.txt": "old", "gone.txt": "x"}, out)
    before = _tree(out)
    staging = Staging.begin(out)
    child = os.fork()
    if child == 0:  # a rendering worker: stages its part, then ends
        code = 0 if staging.put({"a/b/c/new.txt": "new", "a/old.txt": "changed"}) == ["a/b/c/new.txt", "a/old.txt"] else 1
        os._exit(code)
    assert staging.put({"a/same.txt": "same", "top.bin": b"\x00\xff"}) == ["top.bin"]
    assert os.waitpid(child, 0)[1] == 0
    assert _tree(out) == before  # nothing is in place before finish
    staging.finish(["a/same.txt", "top.bin", "a/b/c/new.txt", "a/old.txt"], True)
    staging.discard()
    after = _tree(out)
    assert {rel: data for rel, (data, _) in after.items()} == {
        "a/b/c/new.txt": b"new", "a/old.txt": b"changed", "a/same.txt": b"same", "top.bin": b"\x00\xff"
    }
    assert after["a/same.txt"][1] == before["a/same.txt"][1]  # the same file, hard-linked
    assert not list(tmp_path.glob(".out.new-*"))


def test_staging_with_nothing_changed_leaves_the_output_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs({"a.txt": "a"}, out)
    folder = out.stat().st_ino
    assert write_outputs({"a.txt": "a"}, out) == []
    assert out.stat().st_ino == folder and not list(tmp_path.glob(".out.new-*"))
    assert write_outputs({}, out) == []  # a file no longer generated is removed
    assert _tree(out) == {}


def test_a_worker_does_not_bring_back_a_staging_folder_removed_under_it(tmp_path: Path) -> None:
    staging = Staging.begin(tmp_path / "out")
    staging.discard()
    with pytest.raises(FileNotFoundError):
        staging.put({"docs/en-US/page.html": "late"})
    assert not staging.folder.exists()


def test_rendering_into_the_output_writes_what_render_all_gives(embedded_model: Model, tmp_path: Path) -> None:
    files = render_all(embedded_model)
    names, changed = render_outputs(embedded_model, tmp_path / "out")
    assert names == changed == list(files)
    assert {rel: data for rel, (data, _) in _tree(tmp_path / "out").items()} == {
        rel: text.encode("utf-8") if isinstance(text, str) else text for rel, text in files.items()
    }
    assert render_outputs(embedded_model, tmp_path / "out") == (names, [])


def test_model_json_text_is_the_standard_librarys() -> None:
    document = {
        "text": "é ü \x00 \x1f \x7f \u2028 \" \\ / \t\n 😀",
        "empty": [{}, [], ""],
        "numbers": [0, -1, 2**63 - 1, -(2**63), 2**64 - 1],
        "flags": [True, False, None],
        "nested": {"a": {"b": [{"c": 1}]}},
    }
    assert json_text(document) == json.dumps(document, indent=2, ensure_ascii=False)
    beyond = {"value": 2**70, "negative": -(2**70)}  # orjson's limit: the standard library writes these
    assert json_text(beyond) == json.dumps(beyond, indent=2, ensure_ascii=False)
