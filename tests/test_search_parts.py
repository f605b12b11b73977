"""A site indexed in parts (plugins/site_search/parts.py) searches as one.

The sample site is built with two indexed pages a part, so its 7 stories
and campaign pages make several Pagefind bundles merged in the browser.
Each sample story's transcript has a word no other one has: each must find
exactly its story, as with one index (a part without the word must not fall
back to shorter words: "thermos" would find every page with "the")."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
from site_search import ahead, indexer, parts, settings
from site_search.ahead import ALWAYS
from site_search.plugin import PARTS_STORE

from portal import devserver
from portal.file_hashes import FileHashes
from tests.pagefind_index import indexed_pages
from tests.support import (
    CONTENT,
    PROJECT_ROOT,
    build_as_dev,
    build_site,
    built_once,
    copy_content,
    images_shared,
)
from tests.test_search_browser import (
    HELD_BACK_WORDS,
    UNIQUE_WORDS,
    result_count,
    search,
)

PER_PART = 2


@pytest.fixture(scope="module")
def parted_site(request):
    def build(base):
        with images_shared(base / "cache"):  # the sample build's pictures
            return build_site(
                CONTENT,
                base / "output",
                cache_dir=base / "cache",
                SITE_SEARCH_PART_PAGES=PER_PART,
                PRECOMPRESS=False,
            )

    return built_once(request, build)


@pytest.fixture(scope="module")
def parted_server(parted_site):
    with devserver.running(parted_site) as url:
        yield url


def test_the_index_is_written_in_parts_of_at_most_the_setting(parted_site):
    bundle = parted_site / "pagefind"
    manifest = json.loads((bundle / "parts.json").read_text())
    parts = [manifest["main"], *manifest["merge"]]
    # Each part's folder is named by what it indexed (a kept part keeps its
    # place); none is behind in a first build.
    assert all(re.fullmatch(r"part-[0-9a-f]{16}/", part) for part in parts)
    assert sorted(p.name + "/" for p in bundle.iterdir() if p.is_dir()) == sorted(parts)
    assert "behind" not in manifest and "words" not in manifest
    assert len(parts) >= 6
    pages = indexed_pages(parted_site)
    real = [p for p in pages if p["url"] != "/_site-search-vocabulary/"]
    assert len(real) >= len(parts)  # stories and campaign pages
    for folder in parts:
        fragments = list((bundle / folder / "fragment").glob("*.pf_fragment"))
        # Each part: its pages and the hidden vocabulary page.
        assert 2 <= len(fragments) <= PER_PART + 1, folder
        assert (bundle / folder / "pagefind-entry.json").is_file()
    urls = [p["url"] for p in real]
    assert len(urls) == len(set(urls)), "a page was indexed in two parts"
    assert "/stories/common-ground/" in urls
    # The staging copies and the hidden page never reach the site itself.
    assert not (parted_site / "_site-search-vocabulary").exists()
    assert not list(parted_site.parent.glob(".site-search-*"))


def test_hosts_keep_every_file_of_a_part_a_year(parted_site):
    """A part's folder is named by what made it, so nothing in it ever
    changes: Netlify and Cloudflare Pages (reading _headers) and the S3
    deploy keep each of its files a year, and a second search does not ask
    for them again. The bundle's own files (its list of parts) revalidate."""
    from portal.deploy import s3
    from portal.outputs import CACHE_FOR_A_YEAR
    from tests import host_headers

    file_rules = host_headers.rules((parted_site / "_headers").read_text())
    bundle = parted_site / "pagefind"
    in_parts = 0
    for path in sorted(bundle.rglob("*")):
        if not path.is_file() or path.suffix in (".gz", ".br"):
            continue
        relative = path.relative_to(parted_site).as_posix()
        in_a_part = path.parent != bundle
        in_parts += in_a_part
        expected = [CACHE_FOR_A_YEAR] if in_a_part else []
        for host in host_headers.HOSTS:
            headers = host_headers.headers_for(file_rules, "/" + relative, host)
            cache = [value for name, value in headers if name == "Cache-Control"]
            assert cache == expected, (host, relative)
        assert (s3.cache_control(relative) == s3.CACHE_LONG) == in_a_part, relative
    assert in_parts > 6 * 5  # entry, script, index, filter, fragments: each part


def test_a_single_index_has_no_parts(sample_site):
    manifest = json.loads((sample_site / "pagefind" / "parts.json").read_text())
    assert manifest == {"main": "", "merge": []}
    assert (sample_site / "pagefind" / "pagefind.js").is_file()
    assert all(
        p["url"] != "/_site-search-vocabulary/" for p in indexed_pages(sample_site)
    )


@pytest.mark.parametrize("word,slug", sorted(UNIQUE_WORDS.items()))
def test_every_unique_word_finds_exactly_its_story_across_parts(
    page, parted_server, word, slug
):
    results = search(page, parted_server, word)
    assert len(results) == 1, [r.text_content() for r in results]
    link = results[0].query_selector(".search-result__title a").get_attribute("href")
    assert link.rstrip("/").endswith(f"/stories/{slug}")
    moment = results[0].query_selector("a.search-moment__play")
    assert f"/stories/{slug}/#t=" in moment.get_attribute("href")


def test_the_hidden_vocabulary_page_is_never_a_result(page, parted_server):
    # A word every part's vocabulary page holds, and common words.
    for words in ("family", "the", "elk hunting"):
        for result in search(page, parted_server, words):
            link = result.query_selector(".search-result__title a")
            assert "vocabulary" not in link.get_attribute("href")
            assert "Vocabulary" not in result.text_content()


@pytest.mark.parametrize("word", HELD_BACK_WORDS[:3])
def test_held_back_stories_are_never_found_across_parts(page, parted_server, word):
    for result in search(page, parted_server, word):
        assert word.lower() not in result.text_content().lower()


