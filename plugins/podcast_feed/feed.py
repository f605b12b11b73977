"""The podcast RSS feed as bytes, from checked settings and episodes.

The same settings and episodes give the same bytes: episodes are ordered by
date and id, and ``lastBuildDate`` (which feedgen sets to "now") is pinned
to the newest episode's date."""

from __future__ import annotations

import collections
import datetime

from feedgen.feed import FeedGenerator

from portal.outputs import CHAPTERS_MIME

from . import extensions
from .episodes import Episode, show_person
from .settings import PodcastConfig

GENERATOR = "One Small Step story portal (Pelican, python-feedgen)"
# A feed with no episode yet still needs a fixed date to stay reproducible.
EMPTY_FEED_DATE = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class FeedError(ValueError):
    pass


def ordered(episodes: list[Episode]) -> list[Episode]:
    """Newest first; episodes of the same moment by id, so order is stable."""
    return sorted(episodes, key=lambda e: (e.published, e.guid), reverse=True)


def build(
    config: PodcastConfig,
    episodes: list[Episode],
    cover_url: str,
    cover_size: tuple[int, int] | None = None,
) -> bytes:
    """The feed's XML (UTF-8, with declaration)."""
    _check_unique(episodes)
    episodes = ordered(episodes)
    data = config.data
    fg = FeedGenerator()
    extensions.register(fg)

    fg.title(data.title)
    # Plain text: the W3C validator warns on HTML in the channel description.
    fg.description(config.description_text)
    # feedgen writes the channel <link> from the last link() call.
    fg.link(href=config.feed_url, rel="self", type="application/rss+xml")
    fg.link(href=config.absolute(""), rel="alternate")
    fg.language(config.language)
    fg.copyright(data.copyright)
    fg.generator(GENERATOR)
    fg.image(url=cover_url, title=data.title, link=config.absolute(""))
    newest = episodes[0].published if episodes else EMPTY_FEED_DATE
    fg.lastBuildDate(newest)

    itunes = fg.itunes
    itunes.itunes_author(data.author)
    itunes.itunes_owner(name=data.owner.name, email=data.owner.email)
    itunes.itunes_category(
        [
            {"cat": cat, "sub": sub} if sub else {"cat": cat}
            for cat, sub in config.categories
        ]
    )
    itunes.itunes_explicit(data.explicit)
    itunes.itunes_type(data.type)
    itunes.itunes_image(cover_url)
    if config.blocked:
        # Not the production site (development, a preview, staging): no
        # directory may list this feed, so it never competes with the real one.
        itunes.itunes_block(True)

    index = fg.podcast_index
    index.guid(config.guid)
    index.locked(data.locked, data.owner.email)
    index.medium(data.medium)
    if config.blocked:
        index.block(True)
    width, height = cover_size or (None, None)
    index.image(
        extensions.Image(
            cover_url,
            alt=data.cover_alt or data.title,
            width=width,
            height=height,
            type="image/jpeg" if cover_url.endswith(".jpg") else "image/png",
        )
    )
    if data.license:
        url = config.absolute(data.license.url) if data.license.url else None
        index.license(extensions.License(data.license.name, url))
    for txt in data.txt:
        index.txt(txt.value, txt.purpose)
    if data.update_frequency:
        frequency = data.update_frequency
        index.update_frequency(
            extensions.UpdateFrequency(
                frequency.text, frequency.rrule, frequency.complete
            )
        )
    if data.funding:
        index.funding(config.absolute(data.funding.url), data.funding.text)
    for person, group in config.people:
        index.person(show_person(person, group))

    for episode in episodes:
        _add(fg, episode)
    return fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def _add(fg: FeedGenerator, episode: Episode) -> None:
    entry = fg.add_entry(order="append")
    entry.title(episode.title)
    entry.link(href=episode.link)
    entry.guid(episode.guid, permalink=False)
    # Only content given: feedgen writes it as <description> in CDATA.
    entry.content(episode.description_html, type="CDATA")
    entry.published(episode.published)
    if episode.enclosure_length <= 0:
        # feedgen would write length="None" or "0"; apps reject both.
        raise FeedError(f"{episode.source}: the audio has no size in bytes")
    entry.enclosure(
        episode.enclosure_url, str(episode.enclosure_length), episode.enclosure_type
    )

    itunes = entry.itunes
    itunes.itunes_duration(episode.duration)
    itunes.itunes_explicit(episode.explicit)
    itunes.itunes_episode_type(episode.episode_type)
    if episode.season is not None:
        itunes.itunes_season(episode.season)
    if episode.episode is not None:
        itunes.itunes_episode(episode.episode)
    if episode.image_url:
        itunes.itunes_image(episode.image_url)

    index = entry.podcast_index
    for alternate in episode.alternates:
        index.alternate_enclosure(alternate)
    if episode.image:
        index.image(episode.image)
    if episode.soundbite:
        index.soundbite(*episode.soundbite)
    for transcript in episode.transcripts:
        index.transcript(transcript)
    if episode.chapters_url:
        index.chapters(episode.chapters_url, CHAPTERS_MIME)
    for person in episode.people:
        index.person(person)
    if episode.location:
        index.location(episode.location)
    if episode.season is not None:
        index.season(episode.season)
    if episode.episode is not None:
        index.episode(episode.episode)


def _check_unique(episodes: list[Episode]) -> None:
    for attribute, what in (("guid", "id"), ("enclosure_url", "audio URL")):
        counts = collections.Counter(getattr(e, attribute) for e in episodes)
        for value, count in counts.items():
            if count > 1:
                sources = [e.source for e in episodes if getattr(e, attribute) == value]
                raise FeedError(
                    f"{', '.join(sources)} share the {what} {value!r}; every episode "
                    "needs its own"
                )
