"""Static files only held-back stories use stay out of the output.

Pelican copies every file under ``STATIC_PATHS`` (``content/images/``...),
whoever links it. A picture added for a story that is not public yet would
be on the public site before the story. When the static files are found
(``static_generator_finalized``), each one a held-back story's ``story.md``
names (``/images/x.jpg``, ``{static}/images/x.jpg``) is dropped unless some
other content file (a public story, a page, a data file) names it too.
"""

from __future__ import annotations

import logging
import os
import urllib.parse

from portal.paths import special_kind

logger = logging.getLogger(__name__)

# Content files that may name a static file.
TEXT_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".yml", ".yaml", ".json")


def _names(relative: str) -> tuple[str, ...]:
    """How a text may write the path of a static file."""
    quoted = urllib.parse.quote(relative)
    return (relative, quoted) if quoted != relative else (relative,)


# Content text files are small; anything larger is not read further (a story
# or page over 1 MB is refused by the reader anyway).
MAX_TEXT = 1_000_000


def _read(path: str) -> str:
    """The start of a content text file; "" for a FIFO, a device or a link
    to elsewhere (never opened: reading them would block or never end)."""
    if special_kind(path):
        return ""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read(MAX_TEXT)
    except OSError:
        return ""


def _mentioned(text: str, relative: str) -> bool:
    return any(name in text for name in _names(relative))


def hold_back_static(generator) -> None:
    held = generator.context.get("stories_held_back_paths") or {}
    if not held:
        return
    root = generator.path
    held_sources = {os.path.normpath(os.path.join(root, path)) for path in held}
    held_texts = [_read(path) for path in held_sources]
    candidates = [
        static
        for static in generator.staticfiles
        if any(
            _mentioned(text, static.get_relative_source_path()) for text in held_texts
        )
    ]
    if not candidates:
        return
    # Named anywhere else in the content: kept (read only when needed).
    used = set()
    for folder, folders, names in os.walk(root):
        folders.sort()
        for name in names:
            path = os.path.normpath(os.path.join(folder, name))
            if path in held_sources or not name.lower().endswith(TEXT_SUFFIXES):
                continue
            text = _read(path)
            for static in candidates:
                if _mentioned(text, static.get_relative_source_path()):
                    used.add(id(static))
    dropped = [static for static in candidates if id(static) not in used]
    for static in dropped:
        generator.staticfiles.remove(static)
        logger.info(
            "[approval_gate] %s is used only by held-back stories: not copied",
            static.get_relative_source_path(),
        )
