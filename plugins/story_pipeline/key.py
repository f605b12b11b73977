"""The key of a story's outputs: a hash of everything that shapes them.

A story's outputs (its page, embed page, oEmbed, share card, transcript and
chapters files) are made again only when this key changes. It is a hash of:
- the build: every file of the theme, the plugins and ``portal/`` but their
  documentation (``.md``), every
  content file outside the story folders (pages, data, images) but the
  ones Pelican is told to pass over (``IGNORE_FILES``), all by
  their names and bytes, the installed packages by name and version
  (Pelican, Jinja2, Markdown... render the pages too), and the settings
  (but where the output is written and what shapes only the compressed
  copies and the search index, ``portal.build_inputs.NOT_ON_PAGES``, and
  with the folders of this machine by name: ``MACHINE_FOLDERS``);
- what the story's page shows of other stories: the cards of the stories its
  record names (``related_stories`` and ``more_from_place``), each by its
  URL, title, date, summary, topics, every front-matter field, audio length
  and picture's file names (``card_fields``), and its place's name, address
  and whether other stories were recorded there;
- the story itself: its rendered content, whether it is held back, and
  every file in its folder by its bytes (story.md, audio, transcript,
  images: content hashes, ``portal.file_hashes``);
- the audio listeners get (``audio_facts``): the rendition's size, length
  and format, which its page prints, and which a new ffmpeg can change
  with no file of the story changed (the renditions' cache encodes again).

So an edit to one story's title makes again only its own outputs and those
of the stories whose cards show it. The cards are the one part that is not
in the story's *own* key (``keys``): a story whose own key is unchanged has
only its page's related stories made again (``related.py``). A template that
shows anything else about other stories must add it to ``_cards_of_others``
and print it in ``partials/related_stories.html``, or add it to the own key
(or switch the cache off with ``STORY_PIPELINE_CACHE = False``). No part of a key is a
modification time or a version number: a fresh checkout at another path,
with its cache folder restored, finds every unchanged story's key.
"""

from __future__ import annotations

import os

import portal
from portal.build_inputs import content_hash, installed_packages, settings_text
from portal.code_digest import is_ignored, tree_digest
from portal.file_hashes import FileHashes
from portal.skipped import STORY_FILE
from portal.story_record import front_digest


def card_fields(story, front: str | None) -> tuple:
    """What a card of ``story`` shows on another story's page (``front``:
    its front matter's hash, ``front_of(story)``)."""
    record = story.story
    audio, picture = record.audio, record.picture
    return (
        story.url,
        story.title,
        str(story.date),
        str(story.summary),
        [str(tag) for tag in story.tags],
        # Every front-matter field: cards show the participants, the place,
        # the relationship and the summary.
        front,
        round(audio.duration, 3) if audio else None,
        record.held_back,
        # Cards show the picture by file names that carry its content
        # fingerprint: a picture saved again under the same name gets new ones.
        [art.path for art in picture.files] if picture else None,
    )


def front_of(story) -> str | None:
    """Every front-matter field of ``story``, hashed (made when story.md
    was read: ``StoryRecord.front_digest``)."""
    record = story.story
    if record.front_digest is None and record.front is not None:
        # A record made some other way than by the story reader: hashed
        # here, so that its front matter is never left out of the keys.
        return front_digest(record.front)
    return record.front_digest


def audio_facts(audio) -> tuple | None:
    """What the pages print of the audio listeners get (the player's size
    and format, the length): the rendition's, made by ffmpeg."""
    if audio is None:
        return None
    return (
        audio.filename,
        audio.size,
        audio.mime_type,
        audio.container,
        audio.duration,
        audio.bitrate,
    )


