"""The content hash of a file, remembered while the file is untouched.

Caches key their entries on what a file holds (its SHA-256), never on its
modification time: a fresh checkout, or a copy, gives every file a new
mtime, and a cache keyed on it would miss on every publish. Hashing reads
the whole file, though (a 45-minute master is tens of megabytes), so a
file's hash is remembered together with its stat: size, inode, mtime and
ctime. A file whose stat is identical in all four is the file that was
hashed (ctime cannot be set back by copying tools, and any write changes
it); anything else is hashed again. The stat is only a memo of the hash,
never a key: a fresh checkout hashes each file once and then finds every
entry its content has in the caches. In a git work tree, not even that:
git knows what its files hold (``portal.git_hashes``).

One rule for racing writes, as git has: a file changed in the same clock
tick as it was hashed could change again without its stat showing it, so a
hash taken within ``RACY_NS`` of the file's last change is not remembered.

Every ``FileHashes`` in a process shares what it has hashed (two caches
reading the same master hash it once); each saves, in its own memo file,
the files it looked up in its last build, so a memo never outgrows the
site."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
import time

from portal import cache_json, git_hashes
from portal.writing import write_atomically

logger = logging.getLogger(__name__)

# A file changed less than this before it was hashed is hashed again next time.
RACY_NS = 2_000_000_000

# absolute path -> (stat memo, sha256 hex), for every FileHashes in this process.
_known: dict[str, tuple[tuple[int, ...], str]] = {}
# absolute path -> stat memo, of the files whose hash a caller gives again in
# every build (``remember(..., every_build=True)``): memo files leave them
# out. The story pipeline links some 100,000 files from its cache into a
# 10,000-story site, and a memo that held them all was read and written
# again by every build.
_given: dict[str, tuple[int, ...]] = {}
# absolute path -> (stat memo, sha256 hex), of the files given so in this
# build, from a stat of this build (``new_build`` empties it as a build
# starts). Nothing writes them again before the build ends (the story
# pipeline's outputs: the pipeline gives them when it puts them in place),
# so a look-up takes their hash without a stat of its own: at 10,000 stories
# pre-compression and the search look up 70,000 of them, 0.6 s of stats.
_this_build: dict[str, tuple[tuple[int, ...], str]] = {}
# absolute path -> ((stat memo, sha256 hex), whether the file had changed a
# moment before it was hashed, so that no memo file keeps it), of the content
# files the build hashed first, before any plugin reads a story
# (``sha256(..., snapshot=True)``; ``new_snapshot`` empties it as a build
# starts and ends). The build's outputs are keyed by these hashes, so every
# part of the build takes a file's hash from here, without a stat of its own:
# a story's story.md, transcript and audio were looked up again by the
# reader's cache, the transcripts' store, the audio's facts and the
# renditions, 40,000 look-ups at 10,000 stories (7.5 us each against 2).
_snapshot: dict[str, tuple[tuple[tuple[int, ...], str], bool]] = {}
# Memo files of other processes (``seed``), not read yet, and the bytes of
# the files this process hashed since one was given: the seeds are read once
# hashing what the memos did not know has cost more than reading them would.
_seeds: list[str] = []
_unseeded_bytes = 0
# A seed of 10,000 stories' files is 6 MB of JSON: 0.1-0.3 s to read, as
# long as hashing some 100-300 MB.
SEED_AFTER_BYTES = 64 * 1024 * 1024
_lock = threading.Lock()


def sha256_of(path: str | os.PathLike) -> str:
    """SHA-256 (hex) of a file's bytes, read a block at a time."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _memo(stat: os.stat_result) -> tuple[int, ...]:
    return (stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns)


def _absolute(path: str | os.PathLike) -> str:
    """``path`` made absolute. Links are not resolved (a tenth of a
    look-up's time): the stat memo follows them, and a file reached by two
    paths is only hashed twice. A ``..`` after a link is resolved the way
    the system would."""
    path = os.fspath(path)
    if ".." in path:
        return os.path.realpath(path)
    return os.path.abspath(path)


def seed(memo_file: str | os.PathLike) -> None:
    """Take in another process's memo (``FileHashes.save``'s file): the
    command that starts a build hashed the content to know whether to build
    at all (``portal.build_inputs``); the build then reads no file again to
    hash it. Each entry is used only while the file's stat is the one it
    names. The memo is read only once the files the build's own memo files
    did not know add up to ``SEED_AFTER_BYTES`` (a fresh clone's audio
    masters): a build that finds nothing changed, or one story edited, has
    every answer in them or hashes a few small files, and the seed of a
    large site (6 MB at 10,000 stories) took 0.1-0.3 s to read."""
    global _unseeded_bytes
    with _lock:
        _seeds.append(os.fspath(memo_file))
        _unseeded_bytes = 0


