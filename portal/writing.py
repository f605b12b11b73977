"""Writing files safely: whole or not at all, and only when their bytes change.

Every file the build writes, in the output or in the cache, goes through
here:

- ``atomic_file`` / ``write_atomically`` (and ``atomic_path``, for files a
  tool such as ffmpeg writes): the bytes go to a temporary file with a
  unique name beside the target, then replace it in one rename. A
  reader (a web server, another build sharing ``cache/``) sees the old file
  or the new one, never half of one; two processes writing the same file
  never rename each other's temporary file; a failed write leaves no
  temporary file behind. A write the system refuses (permissions, a full
  disk) raises ``WriteError``, which names the file and what to do.
- ``write_if_changed``: a page or transcript whose inputs did not change
  keeps its modification time, so rsync and CDN uploads skip it and the
  pre-compression step does not compress it again.
- ``reuse_previous_output``: a build made in a fresh folder (``portal.
  publishing.build_aside``) hard-links the files of the previous output whose
  bytes it would write again, instead of writing them: they keep their
  modification time, and the fresh folder holds only what this build made
  (a story taken down leaves nothing behind).
- ``link_into``: put a file a cache keeps by its content hash into the output
  as a hard link (a copy across file systems), atomically, leaving a file
  that already holds those bytes alone.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import shutil

from portal.problems import FixableError


class WriteError(FixableError):
    """A file could not be written: the file, why, and what to do."""


# (output folder being built, previous output to reuse unchanged files from)
_reuse: tuple[str, str] | None = None


def reuse_previous_output(output: str | None, previous: str | None) -> None:
    """Files written under ``output`` with the bytes the same path has under
    ``previous`` are hard-linked from there; None switches this off."""
    global _reuse
    if output and previous and os.path.isdir(previous):
        _reuse = (os.path.abspath(output), os.path.abspath(previous))
    else:
        _reuse = None


def previous_copy(path: str | os.PathLike) -> str | None:
    """The path of ``path``'s file in the previous output, if one is in use."""
    if _reuse is None:
        return None
    output, previous = _reuse
    path = os.path.abspath(path)
    if os.path.commonpath([output, path]) != output or path == output:
        return None
    return os.path.join(previous, os.path.relpath(path, output))


def write_error(path: str | os.PathLike, error: OSError) -> WriteError:
    """The editor-facing message for a write the system refused."""
    path = os.fspath(path)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return WriteError(
            f"cannot write {path}: the disk is full",
            "free some space (`./dev clean` removes the output and the cache) "
            "and run the command again",
        )
    if error.errno == errno.EROFS:
        return WriteError(
            f"cannot write {path}: its file system is read-only",
            "build into a folder on a writable disk (or mount it writable) and "
            "run the command again",
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return WriteError(
            f"cannot write {path}: permission denied",
            "make the folder writable by you (or remove it) and run the command again",
        )
    return WriteError(
        f"cannot write {path}: {error.strerror or error}",
        "check that the folder exists and is writable, then run the command again",
    )


def os_error_problem(error: OSError) -> WriteError | None:
    """The message for a full disk or a refused permission, for any file the
    build touched (reading or writing); None for other errors."""
    if error.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM,
                           errno.EROFS) or not error.filename:  # fmt: skip
        return None
    if error.errno in (errno.EACCES, errno.EPERM):
        return WriteError(
            f"cannot use {error.filename}: permission denied",
            "let your user read and write it (or its folder) and run the command again",
        )
    # A call with two paths (a copy, a link, a rename) names its source
    # first and the file it was writing second (shutil.copyfile's error
    # for a full disk has the source as ``filename``): a full disk or a
    # read-only one is the written file's.
    return write_error(error.filename2 or error.filename, error)


# A new file, never one already there; the descriptor not inherited by the
# tools a build runs.
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
# Temporary names: this process's number and a count. Unique among the
# process's threads (``next`` on a count is atomic); another process with
# the same number (another container sharing the cache) or a file a killed
# build left finds the name taken and takes the next one.
_count = itertools.count()


