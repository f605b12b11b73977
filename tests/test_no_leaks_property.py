"""Nothing unapproved leaks, whatever the mix of stories (hypothesis).

Each example builds a fresh site from a random mix of published, draft,
unapproved, unreleased and scheduled stories, then scans every output
file's name and bytes (gzip-compressed files such as Pagefind's fragments
decompressed) for any held-back story's unique tokens.

Pre-compressed copies are made in gzip only: their bytes are scanned
(decompressed), where a Brotli copy's could only be scanned by its name,
which is its file's and its gzip copy's with another ending. Brotli at
quality 11 on the theme's CSS and JS was some two thirds of each build."""

from __future__ import annotations

import datetime
import gzip
import pathlib
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.stories import write_story
from tests.support import build_site

NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
KINDS = {
    "published": {},
    "draft": {"status": "draft"},
    "unapproved": {"approval": None},
    "unreleased": {
        "approval": {
            "approved_by": "Editor",
            "approved_on": datetime.date(2019, 11, 1),
            "releases_signed": False,
        }
    },
    "scheduled": {"published": datetime.date(2030, 1, 1)},
}


def tokens(kind: str, number: int) -> list[str]:
    marker = f"q{kind[:4]}{number}x"
    return [f"{marker}{part}" for part in ("title", "name", "body", "topic", "cue")]


def story(content: pathlib.Path, kind: str, number: int) -> list[str]:
    title, name, body, topic, cue = tokens(kind, number)
    slug = f"{kind}-{number}-{title}"
    transcript = (
        "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n"
        f"<v Zelda {name}>Words {cue}.\n\n"
        "00:00:01.000 --> 00:00:02.000\n<v Yusuf Okafor>Reply.\n"
    )
    write_story(
        content,
        slug,
        body=f"Body {body}.",
        transcript=transcript,
        audio_fixture="speech.mp3",
        id=f"held-{title}",
        title=f"Title {title}",
        summary=f"Summary {title}.",
        participants=[
            {"name": f"Zelda {name}", "description": "teacher"},
            {"name": "Yusuf Okafor", "description": "nurse"},
        ],
        topics=[topic],
        chapters=[{"start": "0:00", "title": f"Chapter {title}"}],
        audio=f"{title}.mp3",
        **KINDS[kind],
    )
    # write_story's transcript= is the file's text; name it in front matter.
    front = content / "stories" / slug / "story.md"
    front.write_text(
        front.read_text().replace(
            "\ntopics:", "\ntranscript: transcript.vtt\ntopics:", 1
        )
    )
    return [title, name, body, topic, cue, slug]


def readable(data: bytes) -> bytes:
    if data[:2] == b"\x1f\x8b":  # gzip: Pagefind's fragments and indexes, .gz
        return gzip.decompress(data)
    return data


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(sorted(KINDS)), min_size=2, max_size=5))
def test_held_back_stories_leave_no_trace(kinds):
    with tempfile.TemporaryDirectory() as folder:
        root = pathlib.Path(folder)
        content = root / "content"
        public, held = [], []
        for number, kind in enumerate(kinds):
            found = story(content, kind, number)
            (public if kind == "published" else held).append(found)
        output = build_site(
            content, root / "out", STORY_NOW=NOW, PRECOMPRESS_FORMATS=("gzip",)
        )
        names = {
            path.relative_to(output).as_posix(): readable(path.read_bytes())
            for path in sorted(output.rglob("*"))
            if path.is_file()
        }
        for title, name, body, topic, cue, slug in public:
            # The same tokens are found when the story is published.
            assert f"stories/{slug}/index.html" in names
            for token in (title, name, body, topic, cue):
                assert any(token.encode() in data for data in names.values())
        for needles in held:
            for needle in needles:
                for name, data in names.items():
                    assert needle.lower() not in name.lower(), (needle, name)
                    assert needle.encode() not in data, (needle, name)
