"""The site's vocabulary (plugins/site_search/vocabulary.py): every word
Pagefind indexes on a page, and none of what it leaves out."""

from __future__ import annotations

import pytest
from site_search import settings, vocabulary

from tests.pagefind_index import indexed_pages
from tests.support import build_site, copy_content

EXCLUDE = tuple(settings.DEFAULTS["SITE_SEARCH_EXCLUDE_SELECTORS"])

PAGE = """<!doctype html><html lang="en"><head><title>headword</title>
<script type="application/ld+json">{"contentUrl": "https://x.org/a-1f2e.mp3"}</script>
</head><body><nav>navword</nav><p>outsideword</p>
<main data-pagefind-body>
<h1>Kept <em>to</em>gether</h1>
<p>Plain &amp; simple words, “quoted”.</p>
<figure class="player"><audio src="https://x.org/a-1f2e.mp3"></audio>
<a href="https://x.org/a-1f2e.mp3">playerword</a></figure>
<div class="share"><div class="player">nestedword</div>shareword</div>
<a href="https://x.org/a-1f2e.mp3" data-size="4 > 3">Download it</a>
<img src="cover.png" alt="altword">
<span data-pagefind-index-attrs="title" title="titleword">after</span>
<div data-pagefind-ignore>ignoredword</div>
<form><label>formword</label></form>
<p class="turn__time">0:13<span class="visually-hidden">playfromword</span></p>
</main><footer>footerword</footer></body></html>
"""


def test_a_page_gives_the_words_pagefind_indexes_and_no_others(tmp_path):
    path = tmp_path / "index.html"
    path.write_text(PAGE, encoding="utf-8")
    words = vocabulary.words_of(str(path), EXCLUDE)
    # Inline elements join the text around them; both readings are kept.
    for word in ["kept", "to", "gether", "together", "plain", "simple", "words"]:
        assert word in words
    assert {"quoted", "download", "it", "titleword", "after", "0:13"} <= words
    # Attributes are no text: the audio's address (which changes with the
    # audio) is not a word, nor anything Pagefind leaves out.
    left_out = {
        "headword",
        "navword",
        "outsideword",
        "playerword",
        "nestedword",
        "shareword",
        "altword",
        "ignoredword",
        "formword",
        "footerword",
        "playfromword",
    }
    assert not words & left_out
    assert not [word for word in words if "x.org" in word or ">" in word]


def test_every_word_pagefind_indexed_on_the_sample_site_is_known(sample_site):
    """Checked against Pagefind itself: the words of each page it indexed
    (its fragment's text) are all in the page's vocabulary."""
    checked = 0
    for page in indexed_pages(sample_site):
        path = sample_site / page["url"].lstrip("/") / "index.html"
        if not path.is_file():
            continue  # the vocabulary page of a part (not in the site)
        known = vocabulary.words_of(str(path), EXCLUDE)
        indexed = {
            word.strip(vocabulary._EDGE_PUNCTUATION)
            for word in page["content"].lower().split()
        } - {""}
        assert indexed <= known, (page["url"], sorted(indexed - known)[:10])
        checked += 1
    assert checked >= 10  # the stories and the campaign pages


def test_a_selector_that_is_no_css_stops_the_build_before_any_work(tmp_path):
    content = copy_content(tmp_path / "content")
    with pytest.raises(ValueError, match=r"'\.a\[\[' is not a CSS selector"):
        build_site(content, tmp_path / "output", SITE_SEARCH_EXCLUDE_SELECTORS=[".a[["])
    assert not (tmp_path / "output" / "index.html").exists()


def test_an_attribute_named_to_index_is_read_even_when_empty(tmp_path):
    path = tmp_path / "index.html"
    path.write_text(
        "<main data-pagefind-body><p data-pagefind-index-attrs>one</p>"
        '<img data-pagefind-index-attrs="alt, title" alt="two" title="three">'
        "</main>",
        encoding="utf-8",
    )
    assert {"one", "two", "three"} <= vocabulary.words_of(str(path))
