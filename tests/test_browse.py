"""Browse pages, the question index, related stories, sitemap and robots.txt.

One production build (publishconf.py: absolute URLs, strict) of stories
written for these tests, with two stories (and one answer) a page so that
pagination shows."""

from __future__ import annotations

import datetime
import re

import pytest

from portal.problems import StoryContentError
from tests.pagefind_index import index_text, indexed_pages
from tests.stories import assert_absent, output_files, write_story
from tests.support import LEAN, build_site, built_once, copy_content

SITE = "https://oss.example.org"


def _chapters(*items):
    return [
        {"start": start, "title": title, "question": key} for start, title, key in items
    ]


STORIES = {
    # slug: front matter overrides
    "alpha": dict(
        title="Alpha on the prairie",
        date=datetime.date(2019, 3, 1),
        location="Tulsa, Oklahoma",
        topics=["family", "rural life"],
        relationship="strangers",
        chapters=_chapters(
            ("0:00", "Why we came", "why-here"), ("0:02", "Our parents", "parents")
        ),
    ),
    "bravo": dict(
        title="Bravo at the kitchen table",
        # Recorded first, published last: the two orders differ.
        date=datetime.date(2018, 5, 5),
        published=datetime.date(2020, 6, 1),
        location={"name": "Norman, OK", "geo": [35.22, -97.44]},
        topics=["family"],
        relationship="family",
        featured=False,
        chapters=_chapters(("0:03", "Kind people", "kindness")),
    ),
    "charlie": dict(
        title="Charlie on the night shift",
        date=datetime.date(2020, 2, 2),
        location="Austin, Texas",
        topics=["work"],
        relationship="colleagues",
        chapters=_chapters(("0:01", "Grandma's kitchen", "parents")),
    ),
    "delta": dict(
        title="Delta and the county fair",
        date=datetime.date(2019, 9, 9),
        # Approved (so public) long after it was recorded, without published:.
        approval={
            "approved_by": "Test Editor",
            "approved_on": datetime.date(2021, 3, 3),
            "releases_signed": True,
        },
        location="Tulsa, Oklahoma",
        topics=["rural life"],
        relationship="friends",
        featured=False,
    ),
}
HELD_BACK = {
    "echo": dict(
        id="test-echo-unsigned",
        title="Zebraquokka unsigned story",
        summary="A xylophonist and a beekeeper talk.",
        date=datetime.date(2019, 1, 1),
        location="Boise, Idaho",
        topics=["secretopia"],
        relationship="neighbors",
        chapters=_chapters(("0:01", "Vanishing chapter", "parents")),
        approval={
            "approved_by": "Test Editor",
            "approved_on": datetime.date(2019, 11, 1),
            "releases_signed": False,
        },
    ),
    "foxtrot": dict(
        id="test-foxtrot-draft",
        title="Quibblequark draft story",
        summary="A zeppelinist and a glassblower talk.",
        location="Reno, Nevada",
        topics=["hushtopic"],
        relationship="acquaintances",
        chapters=_chapters(("0:02", "Draft chapter", "kindness")),
        status="draft",
    ),
}
HELD_BACK_TRACES = [
    "echo",
    "foxtrot",
    "Zebraquokka",
    "Quibblequark",
    "xylophonist",
    "zeppelinist",
    "secretopia",
    "hushtopic",
    "Boise",
    "Idaho",
    "Reno",
    "Nevada",
    "Vanishing chapter",
    "Draft chapter",
    "test-echo-unsigned",
    "test-foxtrot-draft",
]


@pytest.fixture(scope="module")
def site(request):
    def build(base):
        content = copy_content(base / "content")
        for slug, fields in {**STORIES, **HELD_BACK}.items():
            write_story(content, slug, **fields)
        return build_site(
            content,
            base / "output",
            settings_file="publishconf.py",
            SITEURL=SITE,
            SITE_PRODUCTION_URL=SITE,  # the public site: crawlers let in
            DEFAULT_PAGINATION=2,
            BROWSE_QUESTION_PAGINATION=1,
        )

    return built_once(request, build)


CARD = re.compile(r'class="story-card__title"><a href="([^"]+)"')


