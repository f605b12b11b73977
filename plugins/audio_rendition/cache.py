"""Renditions kept between builds, found by what they are made from.

Two kinds of files, each named by a hash of everything that shapes it:

- ``encoded/<key>``: the normalized, encoded audio, keyed by the master's
  content (SHA-256 of its bytes), the encoding settings, the code that
  encodes (loudness.py, encode.py, ffmpeg.py) and ffmpeg's version. Two
  stories with the same master share it; editing a story's title does not
  encode again. Beside it, ``<key>.json``: the loudness measured before and
  after, and the flags.
- ``tagged/<key>``: that audio with its tags, keyed by the encoded key, the
  tags themselves (title, people, chapters and their URLs), the artwork's
  bytes and tags.py. Beside it, ``<key>.json``: the file's audio facts.

- ``art/<key>.jpg``: the artwork made small for embedding.

``facts.json`` holds the facts of every file the last build used, so a
rebuild reads one file rather than a small one for each story; an entry is
taken only while its file is there with the size it names.

What each story uses is written down in ``uses.json`` (per story source and
site address): files are marked in use before they are looked up or made,
and at the end of a successful build (never a failed one) each story it
built uses exactly its current files; a file no story uses any more (the
rendition of an earlier master or earlier settings, of a deleted story) is
removed then (``prune``). Both happen under the folder's lock
(``portal.locks``), so a build sharing the cache never loses a file it has
marked, whatever the other one prunes. A story held back keeps its files
(it is not built, so its record stays), ready for when it is back.

Modification times decide nothing here. Hashing a master reads all of it,
so ``hashes.json`` remembers each master's hash together with its size,
inode, mtime and ctime (``portal.file_hashes``, the one helper every cache
uses): the stat is only a memo of the hash, never a key. A fresh checkout
therefore hashes every master once and encodes none whose hash is known
(and story_audio, which hashes the same masters first in the same process,
has done that already)."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import stat
import time
from collections.abc import Iterable, Mapping

import mutagen

from portal import cache_json, locks, source_digest
from portal.file_hashes import FileHashes
from portal.writing import write_atomically, write_if_changed

from . import encode, ffmpeg, loudness, tags

logger = logging.getLogger(__name__)

HASHES_FILE = "hashes.json"
USES_FILE = "uses.json"
TAG_KEYS_FILE = "tag_keys.json"  # each tagged copy's key, by what made it
# The facts of the files the last build used, in one file: a rebuild of
# 10,000 stories read 20,000 small JSON files for them.
FACTS_FILE = "facts.json"
LOCK_FILE = ".lock"
# The folders of cache files a story uses; anything else is left alone.
KINDS = ("encoded", "tagged", "art")
# A temporary file (``portal.writing.atomic_path``) older than this was left
# by a killed build; a younger one may be another build's, being written.
LEFTOVER_AGE = 24 * 3600


# What ``json.dumps(part, sort_keys=True, ensure_ascii=False)`` is, made
# once: json.dumps makes a new encoder for every call it is given options.
# The standard library's, not orjson's (``portal.cache_json``): the encoded
# audio's key holds this text, and other text would encode every master again.
_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False)


def json_part(value) -> bytes:
    """What ``digest`` hashes for a JSON-able part: given to ``digest``
    instead of ``value``, the same digest, and a part that is the same for
    every story (the encoding settings) is written out once."""
    return _JSON.encode(value).encode()


def digest(*parts) -> str:
    """SHA-256 of ``parts`` (str, bytes or JSON-able), each length-prefixed."""
    hasher = hashlib.sha256()
    for part in parts:
        if isinstance(part, str):
            data = part.encode("utf-8")
        elif isinstance(part, bytes):
            data = part
        else:
            data = json_part(part)
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()


def _sources(*modules) -> list[str]:
    """The modules' code by its syntax (``portal.source_digest``): a comment
    corrected in them encoded every story's audio again."""
    return [source_digest.code_digest(module.__file__) for module in modules]


def encoding_code() -> str:
    """What makes the encoded audio: our code and ffmpeg's version."""
    return digest(*_sources(loudness, encode, ffmpeg), ffmpeg.version())


def tagging_code() -> str:
    return digest(*_sources(tags), mutagen.version_string)


