"""A cache keeps what the last build used: the rest of a folder removed.

A cache keyed by content gains an entry whenever what it is made from
changes (a title edited: a new share card) and would keep the old one for
ever; a story taken down would leave its people's names and pictures in the
cache the content repository's workflow carries from run to run. Each such
cache lists what its build used, and once the build is made removes the
rest with this."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable


def remove_files_but(folder: str, kept: Callable[[os.DirEntry], bool]) -> None:
    """Remove each file directly in ``folder`` that ``kept`` refuses. A
    missing folder, or a file gone already (another build sharing the cache
    removed it first), is no error; folders and links are left."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return
    for entry in entries:
        if entry.is_file(follow_symlinks=False) and not kept(entry):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