def test_counts_and_filters_match_a_single_index(page, parted_server, site_server):
    search(page, site_server, "family")
    single = result_count(page)
    search(page, parted_server, "family")
    assert result_count(page) == single >= 3
    page.check("input[name=topic][value=guns]")
    page.wait_for_function(
        "() => document.querySelectorAll('.search-result').length === 1"
    )
    titles = [r.text_content() for r in page.query_selector_all(".search-result h3")]
    assert titles == ["Common Ground"]
    page.goto(f"{parted_server}/search/?featured=Featured")
    page.wait_for_function(
        "() => /^\\d+ /.test(document.querySelector('[data-search-status]')"
        ".textContent)"
    )
    assert result_count(page) == 3


def test_a_search_fetches_one_filter_file_a_part(browser, parted_site):
    """The filters are values of one Pagefind filter: each part has one
    file of them, which the search page fetches as it lists the filters
    with their counts (five files a part when each filter was its own)."""
    sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
    import search_cost

    manifest = _manifest(parted_site)
    (result,) = search_cost.measure(
        browser, parted_site, "https://parts.example", ["family"]
    )
    assert result["parts"] == 1 + len(manifest["merge"]) >= 6
    assert result["by_kind"]["pf_filter"][0] == result["parts"]
    for part in [manifest["main"], *manifest["merge"]]:
        assert len(list((parted_site / "pagefind" / part / "filter").iterdir())) == 1


def _manifest(output) -> dict:
    return json.loads((output / "pagefind" / "parts.json").read_text())


def _story_pages(site, count: int, html: str) -> None:
    """``count`` pages ``story-<n>/index.html`` in ``site``: ``html`` with
    the page's number for ``{}``."""
    for number in range(count):
        page = site / f"story-{number}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(html.format(number))


def _part_dates(output) -> dict[str, int]:
    bundle = output / "pagefind"
    return {
        folder.name: (folder / "pagefind-entry.json").stat().st_mtime_ns
        for folder in bundle.glob("part-*")
    }


def _files_changed_at(output) -> dict[str, tuple[int, bytes]]:
    """Each page's and search file's ctime and bytes."""
    files = [*output.rglob("*.html"), *output.glob("pagefind/*/*.*")]
    return {
        str(path): (path.stat().st_ctime_ns, path.read_bytes())
        for path in files
        if path.is_file()
    }


def _parted_copy(parted_site, base):
    """The sample content, with ``parted_site``'s output and cache copied
    beside it (``cp -a``: the output's files stay links to the cache's, as
    the build left them), as if built there: its content, output, cache."""
    content = copy_content(base / "content", stories=True)
    subprocess.run(
        ["cp", "-a", parted_site, parted_site.parent / "cache", base], check=True
    )
    return content, base / "output", base / "cache"


def _build(content, output, cache, **settings):
    return build_site(
        content,
        output,
        cache_dir=cache,
        SITE_SEARCH_PART_PAGES=PER_PART,
        PRECOMPRESS=False,
        DELETE_OUTPUT_DIRECTORY=False,
        **settings,
    )


def test_a_rebuild_indexes_again_only_the_parts_that_changed(parted_site, tmp_path):
    content, output, cache = _parted_copy(parted_site, tmp_path)
    first = _part_dates(output)
    assert len(first) >= 6
    # Which pages' bytes carry the marker, kept for the next build: every
    # indexed page's among them.
    state = json.loads((cache / "site_search.parts.json").read_text())
    assert sum(state["markers"].values()) == sum(
        len(part["pages"]) for part in state["parts"]
    )

    # Nothing changed: no part is indexed again.
    _build(content, output, cache)
    assert _part_dates(output) == first

    # Every page written anew with the same bytes (a fresh checkout of the
    # content, an output restored with new mtimes): still none.
    for page in output.rglob("*.html"):
        page.write_bytes(page.read_bytes())
    _build(content, output, cache)
    assert _part_dates(output) == first

    # Settings that shape the index changed: every part is indexed again.
    _build(content, output, cache, SITE_SEARCH_EXCLUDE_SELECTORS=[".no-such-thing"])
    assert not set(_part_dates(output)) & set(first)
    _build(content, output, cache)
    first = _part_dates(output)

    # One story's introduction gains a sentence of words the site has
    # (from the vocabulary): only its part is indexed again.
    known = next(
        p["content"].split()
        for p in indexed_pages(output)
        if p["url"] == "/_site-search-vocabulary/"
    )
    sentence = " ".join(w for w in known if w.isalpha() and len(w) > 6)[-60:]
    sentence = sentence.split(" ", 1)[1]  # whole words only
    story = content / "stories" / "common-ground" / "story.md"
    story.write_text(
        story.read_text(encoding="utf-8") + f"\n{sentence}.\n", encoding="utf-8"
    )
    before = _files_changed_at(output)
    _build(content, output, cache)
    second = _part_dates(output)
    again = sorted(set(second) - set(first))
    assert len(again) == 1 and len(second) == len(first), again
    assert all(second[name] == first[name] for name in set(first) & set(second))
    # Indexing touched no file it did not write: the other parts' files
    # are not linked again, nor the pages staged for Pagefind (either would
    # change their ctime, and every content hash remembered for them).
    after = _files_changed_at(output)
    touched = {
        path
        for path, (changed, data) in before.items()
        if path in after
        and after[path] != (changed, data)
        and after[path][1] == data
        and f"/pagefind/{again[0]}/" not in path
    }
    assert not touched, sorted(touched)[:5]
    home = indexed_pages(output, bundle=f"pagefind/{again[0]}")
    assert "/stories/common-ground/" in {p["url"] for p in home}
    assert sentence in json.dumps(home).lower()
    assert "behind" not in _manifest(output)

    # A word the site never had: only its story's part is indexed again.
    # The others keep the vocabulary they had and are listed as behind,
    # with how many words they know; the whole vocabulary is an index of
    # its own, for the search page (test_parts_behind_search_as_one_index).
    story.write_text(
        story.read_text(encoding="utf-8") + "\nThey found a zeppelin.\n",
        encoding="utf-8",
    )
    _build(content, output, cache)
    third = _part_dates(output)
    again = sorted(set(third) - set(second))
    assert len(again) == 1 and len(third) == len(second), again
    manifest = _manifest(output)
    assert manifest["main"] == f"{again[0]}/"
    total = len(known) + 1
    assert manifest["behind"] == {
        f"{name}/": total - 1 for name in third if name != again[0]
    }
    words = indexed_pages(output, bundle=manifest["words"].join(["pagefind/", ""]))
    assert [p["word_count"] for p in words] == [total]
    assert words[0]["content"].split()[-1].rstrip(".") == "zeppelin"
    vocabulary = [
        p for p in indexed_pages(output) if p["url"] == "/_site-search-vocabulary/"
    ]
    assert sum("zeppelin" in p["content"] for p in vocabulary) == 2  # part, words

    # Nothing changed again: the parts behind stay as they are.
    _build(content, output, cache)
    assert _part_dates(output) == third
    assert _manifest(output) == manifest

    # A fresh output with the cache folder restored (a build made aside, a
    # fresh clone in the publish workflow): every part comes from the cache.
    fresh = tmp_path / "fresh"
    _build(content, fresh, cache)
    assert _part_dates(fresh) == third
    for name in third:
        entry = f"pagefind/{name}/pagefind-entry.json"
        assert (fresh / entry).samefile(output / entry)

    # A part the cache holds damaged (a file cut off) is indexed again.
    store = cache / "site_search_parts"
    damaged = next(store.glob("*/pagefind-entry.json"))
    damaged.write_bytes(damaged.read_bytes()[:10])
    again = tmp_path / "again"
    _build(content, again, cache)
    entries = [
        json.loads(p.read_text())
        for p in again.glob("pagefind/part-*/pagefind-entry.json")
    ]
    assert len(entries) == len(third)
    assert all(json.loads(p.read_text()) for p in store.glob("*/pagefind-entry.json"))


