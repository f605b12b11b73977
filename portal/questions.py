"""The conversation guide's questions: ``content/data/questions.yml``.

Stories name a question by its key in their chapters (``question: kindness``);
the guide page lists the questions in the file's order. Keys never change
once used; the wording may."""

from __future__ import annotations

import hashlib
import os

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from portal import datafile

QUESTIONS_FILE = os.path.join("data", "questions.yml")
KEY_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"

HELP = {
    "key": "a short permanent key in lowercase letters, digits and hyphens, "
    "like kindness (stories' chapters refer to it)",
    "question": "the question as a facilitator would ask it",
}


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    key: str = Field(pattern=KEY_PATTERN)
    question: str = Field(min_length=1, max_length=300)


class Questions(RootModel[list[Question]]):
    @model_validator(mode="after")
    def _unique_keys(self):
        keys = [question.key for question in self.root]
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            raise ValueError(
                f"the key {', '.join(repeated)} is used twice; give every "
                "question its own key"
            )
        return self


# Parsed files by (path, content digest): the guide page, the chapters'
# checks and the browse pages all need the questions in one build, and the
# development server rebuilds many times in one process.
_parsed: dict[tuple[str, str], datafile.DataFile[Questions]] = {}


def load_questions(content_path: str) -> datafile.DataFile[Questions]:
    """The questions of ``<content_path>/data/questions.yml``, checked.

    The one way the portal reads the guide's questions: the path is fixed,
    so every plugin sees the same file, and it is parsed again only when its
    bytes change."""
    path = os.path.abspath(os.path.join(content_path, QUESTIONS_FILE))
    try:
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        digest = ""  # missing or unreadable: datafile.load says which
    key = (path, digest)
    if key not in _parsed:
        if len(_parsed) > 16:
            _parsed.clear()
        _parsed[key] = datafile.load(path, Questions, content_path, HELP)
    return _parsed[key]
