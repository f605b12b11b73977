"""What a plugin works out from one story, kept under the story's key.

Some work on a story is not a file of its own: the feed's item (its show
notes cleaned, its people, its enclosures, written as XML), made for every
published story whenever the feed is written. Its inputs are the story's (its files,
front matter, rendered content), the code, the theme and the settings: all
in the story's key (``key.py``). So a value made from a story is kept under
that key, and a build in which the key did not change takes it from here:

    memo = context[portal.outputs.STORY_MEMO]
    item = memo.value("feed_items", story, lambda: make_item(story))

Each kind is one file, ``CACHE_PATH/story_outputs/<kind>.pickle``, holding
the values this build used (others are dropped when it is saved). A file
that cannot be read is a miss for every story: the values are made again.
The values must pickle, and must depend on nothing the key does not hold.
Without a cache (or with ``STORY_PIPELINE_CACHE = False``) every value is
made.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Callable
from typing import Any

from portal.writing import atomic_file

logger = logging.getLogger(__name__)

SUFFIX = ".pickle"


class StoryMemo:
    def __init__(self, folder: str | None, keys: dict[str, str | None]):
        self._folder = folder
        self._keys = keys  # story page name -> key (None: not kept)
        self._previous: dict[str, dict[str, Any]] = {}  # kind -> key -> value
        self._current: dict[str, dict[str, Any]] = {}

    def value(self, kind: str, story, make: Callable[[], Any]) -> Any:
        """``make()``, or what it returned in a build where ``story`` had the
        key it has now."""
        key = self._keys.get(story.story.save_as) if self._folder else None
        if key is None:
            return make()
        current = self._current.setdefault(kind, {})
        if key in current:
            return current[key]
        previous = self._previous.get(kind)
        if previous is None:
            previous = self._previous[kind] = self._load(kind)
        value = previous[key] if key in previous else make()
        current[key] = value
        return value

    def _file(self, kind: str) -> str:
        return os.path.join(self._folder, kind + SUFFIX)

    def _load(self, kind: str) -> dict[str, Any]:
        try:
            with open(self._file(kind), "rb") as handle:
                values = pickle.load(handle)
        except FileNotFoundError:
            return {}
        except Exception as error:  # cut off, or not ours: made again
            logger.debug("[story_pipeline] %s not read: %s", self._file(kind), error)
            return {}
        return values if isinstance(values, dict) else {}

    def save(self) -> None:
        """Keep this build's values, kind by kind, when any changed."""
        for kind in list(self._current):
            self._save(kind)

    def done(self, kind: str) -> None:
        """Keep this build's values of ``kind`` now, and let them go: its
        plugin asks for no more this build. The feed's items are some 30 MB
        at 10,000 stories, twice over in a build that makes them all, and
        held to the end of the build they were its peak's."""
        self._save(kind)
        self._current.pop(kind, None)
        self._previous.pop(kind, None)

    def _save(self, kind: str) -> None:
        values = self._current.get(kind)
        if not self._folder or values is None:
            return
        previous = self._previous.get(kind)
        if previous is not None and previous.keys() == values.keys():
            return  # the same keys: the same values
        os.makedirs(self._folder, exist_ok=True)
        with atomic_file(self._file(kind)) as handle:
            pickle.dump(values, handle, pickle.HIGHEST_PROTOCOL)