@pytest.fixture(scope="module")
def grown_servers(parted_site, tmp_path_factory):
    """The parted sample site after one story gained a word the site never
    had ("thermostat", whose stem starts with that of "thermos", a word of
    another story): indexed in parts, most of them behind; and the same
    content in one index, to compare with."""
    content, output, cache = _parted_copy(parted_site, tmp_path_factory.mktemp("grown"))
    base = output.parent
    story = content / "stories" / "common-ground" / "story.md"
    story.write_text(
        story.read_text(encoding="utf-8")
        + "\nThey argued about the thermostat, then agreed.\n",
        encoding="utf-8",
    )
    _build(content, output, cache)
    single = build_site(content, base / "single", cache_dir=cache, PRECOMPRESS=False)
    with devserver.running(output) as parted, devserver.running(single) as one:
        yield output, parted, one


def _count_and_shown(page, results) -> tuple[int, list[str]]:
    """How many results, and which when they fit on the first page (parts
    rank a little differently from one index: each scores its own pages)."""
    links = [r.query_selector(".search-result__title a") for r in results]
    count = result_count(page)
    shown = sorted(link.get_attribute("href") for link in links)
    return count, shown if count <= len(shown) else []


def _found_in_both(tabs, bases, searches) -> dict[str, list[tuple[int, list[str]]]]:
    """``_count_and_shown`` of each of ``searches`` (words) on each site of
    ``bases``: every search in a page of its own (``tabs``, one a site and
    search), all side by side; each tab opens the search page and types
    the words, as tests.test_search_browser.search does. (Two tabs taking
    the searches in turn waited for each search page to load and answer.)"""
    opened = []
    for words in searches:
        for base in bases:
            tab = tabs[len(opened)]
            tab.goto(f"{base}/search/", wait_until="commit")
            opened.append((tab, words))
    for tab, words in opened:
        tab.wait_for_load_state("load")
        tab.wait_for_selector("[data-search-ui]:not([hidden])")
        tab.fill("#search-q", words)
        tab.press("#search-q", "Enter")
    found = {words: [] for words in searches}
    for tab, words in opened:
        tab.wait_for_function(
            "w => document.querySelector('[data-search-status]').textContent"
            ".includes(w)",
            arg=words,
        )
        found[words].append(
            _count_and_shown(tab, tab.query_selector_all(".search-result"))
        )
    return found


def test_parts_behind_search_as_one_index(page, grown_servers):
    output, parted, single = grown_servers
    manifest = _manifest(output)
    # The story with "thermos" is in a part that is behind: it was not
    # indexed again, and never learned "thermostat".
    behind = [
        name
        for name in manifest["behind"]
        if "/stories/i-try-to-not-bring-up-politics/"
        in {p["url"] for p in indexed_pages(output, f"pagefind/{name}")}
    ]
    assert behind, "the thermos story's part was indexed again"
    left_out = ("thermostat", "thermost", "Thermostat agreed")
    answered = ("thermos", "therm", "family", "the", "elk hunting")
    # The parted site in one tab, the single index in another, for each
    # search: all of them side by side.
    searches = left_out + answered
    tabs = [page] + [page.context.new_page() for _ in range(2 * len(searches) - 1)]
    found = _found_in_both(tabs, [parted, single], searches)
    # Left alone, that part falls back from "thermostat" to "thermo" and
    # finds the thermos story; the search page leaves its answer out.
    for words in left_out:
        in_parts, in_one = found[words]
        assert in_parts == in_one
        assert in_parts[0] == 1, words
    # A term that also finds words the part knows is answered by it.
    for words in answered:
        in_parts, in_one = found[words]
        assert in_parts == in_one, words
        if words == "thermos":
            assert in_parts[0] == 2
    # Filters and their counts too.
    search(page, parted, "thermostat")
    page.wait_for_selector("input[name=topic][value=guns]")
    count = page.text_content("input[name=topic][value=guns] ~ .search-filter__count")
    assert count == "1 conversation"  # "1" seen, the word heard (search.js)


