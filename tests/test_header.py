"""The header as visitors see it on a phone, a tablet and a desktop: compact,
"Take part" as a button, search in reach, and no page scrolling sideways,
even at 320 pixels."""

from __future__ import annotations

import pytest

PAGES = [
    "/",
    "/stories/common-ground/",
    "/search/",
    "/questions/",
    "/stories/",
    "/podcast/",
    "/take-part/",
    "/funders/",
]


@pytest.fixture(scope="module")
def context_at(browser):
    contexts = []

    def make(width, height=800):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_no_page_scrolls_sideways_at_320_pixels(context_at, site_server):
    page = context_at(320)
    too_wide = {}
    for path in PAGES:
        page.goto(site_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 110, (path, header["height"])
        button = page.get_by_role("link", name="Take part", exact=True).first
        assert button.is_visible(), path
        assert "header-button" in button.get_attribute("class")
        # The brand is shown whole, not cut short.
        assert page.evaluate(
            "(() => { const t = document.querySelector('.brand__text');"
            " return t.scrollWidth <= t.clientWidth; })()"
        ), path
    assert not too_wide, too_wide


@pytest.mark.parametrize("width", [320, 390, 480, 768, 1024, 1366])
def test_header_stays_compact_and_search_in_reach(context_at, site_server, width):
    page = context_at(width)
    page.goto(site_server + "/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= (110 if width < 1024 else 80)
    box = page.locator(".search-box--header")
    link = page.locator(".header-search-link")
    if width >= 1200:
        # A search box on the same line as the menu, not dropped below it.
        assert box.is_visible() and link.is_hidden()
        nav = page.locator(".site-nav").bounding_box()
        field = box.bounding_box()
        assert (
            abs((field["y"] + field["height"] / 2) - (nav["y"] + nav["height"] / 2))
            < 12
        )
    else:
        assert link.is_visible() and box.is_hidden()
        assert link.get_attribute("href").endswith("/search/")
    # Every menu link can be reached (scrolled to inside the menu on phones).
    for item in page.locator(".site-nav a").all():
        item.scroll_into_view_if_needed()
        assert item.is_visible()
    # A menu on two lines is two even rows, never one link left alone.
    rows = page.evaluate(
        "(() => { const rows = {}; for (const a of"
        " document.querySelectorAll('.site-nav a')) { const y ="
        " Math.round(a.getBoundingClientRect().top); rows[y] = (rows[y] || 0) + 1; }"
        " return Object.values(rows); })()"
    )
    assert len(rows) == 1 or min(rows) >= 2, rows
    assert page.evaluate("document.documentElement.scrollWidth") <= width
