"""The pipeline in one place: load → merge → render → write (or check).

The CLI, the watcher, the benchmark and the tests call these same functions.
Builds are incremental (``BuildCache``), atomic (a new tree is written beside
the output and swapped in with one rename) and deterministic (outputs name
inputs by their shown paths, never by absolute ones, and hold no timestamps).
"""

from __future__ import annotations

import gc
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import wraps
from pathlib import Path
from typing import ParamSpec, TypeVar

from generator.backends.model_json import findings, read_findings, sorted_diagnostics
from generator.cache import BuildCache, code_version, content_hash
from generator.errors import InputError
from generator.model import Diagnostic, Model
from generator.resources import templates_folder
from generator.sources import InputData, Sources, read_input, read_inputs


@dataclass(frozen=True)
class CheckResult:
    """Output files that are missing, stale, or present but no longer generated."""

    missing: tuple[str, ...]
    stale: tuple[str, ...]
    extra: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when the output tree is exactly what a build would write."""
        return not (self.missing or self.stale or self.extra)


@dataclass
class BuildResult:
    """What a build did: files written, inputs parsed, and whether it could skip everything."""

    total: int
    written: list[str]
    parsed: list[str]
    reused: int
    up_to_date: bool
    diagnostics: list[Diagnostic] = field(default_factory=list)
    interfaces: int = 0


# The front ends and back ends (Lark, PyYAML, Jinja, pyromark), the worker pool
# and the file-writing helpers are imported when a build has work to do: a build
# that finds nothing changed imports none of them.

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _cyclic_gc_paused(stage: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``stage`` with Python's cycle collector off (reference counting still frees everything).

    Parsing, unpickling and rendering allocate millions of small objects that
    form no cycles, and the collector would walk them all again at every
    generation-2 pass: 6% of a cold build, 40% of restoring the cache.
    Anything cyclic left over is collected once the collector is back on.
    """

    @wraps(stage)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return stage(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused


@_cyclic_gc_paused
def build_model(sources: Sources, cache: BuildCache | None = None, read: list[InputData] | None = None) -> Model:
    """Read and merge every input (raises ``InputErrors``); ``read``: the files, if already read.

    The model records the snapshot of inputs it was built from.
    """
    from generator.load import load
    from generator.merge import merge
    from generator.snapshot import snapshot_of

    read = read_inputs(sources) if read is None else read
    return replace(merge(load(sources, cache, read)), snapshot=snapshot_of(read))


@_cyclic_gc_paused
def render_all(model: Model) -> dict[str, str | bytes]:
    """Every output file, by path relative to the output folder (text, or the bytes of a copied image).

    The doc site's language trees, most of the work, are rendered in forked
    workers (which inherit the model) while this process renders the rest.
    """
    from generator.backends.model_json import render_model_json
    from generator.backends.python import render_python
    from generator.backends.site import render_site_language, render_site_root, site_languages
    from generator.parallel import forked_pool, worker_count

    languages = site_languages(model)
    with forked_pool(min(worker_count(), len(languages)), _adopt, (model,)) as pool:
        trees = [pool.submit(_render_language, lang) for lang in languages] if pool is not None else []
        files: dict[str, str | bytes] = {**render_model_json(model), **render_python(model), **render_site_root(model)}
        for tree in trees:
            files.update(tree.result())
        if pool is None:
            for lang in languages:
                files.update(render_site_language(model, lang))
    return dict(sorted(files.items()))


# The model a rendering worker inherited from the build that forked it.
_worker_model: Model | None = None


def _adopt(model: Model) -> None:
    global _worker_model
    _worker_model = model


def _render_language(lang: str) -> dict[str, str | bytes]:
    from generator.backends.site import render_site_language

    assert _worker_model is not None
    return render_site_language(_worker_model, lang)


def code_stamp() -> str:
    """A hash of the generator's own files a build depends on: its code, grammars and templates."""
    parts: list[str] = [code_version("*.py", "*.idl", "frontends/*", "frontends/page/*", "backends/*.py")]
    templates = templates_folder()
    for template in sorted(templates.rglob("*")):
        if template.is_file():
            parts += [template.relative_to(templates).as_posix(), content_hash(template.read_bytes())]
    return content_hash(*parts)


def fingerprint(code: str, read: list[InputData]) -> str:
    """A hash of everything a build depends on: the generator's own files (``code_stamp``), the inputs as read."""
    parts = [code]
    for data in read:
        parts += [data.item.kind, data.item.shown, data.digest if data.error is None else f"unread: {data.error}"]
    return content_hash(*parts)


def build(sources: Sources, out: Path, cache: BuildCache) -> BuildResult:
    """Build into ``out``; with nothing changed since the last build, parse and write nothing.

    A caller that builds again and again passes the same ``cache`` each time;
    made with ``hold``, it keeps in memory what the last build read.
    """
    cache.begin_build()
    code = code_stamp()
    state = cache.state()
    found = read_findings(state.get("findings"))
    racy = _inputs_as_recorded(state, sources.listing(), code)
    if found is None or racy is None or not _output_intact(state, out):
        read_at = time.time_ns()
        read = read_inputs(sources, sources.files())
        stamp = fingerprint(code, read)
        if found is None or state.get("fingerprint") != stamp or not _output_intact(state, out):
            inputs = {"fingerprint": stamp, "code": code, **_inputs_state(read, read_at)}
            return _rebuild(sources, out, cache, read, inputs)
        cache.save_state({**state, **_inputs_state(read, read_at)})  # touched, not changed
    elif racy != (recorded := _dict(state.get("inputs"))).get("racy"):  # compared now, long after their last change
        cache.save_state({**state, "inputs": {**recorded, "racy": racy}})
    interfaces, diagnostics = found
    return BuildResult(_count(state.get("files")), [], [], 0, True, diagnostics, interfaces)


def _rebuild(sources: Sources, out: Path, cache: BuildCache, read: list[InputData], state: dict[str, object]) -> BuildResult:
    model = build_model(sources, cache, read)
    cache.release_unused()
    files = render_all(model)
    written = write_outputs(files, out)
    outputs = {"count": len(files), "stamp": _stamp((rel, *_stat(out / rel)) for rel in sorted(files))}
    cache.save_state({**state, "out": str(out.resolve()), "files": outputs, "findings": findings(model)})
    diagnostics = sorted_diagnostics(model.diagnostics)
    return BuildResult(len(files), written, list(cache.parsed), cache.reused, False, diagnostics, len(model.interfaces))


# A file modified this close to the moment the last build read it may have
# changed again within its file system's time stamp resolution: its bytes are
# compared, not its size and time stamp.
_RACY_NS = 2_000_000_000


def _stamp(entries: Iterable[tuple[str, int, int]]) -> str:
    """One hash of many files' (name, size, modification time): what the state records of them."""
    digest = hashlib.sha256()
    for name, size, mtime_ns in entries:
        digest.update(f"{name}\0{size}\0{mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _inputs_as_recorded(
    state: dict[str, object], listing: list[tuple[Path, str, str, list[str]]], code: str
) -> dict[str, str] | None:
    """With the same inputs as the last build read, none changed since, and the same generator
    code: the inputs whose bytes must still be compared next time (else None).

    A file whose size and modification time are what the last build saw has
    the content it had then (a file modified within ``_RACY_NS`` of that read
    is read again and compared with the digest recorded for it), so a build
    with nothing to do need not read every input.  ``listing`` is
    ``Sources.listing()``; the state holds one hash of every input's name,
    size and time stamp, not a record per file.  A racy file compared now,
    ``_RACY_NS`` or more after its last change, needs no comparison again:
    a later change gives it a later time stamp.
    """
    recorded = _dict(state.get("inputs"))
    if state.get("code") != code or "stamp" not in recorded:
        return None
    checked_at = time.time_ns()
    entries: list[tuple[str, int, int]] = []
    found: dict[str, tuple[str, int]] = {}  # shown name -> (path, modification time)
    for folder, label, _, names in listing:
        base = os.fspath(folder)
        for name in names:
            shown, path = f"{label}/{name}", os.path.join(base, name)
            try:
                info = os.stat(path)
            except OSError:
                return None
            entries.append((shown, info.st_size, info.st_mtime_ns))
            found[shown] = (path, info.st_mtime_ns)
    if _stamp(entries) != recorded["stamp"]:
        return None
    racy: dict[str, str] = {}
    for shown, digest in _dict(recorded.get("racy")).items():
        try:
            if shown not in found or content_hash(read_input(Path(found[shown][0]), shown)) != digest:
                return None
        except InputError:
            return None
        if found[shown][1] >= checked_at - _RACY_NS:
            racy[shown] = str(digest)
    return racy


def _output_intact(state: dict[str, object], out: Path) -> bool:
    """The last build wrote to ``out``, and what it wrote is there untouched."""
    return state.get("out") == str(out.resolve()) and _intact(out, state)


def _inputs_state(read: list[InputData], read_at: int) -> dict[str, object]:
    """What ``_inputs_as_recorded`` needs next time: the hash of every input's size and time stamp as read
    (and the digest of each modified too close to the read to be trusted by them alone)."""
    entries: list[tuple[str, int, int]] = []
    racy: dict[str, str] = {}
    for data in read:
        if data.stat is None or data.error is not None:
            return {"inputs": {}}  # an input that could not be read is read again
        size, mtime_ns = data.stat
        entries.append((data.item.shown, size, mtime_ns))
        if mtime_ns >= read_at - _RACY_NS:
            racy[data.item.shown] = data.digest
    return {"inputs": {"stamp": _stamp(entries), "racy": racy}}


def check_outputs(files: Mapping[str, str | bytes], out: Path) -> CheckResult:
    """Compare ``files`` with what is under ``out`` without writing anything."""
    missing, stale = [], []
    for rel, text in files.items():
        target = out / rel
        if not target.is_file():
            missing.append(rel)
        elif target.read_bytes() != _bytes(text):
            stale.append(rel)
    extra = sorted(_present(out) - set(files))
    return CheckResult(tuple(missing), tuple(stale), tuple(extra))


def write_outputs(files: Mapping[str, str | bytes], out: Path) -> list[str]:
    """Write the tree atomically and return the paths whose content changed.

    The new tree is built in a temporary folder beside ``out``: unchanged files
    are hard links to the current ones (so their mtimes stay), changed ones are
    written.  Then the two folders are exchanged in one ``renameat2`` call (or,
    where that does not exist, two renames), so a reader, a crash or a kill
    sees either the old tree or the new one.
    """
    import shutil
    import tempfile

    changed = [rel for rel, text in files.items() if not _same(out / rel, text)]
    if not changed and _present(out) <= set(files):
        return []
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for rel, text in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if rel in changed:
                target.write_bytes(_bytes(text))
            else:
                _link_or_copy(out / rel, target)
        if out.exists():
            _exchange(staging, out)
        else:
            os.replace(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return changed


def _exchange(new: Path, current: Path) -> None:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE), else by two renames."""
    import ctypes
    import ctypes.util

    libc_name = ctypes.util.find_library("c")
    renameat2 = getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None) if libc_name else None
    if renameat2 is not None:
        at_fdcwd, rename_exchange = -100, 2
        if renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(current), rename_exchange) == 0:
            return
    old = current.with_name(f".{current.name}.old-{os.getpid()}")
    os.replace(current, old)
    os.replace(new, current)
    os.replace(old, new)


def _remove_leftovers(out: Path) -> None:
    """Temporary trees of builds that were killed midway."""
    import shutil

    for leftover in out.parent.glob(f".{out.name}.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _link_or_copy(source: Path, target: Path) -> None:
    import shutil

    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _same(path: Path, text: str | bytes) -> bool:
    return path.is_file() and path.read_bytes() == _bytes(text)


def _bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def _present(out: Path) -> set[str]:
    """The files under ``out`` as relative paths with '/', bytecode caches left out."""
    try:
        return {rel for rel, _ in _present_entries(os.fspath(out), "")}
    except (FileNotFoundError, NotADirectoryError):
        return set()


def _stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def _intact(out: Path, state: dict[str, object]) -> bool:
    """The output still holds exactly the files the last build wrote, untouched."""
    recorded = _dict(state.get("files"))
    present: list[tuple[str, int, int]] = []
    try:
        for rel, entry in _present_entries(os.fspath(out), ""):
            info = entry.stat()
            present.append((rel, info.st_size, info.st_mtime_ns))
    except OSError:
        return False
    present.sort()
    return len(present) == recorded.get("count") and _stamp(present) == recorded.get("stamp")


def _present_entries(folder: str, prefix: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(relative path with '/', directory entry) of every file under ``folder``, bytecode caches left out."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir():
                if entry.name != "__pycache__":
                    yield from _present_entries(entry.path, f"{prefix}{entry.name}/")
            else:
                yield f"{prefix}{entry.name}", entry


def _count(value: object) -> int:
    count = _dict(value).get("count")
    return count if isinstance(count, int) else 0


def _dict(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}
