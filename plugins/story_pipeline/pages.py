"""The other pages, not rendered again when nothing they show changed.

Listings, topic, place and question pages, campaign pages: each shows many
stories, or none. Their inputs are the site: the code, theme, settings and
content outside the story folders (the build's part of every story key,
``key.py``) and what they may show of published stories
(``StoryKeys.shown_on_pages``: a story's card, its player's audio, its front
matter and its folder's files, but not its Markdown body, which only its
own page shows).

- A *listing* (a page of a template in ``PAGINATED_TEMPLATES`` written with
  stories, or a question's answers, to page through: every story, a topic,
  a place, a relationship, a question) is kept under a key of the build's
  part, its name, its own stories in their order (each by what it shows of
  them) and what its page names besides (its group or topic, its order),
  and ``LISTINGS_SHOW``: what listings show of the rest of the site (the
  questions answered, for the question pages' links to each other). So a
  story published renders again the listings it is on, not the thousands of
  pages of the topics, places and questions it is not on.
- Every other page (the home page, the indexes of topics and places, the
  campaign pages) is kept under the site's key: the build's part and what
  every published story shows. A rebuild in which none of that changed
  (nothing at all, or only a story's introduction) renders none; any other
  change renders them all, as Pelican would.

A listing template prints only what its key holds: its stories, its group,
topic or page, the build, and ``LISTINGS_SHOW``. One that prints anything
else of the site (a count of every story, another group) must add it to
``LISTINGS_SHOW`` (the plugin that puts it in the context does:
``plugins/browse``). A value the key cannot name (an object it does not
know) keys the page under the site's key instead.

Pelican's writer asks this (``unchanged_writes``, through the context's
``portal.outputs.PAGE_CACHE``) before it renders a page, and hands it the
files each page became afterwards (a paginated listing is several).
"""

from __future__ import annotations

import os
import typing

from pelican.urlwrappers import URLWrapper

from portal import cache_json
from portal.build_inputs import content_hash
from portal.writing import write_if_changed

from .store import OutputStore

SECTION = "pages"
SCOPES = "listing_keys.json"  # in the store's folder: PageCache's memo


def _load_scopes(path: str) -> dict:
    try:
        memo = cache_json.load(path)
    except (OSError, ValueError):
        return {}  # none yet, or unreadable: every listing's key made again
    return memo if isinstance(memo, dict) else {}


# A write's values the key takes as they are.
_PLAIN = (str, int, float, bool, type(None))
# What Pelican hands a topic's page that ``tag.html`` does not print: every
# article of the site (the page's own are its ``articles``).
_NOT_SHOWN = frozenset({"all_articles"})


@typing.runtime_checkable
class KeyedForListings(typing.Protocol):
    """A value a listing names (a group of stories, an answer) that says
    what its page prints of it: JSON's values, with each story it shows by
    ``story_digest(story)``."""

    def page_key(self, story_digest) -> list: ...


class _Unknown(Exception):
    """A value the key cannot name: the page is kept under the site's key."""


class PageCache:
    def __init__(
        self,
        store: OutputStore,
        site_key: str,
        listing_key: str | None = None,
        shown: dict[int, str] | None = None,
        listing_templates=(),
    ):
        self._store = store
        self._site = site_key
        self._listing = listing_key
        self._shown = shown or {}
        self._listing_templates = frozenset(listing_templates)
        # Each listing's key as the last build made it, under the site's key
        # it made them with: the same site's key (nothing any page shows
        # changed: a rebuild with nothing changed, an edited introduction)
        # gives every listing the same key, and it is not made again (0.25 s
        # of such a build at 10,000 stories).
        self._memo_path = (
            os.path.join(store.folder, SCOPES) if store.folder is not None else None
        )
        self._known: dict[str, str | None] = {}
        self._scopes: dict[str, str | None] = {}
        if self._memo_path is not None:
            memo = _load_scopes(self._memo_path)
            if memo.get("site") == site_key and isinstance(memo.get("scopes"), dict):
                self._known = memo["scopes"]

    def scope(self, name: str, template_name, paginated, kwargs: dict) -> str | None:
        """The key of the listing ``name``'s own part (see the module's doc):
        the write's ``template_name``, ``paginated`` lists (None: Pelican's,
        ``articles`` and ``dates`` of ``kwargs``) and other values; None for
        any other page (the site's key)."""
        if name in self._known:
            found = self._scopes[name] = self._known[name]
            return found
        found = self._scopes[name] = self._scope(template_name, paginated, kwargs)
        return found

    def save(self) -> None:
        """Keep this build's listings' keys for the next build."""
        if self._memo_path is not None and self._scopes != self._known:
            os.makedirs(os.path.dirname(self._memo_path), exist_ok=True)
            write_if_changed(
                self._memo_path,
                cache_json.dumps({"site": self._site, "scopes": self._scopes}),
            )

    def _scope(self, template_name, paginated, kwargs: dict) -> str | None:
        if paginated is None:
            paginated = {
                name: kwargs[name] for name in ("articles", "dates") if name in kwargs
            }
        if (
            self._listing is None
            or not paginated
            or template_name not in self._listing_templates
        ):
            return None
        try:
            parts = [template_name]
            for name in sorted(kwargs):
                if name not in paginated and name not in _NOT_SHOWN:
                    parts.append((name, self._value(kwargs[name])))
            for name in sorted(paginated):
                parts.append((name, self._items(paginated[name])))
        except _Unknown:
            return None
        return content_hash(self._listing, parts)

    def _items(self, items) -> list:
        """Each of ``items`` by ``_item``. The stories of every listing are
        looked up in C first (a Python call for each was 0.6 s of every
        build at 10,000 stories, whose listings hold each story a dozen
        times); answers, and anything else, one by one."""
        digests = list(map(self._shown.get, map(id, items)))
        if None in digests:
            digests = [self._item(item) for item in items]
        return digests

    def _item(self, item):
        """A story of a listing by what it shows, or an answer (a moment of
        a story: ``page_key``) by what its page prints of it."""
        digest = self._shown.get(id(item))
        if digest is not None:
            return digest
        if not isinstance(item, KeyedForListings):
            raise _Unknown(item)
        return item.page_key(self._story_digest)

    def _story_digest(self, story) -> str:
        digest = self._shown.get(id(story))
        if digest is None:
            raise _Unknown(story)
        return digest

    def _value(self, value):
        if isinstance(value, _PLAIN):
            return value
        if isinstance(value, URLWrapper):  # a topic (Pelican's Tag)
            return [type(value).__name__, str(value), value.slug, value.url]
        if not isinstance(value, KeyedForListings):
            raise _Unknown(value)
        return value.page_key(self._story_digest)

    def _key(self, name: str, scope: str | None) -> str:
        if scope is None:
            return content_hash(self._site, name)
        return content_hash(scope, name)

    def place(
        self, name: str, output: str, scope: str | None = None
    ) -> list[str] | None:
        """The files of page ``name``, linked into ``output`` from the cache;
        None when the page must be rendered. ``scope``: a listing's
        (``scope``), or None."""
        entry = self._store.place(SECTION, name, self._key(name, scope), output)
        return None if entry is None else [kept.path for kept in entry.files]

    def keep(
        self, name: str, output: str, paths: list[str], scope: str | None = None
    ) -> None:
        """Keep the files page ``name`` was just rendered into."""
        if paths:
            self._store.keep(SECTION, name, self._key(name, scope), output, paths)
