"""Story files the build does not read, named with the reason.

A story folder holds one story, in ``story.md``. Anything else that looks
like a story but is not read would make a story vanish with no word: a
folder whose name starts with ``.`` (hidden, and skipped by Pelican's
``IGNORE_FILES``) or matches another of its patterns (``guide-screenshots``),
a ``story.md.txt`` an editor saved by mistake, a second Markdown file beside
``story.md``. ``skipped_story_files`` lists each as a
warning, in the wording of every other problem."""

from __future__ import annotations

import os

from portal.code_digest import is_ignored
from portal.problems import Problem, Severity

STORY_FILE = "story.md"
# The Markdown suffixes Pelican reads (MarkdownReader.file_extensions).
MARKDOWN = (".md", ".markdown", ".mkd", ".mdown")


def is_extra_markdown(source_path: str) -> bool:
    """A Markdown file beside a folder's story.md: not the story, not read."""
    name = os.path.basename(source_path)
    folder = os.path.dirname(source_path)
    return name != STORY_FILE and os.path.isfile(os.path.join(folder, STORY_FILE))


def skipped_story_files(
    content_path: str, article_paths, ignored: tuple[str, ...] = ()
) -> list[Problem]:
    """Every story folder, or file in one, that the build skips, and why.
    ``ignored``: the settings' ``IGNORE_FILES``, the names Pelican passes
    over (matched as it matches them, the name alone)."""
    root = os.path.dirname(os.path.abspath(content_path))
    problems: list[Problem] = []

    def shown(path: str) -> str:
        return os.path.relpath(path, root).replace(os.sep, "/")

    def warn(path: str, message: str, fix: str) -> None:
        field = "folder" if os.path.isdir(path) else "file"
        problems.append(Problem(shown(path), field, message, fix, 1, Severity.WARNING))

    for article_path in article_paths:
        stories = os.path.join(content_path, article_path)
        if not os.path.isdir(stories):
            continue
        # Story folders and the folders inside them, which hold the story's
        # own files (``transcript: words/transcript.vtt``): no story of
        # their own is missing there.
        in_a_story: set[str] = set()
        for folder, dirs, files in _walk(stories):
            if STORY_FILE in files or os.path.dirname(folder) in in_a_story:
                in_a_story.add(folder)
            dirs.sort()
            for name in [d for d in dirs if _passed_over(d, ignored)]:
                dirs.remove(name)
                skipped_folder = os.path.join(folder, name)
                if _has_markdown(skipped_folder):
                    warn(skipped_folder, *_passed_over(name, ignored))
            if folder == stories:
                continue
            markdown = sorted(f for f in files if f.lower().endswith(MARKDOWN))
            if STORY_FILE in markdown:
                for extra in markdown:
                    if extra != STORY_FILE:
                        warn(
                            os.path.join(folder, extra),
                            f"skipped: a story folder holds one story, in "
                            f"{STORY_FILE}, so '{extra}' is not read",
                            f"move '{extra}' out of the story folder (or delete "
                            f"it); the story itself goes in {STORY_FILE}",
                        )
            elif not markdown and not dirs and folder not in in_a_story:
                near = [f for f in files if f.lower().startswith("story")]
                if near:
                    warn(
                        os.path.join(folder, near[0]),
                        f"skipped: the folder has no {STORY_FILE}, only "
                        f"'{near[0]}', so its story is never read",
                        f"rename '{near[0]}' to {STORY_FILE} (your editor may "
                        "have added '.txt'; show file extensions to see it)",
                    )
                elif files:
                    warn(
                        folder,
                        f"skipped: the folder has no {STORY_FILE}, so nothing in "
                        "it is read",
                        f"add a {STORY_FILE} (`./dev new-story` makes one), or "
                        "move the folder out of the stories",
                    )
    return problems


def _passed_over(name: str, ignored: tuple[str, ...]) -> tuple[str, str] | None:
    """Why Pelican passes over a folder of this name, and the fix; None if
    it reads it. A name starting with "." is hidden (and one of Pelican's
    own ``IGNORE_FILES`` patterns); the others are the settings' choice."""
    if name.startswith("."):
        return (
            f"skipped: the folder name '{name}' starts with '.', which hides it, "
            "so its story is never read",
            f"rename the folder to '{name.lstrip('.')}' (lowercase letters, "
            "digits and hyphens)",
        )
    if is_ignored(name, ignored):
        return (
            "skipped: the site's settings tell the build to pass over folders "
            f"named '{name}' (IGNORE_FILES in pelicanconf.py), so its story is "
            "never read",
            f"rename the folder (lowercase letters, digits and hyphens, not '{name}')",
        )
    return None


def _walk(top: str):
    """``os.walk(top)``, top down, not into links to folders: each folder,
    the names of its folders (the caller may take some out, which are then
    not walked) and of its other files. Python 3.11's ``os.walk`` looks at
    each folder again (``islink``) before going into it: 10,000 story
    folders, a third of the walk, every build."""
    try:
        with os.scandir(top) as listing:
            entries = list(listing)
    except OSError:
        return  # gone, or not a folder: as os.walk, nothing
    dirs, files, links = [], [], set()
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            dirs.append(entry.name)
            if entry.is_symlink():
                links.add(entry.name)
        else:
            files.append(entry.name)
    yield top, dirs, files
    for name in dirs:
        if name not in links:
            yield from _walk(os.path.join(top, name))


def _has_markdown(folder: str) -> bool:
    for _, _, files in os.walk(folder):
        if any(f.lower().endswith(MARKDOWN) for f in files):
            return True
    return False
