"""Parts of pages rendered once a build and printed wherever they appear.

A story is listed on many pages: the paginated list of every story, each of
its topics, its place and group in Browse, the home page, the podcast page,
and the "listen next" cards of other stories' pages. Its card (picture,
title, people, the compact player) is the same HTML on each of them, and
rendering it was most of the time of those pages (benchmarks/README.md:
listing pages were a third of a rebuild with nothing changed). So the theme
asks for ``story_card(story, with_player)`` and gets the card rendered the
first time and the same text after. The footer's funder credits and
campaign links (``campaign_footer()``) are the same on every page of the
site: rendered once too (the question index alone is hundreds of pages).

What they print comes from the story's record and from the site's context
(settings, pages, funders, forms), which are final by the time pages are
written (every generator's context is made first), except ``SITEURL``: a
development build gives each page a relative one (``..``, ``../..``), so it
is part of the key. The table is emptied when a build starts and ends, so
nothing outlives the build it was made for.
"""

from __future__ import annotations

import markupsafe
from jinja2 import pass_context

CARD = "partials/story_card.html"
FOOTER = "partials/campaign_footer.html"

# (what, SITEURL...) -> its HTML, for the running build.
_rendered: dict[tuple, markupsafe.Markup] = {}


def _render(context, template: str, **variables) -> markupsafe.Markup:
    values = context.get_all()
    values.update(variables)
    html = context.environment.get_template(template).render(values)
    return markupsafe.Markup(html)


@pass_context
def story_card(context, story, with_player: bool = True) -> markupsafe.Markup:
    key = (CARD, story.story, with_player, context.get("SITEURL"))
    card = _rendered.get(key)
    if card is None:
        card = _rendered[key] = _render(
            context, CARD, story=story, with_player=with_player
        )
    return card


@pass_context
def campaign_footer(context, with_funders: bool = True) -> markupsafe.Markup:
    """The footer's funder credits and links; without the credits on the
    funders page, which lists the same funders just above it."""
    key = (FOOTER, context.get("SITEURL"), with_funders)
    footer = _rendered.get(key)
    if footer is None:
        footer = _rendered[key] = _render(context, FOOTER, with_funders=with_funders)
    return footer


def forget(*_args) -> None:
    """Drop everything rendered (a build starts or ends)."""
    _rendered.clear()