class StoryKeys:
    """Each story's key in this build (``key(story)``)."""

    def __init__(self, settings, hashes: FileHashes):
        self.settings = settings
        self.hashes = hashes
        self._build: str | None = None
        self._code_and_content: list[str] | None = None
        self._cards: dict[int, str] = {}  # id(story) -> its card's hash, this build
        self._folders: dict[str, list[tuple[str, str]]] = {}  # folder -> _files

    def snapshot(self) -> None:
        """Hash the files the keys hold now, before the build reads any of
        them: the code, the theme, the content outside the story folders and
        every story folder's files. A file changed while the build runs (an
        editor saving in the live preview) then gives this build's outputs
        the key of the bytes before, at worst older than what was read, and
        the next build makes them again. Hashed once the stories were read,
        as they were, its key named the new bytes over outputs made from the
        old: the next build found them current, and kept them until the
        file changed again."""
        self._code_and_content = self._digests()
        content = self.settings["PATH"]
        for path in self.settings["ARTICLE_PATHS"]:
            root = os.path.abspath(os.path.join(content, path))
            try:
                with os.scandir(root) as entries:
                    folders = [entry.path for entry in entries if entry.is_dir()]
            except (FileNotFoundError, NotADirectoryError):
                continue  # the checks name a missing folder
            for folder in folders:
                self._folder_files(folder)

    def _digests(self) -> list[str]:
        """The code, the theme and the content outside the story folders."""
        settings = self.settings
        content = settings["PATH"]
        story_roots = {
            os.path.join(content, path) for path in settings["ARTICLE_PATHS"]
        }
        roots = [settings["THEME"], os.path.dirname(portal.__file__)]
        roots += list(settings.get("PLUGIN_PATHS", []))
        # What Pelican is told to pass over (IGNORE_FILES: the content's
        # README.md, the editors' guide, and its screenshots) is no page
        # and no data: edited, it made every story again.
        ignored = tuple(settings.get("IGNORE_FILES", ()))
        others = [
            os.path.join(content, name)
            for name in sorted(os.listdir(content))
            if not name.startswith(".")
            and not is_ignored(name, ignored)
            and os.path.join(content, name) not in story_roots
        ]
        # The plugins' and portal's documentation (README.md) shapes no
        # output: edited, it made every story again (minutes at 10,000).
        # The theme's templates count by what Jinja reads of them: a
        # {# comment #} edited made every story page again.
        templates = (
            os.path.join(settings["THEME"], "templates"),
            settings.get("JINJA_ENVIRONMENT") or {},
        )
        return [
            tree_digest(
                *roots, skipped=(".md",), hashes=self.hashes, templates=templates
            ),
            tree_digest(*others, hashes=self.hashes, ignored=ignored, content=True),
        ]

    def snapshot_files(self, folder: str) -> list[tuple[str, str]] | None:
        """The files of the story folder ``folder`` (absolute) as the
        snapshot hashed them, by name and content hash; None before the
        snapshot, or for a folder it did not find."""
        if self._code_and_content is None:
            return None
        return self._folders.get(folder)

    def folders(self) -> dict[str, list[tuple[str, str]]]:
        """Every story folder the snapshot found (absolute), with its files
        as ``snapshot_files`` gives them."""
        return dict(self._folders) if self._code_and_content is not None else {}

    def code(self) -> str | None:
        """The code (the theme, the plugins and ``portal/`` but their
        documentation) as the snapshot hashed it, the installed packages and
        the settings: what reading a story depends on besides its folder's
        files. None before the snapshot."""
        if self._code_and_content is None:
            return None
        return content_hash(
            self._code_and_content[0],
            installed_packages(),
            settings_text(self.settings, pages=True),
        )

    def build(self) -> str:
        """What every story's outputs share: code, theme, settings, and the
        content outside the story folders."""
        if self._build is None:
            self._build = content_hash(
                self._code_and_content or self._digests(),
                installed_packages(),
                settings_text(self.settings, pages=True),
            )
        return self._build

    def _files(self, record) -> list[tuple[str, str]]:
        """Every file of the story's folder by name and content hash, read
        once a build (the story's key and the site's both hold them)."""
        return self._folder_files(record.folder)

    def _folder_files(self, folder: str) -> list[tuple[str, str]]:
        known = self._folders.get(folder)
        if known is None:
            known = []
            self._add_files(folder, "", known)
            known.sort()
            self._folders[folder] = known
        return known

    def _add_files(self, folder: str, prefix: str, known: list) -> None:
        """The files of ``folder`` and of its folders (a story may name
        ``words/transcript.vtt``: held only by name, its edits left the old
        words on the page), by ``/``-separated name, but a folder with a
        story of its own."""
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except (FileNotFoundError, NotADirectoryError):
            return  # gone since it was listed: no story of this build
        for entry in entries:
            if entry.is_file():
                known.append(
                    (prefix + entry.name, self.hashes.sha256(entry.path, snapshot=True))
                )
            elif entry.is_dir(follow_symlinks=False) and not os.path.exists(
                os.path.join(entry.path, STORY_FILE)
            ):
                self._add_files(entry.path, f"{prefix}{entry.name}/", known)

    def key(self, story) -> str:
        return self.keys(story)[0]

    def keys(self, story) -> tuple[str, str]:
        """The story's key, and its own key: all of it but the cards of the
        other stories its page lists under it (``related.py``), which its
        other files and the values kept under it (``memo.py``) do not show."""
        record = story.story
        files = self._files(record)
        place = record.place_state
        # The metadata comes from story.md (its hash is in ``files``) and the
        # settings (in the build's part), so it needs no hashing of its own.
        own = content_hash(
            self.build(),
            # Its address: the outputs and the values kept under the key
            # (``memo.py``: the feed's episode) print it.
            record.save_as,
            story.content,
            record.held_back,
            files,
            audio_facts(record.audio),
            # Its place: the page's search filter prints the name; the link
            # to the place's stories shows whether there are others.
            (place.name, place.url, place.count > 1) if place else None,
        )
        return content_hash(own, self._cards_of_others(record)), own

    def shown(self, stories) -> dict[int, str]:
        """What other pages may show of each published story
        (``shown_on_pages``), hashed: by ``id`` of the story. Each story's
        part hashed on its own: one JSON text of every story's front matter
        was 70 MB at 10,000 stories, held at once."""
        return {
            id(story): content_hash(self.shown_on_pages(story)) for story in stories
        }

    def site(self, stories, shown: dict[int, str]) -> str:
        """The key of the other pages (the home page, the campaign pages,
        the indexes of topics and places): the build's, and what they may
        show of each published story (``shown``, in the order of the
        stories' pages). A listing's key holds only its own stories
        (``pages.PageCache.scope``)."""
        return content_hash(
            self.build(),
            sorted((story.story.save_as, shown[id(story)]) for story in stories),
        )

    def shown_on_pages(self, story) -> tuple:
        """What pages other than its own may show of a story: its card, its
        player's audio, every front-matter field, and what its folder's
        files other than ``story.md`` hold (audio, transcript, chapters,
        pictures: the moments, answers and quotes drawn from them). Not the
        Markdown body of ``story.md``: only the story's own page (and the
        feed and search index, which are not pages) shows it, so an edit to
        a story's introduction renders no listing again. A template of
        another page that shows the body must add it here."""
        record = story.story
        source = os.path.basename(record.source)
        files = [(name, sha) for name, sha in self._files(record) if name != source]
        return (
            story.story.save_as,
            self._card(story),
            record.audio_url,
            audio_facts(record.audio),
            front_of(story),
            files,
        )

    def _card(self, story) -> str:
        # A story is on the cards of many others: its fields, hashed once a
        # build (each key then holds a few digests, not every card's fields
        # written out again: seconds of JSON at 10,000 stories).
        known = self._cards.get(id(story))
        if known is None:
            known = self._cards[id(story)] = content_hash(
                card_fields(story, front_of(story))
            )
        return known

    def _cards_of_others(self, record) -> tuple:
        """What a story's page shows of other stories
        (partials/related_stories.html): their cards. (Its place, with
        whether other stories were recorded there, is in its own key.)"""
        return (
            [self._card(other) for other in record.related_stories],
            [self._card(other) for other in record.more_from_place],
        )
