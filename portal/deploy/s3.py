"""Amazon S3 and S3-compatible stores (R2, B2, MinIO...) with boto3.

The bucket's copy is made to match the output folder: new and changed files
are uploaded, files the site no longer has are deleted (a story taken down is
gone from the store too), unchanged files are left alone (compared by their
MD5 ETag). Pages and the feed go up last, after the files they point to.

Every object gets the headers a static host would send:
- ``Content-Type`` from ``portal.mime`` (the table the feed and the dev
  server use), ``; charset=utf-8`` on text; ``chapters.json`` as
  ``application/json+chapters``; the podcast feed as ``application/rss+xml``.
- ``Cache-Control``: a year and ``immutable`` for the files whose names
  change whenever their bytes do (``portal.outputs.kept_a_year``, as
  _headers says for Netlify and Cloudflare Pages: the fingerprinted theme,
  logos and cover, each story's share card, podcast art and delivery audio,
  the search's hashed index files), five minutes for pages and the feed
  (new stories show up soon), an hour for the rest (a master published
  under its own name, a story's picture, Pagefind's script).
The bucket gets a CORS rule so players and apps on other sites may fetch the
transcripts, chapters and audio (GET and HEAD, with Range).

With ``STORY_MEDIA_URL`` set, the audio (built into its own folder) goes to
``DEPLOY_S3_MEDIA_BUCKET``/``DEPLOY_S3_MEDIA_PREFIX``; the media bucket may be
the site's own bucket under another prefix.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path

from portal.deploy.settings import DeployError, DeploySettings
from portal.mime import site_mime_type
from portal.outputs import CACHE_FOR_A_YEAR, CHAPTERS_FILE, CHAPTERS_MIME, kept_a_year
from portal.publishing import MANIFEST_FILE

CACHE_LONG = CACHE_FOR_A_YEAR
CACHE_SHORT = "public, max-age=300"
CACHE_DEFAULT = "public, max-age=3600"
# Files up to this size go up in one piece, so their ETag is their MD5; larger
# ones in parts of this size, whose ETag we compute the same way S3 does.
PART_SIZE = 64 * 1024 * 1024
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/rss+xml")


def content_type(key: str, feed_path: str = "podcast.xml") -> str:
    name = key.rsplit("/", 1)[-1]
    if name == CHAPTERS_FILE:
        mime = CHAPTERS_MIME
    elif key == feed_path or key.endswith("/" + feed_path):
        mime = "application/rss+xml"
    else:
        mime = site_mime_type(name)
    if mime.startswith(TEXT_TYPES) or mime == CHAPTERS_MIME:
        mime += "; charset=utf-8"
    return mime


def cache_control(key: str, feed_path: str = "podcast.xml") -> str:
    name = key.rsplit("/", 1)[-1]
    suffix = os.path.splitext(name)[1].lower()
    if suffix == ".html" or key == feed_path or key.endswith("/" + feed_path):
        return CACHE_SHORT
    if kept_a_year(key):
        return CACHE_LONG
    return CACHE_DEFAULT


def cors_rules(origins) -> dict:
    return {
        "CORSRules": [
            {
                "AllowedOrigins": list(origins),
                "AllowedMethods": ["GET", "HEAD"],
                "AllowedHeaders": ["Range", "If-None-Match", "If-Modified-Since"],
                "ExposeHeaders": [
                    "Accept-Ranges",
                    "Content-Length",
                    "Content-Range",
                    "ETag",
                ],
                "MaxAgeSeconds": 86400,
            }
        ]
    }


def local_etag(path: Path, part_size: int = PART_SIZE) -> str:
    """The ETag S3 gives this file uploaded as we upload it."""
    digests = []
    with open(path, "rb") as handle:
        while chunk := handle.read(part_size):
            digests.append(hashlib.md5(chunk, usedforsecurity=False))
    if len(digests) <= 1:
        return (digests[0] if digests else hashlib.md5(b"")).hexdigest()
    combined = hashlib.md5(b"".join(d.digest() for d in digests))
    return f"{combined.hexdigest()}-{len(digests)}"


@dataclasses.dataclass
class SyncReport:
    bucket: str
    prefix: str
    uploaded: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __str__(self) -> str:
        where = f"s3://{self.bucket}/{self.prefix}".rstrip("/")
        return (
            f"s3: {where}: {self.uploaded} uploaded, {self.unchanged} unchanged, "
            f"{self.deleted} deleted"
        )


def _key(prefix: str, relative: str) -> str:
    return f"{prefix}/{relative}" if prefix else relative


def _remote_objects(client, bucket: str, prefix: str) -> dict[str, tuple[str, int]]:
    objects = {}
    paginator = client.get_paginator("list_objects_v2")
    listing = {"Bucket": bucket}
    if prefix:
        listing["Prefix"] = prefix + "/"
    for page in paginator.paginate(**listing):
        for item in page.get("Contents", []):
            objects[item["Key"]] = (item["ETag"].strip('"'), item["Size"])
    return objects


def _precompressed_copy(path: Path) -> bool:
    """``page.html.gz``/``.br`` beside ``page.html`` (the precompress plugin):
    S3 sends objects as stored and never picks these by Accept-Encoding, so
    they are not uploaded (a CDN in front compresses on its own)."""
    return path.suffix in (".gz", ".br") and path.with_suffix("").is_file()


def sync_folder(
    client,
    folder: Path,
    bucket: str,
    prefix: str = "",
    *,
    feed_path: str = "podcast.xml",
    keep_prefixes: tuple[str, ...] = (),
    force: bool = False,
) -> SyncReport:
    """Make ``bucket``/``prefix`` hold exactly the files of ``folder``.

    Keys under ``keep_prefixes`` are never deleted (the audio, when it
    shares the site's bucket)."""
    from boto3.s3.transfer import TransferConfig

    transfer = TransferConfig(
        multipart_threshold=PART_SIZE, multipart_chunksize=PART_SIZE
    )
    report = SyncReport(bucket, prefix)
    local = {
        _key(prefix, path.relative_to(folder).as_posix()): path
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and not _precompressed_copy(path)
        and path.relative_to(folder).as_posix() != MANIFEST_FILE
    }
    remote = _remote_objects(client, bucket, prefix)

    def is_page(key: str) -> bool:
        return cache_control(key, feed_path) == CACHE_SHORT

    # Assets and audio first, then the pages that link to them.
    for key in sorted(local, key=lambda k: (is_page(k), k)):
        path = local[key]
        known = remote.get(key)
        if (
            not force
            and known
            and known[1] == path.stat().st_size
            and known[0] == local_etag(path)
        ):
            report.unchanged += 1
            continue
        relative = key[len(prefix) + 1 :] if prefix else key
        client.upload_file(
            str(path),
            bucket,
            key,
            ExtraArgs={
                "ContentType": content_type(relative, feed_path),
                "CacheControl": cache_control(relative, feed_path),
            },
            Config=transfer,
        )
        report.uploaded += 1

    stale = [
        key
        for key in remote
        if key not in local and not any(key.startswith(p + "/") for p in keep_prefixes)
    ]
    for start in range(0, len(stale), 1000):
        batch = stale[start : start + 1000]
        client.delete_objects(
            Bucket=bucket,
            Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True},
        )
        report.deleted += len(batch)
    return report


