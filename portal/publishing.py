"""Build a site aside and swap it in, so the served output is never half-built.

Every build that writes an output folder (``./dev build``, ``preview``,
``serve``, ``livereload``, the drafts preview and ``publish``) goes through
``build_aside()``: it builds into a fresh folder next to the output, and only
when Pelican exits with success swaps that folder in place of the previous
output in one step (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two
renames in a row). A failed or killed build leaves the previous output
exactly as it was, so a web server or sync job reading the output never sees
a partial or broken site. Because each build starts from an empty folder,
nothing of a story taken down (page, audio, transcripts, embeds, listings,
search entries) can survive it; files whose bytes did not change are
hard-linked from the previous output (``portal.writing``), so they keep
their modification time and deploys send only what changed.

When nothing the build is made from changed (``portal.build_inputs``: the
key of the inputs, kept beside the output with until when it holds and the
build's report, ``LAST_BUILD_FILE``) and the output is whole, no build runs.

The last file written into the new folder is its manifest
(``MANIFEST_FILE``): every file with its size, and whether a production
build made it. ``read_manifest()`` checks an output against it; deploys
refuse an output without one, a development build, or an output whose files
do not match.

Pelican runs in a child process (``python -m pelican``) with the interpreter
given, so a build starts from clean state and its exit status is the verdict:
publishconf sets ``STORY_STRICT``, so any content error fails it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from portal import build_inputs, locks
from portal.file_sizes import file_sizes
from portal.outputs import SEARCH_SCRATCH
from portal.writing import write_atomically

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


# The manifest every output built aside ends with; never deployed.
MANIFEST_FILE = ".build-manifest.json"
MANIFEST_VERSION = 1
# Beside the output, never in it: what the last build that swapped it in was
# made from, until when it is right, and its report (which names held-back
# stories, so it must not be in the output). ``{name}``: the output's name.
LAST_BUILD_FILE = ".{name}.last-build.json"
# What a build that finds nothing changed says (and the job summary).
UNCHANGED = (
    "Nothing changed since the last build of {output} (the same content, "
    "code, theme, settings and tools): it was left as it was."
)
# Folders a build works in beside the output; a killed build leaves them.
STAGING_MARKS = ("-publish-", "-old-")


class PublishError(RuntimeError):
    """The build failed; the previous output was left untouched."""


class BuildStopped(PublishError):
    """The build was stopped (``build_aside``'s ``stop``); the previous
    output was left untouched."""


class ManifestError(RuntimeError):
    """An output that is not a complete production build: what and the fix."""

    def __init__(self, problem: str, fix: str):
        super().__init__(f"{problem} - {fix}")
        self.problem = problem
        self.fix = fix


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


def build_aside(
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
    force: bool = False,
    stop: threading.Event | None = None,
) -> Path:
    """Build with ``settings_file`` and swap the result in at ``output_path``.

    ``content_path`` overrides the settings' PATH, ``overrides`` any setting
    (values are JSON-encoded for ``pelican -e``). Relative paths are taken
    from ``project_root`` (default: the current folder), where Pelican runs.
    ``media_output_path``: where the audio goes when it is served from its
    own host (``STORY_MEDIA_URL``); it is built fresh and swapped in with the
    site, so audio of stories taken down does not linger there.
    Two builds of the same output take turns (a lock beside it); folders a
    killed build left beside the output are removed first.
    When nothing the build is made from changed since the output in place
    was built (``portal.build_inputs``) and that output is whole, no build
    runs and the output is left as it is; ``force`` builds anyway.
    ``stop``, set by another thread, ends the build and every process it
    started (its workers, Pagefind), which raises BuildStopped; such a
    build runs in the background, and what it prints is shown only if it
    fails.
    Raises PublishError if the build fails; the previous output (and media)
    is then left byte for byte as it was."""
    root = Path(project_root or os.getcwd()).resolve()
    output = (root / output_path).resolve()
    media = (root / media_output_path).resolve() if media_output_path else None
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        if media is not None:
            media.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PublishError(
            f"cannot create {error.filename}: {error.strerror}"
        ) from error
    try:
        lock = locks.acquire(
            output.parent / f".{output.name}.lock", f"the build of {output}"
        )
    except OSError as error:  # a read-only or full disk: nothing was touched
        raise PublishError(
            f"cannot create a build folder beside {output}: {error.strerror}; "
            f"{output} was left as it was"
        ) from error
    try:
        for folder in (output, media):
            if folder is not None:
                remove_leftovers(folder)
        return _build_locked(
            root,
            output,
            settings_file,
            media=media,
            content_path=content_path,
            overrides=dict(overrides or {}),
            extra_args=extra_args,
            python=python,
            env=env,
            force=force,
            stop=stop,
        )
    finally:
        lock.release()


# What publishing has always been: a production build, built aside.
publish = build_aside


def remove_leftovers(output: Path) -> list[Path]:
    """Remove the folders builds of ``output`` killed midway left beside it."""
    removed = []
    for path in output.parent.glob(f"{output.name}-*"):
        rest = path.name[len(output.name) :]
        if path.is_dir() and not path.is_symlink() and rest.startswith(STAGING_MARKS):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    # The search's staging folders of a killed build made aside (their
    # names: portal.outputs.SEARCH_SCRATCH, then the staging folder's).
    scratch = f"{SEARCH_SCRATCH}{output.name}"
    for path in output.parent.glob(f"{scratch}-*"):
        rest = path.name[len(scratch) :]
        if path.is_dir() and not path.is_symlink() and rest.startswith(STAGING_MARKS):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    # Where a killed build was to say until when its output is right.
    for path in output.parent.glob(f".{output.name}-publish-*.clock.json"):
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _staging(folder: Path) -> Path:
    try:
        return Path(
            tempfile.mkdtemp(prefix=f"{folder.name}-publish-", dir=folder.parent)
        )
    except OSError as error:
        raise PublishError(
            f"cannot create a build folder beside {folder}: {error.strerror}; "
            f"{folder} was left as it was"
        ) from error


def _build_locked(
    root: Path,
    output: Path,
    settings_file,
    *,
    media: Path | None,
    content_path,
    overrides: dict,
    extra_args: Sequence[str],
    python: str,
    env,
    force: bool,
    stop: threading.Event | None = None,
) -> Path:
    inputs = _inputs_key(
        root, settings_file, content_path, overrides, extra_args, python, env
    )
    last = None if force else _unchanged(output, media, inputs)
    if last is not None:
        report = (last.get("clock") or {}).get("report") or []
        print(
            UNCHANGED.format(output=output)
            + " `--force` builds it again."
            + ("\nThat build's report:\n" + "\n".join(report) if report else ""),
            flush=True,
        )
        return output
    staging = _staging(output)
    media_staging = None
    if media is not None:
        media_staging = _staging(media)
        overrides["STORY_MEDIA_OUTPUT_PATH"] = str(media_staging)
    if output.is_dir():
        # Unchanged files are linked from the output being replaced.
        overrides.setdefault("UNCHANGED_WRITES_PREVIOUS_OUTPUT", str(output))
    # Where the build says until when its output is right (beside it).
    clock_file = staging.with_name(f".{staging.name}.clock.json")
    overrides[build_inputs.CLOCK_SETTING] = str(clock_file)
    command = pelican_command(
        settings_file,
        staging,
        content_path,
        overrides=overrides,
        extra_args=extra_args,
        python=python,
    )
    try:
        returncode = _run(command, root, env, stop)
        if returncode is None:
            raise BuildStopped(f"the build was stopped; {output} was left as it was")
        if returncode != 0:
            raise PublishError(
                f"the build failed (exit status {returncode}); "
                f"{output} was left as it was"
            )
        if not (staging / "index.html").is_file():
            raise PublishError(
                f"the build wrote no index.html; {output} was left as it was"
            )
        settings = _settings_read(root, settings_file, content_path, overrides, env)
        # What the build said of its clock; without it, the next build runs.
        clock = build_inputs.read_clock(clock_file) if clock_file.is_file() else None
        try:
            write_manifest(staging, production=is_production(settings))
        except OSError as error:
            raise PublishError(
                f"cannot write {staging / MANIFEST_FILE}: {error.strerror}; "
                f"{output} was left as it was"
            ) from error
        # Gone while the outputs change places: a build stopped midway
        # leaves none, and the next one builds.
        last_build = _last_build_file(output)
        last_build.unlink(missing_ok=True)
        if media is not None:
            swap_into_place(media_staging, media)
        swap_into_place(staging, output)
        if clock is not None and inputs is not None:
            with contextlib.suppress(OSError):  # then the next build builds
                record = {"inputs": inputs, "clock": clock, "built_at": time.time()}
                write_atomically(last_build, json.dumps(record))
    finally:
        for folder in (staging, media_staging):
            if folder is not None and folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
        clock_file.unlink(missing_ok=True)
    return output


def _run(command, root: Path, env, stop: threading.Event | None) -> int | None:
    """Run the build; its exit status, or None when ``stop`` ended it.

    A build that can be stopped runs in the background, after a build of the
    same save that said everything (the live preview's second build): what
    it prints is shown only if it fails."""
    if stop is None:
        return subprocess.run(command, cwd=root, env=env, check=False).returncode
    with tempfile.TemporaryFile() as said:
        # A session of its own: the build's workers and Pagefind are in its
        # group, and end with it (a Pagefind left running would write into
        # the cache beside the next build).
        process = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            start_new_session=True,
            stdout=said,
            stderr=subprocess.STDOUT,
        )
        while True:
            try:
                status = process.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                if stop.is_set():
                    break
                continue
            if status != 0:
                said.seek(0)
                sys.stderr.write(said.read().decode("utf-8", "replace"))
                sys.stderr.flush()
            return status
    # Killed, as a build may be (it leaves the output and the cache whole),
    # before its first process is reaped: until then no other process or
    # group can have its number.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return None


def _last_build_file(output: Path) -> Path:
    return output.with_name(LAST_BUILD_FILE.format(name=output.name))


def behind(output: str | os.PathLike) -> bool:
    """Does the last build of ``output`` say its output is out of date now:
    its search index left to the next build (``build_inputs.PAGES_FIRST``), or a
    change it was made to wait for (a scheduled story) come? False when no
    build said."""
    try:
        record = json.loads(_last_build_file(Path(output)).read_text("utf-8"))
        clock = record.get("clock") or {}
    except (OSError, ValueError, AttributeError):
        return False
    return isinstance(clock, dict) and not build_inputs.still_right(clock)


@dataclasses.dataclass(frozen=True)
class LastBuild:
    """What the build that made an output said of it (``LAST_BUILD_FILE``)."""

    built_at: float  # when it swapped the output in (time.time())
    report: list[str]  # its summary's lines, as it printed them
    summary: dict  # its counts (plugins/build_report): published, held_back...


def last_build(output: str | os.PathLike) -> LastBuild | None:
    """What the last build of ``output`` left beside it; None when nothing
    (a build without a clock, or none yet)."""
    try:
        record = json.loads(_last_build_file(Path(output)).read_text("utf-8"))
        clock = record.get("clock") or {}
        return LastBuild(
            float(record["built_at"]),
            list(clock.get("report") or []),
            dict(clock.get("summary") or {}),
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def forget_last_build(output: str | os.PathLike) -> None:
    """Remove what the last build of ``output`` left beside it."""
    _last_build_file(Path(output)).unlink(missing_ok=True)


def _inputs_key(
    root: Path, settings_file, content_path, overrides, extra_args, python, env
) -> str | None:
    """The key of what this build is made from (``portal.build_inputs``);
    None when it cannot be told here: another Python (its packages are not
    this one's) or settings that cannot be read (the build says why)."""
    if os.path.realpath(python) != os.path.realpath(sys.executable):
        return None
    try:
        settings = _settings_read(
            root, settings_file, content_path, overrides, env, every=True
        )
        return build_inputs.site_key(settings, root / settings_file, extra_args)
    except Exception:
        return None


def _unchanged(output: Path, media: Path | None, inputs: str | None) -> dict | None:
    """What the last build of ``output`` left beside it (``LAST_BUILD_FILE``)
    if that build was made from ``inputs``, is still right now and its
    output is whole; else None."""
    if inputs is None or (media is not None and not media.is_dir()):
        return None
    try:
        last = json.loads(_last_build_file(output).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(last, dict) or last.get("inputs") != inputs:
        return None
    if not build_inputs.still_right(last.get("clock") or {}):
        return None
    try:
        read_manifest(output, production=False)
    except ManifestError:
        return None
    return last


def _settings_read(
    root: Path, settings_file, content_path, overrides, env, every: bool = False
) -> dict:
    """The settings the build ran with, read as Pelican read them: with
    the overrides that decide what kind of build it is, or ``every`` one."""
    from pelican.settings import read_settings

    override = {
        key: value
        for key, value in overrides.items()
        if every or key in ("STORY_PREVIEW", "STORY_STRICT", "SITEURL", "RELATIVE_URLS")
    }
    if every and content_path is not None:
        override["PATH"] = os.path.abspath(root / content_path)
    saved = dict(os.environ)
    try:
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        with contextlib.chdir(root):
            return read_settings(str(root / settings_file), override=override)
    finally:
        if env is not None:
            os.environ.clear()
            os.environ.update(saved)


def is_production(settings: Mapping) -> bool:
    """Made with production settings: strict, absolute URLs, no drafts."""
    return bool(
        settings.get("STORY_STRICT")
        and not settings.get("STORY_PREVIEW")
        and not settings.get("RELATIVE_URLS")
    )


def _files(folder: Path) -> dict[str, int]:
    """Every file of the build in ``folder`` but its manifest, and its size."""
    return file_sizes(folder, leave_out=frozenset({MANIFEST_FILE}))


def write_manifest(
    folder: Path,
    *,
    production: bool,
) -> None:
    """List every file of a finished build; written last, so its presence
    says the build finished."""
    manifest = {
        "version": MANIFEST_VERSION,
        "production": production,
        "files": _files(folder),
    }
    write_atomically(folder / MANIFEST_FILE, json.dumps(manifest, sort_keys=True))


def read_manifest(folder: Path, *, production: bool = True) -> dict:
    """The manifest of a complete build in ``folder``, checked against its
    files; ManifestError says why the folder cannot be trusted."""
    folder = Path(folder)
    fix = "run `./dev publish` to build the production site again"
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(
            f"{folder} has no {MANIFEST_FILE}: its build did not finish, or it was "
            "not made by `./dev publish` or `./dev preview`",
            fix,
        ) from None
    except (OSError, ValueError) as error:
        raise ManifestError(
            f"{folder / MANIFEST_FILE} is unreadable ({error})", fix
        ) from error
    if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION:
        raise ManifestError(f"{folder / MANIFEST_FILE} is not a manifest we write", fix)
    if production and not manifest.get("production"):
        raise ManifestError(
            f"{folder} was made by a development build (relative links, drafts or "
            "lenient checks), not for the public site",
            fix,
        )
    listed, present = manifest.get("files", {}), _files(folder)
    missing = sorted(set(listed) - set(present))
    extra = sorted(set(present) - set(listed))
    changed = sorted(n for n in set(listed) & set(present) if listed[n] != present[n])
    for what, names in (("missing", missing), ("not made by its build", extra),
                        ("changed since its build", changed)):  # fmt: skip
        if names:
            shown = ", ".join(names[:3]) + (" ..." if len(names) > 3 else "")
            raise ManifestError(
                f"{folder} is not the site its build made: {len(names)} file(s) "
                f"{what} ({shown})",
                fix,
            )
    return manifest
