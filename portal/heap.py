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
"""

from __future__ import annotations

import contextlib
import gc

_frozen = False  # a build's freeze is in force


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