def _seed_now(size: int) -> bool:
    """Before hashing a file of ``size`` bytes no memo knows: whether the
    seeds were read now (the files so hashed add up to enough)."""
    global _unseeded_bytes
    with _lock:
        _unseeded_bytes += size
        due = _unseeded_bytes >= SEED_AFTER_BYTES
    return due and _take_seeds()


def _take_seeds() -> bool:
    """Take in the memos ``seed`` was given and that were not read yet;
    whether there were any."""
    with _lock:
        pending = list(_seeds)
        _seeds.clear()
    for memo_file in pending:
        try:
            loaded = cache_json.load(memo_file)
        except (OSError, ValueError):
            continue
        if not isinstance(loaded, dict):
            continue
        taken = {path: _entry(entry) for path, entry in loaded.items()}
        with _lock:
            for path, known in taken.items():
                if known is not None:
                    _known.setdefault(path, known)
    return bool(pending)


def remember(
    path: str | os.PathLike,
    sha256: str,
    every_build: bool = False,
    stat: os.stat_result | None = None,
) -> None:
    """``path`` holds the bytes whose SHA-256 is ``sha256`` (known without
    reading it: a file linked from a cache that keeps files by their hash).
    Remembered in this process while the file's stat stays the same;
    ``every_build``: the caller says so again in every build, before anyone
    looks the file up, so no memo file keeps it, and nothing writes the file
    again before the build ends, so until the next one starts (``new_build``)
    it is looked up without a stat; ``stat``: the file's, when the caller has
    just taken it."""
    real = _absolute(path)
    memo = _memo(stat if stat is not None else os.stat(real))
    with _lock:
        _known[real] = (memo, sha256)
        if every_build:
            _given[real] = memo
            _this_build[real] = (memo, sha256)


def new_build() -> None:
    """A build starts: the files the last one gave (``remember(...,
    every_build=True)``) are looked at again until this one gives them."""
    with _lock:
        _this_build.clear()


def new_snapshot(*_args) -> None:
    """Forget the build's snapshot (``FileHashes.sha256(..., snapshot=True)``):
    each file is looked at again. When a build starts hashing its inputs,
    when it ends, and before anything else hashes the content (a check, the
    key of a build to come), in case a build stopped midway in this process
    left its snapshot behind."""
    with _lock:
        _snapshot.clear()


