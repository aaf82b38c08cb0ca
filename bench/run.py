"""Benchmark: prints one table of timings measured in one run on this machine.

    python bench/run.py [--corpus ../shared/docs] [--headers /usr/x86_64-w64-mingw32/include]

Rows: the floor (read every page of the four whole docs folders and split it
into tokens with one regular expression), a cold build of the four folders, a
no-op rebuild that prints its diagnostics, a rebuild after one page changed (by the command line, and as
``build --watch`` reports it), cold builds of 1, 2 and 4 folders,
a call through the generated client wrapper against the same call through a
bare ctypes function pointer (on a C object compiled here), and the import
time of ``mapi_bindings``.  Each figure is the best of a few runs (the floor and the
four-folder cold build: of three, measured alternately); the targets are
checked and printed beside them.  Not a test: nothing fails, the table
is for people.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("en-US", "en-US-2018", "es-ES", "es-ES-sxs")
TOKEN = re.compile(r"\w+|[^\w\s]")
REPORTED_TIME = re.compile(r"\(([0-9.]+) s\)$")


def best(runs: int, action: Callable[[], object]) -> float:
    """The fastest of ``runs`` timings of ``action``, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def read_and_split(corpus: Path) -> int:
    """The floor's work: read every page of the four folders (UTF-8) and split it into tokens, in one process."""
    count = 0
    for folder in FOLDERS:
        for page in sorted((corpus / folder).glob("*.md")):
            count += len(TOKEN.findall(page.read_text(encoding="utf-8")))
    return count


def user_env(work: Path) -> dict[str, str]:
    """The environment of a user's shell: bytecode is cached (here under ``work``, not in the tree).

    ``PYTHONPATH`` names this checkout: the commands run in ``work``, where
    ``python -m generator`` would otherwise import whichever checkout is installed.
    """
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(work / "pycache"), PYTHONPATH=str(ROOT))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cli(*args: str, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=user_env(cwd), check=True, capture_output=True)


def build_args(
    corpus: Path, folders: tuple[str, ...], headers: Path | None, out: Path, cache: Path | None, quiet: bool = True
) -> list[str]:
    args = ["build", *(["-q"] if quiet else []), "--specs", str(ROOT / "specs"), "--out", str(out)]
    for folder in folders:
        args += ["--docs", str(corpus / folder)]
    if headers is not None:
        args += ["--headers", str(headers)]
    args += ["--no-cache"] if cache is None else ["--cache", str(cache)]
    return args


def builds(corpus: Path, headers: Path | None, work: Path) -> dict[str, float]:
    figures: dict[str, float] = {}

    def cold(folders: tuple[str, ...]) -> None:
        shutil.rmtree(work / "out", ignore_errors=True)
        cli(*build_args(corpus, folders, headers, work / "out", None), cwd=work)

    # The floor and the cold build of the four folders alternate, three times
    # each, so that a change in the machine's load reaches both figures alike.
    floors, colds = [], []
    for _ in range(3):
        floors.append(best(1, lambda: read_and_split(corpus)))
        colds.append(best(1, lambda: cold(FOLDERS)))
    figures["floor"], figures["cold 4"] = min(floors), min(colds)
    for count in (1, 2):
        figures[f"cold {count}"] = best(3, partial(cold, FOLDERS[:count]))
    pages = work / "pages"
    for folder in FOLDERS:
        shutil.copytree(corpus / folder, pages / folder, ignore=shutil.ignore_patterns("media"))
    args = build_args(pages, FOLDERS, headers, work / "out", work / "cache")
    shutil.rmtree(work / "out", ignore_errors=True)
    cli(*args, cwd=work)
    printing = build_args(pages, FOLDERS, headers, work / "out", work / "cache", quiet=False)
    figures["no-op"] = best(5, lambda: cli(*printing, cwd=work))
    page = pages / "en-US" / "imapisession-logoff.md"
    original = page.read_text(encoding="utf-8")

    def one_page() -> None:
        page.write_text(original + f"\n{time.perf_counter_ns()}\n", encoding="utf-8")
        cli(*args, cwd=work)

    figures["one page"] = best(3, one_page)
    figures["one page, watch"] = watch_rebuild(args, page, original, work)
    page.write_text(original, encoding="utf-8")
    return figures


