"""Where ``invoke new-story`` left a value for the editor to write.

It marks the values it could only guess (today's date as the recording
date, "Participant 1", an empty summary) with ``# CHANGE``, and the
introduction with ``<!-- CHANGE ... -->``. The story reader finds the marks
as it reads story.md (they are kept with what it read, in Pelican's reader
cache); content_checks reports those left in (``placeholders.py``)."""

from __future__ import annotations

import re

MARK = re.compile(r"(?:#|<!--)\s*CHANGE\b")
FIELD = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")


def change_marks(text: str) -> tuple[tuple[int, str | None], ...]:
    """Each mark in story.md's ``text``: its line (1-based) and the
    front-matter field it is on (None: the introduction)."""
    marks = []
    in_front_matter = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == "---":
            in_front_matter = number == 1
            continue
        if not MARK.search(line):
            continue
        field = FIELD.match(line) if in_front_matter else None
        marks.append((number, field.group(1) if field else None))
    return tuple(marks)