class FileHashes:
    """Content hashes of files, remembered in ``memo_file`` (JSON) between
    builds; with no memo file, within this process only."""

    def __init__(self, memo_file: str | os.PathLike | None, outputs: bool = False):
        self.memo_file = os.fspath(memo_file) if memo_file else None
        # A build's own output: never in git, so git is not asked about it
        # (hundreds of new pages would have it asked on every edit).
        self.ask_git = not outputs
        self._used: dict[str, tuple[tuple[int, ...], str]] = {}
        # The memo file's entries not looked up yet. Each is dropped once
        # looked up (then it is in ``_used``): a memo of every file of a
        # large site is tens of MB as Python objects, and held twice it
        # would be a good part of a build's memory.
        self._loaded: dict[str, list] = {}
        self._changed = False  # the memo to save differs from the file's
        # Inside ``settled()``: each path's hash as first looked up there.
        self._settled: dict[str, str] | None = None
        if self.memo_file:
            try:
                loaded = cache_json.load(self.memo_file)
                if isinstance(loaded, dict):
                    self._loaded = loaded
            except FileNotFoundError:
                pass
            except (OSError, ValueError):
                logger.warning(
                    "Ignoring the unreadable file hashes %s; files are hashed again",
                    self.memo_file,
                )

    def sha256(self, path: str | os.PathLike, snapshot: bool = False) -> str:
        """SHA-256 (hex) of the bytes of the file at ``path``. ``snapshot``:
        the file is one of the build's inputs, hashed as the build starts;
        until the build ends (``new_snapshot``), every ``FileHashes`` in
        this process gives this hash for it without looking at the file
        again, whatever happens to it meanwhile (the build's outputs are
        keyed by the bytes it had then)."""
        if snapshot:
            return self._look_up(path, read=True, snapshot=True)[0]
        if self._settled is None:
            return self._look_up(path, read=True)[0]
        found = self._settled.get(path)
        if found is None:
            found = self._settled[path] = self._look_up(path, read=True)[0]
        return found

    def sha256_and_size(self, path: str | os.PathLike) -> tuple[str, int]:
        """``sha256(path)``, and the file's size from the stat it was looked
        up by: what the build report counts, without a stat of its own."""
        return self._look_up(path, read=True)

    @contextlib.contextmanager
    def settled(self):
        """While nothing writes the files looked up: each path is looked up
        once (a stat), and asked again, given the same answer. The search's
        plan asks for every page's hash three times over (its stamp, which
        pages it indexes, which parts changed): 30,000 pages at 10,000
        stories, a stat each time, on the way to starting Pagefind."""
        self._settled = {}
        try:
            yield self
        finally:
            self._settled = None

    def remembered(self, path: str | os.PathLike) -> str | None:
        """``sha256(path)`` when it is remembered for the file's stat as it
        is now; None when finding it would mean reading the file."""
        return self._look_up(path, read=False)[0]

    def _look_up(
        self, path: str | os.PathLike, read: bool, snapshot: bool = False
    ) -> tuple[str | None, int]:
        """The file's hash (None when not ``read`` and not remembered), and
        its size, from one stat (none for a file given this build or in its
        snapshot); ``snapshot``: as ``sha256`` has it."""
        real = _absolute(path)
        with _lock:
            given = _this_build.get(real)
            taken = _snapshot.get(real)
        if given is not None:  # given this build: not this memo's to keep
            self._changed = self._changed or real in self._loaded
            self._loaded.pop(real, None)
            self._used.pop(real, None)
            return given[1], given[0][0]
        if taken is not None:
            known, racy = taken
            stored = self._loaded.pop(real, None)
            if racy:
                self._changed = True  # not remembered: it leaves the memo
                return known[1], known[0][0]
            return self._keep(real, known, stored)
        stat = os.stat(real)
        memo = _memo(stat)
        with _lock:
            known = _known.get(real)
        if known is None or known[0] != memo:
            known = self._from_memo_entry(real, memo, self._loaded.get(real))
        if known is None and self.ask_git:
            # A fresh clone's file: git may know what it holds.
            digest = git_hashes.known(real, memo, stat.st_size, _memo)
            if digest is not None:
                known = (memo, digest)
                with _lock:
                    _known[real] = known
        if known is None and not read:
            return None, stat.st_size
        if known is None and _seeds and _seed_now(stat.st_size):
            with _lock:
                known = _known.get(real)
            if known is not None and known[0] != memo:
                known = None
        stored = self._loaded.pop(real, None)
        racy = False
        if known is None:
            before = time.time_ns()
            digest = sha256_of(real)
            known = (memo, digest)
            racy = max(stat.st_mtime_ns, stat.st_ctime_ns) >= before - RACY_NS
            if not racy:
                with _lock:
                    _known[real] = known
                if self.ask_git:
                    git_hashes.learn(real, memo, digest)
        if snapshot:
            with _lock:
                _snapshot[real] = (known, racy)
        if racy:
            self._changed = True  # not remembered: it leaves the memo
            return digest, stat.st_size  # changed a moment ago
        return self._keep(real, known, stored)

    def _keep(
        self, real: str, known: tuple[tuple[int, ...], str], stored
    ) -> tuple[str, int]:
        """``real`` looked up this build as ``known`` (its stat memo and
        hash), for the memo file to keep (``stored``: the file's entry
        for it); the hash and the size."""
        with _lock:
            given = _given.get(real) == known[0]
        if given:  # told by every build: not this memo's to keep
            self._changed = self._changed or stored is not None
            self._used.pop(real, None)
            return known[1], known[0][0]
        previous = self._used.get(real)
        if previous is None:
            self._changed = self._changed or not _same(stored, known)
        elif previous != known:
            self._changed = True
        self._used[real] = known
        return known[1], known[0][0]

    def _from_memo_entry(self, real: str, memo: tuple[int, ...], entry):
        """The memo file's entry for ``real``, if it names this stat."""
        known = _entry(entry)
        if known is None or known[0] != memo:
            return None
        digest = known[1]
        with _lock:
            _known[real] = (memo, digest)
        return memo, digest

    def save(self) -> None:
        """Write the memo: the files looked up since this was made (the
        file is left as it is when those are the entries it holds)."""
        if not self.memo_file:
            return
        if not self._changed and not self._loaded:
            return
        memo = {path: [list(stat), sha] for path, (stat, sha) in self._used.items()}
        write_atomically(self.memo_file, cache_json.dumps(memo, sort_keys=True))
        self._loaded = {}
        self._changed = False


def _entry(entry) -> tuple[tuple[int, ...], str] | None:
    """A memo file's entry (``[stat memo, sha256]``) as ``_known`` holds
    one; None when it is not one."""
    try:
        stat_memo, digest = tuple(entry[0]), entry[1]
    except (TypeError, IndexError, KeyError):
        return None
    return (stat_memo, digest) if isinstance(digest, str) else None


def _same(entry, known: tuple[tuple[int, ...], str]) -> bool:
    """Does a memo file's entry say what ``known`` says?"""
    return _entry(entry) == known
