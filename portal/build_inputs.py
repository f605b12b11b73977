"""Everything a whole build is made from, as one key; and until when it holds.

A build whose inputs are those of the output in place would make that
output again, byte for byte: ``portal.publishing.build_aside`` then leaves
the output as it is and runs no build at all (``./dev build --force`` runs
one anyway). The key (``site_key``) is a hash of:

- every file under the content folder, the theme, the plugins,
  ``portal/`` and the settings files beside the settings file, by name and
  bytes (content hashes, remembered by stat in the cache folder:
  ``portal.file_hashes``), but Python files by their syntax and the theme's
  templates by Jinja's tokens, as the stories' keys count them
  (``portal.source_digest``: a comment corrected builds nothing), and the
  folders the settings name for files the build copies
  (``INPUT_FOLDER_SETTINGS``: Decap's bundle);
- the settings as Pelican reads them (``settings_text``: environment
  variables the settings files read are in them), and the command line's
  other arguments;
- the tools: the Python and every installed package by version, ffmpeg's
  version line (the audio renditions).

One input is not a file: the clock. A story scheduled for tomorrow appears
tomorrow with nothing else changed, and the editing UI's next story ID
carries the year. So each build says when its output stops being right
(``note_change_at``, written to the file the setting ``BUILD_CLOCK_FILE``
names by ``write_clock``), ``portal.publishing`` keeps it beside the output
(never in it: it may name a story held back), and a build after that moment
runs whatever the key says.

No part of the key is a modification time: a fresh checkout with the same
files has the same key.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys

from portal import cache_json, file_hashes, git_hashes, source_digest
from portal.code_digest import file_digest, files
from portal.file_hashes import FileHashes, sha256_of
from portal.writing import write_atomically

# The setting naming where a build writes when its output stops being right.
CLOCK_SETTING = "BUILD_CLOCK_FILE"
# Where a build writes does not shape what it writes (links are relative or
# from SITEURL); a build made aside writes to a new folder every time.
WHERE_WRITTEN = frozenset(
    {
        "OUTPUT_PATH",
        "STORY_MEDIA_OUTPUT_PATH",
        "UNCHANGED_WRITES_PREVIOUS_OUTPUT",
        CLOCK_SETTING,
    }
)
# How a build goes about its work, not what it makes: whether it empties the
# output first (a build in place does not, `./dev publish` builds into an
# empty folder), how many processes it uses, how Pelican caches what it read,
# whether it leaves the search index and the compressed copies to the next
# build (``PAGES_FIRST``: such an output says it is behind, so the next
# build runs).
# A build with other values of these makes the same files, so it finds every
# key the last one left in the cache.
HOW_BUILT = frozenset(
    {
        "DELETE_OUTPUT_DIRECTORY",
        "OUTPUT_RETENTION",
        "BUILD_WORKERS",
        "CACHE_CONTENT",
        "LOAD_CONTENT_CACHE",
        "CONTENT_CACHING_LAYER",
        "GZIP_CACHE",
        "CHECK_MODIFIED_METHOD",
        "AUDIO_RENDITION_PRUNE",
        "PAGES_FIRST",
        "SITE_SEARCH_AHEAD",
    }
)
# What shapes no page, no story's file, and nothing a story is read into:
# how the text files are compressed beside them (precompress's settings,
# all named PRECOMPRESS...) and how the search index is made of the pages
# (the part size, the language and the selectors Pagefind leaves out,
# whether it runs). The stories' and pages' keys leave them out
# (``settings_text(..., pages=True)``), so tuning one makes the copies or
# the index again and no page; the key of everything a build is made from
# holds them, since the output they shape is the site's.
NOT_ON_PAGES_PREFIXES = ("PRECOMPRESS",)
NOT_ON_PAGES = frozenset(
    {
        "SITE_SEARCH_INDEX",
        "SITE_SEARCH_LANGUAGE",
        "SITE_SEARCH_PART_PAGES",
        "SITE_SEARCH_EXCLUDE_SELECTORS",
    }
)
# Folders on this machine, named in the settings' text by these names
# instead (in every setting, those derived from them too, like a static
# folder in the cache): the content, theme and code are in keys by what they
# hold, and caches do not shape outputs. A checkout at another path (another
# runner, another repository name) with its cache folder restored finds
# every key it had.
MACHINE_FOLDERS = (
    "AUDIO_RENDITION_CACHE_PATH",
    "CACHE_PATH",
    "PATH",
    "THEME",
    "PROJECT_ROOT",
)
# Settings naming a file or folder outside the content, theme and code whose
# bytes the build copies into the output.
INPUT_FOLDER_SETTINGS = ("EDITING_UI_DECAP_DIST",)
# The memo of content hashes, in the cache folder.
HASHES_FILE = "build_inputs_hashes.json"


def settings_text(settings, pages: bool = False) -> str:
    """The settings as text: every upper-case setting but where the build
    writes and how it goes about it (``HOW_BUILT``), with this machine's
    folders named (``MACHINE_FOLDERS``). ``pages``: only those that may
    shape a page or a story's files (not ``NOT_ON_PAGES``)."""

    def name_of(value):
        return getattr(value, "__qualname__", type(value).__name__)

    plain = {
        key: value
        for key, value in settings.items()
        if key.isupper()
        and key not in WHERE_WRITTEN
        and key not in HOW_BUILT
        and not (pages and _not_on_pages(key))
    }
    text = json.dumps(plain, sort_keys=True, default=name_of)
    folders = {
        os.path.abspath(settings[name]): name
        for name in MACHINE_FOLDERS
        if isinstance(settings.get(name), str) and settings[name]
    }
    # Longest first: a cache inside the project is named as the cache.
    for folder in sorted(folders, key=len, reverse=True):
        text = text.replace(json.dumps(folder)[1:-1], f"<{folders[folder]}>")
    return text


