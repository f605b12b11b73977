"""Built stories keep no parsed transcript in memory (benchmarks/README.md,
"Peak memory"): cues, sections and timeline are on disk and loaded while a
page or file uses them (plugins/transcripts/store.py)."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import types

import pytest
from pelican import signals
from transcripts import store
from transcripts.store import Loaded
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
        # Four transcripts: the same words would be one entry (store.py).
        vtt = GOOD_VTT.replace("Tell me more.", f"Tell me more, {slug}.")
        write_transcript_story(content, slug, vtt, title=f"Talk {slug}")
    built = {}
    loaded_before_output = []

    def keep(generator):  # every article, after the gate and the checks
        built.update({story.slug: story for story in generator.articles})

    def count_loaded(generators):  # every context made, no page written yet
        loaded_before_output.append(store.loaded_count())

    signals.article_generator_finalized.connect(keep)
    signals.all_generators_finalized.connect(count_loaded)
    try:
        output = build_site(content, base / "out", **LEAN)
    finally:
        signals.article_generator_finalized.disconnect(keep)
        signals.all_generators_finalized.disconnect(count_loaded)
    built["loaded before output"] = loaded_before_output
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
        if isinstance(item, store.Stored):
            todo += [getattr(item, name) for name in item.__slots__]
            continue
        todo += gc.get_referents(item)
    return found


def test_built_stories_hold_no_parsed_transcript(stories):
    built, output = stories
    assert (output / "stories" / "one" / "index.html").exists()
    # Every page is written and the build is over: nothing is loaded.
    assert store.loaded_count() == 0
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
    store.forget()
    story = built["one"]
    assert story.story.transcript  # true without reading anything
    assert store.loaded_count() == 0
    assert [(c.number, c.speaker, c.turn) for c in story.story.transcript] == [
        (1, "Ada Lopez", 1),
        (2, "Ada Lopez", 1),
        (3, "Ben Carter", 2),
        (4, "Ada Lopez", 3),
    ]
    assert store.loaded_count() == 1
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
    assert store.loaded_count() == store.RECENT  # the most recent only
    store.forget()


def test_a_removed_stored_transcript_is_made_again(stories):
    built, _ = stories
    store.forget()
    holder = built["two"].story.transcript.stored
    os.remove(holder.file)
    assert [c.turn for c in built["two"].story.transcript] == [1, 1, 2, 3]
    assert os.path.exists(holder.file)
    store.forget()


def test_cards_and_the_question_index_load_no_transcript(stories):
    """The share cards' timelines and the question index's quotes are made
    with each transcript's entry (transcripts/answers.py): making every
    page's context loads no story's transcript."""
    built, output = stories
    assert built["loaded before output"] == [0]
    # They are there all the same: the card's bars, the index's quote.
    outline = built["one"].story.transcript_outline
    assert outline.lanes == 2
    # The build holds the outline's digest; its bars are read when drawn.
    assert isinstance(outline, store.OutlineRef)
    assert len(outline.bars) == 4
    assert outline.digest == hashlib.sha256(outline.packed).hexdigest()
    quote = built["one"].story.chapter_answers[(0.0, 2.0)]
    assert (quote.speaker, quote.turn) == ("Ada Lopez", 1)
    assert quote.text == "I grew up in Tulsa. And my mother & father taught."
    page = (output / "questions" / "parents" / "index.html").read_text()
    assert "I grew up in Tulsa. And my mother &amp; father taught." in page


def test_the_cache_keeps_one_entry_a_transcript(tmp_path):
    """An entry is named by what it was made from; one no story uses any
    more (the transcript was edited) is removed at the end of the build."""
    content = copy_content(tmp_path / "content")
    for slug in ("kept", "edited"):
        vtt = GOOD_VTT.replace("Tulsa", f"Tulsa ({slug})")
        write_transcript_story(content, slug, vtt, title=f"Talk {slug}")
    cache = tmp_path / "cache"
    build_site(content, tmp_path / "out", cache_dir=cache, **LEAN)
    entries = {path.name for path in (cache / "transcripts").glob("*.pickle")}
    assert len(entries) == 2

    vtt = content / "stories" / "edited" / "transcript.vtt"
    vtt.write_text(vtt.read_text().replace("Tell me more.", "Tell me more, please."))
    output = build_site(content, tmp_path / "out", cache_dir=cache, **LEAN)
    after = {path.name for path in (cache / "transcripts").glob("*.pickle")}
    assert len(after) == 2
    assert len(after & entries) == 1  # the unchanged story's entry stays
    page = (output / "stories" / "edited" / "index.html").read_text()
    assert "Tell me more, please." in page
