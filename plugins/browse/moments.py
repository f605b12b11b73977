"""The cross-story index by question: every chapter that answers a guide question.

A moment is one chapter of one story. It links to the second the chapter
starts (``#t=M:SS``, which the player seeks to), and, when the transcripts
plugin has read the story's transcript, quotes the first thing said in
answer, linked to that speaker turn (``#turn-N``)."""

from __future__ import annotations

import collections
import dataclasses
import logging

from portal.timecode import format_timecode

from .groups import Group

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class Moment:
    story: object  # the Article
    number: int  # the chapter's number on the story page (#chapter-N)
    title: str
    start: float
    end: float | None
    question: str
    # The first thing said in answer (transcripts/answers.py: Quote), or None.
    quote: object | None

    @property
    def timecode(self) -> str:
        return format_timecode(self.start)

    @property
    def url(self) -> str:
        """Site-relative link to the second the chapter starts."""
        return f"{self.story.url}#t={self.timecode}"

    @property
    def quote_url(self) -> str | None:
        if self.quote is None or not self.quote.turn:
            return None
        return f"{self.story.url}#turn-{self.quote.turn}"

    def page_key(self, story_digest) -> list:
        """What a question's page prints of this answer (``moment.html``):
        its story by what pages show of it (``story_digest``: its front
        matter and its folder's files, which its chapters and their quotes
        are read from) and which of its chapters it is."""
        return [story_digest(self.story), self.number]


@dataclasses.dataclass
class QuestionGroup(Group):
    question: object = None  # questions.Question

    @property
    def moments(self) -> list[Moment]:
        return self.stories

    def page_key(self, story_digest) -> list:
        question = self.question
        return [
            *super().page_key(story_digest),
            [question.key, question.wording, question.position] if question else None,
        ]


def chapters_of(story) -> list[dict]:
    """The chapters the story page shows, in page order: read them, never
    change them (the record's own, when it has them).

    The transcripts plugin chooses them from the front matter, the
    transcript or the audio (the record's ``chapters``); without them, the
    front matter's."""
    merged = story.story.chapters
    if merged:
        # Not copied: the question index only reads them, and a copy of
        # every chapter of every story was a tenth of its time.
        return merged
    chapters = story.story.front.chapters
    out = []
    for index, chapter in enumerate(chapters):
        end = chapters[index + 1].start if index + 1 < len(chapters) else None
        out.append(
            {
                "start": chapter.start,
                "end": end,
                "title": chapter.title,
                "question": chapter.question,
            }
        )
    return out


def question_index(stories, questions, urls: dict) -> list[QuestionGroup]:
    """One group a guide question, in the guide's order, with its moments."""
    keys = {question.key for question in questions}
    by_key: dict[str, list[Moment]] = collections.defaultdict(list)
    for story in stories:
        for number, chapter in enumerate(chapters_of(story), start=1):
            key = chapter.get("question")
            if not key:
                continue
            if key not in keys:
                # Already reported as a content error when it came from the
                # front matter; chapters from elsewhere are warned about here.
                logger.warning(
                    "[browse] %s: chapter '%s' answers '%s', which is not a guide "
                    "question - it is left out of the question index",
                    story.story.source,
                    chapter.get("title"),
                    key,
                )
                continue
            start = float(chapter["start"])
            end = chapter.get("end")
            by_key[key].append(
                Moment(
                    story=story,
                    number=number,
                    title=chapter["title"],
                    start=start,
                    end=end,
                    question=key,
                    quote=story.story.chapter_answers.get((start, end)),
                )
            )
    return [
        QuestionGroup(
            name=question.wording,
            slug=question.key,
            url=urls["question"].format(key=question.key),
            stories=by_key[question.key],
            question=question,
        )
        for question in questions
    ]
