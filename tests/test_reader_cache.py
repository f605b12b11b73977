"""Pelican's cache of read stories: keyed by content and by the reading code.

The cache is keyed by each file's bytes (``CHECK_MODIFIED_METHOD``), so a
fresh checkout, whose files all have new modification times, reads nothing
again; and by the reading code (``portal.pelican_private.key_reads_by_code``),
since an upgrade of the portal (a new field, a new check) would otherwise
keep what the old code read from every unchanged story.md."""

from __future__ import annotations

import builtins
import os
import pickle
import shutil
import zlib

import pytest

from portal import file_hashes
from portal.paths import checkout_name
from portal.sharded_pickle import shard_of
from tests.stories import write_story
from tests.support import build_site

# Pages rendered on every build (the story pipeline would keep the page, since
# only the code's digest is faked here), without the slow extras.
FRESH_PAGES = {
    "STORY_PIPELINE_CACHE": False,
    "PRECOMPRESS": False,
    "SITE_SEARCH_INDEX": False,
}


@pytest.fixture
def upgraded_reader(monkeypatch):
    """Make the reader's code look changed (or not), and make every fresh
    read visible: the body it returns ends with "Read again." in a paragraph."""
    import story_reader.reader as reader_module

    def use(digest: str):
        monkeypatch.setattr(reader_module, "code_digest", lambda: digest)

    def reread():
        original = reader_module.FrontMatterMarkdownReader.read

        def read(self, source_path):
            content, metadata = original(self, source_path)
            return content + "<p>Read again.</p>", metadata

        monkeypatch.setattr(reader_module.FrontMatterMarkdownReader, "read", read)

    return use, reread


