"""The podcast's subscribe page in a real browser: copy the feed address,
open an app, nothing inaccessible."""

from __future__ import annotations

import pytest

from portal.problems import StoryContentError
from tests.support import LEAN, build_site, copy_content

NARROW = {"width": 320, "height": 640}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
FEED = "http://localhost:8000/podcast.xml"


@pytest.mark.parametrize(
    "viewport", [NARROW, PHONE, DESKTOP], ids=["narrow", "phone", "desktop"]
)
def test_the_copy_button_puts_the_feed_address_on_the_clipboard(
    browser, site_server, viewport
):
    context = browser.new_context(viewport=viewport)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_server)
    page = context.new_page()
    try:
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(site_server + "/podcast/")
        # The whole address shows, on as many lines as it takes: a one-line
        # field showed "http://localhost:80" at 320 px, and a visitor could
        # not see what they were copying.
        address = page.locator("#feed-url")
        assert address.evaluate(
            "e => e.scrollWidth <= e.clientWidth"
            " && e.getBoundingClientRect().right <= innerWidth"
        )
        assert address.text_content() == FEED
        button = page.locator("button[data-copy-from]")
        assert button.is_visible() and button.text_content() == "Copy"
        # Nothing on the page is wider than the screen.
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        )
        button.click()
        status = page.get_by_role("status")
        status.filter(has_text="Copied").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == FEED
        assert button.text_content() == "Copied"
        assert not errors
    finally:
        context.close()


