"""The podcast's settings, from pelicanconf and ``content/data/podcast.yml``.

Two kinds of settings, checked together in ``load()``:

- Build settings, named ``PODCAST_*`` (defaults in ``DEFAULTS``), live in
  pelicanconf.py/publishconf.py: where the feed and the subscribe page go.
  The feed's absolute URLs start from ``SITE_ABSOLUTE_URL`` (shared with
  other plugins that need absolute URLs; SITEURL when that is absolute).
- What editors own (the show's title, description, owner, category,
  people, funding link, podcast apps, and the podcast:guid) lives in
  ``content/data/podcast.yml`` (``PODCAST_DATA``), next to the stories.

Anything wrong stops the build with ``PodcastConfigError``: every problem as
``file:line: field: what is wrong - how to fix it``."""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import string
import urllib.parse
import zoneinfo
from typing import Annotated, Literal

import pydantic
from markdown import Markdown
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from portal import frontmatter, site_address
from portal.paths import special_kind
from portal.problems import Problem, Severity, is_production
from portal.schema import did_you_mean

from . import shownotes, vocabulary
from .urls import URLError, ascii_url, podcast_guid, site_absolute

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Where the feed is written and served, relative to the site.
    "PODCAST_FEED_SAVE_AS": "podcast.xml",
    # The subscribe page.
    "PODCAST_PAGE_URL": "podcast/",
    "PODCAST_PAGE_SAVE_AS": "podcast/index.html",
    # The editors' podcast settings, relative to the content folder (PATH).
    "PODCAST_DATA": "data/podcast.yml",
}

EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# Placeholders an app link may use; see content/data/podcast.yml.
APP_PLACEHOLDERS = {"feed_url", "feed_url_encoded", "feed_url_without_scheme"}
RRULE = re.compile(r"^FREQ=(SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)"
                   r"(;[A-Z]+=[A-Za-z0-9,+:\-]+)*$")  # fmt: skip
APP_SCHEMES = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


