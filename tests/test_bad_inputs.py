"""A corpus of bad inputs, each built end to end with the exact message it gives.

For every bad story (broken audio, paths leaving the story folder, broken or
wrong front matter, bad dates, duplicates, wrong transcripts, huge files):

1. the production build (publishconf.py) stops with StoryContentError, and
   its problems are exactly the lines an editor must see:
   ``content/stories/<slug>/story.md:<line>: <field>: <what> - <fix>``;
2. the development build (pelicanconf.py) succeeds and leaves the story out:
   none of the words planted in it appear anywhere in the output;
3. nothing else changes: that output is byte-identical, file for file, to a
   development build of the same content without the bad story.

The bad stories are built together (one production build reports them all),
and so are the bad pictures; each case's lines are checked in that build's
report, and the report holds nothing but the cases' lines.

Two inputs look bad but are not errors: a byte-order mark (the story
builds) and a ``published`` date in the future (the story is scheduled: held
back from every build, the production build passes).

The unit-level checks behind these messages are tested in test_schema.py,
test_audio_metadata.py, test_transcripts.py and test_check.py; these tests
prove that each one reaches the editor, and no reader, in real builds.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import os
import pathlib
import re
import shutil
import struct
import zlib
from collections.abc import Callable
from typing import NamedTuple

import pytest
import yaml
from PIL import Image

from portal.problems import StoryContentError
from tests.listening import write_transcript_story
from tests.pagefind_index import index_text
from tests.stories import AUDIO, assert_absent, output_files, story_fields, write_story
from tests.support import LEAN, build_site, built_once, copy_content

NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
# Search indexing and pre-compressed copies only repeat what the pages hold;
# one test below builds with search on to show the index has no trace either.
CHEAP = {**LEAN, "STORY_NOW": NOW}
S = "content/stories"
IMG = "content/images"


def build(content: pathlib.Path, output: pathlib.Path, settings="pelicanconf.py", **kw):
    return build_site(content, output, settings, **{**CHEAP, **kw})


# ---- The good site every bad story is added to ----------------------------


def write_good_stories(content: pathlib.Path) -> None:
    """Two public stories, one with a transcript, so pages, listings, the
    podcast feed, topics and transcript files all exist to be disturbed."""
    write_story(content, "good-story")
    write_transcript_story(content, "good-talk", title="A good talk with words")


class Baseline(NamedTuple):
    content: pathlib.Path
    output: pathlib.Path  # its development build


@pytest.fixture(scope="module")
def baseline(request) -> Baseline:
    """The good content, built once for every case to be compared with
    (shared by the workers: tests copy the content before adding to it)."""

    def build_baseline(base):
        content = copy_content(base / "content")
        write_good_stories(content)
        return Baseline(content, build(content, base / "output"))

    return built_once(request, build_baseline)


def content_with(
    baseline_content: pathlib.Path, tmp: pathlib.Path, make
) -> pathlib.Path:
    """A copy of the good content with ``make(content)`` adding bad stories."""
    content = tmp / "content"
    shutil.copytree(baseline_content, content, symlinks=True)
    make(content)
    return content


def assert_same_site(output: pathlib.Path, baseline_output: pathlib.Path) -> None:
    """The same files with the same bytes: the bad story changed nothing.

    No file is excluded: the build report is printed, not written, and the
    site holds no build time, so any difference is a leak or a side effect."""
    got, want = output_files(output), output_files(baseline_output)
    assert sorted(got) == sorted(want)
    changed = [name for name in want if got[name] != want[name]]
    assert changed == []


# ---- Bad stories ----------------------------------------------------------


def marker(slug: str) -> str:
    return slug.replace("-", "")


def planted_words(slug: str) -> tuple[str, ...]:
    """Words only the bad story ``slug`` holds, to search the output for."""
    m = marker(slug)
    return (f"{m}title", f"{m}summary", f"{m}first", f"{m}body", f"{m}topic",
            f"bad-{slug}", slug)  # fmt: skip


def bad_fields(slug: str, **overrides) -> dict:
    """Front matter of a story that would be published, with unique words."""
    m = marker(slug)
    fields = {
        "id": f"bad-{slug}",
        "title": f"Title {m}title",
        "summary": f"Summary {m}summary.",
        "participants": [
            {"name": f"Zelda {m}first", "description": f"{m}job"},
            {"name": "Yusuf Okafor", "description": "nurse"},
        ],
        "topics": [f"{m}topic"],
    }
    return story_fields(slug, **{**fields, **overrides})


def bad_story(content, slug, audio_fixture="speech.mp3", **overrides) -> pathlib.Path:
    """Write the story; ``audio_fixture`` is copied under the name ``audio``
    gives (None: no audio file, for the case to make its own)."""
    fields = bad_fields(slug, **overrides)
    folder = write_story(
        content,
        slug,
        body=f"Introduction {marker(slug)}body.",
        audio_fixture=None,
        raw_front_matter=yaml.safe_dump(fields, sort_keys=False, allow_unicode=True),
    )
    if audio_fixture:
        shutil.copy(AUDIO / audio_fixture, folder / fields["audio"])
    return folder


def bad_transcript_story(content, slug, vtt: str) -> pathlib.Path:
    """A bad story whose transcript is ``vtt`` (its speakers: Zelda and Yusuf)."""
    folder = bad_story(content, slug, transcript="transcript.vtt")
    (folder / "transcript.vtt").write_text(vtt, encoding="utf-8")
    return folder


def story_text(slug: str, **overrides) -> str:
    front = yaml.safe_dump(
        bad_fields(slug, **overrides), sort_keys=False, allow_unicode=True
    )
    return f"---\n{front}---\nIntroduction {marker(slug)}body.\n"


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[pathlib.Path], object]  # adds the bad story to content/
    problems: list[str]  # every problem the production build stops on
    slugs: tuple[str, ...] = ()  # the bad stories' folders, if not (id,)
    settings: dict = dataclasses.field(default_factory=dict)  # for both builds

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(
            w for slug in self.slugs or (self.id,) for w in planted_words(slug)
        )


# Audio ---------------------------------------------------------------------


def corrupt_audio(content):
    """An M4A whose first box header is overwritten: not audio any more."""
    folder = bad_story(content, "corrupt-audio", "speech.m4a", audio="speech.m4a")
    data = bytearray((folder / "speech.m4a").read_bytes())
    data[:16] = b"\x00" * 16
    (folder / "speech.m4a").write_bytes(bytes(data))


def truncated_audio(content):
    """An MP3 cut short in copying: its Xing header promises more frames."""
    folder = bad_story(content, "truncated-audio")
    data = (folder / "speech.mp3").read_bytes()
    (folder / "speech.mp3").write_bytes(data[: len(data) * 6 // 10])


def empty_audio(content):
    folder = bad_story(content, "empty-audio")
    (folder / "speech.mp3").write_bytes(b"")


def mislabeled_audio(content):
    """An MP3 named .m4a, as when a file is renamed instead of converted."""
    folder = bad_story(content, "mislabeled-audio", None, audio="speech.m4a")
    shutil.copy(AUDIO / "speech.mp3", folder / "speech.m4a")


def oversized_audio(content):
    """Over STORY_AUDIO_MAX_BYTES (lowered to 1 MB for the case): a recording
    exported uncompressed. The size is refused before the file is read."""
    folder = bad_story(content, "oversized-audio")
    with (folder / "speech.mp3").open("ab") as handle:
        handle.write(b"\0" * 1_200_000)


def padded_audio(content):
    """Valid audio with 200 KB appended: every listener would download it,
    and the feed would announce the padded size."""
    folder = bad_story(content, "padded-audio")
    with (folder / "speech.mp3").open("ab") as handle:
        handle.write(b"\0" * 200_000)


def missing_audio(content):
    bad_story(content, "missing-audio", None, audio="conversation.mp3")


# Paths leaving the story folder -------------------------------------------------


def dotdot_audio(content):
    """A real, public file in another story's folder: still not this story's."""
    bad_story(content, "dotdot-audio", None, audio="../good-story/speech.mp3")


ABSOLUTE = str(AUDIO / "speech.mp3")


def absolute_audio(content):
    bad_story(content, "absolute-audio", None, audio=ABSOLUTE)


def symlinked_audio(content):
    folder = bad_story(content, "symlinked-audio", None)
    os.symlink(AUDIO / "speech.mp3", folder / "speech.mp3")


# Front matter ------------------------------------------------------------------


def raw_story(content, slug: str, data: bytes) -> None:
    """A story folder with the audio and a story.md of exactly ``data``."""
    folder = content / "stories" / slug
    folder.mkdir(parents=True)
    shutil.copy(AUDIO / "speech.mp3", folder)
    (folder / "story.md").write_bytes(data)


def invalid_yaml(content):
    """An unclosed list: the YAML ends where the parser gives up."""
    text = story_text("invalid-yaml").replace(
        "relationship: strangers", "relationship: [strangers"
    )
    raw_story(content, "invalid-yaml", text.encode("utf-8"))


def wrong_types(content):
    """Text where a list and a true/false belong."""
    bad_story(
        content,
        "wrong-types",
        featured="sometimes",
        participants="Zelda wrongtypesfirst and Yusuf",
    )


def missing_fields(content):
    bad_story(content, "missing-fields", id=None, relationship=None)


def not_utf8(content):
    """Saved as Latin-1 by an old editor: the é is one byte, not UTF-8."""
    text = story_text("not-utf8", summary="Caf\u00e9 talk, notutf8summary.")
    raw_story(content, "not-utf8", text.encode("latin-1"))


def too_large_story(content):
    """A transcript pasted into story.md: over the 1 MB a story may be."""
    folder = bad_story(content, "too-large-story")
    words = "And then we talked about the town we both left behind. " * 20_000
    with (folder / "story.md").open("a", encoding="utf-8") as handle:
        handle.write(words)


# Dates -------------------------------------------------------------------------


def naive_time(content):
    bad_story(content, "naive-time", date=datetime.datetime(2019, 10, 12, 14, 30))


def naive_published(content):
    bad_story(
        content, "naive-published", published=datetime.datetime(2019, 11, 5, 9, 0)
    )


def future_recording(content):
    bad_story(content, "future-recording", date=datetime.date(2030, 1, 1))


def impossible_date(content):
    """A day no calendar has: YAML reads it as a date, then cannot make one."""
    text = story_text("impossible-date")
    text = re.sub(r"(?m)^date: .*$", "date: 2019-13-01", text, count=1)
    raw_story(content, "impossible-date", text.encode("utf-8"))


# Duplicates --------------------------------------------------------------------


def duplicate_slug(content):
    """Folders differing only in capitals: one address, and Windows and macOS
    cannot even check both out."""
    bad_story(content, "Twin-Folder", id="bad-twin-upper")
    bad_story(content, "twin-folder", id="bad-twin-lower")


def duplicate_id(content):
    bad_story(content, "same-id-first", id="bad-shared-id")
    bad_story(content, "same-id-second", id="bad-shared-id")


# Transcripts -------------------------------------------------------------------

UNKNOWN_SPEAKER = """WEBVTT

