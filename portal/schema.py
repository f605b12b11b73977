"""The story and page front matter: every field, its type, its help text.

This is the one definition of what editors may write. The reader validates
against it, ``invoke check`` reports from it and the editors' guide documents
it, so a field is added here once and nowhere else."""

from __future__ import annotations

import datetime
import difflib
import re
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from portal.timecode import parse_timecode

RELATIONSHIPS = {
    "strangers": "Strangers matched by One Small Step",
    "family": "Family",
    "friends": "Friends",
    "colleagues": "Colleagues",
    "neighbors": "Neighbors",
    "acquaintances": "Acquaintances",
}

STORY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{2,63}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Participant(_Strict):
    name: str = Field(min_length=1, max_length=128)
    description: str = ""


class Location(_Strict):
    name: str = Field(min_length=1, max_length=128)
    # Latitude and longitude, for podcast:location and maps.
    geo: tuple[float, float] | None = None
    country: str = Field(default="US", pattern=r"^[A-Z]{2}$")

    @field_validator("geo")
    @classmethod
    def _geo_in_range(cls, value):
        if value is not None:
            lat, lon = value
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError("latitude must be -90..90 and longitude -180..180")
        return value


class Chapter(_Strict):
    start: float
    title: str = Field(min_length=1, max_length=200)
    # Key of a question in content/data/questions.yml this chapter answers.
    question: str | None = None

    @field_validator("start", mode="before")
    @classmethod
    def _parse_start(cls, value):
        return parse_timecode(value)


class Approval(_Strict):
    approved_by: str = Field(min_length=1)
    approved_on: datetime.date
    releases_signed: bool

    @field_validator("approved_on", mode="before")
    @classmethod
    def _date_only(cls, value):
        if isinstance(value, datetime.datetime):
            return value.date()
        return value


