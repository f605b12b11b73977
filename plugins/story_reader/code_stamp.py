"""Forget Pelican's cached reads when the code that reads changes.

Pelican caches what its readers return per source file, keyed by the file's
modification time only. After the portal is upgraded (a new front-matter
field, a new check), an unchanged ``story.md`` would keep the metadata the
old code produced, and a story the new code refuses could stay published.
So the reader cache is thrown away whenever the reading code changes: the
files of this plugin and of ``portal/`` (schema, front matter, problems)."""

from __future__ import annotations

import glob
import logging
import os

import portal
from portal.code_digest import tree_digest
from portal.writing import write_atomically

logger = logging.getLogger(__name__)

STAMP_FILE = "story_reader.code"
# Pelican names each generator's reader cache "<Generator>-Readers".
READER_CACHES = "*-Readers"


def code_digest() -> str:
    """A hash of the reading code's source files, by content (checkouts and
    copies change modification times without changing the code)."""
    return tree_digest(
        os.path.dirname(__file__), os.path.dirname(portal.__file__), suffixes=(".py",)
    )


def forget_stale_reads(pelican) -> None:
    cache = pelican.settings.get("CACHE_PATH")
    if not cache or not pelican.settings.get("LOAD_CONTENT_CACHE"):
        return
    stamp_path = os.path.join(cache, STAMP_FILE)
    current = code_digest()
    try:
        with open(stamp_path, encoding="utf-8") as handle:
            previous = handle.read().strip()
    except (OSError, UnicodeDecodeError):
        previous = None  # unreadable: the reader cache is dropped
    if previous == current:
        return
    for path in glob.glob(os.path.join(cache, READER_CACHES)):
        os.remove(path)
        logger.debug("story_reader: the reading code changed; removed %s", path)
    write_atomically(stamp_path, current + "\n")