def _story_page(output):
    return (output / "stories/cached-story/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("changed", [True, False], ids=["code-changed", "same-code"])
def test_reads_are_fresh_after_the_reading_code_changes(
    tmp_path, upgraded_reader, changed
):
    use, reread = upgraded_reader
    content = tmp_path / "content"
    write_story(content, "cached-story", body="What the old code read.")
    cache = tmp_path / "cache"
    use("old code")
    output = build_site(content, tmp_path / "out", cache_dir=cache, **FRESH_PAGES)
    assert "What the old code read." in _story_page(output)

    use("new code" if changed else "old code")
    reread()
    output = build_site(content, tmp_path / "out", cache_dir=cache, **FRESH_PAGES)
    if changed:
        assert "Read again." in _story_page(output)
    else:  # the cache still serves unchanged files
        assert "Read again." not in _story_page(output)


def test_a_fresh_checkout_with_the_cache_reads_only_what_changed(
    tmp_path, upgraded_reader
):
    """Same bytes with new modification times (a clone) are not read again;
    a story whose bytes changed is."""
    _use, reread = upgraded_reader
    content = tmp_path / "content"
    write_story(content, "cached-story", body="What the first build read.")
    write_story(content, "edited-story", body="Before the edit.")
    cache = tmp_path / "cache"
    build_site(content, tmp_path / "out", cache_dir=cache, **FRESH_PAGES)

    # The "clone": at the same place (a workflow's checkout folder), every
    # file written anew (new mtimes), the cache folder kept.
    original = tmp_path / "original"
    content.rename(original)
    shutil.copytree(original, content, copy_function=shutil.copyfile)
    for path in content.rglob("*"):
        os.utime(path, (1_900_000_000, 1_900_000_000))
    clone = content
    edited = clone / "stories/edited-story/story.md"
    edited.write_text(
        edited.read_text().replace("Before the edit.", "After the edit."),
        encoding="utf-8",
    )
    reread()
    output = build_site(clone, tmp_path / "out", cache_dir=cache, **FRESH_PAGES)
    assert "Read again." not in _story_page(output)
    edited_page = (output / "stories/edited-story/index.html").read_text()
    assert "After the edit." in edited_page
    assert "Read again." in edited_page


def test_reads_are_fresh_after_markdown_settings_change(tmp_path):
    """How Markdown is rendered is a setting: a story.md read with other
    settings is read again, not served from the cache."""
    content = tmp_path / "content"
    write_story(content, "cached-story", body='She said "maybe" -- then laughed.')
    cache = tmp_path / "cache"
    output = build_site(content, tmp_path / "out", cache_dir=cache, **FRESH_PAGES)
    assert "“maybe” – then laughed" in _story_page(output)  # smarty's quotes

    plain = {"output_format": "html5", "extension_configs": {}}
    output = build_site(
        content, tmp_path / "out", cache_dir=cache, MARKDOWN=plain, **FRESH_PAGES
    )
    assert 'She said "maybe" -- then laughed.' in _story_page(output)


def _shards(saved) -> dict[int, bytes]:
    """The reader cache file's shards, each as its bytes."""
    with open(saved, "rb") as handle:
        return pickle.load(handle)["shards"]


def test_the_cache_file_is_written_only_when_a_story_was_read(tmp_path):
    """A build that read nothing leaves the cache file as it was (pickling
    every story's entry again gives the same bytes); one that read a story
    saves it, pickling again only that story's shard, and the next build
    serves that story from it."""
    content = tmp_path / "content"
    write_story(content, "kept-story", body="Kept as it was.")
    write_story(content, "edited-story", body="Before the edit.")
    # Enough stories that most shards hold one the edit does not touch.
    for number in range(12):
        write_story(content, f"other-story-{number}", body="Another one.")
    cache = tmp_path / "cache"
    build_site(content, tmp_path / "out", cache_dir=cache, **FRESH_PAGES)
    saved = cache / "ArticlesGenerator-Readers"
    first = saved.stat()

    build_site(content, tmp_path / "out", cache_dir=cache, **FRESH_PAGES)
    assert (saved.stat().st_ino, saved.stat().st_mtime_ns) == (
        first.st_ino,
        first.st_mtime_ns,
    )

    before = _shards(saved)
    edited = content / "stories/edited-story/story.md"
    edited.write_text(edited.read_text().replace("Before", "After"), encoding="utf-8")
    build_site(content, tmp_path / "out", cache_dir=cache, **FRESH_PAGES)
    assert saved.stat().st_ino != first.st_ino  # written anew, whole
    after = _shards(saved)
    # Found by its name in the checkout: "content/stories/.../story.md".
    edited_shard = shard_of(checkout_name(str(edited), str(content)))
    assert b"After the edit." in zlib.decompress(after[edited_shard])
    assert after.keys() == before.keys()
    assert {shard for shard in after if after[shard] != before[shard]} == {edited_shard}


def test_a_story_taken_down_leaves_the_reader_cache(tmp_path):
    """Pelican keeps every file's entry it ever read; here an entry no file
    of the build asked for goes when the cache is saved: a story taken down
    (its folder removed) or renamed leaves none of its front matter (its
    people's names) in the cache, which the content repository's workflow
    keeps between runs."""
    from portal.sharded_pickle import ShardedPickle

    content = tmp_path / "content"
    write_story(content, "kept-story", title="Still here")
    write_story(content, "withdrawn-story", title="Withdrawn by its people")
    cache = tmp_path / "cache"
    build_site(content, tmp_path / "out", cache_dir=cache, **FRESH_PAGES)
    saved = cache / "ArticlesGenerator-Readers"
    names = set(ShardedPickle(False).load(saved))
    assert names == {
        "content/stories/kept-story/story.md",
        "content/stories/withdrawn-story/story.md",
    }

    shutil.rmtree(content / "stories" / "withdrawn-story")
    build_site(content, tmp_path / "out", cache_dir=cache, **FRESH_PAGES)
    entries = ShardedPickle(False).load(saved)
    assert set(entries) == {"content/stories/kept-story/story.md"}
    assert "Withdrawn by its people" not in repr(entries)


def test_an_unchanged_rebuild_opens_no_story_file(tmp_path, monkeypatch):
    """Each story.md's stamp in the reader cache is its SHA-256, remembered
    while the file's stat holds, and its CHANGE marks are found as it is
    read: a rebuild with nothing changed opens none of them (twice 10,000
    reads a build at 10,000 stories)."""
    content = tmp_path / "content"
    write_story(content, "one-story", body="Kept as it was.")
    write_story(content, "another-story", body="Kept too.")
    cache = tmp_path / "cache"
    build_site(content, tmp_path / "out", cache_dir=cache, **FRESH_PAGES)
    # A file written less than two seconds before it was hashed is hashed
    # again next time (portal.file_hashes); these were written just now.
    monkeypatch.setattr(file_hashes, "RACY_NS", 0)
    build_site(content, tmp_path / "out", cache_dir=cache, **FRESH_PAGES)

    opened = []
    real_open = builtins.open

    def spy(file, *args, **kwargs):
        if str(file).endswith("story.md"):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    build_site(content, tmp_path / "out", cache_dir=cache, **FRESH_PAGES)
    assert opened == []


def test_a_cache_that_keeps_nothing_looks_up_no_hash(tmp_path, monkeypatch):
    """Pelican's cache of whole articles is off (the reader's cache keeps what
    was read), but it stamped every story it was asked about, twice a build:
    a stat and a hash look-up a story, dropped at once."""
    from pelican.cache import FileStampDataCacher
    from pelican.settings import read_settings

    from portal import pelican_private
    from tests.support import PROJECT_ROOT

    pelican_private.make_reader_cache_safe()
    settings = read_settings(
        str(PROJECT_ROOT / "pelicanconf.py"), override={"CACHE_PATH": str(tmp_path)}
    )
    story = write_story(tmp_path / "content", "one-story") / "story.md"
    looked_up = []
    real = file_hashes.FileHashes.sha256
    monkeypatch.setattr(
        file_hashes.FileHashes,
        "sha256",
        lambda self, path: looked_up.append(str(path)) or real(self, path),
    )
    off = FileStampDataCacher(settings, "Off", False, False)
    assert off.get_cached_data(str(story), "none") == "none"
    off.cache_data(str(story), "dropped")
    assert off.get_cached_data(str(story), "none") == "none"
    assert looked_up == []
    # A cache that keeps what it is given stamps it by its bytes, as before.
    kept = FileStampDataCacher(settings, "Kept", True, True)
    kept.cache_data(str(story), "read")
    assert kept.get_cached_data(str(story), "none") == "read"
    assert looked_up == [str(story)] * 2
