"""Helpers the tests share: building a site with Pelican in this process.

``build_site`` is a plain function (not a fixture) so a test can build as
many sites as it needs, with any settings file and overrides::

    from tests.support import build_site

    output = build_site(tmp_path / "content", tmp_path / "out", STORY_NOW=NOW)
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import pathlib
import pickle
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import filelock
import jinja2
from pelican import Pelican
from pelican.log import LimitFilter
from pelican.settings import read_settings

from portal import devserver, local_backend, locks

PROJECT_ROOT = pathlib.Path(__file__).resolve().parent.parent
CONTENT = PROJECT_ROOT / "content"
# Audio renditions are cached by content (the master's bytes, the settings,
# the code), so every build of a test run can share one cache: the same
# fixture audio is encoded once, however many sites use it. conftest.py
# names one folder for all pytest-xdist workers (in pytest's cache folder,
# kept between runs) through this variable; without it (a script importing
# build_site), the process keeps a temporary one. A test of the cache itself
# passes its own AUDIO_RENDITION_CACHE_PATH.
RENDITIONS_ENV = "PORTAL_TEST_RENDITIONS"
_own_renditions: list[str] = []


def renditions_cache() -> str:
    """The rendition cache folder every test build shares."""
    shared = os.environ.get(RENDITIONS_ENV)
    if shared:
        return shared
    if not _own_renditions:
        folder = tempfile.mkdtemp(prefix="renditions-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _own_renditions.append(folder)
    return _own_renditions[0]


# The image caches (story pictures and podcast art, funder logos) are keyed
# by content too, but live in each build's CACHE_PATH: every fresh build of
# the sample content drew its funders' logos again (WebP and optimized PNG,
# four sizes each) and cut its pictures again, some 120 s of a test run's
# CPU. conftest.py names one folder of such images for the run (this
# variable); ``build_site`` fills a build's fresh cache from it and gives it
# what the build made.
IMAGES_ENV = "PORTAL_TEST_IMAGES"
IMAGE_CACHES = ("artwork", "funders")  # their folders in CACHE_PATH


def _share_images(source: pathlib.Path, target: pathlib.Path) -> None:
    """Copy into ``target`` each image cache file of ``source`` it lacks.
    Copies, never links: a test may damage its own cache's files in place.
    Not the remembered hashes (by stat: of a build's own paths), nor a
    file being written (a name starting with a dot)."""
    for name in IMAGE_CACHES:
        there = source / name
        if not there.is_dir():
            continue
        (target / name).mkdir(parents=True, exist_ok=True)
        for entry in os.scandir(there):
            if entry.name.startswith(".") or entry.name == "hashes.json":
                continue
            wanted = target / name / entry.name
            if entry.is_file() and not wanted.exists():
                partial = wanted.with_name(f".{entry.name}.{os.getpid()}")
                shutil.copyfile(entry.path, partial)
                partial.replace(wanted)


# Pre-compressed copies (plugins/precompress) are kept by content too, in
# CACHE_PATH/precompressed/, and a fresh cache makes them all again: Brotli
# at its best on the theme's CSS and JS, the same files build after build,
# was most of each small build's time (a second of a one-story site's 1.3).
# The copies of those files go to the run's folder (as the pictures do,
# under this name), with an index for each stamp of the plugin's code and
# settings (a folder each), and a fresh cache starts with those of its stamp.
SHARED_COPIES = "precompressed"


def _copy_file(source: str | os.PathLike, target: pathlib.Path) -> None:
    """``source`` copied to ``target``, which appears whole or not at all."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}")
    shutil.copyfile(source, partial)
    partial.replace(target)


def _copies_stamp(settings: dict) -> str | None:
    """What precompress stamps a cache's index with for these settings; None
    when the build makes no copies, or its settings are wrong (the build
    says so itself)."""
    from precompress import plugin as precompress

    try:
        options = precompress.settings(settings)
    except ValueError:
        return None
    return precompress._stamp(options) if options["PRECOMPRESS"] else None


