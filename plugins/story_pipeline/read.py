"""The pipeline's first stage: the story folders no cache holds yet, read on every core.

Reading a story takes three steps. Each is the work of the plugin that owns
that part of the record, and each result is kept in that plugin's cache, by
content:

1. ``story.md`` (story_reader), kept in Pelican's reader cache;
2. the audio master's facts (story_audio's ``AudioCache``);
3. the transcript, parsed and checked (transcripts' ``TranscriptStore``),
   which needs the audio's length and chapters from step 2.

Later in the build, the plugins take each story from their caches one at a
time, in the order of ``PLUGINS``. Before Pelican reads any article
(``article_generator_init``), this stage finds the stories that one of the
three caches lacks: every story on a cold build, none on a rebuild, the
edited one after an edit. When there are many, it takes all three steps for
each of them in one pool of worker processes (``portal.parallel``,
``BUILD_WORKERS``), one story per task, and puts what the workers read into
the three caches. The plugins then find every story there.

A step a worker cannot take (a broken file, a missing master) is left, with
the story's later steps, to the plugin that owns it. That plugin meets the
same error in the build process and reports it as it always does, so an
error reads the same in a serial build and a parallel one.

Finding what the caches lack costs what changed, not what exists. The
story keys hash every story folder's files as the build starts
(``StoryKeys.snapshot``). When a build ends, each story all three caches
then hold (found held, or read ahead whole) is remembered in
``CACHE_PATH/story_outputs/read.json`` by a digest of its files as that
build found them and its story.md's name in the checkout (as Pelican's
reader cache finds a file: ``portal.paths.checkout_name``), under a
digest of the code and the settings, with the keys of its master's and
its transcript's entries. While its digest is the same, and the audio and
transcript caches still name those keys (look-ups in what they loaded),
no file of it is looked at again: no reader cache stamp, no stat of its
master or transcript. Being remembered is only a
speed-up: a cache that lacks a story all the same (pruned, damaged) has its
plugin read it, in the build process, and report any error, as it would
with no read stage at all.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import json
import logging
import os

from pelican.utils import file_suffix
from story_audio import plugin as story_audio
from story_audio.audio import AudioInfo
from transcripts import plugin as transcripts

from portal import file_hashes, parallel
from portal.build_inputs import content_hash
from portal.checking import plural
from portal.paths import StoryPathError, checkout_name, story_file
from portal.pelican_private import (
    cacheable_metadata,
    reader_cache_enabled,
    share_settings,
)
from portal.story_record import StoryRecord
from portal.writing import write_atomically

from .store import FOLDER

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class _Folder:
    """One story, as the stage finds it before any worker runs."""

    path: str  # its story.md, absolute
    # The same as the checkout names it (``portal.paths.checkout_name``).
    name: str = ""
    # Pelican's reader cache entry, (content, metadata); None: not read yet.
    read: tuple | None = None
    # The digest of its files as the build started (``_Held``); None when
    # the snapshot did not find its folder.
    digest: str | None = None


@dataclasses.dataclass
class _Read:
    """What a worker read of one story, for the build process's caches."""

    read: tuple | None = None  # story.md, for Pelican's reader cache
    audio_path: str | None = None
    audio_sha256: str | None = None  # the master's bytes, hashed once
    audio_key: str | None = None
    audio_entry: dict | None = None  # AudioCache's entry
    transcript_made: bool = False
    # (master's key, transcript's key), once every step was taken: every
    # cache holds the story when the build process has taken the rest.
    held: tuple | None = None


# What the forked workers see (inherited when they fork).
_job: dict = {}
# The stories every cache holds once this build has saved them, remembered
# when it ends (``remember_held``): a build that fails before its caches
# are saved leaves what the last build remembered.
_pending: _Held | None = None


