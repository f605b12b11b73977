"""`invoke check`: every kind of content problem, its exact message, its line.

One content folder holds a story (or page) for each kind of problem; the
check runs once over it, in-process, and each test looks up one message.
The command itself runs too (exit status, GitHub annotations), and a real
build of the same content reports the same problems: one implementation."""

from __future__ import annotations

import datetime
import logging
import pathlib
import re

import pytest
from PIL import Image

from portal import checking, job_summary
from portal.problems import Problem, Severity
from tests.listening import GOOD_VTT, write_transcript_story
from tests.stories import write_story
from tests.support import (
    LEAN,
    PROJECT_ROOT,
    build_site,
    built_once,
    copy_content,
    images_shared,
    invoke,
)
from tests.test_audio_rendition import _sox

NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
APPROVAL = {
    "approved_by": "Test Editor",
    "approved_on": datetime.date(2019, 11, 1),
    "releases_signed": True,
}
LFS_POINTER = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    "size 12345\n"
)


def make_broken_content(content: pathlib.Path) -> None:
    """A good story, a draft, and one story or page for each kind of problem."""
    write_story(content, "good-story")
    write_story(content, "a-draft", status="draft")
    write_story(content, "unknown-field", titel="Typo")
    write_story(content, "missing-field", relationship=None)
    write_story(content, "wrong-value", relationship="rivals")
    write_story(content, "naive-time", date=datetime.datetime(2019, 10, 12, 14, 30))
    write_story(content, "future-date", date=datetime.date(2030, 1, 1))
    # Days to come (NOW is 2026-11-01): an approval dated ahead does not
    # schedule anything; a day to go public more than a year away is most
    # likely a wrong year; a scheduled draft waits for more than its day.
    ahead = {**APPROVAL, "approved_on": datetime.date(2027, 1, 10)}
    write_story(content, "approved-ahead", approval=ahead, topics=["faith"])
    far = datetime.date(2062, 1, 10)
    write_story(content, "scheduled-far", published=far, topics=["faith"])
    soon = datetime.date(2026, 12, 1)
    write_story(
        content, "scheduled-draft", published=soon, status="draft", topics=["faith"]
    )
    write_story(
        content,
        "half-approved",
        approval={"approved_by": "Ed", "approved_on": datetime.date(2019, 11, 1)},
    )
    write_story(content, "missing-audio", audio_fixture=None, audio="gone.mp3")
    folder = write_story(content, "noise-audio", audio_fixture=None, audio="noise.mp3")
    (folder / "noise.mp3").write_bytes(b"\x00" * 5000)
    # Four seconds of digital silence: a warning, the story is published.
    folder = write_story(content, "silent-audio", audio_fixture=None, audio="room.wav")
    _sox(folder / "room.wav", "sine", "300", "vol", "0")
    folder = write_story(content, "lfs-pointer", audio_fixture=None)
    (folder / "speech.mp3").write_text(LFS_POINTER)
    write_story(content, "outside-audio", audio="../good-story/speech.mp3")
    write_story(
        content,
        "chapters-backwards",
        chapters=[{"start": "0:03", "title": "B"}, {"start": "0:01", "title": "A"}],
    )
    write_story(
        content,
        "chapter-too-late",
        chapters=[
            {"start": "0:00", "title": "Hello"},
            {"start": "9:00", "title": "Gone"},
        ],
    )
    # 90:00 is 90 minutes: past the end of a short recording.
    chapters = [
        {"start": "0:00", "title": "Hello"},
        {"start": "90:00", "title": "Late"},
    ]
    write_story(content, "chapter-in-minutes", chapters=chapters, topics=["faith"])
    write_story(
        content,
        "quote-too-late",
        quote={"start": "0:00", "end": "0:20", "text": "Words said."},
    )
    write_story(content, "missing-image", image="portrait.jpg", image_alt="Two people")
    folder = write_story(
        content, "damaged-image", image="portrait.jpg", image_alt="Two people"
    )
    (folder / "portrait.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG")
    folder = write_story(
        content, "misnamed-image", image="portrait.jpg", image_alt="Two people"
    )
    Image.new("RGB", (40, 30), "teal").save(folder / "portrait.jpg", "PNG")
    folder = write_story(content, "gif-image", image="portrait.gif", image_alt="Two")
    Image.new("RGB", (40, 30), "teal").save(folder / "portrait.gif", "GIF")
    write_story(content, "same-id-one", id="oss-2019-0042")
    write_story(content, "same-id-two", id="oss-2019-0042")
    write_story(content, "Same-Folder", id="test-same-folder-upper")
    write_story(content, "same-folder", id="test-same-folder-lower")
    write_story(
        content,
        "link-to-nowhere",
        body="Intro.\n\nSee [that talk]({filename}../no-such-story/story.md).",
    )
    write_story(
        content,
        "link-to-draft",
        body="Intro.\n\nSee [that talk]({filename}../a-draft/story.md).",
    )
    write_story(content, "broken-yaml", raw_front_matter="title: [unclosed\n")
    # A transcript's NOTE chapter naming a question key the guide lacks.
    vtt = GOOD_VTT.replace("question: parents", "question: kindnes")
    write_transcript_story(content, "note-question", vtt, topics=["faith"])
    # A topic one letter short of one the sample stories have.
    write_story(content, "topic-typo", topics=["famly", "Tulsa history", "Family"])
    folder = content / "stories" / "latin-1"
    folder.mkdir()
    (folder / "story.md").write_bytes("---\ntitle: Café\n---\n".encode("latin-1"))
    (content / "pages" / "bad-menu.md").write_text(
        "---\ntitle: Bad menu\nmenu: first\n---\nText.\n", encoding="utf-8"
    )
    # A picture in content/images/ (copied as it is) over the pixel limit.
    (content / "images").mkdir(exist_ok=True)
    Image.new("1", (8000, 6000)).save(content / "images" / "banner.png")
    (content / "pages" / "links.md").write_text(
        "---\ntitle: Links\n---\nAn introduction.\n\n"
        "See [a talk]({filename}../stories/not-there/story.md).\n",
        encoding="utf-8",
    )


