"""The artwork embedded in a rendition: the story's podcast art or the show's
cover (both already square RGB JPEGs from the artwork plugin), made smaller:
a 3000-pixel cover would add megabytes to every download."""

from __future__ import annotations

import dataclasses
import io
import os

from PIL import Image

from portal.writing import write_atomically

from .cache import digest

JPEG_QUALITY = 85


@dataclasses.dataclass(frozen=True)
class EmbeddedArt:
    data: bytes  # JPEG
    path: str  # where the cache keeps it


def embedded_art(source: str | None, size: int, folder: str) -> EmbeddedArt | None:
    """JPEG at most ``size`` pixels square, made once per source."""
    if not source or not os.path.isfile(source):
        return None
    with open(source, "rb") as handle:
        raw = handle.read()
    path = os.path.join(folder, "art", digest("art", raw, str(size)) + ".jpg")
    if os.path.isfile(path):
        with open(path, "rb") as handle:
            return EmbeddedArt(handle.read(), path)
    with Image.open(io.BytesIO(raw)) as image:
        image = image.convert("RGB")
        if max(image.size) > size:
            image = image.resize((size, size), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    data = out.getvalue()
    write_atomically(path, data)
    return EmbeddedArt(data, path)
