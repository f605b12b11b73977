"""`invoke new-story`: a new story folder that passes the check and builds.

The command runs as editors run it (``python -m invoke new-story ...``) into
a copy of the content folder; the check and real builds then read what it
wrote."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys

import pytest
from PIL import Image
from story_audio.audio import read_audio

from portal import checking, frontmatter
from portal.newstory import NewStoryError, create_story, new_id, story_slug
from portal.schema import FIELD_HELP, Story
from portal.timecode import format_timecode
from tests.stories import AUDIO, assert_absent, output_files, write_story
from tests.support import LEAN, PROJECT_ROOT, build_site, copy_content, images_shared

NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
TRANSCRIPT = """WEBVTT

1
00:00:00.000 --> 00:00:01.200
<v Ada Lopez>Where did you grow up?

2
00:00:01.300 --> 00:00:02.500
<v Ben Carter>Ten miles from you, it turns out.

3
00:00:02.600 --> 00:00:03.000
<v Ada Lopez>No!
"""


def new_story_command(content, *args):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "--search-root",
            str(PROJECT_ROOT),
            "new-story",
            *args,
            "--content",
            str(content),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def check(content, tmp_path):
    """``./dev check``, its new cache started with the run's pictures and
    logos (``images_shared``): the check draws the show's cover and the
    funders' logos as a build does, and none of these tests looks at them."""
    cache = tmp_path / "check-cache"
    with images_shared(cache):
        return checking.check_content(
            PROJECT_ROOT / "publishconf.py",
            content_path=content,
            overrides={"CACHE_PATH": str(cache), "STORY_NOW": NOW},
        )


@pytest.fixture
def content(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "older-story", id="oss-2019-0041")
    return content


@pytest.fixture
def transcript(tmp_path):
    path = tmp_path / "Final transcript.vtt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    return path


