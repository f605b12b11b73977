"""A build whose inputs did not change runs no build, and says so.

`./dev build`, `preview` and `publish` build aside (``portal.publishing``):
when the content, code, theme, settings and tools are those the output in
place was built from, and that output is whole and still right today, no
Pelican runs and the output is left as it is. Anything else builds: an
edited story, a setting, a damaged output, `--force`, or the day a
scheduled story comes out. These builds are real ``python -m pelican`` runs
on a copy of the project's content."""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import zoneinfo

import pytest
from pelican.settings import read_settings

from portal import build_inputs, file_hashes, publishing
from portal.file_hashes import FileHashes
from tests.stories import write_story
from tests.support import (
    LEAN,
    PROJECT_ROOT,
    build_as_dev,
    copy_content,
)

SKIPPED = "Nothing changed since the last build of"
BUILT = "Done: Processed"  # Pelican's last line, printed only when it ran


def build(content, output, cache, force=False, extra_args=(), **overrides):
    """A build as `./dev build` makes it (``tests.support.build_as_dev``),
    lean: none of these tests looks at the search index or the compressed
    copies."""
    return build_as_dev(
        content, output, cache, force=force, extra_args=extra_args,
        **{**LEAN, **overrides},
    )  # fmt: skip


def last_build(output: pathlib.Path) -> pathlib.Path:
    """What the last build of ``output`` left beside it."""
    return output.with_name(f".{output.name}.last-build.json")


def said(capfd) -> str:
    return " ".join(capfd.readouterr().out.split())


@pytest.fixture
def content(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "kept-story", title="The first telling")
    return content


def test_a_build_with_nothing_changed_leaves_the_output_as_it_is(
    content, tmp_path, capfd
):
    output, cache = tmp_path / "output", tmp_path / "cache"
    page = output / "stories/kept-story/index.html"
    build(content, output, cache)
    assert BUILT in said(capfd)
    last = json.loads(last_build(output).read_text())
    assert last["inputs"]
    folder = os.stat(output).st_ino  # every build swaps in a new folder

    build(content, output, cache)
    out = said(capfd)
    assert SKIPPED in out and BUILT not in out
    # What the last build reported is shown again (it still holds).
    assert "That build's report: Build summary: 1 story ready to publish" in out
    assert os.stat(output).st_ino == folder
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("output")] == [
        "output"
    ]

    # An edited story builds, and the page shows the edit.
    story = content / "stories/kept-story/story.md"
    story.write_text(story.read_text().replace("The first telling", "Told again"))
    build(content, output, cache)
    assert BUILT in said(capfd)
    assert "Told again" in page.read_text()

    # A file missing from the output (a damaged deploy folder) builds it again.
    feed = output / "podcast.xml"
    assert feed.is_file()
    feed.unlink()
    build(content, output, cache)
    assert BUILT in said(capfd)
    assert feed.is_file()

    # Another setting builds; so does --force with nothing changed.
    build(content, output, cache, SITENAME="Another name")
    assert BUILT in said(capfd)
    assert "Another name" in page.read_text()
    build(content, output, cache, SITENAME="Another name")
    assert SKIPPED in said(capfd)
    build(content, output, cache, force=True, SITENAME="Another name")
    assert BUILT in said(capfd)

    # `./dev clean` forgets what the last build was made from: the next builds.
    publishing.forget_last_build(output)
    assert not last_build(output).exists()
    build(content, output, cache, SITENAME="Another name")
    assert BUILT in said(capfd)


def test_the_day_a_scheduled_story_comes_out_builds_again(content, tmp_path, capfd):
    output, cache = tmp_path / "output", tmp_path / "cache"
    zone = zoneinfo.ZoneInfo("America/New_York")  # pelicanconf's TIMEZONE
    tomorrow = datetime.datetime.now(zone).date() + datetime.timedelta(days=1)
    write_story(content, "coming-soon", published=tomorrow)
    build(content, output, cache)
    assert BUILT in said(capfd)
    assert not (output / "stories/coming-soon").exists()
    last_file = last_build(output)
    clock = json.loads(last_file.read_text())["clock"]
    midnight = datetime.datetime(tomorrow.year, tomorrow.month, tomorrow.day)
    assert clock["valid_until"] == midnight.replace(tzinfo=zone).isoformat()
    assert "coming-soon/story.md" in clock["why"]

    build(content, output, cache)
    assert SKIPPED in said(capfd)

    # What says so is beside the output, never in it: it names the story
    # held back, and nothing of a story not yet public may be in the output.
    assert "coming-soon" not in (output / publishing.MANIFEST_FILE).read_text()

    # Time passes (the last build's file is told so: the clock cannot move).
    last = json.loads(last_file.read_text())
    last["clock"]["valid_until"] = "2020-01-01T00:00:00-05:00"
    last_file.write_text(json.dumps(last))
    build(content, output, cache)
    assert BUILT in said(capfd)


