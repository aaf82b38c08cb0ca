"""Input stage: run every input file (``generator.sources``) through its front end.

Diagnostics and records name a file by its shown path.  Errors are collected
per file, so one run reports every broken file; the caller gets either
``Inputs`` for the merge step or ``InputErrors``.  Front-end results are kept
in a ``BuildCache`` by content hash.
"""

from __future__ import annotations

import re
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path

from generator.cache import BuildCache, code_version, content_hash
from generator.errors import InputError, InputErrors
from generator.frontends.header import parse_guid_definitions, parse_headers
from generator.frontends.header import warm_up as warm_up_headers
from generator.frontends.idl import parse_idl
from generator.frontends.idl import warm_up as warm_up_idl
from generator.frontends.page import KIND_ORDER, PageImage, PageResult, parse_page
from generator.frontends.page import warm_up as warm_up_pages
from generator.merge import Inputs
from generator.model import (
    AbiFile,
    Diagnostic,
    FunctionPage,
    GuidDefinition,
    InterfacePage,
    MacroPage,
    MediaFile,
    MethodPage,
    PropertyPage,
    PropertyTypesPage,
    Record,
    Severity,
    SourceLoc,
    StructurePage,
)
from generator.parallel import forked_pool, worker_count
from generator.resources import builtin_idl
from generator.sources import InputData, InputFile, Sources, decode_input, read_inputs

# IUnknown, which every interface derives from, and the types MAPI signatures use
# that no MAPI source declares.
BUILTIN_IDL = builtin_idl()

# What each front end's results depend on besides the input's bytes.
_FRONT_END_CODE = {
    "idl": ("frontends/idl.py", "frontends/idl.lark", "frontends/cdata.*", "model/*", "errors.py"),
    "page": ("frontends/page/*", "frontends/header*", "frontends/cdata.*", "model/*", "errors.py", "load.py"),
    "header": ("frontends/header*", "frontends/cdata.*", "model/*", "errors.py"),
}


def load(sources: Sources, cache: BuildCache | None = None, read: list[InputData] | None = None) -> Inputs:
    """Parse every input; raise ``InputErrors`` listing all the files that failed.

    ``read`` is the files as ``read_inputs`` gave them, when the caller has
    read them already.  Inputs whose results the cache holds are not parsed
    (nor decoded); the others are parsed in worker processes when there are
    many of them.
    """
    cache = cache or BuildCache(None)
    inputs = Inputs()
    # (rank, error): the files that cannot be read or decoded, in load order, then the parse errors.
    errors: list[tuple[tuple[int, int], InputError]] = []
    inputs.abi_files.extend(replace(_builtin(cache, path), kind="builtin") for path in BUILTIN_IDL)
    headers: list[tuple[str, str, str]] = []
    results: dict[str, object] = {}
    pending: list[tuple[int, InputFile, bytes, str]] = []
    read = read_inputs(sources) if read is None else read
    media: dict[str, bytes] = {}
    for position, data in enumerate(read):
        item = data.item
        if data.error is not None:
            errors.append(((0, position), data.error))
        elif item.kind == "media":
            media[item.shown] = data.data
        elif item.kind == "header":
            try:
                headers.append((item.shown, data.digest, decode_input(item.shown, data.data)))
            except InputError as exc:
                errors.append(((0, position), exc))
        else:
            key = content_hash(item.kind, code_version(*_FRONT_END_CODE[item.kind]), item.shown, data.digest)
            found = cache.lookup(key)
            if found is not None:
                results[item.shown] = found
                continue
            pending.append((position, item, data.data, key))
    # The pages of one name in the docs folders are parsed one after the other, by the same
    # worker (in one chunk): much of their text is the same, and a process reads a text once
    # (``read_markdown``).  Outcomes come back in ``pending``'s order.
    order = sorted(range(len(pending)), key=lambda index: pending[index][1].shown.rpartition("/")[2])
    jobs = [(pending[index][1].kind, pending[index][1].shown, pending[index][2]) for index in order]
    # This process parses too, so it forks one worker fewer than there are cores.
    workers = worker_count() - 1 if len(jobs) >= _PARALLEL_FROM else 0
    if workers > 0:
        warm_up_pages()
        warm_up_idl()
        warm_up_headers()  # pages with GUIDs in their code read them with the header grammar
    # The workers inherit the jobs through the fork: only the chunks' bounds are pickled.
    chunks = [range(start, min(start + _CHUNK, len(jobs))) for start in range(0, len(jobs), _CHUNK)]
    with forked_pool(workers, _adopt_jobs, (jobs,)) as pool:
        futures = [pool.submit(_parse_chunk_in_worker, chunk) for chunk in chunks] if pool is not None else []
        header_files = _headers_or_error(cache, headers)  # meanwhile, in this process
        parsed = _parse_shared(jobs, chunks, futures) if pool is not None else [_parse_input(j) for j in jobs]
    outcomes: list[object] = [None] * len(pending)
    for index, outcome in zip(order, parsed):
        outcomes[index] = outcome
    for rank, ((position, item, _, key), outcome) in enumerate(zip(pending, outcomes)):
        if isinstance(outcome, _Undecodable):
            errors.append(((0, position), outcome.error))
        elif isinstance(outcome, InputError):
            errors.append(((1, rank), outcome))
        else:
            cache.store(key, outcome)
            cache.parsed.append(item.shown)
            results[item.shown] = outcome
    images = _ImageFiles(media)
    for data in read:
        outcome = results.get(data.item.shown)
        if isinstance(outcome, ParsedPage):
            _add_page(inputs, outcome)
            images.add(data.item.shown, outcome.result.images)
        elif isinstance(outcome, AbiFile):
            inputs.abi_files.append(outcome)
    if isinstance(header_files, InputError):
        errors.append(((2, 0), header_files))
    else:
        inputs.abi_files.extend(header_files)
    if errors:
        raise InputErrors([error for _, error in sorted(errors, key=lambda ranked: ranked[0])])
    inputs.media.extend(images.files.values())
    inputs.diagnostics.extend(images.missing)
    inputs.page_kinds = {kind.value: inputs.page_kinds[kind.value] for kind in KIND_ORDER if kind.value in inputs.page_kinds}
    return inputs


