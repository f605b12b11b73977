"""One build or check at a time uses a cache folder; its entries survive kills.

- At the start of a build or check (Pelican's ``initialized``) the cache
  folder's lock is taken (``portal.locks``), and released when the build
  ends (``finalized``) or the process does: a second command sharing
  ``cache/`` (livereload and ``./dev check``, two builds) waits for it.
- Pelican's own reader cache is loaded and saved safely
  (``portal.pelican_private.make_reader_cache_safe``): an unreadable entry
  is a miss, never a crash; a write is whole or not at all.

Keep it first in PLUGINS: the lock must be held before any plugin reads
the cache.
"""

from __future__ import annotations

from pelican import signals

from portal import locks, pelican_private


def take_cache(pelican) -> None:
    locks.hold_cache(pelican.settings.get("CACHE_PATH"))
    # Released after every other plugin's end-of-build work (which writes to
    # the cache too): connected now, after all of them, it runs last.
    signals.finalized.disconnect(release_cache)
    signals.finalized.connect(release_cache)


def release_cache(pelican) -> None:
    locks.release_cache(pelican.settings.get("CACHE_PATH"))


def register():
    pelican_private.make_reader_cache_safe()
    signals.initialized.connect(take_cache)
