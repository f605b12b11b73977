"""Full-text search with Pagefind: the search page, and the index built
after every build. See README.md."""

from __future__ import annotations

import hashlib
import logging
import os

from pelican import signals
from pelican.generators import Generator

from portal import background, build_inputs
from portal import signals as portal_signals
from portal.file_hashes import FileHashes
from portal.parallel import workers
from portal.site_pages import html_pages
from portal.writing import reuse, write_atomically

from . import ahead
from .indexer import index_code, load_state, new_scratch, plan_index
from .parts import PARTS_FILE
from .settings import settings as search_settings

logger = logging.getLogger(__name__)
HASHES_FILE = "site_search.hashes.json"  # in CACHE_PATH: the pages' hashes
PARTS_STORE = "site_search_parts"  # in CACHE_PATH: each part's bundle, by key
PARTS_STATE = "site_search.parts.json"  # in CACHE_PATH: what the parts hold


class SearchPageGenerator(Generator):
    """Writes the search page; puts its URLs in every template's context."""

    def generate_context(self):
        options = search_settings(self.settings)
        self.url = options["SITE_SEARCH_URL"]
        self.context["search_url"] = self.url
        self.context["search_bundle_url"] = options["SITE_SEARCH_BUNDLE"]

    def generate_output(self, writer):
        writer.write_file(
            self.url + "index.html",
            self.get_template("search"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=self.url,
            page_name="search",
        )


def get_generators(pelican):
    return SearchPageGenerator


def _pages_stamp(output: str, pages: list[str], hashes: FileHashes, code: str) -> str:
    """Every HTML page's path (relative: a build made aside writes to a new
    folder each time) and bytes (its SHA-256), and what else shapes the
    index (``code``: see ``indexer.index_code``), as one digest."""
    digest = hashlib.blake2b(code.encode(), digest_size=16)
    for page in pages:
        sha256 = hashes.sha256(os.path.join(output, page))
        digest.update(f"{page}\0{sha256}\n".encode())
    return digest.hexdigest()


def index_site(pelican):
    options = search_settings(pelican.settings)
    if not options["SITE_SEARCH_INDEX"]:
        return
    output = pelican.output_path
    bundle = os.path.join(output, options["SITE_SEARCH_BUNDLE"])
    cache = pelican.settings.get("CACHE_PATH")
    stamp_file = os.path.join(cache, "site_search.stamp") if cache else None
    # When no page's bytes changed (nor the code or settings that index
    # them), the index of the last build is still exact, and Pagefind (a
    # full re-index, seconds at 10,000 stories) is not run again. A page's
    # hash is remembered while its stat is the same: pages a rebuild leaves
    # untouched (unchanged_writes) are not read. A build made aside starts
    # without the index: the one of the output it replaces is linked in,
    # and kept only if no page changed.
    hashes = FileHashes(
        os.path.join(cache, HASHES_FILE) if cache else None, outputs=True
    )
    # No page is written while the plan is made: each page's hash is looked
    # up once, however many of its steps ask.
    with hashes.settled():
        reuse(bundle)
        pages = html_pages(output, skip=bundle)
        stamp = _pages_stamp(output, pages, hashes, index_code(options))
        if (
            stamp_file
            and os.path.isfile(os.path.join(bundle, PARTS_FILE))
            and os.path.isfile(stamp_file)
        ):
            try:
                with open(stamp_file, encoding="utf-8") as handle:
                    kept = handle.read() == stamp
            except (OSError, UnicodeDecodeError):
                kept = False  # unreadable: index again
            if kept:
                hashes.save()
                ahead.stop()
                ahead.remember(pelican.settings)
                logger.info("[site_search] no page changed: the index is kept")
                return
        if build_inputs.pages_first(pelican.settings) and os.path.isfile(
            os.path.join(bundle, PARTS_FILE)
        ):
            # The live preview's first build of a save: its pages are shown now,
            # with the last build's index (whole, linked from the output it
            # replaces), and the next build, run straight after, indexes them
            # (portal.preview_builds).
            hashes.save()
            ahead.stop()
            build_inputs.left_to_next_build("the changed pages' search entries")
            logger.info("[site_search] the index is the last build's (PAGES_FIRST)")
            return
        # No index is a broken search page: SearchIndexError stops the build.
        parts_state = os.path.join(cache, PARTS_STATE) if cache else None
        store = os.path.join(cache, PARTS_STORE) if cache else None
        index = plan_index(
            output,
            options,
            workers(pelican.settings),
            parts_state,
            hashes,
            store,
            pages,
            ahead.current(),
        )

    def run_pagefind() -> None:
        try:
            index()
        finally:
            ahead.stop()
        hashes.save()
        if stamp_file:
            write_atomically(stamp_file, stamp)
        ahead.remember(pelican.settings)

    # Pagefind runs for seconds beside the rest of the build; precompress,
    # the build report and the cache's lock wait for it (portal.background).
    background.start(bundle, run_pagefind)


def wait_for_index(pelican) -> None:
    background.wait()


def _read_ahead(pelican, settings, folders) -> None:
    """``portal.story_folders_hashed``, as the build starts (before Pelican
    reads a story): read ahead the part of the index an edit will index
    again (ahead.py), where there is one to guess."""
    ahead.note_folders(pelican, settings=settings, folders=folders)
    options = search_settings(settings)
    cache = settings.get("CACHE_PATH")
    if (
        not cache
        or not options["SITE_SEARCH_INDEX"]
        or not options["SITE_SEARCH_AHEAD"]
        or build_inputs.pages_first(settings)
    ):
        return
    site = pelican.output_path

    def previous() -> dict | None:
        state = load_state(os.path.join(cache, PARTS_STATE))
        if state is None or state.get("code") != index_code(options):
            return None  # every part is indexed again
        return state

    ahead.start(
        settings,
        options,
        site,
        previous,
        lambda: new_scratch(site, os.path.join(cache, PARTS_STORE)),
        os.path.join(cache, PARTS_STORE),
    )


def _start(pelican) -> None:
    # A wrong setting stops the build now.
    search_settings(pelican.settings)
    build_inputs.pages_first(pelican.settings)
    # Connected as the build starts, after every plugin's own receivers: the
    # build ends with the index whole, whichever plugins wait for it before
    # (plugins/shared_cache, precompress, build_report).
    signals.finalized.disconnect(wait_for_index)
    signals.finalized.connect(wait_for_index)
    ahead.stop()  # a build before that stopped early, in this process


def register():
    signals.get_generators.connect(get_generators)
    signals.initialized.connect(_start)
    portal_signals.story_folders_hashed.connect(_read_ahead)
    signals.content_written.connect(ahead.page_written)
    signals.finalized.connect(index_site)
