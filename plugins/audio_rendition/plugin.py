"""The audio listeners get: a delivery rendition of every published story.

Editors commit the master they have (WAV, FLAC, M4A, MP3, Ogg, Opus). For
each story the approval gate cleared, this plugin makes one rendition with
ffmpeg (MP3, or AAC in M4A; loudness-normalized with loudnorm's two passes)
and tags it with mutagen (title, participants, show, dates, artwork, ID3
chapters with a link to each moment of the story page), then publishes it:
``article.story.audio`` becomes the rendition's facts (size, type, duration: what
the player, the download link, the feed, Open Graph and JSON-LD print) and
``article.story.audio_url`` its URL; the story's chapters are timed for it
(``transcripts.chapters.fit_to_audio``). The master's facts stay as
``article.story.master``; the master itself is published only with
``AUDIO_RENDITION_PUBLISH_MASTER`` (``article.story.master_url``).

Work is done once: files are cached by content (``cache.py``), masters are
encoded on every core (ffmpeg runs in threads; ``BUILD_WORKERS``), and two
stories with the same master share one encoding. At the end of a successful
build (``finalized``; a failed build never gets there), cached files no
story uses any more are removed (``RenditionCache.prune``).

Runs as a generator after ``artwork`` (the show cover) and ``podcast_feed``
(the show's name) and before ``story_embeds`` (which prints the audio URL):
keep that order in PLUGINS. Settings: ``settings.py``.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import logging
import os
import re

from pelican import signals
from story_audio.audio import AudioInfo, read_audio
from transcripts.chapters import fit_to_audio as fit_chapters

from portal import media, parallel, site_address
from portal import signals as portal_signals
from portal.outputs import absolute_url, story_folder
from portal.paths import real_path
from portal.problems import Problem, Severity, record_problems

from . import cache as cache_module
from . import encode, loudness, tags
from .cover import EmbeddedArt, embedded_art
from .ffmpeg import FFmpegError
from .loudness import Loudness, MasterMeasurement
from .settings import settings

logger = logging.getLogger(__name__)

FLAG_FIXES = {
    "silent": "check that the right file is committed, and export it again",
    "clipped": "record again with a lower input level, or export the master "
    "again from a recording that is not clipped",
    "one channel only": "export the recording as mono, or copy the recorded "
    "channel to both",
    "far from the target": "check the recording level; the rendition is "
    "normalized, but a very quiet master brings its noise up with it",
}


@dataclasses.dataclass(frozen=True)
class Rendition:
    """What the build report says about one story's audio."""

    source: str  # the story's story.md, as editors see the path
    master: str  # the master's file name
    published: str  # the rendition's file name
    before: Loudness
    after: Loudness
    flags: tuple[str, ...]
    encoded_now: bool  # its master encoded in this build (False: from the cache)
    # Another story's master with the same bytes was encoded in this build,
    # and this story's rendition was made from that encoding.
    shares_encoding: bool = False


