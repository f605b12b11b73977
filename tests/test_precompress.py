"""Compressed copies are made again exactly when a file's bytes, or the
settings that shape the copies, changed (observed on the copies themselves)."""

from __future__ import annotations

import gzip
import os
import shutil
import types

import brotli
from build_report.summary import folder_size, listed_size
from precompress import plugin as precompress_plugin
from precompress.plugin import precompress

from portal import background, output_listing

PAGE = "<p>" + "a conversation between neighbours " * 40 + "</p>\n"


def _run(output, cache, **settings):
    precompress(
        types.SimpleNamespace(
            output_path=str(output), settings={"CACHE_PATH": str(cache), **settings}
        )
    )


def _stamp(path):
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns


def test_copies_follow_the_bytes_and_the_settings(tmp_path):
    output, cache = tmp_path / "output", tmp_path / "cache"
    output.mkdir()
    page = output / "index.html"
    page.write_text(PAGE)
    gz, br = output / "index.html.gz", output / "index.html.br"
    _run(output, cache)
    assert gzip.decompress(gz.read_bytes()).decode() == PAGE
    made = _stamp(gz), _stamp(br)

    # Written again with the same bytes (a new mtime): the copies stay.
    page.write_text(PAGE)
    os.utime(page, ns=(1, 1))
    _run(output, cache)
    assert (_stamp(gz), _stamp(br)) == made

    # A copy replaced by another file (damaged by a deploy tool): the
    # stored copy is linked back; the other copy stays as it is.
    swapped = output / "swapped.tmp"
    swapped.write_bytes(b"not the copy")
    os.replace(swapped, gz)
    _run(output, cache)
    assert gzip.decompress(gz.read_bytes()).decode() == PAGE
    assert any(gz.samefile(blob) for blob in (cache / "precompressed").iterdir())
    assert _stamp(br) == made[1]
    made = _stamp(gz), _stamp(br)

    # A setting that shapes the copies: they are made again.
    _run(output, cache, PRECOMPRESS_GZIP_LEVEL=9)
    assert _stamp(gz) != made[0]
    assert gzip.decompress(gz.read_bytes()).decode() == PAGE
    made = _stamp(gz), _stamp(br)

    # New bytes of the same size, the old mtime put back: made again.
    stat = page.stat()
    edited = PAGE.replace("neighbours", "neighbourz")
    page.write_text(edited)
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    _run(output, cache, PRECOMPRESS_GZIP_LEVEL=9)
    assert gzip.decompress(gz.read_bytes()).decode() == edited


