"""A story's dates print as Pelican prints them (its own strftime), read
once a format instead of once a date (plugins/story_reader/dates.py)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from pelican.contents import Article
from pelican.settings import read_settings
from pelican.utils import SafeDatetime, set_date_tzinfo, strftime
from story_reader.dates import StoryDatetime, in_site_zone
from story_reader.reader import FrontMatterMarkdownReader

from tests.support import CONTENT, PROJECT_ROOT

FORMATS = [
    "%B %-d, %Y",  # the site's DEFAULT_DATE_FORMAT
    "%Y-%m-%dT%H:%M:%S",  # the sitemap's lastmod
    "%z",
    "%a %-d %b %Y, %-H:%M",
    "%-m/%-d/%y",
    "%e %B",  # not a C89 directive: printed as written
    "%-e and %%d",
    "100%% sure on %A",
    "%j %U %W %w %p %I %f %Z %c %x %X",
    "no directive at all",
]
DATES = [
    (2024, 1, 5, 0, 0, 0),
    (2019, 10, 31, 9, 7, 3),
    (2026, 12, 6, 23, 59, 59),
]


@pytest.mark.parametrize("date_format", FORMATS)
@pytest.mark.parametrize("parts", DATES)
@pytest.mark.parametrize("zone", [None, "America/New_York", "UTC"])
def test_dates_print_as_pelicans_strftime_prints_them(date_format, parts, zone):
    tzinfo = zoneinfo.ZoneInfo(zone) if zone else None
    ours = StoryDatetime(*parts, tzinfo=tzinfo)
    pelicans = SafeDatetime(*parts, tzinfo=tzinfo)
    assert ours.strftime(date_format) == strftime(pelicans, date_format)
    assert ours.strftime(date_format) == pelicans.strftime(date_format)
    assert ours.strftime(date_format, safe=False) == pelicans.strftime(
        date_format, safe=False
    )


def test_a_format_pelican_cannot_print_fails_the_same_way():
    with pytest.raises(ValueError):
        strftime(SafeDatetime(2024, 1, 5), "%Y %")
    with pytest.raises(ValueError):
        StoryDatetime(2024, 1, 5).strftime("%Y %")


def test_pelican_keeps_a_story_date_as_the_reader_placed_it():
    """Pelican makes a new SafeDatetime of a date without a time zone; the
    reader's dates have the site's, so they stay ours, with the value
    Pelican would have given them."""
    for value in (datetime.date(2024, 3, 9), datetime.datetime(2024, 3, 9, 14, 30)):
        placed = in_site_zone(value, "America/New_York")
        kept = set_date_tzinfo(placed, "America/New_York")
        assert kept is placed and type(kept) is StoryDatetime
        naive = SafeDatetime(*value.timetuple()[:6])
        assert kept == set_date_tzinfo(naive, "America/New_York")
    aware = datetime.datetime(2024, 3, 9, 14, 30, tzinfo=datetime.UTC)
    assert in_site_zone(aware, "America/New_York").tzinfo is datetime.UTC


def test_a_read_story_keeps_its_dates_through_pelican():
    """The reader's dates survive Pelican's article (it makes a new
    SafeDatetime of a date without a time zone), so the article prints them
    without Pelican's per-call parsing, and prints what it printed before."""
    settings = read_settings(
        str(PROJECT_ROOT / "pelicanconf.py"), override={"PATH": str(CONTENT)}
    )
    source = CONTENT / "stories" / "common-ground" / "story.md"
    content, metadata = FrontMatterMarkdownReader(settings).read(str(source))
    article = Article(content, metadata, settings, str(source))
    for value in (article.date, article.modified):
        assert type(value) is StoryDatetime
        assert value.tzinfo == zoneinfo.ZoneInfo(settings["TIMEZONE"])
    naive = SafeDatetime(*article.date.timetuple()[:6])
    assert article.date == set_date_tzinfo(naive, settings["TIMEZONE"])
    assert article.locale_date == strftime(naive, settings["DEFAULT_DATE_FORMAT"])
    assert article.locale_modified == strftime(
        SafeDatetime(*article.modified.timetuple()[:6]),
        settings["DEFAULT_DATE_FORMAT"],
    )
