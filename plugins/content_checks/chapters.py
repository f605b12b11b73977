"""Chapters and the quote written in the front matter must be inside the audio."""

from __future__ import annotations

import itertools
import os
import posixpath
import re

from portal.problems import Problem
from portal.timecode import format_timecode

# A time as written in story.md's ``start:`` line, quoted or not.
_WRITTEN_START = re.compile(r"start\s*:\s*['\"]?\s*(\d+:\d+(?::\d+)?(?:\.\d+)?)")


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
                    f"{_as_written(story, line, chapter.start)}, but the audio "
                    f"ends at {format_timecode(duration)}",
                    "correct the start time, written as minutes:seconds (4:05) "
                    "or hours:minutes:seconds (1:02:03), or check that 'audio' "
                    "names the right file",
                    line,
                )
            )
    return problems


def _as_written(story, line: int | None, seconds: float) -> str:
    """The time as the editor wrote it, and how it is read when that is not
    plain: "90:00, read as 90 minutes (1:30:00)" (minutes past 59 with no
    hours are minutes, not a typo the schema can tell)."""
    shown = format_timecode(seconds)
    written = _written_start(story, line)
    if written is None or written.count(":") != 1:
        return shown
    minutes = int(written.split(":")[0])
    if minutes < 60:
        return shown
    return f"{written}, read as {minutes} minutes ({shown})"


def _written_start(story, line: int | None) -> str | None:
    """The ``start:`` time on ``line`` of story.md, as it is written."""
    if line is None:
        return None
    path = os.path.join(story.story.folder, posixpath.basename(story.story.source))
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = next(itertools.islice(handle, line - 1, None), "")
    except (OSError, UnicodeDecodeError):
        return None
    match = _WRITTEN_START.search(text)
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
    return [
        Problem(
            story.story.source,
            "quote.end",
            f"the quote ends at {format_timecode(quote.end)}, but the audio ends "
            f"at {format_timecode(duration)}",
            "correct the quote's times, or check that 'audio' names the right file",
            story.story.lines.get(("quote", "end")),
        )
    ]
