"""Read a story's WebVTT transcript with webvtt-py: cues, speakers, chapters.

Editors write one ``<v Name>`` voice tag per turn; a cue without a voice tag
continues the previous speaker's turn (captioners split long turns into
several cues). A ``NOTE`` block whose first line is ``chapter: Title`` starts
a chapter at the next cue; a ``question: key`` line may follow::

    NOTE
    chapter: The houses we grew up in
    question: parents

Problems that make the file unreadable raise TranscriptError; problems with
single cues (speakers, overlaps, times) are found by ``checks``, which needs
the story and the audio as well."""

from __future__ import annotations

import dataclasses
import html
import os
import re
import sys
import unicodedata

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from portal.problems import FixableError
from portal.sizes import human_size

# A three-hour conversation's transcript is a few hundred kilobytes. A file
# far larger is something else under the transcript's name (the audio, a
# video), and webvtt-py would spend the build reading it (whole, in memory).
MAX_BYTES = 5_000_000

_CHAPTER_KEY = re.compile(r"^\s*(chapter|question)\s*:\s*(.*?)\s*$", re.IGNORECASE)


class TranscriptError(FixableError):
    """A transcript we cannot read at all: ``problem`` and ``fix`` for editors."""


def by_fields(self):
    """``__reduce__`` of the slots dataclasses: the class and its fields in
    order, read back with one ``__init__`` call. About twice as fast to
    unpickle as dataclasses' own slots ``__setstate__``, and every story's
    transcript is read back from disk a few times a build (store.py)."""
    return (type(self), tuple(getattr(self, name) for name in self.__slots__))


# slots: one object per cue or turn, millions at 10,000 stories
# (benchmarks/README.md, peak memory).
@dataclasses.dataclass(slots=True)
class Cue:
    """One cue of a transcript, as the page, the feed and search use it."""

    number: int  # 1-based position in the file
    start: float  # seconds
    end: float  # seconds
    speaker: str | None  # from the voice tag, or the previous cue's
    text: str  # plain text: tags removed, character references decoded
    timing: str  # "00:00:08.477 --> 00:00:11.928", for messages
    line: int | None = None  # line of the timing in the .vtt file
    voices: tuple[str, ...] = ()  # every voice tag written in the cue
    turn: int = 0  # the speaker turn this cue belongs to (#turn-N), from 1

    __reduce__ = by_fields


@dataclasses.dataclass
class NoteChapter:
    start: float
    title: str
    question: str | None
    cue: int  # number of the cue it starts at


@dataclasses.dataclass
class Transcript:
    name: str  # the file's name as the story names it
    cues: list[Cue]
    chapters: list[NoteChapter]


def read_transcript(path: str, name: str) -> Transcript:
    """Parse the WebVTT file at ``path`` (``name`` is used in messages)."""
    try:
        size = os.path.getsize(path)
    except FileNotFoundError:
        size = 0  # reported below, when it is opened
    if size > MAX_BYTES:
        raise TranscriptError(
            f"'{name}' is {human_size(size)}, more than the "
            f"{human_size(MAX_BYTES)} a transcript may be",
            "check that it is the conversation's WebVTT transcript, not the "
            "audio or a video saved under its name",
        )
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise TranscriptError(
            f"'{name}' does not exist in the story folder",
            "add the transcript file or correct its name in the front matter",
        ) from None
    except UnicodeDecodeError as error:
        raise TranscriptError(
            f"'{name}' is not UTF-8 text (byte {error.start})",
            "save the transcript as UTF-8 in your editor",
        ) from None
    try:
        vtt = webvtt.from_string(text, strict=True)
    except MalformedFileError:
        _refuse_subrip(text, name)  # looked for only once the file failed
        raise TranscriptError(
            f"'{name}' is not a WebVTT file (its first line must be WEBVTT)",
            "export the transcript as WebVTT (.vtt), or add a first line WEBVTT",
        ) from None
    except MalformedCaptionError as error:
        _refuse_subrip(text, name)
        raise TranscriptError(
            f"'{name}' has a cue that cannot be read ({error})",
            "write cue times like 00:01:02.500 --> 00:01:05.000 and leave a "
            "blank line between cues",
        ) from None
    if not vtt.captions:
        raise TranscriptError(
            f"'{name}' has no cues",
            "add the conversation's cues, one '<v Speaker Name>' tag a turn",
        )
    lines = _timing_lines(text)
    if len(lines) != len(vtt.captions):
        lines = [None] * len(vtt.captions)
    cues = []
    speaker = None
    for number, (caption, line) in enumerate(
        zip(vtt.captions, lines, strict=True), start=1
    ):
        voices = tuple(
            _name(voice)
            for voice in caption.VOICE_SPAN_PATTERN.findall(caption.raw_text)
        )
        voice = caption.voice  # a regular expression each time it is asked
        speaker = _name(voice) if voice else speaker
        if voices and not voice:
            speaker = voices[0]
        # One string per speaker, not one per cue (memory at 10,000 stories).
        speaker = sys.intern(speaker) if speaker else speaker
        voices = tuple(sys.intern(voice) for voice in voices)
        cues.append(
            Cue(
                number=number,
                start=caption.start_time.in_milliseconds() / 1000,
                end=caption.end_time.in_milliseconds() / 1000,
                speaker=speaker,
                text=_plain(caption.text),
                timing=f"{caption.start} --> {caption.end}",
                line=line,
                voices=voices,
            )
        )
    chapters = _note_chapters(vtt, cues)
    return Transcript(name=name, cues=cues, chapters=chapters)


