"""The story player in a real browser (Debian's Chromium, pages served with
HTTP Range): playing, seeking from the transcript, chapters and timeline,
deep links, speed, one player at a time, the keyboard, a slow network and no
JavaScript.

Stories are picked from the sample site by their shape (a transcript and at
least two chapters), not by name, so editors can change the samples."""

from __future__ import annotations

import re

import pytest

from tests.listening import story_pages_with_chapters

AUDIO = "document.querySelector('figure[data-player] audio')"


@pytest.fixture(scope="module")
def slug(sample_site):
    slugs = story_pages_with_chapters(sample_site)
    assert slugs, "the sample site has no story with a transcript and chapters"
    return slugs[0]


@pytest.fixture
def story(page, site_server, slug):
    """The story page, loaded, with the player enhanced and metadata read."""
    page.goto(f"{site_server}/stories/{slug}/")
    page.wait_for_function(f"!{AUDIO}.controls")
    # Story pages fetch no audio before play (preload="none", issue 8); these
    # tests drive a player whose audio is in use, so they ask for it first.
    page.evaluate(f"{AUDIO}.preload = 'metadata'; {AUDIO}.load()")
    page.wait_for_function(f"{AUDIO}.readyState >= 1")
    return page


def now(page) -> float:
    return page.evaluate(f"{AUDIO}.currentTime")


def playing(page) -> bool:
    return not page.evaluate(f"{AUDIO}.paused")


def wait_past(page, seconds: float) -> None:
    page.wait_for_function(f"{AUDIO}.currentTime > {seconds}")


def wait_status(page, words: str) -> None:
    """Wait for the live region to say ``words``: the player clears it and
    writes the new words on the next animation frame, so screen readers
    announce a repeated message again."""
    page.wait_for_function(
        "document.querySelector('[data-status]').textContent === " + repr(words)
    )


def starts(page, selector: str) -> list[float]:
    return [float(x) for x in page.eval_on_selector_all(
        selector, "els => els.map(e => e.getAttribute('data-start'))"
    )]  # fmt: skip


def test_play_advances_time(story):
    story.click("[data-action='toggle']")
    wait_past(story, 1.0)
    assert playing(story)
    assert story.get_attribute("[data-action='toggle']", "aria-label") == "Pause"
    wait_status(story, "Playing")
    shown = story.text_content("[data-time-current]")
    assert re.fullmatch(r"\d+:\d\d", shown)
    story.click("[data-action='toggle']")
    story.wait_for_function(f"{AUDIO}.paused")
    # The label follows the audio's "pause" event, a moment after .paused.
    story.wait_for_function(
        "document.querySelector(\"[data-action='toggle']\")"
        ".getAttribute('aria-label') === 'Play'"
    )
    wait_status(story, "Paused")


def test_transcript_click_seeks_to_the_turn(story):
    turn = starts(story, ".turn")[2]
    story.click("#turn-3 .turn__time")
    story.wait_for_function(f"!{AUDIO}.paused")
    assert turn <= now(story) < turn + 1.5
    # Clicking the words of a cue seeks to that cue.
    cue = story.locator(".turn:has(> #turn-2) .cue").first
    cue_start = float(cue.get_attribute("data-start"))
    cue.click()
    story.wait_for_function(f"Math.abs({AUDIO}.currentTime - {cue_start}) < 1.5")
    assert cue_start <= now(story) < cue_start + 1.5


def test_chapter_click_seeks_and_shows_the_chapter(story):
    chapters = starts(story, ".chapter-list__item")
    story.click(".chapter-list__item:nth-child(2) .chapter-list__link")
    story.wait_for_function(f"!{AUDIO}.paused")
    assert chapters[1] <= now(story) < chapters[1] + 1.5
    assert (
        story.get_attribute(
            ".chapter-list__item:nth-child(2) .chapter-list__link", "aria-current"
        )
        == "true"
    )
    assert story.text_content("[data-chapter-now]").startswith(
        f"Chapter 2 of {len(chapters)}: "
    )
    # The chapter headings in the transcript seek too.
    story.click("#chapter-1 .transcript__chapter-time")
    story.wait_for_function(f"{AUDIO}.currentTime < {chapters[1]}")
    assert chapters[0] <= now(story) < chapters[0] + 1.5


