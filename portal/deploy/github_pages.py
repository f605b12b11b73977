"""GitHub Pages: the site committed to the ``gh-pages`` branch with ghp-import.

Each publish replaces the branch with a single new commit (``--no-history``)
and force-pushes it: a story taken down must not stay reachable in the
branch's history, and old audio would make the repository grow forever."""

from __future__ import annotations

import contextlib
import datetime
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from portal.deploy.settings import DeployError, DeploySettings
from portal.publishing import MANIFEST_FILE


def ghp_import_command(output: Path, options: DeploySettings, message: str) -> list:
    command = [sys.executable, "-m", "ghp_import", "--no-jekyll", "--no-history"]
    command += ["--push", "--remote", options.github_pages_remote]
    command += ["--branch", options.github_pages_branch, "--message", message]
    if options.github_pages_cname:
        command += ["--cname", options.github_pages_cname]
    return [*command, str(output)]


@contextlib.contextmanager
def _site_files(output: Path):
    """The site without the build's manifest (ghp-import commits every file):
    hard links beside the output, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=f".{output.name}-pages-", dir=output.parent))
    try:
        shutil.copytree(
            output,
            folder / "site",
            copy_function=os.link,
            ignore=lambda path, names: [MANIFEST_FILE] if Path(path) == output else [],
        )
        yield folder / "site"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def deploy(
    output: Path,
    media: Path | None,
    options: DeploySettings,
    repository: str | os.PathLike | None = None,
) -> list[str]:
    if media is not None:
        raise DeployError(
            "STORY_MEDIA_URL is set, but GitHub Pages publishes only the site, not "
            "audio kept for another host",
            "leave STORY_MEDIA_URL empty (Pages serves the audio), or deploy with "
            "s3 or rsync",
        )
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    with _site_files(output) as site:
        command = ghp_import_command(site, options, f"Publish the site, {stamp}")
        print("$ " + shlex.join(command), flush=True)
        result = subprocess.run(command, cwd=repository, check=False)
    if result.returncode != 0:
        raise DeployError(
            f"ghp-import could not push to the {options.github_pages_branch} branch "
            f"of '{options.github_pages_remote}' (exit status {result.returncode})",
            "run it in the repository's folder, and check that git can push there",
        )
    return [
        f"github-pages: the site is on the {options.github_pages_branch} branch of "
        f"'{options.github_pages_remote}'"
    ]
