"""Cold builds read stories and audio on every core: the same site results."""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import zlib

import mutagen
from mutagen.id3 import COMM
from pelican import signals
from pelican.generators import ArticlesGenerator, Generator

from portal import parallel
from tests.stories import output_files, write_story
from tests.support import LEAN, build_site

COUNT = parallel.MIN_ITEMS + 6  # enough stories for the worker processes
TRANSCRIPT = """WEBVTT

00:00:00.000 --> 00:00:01.000
<v Ada Lopez>Thank you for sitting down with me.

00:00:01.000 --> 00:00:02.000
<v Ben Carter>I almost did not come to number {number}.
"""


def test_a_parallel_cold_build_makes_the_same_site_as_a_serial_one(
    tmp_path, caplog, monkeypatch
):
    content = tmp_path / "content"
    for number in range(COUNT):
        folder = write_story(
            content,
            f"story-{number:03d}",
            body=f"Conversation number {number}, with *Markdown*.",
            featured=number < 3,
            topics=["family", f"topic-{number % 5}"],
            transcript=TRANSCRIPT.format(number=number),
        )
        story = folder / "story.md"
        text = story.read_text()
        named = text.replace("\naudio:", "\ntranscript: transcript.vtt\naudio:")
        story.write_text(named)
    # Broken parts, reported the same however the stories were read: a
    # transcript that is not WebVTT, and a master that is missing.
    (content / "stories" / "story-001" / "transcript.vtt").write_text("Not WebVTT")
    (content / "stories" / "story-002" / "speech.mp3").unlink()
    caplog.set_level(logging.INFO)
    # Without the pre-compressed copies and the search index (LEAN): made
    # from the pages, after the stories, in threads however many processes
    # read them; the pages themselves are compared.
    serial = build_site(content, tmp_path / "serial", BUILD_WORKERS=1, **LEAN)
    assert "processes" not in caplog.text
    caplog.clear()
    spread = build_site(
        content,
        tmp_path / "spread",
        cache_dir=tmp_path / "cache",
        BUILD_WORKERS=2,
        **LEAN,
    )
    # One pool reads each story's three parts (story.md, audio, transcript).
    assert (
        f"[story_pipeline] read {COUNT} stories in 2 processes: {COUNT} story "
        f"files, {COUNT - 1} audio files, {COUNT - 2} transcripts"
    ) in caplog.text
    for held_back in ("story-001", "story-002"):
        assert not (spread / "stories" / held_back).exists()
        assert not (serial / "stories" / held_back).exists()
    assert f"[story_pipeline] made {COUNT - 2} stories in 2 processes" in caplog.text

    serial_files, spread_files = (output_files(site) for site in (serial, spread))
    assert len([name for name in serial_files if name.endswith("/index.html")]) > COUNT
    assert serial_files.keys() == spread_files.keys()
    different = [
        name for name in serial_files if serial_files[name] != spread_files[name]
    ]
    assert different == []

    # Each story read in a worker came back with its own copy of the
    # settings (in its tags); the cache keeps one a shard, this build's.
    with open(tmp_path / "cache" / "ArticlesGenerator-Readers", "rb") as handle:
        shards = pickle.load(handle)["shards"].values()
    copies = []
    for packed in shards:
        entries = pickle.loads(zlib.decompress(packed)).values()
        tags = [tag for _, (_, metadata) in entries for tag in metadata["tags"]]
        copies.append((len(entries), len({id(tag.settings) for tag in tags})))
    assert max(stories for stories, _ in copies) > 1
    assert {settings for _, settings in copies} == {1}

    # Rebuilt with nothing changed, the read stage reads no story and looks
    # at the files of none the caches held (stats in every cache, at 10,000
    # stories): their files were hashed as the build started, as they were
    # when the last build read them whole. The transcript that is not WebVTT
    # is never kept, so it is looked for again.
    caplog.clear()
    listings = []
    get_files = Generator.get_files

    def listing(generator, paths, *args, **kwargs):
        listings.append(paths)
        return get_files(generator, paths, *args, **kwargs)

    with _files_looked_at_while_reading_ahead(monkeypatch) as looked_at:
        monkeypatch.setattr(Generator, "get_files", listing)
        build_site(
            content, tmp_path / "spread", cache_dir=tmp_path / "cache",
            BUILD_WORKERS=2, **LEAN,
        )  # fmt: skip
    assert "[story_pipeline] read " not in caplog.text
    # The story files listed once, for the read stage and for Pelican (its
    # articles, and its check for files of readers switched off).
    assert listings.count(["stories"]) == 1
    stories = content / "stories"
    looked_in = {
        os.path.relpath(path, stories).split(os.sep)[0]
        for path in looked_at
        if path.startswith(f"{stories}{os.sep}")
    }
    assert looked_in == {"story-001"}

    # A story whose transcript changed, one whose master changed, and one
    # whose transcript's cache entry is gone: each is read again, by its
    # plugin (too few for the workers), and its page shows it.
    folders = [content / "stories" / f"story-{number:03d}" for number in (10, 11, 12)]
    before = {
        folder.name: (spread / "stories" / folder.name / "index.html").read_bytes()
        for folder in folders
    }
    transcript = folders[0] / "transcript.vtt"
    transcript.write_text(
        transcript.read_text().replace("sitting down", "sitting down again")
    )
    tags = mutagen.File(folders[1] / "speech.mp3")
    tags["COMM::eng"] = COMM(encoding=3, lang="eng", desc="", text=["x" * 4000])
    tags.save()
    entries = tmp_path / "cache" / "transcripts"
    said = b"I almost did not come to number 12."
    [gone] = [path for path in entries.glob("*.pickle") if said in path.read_bytes()]
    gone.unlink()
    (entries / "checked.index").unlink()
    caplog.clear()
    caplog.set_level(logging.DEBUG, logger="transcripts")
    build_site(
        content, tmp_path / "spread", cache_dir=tmp_path / "cache",
        BUILD_WORKERS=2, **LEAN,
    )  # fmt: skip
    parsed = sorted(
        record.getMessage()
        for record in caplog.records
        if record.getMessage().startswith("[transcripts] parsing ")
    )
    # (The transcript that is not WebVTT is parsed, and reported, each time.)
    assert parsed == [
        f"[transcripts] parsing {folder / 'transcript.vtt'} (not in the cache)"
        for folder in (content / "stories" / "story-001", folders[0], folders[2])
    ]
    assert "[story_audio] 1 audio file examined" in caplog.text
    pages = {
        folder.name: (spread / "stories" / folder.name / "index.html").read_bytes()
        for folder in folders
    }
    assert b"sitting down again" in pages["story-010"]
    assert pages["story-011"] != before["story-011"]
    assert pages["story-012"] == before["story-012"]
    assert b"number 12." in pages["story-012"]


@contextlib.contextmanager
def _files_looked_at_while_reading_ahead(monkeypatch):
    """The paths stat'ed from the moment the articles' generator is made to
    the moment its read stage is done (``article_generator_init``, whose
    receivers run in the order they were connected: the plugins' first)."""
    looked_at: list[str] = []
    watching = False
    stat, lstat = os.stat, os.lstat

    def watched(original):
        def look(path, *args, **kwargs):
            if watching:
                looked_at.append(os.fspath(path))
            return original(path, *args, **kwargs)

        return look

    def start(generator):
        nonlocal watching
        watching = isinstance(generator, ArticlesGenerator)

    def stop(_generator):
        nonlocal watching
        watching = False

    monkeypatch.setattr(os, "stat", watched(stat))
    monkeypatch.setattr(os, "lstat", watched(lstat))
    signals.generator_init.connect(start)
    signals.article_generator_init.connect(stop)
    try:
        yield looked_at
    finally:
        signals.generator_init.disconnect(start)
        signals.article_generator_init.disconnect(stop)
        monkeypatch.undo()
