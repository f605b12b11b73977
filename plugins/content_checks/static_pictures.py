"""Pictures in the static folders (``content/images/``...) pass the check a
story's picture passes.

Pelican copies every file under ``STATIC_PATHS`` as it is. A picture there
that is huge, a decompression bomb, or not a picture at all under a ``.jpg``
name would reach every visitor (and a huge one is read whole by whatever
copies it). Each static file with a picture's extension goes through
``images.check_image`` (the size limits of ``portal.sizes``, read from the
header before anything is decoded, then a full decode); any static file that
is a FIFO, a device or a folder link is refused before anything opens it.
A refused file is reported (a production build stops) and left out of the
output.
"""

from __future__ import annotations

import os

from portal.mime import IMAGE_MIME_TYPES
from portal.paths import special_kind
from portal.problems import Problem

from .images import ImageProblem, check_image

REMOVE_FIX = " (or remove it from the folder)"


def static_problem(path: str) -> tuple[str, str] | None:
    """(what is wrong, the fix) for the static file at ``path``, or None."""
    name = os.path.basename(path)
    kind = special_kind(path)
    if kind:
        return f"'{name}' is {kind}, not a file", "replace it with the file itself"
    if os.path.splitext(name)[1].lower() not in IMAGE_MIME_TYPES:
        return None
    try:
        check_image(path)
    except ImageProblem as error:
        return error.problem, error.fix + REMOVE_FIX
    return None


def refused_static_files(generator) -> list[Problem]:
    """Drop the static files that must not be published; their problems."""
    root = os.path.dirname(os.path.abspath(generator.settings["PATH"]))
    problems = []
    for static in list(generator.staticfiles):
        found = static_problem(static.source_path)
        if found is None:
            continue
        generator.staticfiles.remove(static)
        display = os.path.relpath(static.source_path, root).replace(os.sep, "/")
        problems.append(Problem(display, "file", *found))
    return problems
