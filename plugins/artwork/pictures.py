"""A story's picture for web pages: cuts of its square episode art, as
JPEG and WebP.

Web pages show the picture in boxes of two shapes (theme/static/css/site.css):
cards, and the story's header on narrow screens, are 2:1 boxes that the
square fills with ``object-fit: cover``, centred, so half its pixels are
cropped away; the header on wide screens and the embed are square. Each
shape gets files cut to it (``cut``): the 2:1 cut is the centre band of the
square, exactly the part the 2:1 box showed of the square, so visitors see
the same picture with half the pixels fetched. Each cut is written as WebP
(a third of the JPEG's bytes at the same look), and the 2:1 cut as a JPEG
too, the fallback for browsers without WebP. The feed's episode art
(podcast apps take JPEG or PNG only) and the square JPEGs (the square's
fallback, and what share cards draw) are made elsewhere (``images.py``,
``plugin.thumbnail``) and are unchanged by this module.

This module's code is part of its files' cache keys (and so of their
names) but not of the podcast art's: a change here makes new web pictures
and leaves the episode art's URLs alone.
"""

from __future__ import annotations

import functools
import io
import logging
import os

from PIL import Image

from portal.code_digest import tree_digest
from portal.writing import whole_image, write_atomically

from . import images

# WebP's quality 85 looks like the JPEG's 90 for these pictures at about a
# third of the bytes; method 6 (libwebp's smallest) takes tens of
# milliseconds an 800-pixel picture, once: the files are cached.
WEBP_QUALITY = 85
WEBP_METHOD = 6
FORMATS = {"jpeg": ".jpg", "webp": ".webp"}
MIME_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp"}

logger = logging.getLogger(__name__)
_HERE = os.path.dirname(os.path.abspath(__file__))


@functools.cache
def making_code() -> str:
    """The code that makes the web pictures' bytes: this module and the JPEG
    encoder it shares with the podcast art (``images.py``)."""
    return tree_digest(
        os.path.join(_HERE, "pictures.py"), os.path.join(_HERE, "images.py")
    )


def encode(image: Image.Image, kind: str) -> bytes:
    """``image`` as ``kind`` ("jpeg" or "webp"), without metadata: the same
    pixels always give the same bytes."""
    if kind == "jpeg":
        return images.encode_jpeg(image)
    out = io.BytesIO()
    image.save(out, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    return out.getvalue()


def cut(square_art: str, width: int, ratio: tuple[int, int], kind: str) -> bytes:
    """The centre of the square art at ``square_art``, ``ratio`` (width,
    height; never taller than wide) in shape, ``width`` pixels wide: what a
    box of that shape shows of the square with ``object-fit: cover`` and the
    default ``object-position`` (50% 50%)."""
    across, down = ratio
    if not 0 < down <= across:
        raise ValueError(f"a picture's cut must be square or wider: {ratio}")
    height = round(width * down / across)
    with Image.open(square_art) as image:
        # Decode a large JPEG at a fraction of its size, never below the
        # cut's width (a 2:1 band of the square is as wide as the square).
        image.draft("RGB", (width, width))
        side = image.width
        band = side * down / across
        top = (side - band) / 2
        picture = image.convert("RGB").resize(
            (width, height), Image.Resampling.LANCZOS, box=(0, top, side, top + band)
        )
    return encode(picture, kind)


def cached_file(cache: images.ArtworkCache, key: str, suffix: str, make) -> str:
    """The cached file ``<key><suffix>`` in the artwork cache, made with
    ``make()`` if missing or not whole."""
    path = os.path.join(cache.folder, key + suffix)
    images.note_use(path)
    if whole_image(path):
        return path
    logger.debug("[artwork] making %s (not in the cache)", path)
    write_atomically(path, make())
    return path