1
00:00:00.000 --> 00:00:01.000
<v Zelda unknownspeakerfirst>Hello unknownspeakerbody.

2
00:00:01.000 --> 00:00:02.000
<v Yusuf Okafur>Hello to you.
"""

OVERLAPPING = """WEBVTT

1
00:00:00.000 --> 00:00:01.500
<v Zelda overlappingcuesfirst>Hello overlappingcuesbody.

2
00:00:01.200 --> 00:00:02.000
<v Yusuf Okafor>Hello to you.
"""

PAST_END = """WEBVTT

1
00:00:00.000 --> 00:00:01.500
<v Zelda cuespastendfirst>Hello cuespastendbody.

2
00:00:02.000 --> 00:00:09.000
<v Yusuf Okafor>Hello to you.
"""


def unknown_speaker(content):
    bad_transcript_story(content, "unknown-speaker", UNKNOWN_SPEAKER)


def overlapping_cues(content):
    bad_transcript_story(content, "overlapping-cues", OVERLAPPING)


def cues_past_end(content):
    bad_transcript_story(content, "cues-past-end", PAST_END)


def too_large_transcript(content):
    """Over the 5 MB a transcript may be: a recording saved under its name."""
    cue = "\n00:00:00.000 --> 00:00:01.000\n<v Yusuf Okafor>Hello again.\n"
    bad_transcript_story(content, "too-large-transcript", "WEBVTT\n" + cue * 110_000)


# Hostile files: bounded time and memory, never read --------------------------


def alias_bomb(content):
    """A 1 KB "billion laughs": nine levels of nine aliases each."""
    levels = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        levels.append(f"l{level}: &l{level} [{refs}]")
    text = story_text("alias-bomb").replace(
        "---\nIntro", "\n".join(levels) + "\n---\nIntro"
    )
    raw_story(content, "alias-bomb", text.encode("utf-8"))


def fifo_transcript(content):
    """A named pipe where the transcript should be: opening it would block."""
    folder = bad_story(content, "fifo-transcript", transcript="transcript.vtt")
    os.mkfifo(folder / "transcript.vtt")


def fifo_image(content):
    folder = bad_story(
        content, "fifo-image", image="portrait.jpg", image_alt="Two people talking"
    )
    os.mkfifo(folder / "portrait.jpg")


def device_story(content):
    """story.md a link to a device: reading it would never end."""
    folder = content / "stories" / "device-story"
    folder.mkdir(parents=True)
    shutil.copy(AUDIO / "speech.mp3", folder)
    os.symlink("/dev/zero", folder / "story.md")


def symlinked_folder(content):
    """A whole story folder linked from elsewhere on the computer."""
    elsewhere = bad_story(content.parent / "elsewhere", "symlinked-folder")
    os.symlink(elsewhere, content / "stories" / "symlinked-folder")


def huge_image(content):
    """1.5 GB named portrait.jpg (sparse: it takes no room on the disk)."""
    folder = bad_story(
        content, "huge-image", image="portrait.jpg", image_alt="Two people talking"
    )
    with (folder / "portrait.jpg").open("wb") as handle:
        handle.truncate(1_500_000_000)


def too_many_pixels(content):
    """A small file that decodes to 48 million pixels."""
    folder = bad_story(
        content, "too-many-pixels", image="portrait.png", image_alt="Two people"
    )
    Image.new("1", (8000, 6000)).save(folder / "portrait.png")


def static_picture(content, name: str) -> pathlib.Path:
    """A file in content/images/, where Pelican copies everything as it is."""
    folder = content / "images"
    folder.mkdir(exist_ok=True)
    return folder / name


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header promises ``width`` x ``height`` pixels (a few bytes
    of data: a decoder trusting the header would allocate gigabytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data).to_bytes(4, "big")
        return len(data).to_bytes(4, "big") + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def static_decompression_bomb(content):
    """30000 x 30000 pixels in a file of a hundred bytes."""
    static_picture(content, "static-decompression-bomb.png").write_bytes(
        png_header(30_000, 30_000)
    )


def static_too_many_pixels(content):
    """48 million pixels: under Pillow's own limit, over the site's."""
    Image.new("1", (8000, 6000)).save(
        static_picture(content, "static-too-many-pixels.png")
    )


def static_huge_file(content):
    """1.5 GB named .jpg (sparse: it takes no room on the disk)."""
    with static_picture(content, "static-huge-file.jpg").open("wb") as handle:
        handle.truncate(1_500_000_000)


def static_not_a_picture(content):
    """A web page saved under a picture's name."""
    static_picture(content, "static-not-a-picture.jpg").write_text(
        "<html><script>alert(1)</script></html>", encoding="utf-8"
    )


