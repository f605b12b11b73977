"""Run Pagefind over a built site: the search index and its web bundle.

Pagefind reads the HTML the build wrote, so it indexes exactly what is
public: held-back stories were never written and cannot be indexed. Only
elements marked ``data-pagefind-body`` are indexed (story pages and
campaign pages, see the theme). A site with more indexed pages than
``SITE_SEARCH_PART_PAGES`` is indexed in parts (``parts.py``)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable

import pagefind_bin

from portal import cache_json
from portal.code_digest import tree_digest
from portal.file_hashes import FileHashes
from portal.outputs import SEARCH_SCRATCH
from portal.writing import write_atomically, write_if_changed

from . import parts, vocabulary
from .ahead import WRITTEN

logger = logging.getLogger(__name__)


class SearchIndexError(RuntimeError):
    pass


# Settings of how the index is made, not of what it holds.
HOW_MADE = frozenset({"SITE_SEARCH_AHEAD"})


@functools.cache
def _code() -> str:
    """This package's code and Pagefind's version."""
    return tree_digest(
        os.path.dirname(os.path.abspath(__file__)), suffixes=(".py",)
    ) + importlib.metadata.version("pagefind_bin")


def index_code(options: dict) -> str:
    """What shapes the index besides the pages: the code that makes it,
    Pagefind's version and the settings (a change in any indexes again;
    not whether a part is read ahead, which makes the same index)."""
    shaping = {key: value for key, value in options.items() if key not in HOW_MADE}
    settings = json.dumps(shaping, sort_keys=True, default=str)
    return hashlib.sha256(f"{_code()}\0{settings}".encode()).hexdigest()


def pagefind_command(site: str, options: dict, output: str | None = None) -> list[str]:
    """Pagefind over ``site``; the bundle goes to ``output`` if given, else
    to the bundle folder inside ``site``."""
    command = [str(pagefind_bin.get_executable()), "--site", site]
    if output:
        command += ["--output-path", output]
    else:
        command += ["--output-subdir", options["SITE_SEARCH_BUNDLE"].rstrip("/")]
    command += [
        "--force-language",
        options["SITE_SEARCH_LANGUAGE"],
    ]
    selectors = options["SITE_SEARCH_EXCLUDE_SELECTORS"]
    if selectors:
        command += ["--exclude-selectors", ",".join(selectors)]
    return command


def plan_index(
    site: str,
    options: dict,
    workers: int = 1,
    state_file: str | None = None,
    hashes: FileHashes | None = None,
    store: str | None = None,
    pages: list[str] | None = None,
    ahead=None,
) -> Callable[[], int]:
    """Index ``site`` (the output folder), in two steps. This one, in the
    build process, finds the pages and the parts to index again (its
    workers are processes it forks) and stages them for Pagefind. The one
    it returns (which must run: it removes the staging) runs Pagefind and
    puts the index in place, with no Python work of the build's, so it can
    run in a thread beside the rest of the build (``portal.background``);
    it returns the number of pages indexed.

    ``state_file`` (in the cache) lets a rebuild of a site indexed in parts
    index again only the parts whose pages changed; ``store`` (a folder in
    the cache) keeps each part's bundle under the key of what it indexed, so
    a part indexed before, for this output or another (a build made aside,
    a fresh clone with the cache restored), is linked rather than indexed;
    ``hashes`` remembers the pages' content hashes between builds;
    ``pages``: the site's ``portal.site_pages.html_pages``, if known;
    ``ahead``: a part read ahead (``ahead.Ahead``), used if it is one to
    index."""
    bundle = os.path.join(site, options["SITE_SEARCH_BUNDLE"])
    previous = load_state(state_file)
    pages, markers = parts.indexed_pages(
        site, os.path.normpath(bundle), hashes, _markers(previous, options), pages
    )
    if len(pages) <= options["SITE_SEARCH_PART_PAGES"]:

        def index_whole() -> int:
            # A bundle left from an earlier build would keep pages that are gone.
            shutil.rmtree(bundle, ignore_errors=True)
            count = _run_pagefind(pagefind_command(site, options), site)
            _forget(state_file)
            _write_manifest(bundle, count, {"main": "", "merge": []})
            return count

        return index_whole
    index_parts = _plan_parts(
        site,
        bundle,
        pages,
        options,
        workers,
        state_file,
        hashes or FileHashes(None, outputs=True),
        store,
        previous,
        markers,
        ahead,
    )

    def index_in_parts() -> int:
        _write_manifest(bundle, len(pages), index_parts())
        return len(pages)

    return index_in_parts


def _write_manifest(bundle: str, count: int, manifest: dict) -> None:
    write_if_changed(os.path.join(bundle, parts.PARTS_FILE), json.dumps(manifest))
    logger.info(
        "[site_search] Pagefind indexed %d pages into %s (%d parts)",
        count,
        bundle,
        len(manifest["merge"]) + 1,
    )


def _plan_parts(
    site: str,
    bundle: str,
    pages: list[str],
    options: dict,
    workers: int,
    state_file: str | None,
    hashes: FileHashes,
    store: str | None,
    previous: dict | None,
    markers: dict[str, bool],
    ahead=None,
) -> Callable[[], dict]:
    """Which parts to index again (see ``parts.py``; ``previous`` is the
    last build's state), and the step that runs Pagefind for each of them
    and returns the bundle's manifest."""
    groups = parts.split(pages, options["SITE_SEARCH_PART_PAGES"])
    code = index_code(options)
    exclude = tuple(options["SITE_SEARCH_EXCLUDE_SELECTORS"])
    made = parts.plan(site, groups, previous, workers, hashes, code, exclude)
    # The last indexing's record stays until this one's replaces it: a build
    # stopped before (Ctrl-C, a cancelled job, Pagefind failing) leaves the
    # next one comparing against it, reading only the pages changed since
    # (without it, every page: 42 s at 10,000 stories). Its parts stay in
    # the store until this indexing ends (``parts.prune``), and one pruned
    # meanwhile is only indexed again (``is_made``).
    stamps = parts.stamps(site, pages, hashes)
    every_word = vocabulary.page(made.words)

    def key_of(index: int) -> str:
        known = vocabulary.page(made.words[: made.known[index]])
        return parts.part_key(code, known, groups[index], made.indexed)

    keys = [key_of(index) for index in range(len(groups))]
    words_key = parts.part_key(code, every_word, [], {})

    def is_made(key: str, folder: str) -> bool:
        """Is the bundle made under ``key`` at hand: in the cache's store
        (for this output or another), or, with no cache, in the output?"""
        if store:
            return parts.is_kept(os.path.join(store, key))
        return os.path.isfile(os.path.join(bundle, folder, "pagefind.js"))

    # With no cache, a part in place is trusted only when its pages are.
    kept = {
        index
        for index, key in enumerate(keys)
        if (store or index not in made.redo) and is_made(key, parts.part_folder(key))
    }

    # The parts to index are staged now, in the build process, and the step
    # beside the rest of the build starts Pagefind at once: it ends an
    # edit's build. Staging is a part's pages linked for Pagefind to read as
    # a site, in memory where the machine has it (``new_scratch``).
    behind = made.behind()
    # The part read ahead, if it is one to index: only its other pages are
    # staged (ahead.py).
    read_ahead, how, written_key = None, None, None
    if ahead is not None:
        read_ahead = next(
            (
                index
                for index in range(len(groups))
                if index not in kept and ahead.holds(groups[index], made.indexed)
            ),
            None,
        )
    if read_ahead is not None:
        html = vocabulary.page(made.words[: made.known[read_ahead]])
        how = ahead.use(groups[read_ahead], made.indexed, html)
        if how is None:
            read_ahead = None
        written_key = keys[read_ahead] if how == WRITTEN else None

    def stage_all(scratch: str) -> dict[str, str]:
        staged = {}
        if behind and not is_made(words_key, parts.words_folder(words_key)):
            staged[words_key] = _stage(scratch, site, [], every_word)
        for index in range(len(groups)):
            if index not in kept:
                html = vocabulary.page(made.words[: made.known[index]])
                group = groups[index]
                if index == read_ahead:
                    if how == WRITTEN:
                        continue  # written as the build ran: nothing to stage
                    read = set(ahead.pages)
                    group = [page for page in group if page not in read]
                staged[keys[index]] = _stage(scratch, site, group, html)
        return staged

    scratch = new_scratch(site, store)
    try:
        try:
            staged = stage_all(scratch)
        except OSError:
            if os.path.dirname(scratch) not in MEMORY_FOLDERS:
                raise
            # Memory full (a container's is 64 MB): on disk, as before.
            shutil.rmtree(scratch, ignore_errors=True)
            scratch = _scratch_on_disk(site, store)
            staged = stage_all(scratch)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise

    def index_parts() -> dict:
        # Staging folders (links to the pages) go when indexing ends. A
        # build killed meanwhile (a bare ``pelican`` run has no one to clean
        # up after it) leaves them in memory, where the next indexing on the
        # machine removes them (``_sweep``), never beside the output; on a
        # machine without the memory folder, in the cache's store, whose
        # next indexing prunes them (``parts.prune``), or, with no cache,
        # beside the output, named for it.
        nonlocal behind
        try:
            if behind:
                # The whole vocabulary as an index of its own, for the
                # search page to tell which parts are behind for a term.
                words_folder = parts.words_folder(words_key)
                if words_key in staged:
                    _index_part(staged.pop(words_key), [], words_key)
                made_in = os.path.join(store, words_key) if store else None
                found = parts.word_count(made_in or os.path.join(bundle, words_folder))
                if found != len(made.words):
                    # Pagefind did not read the hidden page a word a
                    # place: the search page could not tell; all catch up.
                    logger.warning(
                        "[site_search] the vocabulary's index counts %d words "
                        "for %d: the parts behind are indexed again with all",
                        found,
                        len(made.words),
                    )
                    made.known[:] = [len(made.words)] * len(groups)
                    for index in behind:
                        keys[index] = key_of(index)
                        kept.discard(index)
                    behind = {}
            indexed = [index for index in range(len(groups)) if index not in kept]
            for index in indexed:
                staging = staged.pop(keys[index], None)
                if index == read_ahead and keys[index] == written_key:
                    _index_part(
                        None,
                        groups[index],
                        keys[index],
                        _take_written(ahead, groups[index], made.known[index]),
                    )
                    continue
                if staging is None:  # its vocabulary changed above
                    html = vocabulary.page(made.words[: made.known[index]])
                    staging = _stage(scratch, site, groups[index], html)
                elif index == read_ahead:
                    _index_part(
                        staging,
                        groups[index],
                        keys[index],
                        _finish_ahead(ahead, staging, groups[index], made.known[index]),
                    )
                    continue
                _index_part(staging, groups[index], keys[index])
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        folders = [parts.part_folder(key) for key in keys]
        words_folder = parts.words_folder(words_key) if behind else None
        # The bundle holds this build's parts and nothing else.
        used = {*folders, parts.PARTS_FILE, *([words_folder] if behind else [])}
        parts.remove_others(bundle, used)
        if store:
            for key, folder in zip(keys, folders, strict=True):
                parts.link_tree(os.path.join(store, key), os.path.join(bundle, folder))
            if behind:
                parts.link_tree(
                    os.path.join(store, words_key), os.path.join(bundle, words_folder)
                )
            parts.prune(store, {*keys, *([words_key] if behind else [])})
        if state_file:
            state = parts.state(groups, made, stamps, code, markers)
            write_atomically(state_file, cache_json.dumps(state))
        logger.info(
            "[site_search] %d of %d parts indexed again", len(indexed), len(groups)
        )
        return parts.manifest(folders, made, words_folder)

    def _index_part(
        staging: str | None,
        group: list[str],
        key: str,
        index: Callable[[str], None] | None = None,
    ) -> None:
        """Index ``group``, staged in ``staging``, under ``key``; ``index``
        writes the part into the folder it is given (by default, Pagefind
        run over the staging)."""
        if index is None:

            def index(output: str) -> None:
                _run_pagefind(pagefind_command(staging, options, output=output), site)

        if store:
            _index_into_store(index, store, key)
        else:
            output = os.path.join(
                bundle,
                parts.part_folder(key) if group else parts.words_folder(key),
            )
            shutil.rmtree(output, ignore_errors=True)
            index(output)
        if staging is not None:
            shutil.rmtree(staging)

    def _finish_ahead(ahead, staging: str, group: list[str], known: int):
        """The part read ahead, finished: its other pages (``staging``)
        added and written; or, if that cannot be, its pages read ahead
        staged too (with the vocabulary page of ``known`` words) and the
        whole part indexed as any other."""

        def index(output: str) -> None:
            count = len(group) - len(ahead.pages) + 1  # and the vocabulary
            if not ahead.finish(staging, count, output):
                html = vocabulary.page(made.words[:known])
                parts.stage(site, ahead.pages, staging, html)
                _pagefind_into(staging, output)

        return index

    def _pagefind_into(staging: str, output: str) -> None:
        """Pagefind's run over ``staging``, the part written into ``output``
        (emptied first: what a service wrote there is not kept)."""
        shutil.rmtree(output, ignore_errors=True)
        os.makedirs(output, exist_ok=True)
        _run_pagefind(pagefind_command(staging, options, output=output), site)

    def _take_written(ahead, group: list[str], known: int):
        """The part written as the build ran, put in place; or, if it could
        not be written, the whole part indexed as any other."""

        def index(output: str) -> None:
            if not ahead.take_written(output):
                html = vocabulary.page(made.words[:known])
                staging = _stage(scratch, site, group, html)
                _pagefind_into(staging, output)
                shutil.rmtree(staging)

        return index

    return index_parts


# Folders held in memory (tmpfs) where the machine has one. A part's
# staging is hundreds of folders and links made just after the build wrote
# gigabytes: on the output's disk each waited for the file system's journal
# behind that writing (0.4-1.1 s a part at 10,000 stories, 20 ms on a quiet
# disk), in memory none does (6 ms). Pagefind, which ends an edit's build,
# starts that much sooner.
MEMORY_FOLDERS = ("/dev/shm",)


def new_scratch(site: str, store: str | None) -> str:
    """A folder for the staging folders: in memory if the machine has a
    folder there (``MEMORY_FOLDERS``), else in the cache's store, or, with
    no cache, beside the output, named for it."""
    for folder in MEMORY_FOLDERS:
        if os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK):
            _sweep(folder)
            with contextlib.suppress(OSError):
                return tempfile.mkdtemp(prefix=_memory_prefix(), dir=folder)
    return _scratch_on_disk(site, store)