class RenditionCache:
    def __init__(self, folder: str):
        self.folder = folder
        self._tag_keys_used: dict[str, str] = {}
        # Facts found this build: stories that share a master ask for its
        # encoding's, and each story's are asked for twice.
        self._facts: dict[tuple[str, str, str], dict] = {}
        # The last build's (``FACTS_FILE``): a file's facts never change, as
        # its name is the hash of what made it; each is taken while the
        # file is there with the size they name.
        self._facts_kept: dict[str, dict] | None = None
        # ``USES_FILE`` as it was last read (under the lock): records equal
        # to it are not written out again (``_write_uses``).
        self._uses_read: dict | None = None

    # Read when first asked for: pruning, at the end of every build, asks
    # for neither (a second's tenth at 10,000 stories).
    @functools.cached_property
    def _hashes(self) -> FileHashes:
        return FileHashes(os.path.join(self.folder, HASHES_FILE))

    @functools.cached_property
    def _tag_keys(self) -> dict:
        return self._read_tag_keys()

    def _read_tag_keys(self) -> dict:
        try:
            data = cache_json.load(os.path.join(self.folder, TAG_KEYS_FILE))
        except (OSError, ValueError):
            return {}  # unreadable: every key is worked out again
        return data if isinstance(data, dict) else {}

    # Masters' content hashes ------------------------------------------------

    def master_hash(self, path: str) -> str:
        """SHA-256 of the file's bytes (remembered while its stat is the same)."""
        return self._hashes.sha256(path)

    def remembered_hash(self, path: str) -> str | None:
        """``master_hash(path)`` if it is remembered; None if it means
        reading the file."""
        return self._hashes.remembered(path)

    def tag_key(self, parts, compute, remembered: bool = True) -> str:
        """The key ``compute()`` gives for ``parts``, remembered in
        ``TAG_KEYS_FILE`` while no part changes (each part names its inputs
        by content: a master's encoding key, the tags, the art's file);
        ``remembered`` False works it out again (an art file made anew)."""
        # The memo's own name for ``parts``: orjson's text (30 us a story
        # with the standard library's, a third of a second a rebuild at
        # 10,000 stories); the key itself is ``compute``'s.
        memo = hashlib.sha256(
            b"tag-key\0" + cache_json.dumps(parts, sort_keys=True)
        ).hexdigest()
        key = self._tag_keys.get(memo) if remembered else None
        if not isinstance(key, str):
            key = compute()
        self._tag_keys_used[memo] = key
        return key

    def save(self) -> None:
        self._hashes.save()
        if self._tag_keys_used != self._tag_keys:
            self._write_json(
                os.path.join(self.folder, TAG_KEYS_FILE), self._tag_keys_used
            )
        used = {_facts_name(*name): data for name, data in self._facts.items()}
        if used != self._kept_facts():
            self._write_json(os.path.join(self.folder, FACTS_FILE), used)

    def _kept_facts(self) -> dict[str, dict]:
        if self._facts_kept is None:
            try:
                path = os.path.join(self.folder, FACTS_FILE)
                data = cache_json.load(path)
            except (OSError, ValueError):
                data = {}  # unreadable: each file's facts are read again
            self._facts_kept = data if isinstance(data, dict) else {}
        return self._facts_kept

    # Encoded and tagged files -------------------------------------------

    def path(self, kind: str, key: str, extension: str) -> str:
        return os.path.join(self.folder, kind, key + extension)

    def facts(self, kind: str, key: str, extension: str) -> dict | None:
        """The facts stored with a file, or None when either is missing."""
        found = self._facts.get((kind, key, extension))
        if found is not None:
            return found
        audio = self.path(kind, key, extension)
        data = self._kept_facts().get(_facts_name(kind, key, extension))
        if not isinstance(data, dict) or _size(audio) != data.get("size"):
            try:
                data = cache_json.load(self.path(kind, key, ".json"))
            except (OSError, ValueError):
                return None
            if not isinstance(data, dict) or _size(audio) != data.get("size"):
                return None
        self._facts[kind, key, extension] = data
        return data

    def store_facts(self, kind: str, key: str, extension: str, data: dict) -> None:
        data = dict(data, size=os.path.getsize(self.path(kind, key, extension)))
        self._write_json(self.path(kind, key, ".json"), data)
        self._facts[kind, key, extension] = data

    def name(self, kind: str, key: str, extension: str) -> str:
        """The name ``uses.json`` keeps for ``path(kind, key, extension)``."""
        return f"{kind}/{key}{extension}"

    def relative(self, path: str) -> str:
        """A cache file's name as ``uses.json`` keeps it (``tagged/<key>.mp3``)."""
        return os.path.relpath(path, self.folder).replace(os.sep, "/")

    # What stories use, and pruning what none uses ----------------------

    def mark_in_use(self, uses: Mapping[str, tuple[str, Iterable[str]]]) -> None:
        """Add files to what stories use: ``{user: (story source, files)}``.

        Called before the files are looked up or made, so a build sharing
        this cache keeps them when it prunes."""
        with self._locked():
            records = self._read_uses() or {}
            for user, (source, files) in uses.items():
                known = records.get(user, {}).get("files", [])
                records[user] = {"source": source, "files": sorted({*known, *files})}
            self._write_uses(records)

    def prune(self, uses: Mapping[str, tuple[str, Iterable[str]]]) -> list[str]:
        """After a successful build: each story it built uses exactly its
        ``files`` now; remove every file no story uses (and stories whose
        source is gone). Returns the names of the files removed."""
        removed = []
        with self._locked():
            records = self._read_uses()
            # Unreadable: what other stories use is not known, so nothing is
            # removed this time; the file starts again from this build.
            damaged = records is None
            records = records or {}
            for user, (source, files) in uses.items():
                records[user] = {"source": source, "files": sorted(set(files))}
            # A story this build built was read by it: only the others'
            # sources are looked for.
            records = {
                user: record
                for user, record in records.items()
                if user in uses or os.path.isfile(record.get("source", ""))
            }
            if not damaged and records == self._uses_read:
                # Every story uses what it used when a build last pruned,
                # which left no file no story used; a file made since was
                # marked in use first (``mark_in_use``). Nothing to remove:
                # the folders (20,000 files at 10,000 stories) are not listed.
                return removed
            used = {name for record in records.values() for name in record["files"]}
            now = time.time()
            for kind in () if damaged else KINDS:
                try:
                    names = sorted(os.listdir(os.path.join(self.folder, kind)))
                except OSError:
                    continue
                for name in names:
                    path = os.path.join(self.folder, kind, name)
                    if name.startswith("."):  # a temporary file
                        if now - _mtime(path, now) < LEFTOVER_AGE:
                            continue
                    elif f"{kind}/{name}" in used:
                        continue
                    try:
                        os.remove(path)
                    except OSError as error:  # gone already, or not ours
                        logger.debug("[audio_rendition] kept %s: %s", path, error)
                        continue
                    removed.append(f"{kind}/{name}")
            self._write_uses(records)
        return removed

    def _write_uses(self, records: dict) -> None:
        # Only when it changes: a build that changes nothing writes nothing.
        # Records equal to the file's, as read under this lock, are not even
        # written out to be compared (json.dumps with ``indent`` is Python's
        # own encoder: a second of every build at 10,000 stories).
        if records == self._uses_read:
            return
        text = json.dumps(records, sort_keys=True, indent=0)
        write_if_changed(os.path.join(self.folder, USES_FILE), text)

    def _locked(self):
        return locks.held(
            os.path.join(self.folder, LOCK_FILE), f"the audio renditions {self.folder}"
        )

    def _read_uses(self) -> dict | None:
        """The records: {} when there are none yet, None when the file is
        there but cannot be read."""
        self._uses_read = None
        path = os.path.join(self.folder, USES_FILE)
        if not os.path.exists(path):
            return {}
        try:
            records = cache_json.load(path)
        except (OSError, ValueError):
            return None
        if not isinstance(records, dict):
            return None
        self._uses_read = records
        return {
            user: record
            for user, record in records.items()
            if isinstance(record, dict) and isinstance(record.get("files"), list)
        }

    @staticmethod
    def _write_json(path: str, data) -> None:
        write_atomically(path, cache_json.dumps(data))


def _facts_name(kind: str, key: str, extension: str) -> str:
    return f"{kind}/{key}{extension}"


def _size(path: str) -> int | None:
    """The size of the regular file at ``path``; None if there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_size if stat.S_ISREG(found.st_mode) else None


def _mtime(path: str, default: float) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:
        return default