def _seed_copies(shared: pathlib.Path, cache: pathlib.Path, stamp: str) -> None:
    """A fresh cache gets the run's copies made with the same stamp: copies,
    never links (a test may damage its own cache's files in place)."""
    from precompress import plugin as precompress

    folder = shared / SHARED_COPIES / stamp
    try:
        index = json.loads((folder / "index.json").read_text())
    except (OSError, ValueError):
        return
    store = cache / precompress.STORE_FOLDER
    store.mkdir(parents=True, exist_ok=True)
    for sha256, formats in index.items():
        for fmt in formats:
            name = sha256 + precompress.SUFFIXES[fmt]
            _copy_file(folder / name, store / name)
    text = json.dumps({"code": stamp, "copies": index}, sort_keys=True)
    (cache / precompress.CACHE_FILE).write_text(text, encoding="utf-8")


def _give_back_copies(
    output: pathlib.Path, cache: pathlib.Path, shared: pathlib.Path, stamp: str
) -> None:
    """The copies of the output's CSS, JS and SVG files go to the run's."""
    from precompress import plugin as precompress

    try:
        index = json.loads((cache / precompress.CACHE_FILE).read_text())
    except (OSError, ValueError):
        return
    if index.get("code") != stamp:
        return
    assets = {
        hashlib.sha256(path.read_bytes()).hexdigest()
        for path in output.rglob("*")
        if path.suffix in precompress.ASSET_EXTENSIONS and path.is_file()
    }
    made = {sha: f for sha, f in index["copies"].items() if sha in assets and f}
    folder = shared / SHARED_COPIES / stamp
    folder.mkdir(parents=True, exist_ok=True)
    with filelock.FileLock(folder / ".lock"):
        path = folder / "index.json"
        try:
            known = json.loads(path.read_text())
        except (OSError, ValueError):
            known = {}
        new = {sha: f for sha, f in made.items() if sha not in known}
        if not new:
            return
        for sha256, formats in list(new.items()):
            try:
                for fmt in formats:
                    name = sha256 + precompress.SUFFIXES[fmt]
                    _copy_file(cache / precompress.STORE_FOLDER / name, folder / name)
            except FileNotFoundError:  # not in the store: the run goes without
                del new[sha256]
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(json.dumps({**known, **new}, sort_keys=True))
        partial.replace(path)


_IMAGES_SHARING = threading.Lock()


@contextlib.contextmanager
def images_shared(cache: str | os.PathLike) -> Iterator[None]:
    """Around a build run as ``./dev`` runs it (``portal.publishing``: a
    child process) into ``cache``: a new cache starts with the run's image
    caches' files and gives back what the build drew, as ``build_site``'s
    do. A cache that is there already is the test's own, left as it is."""
    cache = pathlib.Path(cache)
    with _IMAGES_SHARING:  # builds in threads (one test) copy one at a time
        images = os.environ.get(IMAGES_ENV) if not cache.exists() else None
        if images:
            _share_images(pathlib.Path(images), cache)
    yield
    if images:
        with _IMAGES_SHARING:
            _share_images(cache, pathlib.Path(images))


def build_as_dev(
    content, output, cache, settings="pelicanconf.py", *, force=False,
    extra_args=(), **overrides,
):  # fmt: skip
    """A build as `./dev build` (or `preview`, `publish` with publishconf.py)
    makes it: a child process building beside ``output``, swapped in only
    when it succeeds (``portal.publishing.build_aside``, which returns the
    output, and builds nothing when nothing changed unless ``force``).

    Without the editing UI, as ``build_site`` builds (Brotli 11 on Decap
    CMS's 5 MB of JavaScript was most of each cold build's time). The podcast
    renditions come from the run's shared rendition cache, so each fixture
    master is encoded once a run, not once a build (a test of the rendition
    cache itself passes ``AUDIO_RENDITION_CACHE_PATH=""``, the cache folder's
    own); a new cache starts with the run's pictures and logos
    (``images_shared``), and only a fresh cache's drawings go back."""
    from portal import publishing

    with images_shared(cache):
        return publishing.build_aside(
            output,
            settings,
            content_path=content,
            project_root=PROJECT_ROOT,
            overrides={
                "CACHE_PATH": str(cache),
                "EDITING_UI": False,
                "AUDIO_RENDITION_CACHE_PATH": renditions_cache(),
                **overrides,
            },
            force=force,
            extra_args=extra_args,
        )


