"""The story schema and the messages editors get from it."""

from __future__ import annotations

import re

import pydantic
import pytest

from portal import checking, frontmatter
from portal.schema import (
    Story,
    date_order_warnings,
    decimal_time_warnings,
    describe_errors,
)
from portal.timecode import format_timecode, parse_timecode
from tests.stories import write_story
from tests.support import PROJECT_ROOT, copy_content, images_shared

VALID = """\
---
id: oss-2019-0042
title: "We grew up ten miles apart"
date: 2019-10-12
participants:
  - name: Ada Lopez
    description: retired teacher, Tulsa, Oklahoma
  - name: Ben Carter
relationship: strangers
location: Tulsa, Oklahoma
audio: conversation.mp3
chapters:
  - start: 0:00
    title: Where you grew up
    question: parents
  - start: 1:02:03
    title: What shaped your views
status: published
approval:
  approved_by: Editor
  approved_on: 2019-11-01
  releases_signed: true
staff:
  phone: 555-0100
---
Body **text**.
"""


def _problems(text: str) -> list[str]:
    matter = frontmatter.split(text)
    try:
        Story.model_validate(matter.data)
    except pydantic.ValidationError as error:
        return [
            f"{matter.line_of(item['loc'])}: {item['field']}: {item['message']} - "
            f"{item['fix']}"
            for item in describe_errors(error, Story.model_fields)
        ]
    return []


def test_a_complete_story_validates():
    matter = frontmatter.split(VALID)
    story = Story.model_validate(matter.data)
    assert story.participant_names == ["Ada Lopez", "Ben Carter"]
    assert story.location.name == "Tulsa, Oklahoma"
    assert [c.start for c in story.chapters] == [0, 3723]
    assert story.relationship_label == "Strangers matched by One Small Step"
    assert matter.body == "Body **text**.\n"
    assert matter.body_line == 26


def test_unknown_field_suggests_the_right_name():
    text = VALID.replace("relationship: strangers", "relationshp: strangers")
    problems = _problems(text)
    assert (
        "9: relationshp: is not a field we know - did you mean 'relationship'?"
        in problems
    )
    assert any(
        p.startswith("2: relationship: is required but missing") for p in problems
    )


def test_wrong_choice_lists_the_allowed_values():
    problems = _problems(
        VALID.replace("relationship: strangers", "relationship: rivals")
    )
    assert problems == [
        "9: relationship: 'rivals' is not one of the choices - use one of: "
        "strangers, family, friends, colleagues, neighbors, acquaintances"
    ]


def test_nested_field_errors_point_at_their_line():
    problems = _problems(
        VALID.replace("releases_signed: true", "releases_signed: maybe")
    )
    assert len(problems) == 1
    assert problems[0].startswith(
        "22: approval.releases_signed: 'maybe' is not true or false - write true"
        " once every participant has signed the release (false until then)"
    )


def test_a_blank_field_is_one_not_written():
    """``summary:`` with nothing after it: an optional field takes its
    default; a required one is "empty", in words an editor knows."""
    blank = VALID.replace(
        'title: "We grew up ten miles apart"\n',
        'title: "We grew up ten miles apart"\nsummary:\nfeatured:\ntopics:\n',
    )
    assert _problems(blank) == []
    story = Story.model_validate(frontmatter.split(blank).data)
    assert (story.summary, story.featured, story.topics) == ("", False, [])
    assert _problems(VALID.replace("approved_by: Editor", "approved_by:")) == [
        "20: approval.approved_by: is empty - write the name of the editor who "
        "approved it"
    ]
    assert _problems(
        VALID.replace('title: "We grew up ten miles apart"', "title:")
    ) == [
        "3: title: is empty - write the story's title, in quotes if it contains a colon"
    ]


def test_a_title_too_long_says_how_long_it_is_and_may_be():
    title = ("We talked " * 25).strip()  # 249 characters
    assert _problems(VALID.replace("We grew up ten miles apart", title)) == [
        f"3: title: is {len(title.strip())} characters long - shorten it to 200 "
        "characters at most"
    ]


