"""The approval gate: held-back stories leave no trace anywhere in the output."""

from __future__ import annotations

import datetime
import logging
import re

import pytest

from portal.problems import StoryContentError
from tests.listening import GOOD_VTT, write_transcript_story
from tests.stories import assert_absent, output_files, write_story
from tests.support import build_site

NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)


def _held_back_story(content, slug, **overrides):
    """A story whose every identifying string is unique, to scan for."""
    marker = slug.replace("-", "")
    write_story(
        content,
        slug,
        body=f"Body text {marker}body.",
        id=f"held-{slug}",
        title=f"Title {marker}title",
        summary=f"Summary {marker}summary.",
        participants=[
            {"name": f"Zelda {marker}first", "description": f"{marker}job"},
            {"name": f"Yusuf {marker}second", "description": "nurse"},
        ],
        audio="held-voice.mp3",
        topics=[f"{marker}topic"],
        **overrides,
    )
    return [f"{marker}title", f"{marker}first", f"{marker}body", f"{marker}topic",
            f"held-{slug}", slug, "held-voice"]  # fmt: skip


HELD_BACK = {
    "draft-story": {"status": "draft"},
    "unapproved-story": {"approval": None},
    "unsigned-story": {
        "approval": {
            "approved_by": "Editor",
            "approved_on": datetime.date(2019, 11, 1),
            "releases_signed": False,
        }
    },
    "scheduled-story": {"published": datetime.date(2030, 1, 1)},
    "broken-story": {"relationship": "rivals"},
}


@pytest.fixture
def mixed_site(tmp_path):
    content = tmp_path / "content"
    write_story(content, "public-story", title="The public one")
    needles = {}
    for slug, overrides in HELD_BACK.items():
        needles[slug] = _held_back_story(content, slug, **overrides)
    return content, needles


def test_only_cleared_stories_reach_the_output(mixed_site, tmp_path, caplog):
    content, needles = mixed_site
    caplog.set_level(logging.WARNING)
    output = build_site(content, tmp_path / "out", STORY_NOW=NOW)

    files = output_files(output)
    assert "stories/public-story/index.html" in files
    assert any(
        re.fullmatch(r"stories/public-story/public-story-[0-9a-f]{12}\.mp3", name)
        for name in files
    )
    story_dirs = {name.split("/")[1] for name in files if name.startswith("stories/")}
    # index.html.gz / .br: the pre-compressed copies of the listing.
    assert story_dirs - {"index.html.gz", "index.html.br"} == {
        "public-story",
        "index.html",
    }
    for words in needles.values():
        assert_absent(output, *words)

    held = {
        record.getMessage().split(" ")[3].rstrip(":")
        for record in caplog.records
        if "held back" in record.getMessage()
    }
    assert held == {f"content/stories/{slug}/story.md" for slug in HELD_BACK}
    messages = "\n".join(r.getMessage() for r in caplog.records)
    assert "draft-story/story.md: status is 'draft'" in messages
    assert "unapproved-story/story.md: no approval" in messages
    assert "unsigned-story/story.md: not every participant has signed" in messages
    # Only its day holds it back: the build says when it goes public.
    assert (
        "scheduled-story/story.md: scheduled: goes public with the first publish"
        " on or after 2030-01-01" in messages
    )
    assert "broken-story/story.md: content errors in relationship" in messages
    assert (
        "content/stories/broken-story/story.md:11: relationship: 'rivals' is not one"
        in messages
    )


def test_links_to_a_held_back_story_do_not_leak(tmp_path):
    content = tmp_path / "content"
    write_story(
        content,
        "linking-story",
        body="See also [the other one]({filename}../secretdraft/story.md).",
    )
    _held_back_story(content, "secretdraft", status="draft")
    output = build_site(content, tmp_path / "out", STORY_NOW=NOW)
    assert_absent(output, "secretdraft")


def test_the_production_build_stops_on_a_broken_story(tmp_path):
    content = tmp_path / "content"
    write_story(content, "good-story")
    write_story(content, "bad-audio", audio_fixture=None, audio="gone.mp3")
    # Errors in two of a story's files (story.md, the transcript's NOTE).
    (content / "data").mkdir(parents=True)
    (content / "data" / "questions.yml").write_text(
        "- key: parents\n  question: Tell me about your parents.\n", encoding="utf-8"
    )
    write_transcript_story(
        content,
        "bad-two-files",
        GOOD_VTT.replace("question: parents", "question: parnets"),
        quote={"start": "0:00", "end": "0:20", "text": "Words said."},
    )
    with pytest.raises(StoryContentError) as caught:
        build_site(content, tmp_path / "out", "publishconf.py", STORY_NOW=NOW)
    message = str(caught.value)
    assert "content/stories/bad-audio/story.md:" in message
    assert "audio: 'gone.mp3' does not exist in the story folder" in message
    assert "content/stories/bad-two-files/transcript.vtt:5: transcript:" in message
    # The stories it stops for, each once, by its story.md.
    assert (
        "These stories are set to be published (status and approval), but an error"
        " would leave them out of the public site:\n"
        "  content/stories/bad-audio/story.md\n"
        "  content/stories/bad-two-files/story.md\n"
        "Fix every problem below" in message
    )


def test_the_development_build_leaves_a_broken_story_out(tmp_path):
    content = tmp_path / "content"
    write_story(content, "good-story")
    write_story(content, "bad-audio", audio_fixture=None, audio="gone.mp3")
    output = build_site(content, tmp_path / "out", STORY_NOW=NOW)
    assert (output / "stories/good-story/index.html").exists()
    assert not (output / "stories/bad-audio").exists()


def test_drafts_with_errors_do_not_stop_production(tmp_path):
    content = tmp_path / "content"
    write_story(content, "good-story")
    write_story(content, "draft-wip", status="draft", audio_fixture=None)
    output = build_site(content, tmp_path / "out", "publishconf.py", STORY_NOW=NOW)
    assert (output / "stories/good-story/index.html").exists()
    assert_absent(output, "draft-wip")


def test_preview_shows_held_back_stories_with_a_banner(tmp_path):
    content = tmp_path / "content"
    write_story(content, "good-story")
    _held_back_story(content, "pending", approval=None)
    output = build_site(content, tmp_path / "out", STORY_NOW=NOW, STORY_PREVIEW=True)
    page = (output / "stories/pending/index.html").read_text()
    assert "Not public." in page
    assert "no approval" in page
    assert '<meta name="robots" content="noindex">' in page


def test_preview_cannot_be_combined_with_production(tmp_path):
    content = tmp_path / "content"
    write_story(content, "good-story")
    with pytest.raises(ValueError, match="STORY_PREVIEW cannot be used"):
        build_site(
            content,
            tmp_path / "out",
            "publishconf.py",
            STORY_NOW=NOW,
            STORY_PREVIEW=True,
        )
