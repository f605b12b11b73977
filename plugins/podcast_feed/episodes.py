"""One podcast episode from one cleared story: every value the feed prints.

Reads a published story only through its record (``article.story``,
portal/story_record.py: front matter, audio, URL, art, transcript files and
chapters), so it never depends on how those were made."""

from __future__ import annotations

import dataclasses
import datetime
import textwrap

import markupsafe

from portal.outputs import TRANSCRIPT_FORMATS
from portal.schema import SOUNDBITE_SECONDS
from portal.timecode import whole_seconds

from . import shownotes
from .extensions import AlternateEnclosure, Image, Location, Person, Transcript
from .settings import PodcastConfig
from .urls import ascii_url

# podcast:transcript order: WebVTT first (apps take the first they support).
TRANSCRIPT_ORDER = ("vtt", "srt", "json", "html")


class EpisodeError(ValueError):
    """A story that cannot be an episode: ``field`` and ``fix`` for editors."""

    def __init__(self, source: str, field: str, problem: str, fix: str):
        super().__init__(f"{source}: {field}: {problem} - {fix}")


@dataclasses.dataclass(frozen=True)
class Episode:
    guid: str
    title: str
    link: str
    description_html: str
    published: datetime.datetime  # aware, in the podcast's time zone
    enclosure_url: str
    enclosure_length: int
    enclosure_type: str
    duration: int  # whole seconds
    explicit: bool
    episode_type: str
    image_url: str | None
    transcripts: tuple[Transcript, ...]
    chapters_url: str | None
    people: tuple[Person, ...]
    location: Location | None
    season: int | None
    episode: int | None
    source: str
    alternates: tuple[AlternateEnclosure, ...] = ()
    image: Image | None = None  # podcast:image, when the story has art
    soundbite: tuple[float, float, str] | None = None  # start, duration, title


def from_article(article, config: PodcastConfig) -> Episode:
    story = article.story.front
    source = article.story.source
    audio = article.story.audio
    if not audio.size or audio.size <= 0:
        raise EpisodeError(
            source, "audio", "the audio file is empty", "export it again"
        )
    if not audio.mime_type:
        raise EpisodeError(source, "audio", "has no MIME type", "use MP3 or M4A")
    link = config.absolute(article.url)
    art = article.story.feed_art
    if config.data.type == "serial" and story.episode is None:
        raise EpisodeError(
            source,
            "episode",
            "is missing; the podcast is 'serial', so Apple needs every episode's "
            "number",
            "add 'episode: N' to the story, or make the podcast 'episodic'",
        )
    return Episode(
        guid=story.id,
        title=story.title,
        link=link,
        description_html=description(article, config, link),
        published=published(article, config),
        enclosure_url=config.absolute(article.story.audio_url),
        enclosure_length=int(audio.size),
        enclosure_type=audio.mime_type,
        duration=int(audio.whole_seconds),
        explicit=bool(story.explicit),
        episode_type=story.episode_type,
        image_url=config.absolute(art.path) if art else None,
        transcripts=transcripts(article, config),
        chapters_url=_chapters_url(article, config),
        people=people(article, config),
        location=location(story),
        season=story.season,
        episode=story.episode,
        source=source,
        alternates=alternate_enclosures(article, config),
        image=Image(
            config.absolute(art.path),
            alt=story.image_alt or story.title,
            width=art.width,
            height=art.height,
            type=art.mime_type,
        )
        if art
        else None,
        soundbite=soundbite(story.quote, article.story.chapters or [], audio.duration),
    )


def published(article, config: PodcastConfig) -> datetime.datetime:
    """pubDate: the day the story went public (``public_since``: its
    ``published`` day, else its approval's), in the configured time zone.

    Not the recording date (Pelican's ``article.date`` when ``published`` is
    left out): apps list episodes by pubDate and announce only those newer
    than the newest they have, so a conversation recorded in 2019 and
    published today would sink to the end of the list, never shown as new.
    A day is its midnight in the site's TIMEZONE; a date-time written with
    its own offset is converted, so it stays the same instant. Both come
    from story.md, so the date is the same on every build."""
    when = article.story.public_since
    if not isinstance(when, datetime.datetime):
        when = datetime.datetime.combine(when, datetime.time())
    if when.tzinfo is None:
        when = when.replace(tzinfo=config.timezone)
    return when.astimezone(config.timezone)


def description(article, config: PodcastConfig, link: str) -> str:
    """Show notes: summary, the story's text, its chapters, who talks, where
    to read along.

    The chapters, the credits and the link to the story page always fit; the
    story's text is cut at a whole paragraph when the whole would pass 4000
    bytes."""
    story = article.story.front
    summary = []
    if story.summary:
        summary.append(f"<p>{markupsafe.escape(story.summary)}</p>")
    # get_content() resolves {filename} links against the absolute site URL.
    # Headings, tables and footnotes in shapes apps show (``readable``).
    body_html = shownotes.clean(
        shownotes.readable(article.get_content(config.site_url)), link
    )
    credits = markupsafe.Markup("<p>{}</p>").format(_credits(story))
    listen = markupsafe.Markup('<p><a href="{}">{}</a></p>').format(
        link,
        "Listen on our website, and read along with the transcript"
        if article.story.transcript_url
        else "Listen on our website",
    )
    required = [shownotes.clean(str(credits), link), shownotes.clean(str(listen), link)]
    listed = chapter_list(article.story.chapters or [])
    # A list so long that nothing else would fit is left to the other two
    # ways apps find chapters (podcast:chapters, the MP3's ID3 frames).
    if (
        listed
        and shownotes.size(listed + "".join(required)) <= shownotes.MAX_BYTES // 2
    ):
        required.insert(0, shownotes.clean(listed, link))
    return shownotes.fit(summary + shownotes.blocks(body_html), required)


