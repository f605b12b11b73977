"""The transcript as the story page shows it: chapters holding speaker turns.

A turn is a run of cues by one speaker inside one chapter; turns are
numbered from 1 in page order, and that number is the ``#turn-N`` anchor the
page, the search index and shared links use (each cue's ``turn``)."""

from __future__ import annotations

import dataclasses

from .transcript import Cue, by_fields


# slots: one object per cue or turn, millions at 10,000 stories
# (benchmarks/README.md, peak memory).
@dataclasses.dataclass(slots=True)
class Turn:
    number: int
    speaker: str
    voice: int  # colour slot: 1.. for participants in order, 0 for others
    start: float
    end: float
    cues: list[Cue]

    __reduce__ = by_fields  # quick to read back (store.py)


# slots: one object per cue or turn, millions at 10,000 stories
# (benchmarks/README.md, peak memory).
@dataclasses.dataclass(slots=True)
class Section:
    chapter: dict | None  # None before the first chapter starts
    number: int | None  # chapter number, from 1
    turns: list[Turn]

    __reduce__ = by_fields


def voice_slots(participants: list[str]) -> dict[str, int]:
    """Participant name -> colour slot (1, 2, ...); others get 0."""
    return {name: index for index, name in enumerate(participants, start=1)}


def sections(cues: list[Cue], chapters: list[dict], participants: list[str]):
    """Group ``cues`` into chapter sections of turns; sets ``cue.turn``."""
    slots = voice_slots(participants)
    out: list[Section] = []
    if not chapters or (cues and cues[0].start < chapters[0]["start"]):
        out.append(Section(None, None, []))
    for number, chapter in enumerate(chapters, start=1):
        out.append(Section(chapter, number, []))
    chapter_index = -1 if out[0].chapter is None else 0
    next_turn = 1
    for cue in cues:
        # A cue belongs to the last chapter that starts at or before it.
        while (
            chapter_index + 1 < len(chapters)
            and chapters[chapter_index + 1]["start"] <= cue.start
        ):
            chapter_index += 1
        section = out[chapter_index + (1 if out[0].chapter is None else 0)]
        turns = section.turns
        if turns and turns[-1].speaker == cue.speaker:
            turn = turns[-1]
            turn.cues.append(cue)
            turn.end = max(turn.end, cue.end)
        else:
            turn = Turn(
                number=next_turn,
                speaker=cue.speaker or "",
                voice=slots.get(cue.speaker, 0),
                start=cue.start,
                end=cue.end,
                cues=[cue],
            )
            next_turn += 1
            turns.append(turn)
        cue.turn = turn.number
    return out
