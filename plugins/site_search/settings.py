"""The site_search plugin's settings: defaults and checks in one place."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, SelectolaxError

from portal.outputs import SEARCH_BUNDLE

DEFAULTS = {
    # Run Pagefind over the output when the build has finished.
    "SITE_SEARCH_INDEX": True,
    # The search page's folder, and the Pagefind bundle's folder in the output
    # (hosts keep its parts a year: portal.outputs.kept_a_year).
    "SITE_SEARCH_URL": "search/",
    "SITE_SEARCH_BUNDLE": SEARCH_BUNDLE,
    # The language the whole site is indexed as (stemming); DEFAULT_LANG if empty.
    "SITE_SEARCH_LANGUAGE": "",
    # Past this many indexed pages, index in parts of this many (parts.py):
    # Pagefind takes ~1.3 MB a story page, so a part stays under ~700 MB.
    "SITE_SEARCH_PART_PAGES": 500,
    # Read ahead, while the build runs, the part an edit will index again,
    # where it pays (True), wherever a part is guessed ("always"), or never
    # (ahead.py). How the index is made, not what it holds: no key has it.
    "SITE_SEARCH_AHEAD": True,
    # Extra CSS selectors Pagefind leaves out of the index.
    # Page furniture, not words of the story: the player and its download
    # link, the listening card (timeline, shortcuts), the share box, the
    # chapter list and the guide's questions (results quote what was said),
    # the invitation to take part (the same words on every story page: a
    # search for "partner" or "email" found every story), and the "Play
    # from" words of each time link. The times themselves stay: a turn's
    # heading ("Naomi Castellanos 0:13") names its moment in results.
    "SITE_SEARCH_EXCLUDE_SELECTORS": [
        ".invite",
        ".player",
        ".listen",
        ".shortcuts",
        ".share",
        ".chapters",
        ".transcript__question",
        ".transcript__formats",
        ".turn__time .visually-hidden",
        ".transcript__chapter-time .visually-hidden",
    ],
}

# Selectors are parsed against it: a wrong one is found as the build starts.
_EMPTY_PAGE = LexborHTMLParser("<p></p>")
_FOLDER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*/$")


def settings(pelican_settings) -> dict:
    """The plugin's settings with defaults filled in; ValueError if wrong."""
    out = {key: pelican_settings.get(key, value) for key, value in DEFAULTS.items()}
    for key in ("SITE_SEARCH_URL", "SITE_SEARCH_BUNDLE"):
        value = out[key]
        if not isinstance(value, str) or not _FOLDER.match(value) or ".." in value:
            raise ValueError(
                f"{key} must be a folder path like '{DEFAULTS[key]}' "
                f"(no leading /, ending in /), not {value!r}"
            )
    if out["SITE_SEARCH_AHEAD"] not in (True, False, "always"):
        raise ValueError(
            "SITE_SEARCH_AHEAD must be True (where it pays), False or 'always', "
            f"not {out['SITE_SEARCH_AHEAD']!r}"
        )
    if not isinstance(out["SITE_SEARCH_INDEX"], bool):
        raise ValueError(
            f"SITE_SEARCH_INDEX must be True or False, not {out['SITE_SEARCH_INDEX']!r}"
        )
    part_pages = out["SITE_SEARCH_PART_PAGES"]
    if (
        not isinstance(part_pages, int)
        or isinstance(part_pages, bool)
        or part_pages < 1
    ):
        raise ValueError(
            "SITE_SEARCH_PART_PAGES must be a whole number of pages, 1 or more, "
            f"not {part_pages!r}"
        )
    language = out["SITE_SEARCH_LANGUAGE"] or pelican_settings.get("DEFAULT_LANG", "en")
    if not isinstance(language, str) or not re.fullmatch(
        r"[a-z]{2}(-[A-Za-z]+)?", language
    ):
        raise ValueError(
            "SITE_SEARCH_LANGUAGE must be an ISO 639-1 code like 'en', "
            f"not {language!r}"
        )
    out["SITE_SEARCH_LANGUAGE"] = language
    selectors = out["SITE_SEARCH_EXCLUDE_SELECTORS"]
    if not isinstance(selectors, (list, tuple)) or not all(
        isinstance(item, str) and item.strip() for item in selectors
    ):
        raise ValueError(
            "SITE_SEARCH_EXCLUDE_SELECTORS must be a list of CSS selectors, "
            f"not {selectors!r}"
        )
    for selector in selectors:
        try:
            _EMPTY_PAGE.css(selector)
        except SelectolaxError:
            raise ValueError(
                f"SITE_SEARCH_EXCLUDE_SELECTORS: {selector!r} is not a CSS selector "
                "- write it as in a style sheet, like '.player' or 'aside .note'"
            ) from None
    return out
