"""Indexing ahead: Pagefind reads the part of the index an edit will index
again while the build is still making its pages.

An edit's build ends with Pagefind indexing the part of the search index
that holds the edited story (``parts.py``): some 400 story pages at 10,000
stories, 10-13 s of CPU, started once every page is written. Until then the
build is one Python process on one core, and a second core waits. Most of
that part is known as the build starts: the pages the last indexing put in
it, all but the edited story's, as the last build left them.

So the story folders' files, hashed as the build starts
(``portal.signals.story_folders_hashed``), are compared with those of the
build that made the last index (``INPUTS_FILE``). The folders changed,
added or removed name the story pages that may change (a story's page is
``ARTICLE_SAVE_AS`` of its folder's name). When all of them are in one part
of the last index (or would join one), a Pagefind service (Pagefind's own
Python API) reads that part's other pages on one core of its own (the
build, one process until its end, leaves the other idle).

The build makes the changed stories' pages before it puts the others in
place (``story_pipeline``). As soon as every changed page is written
(Pelican's ``content_written``), the service adds them and the hidden
vocabulary page they would make (the last indexing's words, and theirs
after), and writes the part, while the build goes on. When the build's
plan (``parts.plan``) then indexes that part again with exactly those pages,
each reading the same to Pagefind (the digest of what Pagefind reads,
``vocabulary.read``) and with that vocabulary, the part written is put in
place. When the changed pages were not all written (a story taken down),
the pages read ahead are used, and the rest added then. Otherwise (another
page of the part changed, a word new to the site on another page) the
service is stopped and the part is indexed as any other: a guess that does
not hold costs only the idle core's time.

The part is then the one Pagefind makes of all its pages at once: the same
pages, each read the same (the same fragment files). Pagefind numbers pages
in the order it reads them, the changed pages last here, so only results it
scores exactly alike may come in another order.
"""

from __future__ import annotations

import asyncio
import atexit
import bisect
import concurrent.futures
import contextlib
import hashlib
import logging
import os
import shutil
import tempfile
import threading

from pagefind.index import IndexConfig
from pagefind.service import PagefindService

from portal import cache_json
from portal.checking import plural
from portal.file_hashes import sha256_of
from portal.outputs import OUTPUT_STORE, STORED_FILES
from portal.writing import previous_copy, write_if_changed

from . import parts, vocabulary

logger = logging.getLogger(__name__)

INPUTS_FILE = "site_search.inputs.json"  # in CACHE_PATH
ALWAYS = "always"  # SITE_SEARCH_AHEAD's value that reads ahead wherever it can
# More story folders changed than this (a fresh cache, a large import): no
# guess is made (they would rarely all be in one part).
MOST_CHANGED = 50
# Where reading ahead pays: Pelican's passes take about a millisecond of
# the build's core a story, Pagefind's read about 12 ms of a core a page, so
# with ten stories or more a page of a part (``SITE_SEARCH_PART_PAGES``),
# on a machine with more than one core, the passes outlast a read on the
# core they leave idle (``Ahead._run``). With fewer (1,000 stories, parts of
# 500 pages) the passes end first, and Pagefind indexing the part after
# them on every core is sooner: an edit's build took 8.6-9.0 s reading ahead
# at the lowest priority, 8.2-8.3 s without, and 11.2 s held to one core.
# ``SITE_SEARCH_AHEAD = "always"`` reads ahead wherever a part is guessed
# (then on every core at the lowest priority where it does not pay).
STORIES_A_PAGE_TO_READ_AHEAD = 10

# The settings of the build whose story folders were hashed last, and its
# folders by name, each as one digest of its files: a build's own by its
# settings (each build reads its own), whatever the plugins' order.
_noted: tuple[dict, dict[str, str]] | None = None
# This build's part read ahead, if any.
_running: Ahead | None = None


