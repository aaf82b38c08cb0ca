"""Worker processes for the two stages that can share out their work: parsing and rendering.

Workers are forked, so they start with everything the parent has built (the
grammars, and for rendering the merged model) and nothing is pickled on the
way in; only results travel back.  Where ``fork`` does not exist, or on one
core, callers get ``None`` and do the work themselves.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any


def worker_count() -> int:
    """How many worker processes are worth starting on this machine (0: none)."""
    cores = min(os.cpu_count() or 1, 8)
    return cores if cores >= 2 and "fork" in mp.get_all_start_methods() else 0


@contextmanager
def forked_pool(
    workers: int, initializer: Callable[..., object] | None = None, initargs: tuple[Any, ...] = ()
) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of ``workers`` forked processes, or ``None`` when there should be none.

    ``initargs`` reach the workers through the fork, not through pickle.
    """
    if workers < 1:
        yield None
        return
    with ProcessPoolExecutor(
        workers, mp_context=mp.get_context("fork"), initializer=initializer, initargs=initargs
    ) as pool:
        yield pool
