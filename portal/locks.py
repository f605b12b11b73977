"""Builds and checks that share a folder take turns.

``./dev livereload`` rebuilding while the editor runs ``./dev check``, or
two builds of the same output, would otherwise read and write the same
cache entries and output files at once. Each holds a lock file (filelock:
an OS lock, released when the process ends, however it ends) for as long as
it uses the folder; the next one waits for it, saying what it waits for.
"""

from __future__ import annotations

import contextlib
import logging
import os

import filelock

logger = logging.getLogger(__name__)

# Seconds a command waits quietly before saying what it waits for.
QUIET_WAIT = 2.0
CACHE_LOCK_FILE = ".lock"

# The locks this process holds, by path: a build run again in the same
# process (tests, livereload) must not wait for itself.
_held: dict[str, filelock.FileLock] = {}


@contextlib.contextmanager
def held(path: str | os.PathLike, what: str):
    """Hold the lock at ``path`` for the block; ``what`` names the holder in
    the message shown while waiting."""
    lock = acquire(path, what)
    try:
        yield
    finally:
        lock.release()


def acquire(path: str | os.PathLike, what: str) -> filelock.FileLock:
    """Take the lock at ``path`` (waiting for another process that has it)."""
    path = os.path.abspath(os.fspath(path))
    lock = _held.get(path)
    if lock is None:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        lock = _held[path] = filelock.FileLock(path)
    try:
        lock.acquire(timeout=QUIET_WAIT)
    except filelock.Timeout:
        logger.warning("Waiting for another command using %s to finish...", what)
        lock.acquire()
    return lock


def hold_cache(cache_path: str | os.PathLike | None) -> None:
    """Take the lock of a cache folder until ``release_cache`` (or the end of
    the process): one build or check at a time uses it."""
    if not cache_path:
        return
    path = os.path.join(os.path.abspath(os.fspath(cache_path)), CACHE_LOCK_FILE)
    lock = _held.get(path)
    if lock is not None and lock.is_locked:
        return  # this process has it already (a build that failed midway)
    acquire(path, f"the cache {cache_path}")


def release_cache(cache_path: str | os.PathLike | None) -> None:
    if not cache_path:
        return
    path = os.path.join(os.path.abspath(os.fspath(cache_path)), CACHE_LOCK_FILE)
    lock = _held.get(path)
    if lock is not None and lock.is_locked:
        lock.release(force=True)


def held_caches() -> list[str]:
    """The cache folders whose lock this process holds now."""
    suffix = os.sep + CACHE_LOCK_FILE
    return sorted(
        os.path.dirname(path)
        for path, lock in _held.items()
        if path.endswith(suffix) and lock.is_locked
    )