def _not_on_pages(key: str) -> bool:
    return key in NOT_ON_PAGES or key.startswith(NOT_ON_PAGES_PREFIXES)


def installed_packages() -> list[str]:
    """Every installed distribution, by the name of its metadata folder
    (``pelican-4.10.1.dist-info``: its name and version), sorted. Read from
    the folders' names, not their metadata: that took half a second."""
    found = set()
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue  # a zip file, or a folder that is not there
        found.update(
            name for name in names if name.endswith((".dist-info", ".egg-info"))
        )
    return sorted(found)


# ffmpeg's version line, kept in the cache folder by the SHA-256 of the
# program that printed it: running ``ffmpeg -version`` (a hundred libraries
# loaded) took 0.2 s of every build, and of every publish that found nothing
# changed.
FFMPEG_VERSION_FILE = "ffmpeg-version.json"
_ffmpeg_version_file: str | None = None


def keep_ffmpeg_version(path: str | os.PathLike | None) -> None:
    """Keep ffmpeg's version line in ``path`` (the cache folder's
    ``FFMPEG_VERSION_FILE``), by its program's bytes; None keeps it
    nowhere (ffmpeg is asked)."""
    global _ffmpeg_version_file
    path = os.fspath(path) if path else None
    if path != _ffmpeg_version_file:
        _ffmpeg_version_file = path
        ffmpeg_version.cache_clear()


@functools.lru_cache(maxsize=1)
def ffmpeg_version() -> str:
    """ffmpeg's version line (a new ffmpeg may encode differently); "" when
    ffmpeg is missing (the build then says how to install it). The line is
    compiled into the program: the same bytes print the same line."""
    path = shutil.which("ffmpeg")
    if path is None:
        return ""
    try:
        program = sha256_of(path)
    except OSError:
        program = None
    kept = _kept_ffmpeg_version(program)
    if kept is not None:
        return kept
    result = subprocess.run(
        [path, "-hide_banner", "-version"], capture_output=True, text=True, check=False
    )
    line = result.stdout.splitlines()[0] if result.stdout else "unknown"
    if program and _ffmpeg_version_file and result.returncode == 0:
        try:
            write_atomically(
                _ffmpeg_version_file, json.dumps({"program": program, "line": line})
            )
        except OSError:
            pass  # a read-only cache folder: ffmpeg is asked again next time
    return line


def _kept_ffmpeg_version(program: str | None) -> str | None:
    """The line kept for the program whose SHA-256 is ``program``."""
    if not program or not _ffmpeg_version_file:
        return None
    try:
        kept = cache_json.load(_ffmpeg_version_file)
    except (OSError, ValueError):
        return None
    if isinstance(kept, dict) and kept.get("program") == program:
        line = kept.get("line")
        return line if isinstance(line, str) else None
    return None


def content_hash(*parts) -> str:
    """A short hash of ``parts`` (anything JSON writes, else ``str``)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(cache_json.dumps(part, default=str))
        digest.update(b"\0")
    return digest.hexdigest()


def _tree(
    root: str,
    hashes: FileHashes,
    ignored: tuple[str, ...] = (),
    content: bool = False,
    templates: tuple[str, dict] | None = None,
) -> list[tuple[str, str]]:
    """Every file under ``root`` (a folder or one file) that
    ``portal.code_digest`` would read, but those whose name or folder's
    name matches a pattern of ``ignored`` (for the content, Pelican's
    ``IGNORE_FILES``): its path under ``root`` and its digest, as the
    stories' keys count it (``code_digest.file_digest``: code by its syntax,
    templates by Jinja's tokens, ``content`` by every byte)."""
    found = [root] if os.path.isfile(root) else files(root, ignored=ignored)
    return [
        (
            "" if path == root else os.path.relpath(path, root),
            file_digest(path, hashes, templates=templates, content=content),
        )
        for path in found
    ]


def input_roots(settings, settings_file: str | os.PathLike) -> list[str]:
    """The files and folders whose bytes make the site."""
    settings_folder = os.path.dirname(os.path.abspath(settings_file))
    roots = [settings["PATH"], settings["THEME"], os.path.dirname(__file__)]
    roots += list(settings.get("PLUGIN_PATHS", []))
    roots += sorted(
        os.path.join(settings_folder, name)
        for name in os.listdir(settings_folder)
        if name.endswith(".py")
    )
    roots += [
        settings[name]
        for name in INPUT_FOLDER_SETTINGS
        if isinstance(settings.get(name), str) and os.path.exists(settings[name])
    ]
    return [os.path.abspath(root) for root in roots]


