"""Pages whose words for the search did not change though their bytes did.

The story pipeline puts a page's related stories in again
(``plugins/story_pipeline/related.py``) inside an element the search leaves
out (``data-pagefind-ignore="all"``): what the search reads of the new bytes
is what it read of the old. It notes each such page here, with the SHA-256
of its bytes before and now; the search's plan (``site_search/parts.py``)
then takes the page's digest from its last indexing instead of reading the
page again (a campaign's new story changes some 1,200 story pages so at
10,000 stories: about 5 s of CPU). Kept by both hashes, a note is never
wrong: a page with other bytes now, or last indexed with other bytes, is
read as any other.
"""

from __future__ import annotations

import os

# The output file's path -> (its SHA-256 before, its SHA-256 now).
_noted: dict[str, tuple[str, str]] = {}


def note(path: str, before: str, now: str) -> None:
    _noted[os.path.normpath(path)] = (before, now)


def same_words(path: str, before: str | None, now: str) -> bool:
    """Does the search read the same of ``path``'s bytes ``now`` as of the
    bytes ``before`` (SHA-256 each)?"""
    return before is not None and _noted.get(os.path.normpath(path)) == (before, now)


def forget() -> None:
    """A build starts: no note of an earlier build holds."""
    _noted.clear()
