"""Search and browse in a real browser, on the sample site.

Each sample story's transcript has a word no other sample transcript has
(see scripts/sample_dialogues/*.yml); the held-back ones have theirs too."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.pagefind_index import index_text, indexed_pages
from tests.support import CONTENT

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
    "/browse/oldest/",
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


MOMENT_AUDIO = "document.querySelector('audio[data-moment-player]')"


def test_a_transcript_word_shows_who_said_it_and_plays_that_moment_here(
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
    # The speaker and the words, not page furniture.
    assert moment.query_selector(".search-moment__speaker").text_content() == (
        "Dale Hutchins"
    )
    words = moment.query_selector(".search-moment__excerpt").text_content()
    assert "elk breathing" in words
    assert moment.query_selector("mark").text_content().lower() == "elk"
    for noise in ("Play from", "From the guide", "Chapters"):
        assert noise not in words
    # The moment is the turn's own time (0:14), not its chapter's (0:13).
    play = moment.query_selector(".search-moment__play")
    assert play.inner_text().strip().endswith("0:14")
    assert play.get_attribute("href").endswith("/stories/common-ground/#t=0:14")
    search_url = page.url
    play.click()
    page.wait_for_function(f"{MOMENT_AUDIO} && !{MOMENT_AUDIO}.paused")
    page.wait_for_function(f"{MOMENT_AUDIO}.currentTime > 14.2")
    assert page.url == search_url  # played here, not sent away
    assert 14 <= page.evaluate(f"{MOMENT_AUDIO}.currentTime") < 17
    assert play.get_attribute("data-state") == "playing"
    play.click()  # pressed again: pauses
    page.wait_for_function(f"{MOMENT_AUDIO}.paused")


def test_chapters_are_sub_results(page, site_server, transcripts_on_pages):
    results = search(page, site_server, "mountains")
    assert results
    chapters = results[0].query_selector_all(".search-chapter")
    titles = [c.text_content() for c in chapters]
    assert any("0:13 The mountains we grew up in" in t for t in titles), titles
    link = results[0].query_selector(".search-chapter a").get_attribute("href")
    assert link.endswith("#t=0:13")


@pytest.mark.parametrize("word,slug", sorted(UNIQUE_WORDS.items()))
def test_every_unique_transcript_word_finds_exactly_its_story(
    page, site_server, transcripts_on_pages, word, slug
):
    results = search(page, site_server, word)
    assert len(results) == 1, [r.text_content() for r in results]
    link = results[0].query_selector(".search-result__title a").get_attribute("href")
    assert link.rstrip("/").endswith(f"/stories/{slug}")
    moment = results[0].query_selector("a.search-moment__play")
    assert moment is not None, f"{word!r} was found, but not in the transcript"
    assert f"/stories/{slug}/#t=" in moment.get_attribute("href")
    assert results[0].query_selector(".search-moment__speaker").text_content()


@pytest.mark.parametrize("word", HELD_BACK_WORDS)
def test_held_back_stories_are_never_found(page, site_server, word):
    # Pagefind falls back to words sharing a beginning ("Winslow" finds
    # "win"), so other pages may come back; never the held-back story.
    for result in search(page, site_server, word):
        assert word.lower() not in result.text_content().lower()
        link = result.query_selector(".search-result__title a").get_attribute("href")
        assert "across-the-counter" not in link
        assert "what-my-father-taught-me" not in link


def test_a_word_of_a_storys_summary_quotes_the_summary(page, site_server):
    # Found in no turn but in the summary: the summary, the word marked,
    # not the top of the page run together ("Dayton, Ohio. I try to not bring
    # up politics… Denise Harlow night-shift nurse, Dayton, Ohio. Marcus...").
    results = search(page, site_server, "nurse")
    excerpt = results[0].query_selector(".search-result__excerpt")
    assert excerpt.text_content().startswith("A nurse and a security officer")
    assert [m.text_content() for m in excerpt.query_selector_all("mark")] == ["nurse"]


def shown_stories(sample_site) -> dict[str, dict]:
    """Front matter of the sample stories the site shows (indexed), by slug."""
    indexed = {page["url"] for page in indexed_pages(sample_site)}
    stories = {}
    for path in sorted((CONTENT / "stories").glob("*/story.md")):
        front = re.match(r"---\n(.*?)\n---", path.read_text(), re.S)
        if front and f"/stories/{path.parent.name}/" in indexed:
            stories[path.parent.name] = yaml.safe_load(front.group(1))
    return stories


def result_for(results, slug: str):
    """The result of the story ``slug`` among ``results``."""
    for result in results:
        link = result.query_selector(".search-result__title a").get_attribute("href")
        if link.rstrip("/").endswith(f"/stories/{slug}"):
            return result
    raise AssertionError(f"no result for {slug}")


def marked(element) -> list[str]:
    return [mark.text_content() for mark in element.query_selector_all("mark")]


def test_a_word_found_only_in_a_title_is_marked_in_the_title(
    page, site_server, sample_site
):
    """Found by a word of its title alone ("Second" of "A Second Chance"), a
    story showed no marked word: the excerpt leaves the title out, as the
    result shows it just above, and so a visitor could not see why it came."""
    words = [
        word.lower()
        for page in indexed_pages(sample_site)
        for word in re.findall(r"\w+", page["content"])
    ]
    titled = [
        (word, slug, story)
        for slug, story in shown_stories(sample_site).items()
        for word in re.findall(r"\w{4,}", story["title"])
        # Once on the whole site, with no longer word it begins (Pagefind
        # finds "routes" for "route"): the title is the only place.
        if sum(1 for said in words if said.startswith(word.lower())) == 1
    ]
    if not titled:
        pytest.skip("no sample story has a word of its title that only it holds")
    word, slug, story = titled[0]
    result = result_for(search(page, site_server, word), slug)
    title = result.query_selector(".search-result__title a")
    assert title.text_content() == story["title"]
    assert marked(title) == [word]
    # The excerpt still starts after the title, with the people, unmarked.
    excerpt = result.query_selector(".search-result__excerpt")
    first = story["participants"][0]["name"]
    assert re.match(rf"…?{re.escape(first)}\b", excerpt.text_content()), (
        excerpt.text_content()
    )
    assert marked(excerpt) == []


def test_a_name_or_a_place_found_is_marked_in_the_people_and_place(
    page, site_server, sample_site
):
    stories = shown_stories(sample_site)
    names = [
        person["name"] for story in stories.values() for person in story["participants"]
    ]
    towns = [story["location"]["name"].split(",")[0] for story in stories.values()]

    def alone(word: str, story: dict) -> bool:
        """Of one person or place of the sample, and not in its title."""
        count = sum(word in re.findall(r"\w+", said) for said in names + towns)
        return count == 1 and word not in story["title"]

    slug, story, name = next(
        (slug, story, person["name"].split()[0])
        for slug, story in stories.items()
        for person in story["participants"]
        if alone(person["name"].split()[0], story)
    )
    result = result_for(search(page, site_server, name), slug)
    people = result.query_selector(".search-result__people")
    assert marked(people) == [name]
    assert people.text_content() == " and ".join(
        person["name"] for person in story["participants"]
    )
    assert marked(result.query_selector(".search-result__title")) == []
    slug, place, town = next(
        (slug, story["location"]["name"], story["location"]["name"].split(",")[0])
        for slug, story in stories.items()
        if alone(story["location"]["name"].split(",")[0], story)
    )
    result = result_for(search(page, site_server, town), slug)
    where = result.query_selector(".search-result__meta span")
    assert where.text_content() == place
    assert marked(where) == [town]


# A stand-in for Pagefind's API: one result, whose title and people hold
# what looks like markup, and the excerpt Pagefind would give (HTML).
FAKE_PAGEFIND = """
const data = {
  url: "/stories/fake/",
  meta: {
    title: "<b>Bold</b> & \\"quoted\\": a second look",
    participants: "Ann <i>Lee</i> & Bo Ray",
    place: "Truth or Consequences, New Mexico",
  },
  excerpt: "&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quoted&quot;: a <mark>second</mark> "
    + "look. Ann &lt;i&gt;<mark>Lee</mark>&lt;/i&gt; &amp; Bo Ray.",
  content: "",
  sub_results: [],
};
export const options = () => Promise.resolve();
export const filters = () => Promise.resolve({});
export const search = () => Promise.resolve(
  {results: [{data: () => Promise.resolve(data)}], filters: {}}
);
"""
# A browser whose regular expressions know no Unicode classes.
NO_UNICODE_CLASSES = """
const Native = RegExp;
window.RegExp = function (source, flags) {
  if (String(flags || "").includes("u")) throw new SyntaxError("not here");
  return new Native(source, flags);
};
"""


@pytest.mark.parametrize("unicode_classes", [True, False])
def test_a_title_that_looks_like_markup_is_shown_as_typed(
    page, site_server, unicode_classes
):
    page.route(
        "**/pagefind/pagefind.js",
        lambda route: route.fulfill(content_type="text/javascript", body=FAKE_PAGEFIND),
    )
    if not unicode_classes:
        page.add_init_script(NO_UNICODE_CLASSES)
    [result] = search(page, site_server, "second Lee")
    title = result.query_selector(".search-result__title a")
    people = result.query_selector(".search-result__people")
    assert title.text_content() == '<b>Bold</b> & "quoted": a second look'
    assert people.text_content() == "Ann <i>Lee</i> & Bo Ray"
    assert result.query_selector("b, i") is None
    if unicode_classes:
        assert marked(title) == ["second"] and marked(people) == ["Lee"]
    else:  # plain text, and the search goes on
        assert marked(title) == [] and marked(people) == []
        assert result.query_selector(".search-result__excerpt mark")


def test_a_search_that_finds_nothing_leads_on_to_browse(page, site_server):
    # It said "Try another word, or browse." with nothing to follow.
    assert search(page, site_server, "xyzzyq") == []
    status = page.locator("[data-search-status]")
    assert status.inner_text() == (
        "Nothing found for “xyzzyq”. Try another word, or browse every conversation."
    )
    status.locator("a").click()
    page.wait_for_url(re.compile(r"/browse/$"))


def test_held_back_words_are_not_in_the_index_files(sample_site):
    text = index_text(sample_site)
    for word in HELD_BACK_WORDS:
        assert word.lower() not in text
    urls = {page["url"] for page in indexed_pages(sample_site)}
    assert "/stories/across-the-counter/" not in urls
    assert "/stories/what-my-father-taught-me/" not in urls


def test_the_invitation_on_every_story_page_is_not_indexed(sample_site):
    """The invitation to take part says the same on every story page: in the
    index, a search for "partner" or "email" found every story."""
    story = (sample_site / "stories" / "common-ground" / "index.html").read_text()
    assert "Be matched with a partner" in story
    stories = [
        page
        for page in indexed_pages(sample_site)
        if page["url"].startswith("/stories/")
    ]
    assert len(stories) >= 5
    for page in stories:
        assert "took one small step" not in page["content"], page["url"]
        assert "Be matched with a partner" not in page["content"], page["url"]
        # What the page says of the conversation itself stays.
        assert "About this conversation" in page["content"], page["url"]


def test_the_last_thing_said_is_quoted_without_the_facts_after_it(
    page, site_server, sample_site, transcripts_on_pages
):
    """The last turn of Family Politics ends "...while we fold the dough.";
    the facts box follows it on the page, and its words are no part of what
    Irene Sobczak said."""
    results = search(page, site_server, "dough")
    assert len(results) == 1
    words = results[0].query_selector(".search-moment__excerpt").text_content()
    assert "fold the dough" in words
    for fact in ("About this conversation", "Relationship", "Recorded", "Length"):
        assert fact not in words, words
    # The facts are still found, as words apart.
    [story] = [
        p for p in indexed_pages(sample_site) if p["url"] == "/stories/family-politics/"
    ]
    # A fact a sentence, its term apart from its value: "Relationship
    # Family Recorded in Hamtramck, Michigan Recorded on..." ran on.
    facts = story["content"][story["content"].index("About this conversation") :]
    assert facts.startswith(
        "About this conversation. Relationship: Family. "
        "Recorded in Hamtramck, Michigan. Recorded on January 5, 2020. Length: "
    ), facts
    assert "Topics: Family. Faith. Immigration." in facts, facts
    # And so are a person's name and who they are, apart.
    assert "Maya Sobczak-Greene, first-year law student" in story["content"]


def test_a_place_or_a_job_found_is_quoted_as_phrases(page, site_server, sample_site):
    """Found in what the people do or where they live, a story was quoted
    run together: "Denise Harlow night-shift nurse, Dayton, Ohio. Marcus
    Bell hospital security officer, Kettering, Ohio." (a name ran into a
    job), after "DHMB." (the drawn picture's initials)."""
    [result] = search(page, site_server, "Kettering")
    excerpt = result.query_selector(".search-result__excerpt").text_content()
    assert (
        "Denise Harlow, night-shift nurse, Dayton, Ohio. Marcus Bell, hospital "
        "security officer, Kettering, Ohio. Colleagues."
    ) in excerpt, excerpt
    # The place above a story's title began its excerpt ("Dayton, Ohio. I try
    # to not bring up politics… Denise Harlow..."), and the title, shown just
    # above, came next: the excerpt starts with what the result does not
    # already show. The place is still found, in the people and the facts.
    [result] = search(page, site_server, "Dayton")
    excerpt = result.query_selector(".search-result__excerpt").text_content()
    assert excerpt.startswith("Denise Harlow, night-shift nurse, Dayton, Ohio."), (
        excerpt
    )
    # The drawn picture says nothing, and page furniture is no text either:
    # funders' names are apart; the guide's print button (shown by a script)
    # is not read into the sentence after it.
    pages = {p["url"]: p["content"] for p in indexed_pages(sample_site)}
    assert "DHMB" not in pages["/stories/i-try-to-not-bring-up-politics/"]
    assert "The Righteous Persons Foundation. Present Progressive" in pages["/funders/"]
    assert "Print the question card" not in pages["/guide/"]
    # Funders credited by a logo are found by name too (Pagefind indexes a
    # logo's alt text only when asked to), each name a phrase of its own; the
    # first logo's was found only as every campaign page's picture (the
    # footer's), and so found them all.
    assert "The Rockefeller Foundation. The Corporation for" in pages["/funders/"]
    for funder in ("Einhorn", "Rockefeller"):
        [funders] = search(page, site_server, funder)
        link = funders.query_selector("h3 a").get_attribute("href")
        assert link.endswith("/funders/"), funder
    # An excerpt cut in the middle of a sentence says so, at either end
    # ("of them. The Rockefeller Foundation. ... Present" read as whole);
    # one that starts or ends with a sentence does not.
    shown = funders.query_selector(".search-result__excerpt").text_content()
    assert re.match(r"…[a-z]", shown) and "The Rockefeller Foundation." in shown
    assert shown.endswith(".") and shown.count("…") == 1, shown
    found = {
        r.query_selector("h3 a").get_attribute("href").rsplit("/", 2)[-2]: r
        for r in search(page, site_server, "family")
    }
    shown = found["funders"].query_selector(".search-result__excerpt").text_content()
    assert shown.startswith("…") and shown.endswith("…"), shown
    assert "Einhorn Family Charitable Trust" in shown and shown.count("…") == 2, shown


def test_a_search_from_a_link_does_not_jump_as_it_loads(page, site_server):
    """Opened from a link that searches (?q=family) on a phone, the page
    drew the suggestions for an empty search, took them away and put the
    results in their place: a layout shift of 0.6 (Lighthouse's worst). The
    index answers slowly here, as it does on a phone's network."""
    import time

    def slowly(route):
        time.sleep(0.6)
        route.continue_()

    page.set_viewport_size({"width": 412, "height": 823})
    page.route("**/pagefind/parts.json", slowly)
    page.add_init_script(
        "window.shifted = 0; new PerformanceObserver(list => {"
        " for (const entry of list.getEntries())"
        "   if (!entry.hadRecentInput) window.shifted += entry.value;"
        "}).observe({type: 'layout-shift', buffered: true});"
    )
    page.goto(f"{site_server}/search/?q=family")
    page.wait_for_function(
        "document.querySelector('[data-search-status]').textContent.includes('found')"
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.shifted") < 0.05
    assert page.is_hidden("[data-search-suggestions]")
    # With nothing asked for, the suggestions are there, and then stay.
    page.goto(f"{site_server}/search/")
    page.wait_for_selector("[data-search-ui]:not([hidden])")
    assert page.is_visible("[data-search-suggestions]")


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
    snippets = results[0].query_selector_all(
        ".search-moment__excerpt, .search-result__excerpt"
    )
    text = " ".join(snippet.text_content() for snippet in snippets)
    assert "pierogi" in text.lower()
    assert "Play from" not in text and "0:00" not in text
    # A speaker's name is found in every turn's heading ("Denise Harlow
    # 0:15"): the quotes are what she said, not the heading again.
    results = search(page, site_server, "Denise")
    quotes = results[0].query_selector_all(".search-moment__excerpt")
    assert quotes
    for quote in quotes:
        assert not re.match(r"Denise Harlow|\d+:\d\d", quote.text_content()), (
            quote.text_content()
        )


def test_filters_narrow_the_results(page, site_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    search(page, site_server, "family")
    everything = result_count(page)
    assert everything >= 3
    # The tab and the history list name the search.
    assert page.title().startswith("\u201cfamily\u201d \u00b7 Search the conversations")
    # The panel starts open beside the results on a wide screen: a keyboard
    # skips its thirty-odd filters, from its first stop, to the results.
    page.focus("#search-q")
    for _ in range(3):  # the Search button, the panel's heading, the skip
        page.keyboard.press("Tab")
    skip = page.locator("[data-search-skip]")
    assert page.evaluate("document.activeElement.matches('[data-search-skip]')")
    assert skip.bounding_box()["width"] > 100  # seen, once it has focus
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.search-result') !== null")
    # A topic reads as on its chips; its value in the address is the tag's.
    guns = page.locator("label", has=page.locator("input[name=topic][value=guns]"))
    assert guns.locator(".search-filter__value").inner_text() == "Guns"
    featured = page.locator("label", has=page.locator("input[name=featured]"))
    assert featured.locator(".search-filter__value").inner_text() == (
        "Featured conversations only"
    )
    # On a desktop screen every filter's words are one line beside its box
    # ("Featured conversations only" and "Strangers matched by One Small
    # Step" took two in the panel's 15rem).
    heights = page.evaluate(
        "() => [...document.querySelectorAll('.search-filter__value')].map(v =>"
        " [v.textContent, v.getBoundingClientRect().height"
        "  / parseFloat(getComputedStyle(v).lineHeight)])"
    )
    assert len(heights) > 20
    assert [name for name, lines in heights if lines > 1.2] == []
    # A filter's count is heard as the topic chips' are: "Guns 1
    # conversation", not "Guns 1".
    counts = page.locator(".search-filter__count").all_text_contents()
    assert len(counts) > 10
    for count in counts:
        number, word = count.split(" ")
        assert word == ("conversation" if number == "1" else "conversations"), count
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
    assert page.title().startswith("\u201cfamily\u201d, Guns \u00b7 ")
    # Filters alone (no words) browse: every featured story, and only those.
    page.goto(f"{site_server}/search/?featured=Featured")
    page.wait_for_function(
        "() => /^\\d+ /.test(document.querySelector('[data-search-status]')"
        ".textContent)"
    )
    titles = {r.text_content() for r in page.query_selector_all(".search-result h3")}
    assert titles == {
        "I try to not bring up politics…",
        "I rushed towards you and I just started screaming, ‘Leave him alone!’",
        "Family Politics",
    }
    page.check("input[name=state][value=Ohio]")
    page.wait_for_function(
        "() => document.querySelectorAll('.search-result').length === 1"
    )
    # It said "1 conversation or page match with these filters."
    page.wait_for_function(
        "() => document.querySelector('[data-search-status]').textContent"
        " === '1 conversation matches these filters.'"
    )
    page.click("[data-search-clear]")
    page.wait_for_function(
        "() => document.querySelector('[data-search-status]').textContent"
        ".startsWith('Type a word')"
    )
    assert page.title().startswith("Search the conversations")
    # In a tablet's narrow columns a filter's words wrap; its box and count
    # stay by the first line (they sat in the middle of three).
    page.set_viewport_size({"width": 768, "height": 1024})
    page.evaluate("document.querySelector('.search-filters').open = true")
    off = page.evaluate(
        "() => [...document.querySelectorAll('.search-filter__choice')].map(c => {"
        " const box = c.querySelector('input').getBoundingClientRect();"
        " const words = c.querySelector('.search-filter__value');"
        " const line = parseFloat(getComputedStyle(words).lineHeight);"
        " const top = words.getBoundingClientRect().top;"
        " const count = c.querySelector('.search-filter__count')"
        "   .getBoundingClientRect();"
        " return [words.textContent, words.getBoundingClientRect().height / line,"
        "   Math.abs(box.top + box.height / 2 - (top + line / 2)),"
        "   Math.abs(count.top + count.height / 2 - (top + line / 2))]; })"
    )
    assert any(lines > 1.5 for _name, lines, _box, _count in off)  # one wraps
    assert [name for name, _lines, box, count in off if max(box, count) > 3] == []


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
        # The suggestions are plain links too.
        offered = page.locator("[data-search-suggestions]")
        assert offered.is_visible()
        assert offered.locator("a[href^='../topics/']").count() >= 3
        assert offered.locator("a[href^='../questions/']").count() >= 3
        assert offered.locator("a[href^='../places/']").count() >= 3
        assert fallback is not None
        # Why the search sent found nothing is said under the box, in sight,
        # not below every suggestion (a screen and more down on a phone).
        said = page.locator(".search-fallback").first.bounding_box()
        assert said["y"] < offered.bounding_box()["y"]
        assert not page.locator("[data-search-ui]").is_visible()
    finally:
        context.close()


def test_before_typing_the_page_offers_topics_questions_and_places(page, site_server):
    search(page, site_server)
    offer = page.locator("[data-search-suggestions]")
    assert offer.is_visible()
    for heading in ("Topics", "Questions from the guide", "Places"):
        assert offer.get_by_role("heading", name=heading).is_visible()
    # The site's own topics, most stories first (community: 4 stories).
    first_topic = offer.locator(".chip-list a").first
    assert first_topic.inner_text().split("\n")[0].strip() == "Community"
    assert offer.get_by_role("link", name=re.compile("^Montana")).is_visible()
    # Typing a search puts them away; clearing it brings them back.
    page.fill("#search-q", "elk")
    page.press("#search-q", "Enter")
    page.wait_for_selector(".search-result")
    assert not offer.is_visible()
    page.fill("#search-q", "")
    page.press("#search-q", "Enter")
    page.wait_for_function(
        "() => !document.querySelector('[data-search-suggestions]').hidden"
    )
    # A suggestion is a link to its page.
    offer.get_by_role("link", name=re.compile("^Why did you agree")).click()
    page.wait_for_url(re.compile(r"/questions/[a-z-]+/$"))
    assert page.locator(".moment__time").count() >= 1


def test_a_listing_card_shows_its_date_and_plays_in_place(page, site_server):
    for path in ("/stories/", "/browse/oldest/", "/topics/family/", "/places/ohio/"):
        page.goto(site_server + path)
        cards = page.locator(".story-card")
        assert cards.count() >= 1, path
        for index in range(cards.count()):
            card = cards.nth(index)
            assert re.search(r"Recorded \w+ \d{1,2}, \d{4}", card.inner_text()), path
            assert card.get_by_role("button", name="Play").is_visible(), path
    page.goto(site_server + "/topics/family/")
    url = page.url
    card = page.locator(".story-card").first
    audio = card.locator("audio")
    audio.evaluate("a => { a.muted = true; }")
    card.get_by_role("button", name="Play").click()
    page.wait_for_function(
        "a => !a.paused && a.currentTime > 0.2", arg=audio.element_handle()
    )
    assert page.url == url


def test_the_sort_switch_reverses_the_listing(page, site_server):
    page.goto(site_server + "/stories/")
    newest = page.locator(".story-card__title").all_inner_texts()
    page.get_by_role("link", name="Oldest first").click()
    page.wait_for_url(re.compile(r"/browse/oldest/$"))
    assert page.locator(".story-card__title").all_inner_texts() == newest[::-1]
    days = page.locator(".story-card time").evaluate_all(
        "times => times.map(t => t.getAttribute('datetime'))"
    )
    assert days == sorted(days) and len(set(days)) > 1
    # The old address of a second listing leads to the one listing.
    page.goto(site_server + "/browse/recorded/")
    page.wait_for_url(re.compile(r"/stories/$"))


def test_topics_are_browsed_like_places_and_questions(page, site_server):
    page.goto(site_server + "/topics/")
    tabs = page.get_by_role("navigation", name="Ways to browse")
    assert tabs.get_by_role("link", name="Topics").get_attribute("aria-current")
    assert tabs.get_by_role("link", name="Places").is_visible()
    page.get_by_role("link", name=re.compile("^Rural life")).click()
    page.wait_for_url(re.compile(r"/topics/rural-life/$"))
    trail = page.locator(".eyebrow").text_content().split()
    assert trail == ["Browse", "/", "Topics"]


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


def test_question_index_answers_play_in_place_from_their_chapter(page, site_server):
    page.goto(site_server + "/questions/parents/")
    links = page.query_selector_all(".moment__time")
    assert len(links) == 5
    for link in links:
        start = float(link.get_attribute("data-start"))
        minutes, seconds = divmod(int(start), 60)
        # Without JavaScript, the link opens the story at that second.
        assert link.get_attribute("href").endswith(f"/#t={minutes}:{seconds:02d}")
    url = page.url
    page.click(".moment__time[href*='common-ground']")
    audio = "document.querySelector('audio[data-moment-player]')"
    page.wait_for_function(f"{audio} && !{audio}.paused && {audio}.currentTime > 13.2")
    assert page.url == url
    assert 13 <= page.evaluate(f"{audio}.currentTime") < 16
    assert "common-ground" in page.evaluate(f"{audio}.currentSrc")
    # Another answer takes over: one plays at a time.
    page.click(".moment__time:not([href*='common-ground'])")
    page.wait_for_function(f"!{audio}.currentSrc.includes('common-ground')")
    assert page.locator(".moment__time.is-playing").count() == 1


def test_a_link_to_a_moment_lands_with_a_play_button_in_view(browser, site_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, bypass_csp=True
    )
    page = context.new_page()
    try:
        page.goto(site_server + "/stories/common-ground/#t=0:13")
        button = page.locator("[data-resume] [data-action='resume']")
        button.wait_for(state="visible")
        assert button.inner_text().strip() == "Play from 0:13"
        box = button.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844
        button.click()
        audio = "document.querySelector('figure[data-player] audio')"
        page.wait_for_function(f"!{audio}.paused && {audio}.currentTime > 13.2")
        assert page.evaluate(f"{audio}.currentTime") < 16
    finally:
        context.close()


def test_a_result_pictures_its_own_story_or_none(sample_site):
    """Pagefind takes a page's first picture for a result's image unless the
    page names one: a story without a picture got another story's (from
    "More conversations") or a funder's logo."""
    stories = {
        page["url"]: page["meta"]
        for page in indexed_pages(sample_site)
        if page["url"].startswith("/stories/")
    }
    pictured = [url for url, meta in stories.items() if meta["image"]]
    assert pictured and len(pictured) < len(stories)  # both kinds are tested
    for url, meta in stories.items():
        html = (sample_site / url.strip("/") / "index.html").read_text()
        header = html[html.index('class="story__picture"') :]
        header = header[: header.index("</div>")]
        if meta["image"]:
            # The picture in the story's header (a size of it), and its words.
            image = (sample_site / url.strip("/") / meta["image"]).resolve()
            assert image.is_file(), url
            art = image.name.rsplit("-", 1)[0]  # podcast-art-<hash>, less the size
            assert f"/{art}-" in header, url
            assert f'alt="{meta["image_alt"]}"' in header, url
        else:
            assert "<img" not in header, url
            assert "image_alt" not in meta, url


# Pagefind's own marks take in the punctuation around a word.
FAKE_PUNCTUATED = FAKE_PAGEFIND.replace(
    'excerpt: "&lt;b&gt;Bold',
    'excerpt: "It was about <mark>family.</mark> &#8220;<mark>Second,</mark>&#8221; she'
    " said. &lt;b&gt;Bold",
)


@pytest.mark.parametrize("unicode_classes", [True, False])
def test_the_excerpts_marks_hold_the_words_not_the_punctuation(
    page, site_server, unicode_classes
):
    page.route(
        "**/pagefind/pagefind.js",
        lambda route: route.fulfill(
            content_type="text/javascript", body=FAKE_PUNCTUATED
        ),
    )
    if not unicode_classes:
        page.add_init_script(NO_UNICODE_CLASSES)
    [result] = search(page, site_server, "family second")
    excerpt = result.query_selector(".search-result__excerpt")
    assert excerpt.text_content().startswith(
        "It was about family. \u201cSecond,\u201d she said."
    )
    if unicode_classes:
        assert marked(excerpt)[:2] == ["family", "Second"]
    else:  # as Pagefind marked them
        assert marked(excerpt)[:2] == ["family.", "Second,"]
