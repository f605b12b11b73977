"""The conversation timeline, measured at build time for an inline SVG.

Each participant has a lane; each cue is a bar in the speaker's lane from
its start to its end; chapter starts are marks across every lane. The SVG's
positions are percentages (x = seconds / duration * 100), so the page
stretches it to any width. Speaking time is the sum of a speaker's cues."""

from __future__ import annotations

import dataclasses

from .transcript import Cue, by_fields
from .turns import voice_slots

WIDTH = 100  # percent of the drawing's width
LANE_HEIGHT = 12
LANE_GAP = 6
PAD = 5  # room below the lanes for chapter marks
TOP = 16  # room above the lanes for chapter numbers


# slots: one object per cue or turn, millions at 10,000 stories
# (benchmarks/README.md, peak memory).
@dataclasses.dataclass(slots=True)
class Bar:
    x: float
    width: float
    start: float  # start, end, speaker and voice: the share card's outline
    end: float
    speaker: str
    voice: int

    __reduce__ = by_fields  # quick to read back (store.py)


# slots: one object per cue or turn, millions at 10,000 stories
# (benchmarks/README.md, peak memory).
@dataclasses.dataclass(slots=True)
class Lane:
    speaker: str
    voice: int
    y: float

    __reduce__ = by_fields


# slots: one object per cue or turn, millions at 10,000 stories
# (benchmarks/README.md, peak memory).
@dataclasses.dataclass(slots=True)
class Mark:
    x: float
    number: int
    title: str
    start: float

    __reduce__ = by_fields


@dataclasses.dataclass
class Share:
    speaker: str
    voice: int
    seconds: float
    percent: int  # whole percents that add up to 100
    x: float  # where its part of the share bar starts (0-100)
    width: float


@dataclasses.dataclass
class Timeline:
    width: int
    height: float
    lane_height: float
    duration: float
    lanes: list[Lane]
    bars: list[Bar]
    marks: list[Mark]
    shares: list[Share]

    @property
    def voices(self) -> list[tuple[Lane, list[Bar]]]:
        """Each lane with its bars, in time order: the page draws a group a
        voice, so that a bar needs no colour or name of its own."""
        bars_of: dict[str, list[Bar]] = {lane.speaker: [] for lane in self.lanes}
        for bar in self.bars:
            bars_of[bar.speaker].append(bar)
        return [(lane, bars_of[lane.speaker]) for lane in self.lanes]

    @property
    def summary(self) -> str:
        """One sentence for people who cannot see the drawing."""
        parts = [f"{share.speaker} {share.percent}%" for share in self.shares]
        text = "Who speaks when. Share of speaking time: " + ", ".join(parts)
        if self.marks:
            text += f". {len(self.marks)} chapters are marked."
        return text


def _x(seconds: float, duration: float) -> float:
    return round(min(max(seconds, 0.0), duration) / duration * WIDTH, 3)


def build_timeline(
    cues: list[Cue], chapters: list[dict], participants: list[str], duration: float
) -> Timeline | None:
    if not cues or duration <= 0:
        return None
    slots = voice_slots(participants)
    order = [name for name in participants if any(c.speaker == name for c in cues)]
    order += list(dict.fromkeys(c.speaker for c in cues if c.speaker not in order))
    lanes = [
        Lane(name, slots.get(name, 0), TOP + index * (LANE_HEIGHT + LANE_GAP))
        for index, name in enumerate(order)
    ]
    bars = []
    for cue in cues:
        x = _x(cue.start, duration)
        bars.append(
            Bar(
                x=x,
                width=round(_x(cue.end, duration) - x, 3),
                start=cue.start,
                end=cue.end,
                speaker=cue.speaker,
                voice=slots.get(cue.speaker, 0),
            )
        )
    marks = [
        Mark(_x(chapter["start"], duration), number, chapter["title"], chapter["start"])
        for number, chapter in enumerate(chapters, start=1)
    ]
    height = TOP + PAD + len(lanes) * LANE_HEIGHT + (len(lanes) - 1) * LANE_GAP
    return Timeline(
        width=WIDTH,
        height=height,
        lane_height=LANE_HEIGHT,
        duration=duration,
        lanes=lanes,
        bars=bars,
        marks=marks,
        shares=_shares(cues, order, slots),
    )


def _shares(cues: list[Cue], order: list[str], slots: dict[str, int]) -> list[Share]:
    seconds = {name: 0.0 for name in order}
    for cue in cues:
        seconds[cue.speaker] += max(cue.end - cue.start, 0.0)
    total = sum(seconds.values()) or 1.0
    exact = {name: seconds[name] / total * 100 for name in order}
    # Largest remainder: whole percents that add up to exactly 100.
    percents = {name: int(value) for name, value in exact.items()}
    short = 100 - sum(percents.values())
    for name in sorted(order, key=lambda n: exact[n] - percents[n], reverse=True)[
        :short
    ]:
        percents[name] += 1
    shares, x = [], 0.0
    for name in order:
        width = round(exact[name], 3)
        shares.append(
            Share(
                name,
                slots.get(name, 0),
                seconds[name],
                percents[name],
                round(x, 3),
                width,
            )
        )
        x += exact[name]
    return shares
