"""Publishing tells the truth: what `publish` says happened, happened.

A story an editor meant to be public never vanishes quietly from a
production build; `publish` with nowhere to send the site says it sent it
nowhere; messages say what to write, in an editor's words."""

from __future__ import annotations

import datetime
import os
import pathlib
import re
import subprocess
import sys

import pytest

from portal import checking
from portal.problems import StoryContentError
from tests.stories import write_story
from tests.support import (
    LEAN,
    PROJECT_ROOT,
    build_site,
    check_content,
    copy_content,
    invoke,
    renditions_cache,
)

S = "content/stories"
APPROVAL = {
    "approved_by": "Test Editor",
    "approved_on": datetime.date(2019, 11, 1),
    "releases_signed": True,
}


def test_publish_without_a_deploy_target_says_it_deployed_nothing(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "good-story")
    output = tmp_path / "output"
    env = {"DEPLOY_TARGETS": "", "STORY_MEDIA_URL": ""}
    run = invoke("publish", "--content", str(content), "--output", str(output), env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (output / "stories/good-story/index.html").is_file()
    assert f"The production site is in {output}." in run.stdout
    assert "Deployed nothing: no deploy target is set." in run.stdout
    assert "Published" not in run.stdout


# Stories whose front matter says they should be public, each with one
# mistake that holds them back: the production build must stop on them.
MEANT_PUBLIC = {
    "capital-status": (
        {"status": "Published"},
        f"{S}/capital-status/story.md:22: status: 'Published' must be written in"
        " lowercase - use draft while you work on it, published when it should go"
        " public",
    ),
    "misspelled-approval": (
        {"approval": None, "aproval": APPROVAL},
        f"{S}/misspelled-approval/story.md:23: aproval: is not a field we know -"
        " did you mean 'approval'?",
    ),
    "signed-yes-and-another-error": (
        {
            "relationship": "rivals",
            "approval": {**APPROVAL, "releases_signed": "yes"},
        },
        f"{S}/signed-yes-and-another-error/story.md:11: relationship: 'rivals' is"
        " not one of the choices - use one of: strangers, family, friends,"
        " colleagues, neighbors, acquaintances",
    ),
    "forgotten-releases": (
        {"approval": {k: v for k, v in APPROVAL.items() if k != "releases_signed"}},
        f"{S}/forgotten-releases/story.md:23: approval.releases_signed: is required"
        " but missing - add 'releases_signed:' under 'approval:', true once every"
        " participant has signed the release (false until then)",
    ),
}
# Mistakes in stories that say "not yet" in so many words: held back, and
# the production build goes on without them.
NOT_YET = {
    "draft-with-typo": {"status": "draft", "approval": None, "aproval": APPROVAL},
    "unsigned-with-typo": {
        "relationship": "rivals",
        "approval": {**APPROVAL, "releases_signed": False},
    },
    "no-approval-with-typo": {"approval": None, "relationship": "rivals"},
}


@pytest.fixture(scope="module")
def meant_public(tmp_path_factory):
    content = copy_content(tmp_path_factory.mktemp("meant") / "content")
    write_story(content, "good-story")
    for slug, (overrides, _) in MEANT_PUBLIC.items():
        write_story(content, slug, **overrides)
    for slug, overrides in NOT_YET.items():
        write_story(content, slug, **overrides)
    return content


def test_a_story_meant_to_be_public_stops_the_production_build(meant_public, tmp_path):
    with pytest.raises(StoryContentError) as caught:
        build_site(meant_public, tmp_path / "output", "publishconf.py")
    report = str(caught.value)
    named, problems = report.split("Fix every problem below", 1)
    for slug, (_, message) in MEANT_PUBLIC.items():
        assert f"  {S}/{slug}/story.md\n" in named
        assert message in problems
    for slug in NOT_YET:
        assert slug not in report
    assert not (tmp_path / "output" / "index.html").exists()


def test_the_check_names_the_same_stories_as_blocking(meant_public, tmp_path):
    result = check_content(meant_public, tmp_path / "check-cache")
    assert sorted(result.blocked) == sorted(
        f"{S}/{slug}/story.md" for slug in MEANT_PUBLIC
    )
    errors = [str(problem) for problem in result.errors]
    for _, message in MEANT_PUBLIC.values():
        assert any(error.startswith(message) for error in errors), message


# --- front matter the build refuses, files it skips -------------------------


def test_a_key_written_twice_is_refused(tmp_path):
    content = copy_content(tmp_path / "content")
    front = (
        "id: test-twice\n"
        "status: draft\n"
        "title: First title\n"
        "title: Second title\n"
        "status: published\n"
    )
    folder = write_story(content, "twice")
    text = (folder / "story.md").read_text()
    (folder / "story.md").write_text(text.replace("---\n", "---\n" + front, 1))
    (folder / "story.md").write_text(
        # The generated fields after ours: drop their own id/title/status.
        "\n".join(
            line
            for line in (folder / "story.md").read_text().splitlines()
            if not line.startswith(
                ("id: test-twice-", "title: Conversation", "status:")
            )
            or line in front
        )
    )
    result = check_content(content, tmp_path / "check-cache")
    errors = [str(problem) for problem in result.errors]
    assert errors == [
        f"{S}/twice/story.md:5: front matter: 'title' is written twice, on lines 4"
        " and 5 - keep only the one with the value you mean and delete the other"
    ]
    # Which status was meant cannot be told: the production build stops.
    assert result.blocked == [f"{S}/twice/story.md"]


def test_a_key_written_twice_in_a_data_file_is_refused(tmp_path):
    content = copy_content(tmp_path / "content")
    questions = content / "data" / "questions.yml"
    text = questions.read_text()
    first_key = next(
        line for line in text.splitlines() if line.lstrip().startswith("question:")
    )
    questions.write_text(text.replace(first_key, f"{first_key}\n{first_key}", 1))
    line = text.splitlines().index(first_key) + 2
    result = check_content(content, tmp_path / "check-cache")
    assert [str(p) for p in result.errors if "questions.yml" in p.path] == [
        f"content/data/questions.yml:{line}: file: '0.question' is written twice,"
        f" on lines {line - 1} and {line} - keep only the one with the value you"
        " mean and delete the other"
    ]


def test_an_unknown_key_is_refused_with_the_field_meant(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "typo", status="draft", stauts="published")
    result = check_content(content, tmp_path / "check-cache")
    assert [str(problem) for problem in result.errors] == [
        f"{S}/typo/story.md:27: stauts: is not a field we know - did you mean 'status'?"
    ]


def test_skipped_story_files_are_named_with_the_reason(tmp_path, capsys):
    content = copy_content(tmp_path / "content")
    write_story(content, "good-story")
    write_story(content, ".hidden-story")
    # A name pelicanconf.py's IGNORE_FILES passes over, as Pelican does.
    write_story(content, "guide-screenshots")
    folder = write_story(content, "saved-as-text")
    (folder / "story.md").rename(folder / "story.md.txt")
    folder = write_story(content, "two-files")
    (folder / "notes.md").write_text("Notes for the editor, not a story.\n")
    (content / "stories" / "only-audio").mkdir()
    (content / "stories" / "only-audio" / "talk.mp3").write_bytes(b"ID3")

    expected = [
        f"{S}/.hidden-story:1: folder: skipped: the folder name '.hidden-story' starts"
        " with '.', which hides it, so its story is never read - rename the folder"
        " to 'hidden-story' (lowercase letters, digits and hyphens)",
        f"{S}/guide-screenshots:1: folder: skipped: the site's settings tell the"
        " build to pass over folders named 'guide-screenshots' (IGNORE_FILES in"
        " pelicanconf.py), so its story is never read - rename the folder"
        " (lowercase letters, digits and hyphens, not 'guide-screenshots')",
        f"{S}/only-audio:1: folder: skipped: the folder has no story.md, so nothing"
        " in it is read - add a story.md (`./dev new-story` makes one), or move the"
        " folder out of the stories",
        f"{S}/saved-as-text/story.md.txt:1: file: skipped: the folder has no"
        " story.md, only 'story.md.txt', so its story is never read - rename"
        " 'story.md.txt' to story.md (your editor may have added '.txt'; show file"
        " extensions to see it)",
        f"{S}/two-files/notes.md:1: file: skipped: a story folder holds one story,"
        " in story.md, so 'notes.md' is not read - move 'notes.md' out of the story"
        " folder (or delete it); the story itself goes in story.md",
    ]
    result = check_content(content, tmp_path / "check-cache")
    assert result.errors == []
    warnings = [str(p) for p in result.warnings if p.path.startswith(S)]
    assert warnings == expected
    assert result.published == 2  # good-story and two-files' story.md

    capsys.readouterr()
    output = build_site(content, tmp_path / "output", **LEAN)
    printed = capsys.readouterr().out
    assert (output / "stories/two-files/index.html").is_file()
    assert "  skipped: content/stories/two-files/notes.md: a story folder" in printed
    assert "  skipped: content/stories/.hidden-story: the folder name" in printed
    assert "  skipped: content/stories/guide-screenshots: the site's" in printed
    assert not (output / "stories/guide-screenshots").exists()


# --- `check` sees what `publish` sees ----------------------------------------


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# Mistakes in content/data/*.yml, each as an editor makes it.
DATA_MISTAKES = {
    "owner email": lambda data: _replace(
        data / "podcast.yml",
        "email: onesmallstep@storycorps.org",
        "email: onesmallstep.storycorps.org",
    ),
    "podcast guid missing": lambda data: _replace(
        data / "podcast.yml", "\nguid:", "\n# guid:"
    ),
    "form action javascript:": lambda data: _replace(
        data / "forms.yml", 'action: ""', 'action: "javascript:alert(1)"'
    ),
    "form action http://": lambda data: _replace(
        data / "forms.yml", 'action: ""', 'action: "http://example.org/subscribe"'
    ),
    "funder logo outside the folder": lambda data: _replace(
        data / "funders.yml",
        "url: https://www.cisco.com/",
        "url: https://www.cisco.com/\n    logo: ../../secret.png",
    ),
    "questions key written twice": lambda data: _replace(
        data / "questions.yml", "- key:", "- key: first\n  key:"
    ),
}


@pytest.mark.parametrize("mistake", DATA_MISTAKES)
def test_check_reports_every_data_file_error_publish_stops_on(mistake, tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "good-story")
    DATA_MISTAKES[mistake](content / "data")

    with pytest.raises(StoryContentError) as caught:
        build_site(content, tmp_path / "output", "publishconf.py")
    stopped_on = [str(problem) for problem in caught.value.problems]
    assert stopped_on and all("content/data/" in p for p in stopped_on), stopped_on

    result = check_content(content, tmp_path / "check-cache")
    assert not result.ok
    assert set(stopped_on) <= {str(problem) for problem in result.errors}
    assert "No errors." not in checking.format_report(result)


@pytest.mark.parametrize("mistake", ["owner email", "form action javascript:"])
def test_a_development_build_reports_a_data_file_error_and_goes_on(
    mistake, tmp_path, caplog
):
    content = copy_content(tmp_path / "content")
    write_story(content, "good-story")
    DATA_MISTAKES[mistake](content / "data")
    output = build_site(content, tmp_path / "output", **LEAN)
    assert (output / "stories/good-story/index.html").is_file()
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert errors and all(r.exc_info is None for r in errors)
    assert any("content/data/" in r.getMessage() for r in errors)


def test_check_runs_every_generator_a_build_runs(tmp_path):
    """One code path: the check runs each generator's context as the build
    does, but for those that declare they check nothing (and report nothing)."""
    from pelican import Pelican
    from pelican.settings import read_settings

    from portal import locks, pelican_private

    settings = read_settings(
        str(PROJECT_ROOT / "publishconf.py"), override={"CACHE_PATH": str(tmp_path)}
    )
    try:
        pelican = Pelican(settings)  # takes the cache's lock (shared_cache)
    finally:
        locks.release_cache(settings["CACHE_PATH"])
    skipped = [
        cls
        for cls in pelican_private.generator_classes(pelican)
        if getattr(cls, "checks_content", True) is False
    ]
    for cls in skipped:
        source = pathlib.Path(sys.modules[cls.__module__].__file__)
        text = source.read_text(encoding="utf-8")
        for reporting in ("report_problems", "record_problems", "StoryContentError"):
            assert reporting not in text, f"{cls.__name__} reports problems"
    assert [cls.__name__ for cls in skipped] == [
        "StoryEmbedsGenerator",
        "StoryPipeline",
    ]


# --- words an editor can act on --------------------------------------------


def _line(folder, start: str) -> int:
    lines = (folder / "story.md").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(start))


