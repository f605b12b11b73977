"""Read the stories that changed on every core before Pelican asks for them.

Pelican reads content files one at a time. With its reader cache on
(``CACHE_CONTENT``, reader layer: pelicanconf.py), each file's (content,
metadata) is kept keyed by the file's mtime. Before the articles generator
reads anything, this finds the files the cache does not hold, reads them in
worker processes (``portal.parallel``) and puts the results in that cache:
Pelican's own reading then finds every file cached. The result is exactly
what Pelican would have read itself (the same reader, the same filtering);
a file a worker cannot read is left for Pelican, which reports the error.
"""

from __future__ import annotations

import logging
import os

from pelican.utils import file_suffix

from portal import parallel
from portal.pelican_private import cacheable_metadata, reader_cache_enabled

logger = logging.getLogger(__name__)

_readers = None  # the generator's Readers, inherited by the forked workers


def _read(path: str):
    reader = _readers.readers[file_suffix(path)]
    try:
        content, metadata = reader.read(path)
    except Exception:  # Pelican reads it again and reports the error
        return path, None
    return path, (content, cacheable_metadata(metadata))


def prefetch(generator) -> None:
    global _readers
    readers = generator.readers
    if not reader_cache_enabled(readers):
        return
    count = parallel.workers(generator.settings)
    paths = [
        os.path.abspath(os.path.join(generator.path, name))
        for name in generator.get_files(
            generator.settings["ARTICLE_PATHS"],
            exclude=generator.settings["ARTICLE_EXCLUDES"],
        )
    ]
    missing = object()
    todo = sorted(
        path
        for path in paths
        if file_suffix(path) in readers.readers
        and readers.get_cached_data(path, missing) is missing
    )
    if count <= 1 or len(todo) < parallel.MIN_ITEMS:
        return
    _readers = readers
    try:
        results = parallel.map_in_processes(_read, todo, count)
    finally:
        _readers = None
    for path, data in results:
        if data is not None:
            readers.cache_data(path, data)
    logger.info("[story_reader] read %d files in %d processes", len(todo), count)
