"""A full build of the committed sample site, and a look at it in a browser."""

from __future__ import annotations

import re

import pytest

from portal import frontmatter
from portal.schema import Story
from tests.stories import assert_absent, output_files
from tests.support import CONTENT

# Masters of every format editors commit; each is published as an MP3.
APPROVED = {
    "i-try-to-not-bring-up-politics": "conversation.mp3",
    "leave-him-alone": "conversation.m4a",
    "common-ground": "conversation.ogg",
    "family-politics": "conversation.opus",
    "a-second-chance": "conversation.mp3",
    "the-fence-between-our-yards": "conversation.flac",
    "we-drive-the-same-route": "conversation.wav",
}
HELD_BACK = ("what-my-father-taught-me", "across-the-counter")


def _story(slug: str) -> Story:
    text = (CONTENT / "stories" / slug / "story.md").read_text(encoding="utf-8")
    return Story.model_validate(frontmatter.split(text).data)


def test_every_approved_story_has_a_page_with_its_audio(sample_site):
    for slug, master in APPROVED.items():
        story = _story(slug)
        page = (sample_site / "stories" / slug / "index.html").read_text()
        [rendition] = (sample_site / "stories" / slug).glob(f"{slug}-*.mp3")
        audio = rendition.name
        assert not (sample_site / "stories" / slug / master).exists()
        assert 'type="audio/mpeg"' in page
        for name in story.participant_names:
            assert name in page
        assert story.location.name in page
        assert story.relationship_label in page
        assert re.search(r'<audio controls preload="(none|metadata)"', page)
        assert f'href="{audio}"' in page or f'/{slug}/{audio}"' in page


def test_listing_and_home(sample_site):
    listing = (sample_site / "stories" / "index.html").read_text()
    home = (sample_site / "index.html").read_text()
    for slug in APPROVED:
        assert f"stories/{slug}/" in listing
    featured = [slug for slug in APPROVED if _story(slug).featured]
    assert featured
    for slug in featured:
        assert f"stories/{slug}/" in home
    # Several players on one page never preload audio.
    assert home.count("<audio") == len(featured)
    assert home.count('preload="none"') == len(featured)


def test_held_back_sample_stories_leave_no_trace(sample_site):
    for slug in HELD_BACK:
        story = _story(slug)
        assert_absent(
            sample_site, slug, story.id, story.title, *story.participant_names
        )
    assert all(not name.startswith(HELD_BACK) for name in output_files(sample_site))


@pytest.mark.browser
def test_home_and_story_pages_play_in_a_browser(page, site_server):
    page.goto(f"{site_server}/")
    assert page.title().startswith("One Small Step")
    assert page.locator("audio").count() >= 1

    page.goto(f"{site_server}/stories/common-ground/")
    assert page.locator("h1").first.inner_text() == "Common Ground"
    audio = page.locator("audio").first
    audio.evaluate("a => { a.muted = true; return a.play(); }")
    page.wait_for_function(
        "() => document.querySelector('audio').currentTime > 0.5", timeout=15000
    )
    assert audio.evaluate("a => a.paused") is False


def test_every_page_names_its_icon_and_no_request_fails(sample_site, page, site_server):
    # Without a <link rel=icon> browsers ask for /favicon.ico, a 404 on
    # every first visit; the site's mark is the icon instead.
    pages = [
        path for path in sample_site.rglob("index.html") if "pagefind" not in path.parts
    ]
    assert len(pages) > 20
    for path in pages:
        found = re.search(
            r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', path.read_text()
        )
        assert found, path
        # Development builds link it relative to the page.
        icon = (path.parent / found.group(1)).resolve()
        assert icon == (sample_site / "theme/images/favicon.svg").resolve(), path
    assert icon.read_text().startswith("<svg ")
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    for address in ("/", "/stories/common-ground/", "/search/?q=elk"):
        page.goto(site_server + address)
        page.wait_for_load_state("networkidle")
    assert failed == []


def test_a_hidden_page_is_kept_out_of_search_engines(sample_site):
    """The thank-you page a form sends people to is out of the menu and the
    sitemap; it asks search engines to stay away too. Listed pages do not."""
    noindex = '<meta name="robots" content="noindex">'
    assert noindex in (sample_site / "thank-you" / "index.html").read_text()
    for listed in ("about", "guide", "take-part"):
        assert noindex not in (sample_site / listed / "index.html").read_text(), listed
    assert "thank-you" not in (sample_site / "sitemap.xml").read_text()
