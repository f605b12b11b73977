"""Who hears of a file the build has just written with new bytes.

A step that works on the output after the build (pre-compression) can start
on a file as soon as it is written, on a core the build leaves idle while
one process renders the listings, instead of waiting for the end of the
build. ``write_if_changed`` tells of every file it writes with new bytes; a
step whose files are written in worker processes (the story pipeline) tells
of them here as their results come back.

Listeners hear only of what their own process writes: forked workers
inherit the listeners but not their threads, so what they write is told by
the process that started them.
"""

from __future__ import annotations

import os
from collections.abc import Callable

_listeners: dict[Callable[[str], None], int] = {}  # callback -> its process


def listen(callback: Callable[[str], None]) -> None:
    """Call ``callback(path)`` for each file written with new bytes, until
    ``stop(callback)``."""
    _listeners[callback] = os.getpid()


def stop(callback: Callable[[str], None]) -> None:
    _listeners.pop(callback, None)


def tell(path: str | os.PathLike) -> None:
    """``path`` now holds new bytes."""
    if not _listeners:
        return
    pid = os.getpid()
    path = os.fspath(path)
    for callback, process in list(_listeners.items()):
        if process == pid:
            callback(path)
