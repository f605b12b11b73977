"""Building for another host: one SITEURL override moves every absolute URL.

``pelican -s publishconf.py -e SITEURL='"https://staging.example.org"'``
overrides SITEURL after publishconf.py has run (``build_site``'s overrides
are the same mechanism). Every absolute URL the site writes (pages, the
feed, enclosures, artwork, Open Graph, oEmbed, JSON-LD, the sitemap,
robots.txt) must then be on the staging host, and its feed must ask
directories not to list it."""

from __future__ import annotations

import json
import re
import urllib.parse

import feedparser
import podcastparser
import pytest

from portal import site_address
from tests.podcast import NS, channel, items
from tests.stories import output_files, write_story
from tests.support import CONTENT, LEAN, build_site, built_once, copy_content

STAGING = "https://staging.example.org"
PRODUCTION_HOST = "onesmallstep.example.org"
# Hosts that are this site under another name: none may appear in a staging
# build (links to other organisations' sites are fine).
OUR_HOSTS = {PRODUCTION_HOST, "localhost", "localhost:8000", "127.0.0.1"}
URL = re.compile(rb"""https?://[^\s"'<>()\\]+""")
# Namespace and schema identifiers are names, not links.
IDENTIFIERS = (
    "http://www.w3.org/",
    "https://www.w3.org/",
    "http://www.itunes.com/dtds/",
    "https://podcastindex.org/namespace/",
    "http://purl.org/",
    "http://www.sitemaps.org/",
    "https://schema.org",
    "http://ogp.me/",
)


@pytest.fixture(scope="module")
def staging_site(request):
    # Without pre-compressed copies: each is the bytes of a file scanned
    # here already. A new cache of build_site's, which starts with the run's
    # pictures and funder logos instead of drawing them again.
    def build(base):
        return build_site(
            CONTENT,
            base / "out",
            "publishconf.py",
            SITEURL=STAGING,
            BUILD_REPORT_SUMMARY=False,
            PRECOMPRESS=False,
        )

    return built_once(request, build)


def test_no_absolute_url_of_ours_points_anywhere_but_staging(staging_site):
    hosts = set()
    for name, data in output_files(staging_site).items():
        if name.endswith((".mp3", ".m4a", ".jpg", ".png", ".webp", ".woff2", ".wasm")):
            continue
        for match in URL.findall(data):
            url = match.decode("utf-8", "replace")
            if url.startswith(IDENTIFIERS):
                continue
            host = urllib.parse.urlsplit(url).netloc
            hosts.add(host)
            assert host not in OUR_HOSTS, f"{url} in {name}"
    assert "staging.example.org" in hosts


def test_every_absolute_url_of_the_site_is_on_staging(staging_site):
    root = channel(staging_site)
    assert root.find("atom:link", NS).get("href") == f"{STAGING}/podcast.xml"
    assert root.findtext("link") == f"{STAGING}/"
    assert root.find("itunes:image", NS).get("href").startswith(STAGING + "/")
    for item in items(staging_site):
        assert item.findtext("link").startswith(f"{STAGING}/stories/")
        assert item.find("enclosure").get("url").startswith(f"{STAGING}/stories/")
        for tag in ("podcast:transcript", "podcast:chapters"):
            for element in item.findall(tag, NS):
                assert element.get("url").startswith(STAGING + "/")
    story = next((staging_site / "stories").glob("*/index.html"))
    page = story.read_text(encoding="utf-8")
    for prop in ("og:url", "og:image", "og:audio"):
        content = re.search(rf'property="{prop}" content="([^"]+)"', page).group(1)
        assert content.startswith(STAGING + "/"), (prop, content)
    [ld] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(ld)
    assert data["url"].startswith(f"{STAGING}/stories/")
    assert data["associatedMedia"]["contentUrl"].startswith(f"{STAGING}/stories/")
    oembed = (story.parent / "oembed.json").read_text()
    assert f"{STAGING}/stories/" in oembed
    sitemap = (staging_site / "sitemap.xml").read_text()
    assert f"<loc>{STAGING}/</loc>" in sitemap
    # A staging copy keeps crawlers out: it would compete with the public
    # site's pages in search results.
    robots = (staging_site / "robots.txt").read_text()
    assert robots == "User-agent: *\nDisallow: /\n"


def test_the_staging_feed_is_blocked_and_still_valid(staging_site):
    raw = (staging_site / "podcast.xml").read_bytes()
    chan = channel(staging_site)
    assert chan.findtext("itunes:block", namespaces=NS) == "yes"
    assert chan.findtext("podcast:block", namespaces=NS) == "yes"
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.itunes_block == 1
    with open(staging_site / "podcast.xml", "rb") as stream:
        episodes = podcastparser.parse(f"{STAGING}/podcast.xml", stream)["episodes"]
    assert episodes and all(
        e["enclosures"][0]["url"].startswith(STAGING) for e in episodes
    )


def test_only_the_production_address_makes_an_unblocked_feed(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "one")
    output = build_site(
        content, tmp_path / "out", "publishconf.py", BUILD_REPORT_SUMMARY=False, **LEAN
    )
    chan = channel(output)
    assert chan.findtext("link") == f"https://{PRODUCTION_HOST}/"
    assert chan.find("itunes:block", NS) is None
    assert chan.find("podcast:block", NS) is None


@pytest.mark.parametrize(
    ("settings", "production"),
    [
        ({"SITEURL": f"https://{PRODUCTION_HOST}/"}, True),
        ({"SITEURL": STAGING}, False),
        ({"SITEURL": "", "SITE_ABSOLUTE_URL": "http://localhost:8000"}, False),
        ({"SITEURL": f"https://{PRODUCTION_HOST}", "STORY_PREVIEW": True}, False),
        ({"SITEURL": f"https://{PRODUCTION_HOST}", "SITE_PRODUCTION_URL": ""}, False),
    ],
)
def test_what_counts_as_production(settings, production):
    settings = {"SITE_PRODUCTION_URL": f"https://{PRODUCTION_HOST}", **settings}
    assert site_address.is_production(settings) is production


def test_an_absolute_siteurl_wins_over_site_absolute_url():
    settings = {"SITEURL": STAGING + "/", "SITE_ABSOLUTE_URL": "http://localhost:8000"}
    assert site_address.absolute_site_url(settings) == STAGING
    settings = {"SITEURL": "", "SITE_ABSOLUTE_URL": "http://localhost:8000/"}
    assert site_address.absolute_site_url(settings) == "http://localhost:8000"
