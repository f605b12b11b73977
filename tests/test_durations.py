"""A story's length reads the same everywhere: its card, its page's player,
the player once the browser has the audio, JSON-LD and the podcast feed.

One rule (``portal.timecode.whole_seconds``): down to the whole second, as a
clock counts. The sample stories' audio lasts fractions of a second past a
whole one; one past the half (49.6 s, say) is where rounding and counting
down disagree, so the site must have one for the test to mean anything."""

from __future__ import annotations

import re

import lxml.html
import mutagen
import podcastparser
import pytest

from plugins.theme_helpers.helpers import duration_words
from portal.timecode import format_timecode, iso8601_duration, whole_seconds


def test_the_rule_counts_down_like_a_clock():
    assert whole_seconds(49.6) == 49
    assert whole_seconds(49.999) == 49
    assert whole_seconds(50) == 50
    assert whole_seconds(None) == 0
    assert format_timecode(49.6) == "0:49"
    assert duration_words(49.6) == "49 sec"
    assert duration_words(3599.7) == "59 min"


def _feed_lengths(site) -> dict[str, int]:
    """Story slug -> the feed's itunes:duration, read by a podcast parser."""
    with open(site / "podcast.xml", "rb") as feed:
        parsed = podcastparser.parse("https://example.org/podcast.xml", feed)
    lengths = {}
    for episode in parsed["episodes"]:
        slug = re.search(r"/stories/([^/]+)/", episode["link"]).group(1)
        lengths[slug] = episode["total_time"]
    return lengths


def _rendition_seconds(site, slug) -> float:
    page = lxml.html.fromstring((site / "stories" / slug / "index.html").read_bytes())
    [source] = page.xpath("//figure[@data-player]//audio/source/@src")[:1]
    return mutagen.File(site / "stories" / slug / source.rsplit("/", 1)[1]).info.length


def _cards(site) -> dict[str, str]:
    """Story slug -> the length its card on the listing says."""
    cards = {}
    for page in [site / "stories" / "index.html"]:
        html = lxml.html.fromstring(page.read_bytes())
        for card in html.xpath("//article[contains(@class, 'story-card')]"):
            href = card.xpath(".//h3/a/@href")[0]
            slug = href.rstrip("/").rsplit("/", 1)[1]
            cards[slug] = card.xpath(".//*[@class='story-card__length']")[0].text
    return cards


@pytest.fixture(scope="module")
def lengths(sample_site):
    feed = _feed_lengths(sample_site)
    assert len(feed) >= 3
    return {slug: _rendition_seconds(sample_site, slug) for slug in feed}


def test_a_site_has_a_story_where_rounding_would_disagree(lengths):
    assert any(seconds % 1 >= 0.5 for seconds in lengths.values()), lengths


def test_card_player_json_ld_and_feed_agree(sample_site, lengths):
    feed = _feed_lengths(sample_site)
    cards = _cards(sample_site)
    for slug, seconds in lengths.items():
        whole = whole_seconds(seconds)
        page = (sample_site / "stories" / slug / "index.html").read_text()
        html = lxml.html.fromstring(page)
        assert feed[slug] == whole, slug
        assert cards[slug] == duration_words(whole), slug
        player = html.xpath("//figure[@data-player]")[0]
        assert player.xpath(".//*[@data-time-duration]")[0].text == (
            format_timecode(whole)
        ), slug
        assert player.xpath(".//*[@class='player__length']")[0].text == (
            duration_words(whole)
        )
        [ld] = html.xpath("//script[@type='application/ld+json']/text()")
        durations = set(re.findall(r'"duration":\s*"([^"]+)"', ld))
        assert durations == {iso8601_duration(whole)}, slug


def test_the_player_shows_the_same_length_once_the_audio_loads(
    page, site_server, lengths
):
    slug, seconds = max(lengths.items(), key=lambda item: item[1] % 1)
    page.goto(f"{site_server}/stories/{slug}/")
    player = page.locator("figure[data-player]").first
    audio = player.locator("audio")
    # The browser reads the audio's own length (metadata only, no play).
    audio.evaluate("a => { a.preload = 'metadata'; a.load(); }")
    page.wait_for_function(
        "a => isFinite(a.duration) && a.duration > 0", arg=audio.element_handle()
    )
    assert whole_seconds(audio.evaluate("a => a.duration")) == whole_seconds(seconds)
    page.wait_for_function(
        "([el, text]) => el.textContent === text",
        arg=[
            player.locator("[data-time-duration]").element_handle(),
            format_timecode(seconds),
        ],
    )
