"""Each master's measurement, taken from the cache whenever it holds one.

The build measures a master before it encodes it (``loudness.measure_master``,
one decoding pass over all of it) and keeps that measurement with the
encoding (``encoded/<key>.json``, "master"); a master's flags (silent,
clipped, ...) are worked out from it. ``./dev check`` gives the same warnings
without encoding anything (``for_check``): it takes the measurement kept with
the encoding of this master and these settings; for a master the cache has
not encoded, one the check stored before (``measured/<key>.json``); and it
measures only a master with neither, storing what it measured there. The
build that then encodes that master takes the stored measurement
(``stored``) rather than decoding the master once more to measure it."""

from __future__ import annotations

from . import cache as cache_module
from . import loudness
from .ffmpeg import FFmpegError
from .loudness import MasterMeasurement


def master_hashes(cache, pool, paths: list[str]) -> list[str]:
    """Each master's SHA-256. Most are remembered (a stat each, answered
    here); only the masters to read go to ``pool``'s threads: a task each
    for 10,000 stories cost a second."""
    hashes = [cache.remembered_hash(path) for path in paths]
    unknown = [index for index, value in enumerate(hashes) if value is None]
    read = pool.map(cache.master_hash, [paths[index] for index in unknown])
    for index, value in zip(unknown, read, strict=True):
        hashes[index] = value
    return hashes


def stored(cache, key: str) -> MasterMeasurement | None:
    """The measurement stored under ``key`` (``measured/<key>.json``), or
    None: none stored, or one this code cannot read (it measures again)."""
    data = cache.measurement(key)
    if data is None:
        return None
    try:
        return MasterMeasurement.from_json(data)
    except (KeyError, TypeError, ValueError):
        return None


def measure(cache, key: str, story, options) -> MasterMeasurement | FFmpegError:
    """Measure the story's master and store the measurement under ``key``,
    where the build that encodes it finds it; the error if ffmpeg failed."""
    try:
        measured = loudness.measure_master(
            story.story.audio_path, story.story.audio.filename, options
        )
    except FFmpegError as error:
        return error
    cache.store_measurement(key, measured.to_json())
    return measured


def for_check(stories, options, cache, pool, users) -> list:
    """Each story's master measurement (or the FFmpegError measuring it
    gave), as the build would have it, decoding only the masters the cache
    holds no measurement of. ``users``: each story's user of the cache
    (``AudioRenditionGenerator._user``), for the files the check stores."""
    hashes = master_hashes(cache, pool, [story.story.audio_path for story in stories])
    found = _kept_with_encodings(cache, options, hashes)
    lacking = [index for index, value in enumerate(hashes) if value not in found]
    if not lacking:
        return [found[value] for value in hashes]
    code = cache_module.measuring_code()
    keys = {hashes[i]: cache_module.measuring_key(hashes[i], options, code)
            for i in lacking}  # fmt: skip
    # Marked in use before it is looked up or made (the cache's rule), so
    # that a build sharing the cache keeps it when it prunes, for the build
    # that encodes the master.
    marked = {}
    for index in lacking:
        user, source = users[index]
        name = cache.name("measured", keys[hashes[index]], ".json")
        marked[user] = (source, [name])
    cache.mark_in_use(marked)
    todo = {}  # one story for each master to measure
    for index in lacking:
        value = hashes[index]
        if value in found or value in todo:
            continue
        measured = stored(cache, keys[value])
        if measured is None:
            todo[value] = stories[index]
        else:
            found[value] = measured
    results = pool.map(
        lambda item: measure(cache, keys[item[0]], item[1], options), todo.items()
    )
    found.update(zip(todo, results, strict=True))
    return [found[value] for value in hashes]


def _kept_with_encodings(cache, options, hashes: list[str]) -> dict:
    """{master hash: measurement} for the masters the cache has encoded with
    these settings: the measurement the build keeps with each encoding."""
    code = cache_module.encoding_code()
    found = {}
    for value in dict.fromkeys(hashes):
        key = cache_module.encoding_key(value, options, code)
        facts = cache.facts("encoded", key, options.extension)
        if facts is not None:
            found[value] = MasterMeasurement.from_json(facts["master"])
    return found