def test_pages_seen_before_are_not_read_again_for_the_marker(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "story").mkdir(parents=True)
    (site / "story" / "index.html").write_text("<main data-pagefind-body>Hi</main>")
    (site / "embed.html").write_text("<p>A player, not indexed</p>")
    bundle = str(site / "pagefind")
    hashes = FileHashes(None)
    pages, markers = parts.indexed_pages(str(site), bundle, hashes)
    assert pages == ["story/index.html"]
    assert sorted(markers.values()) == [False, True]

    read = []
    has_marker = parts._has_marker
    monkeypatch.setattr(
        parts, "_has_marker", lambda path: read.append(path) or has_marker(path)
    )
    assert parts.indexed_pages(str(site), bundle, hashes, markers) == (
        pages,
        markers,
    )
    assert read == []

    # New bytes are read: the embed page now carries the marker.
    (site / "embed.html").write_text("<main data-pagefind-body>Now</main>")
    again, _ = parts.indexed_pages(str(site), bundle, hashes, markers)
    assert sorted(again) == ["embed.html", "story/index.html"]
    assert read == [str(site / "embed.html")]


def test_parts_are_kept_in_a_cache_on_another_file_system(tmp_path, monkeypatch):
    """The publish workflow may restore the cache onto another volume than
    the output's: keeping a part must never rename across the two."""
    disks = tmp_path / "output-disk", tmp_path / "cache-disk"
    site, store = disks[0] / "site", disks[1] / "site_search_parts"
    for number in range(3):
        page = site / f"story-{number}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            f"<html><body><main data-pagefind-body><p>Story {number} "
            f"word{number}</p></main></body></html>"
        )

    def disk_of(path):
        return next(d for d in disks if str(path).startswith(str(d)))

    def rename_on_one_disk(source, target, real=os.rename):
        if disk_of(source) != disk_of(target):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real(source, target)

    monkeypatch.setattr(os, "rename", rename_on_one_disk)
    options = settings.settings({"SITE_SEARCH_PART_PAGES": 2})
    count = indexer.plan_index(str(site), options, store=str(store))()
    assert count == 3
    pages = [f"story-{number}/index.html" for number in range(3)]
    made = len(parts.split(pages, 2))
    assert len(list((site / "pagefind").glob("part-*"))) == made >= 2
    # Only the kept parts (and their file lists) are left in the store.
    assert sorted(p.suffix for p in store.iterdir()) == [""] * made + [".json"] * made


def test_a_part_in_place_with_its_compressed_copies_is_not_linked_again(tmp_path):
    stored, target = tmp_path / "store" / "key", tmp_path / "site" / "part-1"
    (stored / "fragment").mkdir(parents=True)
    (stored / "pagefind.js").write_text("js")
    (stored / "fragment" / "a.pf_fragment").write_bytes(b"a")
    parts.link_tree(str(stored), str(target))
    assert (target / "pagefind.js").samefile(stored / "pagefind.js")
    # plugins/precompress adds copies beside the bundle's text files.
    (target / "pagefind.js.gz").write_bytes(b"gz")
    linked = {path: path.stat().st_ino for path in target.rglob("*") if path.is_file()}
    parts.link_tree(str(stored), str(target))
    assert {p: p.stat().st_ino for p in target.rglob("*") if p.is_file()} == linked

    # A file that is no copy of a stored one (a part of another build):
    # the part is linked again, without it.
    (target / "fragment" / "old.pf_fragment").write_bytes(b"old")
    parts.link_tree(str(stored), str(target))
    assert not (target / "fragment" / "old.pf_fragment").exists()
    assert (target / "fragment" / "a.pf_fragment").samefile(
        stored / "fragment" / "a.pf_fragment"
    )


def test_a_page_added_or_removed_changes_its_own_part_not_the_ones_after():
    pages = [f"stories/conversation-{number:05}/index.html" for number in range(5000)]
    groups = parts.split(pages, 500)
    assert all(len(group) <= 500 for group in groups)
    assert [page for group in groups for page in group] == pages
    assert 10 < len(groups) < 17  # about three quarters full on average
    for added in ("stories/a-new-story/index.html", "stories/conversation-02500a/x"):
        grown = parts.split(sorted([*pages, added]), 500)
        assert len({*map(tuple, grown)} - {*map(tuple, groups)}) <= 2
    shrunk = parts.split(pages[:1234] + pages[1235:], 500)
    assert len({*map(tuple, shrunk)} - {*map(tuple, groups)}) <= 2
    assert parts.split(pages, 500) == groups  # the same pages, the same parts


def test_parts_behind_catch_up_past_the_most_vocabularies_kept():
    total = 100
    # Five vocabularies of the past: the parts of the two held by the
    # fewest parts catch up.
    known = [10, 10, 10, 20, 20, 30, 40, 40, 50, 100]
    assert parts._catching_up(known, total) == [5, 8]
    # None up to date (the search page loads one first): the fewest catch up.
    assert parts._catching_up([10, 10, 20], total) == [2]
    assert parts._catching_up([100, 10], total) == []


