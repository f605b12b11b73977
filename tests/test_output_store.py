"""The story pipeline's store of outputs prunes what no entry names."""

from __future__ import annotations

import hashlib

from story_pipeline import store as store_module
from story_pipeline.store import FILES, FOLDER, OutputStore

STORIES = "stories"


def _build(cache, output, pages: dict[str, str]) -> set[str]:
    """One build's store: each story's page made with ``pages``' text,
    kept, saved; the names of the files the store holds after."""
    store = OutputStore(str(cache))
    for slug, text in pages.items():
        name = f"stories/{slug}/index.html"
        if store.place(STORIES, name, text, str(output)) is None:
            page = output / name
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(text)
            store.keep(STORIES, name, text, str(output), [name])
    store.save()
    return {path.name for path in (cache / FOLDER / FILES).iterdir()}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_an_edit_removes_its_old_files_without_listing_the_store(tmp_path, monkeypatch):
    """An edit removes the files of the entries it changed that no entry
    names now; a file no manifest names (stored by a build stopped before
    it saved) waits for a build that changed many entries and lists the
    store."""
    cache, output = tmp_path / "cache", tmp_path / "output"
    pages = {"one": "first talk", "two": "second talk", "same": "second talk"}
    assert _build(cache, output, pages) == {_sha("first talk"), _sha("second talk")}
    stray = cache / FOLDER / FILES / ("0" * 64)
    stray.write_bytes(b"stored by a build that stopped")

    pages["one"] = "first talk, edited"
    assert _build(cache, output, pages) == {
        _sha("first talk, edited"),
        _sha("second talk"),
        stray.name,
    }
    # Bytes another story still has stay.
    pages["two"] = "second talk, edited"
    assert _build(cache, output, pages) == {
        _sha("first talk, edited"),
        _sha("second talk"),
        _sha("second talk, edited"),
        stray.name,
    }

    monkeypatch.setattr(store_module, "LIST_STORE_AFTER", 1)
    pages["one"] = "first talk, again"
    assert _build(cache, output, pages) == {
        _sha("first talk, again"),
        _sha("second talk"),
        _sha("second talk, edited"),
    }


def test_a_rebuild_in_place_looks_at_the_output_alone_and_mends_what_changed(
    tmp_path, monkeypatch
):
    """A rebuild in place finds nearly every kept file linked into the
    output already: the output's file is the stored one (its inode, size
    and file system), so the stored file is not looked at too (70,000
    stats at 10,000 stories). A file in the output that is no longer the
    stored one, even of the same size, is linked again from the store."""
    import os

    cache, output = tmp_path / "cache", tmp_path / "output"
    pages = {"one": "first talk", "two": "second talk"}
    _build(cache, output, pages)  # made and kept
    _build(cache, output, pages)  # placed: the inodes noted in the manifest
    store_files = str(cache / FOLDER / FILES)
    stats = []
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        stats.append(os.fspath(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(store_module.os, "stat", stat)
    _build(cache, output, pages)
    assert [path for path in stats if path.startswith(store_files + os.sep)] == []
    assert str(output / "stories/one/index.html") in stats

    # Replaced in the output by other bytes of the same size (not by the
    # build): put back from the store.
    page = output / "stories/two/index.html"
    page.unlink()
    page.write_text("SECOND TALK")
    stats.clear()
    _build(cache, output, pages)
    assert page.read_text() == "second talk"
    assert os.path.samefile(page, cache / FOLDER / FILES / _sha("second talk"))
