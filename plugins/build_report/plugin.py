"""What a build tells the person who started it: progress, then a summary.

While it runs: a progress display (reading stories, checking them, writing
the site) on Pelican's console, only on a terminal. At the end: one summary
line - stories ready to publish and held back, warnings, errors, output size, time
- and each held-back story with its reasons, so nobody has to scroll back
through the log to learn what the build did; then the podcast audio: how many
renditions were encoded and how many came from the cache, and the loudness
before and after of each master encoded in this build or flagged, with what
is wrong with it (the rest are counted: ``./dev check --levels`` lists them).
A build stopped by a problem a person can fix (a full disk, a folder it
may not write) ends with that problem and its fix, without the code's
traceback.

Settings (defaults and validation in ``settings()``):
- ``BUILD_REPORT_PROGRESS``: ``"auto"`` (default: on a terminal only),
  ``True`` or ``False``.
- ``BUILD_REPORT_SUMMARY``: print the closing summary (default ``True``).
"""

from __future__ import annotations

import dataclasses
import logging
import time

from pelican import log as pelican_log
from pelican import signals

from portal import background, build_inputs, output_listing, site_address
from portal import signals as portal_signals
from portal.problems import FixableError
from portal.writing import os_error_problem

from .console import editor_logging
from .progress import BuildProgress
from .summary import folder_size, listed_size, rendition_lines, summary_lines

logger = logging.getLogger(__name__)

DEFAULTS = {"BUILD_REPORT_PROGRESS": "auto", "BUILD_REPORT_SUMMARY": True}


def settings(pelican_settings) -> dict:
    out = {key: pelican_settings.get(key, value) for key, value in DEFAULTS.items()}
    if out["BUILD_REPORT_PROGRESS"] not in ("auto", True, False):
        raise ValueError(
            "BUILD_REPORT_PROGRESS must be 'auto', True or False, not "
            f"{out['BUILD_REPORT_PROGRESS']!r}"
        )
    if not isinstance(out["BUILD_REPORT_SUMMARY"], bool):
        raise ValueError("BUILD_REPORT_SUMMARY must be True or False")
    return out


