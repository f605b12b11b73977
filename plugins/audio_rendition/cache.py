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

Modification times decide nothing here. Hashing a master reads all of it,
so ``hashes.json`` remembers each master's hash together with its size,
inode, mtime and ctime (``portal.file_hashes``, the one helper every cache
uses): the stat is only a memo of the hash, never a key. A fresh checkout
therefore hashes every master once and encodes none whose hash is known
(and story_audio, which hashes the same masters first in the same process,
has done that already)."""

from __future__ import annotations

import hashlib
import json
import logging
import os

import mutagen

from portal.file_hashes import FileHashes
from portal.writing import write_atomically

from . import encode, ffmpeg, loudness, tags

logger = logging.getLogger(__name__)

HASHES_FILE = "hashes.json"


def digest(*parts) -> str:
    """SHA-256 of ``parts`` (str, bytes or JSON-able), each length-prefixed."""
    hasher = hashlib.sha256()
    for part in parts:
        if isinstance(part, str):
            data = part.encode("utf-8")
        elif isinstance(part, bytes):
            data = part
        else:
            data = json.dumps(part, sort_keys=True, ensure_ascii=False).encode()
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()


def _sources(*modules) -> list[bytes]:
    out = []
    for module in modules:
        with open(module.__file__, "rb") as handle:
            out.append(handle.read())
    return out


def encoding_code() -> str:
    """What makes the encoded audio: our code and ffmpeg's version."""
    return digest(*_sources(loudness, encode, ffmpeg), ffmpeg.version())


def tagging_code() -> str:
    return digest(*_sources(tags), mutagen.version_string)


class RenditionCache:
    def __init__(self, folder: str):
        self.folder = folder
        self._hashes = FileHashes(os.path.join(folder, HASHES_FILE))

    # Masters' content hashes ------------------------------------------------

    def master_hash(self, path: str) -> str:
        """SHA-256 of the file's bytes (remembered while its stat is the same)."""
        return self._hashes.sha256(path)

    def save(self) -> None:
        self._hashes.save()

    # Encoded and tagged files -------------------------------------------

    def path(self, kind: str, key: str, extension: str) -> str:
        return os.path.join(self.folder, kind, key + extension)

    def facts(self, kind: str, key: str, extension: str) -> dict | None:
        """The facts stored with a file, or None when either is missing."""
        audio = self.path(kind, key, extension)
        try:
            with open(self.path(kind, key, ".json"), encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None
        if not os.path.isfile(audio) or os.path.getsize(audio) != data.get("size"):
            return None
        return data

    def store_facts(self, kind: str, key: str, extension: str, data: dict) -> None:
        data = dict(data, size=os.path.getsize(self.path(kind, key, extension)))
        self._write_json(self.path(kind, key, ".json"), data)

    @staticmethod
    def _write_json(path: str, data) -> None:
        write_atomically(path, json.dumps(data))
