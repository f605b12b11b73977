"""Audio metadata for stories: duration, size, type, tags, chapters, cover.

Settings (defaults in ``settings()``):
- ``STORY_AUDIO_CACHE``: keep results between builds (default True). Entries
  are keyed by the file's content (SHA-256 of its bytes) and name, and by
  this plugin's code, so an unchanged file is never opened again, even in a
  fresh checkout.
- ``STORY_AUDIO_MAX_BYTES``: larger files are refused (default 500 MB).
"""

from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import json
import logging
import os

from portal import parallel
from portal import signals as portal_signals
from portal.checking import plural
from portal.code_digest import tree_digest
from portal.file_hashes import FileHashes
from portal.paths import StoryPathError, story_file
from portal.problems import Problem
from portal.writing import write_if_changed

from .audio import AudioError, AudioInfo, read_audio

logger = logging.getLogger(__name__)

DEFAULTS = {
    "STORY_AUDIO_CACHE": True,
    "STORY_AUDIO_MAX_BYTES": 500 * 1024 * 1024,
}
CACHE_FILE = "story_audio.json"
HASHES_FILE = "story_audio.hashes.json"  # the audio files' hashes, by stat


def _code() -> str:
    """The code that turns a file into its AudioInfo: entries made by other
    code are read again."""
    return tree_digest(os.path.dirname(os.path.abspath(__file__)), suffixes=(".py",))


def settings(pelican_settings) -> dict:
    out = {key: pelican_settings.get(key, value) for key, value in DEFAULTS.items()}
    if not isinstance(out["STORY_AUDIO_MAX_BYTES"], int):
        raise ValueError("STORY_AUDIO_MAX_BYTES must be a whole number of bytes")
    return out


class AudioCache:
    """An audio file's facts, saved as JSON in Pelican's CACHE_PATH and found
    by what the file holds: its bytes' SHA-256 and its name (the name's
    extension is checked against the contents). A fresh checkout, whose files
    all have new mtimes, opens none of them with mutagen again; a file is
    hashed once there (``portal.file_hashes`` then remembers the hash while
    the file's stat is the same)."""

    def __init__(self, cache_path: str | None):
        self.path = os.path.join(cache_path, CACHE_FILE) if cache_path else None
        self.cover_dir = (
            os.path.join(cache_path, "story_audio_covers") if cache_path else None
        )
        self.hashes = FileHashes(
            os.path.join(cache_path, HASHES_FILE) if cache_path else None
        )
        self.entries: dict[str, dict] = {}
        self.used: dict[str, dict] = {}  # the entries of this build's files
        # For the log: the files looked up, and those read with mutagen.
        self.looked_up: set[str] = set()
        self.opened: set[str] = set()
        if self.path and os.path.exists(self.path):
            try:
                with open(self.path, encoding="utf-8") as handle:
                    data = json.load(handle)
                if data.get("code") == _code():
                    self.entries = dict(data["entries"])
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                logger.warning("[story_audio] ignoring unreadable cache %s", self.path)

    def key(self, path: str) -> str:
        """What the facts of the file at ``path`` depend on: its bytes and name."""
        digest = hashlib.sha256(self.hashes.sha256(path).encode())
        digest.update(b"\0" + os.path.basename(path).encode("utf-8"))
        return digest.hexdigest()

    def _key_if_readable(self, path: str) -> str | None:
        try:
            return self.key(path)
        except OSError:
            return None  # info() reports it

    def info(self, path: str) -> AudioInfo:
        if not os.path.isfile(path):
            return read_audio(path)  # raises the editor-facing error
        key = self.key(path)
        self.looked_up.add(path)
        cached = _cached_info(self.entries.get(key))
        if cached is not None:
            self.used[key] = self.entries[key]
            return cached
        logger.debug("[story_audio] reading %s (not in the cache)", path)
        self.opened.add(path)
        info = read_audio(path, self.cover_dir)
        self.entries[key] = self.used[key] = {"info": info.to_json()}
        return info

    def prefetch(self, paths: list[str], workers: int) -> None:
        """Read the files this cache does not hold yet on every core.

        A cold build of thousands of stories spends seconds in mutagen; the
        files are independent, so ``portal.parallel`` reads them in worker
        processes and ``info`` then finds them here. A file a worker cannot
        read is left for ``info``, which raises the editor-facing error."""
        if workers <= 1:
            return
        # Hashing a new file reads all of it (every file in a fresh
        # checkout): hashlib lets go of the GIL, so threads share the cores.
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            keys = list(pool.map(self._key_if_readable, paths))
        todo = {
            path: key
            for path, key in zip(paths, keys, strict=True)
            if key is not None and _cached_info(self.entries.get(key)) is None
        }
        if len(todo) < parallel.MIN_ITEMS:
            return
        read = functools.partial(_read_for_cache, cover_dir=self.cover_dir)
        done = 0
        for path, entry in parallel.map_in_processes(read, list(todo), workers):
            if entry is not None:
                logger.debug("[story_audio] reading %s (not in the cache)", path)
                self.entries[todo[path]] = entry
                self.opened.add(path)
                done += 1
        logger.info("[story_audio] read %d files in %d processes", done, workers)

    def save(self) -> None:
        """Keep the entries of this build's files (a replaced file's old
        entry goes), and the files' hashes."""
        self.hashes.save()
        if self.path:
            write_if_changed(
                self.path,
                json.dumps({"code": _code(), "entries": self.used}, sort_keys=True),
            )