def static_fifo(content):
    """A named pipe: copying it would block the build forever."""
    os.mkfifo(static_picture(content, "static-fifo.jpg"))


def newline_folder(content):
    """A line break in the folder name would start a new line in _headers."""
    folder = bad_story(content, "newline-folder")
    folder.rename(folder.with_name("newline\nfolder"))


def markup_folder(content):
    """A quote and > in the folder name would end an attribute in sitemap.xml."""
    folder = bad_story(content, "markup-folder")
    folder.rename(folder.with_name('markup">folder'))


def accent_twins(content):
    """ "café" twice: once composed (NFC), once decomposed (NFD, as macOS
    stores it); they look the same and would have one address."""
    for slug, name in (("accent-nfc", "caf\u00e9"), ("accent-nfd", "cafe\u0301")):
        folder = bad_story(content, slug)
        folder.rename(folder.with_name(name))


def bidi_audio_name(content):
    """A right-to-left override makes 'speech\u202e3pm.mp3' read as speechmp3.mp3."""
    name = "speech\u202e3pm.mp3"
    folder = bad_story(content, "bidi-audio-name", None, audio=name)
    shutil.copy(AUDIO / "speech.mp3", folder / name)


# ---- The corpus: each bad input and the exact lines it must produce --------

PATH_FIX = "give just the file's name, and keep the file in the story's folder"
YAML_FIX = (
    "check the indentation and put quotes around values with a colon or that"
    " start with a special character"
)
SLUG_FIX = "rename one of the folders; use only lowercase letters, digits and hyphens"
ID_FIX = (
    "give each story its own id; never change the id of a story that is already public"
)
ZONE = (
    "the time has no time zone; add one like 2019-10-12 14:30:00-05:00 or write"
    " only the date"
)
SPEAKERS = "'Zelda {}first', 'Yusuf Okafor'"
ALIAS_FIX = (
    "write the values out in full; aliases (&name and *name) are for a few small"
    " repeats only"
)

