"""Build story folders for tests: real front matter, real audio fixtures."""

from __future__ import annotations

import datetime
import gzip
import pathlib
import shutil

import brotli
import yaml

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
AUDIO = FIXTURES / "audio"


def story_fields(slug: str, **overrides) -> dict:
    """Front matter of a story that passes the gate, with overrides applied.

    An override of None removes the field."""
    fields = {
        "id": f"test-{slug}",
        "title": f"Conversation {slug}",
        "summary": f"Two neighbours talk about {slug}.",
        "date": datetime.date(2019, 10, 12),
        "participants": [
            {"name": "Ada Lopez", "description": "retired teacher, Tulsa, Oklahoma"},
            {"name": "Ben Carter", "description": "union electrician, Austin, Texas"},
        ],
        "relationship": "strangers",
        "location": {"name": "Tulsa, Oklahoma", "geo": [36.15, -95.99]},
        "audio": "speech.mp3",
        "topics": ["family", "faith"],
        "featured": True,
        "status": "published",
        "approval": {
            "approved_by": "Test Editor",
            "approved_on": datetime.date(2019, 11, 1),
            "releases_signed": True,
        },
    }
    for key, value in overrides.items():
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    return fields


def write_story(
    content: pathlib.Path,
    slug: str,
    body: str = "A short introduction to the conversation.",
    audio_fixture: str | None = "speech.mp3",
    transcript: str | None = None,
    raw_front_matter: str | None = None,
    **overrides,
) -> pathlib.Path:
    """Write content/stories/<slug>/ with story.md and its audio file."""
    folder = content / "stories" / slug
    folder.mkdir(parents=True, exist_ok=True)
    fields = story_fields(slug, **overrides)
    if audio_fixture:
        shutil.copy(AUDIO / audio_fixture, folder / fields.get("audio", audio_fixture))
    if transcript is not None:
        (folder / "transcript.vtt").write_text(transcript, encoding="utf-8")
    front = raw_front_matter
    if front is None:
        front = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True)
    (folder / "story.md").write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")
    return folder


def output_files(output: pathlib.Path) -> dict[str, bytes]:
    """Every file of a built site, by relative path.

    Pre-compressed copies (``.gz``, ``.br``) are given decompressed, so a
    search of the output's bytes searches them too."""
    return {
        str(path.relative_to(output)): _readable_bytes(path)
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


def _readable_bytes(path: pathlib.Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":
        return gzip.decompress(data)
    if path.suffix == ".br":
        return brotli.decompress(data)
    return data


def assert_absent(output: pathlib.Path, *needles: str) -> None:
    """No file name or file content in the output mentions any needle."""
    for name, data in output_files(output).items():
        for needle in needles:
            assert needle.lower() not in name.lower(), f"{needle!r} in file name {name}"
            assert needle.encode() not in data, f"{needle!r} found inside {name}"
