"""Light pages: a weight budget, no audio before play, fingerprinted and
pre-compressed assets (issue 8). Sizes, never timings."""

from __future__ import annotations

import gzip
import hashlib
import posixpath
import re

import brotli
import lxml.html
import pytest

BUDGET = 30_000  # bytes: story page HTML + CSS + JS, without transcript text
# What sample story pages weigh today, plus a margin: 85 KB until the visitor's
# site issue (#15) added the people header, the picture, the mini bar's skip
# buttons and progress, the resume prompt, a heading per transcript turn (search
# quotes who said what) and the embed code's Copy button (~91 KB at most).
# 95,000 until a story page fell back to its native player when player.js
# fails (blocked, missing, throwing) instead of keeping an empty band: 353
# bytes for fallback.js, its script tag and listening.css's is-native rules.
# 95,300 until a player whose audio does not come (offline, a dropped
# connection, a missing file) says so and tries again on Play, instead of
# showing Pause for ever: 540 bytes for its message, player.js's handling and
# listening.css's rules (the embed gives it the chapter's row); 95,850 until
# Space and the letter shortcuts worked on the focused position slider (25)
# and the transcript's search took either apostrophe, ' or ’ (28); 95,900
# until a time link given focus, and a linked chapter, came into view below
# the transcript's sticky search bar, not under it (35); 95,950 until a
# story played with the native controls before player.js came (a slow
# network) showed as playing once it came (45) and a link to a moment past
# the audio's end was not offered as one (23); 96,000 until "Copy link"
# showed that it had copied ("Link copied to 0:15"), not to screen readers
# alone (136); 96,150 until Copy copied the selection where the Clipboard
# API refuses to write (Android's WebView, the browser inside social and mail
# apps), for the link to a moment and the embed code (98); 96,250 until
# "Play this moment (0:05 to 0:23)" stopped at the moment's end instead of
# playing on (181); 96,450 until N and P on a story without chapters said
# it has none, not "This is the last chapter" (107); 96,550 until a
# speaker's time ("18 sec") stayed on one line on a 320-pixel phone (47);
# 96,600 until the embed code left to copy by hand told a phone to touch and
# hold it, not to press Ctrl+C (65); 96,700 until a player waiting for its
# audio (a slow network) showed and said "Loading…", its play buttons busy
# with a turning ring, instead of Pause at 0:00 and nothing said, and a pause
# while it waited said "Paused", not "Press play to listen" (1,543); 98,250
# until a narrow embed's "Copy link", its icon alone, showed that it had
# copied (a tick for two seconds; "Link copied" is hidden there) (210);
# 98,500 until the site's icon came as a PNG too, linked as the
# apple-touch-icon (iPhone home screens, chat apps' link previews, Safari
# before 26: none reads the SVG one) (77); 98,600 until the field to copy a
# link by hand (where the Clipboard API refuses) went once the link was
# copied, the focus back on the button, not left open and selected (156).
CEILING = 98_760
AUDIO_EXTENSIONS = (".mp3", ".m4a", ".ogg", ".opus", ".flac", ".wav", ".aac")
FINGERPRINT = re.compile(r"\.([0-9a-f]{10})\.(css|js)$")


def _pages(site):
    return sorted(site.rglob("*.html"))


def _story_pages(site):
    pages = sorted((site / "stories").glob("*/index.html"))
    return [page for page in pages if "<audio" in page.read_text(encoding="utf-8")]


def _local_assets(page_path, site, html):
    """(url, file) of every stylesheet and script the page loads from the site."""
    found = []
    for element in html.xpath('//link[@rel="stylesheet"][@href] | //script[@src]'):
        url = element.get("href") or element.get("src")
        assert not url.startswith(("http://", "https://", "//")), (
            f"{page_path}: loads {url} from another origin"
        )
        if url.startswith("/"):  # from the site's root (the 404 page)
            relative = url.lstrip("/")
        else:
            relative = posixpath.normpath(
                posixpath.join(str(page_path.parent.relative_to(site)), url)
            )
        found.append((url, site / relative))
    return found


