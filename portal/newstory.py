"""``invoke new-story``: a new story folder that passes the check at once.

From a title and an audio file it makes ``content/stories/<slug>/`` with the
audio (and transcript) copied in and a ``story.md`` listing every field of
``portal.schema.Story``, each with its help text from ``FIELD_HELP`` as a
comment (the one wording the guide and error messages use too). It fills in
what it can know: a new permanent id, the audio's length, the participants'
names from the transcript's voice tags. The story starts as a draft with no
approval, so it cannot be published by accident; the fields an editor must
still write are marked CHANGE.

Nothing is created when anything is wrong, and an existing story is never
overwritten. The audio is read with the build's own reader (plugins/
story_audio), so a file the build would refuse is refused here first."""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
import shutil
import tempfile
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pydantic
import webvtt
import yaml
from content_checks.images import ImageProblem, check_image
from slugify import slugify
from story_audio.audio import AudioError, AudioInfo, read_audio

from portal import frontmatter
from portal.problems import FixableError
from portal.schema import FIELD_HELP, Story, describe_errors
from portal.sizes import human_size
from portal.timecode import format_timecode

ID_PREFIX = "oss"
AUDIO_NAME = "conversation"  # + the audio's extension
TRANSCRIPT_NAME = "transcript.vtt"
IMAGE_NAME = "portrait"  # + the picture's extension
CHANGE = "CHANGE"
_NUMBERED_ID = re.compile(rf"^{ID_PREFIX}-\d{{4}}-(\d+)$")
_ID_LINE = re.compile(r"^id:\s*['\"]?([^'\"\s#]+)", re.MULTILINE)


class NewStoryError(FixableError):
    """Why the story could not be made: ``problem`` and ``fix`` for editors."""


@dataclasses.dataclass
class NewStory:
    folder: Path
    story_file: Path
    audio: AudioInfo
    audio_file: Path
    transcript_file: Path | None
    to_change: list[str]
    image_file: Path | None = None  # fields still holding placeholders


def story_slug(title: str) -> str:
    """The folder name (and web address) for a title."""
    return slugify(title, max_length=60, word_boundary=True, save_order=True)


def existing_ids(stories: Path, read: Mapping[str, str] | None = None) -> set[str]:
    """The id of every story in ``stories``, read as leniently as possible.
    ``read``: the ids a build has read already, by story.md's absolute
    path; those files are not read again (the editing UI's build: every
    story.md parsed a second time took 2 s at 1,000 stories)."""
    ids = set()
    read = read or {}
    for story_file in stories.glob("*/story.md"):
        value = read.get(os.path.abspath(story_file))
        if value is None:
            try:
                text = story_file.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue
            value = written_id(text)
        if value:
            ids.add(value)
    return ids


def written_id(text: str) -> str | None:
    """The id a story.md's text gives, read as leniently as possible: from
    its front matter, else (front matter an editor left broken) its
    ``id:`` line."""
    try:
        value = frontmatter.split(text).data.get("id")
    except frontmatter.FrontMatterError:
        match = _ID_LINE.search(text)
        value = match.group(1) if match else None
    return str(value) if value else None


def new_id(stories: Path, year: int, read: Mapping[str, str] | None = None) -> str:
    """``oss-<year>-<number>``, the number one more than any story's so far
    (``read``: see ``existing_ids``)."""
    ids = existing_ids(stories, read)
    numbers = [int(m.group(1)) for i in ids if (m := _NUMBERED_ID.match(i))]
    number = max(numbers, default=0) + 1
    while (story_id := f"{ID_PREFIX}-{year}-{number:04d}") in ids:
        number += 1
    return story_id


def transcript_voices(path: Path) -> list[str]:
    """The speakers of a WebVTT transcript, in the order they first speak."""
    try:
        captions = webvtt.read(str(path)).captions
    except (webvtt.errors.MalformedFileError, UnicodeDecodeError, OSError) as error:
        raise NewStoryError(
            f"'{path.name}' is not a WebVTT transcript we can read ({error})",
            "export the transcript again as WebVTT (.vtt), UTF-8",
        ) from error
    voices: list[str] = []
    for caption in captions:
        voice = (caption.voice or "").strip()
        if voice and voice not in voices:
            voices.append(voice)
    return voices


