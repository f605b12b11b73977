"""Chapters written in the front matter must start inside the audio."""

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
