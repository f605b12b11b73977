"""Files a story names, kept inside its own folder.

A story may only publish files from its folder: an audio path with '..', an
absolute path or a symlink pointing elsewhere could publish anything on the
build machine."""

from __future__ import annotations

import os

from portal.problems import FixableError


class StoryPathError(FixableError):
    """A file named in front matter that is not inside its story's folder."""


def story_file(story_dir: str, name: str) -> str:
    """The absolute path of ``name`` inside ``story_dir``, or StoryPathError."""
    fix = "give just the file's name, and keep the file in the story's folder"
    if os.path.isabs(name) or name.startswith(("/", "\\")) or ":" in name[:3]:
        raise StoryPathError(f"'{name}' is an absolute path", fix)
    parts = name.replace("\\", "/").split("/")
    if ".." in parts:
        raise StoryPathError(f"'{name}' points outside the story folder", fix)
    folder = os.path.realpath(story_dir)
    path = os.path.join(folder, *parts)
    real = os.path.realpath(path)
    if os.path.commonpath([folder, real]) != folder:
        raise StoryPathError(
            f"'{name}' is a link to a file outside the story folder", fix
        )
    return path
