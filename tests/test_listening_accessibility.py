"""axe-core (WCAG 2.0/2.1 A and AA) on the pages where people listen."""

from __future__ import annotations

import pytest

from tests.listening import story_pages_with_chapters


@pytest.fixture(scope="module")
def slug(sample_site):
    return story_pages_with_chapters(sample_site)[0]


def _ready(page) -> None:
    # Check the page as listeners get it: after player.js has run.
    page.wait_for_function(
        "document.querySelectorAll('figure[data-player]').length === "
        "document.querySelectorAll('figure[data-player].is-enhanced').length"
    )


@pytest.mark.parametrize(
    "path",
    ["/", "/stories/", "/stories/{slug}/", "/stories/{slug}/embed/"],
    ids=["home", "listing", "story", "embed"],
)
def test_no_axe_violations(page, site_server, axe, slug, path):
    page.goto(site_server + path.format(slug=slug))
    _ready(page)
    violations = axe(page)
    assert not violations, axe.format(violations)


def test_no_axe_violations_while_playing_and_searching(page, site_server, axe, slug):
    page.goto(f"{site_server}/stories/{slug}/")
    _ready(page)
    page.click("#turn-2 .turn__time")
    page.wait_for_function("document.querySelector('.turn.is-current')")
    page.click(".shortcuts summary")
    page.fill("[data-search-input]", "the")
    violations = axe(page)
    assert not violations, axe.format(violations)


def test_no_axe_violations_on_a_phone(browser, site_server, axe, slug):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{site_server}/stories/{slug}/")
        _ready(page)
        violations = axe(page)
        assert not violations, axe.format(violations)
    finally:
        context.close()


def test_a_player_is_named_after_its_story(page, site_server, slug):
    """A screen reader met each player as a figure named "Download audio
    (MP3, 439.0 KB)": its caption, the download link, named it."""
    page.goto(f"{site_server}/stories/{slug}/")
    _ready(page)
    title = page.text_content("h1.story__title").strip()
    player = page.locator("figure[data-player]")
    assert player.get_attribute("data-title") == title
    assert page.get_by_role("figure", name=f"Listen to {title}").count() == 1
