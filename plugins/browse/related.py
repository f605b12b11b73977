"""Related stories for a story page: shared topics first, then place.

Scores are counted from small inverted indexes (topic -> stories,
state -> stories) instead of comparing every pair of stories, and each topic
contributes only its most recent stories, so the work stays proportional
to the number of stories as the archive grows.

The ranking is kept in the cache (``CACHE_PATH/browse_related.json``) under
a key of everything it is made from: each story's topics and place in the
order of the stories, the limit, and this plugin's code. A build in which
none of them changed (most builds: an edit to a story's words, its audio or
its title) takes the last ranking, by position, instead of ranking 10,000
stories again (half a second)."""

from __future__ import annotations

import collections
import heapq
import itertools
import operator
import os

from portal import cache_json
from portal.build_inputs import content_hash
from portal.code_digest import tree_digest
from portal.writing import write_if_changed

from .groups import story_place

TOPIC_WEIGHT = 2
SAME_CITY = 2
SAME_STATE = 1
# How many of a topic's newest stories are candidates for each story.
CANDIDATES_PER_TOPIC = 60


MEMO_FILE = "browse_related.json"


def related_stories(
    stories, limit: int, cache_path: str | None = None
) -> dict[int, list]:
    """id(story) -> up to ``limit`` related stories, best first.

    ``stories`` (a list) is newest first; ties keep that order. With
    ``cache_path``, the ranking of the last build is taken when nothing it
    is made from changed (see above)."""
    topics = [_topics(story) for story in stories]
    places = [story_place(story) for story in stories]
    memo = os.path.join(cache_path, MEMO_FILE) if cache_path else None
    key = _key(topics, places, limit) if memo else None
    ranked = _kept(memo, key, len(stories)) if memo else None
    if ranked is None:
        ranked = _rank(topics, places, limit)
        if memo:
            write_if_changed(memo, cache_json.dumps({"key": key, "ranked": ranked}))
    return {
        id(story): [stories[other] for other in ranked[position]]
        for position, story in enumerate(stories)
    }


def _key(topics: list, places: list, limit: int) -> str:
    """Everything the ranking is made from (a place by what ``_rank``
    compares of it)."""
    return content_hash(
        tree_digest(os.path.dirname(os.path.abspath(__file__)), suffixes=(".py",)),
        limit,
        topics,
        [
            (place.state_slug, place.city_slug, bool(place.city)) if place else None
            for place in places
        ],
    )


def _kept(path: str, key: str, count: int) -> list[list[int]] | None:
    """The ranking of ``count`` stories kept under ``key``, if the cache
    has it."""
    try:
        data = cache_json.load(path)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    ranked = data.get("ranked")
    if (
        not isinstance(ranked, list)
        or len(ranked) != count
        or any(
            not isinstance(row, list)
            or any(type(other) is not int or not 0 <= other < count for other in row)
            for row in ranked
        )
    ):
        return None  # not a ranking of as many stories: made again
    return ranked


def _rank(topics: list, places: list, limit: int) -> list[list[int]]:
    """Each story's related stories, by position, best first."""
    # Stories are counted by their position in ``stories``: the position is
    # the tie-break itself, so ranking needs no key function (below).
    by_topic: dict[str, list] = collections.defaultdict(list)
    by_state: dict[str, list] = collections.defaultdict(list)
    for position, place in enumerate(places):
        for topic in topics[position]:
            by_topic[topic].append(position)
        if place is not None:
            by_state[place.state_slug].append(position)
    # Each topic's and each place's candidates, once, as often as they
    # score (TOPIC_WEIGHT times for a topic): a story's scores are then
    # counted by one Counter (in C) over its lists, not one addition at a
    # time (some 300 a story: seconds at 10,000 stories).
    topic_candidates = {
        topic: tagged[:CANDIDATES_PER_TOPIC] * TOPIC_WEIGHT
        for topic, tagged in by_topic.items()
    }
    place_candidates: dict[tuple, list] = {}

    def near(place) -> list:
        """The state's candidates SAME_STATE times, and those of them in
        the same city SAME_CITY - SAME_STATE times more."""
        where = (place.state_slug, place.city_slug)
        found = place_candidates.get(where)
        if found is None:
            state = by_state[place.state_slug][:CANDIDATES_PER_TOPIC]
            city = (
                [key for key in state if places[key].city_slug == place.city_slug]
                if place.city
                else []
            )
            found = place_candidates[where] = state * SAME_STATE + city * (
                SAME_CITY - SAME_STATE
            )
        return found

    out = []
    for position in range(len(places)):
        lists = [topic_candidates[topic] for topic in topics[position]]
        if places[position] is not None:
            lists.append(near(places[position]))
        scores = collections.Counter(itertools.chain.from_iterable(lists))
        scores.pop(position, None)
        # The best few, best first: the highest score, then the lowest
        # position, as pairs (score, -position) compared in C. nlargest
        # keeps ``limit`` of them, where a sort ordered every candidate
        # (hundreds a story in a large archive); a key function called for
        # each candidate was two million calls at 10,000 stories.
        pairs = zip(scores.values(), map(operator.neg, scores), strict=True)
        ranked = heapq.nlargest(limit, pairs)
        out.append([-negative for _, negative in ranked])
    return out


def _topics(story) -> list[str]:
    return [topic.lower() for topic in story.story.front.topics]
