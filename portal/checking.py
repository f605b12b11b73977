"""``invoke check``: every problem in the content, without writing a site.

The check is the first half of a real build: Pelican's readers and its
articles and pages generators, run with the project's settings and plugins.
So the approval gate and every check connected to its signals (schema,
audio, transcripts, pictures, links, dates, duplicates) run exactly as they
do in every build - one implementation - and the check collects the
problems the build keeps in its context instead of reading them from the log.
Nothing is written to the output folder.

It runs leniently (``STORY_STRICT`` off) so that it lists every problem
rather than stopping at the first story that would block a production build,
and names those stories separately.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
from collections.abc import Iterator, Mapping

from pelican import Pelican
from pelican.settings import read_settings

from portal import datafile, file_hashes, guide_lists, heap, locks
from portal import signals as portal_signals
from portal.pelican_private import forget_logged_warnings, generator_classes
from portal.problems import CONTEXT_KEY, Problem, Severity, github_escape


@dataclasses.dataclass
class Message:
    """Something else the build logged (a file Pelican could not read...)."""

    level: Severity
    text: str


@dataclasses.dataclass
class CheckResult:
    problems: list[Problem]
    messages: list[Message]
    published: int
    held_back: list[tuple[str, list[str]]]  # (story.md path, reasons)
    blocked: list[str]  # ready to publish but for their errors
    # Every published story's podcast audio (audio_rendition's Rendition
    # records), made as a build makes it.
    renditions: list = dataclasses.field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def error_count(self) -> int:
        other = [m for m in self.messages if m.level is Severity.ERROR]
        return len(self.errors) + len(other)

    @property
    def warning_count(self) -> int:
        other = [m for m in self.messages if m.level is Severity.WARNING]
        return len(self.warnings) + len(other)

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class _Collector(logging.Handler):
    """Keeps warnings and errors the build logs that are not problems it
    reports anyway (those come from the context, with their lines)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[Message] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        if any(isinstance(arg, Problem) for arg in args):
            return
        if getattr(record, "portal_reported", False):
            return
        level = Severity.ERROR if record.levelno >= logging.ERROR else Severity.WARNING
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f" ({record.exc_info[1]})"
        self.messages.append(Message(level, text))


@contextlib.contextmanager
def _collecting() -> Iterator[_Collector]:
    collector = _Collector()
    root = logging.getLogger()
    # Pelican drops a warning it has printed before in this process; the
    # check must see every one, however often it runs.
    forget_logged_warnings()
    root.addHandler(collector)
    try:
        yield collector
    finally:
        root.removeHandler(collector)


def check_content(
    settings_file: str | os.PathLike,
    *,
    content_path: str | os.PathLike | None = None,
    overrides: Mapping[str, object] | None = None,
) -> CheckResult:
    """Read and check all content with ``settings_file``; write nothing."""
    override = {
        "STORY_STRICT": False,
        "STORY_PREVIEW": False,
        # No build runs, so nothing to show progress of or to sum up.
        "BUILD_REPORT_PROGRESS": False,
        "BUILD_REPORT_SUMMARY": False,
    }
    if content_path is not None:
        override["PATH"] = os.path.abspath(content_path)
    override.update(overrides or {})
    audio: list = []  # the renditions the build makes, as it sends them

    def renditions_made(sender, renditions=(), **kwargs):
        audio.extend(renditions)

    with (
        _collecting() as collector,
        portal_signals.renditions_made.connected_to(renditions_made),
    ):
        settings = read_settings(os.fspath(settings_file), override=override)
        # Lenient, to list every problem, but an error is what the settings
        # file's own builds would call one (publishconf's production rules).
        settings["STORY_CHECK_PRODUCTION"] = bool(
            read_settings(os.fspath(settings_file)).get("STORY_STRICT")
        )
        try:
            pelican = Pelican(settings)  # registers the plugins
            # The shared context, as Pelican.run() starts it.
            context = settings.copy()
            context["generated_content"] = {}
            context["static_links"] = set()
            context["static_content"] = {}
            context["localsiteurl"] = settings["SITEURL"]
            # Every generator the build runs, up to its context (where content is
            # read and checked): the stories, the pages and every data file
            # (funders, forms, questions, podcast) the same way as `publish`.
            for generator_class in generator_classes(pelican):
                if getattr(generator_class, "checks_content", True) is False:
                    continue
                generator = generator_class(
                    context=context,
                    settings=settings,
                    path=pelican.path,
                    theme=pelican.theme,
                    output_path=pelican.output_path,
                )
                generator.generate_context()
        finally:
            # Taken when Pelican started (the shared_cache plugin): a build
            # waiting for the cache may go on.
            locks.release_cache(settings.get("CACHE_PATH"))
            # Held back as Pelican started (portal.heap); a check never
            # reaches the build's end, which gives them back.
            heap.allow_full_collections()
            # Nor the end that forgets the story files' hashes it took.
            file_hashes.new_snapshot()
    # The guide's lists of topics and question keys (portal.guide_lists):
    # not content the site is built from, so only the check looks.
    guide = os.path.join(settings["PATH"], guide_lists.GUIDE)
    stale = guide_lists.stale_guide(
        settings["PATH"], datafile.editor_path(guide, settings["PATH"])
    )
    problems = sorted(
        context.get(CONTEXT_KEY, []) + stale,
        key=lambda p: (p.path, p.line or 1, p.field),
    )
    return CheckResult(
        problems=problems,
        messages=collector.messages,
        published=context.get("stories_published_count", 0),
        held_back=list(context.get("stories_held_back", [])),
        blocked=list(context.get("stories_blocked", [])),
        renditions=audio,
    )


