"""The browse plugin's settings: defaults and checks in one place."""

from __future__ import annotations

# Where each browse page lives. ``{state}``, ``{city}``, ``{key}`` are slugs.
# Every URL ends with "/" and is saved as that folder's index.html.
URLS = {
    "hub": "browse/",
    # The story listing's other order (the listing itself is INDEX_URL;
    # not under stories/, where a story folder could take the name).
    "oldest": "browse/oldest/",
    # Where the listing by recording date was: now a page that sends
    # visitors (and old links) to the one listing.
    "recorded": "browse/recorded/",
    "places": "places/",
    "state": "places/{state}/",
    "city": "places/{state}/{city}/",
    "relationships": "relationships/",
    "relationship": "relationships/{key}/",
    "questions": "questions/",
    "question": "questions/{key}/",
}

DEFAULTS = {
    # The conversation guide's questions, relative to the content folder.
    # Overrides of single entries of URLS.
    "BROWSE_URLS": {},
    # How many related stories, and "more from this place" stories, a story
    # page shows.
    "BROWSE_RELATED_MAX": 3,
    "BROWSE_PLACE_MAX": 3,
    # Answers shown under each question on the questions overview.
    "BROWSE_QUESTION_PREVIEW": 3,
    # Answers a page on a question's own page.
    "BROWSE_QUESTION_PAGINATION": 20,
    # Topics, questions and places each that the search page offers before
    # anything is typed.
    "BROWSE_SUGGESTIONS_MAX": 8,
}

_COUNTS = (
    "BROWSE_RELATED_MAX",
    "BROWSE_PLACE_MAX",
    "BROWSE_QUESTION_PREVIEW",
    "BROWSE_QUESTION_PAGINATION",
    "BROWSE_SUGGESTIONS_MAX",
)


def settings(pelican_settings) -> dict:
    """The plugin's settings with defaults filled in; ValueError if wrong."""
    out = {key: pelican_settings.get(key, value) for key, value in DEFAULTS.items()}
    for key in _COUNTS:
        value = out[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                f"{key} must be a whole number of 1 or more, not {value!r}"
            )
    overrides = out["BROWSE_URLS"]
    if not isinstance(overrides, dict):
        raise ValueError(f"BROWSE_URLS must be a mapping, not {overrides!r}")
    unknown = sorted(set(overrides) - set(URLS))
    if unknown:
        raise ValueError(
            f"BROWSE_URLS has unknown keys {', '.join(unknown)}; use any of "
            + ", ".join(URLS)
        )
    urls = {**URLS, **overrides}
    for name, url in urls.items():
        if not isinstance(url, str) or not url.endswith("/") or url.startswith("/"):
            raise ValueError(
                f"BROWSE_URLS['{name}'] must be a folder path like '{URLS[name]}' "
                f"(no leading /, ending in /), not {url!r}"
            )
    out["urls"] = urls
    return out
