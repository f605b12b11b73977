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
the outline's digest and answers), all of them from one file
(``checked.index``: the checked parts of the entries the last build used),
and parses, checks or lays out no transcript. The view (some 250 KB of
objects a story: ``TranscriptView``) is read by the story pipeline while it
makes that story's page and files (``TranscriptEntry.view``), one story at a
time: at 10,000 stories the views do not fit in memory together. Entries
no story of the build used are removed at its end.

A file that cannot be read is never kept: it is read, and reported, every
time. Without a cache folder the view stays on the story.
"""

from __future__ import annotations

import dataclasses
import glob
import hashlib
import json
import logging
import os
import pickle
import shutil
from typing import Any, NamedTuple

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
# The checked parts of the entries the last build used, in one file: a
# build reads it, not the head of every entry (10,000 files at 10,000
# stories). Not a ``.pickle``: entries are the folder's ``*.pickle``.
CHECKED_FILE = "checked.index"
# Folders and files of earlier layouts of this cache, removed when found.
LEFTOVERS = ("pages",)
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
    # The share card's timeline by its digest and lanes (its bars are drawn
    # from the view: ``TranscriptView.outline``); None without a timeline.
    outline: answers.OutlineSummary | None
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
        outline=answers.outline(timeline).summary if cues and timeline else None,
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
        self._index: dict[str, Checked] | None = None  # key -> checked part
        self._index_read: frozenset[str] = frozenset()  # the keys the file held

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

    def checked(self, inputs: Inputs) -> TranscriptEntry:
        """The story's entry: read, or made and saved. Raises
        ``TranscriptError`` (and saves nothing) for an unreadable file."""
        try:
            key = self.key(inputs) if self.folder else None
        except OSError:
            key = None  # not hashable: read below, which reports why
        if key is None:
            checked, view = make_entry(inputs)
            return TranscriptEntry(self, inputs, None, checked, view)
        self.used.add(key)
        index = self._checked_index()
        checked = index.get(key)
        if checked is None:  # not in the index: the entry's head, or made
            checked = self._read_part(key, CHECKED)
        if checked is None:
            logger.debug("[transcripts] parsing %s (not in the cache)", inputs.path)
            checked, view = make_entry(inputs)
            self._save(key, checked, view)
        index[key] = checked
        return TranscriptEntry(self, inputs, key, checked, None)

    def holds(self, inputs: Inputs) -> bool:
        """Is the entry saved already? True, too, when there is no cache or
        the file cannot be hashed: nothing to make ahead (``checked`` reads
        it, and reports why it cannot)."""
        if not self.folder:
            return True
        try:
            key = self.key(inputs)
        except OSError:
            return True
        return self.holds_key(key)

    def holds_key(self, key: str) -> bool:
        """Is the entry named ``key`` saved (``holds``, by its key)?"""
        if not self.folder:
            return True
        return key in self._checked_index() or os.path.exists(self._file(key))

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
        self._save_index()
        for path in glob.glob(os.path.join(self.folder, "*.pickle")):
            if os.path.basename(path)[: -len(".pickle")] not in self.used:
                try:
                    os.remove(path)
                except FileNotFoundError:
                    pass  # another build sharing the cache removed it
        for name in LEFTOVERS:
            shutil.rmtree(os.path.join(self.folder, name), ignore_errors=True)

    def _checked_index(self) -> dict[str, Checked]:
        """The checked parts the last build kept (read once a build); a file
        that cannot be read is an empty index: each entry's head is read."""
        if self._index is None:
            self._index = {}
            try:
                with open(os.path.join(self.folder, CHECKED_FILE), "rb") as handle:
                    if pickle.load(handle) == self.code:
                        index = pickle.load(handle)
                        if isinstance(index, dict):
                            self._index = index
            except FileNotFoundError:
                pass
            except Exception as error:  # cut off, or not ours
                logger.debug("[transcripts] %s not read: %s", CHECKED_FILE, error)
            self._index_read = frozenset(self._index)
        return self._index

    def _save_index(self) -> None:
        """Keep the checked parts of the entries this build used (the file
        is left as it is when it holds those)."""
        if self._index is None:
            return
        kept = {key: self._index[key] for key in self.used if key in self._index}
        if kept.keys() == self._index_read:
            return
        with atomic_file(os.path.join(self.folder, CHECKED_FILE)) as handle:
            pickle.dump(self.code, handle, pickle.HIGHEST_PROTOCOL)
            pickle.dump(kept, handle, pickle.HIGHEST_PROTOCOL)
        self._index_read = frozenset(kept)

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


class TranscriptView(NamedTuple):
    """A story's parsed transcript, as its page and files use it. Loaded
    for one story at a time, by the story pipeline while it makes that
    story's outputs (``TranscriptEntry.view``), and dropped when they are
    made: 10,000 stories' views do not fit in memory together."""

    cues: list  # transcript.Cue, each with its turn
    sections: list  # turns.Section: chapters holding speaker turns
    timeline: Any  # timeline.Timeline, or None when the audio has no length

    @property
    def outline(self) -> answers.Outline | None:
        """The share card's drawing of the timeline (the entry keeps only
        its digest and lanes: ``Checked.outline``)."""
        return answers.outline(self.timeline) if self.cues and self.timeline else None


class TranscriptEntry:
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

    def view(self) -> TranscriptView:
        """The parsed transcript, read from the entry (or made again when
        the entry was removed or damaged since the checks)."""
        view = self.held
        if view is None:
            view = self.store._read_part(self.key, VIEW)
            if view is None:
                checked, view = make_entry(self.inputs)
                self.store._save(self.key, checked, view)
        cues, turn_sections, timeline = view
        if self.inputs.duration <= 0:
            timeline = None  # build_timeline draws nothing without a length
        return TranscriptView(cues, turn_sections, timeline)

    def __repr__(self) -> str:
        return f"<TranscriptEntry {self.inputs.path}>"
