"""A large site's search index in parts, so indexing takes bounded memory.

Pagefind holds everything it indexes in memory until it writes the index:
about 1 MB for every story page (each carries its 7,000-word transcript),
10.6 GB measured at 10,000 stories (benchmarks/README.md). Past
``SITE_SEARCH_PART_PAGES`` indexed pages, the pages are indexed in parts
of at most that many (``split``), one Pagefind run a part. Each part is a
bundle of its own (``pagefind/part-<key>/``, named by what it indexed),
``pagefind/parts.json`` names the main one and the others, and the search
page merges them in the browser (Pagefind's ``mergeIndex``). A rebuild
runs Pagefind again only for the parts whose pages changed (``plan``).

One difference between one index and several has to be undone. When a word
searched for is missing from an index, Pagefind falls back to the longest
word it has that starts the search term ("thermos" finds "the"), so a part
without the word would return loose matches a single index never shows.
Every part therefore also indexes one hidden page holding the site's
vocabulary: each part then knows every word, and falls back only where one
index would. That page carries the filter value ``kind:vocabulary``, which
the search page always excludes (``vocabulary.FILTER``).

A new story brings new words (names, places). Teaching them to every part
would index the whole site again (two minutes at 10,000 stories) to
publish one story. Instead the vocabulary only grows, new words at its
end, and a part not indexed again keeps the hidden page it had: it knows
the first N words. The search page learns from ``parts.json`` which parts
are behind and how many words they know, and loads the whole vocabulary
as an index of its own (``words-<key>/``: the hidden page alone). For each
term searched it asks that index which words the term finds (Pagefind
gives their positions on the page, one a word): if every one is past a
part's N, the term matches only words that part has never seen, so the
part has no page for it, and its results (loose matches) are left out
(a filter ``words: N`` each such part carries, ``mergeFilter``). A term
that also finds words the part knows finds the same ones in it as in one
index. Parts behind catch up when their pages change, or when more than
``MOST_BEHIND`` vocabularies are in use."""

from __future__ import annotations

import contextlib
import dataclasses
import glob
import gzip
import hashlib
import json
import logging
import os
import shutil

from portal import search_unchanged, site_pages
from portal.file_hashes import FileHashes
from portal.file_sizes import file_sizes
from portal.writing import link_or_copy, write_atomically

from . import vocabulary

logger = logging.getLogger(__name__)

INDEXED_MARKER = b"data-pagefind-body"
PARTS_FILE = "parts.json"
# The folders in the cache's store where Pagefind writes a part's bundle
# before it is kept under its key.
MAKING = ".making-"
# The folders in the store where one indexing links the pages of each part
# for Pagefind to read (``parts.stage``).
STAGING = ".staging-"


def indexed_pages(
    site: str,
    bundle: str,
    hashes: FileHashes | None = None,
    known: dict[str, bool] | None = None,
    pages: list[str] | None = None,
) -> tuple[list[str], dict[str, bool]]:
    """Every HTML page Pagefind would index (it has ``data-pagefind-body``),
    as paths relative to ``site``, in a stable order; and, with ``hashes``,
    whether each page's bytes (by SHA-256) have the marker. ``pages``: the
    site's ``portal.site_pages.html_pages``, when the caller has them.

    ``known`` is that answer from the last build: a page whose bytes it
    names is not read again (a rebuild of 10,000 stories read the head of
    some 30,000 pages for it). A page's hash is remembered while its stat
    holds (``portal.file_hashes``), so this is a stat a page."""
    found = []
    markers: dict[str, bool] = {}
    known = known or {}
    if pages is None:
        pages = site_pages.html_pages(site, skip=bundle)
    for page in pages:
        path = os.path.join(site, page)
        if hashes is None:
            marked = _has_marker(path)
        else:
            digest = hashes.sha256(path)
            marked = known.get(digest)
            if marked is None:
                marked = _has_marker(path)
            markers[digest] = marked
        if marked:
            found.append(page)
    return found, markers


def _has_marker(path: str, chunk: int = 65536) -> bool:
    """Whether the page is indexed, reading only as far as the marker: it
    comes early in a story page, before the 200 KB of transcript."""
    tail = b""
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            if INDEXED_MARKER in tail + block:
                return True
            tail = block[-len(INDEXED_MARKER) :]
    return False