CORPUS = [
    Case(
        "corrupt-audio",
        corrupt_audio,
        [
            f"{S}/corrupt-audio/story.md:17: audio: 'speech.m4a' is not audio in any"
            " format we know - export the audio again as MP3 or M4A"
        ],
    ),
    Case(
        "truncated-audio",
        truncated_audio,
        [
            f"{S}/truncated-audio/story.md:17: audio: 'speech.mp3' is cut short: its"
            " header promises more audio than the file holds - copy or export the"
            " file again in full"
        ],
    ),
    Case(
        "empty-audio",
        empty_audio,
        [
            f"{S}/empty-audio/story.md:17: audio: 'speech.mp3' is empty (0 bytes) -"
            " copy the audio file again"
        ],
    ),
    Case(
        "mislabeled-audio",
        mislabeled_audio,
        [
            f"{S}/mislabeled-audio/story.md:17: audio: 'speech.m4a' holds MP3 audio"
            " but is named .m4a - rename it to end in .mp3"
        ],
    ),
    Case(
        "oversized-audio",
        oversized_audio,
        [
            f"{S}/oversized-audio/story.md:17: audio: 'speech.mp3' is larger than"
            " 1 MB - export it at a lower bitrate (64-128 kbps MP3 suits speech)"
        ],
        settings={"STORY_AUDIO_MAX_BYTES": 1024 * 1024},
    ),
    Case(
        "padded-audio",
        padded_audio,
        [
            f"{S}/padded-audio/story.md:17: audio: 'speech.mp3' has 200.0 KB of data"
            " after the end of its audio - export the audio again from your editor"
            " (something was appended to the file)"
        ],
    ),
    Case(
        "missing-audio",
        missing_audio,
        [
            f"{S}/missing-audio/story.md:17: audio: 'conversation.mp3' does not exist"
            " in the story folder - add the file or correct the name in the front"
            " matter"
        ],
    ),
    Case(
        "dotdot-audio",
        dotdot_audio,
        [
            f"{S}/dotdot-audio/story.md:17: audio: '../good-story/speech.mp3' points"
            f" outside the story folder - {PATH_FIX}"
        ],
    ),
    Case(
        "absolute-audio",
        absolute_audio,
        [
            f"{S}/absolute-audio/story.md:17: audio: '{ABSOLUTE}' is an absolute"
            f" path - {PATH_FIX}"
        ],
    ),
    Case(
        "symlinked-audio",
        symlinked_audio,
        [
            f"{S}/symlinked-audio/story.md:17: audio: 'speech.mp3' is a link to a"
            f" file outside the story folder - {PATH_FIX}"
        ],
    ),
    Case(
        "invalid-yaml",
        invalid_yaml,
        [
            f"{S}/invalid-yaml/story.md:12: front matter: the YAML cannot be read"
            f" (did not find expected ',' or ']') - {YAML_FIX}"
        ],
    ),
    Case(
        "wrong-types",
        wrong_types,
        [
            f"{S}/wrong-types/story.md:6: participants: is not a list"
            " - a list of at least two people, each with 'name:' and 'description:'",
            f"{S}/wrong-types/story.md:16: featured: 'sometimes' is not true or false"
            " - write true to show it on the home page, otherwise false",
        ],
    ),
    Case(
        "missing-fields",
        missing_fields,
        [
            f"{S}/missing-fields/story.md:2: id: is required but missing - add id: a"
            " permanent id that never changes, like oss-2019-0042 (podcast apps use"
            " it to recognize the episode)",
            f"{S}/missing-fields/story.md:2: relationship: is required but missing -"
            " add relationship: one of: strangers, family, friends, colleagues,"
            " neighbors, acquaintances",
        ],
    ),
    Case(
        "not-utf8",
        not_utf8,
        [
            f"{S}/not-utf8/story.md:4: file: is not UTF-8 text (byte 59) - save the"
            " file as UTF-8 in your editor"
        ],
    ),
    Case(
        "too-large-story",
        too_large_story,
        [
            f"{S}/too-large-story/story.md:1: file: is 1.1 MB, more than the 1.0 MB a"
            " story or page may be - keep only the front matter and a short"
            " introduction here; the transcript belongs in its own .vtt file"
        ],
    ),
    Case(
        "naive-time",
        naive_time,
        [
            f"{S}/naive-time/story.md:5: date: {ZONE} - the day it was recorded, as"
            " YYYY-MM-DD"
        ],
    ),
    Case(
        "impossible-date",
        impossible_date,
        [
            f"{S}/impossible-date/story.md:5: date: '2019-13-01' is not a day on"
            " the calendar (there is no month 13) - write the date as YYYY-MM-DD:"
            " the year, the month (01 to 12), then the day"
        ],
    ),
    Case(
        "naive-published",
        naive_published,
        [
            f"{S}/naive-published/story.md:26: published: {ZONE} - the day it goes"
            " public, as YYYY-MM-DD (a future day holds it back until then); left"
            " out, it goes public once approved, and podcast apps date it by its"
            " approval"
        ],
    ),
    Case(
        "future-recording",
        future_recording,
        [
            f"{S}/future-recording/story.md:5: date: the recording date 2030-01-01 is"
            " in the future - write the day the conversation was recorded"
        ],
    ),
    Case(
        "duplicate-slug",
        duplicate_slug,
        [
            f"{S}/Twin-Folder/story.md:1: folder: the folder name 'Twin-Folder'"
            f" differs only in capital letters from {S}/twin-folder/story.md, so"
            f" both would have the same address - {SLUG_FIX}",
            f"{S}/twin-folder/story.md:1: folder: the folder name 'twin-folder'"
            f" differs only in capital letters from {S}/Twin-Folder/story.md, so"
            f" both would have the same address - {SLUG_FIX}",
        ],
        slugs=("Twin-Folder", "twin-folder"),
    ),
    Case(
        "duplicate-id",
        duplicate_id,
        [
            f"{S}/same-id-first/story.md:2: id: the id 'bad-shared-id' is also used"
            f" by {S}/same-id-second/story.md - {ID_FIX}",
            f"{S}/same-id-second/story.md:2: id: the id 'bad-shared-id' is also used"
            f" by {S}/same-id-first/story.md - {ID_FIX}",
        ],
        slugs=("same-id-first", "same-id-second"),
    ),
    Case(
        "unknown-speaker",
        unknown_speaker,
        [
            f"{S}/unknown-speaker/story.md:26: transcript: transcript.vtt: cue 2"
            " (00:00:01.000 --> 00:00:02.000, line 8): the speaker 'Yusuf Okafur' is"
            " not one of the participants - write the name in <v Name> exactly as"
            " in the story's participants:"
            f" {SPEAKERS.format('unknownspeaker')} (did you mean 'Yusuf Okafor'?)"
        ],
    ),
    Case(
        "overlapping-cues",
        overlapping_cues,
        [
            f"{S}/overlapping-cues/story.md:26: transcript: transcript.vtt: cue 2"
            " (00:00:01.200 --> 00:00:02.000, line 8): starts before cue 1 ends"
            " (00:00:01.500) - start cue 2 at 00:00:01.500 or later, or end cue 1"
            " earlier: cues must not overlap"
        ],
    ),
    Case(
        "cues-past-end",
        cues_past_end,
        [
            f"{S}/cues-past-end/story.md:26: transcript: transcript.vtt: cue 2"
            " (00:00:02.000 --> 00:00:09.000, line 8): ends after the audio, which"
            " is 00:00:03.944 long (speech.mp3) - correct the cue's end time, or"
            " check that the transcript belongs to speech.mp3"
        ],
    ),
    Case(
        "alias-bomb",
        alias_bomb,
        [
            f"{S}/alias-bomb/story.md:31: front matter: its aliases (*name) stand"
            f" for more than 100,000 values - {ALIAS_FIX}"
        ],
    ),
    Case(
        "fifo-transcript",
        fifo_transcript,
        [
            f"{S}/fifo-transcript/story.md:26: transcript: 'transcript.vtt' is a"
            " named pipe (FIFO), not a file - replace it with the file itself"
        ],
    ),
    Case(
        "fifo-image",
        fifo_image,
        [
            f"{S}/fifo-image/story.md:26: image: 'portrait.jpg' is a named pipe"
            " (FIFO), not a file - replace it with the file itself"
        ],
    ),
    Case(
        "device-story",
        device_story,
        [
            f"{S}/device-story/story.md:1: file: is a device, not a file - replace it"
            " with the story's story.md itself"
        ],
    ),
    Case(
        "symlinked-folder",
        symlinked_folder,
        [
            f"{S}/symlinked-folder/story.md:1: file: is a link to a file or folder"
            " outside the content folder - copy the story's folder into"
            " content/stories/ instead of linking to it"
        ],
    ),
    Case(
        "huge-image",
        huge_image,
        [
            f"{S}/huge-image/story.md:26: image: 'portrait.jpg' is 1.5 GB, more than"
            " the 20.0 MB a picture may be - export it at most 3000 pixels wide as"
            " JPEG (quality 85)"
        ],
    ),
    Case(
        "too-many-pixels",
        too_many_pixels,
        [
            f"{S}/too-many-pixels/story.md:26: image: 'portrait.png' is 8000 x 6000"
            " pixels, more than the 40 million a picture may have - export it at"
            " most 3000 pixels wide"
        ],
    ),
    Case(
        "static-decompression-bomb",
        static_decompression_bomb,
        [
            f"{IMG}/static-decompression-bomb.png:1: file:"
            " 'static-decompression-bomb.png'"
            " has far more pixels than the 40 million a picture may have - export"
            " it at most 3000 pixels wide (or remove it from the folder)"
        ],
    ),
    Case(
        "static-too-many-pixels",
        static_too_many_pixels,
        [
            f"{IMG}/static-too-many-pixels.png:1: file:"
            " 'static-too-many-pixels.png' is"
            " 8000 x 6000 pixels, more than the 40 million a picture may have -"
            " export it at most 3000 pixels wide (or remove it from the folder)"
        ],
    ),
    Case(
        "static-huge-file",
        static_huge_file,
        [
            f"{IMG}/static-huge-file.jpg:1: file:"
            " 'static-huge-file.jpg' is 1.5 GB, more"
            " than the 20.0 MB a picture may be - export it at most 3000 pixels"
            " wide as JPEG (quality 85) (or remove it from the folder)"
        ],
    ),
    Case(
        "static-not-a-picture",
        static_not_a_picture,
        [
            f"{IMG}/static-not-a-picture.jpg:1: file:"
            " 'static-not-a-picture.jpg' is not"
            " a picture: it holds no JPEG, PNG or WebP image - export the picture"
            " again as JPEG or PNG (or remove it from the folder)"
        ],
    ),
    Case(
        "static-fifo",
        static_fifo,
        [
            f"{IMG}/static-fifo.jpg:1: file:"
            " 'static-fifo.jpg' is a named pipe (FIFO),"
            " not a file - replace it with the file itself"
        ],
    ),
    Case(
        "newline-folder",
        newline_folder,
        [
            f"{S}/newline\\u000afolder/story.md:1: folder: the folder name"
            " 'newline\\u000afolder' has a line break or control character, which"
            " cannot be in a web address - rename the folder to 'newline-folder'"
            " (lowercase letters, digits and hyphens)"
        ],
    ),
    Case(
        "markup-folder",
        markup_folder,
        [
            f"{S}/markup\">folder/story.md:1: folder: the folder name 'markup\">folder'"
            ' has the character ", which cannot be in a web address - rename the'
            " folder to 'markup-folder' (lowercase letters, digits and hyphens)"
        ],
    ),
    Case(
        "accent-twins",
        accent_twins,
        [
            f"{S}/{nfd}/story.md:1: folder: the folder name 'caf\u00e9' differs only"
            " in how its accents are stored (it looks the same) from"
            f" {S}/{nfc}/story.md, so both would have the same address - {SLUG_FIX}"
            for nfd, nfc in (("cafe\u0301", "caf\u00e9"), ("caf\u00e9", "cafe\u0301"))
        ],
        slugs=("accent-nfc", "accent-nfd"),
    ),
    Case(
        "bidi-audio-name",
        bidi_audio_name,
        [
            f"{S}/bidi-audio-name/story.md:17: audio: the file name"
            " 'speech\\u202e3pm.mp3' has an invisible character (U+202E) - rename"
            " the file with letters, digits, hyphens and dots only, and write the"
            " new name here"
        ],
    ),
    Case(
        "too-large-transcript",
        too_large_transcript,
        [
            f"{S}/too-large-transcript/story.md:26: transcript: 'transcript.vtt' is"
            " 6.6 MB, more than the 5.0 MB a transcript may be - check that it is"
            " the conversation's WebVTT transcript, not the audio or a video saved"
            " under its name"
        ],
    ),
]