def run_check(content: pathlib.Path, tmp: pathlib.Path) -> checking.CheckResult:
    # A new cache started with the run's pictures and logos: the check draws
    # the show's cover and the funders' logos as a build does.
    with images_shared(tmp / "cache"):
        return checking.check_content(
            PROJECT_ROOT / "publishconf.py",
            content_path=content,
            overrides={
                "CACHE_PATH": str(tmp / "cache"),
                "OUTPUT_PATH": str(tmp / "output"),
                "STORY_NOW": NOW,
            },
        )


@pytest.fixture(scope="module")
def broken(request):
    def check(tmp):
        content = copy_content(tmp / "content")
        make_broken_content(content)
        return tmp, content, run_check(content, tmp)

    return built_once(request, check)


S = "content/stories"
# Each kind of problem: the exact line `invoke check` prints for it.
ERRORS = {
    "unknown field": f"{S}/unknown-field/story.md:27: titel: is not a field we know"
    " - did you mean 'title'?",
    "required field": f"{S}/missing-field/story.md:2: relationship: is required but"
    " missing - add relationship: one of: strangers, family, friends, colleagues,"
    " neighbors, acquaintances",
    "value not allowed": f"{S}/wrong-value/story.md:11: relationship: 'rivals' is"
    " not one of the choices - use one of: strangers, family, friends, colleagues,"
    " neighbors, acquaintances",
    "time without zone": f"{S}/naive-time/story.md:5: date: the time has no time zone;"
    " add one like 2019-10-12 14:30:00-05:00 or write only the date - the day it"
    " was recorded, as YYYY-MM-DD",
    "future date": f"{S}/future-date/story.md:5: date: the recording date 2030-01-01"
    " is in the future - write the day the conversation was recorded",
    "approval incomplete": f"{S}/half-approved/story.md:23: approval.releases_signed:"
    " is required but missing - add 'releases_signed:' under 'approval:', true"
    " once every participant has signed the release (false until then)",
    "audio missing": f"{S}/missing-audio/story.md:17: audio: 'gone.mp3' does not"
    " exist in the story folder - add the file or correct the name in the front"
    " matter",
    "audio unreadable": f"{S}/noise-audio/story.md:17: audio: 'noise.mp3' cannot be"
    " read as audio, it is damaged or cut short (can't sync to MPEG frame) -"
    " export the audio again from your editor; the file is damaged",
    "audio is a Git LFS pointer": f"{S}/lfs-pointer/story.md:17: audio: 'speech.mp3'"
    " is a Git LFS pointer, not the audio itself - install Git LFS and run 'git"
    " lfs pull' to fetch the audio",
    "audio outside the folder": f"{S}/outside-audio/story.md:17: audio:"
    " '../good-story/speech.mp3' points outside the story folder - give just the"
    " file's name, and keep the file in the story's folder",
    "chapters out of order": f"{S}/chapters-backwards/story.md:27: chapters: chapter"
    " start times must go up, each later than the last - a list of chapters,"
    " each with 'start:' (like 4:05) and 'title:'",
    "chapter after the end": f"{S}/chapter-too-late/story.md:30: chapters.1.start:"
    " chapter 2 ('Gone') starts at 9:00, but the audio ends at 0:03 - correct the"
    " start time, written as minutes:seconds (4:05) or hours:minutes:seconds"
    " (1:02:03), or check that 'audio' names the right file",
    # What was written, and how it is read: the hours' form names it.
    "chapter time in minutes": f"{S}/chapter-in-minutes/story.md:29:"
    " chapters.1.start: chapter 2 ('Late') starts at 90:00, read as 90 minutes"
    " (1:30:00), but the audio ends at 0:03 - correct the start time, written as"
    " minutes:seconds (4:05) or hours:minutes:seconds (1:02:03), or check that"
    " 'audio' names the right file",
    "quote after the end": f"{S}/quote-too-late/story.md:29: quote.end: the quote"
    " ends at 0:20, but the audio ends at 0:03 - correct the quote's times, or"
    " check that 'audio' names the right file",
    "image missing": f"{S}/missing-image/story.md:27: image: 'portrait.jpg' does not"
    " exist in the story folder - add the picture or correct the name in the"
    " front matter",
    "image damaged": f"{S}/damaged-image/story.md:27: image: 'portrait.jpg' is"
    " damaged or not a picture (Truncated File Read) - export it again as JPEG"
    " or PNG",
    "image misnamed": f"{S}/misnamed-image/story.md:27: image: 'portrait.jpg' holds a"
    " PNG picture but is named .jpg - rename it to end in .png",
    "image format": f"{S}/gif-image/story.md:27: image: 'portrait.gif' is not a"
    " picture format every browser shows - export it as JPEG (.jpg) or PNG (.png)",
    "duplicate id": f"{S}/same-id-one/story.md:2: id: the id 'oss-2019-0042' is also"
    f" used by {S}/same-id-two/story.md - give each story its own id; never"
    " change the id of a story that is already public",
    "duplicate id, other side": f"{S}/same-id-two/story.md:2: id: the id"
    f" 'oss-2019-0042' is also used by {S}/same-id-one/story.md - give each story"
    " its own id; never change the id of a story that is already public",
    "duplicate folder": f"{S}/Same-Folder/story.md:1: folder: the folder name"
    " 'Same-Folder' differs only in capital letters from"
    f" {S}/same-folder/story.md, so both would have the same address - rename"
    " one of the folders; use only lowercase letters, digits and hyphens",
    "duplicate folder, other side": f"{S}/same-folder/story.md:1: folder: the folder"
    " name 'same-folder' differs only in capital letters from"
    f" {S}/Same-Folder/story.md, so both would have the same address - rename"
    " one of the folders; use only lowercase letters, digits and hyphens",
    "link to a missing story": f"{S}/link-to-nowhere/story.md:30: body: the link"
    " {filename}../no-such-story/story.md points to"
    f" {S}/no-such-story/story.md, which does not exist - correct the path;"
    " another story is linked as {filename}../<its folder>/story.md",
    # The NOTE's line in the transcript, not story.md's first line.
    "transcript NOTE's question": f"{S}/note-question/transcript.vtt:5: transcript:"
    " chapter 1 ('Where we grew up') answers 'kindnes', which is not a question"
    " in content/data/questions.yml - did you mean 'kindness'? use one of the"
    " keys in content/data/questions.yml: why-here, parents, first-politics,"
    " shaped-views, views-changed, kindness, admire-other-side, future-fears",
    "broken YAML": f"{S}/broken-yaml/story.md:3: front matter: the YAML cannot be"
    " read (did not find expected ',' or ']') - check the indentation and put"
    " quotes around values with a colon or that start with a special character",
    "not UTF-8": f"{S}/latin-1/story.md:2: file: is not UTF-8 text (byte 14) - save"
    " the file as UTF-8 in your editor",
    "static picture too large": "content/images/banner.png:1: file: 'banner.png'"
    " is 8000 x 6000 pixels, more than the 40 million a picture may have -"
    " export it at most 3000 pixels wide (or remove it from the folder)",
    "page field": "content/pages/bad-menu.md:3: menu: 'first' is not a whole"
    " number - write a whole number, like 2",
}
WARNINGS = {
    "page link to a missing story": "content/pages/links.md:6: body: the link"
    " {filename}../stories/not-there/story.md points to"
    f" {S}/not-there/story.md, which does not exist - correct the path; another"
    " story is linked as {filename}../<its folder>/story.md",
    # An approval's day does not hold a story back: it is published.
    "approval to come": f"{S}/approved-ahead/story.md:24: approval.approved_on:"
    " the approval is dated 2027-01-10, a day still to come, and does not hold"
    " the story back - write the day it was approved; for the story to go public"
    " on a later day, write that day as published:",
    # Its approval (2019-11-01) comes before its recording (2030): a typo.
    "approval before the recording": f"{S}/future-date/story.md:25:"
    " approval.approved_on: the story is approved on 2019-11-01, before the"
    " conversation was recorded (2030-01-01) - check the day and the year; if the"
    " recording date is wrong, correct date: instead",
    "link to a held-back story": f"{S}/link-to-draft/story.md:30: body: the link"
    " {filename}../a-draft/story.md goes to a story that is not public (status"
    " is 'draft'), so it is shown as plain text - publish that story first, or"
    " remove the link",
    "scheduled years ahead": f"{S}/scheduled-far/story.md:26: published: the"
    " story is to go public on 2062-01-10, more than a year from now - check the"
    " day and the year; the story stays off the site until that day",
    # What the build says of the master (plugins/audio_rendition): the check
    # makes the rendition as the build does, into the cache the build uses.
    "silent audio": f"{S}/silent-audio/story.md:17: audio: 'room.wav' is silent:"
    " it holds no sound loud enough to measure - check that the right file is"
    " committed, and export it again",
    "topic typo": f"{S}/topic-typo/story.md:19: topics.0: 'famly' is a topic no"
    " other story has, spelled almost like 'family', which other stories have -"
    " if you meant 'family', write that; if 'famly' is a new topic, leave it",
    # Pelican gives both one page (/topics/family/) but each story shows its own.
    "topic spelled another way": f"{S}/topic-typo/story.md:21: topics.2: 'Family'"
    " is written 'family' by 20 other stories, and both go to one topic page"
    " (/topics/family/) - write 'family', as they do",
}


