"""Related stories ranked as the rule says, in a larger archive than a site
test builds: shared topics (each topic's newest CANDIDATES_PER_TOPIC
stories), then the same city, then the same state; ties newest first."""

from __future__ import annotations

import collections
import json
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


def test_the_last_ranking_is_taken_while_what_it_is_made_from_is_unchanged(
    tmp_path,
):
    stories = _archive(200, seed=7)
    expected = _expected(stories, 3)
    assert related.related_stories(stories, 3, str(tmp_path)) == expected
    memo = tmp_path / related.MEMO_FILE
    kept = json.loads(memo.read_text())
    # A ranking kept under the same key is what the next build shows: the
    # first story's related stories replaced by hand come back as written.
    kept["ranked"][0] = [5, 6, 7]
    memo.write_text(json.dumps(kept))
    again = related.related_stories(stories, 3, str(tmp_path))
    assert again[id(stories[0])] == [stories[5], stories[6], stories[7]]
    assert again[id(stories[1])] == expected[id(stories[1])]
    # Another limit, a topic, a place or the order of the stories: ranked again.
    assert related.related_stories(stories, 2, str(tmp_path)) == _expected(stories, 2)
    memo.write_text(json.dumps(kept))
    stories[0].story.front.topics = ["a topic no other story has"]
    assert related.related_stories(stories, 3, str(tmp_path)) == _expected(stories, 3)
    memo.write_text(json.dumps(kept))
    stories[0].story.front.topics = ["family"]
    stories[0].story.front.location = types.SimpleNamespace(name="Ohio", country="US")
    assert related.related_stories(stories, 3, str(tmp_path)) == _expected(stories, 3)
    memo.write_text(json.dumps(kept))
    stories.reverse()
    assert related.related_stories(stories, 3, str(tmp_path)) == _expected(stories, 3)


def test_a_damaged_ranking_in_the_cache_is_made_again(tmp_path):
    stories = _archive(50, seed=3)
    memo = tmp_path / related.MEMO_FILE
    related.related_stories(stories, 3, str(tmp_path))
    kept = json.loads(memo.read_text())
    for damage in ([[50]] * 50, [[-1]] * 50, [["1"]] * 50, [[1]] * 49, "x", None):
        memo.write_text(json.dumps({"key": kept["key"], "ranked": damage}))
        assert related.related_stories(stories, 3, str(tmp_path)) == _expected(
            stories, 3
        )
    memo.write_bytes(b"\x00 not JSON")
    assert related.related_stories(stories, 3, str(tmp_path)) == _expected(stories, 3)
