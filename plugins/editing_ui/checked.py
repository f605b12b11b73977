"""What the check says of each story, for /admin/ to show after a save.

``./dev cms`` rebuilds the drafts preview after every save, and that build
checks every story as ``./dev check`` does (the approval gate and the checks
on its signals). The form refuses only what it can check itself; the rest
(a topic spelled almost like another, an approval dated ahead, the audio's
length) the check alone finds. So the drafts preview writes, beside the
form, ``admin/checked.json``: each story's problems, in the form's words,
with the digest of the ``story.md`` they were found in::

    {"stories": {"content/stories/x/story.md": {
        "digest": "<sha256 of story.md>", "held_back": true,
        "problems": [{"error": false, "text": "Topic 3: 'famly' is ..."}]}}}

``portal-cms.js`` knows a save by what it sent to the local backend: the
story.md's path and the digest of its text. It shows the problems found at
that path once the digests agree: the build that checked what was saved, not
one that started before the save (and never another story's, which may have
the same id). A story.md is hashed before the build reads it, so a save
during a build makes the digests differ until the build after it.

Written only by a drafts preview with the local backend (``./dev cms`` on
this computer): it names stories that are not public, which no public site
may.

A rebuild that fails (a crash, a build error) leaves the preview as it was,
its checked.json too (or no preview at all, when the first build fails), and
the form would wait for a check that never comes. So ``./dev cms`` then
writes checked.json itself (``record_failure``), making admin/ for it when
no build has yet (a form still open from an earlier ``./dev cms`` reads it
there): the digests of the story.md files the failed build was given, and
why it failed, in one line (the build's own last word, which the build
leaves in ``REASON_ENV``'s file; ``reason_of``)::

    {"failed": {"at": "2026-12-05T21:40:02Z", "reason": "..."},
     "stories": {"content/stories/x/story.md": {"digest": "..."}}}

and the form says the check could not run, with that reason."""

from __future__ import annotations

import builtins
import datetime
import hashlib
import json
import logging
import os
import posixpath
import re
from pathlib import Path

from portal import datafile, schema
from portal.schema import FIELD_LABELS, PART_LABELS

CHECKED_FILE = "checked.json"
STORY_FILE = "story.md"
# Problems' fields that are no field of the form's.
_OTHER_PLACES = {"body": "Introduction"}


def wanted(pelican_settings, options: dict) -> bool:
    """Only a drafts preview saving through this computer's local backend."""
    return bool(
        options["EDITING_UI_LOCAL_BACKEND"] and pelican_settings.get("STORY_PREVIEW")
    )


def story_digests(content_path: str) -> dict[str, str]:
    """The editor's path of each story's story.md -> the SHA-256 of its
    bytes."""
    digests = {}
    for path in sorted((Path(content_path) / "stories").glob(f"*/{STORY_FILE}")):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        digests[datafile.editor_path(path, content_path)] = hashlib.sha256(
            data
        ).hexdigest()
    return digests


def form_place(field: str) -> str:
    """A problem's field as the form names it: ``approval.approved_on`` is
    "Approval, Approved on", ``chapters.1.start`` "Chapter 2, Starts at"."""
    parts = field.split(".")
    top = parts[0]
    if top not in FIELD_LABELS:
        place = _OTHER_PLACES.get(top) or schema.field_in_words(field)
        return place[:1].upper() + place[1:]
    numbers = [part for part in parts[1:] if part.isdigit()]
    names = [part for part in parts[1:] if not part.isdigit()]
    place = FIELD_LABELS[top]
    if numbers:
        place = f"{place.removesuffix('s')} {int(numbers[0]) + 1}"
    if names:
        place += ", " + PART_LABELS.get(f"{top}.{names[0]}", names[0])
    return place


