"""What a visitor audit found, measured in a real browser so it stays fixed:
the search filters at 320 pixels and the search box's example on phones,
the embed at the size it advertises, the menu on phones, the funder
credits, the mini-player's title, named search landmarks, tap targets in
the transcript, the embed's icon, the podcast page's links and the share of
speaking time."""

from __future__ import annotations

import html
import json
import re

import pytest
from coloraide import Color

from tests.listening import story_pages_with_chapters

PHONES = [320, 390]


@pytest.fixture(scope="module")
def context_at(browser):
    contexts = []

    def make(width, height=800):
        context = browser.new_context(
            viewport={"width": width, "height": height}, bypass_csp=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def slugs(sample_site):
    return sorted(p.parent.name for p in (sample_site / "stories").glob("*/embed"))


@pytest.fixture(scope="module")
def chaptered(sample_site):
    return story_pages_with_chapters(sample_site)[0]


def _enhanced(page):
    page.wait_for_function(
        "document.querySelectorAll('figure[data-player]').length === "
        "document.querySelectorAll('figure[data-player].is-enhanced').length"
    )


# ---- 1. The search filters on a 320-pixel phone ---------------------------

# A filter value as an editor may write it, one long word (a place, a
# relationship): it must wrap inside the panel, not widen the page.
LONG_VALUE = """() => {
    const choice = document.querySelector('.search-filter__choice');
    const copy = choice.cloneNode(true);
    copy.querySelector('.search-filter__value').textContent =
        'Llanfairpwllgwyngyllgogerychwyrndrobwll';
    choice.parentNode.appendChild(copy);
}"""


def test_search_filters_open_on_a_320_pixel_phone_fit_it(context_at, site_server):
    page = context_at(320)
    page.goto(site_server + "/search/?q=family")
    page.wait_for_selector(".search-filter__choice", state="attached")
    page.click("summary.search-filters__heading")
    page.evaluate(LONG_VALUE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    panel = page.locator("details.search-filters").bounding_box()
    assert panel["x"] + panel["width"] <= 320
    # Every count is shown whole inside the panel, beside its value.
    for count in page.locator(".search-filter__count").all():
        box = count.bounding_box()
        assert box["width"] > 0
        assert box["x"] + box["width"] <= panel["x"] + panel["width"], box
    # The results are below the whole open panel, out of sight: a button at
    # its end folds it and goes to them, their count first.
    page.click("[data-search-show]")
    assert not page.evaluate("document.querySelector('details.search-filters').open")
    assert page.evaluate("document.activeElement.matches('[data-search-status]')")
    status = page.locator("[data-search-status]").bounding_box()
    assert 0 <= status["y"] < 800


# The search box's placeholder (its canvas width in the box's own font)
# against the room inside the box's padding.
PLACEHOLDER_ROOM = """() => {
    const box = document.querySelector('#search-q');
    const style = getComputedStyle(box);
    const pen = document.createElement('canvas').getContext('2d');
    pen.font = style.font;
    return [pen.measureText(box.placeholder).width,
            box.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight)];
}"""


@pytest.mark.parametrize("width", PHONES)
def test_the_search_boxs_example_shows_whole_on_a_phone(context_at, site_server, width):
    # It read "A word, a na" at 320 pixels and "A word, a name, a pla" at 390.
    page = context_at(width)
    page.goto(site_server + "/search/")
    needed, room = page.evaluate(PLACEHOLDER_ROOM)
    assert needed <= room, (needed, room)
    button = page.locator(".search-box--page .search-box__button").bounding_box()
    assert button["x"] + button["width"] <= width


# ---- 2. The embed fits the iframe its embed code asks for -----------------


def _advertised(sample_site, slug):
    oembed = json.loads((sample_site / "stories" / slug / "oembed.json").read_text())
    story = (sample_site / "stories" / slug / "index.html").read_text()
    return oembed, story


def test_embed_code_oembed_and_player_card_advertise_one_size(sample_site, slugs):
    assert slugs
    for slug in slugs:
        oembed, story = _advertised(sample_site, slug)
        size = f'width="{oembed["width"]}" height="{oembed["height"]}"'
        assert size in oembed["html"], slug
        code = re.search(r'id="embed-code"[^>]*>([^<]*)</textarea>', story).group(1)
        assert size in html.unescape(code), slug
        for key in ("width", "height"):
            meta = f'<meta name="twitter:player:{key}" content="{oembed[key]}">'
            assert meta in story, slug


FITS = """() => {
    const bottom = Math.max(...[...document.querySelectorAll('.embed__main *')]
        .filter(e => e.getClientRects().length && !e.closest('.visually-hidden'))
        .map(e => e.getBoundingClientRect().bottom));
    return {bottom, body: document.body.scrollHeight,
            wide: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("width", [320, 360, 400, 480, 560, 640])
def test_the_embed_fits_the_size_it_advertises(
    context_at, site_server, sample_site, slugs, width
):
    oembed, _ = _advertised(sample_site, slugs[0])
    width, height = min(width, oembed["width"]), oembed["height"]
    page = context_at(width, height)
    for slug in slugs:
        page.goto(f"{site_server}/stories/{slug}/embed/")
        _enhanced(page)
        found = page.evaluate(FITS)
        assert found["bottom"] <= height, (slug, width, found)
        assert found["body"] <= height, (slug, width, found)
        assert found["wide"] <= width, (slug, width, found)
        assert page.locator(".player__download").is_visible()


def test_the_embed_fits_while_it_offers_to_resume(
    context_at, site_server, sample_site, chaptered
):
    oembed, _ = _advertised(sample_site, chaptered)
    for width in (320, oembed["width"]):
        page = context_at(width, oembed["height"])
        page.goto(f"{site_server}/stories/{chaptered}/embed/#t=0:14")
        _enhanced(page)
        page.wait_for_selector("[data-resume]:not([hidden])")
        found = page.evaluate(FITS)
        assert found["bottom"] <= oembed["height"], (width, found)


# ---- 3. The menu on phones -----------------------------------------------

MENU_SHOWN = """() => [...document.querySelectorAll('.site-nav a')].map(a => {
    const r = a.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {text: a.textContent.trim(), right: r.right, left: r.left,
            shown: a === hit || a.contains(hit)};
})"""


@pytest.mark.parametrize("width", PHONES)
@pytest.mark.parametrize("path", ["/about/", "/guide/", "/podcast/", "/stories/"])
def test_every_menu_item_shows_on_a_phone_without_scrolling(
    context_at, site_server, width, path
):
    page = context_at(width)
    page.goto(site_server + path)
    items = page.evaluate(MENU_SHOWN)
    assert len(items) >= 5
    for item in items:
        assert item["left"] >= 0 and item["right"] <= width, item
        assert item["shown"], item
    current = page.locator(".site-nav a[aria-current]")
    assert current.count() == 1 and current.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width


# ---- 4. Funder credits ---------------------------------------------------

LOGOS = """(selector) => [...document.querySelectorAll(selector)].map(img => {
    const r = img.getBoundingClientRect();
    const scale = Math.min(r.width / img.naturalWidth, r.height / img.naturalHeight);
    return {drawn: img.naturalHeight * scale, src: img.currentSrc};
})"""

NAMES = """(selector) => [...document.querySelectorAll(selector)].map(n => ({
    name: n.textContent, height: n.getBoundingClientRect().height}))"""


def _loaded(page):
    page.evaluate(
        "Promise.all([...document.images].map(i => {"
        " i.loading = 'eager'; return i.decode().catch(() => null); }))"
    )


@pytest.mark.parametrize("width", PHONES)
def test_funder_logos_stay_readable_and_names_match_them_on_phones(
    context_at, site_server, width
):
    page = context_at(width)
    # The footer's strip (every page but the funders page) and that page's list.
    places = (("/about/", ".funder-list--strip"), ("/funders/", ".funder-list--page"))
    for path, scope in places:
        page.goto(site_server + path)
        _loaded(page)
        logos = page.evaluate(LOGOS, f"{scope} .funder__logo")
        names = page.evaluate(NAMES, f"{scope} .funder__name")
        assert logos and names
        # Drawn no lower than 28 px: a logo's words stay readable.
        assert min(logo["drawn"] for logo in logos) >= 28, (scope, logos)
        # A name alone is set about as large as a logo, not 4-5 lines of it.
        tallest = max(logo["drawn"] for logo in logos)
        for name in names:
            assert name["height"] <= 2 * tallest, (scope, name, tallest)
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_funder_logos_on_the_funders_page_are_about_one_size(context_at, site_server):
    page = context_at(1366)
    page.goto(site_server + "/funders/")
    _loaded(page)
    heights = [logo["drawn"] for logo in page.evaluate(LOGOS, ".funder-list--page img")]
    assert len(heights) >= 2
    assert max(heights) / min(heights) <= 1.35, heights


# ---- 5. The mini-player's title on a phone --------------------------------


def test_the_mini_player_shows_its_title_on_a_320_pixel_phone(
    browser, site_server, chaptered
):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        page.goto(f"{site_server}/stories/{chaptered}/")
        _enhanced(page)
        page.evaluate(
            "() => { const a = document.querySelector('.player--full audio');"
            " a.muted = true; return a.play(); }"
        )
        page.evaluate("document.querySelector('#transcript').scrollIntoView()")
        page.wait_for_selector(".mini-player:not([hidden])")
        title = page.locator(".mini-player__title").bounding_box()
        assert title["width"] >= 200, title
        for control in page.locator(".mini-player button, .mini-player a").all():
            box = control.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 320, box
            assert box["width"] >= 24 and box["height"] >= 24, box
        # The page's end is not hidden under the taller bar.
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        bar = page.locator(".mini-player").bounding_box()
        last = page.locator(".site-footer a").last.bounding_box()
        assert last["y"] + last["height"] <= bar["y"], (last, bar)
    finally:
        context.close()


# ---- 6. Search landmarks are named -----------------------------------------


def test_a_story_page_has_no_two_search_landmarks_alike(
    context_at, site_server, axe, chaptered
):
    page = context_at(1366)
    page.goto(f"{site_server}/stories/{chaptered}/")
    _enhanced(page)
    # Both searches show at this width: the header's and the transcript's.
    assert page.locator("[role=search]:visible").count() == 2
    found = [
        v for v in axe(page, tags=["best-practice"]) if v["id"] == "landmark-unique"
    ]
    assert not found, axe.format(found)


# ---- 7. Tap targets in the transcript --------------------------------------


@pytest.mark.parametrize("width", PHONES)
def test_transcript_time_links_are_24_pixels_each_way(
    context_at, site_server, chaptered, width
):
    page = context_at(width)
    page.goto(f"{site_server}/stories/{chaptered}/")
    sizes = page.evaluate(
        "[...document.querySelectorAll('a.turn__time, a.transcript__chapter-time')]"
        ".map(a => { const r = a.getBoundingClientRect();"
        " return [a.className, r.width, r.height]; })"
    )
    assert any(c == "transcript__chapter-time" for c, _, _ in sizes)
    small = [s for s in sizes if s[1] < 24 or s[2] < 24]
    assert not small, small[:3]


# ---- 8. The embed page's icon ---------------------------------------------


def test_the_embed_page_names_its_icon_and_no_request_fails(
    sample_site, site_server, page, slugs
):
    for slug in slugs:
        path = sample_site / "stories" / slug / "embed" / "index.html"
        found = re.search(
            r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', path.read_text()
        )
        assert found, slug
        icon = (path.parent / found.group(1)).resolve()
        assert icon == (sample_site / "theme/images/favicon.svg").resolve()
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(f"{site_server}/stories/{slugs[0]}/embed/")
    page.wait_for_load_state("networkidle")
    assert failed == []


# ---- 9. The podcast page's links are the site's own ------------------------


def test_the_podcast_page_links_into_the_site_relatively(sample_site):
    page = (sample_site / "podcast" / "index.html").read_text()
    description = re.search(
        r'<div class="podcast-intro__description">(.*?)</div>', page, re.DOTALL
    ).group(1)
    links = re.findall(r'href="([^"]+)"', description)
    assert links
    for link in links:
        assert not link.startswith(("http://localhost", "/")), link
        target = (sample_site / "podcast" / link).resolve()
        assert (target / "index.html").is_file(), link
    # The feed keeps them absolute: podcast apps need that.
    feed = (sample_site / "podcast.xml").read_text()
    assert re.search(r"\(https?://[^\s()]+/take-part/\)", feed)


@pytest.mark.parametrize("width", PHONES)
def test_answers_on_a_question_page_take_the_phones_width(
    context_at, site_server, sample_site, width
):
    """On a question page the time button stood beside each answer, leaving
    the quote about 150 px of a 320 px screen: on phones it stands above."""
    question = sorted((sample_site / "questions").glob("*/index.html"))[0]
    page = context_at(width)
    page.goto(f"{site_server}/{question.parent.relative_to(sample_site).as_posix()}/")
    quotes = page.query_selector_all(".moment__quote")
    assert quotes
    for quote in quotes:
        box = quote.bounding_box()
        assert box["width"] >= width - 110, (width, box)
    time_box = page.query_selector(".moment__time").bounding_box()
    body_box = page.query_selector(".moment__body").bounding_box()
    assert time_box["y"] + time_box["height"] <= body_box["y"] + 1  # above it


# ---- 10. The share of speaking time on a 320-pixel phone -------------------

# A speaker as long as names come ("Maya Sobczak-Greene"), beside "45% 18 sec".
LONG_SPEAKER = """() => {
    const item = document.querySelector('.share-of-voice__list li');
    const copy = item.cloneNode(true);
    copy.querySelector('.share-of-voice__name').textContent =
        'Naomi Castellanos-Whitaker';
    item.parentNode.appendChild(copy);
}"""
# Each speaker's time ("18 sec") and the lines it takes.
SPEAKING_TIMES = """() => [...document.querySelectorAll('.share-of-voice__list .muted')]
    .map(time => { const range = document.createRange();
                   range.selectNodeContents(time);
                   return [time.textContent, range.getClientRects().length]; })"""


def test_speaking_times_stay_whole_on_a_320_pixel_phone(
    context_at, site_server, chaptered
):
    """ "18 sec" broke over two lines, the unit under its number."""
    page = context_at(320)
    page.goto(f"{site_server}/stories/{chaptered}/")
    page.evaluate(LONG_SPEAKER)
    times = page.evaluate(SPEAKING_TIMES)
    assert times and all(lines == 1 for _, lines in times), times
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    area = page.locator(".share-of-voice").bounding_box()
    for item in page.locator(".share-of-voice__list li > *").all():
        box = item.bounding_box()
        assert box["x"] >= area["x"], box
        assert box["x"] + box["width"] <= area["x"] + area["width"] + 0.5, box


def test_an_audio_files_size_stays_whole_on_a_320_pixel_phone(context_at, site_server):
    """ "Download audio (MP3, 447.3 KB)" left "KB)" alone on a line."""
    page = context_at(320)
    page.goto(site_server + "/stories/")
    sizes = page.evaluate(
        """[...document.querySelectorAll('.player__download .muted')].map(muted => {
            const text = muted.firstChild, at = text.data.indexOf(', ') + 2;
            const range = document.createRange();
            range.setStart(text, at);
            range.setEnd(text, text.data.length);
            const tops = [...range.getClientRects()].map(r => Math.round(r.top));
            return [text.data.slice(at), new Set(tops).size]; })"""
    )
    assert sizes, "no download link on the stories page"
    assert all(lines == 1 for _, lines in sizes), sizes
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_states_cities_stand_apart_from_its_stories(context_at, site_server):
    # The city chips touched the first story card (0 pixels apart): the
    # listing's hidden heading came between them and the rule that spaced them.
    page = context_at(390)
    page.goto(site_server + "/places/montana/")
    gap = page.evaluate(
        "document.querySelector('main .story-grid').getBoundingClientRect().top"
        " - document.querySelector('main nav[aria-label^=\"Cities\"]')"
        ".getBoundingClientRect().bottom"
    )
    assert gap >= 16, gap


# ---- The keyboard focus ring on every ground --------------------------------

# Every stop of the keyboard on the page, given focus in turn once a Tab has
# made the keyboard the way of moving (so each shows :focus-visible): its
# ring, and the grounds it is drawn on, what is under the middle of the
# ring's left and top sides (the skip link's is drawn on the header, not on
# the body that holds it), the nearest background there, every colour of it
# when a gradient (the hero).
FOCUS_RINGS = """() => {
    const colours = s => (s.match(/rgba?\\([^)]*\\)/g) || [])
        .map(c => c.match(/[\\d.]+/g).map(Number))
        .filter(c => c.length < 4 || c[3] > 0);
    const groundAt = (el, x, y) => {
        let node = document.elementsFromPoint(Math.max(x, 0), Math.max(y, 0))
            .find(under => under !== el && !el.contains(under));
        for (; node; node = node.parentElement) {
            const s = getComputedStyle(node);
            const found = colours(s.backgroundImage).concat(colours(s.backgroundColor));
            if (found.length) return found;
        }
        return [];
    };
    const stops = [...document.querySelectorAll(
        'a[href], button, input, select, textarea, summary, [tabindex]')]
        .filter(el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length
            && getComputedStyle(el).visibility === 'visible');
    return stops.map(el => {
        el.focus();
        if (document.activeElement !== el) return null;  // in a closed <details>
        const style = getComputedStyle(el), box = el.getBoundingClientRect();
        const out =
            parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) / 2;
        return {
            what: el.outerHTML.slice(0, 90),
            dark: !!el.closest('.site-header, .hero, .site-footer'),
            shown: el.matches(':focus-visible') && style.outlineStyle !== 'none',
            ring: colours(style.outlineColor)[0],
            width: parseFloat(style.outlineWidth),
            grounds: groundAt(el, box.left - out, box.top + box.height / 2).concat(
                groundAt(el, box.left + box.width / 2, box.top - out)),
        };
    }).filter(Boolean);
}"""


def _contrast(one, other) -> float:
    """WCAG 2.1's contrast of two [r, g, b(, a)] colours (0-255)."""
    one, other = (Color("srgb", [v / 255 for v in rgb[:3]]) for rgb in (one, other))
    return one.contrast(other, method="wcag21")