def check_content(
    content: str | os.PathLike,
    cache: str | os.PathLike,
    settings: str = "publishconf.py",
    **overrides,
):
    """``portal.checking.check_content`` of ``content`` with ``settings``
    (publishconf.py, as CI checks), in a cache of the test's own.

    Without one a check uses the project's ``cache/``, and waits for its
    lock while a ``./dev publish`` test on the other worker builds there
    (in a fresh clone, a cold build of the sample site). A new ``cache``
    starts with the run's pictures and logos (``images_shared``) and takes
    the podcast audio's measurements from the run's rendition cache, as
    ``build_site`` does: such a check costs what one with the project's
    warm cache does."""
    from portal import checking

    with images_shared(cache):
        return checking.check_content(
            PROJECT_ROOT / settings,
            content_path=content,
            overrides={
                "CACHE_PATH": str(cache),
                "AUDIO_RENDITION_CACHE_PATH": renditions_cache(),
                "AUDIO_RENDITION_PRUNE": False,
                **overrides,
            },
        )


# What a test build may leave out when the test does not look at it:
# ``build_site(content, out, **LEAN)``. Pre-compressed copies (.gz, .br;
# Brotli 11 for every asset) and the Pagefind index only repeat what the
# pages hold, and together cost about as much as the rest of a small build.
# Tests of those two, and tests that an unpublished story leaves no trace in
# any file, build with them on (the default).
LEAN = {"PRECOMPRESS": False, "SITE_SEARCH_INDEX": False}


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the builds of one test process.

    Every build makes new Jinja environments, which would compile every
    template again (a second or so of each small build). Jinja stores each
    template's source checksum with its code and compiles again when the
    source differs (a test's own THEME); the environment's options, which
    shape the compiled code, choose the store (``_compiled_templates``)."""

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_template_stores: dict[str, _CompiledTemplates] = {}


def _compiled_templates(options: dict) -> _CompiledTemplates:
    return _template_stores.setdefault(
        repr(sorted(options.items())), _CompiledTemplates()
    )


def _reset_pelican_logging() -> None:
    """Forget the log messages earlier builds in this process printed.

    Pelican's log filter drops a warning it has already seen once per
    *process* (and counts groups of messages process-wide), so a second
    build would be silent about problems the first one reported, and tests
    reading ``caplog`` would miss them."""
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    LimitFilter._ignore.clear()  # refilled from LOG_FILTER by read_settings


def build_site(
    content_dir: str | os.PathLike,
    output_dir: str | os.PathLike,
    settings_file: str = "pelicanconf.py",
    cache_dir: str | os.PathLike | None = None,
    **overrides,
) -> pathlib.Path:
    """Build ``content_dir`` into ``output_dir`` in-process; return the output.

    ``settings_file`` is relative to the project root (``pelicanconf.py`` or
    ``publishconf.py``); keyword arguments override single settings
    (``STORY_NOW=...``, ``STORY_PREVIEW=True``). Pelican's cache goes to
    ``cache_dir``, by default a fresh ``<output>.cache`` folder beside the
    output, never the project's own cache; a fresh one starts with the run's
    pictures and logos and the compressed copies of the theme's CSS and JS
    (their bytes are the same build after build). Exceptions a strict build raises
    (``portal.problems.StoryContentError``) propagate to the caller.

    Repeated builds in one process work: plugins are imported once and
    register the same receivers again (blinker keeps one connection each),
    every build reads its settings file afresh, and Pelican's log
    de-duplication is reset before each build."""
    content = pathlib.Path(content_dir).resolve()
    output = pathlib.Path(output_dir).resolve()
    images = os.environ.get(IMAGES_ENV)
    if cache_dir is None:
        cache = output.with_name(output.name + ".cache")
        shutil.rmtree(cache, ignore_errors=True)
        if images:
            _share_images(pathlib.Path(images), cache)
    else:
        images = None  # a test's own cache: what it holds is the test's
        cache = pathlib.Path(cache_dir).resolve()
    _reset_pelican_logging()
    settings = read_settings(
        str(PROJECT_ROOT / settings_file),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(cache),
            # The editing UI (6 MB of Decap CMS) only where a test asks for it.
            "EDITING_UI": False,
            "AUDIO_RENDITION_CACHE_PATH": renditions_cache(),
            # The shared one, test builds on other workers read at the same
            # time: never pruned. A test's own cache is, as in production.
            "AUDIO_RENDITION_PRUNE": "AUDIO_RENDITION_CACHE_PATH" in overrides,
            **overrides,
        },
    )
    jinja = dict(settings["JINJA_ENVIRONMENT"])
    if "bytecode_cache" not in jinja:
        settings["JINJA_ENVIRONMENT"] = {
            **jinja,
            "bytecode_cache": _compiled_templates(jinja),
        }
    stamp = _copies_stamp(settings) if images else None
    if stamp:
        _seed_copies(pathlib.Path(images), cache, stamp)
    try:
        Pelican(settings).run()
    finally:
        # A build that raised never reached the end that releases the cache's
        # lock (plugins/shared_cache); a later build in another process would
        # wait for this one forever.
        locks.release_cache(settings["CACHE_PATH"])
    if images:
        _share_images(cache, pathlib.Path(images))
    if stamp:
        _give_back_copies(output, cache, pathlib.Path(images), stamp)
    return output


T = TypeVar("T")  # what a build shared by the workers returns


def run_folder(request) -> pathlib.Path:
    """The test run's own temporary folder, the same for every xdist worker
    (the parent of each worker's basetemp; without xdist, the basetemp)."""
    basetemp = request.getfixturevalue("tmp_path_factory").getbasetemp()
    return basetemp.parent if hasattr(request.config, "workerinput") else basetemp


def built_once(request, build: Callable[[pathlib.Path], T]) -> T:
    """What ``build(folder)`` returns, built once a test run for all workers.

    For a module- or session-scoped fixture whose tests only *read* what it
    builds (a site, say)::

        @pytest.fixture(scope="module")
        def green_site(request):
            def build(base):
                content = copy_content(base / "content")
                return build_site(content, base / "out", ...)

            return built_once(request, build)

    pytest-xdist runs a module's tests on one worker, but an idle worker
    takes tests from the end of the other's queue (``--dist worksteal``), and
    would then build the module's site a second time. Here the first worker
    to ask builds it into a folder of the run's temporary folder, named after
    the fixture, while holding a file lock; the value (pickled) is written
    last, as the sign the build finished; any other worker waits for the
    lock and gets the same value. A build that raised leaves no value: the
    next worker to ask builds again (and fails the same way).

    So ``build`` must depend on nothing of its worker (a server's port, a
    monkeypatch), return something picklable (paths, strings; not live
    objects or exceptions), and its tests must never change what it built:
    a test that does copies it into its own ``tmp_path`` first. A fixture
    that yields a running server, a process or a browser stays per worker.
    """
    node = request.node.nodeid or "session"
    param = f"[{request.param}]" if hasattr(request, "param") else ""
    name = re.sub(r"[^\w.-]+", "_", f"{node}::{request.fixturename}{param}")
    shared = run_folder(request) / "built-once"
    folder, value = shared / name, shared / f"{name}.value"
    shared.mkdir(exist_ok=True)
    with filelock.FileLock(str(shared / f"{name}.lock")):
        if not value.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            made = pickle.dumps(build(folder))
            partial = value.with_name(value.name + ".partial")
            partial.write_bytes(made)
            partial.replace(value)
    return pickle.loads(value.read_bytes())


def invoke(
    *args: str, env: dict | None = None, timeout: float | None = None
) -> subprocess.CompletedProcess:
    """Run an invoke task as ``./dev TASK ARGS`` does (``python -m invoke``
    in a subprocess, from the project's tasks.py); output captured as text,
    the exit status left to the test. ``env`` adds to this environment.

    Its builds take their renditions from the run's shared rendition cache
    (the settings read ``AUDIO_RENDITION_CACHE_PATH`` from the environment),
    as in-process builds do: a fresh clone's project cache would otherwise
    encode every sample story again."""
    shared = {
        "AUDIO_RENDITION_CACHE_PATH": renditions_cache(),
        "AUDIO_RENDITION_PRUNE": "no",
    }
    return subprocess.run(
        [sys.executable, "-m", "invoke", "--search-root", str(PROJECT_ROOT), *args],
        cwd=PROJECT_ROOT,
        env={**shared, **os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def copy_content(
    destination: str | os.PathLike, *, stories: bool = False
) -> pathlib.Path:
    """A copy of the project's content/ to build from or to break.

    Sample stories are left out unless ``stories`` is True: they may change
    at any time, so tests write the stories they need (``tests.stories``).
    The editors' guide goes with them: its lists of topics in use describe
    the sample stories (``./dev check`` would call them out of date)."""
    destination = pathlib.Path(destination)
    ignore = None if stories else shutil.ignore_patterns("stories", "README.md")
    shutil.copytree(CONTENT, destination, ignore=ignore)
    (destination / "stories").mkdir(exist_ok=True)
    return destination


# How long loaded_in_tabs looks at a tab still loading before it looks at the
# next one (milliseconds), and how long a page may take to reach its state.
GLANCE_MS = 20
PAGE_TIMEOUT_S = 30


def loaded_in_tabs(tabs, base: str, urls: list[str], state: str = "load"):
    """Open ``urls`` one a tab and yield each (tab, url) once it reached
    ``state``; a tab goes on to the next url as soon as the caller is done
    with its page. The pages load side by side, which walks a whole site in
    a browser in a fraction of the time, and no tab sits idle until the
    slowest page of the others is done (as when they were opened in batches).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    waiting = list(urls)
    loading = {}  # tab: (its url, when it was opened)

    def open_next(tab):
        url = waiting.pop(0)
        tab.goto(base + url, wait_until="commit")
        loading[tab] = (url, time.monotonic())

    for tab in tabs[: len(waiting)]:
        open_next(tab)
    while loading:
        for tab, (url, opened) in list(loading.items()):
            if time.monotonic() - opened > PAGE_TIMEOUT_S:
                raise PlaywrightTimeoutError(
                    f"{base + url} did not reach {state} in {PAGE_TIMEOUT_S} s"
                )
            try:
                tab.wait_for_load_state(state, timeout=GLANCE_MS)
            except PlaywrightTimeoutError:
                continue
            del loading[tab]
            yield tab, url
            if waiting:
                open_next(tab)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the system's
    pick), for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def editing_ui_running(
    project: str | os.PathLike, output: str | os.PathLike
) -> Iterator[str]:
    """/admin/ for ``project``'s content, saving through the local backend.

    Builds ``project``/content into ``output`` with the editing UI on
    (pelicanconf.py, as ``./dev cms`` builds it), serves it, and runs
    decap-server writing into ``project`` (on a free port) while the block
    runs; yields the site's base URL. ``project`` is a copy
    (``copy_content``): the form writes stories into it."""
    project = pathlib.Path(project)
    port = free_port()
    build_site(
        project / "content",
        output,
        EDITING_UI=True,
        EDITING_UI_LOCAL_BACKEND=local_backend.api_url(port),
        **LEAN,
    )
    with local_backend.running(project, port), devserver.running(output) as url:
        yield url