# Below this many files to parse, worker processes cost more than they save.
# The grammars are built before the workers fork, so they build them only once.
_PARALLEL_FROM = 150

# How many jobs a worker takes at a time.
_CHUNK = 16


def _parse_shared(jobs: list[tuple[str, str, bytes]], chunks: list[range], futures: list[Future[list[object]]]) -> list[object]:
    """The outcomes of every job, in order: this process parses the chunks no worker has taken yet.

    The workers take the chunks from the first, this process from the last;
    a chunk whose future can still be cancelled has not reached a worker,
    and once one cannot, every chunk before it is a worker's too.  Outcomes
    parsed here are not pickled at all.
    """
    outcomes: list[list[object] | None] = [None] * len(chunks)
    for index in reversed(range(len(chunks))):
        if not futures[index].cancel():
            break
        outcomes[index] = [_parse_input(jobs[job]) for job in chunks[index]]
    return [
        outcome
        for index, chunk_outcomes in enumerate(outcomes)
        for outcome in (chunk_outcomes if chunk_outcomes is not None else map(_revive, futures[index].result()))
    ]


@dataclass(frozen=True, slots=True)
class ParsedPage(Record):
    """A page's front-end result, with the GUIDs its C code defines, and the warnings reading it gave."""

    result: PageResult
    guids: tuple[GuidDefinition, ...]
    warnings: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class _Undecodable:
    """The outcome for an input that is not UTF-8 (reported with the files that cannot be read)."""

    error: InputError


def _parse_input(job: tuple[str, str, bytes]) -> object:
    """Decode an input and parse it: its record, ``_Undecodable`` or the ``InputError`` parsing gave."""
    kind, shown, data = job
    try:
        text = decode_input(shown, data)
    except InputError as exc:
        return _Undecodable(exc)
    return _parse_one((kind, shown, text))


def _parse_one(job: tuple[str, str, str]) -> object:
    kind, shown, text = job
    try:
        return parse_idl(shown, text) if kind == "idl" else _read_page(shown, text)
    except InputError as exc:
        return exc


# The jobs of the load that forked this worker process.
_worker_jobs: list[tuple[str, str, bytes]] = []


def _adopt_jobs(jobs: list[tuple[str, str, bytes]]) -> None:
    global _worker_jobs
    _worker_jobs = jobs


def _parse_chunk_in_worker(chunk: range) -> list[object]:
    """``_parse_in_worker`` of each inherited job of ``chunk``."""
    return [_parse_in_worker(index) for index in chunk]


def _parse_in_worker(index: int) -> object:
    """``_parse_input`` of the inherited job ``index``, in a worker process: an error travels as plain data."""
    outcome = _parse_input(_worker_jobs[index])
    undecodable = isinstance(outcome, _Undecodable)
    error = outcome.error if isinstance(outcome, _Undecodable) else outcome
    if isinstance(error, InputError):
        loc = error.loc
        return ("error", undecodable, error.message, loc.file, loc.line, loc.column, error.source_line)
    return outcome


def _revive(outcome: object) -> object:
    if isinstance(outcome, tuple) and outcome and outcome[0] == "error":
        _, undecodable, message, file, line, column, source_line = outcome
        error = InputError(str(message), SourceLoc(str(file), int(line), int(column)), source_line)
        return _Undecodable(error) if undecodable else error
    return outcome


