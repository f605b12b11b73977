"""Every published story's own outputs, made in one place, in one pool.

A story's page, and every file that is the story's alone (embed page,
oEmbed, share card, transcript and chapters files: each plugin's receiver
of ``portal.signals.story_outputs``), are made here, once every generator's
context is final. Pelican's loop over articles leaves story pages to this
(the writer skips the pages named in the context's ``PIPELINE_PAGES``).

For each story, its key (``key.py``: its files by content, what its page
shows of other stories, the code, theme and settings) is looked up in the
cache (``store.py``):
- the same key: the story is not read, rendered or written; its files are
  linked into the output from the cache;
- only what its page lists of other stories changed (its own key the same):
  its files are linked from the cache, its page with its related stories put
  in again (``related.py``);
- otherwise: it is made (in worker processes on every core when there are
  many, ``portal.parallel``), and its files kept in the cache under the key.

A story a worker could not make is made again in the build process, where
its error is raised as Pelican raises any template error.

Settings: ``STORY_PIPELINE_CACHE`` (default True; False makes every story
again, as does a build without ``CACHE_PATH``); ``BUILD_WORKERS``.
"""

from __future__ import annotations

import functools
import logging
import os
import traceback

from pelican import signals
from pelican.generators import Generator

from portal import file_hashes, heap, parallel, search_unchanged
from portal import signals as portal_signals
from portal.build_inputs import content_hash
from portal.checking import plural
from portal.file_hashes import FileHashes
from portal.outputs import LISTINGS_SHOW, PAGE_CACHE, PIPELINE_PAGES, STORY_MEMO
from portal.pelican_private import (
    article_page_arguments,
    quick_listing_membership,
)

from . import related
from .key import StoryKeys
from .memo import StoryMemo
from .outputs import StoryOutputs
from .pages import SECTION as PAGES
from .pages import PageCache
from .read import read_ahead, remember_held
from .store import FOLDER, Entry, OutputStore

STORIES = "stories"  # the store's section of story outputs
logger = logging.getLogger(__name__)

HASHES_FILE = "hashes.json"

# What the forked workers see (inherited when they fork).
_job: dict = {}