def _check_datetime(value):
    """Dates may be plain dates; date-times must say their time zone."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise ValueError(
                "the time has no time zone; add one like 2019-10-12 14:30:00-05:00"
                " or write only the date"
            )
        return value
    if isinstance(value, datetime.date):
        return value
    raise ValueError("not a date; write it as YYYY-MM-DD")


class Story(_Strict):
    id: str
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(default="", max_length=600)
    date: datetime.date | datetime.datetime
    published: datetime.date | datetime.datetime | None = None
    participants: list[Participant] = Field(min_length=2)
    facilitator: str | None = None
    relationship: Literal[tuple(RELATIONSHIPS)]  # type: ignore[valid-type]
    location: Location | None = None
    audio: str = Field(min_length=1)
    transcript: str | None = None
    image: str | None = None
    image_alt: str | None = None
    topics: list[str] = []
    chapters: list[Chapter] = []
    featured: bool = False
    status: Literal["draft", "published"] = "draft"
    approval: Approval | None = None
    explicit: bool = False
    episode_type: Literal["full", "trailer", "bonus"] = "full"
    season: int | None = Field(default=None, ge=1)
    episode: int | None = Field(default=None, ge=1)
    # Staff-only notes (contact details, release form numbers). Validated as
    # a mapping and never handed to templates, feeds or indexes.
    staff: dict[str, Any] = {}

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value):
        if not STORY_ID.match(value):
            raise ValueError(
                "must be 3-64 lowercase letters, digits and hyphens, like oss-2019-0042"
            )
        return value

    @field_validator("date", "published")
    @classmethod
    def _dates(cls, value):
        if value is None:
            return value
        return _check_datetime(value)

    @field_validator("location", mode="before")
    @classmethod
    def _location_text(cls, value):
        if isinstance(value, str):
            return {"name": value}
        return value

    @field_validator("topics")
    @classmethod
    def _topics(cls, value):
        return [topic.strip() for topic in value if topic.strip()]

    @model_validator(mode="after")
    def _cross_field(self):
        if self.image and not self.image_alt:
            raise ValueError(
                "image_alt: the image has no description; write what it shows "
                "for people who cannot see it"
            )
        names = [p.name for p in self.participants]
        if len(set(names)) != len(names):
            raise ValueError("participants: two participants have the same name")
        starts = [chapter.start for chapter in self.chapters]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            raise ValueError(
                "chapters: chapter start times must go up, each later than the last"
            )
        return self

    @property
    def participant_names(self) -> list[str]:
        return [p.name for p in self.participants]

    @property
    def relationship_label(self) -> str:
        return RELATIONSHIPS[self.relationship]


class PageFrontMatter(_Strict):
    title: str = Field(min_length=1, max_length=200)
    summary: str = ""
    slug: str | None = None
    template: str | None = None
    # Pages with a menu position appear in the site navigation, in that order.
    menu: int | None = None
    # A shorter name for the menu, when the title is long ("Guide").
    menu_title: str | None = Field(default=None, min_length=1, max_length=30)
    status: Literal["published", "hidden", "draft"] = "published"
    save_as: str | None = None
    url: str | None = None


# Help for every story field: what it holds and how to fix it. The editors'
# guide and every error message take their wording from here.
FIELD_HELP: dict[str, str] = {
    "id": "a permanent id that never changes, like oss-2019-0042 (podcast apps "
    "use it to recognise the episode)",
    "title": "the story's title, in quotes if it contains a colon",
    "summary": "one or two sentences for listings, the podcast and sharing",
    "date": "the day it was recorded, as YYYY-MM-DD",
    "published": "the day it goes public, as YYYY-MM-DD (a future day holds it "
    "back until then); leave it out to use the recording date",
    "participants": "a list of at least two people, each with 'name:' and "
    "'description:'",
    "facilitator": "the name of the facilitator, if there was one",
    "relationship": "one of: " + ", ".join(RELATIONSHIPS),
    "location": "where it was recorded, like 'Tulsa, Oklahoma', or a mapping "
    "with name, geo: [lat, lon] and country",
    "audio": "the audio file's name in this folder, like conversation.mp3",
    "transcript": "the WebVTT transcript's name in this folder, like transcript.vtt",
    "image": "an image file in this folder, like portrait.jpg",
    "image_alt": "a short description of the image for people who cannot see it",
    "topics": "a list like [faith, family]",
    "chapters": "a list of chapters, each with 'start:' (like 4:05) and 'title:'",
    "featured": "true to show it on the home page, otherwise false",
    "status": "draft while you work on it, published when it should go public",
    "approval": "approved_by, approved_on (YYYY-MM-DD) and releases_signed: true",
    "explicit": "true only if the conversation has explicit language",
    "episode_type": "full, trailer or bonus",
    "season": "a season number for the podcast, 1 or more",
    "episode": "an episode number for the podcast, 1 or more",
    "staff": "notes for staff only (never published)",
}


def did_you_mean(name: str, options) -> str:
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def describe_errors(error: pydantic.ValidationError, known_fields) -> list[dict]:
    """Turn pydantic's errors into (loc, field, message, fix) for editors."""
    out = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        field = ".".join(str(part) for part in loc) or "front matter"
        top = str(loc[0]) if loc else ""
        kind = item["type"]
        message = item["msg"].removeprefix("Value error, ")
        if kind == "extra_forbidden":
            hint = did_you_mean(str(loc[-1]), _fields_at(loc[:-1], known_fields))
            message = "is not a field we know"
            fix = hint or "remove it, or move private notes under 'staff:'"
        elif kind == "missing":
            message = "is required but missing"
            fix = f"add {field}: {FIELD_HELP.get(top, '')}".rstrip(": ")
        else:
            # Cross-field checks name their own field at the start.
            if not loc and ": " in message:
                field, message = message.split(": ", 1)
                top = field.split(".")[0]
                loc = (field,)
            fix = FIELD_HELP.get(top, "see content/README.md")
            if kind == "literal_error":
                fix = f"use {FIELD_HELP.get(top, item['msg'])}"
        out.append({"loc": loc, "field": field, "message": message, "fix": fix})
    return out


def _fields_at(loc: tuple, known_fields) -> list[str]:
    models = {
        "participants": Participant,
        "location": Location,
        "chapters": Chapter,
        "approval": Approval,
    }
    named = [part for part in loc if isinstance(part, str)]
    if named and named[0] in models:
        return list(models[named[0]].model_fields)
    return list(known_fields)