def _headers_or_error(cache: BuildCache, headers: list[tuple[str, str, str]]) -> tuple[AbiFile, ...] | InputError:
    try:
        return _cached_headers(cache, headers) if headers else ()
    except InputError as exc:
        return exc


def _cached_headers(cache: BuildCache, headers: list[tuple[str, str, str]]) -> tuple[AbiFile, ...]:
    """The headers (shown path, digest, text) are read together (macros cross files), so they are cached together."""
    key = content_hash("headers", code_version(*_FRONT_END_CODE["header"]), *(part for shown, digest, _ in headers for part in (shown, digest)))

    def parse() -> tuple[AbiFile, ...]:
        cache.parsed.extend(shown for shown, _, _ in headers)
        return parse_headers([(shown, text) for shown, _, text in headers])

    return cache.fetch(key, tuple, parse)


def _read_page(shown: str, text: str) -> ParsedPage:
    result = parse_page(shown, text)
    guids: list[GuidDefinition] = []
    # Code blocks of a reference page (not of an interface's or a method's) list GUIDs.
    for sample in result.code_samples if not isinstance(result.page, (InterfacePage, MethodPage)) else ():
        if "DEFINE_GUID" in sample.text or "DEFINE_OLEGUID" in sample.text:
            guids += parse_guid_definitions(shown, sample.text, sample.first_line - 1)
    # Any page may give one in a code span of its prose, where a sketch (`DEFINE_GUID(name, …)`)
    # is no error: prose is not the ABI's source.
    warnings: list[Diagnostic] = []
    for span in result.guid_spans:
        try:
            guids += parse_guid_definitions(shown, span.text, span.first_line - 1, span.first_column - 1)
        except InputError as exc:
            message = f"a code span that starts a GUID definition cannot be read, so it is left out: {exc.message}"
            warnings.append(Diagnostic(Severity.WARNING, "guid-unreadable", message, exc.loc))
    return ParsedPage(result, tuple(guids), tuple(warnings))


# An image a page can show: ``media/<name>`` (or ``./media/<name>``), a plain file name.
_MEDIA_TARGET = re.compile(r"(?:\./)?media/([A-Za-z0-9_][\w.-]*)")


class _ImageFiles:
    """The image files the pages reference, from their docs folder's ``media/``, and the ones missing there."""

    def __init__(self, media: dict[str, bytes]) -> None:
        self.media = media
        self.files: dict[tuple[str, str], MediaFile] = {}
        self.missing: list[Diagnostic] = []

    def add(self, page: str, images: tuple[PageImage, ...]) -> None:
        folder = page.rpartition("/")[0]
        for image in images:
            match = _MEDIA_TARGET.fullmatch(image.target.strip())
            if match is None:
                continue  # a path with folders or '..': the site shows the alternative text
            name = match.group(1)
            source = f"{folder}/media/{name}"
            data = self.media.get(source)
            if data is None:
                message = f"image {image.target} is not in {folder}/media/: the page shows its alternative text"
                loc = SourceLoc(page, image.line, image.column)
                self.missing.append(Diagnostic(Severity.WARNING, "image-missing", message, loc))
            elif (image.language, name) not in self.files:
                self.files[image.language, name] = MediaFile(image.language, name, data, source)


def _builtin(cache: BuildCache, path: Path) -> AbiFile:
    """A built-in IDL file, parsed once and then kept in the cache like any input."""
    text = path.read_text(encoding="utf-8")
    key = content_hash("builtin", code_version(*_FRONT_END_CODE["idl"]), path.name, text)
    return cache.fetch(key, AbiFile, lambda: parse_idl(f"<builtin>/{path.name}", text))


def _add_page(inputs: Inputs, parsed: ParsedPage) -> None:
    result = parsed.result
    inputs.page_kinds[result.kind.value] = inputs.page_kinds.get(result.kind.value, 0) + 1
    inputs.diagnostics.extend(result.diagnostics)
    inputs.diagnostics.extend(parsed.warnings)
    inputs.languages.extend(result.languages)
    if isinstance(result.page, InterfacePage):
        inputs.interface_pages.append(result.page)
    elif isinstance(result.page, MethodPage):
        inputs.method_pages.append(result.page)
    elif isinstance(result.page, StructurePage):
        inputs.structure_pages.append(result.page)
    elif isinstance(result.page, MacroPage):
        inputs.macro_pages.append(result.page)
    elif isinstance(result.page, FunctionPage):
        inputs.function_pages.append(result.page)
    elif isinstance(result.page, (PropertyPage, PropertyTypesPage)):
        inputs.property_pages.append(result.page)
    inputs.guids.extend(parsed.guids)
