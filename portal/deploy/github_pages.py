"""GitHub Pages: the site committed to the ``gh-pages`` branch with ghp-import.

Each publish replaces the branch with a single new commit (``--no-history``)
and force-pushes it: a story taken down must not stay reachable in the
branch's history, and old audio would make the repository grow forever."""

from __future__ import annotations

import datetime
import os
import shlex
import subprocess
import sys
from pathlib import Path

from portal.deploy.settings import DeployError, DeploySettings


def ghp_import_command(output: Path, options: DeploySettings, message: str) -> list:
    command = [sys.executable, "-m", "ghp_import", "--no-jekyll", "--no-history"]
    command += ["--push", "--remote", options.github_pages_remote]
    command += ["--branch", options.github_pages_branch, "--message", message]
    if options.github_pages_cname:
        command += ["--cname", options.github_pages_cname]
    return [*command, str(output)]


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
    command = ghp_import_command(output, options, f"Publish the site, {stamp}")
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