class RenditionBuildError(Exception):
    """Renditions that could not be made; every problem on its own line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"the podcast audio could not be made:\n{lines}")


# What the stories of the build under way use in each rendition cache
# ({cache folder: {user: (story source, files)}}), pruned by when it ends.
_build_uses: dict[str, dict] = {}


class AudioRenditionGenerator:
    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.output_path = output_path
        self.copies: list[tuple[str, str]] = []
        self.renditions: list[tuple[str, str]] = []  # (slug, published file)
        self._arts: dict[str | None, EmbeddedArt | None] = {}  # by source file

    def generate_context(self):
        options = settings(self.settings)
        uses = _build_uses[options.cache_path] = {}
        stories = [
            story
            for story in self.context.get("articles", [])
            if story.story.audio is not None
        ]
        if not stories:
            return
        cache = self._cache = cache_module.RenditionCache(options.cache_path)
        # The same for every story's tags and cache user: once a build.
        self._site = site_address.absolute_site_url(self.settings)
        self._show = (self.context.get("podcast_feed") or {}).get("title") or (
            self.settings.get("SITENAME", "")
        )
        with concurrent.futures.ThreadPoolExecutor(
            parallel.workers(self.settings)
        ) as pool:
            users = [self._user(story) for story in stories]
            renditions = _make(
                stories, options, cache, pool, self._tags, self._art, (users, uses)
            )
        cache.save()
        # Let the cache's tables go (the facts of 20,000 files at 10,000
        # stories): nothing reads them after this, and they were held to the
        # end of the build, where its memory peaks.
        self._cache = None
        self._publish(stories, options)
        warnings = [
            Problem(
                story.story.source,
                "audio",
                f"'{rendition.master}' is {flag}",
                FLAG_FIXES[flag.split(":", 1)[0]],
                story.story.lines.get(("audio",)),
                Severity.WARNING,
            )
            for story, rendition in zip(stories, renditions, strict=True)
            for flag in rendition.flags
        ]
        for problem in warnings:
            logger.warning("%s", problem)
        # Kept in the context too: ``./dev check`` (portal.checking) lists the
        # problems the build keeps there, not what it logs.
        record_problems(self.context, warnings)
        portal_signals.renditions_made.send(
            self, renditions=renditions, settings=options
        )

    def _tags(self, story) -> tags.Tags:
        meta = story.story.front
        page = absolute_url(self._site, story.url)
        chapters = []
        for number, chapter in enumerate(story.story.chapters, 1):
            chapters.append(
                tags.Chapter(
                    float(chapter["start"]),
                    float(chapter["end"] or story.story.audio.duration),
                    chapter["title"],
                    f"{page}#chapter-{number}",
                )
            )
        return tags.Tags(
            title=story.title,
            participants=tuple(meta.participant_names),
            show=self._show,
            recorded=meta.date.isoformat()[:10],
            # The day it went public (the story reader's ``modified``), as the
            # feed's pubDate.
            released=story.modified.date().isoformat(),
            page_url=page,
            chapters=tuple(chapters),
        )

    def _user(self, story) -> tuple[str, str]:
        """Who uses cache files, as ``uses.json`` keys it: a story (its
        source) built for a site (its address: the tags hold it)."""
        source = real_path(story.source_path)
        return f"{self._site} {source}", source

    def _art(self, story, options) -> EmbeddedArt | None:
        art = story.story.feed_art or self.context.get("show_cover")
        source = art.file if art else None
        # Most stories embed the show's cover: looked up once a build.
        if source not in self._arts:
            self._arts[source] = embedded_art(
                source,
                options.artwork_size,
                options.cache_path,
                self._cache.master_hash,
            )
        return self._arts[source]

    def _publish(self, stories, options) -> None:
        where = media.settings(self.settings)
        for story in stories:
            folder = story_folder(story)
            story.story.audio_url, target = media.audio_location(
                where, self.output_path, folder + story.story.audio.filename
            )
            self.copies.append((story.story.audio_path, target))
            self.renditions.append((story.slug, target))
            story.story.master_url = None
            if options.publish_master:
                story.story.master_url, target = media.audio_location(
                    where, self.output_path, folder + story.story.master.filename
                )
                self.copies.append((story.story.master_path, target))

    def generate_output(self, writer):
        hashes = media.file_hashes(self.settings.get("CACHE_PATH"), "audio_rendition")
        # A story's earlier renditions are looked for only when its current
        # one is not in place yet, and removed before it is placed: a
        # rendition in place had them removed when it was placed, even by a
        # build stopped right after. A rebuild listed each of 10,000 story
        # folders for them (0.3-0.4 s of every rebuild at 10,000 stories).
        for slug, target in self.renditions:
            if not os.path.lexists(target):
                _remove_earlier_renditions(slug, target)
        for source, target in self.copies:
            media.publish_file(source, target, hashes)
        hashes.save()


# A rendition's name: the story's slug, the tagged copy's key, the format.
_RENDITION_NAME = re.compile(r"(.+)-[0-9a-f]{12}\.(mp3|m4a)")


def _remove_earlier_renditions(slug: str, target: str) -> None:
    """The story's renditions of earlier builds (other tags, other settings)
    in an output folder that is not emptied between builds (development)."""
    folder, current = os.path.split(target)
    # Only a name that starts with the slug can be one: the pattern is
    # matched on those alone, not on each of the twenty-odd other files of
    # the story's folder (its pages, transcripts, pictures, their .gz/.br).
    prefix = f"{slug}-"
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return  # a new story's folder: nothing earlier
    for name in names:
        if name == current or not name.startswith(prefix):
            continue
        found = _RENDITION_NAME.fullmatch(name)
        if found and found.group(1) == slug:
            os.remove(os.path.join(folder, name))


def _cache_files(cache, kind: str, key: str, extension: str) -> list[str]:
    """The cache's names of an entry: the audio and its facts."""
    return [cache.name(kind, key, ext) for ext in (extension, ".json")]


