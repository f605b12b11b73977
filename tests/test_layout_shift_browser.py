"""A story page does not move as player.js swaps in the player's controls.

The native <audio controls> is a 54-pixel bar; the controls player.js shows
in its place (play, seek, skip, speed, copy a link, the chapter now) are
about 160 pixels tall, the keyboard-shortcuts panel appears below them where
there is a keyboard, and the length beside "Download audio" goes. Each
pushed the conversation's timeline and the story's text down a moment after
the page was drawn: a cumulative layout shift of about 0.06 on a desktop.

player.js is held back a little here, as a slow network does, so the page
is drawn before it runs; the page is opened at the listening card (#listen)
so that the card is in view on a phone too."""

from __future__ import annotations

import json
import time

import pytest

from tests.listening import story_pages_with_chapters

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}

# Every shift counts, as in Lighthouse: nothing is pressed here, and a phone's
# emulation marks each shift as if it followed input (hadRecentInput).
SHIFTS = """
window.shifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    window.shifts.push({
      value: entry.value,
      sources: (entry.sources || []).map(source => source.node
        ? (source.node.nodeName + '.' + (source.node.className || '')).trim()
        : '?')
    });
  }
}).observe({type: 'layout-shift', buffered: true});
"""


@pytest.fixture(scope="module")
def slug(sample_site):
    slugs = story_pages_with_chapters(sample_site)
    assert slugs, "the sample site has no story with a transcript and chapters"
    return slugs[0]


def _slowly(route):
    time.sleep(0.4)
    route.continue_()


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone-390", "desktop-1366"])
@pytest.mark.parametrize("where", ["", "#listen"], ids=["top", "at-player"])
def test_the_player_loads_without_moving_the_page(
    browser, site_server, slug, device, where
):
    context = browser.new_context(bypass_csp=True, **device)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.route("**/js/player*.js", _slowly)
        page.add_init_script(SHIFTS)
        page.goto(f"{site_server}/stories/{slug}/{where}")
        page.wait_for_function(
            "document.querySelector('figure[data-player]').classList"
            ".contains('is-enhanced')"
        )
        # Two frames: a shift is reported once the frame it moved is drawn.
        page.evaluate(
            "new Promise(done => requestAnimationFrame(() => "
            "requestAnimationFrame(done)))"
        )
        page.wait_for_timeout(200)
        shifts = page.evaluate("window.shifts")
        total = sum(shift["value"] for shift in shifts)
        assert total < 0.01, f"layout shift {total:.4f}: {json.dumps(shifts)}"
        # What is left is inside the native player's own controls (their
        # parts are no element of the page: "?"), drawn before player.js.
        moved = [shift for shift in shifts if set(shift["sources"]) - {"?"}]
        assert not moved, f"these moved: {json.dumps(moved)}"
        # And the controls are there, in the native player's place.
        assert page.locator("[data-action='toggle']").is_visible()
        assert page.locator("figure[data-player] audio").is_hidden()
    finally:
        context.close()


def test_the_native_player_plays_while_the_room_waits(browser, site_server, slug):
    """Scripts run but player.js never comes (a network that drops it): the
    native player is shown and plays, the controls' room below it is empty,
    and nothing in that room takes a click."""
    context = browser.new_context(bypass_csp=True, **DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.route("**/js/player*.js", lambda route: route.abort())
        page.goto(f"{site_server}/stories/{slug}/")
        audio = page.locator("figure[data-player] audio")
        assert audio.is_visible()
        assert page.locator("[data-player-ui]").is_hidden()
        assert page.locator("[data-shortcuts]").is_hidden()
        box = audio.bounding_box()
        page.mouse.click(box["x"] + 20, box["y"] + box["height"] / 2)
        page.wait_for_function(
            "document.querySelector('figure[data-player] audio').currentTime > 0.5"
        )
    finally:
        context.close()