def test_a_page_changed_outside_what_pagefind_reads_keeps_its_part(tmp_path):
    """A story page's "related stories" (below its indexed article) change
    with each new story near it, and the guide's count of answers (in its
    indexed text, marked data-pagefind-ignore) with any story: their parts
    must not be indexed again."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    pages = {}
    for number in range(4):
        pages[number] = site / f"story-{number}" / "index.html"
        pages[number].parent.mkdir(parents=True)

    def write(number, body, related="none yet", answers=1):
        pages[number].write_text(
            # (Metadata given on the indexed element, as the theme's <main>
            # gives an empty image, is read from its attribute.)
            "<html><body><article data-pagefind-body data-pagefind-meta='image:'>"
            f"<h1 data-pagefind-meta='title'>Story {number}</h1>"
            f"<p>{body} <a href='/q/' data-pagefind-ignore>Hear {answers}</a></p>"
            f"</article><div class='related'>{related}</div></body></html>"
        )

    for number in range(4):
        write(number, f"word{number}")
    options = settings.settings({"SITE_SEARCH_PART_PAGES": 2})

    def index():
        hashes = FileHashes(str(cache / "hashes.json"), outputs=True)
        indexer.plan_index(
            str(site),
            options,
            state_file=str(cache / "state.json"),
            hashes=hashes,
            store=str(cache / "store"),
        )()
        hashes.save()
        return _part_dates(site)

    first = index()
    write(1, "word1", related="Story 0")
    write(2, "word2", answers=2)
    assert index() == first
    # A new story, with a new word, shows under story 1: only the new
    # story's part is indexed again; story 1's stays as it was (behind).
    pages[4] = site / "story-4" / "index.html"
    pages[4].parent.mkdir()
    write(4, "zeppelin")
    write(1, "word1", related="Story 4: zeppelin")
    second = index()
    holding = {
        name: {p["url"] for p in indexed_pages(site, f"pagefind/{name}")}
        for name in second
    }
    home = next(name for name, urls in holding.items() if "/story-1/" in urls)
    assert home in first and second[home] == first[home]
    assert f"{home}/" in _manifest(site)["behind"]
    write(1, "word1 and more")
    third = index()
    assert len(set(third) - set(second)) == 1 and home not in third


def test_parts_catch_up_when_pagefind_counts_the_vocabulary_otherwise(
    tmp_path, monkeypatch, caplog
):
    """The search page reads a word's place on the vocabulary's page as its
    place in the list: if Pagefind counted the page otherwise, no part may
    be left behind."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    _story_pages(site, 4, "<main data-pagefind-body><p>word{}</p></main>")
    options = settings.settings({"SITE_SEARCH_PART_PAGES": 2})

    def index():
        indexer.plan_index(
            str(site),
            options,
            state_file=str(cache / "state.json"),
            hashes=FileHashes(None, outputs=True),
            store=str(cache / "store"),
        )()
        return _part_dates(site)

    first = index()
    (site / "story-3" / "index.html").write_text(
        "<main data-pagefind-body><p>word3 zeppelin</p></main>"
    )
    monkeypatch.setattr(parts, "word_count", lambda folder: -1)
    second = index()
    assert not set(second) & set(first)  # every part indexed again
    assert "behind" not in _manifest(site) and "words" not in _manifest(site)
    vocabulary = [
        p for p in indexed_pages(site) if p["url"] == "/_site-search-vocabulary/"
    ]
    assert len(vocabulary) == len(second)
    assert all("zeppelin" in p["content"] for p in vocabulary)
    assert "the parts behind are indexed again" in caplog.text


