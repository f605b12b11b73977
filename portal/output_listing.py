"""The output's files as the last plugin to write them left them, handed to
the build report so that it need not walk the output again.

Precompress, the last plugin to write into the output (its compressed
copies, and the removal of stale ones), lists every folder of it anyway. At
its end it hands over what it saw and left (``hand_over``): every file's
path, with the size of those it checked or wrote this build (each text
file, stat'ed for its hash; a copy linked from the cache, whose stored copy
it stat'ed, or in place, known by its inode, or one it wrote). The build
report, the next receiver of Pelican's ``finalized`` and the last to look at
the output (``pelicanconf.PLUGINS`` keeps the two last, in this order),
counts the output from it (``take``), stat'ing only the other files: at
10,000 stories it walked 259,000 files and stat'ed each.

A listing is only right until something else writes into the output, so
it is taken once and forgotten (``forget``) when a build starts: a build
that stops before the report, or whose precompress makes no copies, leaves
none for the next build in the same process (the live preview's)."""

from __future__ import annotations

import os

# output folder (normalized) -> path -> size, or None when not checked.
_handed: dict[str, dict[str, int | None]] = {}


def hand_over(output: str | os.PathLike, files: dict[str, int | None]) -> None:
    """``files``: every file of ``output`` as the caller left it (absolute
    or ``output``-relative paths as the caller walked them), with its size
    when the caller checked it this build, else None."""
    _handed[os.path.normpath(os.fspath(output))] = files


def take(output: str | os.PathLike) -> dict[str, int | None] | None:
    """The listing handed over for ``output`` this build, once; None if
    there is none (its files are then walked)."""
    return _handed.pop(os.path.normpath(os.fspath(output)), None)


def forget() -> None:
    """Drop every listing handed over: a new build starts."""
    _handed.clear()
