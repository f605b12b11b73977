"""Publish a site without ever leaving a half-built one where it is served.

``publish()`` builds into a fresh folder next to the output, and only when
Pelican exits with success swaps that folder in place of the previous output
in one step (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames in a
row). A failed build removes its own folder and leaves the previous output
exactly as it was, so a web server or sync job reading the output never sees
a partial or broken site.

Pelican runs in a child process (``python -m pelican``) with the interpreter
given, so a build starts from clean state and its exit status is the verdict:
publishconf sets ``STORY_STRICT``, so any content error fails it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class PublishError(RuntimeError):
    """The build failed; the previous output was left untouched."""


def pelican_command(
    settings_file: str | os.PathLike,
    output_path: str | os.PathLike,
    content_path: str | os.PathLike | None = None,
    overrides: Mapping[str, object] | None = None,
    extra_args: Sequence[str] = (),
    python: str = sys.executable,
) -> list[str]:
    """The ``python -m pelican`` command line for one build."""
    command = [python, "-m", "pelican"]
    if content_path is not None:
        command.append(os.fspath(content_path))
    command += ["-s", os.fspath(settings_file), "-o", os.fspath(output_path)]
    command += list(extra_args)
    if overrides:
        # -e takes every KEY=JSON pair at once; it must come last.
        command.append("-e")
        command += [f"{key}={json.dumps(value)}" for key, value in overrides.items()]
    return command


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return result == 0


def swap_into_place(new: Path, target: Path) -> None:
    """Put folder ``new`` where ``target`` is; the old ``target`` is deleted."""
    new, target = Path(new), Path(target)
    if not target.exists() and not target.is_symlink():
        os.rename(new, target)
        return
    if not target.is_dir() or target.is_symlink():
        raise PublishError(f"{target} is not a folder; refusing to replace it")
    if _exchange(new, target):
        old = new  # after the exchange, ``new`` holds the previous output
    else:
        old = Path(tempfile.mkdtemp(prefix=f"{target.name}-old-", dir=target.parent))
        old.rmdir()
        os.rename(target, old)
        os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def publish(
    output_path: str | os.PathLike,
    settings_file: str | os.PathLike = "publishconf.py",
    *,
    content_path: str | os.PathLike | None = None,
    project_root: str | os.PathLike | None = None,
    overrides: Mapping[str, object] | None = None,
    extra_args: Sequence[str] = (),
    python: str = sys.executable,
    env: Mapping[str, str] | None = None,
    media_output_path: str | os.PathLike | None = None,
) -> Path:
    """Build with ``settings_file`` and swap the result in at ``output_path``.

    ``content_path`` overrides the settings' PATH, ``overrides`` any setting
    (values are JSON-encoded for ``pelican -e``). Relative paths are taken
    from ``project_root`` (default: the current folder), where Pelican runs.
    ``media_output_path``: where the audio goes when it is served from its
    own host (``STORY_MEDIA_URL``); it is built fresh and swapped in with the
    site, so audio of stories taken down does not linger there.
    Raises PublishError if the build fails; the previous output (and media)
    is then left byte for byte as it was."""
    root = Path(project_root or os.getcwd()).resolve()
    output = (root / output_path).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f"{output.name}-publish-", dir=output.parent)
    )
    media = media_staging = None
    overrides = dict(overrides or {})
    if media_output_path is not None:
        media = (root / media_output_path).resolve()
        media.parent.mkdir(parents=True, exist_ok=True)
        media_staging = Path(
            tempfile.mkdtemp(prefix=f"{media.name}-publish-", dir=media.parent)
        )
        overrides["STORY_MEDIA_OUTPUT_PATH"] = str(media_staging)
    command = pelican_command(
        settings_file,
        staging,
        content_path,
        overrides=overrides,
        extra_args=extra_args,
        python=python,
    )
    try:
        result = subprocess.run(command, cwd=root, env=env, check=False)
        if result.returncode != 0:
            raise PublishError(
                f"the build failed (exit status {result.returncode}); "
                f"{output} was left as it was"
            )
        if not (staging / "index.html").is_file():
            raise PublishError(
                f"the build wrote no index.html; {output} was left as it was"
            )
        if media is not None:
            swap_into_place(media_staging, media)
        swap_into_place(staging, output)
    finally:
        for folder in (staging, media_staging):
            if folder is not None and folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
    return output