def test_next_and_previous_chapter(story):
    chapters = starts(story, ".chapter-list__item")
    story.click("[data-action='next-chapter']")
    assert now(story) == pytest.approx(chapters[1], abs=0.05)
    story.wait_for_function(
        "document.querySelector('[data-status]').textContent.startsWith('Chapter 2')"
    )
    story.click("[data-action='previous-chapter']")
    assert now(story) == pytest.approx(chapters[0], abs=0.05)


def _expected_turn(page) -> str:
    return page.evaluate(
        f"""() => {{
            const t = {AUDIO}.currentTime;
            let id = null;
            for (const turn of document.querySelectorAll('.turn')) {{
                if (parseFloat(turn.dataset.start) <= t + 0.01)
                    id = turn.querySelector('.turn__meta').id;
            }}
            return id;
        }}"""
    )


def test_highlighted_turn_follows_playback(story):
    turns = starts(story, ".turn")
    assert story.locator(".turn.is-current").count() == 0  # nothing played yet
    story.evaluate(f"{AUDIO}.currentTime = {turns[1] - 0.6}")
    story.click("[data-action='toggle']")
    for index in (1, 2):
        if index == 2:
            # On, still playing, to just before the next turn (the sample's
            # second turn lasts seconds): turn 2 is what the seek lands in,
            # so the highlight moves to turn 3 with playback again.
            story.evaluate(
                f"{AUDIO}.currentTime = Math.max({AUDIO}.currentTime,"
                f" {turns[index] - 0.6})"
            )
        wait_past(story, turns[index] + 0.3)
        story.wait_for_function(
            "document.querySelector('.turn.is-current > .turn__meta')?.id"
            f" === 'turn-{index + 1}'"
        )
        assert _expected_turn(story) == f"turn-{index + 1}"
        assert story.locator(".turn.is-current").count() == 1
        current = story.locator(".turn.is-current .cue.is-current")
        assert current.count() == 1
        start = float(current.get_attribute("data-start"))
        assert start <= now(story)


def test_timeline_click_seeks_and_playhead_moves(story):
    duration = float(story.get_attribute("[data-timeline]", "data-duration"))
    svg = story.locator("[data-timeline] svg")
    svg.scroll_into_view_if_needed()  # a mouse click lands only on screen
    box = svg.bounding_box()
    story.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
    story.wait_for_function(f"!{AUDIO}.paused")
    assert duration * 0.5 - 1 <= now(story) <= duration * 0.5 + 1.5
    playhead = float(story.get_attribute("[data-playhead]", "x1").rstrip("%"))
    assert 48 <= playhead <= 54


def test_the_marked_quote_plays_its_moment(page, site_server, sample_site):
    """The quote editors marked (front matter ``quote``, the podcast's
    preview) is shown with a link that plays the story from its start."""
    marked = [
        path.parent.name
        for path in sorted((sample_site / "stories").glob("*/index.html"))
        if b'class="story-quote"' in path.read_bytes()
    ]
    assert marked, "no sample story marks a quote"
    page.goto(f"{site_server}/stories/{marked[0]}/")
    page.wait_for_function(f"!{AUDIO}.controls")
    link = ".story-quote [data-seek]"
    start = float(page.get_attribute(link, "data-seek"))
    page.click(link)
    page.wait_for_function(f"!{AUDIO}.paused")
    wait_past(page, start + 0.3)
    assert start <= now(page) < start + 2.5


@pytest.mark.parametrize(
    ("suffix", "expected"),
    [("#t=0:12", 12.0), ("?t=20", 20.0), ("#t=7", 7.0)],
)
def test_deep_link_starts_there(page, site_server, slug, suffix, expected):
    page.goto(f"{site_server}/stories/{slug}/{suffix}")
    # No audio is fetched before play: the position is set all the same.
    page.wait_for_function(f"!{AUDIO}.controls")
    page.wait_for_function(f"Math.abs({AUDIO}.currentTime - {expected}) < 0.05")
    assert page.text_content("[data-time-current]") == f"0:{int(expected):02d}"
    page.click("[data-action='toggle']")
    wait_past(page, expected + 0.3)
    assert expected <= now(page) < expected + 2