def make_client(options: DeploySettings):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=options.s3_endpoint_url or None,
        region_name=options.s3_region or None,
        # Checksums only where S3 requires them: several S3-compatible stores
        # refuse the newer default ones.
        config=Config(
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        ),
    )


def deploy(
    output: Path, media: Path | None, options: DeploySettings, client=None
) -> list[str]:
    from botocore.exceptions import BotoCoreError, ClientError

    if not options.s3_bucket:
        raise DeployError(
            "DEPLOY_S3_BUCKET is not set",
            "set it to the name of the bucket that serves the site",
        )
    media_bucket = options.s3_media_bucket or options.s3_bucket
    shared = media is not None and media_bucket == options.s3_bucket
    if shared and options.s3_media_prefix in ("", options.s3_prefix):
        raise DeployError(
            "STORY_MEDIA_URL is set, so the audio is published on its own, but "
            "there is no DEPLOY_S3_MEDIA_BUCKET or DEPLOY_S3_MEDIA_PREFIX for it",
            "set DEPLOY_S3_MEDIA_BUCKET (or a DEPLOY_S3_MEDIA_PREFIX apart from "
            "the site's) to where STORY_MEDIA_URL serves from",
        )
    client = client or make_client(options)
    keep = (options.s3_media_prefix,) if shared else ()
    try:
        done = []
        buckets = {options.s3_bucket}
        if media is not None:
            buckets.add(media_bucket)
            done.append(
                str(
                    sync_folder(
                        client,
                        media,
                        media_bucket,
                        options.s3_media_prefix,
                        feed_path=options.feed_path,
                    )
                )
            )
        done.insert(
            0,
            str(
                sync_folder(
                    client,
                    output,
                    options.s3_bucket,
                    options.s3_prefix,
                    feed_path=options.feed_path,
                    keep_prefixes=keep,
                )
            ),
        )
        for bucket in sorted(buckets):
            client.put_bucket_cors(
                Bucket=bucket, CORSConfiguration=cors_rules(options.s3_cors_origins)
            )
    except (BotoCoreError, ClientError) as error:
        raise DeployError(
            f"the upload to the S3 store failed ({error})",
            "check the bucket names, DEPLOY_S3_ENDPOINT_URL and the credentials "
            "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), then publish again",
            partly_sent=True,
        ) from error
    return done