class PodcastConfigError(ValueError):
    """The podcast settings cannot make a valid feed."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"the podcast feed cannot be built:\n{lines}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _http_url(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ascii_url(value)
    except URLError as error:
        raise ValueError(
            f"{value!r} must be a full address starting https://"
        ) from error
    return value


class Owner(_Strict):
    name: str = Field(min_length=1, max_length=255)
    email: str

    @field_validator("email")
    @classmethod
    def _email(cls, value):
        if not EMAIL.match(value):
            raise ValueError(
                f"{value!r} is not an email address; Apple and Spotify send "
                "verification codes there, so write one that is read"
            )
        return value


class Person(_Strict):
    name: str = Field(min_length=1, max_length=128)
    role: str = "host"
    group: str | None = None
    href: str | None = None
    img: str | None = None

    @field_validator("href", "img")
    @classmethod
    def _urls(cls, value):
        return _http_url(value)

    @field_validator("role")
    @classmethod
    def _role(cls, value):
        if vocabulary.group_of(value) is None:
            roles = sorted({r for rs in vocabulary.person_roles().values() for r in rs})
            raise ValueError(
                f"'{value}' is not a role of the Podcast Taxonomy; use one of: "
                + ", ".join(roles)
            )
        return value.lower()

    def taxonomy_group(self) -> str:
        if self.group is None:
            return vocabulary.group_of(self.role)
        group = self.group.lower()
        if self.role not in vocabulary.person_roles().get(group, ()):
            raise ValueError(f"the role '{self.role}' is not in the group '{group}'")
        return group


class Funding(_Strict):
    url: str  # absolute, or a path on this site like /take-part/
    text: str = Field(min_length=1, max_length=128)

    @field_validator("url")
    @classmethod
    def _url(cls, value):
        if value.startswith("/") and not value.startswith("//"):
            return value
        return _http_url(value)


class App(_Strict):
    name: str = Field(min_length=1, max_length=60)
    url: str

    @field_validator("url")
    @classmethod
    def _template(cls, value):
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name}
        unknown = names - APP_PLACEHOLDERS
        if unknown:
            raise ValueError(
                f"{{{sorted(unknown)[0]}}} is not a placeholder we fill in; use "
                + ", ".join(f"{{{name}}}" for name in sorted(APP_PLACEHOLDERS))
            )
        if not APP_SCHEMES.match(value) or value.lower().startswith(
            ("javascript:", "data:", "vbscript:")
        ):
            raise ValueError(f"{value!r} is not a link to an app or a web page")
        return value


class Directory(_Strict):
    """The show's own page in a podcast directory, for the subscribe page.

    Web pages, so they work on any device: app-only links (podcast://...)
    belong in ``apps``."""

    name: str = Field(min_length=1, max_length=60)
    url: str

    @field_validator("url")
    @classmethod
    def _web_page(cls, value):
        if not value.lower().startswith("https://"):
            raise ValueError(
                f"{value!r} must be the show's web page in the directory, "
                "starting https://"
            )
        return _http_url(value)


class License(_Strict):
    """podcast:license: an identifier from the namespace's licence list (like
    cc-by-nc-nd-4.0), or the short name of a custom licence with its URL."""

    name: str = Field(min_length=1, max_length=128)
    url: str | None = None  # absolute, or a path on this site like /about/

    @field_validator("url")
    @classmethod
    def _url(cls, value):
        if value is None or (value.startswith("/") and not value.startswith("//")):
            return value
        return _http_url(value)


# Words no code a directory gives contains, and every sample or template
# value does (podcast.yml's commented example, "YOUR-CODE", "xxxx").
TXT_PLACEHOLDER = re.compile(
    r"example|sample|placeholder|your[-_ ]?code|directory|replace|paste|^x+$|^\.\.\.$",
    re.IGNORECASE,
)


class Txt(_Strict):
    """podcast:txt: a code a directory gives to prove who owns the feed.

    A directory reads the code back from the feed to see that the person
    who asked owns the show: a sample value there proves nothing and tells
    every reader of the feed the owner never set it, so it is refused."""

    value: str = Field(min_length=1, max_length=4000)
    purpose: str | None = Field(default=None, max_length=128)

    @field_validator("value")
    @classmethod
    def _not_a_placeholder(cls, value):
        if TXT_PLACEHOLDER.search(value.strip()):
            raise ValueError(
                f"'{value}' is a sample value, not a code a podcast directory gave you"
            )
        return value


class UpdateFrequency(_Strict):
    """podcast:updateFrequency: the intended schedule, in words and as an
    iCalendar RRULE (FREQ=MONTHLY, FREQ=WEEKLY;INTERVAL=2, ...)."""

    text: str = Field(min_length=1, max_length=128)
    rrule: str | None = None
    complete: bool = False

    @field_validator("rrule")
    @classmethod
    def _rrule(cls, value):
        if value is not None and not RRULE.match(value):
            raise ValueError(
                f"{value!r} is not an iCalendar rule like FREQ=MONTHLY or "
                "FREQ=WEEKLY;INTERVAL=2"
            )
        return value


def _category(text: str) -> str:
    vocabulary.parse_category(text)  # ValueError lists Apple's categories
    return text


class PodcastData(_Strict):
    """What ``content/data/podcast.yml`` may hold."""

    title: str = Field(min_length=1, max_length=255)
    description: str = Field(min_length=1)
    author: str = Field(min_length=1, max_length=255)
    owner: Owner
    language: str | None = None
    categories: list[Annotated[str, AfterValidator(_category)]] = Field(
        min_length=1, max_length=3
    )
    explicit: bool = False
    type: Literal["episodic", "serial"] = "episodic"
    copyright: str = Field(min_length=1, max_length=255)
    guid: str | None = None
    locked: bool = True
    medium: Literal["podcast", "music", "video", "audiobook", "newsletter"] = "podcast"
    funding: Funding | None = None
    people: list[Person] = []
    apps: list[App] = []
    directories: list[Directory] = []
    # Podcasting 2.0 tags (podcast:image alt, license, txt, updateFrequency).
    cover_alt: str | None = Field(default=None, min_length=1, max_length=255)
    license: License | None = None
    txt: list[Txt] = []
    update_frequency: UpdateFrequency | None = None

    @field_validator("language")
    @classmethod
    def _language(cls, value):
        if value is not None and not LANGUAGE.match(value):
            raise ValueError(f"'{value}' is not a language code like en or en-US")
        return value

    @field_validator("guid")
    @classmethod
    def _guid(cls, value):
        if value is not None and not re.fullmatch(
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", value
        ):
            raise ValueError(f"'{value}' is not a UUID like 917393e3-1b1e-...")
        return value


FIELD_FIXES = {
    "title": "write the show's name",
    "description": "write a few sentences about the show (Markdown)",
    "author": "write who makes the show, as apps should show it",
    "owner": "give owner.name and owner.email (apps send verification mail)",
    "categories": "list one to three of Apple's categories, like "
    "'Society & Culture > Documentary'",
    "explicit": "write true or false",
    "type": "write episodic (newest first) or serial (in order)",
    "copyright": "write the copyright line, like '© StoryCorps'",
    "guid": "copy the guid the build suggests, once, and never change it",
    "language": "write a language code like en",
    "funding": "give funding.url (the support page) and funding.text",
    "people": "list people with name and role (host, producer, ...)",
    "apps": "list apps with name and url (see the comments in podcast.yml)",
    "directories": "list the show's pages in directories with name and an "
    "https:// url, like name: Apple Podcasts, url: https://podcasts.apple.com/...",
    "locked": "write true (other hosts may not import the feed) or false",
    "medium": "write podcast",
    "cover_alt": "describe the cover in a sentence, for people who cannot see it",
    "license": "give license.name (like cc-by-nc-nd-4.0) and, for your own "
    "licence, license.url",
    "txt": "paste the code the directory gave you as '- value: CODE' with "
    "'purpose: verify' (or the purpose it names), or leave txt out until you "
    "have one",
    "update_frequency": "give update_frequency.text (like 'Monthly') and "
    "rrule (like FREQ=MONTHLY)",
}


@dataclasses.dataclass(frozen=True)
class PodcastConfig:
    """Everything the feed and the subscribe page need, checked."""

    data: PodcastData
    source: str  # podcast.yml, as editors see the path
    site_url: str  # absolute, ASCII, no trailing slash
    feed_save_as: str
    feed_url: str  # absolute, ASCII
    page_url: str  # site-relative
    page_save_as: str
    timezone: zoneinfo.ZoneInfo
    language: str
    guid: str
    description_html: str
    description_text: str  # the channel's <description>: plain text
    blocked: bool  # not the production site: directories must not list it
    categories: tuple[tuple[str, str | None], ...]
    people: tuple[tuple[Person, str], ...]  # (person, taxonomy group)
    apps: tuple[tuple[str, str], ...]  # (name, link with the feed URL in it)
    directories: tuple[tuple[str, str], ...]  # (name, the show's web page there)

    def absolute(self, path: str) -> str:
        """The ASCII absolute URL of a site-relative path."""
        return site_absolute(self.site_url, path)


def options(settings) -> dict:
    """The PODCAST_* build settings with defaults, checked."""
    out = {key: settings.get(key, value) for key, value in DEFAULTS.items()}
    for key, value in out.items():
        if not isinstance(value, str) or not value or value.startswith("/"):
            raise PodcastConfigError(
                [_setting_problem(key, f"{value!r} is not a path in the site", "")]
            )
    if not out["PODCAST_FEED_SAVE_AS"].endswith((".xml", ".rss")):
        raise PodcastConfigError(
            [
                _setting_problem(
                    "PODCAST_FEED_SAVE_AS",
                    f"{out['PODCAST_FEED_SAVE_AS']!r} does not end in .xml or .rss",
                    "name the feed like podcast.xml",
                )
            ]
        )
    return out


def max_episodes(settings) -> int | None:
    """PODCAST_FEED_MAX_EPISODES: the newest this many stories go in the feed
    (None, the default: every story). A feed of every one of 10,000 stories
    is 26 MB (benchmarks/README.md), more than podcast apps like to fetch;
    they keep the episodes they already have when older ones leave the feed."""
    value = settings.get("PODCAST_FEED_MAX_EPISODES")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PodcastConfigError(
            [
                _setting_problem(
                    "PODCAST_FEED_MAX_EPISODES",
                    f"{value!r} is not a number of episodes",
                    "set a whole number like 300, or None for every story",
                )
            ]
        )
    return value


def absolute_site_url(settings) -> str:
    """The site's address (portal.site_address), as an ASCII URL."""
    try:
        site = site_address.absolute_site_url(settings)
    except site_address.SiteAddressError as error:
        raise PodcastConfigError(
            [_setting_problem("SITE_ABSOLUTE_URL", error.what, error.fix)]
        ) from error
    try:
        return ascii_url(site).rstrip("/")
    except URLError as error:
        raise PodcastConfigError(
            [_setting_problem("SITE_ABSOLUTE_URL", str(error), "fix the address")]
        ) from error


