"""Funder logos of any format and size, normalized for the web.

Every logo is trimmed of empty margins and normalized to one height (the
setting), then made, as WebP with a PNG fallback, at each height the pages
show it at for 1x and 2x screens (``data.file_heights``). Raster formats are
read by Pillow; SVG is rasterized by CairoSVG (which needs the cairo library,
Debian's ``libcairo2``) with external files and URLs refused, so nothing from
the SVG but its drawing reaches the site.

Results are cached by what makes them: the file's bytes (SHA-256), its
suffix, the settings and this module's code. An unchanged logo is never
decoded again, even in a fresh checkout whose files all have new mtimes; the
file's hash is remembered while its stat is the same (``portal.file_hashes``),
so a rebuild does not read it either."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import logging
import os
import warnings

from PIL import Image, ImageChops, ImageCms, ImageOps, UnidentifiedImageError

from portal.code_digest import tree_digest
from portal.file_hashes import FileHashes
from portal.problems import FixableError
from portal.writing import (
    atomic_file,
    copy_if_changed,
    whole_image,
    write_atomically,
)

logger = logging.getLogger(__name__)

HASHES_FILE = "hashes.json"  # the logo files' hashes, by stat
RASTER_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".tif", ".tiff", ".bmp"}
SVG_SUFFIXES = {".svg"}
# A pixel differs from the background when a channel differs by more than
# this: JPEG noise around a logo is not part of it.
TRIM_TOLERANCE = 12
# Refuse images beyond this many pixels before decoding them: a logo never
# needs them, and decoding them could exhaust the build machine's memory.
MAX_PIXELS = 150_000_000


class LogoError(FixableError):
    """A logo that cannot be used; ``problem`` and ``fix`` are for editors."""


@dataclasses.dataclass(frozen=True)
class Normalized:
    digest: str  # identifies input and processing: the output file names use it
    files: dict[int, tuple[str, str]]  # height -> the cached WebP and PNG
    width: int  # at the normalized height; each file is this size scaled
    height: int
    source_height: int  # the drawing's height before scaling (after trimming)


def load_image(path: str, height: int) -> Image.Image:
    """The logo as an RGBA image, whatever its format and colour mode."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in SVG_SUFFIXES:
        return _rasterize_svg(path, height)
    if suffix not in RASTER_SUFFIXES:
        raise LogoError(
            f"'{os.path.basename(path)}' is not an image format we can use",
            "use a PNG, JPEG, WebP, GIF or SVG file",
        )
    name = os.path.basename(path)
    too_large = LogoError(
        f"'{name}' is far larger than a logo needs",
        "save a smaller copy (a few hundred pixels high is plenty)",
    )
    try:
        with warnings.catch_warnings():
            # We check the size ourselves, below, with a clearer message.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
        if image.width * image.height > MAX_PIXELS:
            raise too_large
        image.seek(0)  # the first frame of an animation
        if image.format == "JPEG":
            # Decode a big JPEG at a fraction of its size: far faster, and
            # still twice the pixels the logo needs.
            scale = 2 * height / image.height
            image.draft(image.mode, (round(image.width * scale), 2 * height))
        image = ImageOps.exif_transpose(image)
        image.load()
    except Image.DecompressionBombError as error:
        raise too_large from error
    except UnidentifiedImageError as error:
        raise LogoError(
            f"'{name}' is not an image we can read",
            "export the logo again as PNG or SVG",
        ) from error
    except OSError as error:
        raise LogoError(
            f"'{name}' is damaged or cut short ({error})",
            "export the logo again as PNG or SVG",
        ) from error
    return _to_rgba(image)


def _to_rgba(image: Image.Image) -> Image.Image:
    if image.mode == "CMYK":
        image = _cmyk_to_rgb(image)
    elif image.mode in {"I", "I;16", "I;16B", "I;16L", "I;16N"}:
        # 16-bit greyscale: keep the top 8 bits.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode == "F":
        image = image.convert("L")
    return image.convert("RGBA")


def _cmyk_to_rgb(image: Image.Image) -> Image.Image:
    """Print colours to screen colours, through the file's ICC profile if any."""
    profile = image.info.get("icc_profile")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            return ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
            )
        except (ImageCms.PyCMSError, OSError) as error:
            logger.debug("[funders] ignoring unusable ICC profile: %s", error)
    return image.convert("RGB")


def _rasterize_svg(path: str, height: int) -> Image.Image:
    try:
        import cairosvg
    except (ImportError, OSError) as error:
        raise LogoError(
            f"SVG logos need CairoSVG and the cairo library ({error})",
            "install the requirements (pip install -r requirements.txt) and "
            "Debian's libcairo2, or give a PNG logo instead",
        ) from error
    with open(path, "rb") as handle:
        svg = handle.read()
    try:
        # Rendered from bytes with unsafe=False: no entities, no external
        # files or URLs (CairoSVG then only follows data: URLs). Drawn at
        # four times the target height so trimming and scaling stay sharp.
        png = cairosvg.svg2png(bytestring=svg, output_height=height * 4, unsafe=False)
    except Exception as error:  # CairoSVG raises many types for bad SVG
        raise LogoError(
            f"'{os.path.basename(path)}' cannot be drawn as SVG "
            f"({type(error).__name__}: {error})",
            "open it in a vector editor and save it again as plain SVG",
        ) from error
    return Image.open(io.BytesIO(png)).convert("RGBA")


