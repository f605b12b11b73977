"""Search and browse in a real browser, on the sample site.

Each sample story's transcript has a word no other sample transcript has
(see scripts/sample_dialogues/*.yml); the held-back ones have theirs too."""

from __future__ import annotations

import re

import pytest

from tests.pagefind_index import index_text, indexed_pages

# unique transcript word -> the story it must find
UNIQUE_WORDS = {
    "thermos": "i-try-to-not-bring-up-politics",
    "bleachers": "leave-him-alone",
    "elk": "common-ground",
    "pierogi": "family-politics",
    "welding": "a-second-chance",
    "accordion": "the-fence-between-our-yards",
    "tractor": "we-drive-the-same-route",
}
# Words (transcript, names, titles) of the held-back sample stories.
HELD_BACK_WORDS = [
    "harmonica",
    "waffles",
    "Lindqvist",
    "Brannigan",
    "Quintana",
    "Flagstaff",
    "Winslow",
    "Minneapolis",
]
BROWSE_PAGES = [
    "/browse/",
    "/browse/recorded/",
    "/places/",
    "/places/montana/",
    "/places/montana/bozeman/",
    "/relationships/",
    "/relationships/strangers/",
    "/questions/",
    "/questions/parents/",
    "/stories/",
    "/topics/",
    "/topics/rural-life/",
]


@pytest.fixture(scope="module")
def transcripts_on_pages(sample_site):
    """Story pages show their transcripts (the listening issue's work)."""
    page = (sample_site / "stories" / "common-ground" / "index.html").read_text()
    if 'id="turn-1"' not in page or 'id="chapter-1"' not in page:
        pytest.skip(
            "story pages have no transcript turns and chapter headings yet "
            "(the transcripts plugin of the listening issue renders them)"
        )


def search(page, base: str, words: str = "", query: str = "") -> list:
    """Open the search page, type ``words``; the result items once shown."""
    page.goto(f"{base}/search/{query}")
    page.wait_for_selector("[data-search-ui]:not([hidden])")
    if words:
        page.fill("#search-q", words)
        page.press("#search-q", "Enter")
        page.wait_for_function(
            "w => document.querySelector('[data-search-status]').textContent"
            ".includes(w)",
            arg=words,
        )
    return page.query_selector_all(".search-result")


def result_count(page) -> int:
    status = page.text_content("[data-search-status]")
    found = re.match(r"(\d+) ", status)
    return int(found.group(1)) if found else 0


