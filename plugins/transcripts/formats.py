"""The transcript and chapters as files: WebVTT, SubRip, Podcasting 2.0 JSON.

WebVTT and SubRip are written by webvtt-py. The JSON shapes are the
Podcasting 2.0 ones podcast apps read:
- transcript: ``{"version": "1.0.0", "segments": [{speaker, startTime,
  endTime, body}]}`` (podcastindex.org transcripts JSON);
- chapters: ``{"version": "1.2.0", "chapters": [{startTime, endTime,
  title}]}`` (podcastindex.org JSON chapters)."""

from __future__ import annotations

import html
import io
import json

import webvtt
from webvtt.models import Timestamp

from .transcript import Cue

TRANSCRIPT_JSON_VERSION = "1.0.0"
CHAPTERS_JSON_VERSION = "1.2.0"


def _caption(cue: Cue, text: str) -> webvtt.Caption:
    caption = webvtt.Caption(text=text, identifier=str(cue.number))
    caption.start_time = Timestamp.from_seconds(cue.start)
    caption.end_time = Timestamp.from_seconds(cue.end)
    return caption


def to_vtt(cues: list[Cue]) -> str:
    """A normalized WebVTT file: a voice tag on every cue, one line of text.

    Players show the speaker of every cue even when the editor tagged only
    the first cue of a turn."""
    captions = [
        _caption(
            cue,
            f"<v {html.escape(cue.speaker or '', quote=False)}>"
            f"{html.escape(cue.text, quote=False)}",
        )
        for cue in cues
    ]
    return webvtt.WebVTT(captions=captions).content


def to_srt(cues: list[Cue]) -> str:
    """SubRip captions; the speaker's name starts each new turn, as captions
    for people who cannot hear say who is talking."""
    captions = []
    previous = None
    for cue in cues:
        text = cue.text
        if cue.speaker and cue.speaker != previous:
            text = f"{cue.speaker}: {text}"
        previous = cue.speaker
        captions.append(_caption(cue, text))
    out = io.StringIO()
    webvtt.WebVTT(captions=captions).write(out, format="srt")
    return out.getvalue() + "\n"


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
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
