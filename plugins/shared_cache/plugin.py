"""One build or check at a time uses a cache folder; its entries survive kills.

- At the start of a build or check (Pelican's ``initialized``) the cache
  folder's lock is taken (``portal.locks``), and released when the build
  ends (``finalized``) or the process does: a second command sharing
  ``cache/`` (livereload and ``./dev check``, two builds) waits for it.
- The content hashes the command that started the build took (to know
  whether to build at all: ``portal.build_inputs``) are taken in
  (``portal.file_hashes.seed``): a fresh clone reads each audio master
  once to hash it, not once there and once in the build. They are read once
  the files the build's own memos do not know add up to more than reading
  them costs: never in a build that finds nothing changed.
- The table of what git's blobs hash to (``portal.git_hashes``) is kept
  in the cache folder: a fresh clone reads no file some earlier build
  hashed, and no audio master kept in Git LFS.
- The table of what each Python file's syntax and each template's tokens
  hash to (``portal.source_digest``) is kept there too: a build parses only
  the code that changed. So is ffmpeg's version line, by its program's
  bytes (``portal.build_inputs.ffmpeg_version``): ffmpeg is not run to ask.
- Pelican's own reader cache is loaded and saved safely
  (``portal.pelican_private.make_reader_cache_safe``): an unreadable entry
  is a miss, never a crash; a write is whole or not at all.

Keep it first in PLUGINS: the lock must be held before any plugin reads
the cache.
"""

from __future__ import annotations

import contextlib
import os

from pelican import signals

from portal import (
    background,
    build_inputs,
    file_hashes,
    git_hashes,
    locks,
    pelican_private,
    source_digest,
)


def take_cache(pelican) -> None:
    # Work an earlier build in this process started beside it and never
    # waited for (it failed first) ends before this one starts; its error
    # was that build's.
    with contextlib.suppress(Exception):
        background.wait()
    locks.hold_cache(pelican.settings.get("CACHE_PATH"))
    # Released after every other plugin's end-of-build work (which writes to
    # the cache too): connected now, after all of them, it runs last.
    signals.finalized.disconnect(release_cache)
    signals.finalized.connect(release_cache)
    cache = pelican.settings.get("CACHE_PATH")
    if cache:
        file_hashes.seed(os.path.join(cache, build_inputs.HASHES_FILE))
        git_hashes.keep_table(os.path.join(cache, git_hashes.TABLE_FILE))
        source_digest.keep_table(os.path.join(cache, source_digest.TABLE_FILE))
        build_inputs.keep_ffmpeg_version(
            os.path.join(cache, build_inputs.FFMPEG_VERSION_FILE)
        )


def release_cache(pelican) -> None:
    try:
        background.wait()  # it writes to the cache too
        git_hashes.save_table()
        source_digest.save_table()
    finally:
        locks.release_cache(pelican.settings.get("CACHE_PATH"))


def register():
    pelican_private.make_reader_cache_safe()
    signals.initialized.connect(take_cache)
