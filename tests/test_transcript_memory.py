"""Built stories keep no parsed transcript in memory (benchmarks/README.md,
"Peak memory"): cues, sections and timeline are on disk, in the story's
transcript entry, and the story pipeline reads them once while it makes
that story's page and files (plugins/transcripts/store.py)."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import logging
import os
import shutil
import types

import pytest
from pelican import signals
from transcripts import store
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
    views_read = []  # (the story's transcript file, every context made?)
    contexts_made = []
    read_view = store.TranscriptEntry.view

    def view(entry):  # a spy: who reads a transcript, and when
        views_read.append((os.path.basename(os.path.dirname(entry.inputs.path)),
                           bool(contexts_made)))  # fmt: skip
        return read_view(entry)

    def keep(generator):  # every article, after the gate and the checks
        built.update({story.slug: story for story in generator.articles})

    def made(generators):  # every context made, no page written yet
        contexts_made.append(True)

    signals.article_generator_finalized.connect(keep)
    signals.all_generators_finalized.connect(made)
    store.TranscriptEntry.view = view
    try:
        # One process: the spy sees the pages made (workers would fork).
        output = build_site(content, base / "out", BUILD_WORKERS=1, **LEAN)
    finally:
        store.TranscriptEntry.view = read_view
        signals.article_generator_finalized.disconnect(keep)
        signals.all_generators_finalized.disconnect(made)
    built["views read"] = views_read
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
        if isinstance(item, store.TranscriptEntry):
            todo += [getattr(item, name) for name in item.__slots__]
            continue
        todo += gc.get_referents(item)
    return found


def test_built_stories_hold_no_parsed_transcript(stories):
    built, output = stories
    assert (output / "stories" / "one" / "index.html").exists()
    for slug in ("one", "two", "three", "four"):
        story = built[slug]
        entry = story.story.transcript_entry
        assert isinstance(entry, store.TranscriptEntry)
        assert entry.held is None  # on disk, not on the story
        public = [
            value for name, value in vars(story).items() if not name.startswith("_")
        ]
        assert _parsed_objects_reachable(public) == []
    # The JSON-LD (the transcript's whole text) is made when printed.
    sharing = built["one"].story.sharing
    assert "json_ld" not in {f.name for f in dataclasses.fields(sharing)}


def test_each_story_reads_its_transcript_once_to_make_its_page_and_files(stories):
    built, output = stories
    # Once a story, for its page, transcript files and share card together,
    # and only once every context is made.
    ours = ("four", "one", "three", "two")
    read = sorted(read for read in built["views read"] if read[0] in ours)
    assert read == [(slug, True) for slug in ours]
    page = (output / "stories" / "one" / "index.html").read_text()
    assert page.count('class="turn ') == 3  # the sections, on the page
    assert page.count("<rect x=") == 4  # the timeline's bars
    vtt = (output / "stories" / "one" / "transcript.vtt").read_text()
    assert "Tell me more, one." in vtt
    # What was read is the entry's view: the cues with their turns.
    view = built["one"].story.transcript_entry.view()
    assert [(c.number, c.speaker, c.turn) for c in view.cues] == [
        (1, "Ada Lopez", 1),
        (2, "Ada Lopez", 1),
        (3, "Ben Carter", 2),
        (4, "Ada Lopez", 3),
    ]
    assert [len(s.turns) for s in view.sections] == [1, 2]
    assert [lane.speaker for lane in view.timeline.lanes] == ["Ada Lopez", "Ben Carter"]
    assert _parsed_objects_reachable([view])


def test_a_removed_stored_transcript_is_made_again(stories):
    built, _ = stories
    entry = built["two"].story.transcript_entry
    os.remove(entry.file)
    assert [c.turn for c in entry.view().cues] == [1, 1, 2, 3]
    assert os.path.exists(entry.file)


def test_cards_and_the_question_index_load_no_transcript(stories):
    """The share cards' keys and the question index's quotes are made with
    each transcript's entry (transcripts/answers.py): making every page's
    context reads no story's transcript (the fixture's spy), and the build
    holds only the outline's digest and lanes."""
    built, output = stories
    assert all(after_contexts for _, after_contexts in built["views read"])
    outline = built["one"].story.transcript_outline
    assert outline == store.answers.OutlineSummary(outline.digest, 2)
    # The card is drawn from the loaded transcript's bars, which the digest
    # names.
    drawn = built["one"].story.transcript_entry.view().outline
    assert len(drawn.bars) == 4
    assert drawn.summary == outline
    assert outline.digest == hashlib.sha256(drawn.packed).hexdigest()
    card = built["one"].story.sharing.image_path
    assert (output / card).read_bytes().startswith(b"\xff\xd8\xff")  # a JPEG
    quote = built["one"].story.chapter_answers[(0.0, 2.0)]
    assert (quote.speaker, quote.turn) == ("Ada Lopez", 1)
    assert quote.text == "I grew up in Tulsa. And my mother & father taught."
    page = (output / "questions" / "parents" / "index.html").read_text()
    assert "I grew up in Tulsa. And my mother &amp; father taught." in page


def _built_with_two_transcripts(tmp_path, slugs: tuple[str, str]):
    """Sample content with two stories whose transcripts differ (one cache
    entry each), built once with a cache; (content, cache)."""
    content = copy_content(tmp_path / "content")
    for slug in slugs:
        vtt = GOOD_VTT.replace("Tulsa", f"Tulsa ({slug})")
        write_transcript_story(content, slug, vtt, title=f"Talk {slug}")
    cache = tmp_path / "cache"
    build_site(content, tmp_path / "out", cache_dir=cache, **LEAN)
    return content, cache


def test_the_cache_keeps_one_entry_a_transcript(tmp_path):
    """An entry is named by what it was made from; one no story uses any
    more (the transcript was edited) is removed at the end of the build."""
    content, cache = _built_with_two_transcripts(tmp_path, ("kept", "edited"))
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


def test_a_rebuild_reads_the_checked_parts_from_one_index(tmp_path, caplog):
    """The checked part of every entry the last build used is in one file
    (``checked.index``): a rebuild opens no entry for it. A damaged index
    costs the entries' heads, never a transcript parsed again."""
    content, cache = _built_with_two_transcripts(tmp_path, ("first", "second"))
    index = cache / "transcripts" / store.CHECKED_FILE
    assert index.is_file()
    entries = sorted((cache / "transcripts").glob("*.pickle"))
    assert len(entries) >= 2

    def parsed() -> list[str]:
        return [
            r.getMessage()
            for r in caplog.records
            if r.getMessage().startswith("[transcripts] parsing ")
        ]

    caplog.set_level(logging.DEBUG, logger="transcripts")
    # Every entry's head cut off: the index alone serves the checks.
    for entry in entries:
        entry.write_bytes(b"not a pickle")
    caplog.clear()
    output = build_site(content, tmp_path / "out", cache_dir=cache, **LEAN)
    assert parsed() == []
    page = (output / "questions" / "parents" / "index.html").read_text()
    assert "I grew up in Tulsa (first)." in page

    # The index damaged, the entries whole again: their heads serve, and the
    # index is written again.
    shutil.rmtree(cache / "transcripts")
    build_site(content, tmp_path / "out", cache_dir=cache, **LEAN)
    index.write_bytes(index.read_bytes()[:20])
    caplog.clear()
    build_site(content, tmp_path / "out", cache_dir=cache, **LEAN)
    assert parsed() == []
    assert len(index.read_bytes()) > 20
