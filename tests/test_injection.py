"""No injected code: script and event-handler payloads in every content field
of a story come out as text, never as code, in pages, feed and JSON."""

from __future__ import annotations

import json

import lxml.etree
import lxml.html

from tests.stories import write_story
from tests.support import build_site, copy_content

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(1)</script>",
    "]]><script>alert(1)</script>",
]
ALL = " ".join(PAYLOADS)
# Voice tags end at the first ">": speaker names carry what a <v> tag can.
ADA = "Ada \"'<img src=x onerror=alert(1) </script"
BEN = "Ben ]]&amp <script alert(1)"

BODY = f"""Intro {ALL}

<script>alert(1)</script>
<img src=x onerror=alert(1)>
<a href="javascript:alert(1)">click</a>
<iframe src="javascript:alert(1)"></iframe>
<svg><script>alert(1)</script></svg>

A [markdown link](javascript:alert(1)) and ![image](javascript:alert(1)).
"""

TRANSCRIPT = f"""WEBVTT

00:00:00.000 --> 00:00:01.500
<v {ADA}>Hello &lt;script&gt;alert(1)&lt;/script&gt;
"&gt;&lt;img src=x onerror=alert(1)&gt;

00:00:01.500 --> 00:00:02.500
<v {BEN}>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt;&lt;script&gt;
"""


def our_script(element) -> bool:
    src = element.get("src")
    if src:
        path = src.split("://", 1)[-1]
        return (
            "/theme/" in path
            or "/pagefind/" in path
            or path.startswith(("theme/", "pagefind/", "../"))
        )
    if element.get("type") == "application/ld+json":
        text = element.text or ""
        assert "</script" not in text.lower()
        json.loads(text)
        return True
    return False


def code_in_page(path) -> list[str]:
    found = []
    root = lxml.html.parse(str(path)).getroot()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "script" and not our_script(element):
            found.append(f"script {lxml.html.tostring(element)[:80]!r}")
        if element.tag in ("iframe", "object", "embed") and "embed" not in str(path):
            found.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"<{element.tag} {name}>")
            if (
                value.strip()
                .lower()
                .replace("\t", "")
                .startswith(("javascript:", "vbscript:"))
            ):
                found.append(f"<{element.tag} {name}={value!r}>")
    return found


def test_payloads_in_every_field_stay_text(tmp_path):
    content = copy_content(tmp_path / "content", stories=True)
    folder = content / "stories" / "hostile"
    write_story(
        content,
        "hostile",
        body=BODY,
        transcript=TRANSCRIPT,
        title=f"Title {ALL}",
        summary=f"Summary {ALL}",
        participants=[
            {"name": ADA, "description": f"teacher {ALL}"},
            {"name": BEN, "description": f"electrician {ALL}"},
        ],
        facilitator=f"Facilitator {ALL}",
        location={"name": f"Tulsa {ALL}", "geo": [36.15, -95.99]},
        topics=[f"family {PAYLOADS[0]}", f"faith {PAYLOADS[1]}", "]]> <b>cdata</b>"],
        chapters=[
            {"start": "0:00", "title": f"Start {PAYLOADS[0]}"},
            {"start": "0:01", "title": f"Later {PAYLOADS[2]} {PAYLOADS[3]}"},
        ],
    )
    story = folder / "story.md"
    story.write_text(
        story.read_text().replace(
            "status: published", "transcript: transcript.vtt\nstatus: published"
        )
    )
    output = build_site(content, tmp_path / "out", "publishconf.py")
    page = output / "stories" / "hostile" / "index.html"
    assert page.is_file()
    text = lxml.html.parse(str(page)).getroot().text_content()
    assert "<script>alert(1)</script>" in text  # shown, as text
    assert "onerror=alert(1)" in text

    pages = sorted(output.rglob("*.html"))
    problems = {
        str(path.relative_to(output)): found
        for path in pages
        if (found := code_in_page(path))
    }
    assert not problems

    for path in sorted(output.rglob("*.json")):
        json.loads(path.read_text(encoding="utf-8"))

    feed = lxml.etree.parse(str(output / "podcast.xml"))
    assert not feed.xpath("//*[local-name()='script']")
    assert "Title <script>" in "".join(feed.xpath("//item/title/text()"))
    for path in sorted(output.rglob("*.xml")):
        lxml.etree.parse(str(path))