def _create_beside(path: str, suffix: str) -> tuple[int, str]:
    """Create a new, empty file with a unique name beside ``path``, ending in
    ``suffix``: its descriptor, open for writing, and its name.

    It is created with the permissions an ordinary file gets (0666 less the
    umask), so nothing needs changing before it replaces ``path``; its
    folder is made only when it is missing. tempfile.mkstemp did both the
    slow way (a random name drawn in Python, a file readable by its owner
    only, chmod'ed after): at 10,000 stories, the 200,000 compressed copies
    of a cold build spent more time in the calls around their writes than in
    the writes (``benchmarks/README.md``)."""
    directory = os.path.dirname(path) or "."
    prefix = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}-")
    made_folder = False
    for _attempt in range(10_000):
        temporary = f"{prefix}{next(_count)}{suffix}"
        try:
            return os.open(temporary, _NEW_FILE, 0o666), temporary
        except FileExistsError:
            continue
        except FileNotFoundError:
            if made_folder:
                raise
            os.makedirs(directory, exist_ok=True)
            made_folder = True
    raise FileExistsError(errno.EEXIST, "no free temporary name", path)


@contextlib.contextmanager
def _replacing(path: str, temporary: str):
    """On success the file at ``temporary`` replaces ``path``; if the block
    raises, ``path`` is left as it was and the temporary file removed."""
    try:
        yield
        os.replace(temporary, path)
    except OSError as error:
        _remove_quietly(temporary)
        # A call with two paths (a copy into the temporary file) names the
        # file it wrote second: the error is this file's too.
        if error.filename not in (None, temporary, path) and (
            error.filename2 != temporary
        ):
            raise  # about another file (a source the block read): as it is
        raise write_error(path, error) from error
    except BaseException:
        _remove_quietly(temporary)
        raise


def _created(path: str, suffix: str) -> tuple[int, str]:
    """``_create_beside``, with a refusal named as this file's."""
    try:
        return _create_beside(path, suffix)
    except OSError as error:
        raise write_error(path, error) from error


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str = ".tmp"):
    """A unique temporary file name beside ``path``; on success the file
    there replaces ``path``.

    For files a tool writes itself (ffmpeg, mutagen): ``with
    atomic_path(target, ".mp3") as temporary: run(..., temporary)``. The
    temporary file exists (empty) when the block starts and ends in
    ``suffix``, for tools that read the format from the name. If the block
    raises, ``path`` is left as it was and the temporary file removed."""
    path = os.fspath(path)
    descriptor, temporary = _created(path, suffix)
    os.close(descriptor)
    with _replacing(path, temporary):
        yield temporary


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike, mode: str = "wb", encoding: str | None = None):
    """Open a temporary file beside ``path``; on success it replaces ``path``.

    ``with atomic_file(path, "w", encoding="utf-8") as handle: ...``. If the
    block raises, ``path`` is left as it was and the temporary file removed."""
    path = os.fspath(path)
    descriptor, temporary = _created(path, ".tmp")
    with (
        _replacing(path, temporary),
        open(descriptor, mode, encoding=encoding) as handle,
    ):
        yield handle


