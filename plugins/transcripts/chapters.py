"""A story's chapters from the first source that has any.

Editors' front matter wins over ``NOTE chapter:`` blocks in the transcript,
which win over chapters embedded in the audio file (ID3 CHAP, MP4 chapters):
sources are never mixed, so an editor who writes chapters sees exactly those.

Each chapter is a dict ``{start, end, title, question}`` (seconds; ``end`` is
the next chapter's start, or the audio's end, the rendition's once
``fit_to_audio`` timed them for it; ``question`` is a key of the
conversation guide's questions, or None)."""

from __future__ import annotations

import dataclasses
import itertools

from portal.timecode import format_timecode

FRONT_MATTER = "front matter"
TRANSCRIPT = "transcript"
AUDIO = "audio"


@dataclasses.dataclass(frozen=True)
class LateChapter:
    """A chapter that starts at or after the end of the audio."""

    source: str
    index: int  # 0-based position in its source
    title: str
    start: float

    def message(self, audio_name: str, duration: float) -> str:
        return (
            f"chapter {self.index + 1} '{self.title}' starts at "
            f"{format_timecode(self.start)}, after the audio ends "
            f"({audio_name} is {format_timecode(duration)} long)"
        )

    def fix(self, duration: float) -> str:
        return f"give it a start time before {format_timecode(duration)}, or remove it"


@dataclasses.dataclass
class ChapterChoice:
    chapters: list[dict]
    source: str | None  # FRONT_MATTER, TRANSCRIPT, AUDIO or None
    late: list[LateChapter]


def choose_chapters(
    front_matter, note_chapters, audio_chapters, duration
) -> ChapterChoice:
    """Chapters from the first non-empty source; every start inside the audio."""
    sources = (
        (FRONT_MATTER, front_matter),
        (TRANSCRIPT, note_chapters),
        (AUDIO, audio_chapters),
    )
    source, items = next(
        ((name, items) for name, items in sources if items), (None, [])
    )
    if not items:
        return ChapterChoice([], None, [])
    inside, late = [], []
    for index, item in enumerate(items):
        title = str(item.title).strip()
        question = getattr(item, "question", None)
        if item.start >= duration:
            late.append(LateChapter(source, index, title, item.start))
            continue
        if inside and item.start <= inside[-1]["start"]:
            continue  # an embedded chapter list out of order: keep the first
        inside.append(
            {
                "start": float(item.start),
                "end": None,
                "title": title,
                "question": question,
            }
        )
    for chapter, following in itertools.pairwise(inside):
        chapter["end"] = following["start"]
    if inside:
        inside[-1]["end"] = float(duration)
    return ChapterChoice(inside, source, late)


def fit_to_audio(record, duration: float) -> None:
    """The record's chapters timed for audio of ``duration`` seconds.

    Chapters are chosen against the editors' master; listeners get a
    rendition some milliseconds shorter or longer (whole MP3 frames), and
    chapters.json, the feed and the page's player must fit the file they
    serve: a chapter starting past its end is left out, none ends past it,
    and the last ends where it ends. The answers the question index finds by
    a chapter's (start, end) follow. New lists and dicts: the transcript's
    cache entry holds the chapters chosen against the master."""
    answers = record.chapter_answers
    chapters, fitted_answers = [], {}
    for chapter in record.chapters:
        if chapter["start"] >= duration:
            continue
        end = min(chapter["end"] or duration, duration)
        chapters.append({**chapter, "end": end})
    if chapters:
        chapters[-1]["end"] = float(duration)
    for before, after in zip(record.chapters, chapters, strict=False):
        key = (float(before["start"]), before.get("end"))
        if key in answers:
            fitted_answers[(float(after["start"]), after["end"])] = answers[key]
    record.chapters = chapters
    record.chapter_answers = fitted_answers
