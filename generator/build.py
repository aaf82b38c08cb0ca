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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial, wraps
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeAlias, TypeVar, cast

from generator.cache import BuildCache, code_version, content_hash
from generator.errors import InputError
from generator.findings import findings, read_findings, sorted_diagnostics
from generator.model.records import Diagnostic
from generator.outputs import Staging, present_entries
from generator.resources import templates_folder
from generator.sources import InputData, Sources, read_input, read_inputs

if TYPE_CHECKING:
    from generator.backends.site import Site
    from generator.model import Model


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
# and the modules that write files (shutil, tempfile) are imported when a build
# has work to do: a build that finds nothing changed imports none of them.

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


def render_all(model: Model) -> dict[str, str | bytes]:
    """Every output file, by path relative to the output folder (text, or the bytes of a copied image)."""
    files: dict[str, str | bytes] = {}
    for part in _render_parts(model, _files):
        files.update(part)
    return dict(sorted(files.items()))


def render_outputs(model: Model, out: Path) -> tuple[list[str], list[str]]:
    """Render every output file into a new tree and put it in place of ``out`` as ``write_outputs`` does:
    (every file, the files whose content changed), each sorted.

    Each process writes every part it renders (a language tree of the site,
    model.json, the Python package) into the one staging folder as soon as
    the part is rendered: the files are not sent back to this process, and
    writing overlaps rendering.
    """
    staging = Staging.begin(out)
    try:
        parts = _render_parts(model, partial(_staged, staging))
        files = sorted(rel for names, _ in parts for rel in names)
        changed = sorted(rel for _, written in parts for rel in written)
        staging.finish(files, bool(changed))
    finally:
        staging.discard()
    return files, changed


_Taken = TypeVar("_Taken")
_Files: TypeAlias = Mapping[str, str | bytes]


@_cyclic_gc_paused
def _render_parts(model: Model, take: Callable[[_Files], _Taken]) -> list[_Taken]:
    """``take`` of the files of each part of the output, called in the process that rendered them.

    The doc site's language trees, most of the work, are rendered in forked
    workers while this process renders model.json, the Python package and the
    site's root.  The workers inherit the model, its views, what the trees
    share, the site's compiled templates and ``take``: all made once, here.
    """
    from generator.backends.model_json import render_model_json
    from generator.backends.python import render_python
    from generator.backends.render import compile_templates
    from generator.backends.site import Site, render_site_root
    from generator.parallel import forked_pool, worker_count
    from generator.views import views_of

    views = views_of(model)
    site = Site(model, views)
    compile_templates("site")
    with forked_pool(min(worker_count(), len(site.languages)), _adopt, (site, take, os.getpid())) as pool:
        trees = [pool.submit(_render_language, lang) for lang in site.languages] if pool is not None else []
        taken = [take(render_model_json(model)), take(render_python(model, views)), take(render_site_root(model))]
        if pool is None:
            taken += [take(site.language_tree(lang)) for lang in site.languages]
        taken += [cast(_Taken, tree.result()) for tree in trees]
    return taken


def _files(files: _Files) -> _Files:
    return files


def _staged(staging: Staging, files: _Files) -> tuple[list[str], list[str]]:
    """Stage ``files``: (their paths, the paths whose content changed)."""
    return list(files), staging.put(files)


# What a rendering worker inherited from the build that forked it: the site, and what to do with each tree.
_worker: tuple[Site, Callable[[_Files], object]] | None = None


def _adopt(site: Site, take: Callable[[_Files], object], parent: int) -> None:
    global _worker
    _worker = site, take
    _die_with(parent)


def _die_with(parent: int) -> None:
    """End this worker when the build that forked it ends, even by SIGKILL (Linux only).

    A worker writes into the build's staging folder: one that outlived a
    killed build would write on while the next build removes that folder.
    """
    import ctypes
    import ctypes.util
    import signal

    libc_name = ctypes.util.find_library("c")
    prctl = getattr(ctypes.CDLL(libc_name, use_errno=True), "prctl", None) if libc_name else None
    if prctl is not None:
        pr_set_pdeathsig = 1
        prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the build ended before the request was made
        os._exit(1)


def _render_language(lang: str) -> object:
    assert _worker is not None
    site, take = _worker
    return take(site.language_tree(lang))


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
    files, written = render_outputs(model, out)
    outputs = {"count": len(files), "stamp": _stamp((rel, *_stat(out / rel)) for rel in files)}
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
        base = os.path.join(folder, "")  # the folder with its separator: a path per name is one concatenation
        for name in names:
            shown, path = f"{label}/{name}", base + name
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


def _stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def _intact(out: Path, state: dict[str, object]) -> bool:
    """The output still holds exactly the files the last build wrote, untouched."""
    recorded = _dict(state.get("files"))
    present: list[tuple[str, int, int]] = []
    try:
        for rel, entry in present_entries(os.fspath(out), ""):
            info = entry.stat()
            present.append((rel, info.st_size, info.st_mtime_ns))
    except OSError:
        return False
    present.sort()
    return len(present) == recorded.get("count") and _stamp(present) == recorded.get("stamp")


def _count(value: object) -> int:
    count = _dict(value).get("count")
    return count if isinstance(count, int) else 0


def _dict(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}