def test_a_time_without_zone_is_refused():
    problems = _problems(VALID.replace("date: 2019-10-12", "date: 2019-10-12 14:30:00"))
    assert problems[0].startswith("4: date: the time has no time zone")


def test_chapters_must_go_up():
    text = VALID.replace("start: 1:02:03", "start: 0:00")
    assert any("chapters: chapter start times must go up" in p for p in _problems(text))


QUOTE_FIX = "mark a moment of 15 seconds to 2 minutes: change 'start:' or 'end:'"


def _with_quote(lines: str) -> str:
    return VALID.replace("status: published", f"quote:\n{lines}status: published")


def test_a_marked_quote_is_read_with_its_times():
    text = _with_quote('  start: "1:00"\n  end: 1:45.5\n  text: "We both laughed."\n')
    story = Story.model_validate(frontmatter.split(text).data)
    assert (story.quote.start, story.quote.end) == (60.0, 105.5)
    assert story.quote.text == "We both laughed."


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        (
            '  start: "1:00"\n  end: "1:08"\n  text: Hi.\n',
            f"18: quote: the quote (1:00 to 1:08) is 8 seconds long; podcast apps"
            f" play 15 seconds to 2 minutes - {QUOTE_FIX}",
        ),
        (
            '  start: "1:00"\n  end: "3:30"\n  text: Hi.\n',
            f"18: quote: the quote (1:00 to 3:30) is 150 seconds long; podcast apps"
            f" play 15 seconds to 2 minutes - {QUOTE_FIX}",
        ),
        (
            '  start: "1:00"\n  end: "0:40"\n  text: Hi.\n',
            f"18: quote: the quote (1:00 to 0:40) ends at 0:40, before it starts;"
            f" podcast apps play 15 seconds to 2 minutes - {QUOTE_FIX}",
        ),
        (
            '  start: soon\n  end: "0:40"\n  text: Hi.\n',
            "19: quote.start: 'soon' is not a time like 4:05 or 1:02:03 - write"
            " when the quote starts in the audio, like 4:05",
        ),
        (
            '  start: "1:00"\n  end: "1:30"\n',
            "18: quote.text: is required but missing - add 'text:' under 'quote:',"
            " the words said, as in the transcript (at most 300 characters)",
        ),
    ],
)
def test_a_quote_podcast_apps_cannot_play_is_refused(lines, problem):
    assert _problems(_with_quote(lines)) == [problem]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("no front matter\n", "the file does not start with front matter", 1),
        ("---\ntitle: x\n", "the front matter has no closing --- line", 1),
        ("---\ntitle: [unclosed\nid: x\n---\n", "the YAML cannot be read", 3),
        ("---\n- a list\n---\n", "the front matter is not a list of fields", 1),
    ],
)
def test_unreadable_front_matter(text, message, line):
    with pytest.raises(frontmatter.FrontMatterError) as caught:
        frontmatter.split(text)
    assert caught.value.message.startswith(message)
    assert caught.value.line == line


def test_byte_order_mark_is_accepted():
    assert frontmatter.split("\ufeff" + VALID).data["id"] == "oss-2019-0042"


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("4:05", 245), ("1:02:03", 3723), ("0:07.5", 7.5), (90, 90), ("12", 12)],
)
def test_timecodes(value, seconds):
    assert parse_timecode(value) == seconds


@pytest.mark.parametrize("value", ["4:75", "abc", -3, "1:2:3:4", True])
def test_bad_timecodes(value):
    with pytest.raises(ValueError):
        parse_timecode(value)


def test_format_timecode():
    assert format_timecode(245.9) == "4:05"
    assert format_timecode(3723) == "1:02:03"


def test_a_tab_indenting_a_line_is_named_with_its_fix():
    text = VALID.replace("  approved_on: 2019-11-01", "\tapproved_on: 2019-11-01")
    with pytest.raises(frontmatter.FrontMatterError) as caught:
        frontmatter.split(text)
    assert (caught.value.line, caught.value.message, caught.value.fix) == (
        21,
        "the YAML cannot be read (a tab is used to indent it)",
        "replace the tab at the start of the line with spaces",
    )