def test_a_moment_past_the_end_is_not_offered(page, site_server, slug):
    """A link to a moment the audio does not reach (a shared link from
    before the recording was trimmed) offered "Play from 59:00" with the
    player at its end: pressed, it played nothing."""
    page.goto(f"{site_server}/stories/{slug}/#t=59:00")
    page.wait_for_function(f"!{AUDIO}.controls")
    page.wait_for_timeout(200)
    assert page.locator("[data-resume]").is_hidden()
    assert now(page) == 0
    assert page.text_content("[data-time-current]") == "0:00"


def test_a_moment_in_the_query_is_followed_once(page, site_server, slug):
    """A visitor who came by ?t=20 and listened on is not sent back to 0:20
    by a link within the page (the bar's "Player", "Skip to content"): they
    change only the address's #."""
    page.goto(f"{site_server}/stories/{slug}/?t=20")
    page.wait_for_function(f"!{AUDIO}.controls")
    page.click("[data-action='toggle']")
    wait_past(page, 20.3)
    page.evaluate(f"{AUDIO}.currentTime = 30")
    wait_past(page, 30.2)
    page.evaluate("location.hash = '#listen'")  # the mini bar's "Player" link
    page.wait_for_timeout(300)
    assert now(page) > 30


def test_turn_and_chapter_anchors_start_there(page, site_server, slug, sample_site):
    page.goto(f"{site_server}/stories/{slug}/#turn-3")
    page.wait_for_function(f"!{AUDIO}.controls")
    turn = float(page.get_attribute(".turn:has(> #turn-3)", "data-start"))
    page.wait_for_function(f"Math.abs({AUDIO}.currentTime - {turn}) < 0.05")
    assert page.get_attribute(".turn:has(> #turn-3)", "aria-current") == "true"
    # A hash change on the same page seeks as well.
    page.evaluate("location.hash = '#chapter-2'")
    chapter = float(page.get_attribute("#chapter-2", "data-start"))
    page.wait_for_function(f"Math.abs({AUDIO}.currentTime - {chapter}) < 0.05")


def test_play_pause_stays_in_reach_when_the_player_scrolls_away(story):
    mini = story.locator("[data-mini-player]")
    assert mini.is_hidden()
    story.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert mini.is_hidden()  # nothing has played yet
    story.evaluate("window.scrollTo(0, 0)")
    story.click("[data-action='toggle']")
    wait_past(story, 0.5)
    story.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    story.wait_for_function("!document.querySelector('[data-mini-player]').hidden")
    assert mini.locator("[data-mini-toggle]").get_attribute("aria-label") == "Pause"
    assert re.fullmatch(r"\d+:\d\d", mini.locator("[data-mini-time]").inner_text())
    mini.locator("[data-mini-toggle]").click()
    story.wait_for_function(f"{AUDIO}.paused")
    # The label follows the audio's "pause" event, a moment after .paused.
    story.wait_for_function(
        "document.querySelector('[data-mini-toggle]').getAttribute('aria-label')"
        " === 'Play'"
    )
    mini.locator("a").click()  # back to the player
    story.wait_for_function("document.querySelector('[data-mini-player]').hidden")


def test_audio_that_cannot_be_fetched_is_said_and_tried_again(page, site_server, slug):
    """The audio does not come (offline, a dropped connection, a blocked or
    missing file): the player showed Pause and said "Playing" for ever while
    nothing played. It says so, offers the download, and Play tries again."""
    page.goto(f"{site_server}/stories/{slug}/")
    page.wait_for_function(f"!{AUDIO}.controls")
    audio_url = page.evaluate(f"{AUDIO}.querySelector('source').src")
    offline = {"on": True}

    def fetch(route):
        if offline["on"]:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(audio_url, fetch)
    page.evaluate(f"{AUDIO}.currentTime = 12")  # a moment the visitor chose
    page.click("[data-action='toggle']")
    error = page.locator("[data-error]")
    error.wait_for(state="visible")
    assert "download" in error.inner_text().lower()
    page.wait_for_function(
        "document.querySelector('[data-action=toggle]').getAttribute('aria-label')"
        " === 'Play'"
    )
    wait_status(page, error.inner_text().strip())
    offline["on"] = False  # back online
    page.click("[data-action='toggle']")
    wait_past(page, 12.3)  # from where the visitor was
    assert error.is_hidden()