def note_folders(_sender, settings, folders) -> None:
    """``portal.signals.story_folders_hashed``: keep this build's folders."""
    global _noted
    _noted = (settings, folder_digests(folders))


def folder_digests(folders: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
    """Each story folder's files (by name and content hash) as one digest,
    by the folder's name."""
    digests = {}
    for folder, files in folders.items():
        digest = hashlib.blake2b(digest_size=16)
        for name, sha256 in files:
            digest.update(f"{name}\0{sha256}\n".encode())
        digests[os.path.basename(folder)] = digest.hexdigest()
    return digests


def _folders_of(settings) -> dict[str, str] | None:
    """The story folders' digests of the build with these settings."""
    return _noted[1] if _noted is not None and _noted[0] is settings else None


def remember(settings) -> None:
    """The index is up to date with this build's pages: keep its story
    folders' digests for the next build's guess."""
    cache, folders = settings.get("CACHE_PATH"), _folders_of(settings)
    if cache and folders is not None:
        write_if_changed(
            os.path.join(cache, INPUTS_FILE), cache_json.dumps(folders, sort_keys=True)
        )


def changed_pages(settings, cache: str) -> set[str] | None:
    """The story pages whose folders changed, were added or went since the
    build that made the last index; None when that cannot be told."""
    now = _folders_of(settings)
    if now is None:
        return None
    try:
        before = cache_json.load(os.path.join(cache, INPUTS_FILE))
    except (OSError, ValueError):
        return None
    if not isinstance(before, dict):
        return None
    changed = {
        name for name in now.keys() | before.keys() if now.get(name) != before.get(name)
    }
    if len(changed) > MOST_CHANGED:
        return None
    try:
        return {settings["ARTICLE_SAVE_AS"].format(slug=name) for name in changed}
    except (KeyError, IndexError, ValueError):
        return None  # a page address made of more than the folder's name


def guess(previous: dict, pages: set[str]) -> list[str] | None:
    """The pages of the one part of the last index (``previous``, its state)
    that ``pages`` are in or would join, but ``pages``; None when they are
    in more than one."""
    groups = [part["pages"] for part in previous["parts"]]
    if not pages or not groups:
        return None
    where = {page: index for index, group in enumerate(groups) for page in group}
    lasts = [group[-1] for group in groups]

    def joins(page: str) -> int:
        # A new page: the part whose pages go past it, by the paths' text
        # (near enough the index's order; a wrong guess is only not used).
        return min(bisect.bisect_left(lasts, page), len(groups) - 1)

    chosen = {where[page] if page in where else joins(page) for page in pages}
    if len(chosen) != 1:
        return None
    return [page for page in groups[chosen.pop()] if page not in pages]


def pays(settings, options: dict) -> bool:
    """Does reading ahead pay for this site on this machine
    (``STORIES_A_PAGE_TO_READ_AHEAD``)?"""
    stories = len(_folders_of(settings) or ())
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    part = options["SITE_SEARCH_PART_PAGES"]
    return cores > 1 and stories >= STORIES_A_PAGE_TO_READ_AHEAD * part


def start(
    settings, options: dict, site: str, previous, scratch, store: str | None = None
) -> None:
    """Read ahead the part this build's changed story pages are in, if they
    are all in one, and reading ahead pays (``pays``; or the setting says
    ``"always"``). ``previous()``: the last indexing's state, if made with
    this code and these settings; ``scratch()``: a new folder for the
    staging; ``store``: the cache's store of parts, where the part is
    written once the changed pages are (``Ahead.written``)."""
    global _running
    stop()
    one_core = pays(settings, options)
    if not one_core and options["SITE_SEARCH_AHEAD"] != ALWAYS:
        return
    cache = settings.get("CACHE_PATH")
    pages = changed_pages(settings, cache) if cache else None
    state = previous() if pages else None
    ahead = guess(state, pages) if state else None
    sources = {}
    for page in ahead or ():
        source = _last_indexed(site, cache, page, state["stamps"].get(page))
        if source is None:
            return
        sources[page] = source
    if not sources:
        return
    digests = {page: state["indexed"].get(page) for page in sources}
    stamps = {page: state["stamps"].get(page) for page in sources}
    _running = Ahead(options, sources, digests, stamps, scratch(), one_core)
    _running.expect(site, pages, state["words"], store)


def _last_indexed(site: str, cache: str, page: str, sha256: str | None) -> str | None:
    """A file that may hold ``page`` as it was last indexed (its bytes'
    SHA-256 is ``sha256``): the output's, where the build runs in place;
    the output it replaces, where it builds aside; or, with neither (a
    fresh clone with the cache restored), the story pipeline's stored copy
    of those bytes (``portal.outputs.OUTPUT_STORE``)."""
    path = os.path.join(site, page)
    candidates = [path, previous_copy(path)]
    if sha256:
        candidates.append(os.path.join(cache, OUTPUT_STORE, STORED_FILES, sha256))
    return next((c for c in candidates if c and os.path.isfile(c)), None)


def current() -> Ahead | None:
    return _running


def page_written(path, **_context) -> None:
    """Pelican's ``content_written`` (every page a build writes or keeps)."""
    if _running is not None:
        _running.written(path)


def stop() -> None:
    """Stop the part read ahead, if any (used or not)."""
    global _running
    if _running is not None:
        running, _running = _running, None
        running.close()


# A build stopped before its index (an error, Ctrl-C) leaves no Pagefind.
atexit.register(stop)


# What ``Ahead.use`` answers: the pages read ahead are used, with the rest
# added after (FINISH), or the part was written as the build wrote its
# changed pages (WRITTEN).
FINISH = "finish"
WRITTEN = "written"


class Ahead:
    """A part's pages read by a Pagefind service of its own, in a thread
    with its own event loop (Pagefind's Python API is asynchronous; the
    build is not)."""

    def __init__(
        self, options, sources, digests, stamps, scratch: str, one_core: bool = True
    ):
        self.pages = list(sources)
        self.one_core = one_core
        self.digests = digests
        self.scratch = scratch
        self.exclude = tuple(options["SITE_SEARCH_EXCLUDE_SELECTORS"])
        # The changed pages, by their path in the output (see ``expect``).
        self.changed: dict[str, str] = {}
        self._ends: tuple[str, ...] = ()
        self._seen: set[str] = set()
        self._words: list[str] = []
        self._store: str | None = None
        self._lock = threading.Lock()
        self._decided = False
        self._early: concurrent.futures.Future | None = None
        self._prepared: concurrent.futures.Future = concurrent.futures.Future()
        self._written_to: str | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._run, name="site-search-ahead", daemon=True
        )
        self._thread.start()
        self._service: PagefindService | None = None
        self._index = None
        self._read = asyncio.run_coroutine_threadsafe(
            self._read_ahead(options, sources, stamps), self._loop
        )

    def expect(
        self, site: str, changed: set[str], words: list[str], store: str | None
    ) -> None:
        """The pages this build changes (``changed``, in the output ``site``),
        and the last indexing's vocabulary (``words``): once the build has
        written every one of them, they are added, with the vocabulary they
        would make, and the part is written (into ``store``), while the
        build goes on (``written``)."""
        self.changed = {
            os.path.abspath(os.path.join(site, *page.split("/"))): page
            for page in changed
        }
        self._ends = tuple(os.path.join(*page.split("/")) for page in changed)
        self._words = list(words)
        self._store = store

    def _run(self) -> None:
        # ``one_core`` (where reading ahead pays, ``pays``): one core for
        # this thread, and so for
        # the Pagefind it starts (a process inherits its parent thread's
        # cores, and Pagefind runs a thread a core it may use). It reads on
        # the core the build, one process until its end, leaves idle, and
        # writes the part at the build's own priority. Otherwise every core
        # at the lowest priority (inherited the same way): it takes only
        # what the build leaves. (Linux: a thread's own.)
        with contextlib.suppress(OSError, AttributeError):
            cores = os.sched_getaffinity(0)
            if self.one_core and len(cores) > 1:
                os.sched_setaffinity(0, {max(cores)})
            else:
                os.setpriority(os.PRIO_PROCESS, 0, 19)
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    async def _read_ahead(self, options, sources, stamps) -> int:
        """Pagefind reads the pages: how many it read; -1 if a page's bytes
        are not the ones last indexed (then the guess is not used)."""
        staging = tempfile.mkdtemp(dir=self.scratch)
        for page, source in sources.items():
            if sha256_of(source) != stamps[page]:
                return -1
            target = os.path.join(staging, page)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.symlink(source, target)
        self._service = PagefindService()
        await self._service.launch()
        config = IndexConfig(force_language=options["SITE_SEARCH_LANGUAGE"])
        if options["SITE_SEARCH_EXCLUDE_SELECTORS"]:
            config["exclude_selectors"] = list(options["SITE_SEARCH_EXCLUDE_SELECTORS"])
        self._index = await self._service.create_index(config)
        read = await self._index.add_directory(staging)
        return int(read["page_count"])

    def written(self, path: str) -> None:
        """Pelican's ``content_written``, in the build's thread: once every
        changed page is written (before the plan, ``use``), the part's
        writing starts."""
        if not path.endswith(self._ends):
            return  # most pages: not one of the changed ones
        page = self.changed.get(os.path.abspath(path))
        if page is None:
            return
        with self._lock:
            if self._decided or self._early is not None:
                return
            self._seen.add(page)
            if len(self._seen) == len(self.changed):
                self._early = asyncio.run_coroutine_threadsafe(
                    self._write_early(), self._loop
                )

    async def _write_early(self) -> str:
        """The changed pages, as the build wrote them, and the vocabulary
        page they would make, added once the pages ahead are read; the part
        written into a folder of its own: that folder."""
        try:
            staging = self._stage_changed()
        except BaseException as error:
            self._prepared.set_exception(error)
            raise
        if await asyncio.wrap_future(self._read) != len(self.pages):
            raise RuntimeError("the pages read ahead are not the ones last indexed")
        added = await self._index.add_directory(staging)
        if int(added["page_count"]) != len(self.changed) + 1:
            raise RuntimeError(f"Pagefind read {added['page_count']} changed pages")
        if self._store:
            os.makedirs(self._store, exist_ok=True)
        self._written_to = tempfile.mkdtemp(
            prefix=parts.MAKING, dir=self._store or self.scratch
        )
        await self._index.write_files(output_path=self._written_to)
        return self._written_to

    def _stage_changed(self) -> str:
        """A staging folder with a copy of each changed page (the bytes
        Pagefind reads are the ones their digests are of) and the vocabulary
        page: the last indexing's words, and the ones the pages bring after
        them (as ``parts.plan`` orders them). Tells ``use`` what they are."""
        staging = tempfile.mkdtemp(dir=self.scratch)
        digests, found = {}, set()
        for path, page in sorted(self.changed.items(), key=lambda item: item[1]):
            target = os.path.join(staging, *page.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(path, target)
            words, digests[page] = vocabulary.read(target, self.exclude)
            found |= words
        words = self._words + sorted(found - set(self._words))
        html = vocabulary.page(words)
        parts.stage(staging, [], staging, html)
        self._prepared.set_result((digests, html))
        return staging

    def holds(self, group: list[str], indexed: dict[str, str]) -> bool:
        """Is ``group`` (a part the build indexes again, with ``indexed``, each
        page's digest of what Pagefind reads) the part read ahead: every page
        read ahead in it, each reading the same?"""
        members = set(group)
        return all(
            page in members and indexed.get(page) == self.digests[page]
            for page in self.pages
        )

    def use(self, group: list[str], indexed: dict[str, str], html: str) -> str | None:
        """How the part ``group`` (which ``holds``) is to be finished, in the
        build's plan: ``WRITTEN`` when the part written as the build wrote
        its changed pages is the one to make (its other pages exactly the
        changed pages, each reading as ``indexed`` says, and its vocabulary
        page ``html``); else ``FINISH`` (the rest added after) if the
        changed pages were not all written; else None (index it whole).
        No writing starts after this."""
        with self._lock:
            self._decided = True
            early = self._early
        if early is None:
            return FINISH
        try:
            digests, made_html = self._prepared.result()
        except Exception:
            self.close()
            return None
        pages = {*self.pages, *digests}
        if (
            made_html == html
            and len(group) == len(pages)
            and pages.issuperset(group)
            and all(indexed.get(page) == digest for page, digest in digests.items())
        ):
            return WRITTEN
        logger.info(
            "[site_search] the part written ahead is not the one to make (the "
            "build changed more of it, or brought the site new words on other "
            "pages): it is indexed whole"
        )
        self.close()  # Pagefind would go on writing it beside the part's run
        return None

    def take_written(self, output: str) -> bool:
        """Move the part written as the build ran into ``output``, once it
        is written. False, when it could not be written."""
        try:
            folder = self._early.result()
            os.makedirs(output, exist_ok=True)
            for name in os.listdir(folder):
                shutil.move(os.path.join(folder, name), os.path.join(output, name))
        except Exception as error:  # the part is indexed as any other
            logger.warning("[site_search] the part read ahead is not used: %s", error)
            return False
        logger.info(
            "[site_search] %s of a part read ahead while the build ran; "
            "%s and the vocabulary added as the build wrote them",
            plural(len(self.pages), "page"),
            plural(len(self.changed), "changed page"),
        )
        return True

    def finish(self, staging: str, count: int, output: str) -> bool:
        """Add the part's other pages (``staging``, with the vocabulary page:
        ``count`` pages) and write it to ``output``, once Pagefind has read
        the pages ahead. False, writing nothing, when it did not read every
        one, or failed."""
        try:
            if self._read.result() != len(self.pages):
                return False
            added = self._call(self._index.add_directory(staging))
            if int(added["page_count"]) != count:
                return False
            self._call(self._index.write_files(output_path=os.path.abspath(output)))
        except Exception as error:  # the part is indexed as any other
            logger.warning("[site_search] the part read ahead is not used: %s", error)
            return False
        logger.info(
            "[site_search] %s of a part read ahead while the build ran; "
            "%d more and the vocabulary added after",
            plural(len(self.pages), "page"),
            count - 1,
        )
        return True

    def _call(self, work):
        return asyncio.run_coroutine_threadsafe(work, self._loop).result()

    def close(self) -> None:
        """Stop Pagefind, the loop and its thread; remove the staging and
        a part written and not used (once: again, nothing)."""
        if self._loop.is_closed():
            return
        with self._lock:
            self._decided = True
        self._read.cancel()
        if self._early is not None:
            self._early.cancel()
        with contextlib.suppress(Exception):
            self._call(self._stop_service())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()
        shutil.rmtree(self.scratch, ignore_errors=True)
        if self._written_to is not None:
            shutil.rmtree(self._written_to, ignore_errors=True)

    async def _stop_service(self) -> None:
        # Not ``PagefindService.close()``: with a read still under way (a
        # guess not used) it waits five seconds for the answer first. Its
        # process, where launched, then every task left (the read, and the
        # service's reading of answers) ends before the loop does.
        service = vars(self._service) if self._service is not None else {}
        backend = service.get("_backend")
        if backend is not None and backend.returncode is None:
            backend.terminate()
            await backend.wait()
        this = asyncio.current_task()
        left = [task for task in asyncio.all_tasks() if task is not this]
        for task in left:
            task.cancel()
        await asyncio.gather(*left, return_exceptions=True)
