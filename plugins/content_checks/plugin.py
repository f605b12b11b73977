"""Checks the schema cannot make: pictures, links, chapters against the audio.

Every check reports a ``portal.problems.Problem`` through the approval gate's
signals, so a problem holds the story back, stops a production build when the
story would otherwise be published, and is listed by ``invoke check`` the
same way in every build.

- ``story_media``: the story's picture opens with Pillow and is a format
  browsers show; ``{filename}``/``{static}`` links in the story lead somewhere;
  a story set to be published keeps no CHANGE mark from ``invoke new-story``
  (a draft is warned about them), and every participant has a description
  (a warning).
- ``story_checks``: front-matter chapters start before the audio ends, and
  the marked quote ends inside the audio.
- ``page_generator_finalized``: links in campaign pages lead somewhere
  (warnings: pages are published whatever their problems).
- ``static_generator_finalized``: pictures in the static folders
  (``content/images/``) pass the story picture's check (size limits, a full
  decode, the format their name promises); one that does not, or a static
  file that is a FIFO or a device, is an error and is not copied.

Settings: none.
"""

from __future__ import annotations

import logging
import os

from pelican import signals

from portal import signals as portal_signals
from portal.paths import StoryPathError, story_file
from portal.problems import Problem, Severity, record_problems, report_problems

from .chapters import chapters_past_the_end, quote_past_the_end
from .images import ImageProblem, check_image
from .links import broken_links
from .placeholders import empty_descriptions, leftover_placeholders, speaker_labels
from .static_pictures import refused_static_files

logger = logging.getLogger(__name__)


def check_story_files(generator, stories, report):
    for story in stories:
        if story.story.front.image:
            try:
                check_image(story_file(story.story.folder, story.story.front.image))
            except (ImageProblem, StoryPathError) as error:
                report(
                    Problem(
                        story.story.source,
                        "image",
                        error.problem,
                        error.fix,
                        story.story.lines.get(("image",)),
                    )
                )
        for problem in broken_links(story, story.story.source, generator.settings):
            report(problem)
        for problem in (
            leftover_placeholders(story)
            + empty_descriptions(story)
            + speaker_labels(story)
        ):
            report(problem)


def check_story_chapters(generator, stories, report):
    for story in stories:
        for problem in chapters_past_the_end(story) + quote_past_the_end(story):
            report(problem)


def check_page_links(generator):
    """Pages are not held back like stories, so a broken link in one is a
    warning: the page is published, with the link that leads nowhere."""
    root = os.path.dirname(os.path.abspath(generator.settings["PATH"]))
    problems = []
    for page in generator.pages + generator.hidden_pages:
        display = os.path.relpath(page.source_path, root).replace(os.sep, "/")
        problems += broken_links(page, display, generator.settings, Severity.WARNING)
    for problem in problems:
        logger.warning("%s", problem)
    record_problems(generator.context, problems)


def check_static_files(generator):
    """A refused static file is left out of the output in every build; a
    production build stops on it (``report_problems``)."""
    problems = refused_static_files(generator)
    report_problems(generator.context, generator.settings, problems, logger)


def register():
    portal_signals.story_media.connect(check_story_files)
    portal_signals.story_checks.connect(check_story_chapters)
    signals.page_generator_finalized.connect(check_page_links)
    signals.static_generator_finalized.connect(check_static_files)
