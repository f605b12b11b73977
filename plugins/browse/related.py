"""Related stories for a story page: shared topics first, then place.

Scores are counted from small inverted indexes (topic -> stories,
state -> stories) instead of comparing every pair of stories, and each topic
contributes only its most recent stories, so the work stays proportional
to the number of stories as the archive grows."""

from __future__ import annotations

import collections
import heapq
import itertools
import operator

from .groups import story_place

TOPIC_WEIGHT = 2
SAME_CITY = 2
SAME_STATE = 1
# How many of a topic's newest stories are candidates for each story.
CANDIDATES_PER_TOPIC = 60


def related_stories(stories, limit: int) -> dict[int, list]:
    """id(story) -> up to ``limit`` related stories, best first.

    ``stories`` (a list) is newest first; ties keep that order."""
    # Stories are counted by their position in ``stories``: the position is
    # the tie-break itself, so ranking needs no key function (below).
    by_topic: dict[str, list] = collections.defaultdict(list)
    by_state: dict[str, list] = collections.defaultdict(list)
    places = []
    topics = []
    for position, story in enumerate(stories):
        topics.append(_topics(story))
        for topic in topics[-1]:
            by_topic[topic].append(position)
        place = story_place(story)
        places.append(place)
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

    out = {}
    for position, story in enumerate(stories):
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
        out[id(story)] = [stories[-negative] for _, negative in ranked]
    return out


def _topics(story) -> list[str]:
    return [topic.lower() for topic in story.story.front.topics]