RING = "getComputedStyle(document.querySelector('.player__play'), '::after')"


def test_a_slow_network_shows_and_says_loading(page, site_server, slug):
    """On a slow network Play showed Pause at 0:00 for many seconds, and
    nothing said why. After a moment "Loading…" is shown and said once, the
    play button busy (a ring turns round it); a pause ends it, and so does
    playing, said again."""
    page.goto(f"{site_server}/stories/{slug}/")
    page.wait_for_function(f"!{AUDIO}.controls")
    audio_url = page.evaluate(f"{AUDIO}.querySelector('source').src")
    held = []  # the audio's requests, not answered yet

    def fetch(route):
        if held is None:
            route.continue_()
        else:
            held.append(route)

    page.route(audio_url, fetch)
    toggle = page.locator("[data-action='toggle']")
    loading = page.locator(".player__loading")
    assert loading.is_hidden()
    toggle.click()
    wait_status(page, "Loading…")
    assert loading.is_visible() and loading.inner_text() == "Loading…"
    assert toggle.get_attribute("aria-label") == "Pause"
    assert toggle.get_attribute("aria-busy") == "true"
    assert page.evaluate(f"{RING}.animationName") == "spin"
    toggle.click()  # Pause: no longer waiting
    wait_status(page, "Paused")
    assert loading.is_hidden() and toggle.get_attribute("aria-busy") == "false"
    toggle.click()
    wait_status(page, "Loading…")
    waiting, held = held, None  # the audio comes
    for route in waiting:
        route.continue_()
    wait_past(page, 0.3)
    wait_status(page, "Playing")
    assert loading.is_hidden() and toggle.get_attribute("aria-busy") == "false"


def test_playing_before_player_js_arrives_shows_as_playing(page, site_server, slug):
    """On a slow network a visitor presses the native player's Play before
    player.js arrives: its controls then showed Play (and the bar that keeps
    the story in reach never came) while the story played."""
    held = []
    page.route("**/js/player.*.js", lambda route: held.append(route))
    page.goto(f"{site_server}/stories/{slug}/", wait_until="commit")
    page.wait_for_selector("figure[data-player] audio", state="attached")
    # A place left earlier: playing answers the "Resume at" question.
    page.evaluate(
        "localStorage.setItem('oss-position:' + document.querySelector("
        "'figure[data-player]').dataset.storyId, '20')"
    )
    page.evaluate(f"{AUDIO}.play()")  # the native controls' Play
    wait_past(page, 0.3)
    held[0].continue_()
    page.wait_for_function(f"!{AUDIO}.controls")
    assert not page.evaluate(f"{AUDIO}.paused")
    assert page.get_attribute("[data-action='toggle']", "aria-label") == "Pause"
    assert page.locator("[data-resume]").is_hidden()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.locator("[data-mini-player]").wait_for(state="visible")


def test_speed_changes_playback_rate(story):
    story.select_option("[data-speed]", "1.5")
    assert story.evaluate(f"{AUDIO}.playbackRate") == 1.5
    story.select_option("[data-speed]", "0.75")
    assert story.evaluate(f"{AUDIO}.playbackRate") == 0.75
    story.focus("body")
    story.keyboard.press(">")
    assert story.evaluate(f"{AUDIO}.playbackRate") == 1
    story.keyboard.press(">")
    story.keyboard.press(">")
    story.keyboard.press(">")
    story.keyboard.press(">")
    story.keyboard.press(">")
    assert story.evaluate(f"{AUDIO}.playbackRate") == 2  # the fastest
    assert story.input_value("[data-speed]") == "2"