def test_a_build_stopped_while_it_indexes_leaves_the_next_one_reading_only_what_changed(
    tmp_path, monkeypatch
):
    """A build stopped while Pagefind runs (Ctrl-C, a cancelled CI job, a
    failed run) must leave the record of the last indexing: without it the
    next build read every indexed page for its words (42 s at 10,000
    stories) to index one changed part."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    HTML, END = "<html><body><article data-pagefind-body>", "</article></body></html>"
    _story_pages(site, 6, HTML + "<p>word{}</p>" + END)
    options = settings.settings({"SITE_SEARCH_PART_PAGES": 2})

    def plan():
        hashes = FileHashes(str(cache / "hashes.json"), outputs=True)
        step = indexer.plan_index(
            str(site),
            options,
            state_file=str(cache / "state.json"),
            hashes=hashes,
            store=str(cache / "store"),
        )
        return step, hashes

    step, hashes = plan()
    step()
    hashes.save()
    first = _part_dates(site)
    read = []
    words_of = parts.vocabulary.vocabulary
    monkeypatch.setattr(
        parts.vocabulary,
        "vocabulary",
        lambda paths, *args: read.extend(paths) or words_of(paths, *args),
    )
    (site / "story-2" / "index.html").write_text(f"{HTML}<p>word2 zeppelin</p>{END}")
    plan()  # planned, then stopped before Pagefind ran
    assert read == [str(site / "story-2" / "index.html")]
    read.clear()
    step, hashes = plan()
    step()
    # Only the changed page is read again, and only its part indexed.
    assert read == [str(site / "story-2" / "index.html")]
    second = _part_dates(site)
    assert len(set(second) - set(first)) == 1
    home = next(name for name in second if name not in first)
    urls = {p["url"] for p in indexed_pages(site, f"pagefind/{home}")}
    assert "/story-2/" in urls


def test_a_build_killed_while_it_indexes_leaves_nothing_beside_its_output(tmp_path):
    """A bare ``pelican`` run killed while Pagefind indexes (a second Ctrl-C,
    a cancelled CI job, the machine out of memory) has nobody to clean up
    after it. The pages it linked for Pagefind stay in the cache, where the
    next indexing removes them; nothing is left beside the output (hidden
    folders there piled up in the project's folder, one a killed build)."""
    root = tmp_path / "project"
    site, cache = root / "output", tmp_path / "cache"
    HTML, END = "<html><body><article data-pagefind-body>", "</article></body></html>"
    _story_pages(site, 12, HTML + "<p>word{} " + "talk " * 2000 + "</p>" + END)
    store = cache / "store"
    index = (
        "import sys; from site_search import indexer, settings; "
        "from portal.file_hashes import FileHashes; "
        "site, cache, memory = sys.argv[1:]; indexer.MEMORY_FOLDERS = (memory,); "
        "indexer.plan_index(site, settings.settings({'SITE_SEARCH_PART_PAGES': 2}), "
        "state_file=cache + '/state.json', store=cache + '/store', "
        "hashes=FileHashes(cache + '/hashes.json', outputs=True))()"
    )
    memory = tmp_path / "memory"
    memory.mkdir()
    command = [sys.executable, "-c", index, str(site), str(cache), str(memory)]
    env = {**os.environ, "PYTHONPATH": f"{PROJECT_ROOT}/plugins:{PROJECT_ROOT}"}
    build = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        # Pagefind at work on a part: its bundle being made in the store.
        while not list(store.glob(f"{parts.MAKING}*")):
            assert build.poll() is None, "the indexing ended before it was killed"
            time.sleep(0.005)
    finally:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
    assert [path.name for path in root.iterdir()] == ["output"]
    assert not [path.name for path in site.iterdir() if path.name.startswith(".")]
    assert _staged(memory, IN_MEMORY)  # the pages it linked for Pagefind

    # The next indexing removes what the killed one left in the store and
    # in memory.
    subprocess.run(command, env=env, check=True)
    assert list(memory.iterdir()) == []
    assert [path.name for path in root.iterdir()] == ["output"]
    kept = [path.name for path in store.iterdir()]
    assert kept and not [name for name in kept if name.startswith(".")]
    urls = {page["url"] for page in indexed_pages(site)}
    assert {"/story-0/", "/story-11/"} <= urls


def _staged(folder, pattern: str) -> list[set[str]]:
    """The pages linked in each staging folder in ``folder`` (its scratch
    folders matching ``pattern``), by their paths."""
    return [
        {
            str(link.relative_to(staging))
            for link in staging.rglob("index.html")
            if link.is_symlink()
        }
        for scratch in folder.glob(pattern)
        for staging in scratch.iterdir()
    ]


IN_MEMORY = "portal-search-staging-*"
PAGE = "<html><body><article data-pagefind-body><p>{}</p></article></body></html>"


def test_the_parts_to_index_are_staged_in_memory_before_the_work_beside_the_build(
    tmp_path, monkeypatch
):
    """The plan, in the build process, links the pages of every part to
    index for Pagefind, in memory (tmpfs) where the machine has it; the step
    run beside the rest of the build starts Pagefind at once. (Staged in
    that thread, in the cache, just after the build wrote gigabytes, a
    part's links waited for the disk's journal: 0.4-1.1 s at 10,000 stories
    before Pagefind started, an edit's build that much longer.)"""
    site, cache, memory = tmp_path / "site", tmp_path / "cache", tmp_path / "memory"
    store = cache / "store"
    memory.mkdir()
    monkeypatch.setattr(indexer, "MEMORY_FOLDERS", (str(memory),))
    _story_pages(site, 6, PAGE.format("word{}"))
    options = settings.settings({"SITE_SEARCH_PART_PAGES": 2})
    pages = [f"story-{number}/index.html" for number in range(6)]
    groups = sorted(map(sorted, parts.split(pages, 2)))

    def plan():
        return indexer.plan_index(
            str(site),
            options,
            state_file=str(cache / "state.json"),
            hashes=FileHashes(None, outputs=True),
            store=str(store),
        )

    step = plan()
    assert sorted(map(sorted, _staged(memory, IN_MEMORY))) == groups
    step()
    assert list(memory.iterdir()) == []
    assert list(store.glob(f"{parts.STAGING}*")) == []
    first = _part_dates(site)

    (site / "story-4" / "index.html").write_text(PAGE.format("word4 zeppelin"))
    step = plan()
    # Only the changed page's part, and the vocabulary's index (the other
    # parts are now behind).
    home = next(group for group in groups if "story-4/index.html" in group)
    assert sorted(map(sorted, _staged(memory, IN_MEMORY))) == [[], home]
    step()
    assert list(memory.iterdir()) == []
    assert len(set(_part_dates(site)) - set(first)) == 1

    # Memory full: staged on disk, in the cache's store, as without memory.
    real = parts.stage

    def stage_in_full_memory(site, pages, staging, html):
        real(site, pages, staging, html)
        if staging.startswith(str(memory)) or not disk_works:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(parts, "stage", stage_in_full_memory)
    (site / "story-1" / "index.html").write_text(PAGE.format("word1 balloon"))
    disk_works = True
    step = plan()
    assert list(memory.iterdir()) == []
    assert _staged(store, f"{parts.STAGING}*")
    step()
    assert list(store.glob(f"{parts.STAGING}*")) == []
    assert "/story-1/" in {p["url"] for p in indexed_pages(site, _part_of(site, 1))}

    # Staging that fails on disk too stops the build and leaves nothing.
    (site / "story-1" / "index.html").write_text(PAGE.format("word1 kite"))
    disk_works = False
    with pytest.raises(OSError, match="No space"):
        plan()
    assert list(memory.iterdir()) == []
    assert list(store.glob(f"{parts.STAGING}*")) == []


def _part_of(site, number: int) -> str:
    """The bundle folder of the part that holds ``story-<number>``."""
    manifest = _manifest(site)
    for folder in [manifest["main"], *manifest["merge"]]:
        urls = {p["url"] for p in indexed_pages(site, f"pagefind/{folder}")}
        if f"/story-{number}/" in urls:
            return f"pagefind/{folder}"
    raise AssertionError(f"no part holds story-{number}")


def test_staging_left_in_memory_by_a_process_gone_is_removed(tmp_path, monkeypatch):
    memory = tmp_path / "memory"
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    here = os.stat("/proc/self/ns/pid").st_ino
    left = memory / f"portal-search-staging-{here}-{gone}-abc" / "x"
    running = memory / f"portal-search-staging-{here}-{os.getppid()}-def" / "x"
    other = memory / "someone-elses"
    # Another container's, sharing the folder: its process numbers are not
    # this one's.
    elsewhere = memory / f"portal-search-staging-{here + 1}-{gone}-ghi" / "x"
    for folder in (left, running, other, elsewhere):
        folder.mkdir(parents=True)
    monkeypatch.setattr(indexer, "MEMORY_FOLDERS", (str(memory),))
    site = tmp_path / "site"
    _story_pages(site, 3, "<main data-pagefind-body><p>word{}</p></main>")
    options = settings.settings({"SITE_SEARCH_PART_PAGES": 2})
    indexer.plan_index(str(site), options, store=str(tmp_path / "store"))()
    assert sorted(path.name for path in memory.iterdir()) == sorted(
        [running.parent.name, other.name, elsewhere.parent.name]
    )


# Indexing ahead (plugins/site_search/ahead.py): the part an edit indexes
# again, read while the build runs, is the part Pagefind makes of all its
# pages at once; when the guess does not hold, the index is as without it,
# with no Pagefind and no staging left behind.

READ_AHEAD = "of a part read ahead while the build ran"  # the log's
# ... when the part was written as the build wrote the changed pages, and
# when they were not all written (the rest added once the plan is made).
WRITTEN = READ_AHEAD + "; 1 changed page and the vocabulary added as the build"
ADDED_AFTER = "and the vocabulary added after"
NOT_THE_PLANS = "the part written ahead is not the one to make"


def _pagefind_children() -> list[str]:
    """The Pagefind processes this process started that still run."""
    found = []
    for name in os.listdir("/proc"):
        try:
            with open(f"/proc/{name}/stat", encoding="utf-8") as handle:
                stat = handle.read()
        except (OSError, ValueError):
            continue  # not a process, or gone
        command = stat[stat.index("(") + 1 : stat.rindex(")")]
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        if parent == os.getpid() and "pagefind" in command:
            found.append(command)
    return found


def _staging_left() -> set[str]:
    """This process's search staging folders in memory (a test before may
    have left one on purpose: compare before and after)."""
    namespace = os.stat("/proc/self/ns/pid").st_ino
    prefix = f"portal-search-staging-{namespace}-{os.getpid()}-"
    return {name for name in os.listdir("/dev/shm") if name.startswith(prefix)}


def _add_line(story, line: str) -> None:
    text = story.read_text(encoding="utf-8")
    story.write_text(f"{text}\n{line}\n", encoding="utf-8")


def _part_with(output, url: str) -> tuple[str, list[dict]]:
    """The part of ``output``'s index that holds ``url``, and its pages."""
    for part in [_manifest(output)["main"], *_manifest(output)["merge"]]:
        pages = indexed_pages(output, f"pagefind/{part}")
        if url in {page["url"] for page in pages}:
            return part, sorted(pages, key=lambda page: page["url"])
    raise AssertionError(f"{url} is in no part")


def test_an_edited_storys_part_is_read_ahead_and_is_the_part_made_whole(
    parted_site, tmp_path, caplog, capfd
):
    ahead_site = _parted_copy(parted_site, tmp_path / "ahead")
    whole_site = _parted_copy(parted_site, tmp_path / "whole")
    aside_site = _parted_copy(parted_site, tmp_path / "aside")
    clone_site = _parted_copy(parted_site, tmp_path / "clone")
    shutil.rmtree(clone_site[1])
    staged_before = _staging_left()
    for content, _, _ in (ahead_site, whole_site, aside_site, clone_site):
        _add_line(content / "stories" / "common-ground" / "story.md", "A zeppelin.")

    caplog.set_level("INFO")
    _build(*ahead_site, SITE_SEARCH_AHEAD=ALWAYS)
    assert "1 page " + WRITTEN in caplog.text
    caplog.clear()
    _build(*whole_site, SITE_SEARCH_AHEAD=False)
    assert READ_AHEAD not in caplog.text
    # Built aside, as `./dev build` and the publish build it (no page in
    # the new output yet): read ahead from the output it replaces.
    capfd.readouterr()
    build_as_dev(
        *aside_site,
        extra_args=("--verbose",),
        SITE_SEARCH_PART_PAGES=PER_PART,
        SITE_SEARCH_AHEAD=ALWAYS,
        PRECOMPRESS=False,
    )
    told = " ".join("".join(capfd.readouterr()).split())  # its lines wrapped
    assert "1 page " + WRITTEN in told
    # A fresh clone with the cache restored and no output: read ahead from
    # the cache's copies of the pages' bytes last indexed.
    caplog.clear()
    _build(*clone_site, SITE_SEARCH_AHEAD=ALWAYS)
    assert "1 page " + WRITTEN in caplog.text

    # The same parts (each named by its pages and what Pagefind reads of
    # them), and the edited story's part holds the same pages, each read
    # the same, as the one Pagefind made of all its pages at once.
    ahead_output, whole_output = ahead_site[1], whole_site[1]
    assert _manifest(ahead_output) == _manifest(whole_output)
    part, pages = _part_with(ahead_output, "/stories/common-ground/")
    assert (part, pages) == _part_with(whole_output, "/stories/common-ground/")
    assert len(pages) == 3  # the story, the one read ahead, the vocabulary
    assert "zeppelin" in next(
        page["content"] for page in pages if page["url"] == "/stories/common-ground/"
    )
    assert _part_with(aside_site[1], "/stories/common-ground/") == (part, pages)
    assert _part_with(clone_site[1], "/stories/common-ground/") == (part, pages)
    assert _pagefind_children() == []
    assert _staging_left() == staged_before
    for _, _, cache in (ahead_site, aside_site, clone_site):
        assert _making_left(cache) == []


def test_reading_ahead_is_left_to_sites_where_it_pays(monkeypatch):
    """Reading ahead pays where the build's passes outlast Pagefind's read
    on the core they leave idle: ten stories or more a page of a part, on
    more than one core (the sample site, a few stories, does not: the tests
    above ask for it always)."""
    settings = {}
    folders = {f"/content/stories/s{n}": [] for n in range(20)}
    ahead.note_folders(None, settings=settings, folders=folders)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    assert ahead.pays(settings, {"SITE_SEARCH_PART_PAGES": 2})
    assert not ahead.pays(settings, {"SITE_SEARCH_PART_PAGES": 3})
    assert not ahead.pays({}, {"SITE_SEARCH_PART_PAGES": 2})  # another build's
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0})
    assert not ahead.pays(settings, {"SITE_SEARCH_PART_PAGES": 2})