def load(settings) -> PodcastConfig | None:
    """Read and check every podcast setting; PodcastConfigError if wrong.

    None when there is no podcast.yml: a site without a podcast."""
    opts = options(settings)
    path = os.path.join(settings["PATH"], opts["PODCAST_DATA"])
    source = _display_path(path, settings)
    if not os.path.exists(path):
        logger.warning(
            "[podcast_feed] %s does not exist, so this site has no podcast feed "
            "- copy the project's content/data/podcast.yml there to make one",
            source,
        )
        return None
    site_url = absolute_site_url(settings)
    data, lines = _read(path, source)
    problems: list[Problem] = []
    model = _validated(data, lines, source, problems)
    if model is None:
        raise PodcastConfigError(problems)

    feed_url = site_absolute(site_url, opts["PODCAST_FEED_SAVE_AS"])
    guid = model.guid or podcast_guid(feed_url)
    if model.guid is None:
        problem = Problem(
            source,
            "guid",
            "is missing, so podcast apps cannot follow the show if its address "
            "ever changes",
            f"add the line 'guid: {guid}' (made from {feed_url}) and never "
            "change it afterwards",
            1,
            Severity.WARNING,
        )
        if is_production(settings):
            raise PodcastConfigError(
                [dataclasses.replace(problem, severity=Severity.ERROR)]
            )
        logger.warning("%s", problem)

    description_html = _description_html(model.description, site_url, settings)
    if shownotes.size(description_html) > shownotes.MAX_BYTES:
        problems.append(
            Problem(
                source,
                "description",
                f"is {shownotes.size(description_html)} bytes of HTML; podcast apps "
                f"take at most {shownotes.MAX_BYTES}",
                "shorten it",
                lines.get(("description",)),
            )
        )
    people = []
    for index, person in enumerate(model.people):
        try:
            people.append((person, person.taxonomy_group()))
        except ValueError as error:
            problems.append(
                Problem(
                    source,
                    f"people.{index}.group",
                    str(error),
                    "leave group out, or use the role's group from the Podcast "
                    "Taxonomy",
                    lines.get(("people", index, "group")),
                )
            )
    if problems:
        raise PodcastConfigError(problems)

    return PodcastConfig(
        data=model,
        source=source,
        site_url=site_url,
        feed_save_as=opts["PODCAST_FEED_SAVE_AS"],
        feed_url=feed_url,
        page_url=opts["PODCAST_PAGE_URL"],
        page_save_as=opts["PODCAST_PAGE_SAVE_AS"],
        timezone=zoneinfo.ZoneInfo(settings.get("TIMEZONE") or "UTC"),
        language=model.language or settings.get("DEFAULT_LANG") or "en",
        guid=guid,
        description_html=description_html,
        description_text=shownotes.plain_text(description_html),
        blocked=not site_address.is_production(settings),
        categories=tuple(vocabulary.parse_category(c) for c in model.categories),
        people=tuple(people),
        apps=tuple((app.name, _app_link(app.url, feed_url)) for app in model.apps),
        directories=tuple((entry.name, entry.url) for entry in model.directories),
    )


