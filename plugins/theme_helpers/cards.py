"""A story's card, rendered once a build and shown wherever it is listed.

A story is listed on many pages: the paginated list of every story, each of
its topics, its place and group in Browse, the home page, the podcast page,
and the "listen next" cards of other stories' pages. Its card (picture,
title, people, the compact player) is the same HTML on each of them, and
rendering it was most of the time of those pages (benchmarks/README.md:
listing pages were a third of a rebuild with nothing changed). So the theme
asks for ``story_card(story, with_player)`` and gets the card rendered the
first time and the same text after.

What a card prints comes from the story's record and from settings that
are the same for the whole build, except ``SITEURL``: a development build
gives each page a relative one (``..``, ``../..``), so it is part of the
key. Records are final by the time pages are written (every generator's
context is made first), and the table is emptied when a build starts and
ends, so no card outlives the build whose records it shows.
"""

from __future__ import annotations

import markupsafe
from jinja2 import pass_context

TEMPLATE = "partials/story_card.html"

# (record, with_player, SITEURL) -> the card's HTML, for the running build.
_rendered: dict[tuple, markupsafe.Markup] = {}


@pass_context
def story_card(context, story, with_player: bool = True) -> markupsafe.Markup:
    key = (story.story, with_player, context.get("SITEURL"))
    card = _rendered.get(key)
    if card is None:
        template = context.environment.get_template(TEMPLATE)
        variables = context.get_all()
        variables.update(story=story, with_player=with_player)
        card = markupsafe.Markup(template.render(variables))
        _rendered[key] = card
    return card


def forget(*_args) -> None:
    """Drop every card (a build starts or ends)."""
    _rendered.clear()