def batch_of(case: Case) -> str:
    """Cases built together share a batch.

    Bad stories are all reported by one production build, so they are built
    together (one production and one development build for all of them, not
    two each); bad pictures in content/images are found by a later step,
    after the story errors stop the build, so they make a batch of their own;
    a case with settings of its own is built alone."""
    if case.settings:
        return case.id
    if all(line.startswith(f"{IMG}/") for line in case.problems):
        return "pictures"
    return "stories"


class Batch(NamedTuple):
    cases: list[Case]
    # What the production build stopped with (StoryContentError): each
    # problem's line, and the whole message as printed.
    problems: list[str]
    report: str
    output: pathlib.Path  # the development build


def cases_of(batch: str) -> list[Case]:
    return [case for case in CORPUS if batch_of(case) == batch]


@pytest.fixture(scope="module")
def built_in_batches(baseline, request) -> dict[str, Batch]:
    """Each batch's bad inputs added to the good content, built both ways."""

    def build_batches(base):
        built = {}
        for name in dict.fromkeys(batch_of(case) for case in CORPUS):
            cases = cases_of(name)
            tmp = base / f"batch-{name}"

            def make(content, cases=cases):
                for case in cases:
                    case.make(content)

            content = content_with(baseline.content, tmp, make)
            with pytest.raises(StoryContentError) as caught:
                build(content, tmp / "prod", "publishconf.py", **cases[0].settings)
            output = build(content, tmp / "dev", **cases[0].settings)
            problems = [str(problem) for problem in caught.value.problems]
            built[name] = (problems, str(caught.value), output)
        return built

    return {
        name: Batch(cases_of(name), *made)
        for name, made in built_once(request, build_batches).items()
    }