@pytest.mark.parametrize("kind", ERRORS)
def test_each_kind_of_error_has_its_message_path_and_line(broken, kind):
    _, _, result = broken
    assert ERRORS[kind] in [str(problem) for problem in result.errors]


@pytest.mark.parametrize("kind", WARNINGS)
def test_each_kind_of_warning_has_its_message_path_and_line(broken, kind):
    _, _, result = broken
    assert WARNINGS[kind] in [str(problem) for problem in result.warnings]


def test_nothing_else_is_reported(broken):
    _, _, result = broken
    assert sorted(str(p) for p in result.errors) == sorted(ERRORS.values())
    # The podcast artwork plugin also warns about pictures that cannot be
    # episode art (too small, damaged), and the project's own data files
    # (copied in) may have warnings of their own (forms not connected yet);
    # every other warning is listed here.
    others = [
        str(p)
        for p in result.warnings
        if p.field != "image" and not p.path.startswith("content/data/")
    ]
    assert others == list(WARNINGS.values())
    assert result.messages == []


def test_a_missing_picture_is_said_once(broken):
    """Not again as a warning that it "cannot be read", as if it were there."""
    _, _, result = broken
    said = [str(p) for p in result.problems if "/missing-image/" in p.path]
    assert said == [ERRORS["image missing"]]


