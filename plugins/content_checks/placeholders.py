"""What ``invoke new-story`` left for the editor to write, still unwritten.

``invoke new-story`` marks the values it could only guess with ``# CHANGE``
and the introduction with ``<!-- CHANGE ... -->`` (``portal.change_marks``;
the story reader finds them). A story set to ``status: published`` may not
keep them (errors); a draft may, but is told about them (warnings), so
``invoke check`` does not say "No errors." over a story that is still a
sketch. A participant with no description is a warning in any story:
listeners meet them by it."""

from __future__ import annotations

from portal.problems import Problem, Severity


def leftover_placeholders(story) -> list[Problem]:
    published = story.story.front.status == "published"
    severity = Severity.ERROR if published else Severity.WARNING
    before = "" if published else " before the story is published"
    problems = []
    for number, field in story.story.change_marks:
        what = "value" if field else "introduction"
        problems.append(
            Problem(
                story.story.source,
                field or "body",
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
