"""Helpers for the listening tests: stories with transcripts, built pages read."""

from __future__ import annotations

import html.parser
import pathlib

import yaml

from tests.stories import story_fields, write_story

# Two speakers over the 3.9 s of tests/fixtures/audio/speech.mp3.
GOOD_VTT = """WEBVTT

NOTE
chapter: Where we grew up
question: parents

1
00:00:00.000 --> 00:00:01.000
<v Ada Lopez>I grew up in Tulsa.

2
00:00:01.000 --> 00:00:01.800
And my mother &amp; father taught.

NOTE chapter: What shaped us

3
00:00:02.000 --> 00:00:03.000
<v Ben Carter>I grew up in Austin, <i>Texas</i>.

4
00:00:03.100 --> 00:00:03.800
<v Ada Lopez>Tell me more.
"""


def write_transcript_story(
    content: pathlib.Path,
    slug: str,
    vtt: str = GOOD_VTT,
    transcript_name: str = "transcript.vtt",
    audio_fixture: str = "speech.mp3",
    **fields,
) -> pathlib.Path:
    """A cleared story whose front matter names a transcript with ``vtt``."""
    data = story_fields(slug, transcript=transcript_name, **fields)
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    folder = write_story(
        content, slug, audio_fixture=audio_fixture, raw_front_matter=front
    )
    if data.get("audio") != "speech.mp3" and (folder / "speech.mp3").exists():
        (folder / "speech.mp3").rename(folder / data["audio"])
    (folder / transcript_name).write_text(vtt, encoding="utf-8")
    return folder


def line_of(path: pathlib.Path, prefix: str) -> int:
    """The 1-based number of the first line of ``path`` starting with prefix."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if line.startswith(prefix):
            return number
    raise AssertionError(f"no line starting with {prefix!r} in {path}")


class Elements(html.parser.HTMLParser):
    """Every start tag of an HTML page: (tag, attributes, text inside)."""

    VOID = {"meta", "link", "br", "img", "input", "source", "track", "hr", "wbr"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.found: list[dict] = []
        self._open: list[dict] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "parents": []}
        element["parents"] = [
            e["tag"] + "#" + e["attrs"].get("id", "") for e in self._open
        ]
        element["parent_attrs"] = [e["attrs"] for e in self._open]
        self.found.append(element)
        if tag not in self.VOID and not tag.endswith("/"):
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self._open and self._open[-1]["tag"] == tag:
            self._open.pop()

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index]["tag"] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data

    def all(self, tag=None, **attrs) -> list[dict]:
        out = []
        for element in self.found:
            if tag and element["tag"] != tag:
                continue
            if all(
                (element["attrs"].get(k.replace("_", "-")) == v)
                if v is not True
                else k.replace("_", "-") in element["attrs"]
                for k, v in attrs.items()
            ):
                out.append(element)
        return out


def story_pages_with_chapters(site: pathlib.Path) -> list[str]:
    """Slugs of built stories that have a transcript and two or more chapters,
    most chapters first (tests pick a sample story by its shape)."""
    found = []
    for page in sorted((site / "stories").glob("*/index.html")):
        text = page.read_text()
        chapters = text.count('<h3 class="transcript__chapter" id="chapter-')
        if "data-transcript" in text and chapters >= 2:
            found.append((chapters, page.parent.name))
    return [slug for _, slug in sorted(found, key=lambda x: -x[0])]
