"""The guide's questions, and the check that chapters name real ones.

Chapters say which guide question they answer (``question: kindness``); the
browse-by-question index is only as good as those keys, so a key that is
not in ``content/data/questions.yml`` is a content error with a "did you
mean" fix, reported while the gate checks stories: at the chapter's line of
``story.md``, or at the NOTE's ``question:`` line of the transcript."""

from __future__ import annotations

import dataclasses
import logging
import posixpath

from portal import links
from portal.paths import StoryPathError, story_file
from portal.problems import REPORTED, Problem
from portal.questions import load_questions
from portal.schema import did_you_mean

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Question:
    key: str
    wording: str
    position: int  # 1-based order in the file


class QuestionsFileError(ValueError):
    pass


def questions_for(pelican_settings) -> list[Question]:
    """The guide's questions in the file's order (none if it is missing).

    The file is read and checked by ``portal.questions`` (the conversation
    guide plugin reports its problems); a broken file raises
    QuestionsFileError with the first problem."""
    loaded = load_questions(pelican_settings["PATH"])
    if loaded.problems:
        raise QuestionsFileError(str(loaded.problems[0]))
    if loaded.value is None:
        return []
    return [
        Question(item.key, " ".join(item.question.split()), position)
        for position, item in enumerate(loaded.value.root, start=1)
    ]


def chapter_question_problems(story, keys: list[str], shown_as: str) -> list[Problem]:
    """A problem for every chapter (front matter, else merged) with an unknown key."""
    front_matter = story.story.front.chapters
    if front_matter:
        chapters = [(chapter.title, chapter.question) for chapter in front_matter]
    else:
        # Chapters from the transcript's NOTEs, when the transcripts plugin
        # has already merged them.
        chapters = [
            (chapter.get("title"), chapter.get("question"))
            for chapter in story.story.chapters or []
        ]
    problems = []
    for index, (title, key) in enumerate(chapters):
        if not key or key in keys:
            continue
        hint = did_you_mean(key, keys)
        fix = f"{hint} " if hint else ""
        fix += f"use one of the keys in {shown_as}: " + ", ".join(keys)
        message = (
            f"chapter {index + 1} ('{title}') answers '{key}', which is not "
            f"a question in {shown_as}"
        )
        if front_matter:
            where = story.story.source, f"chapters.{index}.question"
            line = story.story.lines.get(("chapters", index, "question"))
        else:
            where, line = _note_line(story, key)
        problems.append(Problem(*where, message, fix, line))
    return problems


def _note_line(story, key: str) -> tuple[tuple[str, str], int | None]:
    """Where a transcript NOTE's ``question: key`` is: the transcript file
    (as editors see its path) and the line, found as body links' are."""
    record = story.story
    name = record.front.transcript
    try:
        path = story_file(record.folder, name or "")
    except StoryPathError:
        path = None
    if not name or path is None:
        # (A path the transcripts plugin refuses: it says so.)
        return (record.source, "transcript"), record.lines.get(("transcript",))
    shown = posixpath.join(posixpath.dirname(record.source), name.replace("\\", "/"))
    line = links.line_of(path, f"question: {key}") or links.line_of(path, key)
    return (shown, "transcript"), line


def check_chapter_questions(generator, stories, report) -> None:
    """``portal.signals.story_checks`` receiver: unknown question keys."""
    try:
        questions = questions_for(generator.settings)
    except QuestionsFileError as error:
        # The guide page's plugin reports the file itself; without it there
        # is nothing to check keys against.
        logger.error("[browse] %s", error, extra=REPORTED)
        return
    if not questions:
        # No guide questions in this site: nothing to check keys against.
        return
    keys = [question.key for question in questions]
    shown_as = load_questions(generator.settings["PATH"]).path
    for story in stories:
        for problem in chapter_question_problems(story, keys, shown_as):
            report(problem)
