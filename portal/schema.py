"""The story and page front matter: every field, its type, its help text.

This is the one definition of what editors may write. The reader validates
against it, ``invoke check`` reports from it and the editors' guide documents
it, so a field is added here once and nowhere else."""

from __future__ import annotations

import contextlib
import datetime
import difflib
import re
import unicodedata
from typing import Annotated, Any, Literal

import pydantic
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from portal.timecode import TIMECODE_PATTERN, format_timecode, parse_timecode
from portal.typography import curly

RELATIONSHIPS = {
    "strangers": "Strangers matched by One Small Step",
    "family": "Family",
    "friends": "Friends",
    "colleagues": "Colleagues",
    "neighbors": "Neighbors",
    "acquaintances": "Acquaintances",
}

STORY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{2,63}$")


# Text visitors read, with its typewriter quotes made curly (portal.typography).
Prose = Annotated[str, AfterValidator(curly)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_not_written(cls, data):
        """A field left blank (``summary:`` and nothing after it) is one not
        written: optional ones take their default; required ones are then
        "empty" in messages (``describe_errors``)."""
        if not isinstance(data, dict):
            return data
        fields = cls.model_fields
        return {
            key: value
            for key, value in data.items()
            if value is not None or (key in fields and fields[key].is_required())
        }


def _one_form(name: str) -> str:
    """A name in one Unicode form (NFC): a name typed on one machine and
    pasted from another must be the same name, as the transcript's voice
    tags are (plugins/transcripts/transcript.py)."""
    return unicodedata.normalize("NFC", name)


Name = Annotated[str, AfterValidator(_one_form)]


class Participant(_Strict):
    name: Name = Field(min_length=1, max_length=128)
    description: Prose = ""


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
    title: Prose = Field(min_length=1, max_length=200)
    # Key of a question in content/data/questions.yml this chapter answers.
    question: str | None = None

    @field_validator("start", mode="before")
    @classmethod
    def _parse_start(cls, value):
        return parse_timecode(value)


# podcast:soundbite: the Podcasting 2.0 namespace recommends 15 to 120 seconds
# (apps play it as the episode's preview).
SOUNDBITE_SECONDS = (15.0, 120.0)


class Quote(_Strict):
    """A moment editors mark: podcast apps play it as the episode's preview
    (``podcast:soundbite``) and the story page shows its words."""

    start: float
    end: float
    text: Prose = Field(min_length=1, max_length=300)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _parse_time(cls, value):
        return parse_timecode(value)

    @model_validator(mode="after")
    def _length(self):
        shortest, longest = SOUNDBITE_SECONDS
        length = self.end - self.start
        if not shortest <= length <= longest:
            said = (
                f"ends at {format_timecode(self.end)}, before it starts"
                if length <= 0
                else f"is {length:g} seconds long"
            )
            raise _editor_fixable(
                f"the quote ({format_timecode(self.start)} to "
                f"{format_timecode(self.end)}) {said}; podcast apps play "
                f"{shortest:g} seconds to {longest / 60:g} minutes",
                "mark a moment of 15 seconds to 2 minutes: change 'start:' or 'end:'",
            )
        return self


# Day-first or month-first dates editors type from habit: 09/14/2024,
# 14.09.2024. Read only to show the same day in the form to write.
_OTHER_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def _editor_fixable(message: str, fix: str) -> PydanticCustomError:
    """An error whose fix is known here; ``describe_errors`` shows both."""
    return PydanticCustomError("editor_fixable", message, {"fix": fix})


def _date_from_text(value):
    """A date written as text: YYYY-MM-DD (or an ISO date-time), else one
    clear error with the same day written the right way."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    for parse in (datetime.date.fromisoformat, datetime.datetime.fromisoformat):
        try:
            return parse(text)
        except ValueError:
            continue
    fix = "write it as YYYY-MM-DD, like 2024-09-14"
    other = _OTHER_DATE.match(text)
    if other:
        first, second, year = (int(part) for part in other.groups())
        days = []  # the days it may mean: month first, then day first
        for month, day in ((first, second), (second, first)):
            with contextlib.suppress(ValueError):
                days.append(datetime.date(year, month, day))
        days = list(dict.fromkeys(days))
        if len(days) == 1:
            fix = f"write it as YYYY-MM-DD, like {days[0].isoformat()}"
        elif days:  # 12/05/2026: 5 December or 12 May, only the editor knows
            fix = "write it as YYYY-MM-DD: " + " or ".join(
                f"{day.isoformat()} for {day.day} {day:%B}" for day in days
            )
    raise _editor_fixable(f"'{text}' is not a date in the form we read", fix)


class Approval(_Strict):
    approved_by: str = Field(min_length=1)
    approved_on: datetime.date
    releases_signed: bool

    @field_validator("approved_on", mode="before")
    @classmethod
    def _date_only(cls, value):
        value = _date_from_text(value)
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


def _topic_has_address(topic: str) -> str:
    """Every topic gets a page at /topics/<slug>/: it needs letters or
    digits to make one (Pelican would otherwise link to /topics//)."""
    topic = topic.strip()
    if topic and not slugify(
        topic, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
    ):
        raise _editor_fixable(
            f"the topic '{topic}' has no letters or digits, so it cannot "
            "become a web address (/topics/.../)",
            "write the topic in words, like 'faith' or 'small towns'",
        )
    return topic


Topic = Annotated[str, AfterValidator(_topic_has_address)]


class Story(_Strict):
    id: str
    title: Prose = Field(min_length=1, max_length=200)
    summary: Prose = Field(default="", max_length=600)
    date: datetime.date | datetime.datetime
    published: datetime.date | datetime.datetime | None = None
    participants: list[Participant] = Field(min_length=2)
    facilitator: Name | None = None
    relationship: Literal[tuple(RELATIONSHIPS)]  # type: ignore[valid-type]
    location: Location | None = None
    audio: str = Field(min_length=1)
    transcript: str | None = None
    image: str | None = None
    image_alt: Prose | None = None
    topics: list[Topic] = []
    chapters: list[Chapter] = []
    quote: Quote | None = None
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

    @field_validator("date", "published", mode="before")
    @classmethod
    def _dates_from_text(cls, value):
        return _date_from_text(value)

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
            raise _editor_fixable(
                "image_alt: is missing, so the picture has no description",
                "add image_alt: what the picture shows, in a sentence, for "
                "people who cannot see it",
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
    title: Prose = Field(min_length=1, max_length=200)
    summary: Prose = ""
    slug: str | None = None
    template: str | None = None
    # Pages with a menu position appear in the site navigation, in that order.
    menu: int | None = None
    # A shorter name for the menu, when the title is long ("Guide").
    menu_title: str | None = Field(default=None, min_length=1, max_length=30)
    # The campaign's call to action: shown as the header's button on every
    # page instead of a menu link (one page; the first if several say so).
    menu_button: bool = False
    status: Literal["published", "hidden", "draft"] = "published"
    save_as: str | None = None
    url: str | None = None


# Help for every story field: what it holds and how to fix it. The editors'
# guide and every error message take their wording from here.
FIELD_HELP: dict[str, str] = {
    "id": "a permanent id that never changes, like oss-2019-0042 (podcast apps "
    "use it to recognize the episode)",
    "title": "the story's title, in quotes if it contains a colon",
    "summary": "one or two sentences for listings, the podcast and sharing",
    "date": "the day it was recorded, as YYYY-MM-DD",
    "published": "the day it goes public, as YYYY-MM-DD (a future day holds it "
    "back until then); left out, it goes public once approved, and podcast "
    "apps date it by its approval",
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
    "quote": "a moment podcast apps play as a preview and the page shows: "
    "'start:' and 'end:' (like 4:05 and 4:40; 15 seconds to 2 minutes) and "
    "'text:', the words said",
    "featured": "true to show it on the home page, otherwise false",
    "status": "draft while you work on it, published when it should go public",
    "approval": "approved_by, approved_on (YYYY-MM-DD) and releases_signed: true",
    "explicit": "true only if the conversation has explicit language",
    "episode_type": "full, trailer or bonus",
    "season": "a season number for the podcast, 1 or more",
    "episode": "an episode number for the podcast, 1 or more",
    "staff": "notes for staff only (never published)",
}


# Labels for forms (the editing UI at /admin/), beside the help above.
FIELD_LABELS: dict[str, str] = {
    "id": "Permanent id",
    "title": "Title",
    "summary": "Summary",
    "date": "Recorded on",
    "published": "Goes public on",
    "participants": "Participants",
    "facilitator": "Facilitator",
    "relationship": "How they know each other",
    "location": "Where it was recorded",
    "audio": "Audio",
    "transcript": "Transcript",
    "image": "Picture",
    "image_alt": "Picture description",
    "topics": "Topics",
    "chapters": "Chapters",
    "quote": "Quote for previews",
    "featured": "Featured on the home page",
    "status": "Status",
    "approval": "Approval",
    "explicit": "Explicit language",
    "episode_type": "Episode type",
    "season": "Season",
    "episode": "Episode",
    "staff": "Staff notes",
}

# Labels of the parts of participants, location, chapters and approval, for
# forms; their help is PART_HELP's.
PART_LABELS: dict[str, str] = {
    "participants.name": "Name",
    "participants.description": "Description",
    "location.name": "Place",
    "location.geo": "Latitude and longitude",
    "location.country": "Country",
    "chapters.start": "Starts at",
    "chapters.title": "Chapter title",
    "chapters.question": "Guide question",
    "quote.start": "Starts at",
    "quote.end": "Ends at",
    "quote.text": "The words said",
    "approval.approved_by": "Approved by",
    "approval.approved_on": "Approved on",
    "approval.releases_signed": "Every participant signed the release",
}

# What field validators check, as regular expressions a form can test before
# the schema sees the value (the same language in Python and JavaScript).
FORM_PATTERNS: dict[str, str] = {
    "id": STORY_ID.pattern,
    "chapters.start": TIMECODE_PATTERN,
    "quote.start": TIMECODE_PATTERN,
    "quote.end": TIMECODE_PATTERN,
}


def did_you_mean(name: str, options) -> str:
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


# Help for the fields inside a list item or a mapping, for "is missing".
PART_HELP: dict[tuple[str, str], str] = {
    ("approval", "approved_by"): "the name of the editor who approved it",
    ("approval", "approved_on"): "the day it was approved, as YYYY-MM-DD",
    ("approval", "releases_signed"): "true once every participant has signed "
    "the release (false until then)",
    ("participants", "name"): "the person's name",
    ("location", "name"): "the place, like 'Tulsa, Oklahoma'",
    ("chapters", "start"): "when the chapter starts in the audio, like 4:05",
    ("chapters", "title"): "the chapter's title",
    ("participants", "description"): "a few words about them: job, town, like "
    "retired teacher, Tulsa, Oklahoma",
    ("location", "geo"): "two numbers, latitude then longitude, like 36.15 and "
    "-95.99 (optional)",
    ("location", "country"): "the two-letter country code, like US",
    ("chapters", "question"): "the question of the conversation guide it "
    "answers, if any",
    ("quote", "start"): "when the quote starts in the audio, like 4:05",
    ("quote", "end"): "when it ends, like 4:40: 15 seconds to 2 minutes later",
    ("quote", "text"): "the words said, as in the transcript (at most 300 characters)",
}

# Where a cross-field problem points when its own field is not written yet.
_LINE_INSTEAD = {"image_alt": ("image",)}

# List items editors count from 1, named by what they hold.
_ITEM_NAMES = {
    "chapters": ("chapter", "title"),
    "participants": ("participant", "name"),
}


def describe_errors(
    error: pydantic.ValidationError, known_fields, data: dict | None = None
) -> list[dict]:
    """Turn pydantic's errors into (loc, field, message, fix) for editors.

    ``data`` (the front matter as read) names list items in messages:
    ``chapters.3.start`` is "chapter 4 ('Where we grew up')". Each item may
    carry ``line_loc``, the field whose line to show when ``loc`` has none."""
    out = []
    # A value that is neither a date nor a date-time fails both; say it once.
    seen_union: set[tuple] = set()
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        if loc and loc[-1] in ("date", "datetime") and len(loc) > 1:
            if loc[:-1] in seen_union:
                continue
            seen_union.add(loc[:-1])
            loc = loc[:-1]
        field = ".".join(str(part) for part in loc) or "front matter"
        top = str(loc[0]) if loc else ""
        kind = item["type"]
        message = item["msg"].removeprefix("Value error, ")
        line_loc = loc
        if kind == "extra_forbidden":
            hint = did_you_mean(str(loc[-1]), _fields_at(loc[:-1], known_fields))
            message = "is not a field we know"
            fix = hint or "remove it, or move private notes under 'staff:'"
        elif kind == "missing":
            message = "is required but missing"
            leaf = str(loc[-1])
            if len(loc) > 1:
                help_text = PART_HELP.get((top, leaf), "")
                parent = ".".join(str(part) for part in loc[:-1])
                fix = f"add '{leaf}:' under '{parent}:'" + (
                    f", {help_text}" if help_text else ""
                )
            else:
                fix = f"add {field}: {FIELD_HELP.get(top, '')}".rstrip(": ")
        elif kind == "editor_fixable":
            fix = item["ctx"]["fix"]
            if not loc and ": " in message:
                field, message = message.split(": ", 1)
                loc = line_loc = (field,)
        elif (
            kind == "string_too_short" and item.get("ctx", {}).get("min_length") == 1
        ) or (item.get("input") is None and len(loc) >= 1):
            # Left blank ("title:" and nothing after it).
            message = "is empty"
            fix = f"write {_help(loc, 'its value (see content/README.md)')}"
        elif kind == "string_too_long":
            most = item.get("ctx", {}).get("max_length")
            message = f"is {len(str(item.get('input', '')))} characters long"
            fix = f"shorten it to {most} characters at most"
        elif kind in ("bool_parsing", "bool_type"):
            message = f"'{item.get('input')}' is not true or false"
            fix = f"write {_help(loc, 'true or false')}"
        elif kind == "string_pattern_mismatch":
            # pydantic names the regular expression, which editors cannot read.
            message = f"'{item.get('input')}' is not in the form this field takes"
            fix = f"write {_help(loc, 'it as content/README.md shows')}"
        elif kind in ("int_parsing", "int_type", "int_from_float"):
            message = f"'{item.get('input')}' is not a whole number"
            fix = f"write {_help(loc, 'a whole number, like 2')}"
        else:
            # Cross-field checks name their own field at the start.
            if not loc and ": " in message:
                field, message = message.split(": ", 1)
                top = field.split(".")[0]
                loc = line_loc = (field,)
            fix = FIELD_HELP.get(top, "see content/README.md")
            named = [part for part in loc if isinstance(part, str)]
            if len(named) > 1 and (named[0], named[-1]) in PART_HELP:
                # The part's own help ("when the chapter starts..."), not the
                # whole list's ("a list of chapters, each with 'start:'...").
                fix = f"write {PART_HELP[(named[0], named[-1])]}"
            if kind == "literal_error":
                written = item.get("input")
                if isinstance(written, str) and written.strip().lower() in [
                    str(option).strip("'") for option in _literal_options(item)
                ]:
                    message = f"'{written}' must be written in lowercase"
                else:
                    message = f"'{written}' is not one of the choices"
                options = ", ".join(o.strip("'") for o in _literal_options(item))
                fix = f"use {FIELD_HELP.get(top, 'one of: ' + options)}"
            elif kind == "list_type":
                message = "is not a list"
        if len(loc) == 1 and loc[0] in _LINE_INSTEAD and loc[0] not in (data or {}):
            line_loc = _LINE_INSTEAD[loc[0]]
        message = _name_item(loc, data) + message
        out.append(
            {
                "loc": loc,
                "line_loc": line_loc,
                "field": field,
                "message": message,
                "fix": fix,
            }
        )
    return out


# The times an editor writes, as field paths in the front matter.
_TIMES = (("chapters", "start"), ("quote", "start"), ("quote", "end"))
_DECIMAL = re.compile(r"\s*(\d+)\.(\d+)\s*")


def decimal_time_warnings(data: dict) -> list[dict]:
    """Times written as a decimal number ("1.30"), which are read as seconds.

    Editors who write one almost always mean minutes and seconds (1:30), and
    the schema cannot tell: 1.3 seconds is a valid time. So it is a warning,
    with both readings, described as ``describe_errors`` describes errors.
    A time with a colon ("0:01.3") says what it means and is not warned of
    (``portal.frontmatter`` reads it as text, not as YAML 1.1's base 60)."""
    found = []
    for top, leaf in _TIMES:
        value = data.get(top)
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            written = _decimal(item.get(leaf))
            if written is None:
                continue
            loc = (top, index, leaf) if top == "chapters" else (top, leaf)
            whole, fraction = written.split(".")
            seconds = f"{float(written):g}"
            as_seconds = f"{format_timecode(float(written))}.{fraction.rstrip('0')}"
            found.append(
                {
                    "loc": loc,
                    "line_loc": loc,
                    "field": ".".join(str(part) for part in loc),
                    "message": _name_item(loc, data)
                    + f"{leaf} is a decimal number, read as {seconds} seconds",
                    "fix": f"{_as_minutes(whole, fraction)}; for {seconds} seconds,"
                    f" write {as_seconds}",
                }
            )
    return found


def date_order_warnings(story: Story) -> list[dict]:
    """Days that come before the recording: an approval (a story is
    approved once it is recorded and the releases are signed) or the day it
    goes public. Most likely a wrong year; a warning, as ``describe_errors``
    describes errors."""
    recorded = _day(story.date)
    approved = story.approval.approved_on if story.approval else None
    found = []
    for loc, what, day in (
        (("approval", "approved_on"), "approved on", approved),
        (("published",), "set to go public on", _day(story.published)),
    ):
        if day is None or day >= recorded:
            continue
        found.append(
            {
                "loc": loc,
                "line_loc": loc,
                "field": ".".join(loc),
                "message": f"the story is {what} {day.isoformat()}, before the "
                f"conversation was recorded ({recorded.isoformat()})",
                "fix": "check the day and the year; if the recording date is "
                "wrong, correct date: instead",
            }
        )
    return found


def _day(value) -> datetime.date | None:
    """A date or a date-time's day."""
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _decimal(value) -> str | None:
    """``value`` as digits, if it is a decimal number with a fraction."""
    if isinstance(value, float) and not value.is_integer():
        text = repr(value)  # YAML's 1.30 arrives as 1.3
    elif isinstance(value, str):
        text = value.strip()
    else:
        return None
    match = _DECIMAL.fullmatch(text)
    if not match or not match.group(2).strip("0"):
        return None
    return text


def _as_minutes(whole: str, fraction: str) -> str:
    """The fix for minutes and seconds: "1.3" as 1:30, when the digits after
    the point can be seconds (and the minutes are not hours)."""
    if int(whole) < 60 and len(fraction) <= 2 and int(fraction.ljust(2, "0")) < 60:
        meant = format_timecode(int(whole) * 60 + int(fraction.ljust(2, "0")))
        return f"if you meant {meant}, write {meant}"
    return "for minutes and seconds, write them with a colon, like 4:05"


def _help(loc: tuple, otherwise: str) -> str:
    """What to write in the story's field at ``loc``, for a fix; else
    ``otherwise``."""
    named = [part for part in loc if isinstance(part, str)]
    if len(named) > 1 and (named[0], named[-1]) in PART_HELP:
        return PART_HELP[(named[0], named[-1])]
    return FIELD_HELP.get(named[0] if named else "", otherwise)


def _literal_options(item: dict) -> list[str]:
    expected = item.get("ctx", {}).get("expected", "")
    return [part.strip() for part in re.split(r",| or ", expected) if part.strip()]


def _name_item(loc: tuple, data: dict | None) -> str:
    """ "chapter 4 ('Title'): " for ("chapters", 3, ...): counted from 1."""
    if len(loc) < 2 or loc[0] not in _ITEM_NAMES or not isinstance(loc[1], int):
        return ""
    noun, label_key = _ITEM_NAMES[loc[0]]
    name = f"{noun} {loc[1] + 1}"
    items = (data or {}).get(loc[0])
    if isinstance(items, list) and loc[1] < len(items):
        entry = items[loc[1]]
        label = entry.get(label_key) if isinstance(entry, dict) else None
        if isinstance(label, str) and label.strip():
            name += f" ('{label.strip()}')"
    return f"{name}: "


def field_in_words(field: str) -> str:
    """A problem's field as an editor counts: ``chapters.1.start`` is
    "chapter 2's start", ``topics.0`` "topic 1". Said alone (why a story is
    held back), the dotted path reads as chapter 1."""
    parts = field.split(".")
    if len(parts) < 2 or not parts[1].isdigit():
        return field
    noun = _ITEM_NAMES.get(parts[0], (parts[0].removesuffix("s"),))[0]
    item = f"{noun} {int(parts[1]) + 1}"
    rest = ".".join(parts[2:])
    return f"{item}'s {rest}" if rest else item


def _fields_at(loc: tuple, known_fields) -> list[str]:
    models = {
        "participants": Participant,
        "location": Location,
        "chapters": Chapter,
        "quote": Quote,
        "approval": Approval,
    }
    named = [part for part in loc if isinstance(part, str)]
    if named and named[0] in models:
        return list(models[named[0]].model_fields)
    return list(known_fields)
