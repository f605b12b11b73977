"""Time codes as editors write them ("4:05", "01:02:03.5", 245) and back."""

from __future__ import annotations

import math
import re

_TIMECODE = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")
# Every text parse_timecode accepts the shape of (seconds, M:SS, H:MM:SS),
# for forms; the 60-minutes-or-seconds rule is checked by parse_timecode.
TIMECODE_PATTERN = r"^\s*(?:\d+(?:\.\d+)?|(?:\d+:)?\d{1,2}:\d{1,2}(?:\.\d+)?)\s*$"


def parse_timecode(value: str | int | float) -> float:
    """Seconds from "SS", "MM:SS", "HH:MM:SS" (fractions allowed) or a number.

    Raises ValueError with a message an editor can act on."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a time")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"{value} is negative")
        return float(value)
    text = str(value).strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    match = _TIMECODE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a time like 4:05 or 1:02:03")
    hours, minutes, seconds = match.groups()
    if (int(minutes) >= 60 and hours is not None) or float(seconds) >= 60:
        raise ValueError(f"{text!r} has minutes or seconds of 60 or more")
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)


def whole_seconds(seconds: float | None) -> int:
    """The one rule for a time or a length shown anywhere (cards, pages, the
    player, JSON-LD, the podcast feed): down to the whole second, as a clock
    counts. A 49.6-second story is "49 sec", 0:49 and 49 alike; player.js
    counts the same way (its ``clock``)."""
    return max(0, math.floor(seconds or 0))


def format_timecode(seconds: float) -> str:
    """ "M:SS" below an hour, "H:MM:SS" above (``whole_seconds``)."""
    hours, rest = divmod(whole_seconds(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def iso8601_duration(seconds: float) -> str:
    """schema.org wants durations like PT4M5S (``whole_seconds``)."""
    hours, rest = divmod(whole_seconds(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    return out + f"{secs}S"