def _key(content: pathlib.Path, cache: pathlib.Path) -> str:
    settings = read_settings(
        str(PROJECT_ROOT / "pelicanconf.py"),
        override={"PATH": str(content), "CACHE_PATH": str(cache)},
    )
    return build_inputs.site_key(settings, PROJECT_ROOT / "pelicanconf.py")


def test_the_key_holds_what_files_hold_not_where_or_when(content, tmp_path):
    elsewhere = tmp_path / "checkout" / "content"
    elsewhere.parent.mkdir()
    copy_content(elsewhere)
    write_story(elsewhere, "kept-story", title="The first telling")
    for path in elsewhere.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))  # a fresh checkout's times
    key = _key(content, tmp_path / "cache")
    assert _key(elsewhere, tmp_path / "another-cache") == key

    story = elsewhere / "stories/kept-story/story.md"
    story.write_bytes(story.read_bytes().replace(b"first", b"other"))
    assert _key(elsewhere, tmp_path / "another-cache") != key


def test_the_key_sees_a_file_a_build_stopped_midway_had_hashed_before(
    content, tmp_path
):
    """A build that stops midway in a process (an in-process check, a test)
    leaves its snapshot of the story files' hashes behind
    (``portal.file_hashes``); the key of the next build in that process
    must see the files as they are, or an edit would be "nothing changed"."""
    write_story(content, "kept-story", title="The first telling")
    key = _key(content, tmp_path / "cache")
    story = content / "stories/kept-story/story.md"
    file_hashes.new_snapshot()
    FileHashes(None).sha256(story, snapshot=True)  # the build's first step
    story.write_bytes(story.read_bytes().replace(b"first", b"other"))
    assert _key(content, tmp_path / "cache") != key


def test_the_key_leaves_out_the_content_pelican_passes_over(content, tmp_path):
    """The editors' guide (content/README.md) and its screenshots are no page
    of the site (IGNORE_FILES): edited, ./dev publish and the content
    repository's workflow built the site again, to the same pages."""
    shots = content / "guide-screenshots"
    shots.mkdir(exist_ok=True)
    (shots / "1-stories.png").write_bytes(b"\x89PNG one")
    key = _key(content, tmp_path / "cache")
    (content / "README.md").write_text("How to add a story, said better.\n")
    (shots / "1-stories.png").write_bytes(b"\x89PNG two")
    (content / ".DS_Store").write_bytes(b"\0")
    assert _key(content, tmp_path / "cache") == key
    page = content / "pages" / "about.md"
    page.write_text(page.read_text() + "\nOne more line.\n")
    assert _key(content, tmp_path / "cache") != key


def test_the_key_holds_what_the_code_does_not_its_comments(content, tmp_path):
    """A comment or docstring corrected in the code, or a {# comment #} in a
    template, made `./dev publish` build the site again (minutes at 10,000
    stories), which then kept every page: the key counts code and templates
    as the stories' keys do. What they do still counts."""
    import shutil

    plugins, theme = tmp_path / "plugins", tmp_path / "theme"
    plugins.mkdir()
    shutil.copytree(PROJECT_ROOT / "theme", theme)
    helper = plugins / "helper_code.py"
    helper.write_text('"""Limits."""\n\nLIMIT = 3  # stories\n')

    def key() -> str:
        settings = read_settings(
            str(PROJECT_ROOT / "pelicanconf.py"),
            override={
                "PATH": str(content),
                "CACHE_PATH": str(tmp_path / "cache"),
                "THEME": str(theme),
                "PLUGIN_PATHS": [str(PROJECT_ROOT / "plugins"), str(plugins)],
            },
        )
        return build_inputs.site_key(settings, PROJECT_ROOT / "pelicanconf.py")

    before = key()
    helper.write_text('"""How many, at most."""\n\n# Stories a page.\nLIMIT = 3\n')
    article = theme / "templates" / "article.html"
    article.write_text("{# Each story's page. #}\n" + article.read_text())
    assert key() == before
    helper.write_text("LIMIT = 4\n")
    assert key() != before
    helper.write_text("LIMIT = 3\n")
    assert key() == before
    article.write_text(article.read_text().replace("<article", "<article data-v2"))
    changed = key()
    assert changed != before
    # In the content, every byte counts: it is what the site is made of.
    page = content / "pages" / "about.md"
    page.write_text(page.read_text() + "\n<!-- a comment -->\n")
    assert key() != changed