def site_key(
    settings, settings_file: str | os.PathLike, extra_args=(), hashes=None
) -> str:
    """The key of everything the build of ``settings`` is made from."""
    cache = settings.get("CACHE_PATH")
    # The content as it is now, not as a build stopped midway in this
    # process found it (portal.file_hashes' snapshot).
    file_hashes.new_snapshot()
    if hashes is None:
        hashes = FileHashes(os.path.join(cache, HASHES_FILE) if cache else None)
    if cache:
        git_hashes.keep_table(os.path.join(cache, git_hashes.TABLE_FILE))
        source_digest.keep_table(os.path.join(cache, source_digest.TABLE_FILE))
        keep_ffmpeg_version(os.path.join(cache, FFMPEG_VERSION_FILE))
    # What Pelican passes over in the content (the editors' guide, its
    # screenshots) makes no page: edited, it built the site again for
    # nothing. The story keys leave it out too (story_pipeline/key.py).
    content = os.path.abspath(settings["PATH"])
    ignored = tuple(settings.get("IGNORE_FILES", ()))
    # The code and templates count as the stories' keys count them: a
    # comment corrected builds nothing (those keys would keep every page).
    templates = (
        os.path.join(os.path.abspath(settings["THEME"]), "templates"),
        settings.get("JINJA_ENVIRONMENT") or {},
    )
    trees = [
        (
            _named(root, settings, settings_file),
            content_hash(
                _tree(root, hashes, ignored, content=True)
                if root == content
                else _tree(root, hashes, templates=templates)
            ),
        )
        for root in input_roots(settings, settings_file)
    ]
    key = content_hash(
        trees,
        settings_text(settings),
        list(extra_args),
        sys.version,
        installed_packages(),
        ffmpeg_version(),
    )
    try:
        hashes.save()
    except OSError:
        pass  # a read-only cache folder: the files are hashed again next time
    git_hashes.save_table()
    source_digest.save_table()
    return key


def _named(root: str, settings, settings_file) -> str:
    """``root`` by a name that does not hold this machine's folders."""
    project = os.path.dirname(os.path.abspath(settings_file))
    for name in ("PATH", "THEME"):
        if root == os.path.abspath(settings[name]):
            return f"<{name}>"
    if os.path.commonpath([project, root]) == project:
        return os.path.relpath(root, project)
    return os.path.basename(root)


# The moments this build's output stops being right, and why (this process).
_changes: list[tuple[datetime.datetime, str]] = []


# The live preview's first build of a save (portal/preview_builds.py): the
# pages made, the search index and the compressed copies left to the build
# after it (plugins site_search and precompress), which the output's clock
# calls for (``left_to_next_build``).
PAGES_FIRST = "PAGES_FIRST"


def pages_first(settings) -> bool:
    """``PAGES_FIRST``, checked: True or False (default False)."""
    value = settings.get(PAGES_FIRST, False)
    if not isinstance(value, bool):
        raise ValueError(f"{PAGES_FIRST} must be True or False, not {value!r}")
    return value


def left_to_next_build(what: str) -> None:
    """This build leaves ``what`` to the next one (``PAGES_FIRST``): its
    output is behind from now on, so the next build runs however little
    else changed (``portal.publishing.behind``)."""
    note_change_at(
        datetime.datetime.now(datetime.UTC), f"{what} are left to the next build"
    )


def note_change_at(when: datetime.datetime, why: str) -> None:
    """The output this build makes is wrong from ``when`` on (a timezone-aware
    moment), for the reason ``why``: a scheduled story appears, say."""
    _changes.append((when, why))


def write_clock(settings, report: list[str] = (), summary: dict | None = None) -> None:
    """Write the earliest noted change, and the build's ``report`` (its
    summary's lines) and ``summary`` (its counts, for the job summary), to
    the file ``BUILD_CLOCK_FILE`` names (nothing when it names none); forget
    the notes."""
    path = settings.get(CLOCK_SETTING)
    changes = sorted(_changes, key=lambda change: change[0])
    _changes.clear()
    if not path:
        return
    first = changes[0] if changes else None
    clock = {
        "valid_until": first[0].isoformat() if first else None,
        "why": first[1] if first else None,
        "report": list(report),
        "summary": summary or {},
    }
    write_atomically(path, json.dumps(clock))


def read_clock(path: str | os.PathLike) -> dict:
    """What a build wrote with ``write_clock``; {} when it wrote nothing."""
    try:
        with open(path, encoding="utf-8") as handle:
            clock = json.load(handle)
    except (OSError, ValueError):
        return {}
    return clock if isinstance(clock, dict) else {}


def still_right(clock: dict, now: datetime.datetime | None = None) -> bool:
    """Is an output whose build wrote ``clock`` still right ``now``?"""
    until = clock.get("valid_until")
    if until is None:
        return True
    try:
        moment = datetime.datetime.fromisoformat(until)
    except (TypeError, ValueError):
        return False
    now = now or datetime.datetime.now(datetime.UTC)
    return now < moment