def _mark(cache, using, files: list[list[str]]) -> None:
    """Mark ``files`` (a list for each story) in use, before they are looked
    up or made. ``using``: (each story's user, this build's uses so far)."""
    users, uses = using
    marked = {}
    for (user, source), names in zip(users, files, strict=True):
        known = uses.get(user, (source, []))[1]
        uses[user] = marked[user] = (source, [*known, *names])
    cache.mark_in_use(marked)


def _make(stories, options, cache, pool, make_tags, make_art, using) -> list[Rendition]:
    """Encode what the cache lacks, tag, and point each story at its file.
    ``using``: each story's user of the cache and this build's uses, which
    ``_mark`` fills in."""
    extension = options.extension
    # Most masters' hashes are remembered (a stat each, answered here); only
    # the masters to read go to the threads: a task each for 10,000 stories
    # cost a second.
    paths = [story.story.audio_path for story in stories]
    hashes = [cache.remembered_hash(path) for path in paths]
    unknown = [index for index, value in enumerate(hashes) if value is None]
    for index, value in zip(
        unknown, pool.map(cache.master_hash, [paths[i] for i in unknown]), strict=True
    ):
        hashes[index] = value
    code = cache_module.encoding_code()
    # The settings written out once, not once a story: the same digests.
    encoding = cache_module.json_part(options.encoding)
    keys = [cache_module.digest("encoded", value, encoding, code) for value in hashes]

    tag_code = cache_module.tagging_code()
    jobs = []
    files = []
    art_names: dict[str, str] = {}  # cache.relative of each art file
    for key, story in zip(keys, stories, strict=True):
        story_tags = make_tags(story)
        art = make_art(story, options)
        art_name = ""
        if art:
            art_name = art_names.get(art.path) or art_names.setdefault(
                art.path, cache.relative(art.path)
            )
        tags_json = story_tags.to_json()
        # The tag key holds the art's JPEG bytes; the JPEG's name holds its
        # source's hash, so the key is remembered by name and the JPEG read
        # only when the key is new.
        tag_key = cache.tag_key(
            (key, tags_json, art_name, tag_code),
            lambda art=art, tags_json=tags_json, key=key: cache_module.digest(
                "tagged", key, tags_json, art.data if art else b"", tag_code
            ),
            remembered=not (art and art.made),
        )
        jobs.append((key, tag_key, story_tags, art))
        files.append(
            _cache_files(cache, "encoded", key, extension)
            + _cache_files(cache, "tagged", tag_key, extension)
            + ([art_name] if art else [])
        )
    # Every file the stories use is marked before any is looked up or made.
    _mark(cache, using, files)

    # One encoding a distinct master, only those the cache does not hold.
    todo = {}
    for key, story in zip(keys, stories, strict=True):
        if key not in todo and cache.facts("encoded", key, extension) is None:
            todo[key] = story
    failures = []
    for key, error in pool.map(
        lambda item: _encode(cache, options, *item), list(todo.items())
    ):
        if error is not None:
            failures.append(
                Problem(
                    todo[key].story.source,
                    "audio",
                    error.problem,
                    error.fix,
                    todo[key].story.lines.get(("audio",)),
                )
            )
    if failures:
        raise RenditionBuildError(failures)
    # Only the copies the cache lacks go to the threads.
    untagged = [job for job in jobs if cache.facts("tagged", job[1], extension) is None]
    list(pool.map(lambda job: _tag(cache, options, *job), untagged))

    renditions = []
    for story, (key, tag_key, _, _) in zip(stories, jobs, strict=True):
        encoded = cache.facts("encoded", key, extension)
        tagged = cache.facts("tagged", tag_key, extension)
        measured = MasterMeasurement.from_json(encoded["master"])
        published = f"{story.slug}-{tag_key[:12]}{extension}"
        story.story.master = story.story.audio
        story.story.master_path = story.story.audio_path
        # Read with its published name (dataclasses.replace on the facts
        # read would make them twice).
        story.story.audio = AudioInfo.from_json(
            {**tagged["audio"], "filename": published}
        )
        story.story.audio_path = cache.path("tagged", tag_key, extension)
        # The chapters end where the rendition ends, as its ID3 chapters do.
        fit_chapters(story.story, story.story.audio.duration)
        renditions.append(
            Rendition(
                source=story.story.source,
                master=story.story.master.filename,
                published=published,
                before=measured.loudness,
                after=Loudness(**encoded["after"]),
                flags=tuple(measured.flags(options.loudness, options.far_from_target)),
                encoded_now=todo.get(key) is story,
                shares_encoding=key in todo and todo[key] is not story,
            )
        )
    return renditions