@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.id)
def test_the_production_build_stops_with_the_exact_message(case, built_in_batches):
    batch = built_in_batches[batch_of(case)]
    # Every line the editor reads about this input, in order.
    got = batch.problems
    assert [line for line in got if line in case.problems] == case.problems
    printed = batch.report.splitlines()
    for line in case.problems:
        assert f"  {line}" in printed


BATCHES = sorted({batch_of(case) for case in CORPUS})


@pytest.mark.parametrize("batch", BATCHES)
def test_the_production_build_reports_nothing_else(batch, built_in_batches):
    """One problem, one line: the batch's build stops on its cases' lines
    and no other (the good stories beside them raise nothing)."""
    cases, problems, _, _ = built_in_batches[batch]
    got = sorted(problems)
    assert got == sorted(line for case in cases for line in case.problems)


@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.id)
def test_the_development_build_leaves_no_trace(case, built_in_batches):
    assert_absent(built_in_batches[batch_of(case)].output, *case.words)


@pytest.mark.parametrize("batch", BATCHES)
def test_the_development_build_changes_nothing_else(batch, built_in_batches, baseline):
    assert_same_site(built_in_batches[batch].output, baseline.output)


def test_the_search_index_has_no_trace(baseline, tmp_path):
    """Transcripts are indexed word for word; a held-back one is not."""
    content = content_with(baseline.content, tmp_path, unknown_speaker)
    output = build(content, tmp_path / "dev", SITE_SEARCH_INDEX=True)
    words = index_text(output)
    assert "i grew up in tulsa" in words  # the good story's transcript is there
    for word in planted_words("unknown-speaker"):
        assert word.lower() not in words
    assert_absent(output, *planted_words("unknown-speaker"))


