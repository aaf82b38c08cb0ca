"""Command line: ``mapi-generator`` or ``python -m generator``, with ``build|report|idl|diff``.

Exit status: 0 success, 1 bad input, a stale ``--check`` or a changed ABI
(``diff``), 2 usage errors.  Tracebacks only with ``--debug``.  Without
``--specs``, a command reads ``./specs`` when the working directory has one
and the specs embedded in the generator otherwise, and says which.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from generator import __version__
from generator.build import build, build_model, render_all
from generator.cache import BuildCache
from generator.errors import InputError, InputErrors, max_input_bytes
from generator.findings import sorted_diagnostics
from generator.model.records import Diagnostic, SourceLoc
from generator.outputs import check_outputs, write_outputs
from generator.resources import embedded_specs
from generator.sources import Sources, display_path

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2

# Commands import the parts of the pipeline they use (``generator.build`` does
# the same), so that a build with nothing to do starts quickly.


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Generate Python bindings, ctypes stubs and docs for MAPI from reference pages, IDL and headers.",
    )
    parser.add_argument("--version", action="version", version=f"mapi-generator {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", required=True)

    def inputs(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--specs", type=Path, help="folder with idl/ and pages/ (default: ./specs if present, else the embedded specs)"
        )
        sub.add_argument("--docs", type=Path, action="append", default=[], help="a folder of reference pages (repeatable)")
        sub.add_argument("--headers", type=Path, action="append", default=[], help="a folder of MAPI C headers (repeatable)")

    build_cmd = commands.add_parser("build", help="generate model.json, the Python package and the docs")
    inputs(build_cmd)
    build_cmd.add_argument("--out", type=Path, default=Path("generated"), help="output folder (default: generated)")
    build_cmd.add_argument("--check", action="store_true", help="write nothing; exit 1 if any output is missing or stale")
    build_cmd.add_argument("--cache", type=Path, default=Path(".mapi-cache"), help="cache folder (default: .mapi-cache)")
    build_cmd.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    build_cmd.add_argument("--watch", action="store_true", help="rebuild whenever an input changes")
    build_cmd.add_argument("-q", "--quiet", action="store_true", help="print errors only, not warnings and notes")

    report = commands.add_parser("report", help="print where the pages and the ABI disagree, as a table")
    inputs(report)

    idl = commands.add_parser("idl", help="write MIDL-style IDL for every interface, from the pages and headers")
    inputs(idl)
    idl.add_argument("-o", "--out", type=Path, default=Path("specs/idl"), help="output folder (default: specs/idl)")

    diff = commands.add_parser("diff", help="API differences between two folders of pages; exit 1 if the ABI changed")
    diff.add_argument("old", type=Path, help="folder of reference pages before")
    diff.add_argument("new", type=Path, help="folder of reference pages after")
    diff.add_argument("--headers", type=Path, action="append", default=[], help="MAPI C headers for both sides")
    diff.add_argument("--idl", type=Path, action="append", default=[], help="IDL folder for both sides")
    diff.add_argument("--json", action="store_true", help="print JSON for tools")
    return parser


class _UsageError(Exception):
    pass


def _choose_specs(args: argparse.Namespace) -> None:
    """Fill in ``args.specs`` when not given: ``./specs`` if it exists, else the embedded specs; say which."""
    if "specs" not in args or args.specs is not None:
        return
    local = Path("specs")
    args.specs = local if local.is_dir() else embedded_specs()
    if not getattr(args, "quiet", False):
        which = "./specs" if args.specs is local else f"the embedded specs ({display_path(args.specs)})"
        print(f"specs: {which}", file=sys.stderr)


def _folders(*folders: Path) -> None:
    for folder in folders:
        if not folder.is_dir():
            raise _UsageError(f"not a folder: {folder}")


def _sources(args: argparse.Namespace, read_idl: bool = True, warn: bool = True) -> Sources:
    _folders(args.specs, *args.docs, *args.headers)
    sources = Sources(args.specs, tuple(args.docs), tuple(args.headers), read_idl)
    if warn:
        _warn_unread(sources)
    return sources


def _warn_unread(sources: Sources) -> None:
    for warning in sources.unread_folders():
        print(warning, file=sys.stderr)


def _located(terminal_path: Callable[[str], str], diagnostic: Diagnostic) -> Diagnostic:
    """The diagnostic with its file as the terminal shows it (``Sources.terminal_paths()``)."""
    loc = diagnostic.loc
    if loc is None:
        return diagnostic
    where = SourceLoc(terminal_path(loc.file), loc.line, loc.column)
    return Diagnostic(diagnostic.severity, diagnostic.code, diagnostic.message, where, diagnostic.interface)


def _print_diagnostics(sources: Sources, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
    paths = sources.terminal_paths()
    for diagnostic in sorted_diagnostics(tuple(diagnostics)):
        print(_located(paths, diagnostic), file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    sources = _sources(args)
    if args.check:
        model = build_model(sources)
        if not args.quiet:
            _print_diagnostics(sources, model.diagnostics)
        files = render_all(model)
        result = check_outputs(files, args.out)
        for label, paths in (("missing", result.missing), ("stale", result.stale), ("not generated", result.extra)):
            for rel in paths:
                print(f"{args.out / rel}: {label}", file=sys.stderr)
        if not result.ok:
            print("generated output is out of date: run python -m generator build", file=sys.stderr)
            return EXIT_INPUT
        print(f"{len(files)} files up to date in {args.out}")
        return EXIT_OK
    cache = BuildCache(None if args.no_cache else args.cache, hold=args.watch)
    status = _build_once(args, sources, cache)
    if args.watch:
        return _watch(args, sources, cache)
    return status


def _build_once(args: argparse.Namespace, sources: Sources, cache: BuildCache) -> int:
    started = time.perf_counter()
    result = build(sources, args.out, cache)
    took = f"{time.perf_counter() - started:.2f} s"
    if not args.quiet:
        _print_diagnostics(sources, result.diagnostics)
    if result.up_to_date:
        print(f"{result.interfaces} interfaces; nothing changed, {result.total} files in {args.out} left as they are ({took})")
    else:
        print(
            f"{result.interfaces} interfaces; {len(result.written)} of {result.total} files written to {args.out}; "
            f"{len(result.parsed)} inputs parsed, {result.reused} from the cache ({took})"
        )
    return EXIT_OK


def _watch(args: argparse.Namespace, sources: Sources, cache: BuildCache) -> int:
    from watchfiles import watch

    print(f"watching {', '.join(str(p) for p in sources.watched())} (Ctrl-C to stop)", flush=True)
    try:
        for changes in watch(*sources.watched(), raise_interrupt=False):
            names = sorted({Path(path).name for _, path in changes})
            print(f"changed: {', '.join(names)}", flush=True)
            try:
                _build_once(args, sources, cache)
            except (InputErrors, InputError) as exc:
                _print_errors(sources, exc)
            sys.stdout.flush()
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def _idl(args: argparse.Namespace) -> int:
    from generator.backends.idl import render_idl

    model = build_model(_sources(args, read_idl=False))
    files = render_idl(model)
    changed = write_outputs(files, args.out)
    print(f"{len(model.interfaces)} interfaces; {len(changed)} of {len(files)} IDL files written to {args.out}")
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    sources = _sources(args)
    model = build_model(sources)
    paths = sources.terminal_paths()
    rows = [
        (d.interface or "", d.code, f"{d.loc.file}:{d.loc.line}" if d.loc else "", d.message)
        for d in (_located(paths, d) for d in sorted_diagnostics(model.diagnostics))
    ]

    header = ("interface", "finding", "where")
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)) + "  detail")
    for row in sorted(rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[3])
    print("pages read: " + (", ".join(f"{count} {kind}" for kind, count in model.page_kinds) or "none"))
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from generator.diff import diff_models, format_json, format_text

    _folders(args.old, args.new, *args.headers, *args.idl)
    models = []
    for folder in (args.old, args.new):
        sources = Sources(None, (folder,), tuple(args.headers), idl=tuple(args.idl))
        _warn_unread(sources)
        try:
            models.append(build_model(sources, BuildCache(None)))
        except (InputErrors, InputError) as exc:
            _print_errors(sources, exc)
            return EXIT_INPUT
    result = diff_models(*models)
    sys.stdout.write(format_json(result) if args.json else format_text(result))
    return EXIT_INPUT if result.abi_changed else EXIT_OK


def _print_errors(sources: Sources, failure: InputErrors | InputError) -> None:
    """Every error of a failed build, located in the files as the terminal shows them."""
    paths = sources.terminal_paths()
    for error in failure.errors if isinstance(failure, InputErrors) else [failure]:
        shown = InputError(error.message, replace(error.loc, file=paths(error.loc.file)), error.source_line)
        print(shown.render(), file=sys.stderr)


def main(argv: list[str] | None = None, prog: str = "mapi-generator") -> int:
    """Run the command line; return the exit status."""
    parser = _parser(prog)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    commands = {"build": _build, "idl": _idl, "report": _report, "diff": _diff}
    try:
        max_input_bytes()
    except ValueError as exc:  # a bad setting is reported once, not as an error in every file
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        _choose_specs(args)
        return commands[args.command](args)
    except _UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (InputErrors, InputError) as exc:
        _print_errors(_sources(args, warn=False), exc)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - the last resort: no traceback unless asked for
        if args.debug:
            traceback.print_exc()
        else:
            print("internal error (run with --debug for the traceback)", file=sys.stderr)
        return 3

