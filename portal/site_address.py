"""The site's absolute address: one rule for everything that needs it.

Podcast feeds, Open Graph tags, oEmbed files, embed codes, JSON-LD, the
sitemap and robots.txt must carry absolute URLs, while development builds
use relative ones. The address is ``SITEURL`` when that is absolute
(publishconf.py, and whatever ``pelican -e SITEURL=...`` or the ``SITEURL``
environment variable make it), else ``SITE_ABSOLUTE_URL`` (pelicanconf.py:
the dev server's). SITEURL comes first so that one override moves every
absolute URL of the build, not only Pelican's own.

``SITE_PRODUCTION_URL`` names the public site. A build for any other
address (development, a drafts preview, a staging SITEURL) is not
production: its podcast feed asks directories not to list it."""

from __future__ import annotations

SCHEMES = ("http://", "https://")


class SiteAddressError(ValueError):
    """The address is missing or not absolute; ``what`` and ``fix`` say why."""

    def __init__(self, what: str, fix: str):
        super().__init__(f"SITE_ABSOLUTE_URL {what} - {fix}")
        self.what = what
        self.fix = fix


def absolute_site_url(settings) -> str:
    """The site's absolute http(s) address, without a final slash."""
    siteurl = (settings.get("SITEURL") or "").strip()
    if siteurl.startswith(SCHEMES):
        return siteurl.rstrip("/")
    configured = (settings.get("SITE_ABSOLUTE_URL") or "").strip()
    if configured:
        if not configured.startswith(SCHEMES):
            raise SiteAddressError(
                f"must be the site's absolute http(s) address, not {configured!r}",
                "write it in full, like 'http://localhost:8000' in pelicanconf.py",
            )
        return configured.rstrip("/")
    raise SiteAddressError(
        "must be the site's absolute http(s) address; it is not set, and SITEURL "
        f"({siteurl!r}) is not absolute",
        "set SITE_ABSOLUTE_URL = 'http://localhost:8000' in pelicanconf.py "
        "(shared links, embeds and podcast apps need absolute URLs)",
    )


def is_production(settings) -> bool:
    """Is this the public site's build (not development, preview or staging)?"""
    if settings.get("STORY_PREVIEW"):
        return False
    production = (settings.get("SITE_PRODUCTION_URL") or "").strip().rstrip("/")
    if not production:
        return False
    try:
        return absolute_site_url(settings) == production
    except SiteAddressError:
        return False
