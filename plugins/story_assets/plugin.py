"""Publish the files of cleared stories: transcript and image.

A transcript the transcripts plugin publishes (``transcript_outputs``) is not
copied as it is: its normalized ``transcript.vtt`` is the one in the output.
Audio is the audio_rendition plugin's: listeners get a rendition made from
the editors' master, not the master itself.

Story folders are never in STATIC_PATHS, so nothing in them reaches the
output unless this plugin copies it, and it copies only stories the approval
gate cleared (those in the generator context's ``articles``).
"""

from __future__ import annotations

import logging
import os
from urllib.parse import quote

from pelican import signals

from portal.media import file_hashes, publish_file
from portal.outputs import story_folder
from portal.paths import StoryPathError, story_file

logger = logging.getLogger(__name__)


class StoryAssetsGenerator:
    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.output_path = output_path
        self.copies: list[tuple[str, str]] = []

    def generate_context(self):
        for story in self.context.get("articles", []):
            record = story.story
            if record.audio is None:
                continue
            folder = story_folder(story)
            if record.transcript_outputs:
                # The transcripts plugin writes a normalized copy there.
                record.transcript_url = record.transcript_outputs["vtt"]
            else:
                record.transcript_url = self._copy(
                    record, record.front.transcript, folder
                )
            record.image_url = self._copy(record, record.front.image, folder)

    def _copy(self, record, name: str | None, folder: str) -> str | None:
        """Copy the story's file ``name`` into its output folder; its URL."""
        if not name:
            return None
        try:
            source = story_file(record.folder, name)
        except StoryPathError:
            return None  # already reported by the checks
        if not os.path.isfile(source):
            return None
        target = folder + os.path.basename(name)
        self.copies.append((source, os.path.join(self.output_path, target)))
        return folder + quote(os.path.basename(name))

    def generate_output(self, writer):
        hashes = file_hashes(self.settings.get("CACHE_PATH"), "story_assets")
        for source, target in self.copies:
            publish_file(source, target, hashes)
        hashes.save()


def get_generators(pelican):
    return StoryAssetsGenerator


def register():
    signals.get_generators.connect(get_generators)
