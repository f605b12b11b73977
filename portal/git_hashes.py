"""Content hashes git already holds, so a fresh clone reads no file to hash it.

A fresh clone (every run of the content repository's publish workflow) has
only new files: no stat memo (``portal.file_hashes``) knows them, and every
file a build hashes would be read again; every audio master, gigabytes at a
thousand stories. But git knows what each file of its checkout holds:

- an audio master kept in Git LFS (templates/content-repo) is committed as
  a pointer whose ``oid sha256:`` line is the SHA-256 of the master's
  bytes, the very hash the caches key on;
- any other file is a git blob, named by git's hash of its bytes. The
  SHA-256 of each blob once hashed is kept in a table in the cache folder
  (``TABLE_FILE``), by blob: a clone finds there every file an earlier
  build hashed, at whatever path. With the file's size: a checkout that
  writes a blob's bytes otherwise (line endings converted, a filter) gives
  another size, and the file is read.

Git's word is taken only for a file it says is unmodified (``git
diff-files``: the stat its index recorded at checkout, with git's own care
for files changed in the same clock tick) whose stat is still the one taken
before git was asked, and for a Git LFS file, whose size is the one its
pointer names (a pointer left unfetched is a small text file, not the
audio). Anything else is hashed as before.

Git is asked once per work tree and process, and only when that pays: for
a large file, or once ``ASK_AFTER`` small ones had to be read (an edit of a
story reads one or two; a fresh clone, thousands; asking costs a fraction
of a second at 10,000 stories). Only git's plumbing runs; it writes nothing
to the repository.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import os
import re
import subprocess
import threading

from portal import cache_json
from portal.writing import write_atomically

logger = logging.getLogger(__name__)

# The table of blobs' SHA-256, in the cache folder.
TABLE_FILE = "git-blobs.json"
# A file this large costs more to read than asking git (once) what it holds.
LARGE = 1 << 20
# Small files read before git is asked about their work tree.
ASK_AFTER = 64
# Git LFS pointers are small text files (the spec caps them at 1024 bytes).
POINTER_LIMIT = 1024
_POINTER = re.compile(
    rb"\Aversion https://git-lfs\.github\.com/spec/v1\n"
    rb"(?:.*\n)*?oid sha256:(?P<oid>[0-9a-f]{64})\n"
    rb"(?:.*\n)*?size (?P<size>[0-9]+)\n",
)


@dataclasses.dataclass(frozen=True)
class _Tracked:
    """A file git says is unmodified."""

    memo: tuple[int, ...]  # its stat when git was asked (file_hashes' memo)
    blob: str  # git's name of its bytes (for a Git LFS file: of the pointer)
    sha256: str | None  # for a Git LFS file, from its pointer


# work tree's top folder -> {absolute path: _Tracked}
_trees: dict[str, dict[str, _Tracked]] = {}
# folder -> the top folder of the work tree it is in, or None
_tops: dict[str, str | None] = {}
# Before git is asked about a work tree: how many of its small files had to
# be read, and those hashed (learnt once git is asked).
_misses: collections.Counter[str] = collections.Counter()
_early: dict[str, list] = collections.defaultdict(list)
_lock = threading.Lock()


@dataclasses.dataclass
class _Table:
    """blob -> (SHA-256, size) of the file it was checked out as, kept in
    ``path``."""

    path: str | None = None
    blobs: dict[str, tuple[str, int]] | None = None  # loaded when git is first asked
    changed: bool = False


_table = _Table()


def keep_table(path: str | os.PathLike) -> None:
    """Keep the table of blobs' SHA-256 in ``path`` (the cache folder's
    ``TABLE_FILE``); read when git is first asked, written by ``save_table``."""
    with _lock:
        if _table.path != os.fspath(path):
            _table.path, _table.blobs, _table.changed = os.fspath(path), None, False


def save_table() -> None:
    """Write the table when it learnt a blob: the blobs of the work trees
    git was asked about (blobs no longer in them leave it)."""
    with _lock:
        if not (_table.path and _table.changed and _table.blobs is not None):
            return
        in_use = {tracked.blob for tree in _trees.values() for tracked in tree.values()}
        kept = {
            blob: list(known) for blob, known in _table.blobs.items() if blob in in_use
        }
        _table.changed = False
    try:
        write_atomically(_table.path, cache_json.dumps(kept, sort_keys=True))
    except OSError:
        pass  # a read-only cache: the files are hashed again next time


def known(real: str, memo: tuple[int, ...], size: int, memo_of) -> str | None:
    """The SHA-256 of the file at ``real`` (absolute) when git holds it and
    its stat is still ``memo`` (``size`` bytes); else None. ``memo_of``
    makes such a memo of a stat (``file_hashes``'). A link inside the work
    tree is not a file git holds: not found."""
    top = _top(os.path.dirname(real))
    if top is None:
        return None
    with _lock:
        tree = _trees.get(top)
        if tree is None:
            if size < LARGE and _misses[top] < ASK_AFTER:
                _misses[top] += 1
                return None
            tree = _trees[top] = _tracked_files(top, memo_of)
        _load_table()  # the first time, or another build's cache kept since
        for early in _early.pop(top, []):
            _learn(tree, *early)
        tracked = tree.get(real)
        if tracked is None or tracked.memo != memo:
            return None
        if tracked.sha256 is not None:
            return tracked.sha256
        sha256, checked_out_size = _table.blobs.get(tracked.blob, (None, None))
        return sha256 if checked_out_size == size else None


def learn(real: str, memo: tuple[int, ...], sha256: str) -> None:
    """The file at ``real``, with the stat ``memo``, was read: its bytes'
    SHA-256 is ``sha256`` (hashed well after its last change)."""
    top = _top(os.path.dirname(real))
    if top is None:
        return
    with _lock:
        tree = _trees.get(top)
        if tree is None:
            if len(_early[top]) < ASK_AFTER:
                _early[top].append((real, memo, sha256))
            return
        _load_table()
        _learn(tree, real, memo, sha256)


def forget() -> None:
    """Drop what was learnt of every work tree and the table (tests)."""
    with _lock:
        _trees.clear()
        _tops.clear()
        _misses.clear()
        _early.clear()
        _table.path, _table.blobs, _table.changed = None, None, False


def _learn(tree: dict[str, _Tracked], real: str, memo, sha256: str) -> None:
    tracked = tree.get(real)
    if tracked is None or tracked.memo != memo or tracked.sha256 is not None:
        return
    known = (sha256, memo[0])  # the memo's first field is the size
    if _table.blobs.get(tracked.blob) != known:
        _table.blobs[tracked.blob] = known
        _table.changed = True


def _load_table() -> None:
    if _table.blobs is not None:
        return
    _table.blobs = {}
    if not _table.path:
        return
    try:
        loaded = cache_json.load(_table.path)
    except (OSError, ValueError):
        return  # none yet, or unreadable: every file is hashed again
    if isinstance(loaded, dict):
        for blob, known in loaded.items():
            if (
                isinstance(known, list)
                and len(known) == 2
                and isinstance(known[0], str)
                and isinstance(known[1], int)
            ):
                _table.blobs[blob] = (known[0], known[1])


def _top(folder: str) -> str | None:
    """The work tree ``folder`` is in (the nearest folder up with a
    ``.git``), remembered for every folder on the way."""
    seen = []
    found = None
    while True:
        with _lock:
            if folder in _tops:
                found = _tops[folder]
                break
        seen.append(folder)
        if os.path.exists(os.path.join(folder, ".git")):
            found = folder
            break
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    with _lock:
        for each in seen:
            _tops[each] = found
    return found


def _git(top: str, *args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(
        ["git", "-C", top, *args], input=stdin, capture_output=True, check=True
    ).stdout


def _tracked_files(top: str, memo_of) -> dict[str, _Tracked]:
    """Every file of the work tree at ``top`` that git says is unmodified.
    Empty when git cannot say (not installed, a broken index)."""
    try:
        return _read_tracked_files(top, memo_of)
    except (OSError, ValueError, subprocess.CalledProcessError) as error:
        logger.debug("Git holds no hashes for %s: %s", top, error)
        return {}


def _read_tracked_files(top: str, memo_of) -> dict[str, _Tracked]:
    # Each index entry: "<mode> <blob> <stage>\t<path>"; conflicted entries
    # (stage other than 0), links and submodules are left out.
    blobs: dict[str, str] = {}
    for line in _git(top, "ls-files", "--stage", "-z").split(b"\0"):
        if not line:
            continue
        info, _, path = line.partition(b"\t")
        mode, blob, stage = info.split(b" ")
        if stage == b"0" and mode in (b"100644", b"100755"):
            blobs[os.fsdecode(path)] = blob.decode("ascii")
    if not blobs:
        return {}
    # Stat first, then ask git: a file changed after its stat was taken
    # has another stat when it is looked up, and is read.
    stats = {}
    for path in blobs:
        try:
            stats[path] = os.stat(os.path.join(top, path))
        except OSError:
            continue
    modified = {
        os.fsdecode(path)
        for path in _git(top, "diff-files", "--name-only", "-z").split(b"\0")
        if path
    }
    pointers = _lfs_pointers(top, {blobs[path] for path in stats})
    found = {}
    for path, stat in stats.items():
        if path in modified:
            continue
        blob = blobs[path]
        sha256 = None
        if blob in pointers:
            sha256, size = pointers[blob]
            if stat.st_size != size:
                continue  # the pointer itself: its audio was not fetched
        found[os.path.join(top, path)] = _Tracked(memo_of(stat), blob, sha256)
    return found


def _lfs_pointers(top: str, blobs: set[str]) -> dict[str, tuple[str, int]]:
    """Of ``blobs``, the Git LFS pointers: blob -> (SHA-256, size) of the
    file each stands for."""
    if not blobs:
        return {}
    names = "\n".join(sorted(blobs)).encode("ascii") + b"\n"
    checked = _git(
        top, "cat-file", "--batch-check=%(objectname) %(objectsize)", stdin=names
    )
    small = []
    for line in checked.splitlines():
        name, _, size = line.partition(b" ")
        if size.isdigit() and int(size) < POINTER_LIMIT:
            small.append(name)
    if not small:
        return {}
    out = _git(top, "cat-file", "--batch", stdin=b"\n".join(small) + b"\n")
    pointers = {}
    at = 0
    while at < len(out):
        header_end = out.index(b"\n", at)
        name, _, rest = out[at:header_end].partition(b" ")
        size = int(rest.rsplit(b" ", 1)[1])
        body = out[header_end + 1 : header_end + 1 + size]
        at = header_end + 1 + size + 1  # the body, then a newline
        match = _POINTER.match(body)
        if match and int(match["size"]) != size:
            pointers[name.decode("ascii")] = (
                match["oid"].decode("ascii"),
                int(match["size"]),
            )
    return pointers