def _making_left(cache) -> list[str]:
    """Bundles Pagefind was writing left in the cache's store of parts."""
    return [path.name for path in (cache / PARTS_STORE).glob(f"{parts.MAKING}*")]


def test_a_part_is_read_ahead_but_not_written_early_when_the_build_says_otherwise(
    parted_site, tmp_path, caplog
):
    """The part read ahead is written as the build writes the changed pages
    only when the plan then indexes exactly those pages with that
    vocabulary; a story taken down (its page never written) has the rest
    added after; a word new to the site on another page indexes the part
    whole. Each index is the one a build without reading ahead makes."""
    ahead_site = _parted_copy(parted_site, tmp_path / "ahead")
    whole_site = _parted_copy(parted_site, tmp_path / "whole")
    staged_before = _staging_left()
    story = "/stories/common-ground/"
    caplog.set_level("INFO")

    # A story taken down: its part read ahead, the rest (the vocabulary
    # page) added after.
    _, pages = _part_with(ahead_site[1], story)
    gone = next(
        p["url"]
        for p in pages
        if p["url"].startswith("/stories/") and p["url"] != story
    )
    for content, _, _ in (ahead_site, whole_site):
        shutil.rmtree(content / gone.strip("/"))
    _build(*ahead_site, SITE_SEARCH_AHEAD=ALWAYS)
    assert re.search(f"1 page {READ_AHEAD}; [0-9]+ more {ADDED_AFTER}", caplog.text)
    _build(*whole_site, SITE_SEARCH_AHEAD=False)
    assert _manifest(ahead_site[1]) == _manifest(whole_site[1])
    assert _part_with(ahead_site[1], story) == _part_with(whole_site[1], story)

    # The story edited, and a campaign page given a word the site never
    # had: the vocabulary page written ahead is not the plan's.
    for content, _, _ in (ahead_site, whole_site):
        _add_line(content / "stories" / "common-ground" / "story.md", "A zeppelin.")
        _add_line(content / "pages" / "about.md", "A quokka, too.")
    caplog.clear()
    _build(*ahead_site, SITE_SEARCH_AHEAD=ALWAYS)
    assert NOT_THE_PLANS in caplog.text
    assert READ_AHEAD not in caplog.text
    _build(*whole_site, SITE_SEARCH_AHEAD=False)
    assert _manifest(ahead_site[1]) == _manifest(whole_site[1])
    part = _part_with(ahead_site[1], story)
    assert part == _part_with(whole_site[1], story)
    assert "zeppelin" in next(p["content"] for p in part[1] if p["url"] == story)
    assert _pagefind_children() == []
    assert _staging_left() == staged_before
    assert _making_left(ahead_site[2]) == []