def _read(path: str, source: str) -> tuple[object, dict]:
    kind = special_kind(path)
    if kind:  # a FIFO blocks, a device never ends: never opened
        raise PodcastConfigError(
            [
                Problem(
                    source, "file", f"is {kind}, not a file", "replace it with the file"
                )
            ]
        )
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except UnicodeDecodeError as error:
        raise PodcastConfigError(
            [Problem(source, "file", "is not UTF-8 text", "save it as UTF-8")]
        ) from error
    try:
        return frontmatter.load_yaml(text)
    except frontmatter.FrontMatterError as error:
        raise PodcastConfigError(
            [
                Problem(
                    source, error.field or "file", error.message, error.fix, error.line
                )
            ]
        ) from error


def _validated(data, lines, source, problems) -> PodcastData | None:
    if not isinstance(data, dict):
        problems.append(
            Problem(source, "file", "is not a list of fields", "write 'field: value'")
        )
        return None
    try:
        return PodcastData.model_validate(data)
    except pydantic.ValidationError as error:
        for item in error.errors(include_url=False):
            loc = tuple(item["loc"])
            field = ".".join(str(part) for part in loc)
            top = str(loc[0]) if loc else ""
            message = item["msg"].removeprefix("Value error, ")
            fix = FIELD_FIXES.get(top, "see the comments in the file")
            if item["type"] == "extra_forbidden":
                message = "is not a podcast setting we know"
                hint = did_you_mean(str(loc[-1]), list(PodcastData.model_fields))
                fix = hint or "remove it"
            elif item["type"] == "missing":
                message = "is required but missing"
            problems.append(Problem(source, field, message, fix, _line(lines, loc)))
        return None


def _line(lines: dict, loc: tuple) -> int | None:
    return frontmatter.line_of(lines, loc)


def _description_html(markdown_text: str, site_url: str, settings) -> str:
    html = Markdown(**settings.get("MARKDOWN", {})).convert(markdown_text)
    return shownotes.clean(shownotes.readable(html), site_url + "/", site_url)


def _app_link(template: str, feed_url: str) -> str:
    without_scheme = re.sub(r"^https?://", "", feed_url)
    return template.format(
        feed_url=feed_url,
        feed_url_encoded=urllib.parse.quote(feed_url, safe=""),
        feed_url_without_scheme=without_scheme,
    )


def _setting_problem(key: str, message: str, fix: str) -> Problem:
    return Problem(
        "pelicanconf.py", key, message, fix or "see plugins/podcast_feed/README.md"
    )


def _display_path(path: str, settings) -> str:
    root = os.path.dirname(os.path.abspath(settings["PATH"]))
    return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
