"""Where published audio goes: the site itself, or a separate media host.

Settings (checked in ``settings()``):
- ``STORY_MEDIA_URL``: absolute base URL that serves the audio (a CDN or an
  object store). Empty (default): audio is served from the site itself.
- ``STORY_MEDIA_OUTPUT_PATH``: where audio is written when STORY_MEDIA_URL is
  set (default ``output-media``), to be uploaded to that host.
"""

from __future__ import annotations

import os
import shutil
from urllib.parse import quote

from portal.file_hashes import FileHashes

DEFAULTS = {"STORY_MEDIA_URL": "", "STORY_MEDIA_OUTPUT_PATH": "output-media"}
# Hashes remembered in this process only, for callers without a cache folder.
_in_memory = FileHashes(None)


def file_hashes(cache_path: str | None, publisher: str) -> FileHashes:
    """The hashes that decide whether a file ``publisher`` (a plugin's name)
    publishes is already in place, remembered between builds in
    ``cache_path`` (when there is one), in a memo of that publisher's own."""
    if not cache_path:
        return _in_memory
    return FileHashes(os.path.join(cache_path, f"{publisher}.hashes.json"))


def settings(pelican_settings) -> dict:
    out = {key: pelican_settings.get(key, value) for key, value in DEFAULTS.items()}
    url = out["STORY_MEDIA_URL"]
    if url and not url.startswith(("https://", "http://")):
        raise ValueError(
            f"STORY_MEDIA_URL must be an absolute http(s) URL, not {url!r}"
        )
    out["STORY_MEDIA_URL"] = url.rstrip("/")
    return out


def audio_location(options: dict, output_path: str, path: str) -> tuple[str, str]:
    """(URL, file to write) of an audio file at site-relative ``path``.

    The URL is percent-encoded (a space or an accent in a file name must not
    reach ``<source src>``, JSON-LD or the feed raw); the file keeps its name."""
    url = quote(path)
    if options["STORY_MEDIA_URL"]:
        return (
            f"{options['STORY_MEDIA_URL']}/{url}",
            os.path.join(options["STORY_MEDIA_OUTPUT_PATH"], path),
        )
    return url, os.path.join(output_path, path)


def same_file(source: str, target: str, hashes: FileHashes = _in_memory) -> bool:
    """Skip the copy when the output already holds these exact bytes: a link
    to the source itself, or a file with the same content hash (a fresh
    checkout gives the source a new inode and mtime, not new bytes)."""
    try:
        a, b = os.stat(source), os.stat(target)
    except FileNotFoundError:
        return False
    if (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino):
        return True  # a hard link to the source itself
    return a.st_size == b.st_size and hashes.sha256(source) == hashes.sha256(target)


def publish_file(source: str, target: str, hashes: FileHashes = _in_memory) -> None:
    """Hard-link the file into the output, or copy it where that is impossible.

    A 45-minute conversation is tens of megabytes; copying every story's
    audio made the copy the largest part of a cold build (benchmarks/). A
    hard link costs nothing and reads no audio. Sources (editors' files,
    cached renditions) are only ever replaced by new files, never changed in
    place by the build, so the output cannot be altered through the link."""
    if same_file(source, target, hashes):
        return  # its folder is there: asked first, as a rebuild finds most
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.lexists(target):
        os.unlink(target)  # never write through an old link into a source
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed there
        shutil.copy2(source, target)