def test_only_one_player_plays(page, site_server):
    page.goto(f"{site_server}/")
    players = page.locator("figure[data-player]")
    assert players.count() >= 2
    page.wait_for_function(
        "document.querySelectorAll('figure.is-enhanced').length >= 2"
    )
    first, second = players.nth(0), players.nth(1)
    first.locator("[data-action='toggle']").click()
    page.wait_for_function(
        "document.querySelectorAll('figure[data-player] audio')[0].currentTime > 0.3"
    )
    second.locator("[data-action='toggle']").click()
    page.wait_for_function(
        "document.querySelectorAll('figure[data-player] audio')[1].currentTime > 0.3"
    )
    states = page.eval_on_selector_all(
        "figure[data-player] audio", "els => els.map(a => a.paused)"
    )
    assert states[0] is True and states[1] is False
    assert states.count(False) == 1


def _tab_to(page, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _focus_is_visible(page) -> bool:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return el.matches(':focus-visible') && style.outlineStyle !== 'none'
                && parseFloat(style.outlineWidth) >= 2;
        }"""
    )


def test_whole_player_works_by_keyboard_alone(story):
    _tab_to(story, "[data-action='toggle']")
    assert _focus_is_visible(story)
    story.keyboard.press("Enter")
    story.wait_for_function(f"!{AUDIO}.paused")
    story.keyboard.press("Space")  # on the focused button: pause
    story.wait_for_function(f"{AUDIO}.paused")

    _tab_to(story, "[data-seek]")
    assert _focus_is_visible(story)
    before = now(story)
    story.keyboard.press("ArrowRight")
    story.keyboard.press("ArrowRight")
    assert now(story) == pytest.approx(before + 2, abs=0.6)

    _tab_to(story, "[data-action='forward']")
    duration = story.evaluate(f"{AUDIO}.duration")
    before = now(story)
    story.keyboard.press("Enter")  # forward 30 s
    forward = min(before + 30, duration)
    assert now(story) == pytest.approx(forward, abs=0.3)
    story.keyboard.press("Shift+Tab")
    assert story.evaluate("document.activeElement.dataset.action") == "back"
    story.keyboard.press("Enter")  # back 15 s
    assert now(story) == pytest.approx(forward - 15, abs=0.3)

    _tab_to(story, "[data-speed]")
    assert _focus_is_visible(story)
    story.keyboard.press("ArrowDown")  # a closed <select> steps through options
    assert story.evaluate(f"{AUDIO}.playbackRate") == 1.25

    chapter_starts = starts(story, ".chapter-list__item")
    _tab_to(story, "[data-action='next-chapter']")
    story.keyboard.press("Enter")
    assert any(abs(now(story) - start) < 0.05 for start in chapter_starts[1:])
    story.keyboard.press("Shift+Tab")
    assert story.evaluate("document.activeElement.dataset.action") == "previous-chapter"
    story.keyboard.press("Enter")
    assert any(abs(now(story) - start) < 0.05 for start in chapter_starts)

    # Shortcuts on the page itself.
    story.evaluate("document.activeElement.blur()")
    story.keyboard.press("k")
    story.wait_for_function(f"!{AUDIO}.paused")
    story.keyboard.press("k")
    story.wait_for_function(f"{AUDIO}.paused")
    story.keyboard.press("Space")
    story.wait_for_function(f"!{AUDIO}.paused")
    story.keyboard.press("Space")
    story.wait_for_function(f"{AUDIO}.paused")
    before = now(story)
    story.keyboard.press("j")
    assert now(story) == pytest.approx(max(before - 15, 0), abs=0.3)
    story.keyboard.press("/")
    assert story.evaluate("document.activeElement.matches('[data-search-input]')")

    # A timestamp in the transcript, by keyboard.
    _tab_to(story, "#turn-2 .turn__time", limit=120)
    assert _focus_is_visible(story)
    story.keyboard.press("Enter")
    turn = float(story.get_attribute(".turn:has(> #turn-2)", "data-start"))
    story.wait_for_function(f"!{AUDIO}.paused")
    assert turn <= now(story) < turn + 1.5


def test_shortcuts_work_on_the_position_slider(story):
    """A keyboard user who has moved the slider presses Space or K to listen
    from there: the slider is not a field to type in, yet both did nothing
    while it had focus. Its arrows still move it a second a press."""
    story.focus("[data-seek]")
    before = now(story)
    story.keyboard.press("ArrowRight")
    assert now(story) == pytest.approx(before + 1, abs=0.6)
    story.keyboard.press("Space")
    story.wait_for_function(f"!{AUDIO}.paused")
    story.keyboard.press("k")
    story.wait_for_function(f"{AUDIO}.paused")
    before = now(story)
    story.keyboard.press("l")
    assert now(story) == pytest.approx(before + 30, abs=0.6)
    assert story.evaluate("document.activeElement.matches('[data-seek]')")


def test_single_key_shortcuts_can_be_turned_off(story):
    story.click(".shortcuts summary")
    story.uncheck("[data-shortcuts-toggle]")
    story.evaluate("document.activeElement.blur()")
    story.keyboard.press("k")
    assert story.evaluate(f"{AUDIO}.paused")
    story.reload()
    story.wait_for_function(f"!{AUDIO}.controls")
    assert not story.is_checked("[data-shortcuts-toggle]")


def test_transcript_search_filters_and_highlights(story):
    word = story.evaluate(
        "document.querySelector('.turn:has(> #turn-2) .cue')"
        ".textContent.match(/[A-Za-z]{5,}/)[0]"
    )
    story.fill("[data-search-input]", word.upper())
    marks = story.locator(".transcript mark")
    assert marks.count() >= 1
    assert marks.first.inner_text().lower() == word.lower()
    hidden = story.locator(".turn[hidden]").count()
    visible = story.locator(".turn:not([hidden])")
    assert visible.count() >= 1
    for index in range(visible.count()):
        assert word.lower() in visible.nth(index).inner_text().lower()
    assert hidden + visible.count() == story.locator(".turn").count()
    assert "match" in story.text_content("[data-search-status]")
    story.press("[data-search-input]", "Escape")
    assert story.locator(".turn[hidden]").count() == 0
    assert story.locator(".transcript mark").count() == 0


def test_transcript_search_takes_either_apostrophe(page, site_server, sample_site):
    """Transcripts are typeset (no’s, mama’s); phone and desktop keyboards
    type a straight ' : "mama's" found nothing ("No part of the conversation
    mentions ...")."""
    curly = re.compile(r'class="cue"[^>]*>[^<]*?(\w+’\w+)')
    found = [
        (path.parent.name, match.group(1))
        for path in sorted((sample_site / "stories").glob("*/index.html"))
        if (match := curly.search(path.read_text(encoding="utf-8")))
    ]
    assert found, "no sample transcript has a typeset apostrophe"
    slug, word = found[0]
    page.goto(f"{site_server}/stories/{slug}/")
    page.wait_for_function(f"!{AUDIO}.controls")
    for typed in (word.replace("’", "'"), word):
        page.fill("[data-search-input]", typed)
        assert page.locator(".transcript mark").count() >= 1, typed
        assert page.locator(".transcript mark").first.inner_text() == word
        assert "match" in page.text_content("[data-search-status]")


