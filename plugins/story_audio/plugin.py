"""Audio metadata for stories: duration, size, type, tags, chapters, cover.

Settings (defaults in ``settings()``):
- ``STORY_AUDIO_CACHE``: keep results between builds (default True). Entries
  are keyed by the file's content (SHA-256 of its bytes) and name, and by
  this plugin's code, so an unchanged file is never opened again, even in a
  fresh checkout.
- ``STORY_AUDIO_MAX_BYTES``: larger files are refused (default 500 MB).
"""

from __future__ import annotations

import hashlib
import logging
import os

from pelican import signals

from portal import cache_json
from portal import signals as portal_signals
from portal.checking import plural
from portal.code_digest import tree_digest
from portal.file_hashes import FileHashes
from portal.paths import StoryPathError, story_file
from portal.problems import Problem
from portal.pruning import remove_files_but
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


def _key(sha256: str, path: str) -> str:
    digest = hashlib.sha256(sha256.encode())
    digest.update(b"\0" + os.path.basename(path).encode("utf-8"))
    return digest.hexdigest()


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
        # Each entry's facts, parsed once a build: the read stage asks for
        # them before the gate does, and stories may share a master.
        self._parsed: dict[str, AudioInfo] = {}
        self.used: dict[str, dict] = {}  # the entries of this build's files
        # For the log: the files looked up, and those read with mutagen.
        self.looked_up: set[str] = set()
        self.opened: set[str] = set()
        if self.path and os.path.exists(self.path):
            try:
                data = cache_json.load(self.path)
                if data.get("code") == _code():
                    self.entries = dict(data["entries"])
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                logger.warning("[story_audio] ignoring unreadable cache %s", self.path)

    def key(self, path: str) -> str:
        """What the facts of the file at ``path`` depend on: its bytes and name."""
        return _key(self.hashes.sha256(path), path)

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
        cached = self._held(key)
        if cached is not None:
            self.used[key] = self.entries[key]
            return cached
        logger.debug("[story_audio] reading %s (not in the cache)", path)
        self.opened.add(path)
        info = read_audio(path, self.cover_dir)
        self.entries[key] = self.used[key] = {"info": info.to_json()}
        return info

    def known(self, path: str) -> tuple[str | None, bool]:
        """``(key, held)``: the file's key (None when it cannot be hashed:
        ``info`` reports why) and whether this cache holds its facts."""
        key = self._key_if_readable(path)
        return key, key is not None and self._held(key) is not None

    def known_if_remembered(self, path: str) -> tuple[str, bool] | None:
        """``known(path)`` when the file's hash is remembered for its stat
        (no byte of it read); None when answering means reading the file,
        or when it cannot be looked at (``known`` then says so)."""
        try:
            sha256 = self.hashes.remembered(path)
        except OSError:
            return None
        if sha256 is None:
            return None
        key = _key(sha256, path)
        return key, self._held(key) is not None

    def _held(self, key: str) -> AudioInfo | None:
        info = self._parsed.get(key)
        if info is None:
            info = _cached_info(self.entries.get(key))
            if info is not None:
                self._parsed[key] = info
        return info

    def take(self, path: str, key: str, entry: dict) -> None:
        """Facts read from ``path`` in another process (``read_entry``)."""
        logger.debug("[story_audio] reading %s (not in the cache)", path)
        self.entries[key] = entry
        self._parsed.pop(key, None)
        self.opened.add(path)

    def save(self) -> None:
        """Keep the entries of this build's files (a replaced file's old
        entry goes), the cover art they hold (a story taken down leaves no
        picture of its own), and the files' hashes."""
        self.hashes.save()
        if self.path:
            write_if_changed(
                self.path,
                cache_json.dumps(
                    {"code": _code(), "entries": self.used}, sort_keys=True
                ),
            )
        if self.cover_dir:
            covers = {_cover_of(entry) for entry in self.used.values()}
            remove_files_but(self.cover_dir, lambda entry: entry.name in covers)


def _cover_of(entry) -> str | None:
    """The name of the cover art an entry's facts name, if any."""
    info = entry.get("info") if isinstance(entry, dict) else None
    return info.get("cover_sha1") if isinstance(info, dict) else None


def _cached_info(entry) -> AudioInfo | None:
    """The entry's facts; None for a miss, whatever the entry holds (an
    unreadable entry never stops a build)."""
    try:
        return AudioInfo.from_json(entry["info"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def read_entry(cache: AudioCache, path: str) -> dict | None:
    """The cache entry of the file at ``path``, read in a worker process
    (``AudioCache.take`` takes it in); None on any error, which ``info``
    then meets again and reports."""
    try:
        return {"info": read_audio(path, cache.cover_dir).to_json()}
    except Exception:
        return None


def too_large(path: str, pelican_settings) -> bool:
    """Is the file over ``STORY_AUDIO_MAX_BYTES`` (refused, not read)?"""
    return os.path.getsize(path) > settings(pelican_settings)["STORY_AUDIO_MAX_BYTES"]


# The running build's cache: the story pipeline's read stage fills it
# before the gate asks for the stories' audio (plugins/story_pipeline/read.py).
_cache: AudioCache | None = None


def build_cache(pelican_settings) -> AudioCache:
    """This build's ``AudioCache`` (one per build, however many ask)."""
    global _cache
    if _cache is None:
        use = settings(pelican_settings)["STORY_AUDIO_CACHE"]
        _cache = AudioCache(pelican_settings["CACHE_PATH"] if use else None)
    return _cache


def forget_cache(*_args) -> None:
    """A new build starts with the cache as saved (a build that failed
    before saving leaves nothing behind in this process)."""
    global _cache
    _cache = None


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
    cache = build_cache(generator.settings)
    for story in stories:
        try:
            path = story_file(story.story.folder, story.story.front.audio)
            if os.path.isfile(path) and too_large(path, generator.settings):
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
    forget_cache()
    logger.info(
        "[story_audio] %s examined, %d known from the cache",
        plural(len(cache.opened), "audio file"),
        len(cache.looked_up - cache.opened),
    )


def register():
    signals.initialized.connect(forget_cache)
    portal_signals.story_media.connect(read_story_audio)
