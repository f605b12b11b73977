"""Built stories keep no parsed transcript in memory (benchmarks/README.md,
"Peak memory"): cues, sections and timeline are on disk and loaded while a
page or file uses them (plugins/transcripts/stored.py)."""

from __future__ import annotations

import dataclasses
import gc
import os
import types

import pytest
from pelican import signals
from transcripts import stored
from transcripts.stored import Loaded
from transcripts.timeline import Bar, Timeline
from transcripts.transcript import Cue
from transcripts.turns import Section, Turn

from tests.listening import GOOD_VTT, write_transcript_story
from tests.support import LEAN, build_site, copy_content

PARSED = (Cue, Turn, Section, Bar, Timeline)
NOT_DATA = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType)


@pytest.fixture(scope="module")
def stories(tmp_path_factory):
    base = tmp_path_factory.mktemp("memory")
    content = copy_content(base / "content")
    for slug in ("one", "two", "three", "four"):
        write_transcript_story(content, slug, GOOD_VTT, title=f"Talk {slug}")
    built = {}

    def keep(generator):  # every article, after the gate and the checks
        built.update({story.slug: story for story in generator.articles})

    signals.article_generator_finalized.connect(keep)
    try:
        output = build_site(content, base / "out", **LEAN)
    finally:
        signals.article_generator_finalized.disconnect(keep)
    return built, output


def _parsed_objects_reachable(roots) -> list:
    """Transcript objects reachable from ``roots`` (not through modules,
    classes or functions: the module's table of loaded transcripts)."""
    seen, todo, found = set(), list(roots), []
    while todo:
        item = todo.pop()
        if id(item) in seen or isinstance(item, NOT_DATA):
            continue
        seen.add(id(item))
        if isinstance(item, PARSED):
            found.append(item)
            continue
        if isinstance(item, Loaded):  # its slots, without loading it
            todo.append(item.stored)
            continue
        if isinstance(item, stored.StoredTranscript):
            todo += [getattr(item, name) for name in item.__slots__]
            continue
        todo += gc.get_referents(item)
    return found


def test_built_stories_hold_no_parsed_transcript(stories):
    built, output = stories
    assert (output / "stories" / "one" / "index.html").exists()
    # Every page is written and the build is over: nothing is loaded.
    assert stored.loaded_count() == 0
    for slug in ("one", "two", "three", "four"):
        story = built[slug]
        assert isinstance(story.story.transcript, Loaded)
        assert isinstance(story.story.transcript_sections, Loaded)
        assert isinstance(story.story.transcript_timeline, Loaded)
        assert story.story.transcript.stored.held is None  # on disk, not on the story
        public = [
            value for name, value in vars(story).items() if not name.startswith("_")
        ]
        assert _parsed_objects_reachable(public) == []
    # The JSON-LD (the transcript's whole text) is made when printed.
    sharing = built["one"].story.sharing
    assert "json_ld" not in {f.name for f in dataclasses.fields(sharing)}


def test_a_story_loads_its_transcript_when_used_and_few_stay_loaded(stories):
    built, _ = stories
    stored.forget()
    story = built["one"]
    assert story.story.transcript  # true without reading anything
    assert stored.loaded_count() == 0
    assert [(c.number, c.speaker, c.turn) for c in story.story.transcript] == [
        (1, "Ada Lopez", 1),
        (2, "Ada Lopez", 1),
        (3, "Ben Carter", 2),
        (4, "Ada Lopez", 3),
    ]
    assert stored.loaded_count() == 1
    # One file read for all three: with it gone, the sections and timeline
    # still come (a view made again would write the file again).
    saved = story.story.transcript.stored.file
    os.remove(saved)
    assert [len(s.turns) for s in story.story.transcript_sections] == [1, 2]
    assert [lane.speaker for lane in story.story.transcript_timeline.lanes] == [
        "Ada Lopez",
        "Ben Carter",
    ]
    assert not os.path.exists(saved)
    # (It finds them.)
    assert _parsed_objects_reachable([story.story.transcript.value()])
    for slug in ("two", "three", "four"):
        assert len(built[slug].story.transcript) == 4
    assert stored.loaded_count() == stored.RECENT  # the most recent only
    stored.forget()


def test_a_removed_stored_transcript_is_made_again(stories):
    built, _ = stories
    stored.forget()
    holder = built["two"].story.transcript.stored
    os.remove(holder.file)
    assert [c.turn for c in built["two"].story.transcript] == [1, 1, 2, 3]
    assert os.path.exists(holder.file)
    stored.forget()
