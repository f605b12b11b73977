"""Deploy settings: in publishconf.py, each read from the environment.

Secrets never go in settings: rsync uses your SSH keys (or the SSH agent),
S3 uses boto3's usual credentials (``AWS_ACCESS_KEY_ID`` and
``AWS_SECRET_ACCESS_KEY`` in the environment, or ``~/.aws``), GitHub Pages
uses git's own access to the repository.
"""

from __future__ import annotations

import dataclasses

from portal.problems import FixableError

TARGETS = ("rsync", "s3", "github-pages")

DEFAULTS = {
    # Targets `invoke publish` deploys to when no --to is given ("s3,rsync").
    "DEPLOY_TARGETS": "",
    # rsync: "user@host:/var/www/site/" (over SSH) or a local folder.
    "DEPLOY_RSYNC_TARGET": "",
    "DEPLOY_RSYNC_MEDIA_TARGET": "",  # where the audio goes with STORY_MEDIA_URL
    "DEPLOY_RSYNC_SSH": "ssh",  # the remote shell, like "ssh -p 2222"
    # S3 and S3-compatible stores (Cloudflare R2, Backblaze B2, MinIO...).
    "DEPLOY_S3_BUCKET": "",
    "DEPLOY_S3_PREFIX": "",
    "DEPLOY_S3_MEDIA_BUCKET": "",  # the audio's bucket with STORY_MEDIA_URL
    "DEPLOY_S3_MEDIA_PREFIX": "",
    "DEPLOY_S3_ENDPOINT_URL": "",  # empty: Amazon S3 itself
    "DEPLOY_S3_REGION": "",
    "DEPLOY_S3_CORS_ORIGINS": "*",  # who may fetch transcripts and chapters
    # GitHub Pages: a branch of the repository the command runs in.
    "DEPLOY_GITHUB_PAGES_REMOTE": "origin",
    "DEPLOY_GITHUB_PAGES_BRANCH": "gh-pages",
    "DEPLOY_GITHUB_PAGES_CNAME": "",  # the site's own domain, if any
}


class DeployError(FixableError):
    """A deploy that cannot go on: ``problem`` and ``fix`` for people.

    ``partly_sent``: it stopped while sending, so the host may hold some of
    the new site beside the old (an rsync or an upload cut off); false when
    it stopped before sending anything (a setting, a missing tool) or when
    what it sends lands whole or not at all (a git push)."""

    def __init__(self, problem: str, fix: str, partly_sent: bool = False):
        super().__init__(problem, fix)
        self.partly_sent = partly_sent


@dataclasses.dataclass(frozen=True)
class DeploySettings:
    targets: tuple[str, ...]
    rsync_target: str
    rsync_media_target: str
    rsync_ssh: str
    s3_bucket: str
    s3_prefix: str
    s3_media_bucket: str
    s3_media_prefix: str
    s3_endpoint_url: str
    s3_region: str
    s3_cors_origins: tuple[str, ...]
    github_pages_remote: str
    github_pages_branch: str
    github_pages_cname: str
    feed_path: str  # the podcast feed's place in the output, for its headers


def _list(value) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    return tuple(item.strip() for item in value if item and item.strip())


def deploy_settings(pelican_settings) -> DeploySettings:
    """Defaults, then validation: a mistake names the setting to fix."""
    raw = {key: pelican_settings.get(key, value) for key, value in DEFAULTS.items()}
    targets = _list(raw["DEPLOY_TARGETS"])
    for target in targets:
        if target not in TARGETS:
            raise DeployError(
                f"DEPLOY_TARGETS names '{target}', which is not a deploy target",
                f"use one or more of: {', '.join(TARGETS)}",
            )
    for key in ("DEPLOY_S3_PREFIX", "DEPLOY_S3_MEDIA_PREFIX"):
        raw[key] = str(raw[key] or "").strip("/")
    endpoint = str(raw["DEPLOY_S3_ENDPOINT_URL"] or "")
    if endpoint and not endpoint.startswith(("https://", "http://")):
        raise DeployError(
            f"DEPLOY_S3_ENDPOINT_URL is '{endpoint}', not a web address",
            "write the store's address, like https://<account>.r2.cloudflarestorage.com",
        )
    return DeploySettings(
        targets=targets,
        rsync_target=str(raw["DEPLOY_RSYNC_TARGET"] or ""),
        rsync_media_target=str(raw["DEPLOY_RSYNC_MEDIA_TARGET"] or ""),
        rsync_ssh=str(raw["DEPLOY_RSYNC_SSH"] or "ssh"),
        s3_bucket=str(raw["DEPLOY_S3_BUCKET"] or ""),
        s3_prefix=raw["DEPLOY_S3_PREFIX"],
        s3_media_bucket=str(raw["DEPLOY_S3_MEDIA_BUCKET"] or ""),
        s3_media_prefix=raw["DEPLOY_S3_MEDIA_PREFIX"],
        s3_endpoint_url=endpoint,
        s3_region=str(raw["DEPLOY_S3_REGION"] or ""),
        s3_cors_origins=_list(raw["DEPLOY_S3_CORS_ORIGINS"]) or ("*",),
        github_pages_remote=str(raw["DEPLOY_GITHUB_PAGES_REMOTE"] or "origin"),
        github_pages_branch=str(raw["DEPLOY_GITHUB_PAGES_BRANCH"] or "gh-pages"),
        github_pages_cname=str(raw["DEPLOY_GITHUB_PAGES_CNAME"] or ""),
        feed_path=str(pelican_settings.get("PODCAST_FEED_SAVE_AS") or "podcast.xml"),
    )