def split(pages: list[str], per_part: int) -> list[list[str]]:
    """``pages`` (in path order) in consecutive parts of at most ``per_part``.

    Where a part ends is chosen by the pages themselves (content-defined
    chunking, as rsync and backup tools cut files): after a page whose
    path hashes to a multiple of ``spread``, once the part has ``least``
    pages, or at ``per_part``. A story added or removed then changes its
    own part (and rarely the next), not every part after it, as even parts
    counted from the start would: each moved page made a part be indexed
    again. Parts average about three quarters of ``per_part``."""
    least = max(1, per_part * 3 // 5)
    spread = max(2, per_part // 5)
    groups: list[list[str]] = []
    current: list[str] = []
    for page in pages:
        current.append(page)
        if len(current) >= per_part or (
            len(current) >= least and _cuts_after(page, spread)
        ):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _cuts_after(page: str, spread: int) -> bool:
    digest = hashlib.blake2b(page.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % spread == 0


def stamps(site: str, pages: list[str], hashes: FileHashes) -> dict[str, str]:
    """Each page's content hash (SHA-256 of its bytes)."""
    return {page: hashes.sha256(os.path.join(site, page)) for page in pages}


@dataclasses.dataclass
class Plan:
    """What a build indexes: ``redo``, the parts (0-based) Pagefind runs
    for; ``words``, the site's vocabulary in the order its hidden page
    lists it; ``known``, for each part, how many of those words (the first
    ones) its hidden page holds. A part indexed before new words came holds
    fewer than all: it is "behind" (see the module's docstring)."""

    redo: list[int]
    words: list[str]
    known: list[int]
    # Each page's digest of what Pagefind reads on it (``vocabulary.read``):
    # a part's key, and what tells a page changed for the index.
    indexed: dict[str, str]

    def behind(self) -> dict[int, int]:
        """The parts behind, and how many words each knows."""
        return {
            index: known
            for index, known in enumerate(self.known)
            if known < len(self.words)
        }


# At most this many vocabularies of the past are still searched (each is a
# filter the search page may exclude); parts behind older ones catch up.
MOST_BEHIND = 3


def plan(
    site: str,
    groups: list[list[str]],
    previous: dict | None,
    workers: int,
    hashes: FileHashes,
    code: str,
    exclude: tuple[str, ...] = (),
) -> Plan:
    """Which parts to index, and the vocabulary each must hold.

    ``previous`` is the state the last indexing saved (``state``): the code
    and settings it indexed with, its parts, page hashes and vocabulary. A
    part stays valid when it was made by the same ``code`` (see
    ``indexer.index_code``) and holds the same pages with the same bytes.
    Words the changed pages bring are added at the end of the vocabulary:
    the parts indexed now hold all of it, the parts kept hold what they
    held. ``exclude``: the CSS selectors Pagefind leaves out
    (``vocabulary.words_of``)."""
    pages = [page for group in groups for page in group]
    current = stamps(site, pages, hashes)
    if not previous or previous.get("code") != code:
        found, indexed = _read(site, pages, exclude, workers)
        words = sorted(found)
        return Plan(
            list(range(len(groups))), words, [len(words)] * len(groups), indexed
        )
    # Only pages with new bytes are read; of those, only the ones where
    # what Pagefind reads changed count (``vocabulary.read``). A page whose
    # new bytes the build says hold the same words (``portal.search_unchanged``:
    # a story page with other related stories) is not read.
    was = previous["indexed"]
    renewed = sorted(p for p in pages if previous["stamps"].get(p) != current[p])
    same = {
        page
        for page in renewed
        if page in was
        and search_unchanged.same_words(
            os.path.join(site, page), previous["stamps"].get(page), current[page]
        )
    }
    found, read = _read(site, [p for p in renewed if p not in same], exclude, workers)
    read.update((page, was[page]) for page in same)
    if renewed:
        logger.info(
            "[site_search] %d changed pages read for their words "
            "(%d more whose words could not change)",
            len(renewed) - len(same),
            len(same),
        )
    indexed = {page: read.get(page) or was[page] for page in pages}
    changed = {page for page in renewed if was.get(page) != read[page]}
    words = list(previous["words"])
    words += sorted(found - set(words))
    held = {tuple(part["pages"]): part["known"] for part in previous["parts"]}
    known = [
        len(words) if changed & set(group) else held.get(tuple(group), len(words))
        for group in groups
    ]
    redo = [
        index
        for index, group in enumerate(groups)
        if changed & set(group) or tuple(group) not in held
    ]
    for index in _catching_up(known, len(words)):
        known[index] = len(words)
        redo.append(index)
    return Plan(sorted(redo), words, known, indexed)


def _catching_up(known: list[int], total: int) -> list[int]:
    """Parts to index again with the whole vocabulary: those behind past
    the ``MOST_BEHIND`` vocabularies most parts hold, and one part when
    none is up to date (the search page loads an up-to-date part first)."""
    behind: dict[int, list[int]] = {}
    for index, count in enumerate(known):
        if count < total:
            behind.setdefault(count, []).append(index)
    ranked = sorted(behind.values(), key=lambda indices: (-len(indices), indices))
    catching = [index for indices in ranked[MOST_BEHIND:] for index in indices]
    if total not in known and not catching:
        catching.append(min(ranked, key=len)[0])
    return sorted(catching)


def _read(site, pages, exclude, workers) -> tuple[set[str], dict[str, str]]:
    """The words of ``pages`` and each one's digest of what Pagefind reads."""
    words, digests = vocabulary.vocabulary(
        [os.path.join(site, page) for page in pages], exclude, workers
    )
    return words, {page: digests[os.path.join(site, page)] for page in pages}


def state(
    groups: list[list[str]],
    made: Plan,
    stamps: dict[str, str],
    code: str,
    markers: dict[str, bool] | None = None,
) -> dict:
    """What the next build reads back: the code, the parts and how much of
    the vocabulary each holds, each page's hash (``stamps``) and the
    vocabulary in its order (for ``plan``), and which pages' bytes have the
    marker (for ``indexed_pages``)."""
    return {
        "code": code,
        "parts": [
            {"pages": group, "known": known}
            for group, known in zip(groups, made.known, strict=True)
        ],
        "stamps": stamps,
        "indexed": made.indexed,
        "words": made.words,
        "markers": markers or {},
    }


def stage(site: str, pages: list[str], staging: str, vocabulary_html: str) -> None:
    """A folder Pagefind can index as the site: ``pages`` linked at their
    own paths (same URLs), plus the hidden vocabulary page.

    Symbolic links, not hard ones: adding and removing a hard link changes
    the page's ctime, and every hash remembered for the page
    (``portal.file_hashes``) would then read its 250 KB again."""
    site = os.path.abspath(site)
    for page in pages:
        target = os.path.join(staging, page)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            os.symlink(os.path.join(site, page), target)
        except OSError:  # a file system without symbolic links
            shutil.copy2(os.path.join(site, page), target)
    folder = os.path.join(staging, vocabulary.FOLDER)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as handle:
        handle.write(vocabulary_html)


def part_key(
    code: str, vocabulary_html: str, pages: list[str], indexed: dict[str, str]
) -> str:
    """What a part's bundle is made from: the code and settings that index
    (``indexer.index_code``), the vocabulary it holds, and its pages' paths
    and what Pagefind reads on them (``Plan.indexed``)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(code.encode() + b"\0")
    digest.update(hashlib.sha256(vocabulary_html.encode()).digest())
    for page in pages:
        digest.update(f"{page}\0{indexed[page]}\n".encode())
    return digest.hexdigest()


def keep(made: str, stored: str) -> None:
    """Put the bundle Pagefind just ``made`` in the cache at ``stored``,
    with the list of its files and their sizes beside it
    (``<stored>.json``): whole or not at all, renamed in, or left to
    another build that put the same part there first."""
    os.makedirs(os.path.dirname(stored), exist_ok=True)
    files = file_sizes(made)
    if os.path.lexists(stored) and not is_kept(stored):
        shutil.rmtree(stored, ignore_errors=True)  # damaged: made again
    try:
        os.rename(made, stored)
    except OSError:
        if not is_kept(stored):
            raise
        return
    write_atomically(stored + ".json", json.dumps(files, sort_keys=True))


def is_kept(stored: str) -> bool:
    """Does the cache hold the whole part at ``stored``? A file missing, cut
    off or overwritten with other bytes of another size is a miss."""
    try:
        with open(stored + ".json", encoding="utf-8") as handle:
            files = json.load(handle)
        return isinstance(files, dict) and bool(files) and file_sizes(stored) == files
    except (OSError, ValueError):
        return False


def link_tree(stored: str, target: str) -> None:
    """A part's bundle, hard-linked from the cache (copied where the cache
    is on another file system). A ``target`` that holds links to exactly
    the stored files (a rebuild in place) is left alone: linking again
    would change each file's ctime, and the hashes remembered for them.
    Files beside them named after one of them (``pagefind.js.gz``: what
    plugins/precompress adds) do not count."""
    there, kept = _inodes(target), _inodes(stored)
    if there is not None and kept is not None and _holds(there, kept):
        return
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(stored, target, copy_function=link_or_copy)


def _holds(there: dict[str, int], kept: dict[str, int]) -> bool:
    """Does a folder whose files are ``there`` hold links to exactly the
    ``kept`` files, and besides them only copies named after them?"""
    return all(there.get(name) == inode for name, inode in kept.items()) and all(
        name in kept or os.path.splitext(name)[0] in kept for name in there
    )


def _inodes(folder: str) -> dict[str, int] | None:
    """Each file's inode under ``folder`` by its relative path, from the
    folder listings alone (no file is opened or stat'ed); None if there is
    no such folder."""
    found: dict[str, int] = {}
    pending = [""]
    try:
        while pending:
            relative = pending.pop()
            with os.scandir(os.path.join(folder, relative)) as entries:
                for entry in entries:
                    name = os.path.join(relative, entry.name)
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(name)
                    else:
                        found[name] = entry.inode()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return found


def remove_others(bundle: str, keep: set[str]) -> None:
    """Remove everything in ``bundle`` but the names in ``keep``: parts of
    an earlier build with more parts, a single index from before."""
    _remove_entries(bundle, lambda name: name in keep)


def prune(store: str, keys: set[str]) -> None:
    """Remove the parts this build did not use from the cache."""
    _remove_entries(store, lambda name: name.removesuffix(".json") in keys)


def _remove_entries(folder: str, kept) -> None:
    """Remove each file and folder in ``folder`` whose name ``kept`` refuses
    (another build sharing the cache may have removed it first)."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return
    for entry in entries:
        if kept(entry.name):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)


def part_folder(key: str) -> str:
    """The folder of the part made under ``key`` inside the bundle: named by
    what it indexed, so a part kept keeps its place (and its links)."""
    return f"part-{key[:16]}"


def words_folder(key: str) -> str:
    """The folder of the index of the whole vocabulary (its hidden page)."""
    return f"words-{key[:16]}"


def word_count(folder: str) -> int:
    """How many words Pagefind counted on the one page of the bundle in
    ``folder`` (its fragment: gzipped JSON after a signature)."""
    fragments = glob.glob(os.path.join(folder, "fragment", "*.pf_fragment"))
    if len(fragments) != 1:
        return -1
    with open(fragments[0], "rb") as handle:
        data = gzip.decompress(handle.read())
    return json.loads(data[data.index(b"{") :]).get("word_count", -1)


def manifest(folders: list[str], made: Plan, words: str | None) -> dict:
    """``parts.json``: the part the search page loads (one up to date), the
    ones it merges, and for the parts behind, how many words each knows and
    the index of the whole vocabulary (``words``)."""
    total = len(made.words)
    main = next(i for i, known in enumerate(made.known) if known == total)
    found = {
        "main": f"{folders[main]}/",
        "merge": [f"{folder}/" for i, folder in enumerate(folders) if i != main],
    }
    behind = made.behind()
    if behind and words:
        found["words"] = f"{words}/"
        found["behind"] = {f"{folders[i]}/": known for i, known in behind.items()}
    return found
