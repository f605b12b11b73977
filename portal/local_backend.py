"""The editing UI's local backend: decap-server, writing to a working copy.

``./dev cms`` runs it so that /admin/ on the development site saves stories
straight into ``content/`` of this folder (its file-system mode: no commits;
the editor commits with git, as after ``./dev new-story``). decap-server is
an npm package pinned in package.json; ``npm ci`` installs it.

It answers only on 127.0.0.1, and the editing UI looks for it only when the
page itself is on localhost or 127.0.0.1 (Decap CMS's rule)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from portal.problems import FixableError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 8081
HOST = "127.0.0.1"


class LocalBackendError(FixableError):
    """decap-server cannot start: ``problem`` and ``fix``."""


def executable(project_root: Path = PROJECT_ROOT) -> Path:
    path = project_root / "node_modules" / ".bin" / "decap-server"
    if not path.exists():
        raise LocalBackendError(
            f"decap-server is not installed ({path} is missing)",
            "run `npm ci` in the project folder (needs npm: apt-get install npm)",
        )
    return path


def api_url(port: int = DEFAULT_PORT) -> str:
    """What the editing UI's ``local_backend`` setting points at."""
    return f"http://localhost:{port}/api/v1"


def environment(repository: Path, port: int) -> dict[str, str]:
    """decap-server's settings: the folder holding content/, where to listen."""
    return {
        **os.environ,
        "GIT_REPO_DIRECTORY": str(Path(repository).resolve()),
        "PORT": str(port),
        "BIND_HOST": HOST,
        "MODE": "fs",
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "info"),
    }


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex((HOST, port)) == 0


def start(
    repository: Path, port: int = DEFAULT_PORT, *, quiet: bool = False
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
        [str(executable())],
        env=environment(repository, port),
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
def running(repository: Path, port: int) -> Iterator[str]:
    """decap-server for ``repository`` while the block runs; yields its API URL."""
    process = start(repository, port, quiet=True)
    try:
        yield api_url(port)
    finally:
        stop(process)
