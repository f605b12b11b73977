"""The closing summary of a build, for the person who started it."""

from __future__ import annotations

import dataclasses
import os

from portal.checking import ALL_LEVELS, plural, rendition_line
from portal.sizes import human_size


@dataclasses.dataclass
class FolderSize:
    files: int = 0
    bytes: int = 0


def folder_size(path: str | os.PathLike | None) -> FolderSize:
    size = FolderSize()
    if not path or not os.path.isdir(path):
        return size
    folders = [os.fspath(path)]
    while folders:
        try:
            entries = os.scandir(folders.pop())
        except OSError:
            continue  # removed while we counted
        with entries:
            for entry in entries:
                try:
                    if entry.is_dir():  # a link to a folder is not followed
                        if not entry.is_symlink():
                            folders.append(entry.path)
                        continue
                    size.bytes += entry.stat().st_size
                except OSError:
                    continue  # removed while we counted
                size.files += 1
    return size


def listed_size(files: dict[str, int | None]) -> FolderSize:
    """The size of ``files`` (``portal.output_listing``: each path with its
    size, or None for a file to stat), counted as ``folder_size`` counts a
    folder's: a file gone since it was listed, or a link to nothing, is
    not counted."""
    size = FolderSize()
    for path, known in files.items():
        if known is None:
            try:
                known = os.stat(path).st_size
            except OSError:
                continue  # removed since
        size.files += 1
        size.bytes += known
    return size


def summary_lines(
    *,
    published: int,
    held_back: list[tuple[str, list[str]]],
    warnings: int,
    errors: int,
    output: FolderSize,
    media: FolderSize | None,
    seconds: float,
    preview: bool = False,
    skipped: list[tuple[str, str]] = (),
    elsewhere: tuple[str, str] | None = None,
) -> list[str]:
    """A summary line, then one line a held-back story with its reasons."""
    held = "held back"
    size = f"output {human_size(output.bytes)} in {plural(output.files, 'file')}"
    if media is not None:
        size += f", audio for the media host {human_size(media.bytes)}"
    lines = [
        f"Build summary: {plural(published, 'story', 'stories')} ready to publish, "
        f"{len(held_back)} {held}, {plural(warnings, 'warning')}, "
        f"{plural(errors, 'error')}; {size}; {seconds:.1f} s."
    ]
    for path, reasons in held_back:
        lines.append(f"  {held}: {path}: {'; '.join(reasons)}")
    for path, reason in skipped:
        lines.append(f"  skipped: {path}: {reason}")
    if preview:
        lines.append(
            "  PREVIEW: this output shows stories that are not public. "
            "Never upload it; publish with ./dev publish."
        )
    elif elsewhere:
        # Said, so that a public site built by mistake for another address
        # (SITE_PRODUCTION_URL not set) is not uploaded unseen.
        built_for, public = elsewhere
        lines.append(
            f"  NOT THE PUBLIC SITE: built for {built_for}, not {public} "
            "(SITE_PRODUCTION_URL), so robots.txt keeps search engines out and "
            "the podcast feed asks directories not to list it."
        )
    return lines


def rendition_lines(renditions: list, settings) -> list[str]:
    """The podcast audio: encoded or cached, and the loudness of each master
    this build encoded or that is flagged.

    ``renditions`` are audio_rendition's ``Rendition`` records, ``settings``
    its RenditionSettings (read by attribute: no import of the plugin)."""
    encoded = sum(1 for r in renditions if r.encoded_now)
    # Stories whose masters hold the same bytes share one encoding: count
    # the encodings ffmpeg made, and say how many stories shared them.
    shared = sum(1 for r in renditions if r.shares_encoding)
    sharing = f" ({shared} more from those encodings)" if shared else ""
    lines = [
        f"Podcast audio ({settings.describe()}): "
        f"{plural(len(renditions), 'rendition')}, {encoded} encoded in this "
        f"build{sharing}, {len(renditions) - encoded - shared} from the cache."
    ]
    # A line a story would bury the few that matter (a new master, a clipped
    # one) under thousands that did not change: the masters encoded in this
    # build, and the flagged ones on every build until they are fixed.
    listed = [r for r in renditions if r.encoded_now or r.shares_encoding or r.flags]
    for rendition in sorted(listed, key=lambda r: r.source):
        lines.append(f"  {rendition_line(rendition)}")
    if len(listed) < len(renditions):
        lines.append(
            f"  Not listed: {plural(len(renditions) - len(listed), 'rendition')} "
            f"from the cache with nothing flagged. Every story's levels: {ALL_LEVELS}"
        )
    return lines
