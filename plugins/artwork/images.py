"""Podcast artwork with Pillow: a square RGB JPEG of 1400 to 3000 pixels.

Apple Podcasts, Spotify and the apps that follow them take cover art only as
a square JPEG or PNG between 1400x1400 and 3000x3000 pixels in RGB. Editors
have photos of every shape and colour mode, so:

- CMYK (print files) and images with an embedded colour profile are
  converted to sRGB with that profile (LittleCMS); without a profile,
  Pillow's plain conversion.
- Transparency (PNG, WebP, GIF) is laid on a solid background colour.
- A non-square image is cropped to its centre square.
- Larger than 3000 pixels: scaled down. Smaller than 1400 on the shorter
  side: an error (scaling up would make a blurred cover), saying the size
  and what to do.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import os

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from portal.code_digest import tree_digest
from portal.problems import FixableError
from portal.pruning import remove_files_but
from portal.writing import whole_image, write_atomically

MIN_SIZE = 1400
MAX_SIZE = 3000
JPEG_QUALITY = 90

logger = logging.getLogger(__name__)
_HERE = os.path.dirname(os.path.abspath(__file__))


@functools.cache
def making_code() -> str:
    """The code that makes the art's bytes (this module and the drawn
    cover): part of every cache key, so changed processing makes new art."""
    return tree_digest(
        os.path.join(_HERE, "images.py"), os.path.join(_HERE, "default_cover.py")
    )


class ArtworkError(FixableError):
    """An image that cannot become podcast art: ``problem`` and ``fix``."""


def open_image(path: str) -> Image.Image:
    name = os.path.basename(path)
    try:
        with Image.open(path) as image:
            image.load()
            return ImageOps.exif_transpose(image)
    except FileNotFoundError as error:
        raise ArtworkError(
            f"'{name}' does not exist", "add the image or correct its name"
        ) from error
    except Image.DecompressionBombError as error:
        raise ArtworkError(
            f"'{name}' has too many pixels to open safely",
            "export it at 3000x3000 pixels",
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ArtworkError(
            f"'{name}' is not an image we can read ({error})",
            "export it again as JPEG or PNG",
        ) from error


def to_srgb(image: Image.Image, background: str) -> Image.Image:
    """An RGB image: colour profile applied, transparency on ``background``."""
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK", "L", "LA"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            mode = "RGBA" if image.mode in ("RGBA", "LA") else "RGB"
            image = ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode=mode
            )
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: fall back to the plain conversion below
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, background)
        flat.alpha_composite(rgba)
        return flat.convert("RGB")
    return image.convert("RGB")


def square(image: Image.Image) -> Image.Image:
    """The centre square of ``image``, at most MAX_SIZE pixels a side."""
    width, height = image.size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    cropped = image.crop((left, top, left + side, top + side))
    if side > MAX_SIZE:
        cropped = cropped.resize((MAX_SIZE, MAX_SIZE), Image.Resampling.LANCZOS)
    return cropped


def check_size(image: Image.Image, name: str) -> None:
    width, height = image.size
    if min(width, height) < MIN_SIZE:
        raise ArtworkError(
            f"'{name}' is {width}x{height} pixels; podcast apps need at least "
            f"{MIN_SIZE}x{MIN_SIZE}",
            f"use an image at least {MIN_SIZE} pixels on its shorter side "
            f"(3000x3000 is best)",
        )


def encode_jpeg(image: Image.Image) -> bytes:
    """Baseline JPEG, no metadata: the same pixels always give the same bytes."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def podcast_art(path: str, background: str) -> bytes:
    """The podcast art (JPEG bytes) made from the image at ``path``."""
    image = open_image(path)
    check_size(image, os.path.basename(path))
    return encode_jpeg(square(to_srgb(image, background)))


def resized_jpeg(path: str, size: int) -> bytes:
    """A ``size``-pixel copy of square art, for web pages."""
    with Image.open(path) as image:
        image.draft("RGB", (size, size))  # decode a JPEG at a fraction of its size
        return encode_jpeg(image.resize((size, size), Image.Resampling.LANCZOS))


class ArtworkCache:
    """Made art kept in Pelican's cache folder, keyed by what it is made from.

    The key covers the source image's bytes and every parameter, so a
    changed image, colour or processing code makes new art, and unchanged
    art is never decoded again. The key also names the published file
    (``fingerprint``), so its URL changes exactly when the art does."""

    def __init__(self, folder: str):
        self.folder = folder

    @staticmethod
    def key(*parts: bytes | str) -> str:
        digest = hashlib.sha256(making_code().encode())
        for part in parts:
            data = part.encode("utf-8") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "big") + data)
        return digest.hexdigest()

    def file(self, key: str, make) -> str:
        """The cached JPEG for ``key``, made with ``make()`` if missing."""
        path = os.path.join(self.folder, key + ".jpg")
        note_use(path)
        if whole_image(path):
            return path
        logger.debug("[artwork] making %s (not in the cache)", path)
        write_atomically(path, make())
        return path


# The cache's files this build's site uses, by path (None: no build is
# counting them). Once the build is made, the cache keeps these alone.
_in_use: set[str] | None = None


def start_use() -> None:
    """A build starts: count the files it uses from now on."""
    global _in_use
    _in_use = set()


def note_use(path: str) -> None:
    if _in_use is not None:
        _in_use.add(path)


def forget_unused(folder: str) -> None:
    """Remove from the cache ``folder`` every image this build did not use:
    a picture replaced, a story taken down (its people's photo), a killed
    write's leftover. Made again, should it be used again. The memos of
    hashes (``.json``) stay."""
    global _in_use
    used, _in_use = _in_use, None
    if used is not None:
        remove_files_but(
            folder, lambda entry: entry.path in used or entry.name.endswith(".json")
        )


def fingerprint(key: str) -> str:
    """Twelve hex digits of a cache key, for file names."""
    return key[:12]
