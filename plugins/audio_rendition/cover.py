"""The artwork embedded in a rendition: the story's podcast art or the show's
cover (both already square RGB JPEGs from the artwork plugin), made smaller:
a 3000-pixel cover would add megabytes to every download."""

from __future__ import annotations

import dataclasses
import io
import os
from collections.abc import Callable

from PIL import Image

from portal.writing import whole_image, write_atomically

from .cache import digest

JPEG_QUALITY = 85


@dataclasses.dataclass(frozen=True)
class EmbeddedArt:
    path: str  # where the cache keeps the JPEG; its name holds its source's hash
    made: bool = False  # made by this build (not found in the cache)

    @property
    def data(self) -> bytes:
        with open(self.path, "rb") as handle:
            return handle.read()


def embedded_art(
    source: str | None, size: int, folder: str, source_hash: Callable[[str], str]
) -> EmbeddedArt | None:
    """JPEG at most ``size`` pixels square, made once per source (by its
    content hash, ``source_hash``: read only when the JPEG is not made yet)."""
    if not source or not os.path.isfile(source):
        return None
    name = digest("art-source", source_hash(source), str(size)) + ".jpg"
    path = os.path.join(folder, "art", name)
    if whole_image(path):
        return EmbeddedArt(path)
    with Image.open(source) as image:
        image = image.convert("RGB")
        if max(image.size) > size:
            image = image.resize((size, size), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    write_atomically(path, out.getvalue())
    return EmbeddedArt(path, made=True)