def trim(image: Image.Image) -> Image.Image:
    """Cut away transparent margins, or margins of the corner's colour."""
    alpha = image.getchannel("A")
    if alpha.getextrema()[0] < 255:
        box = alpha.point(lambda value: 255 if value > TRIM_TOLERANCE else 0).getbbox()
        if box is None:
            raise LogoError(
                "the logo is empty (fully transparent)",
                "check that the right file is named",
            )
        return image.crop(box)
    rgb = image.convert("RGB")
    background = Image.new("RGB", rgb.size, rgb.getpixel((0, 0)))
    difference = ImageChops.difference(rgb, background).convert("L")
    box = difference.point(lambda value: 255 if value > TRIM_TOLERANCE else 0).getbbox()
    # One flat colour all over: a plain block, nothing to trim.
    return image.crop(box) if box else image


def fitted_size(size: tuple[int, int], height: int, max_width: int) -> tuple[int, int]:
    """``size`` scaled to ``height``; a very wide logo to ``max_width``."""
    width = max(1, round(size[0] * height / size[1]))
    if width > max_width:
        return max_width, max(1, round(size[1] * max_width / size[0]))
    return width, height


def scaled_size(size: tuple[int, int], scale: float) -> tuple[int, int]:
    """``size`` times ``scale``, at least one pixel: the one rounding that
    the files and the markup's width and height attributes share."""
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def resize(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if size == image.size:
        return image
    # reducing_gap makes huge images fast: a cheap reduce first, then Lanczos.
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def flatten_if_opaque(image: Image.Image) -> Image.Image:
    if image.getchannel("A").getextrema()[0] == 255:
        return image.convert("RGB")
    return image


@functools.cache
def _processing_code() -> str:
    """This module's code: a change in how logos are drawn makes them again."""
    return tree_digest(os.path.abspath(__file__))


class LogoCache:
    """Normalized logos in ``CACHE_PATH/funders``, keyed by their input."""

    def __init__(
        self, cache_path: str, height: int, max_width: int, file_heights: list[int]
    ):
        self.folder = os.path.join(cache_path, "funders")
        self.hashes = FileHashes(os.path.join(self.folder, HASHES_FILE))
        self.height = height
        self.max_width = max_width
        self.file_heights = file_heights
        # For the build log: logos decoded and written, and taken from the cache.
        self.processed = 0
        self.reused = 0

    def _params(self) -> str:
        """The settings and code every logo is made with."""
        heights = ".".join(str(height) for height in self.file_heights)
        return f"{_processing_code()}-h{self.height}-w{self.max_width}-f{heights}"

    def normalized(self, path: str) -> Normalized:
        digest = self._digest(path)
        if self._complete(digest):
            self.reused += 1
        else:
            self._process(path, digest)
        return self._from_entry({"digest": digest, **self._read_meta(digest)})

    def save(self) -> None:
        """Remember the hashes of this build's logo files."""
        self.hashes.save()

    def _digest(self, path: str) -> str:
        hasher = hashlib.sha256(self._params().encode())
        hasher.update(self.hashes.sha256(path).encode())
        # The suffix matters: the same bytes named .svg are drawn, not decoded.
        hasher.update(os.path.splitext(path)[1].lower().encode())
        return hasher.hexdigest()[:20]

    def _files(self, digest: str) -> dict[int, tuple[str, str]]:
        """The cached WebP and PNG of each height."""
        base = os.path.join(self.folder, digest)
        return {
            height: (f"{base}-{height}.webp", f"{base}-{height}.png")
            for height in self.file_heights
        }

    def _meta_file(self, digest: str) -> str:
        return os.path.join(self.folder, digest + ".json")

    def _complete(self, digest: str) -> bool:
        for webp, png in self._files(digest).values():
            if not (whole_image(webp) and whole_image(png)):
                return False
        return self._read_meta(digest) is not None

    def _read_meta(self, digest: str) -> dict | None:
        """The logo's sizes; None if the entry is unreadable (a miss)."""
        try:
            with open(self._meta_file(digest), encoding="utf-8") as handle:
                meta = json.load(handle)
            return {key: int(meta[key]) for key in ("width", "height", "source_height")}
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _process(self, path: str, digest: str) -> None:
        self.processed += 1
        drawing = trim(load_image(path, self.height))
        normalized = fitted_size(drawing.size, self.height, self.max_width)
        # Each file straight from the drawing, not from another file: one
        # Lanczos pass keeps the small ones as sharp as they can be.
        for height, (webp, png) in self._files(digest).items():
            size = scaled_size(normalized, height / self.height)
            _save(flatten_if_opaque(resize(drawing, size)), webp, png)
        size = {
            "width": normalized[0],
            "height": normalized[1],
            "source_height": drawing.height,
        }
        # Written last: a build stopped halfway never leaves an entry whose
        # files later builds would trust.
        write_atomically(self._meta_file(digest), json.dumps(size))

    def _from_entry(self, entry: dict) -> Normalized:
        return Normalized(
            digest=entry["digest"],
            files=self._files(entry["digest"]),
            width=entry["width"],
            height=entry["height"],
            source_height=entry["source_height"],
        )


def _save(image: Image.Image, webp: str, png: str) -> None:
    """One size of a logo, each file written whole or not at all."""
    with atomic_file(webp) as handle:
        # method=5, not 6: libwebp's slowest method took seconds a logo
        # (about 100 times longer) for files under 0.5% smaller.
        image.save(handle, "WEBP", quality=90, method=5, exact=False)
    with atomic_file(png) as handle:
        image.save(handle, "PNG", optimize=True)


def copy_file(source: str, target: str) -> None:
    copy_if_changed(source, target)