def test_a_transcript_word_finds_its_story_and_lands_at_that_moment(
    page, site_server, transcripts_on_pages
):
    results = search(page, site_server, "elk")
    assert len(results) == 1
    result = results[0]
    assert result.query_selector(".search-result__title").text_content() == (
        "Common Ground"
    )
    assert "Naomi Castellanos and Dale Hutchins" in result.text_content()
    moment = result.query_selector(".search-moment")
    assert moment.query_selector("mark").text_content().lower() == "elk"
    assert "The mountains we grew up in" in moment.text_content()

    moment.query_selector("a.search-moment__link").click()
    page.wait_for_url(re.compile(r"/stories/common-ground/#(turn|chapter)-\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    target = page.locator(f"#{anchor}")
    start = float(target.get_attribute("data-start"))
    # "...hear an elk breathing" is said from 15.677 s, in the chapter that
    # starts at 0:13 (the one before starts at 0:00, the next at 0:36).
    assert 13 <= start <= 15.677 + 0.01
    if anchor.startswith("turn-"):
        assert "elk" in target.text_content()
    else:
        assert anchor == "chapter-2"
    # The player seeks to the anchor's moment (once its script has loaded).
    has_player = page.evaluate("() => !!document.querySelector('script[src*=player]')")
    if has_player:
        page.wait_for_function(
            "s => Math.abs(document.querySelector('audio').currentTime - s) < 1",
            arg=start,
        )


@pytest.mark.parametrize("word,slug", sorted(UNIQUE_WORDS.items()))
def test_every_unique_transcript_word_finds_exactly_its_story(
    page, site_server, transcripts_on_pages, word, slug
):
    results = search(page, site_server, word)
    assert len(results) == 1, [r.text_content() for r in results]
    link = results[0].query_selector(".search-result__title a").get_attribute("href")
    assert link.rstrip("/").endswith(f"/stories/{slug}")
    moment = results[0].query_selector("a.search-moment__link")
    assert moment is not None, f"{word!r} was found, but not in the transcript"
    assert f"/stories/{slug}/#" in moment.get_attribute("href")


@pytest.mark.parametrize("word", HELD_BACK_WORDS)
def test_held_back_stories_are_never_found(page, site_server, word):
    # Pagefind falls back to words sharing a beginning ("Winslow" finds
    # "win"), so other pages may come back; never the held-back story.
    for result in search(page, site_server, word):
        assert word.lower() not in result.text_content().lower()
        link = result.query_selector(".search-result__title a").get_attribute("href")
        assert "across-the-counter" not in link
        assert "what-my-father-taught-me" not in link


def test_held_back_words_are_not_in_the_index_files(sample_site):
    text = index_text(sample_site)
    for word in HELD_BACK_WORDS:
        assert word.lower() not in text
    urls = {page["url"] for page in indexed_pages(sample_site)}
    assert "/stories/across-the-counter/" not in urls
    assert "/stories/what-my-father-taught-me/" not in urls


def test_results_show_participants_and_a_snippet(page, site_server):
    results = search(page, site_server, "hunting guide")
    assert results
    first = results[0]
    assert first.query_selector(".search-result__people").text_content() == (
        "Naomi Castellanos and Dale Hutchins"
    )
    marks = first.query_selector_all("mark")
    assert marks and {m.text_content().lower() for m in marks} & {"hunting", "guide"}


def test_snippets_are_words_said_not_player_labels(page, site_server):
    # "pierogi" is said in a turn: the snippet quotes the turn, without the
    # turn's "Play from 0:00" link (left out of the index).
    results = search(page, site_server, "pierogi")
    assert results
    text = results[0].text_content()
    assert "pierogi" in text.lower()
    assert "Play from" not in text


def test_filters_narrow_the_results(page, site_server):
    search(page, site_server, "family")
    everything = result_count(page)
    assert everything >= 3
    page.check("input[name=topic][value=guns]")
    page.wait_for_function(
        "n => /^\\d+ /.test(document.querySelector('[data-search-status]')"
        ".textContent) && parseInt(document.querySelector('[data-search-status]')"
        ".textContent) < n",
        arg=everything,
    )
    narrowed = page.query_selector_all(".search-result")
    assert [r.query_selector("h3").text_content() for r in narrowed] == [
        "Common Ground"
    ]
    assert "topic=guns" in page.url and "q=family" in page.url
    # Filters alone (no words) browse: every featured story, and only those.
    page.goto(f"{site_server}/search/?featured=Featured")
    page.wait_for_function(
        "() => /^\\d+ /.test(document.querySelector('[data-search-status]')"
        ".textContent)"
    )
    titles = {r.text_content() for r in page.query_selector_all(".search-result h3")}
    assert titles == {
        "I try to not bring up politics...",
        "I rushed towards you and I just started screaming, 'Leave him alone!'",
        "Family Politics",
    }
    page.check("input[name=state][value=Ohio]")
    page.wait_for_function(
        "() => document.querySelectorAll('.search-result').length === 1"
    )
    page.click("[data-search-clear]")
    page.wait_for_function(
        "() => document.querySelector('[data-search-status]').textContent"
        ".startsWith('Type a word')"
    )


def test_the_header_search_box_opens_the_search_page(page, site_server):
    page.goto(site_server + "/")
    page.fill("#site-search", "Yellowstone")
    page.press("#site-search", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Yellowstone$"))
    page.wait_for_selector(".search-result")
    titles = [r.text_content() for r in page.query_selector_all(".search-result h3")]
    assert titles == ["Common Ground"]
    assert page.input_value("#search-q") == "Yellowstone"


def test_without_javascript_the_page_says_so_and_links_to_browse(browser, site_server):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_server}/search/?q=elk")
        fallback = page.locator("noscript .search-fallback, .search-fallback").first
        text = page.locator("main").inner_text()
        assert "Search needs JavaScript" in text
        links = {
            a.get_attribute("href")
            for a in page.query_selector_all("main .browse-links a")
        }
        assert {"../stories/", "../topics/", "../places/", "../questions/"} <= links
        assert fallback is not None
        assert not page.locator("[data-search-ui]").is_visible()
    finally:
        context.close()


def test_search_page_is_accessible_with_results(page, site_server, axe):
    search(page, site_server, "family")
    page.check("input[name=topic][value=family]")
    page.wait_for_selector(".search-result")
    violations = axe(page)
    assert not violations, axe.format(violations)


@pytest.mark.parametrize("path", BROWSE_PAGES)
def test_browse_pages_are_accessible(page, site_server, axe, path):
    page.goto(site_server + path)
    violations = axe(page)
    assert not violations, axe.format(violations)


def test_story_page_with_related_stories_is_accessible(page, site_server, axe):
    page.goto(site_server + "/stories/common-ground/")
    assert page.locator("#related-heading").is_visible()
    violations = axe(page)
    assert not violations, axe.format(violations)


def test_no_request_leaves_the_site(page, site_server):
    origins = set()
    page.on("request", lambda request: origins.add(request.url.split("/")[2]))
    search(page, site_server, "elk")
    page.goto(site_server + "/questions/")
    assert origins == {site_server.split("/")[2]}


def test_question_index_answers_start_at_their_chapter(page, site_server):
    page.goto(site_server + "/questions/parents/")
    links = page.query_selector_all(".moment__time")
    assert len(links) == 5
    for link in links:
        start = float(link.get_attribute("data-start"))
        minutes, seconds = divmod(int(start), 60)
        assert link.get_attribute("href").endswith(f"/#t={minutes}:{seconds:02d}")
    page.click(".moment__time[href*='common-ground']")
    page.wait_for_url(re.compile(r"/stories/common-ground/#t=0:13$"))
    # The chapter the link names starts at that second on the story page.
    assert "0:13" in page.locator(".chapter-list").inner_text()
    has_player = page.evaluate("() => !!document.querySelector('script[src*=player]')")
    if has_player:
        page.wait_for_function(
            "() => Math.abs(document.querySelector('audio').currentTime - 13) < 1"
        )
