"""What ``invoke new-story`` left for the editor to write, still unwritten.

``invoke new-story`` marks the values it could only guess with ``# CHANGE``
and the introduction with ``<!-- CHANGE ... -->`` (``portal.change_marks``;
the story reader finds them). A story set to ``status: published`` may not
keep them (errors); a draft may, but is told about them (warnings), so
``invoke check`` does not say "No errors." over a story that is still a
sketch. A participant with no description is a warning in any story:
listeners meet them by it. A transcription tool's label taken for a name
("Speaker 1") is told of as a CHANGE mark is."""

from __future__ import annotations

import re

from portal.problems import Problem, Severity

# How transcription tools (Otter, Whisper, Descript...) name voices they could
# not name: "Speaker 1", "SPEAKER_00", "Speaker A", "Unknown speaker".
# new-story takes the participants' names from the transcript (its own
# "Participant 1", when there are none, is marked CHANGE).
SPEAKER_LABEL = re.compile(
    r"(?:unknown[\s_-]*)?(?:speaker|spk)(?:[\s_-]*(?:\d{1,2}|[a-z]))?",
    re.IGNORECASE,
)


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


def speaker_labels(story) -> list[Problem]:
    published = story.story.front.status == "published"
    problems = []
    for index, participant in enumerate(story.story.front.participants):
        if not SPEAKER_LABEL.fullmatch(participant.name.strip()):
            continue
        problems.append(
            Problem(
                story.story.source,
                f"participants.{index}.name",
                f"participant {index + 1} is called '{participant.name}', a "
                "transcription tool's label, not a name",
                "write the person's name here and in the transcript's voice tags "
                f"(<v {participant.name}> becomes <v Their Name>)",
                story.story.lines.get(("participants", index, "name"))
                or story.story.lines.get(("participants", index)),
                Severity.ERROR if published else Severity.WARNING,
            )
        )
    return problems
