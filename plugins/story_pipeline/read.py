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
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import logging
import os

from pelican.utils import file_suffix
from story_audio import plugin as story_audio
from story_audio.audio import AudioInfo
from transcripts import plugin as transcripts

from portal import file_hashes, parallel
from portal.checking import plural
from portal.paths import StoryPathError, story_file
from portal.pelican_private import (
    cacheable_metadata,
    reader_cache_enabled,
    share_settings,
)
from portal.story_record import StoryRecord

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class _Folder:
    """One story, as the stage finds it before any worker runs."""

    path: str  # its story.md, absolute
    # Pelican's reader cache entry, (content, metadata); None: not read yet.
    read: tuple | None = None


@dataclasses.dataclass
class _Read:
    """What a worker read of one story, for the build process's caches."""

    read: tuple | None = None  # story.md, for Pelican's reader cache
    audio_path: str | None = None
    audio_sha256: str | None = None  # the master's bytes, hashed once
    audio_key: str | None = None
    audio_entry: dict | None = None  # AudioCache's entry
    transcript_made: bool = False


# What the forked workers see (inherited when they fork).
_job: dict = {}


def read_ahead(generator) -> None:
    """Read, on every core, the stories the caches lack (see the module's doc)."""
    settings = generator.settings
    count = parallel.workers(settings)
    if count <= 1:
        return
    readers = generator.readers
    keeps_reads = reader_cache_enabled(readers)
    folders = [
        _Folder(path)
        for path in sorted(
            os.path.abspath(os.path.join(generator.path, name))
            for name in generator.get_files(
                settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"]
            )
        )
        if file_suffix(path) in readers.readers
    ]
    if len(folders) < parallel.MIN_ITEMS:
        return
    if keeps_reads:
        for folder in folders:
            folder.read = readers.get_cached_data(folder.path, None)
    audio = story_audio.build_cache(settings)
    store = transcripts.build_store(settings)
    todo = _not_held(folders, audio, store, settings, count)
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


def _not_held(folders, audio, store, settings, count) -> list[_Folder]:
    """The stories one of the three caches lacks. A fresh clone's masters
    are hashed here, in threads (hashlib lets go of the GIL)."""
    todo = [folder for folder in folders if folder.read is None]
    known = []
    for folder in folders:
        record = _record(folder.read)
        path = _audio_path(record, settings) if record is not None else None
        if path is not None:
            known.append((folder, record, path))
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
        if key is None:
            continue  # unreadable: story_audio reports it
        transcript_lacking = (
            held
            and record.front.transcript
            and not _transcript_held(record, audio.info(path), store)
        )
        if not held or transcript_lacking:
            todo.append(folder)
    return todo


def _transcript_held(record: StoryRecord, info: AudioInfo, store) -> bool:
    try:
        inputs = transcripts.transcript_inputs(dataclasses.replace(record, audio=info))
    except StoryPathError:
        return True  # nothing to make: transcripts reports it
    return store.holds(inputs)


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
        return
    key, held = audio.known(path)
    if key is None:
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
    if record.front.transcript and not _transcript_held(record, info, store):
        result.transcript_made = store.make(
            transcripts.transcript_inputs(dataclasses.replace(record, audio=info))
        )
