"""Related stories for a story page: shared topics first, then place.

Scores are counted from small inverted indexes (topic -> stories,
state -> stories) instead of comparing every pair of stories, and each topic
contributes only its most recent stories, so the work stays proportional
to the number of stories as the archive grows."""

from __future__ import annotations

import collections
import heapq

from .groups import story_place

TOPIC_WEIGHT = 2
SAME_CITY = 2
SAME_STATE = 1
# How many of a topic's newest stories are candidates for each story.
CANDIDATES_PER_TOPIC = 60


def related_stories(stories, limit: int) -> dict[int, list]:
    """id(story) -> up to ``limit`` related stories, best first.

    ``stories`` is newest first; ties keep that order."""
    order = {id(story): position for position, story in enumerate(stories)}
    by_topic: dict[str, list] = collections.defaultdict(list)
    by_state: dict[str, list] = collections.defaultdict(list)
    places = {}
    for story in stories:
        for topic in _topics(story):
            by_topic[topic].append(story)
        place = story_place(story)
        places[id(story)] = place
        if place is not None:
            by_state[place.state_slug].append(story)
    by_id = {id(story): story for story in stories}

    out = {}
    for story in stories:
        scores: collections.Counter = collections.Counter()
        for topic in _topics(story):
            for other in by_topic[topic][:CANDIDATES_PER_TOPIC]:
                scores[id(other)] += TOPIC_WEIGHT
        place = places[id(story)]
        if place is not None:
            for other in by_state[place.state_slug][:CANDIDATES_PER_TOPIC]:
                same_city = (
                    place.city and places[id(other)].city_slug == place.city_slug
                )
                scores[id(other)] += SAME_CITY if same_city else SAME_STATE
        scores.pop(id(story), None)
        # The best few only: nsmallest keeps ``limit`` of them, where a sort
        # ordered every candidate (hundreds a story in a large archive).
        ranked = heapq.nsmallest(
            limit, scores, key=lambda key: (-scores[key], order[key])
        )
        out[id(story)] = [by_id[key] for key in ranked]
    return out


def _topics(story) -> list[str]:
    return [topic.lower() for topic in story.story.front.topics]
