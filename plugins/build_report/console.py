"""Log lines an editor reads: the message, without a programmer's extras.

Pelican logs through a rich handler that ends every line with the source
line that logged it (``gate.py:254``), and prints the traceback of the
exception that stopped a build after the message, though our exceptions
(a content error, a settings problem) say all there is to say: the
problem, the file and line, and the fix. ``editor_logging()`` swaps the
handler for one without source references, whose filter drops the
traceback of those exceptions. With ``--debug`` Pelican's own handler and
tracebacks stay, for whoever is debugging the code."""

from __future__ import annotations

import logging

from pelican import log as pelican_log
from rich.logging import RichHandler

from portal.problems import FixableError, StoryContentError


class _EditorMessages(logging.Filter):
    """A build stopped by a problem in the content or the settings: show the
    message (it names the file, line and fix), not the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and _speaks_to_editors(error):
            record.exc_info = None
            record.exc_text = None
            if record.levelno >= logging.CRITICAL:
                # Pelican logs ("%s: %s", class name, error): the class name
                # means nothing to an editor.
                record.msg, record.args = "The build stopped. %s", (error,)
        return True


def _speaks_to_editors(error: BaseException) -> bool:
    return isinstance(error, StoryContentError | FixableError) or isinstance(
        getattr(error, "problems", None), list
    )


def editor_logging(debug: bool = False) -> None:
    """Replace Pelican's console handler (once a process) unless debugging."""
    root = logging.getLogger()
    if debug:
        return
    for handler in list(root.handlers):
        if getattr(handler, "portal_editor_logging", False):
            return
        if isinstance(handler, RichHandler) and handler.console is pelican_log.console:
            replacement = RichHandler(
                console=pelican_log.console, show_path=False, level=handler.level
            )
            replacement.setFormatter(handler.formatter)
            for existing in handler.filters:
                replacement.addFilter(existing)
            replacement.addFilter(_EditorMessages())
            replacement.portal_editor_logging = True
            root.removeHandler(handler)
            root.addHandler(replacement)