def write_atomically(path: str | os.PathLike, data: bytes | str) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` whole or not at all."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path = os.fspath(path)
    descriptor, temporary = _created(path, ".tmp")
    with _replacing(path, temporary):
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
        finally:
            os.close(descriptor)


def write_if_changed(path: str | os.PathLike, data: bytes | str) -> bool:
    """Write ``data`` to ``path`` unless the file already holds exactly it.

    Text is written as UTF-8. Returns True when the file was written. The
    old file is read only when its size matches. In a build made aside, a
    previous output's file with these bytes is linked rather than written."""
    path = os.fspath(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if holds(path, data):
        return False
    previous = previous_copy(path)
    if previous and holds(previous, data) and _link(previous, path):
        return False
    write_atomically(path, data)
    return True


def copy_if_changed(source: str | os.PathLike, target: str | os.PathLike) -> bool:
    """Copy ``source`` to ``target`` (atomically) unless it holds the same bytes."""
    with open(source, "rb") as handle:
        return write_if_changed(target, handle.read())


def reuse(path: str | os.PathLike) -> bool:
    """Link ``path`` (a file, or a whole folder) from the previous output if
    it is there and ``path`` is not; True if ``path`` exists now. For outputs
    a step keeps when its inputs did not change (compressed copies, the
    search index)."""
    path = os.fspath(path)
    if os.path.lexists(path):
        return True
    previous = previous_copy(path)
    if previous is None:
        return False
    if os.path.isdir(previous):
        try:
            shutil.copytree(previous, path, copy_function=os.link)
        except (OSError, shutil.Error):
            shutil.rmtree(path, ignore_errors=True)
            return False
        return True
    return os.path.isfile(previous) and _link(previous, path)


def link_or_copy(source: str, target: str) -> None:
    """A hard link where the file system allows one (the cache and the output
    on one disk), a copy where it does not; ``target`` must not exist."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def link_into(stored: str, target: str, absent: bool = False) -> None:
    """``target`` holds ``stored``'s bytes when this returns; a file already
    there with those bytes is left alone (it keeps its modification time).
    ``absent``: the caller just found no file at ``target`` (a fresh
    output), so a link is tried first, with no look at what is there."""
    if absent:
        try:
            os.link(stored, target)
            return
        except FileNotFoundError:
            if os.path.isdir(os.path.dirname(target)):
                raise  # ``stored`` is gone
        except OSError:
            pass  # there now, or no hard links here: the careful way below
    try:
        if os.path.samefile(stored, target):
            return
        if os.path.getsize(stored) == os.path.getsize(target):
            with open(stored, "rb") as kept, open(target, "rb") as there:
                if kept.read() == there.read():
                    return
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:  # nothing there yet (a fresh output): one link, no rename
            os.link(stored, target)
            return
        except FileExistsError:
            pass  # written meanwhile: replaced below
        except OSError:
            pass  # no hard links here: copied below
    link_over(stored, target)


def link_over(source: str, target: str) -> None:
    """``target`` becomes a hard link to ``source`` (a copy where the file
    system has no hard links), whether or not a file is there. Linked under
    a temporary name, then renamed over the old file: a server never sees
    the file missing, and nothing is written through an old link into
    another file."""
    with atomic_path(target) as temporary:
        os.remove(temporary)
        link_or_copy(source, temporary)


# How each kind of image file ends: a cached picture cut off, or overwritten
# with anything else, is a cache miss, found by reading a few bytes.
_IMAGE_ENDINGS = {
    ".png": b"IEND\xaeB`\x82",
    ".jpg": b"\xff\xd9",
    ".jpeg": b"\xff\xd9",
}


def whole_image(path: str | os.PathLike) -> bool:
    """Whether a cached PNG, JPEG or WebP file is there and complete."""
    path = os.fspath(path)
    suffix = os.path.splitext(path)[1].lower()
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            head = handle.read(12)
            if suffix == ".webp":  # RIFF's own length: the file's, less 8
                return (
                    head[:4] == b"RIFF"
                    and head[8:12] == b"WEBP"
                    and (int.from_bytes(head[4:8], "little") + 8 == size)
                )
            ending = _IMAGE_ENDINGS.get(suffix)
            if ending is None:
                return size > 0
            handle.seek(max(0, size - len(ending)))
            return handle.read() == ending
    except OSError:
        return False


def holds(path: str | os.PathLike, data: bytes) -> bool:
    """Does the file at ``path`` hold exactly ``data``?"""
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _link(source: str, target: str) -> bool:
    try:
        os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
        if os.path.lexists(target):
            os.unlink(target)  # never write through a link into another file
        os.link(source, target)
    except OSError:
        return False
    return True


def _remove_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
