"""The story record: everything the site knows about one story, in one place.

A story folder (``story.md`` with its front matter, the audio master, the
transcript, the picture) becomes one ``StoryRecord``. Pelican's article for
the story carries it as ``article.story``; plugins and templates read a
story there and nowhere else::

    article.story.front.title        the validated front matter
    article.story.audio.duration     what listeners get
    article.story.held_back          why it is not public (None: it is)

The record is filled in stages, each by the plugin that owns that part, and
each part has one field declared here with its type and meaning (nothing is
hung on the article, nothing is probed for with ``getattr``):

1. ``story_reader`` reads the folder's ``story.md``: ``source``, ``folder``,
   ``slug``, ``front``, ``lines``, ``declared``, ``problems``. Only this
   part is kept in Pelican's reader cache (``__getstate__``): every later
   part is made again by each build from the files it depends on.
2. ``story_audio`` reads the master (``audio``, ``audio_path``), then
   ``transcripts`` the transcript and chapters, ``artwork`` the picture;
   ``approval_gate`` decides ``held_back``.
3. The published story's outputs: ``audio_rendition`` replaces ``audio``
   with the rendition listeners get (the master moves to ``master``),
   ``story_assets`` and ``transcripts`` name the published files,
   ``story_embeds`` the sharing facts, ``browse`` the related stories.
4. ``story_pipeline`` notes where the story's page goes (``save_as``) and
   makes the story's page and files from the record (or links them from its
   cache when nothing that shapes them changed), reading the transcript once
   through ``transcript_entry``.

A field a stage has not filled yet holds its empty value (None or an empty
list): a story held back before its audio was read has ``audio`` None.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from portal.problems import Problem
    from portal.schema import Story

# The fields made from story.md alone: what Pelican's reader cache keeps.
READ_FIELDS = (
    "source",
    "folder",
    "slug",
    "front",
    "front_digest",
    "lines",
    "declared",
    "problems",
    "change_marks",
)


@dataclasses.dataclass(eq=False)
class StoryRecord:
    # ---- Read from the story folder (story_reader) -------------------------
    # story.md as editors see it: "content/stories/<folder>/story.md".
    source: str
    # The story folder's absolute path; files named in the front matter are
    # inside it (portal.paths.story_file).
    folder: str
    # The folder's name: the story's address (/stories/<slug>/).
    slug: str
    # The validated front matter (portal.schema.Story); None when it did not
    # validate (the problems say why, and the gate holds the story back).
    front: Story | None
    # A hash of every front-matter field as validated (its JSON), made once
    # when story.md is read: what other pages show of the story is keyed by
    # it (story_pipeline/key.py), where dumping 10,000 front matters to
    # JSON again took a fifth of a second of every build. None without
    # ``front``.
    front_digest: str | None = None
    # Front-matter field path (("participants", 0, "name")) -> line in
    # story.md, for messages that point editors at the line
    # (portal.frontmatter.FieldLines: the paths shared between stories).
    lines: Mapping[tuple, int] = dataclasses.field(default_factory=dict)
    # What front matter that failed validation says about going public
    # ({"status", "approval", "published"}), so the gate can tell a story
    # meant to be public from a draft; None when story.md could not be read.
    declared: dict | None = None
    # Problems found reading story.md; later stages report theirs to the gate.
    problems: list[Problem] = dataclasses.field(default_factory=list)
    # The CHANGE marks new-story left in story.md: (line, front-matter field
    # or None for the introduction) (portal.change_marks).
    change_marks: tuple[tuple[int, str | None], ...] = ()

    # ---- Its address (story_reader, when Pelican makes the article) --------
    # The page's site-relative URL as a public story ("stories/<slug>/", from
    # ARTICLE_URL), worked out once: whatever the story's status, so that a
    # draft the preview shows gets its files in its own folder. Once the gate
    # publishes the story, Pelican's ``article.url`` returns it too.
    url: str | None = None

    # ---- The audio (story_audio, then audio_rendition) ---------------------
    # What listeners get: the rendition once audio_rendition made it, until
    # then the editors' master (plugins.story_audio.audio.AudioInfo).
    audio: Any = None
    # That file on disk, and its URL in the site (set for published stories).
    audio_path: str | None = None
    audio_url: str | None = None
    # The editors' master once a rendition replaced it as ``audio``; its URL
    # only when AUDIO_RENDITION_PUBLISH_MASTER publishes it too.
    master: Any = None
    master_path: str | None = None
    master_url: str | None = None

    # ---- Transcript and chapters (transcripts) -----------------------------
    # The transcript's entry in the cache (plugins.transcripts.store.
    # TranscriptEntry); None without a transcript that has cues. Its parsed
    # cues, turns in sections and "who speaks when" timeline are not held
    # here: the story pipeline reads them (``transcript_entry.view()``)
    # while it makes the story's page and files, and hands them over.
    transcript_entry: Any = None
    # The chapters shown and published ({"start", "title", "question"...}),
    # from the first source that has them (chapter_source: front matter,
    # transcript or audio), every start inside the audio; once
    # audio_rendition made the rendition, timed for it (the last one ends
    # where it ends, not where the master does).
    chapters: list[dict] = dataclasses.field(default_factory=list)
    chapter_source: str | None = None
    # What other pages show of the transcript, kept small so they load
    # none of it: the share card's timeline by its digest and lanes
    # (plugins.transcripts.answers.OutlineSummary: the bars are drawn from
    # the loaded transcript; None without a timeline), and
    # the first thing said in answer in each chapter that names a guide
    # question ((start, end) -> answers.Quote), for the question index.
    transcript_outline: Any = None
    chapter_answers: dict = dataclasses.field(default_factory=dict)
    # Output paths (site-relative) of the transcript files by format
    # ("vtt", "srt", "json") and of chapters.json; None when there are none.
    transcript_outputs: dict[str, str] | None = None
    chapters_path: str | None = None
    # URLs of the published transcript (WebVTT) and picture file.
    transcript_url: str | None = None
    image_url: str | None = None

    # ---- Pictures (artwork) ------------------------------------------------
    # The story's picture on its pages (plugins.artwork.plugin.StoryPicture)
    # and its episode art in the feed (Artwork); None without an image.
    picture: Any = None
    feed_art: Any = None

    # ---- Publication (approval_gate) ---------------------------------------
    # Why the story is not public (one reason a line); None when it is.
    held_back: list[str] | None = None

    # ---- Sharing and finding (story_embeds, browse) ------------------------
    # Absolute URLs, the embed and the share card
    # (plugins.story_embeds.metadata.Sharing), and the card's file on disk.
    sharing: Any = None
    share_image_file: str | None = None
    # Where the story's page is written in the output (Pelican's save_as,
    # "stories/<slug>/index.html"), read once by story_pipeline for each
    # published story: Pelican formats it again on every read.
    save_as: str | None = None
    # Stories to listen to next, and from the same place.
    related_stories: list = dataclasses.field(default_factory=list)
    more_from_place: list = dataclasses.field(default_factory=list)
    place_state: str | None = None
    place_city: str | None = None

    @property
    def recorded(self) -> datetime.date | None:
        """The day the conversation was recorded."""
        return self.front.date if self.front is not None else None

    @property
    def public_since(self) -> datetime.date | datetime.datetime | None:
        """The day (or moment) the story went public, as podcast apps and
        link previews date it: its ``published`` day, else the day it was
        approved (``approval.approved_on``; the gate publishes no story
        without one). Never the recording date: a conversation recorded
        years ago is new to listeners the day it goes public, and apps list
        and announce episodes by this date. None without either."""
        if self.front is None:
            return None
        if self.front.published is not None:
            return self.front.published
        return self.front.approval.approved_on if self.front.approval else None

    def __getstate__(self) -> dict:
        # Pickled into Pelican's reader cache with the story's metadata: keep
        # only what story.md says. Audio, transcript, gate and outputs are
        # made again by every build from the files they depend on, so a
        # cached record never carries a previous build's facts.
        return {name: getattr(self, name) for name in READ_FIELDS}

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state)


def front_digest(front: Story | None) -> str | None:
    """The hash ``StoryRecord.front_digest`` holds of ``front``."""
    if front is None:
        return None
    data = front.model_dump_json().encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def is_story(content) -> bool:
    """Is this Pelican content a story (one read from a story folder)?"""
    return isinstance(content.metadata.get("story"), StoryRecord)
