"""The story page as a first-time visitor meets it, in a real browser.

Pressing Play never moves the page; the bar that stays in reach has skip
buttons and shows progress; on a phone the people come before the player;
the keyboard-shortcuts panel is offered only where there is a keyboard."""

from __future__ import annotations

import re

import pytest

from tests.listening import story_pages_with_chapters

AUDIO = "document.querySelector('figure[data-player] audio')"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def slug(sample_site):
    slugs = story_pages_with_chapters(sample_site)
    assert slugs, "the sample site has no story with a transcript and chapters"
    return slugs[0]


def _open(browser, site_server, slug, **options):
    context = browser.new_context(bypass_csp=True, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{site_server}/stories/{slug}/")
    page.wait_for_function(f"!{AUDIO}.controls")
    return context, page


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_play_never_moves_the_page(browser, site_server, slug, viewport):
    context, page = _open(browser, site_server, slug, viewport=viewport)
    try:
        turns = page.eval_on_selector_all(
            ".turn", "els => els.map(e => parseFloat(e.dataset.start))"
        )
        page.evaluate(f"{AUDIO}.currentTime = {turns[1] - 0.6}")
        play = page.locator("[data-action='toggle']")
        play.scroll_into_view_if_needed()  # where a visitor would be to press it
        before = page.evaluate("window.scrollY")
        play.click()
        # Past a change of turn: each one used to scroll to the transcript.
        page.wait_for_function(f"{AUDIO}.currentTime > {turns[1] + 0.3}")
        page.wait_for_timeout(300)  # a smooth scroll would have begun
        assert page.evaluate("window.scrollY") == before
        assert page.locator("[data-action='toggle']").is_visible()
        assert page.locator(".turn.is-current").count() == 1  # still followed
    finally:
        context.close()


def test_transcript_follows_while_it_is_read(browser, site_server, slug):
    context, page = _open(
        browser, site_server, slug, viewport={"width": 800, "height": 420}
    )
    try:
        page.evaluate(
            "window.scrollTo(0, document.querySelector('#transcript')"
            ".getBoundingClientRect().top + window.scrollY)"
        )
        before = page.evaluate("window.scrollY")
        last = page.eval_on_selector_all(
            ".turn", "els => parseFloat(els[els.length - 1].dataset.start)"
        )
        page.evaluate(f"{AUDIO}.currentTime = {last - 0.5}")
        page.keyboard.press("k")  # play without scrolling to the button
        page.wait_for_function(f"window.scrollY > {before + 50}")
        # The scroll is smooth: wait for it to bring the last turn into view
        # rather than reading the page halfway there.
        page.wait_for_function(
            """() => {
                const turns = document.querySelectorAll('.turn');
                const top = turns[turns.length - 1].getBoundingClientRect().top;
                return top >= 0 && top < window.innerHeight;
            }"""
        )
    finally:
        context.close()


def test_mini_bar_has_progress_and_skip_buttons(browser, site_server, slug):
    context, page = _open(browser, site_server, slug, viewport=PHONE)
    try:
        mini = page.locator("[data-mini-player]")
        page.click("[data-action='toggle']")
        page.wait_for_function(f"{AUDIO}.currentTime > 1")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        mini.wait_for(state="visible")
        box = mini.bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"] + 1  # on screen
        page.wait_for_function(
            "getComputedStyle(document.querySelector('[data-mini-progress]'))"
            ".transform !== 'matrix(0, 0, 0, 1, 0, 0)'"
        )
        before = page.evaluate(f"{AUDIO}.currentTime")
        mini.get_by_role("button", name="Forward 30 seconds").click()
        page.wait_for_function(f"{AUDIO}.currentTime >= {before + 25}")
        after = page.evaluate(f"{AUDIO}.currentTime")
        mini.get_by_role("button", name="Back 15 seconds").click()
        page.wait_for_function(f"{AUDIO}.currentTime <= {after - 10}")
        # The progress bar is as far along as the audio.
        fraction = page.evaluate(
            f"""() => {{
                const done = document.querySelector('[data-mini-progress]');
                const bar = done.parentElement.getBoundingClientRect();
                return [done.getBoundingClientRect().width / bar.width,
                        {AUDIO}.currentTime / {AUDIO}.duration];
            }}"""
        )
        assert fraction[0] == pytest.approx(fraction[1], abs=0.08)
        for name in ("Back 15 seconds", "Forward 30 seconds", "Pause"):
            control = mini.get_by_role("button", name=name)
            assert control.bounding_box()["height"] >= 24  # WCAG 2.5.8 target size
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_phone_order_title_people_summary_player(browser, site_server, slug):
    context, page = _open(
        browser, site_server, slug, viewport=PHONE, is_mobile=True, has_touch=True
    )
    try:
        tops = page.evaluate(
            """() => ['h1.story__title', '.pair', '.story__summary',
                      'figure[data-player]', '.conversation', '#transcript'].map(s => {
                const e = document.querySelector(s);
                return e ? e.getBoundingClientRect().top + window.scrollY : null;
            })"""
        )
        title, people, summary, player, timeline, transcript = tops
        assert None not in (title, people, player)
        if summary is not None:
            assert title < people < summary < player
        assert title < people < player < timeline
        assert player < transcript
        # Both people, with what they do, before the player.
        people_text = page.inner_text(".pair")
        for name in page.evaluate(
            "document.querySelector('figure[data-player]')"
            ".dataset.artist.split(' and ')"
        ):
            assert name in people_text
        # The player's Play button is on the first or second screen.
        assert (
            page.locator("[data-action='toggle']").bounding_box()["y"]
            < 2 * PHONE["height"]
        )
    finally:
        context.close()


@pytest.mark.parametrize("anchor", ["chapter-2", "turn-2"])
def test_a_linked_chapter_or_turn_lands_clear_of_the_search_bar(
    browser, site_server, slug, anchor
):
    """On wide screens the transcript's search bar stays at the top of the
    window: a link to #chapter-N (a search result, a shared link) put the
    chapter's heading under it."""
    context = browser.new_context(bypass_csp=True, viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(f"{site_server}/stories/{slug}/#{anchor}")
        page.wait_for_function(f"!{AUDIO}.controls")
        page.wait_for_timeout(200)
        target, bar = page.evaluate(
            f"""() => [document.getElementById('{anchor}'),
                       document.querySelector('[data-transcript-tools]')]
                .map(e => e.getBoundingClientRect().toJSON())"""
        )
        assert bar["top"] == 0  # held at the top of the window
        assert target["top"] >= bar["bottom"]
    finally:
        context.close()


def test_keyboard_focus_in_the_transcript_is_never_under_the_search_bar(
    browser, site_server, slug
):
    """Tabbing back up the transcript (Shift+Tab) scrolled each time link
    just into view at the window's top edge: under the sticky search bar,
    where the focused link could not be seen (WCAG 2.4.11)."""
    context = browser.new_context(
        bypass_csp=True, viewport={"width": 1366, "height": 700}
    )
    page = context.new_page()
    try:
        page.goto(f"{site_server}/stories/{slug}/")
        page.wait_for_function(f"!{AUDIO}.controls")
        page.focus("section.share a")
        hidden = []
        while True:
            page.keyboard.press("Shift+Tab")
            focus, bar = page.evaluate(
                """() => [document.activeElement,
                          document.querySelector('[data-transcript-tools]')]
                    .map(e => e.getBoundingClientRect().toJSON())"""
            )
            if not page.evaluate(
                "document.activeElement.matches('#transcript [data-section] a')"
            ):
                break
            if bar["top"] == 0 and focus["top"] < bar["bottom"]:
                hidden.append(page.evaluate("document.activeElement.textContent"))
        assert not hidden
    finally:
        context.close()


def test_keyboard_shortcuts_only_where_there_is_a_keyboard(browser, site_server, slug):
    context, page = _open(
        browser, site_server, slug, viewport=PHONE, is_mobile=True, has_touch=True
    )
    try:
        page.wait_for_timeout(200)
        assert page.locator("[data-shortcuts]").is_hidden()
    finally:
        context.close()
    context, page = _open(browser, site_server, slug, viewport=DESKTOP)
    try:
        page.locator("[data-shortcuts]").wait_for(state="visible")
    finally:
        context.close()


def _seconds_from_words(words: str) -> int | None:
    """ "48 sec", "2 min 5 sec" -> seconds; None for lengths said in minutes only."""
    match = re.fullmatch(r"(?:(\d+) min)?\s*(?:(\d+) sec)?", words.strip())
    if not match or (not match.group(2) and int(match.group(1) or 0) >= 5):
        return None
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def _seconds_from_clock(clock: str) -> int:
    parts = [int(part) for part in clock.split(":")]
    return sum(value * 60**power for power, value in enumerate(reversed(parts)))


def test_durations_agree_everywhere(sample_site):
    """A story's length reads the same on its card, in its facts, its player
    and its machine-readable time ("48 sec" and 0:48, never "49 sec")."""
    listing = (sample_site / "stories" / "index.html").read_text()
    checked = cards = 0
    for page in sorted((sample_site / "stories").glob("*/index.html")):
        text = page.read_text()
        clock = re.search(r"data-time-duration>([\d:]+)<", text).group(1)
        iso, words = re.search(
            r"<dt>Length(?:<span[^>]*>:</span>)?</dt>\s*"
            r'<dd><time datetime="(PT[\dHMS]+)">([^<]+)</time>',
            text,
        ).groups()
        seconds = _seconds_from_clock(clock)
        spoken = _seconds_from_words(words)
        if spoken is not None:
            assert spoken == seconds, (page, words, clock)
        iso_parts = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?", iso).groups()
        assert (
            sum(int(v or 0) * m for v, m in zip(iso_parts, (3600, 60, 1), strict=True))
            == seconds
        )
        slug = page.parent.name
        card = re.search(
            rf'href="[^"]*/{slug}/">.*?<span class="story-card__length">([^<]+)<',
            listing,
            re.S,
        )
        if card:
            assert card.group(1) == words, (slug, card.group(1), words)
            cards += 1
        checked += 1
    assert checked >= 3 and cards >= 3


def test_embed_code_has_a_copy_button(page, site_server, slug):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{site_server}/stories/{slug}/")
    button = page.get_by_role("button", name="Copy the embed code")
    button.click()
    page.wait_for_function(
        "document.querySelector('[data-copy-status]').textContent === 'Copied'"
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("<iframe") and f"/stories/{slug}/embed/" in copied
    assert copied == page.input_value("#embed-code")


def test_without_javascript_the_share_box_offers_nothing_it_cannot_do(
    browser, site_server, slug
):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_server}/stories/{slug}/")
        share = page.locator("section.share")
        assert "Copy link" not in share.inner_text()
        assert page.get_by_role("button", name="Copy the embed code").count() == 0
        assert share.locator("#embed-code").is_visible()
    finally:
        context.close()


def test_copy_works_where_the_clipboard_api_refuses_to_write(
    browser, site_server, slug
):
    """A shared link opens in the browser inside a social or mail app
    (Android's WebView), which has navigator.clipboard but refuses
    writeText: "Copy link" showed a field to copy by hand, and the embed
    code's button told a phone to press Ctrl+C. The selection is copied."""
    context = browser.new_context(
        bypass_csp=True, viewport=PHONE, has_touch=True, is_mobile=True
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_server)
    context.add_init_script(
        """navigator.clipboard.writeText = () => Promise.reject(
            new DOMException("Write permission denied.", "NotAllowedError"));"""
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{site_server}/stories/{slug}/")
        page.wait_for_function(f"!{AUDIO}.controls")
        page.locator("[data-action='copy-link']").tap()
        page.wait_for_function(
            "document.querySelector('[data-status]').textContent.includes('copied')"
        )
        assert page.evaluate("navigator.clipboard.readText()").endswith(
            f"/stories/{slug}/#t=0:00"
        )
        page.get_by_role("button", name="Copy the embed code").tap()
        page.wait_for_function(
            "document.querySelector('[data-copy-status]').textContent === 'Copied'"
        )
        assert page.evaluate("navigator.clipboard.readText()") == page.input_value(
            "#embed-code"
        )
    finally:
        context.close()


# Where neither the Clipboard API nor the selection can be copied by the
# page (an older WebView): the embed code is selected for the visitor.
NO_COPYING = """
    navigator.clipboard.writeText = () => Promise.reject(
        new DOMException("Write permission denied.", "NotAllowedError"));
    document.execCommand = () => false;"""


@pytest.mark.parametrize(
    ("device", "told"),
    [
        ({"viewport": PHONE, "has_touch": True, "is_mobile": True}, "touch and hold"),
        ({"viewport": DESKTOP}, "press Ctrl+C (⌘C on a Mac)"),
    ],
    ids=["phone", "desktop"],
)
def test_the_embed_code_left_to_copy_by_hand_says_how(
    browser, site_server, slug, device, told
):
    """Copy could only select the embed code: a phone was told to press
    Ctrl+C. Keys are named where there is a keyboard, touch elsewhere."""
    context = browser.new_context(bypass_csp=True, **device)
    context.add_init_script(NO_COPYING)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{site_server}/stories/{slug}/")
        button = page.get_by_role("button", name="Copy the embed code")
        if device.get("has_touch"):
            button.tap()
        else:
            button.click()
        page.wait_for_function(
            "document.querySelector('[data-copy-status]').textContent"
        )
        said = page.inner_text("[data-copy-status]")
        assert said.startswith("Selected: ") and told in said, said
        if device.get("has_touch"):
            assert "Ctrl" not in said
        code = page.input_value("#embed-code")
        selected = page.evaluate(
            "() => { const f = document.activeElement;"
            " return f.value.slice(f.selectionStart, f.selectionEnd); }"
        )
        assert selected == code
    finally:
        context.close()
