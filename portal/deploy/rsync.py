"""rsync over SSH (or to a local folder): the host's copy made to match ours.

``--delete-after`` removes what the new site no longer has (a story taken
down is gone from the host); ``--delay-updates`` puts the changed files in
place together at the end, so visitors see the old site or the new one, not
pages of one linking to files of the other for long."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from portal.deploy.settings import DeployError, DeploySettings
from portal.publishing import MANIFEST_FILE


def rsync_command(source: Path, target: str, ssh: str = "ssh") -> list[str]:
    return [
        "rsync",
        "--archive",
        "--compress",
        "--delete-after",
        "--delay-updates",
        "--human-readable",
        "--stats",
        # The build's own list of its files stays here.
        f"--exclude=/{MANIFEST_FILE}",
        "--rsh",
        ssh,
        f"{source}/",  # the folder's contents, not the folder itself
        target,
    ]


def sync(source: Path, target: str, ssh: str = "ssh") -> None:
    command = rsync_command(source, target, ssh)
    print("$ " + shlex.join(command), flush=True)
    try:
        result = subprocess.run(command, check=False)
    except FileNotFoundError as error:
        raise DeployError(
            "rsync is not installed on this computer",
            "install it (apt-get install rsync, or brew install rsync) and publish "
            "again",
        ) from error
    if result.returncode != 0:
        raise DeployError(
            f"rsync to {target} failed (exit status {result.returncode})",
            "check DEPLOY_RSYNC_TARGET and that `ssh` to that host works with your "
            "key; the site on the host may be partly updated, so publish again",
            partly_sent=True,
        )


def _local_folder(target: str) -> Path | None:
    """The folder a target names on this computer; None for host:path."""
    head = target.split("/", 1)[0]
    if ":" in head and not target.startswith(("/", ".", "~")):
        return None
    return Path(os.path.expanduser(target)).resolve()


def _check_target(setting: str, target: str, source: Path) -> None:
    """rsync --delete into a folder holding ours would wipe it: refuse."""
    folder = _local_folder(target)
    if folder is None:
        return
    for precious in (source.resolve(), Path.cwd().resolve()):
        if precious == folder or folder in precious.parents:
            raise DeployError(
                f"{setting} is {target}, which holds {precious}; rsync would delete "
                "everything else in it",
                "point it at the web server's own folder, like "
                "user@host:/var/www/onesmallstep/",
            )


def deploy(output: Path, media: Path | None, options: DeploySettings) -> list[str]:
    # Every setting is checked before anything is sent.
    if not options.rsync_target:
        raise DeployError(
            "DEPLOY_RSYNC_TARGET is not set",
            "set it to where the site goes, like user@host:/var/www/onesmallstep/",
        )
    if media is not None and not options.rsync_media_target:
        raise DeployError(
            "STORY_MEDIA_URL is set, so the audio is published on its own, but "
            "DEPLOY_RSYNC_MEDIA_TARGET is not set",
            "set DEPLOY_RSYNC_MEDIA_TARGET to the folder STORY_MEDIA_URL serves",
        )
    _check_target("DEPLOY_RSYNC_TARGET", options.rsync_target, output)
    if media is not None:
        _check_target("DEPLOY_RSYNC_MEDIA_TARGET", options.rsync_media_target, media)
    # The audio first, then the pages and the feed that point to it: a
    # deploy cut off between the two leaves new audio no page names yet,
    # never a new page naming audio the host does not have.
    done = []
    if media is not None:
        sync(media, options.rsync_media_target, options.rsync_ssh)
        done.append(f"rsync: the audio is at {options.rsync_media_target}")
    sync(output, options.rsync_target, options.rsync_ssh)
    done.insert(0, f"rsync: the site is at {options.rsync_target}")
    return done
