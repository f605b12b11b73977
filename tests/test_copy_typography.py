"""The site's copy as visitors read it: curly quotes and apostrophes, real
ellipses, US spelling.

Templates, content pages (Markdown through Python-Markdown's smarty
extension), data files and the sample stories all reach the built pages, so
the check reads the visible text of every page of the sample site: text
nodes outside code, and the attributes people hear or see (alt, title,
aria-label, placeholder, the description and share titles)."""

from __future__ import annotations

import re

import lxml.html
import pytest

# Straight quotes and three dots are typewriter stand-ins in prose.
STRAIGHT = re.compile(r"""["']|\.\.\.""")
# British spellings (and stems) the copy must not use; US spelling throughout.
BRITISH = re.compile(
    r"\b(?:colour|favourite|behaviour|neighbour|honour|labour|centre|theatre|"
    r"metre|programme|catalogue|licence|defence|travelled|cancelled|"
    r"judgement|whilst|amongst|learnt|jewellery|grey|"
    r"(?:organi|recogni|reali|apologi|summari|criti|minimi|maximi|priori|"
    r"authori|customi|personali|categori|memori|optimi|utili|standardi|"
    r"emphasi|analy)s(?:e|es|ed|ing|ation|ations))\b",
    re.IGNORECASE,
)
# Not prose: code, and what people type.
NOT_PROSE = "//script|//style|//code|//pre|//kbd|//samp|//textarea|//template"
SPOKEN_ATTRIBUTES = (
    "//@alt|//@title|//@aria-label|//@placeholder"
    "|//meta[@name='description']/@content"
    "|//meta[@property='og:title' or @property='og:description']/@content"
)


def visible_text(html: bytes) -> list[str]:
    tree = lxml.html.fromstring(html)
    for node in tree.xpath(NOT_PROSE):
        node.drop_tree()
    return [
        str(text) for text in tree.xpath("//text()") + tree.xpath(SPOKEN_ATTRIBUTES)
    ]


def copy_problems(html: bytes) -> list[str]:
    """Each straight quote, "..." or British spelling, with its context."""
    problems = []
    for text in visible_text(html):
        for pattern, what in ((STRAIGHT, "typewriter"), (BRITISH, "British")):
            for found in pattern.finditer(text):
                around = text[max(0, found.start() - 30) : found.end() + 30]
                problems.append(
                    f"{what} {found.group()!r} in {' '.join(around.split())!r}"
                )
    return problems


def test_the_check_finds_typewriter_quotes_and_british_spelling():
    html = (
        b'<html><head><title>It\'s "here"...</title>'
        b'<meta name="description" content="Our favourite"></head>'
        b"<body><p>The colour of '<em>our</em>' street</p>"
        b'<p alt="x">Let\xe2\x80\x99s go \xe2\x80\x9chome\xe2\x80\xa6\xe2\x80\x9d</p>'
        b"<code>don't \"flag\" code...</code><script>var a = 'b';</script>"
        b"<p>We organized a program at the center.</p></body></html>"
    )
    found = sorted(problem.split(" in ")[0] for problem in copy_problems(html))
    # The title's ', " x2 and ...; the paragraph's ' x2; two British words.
    # Nothing from the curly text, the code or the script; US spelling passes.
    assert found == sorted(
        ['typewriter "\'"'] * 3
        + ["typewriter '\"'"] * 2
        + ["typewriter '...'", "British 'colour'", "British 'favourite'"]
    )


def test_every_page_uses_typographic_quotes_and_us_spelling(sample_site):
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) > 30
    found = []
    for page in pages:
        if "admin" in page.relative_to(sample_site).parts:
            continue  # the editing UI is Decap CMS's page, not our copy
        for problem in copy_problems(page.read_bytes()):
            found.append(f"{page.relative_to(sample_site)}: {problem}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "markdown, html",
    [
        ('It\'s "ours"...', "It’s “ours”…"),
        ("The '90s -- and 'then'", "The ’90s – and ‘then’"),
    ],
)
def test_markdown_pages_are_typeset_by_the_configured_smarty(markdown, html):
    import markdown as python_markdown

    import pelicanconf

    config = pelicanconf.MARKDOWN
    assert "markdown.extensions.smarty" in config["extension_configs"]
    rendered = python_markdown.markdown(
        markdown,
        extensions=list(config["extension_configs"]),
        extension_configs=config["extension_configs"],
        output_format=config["output_format"],
    )
    # smarty writes entities; the browser shows the characters.
    assert lxml.html.fromstring(rendered).text_content() == html


