"""Rebuilds do only the work that changed (no timings: see benchmarks/).

Builds of one site into the same output and cache: a cold build, a rebuild
with nothing changed, rebuilds after one story's Markdown, audio and
transcript changed, and a fresh checkout (every file new, with a new mtime)
with the cache folder restored. What each build read, parsed, rendered,
wrote and compressed is read from what it logs and from the output files
themselves (their bytes and mtimes)."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import re
import shutil

import mutagen
import pytest
from mutagen.id3 import COMM
from story_pipeline.pages import PageCache

from tests.stories import write_story
from tests.support import build_site, copy_content, images_shared


@dataclasses.dataclass
class BuildLog:
    """What one build said it did, read from its log."""

    audio_examined: int  # audio files opened with mutagen
    transcripts_parsed: list[str]  # transcript files parsed
    stories_made: int  # stories whose outputs (page, embed, transcripts...) were made
    stories_kept: int  # stories whose outputs came from the cache, not made
    # of those, stories whose page had its related stories put in again
    stories_carded: int
    written: int  # output files written (the rest kept their bytes and mtime)
    unchanged: int
    pages_kept: int  # other pages' files linked from the cache, not rendered
    compressed: int
    art_made: list[str]  # podcast art and pictures made (not in the cache)
    cards_drawn: list[str]  # share cards drawn (not in the cache)
    index_kept: bool  # the search index kept: Pagefind not run
    episodes_made: int  # the feed's episodes made (the others kept)

    @classmethod
    def of(cls, messages: list[str]) -> BuildLog:
        def number(pattern: str, group: int = 1) -> int:
            found = [re.search(pattern, m) for m in messages]
            [match] = [m for m in found if m]
            return int(match.group(group))

        writes = (
            r"\[unchanged_writes\] (\d+) files written, (\d+) unchanged"
            r".*?; (\d+) pages kept"
        )
        stories = r"\[story_pipeline\] made the outputs of (\d+) stor.*?of (\d+) "
        carded = r"(\d+) of them with their page's related stories"
        return cls(
            audio_examined=number(r"\[story_audio\] (\d+) audio files? examined"),
            transcripts_parsed=[
                m for m in messages if m.startswith("[transcripts] parsing ")
            ],
            stories_made=number(stories, 1),
            stories_kept=number(stories, 2),
            stories_carded=number(carded)
            if any(re.search(carded, m) for m in messages)
            else 0,
            written=number(writes, 1),
            unchanged=number(writes, 2),
            pages_kept=number(writes, 3),
            compressed=number(r"\[precompress\] (\d+) files compressed"),
            art_made=[m for m in messages if m.startswith("[artwork] making ")],
            cards_drawn=[
                m for m in messages if m.startswith("[story_embeds] drawing ")
            ],
            index_kept="[site_search] no page changed: the index is kept" in messages,
            episodes_made=number(r"\[podcast_feed\] wrote .* episodes \((\d+) made"),
        )


class Builder:
    """Builds ``content`` into ``out`` with the cache ``cache``, all under
    one folder, and reads back what each build logged.

    The first build's new cache starts with the run's pictures, podcast art
    and logos (``images_shared``; the sample build's among them), which a
    test of what the first build draws turns off (``shared_images``)."""

    def __init__(self, tmp_path, caplog, shared_images=True):
        self.tmp_path = tmp_path
        self.caplog = caplog
        self.markdown_reads = 0
        self.shared_images = shared_images
        caplog.set_level(logging.INFO)
        # Which files are parsed, and which art is made, is said at debug level.
        caplog.set_level(logging.DEBUG, logger="transcripts")
        caplog.set_level(logging.DEBUG, logger="artwork")
        caplog.set_level(logging.DEBUG, logger="story_embeds")

    def __call__(self, **settings) -> tuple[object, BuildLog]:
        self.caplog.clear()
        self.markdown_reads = 0
        cache = self.tmp_path / "cache"
        with images_shared(cache) if self.shared_images else contextlib.nullcontext():
            output = build_site(
                self.tmp_path / "content",
                self.tmp_path / "out",
                cache_dir=cache,
                **settings,
            )
        messages = [record.getMessage() for record in self.caplog.records]
        assert not [m for m in messages if "Cannot load plugin" in m]
        return output, BuildLog.of(messages)


@pytest.fixture
def build(tmp_path, caplog, monkeypatch):
    """A Builder; it also counts the Markdown files Pelican's reader cache
    let through to our reader (Pelican logs every file, read or cached)."""
    import story_reader.reader as reader_module

    builder = Builder(tmp_path, caplog)
    original = reader_module.FrontMatterMarkdownReader.read

    def counting_read(self, source_path):
        builder.markdown_reads += 1
        return original(self, source_path)

    monkeypatch.setattr(reader_module.FrontMatterMarkdownReader, "read", counting_read)
    return builder


def _snapshot(output):
    """path -> (mtime_ns, size) of every file in the output."""
    return {
        str(path.relative_to(output)): (path.stat().st_mtime_ns, path.stat().st_size)
        for path in output.rglob("*")
        if path.is_file()
    }


def _plain_theme_file(name: str) -> bool:
    parts = name.split(".")
    return name.startswith("theme/") and not (len(parts) >= 3 and len(parts[-2]) == 10)


def _touched(before: dict, after: dict) -> set[str]:
    """Files written since ``before``, leaving out those every build writes:
    Pelican copies the theme's static files on every build (small; their
    fingerprinted copies, which pages link, stay untouched), and the
    pelican-sitemap package rewrites sitemap.xml (same bytes, new mtime)."""
    return {
        name
        for name, stamp in after.items()
        if before.get(name) != stamp
        and not _plain_theme_file(name)
        and name != "sitemap.xml"
    }


def _own_outputs(slug: str, names) -> list[str]:
    """The story's own output files among ``names``: its folder, and the
    search index's files (named by hash, they hold the changed page's words)."""
    return [
        name
        for name in names
        if name.startswith(f"stories/{slug}/") or name.startswith("pagefind/")
    ]


def _uncompressed(name: str) -> str:
    """A pre-compressed copy's original (page.html for page.html.gz)."""
    for suffix in (".gz", ".br"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _shows(path, slug: str) -> bool:
    """Does this output file show (link to) the story ``slug``?"""
    return f"/stories/{slug}/" in path.read_text(encoding="utf-8", errors="replace")


def _html_pages(output) -> dict[str, bytes]:
    return {
        str(path.relative_to(output)): path.read_bytes()
        for path in output.rglob("*.html")
    }


def _published_stories(content, output) -> list:
    return sorted(
        path.parent
        for path in (content / "stories").glob("*/story.md")
        if (output / "stories" / path.parent.name / "index.html").exists()
    )


def test_rebuilds_redo_only_what_changed(tmp_path, build):
    # Without the search index: whether Pagefind runs again is the fresh
    # checkout's test (its index_kept); here it was a full index of the
    # sample each time a page changed.
    lean = {"SITE_SEARCH_INDEX": False}
    content = copy_content(tmp_path / "content", stories=True)
    output, log = build(**lean)
    stories = _published_stories(content, output)
    assert len(stories) >= 5
    assert log.audio_examined >= 5  # every story's audio read once
    assert len(log.transcripts_parsed) >= 5  # and every transcript parsed
    # Every story's outputs made: page, embed page, VTT, SRT, JSON...
    assert log.stories_made == len(stories) and log.stories_kept == 0
    assert build.markdown_reads >= len(stories)
    assert log.written > 10 and log.unchanged == 0
    assert log.compressed > 10
    assert log.episodes_made == len(stories)
    feed = (output / "podcast.xml").read_bytes()
    before = _snapshot(output)

    # Nothing changed: no Markdown or audio read, no file written or compressed.
    output, log = build(**lean)
    assert log.audio_examined == 0
    assert log.transcripts_parsed == []
    assert build.markdown_reads == 0
    # Nothing in the site changed: no page rendered at all, every listing
    # and campaign page linked from the cache.
    assert log.written == 0 and log.unchanged == 0 and log.pages_kept > 10
    # No story's page, embed page or transcript files made again.
    assert log.stories_made == 0 and log.stories_kept == len(stories)
    assert log.compressed == 0
    # The feed's episodes kept, and the feed the same to the byte.
    assert log.episodes_made == 0
    assert (output / "podcast.xml").read_bytes() == feed
    assert _touched(before, _snapshot(output)) == set()

    # One story's Markdown edited: that file alone is read again, its page
    # alone (and its compressed copies) changes among story pages.
    edited = stories[0]
    with open(edited / "story.md", "a", encoding="utf-8") as handle:
        handle.write("\nThey met again a year later.\n")
    output, log = build(**lean)
    assert build.markdown_reads == 1
    assert log.audio_examined == 0
    assert log.stories_made == 1
    after = _snapshot(output)
    changed = {name for name in after if after[name] != before.get(name)}
    page = f"stories/{edited.name}/index.html"
    assert {page, page + ".gz", page + ".br"} <= changed
    other_story_pages = {
        name
        for name in changed
        if name.startswith("stories/")
        and name.count("/") == 2
        and not name.startswith(f"stories/{edited.name}/")
    }
    assert not other_story_pages
    assert "They met again a year later." in (output / page).read_text()
    # Its episode alone made again: the feed's show notes have the new words.
    assert log.episodes_made == 1
    assert "They met again a year later." in (output / "podcast.xml").read_text()
    before = after

    # One story's audio exported again with a new tag (story.md untouched):
    # that file alone is read again, and its page shows the new file size.
    replaced = next(s for s in stories[1:] if (s / "conversation.mp3").exists())
    audio = replaced / "conversation.mp3"
    old_size = audio.stat().st_size
    tags = mutagen.File(audio)
    tags["COMM::eng"] = COMM(encoding=3, lang="eng", desc="", text=["x" * 4000])
    tags.save()
    assert audio.stat().st_size > old_size
    output, log = build(**lean)
    assert log.audio_examined == 1
    assert log.episodes_made == 1  # its enclosure is a new file
    assert build.markdown_reads == 0
    assert log.transcripts_parsed == []
    after = _snapshot(output)
    page = f"stories/{replaced.name}/index.html"
    assert after[page] != before.get(page)
    rewritten = {
        name
        for name in after
        if name.startswith("stories/")
        and name.count("/") == 2
        and name.endswith("/index.html")
        and after[name] != before.get(name)
    }
    assert rewritten == {page}
    # A new master makes a new rendition (keyed by the master's bytes), under
    # a new name; the earlier one is gone.
    [rendition] = (output / "stories" / replaced.name).glob(f"{replaced.name}-*.mp3")
    assert rendition.name in (output / page).read_text()

    # One transcript corrected: it alone is parsed and written out again.
    corrected = stories[-1] / "transcript.vtt"
    lines = corrected.read_text(encoding="utf-8").splitlines()
    first_cue = next(i for i, line in enumerate(lines) if line.startswith("<v "))
    lines[first_cue] += " (corrected)"
    corrected.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output, log = build(**lean)
    assert log.transcripts_parsed == [
        f"[transcripts] parsing {corrected} (not in the cache)"
    ]
    assert log.stories_made == 1
    vtt = output / "stories" / stories[-1].name / "transcript.vtt"
    assert "(corrected)" in vtt.read_text(encoding="utf-8")


def _fresh_checkout(folder) -> None:
    """``folder`` as a fresh clone has it: the same bytes in new files (new
    inodes) whose mtimes are all the time of the checkout."""
    clone = folder.with_name(folder.name + ".clone")
    shutil.copytree(folder, clone, copy_function=shutil.copyfile)
    shutil.rmtree(folder)
    clone.rename(folder)
    for path in folder.rglob("*"):
        os.utime(path)


def _restore_cache(folder) -> None:
    """``folder`` as actions/cache restores it: unpacked from an archive into
    new files (new inodes and ctimes), mtimes as they were saved."""
    saved = folder.with_name(folder.name + ".saved")
    shutil.copytree(folder, saved)
    shutil.rmtree(folder)
    saved.rename(folder)


def test_a_fresh_checkout_with_the_cache_restored_redoes_nothing(tmp_path, build):
    """The content repository's publish workflow: a new clone (every file a
    new mtime) and the cache folder kept between runs. Nothing unchanged is
    read, parsed or written again, and an edited story alone is."""
    build.shared_images = False  # the first build draws every picture itself
    content = copy_content(tmp_path / "content", stories=True)
    output, log = build()
    stories = _published_stories(content, output)
    assert log.audio_examined >= 5 and len(log.transcripts_parsed) >= 5
    assert len(log.art_made) >= 5  # the stories' podcast art and pictures
    assert len(log.cards_drawn) >= 5 and not log.index_kept
    before = _snapshot(output)

    _fresh_checkout(content)
    _restore_cache(tmp_path / "cache")
    output, log = build()
    assert log.audio_examined == 0
    assert log.transcripts_parsed == []
    assert log.stories_made == 0
    assert log.art_made == [] and log.cards_drawn == []
    assert log.index_kept and log.episodes_made == 0
    assert build.markdown_reads == 0  # Pelican's reader cache: by SHA-256
    assert log.written == 0 and log.compressed == 0
    assert _touched(before, _snapshot(output)) == set()

    # The next clone brings one edited story: its page alone is made again.
    _fresh_checkout(content)
    _restore_cache(tmp_path / "cache")
    edited = stories[1]
    with open(edited / "story.md", "a", encoding="utf-8") as handle:
        handle.write("\nThey wrote to each other for years.\n")
    output, log = build()
    assert build.markdown_reads == 1
    assert log.audio_examined == 0 and log.transcripts_parsed == []
    after = _snapshot(output)
    page = f"stories/{edited.name}/index.html"
    assert "They wrote to each other for years." in (output / page).read_text()
    touched = _touched(before, after)
    story_pages = {
        name for name in touched if name.startswith("stories/") and name.count("/") == 2
    }
    assert story_pages == {page, page + ".gz", page + ".br"}
    # Everything else written again shows the edited story: its own files,
    # the listings and feeds that list it, and the search index of its page.
    assert touched, "the edited story's page was not written"
    for name in touched - set(_own_outputs(edited.name, touched)):
        assert _shows(output / _uncompressed(name), edited.name), (
            f"{name} was written again, but it does not show {edited.name}"
        )

    # A fresh runner has no output/ at all, only the restored cache: the
    # pages come from the cache, and only another edited story is rendered.
    shutil.rmtree(output)
    _fresh_checkout(content)
    _restore_cache(tmp_path / "cache")
    edited = stories[2]
    with open(edited / "story.md", "a", encoding="utf-8") as handle:
        handle.write("\nThey still meet for coffee.\n")
    output, log = build()
    assert log.stories_made == 1  # the cache has every other story's files
    assert log.stories_kept == len(stories) - 1
    assert log.episodes_made == 1  # and every other story's episode
    page = output / "stories" / edited.name / "index.html"
    assert "They still meet for coffee." in page.read_text(encoding="utf-8")
    for other in stories:
        assert (output / "stories" / other.name / "index.html").is_file()

    # A runner that checks out at another path (another machine, another
    # repository name), with the cache restored there: nothing is read or
    # rendered again, and nothing is taken from the first checkout (gone).
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(content, elsewhere / "content")
    shutil.copytree(tmp_path / "cache", elsewhere / "cache")
    shutil.rmtree(content)
    build.markdown_reads = 0
    output, log = Builder(elsewhere, build.caplog)()
    assert log.stories_made == 0 and log.stories_kept == len(stories)
    assert build.markdown_reads == 0
    assert log.audio_examined == 0 and log.transcripts_parsed == []
    records = build.caplog.records
    said = [r.getMessage() for r in records if r.levelno >= logging.WARNING]
    assert [m for m in said if not m.startswith("[approval_gate] held back")] == []


def test_stories_taken_down_leave_nothing_of_their_own_in_the_cache(tmp_path, build):
    """The content repository's workflow keeps the cache folder between runs.
    A story taken down (its folder removed: its people withdrew) leaves
    nothing of its own there: not its front matter (Pelican's reader
    cache), its share card (their names), its picture and podcast art, or
    the cover art in its recording; what the site still shows stays, and
    nothing is made again."""
    from portal.sharded_pickle import ShardedPickle

    lean = {"SITE_SEARCH_INDEX": False}
    content = copy_content(tmp_path / "content", stories=True)
    output, log = build(**lean)
    # Two sample stories: one with a picture, one whose recording holds
    # cover art.
    gone = [content / "stories" / "a-second-chance"]
    gone.append(content / "stories" / "i-try-to-not-bring-up-politics")
    assert set(gone) <= set(_published_stories(content, output))
    folders = [output / "stories" / story.name for story in gone]
    cards = [p.read_bytes() for folder in folders for p in folder.glob("share-*.jpg")]
    art = [
        p.read_bytes()
        for folder in folders
        for p in folder.iterdir()
        if p.suffix in (".jpg", ".webp") and not p.name.startswith("share-")
    ]
    assert len(cards) == 2 and art

    cache = tmp_path / "cache"

    def in_cache(found: list[bytes], name: str) -> int:
        return sum(p.read_bytes() in found for p in (cache / name).iterdir())

    def read() -> set[str]:
        return set(ShardedPickle(False).load(cache / "ArticlesGenerator-Readers"))

    names = {f"content/stories/{story.name}/story.md" for story in gone}
    assert in_cache(cards, "story_embeds") == 2
    assert in_cache(art, "artwork") >= 2  # podcast art and picture sizes
    assert names <= read()
    assert len(list((cache / "story_audio_covers").iterdir())) == 1

    for story in gone:
        shutil.rmtree(story)
    output, log = build(**lean)
    assert in_cache(cards, "story_embeds") == 0
    assert in_cache(art, "artwork") == 0
    assert not names & read()
    assert list((cache / "story_audio_covers").iterdir()) == []
    # What the site still shows stayed: no picture made or card drawn again
    # (the other stories' pages are, their neighbours changed), nor after.
    assert log.art_made == [] and log.cards_drawn == []
    output, log = build(**lean)
    assert log.art_made == [] and log.cards_drawn == [] and log.stories_made == 0


def test_a_changed_template_renders_every_story_page_again(tmp_path, build):
    from tests.support import PROJECT_ROOT

    copy_content(tmp_path / "content", stories=True)
    theme = tmp_path / "theme"
    shutil.copytree(PROJECT_ROOT / "theme", theme)

    # The search index is not what is tested (BuildLog reads the
    # pre-compression's count, so that stays on).
    no_search = {"SITE_SEARCH_INDEX": False}
    output, log = build(THEME=str(theme), **no_search)
    pages = sorted((output / "stories").glob("*/index.html"))
    assert len(pages) >= 5
    output, log = build(THEME=str(theme), **no_search)
    assert log.stories_made == 0 and log.stories_kept == len(pages)

    # A comment in a template changes no page: none is made again.
    article = theme / "templates" / "article.html"
    article.write_text("{# Each story's page. #}\n" + article.read_text())
    output, log = build(THEME=str(theme), **no_search)
    assert log.stories_made == 0 and log.stories_kept == len(pages)

    article.write_text(
        article.read_text().replace(
            '<article class="story"', '<article data-marker="v2" class="story"'
        )
    )
    output, log = build(THEME=str(theme), **no_search)
    assert log.stories_made == len(pages) and log.stories_kept == 0
    assert all('data-marker="v2"' in page.read_text() for page in pages)


def test_a_comment_in_the_code_makes_no_story_again(tmp_path, build):
    """A comment or docstring corrected in the plugins made every story's
    outputs again (minutes at 10,000 stories): the stories' keys hold the
    code by its syntax. A change to what the code does still makes them."""
    from tests.support import PROJECT_ROOT

    copy_content(tmp_path / "content", stories=True)
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    helper = plugins / "helper_code.py"
    helper.write_text('"""Limits."""\n\nLIMIT = 3  # stories\n')
    settings = {
        "PLUGIN_PATHS": [str(PROJECT_ROOT / "plugins"), str(plugins)],
        "SITE_SEARCH_INDEX": False,
    }
    output, log = build(**settings)
    made = log.stories_made
    assert made >= 5
    pages = _html_pages(output)

    helper.write_text('"""How many, at most."""\n\n# Stories a page.\nLIMIT = 3\n')
    output, log = build(**settings)
    assert log.stories_made == 0 and log.stories_kept == made
    assert _html_pages(output) == pages

    helper.write_text("LIMIT = 4\n")
    output, log = build(**settings)
    assert log.stories_made == made and log.stories_kept == 0


def test_how_copies_and_the_index_are_made_makes_no_page_again(tmp_path, build):
    """Pre-compression's and the search index's settings shape the copies and
    the index, no page: tuned, they made every story again."""
    copy_content(tmp_path / "content", stories=True)
    output, log = build()
    made = log.stories_made
    assert made >= 5
    pages = _html_pages(output)
    index = sorted(p.name for p in (output / "pagefind").iterdir())

    output, log = build(PRECOMPRESS_BROTLI_QUALITY=5, SITE_SEARCH_PART_PAGES=3)
    assert log.stories_made == 0 and log.stories_kept == made
    assert log.pages_kept > 0 and _html_pages(output) == pages
    # What they shape is made again: every copy, and the index in parts.
    assert log.compressed > 0 and not log.index_kept
    assert sorted(p.name for p in (output / "pagefind").iterdir()) != index
    assert (output / "pagefind" / "parts.json").is_file()


def test_stories_made_again_aside_link_their_unchanged_files_to_the_cache(tmp_path):
    """A build made aside (a fresh output folder, as every publish) after a
    template changed makes every story again: the files whose bytes did not
    change (transcripts, chapters, share cards) are the cache's files, hard
    links, not copies of their own. Copies doubled the disk those files take,
    and a rebuild in place would read each one and its stored twin to find
    them the same, on every build."""
    from tests.support import PROJECT_ROOT

    copy_content(tmp_path / "content", stories=True)
    theme = tmp_path / "theme"
    shutil.copytree(PROJECT_ROOT / "theme", theme)
    cache = tmp_path / "cache"
    no_search = {"SITE_SEARCH_INDEX": False, "PRECOMPRESS": False}
    with images_shared(cache):  # the run's pictures and logos: not tested here
        build_site(tmp_path / "content", tmp_path / "first", cache_dir=cache,
                   THEME=str(theme), **no_search)  # fmt: skip
    article = theme / "templates" / "article.html"
    article.write_text(
        article.read_text().replace(
            '<article class="story"', '<article data-marker="v2" class="story"'
        )
    )
    output = build_site(tmp_path / "content", tmp_path / "second", cache_dir=cache,
                        THEME=str(theme), **no_search)  # fmt: skip

    stored = {}
    for path in (cache / "story_outputs" / "files").iterdir():
        stored[(path.stat().st_dev, path.stat().st_ino)] = path.name
    cards = sorted(output.glob("stories/*/share-*.jpg"))
    transcripts = sorted(output.glob("stories/*/transcript.vtt"))
    assert len(cards) >= 5 and len(transcripts) >= 5
    unchanged = cards + transcripts + sorted(output.glob("stories/*/chapters.json"))
    for path in unchanged:
        held = (path.stat().st_dev, path.stat().st_ino)
        assert held in stored, (
            f"{path.relative_to(output)} is a copy, not the cache's file"
        )
        assert (
            path.read_bytes()
            == (cache / "story_outputs" / "files" / stored[held]).read_bytes()
        )
    # The pages changed: made again, and kept under their new bytes.
    for page in output.glob("stories/*/index.html"):
        assert 'data-marker="v2"' in page.read_text(encoding="utf-8")
        assert (page.stat().st_dev, page.stat().st_ino) in stored


def test_a_new_ffmpeg_makes_again_the_pages_that_play_its_audio(
    tmp_path, build, monkeypatch
):
    """Another ffmpeg (a runner's system updated) encodes every rendition
    again, with no file of any story changed: each published rendition gets
    a new name and the earlier one is removed, so every story's page must be
    made again to play the new one (it was kept, playing a removed file)."""
    import audio_rendition.ffmpeg as ffmpeg_module

    content = copy_content(tmp_path / "content")
    write_story(content, "porch-talk", location=None, featured=False)
    lean = {"SITE_SEARCH_INDEX": False}
    output, log = build(**lean)
    page = output / "stories/porch-talk/index.html"
    [first] = set(re.findall(r"porch-talk-[0-9a-f]+\.mp3", page.read_text()))

    version = ffmpeg_module.version()
    monkeypatch.setattr(ffmpeg_module, "version", lambda: version + " (updated)")
    output, log = build(**lean)
    assert log.stories_made == 1
    [now] = set(re.findall(r"porch-talk-[0-9a-f]+\.mp3", page.read_text()))
    assert now != first
    assert (output / "stories/porch-talk" / now).is_file()
    assert not (output / "stories/porch-talk" / first).exists()


def test_a_new_title_renders_again_only_the_pages_that_show_it(tmp_path, build):
    """A story's page shows other stories only on its cards (related
    conversations, more from its place): retitling one story renders again
    its own page and the pages whose cards show it, and no other."""
    content = copy_content(tmp_path / "content")
    apart = {"location": None, "featured": False}
    write_story(content, "garden-talk", topics=["gardens"], **apart)
    write_story(content, "garden-walk", topics=["gardens"], **apart)
    write_story(content, "river-talk", topics=["fishing"], **apart)
    lean = {"SITE_SEARCH_INDEX": False}
    output, log = build(**lean)
    walk = output / "stories/garden-walk/index.html"
    river = output / "stories/river-talk/index.html"
    assert "Conversation garden-talk" in walk.read_text()  # its related card
    assert "garden-talk" not in river.read_text()
    fishing = output / "topics/fishing/index.html"
    fishing_before = fishing.stat()

    story = content / "stories/garden-talk/story.md"
    story.write_text(
        story.read_text().replace("Conversation garden-talk", "Tending a garden")
    )
    output, log = build(**lean)
    assert "Tending a garden" in walk.read_text()
    # The retitled story is made again, and the story whose page shows its
    # card gets its related stories again (the rest of its page and files
    # as they were); the river story is kept as it was.
    assert (log.stories_made, log.stories_kept, log.stories_carded) == (1, 2, 1)
    assert "Tending a garden" not in river.read_text()
    # The pages that list it are rendered again, and show the new title;
    # the listing it is not on (its stories' cards the same) is kept, the
    # very file, and is the page a build from nothing makes.
    assert log.pages_kept == 1
    for listing in ("stories/index.html", "topics/gardens/index.html"):
        assert "Tending a garden" in (output / listing).read_text(), listing
    after = fishing.stat()
    assert (after.st_ino, after.st_mtime_ns) == (
        fishing_before.st_ino,
        fishing_before.st_mtime_ns,
    )
    fresh = build_site(
        content, tmp_path / "fresh", cache_dir=tmp_path / "fresh-cache", **lean
    )
    assert _html_pages(output) == _html_pages(fresh)


def _chapter(question: str) -> list[dict]:
    return [{"start": "0:00", "title": "The question", "question": question}]


def test_a_new_story_renders_again_only_the_listings_it_is_on(tmp_path, build):
    """A listing is kept under its own stories: a story published renders
    again the listings it joins (every story, its topic, place,
    relationship, question) and keeps, the very files, those of the topics,
    places, relationships and questions it is not on; the site is then the
    site a build from nothing makes."""
    content = copy_content(tmp_path / "content")
    texas = {"name": "Austin, Texas", "geo": [30.27, -97.74]}
    write_story(content, "river-talk", topics=["fishing"], location=texas,
                relationship="family", chapters=_chapter("why-here"))  # fmt: skip
    write_story(content, "river-walk", topics=["fishing"], location=texas,
                relationship="family", chapters=_chapter("why-here"))  # fmt: skip
    write_story(content, "garden-talk", topics=["gardens"],
                relationship="friends", chapters=_chapter("parents"))  # fmt: skip
    lean = {"SITE_SEARCH_INDEX": False, "DEFAULT_PAGINATION": 1}
    output, log = build(**lean)
    apart = [
        "topics/fishing/index.html",
        "topics/fishing/page/2/index.html",
        "places/texas/index.html",
        "places/texas/page/2/index.html",
        "places/texas/austin/index.html",
        "places/texas/austin/page/2/index.html",
        "relationships/family/index.html",
        "relationships/family/page/2/index.html",
        "questions/why-here/index.html",
    ]
    joined = [
        "stories/index.html",
        "topics/gardens/index.html",
        "relationships/friends/index.html",
        "questions/parents/index.html",
    ]
    before = {name: (output / name).stat() for name in apart + joined}

    # Nothing changed: each listing's key is the last build's, not made again.
    def not_again(*args):
        raise AssertionError("a listing's key made again with nothing changed")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PageCache, "_scope", not_again)
        output, log = build(**lean)
    assert (log.written, log.unchanged) == (0, 0) and log.pages_kept > len(apart)

    write_story(content, "garden-walk", topics=["gardens"],
                relationship="friends", chapters=_chapter("parents"))  # fmt: skip
    output, log = build(**lean)
    assert log.stories_made >= 1
    for name in apart:
        after = (output / name).stat()
        assert (after.st_ino, after.st_mtime_ns) == (
            before[name].st_ino,
            before[name].st_mtime_ns,
        ), name
    # Kept: the pages of the topic, place, relationship and question apart,
    # and those alone.
    assert log.pages_kept == len(apart)
    for name in joined:
        assert "garden-walk" in (output / name).read_text() or (
            "garden-walk"
            in (output / name.replace("index.html", "page/2/index.html")).read_text()
        ), name
    fresh = build_site(
        content, tmp_path / "fresh", cache_dir=tmp_path / "fresh-cache", **lean
    )
    assert _html_pages(output) == _html_pages(fresh)

    # And taken down again: the listings it was on are rendered again, the
    # others still kept, and the site is again a build from nothing's.
    shutil.rmtree(content / "stories/garden-walk")
    output, log = build(**lean)
    assert log.pages_kept >= len(apart)
    assert not (output / "stories/garden-walk").exists()
    shutil.rmtree(tmp_path / "fresh")
    fresh = build_site(
        content, tmp_path / "fresh", cache_dir=tmp_path / "fresh-cache-2", **lean
    )
    assert _html_pages(output) == _html_pages(fresh)