def test_new_story_end_to_end(content, transcript, tmp_path):
    audio = tmp_path / "Interview FINAL (2).M4A"
    shutil.copy(AUDIO / "speech.m4a", audio)
    run = new_story_command(
        content,
        "We Grew Up: Ten Miles Apart",
        "--audio",
        str(audio),
        "--transcript",
        str(transcript),
        "--date",
        "2019-10-12",
    )
    assert run.returncode == 0, run.stderr
    folder = content / "stories" / "we-grew-up-ten-miles-apart"
    assert sorted(p.name for p in folder.iterdir()) == [
        "conversation.m4a",
        "story.md",
        "transcript.vtt",
    ]
    assert (folder / "conversation.m4a").read_bytes() == audio.read_bytes()
    assert (folder / "transcript.vtt").read_text() == TRANSCRIPT
    assert f"Created {folder}/ with:" in run.stdout
    assert "./dev check" in run.stdout and "./dev preview-drafts" in run.stdout

    text = (folder / "story.md").read_text(encoding="utf-8")
    matter = frontmatter.split(text)
    # Every field of the schema, each under its help text from FIELD_HELP.
    assert list(matter.data) == list(Story.model_fields)
    for field, help_text in FIELD_HELP.items():
        comment = " ".join(
            line[2:]
            for line in text.splitlines()
            if line.startswith("# ") and not line.startswith("#   ")
        )
        assert f"{field}: {help_text}." in comment, field
    story = Story.model_validate(matter.data)
    assert story.id == "oss-2019-0042"
    assert story.title == "We Grew Up: Ten Miles Apart"
    assert story.date == datetime.date(2019, 10, 12)
    assert story.participant_names == ["Ada Lopez", "Ben Carter"]
    assert story.audio == "conversation.m4a"
    assert story.transcript == "transcript.vtt"
    assert story.status == "draft"
    assert story.approval is None
    duration = format_timecode(read_audio(str(audio)).duration)
    assert re.search(
        rf"^audio: conversation\.m4a  # {re.escape(duration)} long, M4A, ",
        text,
        re.MULTILINE,
    )
    assert re.search(r"^summary: ''  # CHANGE$", text, re.MULTILINE)
    assert re.search(r"^approval:$", text, re.MULTILINE)

    # The check passes: no error, the new story held back as a draft; what
    # is still to write is listed, as warnings.
    result = check(content, tmp_path)
    assert result.errors == [], checking.format_report(result)
    source = "content/stories/we-grew-up-ten-miles-apart/story.md"
    lines = text.splitlines()
    warned = [p for p in result.warnings if p.path == source]
    assert sorted(str(p) for p in warned) == sorted(
        [
            f"{source}:{n}: {field}: the {what} is still marked CHANGE, as new-story"
            f" wrote it - write the real {what}, then delete the CHANGE mark before"
            " the story is published"
            for n, field, what in [
                (_line(lines, "summary:"), "summary", "value"),
                (_line(lines, "relationship:"), "relationship", "value"),
                (_line(lines, "<!-- CHANGE"), "body", "introduction"),
            ]
        ]
        + [
            f"{source}:{_line(lines, '  description:', nth)}: participants.{nth}"
            f".description: participant {nth + 1} ('{name}') has no description -"
            " write a few words under 'description:': what they do, where they live"
            " (like 'retired teacher, Tulsa, Oklahoma')"
            for nth, name in enumerate(["Ada Lopez", "Ben Carter"])
        ]
    )
    assert dict(result.held_back)[
        "content/stories/we-grew-up-ten-miles-apart/story.md"
    ] == [
        "status is 'draft'",
        "no approval (approval.approved_by and approved_on are empty)",
    ]

    # A development build holds it back without a trace...
    output = build_site(content, tmp_path / "dev", STORY_NOW=NOW)
    assert "stories/older-story/index.html" in output_files(output)
    assert_absent(output, "we-grew-up", "Ten Miles Apart", "oss-2019-0042")
    # ...the drafts preview shows it, marked...
    preview = build_site(
        content, tmp_path / "preview", STORY_NOW=NOW, STORY_PREVIEW=True, **LEAN
    )
    page = (preview / "stories/we-grew-up-ten-miles-apart/index.html").read_text()
    assert "Not public." in page and "Ten Miles Apart" in page

    # ...and once approved, with the CHANGE marks dealt with, it is published.
    text = text.replace("summary: ''  # CHANGE", "summary: Two neighbours talk.")
    text = text.replace("relationship: strangers  # CHANGE", "relationship: neighbors")
    text = text.replace("status: draft", "status: published")
    text = text.replace(
        "\napproval:\n",
        "\napproval:\n  approved_by: Jamie Editor\n  approved_on: 2019-11-01\n"
        "  releases_signed: true\n",
    )
    text = re.sub(
        r"<!-- CHANGE.*?-->", "Ada and Ben grew up ten miles apart.", text, flags=re.S
    )
    for name in ("Ada Lopez", "Ben Carter"):
        text = text.replace(
            f"- name: {name}\n  description: ''",
            f"- name: {name}\n  description: lives in Tulsa",
        )
    (folder / "story.md").write_text(text, encoding="utf-8")
    problems = check(content, tmp_path).problems
    # (The project's data files, copied in, may warn of their own things.)
    assert [p for p in problems if not p.path.startswith("content/data/")] == []
    output = build_site(
        content, tmp_path / "prod", "publishconf.py", STORY_NOW=NOW, **LEAN
    )
    page = (output / "stories/we-grew-up-ten-miles-apart/index.html").read_text()
    assert "We Grew Up: Ten Miles Apart" in page
    assert "Ada and Ben grew up ten miles apart." in page
    # Published as its MP3 rendition (audio_rendition), not the M4A master.
    published = output / "stories/we-grew-up-ten-miles-apart"
    assert len(list(published.glob("we-grew-up-ten-miles-apart-*.mp3"))) == 1
    assert not (published / "conversation.m4a").exists()


def _line(lines: list[str], prefix: str, nth: int = 0) -> int:
    """The line number of the ``nth`` line starting with ``prefix``."""
    found = [n for n, text in enumerate(lines, 1) if text.startswith(prefix)]
    return found[nth]


