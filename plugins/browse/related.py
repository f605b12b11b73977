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
    # Each topic's and each place's candidates, once: a story's scores are
    # then counted by Counter.update (in C), not one addition at a time
    # (some 300 a story: seconds at 10,000 stories).
    topic_candidates = {
        topic: [id(other) for other in tagged[:CANDIDATES_PER_TOPIC]]
        for topic, tagged in by_topic.items()
    }
    place_candidates: dict[tuple, tuple[list, list]] = {}

    def near(place) -> tuple[list, list]:
        """(the state's candidates, those of them in the same city)."""
        where = (place.state_slug, place.city_slug)
        found = place_candidates.get(where)
        if found is None:
            state = [id(o) for o in by_state[place.state_slug][:CANDIDATES_PER_TOPIC]]
            city = (
                [key for key in state if places[key].city_slug == place.city_slug]
                if place.city
                else []
            )
            found = place_candidates[where] = (state, city)
        return found

    out = {}
    for story in stories:
        scores: collections.Counter = collections.Counter()
        for topic in _topics(story):
            for _ in range(TOPIC_WEIGHT):
                scores.update(topic_candidates[topic])
        place = places[id(story)]
        if place is not None:
            state, city = near(place)
            # A same-city story scores SAME_CITY, any other SAME_STATE.
            for _ in range(SAME_STATE):
                scores.update(state)
            for _ in range(SAME_CITY - SAME_STATE):
                scores.update(city)
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