@pytest.mark.parametrize(
    "written,why",
    [
        ("2026-13-01", "there is no month 13"),
        ("2026-11-31", "November 2026 has 30 days, not 31"),
        ("2019-02-29", "February 2019 has 28 days, not 29"),
    ],
)
def test_a_day_no_calendar_has_is_named_with_its_field(written, why):
    with pytest.raises(frontmatter.FrontMatterError) as caught:
        frontmatter.split(
            VALID.replace("approved_on: 2019-11-01", f"approved_on: {written}")
        )
    assert (caught.value.line, caught.value.field, caught.value.message) == (
        21,
        "approval.approved_on",
        f"'{written}' is not a day on the calendar ({why})",
    )


def test_a_date_either_way_round_asks_which_day_is_meant():
    """12/05/2026 is 5 December in the US and 12 May elsewhere: the fix must
    not pick one for the editor."""
    problems = _problems(VALID.replace("date: 2019-10-12", "date: 12/05/2026"))
    assert problems == [
        "4: date: '12/05/2026' is not a date in the form we read - write it as"
        " YYYY-MM-DD: 2026-12-05 for 5 December or 2026-05-12 for 12 May"
    ]
    problems = _problems(VALID.replace("date: 2019-10-12", "date: 25/12/2026"))
    assert problems[0].endswith("write it as YYYY-MM-DD, like 2026-12-25")


@pytest.mark.parametrize(
    "written,seconds,meant",
    [
        (
            "0.05",
            "0.05",
            "if you meant 0:05, write 0:05; for 0.05 seconds, write 0:00.05",
        ),
        ("1.30", "1.3", "if you meant 1:30, write 1:30; for 1.3 seconds, write 0:01.3"),
        (
            '"12.45"',
            "12.45",
            "if you meant 12:45, write 12:45; for 12.45 seconds, write 0:12.45",
        ),
        (
            "754.5",
            "754.5",
            "for minutes and seconds, write them with a colon, like 4:05;"
            " for 754.5 seconds, write 12:34.5",
        ),
    ],
)
def test_a_chapter_time_written_as_a_decimal_is_a_warning_with_both_readings(
    written, seconds, meant
):
    """YAML reads 1.30 as the number 1.3: 1.3 seconds, where the editor most
    likely meant a minute and a half. The story is valid either way, so the
    editor is warned, not stopped."""
    text = VALID.replace("  - start: 1:02:03", f"  - start: {written}")
    matter = frontmatter.split(text)
    Story.model_validate(matter.data)  # valid: a warning, not an error
    [warning] = decimal_time_warnings(matter.data)
    assert (matter.line_of(warning["loc"]), warning["field"], warning["message"]) == (
        16,
        "chapters.1.start",
        f"chapter 2 ('What shaped your views'): start is a decimal number, read as "
        f"{seconds} seconds",
    )
    assert warning["fix"] == meant
    # What the fix says to write is read as it says, and not warned of.
    for written_again in re.findall(r"write (\d[\d:.]*)", meant):
        fixed = frontmatter.split(
            VALID.replace("  - start: 1:02:03", f"  - start: {written_again}")
        )
        assert decimal_time_warnings(fixed.data) == []
        start = Story.model_validate(fixed.data).chapters[1].start
        assert start == parse_timecode(written_again)
    assert Story.model_validate(fixed.data).chapters[1].start == float(seconds)


@pytest.mark.parametrize(
    "written,seconds",
    [("0:05", 5), ("1:02:03", 3723), ("245", 245), ("0:01.3", 1.3), ('"90"', 90)],
)
def test_times_with_a_colon_or_whole_seconds_are_not_warned_of(written, seconds):
    matter = frontmatter.split(
        VALID.replace("  - start: 1:02:03", f"  - start: {written}")
    )
    assert decimal_time_warnings(matter.data) == []
    assert Story.model_validate(matter.data).chapters[1].start == seconds


