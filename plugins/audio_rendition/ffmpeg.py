"""Running ffmpeg: one place that finds it, runs it and reports its failures."""

from __future__ import annotations

import functools
import shutil
import subprocess

from portal.build_inputs import ffmpeg_version
from portal.problems import FixableError

# The last lines of ffmpeg's own message are what says why it failed.
ERROR_LINES = 6


class FFmpegError(FixableError):
    """ffmpeg is missing, or it could not read or write a file."""


@functools.lru_cache(maxsize=1)
def executable() -> str:
    path = shutil.which("ffmpeg")
    if path is None:
        raise FFmpegError(
            "ffmpeg is not installed, and it makes the audio podcast apps get",
            "install it (Debian: apt-get install ffmpeg; ./dev does it for you)",
        )
    return path


def version() -> str:
    """ffmpeg's version line: a new ffmpeg may encode differently, so it is
    part of every rendition's cache key (and of the whole build's)."""
    executable()  # missing: say how to install it
    return ffmpeg_version()


def run(arguments: list[str], what: str) -> str:
    """Run ffmpeg with ``arguments``; its log (stderr) as text.

    ``what`` names the file for the error ("reading 'conversation.wav'")."""
    command = [executable(), "-hide_banner", "-nostdin", "-nostats", *arguments]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = " / ".join(
            line.strip()
            for line in result.stderr.strip().splitlines()[-ERROR_LINES:]
            if line.strip()
        )
        raise FFmpegError(
            f"ffmpeg failed {what}: {tail}",
            "export the audio again from your editor (WAV, FLAC, M4A or MP3)",
        )
    return result.stderr
