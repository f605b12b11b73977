"""A story about to be published must not keep new-story's CHANGE marks.

``invoke new-story`` marks the values it could only guess (today's date as
the recording date, "Participant 1", an empty summary) with ``# CHANGE``, and
the introduction with ``<!-- CHANGE ... -->``. A draft may keep them; a
story set to ``status: published`` may not."""

from __future__ import annotations

import re

from portal.problems import Problem

MARK = re.compile(r"(?:#|<!--)\s*CHANGE\b")
FIELD = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")


def leftover_placeholders(story) -> list[Problem]:
    if story.story.status != "published":
        return []
    try:
        with open(story.source_path, encoding="utf-8-sig") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return []  # the reader has reported it
    problems = []
    in_front_matter = False
    for number, line in enumerate(lines, start=1):
        if line.strip() == "---":
            in_front_matter = number == 1
            continue
        if not MARK.search(line):
            continue
        field = FIELD.match(line) if in_front_matter else None
        name = field.group(1) if field else "body"
        what = "value" if field else "introduction"
        problems.append(
            Problem(
                story.story_source,
                name,
                f"the {what} is still marked CHANGE, as new-story wrote it",
                f"write the real {what}, then delete the CHANGE mark",
                number,
            )
        )
    return problems
