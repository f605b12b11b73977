"""Links between content files: ``{filename}``, ``{static}`` and ``{attach}``.

Pelican replaces these with URLs when it writes a page, and leaves a link it
cannot resolve exactly as written (``{filename}../draft/story.md``): a broken
link that also prints a folder name in a public page. The checks and the
approval gate find and resolve links here, the way Pelican does, so they
agree with each other and with Pelican."""

from __future__ import annotations

import dataclasses
import html
import os
import posixpath
import re
from urllib.parse import unquote, urlparse

# Pelican's intrasite link syntax ({filename}x or |filename|x) in any
# attribute that holds a URL, as pelican.contents does it.
_LINK = re.compile(
    r"""<[^>]+?(?:href|src|poster|data|cite|formaction|action)\s*=\s*"""
    r"""(?P<quote>["'])[{|](?P<what>filename|static|attach)[|}](?P<value>.*?)"""
    r"""(?P=quote)""",
    re.S,
)


@dataclasses.dataclass(frozen=True)
class Link:
    what: str  # filename, static or attach
    value: str  # what follows {what}, as written: "../other/story.md#turn-3"

    @property
    def written(self) -> str:
        """The link as the editor wrote it, for messages."""
        return "{" + self.what + "}" + html.unescape(self.value)


def internal_links(content: str) -> list[Link]:
    """Every intrasite link in rendered HTML, in order, without repeats."""
    seen, links = set(), []
    for match in _LINK.finditer(content or ""):
        link = Link(match.group("what"), match.group("value"))
        if link not in seen:
            seen.add(link)
            links.append(link)
    return links


def target(source: str, value: str) -> str:
    """The content-relative path a link in ``source`` points to.

    ``source`` is the linking file relative to the content folder
    (``stories/a/story.md``); a value starting with ``/`` is relative to the
    content folder itself, any other to the linking file's folder."""
    path = unquote(urlparse(html.unescape(value)).path)
    if path.startswith("/"):
        return posixpath.normpath(path.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), path))


def in_folders(path: str, folders) -> bool:
    """Is content-relative ``path`` inside one of ``folders`` (or one of them)?"""
    for folder in folders:
        folder = posixpath.normpath(folder.strip("/")) if folder.strip("/") else ""
        if not folder or path == folder or path.startswith(folder + "/"):
            return True
    return False


def resolvable(link: Link, path: str, content_root: str, settings) -> bool:
    """Would Pelican turn this link into a URL?

    ``{filename}`` needs a Markdown file of a story or page (or, with a
    warning from Pelican, a static file); ``{static}`` and ``{attach}`` need
    a file in one of STATIC_PATHS."""
    full = os.path.join(content_root, *path.split("/"))
    if path.startswith("..") or not os.path.isfile(full):
        return False
    static = in_folders(path, settings.get("STATIC_PATHS", []))
    if link.what != "filename":
        return static
    sources = list(settings.get("ARTICLE_PATHS", [])) + list(
        settings.get("PAGE_PATHS", [])
    )
    return static or (path.endswith((".md", ".markdown")) and in_folders(path, sources))


def line_of(source_path: str, needle: str, default: int | None = None) -> int | None:
    """The 1-based line of ``source_path`` where ``needle`` first appears."""
    try:
        with open(source_path, encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if needle in line:
                    return number
    except (OSError, UnicodeDecodeError):
        pass
    return default
