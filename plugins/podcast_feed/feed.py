"""The podcast RSS feed as bytes, from checked settings and episodes.

The same settings and episodes give the same bytes: episodes are ordered by
date and id, and ``lastBuildDate`` (which feedgen sets to "now") is pinned
to the newest episode's date.

feedgen writes each episode's ``<item>`` once (``item``), in a feed of its
own with the same namespaces, so its bytes are the ones it would have in the
whole feed; ``build`` has feedgen write the channel and places the items in
it. A story that did not change keeps its item between builds
(``story_pipeline/memo.py``): at 10,000 episodes feedgen's tree of every
item took 2 s and 150 MB on each build (``benchmarks/``)."""

from __future__ import annotations

import collections
import dataclasses
import datetime

from feedgen.feed import FeedGenerator

from portal.outputs import CHAPTERS_MIME

from . import extensions
from .episodes import Episode, show_person
from .settings import PodcastConfig

GENERATOR = "One Small Step story portal (Pelican, python-feedgen)"
# A feed with no episode yet still needs a fixed date to stay reproducible.
EMPTY_FEED_DATE = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


# Where feedgen's pretty printing puts the channel's end, and an item's
# start and end, one level inside it.
CHANNEL_END = b"\n  </channel>"
ITEM_START = b"\n    <item>"
ITEM_END = b"</item>"


class FeedError(ValueError):
    pass


@dataclasses.dataclass(frozen=True)
class Item:
    """One episode as the feed prints it, and what items are ordered and
    checked by."""

    guid: str
    published: datetime.datetime
    enclosure_url: str
    source: str
    xml: bytes  # the <item> element, with the line break before it


def item(episode: Episode) -> Item:
    """The episode's ``<item>``, written by feedgen in a feed of its own."""
    fg = FeedGenerator()
    extensions.register(fg)
    # feedgen writes no channel without these three; they are cut away.
    fg.title("-")
    fg.link(href="https://example.org/")
    fg.description("-")
    _add(fg, episode)
    whole = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    # The item is the channel's last child: its end is the last "</item>",
    # whatever its show notes hold (only the channel's and the feed's ends
    # follow it). Its start is the first: the channel's own text is escaped.
    start = whole.index(ITEM_START)
    end = whole.rindex(ITEM_END) + len(ITEM_END)
    return Item(
        guid=episode.guid,
        published=episode.published,
        enclosure_url=episode.enclosure_url,
        source=episode.source,
        xml=whole[start:end],
    )


def ordered(items: list[Item]) -> list[Item]:
    """Newest first; episodes of the same moment by id, so order is stable."""
    return sorted(items, key=lambda e: (e.published, e.guid), reverse=True)


def build(
    config: PodcastConfig,
    items: list[Item],
    cover_url: str,
    cover_size: tuple[int, int] | None = None,
) -> bytes:
    """The feed's XML (UTF-8, with declaration)."""
    _check_unique(items)
    items = ordered(items)
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
    newest = items[0].published if items else EMPTY_FEED_DATE
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

    channel = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    end = channel.rindex(CHANNEL_END)
    return b"".join([channel[:end], *(each.xml for each in items), channel[end:]])


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


def _check_unique(items: list[Item]) -> None:
    for attribute, what in (("guid", "id"), ("enclosure_url", "audio URL")):
        counts = collections.Counter(getattr(e, attribute) for e in items)
        for value, count in counts.items():
            if count > 1:
                sources = [e.source for e in items if getattr(e, attribute) == value]
                raise FeedError(
                    f"{', '.join(sources)} share the {what} {value!r}; every episode "
                    "needs its own"
                )