def _cached_info(entry) -> AudioInfo | None:
    """The entry's facts; None for a miss, whatever the entry holds (an
    unreadable entry never stops a build)."""
    try:
        return AudioInfo.from_json(entry["info"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _read_for_cache(path: str, cover_dir: str | None):
    """(path, cache entry) from a worker process; (path, None) on any error."""
    try:
        info = read_audio(path, cover_dir)
    except Exception:
        return path, None
    return path, {"info": info.to_json()}


def cover_path(generator, info: AudioInfo) -> str | None:
    """Where the cover art embedded in an audio file was saved, if any."""
    if not info.cover_sha1:
        return None
    path = os.path.join(
        generator.settings["CACHE_PATH"], "story_audio_covers", info.cover_sha1
    )
    return path if os.path.exists(path) else None


def read_story_audio(generator, stories, report):
    options = settings(generator.settings)
    cache = AudioCache(
        generator.settings["CACHE_PATH"] if options["STORY_AUDIO_CACHE"] else None
    )
    paths = []
    for story in stories:
        try:
            paths.append(story_file(story.story.folder, story.story.front.audio))
        except StoryPathError:
            pass  # reported below
    cache.prefetch(paths, parallel.workers(generator.settings))
    for story in stories:
        try:
            path = story_file(story.story.folder, story.story.front.audio)
            if (
                os.path.isfile(path)
                and os.path.getsize(path) > options["STORY_AUDIO_MAX_BYTES"]
            ):
                raise AudioError(
                    f"'{story.story.front.audio}' is larger than "
                    f"{options['STORY_AUDIO_MAX_BYTES'] // (1024 * 1024)} MB",
                    "export it at a lower bitrate (64-128 kbps MP3 suits speech)",
                )
            story.story.audio = cache.info(path)
            story.story.audio_path = path
        except (AudioError, StoryPathError) as error:
            report(
                Problem(
                    story.story.source,
                    "audio",
                    error.problem,
                    error.fix,
                    story.story.lines.get(("audio",)),
                )
            )
    cache.save()
    logger.info(
        "[story_audio] %s examined, %d known from the cache",
        plural(len(cache.opened), "audio file"),
        len(cache.looked_up - cache.opened),
    )


def register():
    portal_signals.story_media.connect(read_story_audio)