def test_the_check_writes_no_site(broken):
    tmp, _, _ = broken
    assert not (tmp / "output").exists()


def test_held_back_stories_and_the_summary(broken):
    _, _, result = broken
    held = dict(result.held_back)
    assert held[f"{S}/a-draft/story.md"] == ["status is 'draft'"]
    assert held[f"{S}/lfs-pointer/story.md"] == ["content errors in audio"]
    # Counted from 1, as the editor counts (chapters.1.start reads as chapter 1).
    assert held[f"{S}/chapter-too-late/story.md"] == [
        "content errors in chapter 2's start"
    ]
    # Only the good story, the one linking to the draft, the one with a
    # topic like another's, the one with a silent master and the one approved
    # on a day to come (warnings) are published.
    assert result.published == 5
    assert f"{S}/missing-audio/story.md" in result.blocked
    assert f"{S}/a-draft/story.md" not in result.blocked
    # Held back only until its day: said as the guide says it.
    assert held[f"{S}/scheduled-far/story.md"] == [
        "scheduled: goes public with the first publish on or after 2062-01-10"
    ]
    # Not only its day holds it back: no promise.
    assert held[f"{S}/scheduled-draft/story.md"] == [
        "status is 'draft'",
        "scheduled for 2026-12-01",
    ]
    report = checking.format_report(result)
    warnings = checking.plural(result.warning_count, "warning")
    assert report.splitlines()[-1] == (
        f"Checked 34 stories: 5 ready to publish, 29 held back; {len(ERRORS)} errors,"
        f" {warnings}."
    )
    errors_at = report.index(f"{len(ERRORS)} errors (fix these):")
    warnings_at = report.index(f"{warnings}:")
    assert errors_at < report.index(ERRORS["unknown field"]) < warnings_at
    assert warnings_at < report.index(WARNINGS["link to a held-back story"])
    assert "Held back (not on the public site):" in report
    assert f"  {S}/a-draft/story.md: status is 'draft'" in report