def test_a_large_file_written_early_is_compressed_beside_the_build(
    tmp_path, caplog, monkeypatch
):
    """A large file a plugin says it wrote before the end of the build (the
    podcast feed) has its copies made in a thread meanwhile; the build's end
    finds them in the store and links them, and counts it compressed."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    output.mkdir()
    feed = output / "podcast.xml"
    items = "".join(f"<item><title>Episode {n}</title></item>\n" for n in range(40000))
    feed.write_text(f"<rss><channel>{items}</channel></rss>\n")
    assert feed.stat().st_size >= precompress_plugin.EARLY_MIN_BYTES
    small = output / "index.html"
    small.write_text(PAGE)
    settings = {"CACHE_PATH": str(cache)}
    precompress_plugin.compress_early(None, settings=settings, path=str(small))
    assert precompress_plugin._early == []  # too small to be worth a thread
    precompress_plugin.compress_early(None, settings=settings, path=str(feed))
    (job,) = precompress_plugin._early
    sha256, sizes = job.result()
    store = cache / "precompressed"
    assert sorted(path.name for path in store.iterdir()) == [
        f"{sha256}.br",
        f"{sha256}.gz",
    ]
    early = {path.name: _stamp(path) for path in store.iterdir()}

    compressed_at_the_end = []

    def compress(data, fmt, options, path):
        compressed_at_the_end.append(os.path.basename(path))
        return real_compress(data, fmt, options, path)

    real_compress = precompress_plugin.compress
    monkeypatch.setattr(precompress_plugin, "compress", compress)
    caplog.set_level("INFO")
    _run(output, cache)
    assert compressed_at_the_end == ["index.html", "index.html"]  # gzip, Brotli
    gz, br = output / "podcast.xml.gz", output / "podcast.xml.br"
    assert gz.samefile(store / f"{sha256}.gz") and br.samefile(store / f"{sha256}.br")
    now = {path.name: _stamp(path) for path in store.iterdir()}
    assert {name: now[name] for name in early} == early
    assert gzip.decompress(gz.read_bytes()) == feed.read_bytes()
    assert brotli.decompress(br.read_bytes()) == feed.read_bytes()
    assert (gz.stat().st_size, br.stat().st_size) == (sizes["gzip"], sizes["br"])
    assert "[precompress] 2 files compressed" in caplog.text
    assert precompress_plugin._early == []


def test_small_theme_assets_get_brotlis_best_and_big_bundles_the_setting(tmp_path):
    """Theme CSS and JS, sent with every page, are worth Brotli's slowest,
    smallest copy; a multi-megabyte bundle (the editing UI's) is not."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    output.mkdir()
    small = ("function play(turn) { return turn.start; }\n" * 200).encode()
    big = b"".join(
        f"var chunk{i} = {{name: 'part {i}', size: {i * 7 % 1000}}};\n".encode()
        for i in range(20_000)
    )
    assert len(big) > 512 * 1024 > len(small)
    (output / "player.js").write_bytes(small)
    (output / "cms.js").write_bytes(big)
    _run(output, cache, PRECOMPRESS_BROTLI_QUALITY=4)
    assert (output / "player.js.br").read_bytes() == brotli.compress(
        small, mode=brotli.MODE_TEXT, quality=11
    )
    assert (output / "cms.js.br").read_bytes() == brotli.compress(
        big, mode=brotli.MODE_TEXT, quality=4
    )


def test_a_fresh_output_links_its_copies_from_the_cache(tmp_path, caplog):
    """A build made aside (a new folder each time) or a fresh clone with the
    cache folder restored compresses only the files it has not seen."""
    cache = tmp_path / "cache"
    first, second = tmp_path / "first", tmp_path / "second"
    for output in (first, second):
        output.mkdir()
        (output / "index.html").write_text(PAGE)
    (second / "new.html").write_text(PAGE.replace("neighbours", "strangers"))
    _run(first, cache)
    with caplog.at_level("INFO"):
        _run(second, cache)
    assert "1 files compressed (gzip+br), 1 unchanged" in caplog.text
    for suffix in (".gz", ".br"):
        assert os.path.samefile(
            first / f"index.html{suffix}", second / f"index.html{suffix}"
        )
    assert gzip.decompress((second / "new.html.gz").read_bytes()).decode() == (
        PAGE.replace("neighbours", "strangers")
    )

    # A copy the cache lost (a damaged cache) is made again, not linked.
    for stored in (cache / "precompressed").iterdir():
        stored.unlink()
    (second / "index.html.gz").unlink()
    _run(second, cache)
    assert gzip.decompress((second / "index.html.gz").read_bytes()).decode() == PAGE

    # Copies no file of the last build has leave the cache.
    (second / "new.html").unlink()
    _run(second, cache)
    assert len(list((cache / "precompressed").iterdir())) == 2  # index.html's
    assert not (second / "new.html.gz").exists()


def test_a_cache_folder_restored_as_a_copy_keeps_the_copies_right(tmp_path):
    """A rebuild knows its copies in place by their inodes, as the last
    build saw the stored ones. A cache folder restored from a copy (another
    runner, a backup) holds the same copies under other inodes: the output's
    copies are checked against it, and what changes next is linked from it."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    output.mkdir()
    page = output / "index.html"
    page.write_text(PAGE)
    _run(output, cache)
    _run(output, cache)  # in place: the copies as they were
    restored = tmp_path / "restored"
    shutil.copytree(cache, restored)
    shutil.rmtree(cache)
    _run(output, restored)
    assert gzip.decompress((output / "index.html.gz").read_bytes()).decode() == PAGE
    edited = PAGE.replace("neighbours", "strangers")
    page.write_text(edited)
    _run(output, restored)
    stored = list((restored / "precompressed").iterdir())
    for suffix in (".gz", ".br"):
        copy = output / f"index.html{suffix}"
        assert any(copy.samefile(blob) for blob in stored), suffix
    assert gzip.decompress((output / "index.html.gz").read_bytes()).decode() == edited
    assert brotli.decompress((output / "index.html.br").read_bytes()).decode() == edited


def test_the_files_it_leaves_are_handed_to_the_build_report_as_they_are(tmp_path):
    """The build report counts the output from precompress's listing, not
    another walk of it (portal.output_listing): the same files and bytes as
    a walk finds, whatever precompress made, kept, removed or left."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    (output / "stories" / "one").mkdir(parents=True)
    (output / "index.html").write_text(PAGE)
    (output / "stories" / "one" / "index.html").write_text(PAGE * 2)
    (output / "small.html").write_text("<p>hi</p>")
    (output / "small.html.gz").write_bytes(b"a copy it should not have")
    (output / "gone.html.br").write_bytes(b"the copy of a removed page")
    (output / "archive.tar.gz").write_bytes(b"not a copy" * 100)
    (output / "stories" / "one" / "talk.mp3").write_bytes(b"\0" * 3000)
    (output / "elsewhere").symlink_to(output / "stories")  # not followed
    (output / "nowhere.mp3").symlink_to(output / "missing.mp3")

    def search_writes():  # the search's bundle, written beside the build
        (output / "pagefind").mkdir()
        (output / "pagefind" / "pagefind.js").write_text(PAGE * 3)
        (output / "pagefind" / "old.js.br").write_bytes(b"a copy of a file gone")
        (output / "pagefind" / "tiny.json").write_text("{}")
        (output / "pagefind" / "tiny.json.gz").write_bytes(b"a copy it should not have")

    for formats in (("gzip", "br"), ("gzip", "br"), ("gzip",)):
        background.start(str(output / "pagefind"), search_writes)
        _run(output, cache, PRECOMPRESS_FORMATS=formats)
        listed = output_listing.take(output)
        assert listed is not None and output_listing.take(output) is None
        assert listed_size(listed) == folder_size(output)
        assert (output / "pagefind" / "pagefind.js.gz").exists()
        assert not (output / "pagefind" / "old.js.br").exists()
        assert not (output / "pagefind" / "tiny.json.gz").exists()
        shutil.rmtree(output / "pagefind")
    assert (output / "index.html.br").exists()  # left by gzip alone: counted
    assert not (output / "small.html.gz").exists()
    assert not (output / "gone.html.br").exists()

    _run(output, cache, PRECOMPRESS=False)  # none for a build that makes none
    assert output_listing.take(output) is None


def test_the_store_keeps_this_builds_copies_while_the_search_is_written_beside(
    tmp_path,
):
    """precompress lists the cache's store for copies no file has any more
    while the search's index is still being written (it ends an edit's
    build): the copies it then makes for the index's files are kept, the
    ones of bytes the output no longer has are not."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    output.mkdir()
    page = output / "index.html"
    page.write_text(PAGE)

    def search_writes(text):
        def write():
            shutil.rmtree(output / "pagefind", ignore_errors=True)
            (output / "pagefind").mkdir()
            (output / "pagefind" / "pagefind.js").write_text(text)

        return write

    def stored() -> set[str]:
        return {path.name for path in (cache / "precompressed").iterdir()}

    def copies_in(folder) -> set[str]:
        """The stored copies the copies in ``folder`` are links to."""
        store = list((cache / "precompressed").iterdir())
        return {
            next(blob.name for blob in store if path.samefile(blob))
            for path in folder.rglob("*")
            if path.suffix in (".gz", ".br")
        }

    background.start(str(output / "pagefind"), search_writes(PAGE * 3))
    _run(output, cache)
    assert stored() == copies_in(output) and len(stored()) == 4

    # An edit: the page and the search's file both change.
    page.write_text(PAGE * 2)
    background.start(str(output / "pagefind"), search_writes(PAGE * 4))
    _run(output, cache)
    assert stored() == copies_in(output) and len(stored()) == 4
    assert (
        gzip.decompress((output / "pagefind" / "pagefind.js.gz").read_bytes())
        == (PAGE * 4).encode()
    )

    # The search's file takes the bytes the page leaves: their stored
    # copies, no file's before the search's were written, are kept.
    page.write_text(PAGE * 3)
    background.start(str(output / "pagefind"), search_writes(PAGE * 2))
    _run(output, cache)
    assert stored() == copies_in(output) and len(stored()) == 4


def test_an_edit_prunes_the_copies_it_no_longer_uses_without_listing_the_store(
    tmp_path, monkeypatch
):
    """A build that compressed a few files removes the stored copies of the
    last index it no longer uses; a copy no index names (left by a build
    stopped midway) waits for a build that compressed many, which lists the
    store."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    output.mkdir()
    page = output / "index.html"
    page.write_text(PAGE)
    _run(output, cache)
    store = cache / "precompressed"
    first = {path.name for path in store.iterdir()}
    left_behind = store / ("0" * 64 + ".gz")
    left_behind.write_bytes(b"a copy a stopped build wrote")

    page.write_text(PAGE * 2)  # an edit: one file compressed
    _run(output, cache)
    now = {path.name for path in store.iterdir()}
    assert not first & now  # the edited page's old copies went
    assert left_behind.name in now and len(now) == 3

    monkeypatch.setattr(precompress_plugin, "LIST_STORE_AFTER", 1)
    page.write_text(PAGE * 3)
    _run(output, cache)
    assert not left_behind.exists()
    assert len(list(store.iterdir())) == 2
