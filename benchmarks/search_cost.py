"""What one search costs a visitor on a built site: a measurement, not a test.

Opens the site's search page in Chromium (a phone's width), searches for
each word given (as the search box in every page's header does: the search
page opened with ``?q=``), and counts the Pagefind files the page fetched
for it, by kind, with their bytes. The search index comes in parts past
``SITE_SEARCH_PART_PAGES`` pages (plugins/site_search/README.md), and each
part is fetched on its own, so this is the visitor's side of choosing the
part size. The output is served by portal.devserver; the site's own
address (``--site-url``: what the build's SITEURL was, the benchmark's by
default) is answered from it, so the page's own security policy holds.

    .venv/bin/python benchmarks/search_cost.py /path/to/output grandchildren

Prints one line a word and a table of the files by kind."""

from __future__ import annotations

import argparse
import collections
import json
import pathlib
import sys
import time
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from playwright.sync_api import sync_playwright  # noqa: E402
from run import SITEURL  # noqa: E402

from portal import devserver  # noqa: E402
from portal.checking import plural  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

# Files of the search bundle that a browser keeps once loaded, whatever is
# searched (Pagefind's script and WebAssembly): counted apart.
CODE = (".js", ".css", ".wasm", ".pagefind")


def _kind(url: str) -> str:
    """``pf_index``, ``pf_filter``... (Pagefind's files end so), or the file's
    name for the others (its query, a cache-buster, left out)."""
    name = urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1] if ".pf_" in name else name


def measure(
    browser, output: pathlib.Path, site_url: str, words: list[str]
) -> list[dict]:
    """For each word, what its search fetched from the search bundle, on the
    site built in ``output`` (built with SITEURL ``site_url``), in Playwright's
    ``browser``."""
    parts = json.loads((output / "pagefind" / "parts.json").read_text())
    found = []
    with devserver.running(output) as local:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()

        def answer(route):
            url = route.request.url.replace(site_url, local, 1)
            route.fulfill(response=route.fetch(url=url))

        page.route(site_url + "/**", answer)
        fetched = []
        page.on("requestfinished", lambda request: fetched.append(request))
        for word in words:
            # As from the search box in every page's header: the search
            # page opened with the words.
            page.goto("about:blank")
            fetched.clear()
            started = time.perf_counter()
            page.goto(f"{site_url}/search/?q={urllib.parse.quote(word)}")
            page.wait_for_selector("[data-search-results] li", timeout=120_000)
            page.wait_for_load_state("networkidle")
            seconds = time.perf_counter() - started
            by_kind: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
            for request in fetched:
                if "/pagefind/" not in request.url:
                    continue
                kind = _kind(request.url)
                if kind.endswith(CODE):
                    kind = "script and WebAssembly"
                by_kind[kind][0] += 1
                by_kind[kind][1] += request.sizes()["responseBodySize"]
            found.append(
                {
                    "word": word,
                    "parts": 1 + len(parts.get("merge", [])),
                    "requests": sum(count for count, _ in by_kind.values()),
                    "bytes": sum(size for _, size in by_kind.values()),
                    "seconds": round(seconds, 1),
                    "by_kind": dict(sorted(by_kind.items())),
                }
            )
        context.close()
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=pathlib.Path, help="a built site's folder")
    parser.add_argument("words", nargs="+", help="what to search for")
    parser.add_argument("--site-url", default=SITEURL, help="the build's SITEURL")
    options = parser.parse_args(argv)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        results = measure(
            browser, options.output, options.site_url.rstrip("/"), options.words
        )
        browser.close()
    for result in results:
        print(
            f"{result['word']!r}: {result['parts']} parts and the vocabulary's "
            f"index, {result['requests']} requests to the search "
            f"bundle, {result['bytes'] / 1024:,.0f} KB, results shown after "
            f"{result['seconds']} s"
        )
        for kind, (count, size) in result["by_kind"].items():
            print(f"    {kind}: {plural(count, 'request')}, {size / 1024:,.0f} KB")


if __name__ == "__main__":
    main()