def test_messages_in_an_editors_words(tmp_path):
    content = copy_content(tmp_path / "content")
    chapters = [
        {"start": "0:00", "title": "Hello"},
        {"start": "0:01", "title": "Growing up"},
        {"start": "0:02", "title": "Work"},
        {"start": "1:xx", "title": "Where we grew up"},
    ]
    folders = {
        "us-date": write_story(
            content,
            "us-date",
            date="09/14/2024",
            approval={**APPROVAL, "approved_on": "14.09.2024"},
        ),
        "blank-title": write_story(content, "blank-title", title="   "),
        "no-alt": write_story(content, "no-alt", image="portrait.jpg"),
        "chapter-start": write_story(content, "chapter-start", chapters=chapters),
        "odd-topics": write_story(content, "odd-topics", topics=["faith", "!!!", "🙂"]),
    }
    (folders["no-alt"] / "portrait.jpg").write_bytes(b"")
    result = check_content(content, tmp_path / "check-cache")
    errors = [str(problem) for problem in result.errors]

    QUOTED = "- '!!!'"

    def at(slug, start):
        return f"{S}/{slug}/story.md:{_line(folders[slug], start)}"

    expected = [
        f"{at('blank-title', 'title:')}: title: is empty - write the story's title,"
        " in quotes if it contains a colon",
        f"{at('chapter-start', '- start: 1:xx')}: chapters.3.start: chapter 4"
        " ('Where we grew up'): '1:xx' is not a time like 4:05 or 1:02:03 - write"
        " when the chapter starts in the audio, like 4:05",
        f"{at('no-alt', 'image:')}: image_alt: is missing, so the picture has no"
        " description - add image_alt: what the picture shows, in a sentence, for"
        " people who cannot see it",
        f"{at('odd-topics', QUOTED)}: topics.1: the topic '!!!' has no letters or"
        " digits, so it cannot become a web address (/topics/.../) - write the"
        " topic in words, like 'faith' or 'small towns'",
        f"{at('odd-topics', '- 🙂')}: topics.2: the topic '🙂' has no letters or"
        " digits, so it cannot become a web address (/topics/.../) - write the"
        " topic in words, like 'faith' or 'small towns'",
        f"{at('us-date', 'date:')}: date: '09/14/2024' is not a date in the form we"
        " read - write it as YYYY-MM-DD, like 2024-09-14",
        f"{at('us-date', '  approved_on:')}: approval.approved_on: '14.09.2024' is"
        " not a date in the form we read - write it as YYYY-MM-DD, like 2024-09-14",
    ]
    assert sorted(errors) == sorted(expected)