def test_the_build_reports_the_same_problems(broken, tmp_path, caplog):
    """One implementation: a development build logs every problem the check
    lists, and holds back every story the check says it holds back."""
    _, content, result = broken
    caplog.set_level(logging.WARNING)
    # The check judges content by the production settings (a form with no
    # action is a warning there, while development posts it to ./dev serve):
    # the same settings, not strict, so the build reports instead of stopping.
    output = build_site(
        content,
        tmp_path / "output",
        "publishconf.py",
        STORY_NOW=NOW,
        STORY_STRICT=False,
        **LEAN,
    )
    logged = {r.getMessage() for r in caplog.records}
    for problem in result.problems:
        # (Data-file plugins put their name first: "[signup_forms] ...".)
        assert any(message.endswith(str(problem)) for message in logged), problem
    built = {p.name for p in (output / "stories").iterdir() if p.is_dir()}
    assert built == {
        "good-story",
        "link-to-draft",
        "topic-typo",
        "silent-audio",
        "approved-ahead",
    }
    assert not (output / "images" / "banner.png").exists()  # refused, not copied


def test_a_clean_content_folder_passes(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "good-story")
    write_story(content, "a-draft", status="draft", approval=None)
    result = run_check(content, tmp_path)
    assert result.ok
    # The project's own data files, copied in, may warn (forms not connected
    # yet); nothing else may.
    data_warnings = [p for p in result.problems if p.path.startswith("content/data/")]
    assert all(not p.is_error for p in data_warnings)
    assert result.problems == data_warnings
    report = checking.format_report(result)
    warnings = checking.plural(len(data_warnings), "warning")
    assert report.splitlines()[-2:] == [
        "No errors.",
        f"Checked 2 stories: 1 ready to publish, 1 held back; 0 errors, {warnings}.",
    ]
    # Its master is new: the check encodes it and says how loud it is (the
    # build after the check finds it made, and does not list it).
    levels = re.compile(
        rf"^  {S}/good-story/speech\.mp3: -?\d+\.\d LUFS, true peak -?\d+\.\d dBTP"
        r" -> -1[5-7]\.\d LUFS, true peak -\d\.\d dBTP$",
        re.M,
    )
    assert report.startswith(
        "Podcast audio encoded by this check, master -> rendition:\n"
    )
    assert levels.search(report)
    # So does the job summary, on the run's page on GitHub.
    page = job_summary.check(result, root=tmp_path)
    assert re.search(
        r"\n### New podcast audio: loudness before and after\n\n"
        rf"- Conversation good-story \({S}/good-story/\): speech\.mp3: "
        r"-?\d+\.\d LUFS, true peak -?\d+\.\d dBTP -&gt; -1[5-7]\.\d LUFS",
        page,
    )
    # Checked again: nothing encoded, nothing said, unless every story's
    # levels are asked for.
    again = run_check(content, tmp_path)
    assert not checking.format_report(again).startswith("Podcast audio")
    assert not levels.search(checking.format_report(again))
    everything = checking.format_report(again, levels=True)
    assert everything.startswith(
        "Podcast audio levels of every story ready to publish, master -> rendition:\n"
    )
    assert levels.search(everything)
    assert "podcast audio" not in job_summary.check(again, root=tmp_path)


