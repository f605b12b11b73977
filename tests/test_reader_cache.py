"""Pelican's cache of read stories is dropped when the reading code changes.

Pelican keys its reader cache on each file's modification time only, so an
upgrade of the portal (a new field, a new check) would otherwise keep what
the old code read from every unchanged story.md."""

from __future__ import annotations

import pytest

from tests.stories import write_story
from tests.support import build_site

# Pages rendered on every build (the render cache would reuse the page, since
# only the code's digest is faked here), without the slow extras.
FRESH_PAGES = {"RENDER_CACHE": False, "PRECOMPRESS": False, "SITE_SEARCH_INDEX": False}


@pytest.fixture
def upgraded_reader(monkeypatch):
    """Make the reader's code look changed (or not), and make every fresh
    read visible: the body it returns ends with "Read again." in a paragraph."""
    import story_reader.code_stamp as code_stamp
    import story_reader.reader as reader_module

    def use(digest: str):
        monkeypatch.setattr(code_stamp, "code_digest", lambda: digest)

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
