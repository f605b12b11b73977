"""Invoke tasks, in the spirit of pelican-quickstart's tasks.py.

Run them through ``./dev`` (which sets up the virtualenv first), e.g.
``./dev build``, ``./dev serve --port 8080`` or ``./dev invoke --list``.
Arguments after ``--`` go to Pelican: ``./dev build -- --debug``.

Pelican always runs as ``<this Python> -m pelican``, so the virtualenv's
Pelican builds the site whatever else is on PATH.
"""

import mimetypes
import shlex
import shutil
import sys
from pathlib import Path

from invoke import task
from invoke.main import program
from pelican.settings import DEFAULT_CONFIG, get_settings_from_file

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from portal import devserver, publishing  # noqa: E402
from portal.mime import AUDIO_MIME_TYPES, TRANSCRIPT_MIME_TYPES  # noqa: E402

SETTINGS_FILE_BASE = "pelicanconf.py"
SETTINGS_FILE_PUBLISH = "publishconf.py"
SETTINGS = {}
SETTINGS.update(DEFAULT_CONFIG)
LOCAL_SETTINGS = get_settings_from_file(str(ROOT / SETTINGS_FILE_BASE))
SETTINGS.update(LOCAL_SETTINGS)

CONFIG = {
    "settings_base": SETTINGS_FILE_BASE,
    "settings_publish": SETTINGS_FILE_PUBLISH,
    # Output path, absolute or relative to this file. Default: 'output'.
    "deploy_path": SETTINGS["OUTPUT_PATH"],
    "cache_path": SETTINGS["CACHE_PATH"],
    # Host and port for `serve` and `livereload`.
    "host": "127.0.0.1",
    "port": 8000,
}

# What `livereload` watches: a change in any of these rebuilds the site.
WATCHED = ["content", "theme", "plugins", "portal", SETTINGS_FILE_BASE]


def _deploy_path() -> Path:
    return ROOT / CONFIG["deploy_path"]


def _remainder() -> list[str]:
    """What followed ``--`` on the invoke command line, if run from there."""
    core = getattr(program, "core", None)
    return shlex.split(core.remainder) if core and core.remainder else []


def pelican_run(c, *args: str) -> None:
    """Run this Python's Pelican in the project folder.

    Arguments after ``--`` on the invoke command line are passed on."""
    # The pass-through goes first: `-e` in ``args`` takes all that follows.
    command = [sys.executable, "-m", "pelican", *_remainder(), *args]
    with c.cd(str(ROOT)):
        c.run(shlex.join(command), echo=True, pty=False)


@task
def clean(c):
    """Remove generated files (the output folder and Pelican's cache)."""
    for key in ("deploy_path", "cache_path"):
        path = ROOT / CONFIG[key]
        if path.is_dir():
            shutil.rmtree(path)
    _deploy_path().mkdir(parents=True, exist_ok=True)


@task
def build(c):
    """Build the development site (pelicanconf.py) into the output folder."""
    pelican_run(c, "-s", CONFIG["settings_base"])


@task
def rebuild(c):
    """`clean`, then `build`."""
    clean(c)
    build(c)


@task(
    help={
        "port": "port to listen on (default 8000)",
        "bind": "address to listen on (default 127.0.0.1; 0.0.0.0 for all)",
    }
)
def serve(c, port=CONFIG["port"], bind=CONFIG["host"]):
    """Serve the output folder at http://localhost:8000/, with HTTP Range."""
    output = _deploy_path()
    if not (output / "index.html").is_file():
        sys.exit(f"Nothing to serve in {output}: run `./dev build` first.")
    devserver.serve(output, bind, int(port))


@task
def reserve(c, port=CONFIG["port"], bind=CONFIG["host"]):
    """`build`, then `serve`."""
    build(c)
    serve(c, port=port, bind=bind)


@task
def preview(c):
    """Build the production site (publishconf.py) into the output folder."""
    pelican_run(c, "-s", CONFIG["settings_publish"])


@task(help={"port": "port to listen on (default 8000)"})
def livereload(c, port=CONFIG["port"], bind=CONFIG["host"]):
    """Rebuild on every change to content, theme, plugins or portal; reload."""
    from livereload import Server

    def cached_build():
        pelican_run(
            c,
            "-s",
            CONFIG["settings_base"],
            "-e",
            "CACHE_CONTENT=true",
            "LOAD_CONTENT_CACHE=true",
        )

    # livereload serves files with tornado, which answers Range requests and
    # takes its content types from `mimetypes`: teach it ours.
    for suffix, mime in {**AUDIO_MIME_TYPES, **TRANSCRIPT_MIME_TYPES}.items():
        mimetypes.add_type(mime, suffix)

    cached_build()
    server = Server()
    server.watcher.ignore_dirs("__pycache__")
    for path in WATCHED:
        server.watch(str(ROOT / path), cached_build)
    server.serve(host=bind, port=int(port), root=str(_deploy_path()), debug=False)


@task(help={"output": "where to publish (default: publishconf's OUTPUT_PATH)"})
def publish(c, output=None):
    """Build the production site and swap it in only if the build succeeds.

    The build goes to a fresh folder next to the output; a failed build
    leaves the previous output untouched."""
    if output is None:
        settings = get_settings_from_file(str(ROOT / CONFIG["settings_publish"]))
        output = settings.get("OUTPUT_PATH", CONFIG["deploy_path"])
    try:
        published = publishing.publish(
            output,
            CONFIG["settings_publish"],
            project_root=ROOT,
            extra_args=_remainder(),
        )
    except publishing.PublishError as error:
        sys.exit(f"Publish failed: {error}")
    print(f"Published to {published}")
