"""What ``invoke new-story`` left for the editor to write, still unwritten.

``invoke new-story`` marks the values it could only guess (today's date as
the recording date, "Participant 1", an empty summary) with ``# CHANGE``, and
the introduction with ``<!-- CHANGE ... -->``. A story set to
``status: published`` may not keep them (errors); a draft may, but is told
about them (warnings), so ``invoke check`` does not say "No errors." over a
story that is still a sketch. A participant with no description is a
warning in any story: listeners meet them by it."""

from __future__ import annotations

import re

from portal.problems import Problem, Severity

MARK = re.compile(r"(?:#|<!--)\s*CHANGE\b")
FIELD = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")


def leftover_placeholders(story) -> list[Problem]:
    published = story.story.front.status == "published"
    severity = Severity.ERROR if published else Severity.WARNING
    before = "" if published else " before the story is published"
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
                story.story.source,
                name,
                f"the {what} is still marked CHANGE, as new-story wrote it",
                f"write the real {what}, then delete the CHANGE mark{before}",
                number,
                severity,
            )
        )
    return problems


def empty_descriptions(story) -> list[Problem]:
    problems = []
    for index, participant in enumerate(story.story.front.participants):
        if not participant.description:
            problems.append(
                Problem(
                    story.story.source,
                    f"participants.{index}.description",
                    f"participant {index + 1} ('{participant.name}') has no "
                    "description",
                    "write a few words under 'description:': what they do, "
                    "where they live (like 'retired teacher, Tulsa, Oklahoma')",
                    story.story.lines.get(("participants", index, "description"))
                    or story.story.lines.get(("participants", index)),
                    Severity.WARNING,
                )
            )
    return problems
