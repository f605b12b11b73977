"""Chapters and the quote written in the front matter must be inside the audio."""

from __future__ import annotations

from portal.problems import Problem
from portal.timecode import format_timecode


def chapters_past_the_end(story) -> list[Problem]:
    problems = []
    duration = story.story.audio.duration
    for index, chapter in enumerate(story.story.front.chapters):
        if chapter.start >= duration:
            problems.append(
                Problem(
                    story.story.source,
                    f"chapters.{index}.start",
                    f"chapter {index + 1} ('{chapter.title}') starts at "
                    f"{format_timecode(chapter.start)}, but the audio ends at "
                    f"{format_timecode(duration)}",
                    "correct the start time, or check that 'audio' names the "
                    "right file",
                    story.story.lines.get(("chapters", index, "start")),
                )
            )
    return problems


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
