"""The conversation guide's questions: ``content/data/questions.yml``.

Stories name a question by its key in their chapters (``question: kindness``);
the guide page lists the questions in the file's order. Keys never change
once used; the wording may."""

from __future__ import annotations

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


def load_questions(content_path: str) -> datafile.DataFile[Questions]:
    """The questions of ``<content_path>/data/questions.yml``, checked."""
    path = os.path.join(content_path, QUESTIONS_FILE)
    return datafile.load(path, Questions, content_path, HELP)
