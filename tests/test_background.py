"""Work run beside the rest of the build (portal/background.py): the
search's Pagefind runs while other plugins finish, and the build still
ends with the whole index, compressed, or stops on its error."""

from __future__ import annotations

import gzip
import subprocess
import sys
import threading

import brotli
import pytest
from site_search import indexer

from portal import background
from tests.support import PROJECT_ROOT, build_site, copy_content


def test_work_runs_beside_and_its_error_is_raised_by_wait(tmp_path):
    started, go_on = threading.Event(), threading.Event()
    done = []

    def work():
        started.set()
        go_on.wait(10)
        done.append(threading.current_thread() is not threading.main_thread())

    background.start(str(tmp_path / "bundle/"), work)
    assert started.wait(10)
    # Running, and writing its folder, while this thread goes on.
    assert background.folders() == [str(tmp_path / "bundle")]
    assert done == []
    go_on.set()
    background.wait()
    assert done == [True]
    assert background.folders() == []

    def fail():
        raise indexer.SearchIndexError("Pagefind failed")

    background.start(str(tmp_path), fail)
    with pytest.raises(indexer.SearchIndexError, match="Pagefind failed"):
        background.wait()
    background.wait()  # raised once, then forgotten


def test_the_search_bundle_is_whole_and_compressed_when_the_build_ends(sample_site):
    """precompress does the rest of the output while Pagefind runs, then the
    bundle's own files once it has ended."""
    bundle = sample_site / "pagefind"
    script = (bundle / "pagefind.js").read_bytes()
    assert gzip.decompress((bundle / "pagefind.js.gz").read_bytes()) == script
    assert brotli.decompress((bundle / "pagefind.js.br").read_bytes()) == script
    interface = (bundle / "pagefind-ui.js").read_bytes()
    assert gzip.decompress((bundle / "pagefind-ui.js.gz").read_bytes()) == interface


def test_a_pagefind_failure_still_stops_the_build(tmp_path, monkeypatch):
    def fails(command, site):
        raise indexer.SearchIndexError(f"Pagefind failed indexing {site}")

    monkeypatch.setattr(indexer, "_run_pagefind", fails)
    content = copy_content(tmp_path / "content")
    with pytest.raises(indexer.SearchIndexError, match="Pagefind failed"):
        build_site(content, tmp_path / "output", PRECOMPRESS=False)
    assert background.folders() == []


# What a fresh process running the production build connects to Pelican's
# ``finalized``, in the order it calls them.
FINALIZED_ORDER = """
import sys
from pelican import Pelican, signals
from pelican.settings import read_settings

settings = read_settings(sys.argv[1], override={"CACHE_PATH": sys.argv[2]})
Pelican(settings)
for receiver in signals.finalized.receivers_for(object()):
    print(f"{receiver.__module__}.{receiver.__qualname__}")
"""


def test_the_index_starts_before_the_rest_of_the_end_of_build_work(tmp_path):
    """Pagefind ends an edit's build (benchmarks/README.md): its run starts
    before any other plugin's work at the end of the build, which goes on
    beside it (pelicanconf.PLUGINS keeps site_search before them all)."""
    order = subprocess.run(
        [sys.executable, "-c", FINALIZED_ORDER,
         str(PROJECT_ROOT / "publishconf.py"), str(tmp_path / "cache")],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    start = order.index("site_search.plugin.index_site")
    for work in (
        "audio_rendition.plugin.prune_cache",
        "story_pipeline.plugin.finish",
        "security_headers.plugin.write_headers",
        "pelican.plugins.sitemap.sitemap.SitemapGenerator.finalize",
        "precompress.plugin.precompress",
        "build_report.plugin.finish",
    ):
        assert start < order.index(work), (work, order)
    # And the build ends with the index whole: the waits come after it.
    assert order.index("site_search.plugin.wait_for_index") > start
    assert order.index("shared_cache.plugin.release_cache") > start
