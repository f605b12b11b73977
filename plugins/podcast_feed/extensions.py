"""feedgen extensions: the iTunes tags done right, and the podcast namespace.

feedgen 1.0.0 writes Apple's tags the way Apple wanted them years ago: it
writes ``itunes:explicit`` as yes/no/clean where Apple now takes only
true/false, and it drops a channel ``itunes:image`` whose URL does not end
in .jpg or .png without a word. It has no Podcasting 2.0 (``podcast:``)
namespace at all. These classes extend it the way feedgen is made to be
extended (``BaseExtension``/``BaseEntryExtension``, ``register_extension``),
building elements in the XML tree; nothing edits the XML text afterwards.

Register them with ``register(feed_generator)``; then ``fg.itunes`` and
``fg.podcast_index`` (and the same on every entry) hold the setters."""

from __future__ import annotations

import dataclasses
import math

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.ext.podcast import PodcastExtension
from feedgen.ext.podcast_entry import PodcastEntryExtension
from feedgen.util import xml_elem

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
IMAGE_SUFFIXES = (".jpg", ".png")


def _itunes(name: str) -> str:
    return f"{{{ITUNES_NS}}}{name}"


def _podcast(name: str) -> str:
    return f"{{{PODCAST_NS}}}{name}"


def _true_false(value) -> str:
    if not isinstance(value, bool):
        raise TypeError(f"itunes:explicit takes True or False, not {value!r}")
    return "true" if value else "false"


def _checked_image(url: str) -> str:
    # Apple reads the format from the extension; feedgen would drop any other
    # URL silently, leaving a feed without artwork.
    if not url.lower().endswith(IMAGE_SUFFIXES):
        raise ValueError(f"itunes:image must be a .jpg or .png URL, not {url!r}")
    return url


class _ItunesTags:
    """Apple's current ``itunes:explicit`` and ``itunes:image``, for the
    channel and for each episode alike (feedgen writes both its own way)."""

    def __init__(self):
        super().__init__()
        self._explicit: str | None = None
        self._image: str | None = None

    def itunes_explicit(self, explicit: bool | None = None) -> str | None:
        """``True``/``False`` become ``true``/``false``, the values Apple takes."""
        if explicit is not None:
            self._explicit = _true_false(explicit)
        return self._explicit

    def itunes_image(self, url: str | None = None) -> str | None:
        """The artwork; a URL not ending .jpg/.png raises ValueError."""
        if url is not None:
            self._image = _checked_image(url)
        return self._image

    def _add_tags(self, element) -> None:
        if self._image:
            xml_elem(_itunes("image"), element).attrib["href"] = self._image
        if self._explicit:
            xml_elem(_itunes("explicit"), element).text = self._explicit


class ItunesExtension(_ItunesTags, PodcastExtension):
    """feedgen's channel iTunes tags with Apple's current explicit and image."""

    def extend_rss(self, rss_feed):
        super().extend_rss(rss_feed)
        self._add_tags(rss_feed[0])  # the <channel>
        return rss_feed


class ItunesEntryExtension(_ItunesTags, PodcastEntryExtension):
    """feedgen's episode iTunes tags with Apple's current explicit and image."""

    def extend_rss(self, entry):
        super().extend_rss(entry)
        self._add_tags(entry)
        return entry


@dataclasses.dataclass(frozen=True)
class Person:
    """podcast:person: a name, a role and group from the Podcast Taxonomy."""

    name: str
    role: str = "host"
    group: str = "cast"
    href: str | None = None
    img: str | None = None


def _person(parent, person: Person) -> None:
    element = xml_elem(_podcast("person"), parent)
    element.attrib["role"] = person.role
    element.attrib["group"] = person.group
    if person.img:
        element.attrib["img"] = person.img
    if person.href:
        element.attrib["href"] = person.href
    element.text = person.name


@dataclasses.dataclass(frozen=True)
class Image:
    """podcast:image: artwork with its text alternative and intended use."""

    href: str
    alt: str | None = None
    width: int | None = None
    height: int | None = None
    type: str | None = None
    purpose: str = "artwork"

    @property
    def aspect_ratio(self) -> str | None:
        if not (self.width and self.height):
            return None
        divisor = math.gcd(self.width, self.height)
        return f"{self.width // divisor}/{self.height // divisor}"


