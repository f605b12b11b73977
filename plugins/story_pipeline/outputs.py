"""What a plugin writes a story's own files through (``StoryOutputs``).

The pipeline hands one to every receiver of ``portal.signals.story_outputs``
for each story it makes, with the story's parsed transcript (``transcript``:
``transcripts.store.TranscriptView``, or None), read once for all of them
and dropped once they are made. Each file is written only when its bytes change
(``portal.writing``) and named, so that the pipeline keeps exactly the
story's files in its cache (``store.py``).
"""

from __future__ import annotations

import os

from portal.writing import link_into, write_if_changed


class StoryOutputs:
    def __init__(
        self, writer, context: dict, templates, output_path: str, transcript=None
    ):
        self.transcript = transcript  # the story's TranscriptView, or None
        self._writer = writer
        self._context = context
        self._templates = templates  # template name -> Jinja template
        self._output = output_path
        self.paths: list[str] = []  # what was made, in the output

    def page(self, path: str, template: str, **arguments) -> None:
        """Render ``template`` into ``path`` as Pelican's writer renders any
        page (the site's context, relative URLs, ``arguments`` on top)."""
        self._writer.write_file(
            path, self._templates(template), self._context, **arguments
        )
        self._made(path)

    def text(self, path: str, data: str | bytes) -> None:
        write_if_changed(self._target(path), data)
        self._made(path)

    def link(self, path: str, source: str) -> None:
        """``source``'s bytes at ``path``: a hard link to it where the file
        system allows (a share card drawn into its cache is not copied)."""
        link_into(source, self._target(path))
        self._made(path)

    def _target(self, path: str) -> str:
        return os.path.join(self._output, *path.split("/"))

    def _made(self, path: str) -> None:
        if path in self.paths:
            raise ValueError(f"{path} is made twice for one story")
        self.paths.append(path)
