"""JSON for the cache's files and the keys hashed from it: orjson.

A rebuild of a 10,000-story site reads cache files of 100,000 entries and
hashes JSON of every story's parts (``portal.build_inputs.content_hash``: its
key, and what other pages show of it). The standard library's encoder runs
in Python for the options those keys need (``default``, ``sort_keys``):
about 1.4 s of a nothing-changed build at 10,000 stories went to it and to
the keys below, and another second to its decoder (benchmarks/README.md).
orjson writes the same JSON values (tuples as lists, keys sorted on
request) several times faster.

Keys of costly outputs keep the standard library's text: the encoded audio
(``audio_rendition/cache.py``), the share cards, the parsed transcripts.

What changes from ``json``: the text is compact (no spaces after ``,`` and
``:``), so a key made from it differs from one the standard library made;
keys only need to be the same for the same content, and a new key once is
one rebuild of what it keys. Dictionary keys that are not strings are
written as strings, as ``json`` writes them."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import orjson

from portal import heap

# A file at least this large is read with no garbage collection, and what it
# made is frozen (``portal.heap.read_and_kept``): a cache's memo of every
# story's files, the copies' index (14 MB at 10,000 stories).
LARGE = 1024 * 1024

__all__ = ["dumps", "load", "loads"]


def dumps(
    value: Any,
    *,
    sort_keys: bool = False,
    default: Callable[[Any], Any] | None = None,
) -> bytes:
    """``value`` as JSON (UTF-8 bytes). ``default`` turns what JSON has no
    type for into something it has (``str``, as for ``json.dumps``)."""
    option = orjson.OPT_NON_STR_KEYS
    if sort_keys:
        option |= orjson.OPT_SORT_KEYS

    def other(value: Any) -> Any:
        # orjson writes tuples but not named tuples (chapter marks, turns),
        # which json writes as lists.
        if isinstance(value, tuple):
            return list(value)
        if default is None:
            raise TypeError(f"{type(value).__name__} is not JSON serializable")
        return default(value)

    return orjson.dumps(value, default=other, option=option)


def loads(data: bytes | str) -> Any:
    return orjson.loads(data)


def load(path: str | os.PathLike) -> Any:
    """The JSON file at ``path``. OSError when it cannot be read, ValueError
    when it is not JSON (as ``json.load`` raises)."""
    with open(path, "rb") as handle:
        data = handle.read()
    if len(data) < LARGE:
        return loads(data)
    with heap.read_and_kept():
        return loads(data)