def _image(parent, image: Image) -> None:
    element = xml_elem(_podcast("image"), parent)
    element.attrib["href"] = image.href
    if image.alt:
        element.attrib["alt"] = image.alt
    if image.aspect_ratio:
        element.attrib["aspect-ratio"] = image.aspect_ratio
    if image.width:
        element.attrib["width"] = str(image.width)
    if image.height:
        element.attrib["height"] = str(image.height)
    if image.type:
        element.attrib["type"] = image.type
    if image.purpose:
        element.attrib["purpose"] = image.purpose


@dataclasses.dataclass(frozen=True)
class License:
    """podcast:license: an SPDX-style identifier, or a custom name and URL."""

    name: str
    url: str | None = None


@dataclasses.dataclass(frozen=True)
class UpdateFrequency:
    text: str
    rrule: str | None = None
    complete: bool = False


def _license(parent, license: License) -> None:
    element = xml_elem(_podcast("license"), parent)
    if license.url:
        element.attrib["url"] = license.url
    element.text = license.name


class PodcastIndexExtension(BaseExtension):
    """Channel tags of the Podcasting 2.0 namespace (podcastindex.org)."""

    def __init__(self):
        self._blocked: bool | None = None
        self._images: list[Image] = []
        self._license: License | None = None
        self._txt: list[tuple[str | None, str]] = []
        self._update_frequency: UpdateFrequency | None = None
        self._guid: str | None = None
        self._locked: tuple[bool, str | None] | None = None
        self._medium: str | None = None
        self._funding: list[tuple[str, str]] = []
        self._people: list[Person] = []

    def extend_ns(self):
        return {"podcast": PODCAST_NS}

    def guid(self, value: str) -> None:
        self._guid = value

    def block(self, blocked: bool) -> None:
        """``podcast:block`` yes/no: may directories list this feed at all."""
        self._blocked = bool(blocked)

    def image(self, image: Image) -> None:
        self._images.append(image)

    def license(self, license: License) -> None:
        self._license = license

    def txt(self, value: str, purpose: str | None = None) -> None:
        self._txt.append((purpose, value))

    def update_frequency(self, frequency: UpdateFrequency) -> None:
        self._update_frequency = frequency

    def locked(self, locked: bool, owner: str | None = None) -> None:
        self._locked = (bool(locked), owner)

    def medium(self, value: str) -> None:
        self._medium = value

    def funding(self, url: str, text: str) -> None:
        if len(text) > 128:
            raise ValueError("podcast:funding text is at most 128 characters")
        self._funding.append((url, text))

    def person(self, person: Person) -> None:
        self._people.append(person)

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        if self._guid:
            xml_elem(_podcast("guid"), channel).text = self._guid
        if self._locked is not None:
            locked, owner = self._locked
            element = xml_elem(_podcast("locked"), channel)
            if owner:
                element.attrib["owner"] = owner
            element.text = "yes" if locked else "no"
        if self._medium:
            xml_elem(_podcast("medium"), channel).text = self._medium
        for url, text in self._funding:
            element = xml_elem(_podcast("funding"), channel)
            element.attrib["url"] = url
            element.text = text
        for person in self._people:
            _person(channel, person)
        for image in self._images:
            _image(channel, image)
        if self._license:
            _license(channel, self._license)
        for purpose, value in self._txt:
            element = xml_elem(_podcast("txt"), channel)
            if purpose:
                element.attrib["purpose"] = purpose
            element.text = value
        if self._update_frequency:
            frequency = self._update_frequency
            element = xml_elem(_podcast("updateFrequency"), channel)
            if frequency.complete:
                element.attrib["complete"] = "true"
            if frequency.rrule:
                element.attrib["rrule"] = frequency.rrule
            element.text = frequency.text
        if self._blocked is not None:
            xml_elem(_podcast("block"), channel).text = "yes" if self._blocked else "no"
        return rss_feed


@dataclasses.dataclass(frozen=True)
class Transcript:
    url: str
    type: str
    language: str | None = None
    rel: str | None = None


@dataclasses.dataclass(frozen=True)
class Location:
    name: str
    geo: str | None = None  # "geo:lat,lon"
    country: str | None = None
    rel: str = "subject"