def test_copy_works_where_the_clipboard_api_refuses_to_write(browser, site_server):
    """Android's WebView (the browser inside social and mail apps, where a
    shared link opens) has navigator.clipboard but refuses writeText with
    NotAllowedError; the copy still has to happen."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_server)
    context.add_init_script(
        """navigator.clipboard.writeText = () => Promise.reject(
            new DOMException("Write permission denied.", "NotAllowedError"));"""
    )
    page = context.new_page()
    try:
        page.goto(site_server + "/podcast/")
        page.locator("button[data-copy-from]").tap()
        page.get_by_role("status").filter(has_text="Copied").wait_for(timeout=5000)
        assert page.evaluate("navigator.clipboard.readText()") == FEED
    finally:
        context.close()


@pytest.mark.parametrize(
    ("device", "told"),
    [
        ({"viewport": PHONE, "has_touch": True, "is_mobile": True}, "touch and hold"),
        ({"viewport": DESKTOP}, "press Ctrl+C (⌘C on a Mac)"),
    ],
    ids=["phone", "desktop"],
)
def test_an_address_left_to_copy_by_hand_says_how(browser, site_server, device, told):
    """Where the page can copy neither way (an older WebView), the address is
    selected and the visitor told how to copy it: a phone was told to press
    Ctrl+C. Keys are named where there is a keyboard, touch elsewhere."""
    context = browser.new_context(**device)
    context.add_init_script(
        """navigator.clipboard.writeText = () => Promise.reject(
            new DOMException("Write permission denied.", "NotAllowedError"));
        document.execCommand = () => false;"""
    )
    page = context.new_page()
    try:
        page.goto(site_server + "/podcast/")
        button = page.locator("button[data-copy-from]")
        button.tap() if device.get("has_touch") else button.click()
        status = page.get_by_role("status").filter(has_text="selected")
        status.wait_for(timeout=5000)
        said = status.text_content()
        assert told in said, said
        if device.get("has_touch"):
            assert "Ctrl" not in said
        assert page.evaluate("getSelection().toString()") == FEED
    finally:
        context.close()


def test_without_javascript_the_address_can_still_be_copied_by_hand(
    browser, site_server
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_server + "/podcast/")
        assert page.locator("button[data-copy-from]").is_hidden()
        # A click selects the whole address, ready to copy.
        page.locator("#feed-url").click()
        assert page.evaluate("getSelection().toString()") == FEED
    finally:
        context.close()


def test_the_subscribe_page_is_reachable_and_accessible(page, site_server, axe):
    page.goto(site_server + "/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Podcast"
    ).click()
    page.wait_for_url("**/podcast/")
    assert page.get_by_role("heading", level=1).text_content().startswith("Hear ")
    page.get_by_text("Open it straight in an app on this device").click()
    links = page.get_by_role("list").filter(has_text="AntennaPod").get_by_role("link")
    assert links.count() >= 2
    cover = page.locator(".podcast-intro__cover")
    assert cover.evaluate("img => img.complete && img.naturalWidth") == 600
    violations = axe(page)
    assert not violations, axe.format(violations)


def test_app_only_links_are_folded_away_and_directories_absent_until_set(
    page, site_server
):
    """The sample show is listed nowhere yet: no directory buttons; the
    app-only links (podcast://, ...) are behind a disclosure saying so."""
    page.goto(site_server + "/podcast/")
    assert page.get_by_role("heading", name="Find it where you listen").count() == 0
    apps = page.locator("details.podcast-open-in")
    assert apps.get_attribute("open") is None
    overcast = apps.get_by_role("link", name="Overcast")
    assert not overcast.is_visible()
    apps.locator("summary").click()
    assert overcast.is_visible()
    assert overcast.get_attribute("href").startswith("overcast://")


def test_the_newest_episodes_play_on_the_page(page, site_server):
    page.goto(site_server + "/podcast/")
    latest = page.locator(".podcast-latest")
    cards = latest.locator(".story-card")
    assert cards.count() == 3
    # Newest first, as in the feed.
    feed_titles = page.evaluate(
        """async () => {
            const xml = await (await fetch('/podcast.xml')).text();
            const doc = new DOMParser().parseFromString(xml, 'application/xml');
            return [...doc.querySelectorAll('item > title')].map(t => t.textContent);
        }"""
    )
    shown = [t.strip() for t in cards.locator(".story-card__title").all_inner_texts()]
    assert shown == feed_titles[:3]
    audio = cards.first.locator("audio")
    audio.evaluate("a => { a.muted = true; return a.play(); }")
    page.wait_for_function(
        "a => a.currentTime > 0.2", arg=audio.element_handle(), timeout=15000
    )


def _content_with_directories(tmp_path, entries: str):
    """A copy of the content whose podcast.yml lists ``entries`` (YAML)."""
    content = copy_content(tmp_path / "content")
    podcast = content / "data" / "podcast.yml"
    podcast.write_text(
        podcast.read_text(encoding="utf-8").replace(
            "directories: []", "directories:\n" + entries
        ),
        encoding="utf-8",
    )
    return content


def test_directory_pages_are_shown_first_when_set(tmp_path):
    content = _content_with_directories(
        tmp_path,
        "  - name: Apple Podcasts\n"
        "    url: https://podcasts.apple.com/us/podcast/one-small-step/id1\n",
    )
    output = build_site(content, tmp_path / "out", **LEAN)
    html = (output / "podcast/index.html").read_text(encoding="utf-8")
    assert "Find it where you listen" in html
    assert 'href="https://podcasts.apple.com/us/podcast/one-small-step/id1"' in html
    assert html.index("Find it where you listen") < html.index("Feed address")


def test_a_directory_link_must_be_a_web_page(tmp_path, caplog):
    content = _content_with_directories(
        tmp_path, "  - name: Apple Podcasts\n    url: podcast://example.org\n"
    )
    lines = (content / "data" / "podcast.yml").read_text("utf-8").splitlines()
    line = lines.index("    url: podcast://example.org") + 1
    expected = (
        f"content/data/podcast.yml:{line}: directories.0.url: 'podcast://example.org'"
        " must be the show's web page in the directory, starting https://"
    )
    # Development builds report it; production builds stop on it.
    build_site(content, tmp_path / "dev", **LEAN)
    assert expected in caplog.text
    with pytest.raises(StoryContentError) as caught:
        build_site(content, tmp_path / "out", STORY_STRICT=True, **LEAN)
    assert expected in str(caught.value)


def _description(page) -> str:
    return page.locator('meta[name="description"]').get_attribute("content")


def test_the_page_names_only_the_directories_the_show_is_listed_in(
    page, site_server, tmp_path
):
    """Spotify follows no show by its address: the page names a directory
    (in search results and link previews too) only once the show is in it."""
    page.goto(site_server + "/podcast/")
    description = _description(page)
    assert "Spotify" not in description and "Apple Podcasts" not in description
    assert description.startswith(
        "Follow One Small Step in your podcast app by its feed address:"
    )
    card = page.locator(".podcast-follow__card").first.inner_text()
    assert "Every podcast app" not in card
    content = _content_with_directories(
        tmp_path,
        "  - name: Apple Podcasts\n"
        "    url: https://podcasts.apple.com/us/podcast/one-small-step/id1\n"
        "  - name: Spotify\n"
        "    url: https://open.spotify.com/show/1\n",
    )
    output = build_site(content, tmp_path / "out", **LEAN)
    page.goto((output / "podcast/index.html").as_uri())
    assert _description(page).startswith(
        "Follow One Small Step in Apple Podcasts, Spotify or any podcast app:"
    )
