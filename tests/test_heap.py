"""What a build holds is left out of garbage collection while it runs
(``portal.heap``), and given back when the next build in the process starts."""

from __future__ import annotations

import gc
import weakref

from pelican import signals

from tests.stories import write_story
from tests.support import LEAN, build_site, check_content


class _Held:
    """Something a build holds, in a reference cycle (as Pelican's
    generators and their context are)."""

    def __init__(self):
        self.itself = self


def test_what_a_build_held_is_collected_when_the_next_build_starts(tmp_path):
    content = tmp_path / "content"
    for number in range(3):
        write_story(content, f"story-{number}", body=f"Story number {number}.")
    holder = {}

    def hold(generator):
        held = _Held()
        holder["held"], holder["ref"] = held, weakref.ref(held)

    # Made as Pelican starts on the articles, before the pipeline freezes.
    signals.article_generator_init.connect(hold)
    try:
        build_site(content, tmp_path / "first", **LEAN)
    finally:
        signals.article_generator_init.disconnect(hold)
    ref = holder.pop("ref")
    holder.clear()  # garbage now, but only a collection frees a cycle
    gc.collect()
    # Frozen by the build: collections leave it alone.
    assert ref() is not None
    build_site(content, tmp_path / "second", **LEAN)
    # The second build gave it back to the collector first.
    assert ref() is None


def test_a_build_runs_no_full_collection_but_frees_young_cycles(tmp_path):
    """A build grows its heap from nothing to every story's objects, and
    CPython ran a full collection each time it had grown by a quarter (25
    at 10,000 stories, a sixth of a rebuild, none finding garbage): the
    build holds them back until its contexts are final (and frozen: later
    collections walk only what is made after). Young cycles are still
    freed."""
    content = tmp_path / "content"
    for number in range(3):
        write_story(content, f"story-{number}", body=f"Story number {number}.")
    full = []
    seen = {}

    def count(phase, info):
        counting = "young" in seen and "read" not in seen
        if phase == "start" and info["generation"] == 2 and counting:
            full.append(info)

    def make_garbage(generator):
        # From here (Pelican starts on the stories) to the end of the build.
        seen["young"] = weakref.ref(_Held())  # a cycle, garbage at once
        gc.collect(2)  # asked for by name: a collection still runs
        # The heap grows as a large site's does while its stories are read
        # (three small stories alone do not make the collector walk it).
        seen["held"] = [[number] for number in range(300_000)]

    def stories_read(generator):
        seen["young alive once read"] = seen["young"]() is not None
        seen["read"] = True
        seen.pop("held")

    def writing(pelican):
        # Full collections run again while the pages are written.
        seen["thresholds while writing"] = gc.get_threshold()

    before = gc.get_threshold()
    signals.article_generator_init.connect(make_garbage)
    signals.article_generator_finalized.connect(stories_read)
    signals.get_writer.connect(writing)
    gc.callbacks.append(count)
    try:
        # The heap of a small build grows enough for full collections.
        build_site(content, tmp_path / "output", **LEAN)
    finally:
        gc.callbacks.remove(count)
        signals.article_generator_init.disconnect(make_garbage)
        signals.article_generator_finalized.disconnect(stories_read)
        signals.get_writer.disconnect(writing)
    assert len(full) == 1, full  # the one asked for, none of the collector's
    assert seen["young alive once read"] is False
    assert seen["thresholds while writing"] == before
    assert gc.get_threshold() == before


def test_a_check_gives_the_collector_its_thresholds_back(tmp_path):
    """A check is the first half of a build: it starts as one (full
    collections held back) but never reaches a build's end."""
    content = tmp_path / "content"
    write_story(content, "story", body="A story.")
    before = gc.get_threshold()
    check_content(content, tmp_path / "cache")
    assert gc.get_threshold() == before


def test_a_large_cache_file_is_read_with_no_collection_and_left_out_after(
    tmp_path,
):
    """A build reads memos of every story's files (the copies' index is 14 MB
    at 10,000 stories): the young collections walked each object as it was
    made, and every later collection again, though none is garbage. A large
    file is read with no collection and its objects frozen; a small one as
    any other, so that freezing often does not keep young cycles."""
    from portal import cache_json, heap

    large, small = tmp_path / "large.json", tmp_path / "small.json"
    entries = {
        f"/site/stories/story-{n}/index.html": [[n, n, n], "0" * 64]
        for n in range(20_000)
    }
    large.write_bytes(cache_json.dumps(entries))
    assert large.stat().st_size >= cache_json.LARGE
    small.write_bytes(cache_json.dumps({"one": [1, 2]}))
    collections = []

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    frozen_before = gc.get_freeze_count()
    gc.callbacks.append(count)
    try:
        loaded = cache_json.load(large)
        during = list(collections)
        frozen = gc.get_freeze_count() - frozen_before
        cache_json.load(small)
        frozen_by_small = gc.get_freeze_count() - frozen_before - frozen
    finally:
        gc.callbacks.remove(count)
        heap.release()  # as the next build would
    assert loaded == entries
    assert during == []
    # Every list and dict it made (two lists an entry, and the dict).
    assert frozen >= 2 * len(entries)
    assert frozen_by_small == 0
    assert gc.isenabled()
