"""A story page's related stories, made again without the rest of the page.

A story's page lists other stories under it (``partials/related_stories.html``:
related conversations, more from its state), newest first among equals. So
a campaign's new story joins the related stories of every page that shares
its topics or state and has room for it: some 1,200 pages at 10,000 stories,
each rendered whole again (its transcript and timeline are most of a page's
rendering), with the story's other files, for a list of cards.

The cards are the one part of a story's key that is not in its own key
(``key.StoryKeys.keys``). When a page is made, its related stories are
rendered on their own too, with the variables Pelican's writer gave the page
(``portal.pelican_private.page_variables``), and where the page printed them
is kept with its files (``store.Entry.cards``): found once and only once in
the page, or not kept. A story whose own key is the last build's, and only
its cards changed, then gets its page as the last build's bytes with the
new related stories put in their place (``store.OutputStore.with_new_cards``)
and its other files as they were: the bytes a whole render gives
(``tests/test_related_cards.py``). The theme marks the related stories for
the search to leave out; where the old and the new are each one such
element, the search is told the page's words did not change
(``portal.search_unchanged``) and does not read it again.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from portal.pelican_private import article_page_arguments, page_variables

TEMPLATE = "partials/related_stories.html"


def render(env, context: dict, story, settings) -> str:
    """The HTML ``story``'s page prints for its related stories: as the
    template renders it, then as the page prints whole lines (the theme's
    ``dedent_html`` filter, around every page, takes the spaces at each
    line's ends)."""
    arguments = article_page_arguments(story, settings)
    variables = page_variables(context, story.story.save_as, arguments)
    html = env.get_template(TEMPLATE).render(variables)
    dedent = env.filters.get("dedent_html")
    if dedent is None:
        return html
    # Between two line breaks, every line of it is a middle line.
    return str(dedent(f"\n{html}\n"))[1:-1]


def region(page: bytes, related: str) -> tuple[int, int] | None:
    """Where ``page`` printed ``related`` (``render``): from, to; None
    unless it printed it once, in whole lines (blank, found twice, or with
    other text on its first or last line, it says nothing of where it is,
    or of how other related stories would print there)."""
    data = related.encode("utf-8")
    if not data.strip() or page.count(data) != 1:
        return None
    start = page.find(data)
    end = start + len(data)
    if start > 0 and page[start - 1 : start] != b"\n":
        return None
    if not data.endswith(b"\n") and page[end : end + 1] not in (b"\n", b""):
        return None
    return start, end


def unread_by_search(html: bytes) -> bool:
    """Is ``html`` (a page's related stories) one element the search leaves
    out whole (``data-pagefind-ignore="all"``), with nothing but spaces
    around it, and no other mark of the search in it (the search's reader
    takes filters and metadata from anywhere on a page)? Then the page reads
    the same to the search whatever stories it lists
    (``portal.search_unchanged``)."""
    if html.count(b"data-pagefind") != 1:
        return False
    body = LexborHTMLParser(html.decode("utf-8")).body
    if body is None:
        return False
    elements = []
    for node in body.iter(include_text=True):
        if node.tag == "-text":
            if (node.text_content or "").strip():
                return False
        else:
            elements.append(node)
    return (
        len(elements) == 1
        and elements[0].attributes.get("data-pagefind-ignore") == "all"
    )
