"""Who hears of a file the build has just written with new bytes.

A step that works on the output after the build (pre-compression) can start
on a file as soon as it is written, on a core the build leaves idle while
one process renders the listings, instead of waiting for the end of the
build. ``write_if_changed`` tells of every file it writes with new bytes; a
step whose files are written in worker processes (the story pipeline) tells
of them here as their results come back.

One listener at a time, in the process that started listening: forked
workers inherit the listener but not its threads, so what they write is
told by the process that started them.
"""

from __future__ import annotations

import os
from collections.abc import Callable

_listener: tuple[int, Callable[[str], None]] | None = None


def listen(callback: Callable[[str], None]) -> None:
    """Call ``callback(path)`` for each file written with new bytes, until
    ``stop``."""
    global _listener
    _listener = (os.getpid(), callback)


def stop() -> None:
    global _listener
    _listener = None


def tell(path: str | os.PathLike) -> None:
    """``path`` now holds new bytes."""
    listener = _listener
    if listener is not None and listener[0] == os.getpid():
        listener[1](os.fspath(path))
