"""The conversation guide's questions, for the guide page and any template.

Reads ``content/data/questions.yml`` once a build (``portal.questions``) and
puts the questions in the template context as ``guide_questions``: a list of
``portal.questions.Question`` (key, question) in the file's order. The guide
page (``template: guide``) prints them with an anchor per key
(``#question-<key>``), the same keys stories use in their chapters.

A broken questions file is reported (file, line, field, fix); production
builds (``STORY_STRICT``) stop on it.
"""

from __future__ import annotations

import logging

from pelican import signals

from portal.problems import report_problems
from portal.questions import load_questions

logger = logging.getLogger(__name__)

GUIDE_TEMPLATE = "guide"


class ConversationGuideGenerator:
    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.path = path

    def generate_context(self):
        loaded = load_questions(self.path)
        if loaded.problems:
            report_problems(
                self.context,
                self.settings,
                loaded.problems,
                logger,
                "[conversation_guide] ",
            )
        elif loaded.value is None and self._guide_pages():
            logger.warning(
                "[conversation_guide] %s is missing: the guide page lists no "
                "questions - add the file with one '- key: ... question: ...' "
                "entry a question",
                loaded.path,
            )
        self.context["guide_questions"] = (
            list(loaded.value.root) if loaded.value else []
        )

    def _guide_pages(self) -> list:
        pages = self.context.get("pages", []) + self.context.get("hidden_pages", [])
        return [page for page in pages if page.template == GUIDE_TEMPLATE]


def get_generators(pelican):
    return ConversationGuideGenerator


def register():
    signals.get_generators.connect(get_generators)