def test_a_guess_that_does_not_hold_leaves_the_index_as_without_it(
    parted_site, tmp_path, caplog
):
    content, output, cache = _parted_copy(parted_site, tmp_path)
    first = _part_dates(output)
    staged_before = _staging_left()
    caplog.set_level("INFO")

    # A held-back story changed: its page is in no part, and the part it
    # would join is read ahead for nothing. The index is kept as it was.
    _add_line(content / "stories" / "what-my-father-taught-me" / "story.md", "Hm.")
    _build(content, output, cache, SITE_SEARCH_AHEAD=ALWAYS)
    assert READ_AHEAD not in caplog.text
    assert _part_dates(output) == first
    assert _pagefind_children() == []
    assert _staging_left() == staged_before

    # A page of the edited story's part was changed in the output since it
    # was indexed (the build puts it back): what Pagefind read ahead is not
    # what was indexed, and the part is indexed whole.
    story = "/stories/common-ground/"
    _, pages = _part_with(output, story)
    other = next(
        page["url"]
        for page in pages
        if page["url"].startswith("/stories/") and page["url"] != story
    )
    page = output / other.strip("/") / "index.html"
    original = page.read_bytes()
    page.unlink()  # linked from the cache: not changed there
    page.write_bytes(original + b"<!-- changed by hand -->\n")
    _add_line(content / "stories" / "common-ground" / "story.md", "A zeppelin.")
    caplog.clear()
    _build(content, output, cache, SITE_SEARCH_AHEAD=ALWAYS)
    assert READ_AHEAD not in caplog.text
    assert page.read_bytes() == original
    _, pages = _part_with(output, story)
    assert {p["url"] for p in pages} == {story, other, "/_site-search-vocabulary/"}
    assert "zeppelin" in next(p["content"] for p in pages if p["url"] == story)
    assert _pagefind_children() == []
    assert _staging_left() == staged_before