class StoryPipeline(Generator):
    """Makes the published stories' own outputs (see the module's doc)."""

    # It finds no problem in content: `invoke check` skips it.
    checks_content = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stories = []
        self.keys: dict[str, str | None] = {}  # page name -> key
        self.own_keys: dict[str, str | None] = {}  # page name -> own key
        self.store = OutputStore(None)
        self.hashes = FileHashes(None)
        self.memo = StoryMemo(None, {})
        # The stories made before the others are placed (``make_first``),
        # and those of them made in worker processes, with their files.
        self._first: tuple[list, list] | None = None

    def generate_context(self):
        # The articles are final: the gate has decided what is published.
        self.stories = []
        for story in self.context.get("articles", []):
            story.story.save_as = story.save_as
            if story.story.save_as:
                self.stories.append(story)
        self.context[PIPELINE_PAGES] = frozenset(
            story.story.save_as for story in self.stories
        )

    def key_stories(self) -> None:
        """Every story's key, once every generator's context is final (the
        related stories, the sharing facts); the site's, for the other pages."""
        cache = self.settings.get("CACHE_PATH") or None
        if not self.settings.get("STORY_PIPELINE_CACHE", True):
            cache = None
        self.store = OutputStore(cache)
        if not self.store.enabled:
            self.keys = dict.fromkeys(story.story.save_as for story in self.stories)
            self.own_keys = dict(self.keys)
            self.context[STORY_MEMO] = self.memo
            return
        keys = _snapshot.pop(cache, None)
        if keys is None or keys.settings is not self.settings:
            keys = _story_keys(self.settings, cache)
        self.hashes = keys.hashes
        both = {story.story.save_as: keys.keys(story) for story in self.stories}
        self.keys = {name: key for name, (key, _own) in both.items()}
        self.own_keys = {name: own for name, (_key, own) in both.items()}
        # Every other page names the campaign's share card (story_embeds),
        # named by what it shows, the fonts it is drawn with among them:
        # system files no other part of the key holds.
        site_card = (self.context.get("site_sharing") or {}).get("image_path")
        shown = keys.shown(self.stories)
        self.context[PAGE_CACHE] = PageCache(
            self.store,
            content_hash(keys.site(self.stories, shown), site_card),
            content_hash(keys.build(), site_card, self.context.get(LISTINGS_SHOW)),
            shown,
            self.settings["PAGINATED_TEMPLATES"],
        )
        # What is kept of a story for other pages (the feed's episode) shows
        # none of the stories its page lists: under its own key.
        self.memo = StoryMemo(os.path.join(cache, FOLDER), self.own_keys)
        self.context[STORY_MEMO] = self.memo

    def _page_context(self) -> dict:
        return {
            name: value
            for name, value in self.context.items()
            if name not in (PIPELINE_PAGES, PAGE_CACHE, STORY_MEMO)
        }

    def make_first(self, writer) -> None:
        """Make the stories the last build's files cannot serve, as soon as
        Pelican's writer is made (``portal.signals.writer_made``, before any
        generator writes its pages): an edit's page is then written over a
        second sooner, and the search adds it to the part of its index it
        reads ahead while the rest of the build goes on (site_search/
        ahead.py). The others are put in place in ``generate_output``."""
        if self._first is not None:
            return
        first = []
        for story in self.stories:
            name = story.story.save_as
            key = self.keys.get(name)  # None: not keyed, made
            if key is None or not self.store.may_serve(
                name, key, self.own_keys.get(name)
            ):
                first.append((story, key))
        made = self._make_all(writer, self._page_context(), first, self.store)
        self._first = (first, made)

    def generate_output(self, writer):
        store = self.store
        todo = []
        kept = []
        carded = []  # kept but for their related stories, made again
        context = self._page_context()
        search_unchanged.forget()
        self.make_first(writer)
        first, made_apart = self._first
        self._first = None
        made_first = {story.story.save_as for story, _key in first}
        rest = [
            (story, self.keys.get(story.story.save_as))
            for story in self.stories
            if story.story.save_as not in made_first
        ]
        for story, key in rest:
            name = story.story.save_as
            if store.place(STORIES, name, key, self.output_path):
                kept.append(story)
            elif carded_now := store.with_new_cards(
                name,
                key,
                self.own_keys[name],
                self.output_path,
                functools.partial(
                    related.render, self.env, context, story, self.settings
                ),
                related.unread_by_search,
            ):
                carded.append(story)
                entry, before = carded_now
                if before is not None:
                    search_unchanged.note(
                        os.path.join(self.output_path, *name.split("/")),
                        before,
                        entry.files[0].sha256,
                    )
            else:
                todo.append((story, key))
        made_apart += self._make_all(writer, context, todo, store)
        todo = first + todo
        # Pages written in this process told Pelican's content_written
        # themselves; the others are told here, as the sitemap and the
        # build's progress count pages.
        entries = store.current[STORIES]
        announced = [
            (story, [file.path for file in entries[story.story.save_as].files])
            for story in kept + carded
        ]
        for story, paths in announced + made_apart:
            for path in paths:
                if path.endswith(".html"):
                    signals.content_written.send(
                        os.path.join(self.output_path, *path.split("/")),
                        context={"article": story},
                    )
        # Before the search indexes the pages and the sitemap lists them.
        not_shown = frozenset(
            self.settings["ARTICLE_SAVE_AS"].format(slug=slug)
            for slug, _, _ in self.context.get("stories_not_shown", ())
        )
        removed = store.remove_stale(
            STORIES, self.output_path, whole_folders=True, spared=not_shown
        )
        carded_note = (
            f"; {len(carded)} of them with their page's related stories made again"
            if carded
            else ""
        )
        logger.info(
            "[story_pipeline] made the outputs of %s; kept those of %d "
            "(nothing that shapes them changed%s); removed %s no story has now",
            plural(len(todo), "story", "stories"),
            len(self.stories) - len(todo),
            carded_note,
            plural(removed, "file"),
        )

    def finish(self) -> None:
        """Save what the build kept (after every page is written)."""
        # A listing that has fewer pages now (a story taken down), a page no
        # longer made: their files go from an output built in place, before
        # precompress lists it.
        self.store.remove_stale(PAGES, self.output_path)
        cache = self.context.get(PAGE_CACHE)
        if cache is not None:
            cache.save()
        self.store.save()
        self.hashes.save()
        self.memo.save()
        # Nothing reads them after this: the store's manifest and the kept
        # values (some 50 MB at 10,000 stories) go before precompress and
        # the build report, where the build's memory peaks.
        for name in (PAGE_CACHE, STORY_MEMO):
            self.context.pop(name, None)
        self.store = OutputStore(None)
        self.memo = StoryMemo(None, {})

    def _kept(self, store, story, key, context, paths) -> Entry:
        """The files just made for ``story`` kept under ``key``, with where
        its page printed its related stories (``related.py``), if it printed
        them where they can be put in again. The page is read once, for
        that and its hash."""
        name = story.story.save_as
        with open(os.path.join(self.output_path, *name.split("/")), "rb") as handle:
            page = handle.read()
        cards = related.region(
            page, related.render(self.env, context, story, self.settings)
        )
        return store.keep(
            STORIES,
            name,
            key,
            self.output_path,
            paths,
            self.own_keys.get(name),
            cards,
            page if paths and paths[0] == name else None,
        )

    def _make_all(self, writer, context, todo, store) -> list:
        """Make the stories of ``todo``; those made in worker processes, each
        with the paths of its files."""

        def make(index: int):
            story, key = todo[index]
            # The story's transcript, read once for its page and files.
            entry = story.story.transcript_entry
            transcript = entry.view() if entry is not None else None
            outputs = StoryOutputs(
                writer, context, self.get_template, self.output_path, transcript
            )
            outputs.page(
                story.story.save_as,
                story.template,
                transcript=transcript,
                **article_page_arguments(story, self.settings),
            )
            portal_signals.story_outputs.send(self, story=story, out=outputs)
            kept = None
            if key is not None:
                kept = self._kept(store, story, key, context, outputs.paths)
            return outputs.paths, kept

        count = parallel.workers(self.settings)
        if count <= 1 or len(todo) < parallel.MIN_ITEMS:
            for index in range(len(todo)):
                make(index)
            return []
        _job["make"] = make
        try:
            results = parallel.map_in_processes(
                _make_in_worker, range(len(todo)), count
            )
        finally:
            _job.clear()
        made_apart = []
        for index, (made, failure) in enumerate(results):
            story = todo[index][0]
            if failure is not None:
                logger.debug("[story_pipeline] %s failed in a worker:\n%s",
                             story.story.save_as, failure)  # fmt: skip
                make(index)  # again here, where its error is raised
            else:
                paths, entry = made
                if entry is not None:  # kept in the cache by the worker
                    store.current[STORIES][story.story.save_as] = entry
                made_apart.append((story, paths))
        logger.info(
            "[story_pipeline] made %s in %d processes",
            plural(len(todo), "story", "stories"),
            count,
        )
        return made_apart