class _Counter(logging.Handler):
    """Counts the warnings and errors logged during one build."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.warnings = 0
        self.errors = 0

    def emit(self, record):
        if getattr(record, "portal_reported", False):
            return  # "held back" lines: the summary lists those itself
        if record.levelno >= logging.ERROR:
            self.errors += 1
        else:
            self.warnings += 1


@dataclasses.dataclass
class _Build:
    options: dict
    started: float
    counter: _Counter
    progress: BuildProgress | None = None
    published: int = 0
    held_back: list = dataclasses.field(default_factory=list)
    skipped: list = dataclasses.field(default_factory=list)
    written: int = 0
    renditions: list = dataclasses.field(default_factory=list)
    rendition_settings: object = None


# One build runs at a time in a process; Pelican's signals carry no build id
# (``content_written`` is sent with just a path).
_current: _Build | None = None


def _finish_previous() -> None:
    """Forget a build that raised before ``finalized`` (tests run many)."""
    global _current
    if _current is not None:
        logging.getLogger().removeHandler(_current.counter)
        if _current.progress:
            _current.progress.stop()
        _current = None


def start(pelican):
    global _current
    _finish_previous()
    output_listing.forget()  # a build that stopped before its summary left one
    editor_logging(debug=bool(pelican.settings.get("DEBUG")))
    options = settings(pelican.settings)
    if not (options["BUILD_REPORT_PROGRESS"] or options["BUILD_REPORT_SUMMARY"]):
        return
    counter = _Counter()
    logging.getLogger().addHandler(counter)
    _current = _Build(options, time.monotonic(), counter)
    console = pelican_log.console
    wanted = options["BUILD_REPORT_PROGRESS"]
    if wanted is True or (wanted == "auto" and console.is_terminal):
        _current.progress = BuildProgress(console)


def reading(generator):
    if _current and _current.progress:
        paths = generator.settings["ARTICLE_PATHS"]
        total = len(
            generator.get_files(paths, exclude=generator.settings["ARTICLE_EXCLUDES"])
        )
        _current.progress.phase(f"Reading {total} stories", total)


def story_read(generator, metadata=None):
    if _current and _current.progress:
        _current.progress.advance()


def checking(generator, stories, report):
    if _current and _current.progress:
        _current.progress.phase(
            f"Checking {len(stories)} stories: audio, transcripts, links", None
        )


def gated(generator, published, held_back):
    if _current is None:
        return
    _current.published = len(published)
    _current.held_back = [
        (story.story.source, list(reasons)) for story, reasons in held_back.items()
    ]
    if _current.progress:
        _current.progress.phase("Writing the site", None)


def stories_read(generator):
    """Story files the build skipped (story_reader names each and why)."""
    if _current is not None:
        _current.skipped = list(generator.context.get("stories_skipped", []))


def renditions_made(generator, renditions, settings):
    if _current is not None:
        _current.renditions = list(renditions)
        _current.rendition_settings = settings


def written(path, context=None):
    if _current and _current.progress:
        _current.written += 1
        _current.progress.advance()


def finish(pelican):
    # The output is whole only once the work other plugins let run beside
    # the build has ended (the search's index); its error stops the build.
    background.wait()
    # Precompress, the receiver before this one and the last to write into
    # the output, hands over its files (portal.output_listing): taken even
    # when no summary is printed, so that none is kept past this build.
    listed = output_listing.take(pelican.output_path)
    build = _current
    lines = _summary(pelican, build, listed) if build is not None else []
    # For a build made aside: until when its output is right, and this
    # report, which a later build that finds nothing changed shows again;
    # its counts, which `publish` writes into the run's job summary.
    build_inputs.write_clock(
        pelican.settings, report=lines, summary=_counts(build) if lines else None
    )


def _counts(build) -> dict:
    """What the summary line counts, as data (JSON: lists, not tuples)."""
    return {
        "published": build.published,
        "held_back": [[path, list(reasons)] for path, reasons in build.held_back],
        "warnings": build.counter.warnings,
        "errors": build.counter.errors,
    }


def _summary(pelican, build, listed: dict[str, int | None] | None) -> list[str]:
    """Print the build's closing summary; its lines. ``listed``: the
    output's files as precompress left them, if it handed them over."""
    _finish_previous()
    if not build.options["BUILD_REPORT_SUMMARY"]:
        return []
    media = None
    if pelican.settings.get("STORY_MEDIA_URL"):
        media = folder_size(pelican.settings.get("STORY_MEDIA_OUTPUT_PATH"))
    lines = summary_lines(
        published=build.published,
        held_back=build.held_back,
        skipped=build.skipped,
        warnings=build.counter.warnings,
        errors=build.counter.errors,
        output=(
            folder_size(pelican.output_path) if listed is None else listed_size(listed)
        ),
        media=media,
        seconds=time.monotonic() - build.started,
        preview=bool(pelican.settings.get("STORY_PREVIEW")),
        elsewhere=_elsewhere(pelican.settings),
    )
    if build.renditions:
        lines += rendition_lines(build.renditions, build.rendition_settings)
    pelican_log.console.print(
        "\n".join(lines), markup=False, highlight=False, soft_wrap=True
    )
    return lines


def _elsewhere(settings) -> tuple[str, str] | None:
    """(the address built for, the public site's) for a build with absolute
    URLs for another address than the public site's (a staging copy)."""
    built_for = (settings.get("SITEURL") or "").strip().rstrip("/")
    public = (settings.get("SITE_PRODUCTION_URL") or "").strip().rstrip("/")
    if not built_for.startswith(site_address.SCHEMES) or not public:
        return None  # development: relative URLs, served here
    return None if site_address.is_production(settings) else (built_for, public)


def _no_traceback_for_fixable(record: logging.LogRecord) -> bool:
    """A build stopped by something a person can put right (a full disk, a
    folder it may not write: ``FixableError``) says what and how to fix it;
    Pelican would print the code's traceback under it, which names no fix."""
    error = record.exc_info[1] if record.exc_info else None
    if isinstance(error, OSError) and error.filename:
        fixable = os_error_problem(error)
        if fixable is not None:
            # Raised by Pelican's own code (its folders, static copies).
            record.msg, record.args = "%s", (str(fixable),)
            error = fixable
    if isinstance(error, FixableError):
        record.exc_info = None
        record.exc_text = None
    return True


def register():
    # Pelican's command line logs why a build stopped on its own logger.
    pelican_logger = logging.getLogger("pelican")
    if _no_traceback_for_fixable not in pelican_logger.filters:
        pelican_logger.addFilter(_no_traceback_for_fixable)
    signals.initialized.connect(start)
    signals.article_generator_init.connect(reading)
    signals.article_generator_context.connect(story_read)
    portal_signals.story_media.connect(checking)
    portal_signals.stories_gated.connect(gated)
    signals.article_generator_finalized.connect(stories_read)
    portal_signals.renditions_made.connect(renditions_made)
    signals.content_written.connect(written)
    signals.finalized.connect(finish)
