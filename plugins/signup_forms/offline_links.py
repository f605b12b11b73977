"""Links written in Markdown to a form that is not connected.

Templates choose between a form's page and the campaign's email link
themselves (``signup_forms`` / ``signup_forms_by_email``). Links an editor
wrote in a page or story (``[Sign up]({filename}be-matched.md)``, or the
page's address, ``/be-matched/``) are rewritten here, before Pelican
resolves them, to the same email link: an unconnected form is linked from
nowhere on the public site."""

from __future__ import annotations

import html
import re
import urllib.parse

from portal import links
from portal.pelican_private import raw_html, replace_raw_html

# The href of every anchor, quoted either way.
_ANCHOR_HREF = re.compile(
    r"(<a\b[^>]*?\bhref\s*=\s*)(?P<quote>[\"'])(?P<href>.*?)(?P=quote)", re.S
)
_INTRASITE = re.compile(r"^[{|]filename[|}](?P<value>.*)$", re.S)


def email_link(address: str, subject: str) -> str:
    return f"mailto:{address}?subject=" + urllib.parse.quote(
        f"One Small Step: {subject}"
    )


def _site_path(href: str, siteurl: str) -> str | None:
    """The site-relative path (``be-matched/``) of a plain link to this
    site, or None for a link elsewhere."""
    value = html.unescape(href)
    if siteurl and value.startswith(siteurl.rstrip("/") + "/"):
        value = value[len(siteurl.rstrip("/")) :]
    parts = urllib.parse.urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return parts.path.lstrip("/")


def rewrite(content, by_source: dict[str, str], by_url: dict[str, str], siteurl: str):
    """Point ``content``'s links to an unconnected form's page at its email
    link. ``by_source``: the form page's source (``pages/be-matched.md``) ->
    email link; ``by_url``: its URL (``be-matched/``) -> email link. Returns
    how many links changed."""
    text = raw_html(content)
    if not text:
        return 0
    source = content.get_relative_source_path()
    changed = 0

    def replace(match):
        nonlocal changed
        href = match.group("href")
        intrasite = _INTRASITE.match(href)
        if intrasite:
            email = by_source.get(links.target(source, intrasite.group("value")))
        else:
            path = _site_path(href, siteurl)
            email = by_url.get(path) if path is not None else None
        if email is None:
            return match.group(0)
        changed += 1
        quote = match.group("quote")
        return f"{match.group(1)}{quote}{html.escape(email)}{quote}"

    new_text = _ANCHOR_HREF.sub(replace, text)
    if changed:
        replace_raw_html(content, new_text)
    return changed
