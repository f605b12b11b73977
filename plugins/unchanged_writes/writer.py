"""Leave output files that would get the same bytes untouched.

Pelican renders every page on every build and rewrites its file, so after a
rebuild every file looks new: sync jobs and CDNs upload the whole site again,
and the pre-compression step would have to compress it all again. This
plugin gives Pelican a Writer whose files are compared with what is on disk
when they are closed, and written only when their bytes differ. A page whose
inputs did not change keeps its modification time.

Story pages are not written here: the story pipeline makes them with the
rest of each story's own files (plugins/story_pipeline), and this writer
leaves the pages the context names in ``PIPELINE_PAGES`` to it. Every other
page is first asked of the context's ``PAGE_CACHE`` (the pipeline's cache of
pages: a listing keyed by its own stories, any other page by everything in
the site): a page it holds is linked from there, not rendered.

It counts what it did (files ``written`` and ``unchanged``) and logs the
counts at the end of the build. Files other plugins write themselves can
use ``write_if_changed`` for the same effect (``portal.writing``).
"""

from __future__ import annotations

import io
import logging
import os

from pelican import signals

from portal import signals as portal_signals
from portal.outputs import PAGE_CACHE, PIPELINE_PAGES
from portal.pelican_private import BufferingWriter
from portal.writing import reuse_previous_output, write_if_changed

logger = logging.getLogger(__name__)

_current: UnchangedWriter | None = None  # the writer of the running build


class _PendingFile(io.StringIO):
    """Collects what Pelican writes; decides on close whether to save it."""

    def __init__(self, path: str, encoding: str, writer: UnchangedWriter):
        super().__init__()
        self._path = path
        self._encoding = encoding
        self._writer = writer

    def close(self):
        if not self.closed:
            data = self.getvalue().encode(self._encoding)
            outcome = "written" if write_if_changed(self._path, data) else "unchanged"
            setattr(self._writer, outcome, getattr(self._writer, outcome) + 1)
            self._writer.made.append(self._path)
        super().close()


class UnchangedWriter(BufferingWriter):
    def __init__(self, output_path, settings=None):
        global _current
        super().__init__(output_path, settings=settings)
        # What this build did, for the log: files written, files left alone
        # (same bytes).
        self.written = 0
        self.unchanged = 0
        self.kept = 0  # pages linked from the page cache, not rendered
        self.made: list[str] = []  # the files the running write_file wrote
        _current = self
        # Before Pelican's articles write their listings with it.
        portal_signals.writer_made.send(self, writer=self)

    def write_file(self, name, template, context, *args, **kwargs):
        """Pelican's write_file, but a story page the story pipeline makes
        (named in the context) is left to it, and a page the page cache holds
        is linked from there."""
        article = kwargs.get("article")
        if article is not None and name in context.get(PIPELINE_PAGES, ()):
            return None
        cache = context.get(PAGE_CACHE)
        if cache is None or article is not None or args or not name:
            return super().write_file(name, template, context, *args, **kwargs)
        # A listing is kept under a key of its own stories; any other page
        # under the site's (story_pipeline/pages.py).
        scope = cache.scope(
            name,
            kwargs.get("template_name"),
            kwargs.get("paginated"),
            {key: value for key, value in kwargs.items() if key != "paginated"},
        )
        kept = cache.place(name, self.output_path, scope)
        if kept is not None:
            self.kept += len(kept)
            # As Pelican's writer tells of each file (the sitemap lists them).
            for path in kept:
                signals.content_written.send(
                    os.path.join(self.output_path, *path.split("/")),
                    context={"page": kwargs.get("page")},
                )
            return None
        self.made = []
        result = super().write_file(name, template, context, **kwargs)
        cache.keep(
            name,
            self.output_path,
            [os.path.relpath(path, self.output_path) for path in self.made],
            scope,
        )
        return result

    def open_buffer(self, filename, encoding):
        """Pelican writes into a buffer; its bytes are compared on close."""
        return _PendingFile(filename, encoding, self)


def get_writer(pelican):
    return UnchangedWriter


def start(pelican):
    """A build made aside (``portal.publishing.build_aside``) names the output
    it will replace: files with the same bytes are linked from it."""
    reuse_previous_output(
        pelican.output_path,
        pelican.settings.get("UNCHANGED_WRITES_PREVIOUS_OUTPUT") or None,
    )


def finish(pelican):
    global _current
    if _current is None:
        return
    logger.info(
        "[unchanged_writes] %d files written, %d unchanged and left alone; "
        "%d pages kept from the cache (nothing in the site changed)",
        _current.written,
        _current.unchanged,
        _current.kept,
    )
    _current = None


def register():
    signals.initialized.connect(start)
    signals.get_writer.connect(get_writer)
    signals.finalized.connect(finish)
