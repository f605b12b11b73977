"""What the check says of each story, for /admin/ to show after a save.

``./dev cms`` rebuilds the drafts preview after every save, and that build
checks every story as ``./dev check`` does (the approval gate and the checks
on its signals). The form refuses only what it can check itself; the rest
(a topic spelled almost like another, an approval dated ahead, the audio's
length) the check alone finds. So the drafts preview writes, beside the
form, ``admin/checked.json``: each story's problems, in the form's words,
with the digest of the ``story.md`` they were found in::

    {"stories": {"content/stories/x/story.md": {
        "digest": "<sha256 of story.md>", "id": "oss-2019-0042", "held_back": true,
        "problems": [{"error": false, "text": "Topic 3: 'famly' is ..."}]}}}

``portal-cms.js`` reads the saved ``story.md`` back from the local backend
and shows the problems once the digests agree: the build that checked what
was saved, not one that started before the save. A story.md is hashed before
the build reads it, so a save during a build makes the digests differ until
the build after it.

Written only by a drafts preview with the local backend (``./dev cms`` on
this computer): it names stories that are not public, which no public site
may."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from pathlib import Path

from portal import datafile, schema
from portal.schema import FIELD_LABELS, PART_LABELS

CHECKED_FILE = "checked.json"
# A story's id line, read without the YAML (quick, and lenient as
# portal.newstory reads ids).
_ID_LINE = re.compile(r"^id:[ \t]*['\"]?([^'\"\s#]+)", re.MULTILINE)
STORY_FILE = "story.md"
# Problems' fields that are no field of the form's.
_OTHER_PLACES = {"body": "Introduction"}


def wanted(pelican_settings, options: dict) -> bool:
    """Only a drafts preview saving through this computer's local backend."""
    return bool(
        options["EDITING_UI_LOCAL_BACKEND"] and pelican_settings.get("STORY_PREVIEW")
    )


def story_digests(content_path: str) -> dict[str, tuple[str, str | None]]:
    """The editor's path of each story's story.md -> the SHA-256 of its
    bytes and its id as written (a form finds a story it has just made by
    its id: Decap does not say where it saved a new one)."""
    digests = {}
    for path in sorted((Path(content_path) / "stories").glob(f"*/{STORY_FILE}")):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        found = _ID_LINE.search(data.decode("utf-8", "replace"))
        digests[datafile.editor_path(path, content_path)] = (
            hashlib.sha256(data).hexdigest(),
            found.group(1) if found else None,
        )
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
        path: {"digest": digest, "id": id_, "held_back": path in held, "problems": []}
        for path, (digest, id_) in digests.items()
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
