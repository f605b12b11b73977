"""The other pages, not rendered again when nothing they show changed.

Listings, topic, place and question pages, campaign pages: each shows many
stories, or none. Their inputs are the whole site: the code, theme,
settings and content outside the story folders (the build's part of every
story key, ``key.py``) and what they may show of every published story
(``StoryKeys.shown_on_pages``: its card, its player's audio, its front
matter and its folder's files, but not its Markdown body, which only its
own page shows). So a page is kept under a key made of the site's key and
its name: a rebuild in which none of that changed (nothing at all, or only
a story's introduction) finds every page in the cache (``store.py``,
section ``pages``) and renders none; any other change renders them all, as
Pelican would.

Pelican's writer asks this (``unchanged_writes``, through the context's
``portal.outputs.PAGE_CACHE``) before it renders a page, and hands it the
files each page became afterwards (a paginated listing is several).
"""

from __future__ import annotations

from portal.build_inputs import content_hash

from .store import OutputStore

SECTION = "pages"


class PageCache:
    def __init__(self, store: OutputStore, site_key: str):
        self._store = store
        self._site = site_key

    def _key(self, name: str) -> str:
        return content_hash(self._site, name)

    def place(self, name: str, output: str) -> list[str] | None:
        """The files of page ``name``, linked into ``output`` from the cache;
        None when the page must be rendered."""
        entry = self._store.place(SECTION, name, self._key(name), output)
        return None if entry is None else [kept.path for kept in entry.files]

    def keep(self, name: str, output: str, paths: list[str]) -> None:
        """Keep the files page ``name`` was just rendered into."""
        if paths:
            self._store.keep(SECTION, name, self._key(name), output, paths)