def _leave_part_way(story) -> float:
    """Play from the third turn for a second, pause, reload: where it was left."""
    turn = float(story.get_attribute(".turn:has(> #turn-3)", "data-start"))
    story.click("#turn-3 .turn__time")
    wait_past(story, turn + 1)
    story.click("[data-action='toggle']")
    story.wait_for_function(f"{AUDIO}.paused")
    left = now(story)
    story.reload()
    story.wait_for_function(f"!{AUDIO}.controls")  # no audio fetched before play
    return left


def test_position_is_remembered_and_offered_not_jumped_to(story):
    left = _leave_part_way(story)
    resume = story.locator("[data-resume]")
    resume.wait_for(state="visible")
    # Asked, not done: the player still stands at the start.
    assert now(story) == 0
    assert story.text_content("[data-time-current]") == "0:00"
    minutes, seconds = divmod(int(left), 60)
    assert resume.locator("[data-action='resume']").inner_text().strip() == (
        f"Resume at {minutes}:{seconds:02d}"
    )
    assert story.evaluate("Object.keys(localStorage)")[0].startswith("oss-position:")
    assert story.evaluate("document.cookie") == ""
    resume.locator("[data-action='resume']").click()
    story.wait_for_function(f"!{AUDIO}.paused")
    assert int(left) - 0.5 <= now(story) < int(left) + 2
    assert resume.is_hidden()
    assert story.evaluate("document.activeElement.dataset.action") == "toggle"


