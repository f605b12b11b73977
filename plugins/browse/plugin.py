"""Browse the archive: all stories by recording date, by place, by
relationship and by guide question; related stories on every story page.

See README.md for the pages, the template variables and the settings."""

from __future__ import annotations

from pelican import signals

from portal import signals as portal_signals

from .generator import BrowseGenerator
from .questions import check_chapter_questions


def get_generators(pelican):
    return BrowseGenerator


def register():
    signals.get_generators.connect(get_generators)
    portal_signals.story_checks.connect(check_chapter_questions)
