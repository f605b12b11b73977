"""Podcast artwork for the show and for stories, made with Pillow.

Sets, for other plugins and templates:
- ``context["show_cover"]``: an ``Artwork`` (site-relative ``path``, ``width``,
  ``height``) for the show's cover, from ``ARTWORK_SHOW_COVER`` or drawn
  from the campaign's name and colours when that is empty; and
  ``context["show_cover_thumbnail"]``, a 600-pixel copy for web pages.
- ``article.story.feed_art``: an ``Artwork`` for each story whose ``image`` can be
  podcast art (checked while the gate inspects stories, so a problem is
  reported against the story's ``image`` line).
- ``article.story.picture``: a ``StoryPicture`` for the story's header, cards,
  share card and embed: the art cut square and 2:1 (``pictures.py``) as WebP
  400 and 800 pixels wide, with JPEGs for browsers without WebP, and the
  ``image_alt``; None without usable art (the theme then draws its fallback).

Files are named with a fingerprint of their bytes (``cover-<hash>.jpg``), so
apps that cache art by URL fetch it again when it changes; only cleared
stories' art is written to the output.

Settings (defaults in ``DEFAULTS``, checked in ``settings()``):
- ``ARTWORK_SHOW_COVER``: the cover's source image, relative to the content
  folder (``images/podcast-cover.png``); empty: the drawn cover.
- ``ARTWORK_SHOW_COVER_DIR``: the output folder of the cover (``podcast``).
- ``ARTWORK_BACKGROUND``: the colour transparent parts are laid on.
- ``ARTWORK_COLOURS``: deprecated; the drawn cover takes the campaign's
  colours (``CAMPAIGN_COLOURS``, portal/palette.py), and this setting, still
  laid over them for the cover alone, warns with the lines to use instead.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import posixpath
import re

from pelican import signals
from PIL import Image, ImageColor

from portal import media, palette
from portal import signals as portal_signals
from portal.file_hashes import FileHashes
from portal.outputs import story_folder
from portal.paths import StoryPathError, story_file
from portal.problems import Problem, Severity
from portal.sizes import image_too_large

from . import default_cover, images, pictures

logger = logging.getLogger(__name__)

DEFAULTS = {
    "ARTWORK_SHOW_COVER": "",
    "ARTWORK_SHOW_COVER_DIR": "podcast",
    "ARTWORK_BACKGROUND": "#ffffff",
    "ARTWORK_COLOURS": {},
}
# ARTWORK_COLOURS' names and the palette's colours they now are.
ARTWORK_COLOUR_NAMES = {
    "background": "ink",
    "background_top": "ink-top",
    "accent": "accent",
    "highlight": "highlight",
    "text": "on-ink",
    "muted": "on-ink-muted",
}
CACHE_FOLDER = "artwork"
HASHES_FILE = "hashes.json"  # the story images' hashes, by stat
THUMBNAIL_SIZE = 600  # shown at up to 16rem, twice that for sharp screens
# A story's picture on web pages: each cut as WebP in these widths (srcset:
# browsers pick by the box's width and the screen's density). Browsers
# without WebP get one JPEG (the <img>'s src): the 2:1 cut's is 800 wide,
# sharp on every screen; the square's are the 400 and 800 ones share cards
# and search results use too.
PICTURE_SIZES = (400, 800)
WIDE_JPEG_SIZES = (800,)
# The shapes pages show it in (theme/static/css/site.css): cards, and the
# story's header on narrow screens, 2:1; the header on wide screens and the
# embed, square.
WIDE = (2, 1)
SQUARE = (1, 1)


@dataclasses.dataclass(frozen=True)
class Artwork:
    path: str  # site-relative output path
    width: int
    height: int
    file: str  # the made image in the cache folder
    mime_type: str = "image/jpeg"


@dataclasses.dataclass(frozen=True)
class PictureCut:
    """One shape of a story's picture: WebP in every ``PICTURE_SIZES`` width
    and the JPEGs made of it, narrowest first."""

    jpeg: tuple[Artwork, ...]
    webp: tuple[Artwork, ...]


@dataclasses.dataclass(frozen=True)
class StoryPicture:
    """A story's image on its pages, made from its episode art: ``square``
    and ``wide`` (2:1, the square's centre band) cuts, and the alt text."""

    square: PictureCut
    wide: PictureCut
    alt: str

    @property
    def small(self) -> Artwork:
        """The 400-pixel square JPEG (share cards, search results, the
        embed's fallback)."""
        return self.square.jpeg[0]

    @property
    def large(self) -> Artwork:
        """The 800-pixel square JPEG (the header's fallback)."""
        return self.square.jpeg[-1]

    @property
    def files(self) -> tuple[Artwork, ...]:
        return (*self.square.jpeg, *self.square.webp, *self.wide.jpeg, *self.wide.webp)


def settings(pelican_settings) -> dict:
    out = {key: pelican_settings.get(key, value) for key, value in DEFAULTS.items()}
    colours = {"ARTWORK_BACKGROUND": out["ARTWORK_BACKGROUND"]}
    colours.update(
        {f"ARTWORK_COLOURS['{k}']": v for k, v in out["ARTWORK_COLOURS"].items()}
    )
    for name, value in colours.items():
        try:
            ImageColor.getrgb(value)
        except (ValueError, AttributeError) as error:
            raise ValueError(
                f"{name} = {value!r} is not a colour; write one like '#1d2433'"
            ) from error
    unknown = set(out["ARTWORK_COLOURS"]) - set(ARTWORK_COLOUR_NAMES)
    if unknown:
        raise ValueError(
            f"ARTWORK_COLOURS has unknown keys {sorted(unknown)}; it is deprecated: "
            f"set CAMPAIGN_COLOURS instead (names in portal/palette.py)"
        )
    if not re.fullmatch(
        r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*", out["ARTWORK_SHOW_COVER_DIR"]
    ):
        raise ValueError("ARTWORK_SHOW_COVER_DIR must be a folder like 'podcast'")
    return out


def cover_colours(pelican_settings) -> palette.Palette:
    """The drawn cover's colours: the campaign's, with the deprecated
    ``ARTWORK_COLOURS`` laid over them."""
    colours = dict(palette.campaign_colours(pelican_settings))
    for old, value in settings(pelican_settings)["ARTWORK_COLOURS"].items():
        colours[ARTWORK_COLOUR_NAMES[old]] = value
    return palette.Palette(tuple(colours.items())).subset(default_cover.COLOURS)


def warn_deprecated(pelican) -> None:
    """ARTWORK_COLOURS still works, for the cover alone: say what replaces it."""
    old = settings(pelican.settings)["ARTWORK_COLOURS"]  # a bad value stops here
    if not old:
        return
    lines = ", ".join(
        f"'{ARTWORK_COLOUR_NAMES[name]}': {value!r}" for name, value in old.items()
    )
    logger.warning(
        "[artwork] ARTWORK_COLOURS is deprecated and colours only the drawn "
        "podcast cover; write CAMPAIGN_COLOURS = {%s} in the settings file "
        "instead, so the site and the share cards match the cover, and remove "
        "ARTWORK_COLOURS",
        lines,
    )


def _cache(pelican_settings) -> images.ArtworkCache:
    return images.ArtworkCache(
        os.path.join(pelican_settings["CACHE_PATH"], CACHE_FOLDER)
    )


def _artwork(path: str, file: str, mime_type: str = "image/jpeg") -> Artwork:
    with Image.open(file) as image:  # reads the header only
        width, height = image.size
    return Artwork(path, width, height, file, mime_type)


def show_cover(pelican_settings, cache: images.ArtworkCache) -> Artwork:
    """The show's cover: the editors' image made fit, or the drawn one."""
    opts = settings(pelican_settings)
    folder = opts["ARTWORK_SHOW_COVER_DIR"]
    source = opts["ARTWORK_SHOW_COVER"]
    if source:
        path = os.path.join(pelican_settings["PATH"], source)
        try:
            with open(path, "rb") as handle:
                raw = handle.read()
        except OSError as error:
            raise images.ArtworkError(
                f"ARTWORK_SHOW_COVER: '{source}' cannot be read ({error.strerror})",
                "put the image in the content folder or correct the setting",
            ) from error
        key = cache.key("show", raw, opts["ARTWORK_BACKGROUND"])
        try:
            file = cache.file(
                key, lambda: images.podcast_art(path, opts["ARTWORK_BACKGROUND"])
            )
        except images.ArtworkError as error:
            raise images.ArtworkError(
                f"ARTWORK_SHOW_COVER: {error.problem}", error.fix
            ) from error
    else:
        campaign = pelican_settings.get("CAMPAIGN") or {}
        title = pelican_settings.get("SITENAME", "")
        tagline = campaign.get("tagline") or pelican_settings.get("SITESUBTITLE", "")
        organization = campaign.get("organization") or pelican_settings.get(
            "AUTHOR", ""
        )
        colours = cover_colours(pelican_settings)
        key = cache.key("drawn", title, tagline, organization, repr(colours.colours))
        file = cache.file(
            key,
            lambda: images.encode_jpeg(
                default_cover.draw_cover(title, tagline, organization, colours)
            ),
        )
    return _artwork(f"{folder}/cover-{images.fingerprint(key)}.jpg", file)


def thumbnail(art: Artwork, cache: images.ArtworkCache, size: int) -> Artwork:
    """A small copy of ``art`` for web pages (the full cover is megabytes)."""
    key = cache.key("thumbnail", os.path.basename(art.file), str(size))
    file = cache.file(key, lambda: images.resized_jpeg(art.file, size))
    stem = art.path.rsplit(".", 1)[0]
    return _artwork(f"{stem}-{size}.jpg", file)


def picture_files(
    art: Artwork,
    cache: images.ArtworkCache,
    ratio: tuple[int, int],
    kind: str,
    widths: tuple[int, ...] = PICTURE_SIZES,
) -> tuple[Artwork, ...]:
    """``art`` (square) cut to ``ratio`` in each of ``widths``, as ``kind``
    ("jpeg" or "webp"), beside it: ``podcast-art-<hash>-<width>``, the hash
    of the art, the shape and the code that cuts it (both kinds of one cut
    share it)."""
    source, shape = os.path.basename(art.file), f"{ratio[0]}:{ratio[1]}"
    code = pictures.making_code()
    name = images.fingerprint(cache.key("picture", source, shape, code))
    suffix = pictures.FORMATS[kind]
    made = []
    for width in widths:
        key = cache.key("picture", source, shape, str(width), kind, code)
        file = pictures.cached_file(
            cache,
            key,
            suffix,
            lambda width=width: pictures.cut(art.file, width, ratio, kind),
        )
        path = posixpath.join(
            posixpath.dirname(art.path), f"podcast-art-{name}-{width}{suffix}"
        )
        made.append(_artwork(path, file, pictures.MIME_TYPES[kind]))
    return tuple(made)


def story_picture(art: Artwork, cache: images.ArtworkCache, alt: str) -> StoryPicture:
    """The web pictures of a story whose episode art is ``art``. The square
    JPEGs keep the names they always had (``podcast-art-<hash>-<width>.jpg``,
    the art's hash), which share cards and search results use."""
    square = PictureCut(
        tuple(thumbnail(art, cache, size) for size in PICTURE_SIZES),
        picture_files(art, cache, SQUARE, "webp"),
    )
    wide = PictureCut(
        picture_files(art, cache, WIDE, "jpeg", WIDE_JPEG_SIZES),
        picture_files(art, cache, WIDE, "webp"),
    )
    return StoryPicture(square, wide, alt)


def check_story_art(generator, stories, report):
    """Make each story's podcast art; report images that cannot be used."""
    opts = settings(generator.settings)
    cache = _cache(generator.settings)
    hashes = FileHashes(
        os.path.join(generator.settings["CACHE_PATH"], CACHE_FOLDER, HASHES_FILE)
    )
    for story in stories:
        story.story.feed_art = None
        story.story.picture = None
        name = story.story.front.image
        if not name:
            continue
        try:
            path = story_file(story.story.folder, name)
            if not os.path.isfile(path) or image_too_large(path):
                # content_checks reports it (missing, or never read whole):
                # not again as a picture that "cannot be read".
                continue
            # By the image's bytes: a fresh checkout makes no art again.
            key = cache.key("story", hashes.sha256(path), opts["ARTWORK_BACKGROUND"])
            file = cache.file(
                key,
                lambda path=path: images.podcast_art(path, opts["ARTWORK_BACKGROUND"]),
            )
        except (images.ArtworkError, StoryPathError, OSError) as error:
            problem = getattr(error, "problem", None) or f"'{name}' cannot be read"
            report(
                Problem(
                    story.story.source,
                    "image",
                    f"{problem}, so podcast apps show the show's cover for this "
                    "episode",
                    getattr(error, "fix", "check the image file"),
                    story.story.lines.get(("image",)),
                    Severity.WARNING,
                )
            )
            continue
        story.story.feed_art = _artwork(
            f"{story_folder(story)}podcast-art-{images.fingerprint(key)}.jpg", file
        )
        story.story.picture = story_picture(
            story.story.feed_art, cache, story.story.front.image_alt or ""
        )
    hashes.save()


class ArtworkGenerator:
    """Makes the show cover (context) and writes the art of cleared stories."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.output_path = output_path

    def generate_context(self):
        cache = _cache(self.settings)
        try:
            cover = show_cover(self.settings, cache)
        except images.ArtworkError as error:
            raise images.ArtworkError(
                f"pelicanconf.py: {error.problem}", error.fix
            ) from error
        self.context["show_cover"] = cover
        self.context["show_cover_thumbnail"] = thumbnail(cover, cache, THUMBNAIL_SIZE)

    def generate_output(self, writer):
        files = [self.context["show_cover"], self.context["show_cover_thumbnail"]]
        for story in self.context.get("articles", []):
            if story.story.feed_art:
                files.append(story.story.feed_art)
            if story.story.picture:
                files.extend(story.story.picture.files)
        # Linked from the cache; one already there with the same bytes is
        # left alone, so a rebuild writes no image again (benchmarks/README.md).
        hashes = media.file_hashes(self.settings.get("CACHE_PATH"), "artwork")
        for art in files:
            target = os.path.join(self.output_path, art.path)
            media.publish_file(art.file, target, hashes)
        hashes.save()


def get_generators(pelican):
    return ArtworkGenerator


def start_build(_pelican) -> None:
    images.start_use()


def forget_unused_art(pelican) -> None:
    """Once the build is made: the cache keeps the art its site uses (not
    after a build that failed, which never gets here, nor a check)."""
    if pelican.settings.get("CACHE_PATH"):
        images.forget_unused(_cache(pelican.settings).folder)


def register():
    signals.initialized.connect(start_build)
    signals.finalized.connect(forget_unused_art)
    signals.initialized.connect(warn_deprecated)
    portal_signals.story_parts.connect(check_story_art)
    signals.get_generators.connect(get_generators)