def _without_transcript_text(html):
    """The page with the text of every transcript turn and chapter removed.

    Turns are the elements with ``data-turn`` (each with its heading,
    ``id="turn-N"``) and chapters the headings with ``id="chapter-N"`` (the
    agreed contract); their markup stays."""
    for element in html.xpath('//*[@data-turn] | //*[starts-with(@id, "chapter-")]'):
        for node in element.iter():
            node.text = None
            if node is not element:
                node.tail = None
    return html


def _story_page_weights(site):
    """(page, HTML bytes without transcript text, CSS+JS bytes, asset URLs)."""
    for page in _story_pages(site):
        raw = page.read_bytes()
        html = lxml.html.fromstring(raw)
        full = len(lxml.html.tostring(html, encoding="utf-8"))
        lean = len(
            lxml.html.tostring(
                _without_transcript_text(lxml.html.fromstring(raw)), encoding="utf-8"
            )
        )
        html_bytes = len(raw) - (full - lean)
        assets = _local_assets(page, site, html)
        asset_bytes = sum(path.stat().st_size for _, path in assets)
        yield page, html_bytes, asset_bytes, [url for url, _ in assets]


# The budget is not met today (benchmarks/README.md, "Lean pages"):
# a story page loads palette.css, site.css and listening.css (28.6 KB
# minified) and player.js (24.6 KB minified), 53.2 KB before any HTML, and
# its own HTML is 34-38 KB without the transcript's text (player controls and
# icons, the timeline SVG with a bar a cue, the transcript's turn and cue
# markup, share metadata and JSON-LD, header and footer). strict: once pages
# fit, this XPASSes and fails, so the marker must go and the budget is
# guarded from then on.
@pytest.mark.xfail(
    strict=True, reason="story pages weigh ~87-91 KB without transcript text"
)
def test_story_pages_weigh_under_30_kb_without_transcript_text(sample_site):
    weights = list(_story_page_weights(sample_site))
    assert len(weights) >= 5
    for page, html_bytes, asset_bytes, urls in weights:
        total = html_bytes + asset_bytes
        assert total < BUDGET, (
            f"{page.relative_to(sample_site)}: {html_bytes} bytes of HTML without "
            f"the transcript text + {asset_bytes} of CSS/JS "
            f"({', '.join(urls)}) = {total} > {BUDGET}"
        )


def test_story_pages_do_not_grow_past_todays_weight(sample_site):
    """Until the 30 KB budget is met, no story page gets heavier than now."""
    weights = list(_story_page_weights(sample_site))
    assert len(weights) >= 5
    for page, html_bytes, asset_bytes, urls in weights:
        assert html_bytes + asset_bytes < CEILING, (
            f"{page.relative_to(sample_site)}: {html_bytes} + {asset_bytes} bytes "
            f"({', '.join(urls)})"
        )


def test_no_web_fonts_from_elsewhere(sample_site):
    for css in (sample_site / "theme").rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text):
            assert not url.startswith(("http:", "https:", "//")), f"{css}: {url}"
        for block in re.findall(r"@font-face\s*{[^}]*}", text):
            assert "woff2" in block, f"{css}: a web font that is not subset WOFF2"


def test_every_player_on_every_page_loads_no_audio_before_play(sample_site):
    players = 0
    for page in _pages(sample_site):
        html = lxml.html.fromstring(page.read_bytes())
        for audio in html.xpath("//audio"):
            players += 1
            assert audio.get("preload") == "none", (
                f"{page.relative_to(sample_site)}: <audio preload="
                f'"{audio.get("preload")}"> fetches audio before play'
            )
            assert not audio.get("autoplay")
        assert not html.xpath('//link[@rel="preload"][@as="audio"]')
    assert players >= 5


def test_pages_link_fingerprinted_css_and_js(sample_site):
    linked = set()
    for page in _pages(sample_site):
        html = lxml.html.fromstring(page.read_bytes())
        for url, path in _local_assets(page, sample_site, html):
            match = FINGERPRINT.search(url)
            assert match, f"{page.relative_to(sample_site)}: {url} has no fingerprint"
            assert path.is_file(), f"{page.relative_to(sample_site)}: {url} missing"
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            assert match.group(1) == digest, f"{url}: the name does not match"
            linked.add(path)
    assert any(path.suffix == ".css" for path in linked)


