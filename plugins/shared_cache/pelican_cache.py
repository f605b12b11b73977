"""Pelican's reader cache, made safe to share and to interrupt.

The one place that knows Pelican's cache internals (``pelican.cache``, 4.12:
``FileDataCacher`` with ``_cache_path``, ``_cache_open``, ``_cache`` and
``_cache_data_policy``); ``tests/test_shared_cache.py`` fails when they change.

Pelican writes its reader cache in place, so a build killed while writing
leaves a truncated file, and it catches only some errors when loading one:
every later build crashed with ``EOFError: Ran out of input``. Here loading
any unreadable cache is a miss (an empty cache, with a warning), and saving
writes a temporary file and renames it (``portal.writing``).
"""

from __future__ import annotations

import functools
import gzip
import logging
import pickle

from pelican import cache as pelican_cache

from portal.writing import WriteError, atomic_file

logger = logging.getLogger(__name__)

_INSTALLED = "_portal_shared_cache"


def install() -> None:
    """Patch Pelican's FileDataCacher once (plugins register on every build)."""
    cacher = pelican_cache.FileDataCacher
    if getattr(cacher, _INSTALLED, False):
        return
    original_init = cacher.__init__

    @functools.wraps(original_init)
    def __init__(self, settings, cache_name, caching_policy, load_policy):
        try:
            original_init(self, settings, cache_name, caching_policy, load_policy)
        except Exception as error:
            logger.warning(
                "Ignoring the unreadable cache %s (%s: %s); it is rebuilt",
                getattr(self, "_cache_path", cache_name),
                type(error).__name__,
                error,
            )
            self._cache = {}

    cacher.__init__ = __init__
    cacher.save_cache = save_cache
    setattr(cacher, _INSTALLED, True)


def save_cache(self) -> None:
    """Pelican's save_cache, written whole or not at all."""
    if not self._cache_data_policy:
        return
    try:
        with atomic_file(self._cache_path, "wb") as handle:
            if self._cache_open is gzip.open:
                with gzip.GzipFile(fileobj=handle, mode="wb") as packed:
                    pickle.dump(self._cache, packed)
            else:
                pickle.dump(self._cache, handle)
    except (WriteError, pickle.PicklingError, TypeError) as error:
        logger.warning("Could not save the cache %s: %s", self._cache_path, error)