def _cards(html: str) -> list[str]:
    """Slugs of the story cards on a page, in order."""
    return [
        re.search(r"/stories/([^/]+)/$", url).group(1) for url in CARD.findall(html)
    ]


def _paged(output, folder: str) -> list[str]:
    """Story cards of a paginated listing, every page in order."""
    slugs = _cards((output / folder / "index.html").read_text())
    number = 2
    while (output / folder / "page" / str(number) / "index.html").is_file():
        slugs += _cards(
            (output / folder / "page" / str(number) / "index.html").read_text()
        )
        number += 1
    return slugs


def test_one_listing_sorted_by_the_date_its_cards_show(site):
    newest = _paged(site, "stories")
    oldest = _paged(site, "browse/oldest")
    # By the day recorded (bravo was recorded first, published last).
    assert newest == ["charlie", "delta", "alpha", "bravo"]
    assert oldest == newest[::-1]
    assert (site / "browse/oldest/page/2/index.html").is_file()
    first = (site / "stories/index.html").read_text()
    page = (site / "browse/oldest/index.html").read_text()
    assert f'href="{SITE}/browse/oldest/page/2/"' in page
    assert 'aria-current="page">Oldest first' in page
    assert 'aria-current="page">Newest first' in first
    # Every card shows its date and plays in place.
    for html, slugs in ((first, newest[:2]), (page, oldest[:2])):
        cards = html.split('<article class="story-card')[1:]
        assert len(cards) == 2
        dates = [
            re.search(r'Recorded <time datetime="([0-9-]+)">', card).group(1)
            for card in cards
        ]
        expected = [str(STORIES[slug]["date"]) for slug in slugs]
        assert dates == expected
        assert all("<audio controls" in card for card in cards)
    assert "March 1, 2019" in (site / "stories/page/2/index.html").read_text()
    # The old listing by recording date sends visitors on to the one listing.
    moved = (site / "browse/recorded/index.html").read_text()
    assert f'<meta http-equiv="refresh" content="0; url={SITE}/stories/">' in moved
    assert f'<link rel="canonical" href="{SITE}/stories/">' in moved
    # The canonical link alone: with "noindex" beside it, search engines may
    # drop both signals (Google's guidance on canonical links).
    assert "noindex" not in moved
    assert not (site / "browse/recorded/page").exists()


LEDE = re.compile(r'<p class="lede">([^<]*)</p>')
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def test_a_listing_gives_its_count_on_its_first_page_only(site):
    """Later pages say which page they are, not how many there are in all: a
    story published changes a listing's later pages only when their own
    stories move (at 10,000 stories, thousands of pages did for a count)."""

    def texts(page):
        html = (site / page / "index.html").read_text()
        return LEDE.search(html).group(1), DESCRIPTION.search(html).group(1)

    def title(page):
        html = (site / page / "index.html").read_text()
        return re.search(r"<title>([^<]*) · ", html).group(1)

    assert title("places/oklahoma") == "Recorded in Oklahoma"
    assert title("places/oklahoma/page/2") == "Recorded in Oklahoma, page 2"
    assert title("questions/parents/page/2").endswith(", page 2")
    assert not title("questions/parents").endswith(", page 2")

    lede, _ = texts("stories")
    assert lede.startswith("4 conversations between people")
    lede, _ = texts("stories/page/2")
    assert lede.startswith("Conversations between people on different sides")
    lede, description = texts("places/oklahoma")
    assert lede == "3 conversations, newest first."
    assert description.startswith("3 One Small Step conversations")
    lede, description = texts("places/oklahoma/page/2")
    assert lede == "Conversations, newest first."
    assert description == "One Small Step conversations: Recorded in Oklahoma, page 2."
    lede, description = texts("questions/parents")
    assert lede.startswith("2 answers from the conversations.")
    assert description.startswith("2 One Small Step conversations answer:")
    lede, description = texts("questions/parents/page/2")
    assert lede.startswith("Answers from the conversations.")
    assert description.endswith("(page 2)") and not re.search(r"\d+ One", description)