def _make_in_worker(index: int):
    try:
        return _job["make"](index), None
    except Exception:
        return None, traceback.format_exc(limit=5)


# The running build's pipeline (one build at a time in a process).
_current: StoryPipeline | None = None


def _story_keys(settings, cache: str) -> StoryKeys:
    return StoryKeys(settings, FileHashes(os.path.join(cache, FOLDER, HASHES_FILE)))


# The keys' inputs hashed as the build starts (``StoryKeys.snapshot``), by
# cache folder: what a file held before the build read it.
_snapshot: dict[str, StoryKeys] = {}


def snapshot_keys(settings) -> StoryKeys | None:
    """This build's keys, their files hashed as it started (``read.py``
    reads the story folders' hashes from them); None without a cache."""
    keys = _snapshot.get(settings.get("CACHE_PATH") or None)
    return keys if keys is not None and keys.settings is settings else None


def hash_inputs_first(pelican) -> None:
    """Hash what the keys hold before any plugin reads a story. Each story
    file's hash is then this build's (``portal.file_hashes``' snapshot): the
    reader's cache, the transcripts, the audio and the renditions take it
    from there, without looking at the file again."""
    file_hashes.new_snapshot()
    _snapshot.clear()
    settings = pelican.settings
    cache = settings.get("CACHE_PATH") or None
    if cache and settings.get("STORY_PIPELINE_CACHE", True):
        keys = _story_keys(settings, cache)
        keys.snapshot()
        _snapshot[cache] = keys
        portal_signals.story_folders_hashed.send(
            pelican, settings=settings, folders=keys.folders()
        )


def key_stories(generators) -> None:
    global _current
    _current = next((g for g in generators if isinstance(g, StoryPipeline)), None)
    if _current is not None:
        _current.key_stories()


def make_first(_sender, writer) -> None:
    """Pelican's writer is there: as soon as it is made
    (``portal.signals.writer_made``, sent by unchanged_writes), or, with no
    plugin sending that, once Pelican's articles have written their
    listings (``article_writer_finalized``)."""
    if _current is not None:
        _current.make_first(writer)


def finish(pelican) -> None:
    global _current
    if _current is not None:
        _current.finish()
    _current = None


def get_generators(pelican):
    return StoryPipeline


def _freeze(*_args) -> None:
    heap.freeze()


def _contexts_final(*_args) -> None:
    # The heap has grown: what it holds now is frozen, and full collections
    # walk only what is made after (pages, copies, the report), so they run
    # again, and the garbage of the rest of the build is not kept to its end.
    heap.freeze()
    heap.allow_full_collections()


def _build_starts(*_args) -> None:
    # The last build's objects back to the collector (and collected) before
    # full collections are held for this one.
    heap.release()
    heap.hold_full_collections()
    # The files the last build put in place are looked at again until this
    # one puts them (portal.file_hashes).
    file_hashes.new_build()


def register():
    # What the build holds once its stories are read, and once every
    # generator's context is final, is left out of garbage collection until
    # the next build starts (portal.heap): a quarter of a rebuild's CPU time
    # at 10,000 stories went to walking it. And no full collection runs
    # while the build grows its heap, until every context is final: they
    # found no garbage, and walked it about 25 times.
    signals.initialized.connect(_build_starts)
    signals.initialized.connect(hash_inputs_first)
    signals.article_generator_finalized.connect(_freeze)
    # Pelican's topic pages scan a list for each story (pelican_private).
    signals.article_generator_finalized.connect(quick_listing_membership)
    signals.all_generators_finalized.connect(_contexts_final)
    signals.article_generator_init.connect(read_ahead)
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(key_stories)
    portal_signals.writer_made.connect(make_first)
    signals.article_writer_finalized.connect(make_first)
    signals.finalized.connect(finish)
    signals.finalized.connect(file_hashes.new_snapshot)
    signals.finalized.connect(remember_held)
    # A build whose contexts never got final (a plugin of the last step
    # failing stops it before): no later build may inherit the hold.
    signals.finalized.connect(heap.allow_full_collections)
