"""Parsed transcripts kept between builds, keyed by the file's content.

webvtt-py takes about 12 ms to read a 45-minute transcript (300 cues): at
10,000 stories, two minutes of every build (benchmarks/README.md). A parsed
transcript is saved as a pickle in ``CACHE_PATH/transcripts/`` and read back
(about a millisecond) while the file's bytes (SHA-256), its name and this
package's code are unchanged: a fresh checkout, whose files all have new
mtimes, parses none again. The file's hash is remembered while its stat is
the same (``portal.file_hashes``), so a rebuild does not even hash it. On a
cold build the transcripts not cached yet are parsed on every core first
(``portal.parallel``). Unreadable files are never cached: they are read,
and reported, every time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle

from portal import parallel
from portal.code_digest import tree_digest
from portal.file_hashes import FileHashes
from portal.writing import atomic_file

from .transcript import Transcript, read_transcript

logger = logging.getLogger(__name__)

FOLDER = "transcripts"
HASHES_FILE = "hashes.json"  # the transcript files' hashes, by stat
_HERE = os.path.dirname(os.path.abspath(__file__))


def _code_stamp() -> str:
    """The package's own files: a change in how cues are read refreshes all."""
    return tree_digest(_HERE, suffixes=(".py",))


class TranscriptCache:
    def __init__(self, cache_path: str | None):
        self.folder = os.path.join(cache_path, FOLDER) if cache_path else None
        self.code = _code_stamp()
        self.hashes = FileHashes(
            os.path.join(self.folder, HASHES_FILE) if self.folder else None
        )

    def _file(self, path: str) -> str:
        digest = hashlib.sha1(os.path.abspath(path).encode("utf-8")).hexdigest()
        return os.path.join(self.folder, digest + ".pickle")

    def _stamp(self, path: str, name: str):
        """What a parsed transcript depends on: the file's bytes, the name
        its messages use, and the code that parses."""
        return [self.hashes.sha256(path), name, self.code]

    def save(self) -> None:
        """Remember the hashes of this build's transcript files."""
        self.hashes.save()

    def cached(self, path: str, name: str) -> Transcript | None:
        if not self.folder:
            return None
        try:
            stamp = self._stamp(path, name)
            with open(self._file(path), "rb") as handle:
                saved_stamp, transcript = pickle.load(handle)
        except Exception:
            return None
        return transcript if saved_stamp == stamp else None

    def read(self, path: str, name: str) -> Transcript:
        """The transcript at ``path``: from the cache, or parsed and saved."""
        transcript = self.cached(path, name)
        if transcript is not None:
            return transcript
        logger.debug("[transcripts] parsing %s (not in the cache)", path)
        transcript = read_transcript(path, name)  # raises TranscriptError
        self._save(path, name, transcript)
        return transcript

    def _save(self, path: str, name: str, transcript: Transcript) -> None:
        if not self.folder:
            return
        try:
            stamp = self._stamp(path, name)
        except OSError:
            return
        with atomic_file(self._file(path)) as handle:
            pickle.dump((stamp, transcript), handle, pickle.HIGHEST_PROTOCOL)

    def prefetch(self, files: list[tuple[str, str]], workers: int) -> None:
        """Parse the (path, name) files not cached yet, on every core."""
        if not self.folder or workers <= 1:
            return
        missing = [item for item in files if self.cached(*item) is None]
        if len(missing) < parallel.MIN_ITEMS:
            return
        for path, parsed in parallel.map_in_processes(
            self._parse_one, missing, workers
        ):
            if parsed:
                logger.debug("[transcripts] parsing %s (not in the cache)", path)

    def _parse_one(self, item: tuple[str, str]) -> tuple[str, bool]:
        path, name = item
        try:
            self._save(path, name, read_transcript(path, name))
        except Exception:
            return path, False  # parsed again, and reported, in the build process
        return path, True
