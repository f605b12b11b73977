"""Files a story names, kept inside its own folder, and only ordinary files.

A story may only publish files from its folder: an audio path with '..', an
absolute path or a symlink pointing elsewhere could publish anything on the
build machine. And only ordinary files are read: a named pipe (FIFO) blocks
whoever opens it forever, a device never ends; both are refused by what
``stat`` says, without opening them."""

from __future__ import annotations

import functools
import os
import stat
import unicodedata

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
    folder = _real_folder(story_dir)
    path = os.path.join(folder, *parts)
    # A file right in the folder that is no link is where it says, inside
    # it, and its one lstat says what kind of file it is: realpath takes an
    # lstat a folder of the path, and a stat tells the kind (every story
    # asks for its files several times a build: 3 s at 10,000 stories).
    mode = _own_mode(path) if len(parts) == 1 else None
    if mode is not None and not stat.S_ISLNK(mode):
        real = path
    else:
        real = os.path.realpath(path)
        if os.path.commonpath([folder, real]) != folder:
            raise StoryPathError(
                f"'{name}' is a link to a file outside the story folder", fix
            )
        mode = None
    problem = unsafe_name(os.path.basename(name))
    if problem:
        raise StoryPathError(
            f"the file name '{printable(name)}' has {problem}",
            "rename the file with letters, digits, hyphens and dots only, and "
            "write the new name here",
        )
    _refuse_special(_kind(mode) if mode is not None else special_kind(real), name)
    return path


def real_path(path: str) -> str:
    """``os.path.realpath(path)``, its folder's links resolved once a
    process (``_real_folder``): one lstat for a file that is no link."""
    folder, name = os.path.split(os.path.abspath(path))
    real = os.path.join(_real_folder(folder), name)
    return os.path.realpath(real) if os.path.islink(real) else real


@functools.lru_cache(maxsize=65536)
def _real_folder(story_dir: str) -> str:
    """The story folder with every link resolved, worked out once a process:
    its stories ask for it for each file, in several plugins. A folder's
    parent is resolved once for all its folders (the stories' folder, for
    10,000 stories), so each story's costs one lstat, where realpath takes
    one a folder of the path."""
    parent, name = os.path.split(story_dir)
    if (
        not name
        or name in (".", "..")
        or not os.path.isabs(story_dir)
        or os.path.normpath(story_dir) != story_dir
    ):
        return os.path.realpath(story_dir)
    path = os.path.join(_real_folder(parent), name)
    return os.path.realpath(path) if os.path.islink(path) else path


def _own_mode(path: str) -> int | None:
    """The mode of the file at ``path`` itself (a link not followed); None
    when there is nothing there."""
    try:
        return os.lstat(path).st_mode
    except OSError:
        return None


def special_kind(path: str | os.PathLike) -> str | None:
    """What ``path`` is when it is not an ordinary file (links followed);
    None for an ordinary file or nothing at all."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return _kind(mode)


def _kind(mode: int) -> str | None:
    """What a file of ``mode`` is when it is not an ordinary file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not an ordinary file"


def ordinary_file(path: str | os.PathLike, name: str) -> None:
    """StoryPathError if ``path`` is there but is not an ordinary file."""
    _refuse_special(special_kind(path), name)


def _refuse_special(kind: str | None, name: str) -> None:
    if kind:
        raise StoryPathError(
            f"'{name}' is {kind}, not a file",
            "replace it with the file itself",
        )


def checkout_name(path: str, content_path: str) -> str:
    """``path`` (absolute) as the checkout names it: from the content
    folder's parent, with "/" ("content/stories/<slug>/story.md"), the same
    wherever the checkout is; a path outside the content folder as it is.
    Caches of what was read from a content file find it by this name, so a
    checkout at another path (another runner, another machine) with the
    cache folder restored finds every entry."""
    content = os.path.abspath(content_path)
    if not path.startswith(content + os.sep):
        return path
    name = path[len(os.path.dirname(content)) :].lstrip(os.sep)
    return name.replace(os.sep, "/")


def inside(root: str | os.PathLike, path: str | os.PathLike) -> bool:
    """Whether ``path``, links resolved, is inside ``root`` (links resolved)."""
    folder = os.path.realpath(root)
    return os.path.commonpath([folder, os.path.realpath(path)]) == folder


# Characters a file or folder name must not hold: they would end a header
# line (_headers), an attribute or an XML value, or be invisible (bidi
# controls reorder what an editor sees).
_MARKUP = set('"<>\\`')


def unsafe_name(name: str, *, folder: bool = False) -> str | None:
    """What makes ``name`` unsafe in a web address, a header or XML; None if
    nothing. Folder names (a story's address) may not hold spaces either."""
    for char in name:
        category = unicodedata.category(char)
        if char in "\r\n\t" or category == "Cc":
            return "a line break or control character"
        if category[0] == "C":
            return f"an invisible character (U+{ord(char):04X})"
        if char in _MARKUP or (folder and char in "'#%?&"):
            return f"the character {char}"
        if folder and char.isspace():
            return "a space"
    return None


def printable(text: str) -> str:
    """``text`` for a message: control and invisible characters as \\uXXXX."""
    return "".join(
        f"\\u{ord(c):04x}" if unicodedata.category(c)[0] == "C" else c for c in text
    )
