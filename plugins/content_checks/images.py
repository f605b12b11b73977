"""Is a story's picture a file browsers can show? Pillow opens it to see.

A picture that is missing, damaged, in a format browsers do not all show, or
named for another format than it holds would be a broken image on the page."""

from __future__ import annotations

import os

from PIL import Image, UnidentifiedImageError

from portal.mime import IMAGE_MIME_TYPES, image_kinds
from portal.problems import FixableError
from portal.sizes import image_too_large

# What each extension promises, in Pillow's format names.
IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


class ImageProblem(FixableError):
    """A picture we cannot publish: ``problem`` and ``fix`` for editors."""


def check_image(path: str) -> tuple[int, int]:
    """The picture's (width, height), or ImageProblem saying what is wrong."""
    name = os.path.basename(path)
    extension = os.path.splitext(name)[1].lower()
    if extension not in IMAGE_MIME_TYPES:
        raise ImageProblem(
            f"'{name}' is not a picture format every browser shows",
            "export it as JPEG (.jpg) or PNG (.png)",
        )
    if not os.path.isfile(path):
        raise ImageProblem(
            f"'{name}' does not exist in the story folder",
            "add the picture or correct the name in the front matter",
        )
    too_large = image_too_large(path)
    if too_large:
        raise ImageProblem(*too_large)
    try:
        with Image.open(path) as image:
            found = image.format
            image.load()  # decodes it all: catches files cut short
            size = image.size
    except ImageProblem:
        raise
    except Image.DecompressionBombError as error:
        raise ImageProblem(
            f"'{name}' has too many pixels to open safely",
            "export it at most 3000 pixels wide",
        ) from error
    except UnidentifiedImageError as error:
        # (Pillow's message names the file's full path: not for editors.)
        raise ImageProblem(
            f"'{name}' is not a picture: it holds no {image_kinds()} image",
            "export the picture again as JPEG or PNG",
        ) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageProblem(
            f"'{name}' is damaged or not a picture ({error})",
            "export it again as JPEG or PNG",
        ) from error
    expected = IMAGE_FORMATS[extension]
    if found != expected:
        right = EXTENSIONS.get(found)
        raise ImageProblem(
            f"'{name}' holds a {found} picture but is named {extension}",
            f"rename it to end in {right}" if right else "export it as JPEG or PNG",
        )
    return size
