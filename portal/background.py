"""Work a plugin starts at the end of a build and lets run while the other
plugins do theirs.

Pagefind indexes the search (``plugins/site_search``) for seconds in a
process of its own, while the build process would only wait for it. Started
here, in a thread that waits on it, the rest of the build goes on beside it:
the sitemap, the security headers, compressing every other file. A plugin
that must see the whole output first waits for it (``wait``): precompress,
which then compresses the search's own files (``folders`` names the folders
still being written, for it to do the rest first), the build report, which
counts them, and the release of the cache's lock (``plugins/shared_cache``),
since the work writes into the cache. An error in the work is raised by
``wait``, so it still stops the build.

Only work that touches no state of the build process but its own belongs
here: the build process forks workers of its own, which a thread running
Python code at that moment could leave holding a lock in the child."""

from __future__ import annotations

import concurrent.futures
import os
from collections.abc import Callable

_running: list[tuple[str, concurrent.futures.Future]] = []


def start(folder: str, work: Callable[[], None]) -> None:
    """Run ``work``, which writes the output folder ``folder``, beside the
    rest of the build."""
    pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="background")
    _running.append((os.path.normpath(folder), pool.submit(work)))
    pool.shutdown(wait=False)


def folders() -> list[str]:
    """The output folders work started and not waited for is writing."""
    return [folder for folder, _future in _running]


def wait() -> None:
    """Wait for all the work started; the first error of any is raised."""
    running = list(_running)
    _running.clear()
    error = None
    for _folder, future in running:
        try:
            future.result()
        except BaseException as failed:  # re-raised below, as it was raised
            error = error or failed
    if error is not None:
        raise error