# Where every story's podcast audio levels are listed (the build's summary
# lists only the masters it encoded and the flagged ones).
ALL_LEVELS = "./dev check --levels"


def rendition_levels(rendition) -> str:
    """One story's podcast audio (an audio_rendition ``Rendition``): its
    master's loudness before and after, and what is wrong with the master."""
    levels = f"{rendition.before.describe()} -> {rendition.after.describe()}"
    if rendition.flags:
        levels += " [" + "; ".join(rendition.flags) + "]"
    return levels


def rendition_line(rendition) -> str:
    """``rendition_levels`` after the master's path."""
    folder = rendition.source.rsplit("/", 1)[0]
    return f"{folder}/{rendition.master}: {rendition_levels(rendition)}"


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {words or word + 's'}"


def summary_line(result: CheckResult) -> str:
    stories = result.published + len(result.held_back)
    return (
        f"Checked {plural(stories, 'story', 'stories')}: "
        # Nothing is published by a check (nor on a pull request it checks):
        # these are the stories the next publish would put on the site.
        f"{result.published} ready to publish, {len(result.held_back)} held back; "
        f"{plural(result.error_count, 'error')}, "
        f"{plural(result.warning_count, 'warning')}."
    )


def format_report(
    result: CheckResult, github: bool = False, levels: bool = False
) -> str:
    """What ``invoke check`` prints: the podcast audio of the masters the
    check encoded (of every story when ``levels``), errors, warnings,
    held-back stories, then the summary line; GitHub annotations too when
    ``github``. The problems come last, where a terminal shows them."""
    lines: list[str] = []

    def section(title: str, items: list[str]) -> None:
        if items:
            lines.append(title)
            lines.extend(f"  {item}" for item in items)
            lines.append("")

    audio = sorted(result.renditions, key=lambda r: r.source)
    if levels:
        title = (
            "Podcast audio levels of every story ready to publish, master -> rendition:"
        )
    else:
        # A master encoded now is new or replaced (or its rendition was
        # not in the cache): the build after this check finds it made, and
        # lists only the flagged ones.
        title = "Podcast audio encoded by this check, master -> rendition:"
        audio = [r for r in audio if r.encoded_now or r.shares_encoding]
    section(title, [rendition_line(r) for r in audio])
    other = {level: [m.text for m in result.messages if m.level is level]
             for level in Severity}  # fmt: skip
    errors = [str(p) for p in result.errors] + other[Severity.ERROR]
    warnings = [str(p) for p in result.warnings] + other[Severity.WARNING]
    section(f"{plural(len(errors), 'error')} (fix these):", errors)
    section(f"{plural(len(warnings), 'warning')}:", warnings)
    section(
        "Held back (not on the public site):",
        [f"{path}: {'; '.join(reasons)}" for path, reasons in result.held_back],
    )
    section(
        "Approved and ready, but their errors would stop `./dev publish`:",
        result.blocked,
    )
    if not errors:
        lines.append("No errors.")
    lines.append(summary_line(result))
    if github:
        lines += [problem.github_annotation() for problem in result.problems]
        for message in result.messages:
            lines.append(f"::{message.level.value}::{github_escape(message.text)}")
    return "\n".join(lines)