def test_a_story_at_the_end_of_a_listing_leaves_its_earlier_pages_alone(tmp_path):
    """Published after the others by recording date, a story joins the last
    page of the oldest-first listing; the pages before it keep their bytes
    and are not written again (only the first page's count changes)."""
    content = copy_content(tmp_path / "content")
    stories = {
        **STORIES,
        "golf": dict(
            title="Golf by the river",
            date=datetime.date(2021, 6, 1),
            location="Tulsa, Oklahoma",
            topics=["family"],
            relationship="strangers",
        ),
    }
    for slug, fields in stories.items():
        write_story(content, slug, **fields)
    output, cache = tmp_path / "output", tmp_path / "cache"
    settings = dict(DEFAULT_PAGINATION=2, **LEAN)
    build_site(content, output, cache_dir=cache, **settings)
    second = output / "browse/oldest/page/2/index.html"
    before = second.read_bytes(), second.stat().st_mtime_ns
    first = (output / "browse/oldest/index.html").read_text()
    assert LEDE.search(first).group(1).startswith("5 conversations")

    write_story(
        content,
        "hotel",
        title="Hotel lobby at dawn",
        date=datetime.date(2022, 6, 1),
        location="Austin, Texas",
        topics=["work"],
        relationship="strangers",
    )
    build_site(content, output, cache_dir=cache, **settings)
    assert _paged(output, "browse/oldest")[-2:] == ["golf", "hotel"]
    assert not (output / "browse/oldest/page/4").exists()  # still three pages
    assert (second.read_bytes(), second.stat().st_mtime_ns) == before
    first = (output / "browse/oldest/index.html").read_text()
    assert LEDE.search(first).group(1).startswith("6 conversations")


def test_a_story_published_in_a_state_leaves_its_neighbours_pages_alone(
    tmp_path, caplog
):
    """A story page links to every story recorded in its state without their
    number: a story published there (one the page does not show) leaves the
    pages of the state's other stories as they were, bytes and all, and not
    made again (at 10,000 stories some 500 pages a state)."""
    content = copy_content(tmp_path / "content")
    for slug, fields in STORIES.items():
        write_story(content, slug, **fields)
    output, cache = tmp_path / "output", tmp_path / "cache"
    # Alpha shows Delta as related and Bravo from her state; an older story
    # of Oklahoma, on a topic she has not, joins neither list.
    settings = dict(BROWSE_RELATED_MAX=1, BROWSE_PLACE_MAX=1, **LEAN)
    build_site(content, output, cache_dir=cache, **settings)
    alpha = output / "stories/alpha/index.html"
    before = alpha.read_bytes(), alpha.stat().st_mtime_ns
    link = re.compile(r'<a class="more-link" href="[^"]*/places/oklahoma/">([^<]*)</a>')
    assert link.search(before[0].decode()).group(1) == (
        "All conversations recorded in Oklahoma &rarr;"
    )
    assert "3 conversations" in (output / "places/oklahoma/index.html").read_text()

    write_story(
        content,
        "golf",
        title="Golf on the old course",
        date=datetime.date(2017, 4, 4),
        location="Enid, Oklahoma",
        topics=["golf"],
        relationship="strangers",
    )
    caplog.clear()
    with caplog.at_level("INFO"):
        build_site(content, output, cache_dir=cache, **settings)
    said = " ".join(record.getMessage() for record in caplog.records)
    assert "made the outputs of 1 story; kept those of 4" in said
    assert "4 conversations" in (output / "places/oklahoma/index.html").read_text()
    assert "golf" in _paged(output, "places/oklahoma")
    assert (alpha.read_bytes(), alpha.stat().st_mtime_ns) == before
    # The story alone in its state links to no listing of it.
    charlie = (output / "stories/charlie/index.html").read_text()
    assert "All conversations recorded in Texas" not in charlie