def test_github_annotations_are_escaped():
    problem = Problem(
        "content/stories/a,b/story.md", "title", "50% done\nnext", "fix it", 3
    )
    assert problem.github_annotation() == (
        "::error file=content/stories/a%2Cb/story.md,line=3::"
        "title: 50%25 done%0Anext - fix it"
    )
    warning = Problem("p.md", "body", "m", "f", None, Severity.WARNING)
    assert warning.github_annotation() == "::warning file=p.md,line=1::body: m - f"


def _settings_for(tmp_path: pathlib.Path) -> pathlib.Path:
    """publishconf.py with the audio cache in ``tmp_path``, for the command."""
    settings = tmp_path / "checkconf.py"
    settings.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(PROJECT_ROOT)!r})\n"
        "from publishconf import *  # noqa: F403\n"
        f"CACHE_PATH = {str(tmp_path / 'cache')!r}\n",
        encoding="utf-8",
    )
    return settings


def test_the_command_exits_1_on_errors_with_github_annotations(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "good-story")
    write_story(content, "wrong-value", relationship="rivals")
    settings = _settings_for(tmp_path)
    env = {"GITHUB_ACTIONS": "true"}
    run = invoke(
        "check", "--content", str(content), "--settings", str(settings), env=env
    )
    assert run.returncode == 1, run.stderr
    lines = run.stdout.splitlines()
    assert "1 error (fix these):" in lines
    assert f"  {S}/wrong-value/story.md:11: relationship: 'rivals' is not" in (
        run.stdout
    )
    assert (
        f"::error file={S}/wrong-value/story.md,line=11::relationship: 'rivals' is not"
        in run.stdout
    )
    # (The project's data files, copied in, may add warnings of their own.)
    summary = next(line for line in lines if line.startswith("Checked "))
    assert re.fullmatch(
        r"Checked 2 stories: 1 ready to publish, 1 held back; 1 error, \d+ warnings?\.",
        summary,
    )


def test_the_command_exits_0_without_errors_and_no_annotations(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "good-story")
    write_story(content, "a-draft", status="draft")
    settings = _settings_for(tmp_path)
    run = invoke(
        "check",
        "--content",
        str(content),
        "--settings",
        str(settings),
        "--levels",
        env={"GITHUB_ACTIONS": ""},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "::" not in run.stdout
    assert run.stdout.startswith(
        "Podcast audio levels of every story ready to publish, master -> rendition:\n"
        f"  {S}/good-story/speech.mp3: "
    )
    assert re.fullmatch(
        r"Checked 2 stories: 1 ready to publish, 1 held back; 0 errors,"
        r" \d+ warnings?\.",
        run.stdout.splitlines()[-1],
    )
    assert not (tmp_path / "output").exists()


def test_a_transcription_tools_speaker_label_is_not_a_name():
    """new-story takes the names from the transcript: one from Otter or
    Whisper says "Speaker 1", which the story page would show as a person."""
    from types import SimpleNamespace

    from content_checks.placeholders import speaker_labels

    def story(status):
        people = [SimpleNamespace(name=n) for n in ("SPEAKER_00", "Ada Lopez")]
        front = SimpleNamespace(status=status, participants=people, facilitator=None)
        lines = {("participants", 0, "name"): 12}
        return SimpleNamespace(
            story=SimpleNamespace(front=front, source=f"{S}/x/story.md", lines=lines)
        )

    [problem] = speaker_labels(story("published"))
    assert str(problem) == (
        f"{S}/x/story.md:12: participants.0.name: participant 1 is called "
        "'SPEAKER_00', a transcription tool's label, not a name - write the "
        "person's name here and in the transcript's voice tags (<v SPEAKER_00> "
        "becomes <v Their Name>)"
    )
    assert problem.is_error
    [problem] = speaker_labels(story("draft"))  # a draft may keep it, for now
    assert not problem.is_error
