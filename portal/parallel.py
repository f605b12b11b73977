"""Run independent per-story work on every core, for cold builds.

Pelican builds in one process. The work a cold build does for each story
(reading its Markdown and front matter, its audio's headers, its transcript)
is independent of every other story's, and at thousands of stories it is
most of the build (benchmarks/README.md). ``map_in_processes`` runs such a
function over many items in forked worker processes and returns the results
in order; the caller stores them in its cache (keyed by content), so
the rest of the build finds them there as if read one by one.

Forked workers inherit everything already loaded (settings, plugins,
readers), so nothing but the items and the results crosses between
processes. Where fork is unavailable, for few items, or with
``BUILD_WORKERS = 1``, the function simply runs here, one item at a time.

Setting: ``BUILD_WORKERS`` (default: the number of CPUs).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable

from portal import heap

# Below this many items, starting processes costs more than it saves.
MIN_ITEMS = 64

_task: Callable | None = None


def workers(settings) -> int:
    value = settings.get("BUILD_WORKERS")
    if value is None:
        return os.cpu_count() or 1
    if not isinstance(value, int) or value < 1:
        raise ValueError("BUILD_WORKERS must be a whole number, 1 or more")
    return value


def _run(item):
    return _task(item)


def map_in_processes(task: Callable, items: Iterable, count: int) -> list:
    """``[task(item) for item in items]``, spread over ``count`` processes.

    ``task`` must not raise (return the error instead) and its results must
    pickle. It runs in forked children: what it changes in memory is lost,
    only its return value comes back."""
    items = list(items)
    if (
        count <= 1
        or len(items) < MIN_ITEMS
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [task(item) for item in items]
    global _task
    _task = task
    # Forked workers share the build's memory until they write to it; a
    # collection in a worker would write to all of it (portal.heap).
    try:
        with heap.frozen_for_fork():
            context = multiprocessing.get_context("fork")
            chunk = max(1, min(64, len(items) // (count * 8)))
            with context.Pool(count, initializer=heap.in_worker) as pool:
                return pool.map(_run, items, chunksize=chunk)
    finally:
        _task = None