def test_an_output_is_right_until_the_moment_its_build_named():
    now = datetime.datetime(2026, 12, 3, 12, tzinfo=datetime.UTC)
    assert build_inputs.still_right({}, now)
    assert build_inputs.still_right({"valid_until": None}, now)
    assert build_inputs.still_right({"valid_until": "2026-12-04T00:00:00-05:00"}, now)
    assert not build_inputs.still_right(
        {"valid_until": "2026-12-03T07:00:00-05:00"}, now
    )
    assert not build_inputs.still_right({"valid_until": "not a moment"}, now)


def test_how_a_build_works_does_not_key_what_it_makes(content, tmp_path, capfd):
    """Emptying the output first or not, and the number of processes, change
    no file of the site: a build that differs only in those makes no story
    again (a build in place, then `./dev publish`, share one cache)."""
    output, cache = tmp_path / "public", tmp_path / "cache"
    told = ["--verbose"]  # the story pipeline's count is an INFO line
    build(content, output, cache, False, told, DELETE_OUTPUT_DIRECTORY=False)
    assert "made the outputs of 1 story" in said(capfd)
    build(content, output, cache, True, told, DELETE_OUTPUT_DIRECTORY=True)
    assert "made the outputs of 0 stories; kept those of 1" in said(capfd)
    build(content, output, cache, True, told, BUILD_WORKERS=1)
    assert "made the outputs of 0 stories; kept those of 1" in said(capfd)
    build(content, output, cache, True, told, SITEURL="https://elsewhere.example")
    assert "made the outputs of 1 story" in said(capfd)


@pytest.fixture
def fake_ffmpeg(tmp_path, monkeypatch):
    """An ``ffmpeg`` first on the PATH that prints a version line and notes
    each time it runs; the module's memo of it set back after."""
    folder = tmp_path / "bin"
    folder.mkdir()
    program, runs = folder / "ffmpeg", tmp_path / "runs"

    def install(version: str) -> None:
        program.write_text(
            f'#!/bin/sh\necho run >> "{runs}"\necho "ffmpeg version {version}"\n'
        )
        program.chmod(0o755)

    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    build_inputs.ffmpeg_version.cache_clear()
    yield install, lambda: len(runs.read_text().splitlines()) if runs.exists() else 0
    build_inputs.keep_ffmpeg_version(None)
    build_inputs.ffmpeg_version.cache_clear()


def test_ffmpeg_is_asked_its_version_once_for_its_bytes(fake_ffmpeg, tmp_path):
    """Running `ffmpeg -version` took 0.2 s of every build: its line is kept
    in the cache folder by the program's SHA-256. A build in a new process
    (the memo cleared) finds it there; another program is asked again."""
    install, runs = fake_ffmpeg
    install("6.1-test")
    build_inputs.keep_ffmpeg_version(tmp_path / "cache" / "ffmpeg-version.json")
    assert build_inputs.ffmpeg_version() == "ffmpeg version 6.1-test"
    assert runs() == 1
    build_inputs.ffmpeg_version.cache_clear()  # the next build's process
    assert build_inputs.ffmpeg_version() == "ffmpeg version 6.1-test"
    assert runs() == 1
    install("7.0-test")  # ffmpeg upgraded: other bytes
    build_inputs.ffmpeg_version.cache_clear()
    assert build_inputs.ffmpeg_version() == "ffmpeg version 7.0-test"
    assert runs() == 2
    build_inputs.keep_ffmpeg_version(None)  # no cache folder: asked each process
    assert build_inputs.ffmpeg_version() == "ffmpeg version 7.0-test"
    assert runs() == 3
