"""A story page does not move as player.js swaps in the player's controls.

The native <audio controls> is a 54-pixel bar; the controls player.js shows
in its place (play, seek, skip, speed, copy a link, the chapter now) are
about 160 pixels tall, the keyboard-shortcuts panel appears below them where
there is a keyboard, and the length beside "Download audio" goes. Each
pushed the conversation's timeline and the story's text down a moment after
the page was drawn: a cumulative layout shift of about 0.06 on a desktop.

player.js is held back a little here, as a slow network does, so the page
is drawn before it runs; the page is opened at the listening card (#listen)
so that the card is in view on a phone too.

The room kept for the controls must not stay empty when they never come
(player.js blocked, missing, or failing as it sets the player up): then the
page is the one a visitor without scripts gets."""

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

CURSOR = "element => getComputedStyle(element).cursor"

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
        # And the controls are there, in the native player's place: a slow
        # player.js is not taken for a failed one (fallback.js waits for it),
        # and the timeline, which now seeks, looks clickable.
        assert page.locator("[data-action='toggle']").is_visible()
        assert page.locator("figure[data-player] audio").is_hidden()
        assert page.locator("figure[data-player].is-native").count() == 0
        assert page.locator(".timeline__svg").evaluate(CURSOR) == "pointer"
    finally:
        context.close()


# What player.js changes on a story page, or moves when it does: when it
# fails, these lie exactly where they lie without scripts.
CARD = (
    "figure[data-player]",
    "figure[data-player] audio",
    ".player__meta",
    ".player__length",
    ".listen > .conversation",
    ".listen",
)
BOXES = """selectors => selectors.map(selector => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return [selector, ...[box.top + scrollY, box.left, box.width, box.height]
    .map(Math.round)];
})"""
PLAYER_JS = "**/js/player*.js"


def _blocked(page):
    """An extension blocks it, or a phone's connection drops it."""
    page.route(PLAYER_JS, lambda route: route.abort())


def _missing(page):
    """A page cached from before a deploy names a player.js that is gone."""
    page.route(PLAYER_JS, lambda route: route.fulfill(status=404, body="Not found"))


def _throws(page):
    """It arrives, and fails before it sets anything up."""
    page.route(
        PLAYER_JS,
        lambda route: route.fulfill(
            content_type="text/javascript", body="throw new Error('broken');"
        ),
    )


def _fails_during_setup(page):
    """It fails part way through setting the player up (the mini bar's
    IntersectionObserver, as in a browser whose observer is broken)."""
    page.add_init_script(
        "window.IntersectionObserver = function () { throw new Error('broken'); };"
    )


@pytest.fixture(scope="module")
def without_scripts(browser, site_server, slug):
    """``without_scripts(device)``: the boxes of CARD on the story page with
    scripts off, as a visitor without them gets it on ``device``. The page
    is the same for every failure of player.js: drawn once a device."""
    drawn = {}

    def boxes(device):
        key = json.dumps(device, sort_keys=True)
        if key not in drawn:
            context = browser.new_context(java_script_enabled=False, **device)
            try:
                page = context.new_page()
                page.goto(f"{site_server}/stories/{slug}/")
                found = page.evaluate(BOXES, CARD)
                assert page.locator(".timeline__svg").evaluate(CURSOR) != "pointer"
            finally:
                context.close()
            drawn[key] = found
        return drawn[key]

    return boxes


def _plays(page, audio):
    """Press the native player's play button; does the story play?"""
    box = audio.bounding_box()
    page.mouse.click(box["x"] + 20, box["y"] + box["height"] / 2)
    for _ in range(100):  # polled: wait_for_function needs eval (the policy)
        if audio.evaluate("audio => audio.currentTime") > 0.5:
            return True
        page.wait_for_timeout(100)
    return False


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone-390", "desktop-1366"])
@pytest.mark.parametrize(
    "failure",
    [_blocked, _missing, _throws, _fails_during_setup],
    ids=["blocked", "missing", "throws", "fails-during-setup"],
)
def test_without_player_js_the_page_is_as_without_scripts(
    browser, site_server, slug, device, failure, without_scripts
):
    """Scripts run but player.js never sets the page up: the native player
    is in the page's flow, with no empty room below it for controls that
    will not come, the length beside "Download audio" is shown, nothing
    waits for the keyboard-shortcuts panel, and the timeline does not look
    clickable: the page is the one a visitor without scripts gets."""
    url = f"{site_server}/stories/{slug}/"
    expected = without_scripts(device)

    # The site's policy enforced, as in a visitor's browser: what notices
    # the failure must not be refused by it.
    context = browser.new_context(**device)
    page = context.new_page()
    page.set_default_timeout(15_000)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    try:
        failure(page)
        page.goto(url)  # to the load event: the deferred scripts have run
        assert page.evaluate(BOXES, CARD) == expected
        assert page.locator(".player__length").is_visible()
        assert page.locator("[data-player-ui]").is_hidden()
        assert page.locator("[data-shortcuts]").is_hidden()
        assert page.locator(".timeline__svg").evaluate(CURSOR) != "pointer"
        audio = page.locator("figure[data-player] audio")
        assert audio.is_visible()
        assert _plays(page, audio)
        assert not refused
    finally:
        context.close()
