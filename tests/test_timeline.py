"""The conversation timeline: an SVG drawn at build time from the cue times."""

from __future__ import annotations

import json

import pytest

from tests.listening import Elements, write_transcript_story
from tests.support import LEAN, build_site, built_once, copy_content


def _bars(page: Elements) -> list[dict]:
    return [
        e["attrs"]
        for e in page.all("rect")
        if "timeline__bar" in e["attrs"].get("class", "")
    ]


def _duration(page: Elements) -> float:
    (timeline,) = page.all("div", data_timeline=True)
    return float(timeline["attrs"]["data-duration"])


def test_every_sample_story_timeline_matches_its_cues(sample_site):
    checked = 0
    for folder in sorted((sample_site / "stories").iterdir()):
        transcript = folder / "transcript.json"
        if not transcript.is_file():
            continue
        segments = json.loads(transcript.read_text())["segments"]
        page = Elements((folder / "index.html").read_text())
        duration = _duration(page)
        bars = _bars(page)
        assert len(bars) == len(segments), folder.name
        lanes = {}
        for bar, cue in zip(bars, segments, strict=True):
            assert float(bar["data-start"]) == pytest.approx(cue["startTime"], abs=5e-4)
            assert float(bar["data-end"]) == pytest.approx(cue["endTime"], abs=5e-4)
            assert bar["data-speaker"] == cue["speaker"]
            x = float(bar["x"].removesuffix("%"))
            width = float(bar["width"].removesuffix("%"))
            assert x == pytest.approx(cue["startTime"] / duration * 100, abs=5e-3)
            assert x + width == pytest.approx(cue["endTime"] / duration * 100, abs=5e-3)
            # One lane (row) a speaker.
            assert lanes.setdefault(cue["speaker"], bar["y"]) == bar["y"]
        assert len(set(lanes.values())) == len(lanes)
        checked += 1
    assert checked >= 3


@pytest.fixture(scope="module")
def page(request):
    def build(base):
        content = copy_content(base / "content")
        write_transcript_story(content, "talk")
        return build_site(content, base / "out", **LEAN)

    output = built_once(request, build)
    return Elements((output / "stories" / "talk" / "index.html").read_text())


def test_bars_lanes_colours_and_chapter_marks(page):
    duration = _duration(page)
    assert duration == pytest.approx(3.944, abs=1e-3)
    bars = _bars(page)
    expected = [
        (0.0, 1.0, "Ada Lopez", "voice-1", "1"),
        (1.0, 1.8, "Ada Lopez", "voice-1", "1"),
        (2.0, 3.0, "Ben Carter", "voice-2", "2"),
        (3.1, 3.8, "Ada Lopez", "voice-1", "3"),
    ]
    for bar, (start, end, speaker, voice, turn) in zip(bars, expected, strict=True):
        assert float(bar["x"].rstrip("%")) == pytest.approx(
            start / duration * 100, abs=5e-3
        )
        assert float(bar["width"].rstrip("%")) == pytest.approx(
            (end - start) / duration * 100, abs=5e-3
        )
        assert (bar["data-speaker"], bar["data-turn"]) == (speaker, turn)
        assert voice in bar["class"].split()
    marks = [
        e["attrs"]
        for e in page.all("line")
        if "timeline__mark" in e["attrs"].get("class", "")
    ]
    assert marks[0]["x1"] == "0.0%"
    assert float(marks[1]["x1"].rstrip("%")) == pytest.approx(
        2 / duration * 100, abs=5e-3
    )
    assert len(marks) == 2
    (svg,) = [
        e for e in page.all("svg") if "timeline__svg" in e["attrs"].get("class", "")
    ]
    assert svg["attrs"]["role"] == "img"


def test_share_of_speaking_time(page):
    items = [
        " ".join(e["text"].split())
        for e in page.all("li")
        if "share-of-voice__list"
        in " ".join(a.get("class", "") for a in e["parent_attrs"])
    ]
    # Ada speaks 1.0 + 0.8 + 0.7 = 2.5 s, Ben 1.0 s: 71% and 29%.
    assert items == ["Ada Lopez 71% 2 sec", "Ben Carter 29% 1 sec"]
    (title,) = page.all("title", id="timeline-summary")
    assert "Ada Lopez 71%, Ben Carter 29%" in title["text"]
    assert "2 chapters" in title["text"]
