"""robots.txt, and the guard rails around pelican-sitemap's sitemap.xml.

The sitemap itself is written by the ``pelican-sitemap`` plugin
(``pelican.plugins.sitemap``), which lists every page the build wrote;
held-back stories are never written, so they are never listed. This plugin:

- writes ``robots.txt`` pointing crawlers at the sitemap by absolute URL
  (``SITEURL``; production sets it). A build without an absolute SITEURL
  (development) names no sitemap. A preview (``STORY_PREVIEW``) and a build
  for another address than the public site's (``SITE_PRODUCTION_URL``:
  ``portal.site_address``), such as a staging copy, ask crawlers to stay
  away entirely;
- marks the bannered held-back stories of preview builds ``private`` (the
  sitemap plugin's own metadata), so even a preview's sitemap lists none;
- forgets what the sitemap plugin queued when a build starts: it keeps its
  queue in a module-level object, and a build that failed half-way (a
  strict build stopped by a content error) would otherwise leave pages of
  that build in the next one's sitemap;
- keeps one sitemap entry a story or page: the sitemap plugin lists every
  file written with an article in its context under the article's URL, so
  a story's extra pages (its embed page) would repeat the story's URL;
- dates the listings and undated pages by the site's content, not by the
  clock: the sitemap plugin gives anything without a date the time the
  build ran, so two builds of the same stories made different sitemaps
  (and every deploy sent it again). Their ``lastmod`` is the newest
  story's (its ``modified``: the day it went public, or its published
  date): listings change when a story is added;
- makes a sitemap of more than 50,000 URLs (``SITEMAP_MOST_URLS``) an index
  of parts the protocol takes (``sitemap_parts.py``).
"""

from __future__ import annotations

import logging
import os

from pelican import signals

from portal import signals as portal_signals
from portal import site_address
from portal.pelican_private import reset_sitemap, sitemap_generator
from portal.writing import write_if_changed

from . import sitemap_parts

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Lines added to robots.txt after the defaults (e.g. "Disallow: /drafts/").
    "ROBOTS_EXTRA_LINES": [],
}


def settings(pelican_settings) -> dict:
    out = {key: pelican_settings.get(key, value) for key, value in DEFAULTS.items()}
    lines = out["ROBOTS_EXTRA_LINES"]
    if not isinstance(lines, (list, tuple)) or not all(
        isinstance(line, str) and "\n" not in line for line in lines
    ):
        raise ValueError(
            "ROBOTS_EXTRA_LINES must be a list of single lines like "
            f"'Disallow: /drafts/', not {lines!r}"
        )
    return out


def _for_another_host(pelican_settings) -> bool:
    """Built with absolute URLs for another address than the public site's
    (a staging copy). A development build (relative URLs, served here) is
    not: it is the public site's robots.txt as it will be."""
    site_url = (pelican_settings.get("SITEURL") or "").strip()
    return site_url.startswith(site_address.SCHEMES) and not (
        site_address.is_production(pelican_settings)
    )


def robots_txt(pelican_settings) -> str:
    options = settings(pelican_settings)
    lines = ["User-agent: *"]
    if pelican_settings.get("STORY_PREVIEW") or _for_another_host(pelican_settings):
        # A preview shows stories that are not public, and a staging copy
        # would compete with the public site's pages in search results:
        # keep crawlers out of both.
        lines.append("Disallow: /")
    else:
        lines.append("Allow: /")
        lines += list(options["ROBOTS_EXTRA_LINES"])
        site_url = (pelican_settings.get("SITEURL") or "").rstrip("/")
        if site_url.startswith(("https://", "http://")):
            fmt = (pelican_settings.get("SITEMAP") or {}).get("format", "xml")
            lines += ["", f"Sitemap: {site_url}/sitemap.{fmt}"]
    return "\n".join(lines) + "\n"


def write_robots(pelican):
    path = os.path.join(pelican.output_path, "robots.txt")
    write_if_changed(path, robots_txt(pelican.settings))  # keeps its mtime
    logger.info("[robots] wrote %s", path)


def check_settings(pelican):
    settings(pelican.settings)  # a wrong setting stops the build now
    sitemap_parts.most_urls(pelican.settings)


def split_sitemap(pelican):
    """After pelican-sitemap (before it in PLUGINS) has written sitemap.xml."""
    parts = sitemap_parts.split_sitemap(
        pelican.output_path,
        pelican.settings.get("SITEURL") or "",
        sitemap_parts.most_urls(pelican.settings),
    )
    if parts:
        logger.info("[robots] sitemap.xml is the index of %d parts", parts)


class _OnePerPage(list):
    """The sitemap plugin's queue, keeping one entry a story or page.

    It lists a written file under its article's or page's URL whenever the
    file was written with one in its context, so extra files of a story (an
    embed page) would list the story's URL again."""

    def __init__(self):
        super().__init__()
        self._listed: set[int] = set()

    def append(self, item):
        _path, obj = item
        if obj is not None:
            if id(obj) in self._listed:
                return
            self._listed.add(id(obj))
        super().append(item)


def forget_earlier_builds(pelican):
    reset_sitemap(_OnePerPage())


def date_undated_entries(generators):
    """The sitemap's date for entries without one: the newest story's."""
    newest = None
    for generator in generators:
        for story in getattr(generator, "articles", None) or []:
            if story.story.held_back:
                continue  # a preview's held-back story is not in the sitemap
            # The story's own entry's date: the story reader's ``modified``,
            # the day it went public when that came after its date.
            when = story.modified
            if when is not None and (
                newest is None or when.timestamp() > newest.timestamp()
            ):
                newest = when
    if newest is not None:
        sitemap_generator().now = newest


def keep_previews_out(generator, published, held_back):
    for story in held_back:
        # pelican-sitemap's own flag (its documented interface): it leaves
        # out every page whose ``private`` is "True".
        story.private = "True"


def register():
    signals.initialized.connect(forget_earlier_builds)
    portal_signals.stories_gated.connect(keep_previews_out)
    signals.all_generators_finalized.connect(date_undated_entries)
    signals.initialized.connect(check_settings)
    signals.finalized.connect(write_robots)
    signals.finalized.connect(split_sitemap)
