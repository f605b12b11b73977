"""A large dict saved in shards, so that saving it after one entry changed
pickles one shard again, not every entry.

Pelican's reader cache holds every story's metadata: 30 MB of pickle at
10,000 stories, pickled whole again (1.5 s) by every build that read one
story. Here the entries are split by a stable hash of their key into
``SHARDS`` shards; each shard is pickled (and compressed) on its own, and a
save re-pickles only the shards that gained an entry since they were
loaded. The others are written back as the bytes they were read from. The
file is one pickle of those shards' bytes, written whole or not at all
(``portal.writing.atomic_file``)."""

from __future__ import annotations

import hashlib
import os
import pickle
import zlib

from portal import heap
from portal.writing import atomic_file

SHARDS = 64
FORMAT = "portal-sharded-pickle-1"


class UnreadableStore(ValueError):
    """The file is not a store this module wrote (or it is damaged)."""


class EarlierFormat(UnreadableStore):
    """The file is whole, but in another format: Pelican's own (one gzipped
    pickle, as this project kept its reader cache before) or an earlier
    version of this one."""


# A gzip file's first bytes: Pelican's own cache format.
_GZIP_MAGIC = b"\x1f\x8b"


def shard_of(key) -> int:
    """The shard ``key`` lives in: the same in every process (Python's own
    ``hash`` of a string changes from one run to the next)."""
    digest = hashlib.blake2b(str(key).encode("utf-8", "surrogateescape"))
    return int.from_bytes(digest.digest()[:4], "big") % SHARDS


class ShardedPickle:
    """The shards of one file: the bytes each was loaded as, and which
    changed since (``changed``)."""

    def __init__(self, compress: bool):
        self.compress = compress
        self._packed: dict[int, bytes] = {}
        self._dirty: set[int] = set()

    def load(self, path: str | os.PathLike) -> dict:
        """Every entry of the file at ``path``. Raises ``OSError`` when it
        cannot be read and ``UnreadableStore`` when it is not whole."""
        # Every story's front matter, made into objects the build keeps and
        # that form no cycles: read with no garbage collection, then frozen.
        with heap.read_and_kept():
            return self._load(path)

    def _load(self, path: str | os.PathLike) -> dict:
        with open(path, "rb") as handle:
            if handle.read(2) == _GZIP_MAGIC:
                raise EarlierFormat("a gzipped pickle, Pelican's own format")
            handle.seek(0)
            try:
                saved = pickle.load(handle)
            except Exception as error:  # a cut-off pickle raises anything
                raise UnreadableStore(f"{type(error).__name__}: {error}") from error
        if not isinstance(saved, dict) or saved.get("format") != FORMAT:
            raise EarlierFormat("not a sharded pickle of this version")
        if not isinstance(saved.get("shards"), dict):
            raise UnreadableStore("no shards")
        compressed = bool(saved.get("compressed"))
        entries: dict = {}
        for shard, packed in saved["shards"].items():
            try:
                data = zlib.decompress(packed) if compressed else packed
                part = pickle.loads(data)
            except Exception as error:
                raise UnreadableStore(
                    f"shard {shard}: {type(error).__name__}: {error}"
                ) from error
            entries.update(part)
            self._packed[shard] = packed
        if compressed != self.compress:  # written again the way asked for
            self._dirty.update(self._packed)
        return entries

    def changed(self, key) -> None:
        """The entry under ``key`` is new or replaced."""
        self._dirty.add(shard_of(key))

    @property
    def has_changes(self) -> bool:
        return bool(self._dirty)

    def save(self, path: str | os.PathLike, entries: dict) -> None:
        """Write ``entries`` to ``path``: the changed shards pickled again,
        the others as they were loaded."""
        groups: dict[int, dict] = {shard: {} for shard in self._dirty}
        for key, value in entries.items():
            group = groups.get(shard_of(key))
            if group is not None:
                group[key] = value
        packed = dict(self._packed)
        for shard, group in groups.items():
            if not group:
                packed.pop(shard, None)
                continue
            data = pickle.dumps(group, protocol=pickle.HIGHEST_PROTOCOL)
            # Level 1: at 9, compressing the whole cache took a second.
            packed[shard] = zlib.compress(data, 1) if self.compress else data
        saved = {"format": FORMAT, "compressed": self.compress, "shards": packed}
        with atomic_file(path, "wb") as handle:
            pickle.dump(saved, handle, protocol=pickle.HIGHEST_PROTOCOL)
        self._packed = packed
        self._dirty.clear()
