"""The drafts preview shows held-back stories; production never does.

The same content is built three ways: the drafts preview (what
``invoke preview-drafts`` builds), the development site and the production
site (``publishconf.py``). Only the preview holds the held-back story, with
its "Not public" banner; the others leave no trace of it."""

from __future__ import annotations

import datetime

import pytest

import tasks
from tests.stories import assert_absent, output_files, write_story
from tests.support import build_site, copy_content

NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
# Every string that could identify the held-back story.
SECRET = [
    "awaitingreview",
    "Quillon Marsh",
    "Ottoline Vance",
    "held-preview-0001",
    "cannotshow",
    "Wilhelmina Ossery",
]


@pytest.fixture
def content(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "public-story", title="A public conversation")
    write_story(
        content,
        "awaitingreview",
        id="held-preview-0001",
        title="Awaitingreview: the draft",
        body="The introduction awaitingreview wrote.",
        participants=[
            {"name": "Quillon Marsh", "description": "farmer"},
            {"name": "Ottoline Vance", "description": "nurse"},
        ],
        approval=None,
        status="draft",
        audio="awaitingreview.mp3",
    )
    # A draft whose story.md the schema refuses: nothing of it can be shown.
    write_story(
        content,
        "cannotshow",
        relationship="rivals",
        status="draft",
        approval=None,
        participants=[
            {"name": "Wilhelmina Ossery", "description": "baker"},
            {"name": "Ottoline Vance", "description": "nurse"},
        ],
    )
    return content


def preview_overrides() -> dict:
    """The settings `invoke preview-drafts` gives Pelican on its command line."""
    overrides = tasks._build_overrides(drafts=True)
    assert overrides == {
        "STORY_PREVIEW": True,
        "CACHE_PATH": str(tasks.PREVIEW_CACHE_PATH),
    }
    return {"STORY_PREVIEW": True}


def test_preview_shows_the_held_back_story_production_leaves_no_trace(
    content, tmp_path
):
    preview = build_site(
        content, tmp_path / "preview", STORY_NOW=NOW, **preview_overrides()
    )
    page = (preview / "stories/awaitingreview/index.html").read_text()
    assert "Not public." in page
    assert "status is &#39;draft&#39;; no approval" in page
    assert '<meta name="robots" content="noindex">' in page
    assert "Quillon Marsh" in page
    # Its player plays the podcast rendition, as a published story's would;
    # the master itself is not copied.
    folder = preview / "stories/awaitingreview"
    assert len(list(folder.glob("awaitingreview-*.mp3"))) == 1
    assert not (folder / "awaitingreview.mp3").exists()
    assert "stories/public-story/index.html" in output_files(preview)
    # Where the editor looks for a story the preview cannot show: why, and
    # what to run (not the server's bare "404: Not Found").
    page = (preview / "stories/cannotshow/index.html").read_text()
    assert "Not public." in page
    assert "content/stories/cannotshow/story.md" in page
    assert "content errors in relationship" in page
    assert "./dev check" in page
    assert '<meta name="robots" content="noindex">' in page
    assert "Wilhelmina Ossery" not in page

    production = build_site(
        content, tmp_path / "production", "publishconf.py", STORY_NOW=NOW
    )
    development = build_site(content, tmp_path / "development", STORY_NOW=NOW)
    for output in (production, development):
        assert "stories/public-story/index.html" in output_files(output)
        assert_absent(output, *SECRET)


def test_a_story_the_preview_showed_and_now_cannot_says_why(content, tmp_path):
    """Built again in place, the preview's page for a story it showed last
    time and cannot show now (its story.md broken) is the page that says
    why, not a gap where the story's folder was."""
    output, cache = tmp_path / "preview", tmp_path / "preview-cache"
    settings = dict(STORY_NOW=NOW, **preview_overrides())
    build_site(content, output, cache_dir=cache, **settings)
    assert (
        "A public conversation"
        in (output / "stories/public-story/index.html").read_text()
    )
    story = content / "stories/public-story/story.md"
    story.write_text(
        story.read_text().replace("relationship: strangers", "relationship: rivals")
    )
    build_site(content, output, cache_dir=cache, **settings)
    page = (output / "stories/public-story/index.html").read_text()
    assert "content errors in relationship" in page
    assert "content/stories/public-story/story.md" in page


def test_production_refuses_the_preview_setting(content, tmp_path):
    with pytest.raises(ValueError, match="STORY_PREVIEW cannot be used"):
        build_site(
            content,
            tmp_path / "out",
            "publishconf.py",
            STORY_NOW=NOW,
            STORY_PREVIEW=True,
        )
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_preview_has_its_own_folders():
    assert tasks._deploy_path() != tasks.PREVIEW_PATH
    assert tasks.PREVIEW_PATH.name == "output-drafts"
    assert tasks.PREVIEW_CACHE_PATH.parent == tasks.ROOT / "cache"
    # The development build never previews.
    assert "STORY_PREVIEW" not in tasks._build_overrides()
    assert "STORY_PREVIEW" not in tasks._build_overrides(cached=True)


VTT = """WEBVTT

NOTE chapter: {title}

00:00:00.000 --> 00:00:01.500
<v {first}>Hello from {slug}.

00:00:01.500 --> 00:00:03.000
<v {second}>And goodbye from {slug}.
"""


def test_each_draft_links_its_own_transcript_and_chapters(tmp_path):
    """Two drafts in one preview: each page's captions, downloads and JSON-LD
    point at that draft's own files, in its own folder."""
    content = copy_content(tmp_path / "content")
    for slug in ("first-draft", "second-draft"):
        folder = write_story(
            content,
            slug,
            status="draft",
            approval=None,
            transcript=VTT.format(
                title=f"Start of {slug}",
                first="Ada Lopez",
                second="Ben Carter",
                slug=slug,
            ),
        )
        story = folder / "story.md"
        text = story.read_text()
        story.write_text(
            text.replace("\naudio:", "\ntranscript: transcript.vtt\naudio:")
        )
    preview = build_site(
        content, tmp_path / "preview", STORY_NOW=NOW, STORY_PREVIEW=True
    )
    assert not (preview / "drafts").exists()
    for slug in ("first-draft", "second-draft"):
        folder = preview / "stories" / slug
        page = (folder / "index.html").read_text()
        for name in ("transcript.vtt", "transcript.srt", "transcript.json"):
            assert f"Hello from {slug}." in (folder / name).read_text(), name
        assert f"Start of {slug}" in (folder / "chapters.json").read_text()
        other = "second-draft" if slug == "first-draft" else "first-draft"
        assert "drafts/" not in page.replace("output-drafts", "")
        # (Related stories may link the other draft's page, not its files.)
        for name in ("transcript.vtt", "transcript.srt", "chapters.json"):
            assert f"{other}/{name}" not in page
        assert "transcript.vtt" in page and "transcript.srt" in page