def create_story(
    content: str | os.PathLike,
    title: str,
    audio: str | os.PathLike,
    *,
    transcript: str | os.PathLike | None = None,
    recorded: datetime.date | None = None,
    participants: list[str] | None = None,
    slug: str | None = None,
    today: datetime.date | None = None,
    image: str | os.PathLike | None = None,
) -> NewStory:
    """Make ``<content>/stories/<slug>/``; raise NewStoryError if we cannot."""
    title = (title or "").strip()
    if not title:
        raise NewStoryError("the story has no title", 'give one: new-story "Title"')
    stories = Path(content) / "stories"
    if not stories.is_dir():
        raise NewStoryError(
            f"there is no stories folder at {stories}",
            "run this in the project folder, or pass --content with the content folder",
        )
    slug = story_slug(slug or title)
    if not slug:
        raise NewStoryError(
            f"the title '{title}' makes no folder name (it has no letters or digits)",
            "pass --slug with a name of lowercase words joined by hyphens",
        )
    taken = {p.name.lower(): p.name for p in stories.iterdir()}
    if slug in taken:
        raise NewStoryError(
            f"a story folder {stories / taken[slug]} already exists",
            "choose another title, or pass --slug with another folder name; "
            "nothing was changed",
        )

    audio = Path(audio)
    if not audio.is_file():
        raise NewStoryError(
            f"there is no audio file at {audio}",
            "check the path (you can drag the file into the terminal to paste it)",
        )
    try:
        info = read_audio(str(audio))
    except AudioError as error:
        raise NewStoryError(error.problem, error.fix) from error
    transcript = Path(transcript) if transcript else None
    voices: list[str] = []
    if transcript is not None:
        if transcript.suffix.lower() != ".vtt":
            raise NewStoryError(
                f"'{transcript.name}' is not a WebVTT transcript (.vtt)",
                "export the transcript as WebVTT, with <v Name> before each turn",
            )
        if not transcript.is_file():
            raise NewStoryError(
                f"there is no transcript at {transcript}",
                "check the path (you can drag the file into the terminal to paste it)",
            )
        voices = transcript_voices(transcript)
    image = Path(image) if image else None
    if image is not None:
        if not image.is_file():
            raise NewStoryError(
                f"there is no picture at {image}",
                "check the path (you can drag the file into the terminal to paste it)",
            )
        try:
            check_image(str(image))  # the build's own check of pictures
        except ImageProblem as error:
            raise NewStoryError(error.problem, error.fix) from error

    today = today or datetime.date.today()
    to_change = ["summary"]
    if recorded is None:
        recorded = today
        to_change.append("date")
    names = list(participants or voices)
    if len(names) < 2:
        names += [f"Participant {n}" for n in range(len(names) + 1, 3)]
        to_change.append("participants")
    to_change.append("relationship")
    if image is not None:
        to_change.append("image_alt")

    fields = {
        "id": new_id(stories, recorded.year),
        "title": title,
        "summary": "",
        "date": recorded,
        "published": None,
        "participants": [{"name": name, "description": ""} for name in names],
        "facilitator": None,
        "relationship": "strangers",
        "location": None,
        "audio": AUDIO_NAME + audio.suffix.lower(),
        "transcript": TRANSCRIPT_NAME if transcript else None,
        "image": IMAGE_NAME + image.suffix.lower() if image else None,
        # A placeholder, marked CHANGE: a draft may keep it, a public story not.
        "image_alt": "What the picture shows" if image else None,
        "topics": [],
        "chapters": [],
        "quote": None,
        "featured": False,
        "status": "draft",
        "approval": None,
        "explicit": False,
        "episode_type": "full",
        "season": None,
        "episode": None,
        "staff": {},
    }
    # Written as it will be read: the build must accept what we write. What
    # it refuses (a title of 250 characters) is said as the check says it.
    try:
        Story.model_validate(fields)
    except pydantic.ValidationError as error:
        first = describe_errors(error, Story.model_fields, fields)[0]
        raise NewStoryError(
            f"{first['field']}: {first['message']}", first["fix"]
        ) from None
    text = story_markdown(fields, info, to_change)

    # Made aside (a dot folder the build ignores), then renamed into place,
    # so a failure leaves nothing half made.
    staging = Path(tempfile.mkdtemp(prefix=".new-story-", dir=stories))
    try:
        shutil.copyfile(audio, staging / fields["audio"])
        if transcript is not None:
            shutil.copyfile(transcript, staging / TRANSCRIPT_NAME)
        if image is not None:
            shutil.copyfile(image, staging / fields["image"])
        (staging / "story.md").write_text(text, encoding="utf-8")
        folder = stories / slug
        try:
            os.rename(staging, folder)  # fails if it appeared meanwhile
        except OSError as error:
            raise NewStoryError(
                f"a story folder {folder} already exists", "choose another title"
            ) from error
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return NewStory(
        folder=folder,
        story_file=folder / "story.md",
        audio=info,
        audio_file=folder / fields["audio"],
        transcript_file=folder / TRANSCRIPT_NAME if transcript else None,
        to_change=to_change,
        image_file=folder / fields["image"] if image else None,
    )


