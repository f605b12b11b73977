"""The editing UI's configuration (Decap CMS ``config.yml``), made from the schemas.

Every story field comes from ``portal.schema.Story`` with its label
(``FIELD_LABELS``), help (``FIELD_HELP``; ``FORM_HELP`` here where that help
is about writing the YAML), required flag, choices (``Literal`` types, the
guide's questions, the topics in use) and patterns (length limits,
``Field(pattern=)`` and ``FORM_PATTERNS`` for what validators check), and
with ``checks`` for what one pattern cannot say (``story_checks``; done by
``admin/portal-cms.js``). Each pattern and check carries the message ``./dev
check`` gives for a value that breaks it, made by validating such a value
against the schema and formatting pydantic's error with ``describe_errors``,
so the form and the check say the same words and fix.

Campaign pages come from ``PageFrontMatter`` and the data files from their
plugins' models (funders, forms, podcast) the same way.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import operator
import re
import types
import typing
from typing import Any, Literal

import annotated_types
import pydantic
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from portal import mime, schema
from portal.newstory import ID_PREFIX
from portal.schema import (
    FIELD_HELP,
    FIELD_LABELS,
    FORM_PATTERNS,
    PART_HELP,
    PART_LABELS,
    Story,
)

# Fields a form cannot edit as fields: kept as they are in the file (a
# ``hidden`` widget round-trips the value), edited in the file itself.
KEPT_AS_WRITTEN = {"staff"}

# What the story's files are: Decap's file and image widgets upload them into
# the story's own folder (``media_folder: ''``) and store the file's name.
STORY_WIDGETS: dict[str, dict] = {
    "summary": {"widget": "text"},
    "audio": {"widget": "file", "choose_url": False},
    "transcript": {"widget": "file", "choose_url": False},
    "image": {"widget": "image", "choose_url": False},
}

# A value that breaks each kind of constraint, validated to get the message.
_TOO_LONG = "x"


@dataclasses.dataclass
class Choices:
    """Choices that come from the content rather than the schema."""

    questions: list[tuple[str, str]]  # (key, question) of questions.yml
    topics: list[str]  # topics stories use
    next_id: str  # the id a new story gets (as ./dev new-story makes it)


# -- building blocks -----------------------------------------------------


def _unwrap_optional(annotation) -> tuple[Any, bool]:
    """(the type inside ``X | None``, whether None was allowed)."""
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        rest = [arg for arg in args if arg is not type(None)]
        inner = rest[0] if len(rest) == 1 else functools.reduce(operator.or_, rest)
        return inner, True
    return annotation, False


def _is_date(annotation) -> bool:
    options = typing.get_args(annotation) or (annotation,)
    return any(option in (datetime.date, datetime.datetime) for option in options)


def _constraints(info: FieldInfo) -> dict:
    """min_length, max_length, pattern, ge of a field, from its metadata."""
    out = {}
    for item in info.metadata:
        if isinstance(item, annotated_types.MinLen):
            out["min_length"] = item.min_length
        elif isinstance(item, annotated_types.MaxLen):
            out["max_length"] = item.max_length
        elif isinstance(item, annotated_types.Ge):
            out["ge"] = item.ge
        elif getattr(item, "pattern", None):
            out["pattern"] = item.pattern
    return out


# One character as the schema counts it: a pattern without JavaScript's "u"
# flag sees a character outside the Basic Multilingual Plane (an emoji) as
# two, so a pair of surrogates is matched as one. The three alternatives
# never match at the same place (a pair is only ever one character), or a
# text of many emoji would take a browser minutes to refuse.
_CHAR = (
    r"(?:[\uD800-\uDBFF][\uDC00-\uDFFF]"
    r"|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|[^\uD800-\uDBFF])"
)


def length_pattern(min_length: int | None, max_length: int | None) -> str:
    """A regular expression for a text's length as the schema counts it: the
    spaces around it taken off (``str_strip_whitespace``), any characters
    inside, newlines too.

    A blank value passes when at most one character is needed: the form
    says a blank required field is missing (``portal-cms.js``), and leaves
    out a blank optional one, as the check does."""
    low = min_length or 0
    high = "" if max_length is None else str(max_length)
    text = rf"(?=\S){_CHAR}{{{max(low, 1)},{high}}}(?<=\S)"
    if low <= 1:
        text = f"(?:{text})?"
    return rf"^\s*{text}\s*$"


def _sample_breaking(constraints: dict, pattern: str | None) -> str:
    """A text that breaks the constraint, to ask the schema what it says."""
    if "max_length" in constraints:
        return _TOO_LONG * (constraints["max_length"] + 1)
    for candidate in ("wrong!", "X", "x x", "?" * 3):
        if pattern and not re.search(pattern, candidate):
            return candidate
    raise ValueError(f"no sample breaks the pattern {pattern!r}")


# -- messages from the schema ---------------------------------------------


def _minimal_story() -> dict:
    """A story the schema accepts, to change one field of at a time."""
    return {
        "id": "oss-2019-0001",
        "title": "A title",
        "date": datetime.date(2019, 10, 12),
        "participants": [{"name": "Ada"}, {"name": "Ben"}],
        "relationship": "strangers",
        "audio": "conversation.mp3",
        "location": {"name": "Tulsa, Oklahoma"},
        "chapters": [{"start": "0:00", "title": "Start"}],
        "quote": {"start": "0:00", "end": "0:20", "text": "Words"},
        "approval": {
            "approved_by": "Jamie",
            "approved_on": datetime.date(2019, 11, 1),
            "releases_signed": True,
        },
    }


def _set(data: dict, path: tuple, value) -> dict:
    """A copy of ``data`` with the field at ``path`` (keys and list indexes) set."""
    import copy

    out = copy.deepcopy(data)
    target = out
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return out


# "chapter 2 ('Title'): " before a list item's message, in the check.
_ITEM_PREFIX = re.compile(r"^[a-z]+ \d+(?: \('[^']*'\))?: ")


def form_message(text: str, value) -> str:
    """The check's words for the form: the value it quotes is "This" there
    (a form's message is fixed, whatever was typed), the list item it names
    is the one the message is shown in, the first letter a capital."""
    text = _ITEM_PREFIX.sub("", text)
    for quoted in (f"'{value}'", repr(value)):
        text = text.replace(quoted, "This", 1)
    return text[0].upper() + text[1:]


def story_message(dotted: str, value) -> str:
    """What ``./dev check`` says about ``value`` in field ``dotted``: "message - fix".

    ``dotted`` is a field path as in config (``chapters.start``); list fields
    are tried at their first item."""
    path: list = []
    for part in dotted.split("."):
        path.append(part)
        if part in ("participants", "chapters"):
            path.append(0)
    return _check_says(_set(_minimal_story(), tuple(path), value), tuple(path), value)


def _check_says(data: dict, loc: tuple, value=None) -> str:
    """What ``./dev check`` says about the field at ``loc`` of the story
    ``data`` (changes to a minimal one, or a whole one), in the form's words."""
    data = {**_minimal_story(), **data}
    try:
        Story.model_validate(data)
    except pydantic.ValidationError as error:
        problems = schema.describe_errors(error, Story.model_fields, data)
        for problem in problems:
            if [str(p) for p in problem["loc"]] == [str(p) for p in loc]:
                return form_message(f"{problem['message']} - {problem['fix']}", value)
        raise ValueError(
            f"the schema's message for {loc} is not about it: {problems}"
        ) from error
    raise ValueError(f"the schema accepts {value!r} at {loc}; no message to give")


def _template(text: str, pieces: dict[str, str]) -> str:
    """``text`` with each sample piece in it put as a {placeholder}, for
    portal-cms.js to fill in with the value typed."""
    for piece, placeholder in pieces.items():
        if piece not in text:
            raise ValueError(f"{piece!r} is not in the schema's message {text!r}")
        text = text.replace(piece, placeholder)
    return text


# -- checks beyond one pattern (portal-cms.js does them) --------------------
#
# A field's ``checks`` are what Decap's one pattern cannot say: a second or
# third rule with its own message, what depends on other fields (a block
# filled in half, a picture without its description, chapters that do not
# go up) and a new story's id. Every message is what ./dev check says for a
# sample that breaks the rule; where the check's words hold the value, they
# are a template portal-cms.js fills in with the value typed.

# What parse_timecode accepts of what TIMECODE_PATTERN's shape lets through:
# seconds under 60, and minutes under 60 after hours.
TIME_UNDER_SIXTY = (
    r"^\s*(?:\d+(?:\.\d+)?|\d+:[0-5]?\d:[0-5]?\d(?:\.\d+)?"
    r"|\d{1,2}:[0-5]?\d(?:\.\d+)?)\s*$"
)
# A decimal number with a fraction, which the check warns is read as seconds
# (schema.decimal_time_warnings): the form has no warnings, so it refuses
# one and says how to write what was meant (0:01.3 for 1.3 seconds).
DECIMAL_TIME = r"^\s*\d+\.\d*[1-9]\d*\s*$"
# What Decap can name a new story's folder after (the title, as ASCII, its
# accents taken off): a letter or a digit. A title without one would save
# the story as content/stories/story.md, in no folder of its own.
NAMES_A_FOLDER = r"[A-Za-z0-9\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]"
NO_FOLDER_NAME = (
    "This has no letter or digit to name the story's folder after - write the "
    "title with at least one letter or digit: a new story's folder and web "
    "address are made from it"
)
# Written at every build beside config.yml: the id a new story gets, for a
# form opened before the last story was saved (the page is not reloaded).
NEXT_ID_FILE = "next-id.json"
# The ids ./dev new-story numbers (portal.newstory.new_id): the next one is
# one more than the largest number of any year.
NEXT_ID_PATTERN = rf"^{ID_PREFIX}-\d{{4}}-(\d+)$"
# A new story's id that a story saved or opened in this window has (the
# check's "the id ... is also used by ..."; {next} is the next free one).
ANOTHER_STORYS_ID = (
    "This is the id of another story saved or opened here - give each story its "
    "own id, like {next}"
)


def _time_data(dotted: str, value) -> dict:
    top, leaf = dotted.split(".")
    if top == "chapters":
        return {"chapters": [{"start": value, "title": "Start"}]}
    quote = {"start": "0:00", "end": "0:20", "text": "Words"}
    quote[leaf] = value
    return {"quote": quote}


def _decimal_templates(dotted: str) -> dict[str, str]:
    """The check's warning for a decimal time, as templates: "meant" when the
    digits can be minutes and seconds (1.30 is 1:30), "other" when not."""
    top, leaf = dotted.split(".")
    out = {}
    for key, sample, pieces in (
        ("meant", "1.30", {"0:01.3": "{as_seconds}", "1:30": "{meant}"}),
        ("other", "75.30", {"1:15.3": "{as_seconds}"}),
    ):
        seconds = f"{float(sample):g} seconds"
        (warning,) = [
            w
            for w in schema.decimal_time_warnings(_time_data(dotted, sample))
            if w["loc"][0] == top and w["loc"][-1] == leaf
        ]
        text = form_message(f"{warning['message']} - {warning['fix']}", sample)
        out[key] = _template(text, {**pieces, seconds: "{seconds} seconds"})
    return out


def _time_checks(dotted: str) -> list[dict]:
    return [
        {
            "kind": "rule",
            "regex": TIME_UNDER_SIXTY,
            "message": story_message(dotted, "1:60"),
        },
        {
            "kind": "decimal_time",
            "refuse": DECIMAL_TIME,
            "templates": _decimal_templates(dotted),
        },
    ]


def _quote_length_check() -> dict:
    """The quote's length (podcast:soundbite), checked at its end."""
    shortest, longest = schema.SOUNDBITE_SECONDS
    short = {"start": "0:00", "end": "0:05", "text": "Words"}
    before = {"start": "0:10", "end": "0:05", "text": "Words"}
    return {
        "kind": "duration",
        "block": "quote",
        "start": "start",
        "min": shortest,
        "max": longest,
        "templates": {
            "long": _template(
                _check_says({"quote": short}, ("quote",)),
                {
                    "(0:00 to 0:05)": "({start} to {end})",
                    "is 5 seconds": "is {length} seconds",
                },
            ),
            "before": _template(
                _check_says({"quote": before}, ("quote",)),
                {
                    "(0:10 to 0:05)": "({start} to {end})",
                    "ends at 0:05": "ends at {end}",
                },
            ),
        },
    }


def story_checks(next_id_pattern: str) -> dict[str, list[dict]]:
    """The story form's checks, by dotted field."""
    out: dict[str, list[dict]] = {
        "id": [
            {
                "kind": "next_id",
                "url": NEXT_ID_FILE,
                "numbered": next_id_pattern,
                "message": ANOTHER_STORYS_ID,
            }
        ],
        "title": [
            {
                "kind": "rule",
                "regex": NAMES_A_FOLDER,
                "message": NO_FOLDER_NAME,
                "new_only": True,
            }
        ],
        "image_alt": [
            {
                "kind": "needed_with",
                "field": "image",
                "message": _check_says({"image": "portrait.jpg"}, ("image_alt",)),
            }
        ],
        "participants.name": [
            {
                "kind": "unique",
                "list": "participants",
                "message": _check_says(
                    {"participants": [{"name": "Ada"}, {"name": "Ada"}]},
                    ("participants",),
                ),
            }
        ],
    }
    for dotted in ("chapters.start", "quote.start", "quote.end"):
        out[dotted] = _time_checks(dotted)
    out["chapters.start"].append(
        {
            "kind": "increasing",
            "list": "chapters",
            "message": _check_says(
                {
                    "chapters": [
                        {"start": "0:20", "title": "Later"},
                        {"start": "0:10", "title": "Sooner"},
                    ]
                },
                ("chapters",),
            ),
        }
    )
    out["quote.end"].append(_quote_length_check())
    return out


def model_message(model: type[BaseModel], name: str, value, help_text: dict) -> str:
    """What a data file's check says about ``value`` in field ``name``."""
    field = model.model_fields[name]
    adapter = pydantic.TypeAdapter(typing.Annotated[field.annotation, field])
    try:
        adapter.validate_python(value)
    except pydantic.ValidationError as error:
        message = error.errors(include_url=False)[0]["msg"]
        message = message.removeprefix("Value error, ")
        fix = help_text.get(name, "")
        return form_message(f"{message} - {fix}" if fix else message, value)
    raise ValueError(f"{model.__name__}.{name} accepts {value!r}; no message to give")


# -- pydantic model -> Decap fields ---------------------------------------


@dataclasses.dataclass
class Describe:
    """How to label, explain and message the fields of one kind of file."""

    label: typing.Callable[[str], str]
    hint: typing.Callable[[str], str]
    message: typing.Callable[[str, Any, type[BaseModel], str], str]
    overrides: dict[str, dict]  # dotted field -> Decap keys to set
    patterns: dict[str, str]  # dotted field -> validator's pattern
    kept: set[str]


def _pattern_entry(
    describe: Describe, dotted: str, model, name: str, info: FieldInfo, kind
) -> list | None:
    """Decap's ``pattern: [regex, message]`` for a text field, if it has one."""
    if kind is not str:
        return None
    constraints = _constraints(info)
    regex = describe.patterns.get(dotted) or constraints.get("pattern")
    if regex is None and "max_length" in constraints:
        most = constraints["max_length"]
        regex = length_pattern(constraints.get("min_length"), most)
        message = describe.message(dotted, _TOO_LONG * (most + 1), model, name)
        return [regex, too_long_message(message, most)]
    if regex is None:
        return None
    return [regex, describe.message(dotted, _sample_breaking({}, regex), model, name)]


def too_long_message(message: str, most: int) -> str:
    """The check's "is 601 characters long" for a text of 601, in words true
    of any text too long: a form's message is fixed, whatever was typed."""
    said = f"{most + 1} characters long"
    return message.replace(said, f"more than {most} characters long", 1)


def model_fields(model: type[BaseModel], describe: Describe, prefix: str = "") -> list:
    """Decap fields for every field of ``model``, in the model's order."""
    out = []
    for name, info in model.model_fields.items():
        dotted = f"{prefix}{name}"
        out.append(field_config(model, name, info, describe, dotted))
    return out


def field_config(model, name: str, info: FieldInfo, describe: Describe, dotted: str):
    kind, _optional = _unwrap_optional(info.annotation)
    if dotted in describe.patterns:
        kind = str  # a validator reads the text (a time code, an id)
    field: dict = {
        "name": name,
        "label": describe.label(dotted),
        "required": info.is_required(),
    }
    hint = describe.hint(dotted)
    if hint:
        field["hint"] = hint[0].upper() + hint[1:] + "."
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if dotted in describe.kept:
        field["widget"] = "hidden"
        field["required"] = False
    elif origin is Literal:
        field["widget"] = "select"
        field["options"] = list(args)
        if not info.is_required() and info.default is not None:
            field["default"] = info.default
    elif kind is bool:
        # No default: a switch left alone writes nothing (the schema's
        # default applies), so an empty approval block stays empty.
        field["widget"] = "boolean"
    elif kind is int:
        field.update(widget="number", value_type="int")
        constraints = _constraints(info)
        if "ge" in constraints:
            field["min"] = constraints["ge"]
    elif kind is float:
        field.update(widget="number", value_type="float")
    elif _is_date(kind):
        field.update(
            widget="datetime",
            format="YYYY-MM-DD",
            date_format="YYYY-MM-DD",
            time_format=False,
            picker_utc=True,
        )
    elif isinstance(kind, type) and issubclass(kind, BaseModel):
        field["widget"] = "object"
        field["fields"] = model_fields(kind, describe, prefix=f"{dotted}.")
        field["collapsed"] = False
        if not field["required"]:
            _optional_parts(field, top_level="." not in dotted)
    elif (
        origin is list
        and args
        and isinstance(args[0], type)
        and issubclass(args[0], BaseModel)
    ):
        field["widget"] = "list"
        field["fields"] = model_fields(args[0], describe, prefix=f"{dotted}.")
        constraints = _constraints(info)
        if "min_length" in constraints:
            field["min"] = constraints["min_length"]
        if "max_length" in constraints:
            field["max"] = constraints["max_length"]
        field["collapsed"] = False
    elif origin is list:
        field["widget"] = "list"
    elif origin is tuple and all(arg is float for arg in args):
        field.update(
            widget="list",
            field={
                "name": "value",
                "label": "Number",
                "widget": "number",
                "value_type": "float",
            },
            min=len(args),
            max=len(args),
        )
    elif origin is dict:
        field["widget"] = "hidden"
        field["required"] = False
    else:
        field["widget"] = "string"
        pattern = _pattern_entry(describe, dotted, model, name, info, kind)
        if pattern:
            field["pattern"] = pattern
    field.update(describe.overrides.get(dotted, {}))
    return field


def _optional_parts(field: dict, top_level: bool) -> None:
    """An optional block's parts are optional in the form.

    Decap CMS checks a block's required parts even when the whole block is
    left empty (a draft has no approval yet), so there they say in their
    help that they are needed once the block is filled in, and portal-cms.js
    checks that they are (``needed_in``): the schema, and so ``./dev
    check``, refuses a block filled in half. A switch among them is off
    until turned on, so in a block begun it is written as false
    (``false_in``) rather than left out, which the check would refuse."""
    for part in field["fields"]:
        if not part.get("required"):
            continue
        part["required"] = False
        if top_level:
            kind = "false_in" if part.get("widget") == "boolean" else "needed_in"
            checks = part.setdefault("checks", [])
            checks.insert(0, {"kind": kind, "block": field["name"]})
            if kind == "false_in":
                continue  # off is an answer: nothing more is needed
        note = f"Needed once any part of {field['label'].lower()} is filled in."
        part["hint"] = f"{part.get('hint', '')} {note}".strip()


# -- the stories ----------------------------------------------------------


# The form's hint where the schema's help is about writing the YAML
# ("in quotes if it contains a colon", "'start:'", "true or false",
# "YYYY-MM-DD"): in the form, quotes typed into the title would be part of
# the title, a switch is on or off and a date is picked.
FORM_HELP: dict[str, str] = {
    "title": "the story's title, 200 characters at most; a new story's folder, "
    "and so its web address, is named after it",
    "date": "the day it was recorded",
    "published": "the day it goes public (a future day holds it back until "
    "then); left empty, it goes public once approved, and podcast apps date it "
    "by its approval",
    "participants": "at least two people: each one's name as the transcript "
    "gives it, and a few words about them",
    "location": "where it was recorded: the place, and if you like its latitude "
    "and longitude and its country",
    "chapters": "one for each question of the conversation: when it starts in "
    "the audio (like 4:05) and a title",
    "quote": "a moment podcast apps play as a preview and the page shows: when "
    "it starts and ends (like 4:05 and 4:40; 15 seconds to 2 minutes apart) and "
    "the words said",
    # Uploaded in the form, not named: no "in this folder".
    "audio": "the recording, uploaded into the story's own folder: MP3 (safest "
    "for every podcast app), M4A, Ogg, Opus, FLAC or WAV",
    "transcript": "the WebVTT transcript (.vtt), uploaded into the story's own "
    "folder; each turn names its speaker exactly as under Participants",
    "image": "a picture, uploaded into the story's own folder: "
    f"{mime.image_kinds()}, at most 20 MB and 40 million pixels (3000 pixels "
    "wide is plenty)",
    "image_alt": "what the picture shows, for people who cannot see it; needed "
    "once there is a picture",
    "featured": "on to show it on the home page",
    "approval": "who approved it and on what day, and whether every participant "
    "has signed the release",
    "explicit": "on only if the conversation has explicit language",
    "approval.approved_on": "the day it was approved",
    "approval.releases_signed": "on once every participant has signed the "
    "release (off until then)",
}


def _story_label(dotted: str) -> str:
    return PART_LABELS.get(dotted) or FIELD_LABELS[dotted]


def _story_hint(dotted: str) -> str:
    if dotted in FORM_HELP:
        return FORM_HELP[dotted]
    if "." in dotted:
        return PART_HELP.get(tuple(dotted.split(".", 1)), "")
    return FIELD_HELP.get(dotted, "")


def _topics_hint(topics: list[str]) -> str:
    hint = "Topics, separated by commas, like: faith, family"
    if topics:
        hint += ". In use: " + ", ".join(sorted(topics, key=str.lower))
    return hint + "."


def story_fields(choices: Choices) -> list[dict]:
    """The story form: every field of ``portal.schema.Story``, then the body."""
    question_options = [
        {"label": text, "value": key} for key, text in choices.questions
    ]
    overrides: dict[str, dict] = {
        dotted: {"checks": checks}
        for dotted, checks in story_checks(NEXT_ID_PATTERN).items()
    }
    for dotted, widget in STORY_WIDGETS.items():
        overrides.setdefault(dotted, {}).update(widget)
    overrides["id"]["default"] = choices.next_id
    overrides |= {
        "relationship": {
            "options": [
                {"label": label, "value": key}
                for key, label in schema.RELATIONSHIPS.items()
            ]
        },
        # A list an editor types into (comma-separated), not a choice among
        # the topics in use: a story may bring a new topic. The ones in use
        # are named under the field, to be reused as they are written.
        "topics": {"widget": "list", "hint": _topics_hint(choices.topics)},
        "chapters.question": {"widget": "select", "options": question_options},
        "participants": {"label_singular": "participant", "summary": "{{fields.name}}"},
        "chapters": {
            "label_singular": "chapter",
            "summary": "{{fields.start}} {{fields.title}}",
        },
    }
    describe = Describe(
        label=_story_label,
        hint=_story_hint,
        message=lambda dotted, value, _model, _name: story_message(dotted, value),
        overrides=overrides,
        patterns=FORM_PATTERNS,
        kept=KEPT_AS_WRITTEN,
    )
    fields = model_fields(Story, describe)
    fields.append(
        {
            "name": "body",
            "label": "Introduction",
            "widget": "markdown",
            "required": False,
            "hint": "A paragraph or two introducing the conversation. It appears "
            "on the story's page and in the podcast episode's notes.",
        }
    )
    return fields


# -- campaign pages and data files ----------------------------------------


def _plain_describe(help_text: dict, model_of: dict, overrides=None) -> Describe:
    """Labels from field names, help from a plugin's HELP dict."""

    def last(dotted: str) -> str:
        return dotted.rsplit(".", 1)[-1]

    def message(dotted, value, model, name):
        return model_message(model, name, value, help_text)

    return Describe(
        label=lambda dotted: last(dotted).replace("_", " ").capitalize(),
        hint=lambda dotted: help_text.get(dotted, help_text.get(last(dotted), "")),
        message=message,
        overrides=overrides or {},
        patterns={},
        kept=set(),
    )


def page_fields() -> list[dict]:
    from portal.schema import PageFrontMatter

    help_text = {
        "title": "the page's title",
        "summary": "a sentence for search results and sharing",
        "slug": "the web address: slug about is /about/; never change it once public",
        "template": "keep the template the page has (guide, funders, privacy and "
        "sign-up pages add their lists and forms below the text)",
        "menu": "a number: pages with one appear in the navigation, in that order",
        "menu_title": "a shorter name for the menu, like Guide",
        "status": "published, hidden (no menu entry) or draft",
    }
    describe = _plain_describe(help_text, {})
    fields = model_fields(PageFrontMatter, describe)
    fields.append({"name": "body", "label": "Text", "widget": "markdown"})
    return fields


def funders_fields() -> list[dict]:
    from funders.data import HELP, FundersFile

    describe = _plain_describe(
        HELP,
        {},
        overrides={
            "funders.logo": {
                "widget": "image",
                "choose_url": False,
                "media_folder": "{content}/data/funders",
                "public_folder": "funders",
            },
            "funders": {"summary": "{{fields.name}}"},
        },
    )
    return model_fields(FundersFile, describe)


def forms_fields() -> list[dict]:
    from signup_forms.config import HELP, FormConfig, FormsFile

    from portal.signup_fields import FORMS

    describe = _plain_describe(HELP, {})
    fields = [
        field_config(FormsFile, name, FormsFile.model_fields[name], describe, name)
        for name in ("privacy_page", "thank_you_page")
    ]
    fields.append(
        {
            "name": "forms",
            "label": "Forms",
            "widget": "object",
            "hint": HELP["forms"][0].upper() + HELP["forms"][1:] + ".",
            "fields": [
                {
                    "name": key,
                    "label": key.capitalize(),
                    "widget": "object",
                    "required": False,
                    "collapsed": True,
                    "fields": model_fields(FormConfig, describe),
                }
                for key in FORMS
            ],
        }
    )
    return fields


def podcast_fields() -> list[dict]:
    from podcast_feed.settings import FIELD_FIXES, PodcastData

    describe = _plain_describe(
        FIELD_FIXES,
        {},
        overrides={"description": {"widget": "text"}},
    )
    return model_fields(PodcastData, describe)


def _fill(value, content: str):
    """Put the content folder's path into "{content}" placeholders."""
    if isinstance(value, str):
        return value.replace("{content}", content)
    if isinstance(value, list):
        return [_fill(item, content) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, content) for key, item in value.items()}
    return value


