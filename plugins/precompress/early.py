"""Compressing the files the build writes while the build goes on.

Pre-compression gives every text file its copies once the build is done
(``plugin.precompress``). But for much of a build one process renders the
listings and the feed while the machine's other cores wait: a campaign's new
story at 10,000 stories writes some 4,500 pages, and compressing them all at
the end took 12 s after the last page was written. So from the moment the
pages are written (``all_generators_finalized``) to pre-compression's turn,
a thread (more on a machine with more cores) takes each text file the build
writes with new bytes (``portal.written_files``), reads it, and puts its
copies in the cache's store under the hash of the bytes it read. The pass at
the end then finds them there and only links them into the output, as it
does for any copy the store has.

Nothing here decides what the output holds: a file written again after its
copies were made has another hash, whose copies the pass at the end makes
(the stale ones leave the store with the rest of what no file has); a file
this thread did not reach, or could not read, is done by the pass as
before. The thread never touches the output folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import threading
from collections.abc import Callable

from portal import written_files
from portal.writing import holds, write_atomically

_STOP = None


class EarlyCopies:
    """Copies made into the store for files told of (``tell``) until
    ``finish``. ``load_index``: the store's index (which copies it has, by
    hash), read by the first thread to need it; ``copies_of(data, path)``:
    the copies worth keeping of a file, by format; ``store``: the store's
    folder with its separator."""

    def __init__(
        self,
        output: str,
        extensions: tuple[str, ...],
        store: str,
        load_index: Callable[[], tuple[dict, dict]],
        copies_of: Callable[[bytes, str], dict[str, bytes]],
        suffixes: dict[str, str],
    ):
        self.output = os.path.join(os.path.abspath(output), "")
        self.extensions = extensions
        self.store = store
        self.suffixes = suffixes
        self._load_index = load_index
        self._copies_of = copies_of
        self._index: tuple[dict, dict] | None = None
        self._index_lock = threading.Lock()
        # What the threads made, by the hash of the bytes they compressed:
        # each format's size, as the index keeps it.
        self.made: dict[str, dict[str, int]] = {}
        self._taken: set[str] = set()  # hashes a thread has started on
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._stopping = False
        # A fork (the story pipeline's workers) waits until no thread is
        # compressing (``pause``): a child gets only the forking thread, and
        # a lock another thread held then (OpenSSL's, the allocator's, a
        # file's) would stay held in it for good.
        self._gate = threading.Condition()
        self._busy = 0
        self._paused = False
        # One core is the build's own (its process renders); the others'
        # time is what this uses.
        count = max(1, min(3, (os.cpu_count() or 1) - 1))
        self._threads = [
            threading.Thread(target=self._run, name="precompress-early", daemon=True)
            for _ in range(count)
        ]
        for thread in self._threads:
            thread.start()

    def tell(self, path: str) -> None:
        if path.startswith(self.output) and path.lower().endswith(self.extensions):
            self._queue.put(path)

    def index(self) -> tuple[dict, dict] | None:
        """The store's index and inodes if a thread read them (else None:
        nothing was written, and the pass at the end reads them itself)."""
        return self._index

    def finish(self) -> dict[str, dict[str, int]]:
        """Stop the threads (the files they have not reached are left to the
        pass at the end) and hand over what they made."""
        self._stopping = True
        for _ in self._threads:
            self._queue.put(_STOP)
        for thread in self._threads:
            thread.join()
        return self.made

    def _run(self) -> None:
        # The lowest priority: the thread takes a core the build leaves idle
        # (one process rendering the listings), not one the story
        # pipeline's workers use (Linux sets a thread's own nice value).
        with contextlib.suppress(AttributeError, OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        while True:
            path = self._queue.get()
            if path is _STOP:
                return
            if self._stopping:
                continue
            with self._gate:
                while self._paused:
                    self._gate.wait()
                self._busy += 1
            try:
                self._one(path)
            except Exception:
                # The pass at the end does this file again and reports what
                # it meets there (a full disk, a file gone), where the build
                # can stop on it.
                pass
            finally:
                with self._gate:
                    self._busy -= 1
                    self._gate.notify_all()

    def pause(self) -> None:
        """Wait until no thread is compressing, and hold them until
        ``resume``."""
        with self._gate:
            self._paused = True
            while self._busy:
                self._gate.wait()

    def resume(self) -> None:
        with self._gate:
            self._paused = False
            self._gate.notify_all()

    def _one(self, path: str) -> None:
        with open(path, "rb") as handle:
            data = handle.read()
        sha256 = hashlib.sha256(data).hexdigest()
        known, _inodes = self._known()
        with self._index_lock:
            if sha256 in known or sha256 in self._taken:
                return  # copies in the store already, or on their way
            self._taken.add(sha256)
        sizes = {}
        for fmt, packed in self._copies_of(data, path).items():
            blob = self.store + sha256 + self.suffixes[fmt]
            if not holds(blob, packed):
                write_atomically(blob, packed)
            sizes[fmt] = len(packed)
        self.made[sha256] = sizes

    def _known(self) -> tuple[dict, dict]:
        with self._index_lock:
            if self._index is None:
                self._index = self._load_index()
            return self._index


_running: EarlyCopies | None = None
_paused: EarlyCopies | None = None


def _before_fork() -> None:
    global _paused
    _paused = _running
    if _paused is not None:
        _paused.pause()


def _after_fork_in_parent() -> None:
    global _paused
    if _paused is not None:
        _paused.resume()
    _paused = None


def _after_fork_in_child() -> None:
    # The threads are not the child's: it neither compresses nor waits.
    global _running, _paused
    _running = _paused = None


os.register_at_fork(
    before=_before_fork,
    after_in_parent=_after_fork_in_parent,
    after_in_child=_after_fork_in_child,
)


def start(early: EarlyCopies) -> None:
    """Listen for the files the build writes (one build at a time)."""
    global _running
    stop_and_finish()
    _running = early
    written_files.listen(early.tell)


def stop_and_finish() -> None:
    """End a running one, keeping nothing it made in the index (what it
    stored is pruned with the rest of what no file has)."""
    running = stop()
    if running is not None:
        running.finish()


def stop() -> EarlyCopies | None:
    """Stop listening; the running one, if any, for its ``finish``."""
    global _running
    early, _running = _running, None
    if early is not None:
        written_files.stop(early.tell)
    return early
