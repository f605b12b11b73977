"""Pre-compression starts on each text file as the build writes it
(``plugins/precompress/early.py``): the copies the output gets are those of
the files' last bytes, whatever the build wrote before them, and the cache
keeps no copy no file has."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import logging
import os
import re
import time
import types

import brotli
from pelican import signals
from precompress.plugin import precompress, start_early

from portal import parallel, written_files
from portal.writing import write_if_changed
from tests.stories import write_story
from tests.support import build_site, copy_content

PAGE = "<p>" + "a conversation between neighbours " * 40 + "</p>\n"


def _page(word: str) -> str:
    return PAGE.replace("neighbours", word)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _settings(cache) -> dict:
    return {"CACHE_PATH": str(cache)}


def _stored_when_made(store, texts, seconds=60.0) -> None:
    """Wait until the thread has stored both copies of each of ``texts``."""
    names = {f"{_sha(text)}{suffix}" for text in texts for suffix in (".gz", ".br")}
    deadline = time.monotonic() + seconds
    while not names <= {path.name for path in store.glob("*")}:
        assert time.monotonic() < deadline, "the copies were never made"
        time.sleep(0.02)


def _counts(caplog) -> tuple[int, int]:
    """How many files the build's pre-compression compressed, and how many
    of them while the build wrote them."""
    [line] = [
        record.getMessage()
        for record in caplog.records
        if record.getMessage().startswith("[precompress] ")
        and "files compressed" in record.getMessage()
    ]
    found = re.match(
        r"\[precompress\] (\d+) files compressed \(gzip\+br; (\d+) while", line
    )
    assert found, line
    return int(found.group(1)), int(found.group(2))


def _copies_are_of_their_files(output) -> int:
    """Every copy in ``output`` holds its file's bytes; how many copies."""
    count = 0
    for copy in output.rglob("*.gz"):
        assert gzip.decompress(copy.read_bytes()) == copy.with_suffix("").read_bytes()
        count += 1
    for copy in output.rglob("*.br"):
        assert brotli.decompress(copy.read_bytes()) == copy.with_suffix("").read_bytes()
        count += 1
    return count


def test_what_the_build_writes_is_compressed_as_it_is_written(tmp_path, caplog):
    output, cache = tmp_path / "output", tmp_path / "cache"
    output.mkdir()
    store = cache / "precompressed"
    start_early(
        [types.SimpleNamespace(settings=_settings(cache), output_path=str(output))]
    )
    write_if_changed(output / "a.html", _page("strangers"))
    write_if_changed(output / "b.html", _page("cousins"))
    # Written again later in the same build: its copies are of these bytes.
    write_if_changed(output / "b.html", _page("colleagues"))
    # Written by a step that tells no one: the pass at the end compresses it.
    (output / "c.html").write_text(_page("friends"))
    # Not the output's: the cache's own files are not compressed.
    write_if_changed(cache / "elsewhere.html", _page("rivals"))
    _stored_when_made(store, [_page("strangers"), _page("colleagues")])

    with caplog.at_level(logging.INFO):
        precompress(
            types.SimpleNamespace(output_path=str(output), settings=_settings(cache))
        )

    assert "3 files compressed (gzip+br; 2 while the build wrote them)" in caplog.text
    assert _copies_are_of_their_files(output) == 6
    # The store keeps the copies of the three files' last bytes, and no
    # other (the first bytes of b.html, had the thread read them, are gone).
    kept = {
        f"{_sha(_page(word))}{suffix}"
        for word in ("strangers", "colleagues", "friends")
        for suffix in (".gz", ".br")
    }
    assert {path.name for path in store.iterdir()} == kept

    # The next build's pass finds them all in place: nothing compressed.
    caplog.clear()
    with caplog.at_level(logging.INFO):
        precompress(
            types.SimpleNamespace(output_path=str(output), settings=_settings(cache))
        )
    assert "0 files compressed (gzip+br), 3 unchanged" in caplog.text


@contextlib.contextmanager
def _told(paths: list[str]):
    """Record, in ``paths``, each file a build tells of as written with new
    bytes (``portal.written_files``), from its pages' turn on, as
    pre-compression hears of them."""

    def listen(_generators):
        written_files.listen(paths.append)

    signals.all_generators_finalized.connect(listen)
    try:
        yield paths
    finally:
        signals.all_generators_finalized.disconnect(listen)
        written_files.stop(paths.append)


def _store_is_what_the_output_links(output, cache) -> None:
    linked = {
        copy.stat().st_ino
        for copy in output.rglob("*")
        if copy.suffix in (".gz", ".br")
    }
    stored = {blob.stat().st_ino for blob in (cache / "precompressed").iterdir()}
    assert stored == linked


def test_a_build_tells_of_its_pages_as_it_writes_them(tmp_path, caplog):
    """A real build: pre-compression hears of every page, the feed and each
    story's files as they are written, and every copy in the output is of
    its file's bytes, however many the thread reached before the end."""
    content = copy_content(tmp_path / "content", stories=True)
    caplog.set_level(logging.INFO)
    with _told([]) as told:
        output = build_site(
            content,
            tmp_path / "out",
            cache_dir=tmp_path / "cache",
            SITE_SEARCH_INDEX=False,
        )
    told = {os.path.relpath(path, output) for path in told}
    stories = [page.parent.name for page in (output / "stories").glob("*/index.html")]
    assert len(stories) >= 5
    for slug in stories:
        assert f"stories/{slug}/index.html" in told
        assert f"stories/{slug}/embed/index.html" in told
    assert {"index.html", "podcast.xml"} <= told
    compressed, early = _counts(caplog)
    assert 0 <= early <= compressed
    assert _copies_are_of_their_files(output) > compressed  # a copy or two a file
    _store_is_what_the_output_links(output, tmp_path / "cache")


def test_workers_forked_while_the_threads_compress_make_the_same_copies(
    tmp_path, caplog
):
    """The story pipeline forks its workers while the threads compress (a
    fork waits until no thread is compressing: a lock held then would stay
    held in the child), and tells of each story's files as it comes back
    from them."""
    content = tmp_path / "content"
    for number in range(parallel.MIN_ITEMS + 6):
        write_story(
            content,
            f"story-{number:03d}",
            body=f"Conversation number {number}, with *Markdown*.",
            topics=["family", f"topic-{number % 5}"],
        )
    caplog.set_level(logging.INFO)
    with _told([]) as told:
        output = build_site(
            content,
            tmp_path / "out",
            cache_dir=tmp_path / "cache",
            BUILD_WORKERS=2,
            SITE_SEARCH_INDEX=False,
        )
    assert "[story_pipeline] made 70 stories in 2 processes" in caplog.text
    told = {os.path.relpath(path, output) for path in told}
    for number in range(parallel.MIN_ITEMS + 6):
        assert f"stories/story-{number:03d}/index.html" in told
    compressed, _early = _counts(caplog)
    assert _copies_are_of_their_files(output) > compressed
    _store_is_what_the_output_links(output, tmp_path / "cache")