def read_ahead(generator) -> None:
    """Read, on every core, the stories the caches lack (see the module's doc)."""
    global _pending
    _pending = None
    settings = generator.settings
    count = parallel.workers(settings)
    if count <= 1:
        return
    readers = generator.readers
    keeps_reads = reader_cache_enabled(readers)
    folders = [
        _Folder(path, name=checkout_name(path, settings["PATH"]))
        for path in sorted(
            os.path.abspath(os.path.join(generator.path, name))
            for name in _listed_once(generator)
        )
        if file_suffix(path) in readers.readers
    ]
    if len(folders) < parallel.MIN_ITEMS:
        return
    audio = story_audio.build_cache(settings)
    store = transcripts.build_store(settings)
    # Without Pelican's reader cache no story is held: each is read here.
    held = _Held(settings) if keeps_reads else None
    to_look_at = folders
    if held is not None:
        to_look_at = [
            folder for folder in folders if not held.still_held(folder, audio, store)
        ]
    if keeps_reads:
        for folder in to_look_at:
            folder.read = readers.get_cached_data(folder.path, None)
    todo, found_held = _not_held(to_look_at, audio, store, settings, count)
    if held is not None:
        held.found(found_held)
        _pending = held
    if len(todo) < parallel.MIN_ITEMS:
        return
    _job.update(todo=todo, readers=readers, audio=audio, store=store, settings=settings)
    try:
        results = parallel.map_in_processes(_read_in_worker, range(len(todo)), count)
    finally:
        _job.clear()
    read = audio_read = transcripts_made = 0
    for folder, result in zip(todo, results, strict=True):
        if result.read is not None and keeps_reads:
            share_settings(result.read, readers.settings)
            readers.cache_data(folder.path, result.read)
            read += 1
        if result.audio_entry is not None:
            file_hashes.remember(result.audio_path, result.audio_sha256)
            audio.take(result.audio_path, result.audio_key, result.audio_entry)
            audio_read += 1
        transcripts_made += result.transcript_made
        if held is not None and result.held is not None:
            held.found([(folder, *result.held)])
    logger.info(
        "[story_pipeline] read %s in %d processes: %s, %s, %s",
        plural(len(todo), "story", "stories"),
        count,
        plural(read, "story file"),
        plural(audio_read, "audio file"),
        plural(transcripts_made, "transcript"),
    )


def _audio_path(record: StoryRecord, settings) -> str | None:
    """The master to read; None when there is nothing to read ahead (the
    story_audio plugin reports a path outside the folder, a missing or an
    oversized file)."""
    try:
        path = story_file(record.folder, record.front.audio)
    except StoryPathError:
        return None
    if not os.path.isfile(path) or story_audio.too_large(path, settings):
        return None
    return path


def _record(read: tuple | None) -> StoryRecord | None:
    """The record read from story.md, when it validated."""
    record = read[1].get("story") if read is not None else None
    if isinstance(record, StoryRecord) and record.front is not None:
        return record
    return None


def _not_held(folders, audio, store, settings, count):
    """The stories one of the three caches lacks, and those all three hold,
    each with the keys of its master's and its transcript's entries (None
    for none). A fresh clone's masters are hashed here, in threads (hashlib
    lets go of the GIL)."""
    todo = [folder for folder in folders if folder.read is None]
    found_held = []
    known = []
    for folder in folders:
        if folder.read is None:
            continue
        record = _record(folder.read)
        path = _audio_path(record, settings) if record is not None else None
        if path is not None:
            known.append((folder, record, path))
        elif _in_its_folder(record):  # nothing more to read (or a problem)
            found_held.append((folder, None, None))
    # Most masters' hashes are remembered: answered here, a stat each (a
    # task each in the threads cost seconds at 10,000 stories). Only the
    # masters to read and hash go to the threads.
    looked_up = [audio.known_if_remembered(path) for _, _, path in known]
    to_hash = [index for index, answer in enumerate(looked_up) if answer is None]
    if to_hash:
        with concurrent.futures.ThreadPoolExecutor(count) as pool:
            hashed = pool.map(audio.known, [known[index][2] for index in to_hash])
            for index, answer in zip(to_hash, hashed, strict=True):
                looked_up[index] = answer
    for (folder, record, path), (key, held) in zip(known, looked_up, strict=True):
        if key is None:  # unreadable: story_audio reports it
            if _in_its_folder(record):
                found_held.append((folder, None, None))
            continue
        transcript = None
        if held and record.front.transcript:
            transcript = _transcript_key(record, audio.info(path), store)
        if not held or transcript is False:
            todo.append(folder)
        elif _in_its_folder(record):
            found_held.append((folder, key, transcript))
    return todo, found_held


def _in_its_folder(record: StoryRecord | None) -> bool:
    """Are the files the story names right in its folder, where the
    snapshot hashed them? (Not in a folder inside it: such a story is
    looked at every build.)"""
    if record is None:
        return True
    names = (record.front.audio or "", record.front.transcript or "")
    return not any("/" in name or "\\" in name for name in names)


def _transcript_key(record: StoryRecord, info: AudioInfo, store) -> str | bool | None:
    """The key of the story's transcript entry when the store holds it;
    False when it lacks it; None when there is nothing to make (the
    transcripts plugin reports why)."""
    try:
        inputs = transcripts.transcript_inputs(dataclasses.replace(record, audio=info))
    except StoryPathError:
        return None
    if not store.holds(inputs):
        return False
    try:
        return store.key(inputs)
    except OSError:
        return None


def remember_held(pelican) -> None:
    """Once the build has saved its caches (``finalized``), remember the
    stories they hold."""
    global _pending
    held, _pending = _pending, None
    if held is not None and held.settings is pelican.settings:
        held.save()


