"""Work run beside the rest of the build (portal/background.py): the
search's Pagefind runs while other plugins finish, and the build still
ends with the whole index, compressed, or stops on its error."""

from __future__ import annotations

import gzip
import threading

import brotli
import pytest
from site_search import indexer

from portal import background
from tests.support import build_site, copy_content


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