def checked(digests: dict[str, str], problems, held_back) -> dict:
    """``checked.json``'s content: each story's problems (those of its
    story.md and of the other files in its folder) and whether it is held
    back."""
    held = {path for path, _reasons in held_back}
    stories = {
        path: {"digest": digest, "held_back": path in held, "problems": []}
        for path, digest in digests.items()
    }
    for problem in problems:
        story = stories.get(posixpath.join(posixpath.dirname(problem.path), STORY_FILE))
        if story is None:
            continue
        story["problems"].append(
            {
                "error": problem.is_error,
                "text": f"{form_place(problem.field)}: {problem.message} - "
                f"{problem.fix}",
            }
        )
    return {"stories": stories}


def to_json(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# Where a build run by ``./dev cms`` leaves what stopped it (its environment
# names the file): Pelican says it last, as a critical message, then exits.
REASON_ENV = "EDITING_UI_FAILURE_REASON"
# What the form says when the build left no word of its own.
UNKNOWN_REASON = "the drafts preview's rebuild stopped before it finished"


def first_line(text: str, limit: int = 300) -> str:
    """The first line of ``text`` that says something, cut to ``limit``; with
    the line after it when it ends in a colon ("the podcast audio could not
    be made:" is followed by the file and what is wrong with it)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = (
        " ".join(lines[:2])
        if lines[:1] and lines[0].endswith(":")
        else (lines[0] if lines else "")
    )
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


# Pelican says "StoryContentError: This story ..." of the exception that
# stopped a build. Our errors' words are for the people reading the form or
# the run's page, so their class's name goes; Python's own (KeyError: 'x',
# a crash) is kept: it is all there is to say.
_CLASS_NAME = re.compile(r"(?P<name>[A-Z][A-Za-z0-9]*(?:Error|Exception)): ")


def said_for_people(message: str) -> str:
    """``message`` without the leading name of one of our error classes."""
    named = _CLASS_NAME.match(message)
    if named and not hasattr(builtins, named["name"]):
        return message[named.end() :]
    return message


class ReasonKeeper(logging.Handler):
    """Keeps the first line of a build's critical message in a file: what
    Pelican says of the exception that stopped it (``CriticalError: ...``),
    the name of our own error classes left out (``said_for_people``)."""

    def __init__(self, path: str):
        super().__init__(logging.CRITICAL)
        self.path = path

    def emit(self, record: logging.LogRecord) -> None:
        said = said_for_people(record.getMessage())
        try:
            Path(self.path).write_text(first_line(said), "utf-8")
        except OSError:
            pass  # then ``record_failure`` says ``UNKNOWN_REASON``


def keep_reason() -> None:
    """In a build whose environment names ``REASON_ENV``, keep the reason
    it stops for, if it does (once a process)."""
    path = os.environ.get(REASON_ENV)
    root = logging.getLogger()
    if path and not any(isinstance(h, ReasonKeeper) for h in root.handlers):
        root.addHandler(ReasonKeeper(path))


def reason_of(path: Path) -> str:
    """What the failed build left in ``path`` (``ReasonKeeper``), or that it
    said nothing."""
    try:
        return first_line(path.read_text("utf-8")) or UNKNOWN_REASON
    except (OSError, UnicodeDecodeError):
        return UNKNOWN_REASON


def failure(digests: dict[str, str], reason: str, now=None) -> dict:
    """``checked.json``'s content after a failed build of these story.md
    files (``story_digests`` taken before it)."""
    now = now or datetime.datetime.now(datetime.UTC)
    return {
        "failed": {
            "at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "reason": first_line(reason) or UNKNOWN_REASON,
        },
        "stories": {path: {"digest": digest} for path, digest in digests.items()},
    }


def record_failure(admin_folder: Path, digests, reason: str) -> Path:
    """Write a failed check to ``admin_folder``'s checked.json (the form
    reads it there) and return its path. The folder is made when no build
    made it yet: ``./dev cms``'s first build failed, and a form still open
    from an earlier one is waiting for the check of its save. The next
    build that succeeds replaces the whole output, this file with it."""
    admin_folder.mkdir(parents=True, exist_ok=True)
    path = admin_folder / CHECKED_FILE
    temporary = path.with_name(f".{CHECKED_FILE}.tmp")
    temporary.write_text(to_json(failure(digests, reason)), "utf-8")
    os.replace(temporary, path)  # never half a file, to a form reading it
    return path