# Spotify shows chapters only from timestamps in the show notes, and Apple
# reads them when a feed has no chapters file: each on a line of its own,
# "00:00:00 Title", in order, the first at zero, at least three of them.
LISTED_CHAPTERS_AT_LEAST = 3


def chapter_list(chapters: list[dict]) -> str:
    """The chapters as show notes' timestamps, or "" when apps would not
    take them (fewer than three, or the first not at the very start)."""
    if len(chapters) < LISTED_CHAPTERS_AT_LEAST or whole_seconds(chapters[0]["start"]):
        return ""
    lines = markupsafe.Markup("").join(
        markupsafe.Markup("<li>{} {}</li>").format(_clock(c["start"]), c["title"])
        for c in chapters
    )
    return str(markupsafe.Markup("<p>Chapters</p><ul>{}</ul>").format(lines))


def _clock(seconds: float) -> str:
    """HH:MM:SS, the one form both Apple and Spotify take at any length."""
    minutes, secs = divmod(whole_seconds(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def _credits(story) -> str:
    people = [
        f"{person.name}, {person.description}" if person.description else person.name
        for person in story.participants
    ]
    text = "In conversation: " + "; ".join(people) + "."
    if story.location:
        text += f" Recorded in {story.location.name}."
    return text


def transcripts(article, config: PodcastConfig) -> tuple[Transcript, ...]:
    outputs = article.story.transcript_outputs or {}
    out = []
    for fmt in TRANSCRIPT_ORDER:
        path = outputs.get(fmt)
        if not path or fmt not in TRANSCRIPT_FORMATS:
            continue
        _, mime_type, rel = TRANSCRIPT_FORMATS[fmt]
        out.append(Transcript(config.absolute(path), mime_type, config.language, rel))
    return tuple(out)


# podcast:soundbite's title: apps show a line of it (the namespace allows 128).
SOUNDBITE_TITLE = 128


def soundbite(
    quote, chapters: list[dict], duration: float | None = None
) -> tuple[float, float, str] | None:
    """The episode's preview: the quote editors marked (``quote``, already
    15 to 120 s long by the schema), else one taken from its chapters: the
    first chapter long enough (15 s or more), else the longest, played on
    into the next for 15 s when the audio (``duration``) goes on that long;
    at most 120 s."""
    if quote is not None:
        title = textwrap.shorten(quote.text, SOUNDBITE_TITLE, placeholder="…")
        return quote.start, quote.end - quote.start, title
    timed = [c for c in chapters if c.get("end") and c["end"] > c["start"]]
    if not timed:
        return None
    shortest, longest = SOUNDBITE_SECONDS
    chosen = next(
        (c for c in timed if c["end"] - c["start"] >= shortest),
        max(timed, key=lambda c: c["end"] - c["start"]),
    )
    length = min(chosen["end"] - chosen["start"], longest)
    if length < shortest and duration:
        # The namespace asks for 15 s at least: a preview too short to
        # judge the episode by is cut mid-sentence in apps.
        length = max(length, min(shortest, duration - chosen["start"]))
    return float(chosen["start"]), float(length), chosen["title"]


# RFC 6381 codec names apps know, by container (audio_rendition makes AAC-LC).
CODECS = {"MP3": "mp3", "MP4": "mp4a.40.2", "FLAC": "flac", "OggOpus": "opus",
          "OggVorbis": "vorbis"}  # fmt: skip
LOSSLESS = {"FLAC", "WAVE"}


def alternate_enclosures(article, config: PodcastConfig) -> tuple:
    """The rendition and the editors' master, when a setting publishes the
    master (audio_rendition's AUDIO_RENDITION_PUBLISH_MASTER): apps that
    offer a choice of files show both; the master says when it is lossless."""
    master_url = article.story.master_url
    if not master_url:
        return ()
    audio, master = article.story.audio, article.story.master
    kind = "Lossless master" if master.container in LOSSLESS else "Original master"
    return (
        AlternateEnclosure(
            config.absolute(article.story.audio_url), audio.mime_type, int(audio.size),
            audio.bitrate or None, "Standard", CODECS.get(audio.container), True,
        ),
        AlternateEnclosure(
            config.absolute(master_url), master.mime_type, int(master.size),
            master.bitrate or None, f"{kind} ({master.format_label})",
            CODECS.get(master.container),
        ),
    )  # fmt: skip


def _chapters_url(article, config: PodcastConfig) -> str | None:
    path = article.story.chapters_path
    return config.absolute(path) if path else None


def people(article, config: PodcastConfig) -> tuple[Person, ...]:
    """Both participants as guests, then the show's own people again.

    People on an item replace the channel's list in apps, so the host is
    repeated here on every episode."""
    story = article.story.front
    out = [Person(p.name, "guest", "cast") for p in story.participants]
    if story.facilitator:
        out.append(Person(story.facilitator, "host", "cast"))
    out += [show_person(person, group) for person, group in config.people]
    return tuple(out)


def show_person(person, group: str) -> Person:
    return Person(
        person.name,
        person.role,
        group,
        ascii_url(person.href) if person.href else None,
        ascii_url(person.img) if person.img else None,
    )


def location(story) -> Location | None:
    if story.location is None:
        return None
    geo = None
    if story.location.geo is not None:
        lat, lon = story.location.geo
        geo = f"geo:{lat!r},{lon!r}"
    return Location(story.location.name, geo, story.location.country)
