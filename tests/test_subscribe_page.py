"""The podcast's subscribe page in a real browser: copy the feed address,
open an app, nothing inaccessible."""

from __future__ import annotations

import pytest

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
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
        button = page.locator("button[data-copy-from]")
        assert button.is_visible() and button.text_content() == "Copy"
        field = page.get_by_label("Feed address")
        assert field.input_value() == "http://localhost:8000/podcast.xml"
        # Nothing on the page is wider than the screen.
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        )
        button.click()
        status = page.get_by_role("status")
        status.filter(has_text="Copied").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == (
            "http://localhost:8000/podcast.xml"
        )
        assert button.text_content() == "Copied"
        assert not errors
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
        assert page.get_by_label("Feed address").is_editable() is False
        assert page.get_by_label("Feed address").is_visible()
    finally:
        context.close()


def test_the_subscribe_page_is_reachable_and_accessible(page, site_server, axe):
    page.goto(site_server + "/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Podcast"
    ).click()
    page.wait_for_url("**/podcast/")
    assert page.get_by_role("heading", level=1).text_content().startswith("Hear ")
    links = page.get_by_role("list").filter(has_text="AntennaPod").get_by_role("link")
    assert links.count() >= 2
    cover = page.locator(".podcast-intro__cover")
    assert cover.evaluate("img => img.complete && img.naturalWidth") == 600
    violations = axe(page)
    assert not violations, axe.format(violations)