def _encode(cache, options, key: str, story):
    """(key, None) once the encoded file is in the cache; (key, error) if not."""
    name = story.story.audio.filename
    try:
        measured = loudness.measure_master(story.story.audio_path, name, options)
        target = cache.path("encoded", key, options.extension)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        result = encode.encode(
            story.story.audio_path,
            target,
            name,
            measured,
            story.story.audio.duration,
            options,
        )
    except FFmpegError as error:
        return key, error
    cache.store_facts(
        "encoded",
        key,
        options.extension,
        {
            "master": measured.to_json(),
            "after": dataclasses.asdict(result.loudness),
            "duration": result.duration,
            "attempts": result.attempts,
        },
    )
    return key, None


def _tag(cache, options, key: str, tag_key: str, story_tags, art) -> None:
    extension = options.extension
    if cache.facts("tagged", tag_key, extension) is not None:
        return
    encoded = cache.facts("encoded", key, extension)
    target = cache.path("tagged", tag_key, extension)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    tags.write(
        cache.path("encoded", key, extension),
        target,
        story_tags,
        art.data if art else b"",
        options.format,
        encoded["duration"],
    )
    info = read_audio(target)
    cache.store_facts("tagged", tag_key, extension, {"audio": info.to_json()})


def forget_uses(pelican) -> None:
    """A new build: what an earlier one (failed midway) used is not this one's."""
    _build_uses.clear()


def prune_cache(pelican) -> None:
    """The build succeeded: each story it built uses exactly its files now,
    and files no story uses are removed."""
    options = settings(pelican.settings)
    uses = _build_uses.pop(options.cache_path, None)
    if uses is None or not options.cache_path or not options.prune:
        return
    removed = cache_module.RenditionCache(options.cache_path).prune(uses)
    if removed:
        logger.info(
            "[audio_rendition] removed %d cached files no story uses any more",
            len(removed),
        )


def get_generators(pelican):
    return AudioRenditionGenerator


def register():
    signals.initialized.connect(forget_uses)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(prune_cache)
