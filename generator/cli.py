"""Command line: ``python -m generator build|report``.

Exit status: 0 success, 1 bad input or a stale ``--check``, 2 usage errors.
Tracebacks only with ``--debug``.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from generator.backends.idl import render_idl
from generator.backends.model_json import sorted_diagnostics
from generator.build import build_model, check_outputs, render_all, write_outputs
from generator.errors import InputError, InputErrors
from generator.load import Sources
from generator.model import Model

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Generate Python bindings, ctypes stubs and docs for MAPI from reference pages and IDL.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", required=True)

    def inputs(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--specs", type=Path, default=Path("specs"), help="folder with idl/ and pages/ (default: specs)")
        sub.add_argument("--docs", type=Path, action="append", default=[], help="a folder of reference pages (repeatable)")
        sub.add_argument("--headers", type=Path, action="append", default=[], help="a folder of MAPI C headers (repeatable)")

    build = commands.add_parser("build", help="generate model.json, the Python package and the docs")
    inputs(build)
    build.add_argument("--out", type=Path, default=Path("generated"), help="output folder (default: generated)")
    build.add_argument("--check", action="store_true", help="write nothing; exit 1 if any output is missing or stale")
    build.add_argument("-q", "--quiet", action="store_true", help="print errors only, not warnings and notes")

    report = commands.add_parser("report", help="print where the pages and the ABI disagree")
    inputs(report)

    idl = commands.add_parser(
        "idl", help="write MIDL-style IDL for every interface, from the pages and headers (not specs/idl)"
    )
    inputs(idl)
    idl.add_argument("-o", "--out", type=Path, default=Path("specs/idl"), help="output folder (default: specs/idl)")
    return parser


def _sources(args: argparse.Namespace, read_idl: bool = True) -> Sources:
    for folder in [args.specs, *args.docs, *args.headers]:
        if not folder.is_dir():
            raise _UsageError(f"not a folder: {folder}")
    return Sources(args.specs, tuple(args.docs), tuple(args.headers), read_idl)


class _UsageError(Exception):
    pass


def _print_diagnostics(model: Model) -> None:
    for diagnostic in sorted_diagnostics(model.diagnostics):
        print(diagnostic, file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    model = build_model(_sources(args))
    if not args.quiet:
        _print_diagnostics(model)
    files = render_all(model)
    if args.check:
        result = check_outputs(files, args.out)
        for label, paths in (("missing", result.missing), ("stale", result.stale), ("not generated", result.extra)):
            for rel in paths:
                print(f"{args.out / rel}: {label}", file=sys.stderr)
        if not result.ok:
            print("generated output is out of date: run python -m generator build", file=sys.stderr)
            return EXIT_INPUT
        print(f"{len(files)} files up to date in {args.out}")
        return EXIT_OK
    changed = write_outputs(files, args.out)
    print(f"{len(model.interfaces)} interfaces; {len(changed)} of {len(files)} files written to {args.out}")
    return EXIT_OK


def _idl(args: argparse.Namespace) -> int:
    model = build_model(_sources(args, read_idl=False))
    files = render_idl(model)
    changed = write_outputs(files, args.out)
    print(f"{len(model.interfaces)} interfaces; {len(changed)} of {len(files)} IDL files written to {args.out}")
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    model = build_model(_sources(args))
    rows = [
        (d.interface or "", d.code, f"{d.loc.file}:{d.loc.line}" if d.loc else "", d.message)
        for d in sorted_diagnostics(model.diagnostics)
    ]
    header = ("interface", "finding", "where")
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)) + "  detail")
    for row in sorted(rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[3])
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "idl":
            return _idl(args)
        return _report(args)
    except _UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except InputErrors as exc:
        for error in exc.errors:
            print(error.render(), file=sys.stderr)
        return EXIT_INPUT
    except InputError as exc:
        print(exc.render(), file=sys.stderr)
        return EXIT_INPUT
    except Exception:  # noqa: BLE001 - the last resort: no traceback unless asked for
        if args.debug:
            traceback.print_exc()
        else:
            print("internal error (run with --debug for the traceback)", file=sys.stderr)
        return 3
