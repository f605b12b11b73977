"""A story whose page changes only in its related stories gets those put in
again, not its whole page made (``plugins/story_pipeline/related.py``): the
site is byte for byte the one a build from nothing makes, and the story's
other files are the very files of the last build."""

from __future__ import annotations

import datetime
import json
import logging
import re
import shutil

import pytest

from tests.stories import write_story
from tests.support import build_site, copy_content

LEAN = {"SITE_SEARCH_INDEX": False, "PRECOMPRESS": False}
CARDED = re.compile(
    r"\[story_pipeline\] made the outputs of (\d+) stor.*?kept those of (\d+) .*?; "
    r"(\d+) of them with their page's related stories made again\)"
)


def _pipeline(caplog) -> tuple[int, int, int]:
    """Stories made, kept, and kept with their related stories made again."""
    [found] = [
        CARDED.search(record.getMessage())
        for record in caplog.records
        if CARDED.search(record.getMessage())
    ]
    return tuple(int(number) for number in found.groups())


TEXAS = {"name": "Austin, Texas", "geo": [30.27, -97.74]}


def _three_stories(tmp_path):
    """The content: three stories on one topic, recorded in one state."""
    content = copy_content(tmp_path / "content")
    for slug in ("river-talk", "river-walk", "porch-talk"):
        write_story(content, slug, topics=["fishing"], location=TEXAS)
    return content


def _publish_the_newest(content) -> None:
    """A conversation recorded after every other, on the same topic and in
    the same state: first among the related stories of each of them."""
    write_story(
        content,
        "river-news",
        topics=["fishing"],
        location=TEXAS,
        date=datetime.date(2024, 6, 1),
    )


def _pages(output) -> dict[str, bytes]:
    return {
        str(path.relative_to(output)): path.read_bytes()
        for path in output.rglob("*")
        if path.is_file() and path.suffix in (".html", ".json", ".vtt", ".xml")
    }


def _stamps(folder) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(folder)): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.mark.parametrize("settings_file", ["pelicanconf.py", "publishconf.py"])
def test_a_new_story_puts_itself_in_the_related_stories_of_others(
    tmp_path, caplog, settings_file
):
    content = _three_stories(tmp_path)
    caplog.set_level(logging.INFO)

    def build(output="out", cache="cache"):
        caplog.clear()
        return build_site(
            content,
            tmp_path / output,
            settings_file,
            cache_dir=tmp_path / cache,
            **LEAN,
        )

    output = build()
    before = _stamps(output / "stories" / "river-talk")
    _publish_the_newest(content)
    output = build()
    # The new story made; the three that list it now kept, their pages
    # with the related stories put in again.
    assert _pipeline(caplog) == (1, 3, 3)
    page = (output / "stories" / "river-talk" / "index.html").read_text()
    assert "/stories/river-news/" in page
    # The story's other files are the last build's, the very files.
    after = _stamps(output / "stories" / "river-talk")
    changed = {name for name, stamp in after.items() if before.get(name) != stamp}
    assert changed == {"index.html"}

    fresh = build("fresh", "fresh-cache")
    assert _pages(output) == _pages(fresh)

    # Taken down: their related stories go back to what they were.
    shutil.rmtree(content / "stories" / "river-news")
    output = build()
    assert _pipeline(caplog) == (0, 3, 3)
    shutil.rmtree(tmp_path / "fresh")
    fresh = build("fresh", "fresh-cache-2")
    assert _pages(output) == _pages(fresh)


def test_the_search_does_not_read_again_a_page_whose_related_stories_changed(
    tmp_path, caplog
):
    """The related stories are left out of the search whole: a page that
    changed in them alone is not read again for its words, and the search's
    record of every page is the one a build from nothing makes."""
    content = _three_stories(tmp_path)
    # In parts of two pages: a rebuild indexes again only what changed.
    search = {"PRECOMPRESS": False, "SITE_SEARCH_PART_PAGES": 2}
    caplog.set_level(logging.INFO)

    def build(output="out", cache="cache"):
        caplog.clear()
        build_site(content, tmp_path / output, cache_dir=tmp_path / cache, **search)
        return json.loads((tmp_path / cache / "site_search.parts.json").read_text())

    build()
    _publish_the_newest(content)
    state = build()
    assert _pipeline(caplog) == (1, 3, 3)
    # The new page is read; the three that list it now are not.
    assert "[site_search] 1 changed pages read for their words (3 more" in caplog.text
    fresh = build("fresh", "fresh-cache")
    assert state["indexed"] == fresh["indexed"]
    assert set(state["words"]) == set(fresh["words"])
