"""The guide's questions, and the check that chapters name real ones.

Chapters say which guide question they answer (``question: kindness``); the
browse-by-question index is only as good as those keys, so a key that is
not in ``content/data/questions.yml`` is a content error with a "did you
mean" fix, reported while the gate checks stories."""

from __future__ import annotations

import dataclasses
import logging
import os

from portal import frontmatter
from portal.problems import Problem
from portal.schema import did_you_mean

from .settings import settings as browse_settings

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Question:
    key: str
    wording: str
    position: int  # 1-based order in the file


class QuestionsFileError(ValueError):
    pass


def read_questions(path: str, shown_as: str) -> list[Question]:
    """The questions of a YAML list of ``{key, question}``, in file order.

    ``shown_as`` names the file in messages. A missing file is no questions;
    a broken one raises QuestionsFileError naming the line and the fix."""
    if not os.path.isfile(path):
        return []
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    try:
        data, lines = frontmatter.load_yaml(text)
    except frontmatter.FrontMatterError as error:
        raise QuestionsFileError(
            f"{shown_as}:{error.line}: {error.message} - {error.fix}"
        ) from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise QuestionsFileError(
            f"{shown_as}:1: is not a list - write one '- key: ...' and "
            "'  question: ...' pair a question"
        )
    out, seen = [], set()
    for index, item in enumerate(data):
        line = lines.get((index,), 1)
        key = item.get("key") if isinstance(item, dict) else None
        wording = item.get("question") if isinstance(item, dict) else None
        if not isinstance(key, str) or not key.strip():
            raise QuestionsFileError(
                f"{shown_as}:{line}: key: is missing - give the question a short "
                "key like kindness"
            )
        if not isinstance(wording, str) or not wording.strip():
            raise QuestionsFileError(
                f"{shown_as}:{line}: question: is missing - write the question "
                "as a facilitator would ask it"
            )
        if key in seen:
            raise QuestionsFileError(
                f"{shown_as}:{line}: key: '{key}' is used twice - give every "
                "question its own key"
            )
        seen.add(key)
        out.append(Question(key.strip(), " ".join(wording.split()), index + 1))
    return out


def questions_file(pelican_settings) -> tuple[str, str]:
    """The questions file's path, and its name as editors see it."""
    name = browse_settings(pelican_settings)["BROWSE_QUESTIONS_FILE"]
    content = pelican_settings["PATH"]
    shown_as = os.path.join(os.path.basename(os.path.abspath(content)), name)
    return os.path.join(content, name), shown_as.replace(os.sep, "/")


def questions_for(pelican_settings) -> list[Question]:
    """The build's questions (``BROWSE_QUESTIONS_FILE`` in the content folder)."""
    return read_questions(*questions_file(pelican_settings))


def chapter_question_problems(story, keys: list[str], shown_as: str) -> list[Problem]:
    """A problem for every chapter (front matter, else merged) with an unknown key."""
    problems = []
    front_matter = story.story.chapters
    if front_matter:
        chapters = [(chapter.title, chapter.question) for chapter in front_matter]
    else:
        # Chapters from the transcript's NOTEs, when the transcripts plugin
        # has already merged them: reported against the story, since the
        # gate files problems by story.
        merged = getattr(story, "chapter_list", None) or []
        chapters = [
            (chapter.get("title"), chapter.get("question")) for chapter in merged
        ]
    for index, (title, key) in enumerate(chapters):
        if not key or key in keys:
            continue
        hint = did_you_mean(key, keys)
        fix = f"{hint} " if hint else ""
        fix += f"use one of the keys in {shown_as}: " + ", ".join(keys)
        where = "chapters" if front_matter else "transcript"
        problems.append(
            Problem(
                story.story_source,
                f"{where}.{index}.question" if front_matter else "transcript",
                f"chapter '{title}' answers '{key}', which is not a question in "
                f"{shown_as}",
                fix,
                story.story_lines.get(("chapters", index, "question"))
                if front_matter
                else None,
            )
        )
    return problems


def check_chapter_questions(generator, stories, report) -> None:
    """``portal.signals.story_checks`` receiver: unknown question keys."""
    try:
        questions = questions_for(generator.settings)
    except QuestionsFileError as error:
        # The guide page's plugin reports the file itself; without it there
        # is nothing to check keys against.
        logger.error("[browse] %s", error)
        return
    if not questions:
        # No guide questions in this site: nothing to check keys against.
        return
    keys = [question.key for question in questions]
    shown_as = questions_file(generator.settings)[1]
    for story in stories:
        for problem in chapter_question_problems(story, keys, shown_as):
            report(problem)
