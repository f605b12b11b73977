"""Each story's transcript, read, checked and laid out once, kept by content.

What a build needs of a transcript comes from one function of the story's
inputs (``make_entry``): the transcript file's cues, checked against the
story's people and audio; the chapters chosen from the front matter, the
transcript or the audio; the page's view of it (cues in speaker turns,
sections and the "who speaks when" timeline); and the little the other
pages need (the share card's outline of the timeline, the first answer in
each chapter for the question index).

An entry is saved in ``CACHE_PATH/transcripts/<key>.pickle``, the key a
hash of every input: the file's bytes (SHA-256), its name, the story's
speakers and participants, the audio's length and name, the front matter's
and the audio's chapters, and this package's code. So an entry is never
stale: anything that would change it changes its name. A build with nothing
changed reads the small first part of each entry (the findings, chapters,
outline and answers) and parses, checks or lays out no transcript. The
view (some 250 KB of objects a story) is read only while a page or file
uses it (``Loaded``): at 10,000 stories the views do not fit in memory
together. Entries no story of the build used are removed at its end.

A file that cannot be read is never kept: it is read, and reported, every
time. Without a cache folder the view stays on the story.
"""

from __future__ import annotations

import collections
import dataclasses
import glob
import hashlib
import json
import logging
import os
import pickle
import shutil
from typing import NamedTuple

from portal.code_digest import tree_digest
from portal.file_hashes import FileHashes
from portal.writing import atomic_file

from . import answers
from .chapters import ChapterChoice, choose_chapters
from .checks import Finding, transcript_findings
from .timeline import build_timeline
from .transcript import read_transcript
from .turns import sections

logger = logging.getLogger(__name__)

FOLDER = "transcripts"
HASHES_FILE = "hashes.json"  # the transcript files' hashes, by stat
# Folders and files of earlier layouts of this cache, removed when found.
LEFTOVERS = ("pages",)
RECENT = 2  # views kept loaded (the page being rendered, and one more)
_HERE = os.path.dirname(os.path.abspath(__file__))

CUES, SECTIONS, TIMELINE = 0, 1, 2  # the parts of a view
CHECKED, VIEW = 0, 1  # the parts of an entry after its key


class ChapterMark(NamedTuple):
    """A chapter as an input: front matter's or the audio's."""

    start: float
    title: str
    question: str | None = None


@dataclasses.dataclass(frozen=True)
class Inputs:
    """Everything a story's transcript entry is made from."""

    path: str  # the transcript file
    name: str  # its name in messages
    speakers: tuple[str, ...]  # the participants, then the facilitator
    participants: tuple[str, ...]
    duration: float  # the audio's length, seconds
    audio_name: str
    front_chapters: tuple[ChapterMark, ...]
    audio_chapters: tuple[ChapterMark, ...]


@dataclasses.dataclass
class Checked:
    """The part of an entry every build reads: small."""

    findings: list[Finding]
    choice: ChapterChoice
    has_cues: bool
    outline: answers.Outline | None  # None without a timeline
    answers: dict  # (chapter start, end) -> answers.Quote


def make_entry(inputs: Inputs) -> tuple[Checked, tuple]:
    """Read, check and lay out one transcript: (checked part, view).

    Raises ``TranscriptError`` for a file that cannot be read."""
    transcript = read_transcript(inputs.path, inputs.name)
    findings = transcript_findings(
        transcript,
        list(inputs.speakers),
        inputs.duration,
        inputs.audio_name,
        list(inputs.participants),
    )
    choice = choose_chapters(
        list(inputs.front_chapters),
        transcript.chapters,
        list(inputs.audio_chapters),
        inputs.duration,
    )
    cues = transcript.cues
    participants = list(inputs.participants)
    # sections() sets each cue's turn, which the answers link to.
    view = (
        cues,
        sections(cues, choice.chapters, participants),
        build_timeline(cues, choice.chapters, participants, inputs.duration),
    )
    timeline = view[TIMELINE] if inputs.duration > 0 else None
    checked = Checked(
        findings=findings,
        choice=choice,
        has_cues=bool(cues),
        outline=answers.outline(timeline) if cues and timeline else None,
        answers=answers.chapter_answers(cues, choice.chapters),
    )
    return checked, view