def test_an_edited_story_is_written_before_any_other_page(tmp_path, build):
    """The story the cache cannot serve is made as soon as Pelican's writer
    is made, before the listings and every other page: the search adds its
    page to the part it reads ahead that much sooner (site_search/ahead.py).
    The other stories are put in place later, and the site is the same."""
    from pelican import signals

    content = copy_content(tmp_path / "content")
    write_story(content, "garden-talk", topics=["gardens"])
    write_story(content, "porch-talk", topics=["gardens"])
    lean = {"SITE_SEARCH_INDEX": False}
    build(**lean)
    story = content / "stories" / "garden-talk" / "story.md"
    story.write_text(story.read_text().replace("Conversation garden-talk", "Retold"))
    written = []

    def note(path, context=None):
        written.append(os.path.relpath(path, tmp_path / "out"))

    signals.content_written.connect(note)
    try:
        output, log = build(**lean)
    finally:
        signals.content_written.disconnect(note)
    assert log.stories_made == 1
    pages = [path for path in written if path.endswith(".html")]
    assert pages[0] == os.path.join("stories", "garden-talk", "index.html"), pages[:5]
    assert "index.html" in pages  # the home page: kept, and told of after
    assert "Retold" in (output / "stories/garden-talk/index.html").read_text()


def test_a_build_in_place_removes_the_files_no_story_has_now(tmp_path, build):
    """Built in place (the same folder, not emptied first), a story taken
    down must not stay served from its old files, nor a share card under
    its old name: the pipeline removes what the last build made that no
    story of this one has."""
    content = copy_content(tmp_path / "content")
    write_story(content, "kept-talk", topics=["gardens"])
    write_story(content, "gone-talk", topics=["gardens"])
    lean = {"SITE_SEARCH_INDEX": False, "DELETE_OUTPUT_DIRECTORY": False}
    output, _ = build(**lean)
    gone = output / "stories" / "gone-talk"
    made = sorted(p.name for p in gone.rglob("*") if p.is_file())
    assert {"index.html", "oembed.json"} <= set(made)
    [old_card] = (output / "stories" / "kept-talk").glob("share-*.jpg")

    story = content / "stories" / "gone-talk" / "story.md"
    story.write_text(story.read_text().replace("status: published", "status: draft"))
    kept = content / "stories" / "kept-talk" / "story.md"
    kept.write_text(kept.read_text().replace("Conversation kept-talk", "A new title"))
    output, _ = build(**lean)
    left = sorted(str(p.relative_to(output)) for p in gone.rglob("*") if p.is_file())
    assert not [name for name in left if name.endswith((".html", ".json", ".vtt"))]
    assert not list(gone.glob("share-*.jpg")), left
    [new_card] = (output / "stories" / "kept-talk").glob("share-*.jpg")
    assert new_card.name != old_card.name and not old_card.exists()
    assert "A new title" in (output / "stories/kept-talk/index.html").read_text()


