"""Each story's transcript as its pages show it: on disk, loaded while used.

A 45-minute transcript is about 300 cues, 300 turns and 300 timeline bars:
some 250 KB of Python objects a story. Kept on every story from the checks
until the last page is written, 10,000 stories needed about 4 GB
(benchmarks/README.md, "Peak memory"). So the checks keep none of it on the
story. Each story gets a ``StoredTranscript``: the few values it takes to
find (or make again) its cues, chapter sections and timeline, which are
pickled in ``CACHE_PATH/transcripts/pages/`` (one file a transcript,
rewritten only when its key changes: the transcript file's content hash,
this package's code, the chapters, the participants and the audio's
length).

``story.story.transcript``, ``story.story.transcript_sections`` and
``story.story.transcript_timeline`` are ``Loaded`` stand-ins that read the file
on first use (a list or the timeline for the templates and plugins: ``if``,
``for``, ``len``, indexing and attributes all work). Loaded transcripts are
kept in a small most-recently-used table (``RECENT`` stories), not on the
story: every consumer works on one story at a time (its page, embed page,
share card, transcript files, the question index), so a story is read once
per consumer and memory holds a couple of transcripts whatever the number
of stories. Without a cache folder the story keeps its transcript, as
before.
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
import pickle

from portal.writing import atomic_file

from .timeline import build_timeline
from .turns import sections

FOLDER = "pages"  # inside the TranscriptCache's folder
RECENT = 2  # transcripts kept loaded (the page being rendered, and one more)

# (file, key) -> (cues, sections, timeline), most recently used last.
_recent: collections.OrderedDict[tuple[str, str], tuple] = collections.OrderedDict()

CUES, SECTIONS, TIMELINE = 0, 1, 2


def page_view(cues, chapters, participants, duration) -> tuple:
    """(cues, sections, timeline): sets each cue's ``turn``."""
    return (
        cues,
        sections(cues, chapters, participants),
        build_timeline(cues, chapters, participants, duration),
    )


def forget() -> None:
    """Drop every loaded transcript (the end of a build)."""
    _recent.clear()


def loaded_count() -> int:
    return len(_recent)


class StoredTranscript:
    """Where one story's transcript view is, and how to make it again."""

    __slots__ = (
        "cache",
        "chapters",
        "duration",
        "file",
        "held",
        "key",
        "name",
        "participants",
        "source",
    )

    def __init__(self, cache, source, name, chapters, participants, duration):
        self.cache = cache  # the build's TranscriptCache (parsed cues, code stamp)
        self.source = source  # the .vtt file
        self.name = name
        # The story's own lists (story.story.chapters, participant names): no copy.
        self.chapters = chapters
        self.participants = participants
        self.duration = duration
        self.held = None  # the view itself, only when there is no cache folder
        self.file = None
        self.key = None
        if cache is not None and cache.folder:
            self.key = hashlib.sha1(
                json.dumps(
                    [
                        cache.hashes.sha256(source),
                        cache.code,
                        chapters,
                        participants,
                        duration,
                    ],
                    default=str,
                ).encode("utf-8")
            ).hexdigest()
            digest = hashlib.sha1(os.path.abspath(source).encode("utf-8")).hexdigest()
            self.file = os.path.join(cache.folder, FOLDER, digest + ".pickle")

    @classmethod
    def store(cls, cache, source, name, cues, chapters, participants, duration):
        """Save the view of the cues just checked, unless already saved."""
        stored = cls(cache, source, name, chapters, participants, duration)
        if stored.file is None:
            stored.held = page_view(cues, chapters, participants, duration)
        elif stored._saved_key() != stored.key:
            stored._save(page_view(cues, chapters, participants, duration))
        return stored

    def view(self) -> tuple:
        """(cues, sections, timeline), read from the file if not loaded."""
        if self.held is not None:
            return self.held
        slot = (self.file, self.key)
        view = _recent.get(slot)
        if view is None:
            view = self._read()
            if view is None:  # removed or stale since the checks: make it again
                cues = self.cache.read(self.source, self.name).cues
                view = page_view(cues, self.chapters, self.participants, self.duration)
                self._save(view)
            _recent[slot] = view
            while len(_recent) > RECENT:
                _recent.popitem(last=False)
        else:
            _recent.move_to_end(slot)
        return view

    def _saved_key(self) -> str | None:
        # The key is pickled on its own before the view: checking it reads
        # a few bytes, not the transcript.
        try:
            with open(self.file, "rb") as handle:
                return pickle.load(handle)
        except Exception:
            return None

    def _read(self):
        try:
            with open(self.file, "rb") as handle:
                if pickle.load(handle) != self.key:
                    return None
                view = pickle.load(handle)
        except Exception:
            return None
        return view

    def _save(self, view) -> None:
        with atomic_file(self.file) as handle:
            pickle.dump(self.key, handle, pickle.HIGHEST_PROTOCOL)
            pickle.dump(view, handle, pickle.HIGHEST_PROTOCOL)


class Loaded:
    """Stands in for one part of a stored transcript; loads it when used.

    Set only when the story has cues (and a timeline), so it is always
    true, and ``if story.story.transcript`` reads nothing."""

    __slots__ = ("part", "stored")

    def __init__(self, stored: StoredTranscript, part: int):
        self.stored = stored
        self.part = part

    def value(self):
        return self.stored.view()[self.part]

    def __bool__(self) -> bool:
        return True

    def __len__(self) -> int:
        return len(self.value())

    def __iter__(self):
        return iter(self.value())

    def __getitem__(self, index):
        return self.value()[index]

    def __eq__(self, other) -> bool:
        if isinstance(other, Loaded):
            other = other.value()
        return self.value() == other

    __hash__ = None

    def __getattr__(self, name: str):
        # Only reached for names not defined here (the timeline's lanes,
        # bars, summary...); private names never load (copy, pickle probes).
        if name.startswith("_") or name in Loaded.__slots__:
            raise AttributeError(name)
        return getattr(self.value(), name)

    def __repr__(self) -> str:
        part = ("cues", "sections", "timeline")[self.part]
        return f"<Loaded {part} of {self.stored.source}>"