# -- the whole configuration ----------------------------------------------


@dataclasses.dataclass
class Backend:
    """Where the editing UI saves: a GitHub repository, or the local backend."""

    repo: str = ""  # owner/name of the content repository on GitHub
    branch: str = "main"
    auth_url: str = ""  # the OAuth provider's base URL (see templates/content-repo)
    auth_endpoint: str = ""
    local_url: str = ""  # decap-server's API, for editing on this computer
    content_folder: str = "content"  # content/, relative to the repository


def make_config(backend: Backend, choices: Choices, site_url: str = "") -> dict:
    """Decap CMS's configuration, as ``config.yml`` holds it."""
    content = backend.content_folder.strip("/") or "."
    github: dict = {"name": "github", "repo": backend.repo or "OWNER/REPOSITORY"}
    github["branch"] = backend.branch
    if backend.auth_url:
        github["base_url"] = backend.auth_url
    if backend.auth_endpoint:
        github["auth_endpoint"] = backend.auth_endpoint
    config: dict = {"backend": github}
    if backend.local_url:
        config["local_backend"] = {"url": backend.local_url}
    config.update(
        {
            # Draft, in review, ready: one branch and pull request an entry
            # with the GitHub backend (the local backend saves directly).
            "publish_mode": "editorial_workflow",
            "locale": "en",
            "media_folder": f"{content}/images",
            "public_folder": "/images",
            "slug": {
                "encoding": "ascii",
                "clean_accents": True,
                "sanitize_replacement": "-",
            },
            "collections": [
                {
                    "name": "stories",
                    "label": "Stories",
                    "label_singular": "Story",
                    "description": "One folder a story: story.md, the audio, the "
                    "transcript and pictures. A story is public only when its "
                    "status is published and its approval is filled in, with "
                    "every release signed.",
                    "folder": f"{content}/stories",
                    "path": "{{slug}}/story",
                    "extension": "md",
                    "format": "yaml-frontmatter",
                    "create": True,
                    "slug": "{{slug}}",
                    "identifier_field": "title",
                    # "published" alone, where a release is not signed, would
                    # say public of a story the site holds back.
                    "summary": "{{title}} ({{date}}, {{status}}{{approval."
                    "releases_signed | ternary('', ', release not signed')}})",
                    "sortable_fields": ["date", "title"],
                    # Files go into the story's own folder, named as uploaded.
                    "media_folder": "",
                    "public_folder": "",
                    "fields": story_fields(choices),
                },
                {
                    "name": "pages",
                    "label": "Campaign pages",
                    "label_singular": "Page",
                    "folder": f"{content}/pages",
                    "extension": "md",
                    "format": "yaml-frontmatter",
                    "create": True,
                    "slug": "{{slug}}",
                    "fields": page_fields(),
                },
                {
                    "name": "data",
                    "label": "Funders, forms, podcast",
                    "description": "Saving here rewrites the file: the comments "
                    "at its top are not kept (each field's help is beside it).",
                    "files": [
                        {
                            "name": "funders",
                            "label": "Funders",
                            "file": f"{content}/data/funders.yml",
                            "format": "yml",
                            "fields": funders_fields(),
                        },
                        {
                            "name": "forms",
                            "label": "Sign-up forms",
                            "file": f"{content}/data/forms.yml",
                            "format": "yml",
                            "fields": forms_fields(),
                        },
                        {
                            "name": "podcast",
                            "label": "Podcast settings",
                            "file": f"{content}/data/podcast.yml",
                            "format": "yml",
                            "fields": podcast_fields(),
                        },
                    ],
                },
            ],
        }
    )
    if site_url:
        config["site_url"] = site_url
        config["display_url"] = site_url
    return _fill(config, content)
