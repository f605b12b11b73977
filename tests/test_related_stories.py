"""Related stories ranked as the rule says, in a larger archive than a site
test builds: shared topics (each topic's newest CANDIDATES_PER_TOPIC
stories), then the same city, then the same state; ties newest first."""

from __future__ import annotations

import collections
import random
import types

from browse import related
from browse.groups import story_place

STATES = ["Alabama", "Ohio", "Texas", "Iowa"]
TOPICS = ["family", "work", "faith", "rural life", "grief", "sports"]


def _archive(count: int, seed: int) -> list:
    """Stories newest first, with topics and places that many share (more
    than CANDIDATES_PER_TOPIC a topic, and many equal scores)."""
    chance = random.Random(seed)
    stories = []
    for _ in range(count):
        if chance.random() < 0.1:
            location = None
        else:
            state = chance.choice(STATES)
            name = (
                state
                if chance.random() < 0.2
                else f"Town{chance.randrange(3)}, {state}"
            )
            location = types.SimpleNamespace(name=name, country="US")
        front = types.SimpleNamespace(
            topics=chance.sample(TOPICS, chance.randrange(4)), location=location
        )
        stories.append(types.SimpleNamespace(story=types.SimpleNamespace(front=front)))
    return stories


def _expected(stories, limit: int) -> dict[int, list]:
    """The rule, written out story by story (each story's topics and place
    looked up once)."""
    topics = {
        id(story): {t.lower() for t in story.story.front.topics} for story in stories
    }
    places = {id(story): story_place(story) for story in stories}
    position = {id(story): number for number, story in enumerate(stories)}
    out = {}
    for story in stories:
        scores: collections.Counter = collections.Counter()
        for topic in topics[id(story)]:
            tagged = [other for other in stories if topic in topics[id(other)]]
            for other in tagged[: related.CANDIDATES_PER_TOPIC]:
                scores[id(other)] += related.TOPIC_WEIGHT
        place = places[id(story)]
        if place is not None:
            state = [
                other
                for other in stories
                if places[id(other)] is not None
                and places[id(other)].state_slug == place.state_slug
            ]
            for other in state[: related.CANDIDATES_PER_TOPIC]:
                same_city = (
                    place.city and places[id(other)].city_slug == place.city_slug
                )
                scores[id(other)] += (
                    related.SAME_CITY if same_city else related.SAME_STATE
                )
        scores.pop(id(story), None)
        best = sorted(scores, key=lambda key: (-scores[key], position[key]))[:limit]
        out[id(story)] = [stories[position[key]] for key in best]
    return out


def test_related_stories_follow_the_rule_in_a_large_archive():
    stories = _archive(300, seed=5)
    for limit in (1, 3, 8):
        assert related.related_stories(stories, limit) == _expected(stories, limit)