def test_pages_come_from_the_cache_until_anything_in_the_site_changes(tmp_path, build):
    """Listings and campaign pages are kept under the site's key (what they
    may show of every story, the code, theme, settings and the content
    outside the stories): a rebuild with nothing changed, or with only a
    story's introduction edited, renders none of them, and an edited
    campaign page or a changed setting renders them all again."""
    content = copy_content(tmp_path / "content")
    write_story(content, "garden-talk", topics=["gardens"])
    lean = {"SITE_SEARCH_INDEX": False}
    output, log = build(**lean)
    assert log.pages_kept == 0 and log.written > 10
    home = (output / "index.html").read_bytes()

    output, log = build(**lean)
    assert log.pages_kept > 10
    assert (log.written, log.unchanged) == (0, 0)  # not one page rendered
    assert (output / "index.html").read_bytes() == home

    # A story's introduction edited: only its own page shows it. Every other
    # page comes from the cache, the same as a build without the cache.
    story = content / "stories" / "garden-talk" / "story.md"
    story.write_text(story.read_text() + "\nThey met again in the spring.\n")
    output, log = build(**lean)
    assert log.pages_kept > 10 and log.stories_made == 1
    page = output / "stories" / "garden-talk" / "index.html"
    assert "They met again in the spring." in page.read_text(encoding="utf-8")
    fresh = build_site(
        content, tmp_path / "fresh", cache_dir=tmp_path / "fresh-cache", **lean
    )
    assert _html_pages(output) == _html_pages(fresh)

    about = content / "pages" / "about.md"
    about.write_text(about.read_text() + "\nWe added this line for the test.\n")
    output, log = build(**lean)
    assert log.pages_kept == 0
    assert "We added this line for the test." in (
        output / "about" / "index.html"
    ).read_text(encoding="utf-8")

    output, log = build(SITENAME="A Renamed Campaign", **lean)
    assert log.pages_kept == 0
    assert "A Renamed Campaign" in (output / "index.html").read_text(encoding="utf-8")
    assert "A Renamed Campaign" in (output / "stories" / "index.html").read_text(
        encoding="utf-8"
    )


