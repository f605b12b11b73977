"""What a build tells the person who started it: progress, then a summary."""

from __future__ import annotations

import datetime
import io
import logging
import re

import pytest
from build_report import plugin as build_report_plugin
from build_report.summary import FolderSize, folder_size, summary_lines
from pelican import log as pelican_log
from rich.console import Console

from portal.sizes import human_size
from tests.stories import write_story
from tests.support import LEAN, build_site, copy_content

NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)


@pytest.fixture
def content(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "public-story")
    # Links to the draft: one warning (the link is shown as plain text).
    write_story(
        content,
        "linking-story",
        body="See [the other one]({filename}../a-draft/story.md).",
    )
    write_story(content, "a-draft", status="draft")
    return content


def test_the_build_ends_with_a_summary(content, tmp_path, capsys, caplog):
    caplog.set_level(logging.WARNING)
    output = build_site(content, tmp_path / "output", STORY_NOW=NOW, **LEAN)
    printed = capsys.readouterr().out
    size = folder_size(output)
    # Every warning logged (the link to the draft, and whatever other plugins
    # say about this content), except the "held back" lines themselves.
    warned = [
        r
        for r in caplog.records
        if r.levelno == logging.WARNING and not getattr(r, "portal_reported", False)
    ]
    assert any("goes to a story that is not public" in r.getMessage() for r in warned)
    warnings = f"{len(warned)} warning" + ("" if len(warned) == 1 else "s")
    match = re.search(
        r"^Build summary: 2 stories ready to publish, 1 held back, "
        rf"{warnings}, 0 errors; "
        rf"output {re.escape(human_size(size.bytes))} in {size.files} files; "
        r"\d+\.\d s\.$",
        printed,
        re.MULTILINE,
    )
    assert match, printed
    lines = printed[match.start() :].splitlines()
    assert (
        lines[1] == "  held back: content/stories/a-draft/story.md: status is 'draft'"
    )
    assert size.files > 10 and size.bytes > 10_000


def test_a_preview_build_says_it_is_not_for_upload(content, tmp_path, capsys):
    build_site(content, tmp_path / "output", STORY_NOW=NOW, STORY_PREVIEW=True, **LEAN)
    printed = capsys.readouterr().out
    assert (
        "  PREVIEW: this output shows stories that are not public. Never upload it;"
        " publish with ./dev publish." in printed
    )


def test_a_build_for_another_address_says_it_is_not_the_public_site():
    """A staging copy (or a public site built by mistake without
    SITE_PRODUCTION_URL) keeps crawlers and directories out: the summary
    says so, so it is not uploaded as the public site unseen."""
    public = "https://oss.example.org"
    staging = {"SITEURL": "https://staging.example.org/", "SITE_PRODUCTION_URL": public}
    elsewhere = build_report_plugin._elsewhere(staging)
    assert elsewhere == ("https://staging.example.org", public)
    lines = summary_lines(
        published=1, held_back=[], warnings=0, errors=0,
        output=FolderSize(1, 1), media=None, seconds=1.0, elsewhere=elsewhere,
    )  # fmt: skip
    assert lines[-1] == (
        "  NOT THE PUBLIC SITE: built for https://staging.example.org, not"
        " https://oss.example.org (SITE_PRODUCTION_URL), so robots.txt keeps search"
        " engines out and the podcast feed asks directories not to list it."
    )
    # Not for the public site's own build, nor development (relative URLs).
    assert build_report_plugin._elsewhere({**staging, "SITEURL": public}) is None
    assert build_report_plugin._elsewhere({**staging, "SITEURL": ""}) is None


def test_progress_shows_each_phase_on_a_terminal(content, tmp_path, monkeypatch):
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=120)
    monkeypatch.setattr(pelican_log, "console", terminal)
    build_site(
        content, tmp_path / "output", STORY_NOW=NOW, BUILD_REPORT_PROGRESS=True, **LEAN
    )
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    reading = shown.index("Reading 3 stories")
    checking = shown.index("Checking 3 stories: audio, transcripts, links")
    writing = shown.index("Writing the site")
    assert reading < checking < writing < shown.index("Build summary:")


def test_no_progress_where_there_is_no_terminal(content, tmp_path, monkeypatch):
    screen = io.StringIO()
    monkeypatch.setattr(pelican_log, "console", Console(file=screen, width=120))
    build_site(content, tmp_path / "output", STORY_NOW=NOW, **LEAN)
    shown = screen.getvalue()
    assert "Reading" not in shown and "Writing the site" not in shown
    assert "Build summary: 2 stories ready to publish" in shown
    assert "NOT THE PUBLIC SITE" not in shown  # development


def test_the_settings_are_validated(content, tmp_path):
    with pytest.raises(ValueError, match="BUILD_REPORT_PROGRESS must be 'auto'"):
        build_site(
            content, tmp_path / "output", BUILD_REPORT_PROGRESS="sometimes", **LEAN
        )