def test_start_over_plays_from_the_beginning_and_forgets(story):
    _leave_part_way(story)
    story.locator("[data-resume] [data-action='restart']").click()
    story.wait_for_function(f"!{AUDIO}.paused")
    assert now(story) < 2
    assert story.locator("[data-resume]").is_hidden()
    story.click("[data-action='toggle']")
    story.wait_for_function(f"{AUDIO}.paused")
    story.reload()
    story.wait_for_function(f"!{AUDIO}.controls")
    story.wait_for_timeout(300)
    assert story.locator("[data-resume]").is_hidden()


def test_copy_link_to_this_moment(story, site_server, slug):
    story.context.grant_permissions(["clipboard-read", "clipboard-write"])
    story.evaluate(f"{AUDIO}.currentTime = 15.4")
    story.wait_for_function(
        "document.querySelector('[data-time-copy]').textContent === '0:15'"
    )
    story.click("[data-action='copy-link']")
    story.wait_for_function(
        "document.querySelector('[data-status]').textContent.includes('copied')"
    )
    copied = story.evaluate("navigator.clipboard.readText()")
    assert copied == f"{site_server}/stories/{slug}/#t=0:15"


def test_copy_link_shows_that_it_copied(story):
    """Pressing "Copy link to 0:15" changed nothing on screen (only a screen
    reader heard "copied"): a sighted visitor could not tell it had worked."""
    story.context.grant_permissions(["clipboard-read", "clipboard-write"])
    button = story.locator("[data-action='copy-link']")
    before = button.inner_text()
    button.click()
    story.wait_for_function(
        "document.querySelector('[data-status]').textContent.includes('copied')"
    )
    assert "copied" in button.inner_text().lower()
    # And back, for the next moment to copy.
    story.wait_for_function(
        "document.querySelector('[data-action=copy-link]').innerText === "
        + repr(before),
        timeout=5000,
    )


def test_media_session_describes_the_story(story):
    story.click("[data-action='toggle']")
    story.wait_for_function("navigator.mediaSession.metadata !== null")
    metadata = story.evaluate(
        "({title: navigator.mediaSession.metadata.title,"
        " artist: navigator.mediaSession.metadata.artist,"
        " artwork: navigator.mediaSession.metadata.artwork.map("
        "  a => [a.src, a.sizes, a.type])})"
    )
    assert metadata["title"] == story.text_content("h1.story__title")
    assert " and " in metadata["artist"]
    # The story's share card, and no media type that could contradict it.
    ((src, sizes, kind),) = metadata["artwork"]
    card = story.get_attribute("meta[property='og:image']", "content")
    assert src.rsplit("/", 1)[-1] == card.rsplit("/", 1)[-1]
    assert src.endswith(".jpg") and sizes == "1200x630" and kind == ""


def test_page_works_without_javascript(browser, site_server, slug):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{site_server}/stories/{slug}/")
        audio = page.locator("figure[data-player] audio")
        assert audio.get_attribute("controls") is not None
        assert page.locator("[data-player-ui]").is_hidden()
        assert page.locator("[data-transcript-tools]").is_hidden()
        # The transcript is in the page: turns labelled with speaker and time.
        assert page.locator(".turn").count() >= 3
        assert page.locator(".turn").first.is_visible()
        assert page.locator(".turn__speaker").first.inner_text()
        assert re.fullmatch(
            r"Play from \d+:\d\d", page.locator(".turn__time").first.text_content()
        )
        assert page.locator("[data-timeline] svg .timeline__bars rect").count() >= 3
        # The native controls play the audio.
        box = audio.bounding_box()
        page.mouse.click(box["x"] + 20, box["y"] + box["height"] / 2)
        # wait_for_function needs page scripts; poll from outside instead.
        for _ in range(150):
            if audio.evaluate("a => a.currentTime") > 0.5:
                break
            page.wait_for_timeout(100)
        assert audio.evaluate("a => !a.paused && a.currentTime > 0.5")
        # A listing's card gives a story's length once ("49 sec"), not again
        # under its player.
        page.goto(f"{site_server}/stories/")
        card = page.locator(".story-card").first
        length = card.locator(".story-card__length").inner_text()
        assert card.inner_text().count(length) == 1, card.inner_text()
    finally:
        context.close()