def test_search_page_offers_topics_questions_and_places_as_links(site):
    page = (site / "search/index.html").read_text()
    offered = page[page.index("data-search-suggestions") :]
    offered = offered[: offered.index("</section>")]
    links = re.findall(r'<a href="([^"]+)">([^<]+)', offered)
    hrefs = [href for href, _ in links]
    # Most stories first: family (alpha, bravo), rural life (alpha, delta).
    topics = [href for href in hrefs if "/topics/" in href]
    assert topics[:2] == [f"{SITE}/topics/family/", f"{SITE}/topics/rural-life/"]
    assert f"{SITE}/topics/work/" in topics
    assert f"{SITE}/questions/parents/" in hrefs
    assert f"{SITE}/places/oklahoma/" in hrefs and f"{SITE}/places/texas/" in hrefs
    assert hrefs.index(f"{SITE}/places/oklahoma/") < hrefs.index(
        f"{SITE}/places/texas/"
    )
    # Every link leads to a page of this build.
    for href in hrefs:
        assert (site / href.removeprefix(SITE + "/") / "index.html").is_file(), href


def test_places_group_by_state_then_city(site):
    places = (site / "places/index.html").read_text()
    assert places.index(">Oklahoma<") < places.index(">Texas<")
    # "Norman, OK" and "Tulsa, Oklahoma" are the same state.
    # Newest recorded first, the date on the cards (bravo: recorded first,
    # published last).
    assert _paged(site, "places/oklahoma") == ["delta", "alpha", "bravo"]
    assert (site / "places/oklahoma/page/2/index.html").is_file()
    assert sorted(_paged(site, "places/oklahoma/tulsa")) == ["alpha", "delta"]
    assert _paged(site, "places/oklahoma/norman") == ["bravo"]
    assert _paged(site, "places/texas/austin") == ["charlie"]
    assert sorted(p.name for p in (site / "places").iterdir() if p.is_dir()) == [
        "oklahoma",
        "texas",
    ]


def test_every_chip_says_what_its_number_counts(site):
    # "Oklahoma 3" was read as just that, a name and a number, on the
    # browse hub (topics, states, relationships) and the city chips.
    chip = re.compile(r'<span class="chip-count">(.*?)</span></a>')
    pages = ["browse", "places", "places/oklahoma", "topics", "search"]
    counts = [c for p in pages for c in chip.findall(_all_pages_text(site, p))]
    assert len(counts) > 10
    for count in counts:
        said = re.fullmatch(r'(\d+)<span class="visually-hidden"> (\w+)</span>', count)
        assert said, count
        # The word every count of stories uses on the site.
        assert said[2] == ("conversation" if said[1] == "1" else "conversations"), count


def test_topics_read_as_headings_do_and_counts_say_conversations(site):
    """Topics were lowercase ("rural life") beside capitalized places,
    relationships and filters, and the home page counted "All 4 stories"
    where the listing it leads to says "4 conversations"."""
    chip = re.compile(r'<a href="([^"]+)">([^<]+) <span class="chip-count">')
    for folder in ("topics", "browse", "search"):
        chips = dict(chip.findall((site / folder / "index.html").read_text()))
        assert chips[f"{SITE}/topics/family/"] == "Family", folder
        assert chips[f"{SITE}/topics/rural-life/"] == "Rural life", folder
    alpha = (site / "stories/alpha/index.html").read_text()
    topics = alpha[alpha.index('<ul class="tag-list">') :]
    topics = topics[: topics.index("</ul>")]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', topics) == [
        (f"{SITE}/topics/family/", "Family"),
        (f"{SITE}/topics/rural-life/", "Rural life"),
    ]
    # In a sentence a topic stays as written.
    family = (site / "topics/family/index.html").read_text()
    assert '<h1 class="page-title">Stories about family</h1>' in family
    home = (site / "index.html").read_text()
    assert "All 4 conversations &rarr;" in home or "All 4 conversations →" in home
    for page in site.rglob("*.html"):
        text = re.sub(r"<[^>]+>", "", page.read_text())
        assert not re.search(r"\b\d+ stor(y|ies)\b", text), page


def test_relationships_and_topics(site):
    assert _paged(site, "relationships/strangers") == ["alpha"]
    assert _paged(site, "relationships/family") == ["bravo"]
    assert _paged(site, "relationships/colleagues") == ["charlie"]
    assert _paged(site, "relationships/friends") == ["delta"]
    for empty in ("neighbors", "acquaintances"):
        assert not (site / "relationships" / empty).exists()
    hub = (site / "relationships/index.html").read_text()
    assert "Strangers matched by One Small Step" in hub
    # Multi-word topics get clean slugs.
    assert sorted(_paged(site, "topics/rural-life")) == ["alpha", "delta"]


