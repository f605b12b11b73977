"""The transcript and chapters as files: WebVTT, SubRip, Podcasting 2.0 JSON.

WebVTT and SubRip are formatted here, not through webvtt-py: its writer
builds and validates a ``Caption`` object for every cue (20 us each), which
made writing 300-cue transcripts three ways a quarter of a cold build. The
cues are already checked and their text is plain (``transcript.py``), so
each cue is its timing and its text. ``tests/test_transcripts.py`` checks the
output is byte for byte what webvtt-py writes for the same cues, and reads
every file back with webvtt-py. The JSON shapes are the Podcasting 2.0 ones
podcast apps read:
- transcript: ``{"version": "1.0.0", "segments": [{speaker, startTime,
  endTime, body}]}`` (podcastindex.org transcripts JSON);
- chapters: ``{"version": "1.2.0", "chapters": [{startTime, endTime,
  title}]}`` (podcastindex.org JSON chapters)."""

from __future__ import annotations

import decimal
import html
import json

from .transcript import Cue

TRANSCRIPT_JSON_VERSION = "1.0.0"
CHAPTERS_JSON_VERSION = "1.2.0"


def _milliseconds(seconds: float) -> int:
    """Rounded as webvtt-py rounds: from the float's shortest form, halves up."""
    whole = round(seconds * 1000)
    if whole / 1000 == seconds:  # a whole millisecond, as read from a .vtt
        return whole
    exact = decimal.Decimal(repr(float(seconds))).scaleb(3)
    return int(exact.to_integral_value(rounding=decimal.ROUND_HALF_UP))


def _timestamp(seconds: float, separator: str) -> str:
    hours, rest = divmod(_milliseconds(seconds), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    whole, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{whole:02d}{separator}{millis:03d}"


def _timing(cue: Cue, separator: str) -> str:
    start = _timestamp(cue.start, separator)
    return f"{start} --> {_timestamp(cue.end, separator)}"


# Caption lines players and podcast apps show whole (Apple asks for WebVTT
# lines of 65 characters or fewer); a longer cue is shown on more lines.
CAPTION_LINE = 65


def caption_lines(text: str) -> list[str]:
    """``text`` in as few lines of at most ``CAPTION_LINE`` characters as it
    takes, about as long as each other (two lines of 40 read better than
    one of 65 and one of 15). A word longer than a line is not cut."""
    if len(text) <= CAPTION_LINE:
        return [text]
    count = -(-len(text) // CAPTION_LINE)
    for width in range(-(-len(text) // count), CAPTION_LINE + 1):
        lines = _fill(text, width)
        if len(lines) <= count:
            return lines
    return _fill(text, CAPTION_LINE)


def _fill(text: str, width: int) -> list[str]:
    """As many words a line as fit in ``width`` (textwrap's greedy filling,
    for the plain, single-spaced text of a cue: textwrap's general handling
    of whitespace and hyphens made the two files of a 300-cue transcript
    take 60 ms instead of 3)."""
    lines = []
    start = 0
    while len(text) - start > width:
        cut = text.rfind(" ", start, start + width + 1)
        if cut <= start:  # a word longer than the line: it has one alone
            cut = text.find(" ", start + width)
            if cut == -1:
                break
        lines.append(text[start:cut])
        start = cut + 1
    lines.append(text[start:])
    return lines


def to_vtt(cues: list[Cue]) -> str:
    """A normalized WebVTT file: a voice tag on every cue, its text in lines
    a player shows whole (``caption_lines``).

    Players show the speaker of every cue even when the editor tagged only
    the first cue of a turn."""
    blocks = ["WEBVTT\n"]
    for cue in cues:
        speaker = html.escape(cue.speaker or "", quote=False)
        text = "\n".join(
            html.escape(line, quote=False) for line in caption_lines(cue.text)
        )
        blocks.append(f"{cue.number}\n{_timing(cue, '.')}\n<v {speaker}>{text}\n")
    return "\n".join(blocks)


def to_srt(cues: list[Cue]) -> str:
    """SubRip captions; the speaker's name starts each new turn, as captions
    for people who cannot hear say who is talking."""
    blocks = []
    previous = None
    for index, cue in enumerate(cues, start=1):
        text = cue.text
        if cue.speaker and cue.speaker != previous:
            text = f"{cue.speaker}: {text}"
        previous = cue.speaker
        text = "\n".join(caption_lines(text))
        blocks.append(f"{index}\n{_timing(cue, ',')}\n{text}\n")
    return "\n".join(blocks)


def _seconds(value: float) -> float:
    return round(float(value), 3)


def to_json(cues: list[Cue]) -> str:
    segments = [
        {
            "speaker": cue.speaker,
            "startTime": _seconds(cue.start),
            "endTime": _seconds(cue.end),
            "body": cue.text,
        }
        for cue in cues
    ]
    return _dump({"version": TRANSCRIPT_JSON_VERSION, "segments": segments})


def chapters_json(chapters: list[dict]) -> str:
    items = [
        {
            "startTime": _seconds(chapter["start"]),
            "endTime": _seconds(chapter["end"]),
            "title": chapter["title"],
        }
        for chapter in chapters
    ]
    return _dump({"version": CHAPTERS_JSON_VERSION, "chapters": items})


def _dump(data: dict) -> str:
    # Compact: with indent, json uses its pure-Python encoder (10x slower),
    # and apps do not read the whitespace.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
