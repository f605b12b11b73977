"""Pelican's private names live in portal/pelican_private.py alone.

When a Pelican (or pelican-sitemap) upgrade renames one of them, the first
test fails naming it; the second keeps new uses from creeping in elsewhere."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest
from pelican.contents import Article
from pelican.log import LimitFilter
from pelican.readers import Readers
from pelican.settings import read_settings
from pelican.urlwrappers import Tag

from portal import pelican_private
from tests.support import PROJECT_ROOT

# Where private names may still appear, and why (see pelican_private.USED).
ALLOWED = {"portal/pelican_private.py"}
PRIVATE_NAMES = sorted(
    {name for names in pelican_private.USED.values() for name in names}
)


def _resolve(dotted: str):
    module_name, _, attribute = dotted.rpartition(".")
    try:
        return importlib.import_module(dotted)
    except ModuleNotFoundError:
        return getattr(importlib.import_module(module_name), attribute)


@pytest.mark.parametrize(
    ("owner", "name"),
    [(owner, name) for owner, names in pelican_private.USED.items() for name in names],
)
def test_each_private_name_still_exists(owner, name):
    holder = _resolve(owner)
    if isinstance(holder, type):
        # Instance attributes are set in __init__: look in its source too.
        source = "".join(
            inspect.getsource(cls) for cls in holder.__mro__ if cls is not object
        )
        assert hasattr(holder, name) or f"self.{name}" in source, (
            f"{owner}.{name} is gone: update portal/pelican_private.py"
        )
    else:
        assert hasattr(holder, name), f"{owner}.{name} is gone"


def test_the_wrappers_work_on_real_objects(tmp_path):
    settings = read_settings(
        str(PROJECT_ROOT / "pelicanconf.py"), override={"CACHE_PATH": str(tmp_path)}
    )
    article = Article("<p>Hello</p>", metadata={"title": "T"}, settings=settings)
    assert pelican_private.raw_html(article) == "<p>Hello</p>"
    pelican_private.replace_raw_html(article, "<p>Bye</p>")
    assert article.content == "<p>Bye</p>"

    readers = Readers(settings, cache_name="test")
    assert pelican_private.reader_cache_enabled(readers) == bool(
        settings["CACHE_CONTENT"] and settings["LOAD_CONTENT_CACHE"]
    )
    # Pelican drops what it recomputes on every read (the reader's own keys).
    kept = pelican_private.cacheable_metadata({"title": "T", "related_posts": []})
    assert kept["title"] == "T"

    LimitFilter._raised_messages.add(("message", 30))
    pelican_private.forget_logged_warnings()
    assert not LimitFilter._raised_messages

    queue: list = []
    pelican_private.reset_sitemap(queue)
    generator = pelican_private.sitemap_generator()
    assert generator.page_queue is queue
    assert generator._main_pelican is None


def test_a_cached_entry_takes_the_settings_of_the_build_that_loads_it(tmp_path):
    """Tags read from the reader cache hold this build's settings (one
    object for every story), not those of the build that read the file."""
    pelican_private.make_reader_cache_safe()
    story = tmp_path / "story.md"
    story.write_text("---\ntitle: T\n---\nHello\n")
    before = read_settings(
        str(PROJECT_ROOT / "pelicanconf.py"),
        override={"CACHE_PATH": str(tmp_path), "TAG_URL": "old/{slug}/"},
    )
    readers = Readers(before, cache_name="test")
    readers.cache_data(str(story), ("<p>Hello</p>", {"tags": [Tag("family", {})]}))
    readers.save_cache()

    now = {**before, "TAG_URL": "topics/{slug}/"}
    content, metadata = Readers(now, cache_name="test").get_cached_data(str(story))
    assert content == "<p>Hello</p>"
    assert metadata["tags"][0].settings is now
    assert metadata["tags"][0].url == "topics/family/"


def test_entries_are_found_by_the_files_name_in_the_checkout(tmp_path):
    """A checkout at another path (another runner) with the cache folder
    restored finds what was read from each file: the entry is under the
    file's name from the content folder's parent, its stamp the file's
    bytes. An entry saved under a file's absolute path (as Pelican keys
    them, and this cache did before) goes when loaded: never found again."""
    from portal.sharded_pickle import ShardedPickle

    pelican_private.make_reader_cache_safe()
    cache = tmp_path / "cache"

    def checkout(folder):
        story = folder / "content" / "stories" / "one" / "story.md"
        story.parent.mkdir(parents=True)
        story.write_text("---\ntitle: T\n---\nHello\n")
        settings = read_settings(
            str(PROJECT_ROOT / "pelicanconf.py"),
            override={"CACHE_PATH": str(cache), "PATH": str(folder / "content")},
        )
        return settings, str(story)

    settings, story = checkout(tmp_path / "first")
    readers = Readers(settings, cache_name="test")
    readers.cache_data(story, ("<p>Hello</p>", {"title": "T"}))
    readers.save_cache()
    assert list(ShardedPickle(False).load(cache / "test")) == [
        "content/stories/one/story.md"
    ]

    settings, story = checkout(tmp_path / "second")
    found = Readers(settings, cache_name="test").get_cached_data(story)
    assert found == ("<p>Hello</p>", {"title": "T"})

    # Saved under the absolute path: dropped as loaded, and from the file.
    stamped = ShardedPickle(False).load(cache / "test")["content/stories/one/story.md"]
    store = ShardedPickle(False)
    store.changed(story)
    store.save(cache / "test", {story: stamped})
    readers = Readers(settings, cache_name="test")
    assert readers.get_cached_data(story) is None
    readers.save_cache()
    assert list(ShardedPickle(False).load(cache / "test")) == []


def test_no_private_pelican_name_outside_the_adapter():
    pattern = re.compile(r"\.(" + "|".join(map(re.escape, PRIVATE_NAMES)) + r")\b")
    offenders = []
    for folder in ("plugins", "portal"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            relative = path.relative_to(PROJECT_ROOT).as_posix()
            if relative in ALLOWED:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if pattern.search(line) and "self._" not in line:
                    offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, (
        "Pelican private names outside portal/pelican_private.py:\n"
        + "\n".join(offenders)
    )


def test_listing_membership_answers_as_pelicans_lists_do():
    """``quick_listing_membership`` answers ``in`` by identity: right only
    while Pelican's articles compare by identity (no ``__eq__`` of their own)."""
    import types

    from pelican.contents import Article, Content

    from portal.pelican_private import quick_listing_membership

    assert Content.__eq__ is object.__eq__ and Article.__eq__ is object.__eq__
    stories = [object() for _ in range(5)]
    lookalike = object()
    generator = types.SimpleNamespace(
        tags={"a": stories[:2], "b": stories[2:]},
        categories=[("c", stories[1:3])],
        authors=[("d", [])],
    )
    quick_listing_membership(generator)
    for name, articles in [*generator.tags.items(), *generator.categories]:
        assert isinstance(articles, list)
        plain = list(articles)
        for story in [*stories, lookalike]:
            assert (story in articles) == (story in plain), name
    assert generator.tags["a"] == stories[:2]
    assert generator.categories == [("c", stories[1:3])]
    assert generator.authors == [("d", [])]


@pytest.mark.parametrize("relative_urls", [True, False])
def test_page_variables_are_those_pelicans_writer_renders_a_page_with(
    tmp_path, relative_urls
):
    """The story pipeline renders a page's related stories again on their
    own, with the variables Pelican's writer gave the whole page."""
    from pelican.writers import Writer

    settings = read_settings(
        str(PROJECT_ROOT / "pelicanconf.py"),
        override={"CACHE_PATH": str(tmp_path), "RELATIVE_URLS": relative_urls},
    )
    article = Article(
        "<p>Hello</p>",
        metadata={"title": "T", "slug": "t"},
        settings=settings,
    )
    rendered_with: dict = {}

    class Recording:
        def render(self, variables):
            rendered_with.update(variables)
            return ""

    context = {"SITEURL": "https://example.org", "SITENAME": "S"}
    name = "stories/t/index.html"
    arguments = pelican_private.article_page_arguments(article, settings)
    Writer(str(tmp_path / "out"), settings=settings).write_file(
        name, Recording(), dict(context), **arguments
    )
    assert pelican_private.page_variables(context, name, arguments) == rendered_with