def _scratch_on_disk(site: str, store: str | None) -> str:
    if store:
        os.makedirs(store, exist_ok=True)
        return tempfile.mkdtemp(prefix=parts.STAGING, dir=store)
    site_folder = os.path.abspath(site)
    return tempfile.mkdtemp(
        prefix=f"{SEARCH_SCRATCH}{os.path.basename(site_folder)}-",
        dir=os.path.dirname(site_folder),
    )


# A staging folder in memory is named for the process that made it, and
# for its process namespace: a build killed while Pagefind ran leaves its
# links there, and the next indexing on the machine removes those of
# processes gone. A container may share the memory folder with another,
# whose process numbers are not its own: only its own namespace's are
# looked at (none where the namespace cannot be told).
_MEMORY_PREFIX = "portal-search-staging-"


def _namespace() -> str:
    try:
        return str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        return "unknown"


def _memory_prefix() -> str:
    return f"{_MEMORY_PREFIX}{_namespace()}-{os.getpid()}-"


def _sweep(folder: str) -> None:
    """Remove the staging folders in ``folder`` of processes that are gone."""
    namespace = _namespace()
    if namespace == "unknown":
        return
    mine = f"{_MEMORY_PREFIX}{namespace}-"
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        pid = name.removeprefix(mine).split("-", 1)[0]
        if name.startswith(mine) and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(os.path.join(folder, name), ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's
    return True


def _stage(scratch: str, site: str, group: list[str], html: str) -> str:
    """A staging folder in ``scratch`` for a part's pages (``parts.stage``)."""
    staging = tempfile.mkdtemp(dir=scratch)
    parts.stage(site, group, staging, html)
    return staging


def _index_into_store(index: Callable[[str], None], store: str, key: str) -> None:
    """Index a part into the cache's ``store`` (``index`` writes it into the
    folder it is given). Made inside the store, so that keeping it is a
    rename on one file system (the cache may sit on another than the
    output's, e.g. a mounted volume in CI)."""
    os.makedirs(store, exist_ok=True)
    made = tempfile.mkdtemp(prefix=parts.MAKING, dir=store)
    try:
        index(made)
        parts.keep(made, os.path.join(store, key))
    finally:
        shutil.rmtree(made, ignore_errors=True)


def load_state(state_file: str | None) -> dict | None:
    if not state_file:
        return None
    try:
        state = cache_json.load(state_file)
    except (OSError, ValueError):
        return None  # unreadable: every part is indexed again
    shapes = {"parts": list, "stamps": dict, "indexed": dict, "words": list}
    if not isinstance(state, dict) or not all(
        isinstance(state.get(key), kind) for key, kind in shapes.items()
    ):
        return None
    if not all(
        isinstance(part, dict)
        and isinstance(part.get("pages"), list)
        and isinstance(part.get("known"), int)
        for part in state["parts"]
    ):
        return None
    return state


def _markers(previous: dict | None, options: dict) -> dict[str, bool] | None:
    """The last build's answers to "does a page with these bytes have the
    marker?", if they were made by this code and settings."""
    if not previous or previous.get("code") != index_code(options):
        return None
    markers = previous.get("markers")
    return markers if isinstance(markers, dict) else None


def _forget(state_file: str | None) -> None:
    if state_file and os.path.exists(state_file):
        os.remove(state_file)


def _run_pagefind(command: list[str], site: str) -> int:
    """Run Pagefind; the number of pages it indexed."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise SearchIndexError(
            f"Pagefind could not run ({error}) - reinstall it with "
            "pip install -r requirements.txt"
        ) from error
    output = (done.stdout or "") + (done.stderr or "")
    if done.returncode != 0:
        raise SearchIndexError(
            f"Pagefind failed indexing {site} (exit {done.returncode}):\n{output}"
        )
    found = re.search(r"Indexed (\d+) pages?", output)
    return int(found.group(1)) if found else 0
