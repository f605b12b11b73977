"""The editing UI's local backend: decap-server, writing to a working copy.

``./dev cms`` runs it so that /admin/ on the development site saves stories
straight into ``content/`` of this folder (its file-system mode: no commits;
the editor commits with git, as after ``./dev new-story``). decap-server is
an npm package pinned in package.json; ``npm ci`` installs it.

It runs through ``plugins/editing_ui/local_server.js``: decap-server's own
file-system API, which takes at most 50 MB a save (an audio file of about 35
MB, as files travel as base64 text), behind a limit of ``UPLOAD_LIMIT_MB``
that a conversation's audio fits in, and an answer the form shows for a save
over it.

It answers only on 127.0.0.1, and the editing UI looks for it only when the
page itself is on localhost or 127.0.0.1 (Decap CMS's rule)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from portal.problems import FixableError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = PROJECT_ROOT / "plugins" / "editing_ui" / "local_server.js"
DEFAULT_PORT = 8081
HOST = "127.0.0.1"
# The most a save may send, as base64 text: files of about 300 MB together
# (an hour of MP3 is 60 MB). Below Node's largest string (about 512 MB),
# which the request's JSON is read into.
UPLOAD_LIMIT_MB = 400


class LocalBackendError(FixableError):
    """decap-server cannot start: ``problem`` and ``fix``."""


def decap_server(project_root: Path = PROJECT_ROOT) -> Path:
    """decap-server's package folder (its file-system API is used)."""
    path = project_root / "node_modules" / "decap-server"
    if not (path / "dist" / "middlewares.js").is_file():
        raise LocalBackendError(
            f"decap-server is not installed ({path} is missing)",
            "run `npm ci` in the project folder (needs npm: apt-get install npm)",
        )
    return path


def command(project_root: Path = PROJECT_ROOT) -> list[str]:
    """Node running the launcher (``LAUNCHER``)."""
    decap_server(project_root)
    node = shutil.which("node")
    if node is None:
        raise LocalBackendError(
            "Node.js is not installed (no `node` command)",
            "install it (apt-get install nodejs npm), then run `npm ci`",
        )
    return [node, str(LAUNCHER)]


def api_url(port: int = DEFAULT_PORT) -> str:
    """What the editing UI's ``local_backend`` setting points at."""
    return f"http://localhost:{port}/api/v1"


def environment(
    repository: Path, port: int, upload_limit_mb: int = UPLOAD_LIMIT_MB
) -> dict[str, str]:
    """The launcher's settings: the folder holding content/, where to
    listen, the most a save may send."""
    return {
        **os.environ,
        "DECAP_SERVER_DIR": str(decap_server()),
        "GIT_REPO_DIRECTORY": str(Path(repository).resolve()),
        "PORT": str(port),
        "BIND_HOST": HOST,
        "UPLOAD_LIMIT_MB": str(upload_limit_mb),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "info"),
    }


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex((HOST, port)) == 0


def start(
    repository: Path,
    port: int = DEFAULT_PORT,
    *,
    quiet: bool = False,
    upload_limit_mb: int = UPLOAD_LIMIT_MB,
) -> subprocess.Popen:
    """Start decap-server for ``repository``; return once it listens."""
    if _listening(port):
        raise LocalBackendError(
            f"something already listens on port {port}",
            "stop the other `./dev cms` (Ctrl-C in its terminal), or pick "
            "another port with --port",
        )
    output = subprocess.DEVNULL if quiet else None
    process = subprocess.Popen(
        command(),
        env=environment(repository, port, upload_limit_mb),
        stdout=output,
        stderr=output,
    )
    deadline = time.monotonic() + 30
    while not _listening(port):
        if process.poll() is not None:
            raise LocalBackendError(
                f"decap-server stopped at once (exit status {process.returncode})",
                "run `npm ci` again; its messages above say what is wrong",
            )
        if time.monotonic() > deadline:
            process.terminate()
            raise LocalBackendError(
                f"decap-server did not answer on port {port} within 30 seconds",
                "try again; if it keeps happening, run `npm ci`",
            )
        time.sleep(0.1)
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def running(
    repository: Path, port: int, upload_limit_mb: int = UPLOAD_LIMIT_MB
) -> Iterator[str]:
    """decap-server for ``repository`` while the block runs; yields its API URL."""
    process = start(repository, port, quiet=True, upload_limit_mb=upload_limit_mb)
    try:
        yield api_url(port)
    finally:
        stop(process)
