"""Every page fits a phone: nothing is wider than a 390-pixel screen.

A page wider than the screen scrolls sideways and cuts off the player's
controls; it happens when one long word, address or control widens a
column, so every page of the sample site is opened at phone size."""

from __future__ import annotations

from tests.support import loaded_in_tabs

PHONE = {"width": 390, "height": 844}

WIDER_THAN_SCREEN = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > width + 1)
        .filter(e => !e.closest('.visually-hidden, [hidden]'))
        .slice(0, 3)
        .map(e => `${e.tagName.toLowerCase()}.${e.className} ends at ` +
                  Math.round(e.getBoundingClientRect().right));
}"""


def _page_urls(site):
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("pagefind/"):
            continue
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8"):
            continue  # a moved page: the browser goes on to one listed here
        yield "/" + relative.removesuffix("index.html")


# Pages are opened this many at a time, each in its own tab (as
# test_browser_policy walks them): each tab waits for its page's load event
# beside the others.
TABS = 4


def test_no_page_is_wider_than_a_phone(sample_site, site_server, browser):
    context = browser.new_context(viewport=PHONE)
    too_wide = {}
    try:
        tabs = [context.new_page() for _ in range(TABS)]
        urls = list(_page_urls(sample_site))
        assert len(urls) > 20
        for tab, url in loaded_in_tabs(tabs, site_server, urls):
            scroll_width = tab.evaluate("document.documentElement.scrollWidth")
            if scroll_width > PHONE["width"]:
                too_wide[url] = (scroll_width, tab.evaluate(WIDER_THAN_SCREEN))
    finally:
        context.close()
    assert not too_wide, too_wide