def _pelican(content, output, tmp_path, settings_file, *settings):
    """``python -m pelican`` as ./dev runs it (wide, so no line is wrapped),
    with the run's renditions (``tests.support.invoke``'s way): a cold cache
    encoded each story's audio again."""
    command = [
        sys.executable, "-m", "pelican", str(content), "-s", settings_file,
        "-o", str(output), "-e", f'CACHE_PATH="{tmp_path / "cache"}"', *settings,
    ]  # fmt: skip
    env = {
        **os.environ,
        "COLUMNS": "400",
        "AUDIO_RENDITION_CACHE_PATH": renditions_cache(),
        "AUDIO_RENDITION_PRUNE": "no",
    }
    return subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
    )


def test_a_stopped_build_prints_the_message_without_a_traceback(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "good-story")
    write_story(content, "capital-status", status="Published")
    run = _pelican(content, tmp_path / "output", tmp_path, "publishconf.py")
    printed = run.stdout + run.stderr
    assert run.returncode != 0
    assert "The build stopped. This story is set to be published" in printed
    assert (
        f"{S}/capital-status/story.md:22: status: 'Published' must be written in"
        " lowercase" in printed
    )
    assert "Traceback" not in printed and "StoryContentError" not in printed
    # No source references (gate.py:254) at the ends of log lines.
    assert not re.search(r"\b\w+\.py:\d+\s*$", printed, re.MULTILINE), printed


def test_the_closing_counts_agree_with_the_summary_in_a_preview(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "good-story")
    write_story(content, "a-draft", status="draft")
    # Neither the editing UI (Brotli on Decap CMS's 5 MB was 8 of this
    # build's 11 s of CPU), the compressed copies nor the search index is
    # counted in either line.
    run = _pelican(
        content, tmp_path / "output", tmp_path, "pelicanconf.py", "STORY_PREVIEW=true",
        "EDITING_UI=false", "PRECOMPRESS=false", "SITE_SEARCH_INDEX=false",
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Build summary: 1 story ready to publish, 1 held back" in run.stdout
    assert "Done: Processed 1 article, 1 draft," in run.stdout
    # The draft is still shown, bannered, in the preview.
    assert (tmp_path / "output/stories/a-draft/index.html").is_file()
