"""The recording app, for the "Record with the app" part of Take part.

Reads ``content/data/recording_app.yml`` (``portal.datafile``) and puts it in
the template context as ``recording_app``: the app's name, what it is good
for, where to get it (only the stores whose address is set: a button that
leads nowhere is worse than none) and the steps of a recording. A broken
file is reported (file, line, field, fix); production builds
(``STORY_STRICT``) stop on it. Without the file the section is not shown.
"""

from __future__ import annotations

import logging

from pelican import signals
from pydantic import BaseModel, ConfigDict, Field, field_validator

from portal import datafile
from portal.problems import report_problems

logger = logging.getLogger(__name__)

DATA_FILE = "data/recording_app.yml"

HELP = {
    "name": "the app's name as the stores show it, like StoryCorps App",
    "intro": "a sentence or two on who the app is for",
    "stores": "list the stores with name and url (https://), like "
    "name: App Store, url: https://apps.apple.com/...",
    "steps": "list two to five short steps, each a sentence",
    "questions_note": "a sentence saying where the guide's questions are",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Store(_Strict):
    name: str = Field(min_length=1, max_length=60)
    # Empty until the app's page in that store is known: then not shown.
    url: str | None = None

    @field_validator("url")
    @classmethod
    def _web_page(cls, value):
        if value in (None, ""):
            return None
        if not value.lower().startswith("https://") or any(
            ch.isspace() for ch in value
        ):
            raise ValueError(
                f"{value!r} must be the app's page in the store, starting https://"
            )
        return value


class RecordingApp(_Strict):
    name: str = Field(min_length=1, max_length=80)
    intro: str = Field(min_length=1, max_length=600)
    stores: list[Store] = []
    steps: list[str] = Field(min_length=2, max_length=5)

    @field_validator("steps")
    @classmethod
    def _steps(cls, value):
        if any(not step.strip() for step in value):
            raise ValueError("a step is empty; write each step as a sentence")
        return [step.strip() for step in value]

    @property
    def linked_stores(self) -> list[Store]:
        return [store for store in self.stores if store.url]

    @property
    def store_names(self) -> str:
        """ "App Store, Google Play or Amazon Appstore": where to search."""
        names = [store.name for store in self.stores]
        if len(names) < 2:
            return "".join(names) or "your phone’s app store"
        return ", ".join(names[:-1]) + " or " + names[-1]


class RecordingAppGenerator:
    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.path = path

    def generate_context(self):
        loaded = datafile.load(
            f"{self.path}/{DATA_FILE}", RecordingApp, self.path, HELP
        )
        report_problems(
            self.context, self.settings, loaded.problems, logger, "[recording_app] "
        )
        self.context["recording_app"] = loaded.value


def get_generators(pelican):
    return RecordingAppGenerator


def register():
    signals.get_generators.connect(get_generators)
