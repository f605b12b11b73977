"""What other pages show of a transcript, made with its entry (store.py).

The share card draws the "who speaks when" timeline; the question index
quotes the first thing said in answer in each chapter. Both are small, so
they are kept in the part of the entry every build reads, and neither page
loads the story's whole transcript."""

from __future__ import annotations

import dataclasses
import hashlib
import struct

QUOTE_LENGTH = 180
# One bar of an outline: start and end (fractions of the audio, as Python
# floats, exactly), lane and voice (small numbers: one a speaker).
_BAR = struct.Struct("<ddBB")


@dataclasses.dataclass(frozen=True)
class Outline:
    """The timeline for the share card: (start fraction, end fraction, lane,
    voice) of each bar, and the number of lanes (speakers).

    The bars are kept packed: 18 bytes a bar, not some 150 of tuples and
    floats (a 300-cue story's outline is 5 KB). A build holds only each
    outline's ``summary``; the bars are made from the story's transcript
    when its card is drawn (``store.TranscriptView.outline``)."""

    packed: bytes
    lanes: int

    @property
    def bars(self) -> tuple[tuple[float, float, int, int], ...]:
        return tuple(_BAR.iter_unpack(self.packed))

    @property
    def digest(self) -> str:
        """The bars' SHA-256: the share card's key holds it."""
        return hashlib.sha256(self.packed).hexdigest()

    @property
    def summary(self) -> OutlineSummary:
        return OutlineSummary(self.digest, self.lanes)


@dataclasses.dataclass(frozen=True)
class OutlineSummary:
    """What the build holds of a story's outline: the bars' digest, which
    the share card's key holds, and the number of lanes."""

    digest: str
    lanes: int


def outline(timeline) -> Outline:
    duration = timeline.duration
    lane_of = {lane.speaker: index for index, lane in enumerate(timeline.lanes)}
    return Outline(
        packed=b"".join(
            _BAR.pack(
                round(bar.start / duration, 4),
                round(bar.end / duration, 4),
                lane_of[bar.speaker],
                bar.voice,
            )
            for bar in timeline.bars
        ),
        lanes=len(timeline.lanes),
    )


@dataclasses.dataclass(frozen=True)
class Quote:
    speaker: str
    text: str
    turn: int | None


def _clip(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= QUOTE_LENGTH:
        return text
    cut = text[:QUOTE_LENGTH].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def answer_quote(cues, start: float, end: float | None) -> Quote | None:
    """The first thing said in answer inside [start, end).

    The chapter usually opens with the question being asked; the answer is
    the first turn that is not itself a question."""
    inside = [
        cue
        for cue in cues
        if cue.start >= start - 0.01 and (end is None or cue.start < end)
    ]
    if not inside:
        return None
    chosen = next(
        (cue for cue in inside if not cue.text.rstrip().endswith("?")), inside[0]
    )
    # Join the rest of that speaker's turn so the quote is a whole thought.
    turn = chosen.turn
    text = " ".join(
        cue.text for cue in inside if cue is chosen or (turn and cue.turn == turn)
    )
    return Quote(chosen.speaker or "", _clip(text), turn or None)


def chapter_answers(cues, chapters: list[dict]) -> dict:
    """(start, end) of each chapter that answers a guide question -> its quote."""
    found = {}
    for chapter in chapters:
        if chapter.get("question"):
            start, end = float(chapter["start"]), chapter.get("end")
            quote = answer_quote(cues, start, end)
            if quote is not None:
                found[(start, end)] = quote
    return found
