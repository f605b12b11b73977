"""What a visitor audit found, measured in a real browser so it stays fixed:
the search filters at 320 pixels, the embed at the size it advertises, the
menu on phones, the funder credits, the mini-player's title, named search
landmarks, tap targets in the transcript, the embed's icon and the podcast
page's links."""

from __future__ import annotations

import pytest

from tests.listening import story_pages_with_chapters

PHONES = [320, 390]


@pytest.fixture(scope="module")
def context_at(browser):
    contexts = []

    def make(width, height=800):
        context = browser.new_context(
            viewport={"width": width, "height": height}, bypass_csp=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def slugs(sample_site):
    return sorted(p.parent.name for p in (sample_site / "stories").glob("*/embed"))


@pytest.fixture(scope="module")
def chaptered(sample_site):
    return story_pages_with_chapters(sample_site)[0]


def _enhanced(page):
    page.wait_for_function(
        "document.querySelectorAll('figure[data-player]').length === "
        "document.querySelectorAll('figure[data-player].is-enhanced').length"
    )


# ---- 1. The search filters on a 320-pixel phone ---------------------------

# A filter value as an editor may write it, one long word (a place, a
# relationship): it must wrap inside the panel, not widen the page.
LONG_VALUE = """() => {
    const choice = document.querySelector('.search-filter__choice');
    const copy = choice.cloneNode(true);
    copy.querySelector('.search-filter__value').textContent =
        'Llanfairpwllgwyngyllgogerychwyrndrobwll';
    choice.parentNode.appendChild(copy);
}"""


def test_search_filters_open_on_a_320_pixel_phone_fit_it(context_at, site_server):
    page = context_at(320)
    page.goto(site_server + "/search/?q=family")
    page.wait_for_selector(".search-filter__choice", state="attached")
    page.click("summary.search-filters__heading")
    page.evaluate(LONG_VALUE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    panel = page.locator("details.search-filters").bounding_box()
    assert panel["x"] + panel["width"] <= 320
    # Every count is shown whole inside the panel, beside its value.
    for count in page.locator(".search-filter__count").all():
        box = count.bounding_box()
        assert box["width"] > 0
        assert box["x"] + box["width"] <= panel["x"] + panel["width"], box