@dataclasses.dataclass(frozen=True)
class AlternateEnclosure:
    """podcast:alternateEnclosure: another file of the same episode."""

    url: str
    type: str
    length: int
    bitrate: int | None = None
    title: str | None = None  # at most 32 characters, for apps' menus
    codecs: str | None = None  # RFC 6381
    default: bool = False  # the same file as the <enclosure>


def _alternate(parent, alternate: AlternateEnclosure) -> None:
    element = xml_elem(_podcast("alternateEnclosure"), parent)
    element.attrib["type"] = alternate.type
    element.attrib["length"] = str(alternate.length)
    if alternate.bitrate:
        element.attrib["bitrate"] = str(alternate.bitrate)
    if alternate.title:
        if len(alternate.title) > 32:
            raise ValueError(
                "podcast:alternateEnclosure title is at most 32 characters"
            )
        element.attrib["title"] = alternate.title
    if alternate.codecs:
        element.attrib["codecs"] = alternate.codecs
    if alternate.default:
        element.attrib["default"] = "true"
    xml_elem(_podcast("source"), element).attrib["uri"] = alternate.url


class PodcastIndexEntryExtension(BaseEntryExtension):
    """Episode tags of the Podcasting 2.0 namespace."""

    def __init__(self):
        self._transcripts: list[Transcript] = []
        self._chapters: tuple[str, str] | None = None
        self._people: list[Person] = []
        self._location: Location | None = None
        self._season: int | None = None
        self._episode: int | None = None
        self._alternates: list[AlternateEnclosure] = []
        self._images: list[Image] = []
        self._soundbites: list[tuple[float, float, str]] = []

    def extend_ns(self):
        return {"podcast": PODCAST_NS}

    def image(self, image: Image) -> None:
        self._images.append(image)

    def soundbite(self, start: float, duration: float, title: str = "") -> None:
        self._soundbites.append((start, duration, title))

    def alternate_enclosure(self, alternate: AlternateEnclosure) -> None:
        self._alternates.append(alternate)

    def transcript(self, transcript: Transcript) -> None:
        self._transcripts.append(transcript)

    def chapters(self, url: str, mime_type: str) -> None:
        self._chapters = (url, mime_type)

    def person(self, person: Person) -> None:
        self._people.append(person)

    def location(self, location: Location) -> None:
        self._location = location

    def season(self, number: int) -> None:
        self._season = int(number)

    def episode(self, number: int) -> None:
        self._episode = int(number)

    def extend_rss(self, entry):
        for alternate in self._alternates:
            _alternate(entry, alternate)
        for transcript in self._transcripts:
            element = xml_elem(_podcast("transcript"), entry)
            element.attrib["url"] = transcript.url
            element.attrib["type"] = transcript.type
            if transcript.language:
                element.attrib["language"] = transcript.language
            if transcript.rel:
                element.attrib["rel"] = transcript.rel
        if self._chapters:
            element = xml_elem(_podcast("chapters"), entry)
            element.attrib["url"], element.attrib["type"] = self._chapters
        for person in self._people:
            _person(entry, person)
        if self._location:
            element = xml_elem(_podcast("location"), entry)
            element.attrib["rel"] = self._location.rel
            if self._location.geo:
                element.attrib["geo"] = self._location.geo
            if self._location.country:
                element.attrib["country"] = self._location.country
            element.text = self._location.name
        if self._season is not None:
            xml_elem(_podcast("season"), entry).text = str(self._season)
        if self._episode is not None:
            xml_elem(_podcast("episode"), entry).text = str(self._episode)
        for image in self._images:
            _image(entry, image)
        for start, duration, title in self._soundbites:
            element = xml_elem(_podcast("soundbite"), entry)
            element.attrib["startTime"] = f"{start:.3f}".rstrip("0").rstrip(".")
            element.attrib["duration"] = f"{duration:.3f}".rstrip("0").rstrip(".")
            element.text = title[:128]
        return entry


def register(feed_generator) -> None:
    """Load the extensions into a FeedGenerator (before adding entries)."""
    feed_generator.register_extension("itunes", ItunesExtension, ItunesEntryExtension)
    feed_generator.register_extension(
        "podcast_index", PodcastIndexExtension, PodcastIndexEntryExtension
    )