def watch_rebuild(args: list[str], page: Path, original: str, work: Path) -> float:
    """The best of three rebuilds after a page change, as ``build --watch`` reports them."""
    command = [sys.executable, "-m", "generator", *args, "--watch"]
    process = subprocess.Popen(
        command, cwd=work, env=user_env(work), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    try:
        while not next_line(process.stdout).startswith("watching"):
            pass
        times = []
        for run in range(3):
            time.sleep(0.5)
            page.write_text(original + f"\n{run}\n", encoding="utf-8")
            reported = None
            while reported is None:
                reported = REPORTED_TIME.search(next_line(process.stdout))
            times.append(float(reported.group(1)))
        return min(times)
    finally:
        time.sleep(2)  # a change event still queued would start one more rebuild
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            print("build --watch did not stop within 60 s of Ctrl-C; killed", file=sys.stderr)
        process.stdout.close()


def next_line(stream: IO[str]) -> str:
    line = stream.readline()
    if not line:
        raise RuntimeError("build --watch stopped")
    return line


def call_overhead(work: Path) -> tuple[float, float]:
    """Seconds per call: generated client wrapper, bare ctypes function pointer."""
    sys.path.insert(0, str(ROOT / "generated" / "python"))
    from mapi_bindings import IMAPIGetSessionClient

    library = work / "libgetsession.so"
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", str(library), str(ROOT / "tests" / "c" / "getsession.c")], check=True)
    lib = ctypes.CDLL(str(library))
    lib.make_getter.restype = ctypes.c_void_p
    lib.make_getter.argtypes = [ctypes.c_int32]
    this = lib.make_getter(0)
    client = IMAPIGetSessionClient(this)
    prototype = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_void_p)
    table = ctypes.cast(this, ctypes.POINTER(ctypes.POINTER(ctypes.c_void_p))).contents
    bare = prototype(table[3])
    calls = 200_000

    def through_wrapper() -> None:
        get = client.GetMAPISession
        for _ in range(calls):
            get()

    byref, c_void_p = ctypes.byref, ctypes.c_void_p

    def through_ctypes() -> None:
        for _ in range(calls):
            out = c_void_p()
            if bare(this, byref(out)) < 0:
                raise OSError
            _ = out.value

    return best(5, through_wrapper) / calls, best(5, through_ctypes) / calls


def import_time(work: Path) -> float:
    """Seconds to import the package, with its bytecode cached as it is for users."""
    code = "import time; t = time.perf_counter(); import mapi_bindings; print(time.perf_counter() - t)"
    env = dict(user_env(work), PYTHONPATH=str(ROOT / "generated" / "python"))

    def once() -> float:
        result = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
        return float(result.stdout)

    once()
    return min(once() for _ in range(7))


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get("MAPI_CORPUS", ROOT.parent / "shared" / "docs")))
    parser.add_argument("--headers", type=Path, default=Path("/usr/x86_64-w64-mingw32/include"))
    args = parser.parse_args()
    # Microsoft spells it MAPIDefS.h, mingw-w64 mapidefs.h.
    has_headers = args.headers.is_dir() and any(p.name.lower() == "mapidefs.h" for p in args.headers.iterdir())
    headers = args.headers.resolve() if has_headers else None
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        figures = builds(args.corpus, headers, work)
        base = figures["floor"]
        wrapper, bare = call_overhead(work)
        imported = import_time(work)
    cold = figures["cold 4"]
    rows = [
        ("floor: read + tokenize 4 folders", f"{base:.3f} s", ""),
        ("cold build, 4 folders" + (" + headers" if headers else ""), f"{cold:.3f} s", f"{cold / base:.2f}x floor (target <= 1.5x)"),
        ("no-op rebuild, printing diagnostics (CLI)", f"{figures['no-op']:.3f} s", "target <= 0.25 s"),
        ("one page changed (CLI)", f"{figures['one page']:.3f} s", f"{figures['one page'] / cold:.0%} of cold"),
        ("one page changed (build --watch)", f"{figures['one page, watch']:.3f} s", f"{figures['one page, watch'] / cold:.0%} of cold"),
        ("cold build, 1 folder", f"{figures['cold 1']:.3f} s", ""),
        ("cold build, 2 folders", f"{figures['cold 2']:.3f} s", f"{figures['cold 2'] / figures['cold 1']:.2f}x 1 folder"),
        ("cold build, 4 folders", f"{cold:.3f} s", f"{cold / figures['cold 1']:.2f}x 1 folder"),
        ("client wrapper call", f"{wrapper * 1e6:.2f} us", f"{wrapper / bare:.2f}x bare ctypes (target <= 1.3x)"),
        ("bare ctypes call", f"{bare * 1e6:.2f} us", ""),
        ("import mapi_bindings", f"{imported * 1e3:.1f} ms", "target <= 60 ms"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'time':>10}  note")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>10}  {note}")
    print(f"\n{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
