"""What other sites read about a story: oEmbed, Open Graph, Twitter, JSON-LD.

Every URL in here is absolute: other sites and apps fetch them from
elsewhere. Dictionaries are built here and escaped where they are printed
(the templates for meta tags, ``script_json`` for the JSON-LD block)."""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Callable

import markupsafe
from theme_helpers.helpers import join_names  # as every page lists people

from portal.timecode import iso8601_duration

OEMBED_VERSION = "1.0"
# og:locale is language_TERRITORY (en_US, es_US); a language setting with no
# region (DEFAULT_LANG "en") is the campaign's: spoken in the United States.
DEFAULT_TERRITORY = "US"


def og_locale(language: str, territory: str = DEFAULT_TERRITORY) -> str:
    """``language`` (a BCP 47 tag, as DEFAULT_LANG and ``<html lang>`` take
    it: en, es-US, en_GB, zh-Hant-TW) as Open Graph writes locales: its
    language, an underscore, its region in capitals, else ``territory``'s."""
    parts = language.replace("_", "-").split("-")
    # A region is two letters; a script (Hant) is four, a UN area (419) has
    # no og:locale form: both are passed over.
    region = next(
        (part for part in parts[1:] if len(part) == 2 and part.isalpha()), territory
    )
    return f"{parts[0].lower()}_{region.upper()}"


@dataclasses.dataclass
class Sharing:
    """A cleared story's addresses and descriptions for sharing."""

    page_url: str
    embed_path: str  # site-relative: stories/<slug>/embed/
    embed_url: str
    oembed_path: str  # site-relative: stories/<slug>/oembed.json
    oembed_url: str
    image_path: str  # site-relative: stories/<slug>/share-<key>.jpg
    image_url: str
    image_width: int
    image_height: int
    image_type: str  # its media type, for og:image:type
    image_alt: str
    audio_url: str
    description: str
    embed_width: int
    embed_height: int
    iframe: markupsafe.Markup  # the embed code, escaped
    transcript_url: str | None = None
    locale: str = f"en_{DEFAULT_TERRITORY}"  # og:locale (``og_locale``)
    published_time: str = ""  # article:published_time (``published_time``)
    # Makes the JSON-LD data when a page prints it (``json_ld``): nothing of
    # it is kept on each of 10,000 stories between reading and writing.
    json_ld_data: Callable[[], dict] | None = dataclasses.field(
        default=None, repr=False, compare=False
    )

    @property
    def json_ld(self) -> markupsafe.Markup:
        """For <script type="application/ld+json">, made when printed."""
        if self.json_ld_data is None:
            return markupsafe.Markup("")
        return script_json(self.json_ld_data())

    @property
    def secure(self) -> bool:
        return self.page_url.startswith("https://")


def iframe_html(
    embed_url: str, title: str, width: int, height: int
) -> markupsafe.Markup:
    # Its own style: no frame around it (the browser's default inset
    # border), and as narrow as the column it is pasted into when that is
    # narrower than ``width`` (the player fits from 320 px up).
    # ``allow="clipboard-write"``: a frame from another origin may not use
    # the Clipboard API without it, so the player's "Copy link" fell back
    # to a field to copy by hand, below the player and out of the frame.
    # Each value escaped as ``Markup.format`` escapes it (its ``__html__``
    # if it has one, else its text), by markupsafe's C ``escape``:
    # ``Markup.format`` parses the template and escapes through Python
    # calls, a second of every build at 10,000 stories.
    escape = markupsafe.escape
    return markupsafe.Markup(
        f'<iframe src="{escape(embed_url)}" width="{escape(width)}" '
        f'height="{escape(height)}" title="{escape(f"Listen: {title}")}" '
        'allow="clipboard-write" loading="lazy" '
        f'style="border:0;width:100%;max-width:{escape(width)}px"></iframe>'
    )


def oembed(story, sharing: Sharing, site_name: str, site_url: str) -> dict:
    """An oEmbed 1.0 "rich" response (oembed.com, section 2.3.4)."""
    return {
        "version": OEMBED_VERSION,
        "type": "rich",
        "title": story.title,
        "author_name": people(story),
        "provider_name": site_name,
        "provider_url": site_url + "/",
        "html": str(sharing.iframe),
        "width": sharing.embed_width,
        "height": sharing.embed_height,
        "thumbnail_url": sharing.image_url,
        "thumbnail_width": sharing.image_width,
        "thumbnail_height": sharing.image_height,
        "cache_age": 86400,
    }


def people(story) -> str:
    """The story's people as its page names them: "Ada and Ben", or "Ada,
    Ben and Cy" (a story may have more than two)."""
    return join_names(story.story.front.participant_names)


def description(story, site_name: str) -> str:
    """What a shared link says of the story: its summary, else who talks."""
    summary = story.story.front.summary
    return summary or f"{people(story)} in conversation, recorded for {site_name}."


def image_alt(story) -> str:
    """The share card's alt text."""
    return f"{story.title}: a conversation between {people(story)}"


def _iso(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value.isoformat()


def published_time(story) -> str:
    """When the story went public, in ISO 8601, as the podcast feed dates it
    (``public_since``); a preview of a story not yet approved has only its
    recording date."""
    return _iso(story.story.public_since or story.story.front.date)


def json_ld(story, sharing: Sharing, site_name: str, site_url: str, organization: str):
    """schema.org PodcastEpisode with its AudioObject (captions linked), people."""
    meta = story.story.front
    audio = story.story.audio
    audio_object = {
        "@type": "AudioObject",
        "name": story.title,
        "contentUrl": sharing.audio_url,
        "embedUrl": sharing.embed_url,
        "encodingFormat": audio.mime_type.split(";")[0],
        "contentSize": f"{audio.size} B",
        "duration": iso8601_duration(audio.duration),
    }
    # The transcript itself is not repeated here: the page shows all of it
    # (marked up turn by turn), and the captions file is linked below. A
    # copy in JSON-LD doubled a long story's page weight (issue 8).
    if sharing.transcript_url:
        audio_object["caption"] = {
            "@type": "MediaObject",
            "contentUrl": sharing.transcript_url,
            "encodingFormat": "text/vtt",
        }
    data = {
        "@context": "https://schema.org",
        "@type": "PodcastEpisode",
        "@id": sharing.page_url + "#episode",
        "url": sharing.page_url,
        "name": story.title,
        "description": sharing.description,
        "datePublished": sharing.published_time or published_time(story),
        "dateCreated": _iso(meta.date),
        "duration": iso8601_duration(audio.duration),
        "inLanguage": story.settings.get("DEFAULT_LANG", "en"),
        "isAccessibleForFree": True,
        "image": sharing.image_url,
        "contributor": [
            {"@type": "Person", "name": person.name, "description": person.description}
            if person.description
            else {"@type": "Person", "name": person.name}
            for person in meta.participants
        ],
        "associatedMedia": audio_object,
        "partOfSeries": {
            "@type": "PodcastSeries",
            "name": site_name,
            "url": site_url + "/",
        },
        "publisher": {"@type": "Organization", "name": organization},
    }
    if meta.topics:
        data["keywords"] = ", ".join(meta.topics)
    if meta.episode:
        data["episodeNumber"] = meta.episode
    if meta.location:
        place = {"@type": "Place", "name": meta.location.name}
        if meta.location.geo:
            latitude, longitude = meta.location.geo
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": latitude,
                "longitude": longitude,
            }
        data["locationCreated"] = place
    return data


def script_json(data: dict) -> markupsafe.Markup:
    """Compact JSON safe inside <script>: no character can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return markupsafe.Markup(text)