# ---- Inputs that look wrong but are not errors -------------------------------


def test_a_byte_order_mark_is_accepted(baseline, tmp_path):
    """Windows editors save UTF-8 with a BOM: the story builds as without it."""

    def with_story(bom: bool):
        def make(content):
            folder = write_story(content, "bom-story", title="Saved on Windows")
            text = (folder / "story.md").read_text(encoding="utf-8")
            prefix = "\ufeff" if bom else ""
            (folder / "story.md").write_text(prefix + text, encoding="utf-8")

        return make

    with_bom = content_with(baseline.content, tmp_path / "bom", with_story(bom=True))
    assert (with_bom / "stories/bom-story/story.md").read_bytes()[:3] == b"\xef\xbb\xbf"
    production = build(with_bom, tmp_path / "bom/prod", "publishconf.py")
    page = (production / "stories/bom-story/index.html").read_text(encoding="utf-8")
    assert "Saved on Windows" in page
    assert "\ufeff" not in page
    development = build(with_bom, tmp_path / "bom/dev")
    plain = content_with(baseline.content, tmp_path / "plain", with_story(bom=False))
    assert_same_site(development, build(plain, tmp_path / "plain/dev"))


def test_a_future_published_date_holds_the_story_back(baseline, tmp_path):
    """``published`` in the future means scheduled: not an error, so the
    production build passes, and no build shows the story before its day."""
    content = content_with(
        baseline.content,
        tmp_path,
        lambda content: bad_story(
            content, "scheduled-story", published=datetime.date(2030, 1, 1)
        ),
    )
    words = planted_words("scheduled-story")
    production = build(content, tmp_path / "prod", "publishconf.py")
    assert (production / "stories/good-story/index.html").is_file()
    assert_absent(production, *words)
    development = build(content, tmp_path / "dev")
    assert_absent(development, *words)
    assert_same_site(development, baseline.output)


