"""Skip rendering story pages whose inputs did not change since the last build.

Rendering a story page (player, 300-turn transcript, timeline) is most of
what a rebuild still does once reading is cached (benchmarks/README.md).
A story page is re-rendered only when its key changed; otherwise the page
already in the output is handed to Pelican as the "rendered" text (so every
signal, counter and check still runs) and the writer leaves the file alone.

The key of a story page is a hash of:
- the build: every file of the theme, the plugins and ``portal/``, every
  content file outside the story folders (pages, data, images), all by
  their names and bytes, and the settings (but where the output is written,
  and with the folders of this machine by name: ``MACHINE_FOLDERS``);
- what the page shows of other stories: the cards of the stories its
  record names (``related_stories`` and ``more_from_place``), each by its
  URL, title, date, summary, topics, every front-matter field (participants,
  place, relationship...), audio length and picture's file names
  (``SITE_FIELDS``), and its place's name, address and count of stories;
- the story itself: its rendered content, whether it is held back, and
  every file in its folder by its bytes (story.md, audio, transcript,
  images: content hashes, ``portal.file_hashes``).

So an edit to one story's title renders again only its own page and the
pages whose cards show it, not every story's. A template that shows
anything else about other stories must add it to ``_shown_of_others`` (or
switch the cache off with ``RENDER_CACHE = False``).
Every key is made of content, never of modification times, and the pages
themselves are kept in the cache folder (``CACHE_PATH/render/*.html.gz``,
with ``CACHE_PATH/render_cache.json`` naming each page's key), not looked
for in the output: a fresh checkout with its cache folder restored (the
content repository's publish workflow) renders only the stories that changed,
whatever is or is not in ``output/``. Pages no story uses any more are removed
when the build ends.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os

import portal
from portal.code_digest import tree_digest
from portal.file_hashes import FileHashes
from portal.writing import write_atomically, write_if_changed

logger = logging.getLogger(__name__)

CACHE_FILE = "render_cache.json"
PAGES_FOLDER = "render"
HASHES_FILE = "render.hashes.json"
# Pages are stored compressed: a 45-minute story's page is ~240 kB of HTML.
# Level 1 is fast and still keeps a page to about a fifth.
COMPRESS_LEVEL = 1


def _site_fields(story) -> tuple:
    audio = story.story.audio
    front = story.story.front
    picture = story.story.picture
    return (
        story.url,
        story.title,
        str(story.date),
        str(story.summary),
        [str(tag) for tag in story.tags],
        # Every front-matter field: story cards show the participants, the
        # place, the relationship and the summary of other stories.
        front.model_dump_json() if front is not None else None,
        round(audio.duration, 3) if audio else None,
        story.story.held_back,
        # Cards show the story's picture by file names that carry the
        # picture's content fingerprint: a picture saved again under the
        # same name gets new ones.
        [art.path for art in picture.files] if picture else None,
    )


SITE_FIELDS = _site_fields


def _shown_of_others(record) -> tuple:
    """What a story's page shows of other stories (partials/related_stories.html):
    their cards, and its place with the number of stories recorded there."""
    place = record.place_state
    return (
        [SITE_FIELDS(other) for other in record.related_stories],
        [SITE_FIELDS(other) for other in record.more_from_place],
        (place.name, place.url, place.count) if place else None,
    )


def _content_digest(content: str, skip: tuple[str, ...]) -> str:
    """The content folder's files but the stories', by their bytes."""
    roots = [
        os.path.join(content, name)
        for name in sorted(os.listdir(content))
        if not name.startswith(".") and os.path.join(content, name) not in skip
    ]
    return tree_digest(*roots)


# Where a build writes does not shape what it writes (links are relative or
# from SITEURL); a build made aside writes to a new folder every time.
WHERE_WRITTEN = {
    "OUTPUT_PATH",
    "STORY_MEDIA_OUTPUT_PATH",
    "UNCHANGED_WRITES_PREVIOUS_OUTPUT",
}
# Folders on this machine, named in the key by these names instead (in every
# setting, those derived from them too, like a static folder in the cache):
# the content, theme and code are in the key by what they hold, and caches
# do not shape pages. A checkout at another path (another runner, another
# repository name) with its cache folder restored renders nothing again.
MACHINE_FOLDERS = (
    "AUDIO_RENDITION_CACHE_PATH",
    "CACHE_PATH",
    "PATH",
    "THEME",
    "PROJECT_ROOT",
)


def _settings_text(settings) -> str:
    def name_of(value):
        return getattr(value, "__qualname__", type(value).__name__)

    plain = {
        key: value
        for key, value in settings.items()
        if key.isupper() and key not in WHERE_WRITTEN
    }
    text = json.dumps(plain, sort_keys=True, default=name_of)
    folders = {
        os.path.abspath(settings[name]): name
        for name in MACHINE_FOLDERS
        if isinstance(settings.get(name), str) and settings[name]
    }
    # Longest first: a cache inside the project is named as the cache.
    for folder in sorted(folders, key=len, reverse=True):
        text = text.replace(json.dumps(folder)[1:-1], f"<{folders[folder]}>")
    return text


def _hash(*parts) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(json.dumps(part, default=str).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


class RenderCache:
    def __init__(self, settings, output_path: str):
        self.settings = settings
        self.output_path = output_path
        cache = settings.get("CACHE_PATH")
        self.enabled = bool(settings.get("RENDER_CACHE", True)) and bool(cache)
        self.path = os.path.join(cache, CACHE_FILE) if cache else None
        self.pages = os.path.join(cache, PAGES_FOLDER) if cache else None
        self.hashes = FileHashes(os.path.join(cache, HASHES_FILE) if cache else None)
        self.previous: dict[str, str] = {}  # page name -> key, last build
        self.current: dict[str, str] = {}  # page name -> key, this build
        self._build_key: str | None = None
        self._keys: dict[int, str] = {}  # id(article) -> key, this build
        if self.enabled and os.path.exists(self.path):
            try:
                with open(self.path, encoding="utf-8") as handle:
                    data = json.load(handle)
                self.previous = {
                    name: key
                    for name, key in data["pages"].items()
                    if isinstance(key, str)
                }
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self.previous = {}  # unreadable: every page is rendered again

    def _build(self) -> str:
        if self._build_key is None:
            settings = self.settings
            content = settings["PATH"]
            story_roots = tuple(
                os.path.join(content, path) for path in settings["ARTICLE_PATHS"]
            )
            roots = [settings["THEME"], os.path.dirname(portal.__file__)]
            roots += list(settings.get("PLUGIN_PATHS", []))
            # The code and theme by content; the rest of the content folder
            # (pages, data, images) by content too, stories aside (each
            # page's own key covers its story).
            stamps = [tree_digest(*roots)]
            stamps.append(_content_digest(content, story_roots))
            self._build_key = _hash(stamps, _settings_text(settings))
        return self._build_key

    def key(self, article) -> str:
        known = self._keys.get(id(article))
        if known is None:
            known = self._keys[id(article)] = self._key(article)
        return known

    def _key(self, article) -> str:
        folder = article.story.folder
        files = [
            (name, self.hashes.sha256(os.path.join(folder, name)))
            for name in sorted(os.listdir(folder))
            if os.path.isfile(os.path.join(folder, name))
        ]
        # The metadata comes from story.md (its hash is in ``files``) and the
        # settings (in the build key), so it needs no hashing of its own.
        return _hash(
            self._build(),
            article.content,
            article.story.held_back,
            files,
            _shown_of_others(article.story),
        )

    def _stored(self, name: str, key: str) -> str:
        # One story's key makes two pages (its page and its embed page).
        return os.path.join(self.pages, _hash(name, key) + ".html.gz")

    def is_current(self, name: str, key: str) -> bool:
        """Whether the page rendered from this very key is in the cache."""
        return self.previous.get(name) == key and os.path.isfile(
            self._stored(name, key)
        )

    def stored_page(self, name: str, key: str) -> str | None:
        """The page rendered from this very key, if the cache holds it."""
        if self.previous.get(name) != key:
            return None
        try:
            with gzip.open(self._stored(name, key), "rt", encoding="utf-8") as handle:
                return handle.read()
        except (OSError, EOFError, UnicodeDecodeError, ValueError):
            return None  # missing or damaged: rendered again

    def remember(self, name: str, key: str) -> None:
        """Keep the page just written to the output under its key."""
        self.current[name] = key
        stored = self._stored(name, key)
        if os.path.isfile(stored):
            return
        with open(os.path.join(self.output_path, name), "rb") as handle:
            page = handle.read()
        write_atomically(stored, gzip.compress(page, COMPRESS_LEVEL, mtime=0))

    def save(self) -> None:
        if not self.enabled:
            return
        write_if_changed(self.path, json.dumps({"pages": self.current}))
        self.hashes.save()
        # Pages of keys no page has any more (a story changed or removed).
        kept = {
            os.path.basename(self._stored(name, key))
            for name, key in self.current.items()
        }
        try:
            names = os.listdir(self.pages)
        except FileNotFoundError:
            return
        for name in names:
            if name not in kept:
                try:
                    os.remove(os.path.join(self.pages, name))
                except FileNotFoundError:
                    pass  # another build sharing the cache removed it


class StoredTemplate:
    """Stands in for a Jinja template: "renders" the page already written."""

    def __init__(self, text: str):
        self.text = text

    def render(self, *args, **kwargs) -> str:
        return self.text
