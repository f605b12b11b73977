"""Cold builds read stories and audio on every core: the same site results."""

from __future__ import annotations

import logging
import pickle
import zlib

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


def test_a_parallel_cold_build_makes_the_same_site_as_a_serial_one(tmp_path, caplog):
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