def test_a_time_with_a_colon_is_text_not_yaml_base_60():
    """YAML 1.1 reads 1:30 as 90 and 0:01.3 as the decimal 1.3; the editing
    app's YAML (1.2) reads them as text. Front matter reads them as text too,
    and a title like 10:30 stays what it says."""
    data = frontmatter.split(
        "---\na: 1:30\nb: 0:01.3\nc: 10:30\nd: 1.5\ne: 12\n---\n"
    ).data
    assert data == {"a": "1:30", "b": "0:01.3", "c": "10:30", "d": 1.5, "e": 12}


def test_a_quote_written_in_decimals_is_warned_of_for_each_end():
    text = VALID.replace(
        "status: published",
        "quote:\n  start: 2.5\n  end: 3.05\n  text: Hi.\nstatus: published",
    )
    warnings = decimal_time_warnings(frontmatter.split(text).data)
    assert [(w["field"], w["message"]) for w in warnings] == [
        ("quote.start", "start is a decimal number, read as 2.5 seconds"),
        ("quote.end", "end is a decimal number, read as 3.05 seconds"),
    ]


def test_the_check_warns_of_a_decimal_chapter_time_and_publishes_the_story(tmp_path):
    """What an editor runs: ``./dev check`` names the file, the line, the
    field and both fixes, and the story is still published (a warning)."""
    content = copy_content(tmp_path / "content")
    write_story(
        content,
        "decimal-chapter",
        chapters=[{"start": "0:00", "title": "Hello"}, {"start": 0.3, "title": "On"}],
    )
    with images_shared(tmp_path / "cache"):  # the run's pictures and logos
        result = checking.check_content(
            PROJECT_ROOT / "publishconf.py",
            content_path=content,
            overrides={
                "CACHE_PATH": str(tmp_path / "cache"),
                "OUTPUT_PATH": str(tmp_path / "output"),
            },
        )
    story_md = tmp_path / "content/stories/decimal-chapter/story.md"
    assert story_md.read_text().splitlines()[29] == "- start: 0.3"
    assert [str(p) for p in result.warnings if "stories/" in p.path] == [
        "content/stories/decimal-chapter/story.md:30: chapters.1.start: chapter 2"
        " ('On'): start is a decimal number, read as 0.3 seconds - if you meant"
        " 0:30, write 0:30; for 0.3 seconds, write 0:00.3"
    ]
    assert result.errors == [] and result.published == 1


def test_a_value_not_in_its_fields_form_is_told_without_a_regular_expression():
    """pydantic's message names the pattern ('^[A-Z]{2}$'), which editors
    cannot read; the message says what to write instead."""
    problems = _problems(
        VALID.replace(
            "location: Tulsa, Oklahoma", "location:\n  name: Tulsa\n  country: us"
        )
    )
    assert problems == [
        "12: location.country: 'us' is not in the form this field takes - write"
        " the two-letter country code, like US"
    ]


def test_an_approval_or_a_publishing_day_before_the_recording_is_a_warning():
    """A story is approved, and goes public, after it is recorded: a day
    before the recording is most likely a wrong year. The story is valid."""
    text = VALID.replace("approved_on: 2019-11-01", "approved_on: 2018-11-01")
    text = text.replace("status: published", "published: 2019-01-02\nstatus: published")
    matter = frontmatter.split(text)
    warnings = date_order_warnings(Story.model_validate(matter.data))
    assert [
        (matter.line_of(w["line_loc"]), w["field"], w["message"]) for w in warnings
    ] == [
        (
            22,
            "approval.approved_on",
            "the story is approved on 2018-11-01, before the conversation was"
            " recorded (2019-10-12)",
        ),
        (
            18,
            "published",
            "the story is set to go public on 2019-01-02, before the conversation"
            " was recorded (2019-10-12)",
        ),
    ]
    # The same days, or later ones, are not warned of.
    on_the_day = VALID.replace("approved_on: 2019-11-01", "approved_on: 2019-10-12")
    assert (
        date_order_warnings(Story.model_validate(frontmatter.split(on_the_day).data))
        == []
    )
