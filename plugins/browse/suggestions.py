"""What the search page offers before anything is typed: the topics, guide
questions and places with the most stories, as links to their browse pages
(so they work without JavaScript too)."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Suggestion:
    name: str
    url: str  # site-relative, like "topics/family/"
    count: int  # stories (topics, places) or answers (questions)


@dataclasses.dataclass(frozen=True)
class Suggestions:
    topics: list[Suggestion]
    questions: list[Suggestion]
    places: list[Suggestion]

    def __bool__(self) -> bool:
        return bool(self.topics or self.questions or self.places)


def _most(items: list[Suggestion], limit: int) -> list[Suggestion]:
    # Most stories first; equals A-Z, so the choice is the same every build.
    return sorted(items, key=lambda item: (-item.count, item.name.casefold()))[:limit]


def suggestions(tags, states, questions, limit: int) -> Suggestions:
    """``tags``: Pelican's (Tag, stories) pairs; ``states``: browse groups;
    ``questions``: question groups in the guide's order, which is kept (the
    guide's order is the conversation's)."""
    return Suggestions(
        topics=_most(
            [Suggestion(str(tag), tag.url, len(tagged)) for tag, tagged in tags], limit
        ),
        questions=[
            Suggestion(group.name, group.url, len(group.moments))
            for group in questions
            if group.moments
        ][:limit],
        places=_most(
            [Suggestion(state.name, state.url, state.count) for state in states], limit
        ),
    )