def test_files_read_in_another_order_give_the_same_site(tmp_path, build, monkeypatch):
    """Pelican lists the content files in the order of a set, which changes
    from one process to the next: stories of one date must still come out
    in one order (listings, related stories, each page's key), so a rebuild
    with nothing changed makes nothing again."""
    from pelican.generators import ArticlesGenerator

    content = copy_content(tmp_path / "content")
    for number in range(8):
        write_story(
            content,
            f"same-day-{number}",
            id=f"test-same-day-{number}",
            date="2024-05-01",
            topics=["family", "faith"],
        )
    output, log = build()
    before = _snapshot(output)
    listed = ArticlesGenerator.get_files

    def another_order(self, *args, **kwargs):
        return sorted(listed(self, *args, **kwargs), reverse=True)

    monkeypatch.setattr(ArticlesGenerator, "get_files", another_order)
    output, log = build()
    assert log.stories_made == 0
    assert log.index_kept
    assert _touched(before, _snapshot(output)) == set()


def test_a_changed_file_in_a_story_s_subfolder_makes_the_story_again(tmp_path, build):
    """A story may keep its files in a folder of its own (``transcript:
    words/transcript.vtt``). The story's key held only the files right in its
    folder, so a transcript edited there left the page with the old words."""
    content = copy_content(tmp_path / "content")
    folder = write_story(content, "in-folders")
    story = folder / "story.md"
    story.write_text(
        story.read_text().replace(
            "audio: speech.mp3\n",
            "audio: speech.mp3\ntranscript: words/transcript.vtt\n",
        )
    )
    words = folder / "words"
    words.mkdir()
    cue = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\n<v Ada Lopez>{}\n"
    (words / "transcript.vtt").write_text(cue.format("Hello from the porch."))
    lean = {"SITE_SEARCH_INDEX": False}
    output, log = build(**lean)
    page = output / "stories/in-folders/index.html"
    assert "Hello from the porch." in page.read_text()
    # Its folder of files is no story folder missing its story.md.
    said = [record.getMessage() for record in build.caplog.records]
    assert not [message for message in said if "no story.md" in message]

    (words / "transcript.vtt").write_text(cue.format("Hello from the garden."))
    output, log = build(**lean)
    assert log.stories_made == 1
    assert "Hello from the garden." in page.read_text()
    assert "garden" in (output / "stories/in-folders/transcript.vtt").read_text()