def test_help(tmp_path):
    """`./dev new-story --help`, as editors type it, prints the task's help."""
    run = subprocess.run(
        [str(PROJECT_ROOT / "dev"), "new-story", "--help"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "--image=STRING" in run.stdout and "--audio=STRING" in run.stdout
    assert './dev new-story "Title" --audio FILE' in run.stdout
    assert "Cannot create the story" not in run.stdout + run.stderr
    # The picture kinds the check takes (portal.mime), WebP among them.
    words = " ".join(run.stdout.split())
    assert "a picture of the two of them to copy in: JPEG, PNG or WebP" in words


def test_a_picture_given_with_image(content, transcript, tmp_path):
    picture = tmp_path / "Ada and Ben.JPG"
    Image.new("RGB", (1400, 1400), "teal").save(picture, "JPEG")
    run = new_story_command(
        content,
        "Two of us",
        "--audio",
        str(AUDIO / "speech.mp3"),
        "--image",
        str(picture),
        "--date",
        "2019-10-12",
    )
    assert run.returncode == 0, run.stderr
    folder = content / "stories" / "two-of-us"
    assert (folder / "portrait.jpg").read_bytes() == picture.read_bytes()
    assert "portrait.jpg      the picture" in run.stdout
    text = (folder / "story.md").read_text(encoding="utf-8")
    assert re.search(r"^image: portrait\.jpg$", text, re.MULTILINE)
    assert re.search(
        r"^image_alt: What the picture shows  # CHANGE$", text, re.MULTILINE
    )
    result = check(content, tmp_path)
    assert result.errors == [], checking.format_report(result)
    assert any(p.field == "image_alt" for p in result.warnings)

    # Not a picture: refused, nothing made.
    not_a_picture = tmp_path / "notes.png"
    not_a_picture.write_text("not a picture")
    run = new_story_command(
        content, "Another", "--audio", str(AUDIO / "speech.mp3"), "--image",
        str(not_a_picture),
    )  # fmt: skip
    assert run.returncode == 1
    assert (
        "Cannot create the story: 'notes.png' is not a picture: it holds no JPEG,"
        " PNG or WebP image" in run.stderr
    )
    assert not (content / "stories" / "another").exists()


def test_a_story_published_with_change_marks_is_an_error(content, tmp_path):
    made = create_story(
        content,
        "Still a sketch",
        AUDIO / "speech.mp3",
        today=datetime.date(2026, 10, 1),
    )
    path = made.story_file
    text = path.read_text(encoding="utf-8")
    text = text.replace("status: draft", "status: published").replace(
        "\napproval:\n",
        "\napproval:\n  approved_by: Jamie\n  approved_on: 2019-11-01\n"
        "  releases_signed: true\n",
    )
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    source = "content/stories/still-a-sketch/story.md"

    def line(prefix):
        return next(n for n, t in enumerate(lines, 1) if t.startswith(prefix))

    result = check(content, tmp_path)
    assert [str(p) for p in result.errors] == [
        f"{source}:{line('summary:')}: summary: the value is still marked CHANGE, as"
        " new-story wrote it - write the real value, then delete the CHANGE mark",
        f"{source}:{line('date:')}: date: the value is still marked CHANGE, as"
        " new-story wrote it - write the real value, then delete the CHANGE mark",
        f"{source}:{line('participants:')}: participants: the value is still marked"
        " CHANGE, as new-story wrote it - write the real value, then delete the"
        " CHANGE mark",
        f"{source}:{line('relationship:')}: relationship: the value is still marked"
        " CHANGE, as new-story wrote it - write the real value, then delete the"
        " CHANGE mark",
        f"{source}:{line('<!-- CHANGE')}: body: the introduction is still marked"
        " CHANGE, as new-story wrote it - write the real introduction, then delete"
        " the CHANGE mark",
    ]
    assert result.blocked == [source]


def test_it_refuses_to_overwrite_an_existing_story(content, tmp_path):
    folder = content / "stories" / "older-story"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    for title in ("Older Story", "OLDER story!"):
        run = new_story_command(content, title, "--audio", str(AUDIO / "speech.mp3"))
        assert run.returncode == 1
        assert run.stderr.strip() == (
            f"Cannot create the story: a story folder {folder} already exists -"
            " choose another title, or pass --slug with another folder name;"
            " nothing was changed"
        )
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    # A folder differing only in capitals is the same address.
    (content / "stories" / "Mixed-Case").mkdir()
    with pytest.raises(NewStoryError, match="Mixed-Case already exists"):
        create_story(content, "mixed case", AUDIO / "speech.mp3")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["Title"],
            "Cannot create the story: no audio file - add --audio PATH, like"
            ' `./dev new-story "Title" --audio ~/Downloads/conversation.mp3`',
        ),
        (
            ["Title", "--audio", "missing.mp3"],
            "Cannot create the story: there is no audio file at missing.mp3 - check"
            " the path (you can drag the file into the terminal to paste it)",
        ),
        (
            ["Title", "--audio", "{notes}"],
            "Cannot create the story: 'notes.txt' is not a format podcast apps"
            " play - use MP3, M4A, Ogg Vorbis, Opus, FLAC or WAV",
        ),
        (
            ["Title", "--audio", "{audio}", "--transcript", "{notes}"],
            "Cannot create the story: 'notes.txt' is not a WebVTT transcript"
            " (.vtt) - export the transcript as WebVTT, with <v Name> before each"
            " turn",
        ),
        (
            ["Title", "--audio", "{audio}", "--transcript", "{bad_vtt}"],
            "Cannot create the story: 'bad.vtt' is not a WebVTT transcript we can"
            " read (Invalid format) - export the transcript again as WebVTT"
            " (.vtt), UTF-8",
        ),
        (
            ["Title", "--audio", "{audio}", "--date", "12/10/2019"],
            "Cannot create the story: --date 12/10/2019 is not a date - write it"
            " as YYYY-MM-DD",
        ),
        (
            ["Talk " * 50, "--audio", "{audio}"],
            "Cannot create the story: title: is 249 characters long - shorten it"
            " to 200 characters at most",
        ),
        (
            ["!!!", "--audio", "{audio}"],
            "Cannot create the story: the title '!!!' makes no folder name (it has"
            " no letters or digits) - pass --slug with a name of lowercase words"
            " joined by hyphens",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_made(content, tmp_path, args, message):
    notes = tmp_path / "notes.txt"
    notes.write_text("not audio")
    bad_vtt = tmp_path / "bad.vtt"
    bad_vtt.write_text("this is not WebVTT\n")
    paths = {"notes": notes, "bad_vtt": bad_vtt, "audio": AUDIO / "speech.mp3"}
    args = [arg.format(**paths) for arg in args]
    before = sorted(os.listdir(content / "stories"))
    run = new_story_command(content, *args)
    assert run.returncode == 1
    assert run.stderr.strip() == message
    assert sorted(os.listdir(content / "stories")) == before


def test_participants_given_on_the_command_line(content):
    made = create_story(
        content,
        "Across the table",
        AUDIO / "speech.ogg",
        participants=["Maya Ruiz", "Tom Okafor"],
        recorded=datetime.date(2020, 3, 1),
    )
    story = Story.model_validate(frontmatter.split(made.story_file.read_text()).data)
    assert story.participant_names == ["Maya Ruiz", "Tom Okafor"]
    assert story.id == "oss-2020-0042"
    assert made.to_change == ["summary", "relationship"]


def test_ids_are_new_and_never_reused(content):
    assert new_id(content / "stories", 2021) == "oss-2021-0042"
    write_story(content, "odd", id="oss-2021-0042")
    assert new_id(content / "stories", 2021) == "oss-2021-0043"
    # A story whose front matter is broken still keeps its id taken.
    folder = content / "stories" / "broken"
    folder.mkdir()
    (folder / "story.md").write_text("---\nid: oss-2021-0099\ntitle: [\n---\n")
    assert new_id(content / "stories", 2021) == "oss-2021-0100"


def test_ids_a_build_read_are_taken_as_read(content):
    """The editing UI's build passes the ids it read (every story.md parsed
    again took 2 s at 1,000 stories): those files are not opened again, the
    others are."""
    odd = content / "stories" / "odd" / "story.md"
    write_story(content, "odd", id="oss-2021-0042")
    odd.write_text("not read: the build's reading stands")
    read = {os.path.abspath(odd): "oss-2021-0500"}
    assert new_id(content / "stories", 2021, read) == "oss-2021-0501"
    write_story(content, "later", id="oss-2021-0777")  # not read by the build
    assert new_id(content / "stories", 2021, read) == "oss-2021-0778"


def test_slugs():
    assert story_slug("We Grew Up: Ten Miles Apart") == "we-grew-up-ten-miles-apart"
    assert story_slug("Café, Politics & Pie") == "cafe-politics-pie"
    assert len(story_slug("word " * 40)) <= 60