# Said after a field's FIELD_HELP comment: what to do with it in a new story.
EXTRA_HELP = {
    "id": "Made for you: keep it.",
    "date": "Made from today's date: write the day it was recorded.",
    "participants": "Write each person's name as in the transcript, and a few "
    "words: job, town.",
    "relationship": "How the two of them know each other.",
    "status": "Leave it draft until the story is approved.",
    "approval": "Leave it empty until the story is approved. Then write:\n"
    "approval:\n  approved_by: Your Name\n  approved_on: YYYY-MM-DD\n"
    "  releases_signed: true",
}


def story_markdown(fields: dict, info: AudioInfo, to_change: list[str]) -> str:
    """``story.md``: every field with its help as a comment, then the body."""
    lines = [
        "---",
        "# Made by `./dev new-story`. Fill in the fields marked CHANGE, then run",
        "# `./dev check`. Every field is explained in content/README.md.",
    ]
    for name, value in fields.items():
        lines.append("")
        help_text = f"{name}: {FIELD_HELP[name]}."
        extra = EXTRA_HELP.get(name)
        if name == "date" and name not in to_change:
            extra = None  # the editor gave the recording date
        for paragraph in [help_text, *(extra.split("\n") if extra else [])]:
            wrapped = textwrap.wrap(paragraph, 86) if paragraph.strip() else [""]
            if paragraph.startswith(" "):
                wrapped = [paragraph]  # an indented example: keep it as it is
            lines += [f"# {line}" if line else "#" for line in wrapped]
        lines += _field_yaml(name, value, info, name in to_change)
    lines += [
        "---",
        "<!-- CHANGE: replace this line with a paragraph or two introducing the",
        "conversation, in Markdown. It appears on the story's page and in the",
        "podcast episode's notes. -->",
        "",
    ]
    return "\n".join(lines)


def _field_yaml(name: str, value, info: AudioInfo, change: bool) -> list[str]:
    if value is None:
        out = [f"{name}:"]
    else:
        dumped = yaml.safe_dump(
            {name: value}, sort_keys=False, allow_unicode=True, width=200
        )
        out = dumped.rstrip("\n").split("\n")
    note = ""
    if name == "audio":
        note = (
            f"# {format_timecode(info.duration)} long, {info.format_label}, "
            f"{human_size(info.size)}"
        )
    if change:
        note = f"# {CHANGE}"
    if note:
        out[0] = f"{out[0]}  {note}"
    return out


def next_steps(made: NewStory, here: Path) -> str:
    """What ``new-story`` prints: what it made and what to do next."""

    def shown(path: Path) -> str:
        """Relative to where the editor is, when the story is below it."""
        try:
            return str(path.relative_to(here))
        except ValueError:
            return str(path)

    audio = made.audio
    lines = [
        f"Created {shown(made.folder)}/ with:",
        "  story.md          every field, explained; fill in the ones marked CHANGE",
        f"  {made.audio_file.name:<17} {format_timecode(audio.duration)} long, "
        f"{audio.format_label}, {human_size(audio.size)}",
    ]
    if made.transcript_file:
        lines.append(f"  {made.transcript_file.name:<17} the transcript")
    if made.image_file:
        lines.append(f"  {made.image_file.name:<17} the picture")
    lines += [
        "",
        "Next:",
        f"  1. Open {shown(made.story_file)} and fill in the fields marked CHANGE "
        f"({', '.join(made.to_change)}).",
        "  2. ./dev check            lists anything that is still wrong",
        "  3. ./dev preview-drafts   shows the story, marked 'Not public', at "
        "http://localhost:8000",
        "  4. Once it is approved and every release is signed: fill in 'approval',",
        "     set 'status: published', run ./dev check again, and commit.",
    ]
    return "\n".join(lines)
