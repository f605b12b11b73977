"""Places as browse pages group them; the findability plugins' settings."""

from __future__ import annotations

import pytest
from browse.settings import settings as browse_settings
from robots.plugin import _OnePerPage, robots_txt
from site_search.settings import settings as search_settings

from portal.places import Place, place_of
from portal.schema import Location


@pytest.mark.parametrize(
    "written,state,city",
    [
        ("Tulsa, Oklahoma", "Oklahoma", "Tulsa"),
        ("Tulsa, OK", "Oklahoma", "Tulsa"),
        ("Tulsa,  ok.", "Oklahoma", "Tulsa"),
        ("Travelers Rest, South Carolina", "South Carolina", "Travelers Rest"),
        ("Puerto Rico", "Puerto Rico", None),
        ("Montana", "Montana", None),
        ("Main Street, Springfield", "Springfield", "Main Street"),
        ("Springfield", "Springfield", None),
    ],
)
def test_state_then_city(written, state, city):
    place = place_of(Location(name=written))
    assert (place.state, place.city) == (state, city)


def test_slugs_and_places_outside_the_us():
    place = place_of(Location(name="San Antonio, Texas"))
    assert (place.state_slug, place.city_slug) == ("texas", "san-antonio")
    abroad = place_of(Location(name="Toronto, Ontario", country="CA"))
    assert abroad == Place("Ontario", "Toronto", "CA")
    assert abroad.state_slug == "ontario-ca"
    assert place_of(None) is None


@pytest.mark.parametrize(
    "override,message",
    [
        ({"BROWSE_RELATED_MAX": 0}, "BROWSE_RELATED_MAX must be a whole number"),
        ({"BROWSE_URLS": {"placez": "p/"}}, "unknown keys placez"),
        ({"BROWSE_URLS": {"places": "/places"}}, "must be a folder path"),
    ],
)
def test_browse_settings_are_checked(override, message):
    with pytest.raises(ValueError, match=message):
        browse_settings(override)


@pytest.mark.parametrize(
    "override,message",
    [
        ({"SITE_SEARCH_URL": "/search"}, "SITE_SEARCH_URL must be a folder path"),
        ({"SITE_SEARCH_BUNDLE": "../x/"}, "SITE_SEARCH_BUNDLE must be a folder path"),
        ({"SITE_SEARCH_LANGUAGE": "English"}, "ISO 639-1"),
        ({"SITE_SEARCH_INDEX": "yes"}, "True or False"),
        ({"SITE_SEARCH_EXCLUDE_SELECTORS": ".a"}, "list of CSS selectors"),
        (
            {"SITE_SEARCH_EXCLUDE_SELECTORS": [".player", ".a[["]},
            r"SITE_SEARCH_EXCLUDE_SELECTORS: '\.a\[\[' is not a CSS selector",
        ),
    ],
)
def test_search_settings_are_checked(override, message):
    with pytest.raises(ValueError, match=message):
        search_settings(override)


def test_search_language_defaults_to_the_site_language():
    assert search_settings({"DEFAULT_LANG": "es"})["SITE_SEARCH_LANGUAGE"] == "es"


def test_robots_txt():
    public = "https://oss.example.org"
    production_settings = {"SITEURL": public + "/", "SITE_PRODUCTION_URL": public}
    production = robots_txt(production_settings)
    assert production == (
        "User-agent: *\nAllow: /\n\nSitemap: https://oss.example.org/sitemap.xml\n"
    )
    # A staging copy would compete with the public site in search results.
    staging = {"SITEURL": "https://staging.example.org", "SITE_PRODUCTION_URL": public}
    assert robots_txt(staging) == "User-agent: *\nDisallow: /\n"
    # Development: the public site's robots.txt as it will be, with no
    # sitemap (crawlers need its absolute URL).
    assert robots_txt({"SITEURL": ""}) == "User-agent: *\nAllow: /\n"
    assert robots_txt({"SITEURL": "https://x.org", "STORY_PREVIEW": True}) == (
        "User-agent: *\nDisallow: /\n"
    )
    drafts = ["Disallow: /drafts/"]
    extra = robots_txt({"SITEURL": "", "ROBOTS_EXTRA_LINES": drafts})
    assert "Disallow: /drafts/" in extra
    with pytest.raises(ValueError, match="ROBOTS_EXTRA_LINES"):
        robots_txt({"ROBOTS_EXTRA_LINES": ["a\nb"]})


def test_the_sitemap_lists_a_story_once_whatever_else_it_writes():
    story, page = object(), object()
    queue = _OnePerPage()
    for item in [
        ("out/stories/a/index.html", story),
        ("out/stories/a/embed/index.html", story),  # written with the story
        ("out/about/index.html", page),
        ("out/browse/index.html", None),
        ("out/places/index.html", None),
    ]:
        queue.append(item)
    assert [path for path, _ in queue] == [
        "out/stories/a/index.html",
        "out/about/index.html",
        "out/browse/index.html",
        "out/places/index.html",
    ]