@pytest.mark.parametrize("suffix", [".html", ".css", ".js", ".xml", ".vtt"])
def test_text_files_have_gzip_and_brotli_copies(sample_site, suffix):
    files = [
        path for path in sample_site.rglob(f"*{suffix}") if path.stat().st_size >= 512
    ]
    if suffix in (".html", ".css", ".xml", ".vtt"):
        assert files, f"the sample site has no {suffix} file to check"
    for path in files:
        data = path.read_bytes()
        packed_gzip = path.with_name(path.name + ".gz")
        packed_brotli = path.with_name(path.name + ".br")
        assert gzip.decompress(packed_gzip.read_bytes()) == data, packed_gzip
        assert brotli.decompress(packed_brotli.read_bytes()) == data, packed_brotli
        assert packed_brotli.stat().st_size < len(data)


def test_no_compressed_copy_outlives_its_file(sample_site):
    for packed in [*sample_site.rglob("*.gz"), *sample_site.rglob("*.br")]:
        assert packed.with_suffix("").is_file(), f"{packed}: its file is gone"


def _audio_requests(page):
    requests = []
    page.on(
        "request",
        lambda request: (
            requests.append(request)
            if request.resource_type == "media"
            or request.url.split("?")[0].lower().endswith(AUDIO_EXTENSIONS)
            else None
        ),
    )
    return requests


def test_home_listing_and_story_pages_fetch_no_audio_before_play(page, site_server):
    requests = _audio_requests(page)
    for path in ("/", "/stories/"):
        page.goto(site_server + path, wait_until="networkidle")
        assert page.locator("audio").count() >= 1
    story_link = page.locator('a[href*="stories/"]').first.get_attribute("href")
    page.goto(site_server + "/stories/", wait_until="networkidle")
    story_links = page.eval_on_selector_all(
        ".story-card__title a", "links => links.map(a => a.href)"
    )
    assert story_links, story_link
    # Deep links set the start position; that must not load audio either.
    for url in [*story_links[:3], story_links[0] + "#turn-2", story_links[1] + "?t=30"]:
        page.goto(url, wait_until="networkidle")
        assert page.locator("audio").count() >= 1
    assert requests == [], [request.url for request in requests]

    # The listener presses play: now, and only now, audio is fetched. (This
    # also shows the recording above sees audio requests when there are any.)
    page.locator("audio").first.evaluate("a => { a.muted = true; return a.play(); }")
    page.wait_for_function("() => document.querySelector('audio').currentTime > 0.2")
    assert requests, "playing fetched no audio: the request recording is broken"


def test_fingerprinted_copies_are_minified(sample_site):
    """The copies pages link are minified (asset_fingerprint); the readable
    sources stay beside them under their plain names."""
    copies = [
        path
        for path in (sample_site / "theme").rglob("*")
        if FINGERPRINT.search(path.name)
    ]
    assert any(path.suffix == ".js" for path in copies)
    for copy in copies:
        source = copy.with_name(FINGERPRINT.sub(r".\2", copy.name))
        text = copy.read_text(encoding="utf-8")
        assert len(text) < source.stat().st_size, f"{copy.name} is not minified"
        assert "/*" not in text.replace("/*!", ""), f"{copy.name} keeps comments"
        assert "\n  " not in text, f"{copy.name} keeps indentation"


def test_story_pages_load_only_the_style_sheets_they_use(sample_site):
    for page in _story_pages(sample_site):
        html = lxml.html.fromstring(page.read_bytes())
        sheets = {
            FINGERPRINT.sub("", posixpath.basename(url)).rsplit(".", 1)[0]
            for url, _ in _local_assets(page, sample_site, html)
            if url.endswith(".css")
        }
        # palette: the campaign's colours (plugins/campaign_colours).
        assert sheets == {"palette", "site", "listening"}, f"{page}: {sorted(sheets)}"