class TranscriptStore:
    """The build's transcript entries (one folder in the cache)."""

    def __init__(self, cache_path: str | None):
        self.folder = os.path.join(cache_path, FOLDER) if cache_path else None
        self.code = tree_digest(_HERE, suffixes=(".py",))
        self.hashes = FileHashes(
            os.path.join(self.folder, HASHES_FILE) if self.folder else None
        )
        self.used: set[str] = set()
        self._keys: dict[Inputs, str] = {}

    def key(self, inputs: Inputs) -> str:
        """The entry's name: a hash of every input, the file by content
        (wherever it is: its path is not part of the key)."""
        key = self._keys.get(inputs)
        if key is None:
            stamp = [
                self.hashes.sha256(inputs.path),
                self.code,
                inputs.name,
                inputs.speakers,
                inputs.participants,
                inputs.duration,
                inputs.audio_name,
                inputs.front_chapters,
                inputs.audio_chapters,
            ]
            key = hashlib.sha256(json.dumps(stamp).encode("utf-8")).hexdigest()
            self._keys[inputs] = key
        return key

    def _file(self, key: str) -> str:
        return os.path.join(self.folder, key + ".pickle")

    def checked(self, inputs: Inputs) -> Stored:
        """The story's entry: read, or made and saved. Raises
        ``TranscriptError`` (and saves nothing) for an unreadable file."""
        try:
            key = self.key(inputs) if self.folder else None
        except OSError:
            key = None  # not hashable: read below, which reports why
        if key is None:
            checked, view = make_entry(inputs)
            return Stored(self, inputs, None, checked, view)
        self.used.add(key)
        checked = self._read_part(key, CHECKED)
        if checked is None:
            logger.debug("[transcripts] parsing %s (not in the cache)", inputs.path)
            checked, view = make_entry(inputs)
            self._save(key, checked, view)
        stored = Stored(self, inputs, key, checked, None)
        if checked.outline is not None:
            checked.outline = OutlineRef(checked.outline, stored)
        return stored

    def holds(self, inputs: Inputs) -> bool:
        """Is the entry saved already? True, too, when there is no cache or
        the file cannot be hashed: nothing to make ahead (``checked`` reads
        it, and reports why it cannot)."""
        if not self.folder:
            return True
        try:
            return os.path.exists(self._file(self.key(inputs)))
        except OSError:
            return True

    def make(self, inputs: Inputs) -> bool:
        """Make and save the entry (in a worker process); False on any error,
        which ``checked`` then meets again and reports."""
        try:
            self._save(self.key(inputs), *make_entry(inputs))
        except Exception:
            return False
        logger.debug("[transcripts] parsing %s (not in the cache)", inputs.path)
        return True

    def finish(self) -> None:
        """Remember the files' hashes; remove entries no story used."""
        if not self.folder:
            return
        self.hashes.save()
        for path in glob.glob(os.path.join(self.folder, "*.pickle")):
            if os.path.basename(path)[: -len(".pickle")] not in self.used:
                try:
                    os.remove(path)
                except FileNotFoundError:
                    pass  # another build sharing the cache removed it
        for name in LEFTOVERS:
            shutil.rmtree(os.path.join(self.folder, name), ignore_errors=True)

    def _read_part(self, key: str, part: int):
        """Part ``part`` of the entry (CHECKED or VIEW), reading no further;
        None when it is missing or damaged (a cut or foreign file): a miss,
        and the entry is made again."""
        try:
            with open(self._file(key), "rb") as handle:
                if pickle.load(handle) != key:
                    return None
                for _ in range(part):
                    pickle.load(handle)
                return pickle.load(handle)
        except Exception:
            return None

    def _save(self, key: str, checked: Checked, view: tuple) -> None:
        # The key, then the small part, then the view: a rebuild reads the
        # first two only.
        with atomic_file(self._file(key)) as handle:
            pickle.dump(key, handle, pickle.HIGHEST_PROTOCOL)
            pickle.dump(checked, handle, pickle.HIGHEST_PROTOCOL)
            pickle.dump(view, handle, pickle.HIGHEST_PROTOCOL)


# (entry key) -> view, most recently used last.
_recent: collections.OrderedDict[str, tuple] = collections.OrderedDict()


def forget() -> None:
    """Drop every loaded view (the end of a build)."""
    _recent.clear()


def loaded_count() -> int:
    return len(_recent)


class Stored:
    """One story's entry: its checked part, and where its view is."""

    __slots__ = ("checked", "held", "inputs", "key", "store")

    def __init__(self, store, inputs, key, checked, held):
        self.store = store
        self.inputs = inputs
        self.key = key  # None without a cache folder
        self.checked = checked
        self.held = held  # the view itself, only without a cache folder

    @property
    def file(self) -> str | None:
        return self.store._file(self.key) if self.key else None

    def view(self) -> tuple:
        """(cues, sections, timeline), read from the entry if not loaded."""
        if self.held is not None:
            return self.held
        view = _recent.get(self.key)
        if view is None:
            view = self.store._read_part(self.key, VIEW)
            if view is None:  # removed or damaged since the checks: make it again
                checked, view = make_entry(self.inputs)
                self.store._save(self.key, checked, view)
            _recent[self.key] = view
            while len(_recent) > RECENT:
                _recent.popitem(last=False)
        else:
            _recent.move_to_end(self.key)
        return view


class OutlineRef:
    """Stands in for a transcript's outline (the share card's timeline) for
    the whole build: its digest and lanes, which the card's key holds. The
    bars (some 5 KB a story) are read from the entry when a card is drawn:
    held for 10,000 stories they were 55 MB of the build's memory."""

    __slots__ = ("digest", "lanes", "stored")

    def __init__(self, outline: answers.Outline, stored: Stored):
        self.digest = outline.digest
        self.lanes = outline.lanes
        self.stored = stored

    def outline(self) -> answers.Outline:
        stored = self.stored
        checked = stored.store._read_part(stored.key, CHECKED)
        if checked is None:  # removed or damaged since the checks
            checked, view = make_entry(stored.inputs)
            stored.store._save(stored.key, checked, view)
        return checked.outline

    @property
    def packed(self) -> bytes:
        return self.outline().packed

    @property
    def bars(self) -> tuple[tuple[float, float, int, int], ...]:
        return self.outline().bars

    def __repr__(self) -> str:
        return f"<OutlineRef {self.digest[:12]} of {self.stored.inputs.path}>"


class Loaded:
    """Stands in for one part of a story's view; loads it when used.

    Set only when the story has cues (and a timeline), so it is always
    true, and ``if story.story.transcript`` reads nothing."""

    __slots__ = ("part", "stored")

    def __init__(self, stored: Stored, part: int):
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
        return f"<Loaded {part} of {self.stored.inputs.path}>"
