"""Audio metadata for stories: duration, size, type, tags, chapters, cover.

Settings (defaults in ``settings()``):
- ``STORY_AUDIO_CACHE``: keep results between builds (default True). Entries
  are keyed by path, size and modification time, so an unchanged file is
  never opened again.
- ``STORY_AUDIO_MAX_BYTES``: larger files are refused (default 500 MB).
"""

from __future__ import annotations

import functools
import json
import logging
import os

from portal import parallel
from portal import signals as portal_signals
from portal.code_digest import tree_digest
from portal.paths import StoryPathError, story_file
from portal.problems import Problem
from portal.writing import write_atomically

from .audio import AudioError, AudioInfo, read_audio

logger = logging.getLogger(__name__)

DEFAULTS = {
    "STORY_AUDIO_CACHE": True,
    "STORY_AUDIO_MAX_BYTES": 500 * 1024 * 1024,
}
CACHE_FILE = "story_audio.json"


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
    """path -> (size, mtime_ns, info), saved as JSON in Pelican's CACHE_PATH."""

    def __init__(self, cache_path: str | None):
        self.path = os.path.join(cache_path, CACHE_FILE) if cache_path else None
        self.cover_dir = (
            os.path.join(cache_path, "story_audio_covers") if cache_path else None
        )
        self.entries: dict[str, dict] = {}
        self.reads = 0  # files actually opened this build; tests check it
        self._dirty = False
        if self.path and os.path.exists(self.path):
            try:
                with open(self.path, encoding="utf-8") as handle:
                    data = json.load(handle)
                if data.get("code") == _code():
                    self.entries = dict(data["entries"])
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                logger.warning("[story_audio] ignoring unreadable cache %s", self.path)

    def info(self, path: str) -> AudioInfo:
        if not os.path.isfile(path):
            return read_audio(path)  # raises the editor-facing error
        stat = os.stat(path)
        key = os.path.abspath(path)
        cached = _cached_info(self.entries.get(key), stat)
        if cached is not None:
            return cached
        self.reads += 1
        info = read_audio(path, self.cover_dir)
        self.entries[key] = {
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "info": info.to_json(),
        }
        self._dirty = True
        return info

    def prefetch(self, paths: list[str], workers: int) -> None:
        """Read the files this cache does not hold yet on every core.

        A cold build of thousands of stories spends seconds in mutagen; the
        files are independent, so ``portal.parallel`` reads them in worker
        processes and ``info`` then finds them here. A file a worker cannot
        read is left for ``info``, which raises the editor-facing error."""
        todo = []
        for path in paths:
            try:
                stat = os.stat(path)
            except OSError:
                continue
            if _cached_info(self.entries.get(os.path.abspath(path)), stat) is None:
                todo.append(path)
        if workers <= 1 or len(todo) < parallel.MIN_ITEMS:
            return
        read = functools.partial(_read_for_cache, cover_dir=self.cover_dir)
        done = 0
        for path, entry in parallel.map_in_processes(read, todo, workers):
            if entry is not None:
                self.entries[os.path.abspath(path)] = entry
                self.reads += 1
                self._dirty = True
                done += 1
        logger.info("[story_audio] read %d files in %d processes", done, workers)

    def save(self) -> None:
        if not (self.path and self._dirty):
            return
        write_atomically(
            self.path, json.dumps({"code": _code(), "entries": self.entries})
        )
        self._dirty = False


def _cached_info(entry, stat) -> AudioInfo | None:
    """The entry's facts if it is for this very file; None for a miss,
    whatever the entry holds (an unreadable entry never stops a build)."""
    try:
        if entry["size"] == stat.st_size and entry["mtime_ns"] == stat.st_mtime_ns:
            return AudioInfo.from_json(entry["info"])
    except (KeyError, TypeError, ValueError, AttributeError):
        pass
    return None


def _read_for_cache(path: str, cover_dir: str | None):
    """(path, cache entry) from a worker process; (path, None) on any error."""
    try:
        stat = os.stat(path)
        info = read_audio(path, cover_dir)
    except Exception:
        return path, None
    entry = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "info": info.to_json()}
    return path, entry


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
    generator.context["story_audio_reads"] = 0
    paths = []
    for story in stories:
        try:
            paths.append(story_file(story.story_dir, story.story.audio))
        except StoryPathError:
            pass  # reported below
    cache.prefetch(paths, parallel.workers(generator.settings))
    for story in stories:
        try:
            path = story_file(story.story_dir, story.story.audio)
            if (
                os.path.isfile(path)
                and os.path.getsize(path) > options["STORY_AUDIO_MAX_BYTES"]
            ):
                raise AudioError(
                    f"'{story.story.audio}' is larger than "
                    f"{options['STORY_AUDIO_MAX_BYTES'] // (1024 * 1024)} MB",
                    "export it at a lower bitrate (64-128 kbps MP3 suits speech)",
                )
            story.audio = cache.info(path)
            story.audio_path = path
        except (AudioError, StoryPathError) as error:
            report(
                Problem(
                    story.story_source,
                    "audio",
                    error.problem,
                    error.fix,
                    story.story_lines.get(("audio",)),
                )
            )
    cache.save()
    generator.context["story_audio_reads"] = cache.reads


def register():
    portal_signals.story_media.connect(read_story_audio)