# A SubRip cue's timing line: a comma before the milliseconds.
_SUBRIP_TIMING = re.compile(r"^\s*\d{1,2}:\d{2}:\d{2},\d{3}\s+-->", re.MULTILINE)


def _refuse_subrip(text: str, name: str) -> None:
    """TranscriptError if ``text`` is SubRip (.srt), what many transcription
    tools export by default, or has SubRip's comma in its cue times."""
    if not _SUBRIP_TIMING.search(text):
        return
    if text.lstrip().startswith("WEBVTT"):
        raise TranscriptError(
            f"'{name}' writes cue times with a comma (00:00:01,500), as "
            "SubRip (.srt) files do",
            "write them with a dot, like 00:00:01.500, or export the "
            "transcript as WebVTT (.vtt)",
        )
    raise TranscriptError(
        f"'{name}' is a SubRip (.srt) file, not WebVTT",
        "export the transcript as WebVTT (.vtt) from your transcription tool, "
        "with each speaker's name in a <v Name> tag",
    )


def _name(voice: str) -> str:
    """A speaker's name as the story's front matter has it: one form of each
    accented letter (``portal.schema`` keeps names in NFC too). Some programs
    save "D\u00edaz" as an i and a separate accent, which looks the same and
    would never match."""
    return unicodedata.normalize("NFC", voice.strip())


def _plain(text: str) -> str:
    """Cue text without tags (already removed) or line breaks, refs decoded."""
    return " ".join(html.unescape(text).split())


def _note_chapters(vtt, cues: list[Cue]) -> list[NoteChapter]:
    chapters = []
    for index, caption in enumerate(vtt.captions):
        comments = list(caption.comments)
        if index == 0:
            # webvtt-py files NOTEs before the first cue as header comments.
            comments = list(vtt.header_comments) + comments
        for comment in comments:
            fields = {}
            for line in comment.splitlines():
                match = _CHAPTER_KEY.match(line)
                if match:
                    fields.setdefault(match.group(1).lower(), match.group(2))
            if fields.get("chapter"):
                chapters.append(
                    NoteChapter(
                        start=cues[index].start,
                        title=fields["chapter"],
                        question=fields.get("question") or None,
                        cue=cues[index].number,
                    )
                )
    return chapters


def _timing_lines(text: str) -> list[int]:
    """The line number of each cue's timing line, in file order.

    webvtt-py does not keep line numbers; editors need them to find a cue. A
    cue block is a run of non-blank lines whose first or second line holds
    "-->"; NOTE, STYLE and REGION blocks are skipped."""
    numbers = []
    block: list[tuple[int, str]] = []
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        if line:
            block.append((number, line))
            continue
        if block:
            first = block[0][1]
            if not first.startswith(("NOTE", "STYLE", "REGION", "WEBVTT")):
                for timing_number, timing in block[:2]:
                    if "-->" in timing:
                        numbers.append(timing_number)
                        break
            block = []
    return numbers
