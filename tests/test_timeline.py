"""The conversation timeline: an SVG drawn at build time from the cue times."""

from __future__ import annotations

import json

import pytest

from tests.listening import Elements, write_transcript_story
from tests.support import LEAN, build_site, built_once, copy_content


def _voices(page: Elements) -> list[tuple[dict, str, list[dict]]]:
    """Each voice's group on the timeline: (its attributes, the name its
    tooltip gives, its bars' attributes)."""
    groups = [
        e for e in page.all("g") if "timeline__bars" in e["attrs"].get("class", "")
    ]
    voices = []
    for group in groups:
        inside = [e for e in page.found if group["attrs"] in e["parent_attrs"][-1:]]
        (title,) = [e for e in inside if e["tag"] == "title"]
        bars = [e["attrs"] for e in inside if e["tag"] == "rect"]
        voices.append((group["attrs"], title["text"], bars))
    return voices


def _span(bar: dict) -> tuple[float, float]:
    """Where a bar starts and ends, in percent of the timeline's width."""
    x = float(bar["x"].removesuffix("%"))
    return x, x + float(bar["width"].removesuffix("%"))


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
        voices = _voices(page)
        # A group a speaker, each on a lane (row) of its own, holding a bar
        # for each of the speaker's cues, in time order.
        assert sorted(name for _, name, _ in voices) == sorted(
            {cue["speaker"] for cue in segments}
        ), folder.name
        assert len({group["transform"] for group, _, _ in voices}) == len(voices)
        for _, name, bars in voices:
            cues = [cue for cue in segments if cue["speaker"] == name]
            assert len(bars) == len(cues), (folder.name, name)
            for bar, cue in zip(bars, cues, strict=True):
                start, end = _span(bar)
                assert start == pytest.approx(
                    cue["startTime"] / duration * 100, abs=5e-3
                )
                assert end == pytest.approx(cue["endTime"] / duration * 100, abs=5e-3)
                # Only where it is: the transcript holds the times and names.
                assert set(bar) == {"x", "width", "height"}
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
    voices = _voices(page)
    expected = {
        "Ada Lopez": ("voice-1", [(0.0, 1.0), (1.0, 1.8), (3.1, 3.8)]),
        "Ben Carter": ("voice-2", [(2.0, 3.0)]),
    }
    assert [name for _, name, _ in voices] == list(expected)
    for group, name, bars in voices:
        voice, spans = expected[name]
        assert voice in group["class"].split()
        assert [_span(bar) for bar in bars] == [
            pytest.approx((start / duration * 100, end / duration * 100), abs=5e-3)
            for start, end in spans
        ]
    # Each voice on its own lane, below the chapter numbers.
    assert [group["transform"] for group, _, _ in voices] == [
        "translate(0 16)",
        "translate(0 34)",
    ]
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
