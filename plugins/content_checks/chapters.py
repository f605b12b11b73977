"""Chapters and the quote written in the front matter must be inside the audio."""

from __future__ import annotations

import itertools
import os
import posixpath
import re

from portal.problems import Problem
from portal.timecode import format_timecode

# A time as written on a ``start:`` or ``end:`` line of story.md, quoted or
# not (``- start: 90:00`` of a chapter, ``end: "90:00"`` of the quote).
_WRITTEN_TIME = r"\b{key}\s*:\s*['\"]?\s*(\d+:\d+(?::\d+)?(?:\.\d+)?)"
# How to write a time, said in every fix for a time past the end.
HOW_TO_WRITE_A_TIME = "minutes:seconds (4:05) or hours:minutes:seconds (1:02:03)"


def chapters_past_the_end(story) -> list[Problem]:
    problems = []
    duration = story.story.audio.duration
    for index, chapter in enumerate(story.story.front.chapters):
        if chapter.start >= duration:
            line = story.story.lines.get(("chapters", index, "start"))
            problems.append(
                Problem(
                    story.story.source,
                    f"chapters.{index}.start",
                    f"chapter {index + 1} ('{chapter.title}') starts at "
                    f"{as_written(story, line, 'start', chapter.start)}, but the "
                    f"audio ends at {format_timecode(duration)}",
                    f"correct the start time, written as {HOW_TO_WRITE_A_TIME}, "
                    "or check that 'audio' names the right file",
                    line,
                )
            )
    return problems


def as_written(story, line: int | None, key: str, seconds: float) -> str:
    """The time on ``line`` of story.md (its ``key:``, start or end) as the
    editor wrote it, and how it is read when that is not plain: "90:00, read
    as 90 minutes (1:30:00)" (minutes past 59 with no hours are minutes, not
    a typo the schema can tell). Every time the check says is past the end
    of the audio is said this way."""
    shown = format_timecode(seconds)
    written = _written_time(story, line, key)
    if written is None or written.count(":") != 1:
        return shown
    minutes = int(written.split(":")[0])
    if minutes < 60:
        return shown
    return f"{written}, read as {minutes} minutes ({shown})"


def _written_time(story, line: int | None, key: str) -> str | None:
    """The ``key:`` time on ``line`` of story.md, as it is written."""
    if line is None:
        return None
    path = os.path.join(story.story.folder, posixpath.basename(story.story.source))
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = next(itertools.islice(handle, line - 1, None), "")
    except (OSError, UnicodeDecodeError):
        return None
    match = re.search(_WRITTEN_TIME.format(key=key), text)
    return match.group(1) if match else None


# A rendition may end a fraction of a second from its master (encoder
# padding); a quote ending within this of the end still plays whole.
QUOTE_END_TOLERANCE = 0.5


def quote_past_the_end(story) -> list[Problem]:
    """The marked quote (podcast:soundbite) must lie inside the audio."""
    quote = story.story.front.quote
    duration = story.story.audio.duration
    if quote is None or quote.end <= duration + QUOTE_END_TOLERANCE:
        return []
    line = story.story.lines.get(("quote", "end"))
    return [
        Problem(
            story.story.source,
            "quote.end",
            f"the quote ends at {as_written(story, line, 'end', quote.end)}, but "
            f"the audio ends at {format_timecode(duration)}",
            "correct the quote's times, or check that 'audio' names the right file",
            line,
        )
    ]