def test_question_index_links_to_the_second_each_answer_starts(site):
    overview = (site / "questions/index.html").read_text()
    parents = _all_pages_text(site, "questions/parents")
    assert f'href="{SITE}/stories/alpha/#t=0:02"' in parents
    assert f'href="{SITE}/stories/charlie/#t=0:01"' in parents
    assert "Our parents" in parents and "Grandma’s kitchen" in parents
    assert "Ada Lopez and Ben Carter" in parents
    # One answer a page here: the question's own page is paginated.
    assert (site / "questions/parents/page/2/index.html").is_file()
    assert not (site / "questions/parents/page/3").exists()
    kindness = _all_pages_text(site, "questions/kindness")
    assert f'href="{SITE}/stories/bravo/#t=0:03"' in kindness
    # Its one answer: "The link starts", not "Each link starts".
    assert "1 answer from the conversations. The link starts the" in kindness
    assert "2 answers from the conversations. Each link starts the" in parents
    assert (
        f'href="{SITE}/stories/alpha/#t=0:00"'
        in (site / "questions/why-here/index.html").read_text()
    )
    # Questions nobody answered are listed, without a page of their own.
    assert "When do you first remember noticing politics?" in overview
    assert not (site / "questions/first-politics").exists()
    # The guide's order.
    assert overview.index("Why did you agree") < overview.index("Tell me about your")
    # Each answer's title is a heading under its question's, so a screen
    # reader moves answer to answer (they were paragraphs: a question's
    # page had no heading below its title).
    answer = re.compile(r'<h(\d) class="moment__title"><a [^>]*>Our parents</a>')
    assert answer.findall(overview) == ["3"]
    assert answer.findall(parents) == ["2"]


def _all_pages_text(site, folder: str) -> str:
    text = (site / folder / "index.html").read_text()
    number = 2
    while (site / folder / "page" / str(number) / "index.html").is_file():
        text += (site / folder / "page" / str(number) / "index.html").read_text()
        number += 1
    return text


def test_related_stories_share_topics_or_place(site):
    alpha = (site / "stories/alpha/index.html").read_text()
    related = alpha.split('id="related-heading"', 1)[1]
    # delta shares a topic and the city; bravo a topic and the state.
    assert _cards(related)[:2] == ["delta", "bravo"]
    assert "alpha" not in _cards(related)
    assert f'href="{SITE}/places/oklahoma/"' in related
    charlie = (site / "stories/charlie/index.html").read_text()
    assert 'id="related-heading"' not in charlie  # nothing in common


def test_held_back_stories_reach_no_browse_page_index_or_sitemap(site):
    assert_absent(site, *HELD_BACK_TRACES)
    text = index_text(site)
    for trace in HELD_BACK_TRACES:
        assert trace.lower() not in text, f"{trace!r} is in the search index"
    urls = sorted(page["url"] for page in indexed_pages(site))
    assert [url for url in urls if url.startswith("/stories/")] == [
        f"/stories/{slug}/" for slug in sorted(STORIES)
    ]


def test_search_index_fields_and_filters(site):
    pages = {page["url"]: page for page in indexed_pages(site)}
    alpha = pages["/stories/alpha/"]
    assert alpha["meta"]["title"] == "Alpha on the prairie"
    assert alpha["meta"]["participants"] == "Ada Lopez and Ben Carter"
    assert alpha["meta"]["place"] == "Tulsa, Oklahoma"
    # Every filter is a value of one Pagefind filter (search_fields.html).
    assert list(alpha["filters"]) == ["facet"]
    assert sorted(alpha["filters"]["facet"]) == [
        "featured:Featured",
        "relationship:Strangers matched by One Small Step",
        "state:Oklahoma",
        "topic:family",
        "topic:rural life",
        "year:2019",
    ]
    bravo = pages["/stories/bravo/"]["filters"]["facet"]
    assert "state:Oklahoma" in bravo and "featured:Featured" not in bravo
    # Summaries, places and participants are searchable text.
    assert "Two neighbours talk about alpha." in alpha["content"]
    assert "Ada Lopez" in alpha["content"] and "Tulsa, Oklahoma" in alpha["content"]
    # Published campaign pages are indexed; listings, browse pages, the home
    # and hidden pages (the thank-you page) are not.
    campaign = {url for url in pages if not url.startswith("/stories/")}
    assert campaign
    for url in campaign:
        html = (site / url.strip("/") / "index.html").read_text()
        assert '<main id="main" tabindex="-1" data-pagefind-body ' in html
    for url in ("/", "/stories/", "/browse/", "/places/", "/questions/", "/search/"):
        assert url not in pages


