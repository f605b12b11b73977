"""Leave output files that would get the same bytes untouched.

Pelican renders every page on every build and rewrites its file, so after a
rebuild every file looks new: sync jobs and CDNs upload the whole site again,
and the pre-compression step would have to compress it all again. This
plugin gives Pelican a Writer whose files are compared with what is on disk
when they are closed, and written only when their bytes differ. A page whose
inputs did not change keeps its modification time.

Story pages go one step further (``render_cache.py``): a page whose inputs
(the story's files and metadata, the theme, plugins, settings, and what it
may show of other stories, all by content) have the same key as a page the
render cache keeps is not rendered at all: the kept page stands in for the
render.

It counts what it did (files ``written`` and ``unchanged``, story pages
``reused``) and logs the counts at the end of the build. Files
other plugins write themselves can use ``write_if_changed`` for the same
effect (``portal.writing``).
"""

from __future__ import annotations

import io
import logging
import os

from pelican import signals

from portal.pelican_private import BufferingWriter
from portal.writing import reuse_previous_output, write_if_changed

from .prerender import prerender
from .render_cache import RenderCache, StoredTemplate

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
        super().close()


class UnchangedWriter(BufferingWriter):
    def __init__(self, output_path, settings=None):
        global _current
        super().__init__(output_path, settings=settings)
        # What this build did, for the log: files written, files left alone
        # (same bytes), story pages not rendered (inputs unchanged).
        self.written = 0
        self.unchanged = 0
        self.reused = 0
        self.render_cache = RenderCache(self.settings, output_path)
        # Story pages rendered ahead in worker processes (``prerender``).
        self.prerendered: set[str] | None = None
        _current = self

    def write_file(self, name, template, context, *args, **kwargs):
        """Pelican's write_file; a story page whose key is unchanged is not
        rendered again (``render_cache``): the page kept for its key stands in."""
        article = kwargs.get("article")
        cache = self.render_cache
        if article is None or not cache.enabled or not name or args:
            return super().write_file(name, template, context, *args, **kwargs)
        if self.prerendered is None:
            self.prerendered = set()  # before forking: workers must not recurse
            self.prerendered = prerender(self, template, context, kwargs)
        key = cache.key(article)
        stored = cache.stored_page(name, key)
        ahead = name in self.prerendered
        if stored is not None:
            template = StoredTemplate(stored)
            if not ahead:
                self.reused += 1
        super().write_file(name, template, context, **kwargs)
        if ahead and stored is not None:
            # A worker wrote it a moment ago: count it as written here.
            self.unchanged -= 1
            self.written += 1
        if os.path.exists(os.path.join(self.output_path, name)):
            cache.remember(name, key)

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
    _current.render_cache.save()
    logger.info(
        "[unchanged_writes] %d files written, %d unchanged and left alone; "
        "%d story pages not rendered again (inputs unchanged)",
        _current.written,
        _current.unchanged,
        _current.reused,
    )
    _current = None


def register():
    signals.initialized.connect(start)
    signals.get_writer.connect(get_writer)
    signals.finalized.connect(finish)