# ---- Errors in stories not meant to be public -------------------------------

NOT_PUBLIC = {
    "draft": {"status": "draft"},
    "unsigned": {
        "approval": {
            "approved_by": "Test Editor",
            "approved_on": datetime.date(2019, 11, 1),
            "releases_signed": False,
        }
    },
    "scheduled": {"published": datetime.date(2030, 1, 1)},
}


@pytest.mark.parametrize("why", sorted(NOT_PUBLIC))
def test_a_broken_field_in_a_story_not_meant_to_be_public_never_blocks(
    why, baseline, tmp_path
):
    """Work in progress never blocks a release: a schema error in a story
    whose own fields hold it back is reported, not fatal, in production."""
    slug = f"broken-{why}"
    content = content_with(
        baseline.content,
        tmp_path,
        lambda content: bad_story(
            content, slug, relationship="rivals", **NOT_PUBLIC[why]
        ),
    )
    production = build(content, tmp_path / "prod", "publishconf.py")
    assert (production / "stories/good-story/index.html").is_file()
    assert_absent(production, *planted_words(slug))


def test_an_unreadable_draft_still_stops_production(baseline, tmp_path):
    """Broken YAML hides the status too: nothing shows the story is a draft,
    and it may be a public story saved wrongly, so production stops."""

    def make(content):
        folder = bad_story(content, "unreadable-draft", status="draft")
        text = (folder / "story.md").read_text(encoding="utf-8")
        broken = text.replace("relationship: strangers", "relationship: [strangers")
        (folder / "story.md").write_text(broken, encoding="utf-8")

    content = content_with(baseline.content, tmp_path, make)
    with pytest.raises(StoryContentError) as caught:
        build(content, tmp_path / "prod", "publishconf.py")
    assert [str(problem) for problem in caught.value.problems] == [
        f"{S}/unreadable-draft/story.md:12: front matter: the YAML cannot be read"
        f" (did not find expected ',' or ']') - {YAML_FIX}"
    ]


def test_a_story_the_code_fails_on_is_held_back_and_stops_production(
    baseline, tmp_path, monkeypatch
):
    """A fault in the reading code (here: the front matter parser raising)
    must not make a story vanish while the build succeeds: Pelican would log
    "Could not process" without the reason and go on, and a publish would
    take a public story down. It is a problem with the reason, like any."""
    from portal import frontmatter

    real_split = frontmatter.split

    def failing_split(text):
        if "reader-fault" in text:
            raise RuntimeError("the parser fell over")
        return real_split(text)

    monkeypatch.setattr(frontmatter, "split", failing_split)
    content = content_with(
        baseline.content, tmp_path, lambda content: bad_story(content, "reader-fault")
    )
    with pytest.raises(StoryContentError) as caught:
        build(content, tmp_path / "prod", "publishconf.py")
    [problem] = caught.value.problems
    assert str(problem).startswith(
        f"{S}/reader-fault/story.md:1: file: could not be read (RuntimeError: the"
        " parser fell over) - "
    )
    output = build(content, tmp_path / "dev")
    assert (output / "stories/good-story/index.html").is_file()
    assert_absent(output, *planted_words("reader-fault"))


def test_a_draft_copying_a_public_storys_id_takes_nothing_down(
    baseline, tmp_path, caplog
):
    """Editors start a story by copying a folder: the copy, still a draft,
    has the public story's id. The draft is the one in the wrong; the public
    story stays up and the release goes ahead."""
    content = content_with(
        baseline.content,
        tmp_path,
        lambda content: bad_story(
            content, "copied-draft", id="test-good-story", status="draft"
        ),
    )
    words = planted_words("copied-draft")[:-2]  # its id is the public story's
    production = build(content, tmp_path / "prod", "publishconf.py")
    assert (production / "stories/good-story/index.html").is_file()
    assert_absent(production, *words, "copied-draft")
    caplog.clear()  # the production build logged the same error, not fatal
    development = build(content, tmp_path / "dev")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [
        f"{S}/copied-draft/story.md:2: id: the id 'test-good-story' is also used by"
        f" {S}/good-story/story.md - {ID_FIX}"
    ]
    assert_same_site(development, baseline.output)