def test_sitemap_lists_public_pages_with_absolute_urls(site):
    sitemap = (site / "sitemap.xml").read_text()
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert all(loc.startswith(SITE + "/") for loc in locs)
    stories = sorted(
        loc for loc in locs if re.fullmatch(re.escape(SITE) + r"/stories/[a-z]+/", loc)
    )
    assert stories == [f"{SITE}/stories/{slug}/" for slug in sorted(STORIES)]
    for page in (
        "browse/",
        "places/oklahoma/",
        "questions/parents/",
        "topics/",
    ):
        assert f"{SITE}/{page}" in locs
    assert f"{SITE}/search/" not in locs
    # Campaign pages too: every page the search indexes is in the sitemap.
    for url in {page["url"] for page in indexed_pages(site)}:
        assert f"{SITE}{url}" in locs
    robots = (site / "robots.txt").read_text()
    assert robots.splitlines()[:2] == ["User-agent: *", "Allow: /"]
    assert f"Sitemap: {SITE}/sitemap.xml" in robots


def test_sitemap_dates_listings_by_the_newest_story_not_the_clock(site):
    # Listings and undated pages change when a story is added or edited:
    # their lastmod is the newest story's, so the same stories always make
    # the same sitemap (the plugin alone gives them the build's time).
    sitemap = (site / "sitemap.xml").read_text()
    dates = dict(
        re.findall(r"<loc>([^<]+)</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap)
    )
    story = re.compile(re.escape(SITE) + r"/stories/[a-z0-9-]+/")
    stories = [d for loc, d in dates.items() if story.fullmatch(loc)]
    assert len(stories) == len(STORIES)
    # A story's page changed the day it went public (published:, else its
    # approval), not the day it was recorded: delta, recorded in 2019, went
    # public with its approval in 2021, and every listing changed with it.
    assert dates[f"{SITE}/stories/delta/"].startswith("2021-03-03")
    assert dates[f"{SITE}/stories/bravo/"].startswith("2020-06-01")
    newest = max(stories, key=datetime.datetime.fromisoformat)
    assert newest.startswith("2021-03-03")
    for page in ("", "browse/", "topics/", "places/oklahoma/", "stories/"):
        assert dates[f"{SITE}/{page}"] == newest, page


def test_a_sitemap_over_the_limit_is_an_index_of_parts(site, tmp_path):
    """The protocol takes 50,000 URLs a file; past that (here, past 10) the
    sitemap is an index of parts that list every URL once, in order."""
    import lxml.etree

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    whole = lxml.etree.parse(str(site / "sitemap.xml"))
    urls = whole.xpath("//s:url", namespaces=ns)
    assert len(urls) > 25
    content = copy_content(tmp_path / "content")
    for slug, fields in {**STORIES, **HELD_BACK}.items():
        write_story(content, slug, **fields)
    output = build_site(
        content,
        tmp_path / "output",
        settings_file="publishconf.py",
        SITEURL=SITE,
        SITE_PRODUCTION_URL=SITE,
        DEFAULT_PAGINATION=2,
        BROWSE_QUESTION_PAGINATION=1,
        SITEMAP_MOST_URLS=10,
        **LEAN,
    )
    index = lxml.etree.parse(str(output / "sitemap.xml"))
    assert index.getroot().tag == f"{{{ns['s']}}}sitemapindex"
    parts = index.xpath("//s:sitemap/s:loc/text()", namespaces=ns)
    count = -(-len(urls) // 10)  # parts of 10, the last one shorter
    assert parts == [f"{SITE}/sitemap-{n}.xml" for n in range(1, count + 1)]
    listed, newest = [], []
    for loc in parts:
        part = lxml.etree.parse(str(output / loc.removeprefix(SITE + "/")))
        entries = part.xpath("//s:url", namespaces=ns)
        assert 0 < len(entries) <= 10
        listed += [u.findtext("s:loc", namespaces=ns) for u in entries]
        newest.append(
            max(
                (u.findtext("s:lastmod", namespaces=ns) for u in entries),
                key=datetime.datetime.fromisoformat,
            )
        )
    assert listed == [u.findtext("s:loc", namespaces=ns) for u in urls]
    assert index.xpath("//s:sitemap/s:lastmod/text()", namespaces=ns) == newest
    assert f"Sitemap: {SITE}/sitemap.xml" in (output / "robots.txt").read_text()


def test_development_robots_names_no_relative_sitemap(sample_site):
    robots = (sample_site / "robots.txt").read_text()
    assert "User-agent: *" in robots and "Sitemap:" not in robots


def test_preview_builds_keep_crawlers_and_sitemap_away_from_held_back(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "alpha", **STORIES["alpha"])
    write_story(content, "echo", **HELD_BACK["echo"])
    output = build_site(content, tmp_path / "out", STORY_PREVIEW=True)
    assert "Disallow: /" in (output / "robots.txt").read_text()
    sitemap = (output / "sitemap.xml").read_text()
    assert "stories/alpha/" in sitemap and "stories/echo/" not in sitemap
    # The preview shows the held-back story, but never indexes it.
    assert "zebraquokka" not in index_text(output)


def test_a_failed_build_leaves_nothing_in_the_next_sitemap(tmp_path):
    broken = copy_content(tmp_path / "broken")
    write_story(broken, "broken-story", chapters=_chapters(("0:01", "Kind", "kindnes")))
    with pytest.raises(StoryContentError):
        build_site(
            broken, tmp_path / "broken-out", settings_file="publishconf.py", **LEAN
        )
    content = copy_content(tmp_path / "content")
    write_story(content, "alpha", **STORIES["alpha"])
    output = build_site(
        content, tmp_path / "out", settings_file="publishconf.py", **LEAN
    )
    sitemap = (output / "sitemap.xml").read_text()
    assert "stories/alpha/" in sitemap and "broken" not in sitemap


def test_unknown_question_key_is_an_error_with_a_suggestion(tmp_path, caplog):
    content = copy_content(tmp_path / "content")
    write_story(
        content,
        "typo",
        chapters=_chapters(("0:00", "Start", "why-here"), ("0:02", "Kind", "kindnes")),
    )
    output = build_site(content, tmp_path / "out", **LEAN)
    messages = [record.getMessage() for record in caplog.records]
    problem = next(m for m in messages if "kindnes'" in m)
    assert "content/stories/typo/story.md:" in problem
    assert "chapters.1.question" in problem
    assert "did you mean 'kindness'?" in problem
    assert not (output / "stories" / "typo").exists()
    with pytest.raises(StoryContentError, match="did you mean 'kindness'"):
        build_site(content, tmp_path / "strict", settings_file="publishconf.py", **LEAN)


def test_questions_line_number_points_at_the_key(tmp_path, caplog):
    content = copy_content(tmp_path / "content")
    write_story(content, "typo", chapters=_chapters(("0:01", "Kind", "kindnes")))
    build_site(content, tmp_path / "out", **LEAN)
    text = (content / "stories/typo/story.md").read_text().splitlines()
    problem = next(
        r.getMessage() for r in caplog.records if "kindnes'" in r.getMessage()
    )
    line = int(re.search(r"story\.md:(\d+):", problem).group(1))
    assert "question: kindnes" in text[line - 1]


def test_every_file_of_the_build_is_public_content(site):
    # A last sweep: nothing names the held-back folders, in any file.
    for name in output_files(site):
        assert "echo" not in name and "foxtrot" not in name
