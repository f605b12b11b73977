"""Publish the files of cleared stories: audio, transcript and image.

A transcript the transcripts plugin publishes (``transcript_outputs``) is not
copied as it is: its normalized ``transcript.vtt`` is the one in the output.

Story folders are never in STATIC_PATHS, so nothing in them reaches the
output unless this plugin copies it, and it copies only stories the approval
gate cleared (those in the generator context's ``articles``).

Settings:
- ``STORY_MEDIA_URL``: absolute base URL that serves the audio (a CDN or an
  object store). Empty (default): audio is served from the site itself.
- ``STORY_MEDIA_OUTPUT_PATH``: where audio is copied when STORY_MEDIA_URL is
  set (default ``output-media``), to be uploaded to that host.
"""

from __future__ import annotations

import logging
import os
import shutil

from pelican import signals

from portal.outputs import story_folder
from portal.paths import StoryPathError, story_file

logger = logging.getLogger(__name__)

DEFAULTS = {"STORY_MEDIA_URL": "", "STORY_MEDIA_OUTPUT_PATH": "output-media"}


def settings(pelican_settings) -> dict:
    out = {key: pelican_settings.get(key, value) for key, value in DEFAULTS.items()}
    url = out["STORY_MEDIA_URL"]
    if url and not url.startswith(("https://", "http://")):
        raise ValueError(
            f"STORY_MEDIA_URL must be an absolute http(s) URL, not {url!r}"
        )
    out["STORY_MEDIA_URL"] = url.rstrip("/")
    return out


class StoryAssetsGenerator:
    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.output_path = output_path
        self.options = globals()["settings"](settings)
        self.copies: list[tuple[str, str]] = []

    def generate_context(self):
        for story in self.context.get("articles", []):
            if getattr(story, "audio", None) is None:
                continue
            folder = story_folder(story)
            audio_target = folder + story.audio.filename
            if self.options["STORY_MEDIA_URL"]:
                story.audio_url = f"{self.options['STORY_MEDIA_URL']}/{audio_target}"
                media_root = self.options["STORY_MEDIA_OUTPUT_PATH"]
            else:
                story.audio_url = audio_target
                media_root = self.output_path
            self.copies.append(
                (story.audio_path, os.path.join(media_root, audio_target))
            )
            for field in ("transcript", "image"):
                name = getattr(story.story, field)
                url = None
                written = getattr(story, "transcript_outputs", None)
                if field == "transcript" and written:
                    # The transcripts plugin writes a normalized copy there.
                    story.transcript_url = written["vtt"]
                    continue
                if name:
                    try:
                        source = story_file(story.story_dir, name)
                    except StoryPathError:
                        source = None  # already reported by the checks
                    if source and os.path.isfile(source):
                        url = folder + os.path.basename(name)
                        self.copies.append(
                            (source, os.path.join(self.output_path, url))
                        )
                setattr(story, f"{field}_url", url)

    def generate_output(self, writer):
        for source, target in self.copies:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if _same_file(source, target):
                continue
            _publish_file(source, target)


def _same_file(source: str, target: str) -> bool:
    """Skip the copy when the output already holds this exact file."""
    try:
        a, b = os.stat(source), os.stat(target)
    except FileNotFoundError:
        return False
    if (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino):
        return True  # a hard link to the source itself
    return a.st_size == b.st_size and int(a.st_mtime) == int(b.st_mtime)


def _publish_file(source: str, target: str) -> None:
    """Hard-link the file into the output, or copy it where that is impossible.

    A 45-minute conversation is tens of megabytes; copying every story's
    audio made the copy the largest part of a cold build (benchmarks/). A
    hard link costs nothing and reads no audio. Sources are only ever
    replaced by editors (a new file), never changed in place by the build,
    so the output cannot be altered through the link by us."""
    if os.path.lexists(target):
        os.unlink(target)  # never write through an old link into a source
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed there
        shutil.copy2(source, target)


def get_generators(pelican):
    return StoryAssetsGenerator


def register():
    signals.get_generators.connect(get_generators)