def test_reduced_motion_is_respected(browser, site_server, slug):
    context = browser.new_context(
        reduced_motion="reduce",
        viewport={"width": 800, "height": 500},
        bypass_csp=True,  # wait_for_function evaluates strings (see conftest)
    )
    page = context.new_page()
    try:
        page.goto(f"{site_server}/stories/{slug}/")
        page.wait_for_function(f"!{AUDIO}.controls")
        # Following the transcript jumps instead of gliding.
        page.evaluate(
            """() => {
                window.__behaviours = [];
                const original = Element.prototype.scrollIntoView;
                Element.prototype.scrollIntoView = function (options) {
                    window.__behaviours.push(options && options.behavior);
                    return original.call(this, options);
                };
            }"""
        )
        # The transcript follows only while it is being read (in view).
        page.evaluate(
            "window.scrollTo(0, document.querySelector('#transcript')"
            ".getBoundingClientRect().top + window.scrollY)"
        )
        last = starts(page, ".turn")[-1]
        page.evaluate(f"{AUDIO}.currentTime = {last - 0.5}")
        page.keyboard.press("k")  # a click would scroll to the button
        page.wait_for_function("window.__behaviours.length > 0")
        assert set(page.evaluate("window.__behaviours")) == {"auto"}
        # The ring round a busy play button (waiting for the audio) stands.
        # Paused first: the player's own "playing" would clear the busy mark
        # set here before the ring is read.
        page.evaluate(f"{AUDIO}.pause()")
        page.wait_for_function(
            "document.querySelector('.player__play').getAttribute('aria-label')"
            " === 'Play'"
        )
        ring = page.evaluate(
            "() => { document.querySelector('.player__play')"
            f".setAttribute('aria-busy', true); const ring = {RING};"
            " return [ring.animationName, ring.borderTopStyle]; }"
        )
        assert ring == ["none", "solid"]
    finally:
        context.close()


def test_play_this_moment_stops_at_its_end(page, site_server, sample_site):
    """The marked quote's link says "Play this moment (0:05 to 0:23)": it
    plays those seconds and stops, and Play goes on from there."""
    pages = sorted((sample_site / "stories").glob("*/index.html"))
    slugs = [p.parent.name for p in pages if "data-until=" in p.read_text("utf-8")]
    assert slugs, "no sample story marks a quote"
    page.goto(f"{site_server}/stories/{slugs[0]}/")
    page.wait_for_function(f"!{AUDIO}.controls")
    link = page.locator(".story-quote__play a")
    start = float(link.get_attribute("data-seek"))
    end = float(link.get_attribute("data-until"))
    link.click()
    # Playing from the moment's start (past it: the seek made before the
    # audio's metadata came is applied when it comes).
    page.wait_for_function(
        f"!{AUDIO}.paused && {AUDIO}.currentTime > {start + 0.3}", timeout=15_000
    )
    # Near its end at once (the audio's own clock, not the player's seek,
    # which a listener's own move would be).
    page.evaluate(f"{AUDIO}.currentTime = {end - 0.6}")
    page.wait_for_function(f"{AUDIO}.paused", timeout=15_000)
    # Stopped there, not at the end of the story (timeupdate, which stops
    # it, comes about four times a second, later on a busy machine).
    assert not page.evaluate(f"{AUDIO}.ended")
    assert end <= now(page) < end + 1.5
    page.click("[data-action='toggle']")
    wait_past(page, now(page) + 0.5)
    assert playing(page)