def _listed_once(generator) -> set[str]:
    """The story files, as Pelican lists them (``get_files``), for this
    stage and for Pelican's own listings of them in this build, which walk
    every story folder again (a second each at 10,000 stories): the one it
    reads the articles from (``generate_context``, once every generator is
    made, a second or two later; the build report's count of them too), and
    the one it checks for files of readers switched off
    (``check_disabled_readers``, straight after). With no reader switched
    off, that one finds no file, whatever the folders hold. Once asked for
    it, the generator lists afresh, as any other listing does."""
    settings = generator.settings
    paths, excluded = settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"]
    listed = generator.get_files(paths, exclude=excluded)

    def get_files(asked, exclude=None, extensions=None):
        if (asked, exclude) == (paths, excluded):
            if extensions is None:
                return listed
            if extensions == generator.readers.disabled_extensions:
                del generator.get_files  # the articles are read
                if not extensions:
                    return set()
        return type(generator).get_files(generator, asked, exclude, extensions)

    generator.get_files = get_files
    return listed


class _Held:
    """The stories the last build found every cache holding, by a digest
    of their files as the build started (see the module's doc)."""

    FILE = "read.json"

    def __init__(self, settings):
        from .plugin import snapshot_keys  # it imports this module

        self.settings = settings
        self.keys = snapshot_keys(settings)
        self.code = self.keys.code() if self.keys is not None else None
        cache = settings.get("CACHE_PATH")
        self.path = os.path.join(cache, FOLDER, self.FILE) if cache else None
        # story.md's name -> [digest, audio, transcript]
        self.known: dict[str, list] = {}
        self.now: dict[str, list] = {}  # the same, for this build's stories
        if self.code is None or self.path is None:
            return
        try:
            with open(self.path, encoding="utf-8") as handle:
                loaded = json.load(handle)
            if loaded.get("code") == self.code and isinstance(loaded["stories"], dict):
                self.known = loaded["stories"]
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            logger.debug("[story_pipeline] %s not read: %s", self.path, error)

    def still_held(self, folder: _Folder, audio, store) -> bool:
        """Are ``folder``'s files the same as when a build last found every
        cache holding it, and do the audio and transcript caches still name
        its entries?"""
        if self.code is None:
            return False
        files = self.keys.snapshot_files(os.path.dirname(folder.path))
        if files is None:
            return False
        folder.digest = content_hash(folder.name, files)
        entry = self.known.get(folder.name)
        try:
            digest, audio_key, transcript_key = entry
        except (TypeError, ValueError):
            return False
        held = (
            digest == folder.digest
            and (audio_key is None or audio_key in audio.entries)
            and (transcript_key is None or store.holds_key(transcript_key))
        )
        if held:
            self.now[folder.name] = entry
        return held

    def found(self, held: list) -> None:
        """Stories every cache holds, or will once this build saves them:
        (its ``_Folder``, its master's key, its transcript's) each."""
        for folder, audio_key, transcript_key in held:
            if folder.digest is not None:
                self.now[folder.name] = [folder.digest, audio_key, transcript_key]

    def save(self) -> None:
        """Remember the stories held now (none but this build's stories)."""
        if self.code is None or self.path is None or self.now == self.known:
            return
        text = json.dumps({"code": self.code, "stories": self.now}, sort_keys=True)
        write_atomically(self.path, text)


def _read_in_worker(index: int) -> _Read:
    """All three steps for one story; each step that fails ends the task
    (its plugin reports the error in the build process)."""
    result = _Read()
    try:
        _read_story(_job["todo"][index], result)
    except Exception:
        pass
    if result.read is not None:
        # The tags hold the settings: sent back, each story would bring a
        # copy of them, all held at once (the build process points them at
        # its own: ``share_settings``).
        share_settings(result.read, None)
    return result


def _read_story(folder: _Folder, result: _Read) -> None:
    readers, audio, store = _job["readers"], _job["audio"], _job["store"]
    read = folder.read
    if read is None:
        reader = readers.readers[file_suffix(folder.path)]
        content, metadata = reader.read(folder.path)
        read = result.read = (content, cacheable_metadata(metadata))
    record = _record(read)
    path = _audio_path(record, _job["settings"]) if record is not None else None
    if path is None:
        if _in_its_folder(record):
            result.held = (None, None)  # nothing more to read
        return
    key, held = audio.known(path)
    if key is None:
        if _in_its_folder(record):
            result.held = (None, None)  # unreadable: story_audio reports it
        return
    if held:
        info = audio.info(path)
    else:
        entry = story_audio.read_entry(audio, path)
        if entry is None:
            return
        result.audio_path, result.audio_key, result.audio_entry = path, key, entry
        result.audio_sha256 = audio.hashes.sha256(path)
        info = AudioInfo.from_json(entry["info"])
    transcript = None
    if record.front.transcript:
        transcript = _transcript_key(record, info, store)
        if transcript is False:
            inputs = transcripts.transcript_inputs(
                dataclasses.replace(record, audio=info)
            )
            result.transcript_made = store.make(inputs)
            if not result.transcript_made:
                return  # transcripts reports it
            transcript = store.key(inputs)
    if _in_its_folder(record):
        result.held = (key, transcript)
