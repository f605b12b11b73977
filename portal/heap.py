"""What a build holds until it ends, left out of garbage collection.

A build reads every story early (Pelican's articles, their records, the
caches' entries) and holds all of it until the end. CPython's collector
walks every object it tracks at each full collection, and full collections
come as the heap grows: at 10,000 stories that walking was about a quarter
of a rebuild's CPU time (benchmarks/README.md), for objects that were never
garbage. Once the stories are read, and again once every generator's
context is final, ``freeze()`` moves what the build holds to the
collector's permanent generation (``gc.freeze``, made for this); later
collections walk only what was made since. Objects still go when nothing
refers to them; only cycles among frozen objects wait for ``release()``.

``release()``, when the next build starts, gives them back to the
collector, so a process that runs many builds (the dev server, the tests)
frees one build's objects before the next holds its own. Not at the end of
a build: the last plugins' ``finalized`` receivers walk the whole output,
and receivers run in no set order. Forked workers (``portal.parallel``)
use ``frozen_for_fork()``.

Freezing leaves out what the build held at that moment, but the heap grows
from nothing to every story's objects while the build reads them, and
CPython runs a full collection each time the objects it tracks have grown
by a quarter: about 25 in a rebuild of 10,000 stories, each walking all
that was not yet frozen, 3.3 s of a 20-s build, and none found garbage.
So from the start of a build until every generator's context is final
and frozen (``hold_full_collections``, ``allow_full_collections``) only
the young generations are collected: they free the short-lived cycles (a
Markdown parser per file read, a template's context). After that freeze,
full collections walk only what is made later, and run again. A cycle
that grew old before it became garbage while they were held waits for
the next build, which collects it first (``release()``). Forked workers
collect as usual.
"""

from __future__ import annotations

import contextlib
import gc

_frozen = False  # a build's freeze is in force
# The collector's thresholds before the build held full collections back.
_thresholds: tuple[int, int, int] | None = None
# A threshold no count of young collections reaches.
_NEVER = 1 << 30


def freeze() -> None:
    """Leave everything alive now out of later collections, for this build."""
    global _frozen
    gc.freeze()
    _frozen = True


def release(*_args) -> None:
    """Give the build's frozen objects back to the collector."""
    global _frozen
    if _frozen:
        gc.unfreeze()
        _frozen = False
        # Now, before this build freezes again: what the last build left
        # in cycles would be frozen with it, and kept for good.
        gc.collect()


def hold_full_collections(*_args) -> None:
    """No automatic full collection until ``allow_full_collections()``."""
    global _thresholds
    if _thresholds is None:
        _thresholds = gc.get_threshold()
        gc.set_threshold(_thresholds[0], _thresholds[1], _NEVER)


def allow_full_collections(*_args) -> None:
    """The collector's own thresholds again (the build ended)."""
    global _thresholds
    if _thresholds is not None:
        gc.set_threshold(*_thresholds)
        _thresholds = None


def in_worker() -> None:
    """A forked worker collects as usual: what it makes for each item it
    drops, and its inherited heap is frozen."""
    if _thresholds is not None:
        gc.set_threshold(*_thresholds)


@contextlib.contextmanager
def read_and_kept():
    """While a large cache file is read into the objects the build keeps
    (a memo of 10,000 stories' files, Pelican's reader cache): no
    collection runs, and what was made is frozen once read (``freeze``).
    The young collections walked each of those objects twice as it was
    made, and full collections walked them again later (about 0.4 s of a
    nothing-changed build at 10,000 stories), for objects that form no
    cycles: a JSON document's, or a pickle's that has none. Only for large
    files: each freeze also keeps what was young beside it, and a freeze
    for every small file would keep the short-lived cycles young
    collections are there to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            freeze()
            gc.enable()


@contextlib.contextmanager
def frozen_for_fork():
    """Everything frozen while workers are forked: a collection in a worker
    writes to every object it inherited (their GC headers), copying the
    whole heap into each worker. Afterwards the build's own freeze, if any,
    stays in force."""
    gc.freeze()
    try:
        yield
    finally:
        if not _frozen:
            gc.unfreeze()
