"""Parsed transcripts kept between builds, keyed by the file's size and mtime.

webvtt-py takes about 12 ms to read a 45-minute transcript (300 cues): at
10,000 stories, two minutes of every build (benchmarks/README.md). A parsed
transcript is saved as a pickle in ``CACHE_PATH/transcripts/`` and read back
(about a millisecond) while the file's size, mtime and this package's code
are unchanged. On a cold build the transcripts not cached yet are parsed on
every core first (``portal.parallel``). Unreadable files are never cached:
they are read, and reported, every time.
"""

from __future__ import annotations

import hashlib
import os
import pickle

from portal import parallel
from portal.code_digest import tree_digest
from portal.writing import atomic_file

from .transcript import Transcript, read_transcript

FOLDER = "transcripts"
_HERE = os.path.dirname(os.path.abspath(__file__))


def _code_stamp() -> str:
    """The package's own files: a change in how cues are read refreshes all."""
    return tree_digest(_HERE, suffixes=(".py",))


class TranscriptCache:
    def __init__(self, cache_path: str | None):
        self.folder = os.path.join(cache_path, FOLDER) if cache_path else None
        self.code = _code_stamp()
        self.parsed = 0  # transcripts actually parsed this build (tests)

    def _file(self, path: str) -> str:
        digest = hashlib.sha1(os.path.abspath(path).encode("utf-8")).hexdigest()
        return os.path.join(self.folder, digest + ".pickle")

    def _stamp(self, path: str):
        stat = os.stat(path)
        return [stat.st_size, stat.st_mtime_ns, self.code]

    def cached(self, path: str) -> Transcript | None:
        if not self.folder:
            return None
        try:
            stamp = self._stamp(path)
            with open(self._file(path), "rb") as handle:
                saved_stamp, transcript = pickle.load(handle)
        except Exception:
            return None
        return transcript if saved_stamp == stamp else None

    def read(self, path: str, name: str) -> Transcript:
        """The transcript at ``path``: from the cache, or parsed and saved."""
        transcript = self.cached(path)
        if transcript is not None:
            return transcript
        transcript = read_transcript(path, name)  # raises TranscriptError
        self.parsed += 1
        self._save(path, transcript)
        return transcript

    def _save(self, path: str, transcript: Transcript) -> None:
        if not self.folder:
            return
        try:
            stamp = self._stamp(path)
        except OSError:
            return
        with atomic_file(self._file(path)) as handle:
            pickle.dump((stamp, transcript), handle, pickle.HIGHEST_PROTOCOL)

    def prefetch(self, files: list[tuple[str, str]], workers: int) -> None:
        """Parse the (path, name) files not cached yet, on every core."""
        if not self.folder or workers <= 1:
            return
        missing = [item for item in files if self.cached(item[0]) is None]
        if len(missing) < parallel.MIN_ITEMS:
            return
        self.parsed += sum(parallel.map_in_processes(self._parse_one, missing, workers))

    def _parse_one(self, item: tuple[str, str]) -> int:
        path, name = item
        try:
            self._save(path, read_transcript(path, name))
        except Exception:
            return 0  # parsed again, and reported, in the build process
        return 1
