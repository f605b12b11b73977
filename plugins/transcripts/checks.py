"""What makes a parsed transcript wrong for its story, worded for editors.

Each finding names the transcript file and the cue (its number, times and
line), says what is wrong and how to fix it. The plugin turns them into
``portal.problems.Problem`` reports against the story."""

from __future__ import annotations

import dataclasses
import difflib
import re

from portal.timecode import format_timecode

from .transcript import Cue, Transcript

# Times in files are written to the millisecond; compare at that precision.
EPSILON = 0.0005


# Cues without a speaker, or ending after the audio, told of one by one;
# the rest in one message. A transcript exported without voice tags (or with
# "Name:" in each cue, as Zoom writes it) lacks them in every cue, and one of
# another recording overruns in most: hundreds of the same error would hide
# every other problem.
SAID_ONE_BY_ONE = 3

# Characters that look alike in names: curly and straight apostrophes and
# quotes, and the dashes of double-barrelled names.
_LOOK_ALIKE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2013": "-",
    }
)


def _same_but_punctuation(voice: str, speakers: list[str]) -> str | None:
    """The speaker ``voice`` stands for if only look-alike punctuation
    differs, else None."""
    folded = voice.translate(_LOOK_ALIKE)
    return next((s for s in speakers if s.translate(_LOOK_ALIKE) == folded), None)


@dataclasses.dataclass(frozen=True)
class Finding:
    message: str
    fix: str
    warning: bool = False


def transcript_findings(
    transcript: Transcript,
    speakers: list[str],
    duration: float,
    audio_name: str,
    participants: list[str] | None = None,
) -> list[Finding]:
    """Problems of ``transcript`` for a story whose allowed speakers are
    ``speakers`` (the participants, and the facilitator if any) and whose
    audio ``audio_name`` lasts ``duration`` seconds."""
    findings = []
    previous: Cue | None = None
    allowed = ", ".join(f"'{name}'" for name in speakers)
    unvoiced: list[Cue] = []
    late: list[Cue] = []  # ending after the audio
    for cue in transcript.cues:
        where = _where(transcript, cue)
        if cue.end <= cue.start + EPSILON:
            findings.append(
                Finding(
                    f"{where}: ends before it starts",
                    "make the end time (after -->) later than the start time",
                )
            )
        if cue.speaker is None:
            unvoiced.append(cue)
        named = _named_before_colon(cue.text, speakers) if cue.speaker is None else None
        if len(unvoiced) > SAID_ONE_BY_ONE and unvoiced[-1] is cue:
            pass  # said together, below
        elif named:
            said, name = named
            findings.append(
                Finding(
                    f"{where}: has no speaker: '{said}:' at its start is read "
                    "as words said",
                    f"write <v {name}> in place of '{said}:' (in every cue that "
                    "begins with a name and a colon)",
                )
            )
        elif cue.speaker is None:
            findings.append(
                Finding(
                    f"{where}: has no speaker",
                    "begin the cue with a voice tag naming who speaks, like "
                    f"<v {speakers[0]}>",
                )
            )
        for voice in dict.fromkeys(cue.voices):
            if voice not in speakers:
                twin = _same_but_punctuation(voice, speakers)
                if twin:
                    findings.append(
                        Finding(
                            f"{where}: the speaker '{voice}' is written with "
                            f"other punctuation than the participant '{twin}'",
                            "use the same apostrophes, quotes and dashes in the "
                            "<v Name> tag as in the story's participants (a curly "
                            "\u2019 and a straight ' look alike but differ)",
                        )
                    )
                    continue
                hint = difflib.get_close_matches(voice, speakers, n=1, cutoff=0.6)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
                findings.append(
                    Finding(
                        f"{where}: the speaker '{voice}' is not one of the "
                        "participants",
                        "write the name in <v Name> exactly as in the story's "
                        f"participants: {allowed}{suggestion}",
                    )
                )
        if len(set(cue.voices)) > 1:
            findings.append(
                Finding(
                    f"{where}: has more than one speaker "
                    f"({', '.join(dict.fromkeys(cue.voices))})",
                    "split it into one cue for each speaker's words",
                )
            )
        if not cue.text:
            findings.append(
                Finding(
                    f"{where}: has no words",
                    "write what is said in the cue, or remove the cue",
                )
            )
        if previous is not None and cue.start < previous.end - EPSILON:
            findings.append(
                Finding(
                    f"{where}: starts before cue {previous.number} ends "
                    f"({previous.timing.split(' --> ')[1]})",
                    f"start cue {cue.number} at {previous.timing.split(' --> ')[1]}"
                    f" or later, or end cue {previous.number} earlier: cues "
                    "must not overlap",
                )
            )
        if cue.end > duration + EPSILON:
            late.append(cue)
        if cue.end > duration + EPSILON and len(late) <= SAID_ONE_BY_ONE:
            findings.append(
                Finding(
                    f"{where}: ends after the audio, which is "
                    f"{_vtt_time(duration)} long ({audio_name})",
                    "correct the cue's end time, or check that the transcript "
                    f"belongs to {audio_name}",
                )
            )
        previous = cue
    for cues, what, fix in (
        (unvoiced, "have no speaker", "give each a voice tag, as said above"),
        (
            late,
            f"end after the audio ({audio_name})",
            f"check that the transcript belongs to {audio_name}",
        ),
    ):
        more = cues[SAID_ONE_BY_ONE:]
        if more:
            first, last = more[0], more[-1]
            findings.append(
                Finding(
                    f"{transcript.name}: {len(more)} more cues {what}, from cue "
                    f"{first.number} (line {first.line}) to cue {last.number} "
                    f"(line {last.line})",
                    fix,
                )
            )
    heard = {cue.speaker for cue in transcript.cues}
    for name in participants or []:
        if name not in heard:
            findings.append(
                Finding(
                    f"{transcript.name}: no cue has the voice of {name}",
                    f"tag {name}'s turns with <v {name}>",
                    warning=True,
                )
            )
    return findings


# "Ada Lopez: Hello": how Zoom and other tools write who speaks, which
# WebVTT reads as words said.
_NAME_AND_COLON = re.compile(r"([^:\n]{1,80}):\s")


def _named_before_colon(text: str, speakers: list[str]) -> tuple[str, str] | None:
    """(what is written, the speaker) when ``text`` begins with one of the
    ``speakers``' names and a colon."""
    match = _NAME_AND_COLON.match(text)
    if not match:
        return None
    said = match.group(1).strip()
    folded = said.translate(_LOOK_ALIKE).casefold()
    name = next(
        (s for s in speakers if s.translate(_LOOK_ALIKE).casefold() == folded), None
    )
    return (said, name) if name else None


def _where(transcript: Transcript, cue: Cue) -> str:
    line = f", line {cue.line}" if cue.line else ""
    return f"{transcript.name}: cue {cue.number} ({cue.timing}{line})"


def _vtt_time(seconds: float) -> str:
    """00:00:49.763, as WebVTT files write times."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def short_time(seconds: float) -> str:
    """0:49, as the page shows times."""
    return format_timecode(seconds)
