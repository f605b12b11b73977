"""Stories grouped for browsing: by place (state, then city) and relationship.

Every list keeps the order it is given (the site's, newest first), so a
group's stories read the same way as the main listing."""

from __future__ import annotations

import collections
import dataclasses

from portal.places import Place, place_of, slug
from portal.schema import RELATIONSHIPS

# What each relationship means, for the relationships page.
RELATIONSHIP_NOTES = {
    "strangers": "People who had never met until the campaign paired them up.",
    "family": "Parents and children, grandparents and grandchildren, siblings.",
    "friends": "Friends who vote differently and stayed friends.",
    "colleagues": "People who share a workplace, a shift or a route.",
    "neighbors": "People who live next door or down the road.",
    "acquaintances": "People who knew each other a little before they sat down.",
}


@dataclasses.dataclass
class Group:
    name: str  # what the page calls it: "Alabama", "Birmingham", "Family"
    slug: str
    url: str  # site-relative, like "places/alabama/"
    stories: list
    description: str = ""
    children: list[Group] = dataclasses.field(default_factory=list)
    parent: Group | None = None

    @property
    def save_as(self) -> str:
        return self.url + "index.html"

    @property
    def count(self) -> int:
        return len(self.stories)

    def page_key(self, story_digest) -> list:
        """What a listing of this group prints of it besides its stories
        (``browse_group.html``): the key of its pages in the cache
        (``story_pipeline/pages.py``)."""
        parent = self.parent
        return [
            self.name,
            self.slug,
            self.url,
            self.description,
            self.count,
            [parent.name, parent.url] if parent else None,
            [[child.name, child.url, child.count] for child in self.children],
        ]


def story_place(story) -> Place | None:
    return place_of(story.story.front.location)


def places(stories, urls: dict) -> list[Group]:
    """States A-Z, each with its cities A-Z."""
    # Each story with its place, worked out once (a few microseconds a
    # story, asked again for its city below).
    by_state: dict[str, list[tuple]] = collections.defaultdict(list)
    first: dict[str, Place] = {}
    for story in stories:
        place = story_place(story)
        if place is None:
            continue
        by_state[place.state_slug].append((story, place))
        first.setdefault(place.state_slug, place)
    states = []
    for state_slug, placed in by_state.items():
        url = urls["state"].format(state=state_slug)
        members = [story for story, _ in placed]
        state = Group(first[state_slug].state, state_slug, url, members)
        by_city: dict[str, list] = collections.defaultdict(list)
        names: dict[str, str] = {}
        for story, place in placed:
            if place.city:
                by_city[place.city_slug].append(story)
                names.setdefault(place.city_slug, place.city)
        state.children = sorted(
            (
                Group(
                    names[city_slug],
                    city_slug,
                    urls["city"].format(state=state_slug, city=city_slug),
                    city_stories,
                    parent=state,
                )
                for city_slug, city_stories in by_city.items()
            ),
            key=lambda group: group.name.lower(),
        )
        states.append(state)
    return sorted(states, key=lambda group: group.name.lower())


def relationships(stories, urls: dict) -> list[Group]:
    """The relationships that have stories, in the schema's order."""
    by_key: dict[str, list] = collections.defaultdict(list)
    for story in stories:
        by_key[story.story.front.relationship].append(story)
    return [
        Group(
            label,
            key,
            urls["relationship"].format(key=slug(key)),
            by_key[key],
            description=RELATIONSHIP_NOTES.get(key, ""),
        )
        for key, label in RELATIONSHIPS.items()
        if by_key[key]
    ]


def place_groups_of(story, states: list[Group]) -> tuple[Group | None, Group | None]:
    """The state and city groups a story belongs to."""
    place = story_place(story)
    if place is None:
        return None, None
    for state in states:
        if state.slug == place.state_slug:
            for city in state.children:
                if city.slug == place.city_slug:
                    return state, city
            return state, None
    return None, None