@pytest.fixture(scope="module")
def one_story_site(request):
    """A site of one story, its front matter typed with straight quotes."""
    from tests.stories import write_story
    from tests.support import LEAN, build_site, built_once, copy_content

    def build(base):
        content = copy_content(base / "content")
        write_story(
            content,
            "straight-quotes",
            title='We don\'t "agree"',
            summary='Ruth\'s neighbor asked, "Why?"...',
            participants=[
                {"name": "Pat O'Neil", "description": "a 'lifelong' farmer"},
                {"name": "Ben Carter", "description": "union electrician"},
            ],
            chapters=[{"start": "0:00", "title": "What's home"}],
        )
        return build_site(content, base / "output", **LEAN)

    return built_once(request, build)


def test_an_editors_straight_quotes_are_made_curly_but_names_stay_exact(
    one_story_site,
):
    """Front matter is not Markdown: typed quotes are made typographic for
    the page and the feed, while names (matched against the transcript's
    voice tags) are left exactly as typed."""
    from portal.typography import curly

    output = one_story_site
    page = (output / "stories" / "straight-quotes" / "index.html").read_bytes()
    text = " ".join(visible_text(page))
    for typed in ('We don\'t "agree"', "Ruth's neighbor", "'lifelong'", "What's home"):
        assert typed not in text
        assert curly(typed) in text
    assert "Ruth’s neighbor asked, “Why?”…" in text
    assert "Pat O'Neil" in text and "Pat O’Neil" not in text
    feed = (output / "podcast.xml").read_text(encoding="utf-8")
    assert "<title>We don’t “agree”</title>" in feed


def test_a_site_of_one_story_counts_it_as_one(one_story_site):
    """A campaign's first story: the home page led on to "All 1
    conversation", and the listings put one story "newest first"."""

    def lede(path):
        html = (one_story_site / path / "index.html").read_bytes()
        [text] = lxml.html.fromstring(html).xpath("//p[@class='lede']")
        return " ".join(text.text_content().split())

    home = lxml.html.fromstring((one_story_site / "index.html").read_bytes())
    [more] = home.xpath("//a[@class='more-link']")
    assert more.text_content() == "1 conversation so far →"
    listing = "1 conversation between people on different sides of the political"
    listing += " divide."  # with no order to tell
    assert lede("stories") == lede("browse/oldest") == listing
    for path in ("topics/family", "places/oklahoma", "places/oklahoma/tulsa"):
        assert lede(path) == "1 conversation.", path
    # After the relationship's own description.
    assert lede("relationships/strangers").endswith(". 1 conversation.")
    hub = lede("browse")
    assert hub.startswith("1 recorded conversation between people"), hub
    assert "Find it by what the two talk about, where it was recorded" in hub
    assert hub.endswith("the question of the guide it answers.")
    for page in one_story_site.rglob("*.html"):
        text = " ".join(" ".join(visible_text(page.read_bytes())).split())
        assert not re.search(r"\bAll 1 \w|\b1 \w+,? (newest|oldest)", text), page


def test_a_site_of_no_story_yet_offers_no_empty_listing(tmp_path):
    """Before the first story the home page said "All 0 conversations"."""
    from tests.support import LEAN, build_site, copy_content

    output = build_site(copy_content(tmp_path / "content"), tmp_path / "out", **LEAN)
    home = lxml.html.fromstring((output / "index.html").read_bytes())
    [featured] = home.xpath("//section[@aria-labelledby='featured-heading']")
    assert "New conversations are on their way." in featured.text_content()
    assert not featured.xpath(".//a[@class='more-link']")
    listing = lxml.html.fromstring((output / "stories" / "index.html").read_bytes())
    [lede] = listing.xpath("//p[@class='lede']")
    assert (
        lede.text_content() == "No conversations yet: the first ones are on their way."
    )