def _focus_stops(page) -> tuple[list, list]:
    """Every stop of the keyboard on the page and the faint ones (under
    4.5:1 on a ground the ring is drawn on)."""
    page.keyboard.press("Tab")
    seen = page.evaluate(FOCUS_RINGS)
    faint = []
    for stop in seen:
        assert stop["shown"] and stop["width"] >= 2, stop
        ratio = min(_contrast(stop["ring"], ground) for ground in stop["grounds"])
        if ratio < 4.5:
            faint.append((round(ratio, 2), stop["what"]))
    return seen, faint


@pytest.mark.parametrize("width", [390, 1366])
def test_the_focus_ring_stands_out_on_the_dark_header_hero_and_footer(
    context_at, site_server, width
):
    """The ring was the light pages' blue on the dark header, hero and
    footer too: 3.1:1 on their ink, 2.7:1 on the hero's lighter top, at the
    edge of WCAG 2.2's 3:1 for what is not text. Every stop of the keyboard
    on the home page, light grounds (the funder strip in the footer) and
    dark, measured where the ring is drawn: 4.5:1 at least."""
    page = context_at(width)
    page.goto(site_server + "/")
    seen, faint = _focus_stops(page)
    dark = [stop for stop in seen if stop["dark"]]
    # The header's links and button, the hero's two buttons, the footer's
    # mail link, funders and links.
    assert len(dark) >= 12 and any(len(s["grounds"]) > 1 for s in dark), seen
    assert not faint, faint


def test_the_focus_ring_stands_out_on_the_light_grounds(context_at, site_server):
    """On the light grounds the blue ring was 4.2:1 on the invitation's
    beige and 4.4:1 on the chapter bar's; the search page's skip to the
    results (a skip link too) must keep the light ring on white."""
    page = context_at(1366)
    for path in ("/stories/common-ground/", "/search/?q=family"):
        page.goto(site_server + path)
        if "search" in path:
            page.wait_for_selector(".search-result")
        else:
            _enhanced(page)
        seen, faint = _focus_stops(page)
        assert len(seen) > 30, path
        assert not faint, (path, faint)
