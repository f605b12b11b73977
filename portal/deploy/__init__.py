"""Deploy a published site: rsync over SSH, an S3-compatible store, GitHub Pages.

``invoke publish --to s3`` (or ``DEPLOY_TARGETS``) first builds the site with
``portal.publishing`` (strict, into a fresh folder, swapped in on success),
then hands the output folder - and the media folder, when audio is served
from its own host (``STORY_MEDIA_URL``) - to each target here. Every target
makes the remote copy match the local one, deleting what is no longer
there, so a story taken down is gone from the host too. Only an output a
production build finished is sent: ``deploy`` checks it against its manifest
(``portal.publishing.read_manifest``) first, and no target sends the
manifest itself.

Targets and their settings: ``portal.deploy.settings``."""

from __future__ import annotations

from pathlib import Path

from portal.deploy.settings import (
    TARGETS,
    DeployError,
    DeploySettings,
    deploy_settings,
)
from portal.publishing import ManifestError, read_manifest


def deploy(target: str, output: Path, media: Path | None, options: DeploySettings):
    """Send ``output`` (and ``media``) to ``target``; returns what it did."""
    if target not in TARGETS:
        raise DeployError(
            f"there is no deploy target '{target}'",
            f"use one of: {', '.join(TARGETS)}",
        )
    if not (output / "index.html").is_file():
        raise DeployError(
            f"{output} holds no built site", "run `./dev publish` to build it first"
        )
    # Only what a production build finished is sent: its manifest, written
    # last, lists every file (a killed or development build has none).
    try:
        read_manifest(output, production=True)
    except ManifestError as error:
        raise DeployError(error.problem, error.fix) from None
    if target == "rsync":
        from portal.deploy import rsync

        return rsync.deploy(output, media, options)
    if target == "s3":
        from portal.deploy import s3

        return s3.deploy(output, media, options)
    from portal.deploy import github_pages

    return github_pages.deploy(output, media, options)


def parse_targets(text: str) -> tuple[str, ...]:
    """``"s3, rsync"`` -> ("s3", "rsync"), each checked."""
    targets = tuple(t.strip() for t in text.split(",") if t.strip())
    for target in targets:
        if target not in TARGETS:
            raise DeployError(
                f"there is no deploy target '{target}'",
                f"use one of: {', '.join(TARGETS)}",
            )
    return targets


__all__ = [
    "TARGETS",
    "DeployError",
    "DeploySettings",
    "deploy",
    "deploy_settings",
    "parse_targets",
]
