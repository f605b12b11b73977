"""What "the code changed" means for every cache: its files' bytes changed.

A cache must be thrown away when the code that filled it changes, or an
upgraded portal serves what the old code made. Modification times say
nothing here (a checkout or a copy gives every file a new one) and a
version number bumped by hand is forgotten; so every cache keys on this
digest of the source files that shape its entries. A Python file counts
by its syntax, not its comments, docstrings or layout
(``portal.source_digest``)."""

from __future__ import annotations

import fnmatch
import hashlib
import os

from portal import source_digest

# Never part of the code: compiled files, editor backups, hidden files.
_SKIPPED_SUFFIXES = (".pyc", "~")


def tree_digest(
    *roots: str | os.PathLike,
    suffixes: tuple[str, ...] = (),
    skipped: tuple[str, ...] = (),
    hashes=None,
    ignored: tuple[str, ...] = (),
    templates: tuple[str, dict] | None = None,
    content: bool = False,
) -> str:
    """A SHA-256 over the names and bytes of the files under ``roots``.

    ``roots`` may be folders (walked in a fixed order, hidden folders and
    ``__pycache__`` left out) or single files; ``suffixes`` keeps only files
    with those endings (``(".py",)``), every file when empty; files ending
    in one of ``skipped`` are left out (``(".md",)``), and files and
    folders whose name matches a glob pattern of ``ignored`` (Pelican's
    ``IGNORE_FILES``, matched as Pelican matches them). Only ordinary
    files are read (FIFOs and devices are passed over). ``hashes``
    (``portal.file_hashes.FileHashes``) gives each file's hash as it
    remembers it, for trees of content: an editor's pictures may be large,
    and each was read again by every build. The digest is the same either
    way. A ``.py`` file counts by its syntax (``portal.source_digest``):
    a comment, a docstring or a line's layout changed changes no digest.
    ``templates``: a folder of Jinja templates and the environment's options
    (Pelican's ``JINJA_ENVIRONMENT``): each file in it counts by the tokens
    Jinja reads, its comments left out. ``content``: a tree of content,
    where every file counts by its bytes (a ``.py`` file there is served as
    it is)."""
    digest = hashlib.sha256()
    for root in roots:
        root = os.fspath(root)
        digest.update(os.path.basename(root).encode("utf-8") + b"\0")
        for path in files(root, suffixes, skipped, ignored):
            digest.update(os.path.relpath(path, root).encode("utf-8") + b"\0")
            made = file_digest(path, hashes, templates=templates, content=content)
            digest.update(bytes.fromhex(made))
    return digest.hexdigest()


def file_digest(
    path: str,
    hashes=None,
    templates: tuple[str, dict] | None = None,
    content: bool = False,
) -> str:
    """One file's part of a digest (hex), as ``tree_digest`` says: a ``.py``
    file's syntax, a template's tokens (``templates``: their folder and the
    environment's options), any other file's (or ``content``'s) SHA-256,
    through ``hashes`` (``FileHashes``) when given."""
    raw = hashes.sha256(path) if hashes is not None else None
    if templates and path.startswith(os.path.join(templates[0], "")):
        return source_digest.template_digest(path, templates[1], raw)
    if path.endswith(".py") and not content:
        return source_digest.code_digest(path, raw)
    if raw is not None:
        return raw
    # A block at a time: a file is never held whole in memory.
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def is_ignored(name: str, ignored: tuple[str, ...]) -> bool:
    """Does a file or folder name match one of the glob patterns?"""
    return any(fnmatch.fnmatch(name, pattern) for pattern in ignored)


def files(
    root: str,
    suffixes: tuple[str, ...] = (),
    skipped: tuple[str, ...] = (),
    ignored: tuple[str, ...] = (),
) -> list[str]:
    """The files of ``root`` (a folder, or one file) that a digest reads,
    in a fixed order: as ``tree_digest`` says, compiled files, editor
    backups and hidden files and folders left out."""
    skipped = _SKIPPED_SUFFIXES + skipped
    if os.path.isfile(root):
        return [root]
    found = []
    for folder, folders, names in os.walk(root):
        folders[:] = sorted(
            name
            for name in folders
            if not name.startswith(".")
            and name != "__pycache__"
            and not is_ignored(name, ignored)
        )
        for name in sorted(names):
            if name.startswith(".") or name.endswith(skipped):
                continue
            if is_ignored(name, ignored):
                continue
            if suffixes and not name.endswith(suffixes):
                continue
            path = os.path.join(folder, name)
            if not os.path.isfile(path):
                # A FIFO or a device (the render cache digests content/):
                # opening it would block or never end. The checks report it.
                continue
            found.append(path)
    return found
