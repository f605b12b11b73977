"""Deploy targets, each against a real local counterpart.

- S3: moto's standalone server (``python -m moto.server``) on a free local
  port, spoken to over HTTP by boto3 exactly as a real store would be.
- rsync: the real rsync into a local folder.
- GitHub Pages: the real ghp-import pushing to a local bare repository.

The site deployed is a real production build of test stories. Files that
other plugins will add (transcript formats, chapters, the podcast feed, a
fingerprinted stylesheet) are put where they will live when a build does not
make them yet, so each kind of file is checked here."""

from __future__ import annotations

import datetime
import hashlib
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
from PIL import Image

from portal import publishing
from portal.deploy import DeployError, deploy, deploy_settings, github_pages, rsync, s3
from tests.stories import write_story
from tests.support import (
    LEAN,
    PROJECT_ROOT,
    build_site,
    copy_content,
    free_port,
    images_shared,
    invoke,
    renditions_cache,
)

NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
MEDIA_URL = "https://media.example.org/audio"
TRANSCRIPT = (
    "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Ada Lopez>Hello.\n\n"
    "00:00:01.500 --> 00:00:02.500\n<v Ben Carter>Hi.\n"
)
# Outputs other plugins produce (transcripts, chapters, feed, fingerprinting):
# written where they belong if this build has not made them.
OTHER_OUTPUTS = {
    "stories/first-story/transcript.srt": b"1\n00:00:00,000 --> 00:00:01,000\nHello.\n",
    "stories/first-story/transcript.json": b'{"version": "1.0.0", "segments": []}',
    "stories/first-story/chapters.json": b'{"version": "1.2.0", "chapters": []}',
    "podcast.xml": b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>',
    "theme/css/site.0123abcd.css": b"body{}",
}


def snapshot(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != publishing.MANIFEST_FILE
    }


def uploadable(folder):
    """The files the S3 target sends: all but precompressed twins (.gz, .br
    beside the file they compress), which S3 would never serve."""
    return {
        name: digest
        for name, digest in snapshot(folder).items()
        if not s3._precompressed_copy(folder / name)
    }


def make_content(tmp_path):
    content = copy_content(tmp_path / "content")
    folder = write_story(
        content,
        "first-story",
        transcript=TRANSCRIPT,
        image="portrait.jpg",
        image_alt="Two people at a table",
    )
    story = folder / "story.md"
    story.write_text(
        story.read_text().replace(
            "audio: speech.mp3\n", "audio: speech.mp3\ntranscript: transcript.vtt\n"
        )
    )
    Image.new("RGB", (60, 40), "teal").save(folder / "portrait.jpg", "JPEG")
    write_story(content, "second-story", audio_fixture="speech.m4a", audio="talk.m4a")
    return content


def production_site(tmp_path, media: bool = False):
    """A production build; with ``media`` the audio goes to its own folder."""
    content = make_content(tmp_path)
    overrides = {"STORY_NOW": NOW}
    if media:
        overrides.update(
            STORY_MEDIA_URL=MEDIA_URL, STORY_MEDIA_OUTPUT_PATH=str(tmp_path / "media")
        )
    output = build_site(content, tmp_path / "output", "publishconf.py", **overrides)
    for name, data in OTHER_OUTPUTS.items():
        path = output / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    # What publishing writes last: the list of what the build made.
    publishing.write_manifest(output, production=True)
    return output, (tmp_path / "media" if media else None)


def rendition(folder, slug: str) -> str:
    """The path of a story's published audio (its MP3 rendition, named with
    a hash of its content) in ``folder``, the site or the media folder."""
    [path] = (folder / "stories" / slug).glob(f"{slug}-*.mp3")
    return f"stories/{slug}/{path.name}"


def options(**settings):
    return deploy_settings({"PODCAST_FEED_SAVE_AS": "podcast.xml", **settings})


# --- S3 -------------------------------------------------------------------


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3-compatible server, in its own process on a free port."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # up to about 30 seconds to start
            try:
                with urllib.request.urlopen(url + "/moto-api/", timeout=1):
                    break
            except OSError:
                if server.poll() is not None:
                    pytest.fail("moto's server exited while starting")
                time.sleep(0.1)
        else:
            pytest.fail("moto's server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def store(s3_server, monkeypatch, request):
    """A boto3 client for the local server and fresh bucket names."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    settings = options(DEPLOY_S3_ENDPOINT_URL=s3_server, DEPLOY_S3_REGION="us-east-1")
    client = s3.make_client(settings)
    stem = request.node.name.lower().replace("_", "-")[:40].strip("-")
    site, media = f"{stem}-site", f"{stem}-media"
    for bucket in (site, media):
        client.create_bucket(Bucket=bucket)
    return client, s3_server, site, media


def s3_options(store, **settings):
    _, url, site, _ = store
    defaults = {
        "DEPLOY_S3_ENDPOINT_URL": url,
        "DEPLOY_S3_REGION": "us-east-1",
        "DEPLOY_S3_BUCKET": site,
    }
    return options(**{**defaults, **settings})


def keys(client, bucket, prefix=""):
    pages = client.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Prefix=prefix
    )
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


# What each kind of file must be served with.
EXPECTED_HEADERS = {
    "index.html": ("text/html; charset=utf-8", s3.CACHE_SHORT),
    "stories/first-story/index.html": ("text/html; charset=utf-8", s3.CACHE_SHORT),
    "stories/first-story/transcript.vtt": ("text/vtt; charset=utf-8", s3.CACHE_DEFAULT),
    "stories/first-story/transcript.srt": ("application/x-subrip", s3.CACHE_DEFAULT),
    "stories/first-story/transcript.json": (
        "application/json; charset=utf-8",
        s3.CACHE_DEFAULT,
    ),
    "stories/first-story/chapters.json": (
        "application/json+chapters; charset=utf-8",
        s3.CACHE_DEFAULT,
    ),
    "stories/first-story/portrait.jpg": ("image/jpeg", s3.CACHE_DEFAULT),
    "podcast.xml": ("application/rss+xml; charset=utf-8", s3.CACHE_SHORT),
    "theme/css/site.css": ("text/css; charset=utf-8", s3.CACHE_DEFAULT),
    "theme/css/site.0123abcd.css": ("text/css; charset=utf-8", s3.CACHE_LONG),
}


def test_s3_deploy_uploads_every_file_with_its_type_and_caching(store, tmp_path):
    client, url, site, _ = store
    output, _ = production_site(tmp_path)
    local = uploadable(output)
    first, second = rendition(output, "first-story"), rendition(output, "second-story")
    expected = {
        **EXPECTED_HEADERS,
        first: ("audio/mpeg", s3.CACHE_LONG),
        second: ("audio/mpeg", s3.CACHE_LONG),
    }
    assert set(expected) <= set(local)

    report = deploy("s3", output, None, s3_options(store))

    assert report == [f"s3: s3://{site}: {len(local)} uploaded, 0 unchanged, 0 deleted"]
    assert keys(client, site) == sorted(local)
    for key, (mime, cache) in expected.items():
        head = client.head_object(Bucket=site, Key=key)
        assert (head["ContentType"], head["CacheControl"]) == (mime, cache), key
    for key in local:  # every file, not only the examples above
        head = client.head_object(Bucket=site, Key=key)
        assert head["ContentType"] == s3.content_type(key)
        assert head["CacheControl"] == s3.cache_control(key)
        body = client.get_object(Bucket=site, Key=key)["Body"].read()
        assert hashlib.sha256(body).hexdigest() == local[key]
    # What a browser gets from the store, over HTTP (a signed link: the test
    # bucket is private).
    link = client.generate_presigned_url(
        "get_object",
        Params={"Bucket": site, "Key": first},
    )
    assert link.startswith(url)
    with urllib.request.urlopen(link) as got:
        assert got.headers["Content-Type"] == "audio/mpeg"
        assert got.headers["Cache-Control"] == s3.CACHE_LONG
    # Players on other sites may fetch transcripts, chapters and audio.
    cors = client.get_bucket_cors(Bucket=site)["CORSRules"]
    assert len(cors) == 1
    assert cors[0]["AllowedOrigins"] == ["*"]
    assert sorted(cors[0]["AllowedMethods"]) == ["GET", "HEAD"]
    assert "Range" in cors[0]["AllowedHeaders"]
    assert "Content-Range" in cors[0]["ExposeHeaders"]


def test_s3_deploy_sends_only_changes_and_removes_what_is_gone(store, tmp_path):
    client, _, site, _ = store
    output, _ = production_site(tmp_path)
    settings = s3_options(store, DEPLOY_S3_PREFIX="/www/")
    total = len(uploadable(output))
    deploy("s3", output, None, settings)
    client.put_object(Bucket=site, Key="elsewhere/keep.txt", Body=b"not ours")

    assert deploy("s3", output, None, settings) == [
        f"s3: s3://{site}/www: 0 uploaded, {total} unchanged, 0 deleted"
    ]

    # A story taken down, and a page changed: the store follows.
    gone = len(uploadable(output / "stories/second-story"))
    shutil.rmtree(output / "stories/second-story")
    (output / "index.html").write_text("<!doctype html><title>New</title>")
    publishing.write_manifest(output, production=True)  # as a new build would
    report = deploy("s3", output, None, settings)
    assert report == [
        f"s3: s3://{site}/www: 1 uploaded, {total - gone - 1} unchanged, {gone} deleted"
    ]
    assert not [k for k in keys(client, site) if "second-story" in k]
    assert client.get_object(Bucket=site, Key="www/index.html")["Body"].read() == (
        b"<!doctype html><title>New</title>"
    )
    # Outside the prefix nothing is touched.
    assert "elsewhere/keep.txt" in keys(client, site)


def test_s3_deploy_sends_audio_to_the_media_bucket(store, tmp_path):
    client, _, site, media_bucket = store
    output, media = production_site(tmp_path, media=True)
    assert not list(output.rglob("*.mp3"))
    first, second = rendition(media, "first-story"), rendition(media, "second-story")
    page = (output / "stories/first-story/index.html").read_text()
    assert f"{MEDIA_URL}/{first}" in page

    settings = s3_options(
        store, DEPLOY_S3_MEDIA_BUCKET=media_bucket, DEPLOY_S3_MEDIA_PREFIX="audio"
    )
    deploy("s3", output, media, settings)

    assert keys(client, media_bucket) == [f"audio/{first}", f"audio/{second}"]
    head = client.head_object(Bucket=media_bucket, Key=f"audio/{second}")
    assert (head["ContentType"], head["CacheControl"]) == ("audio/mpeg", s3.CACHE_LONG)
    assert not [k for k in keys(client, site) if k.endswith((".mp3", ".m4a"))]
    assert client.get_bucket_cors(Bucket=media_bucket)["CORSRules"]


def test_s3_media_may_share_the_site_bucket_under_its_own_prefix(store, tmp_path):
    client, _, site, _ = store
    output, media = production_site(tmp_path, media=True)
    settings = s3_options(store, DEPLOY_S3_MEDIA_PREFIX="audio")
    deploy("s3", output, media, settings)
    deploy("s3", output, media, settings)  # the site's sync keeps the audio
    assert f"audio/{rendition(media, 'first-story')}" in keys(client, site)
    assert "index.html" in keys(client, site)

    with pytest.raises(DeployError) as caught:
        deploy("s3", output, media, s3_options(store))
    assert caught.value.problem == (
        "STORY_MEDIA_URL is set, so the audio is published on its own, but there is"
        " no DEPLOY_S3_MEDIA_BUCKET or DEPLOY_S3_MEDIA_PREFIX for it"
    )


def test_s3_settings_mistakes_are_named(store, tmp_path):
    output, _ = production_site(tmp_path)
    with pytest.raises(DeployError, match="DEPLOY_S3_BUCKET is not set"):
        deploy("s3", output, None, options())
    with pytest.raises(DeployError, match="the upload to the S3 store failed"):
        deploy("s3", output, None, s3_options(store, DEPLOY_S3_BUCKET="no-such-bucket"))
    with pytest.raises(
        DeployError, match="DEPLOY_TARGETS names 'ftp', which is not a deploy target"
    ):
        options(DEPLOY_TARGETS="s3, ftp")
    with pytest.raises(DeployError, match="holds no built site"):
        deploy("s3", tmp_path / "empty", None, s3_options(store))


def test_multipart_etags_are_computed_like_s3(tmp_path):
    path = tmp_path / "big.bin"
    path.write_bytes(b"a" * 10 + b"b" * 10 + b"c" * 5)
    parts = [b"a" * 10, b"b" * 10, b"c" * 5]
    combined = hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts))
    assert s3.local_etag(path, part_size=10) == f"{combined.hexdigest()}-3"
    assert s3.local_etag(path) == hashlib.md5(path.read_bytes()).hexdigest()


# --- rsync ----------------------------------------------------------------


def test_rsync_makes_the_target_match_the_site(tmp_path):
    output, _ = production_site(tmp_path)
    target = tmp_path / "www"
    target.mkdir()
    (target / "old-story.html").write_text("taken down")

    report = deploy("rsync", output, None, options(DEPLOY_RSYNC_TARGET=str(target)))

    assert report == [f"rsync: the site is at {target}"]
    assert snapshot(target) == snapshot(output)
    shutil.rmtree(output / "stories/second-story")
    publishing.write_manifest(output, production=True)  # as a new build would
    deploy("rsync", output, None, options(DEPLOY_RSYNC_TARGET=str(target)))
    assert snapshot(target) == snapshot(output)
    assert not (target / "stories/second-story").exists()


def test_rsync_sends_audio_to_the_media_target(tmp_path):
    output, media = production_site(tmp_path, media=True)
    settings = options(
        DEPLOY_RSYNC_TARGET=str(tmp_path / "www"),
        DEPLOY_RSYNC_MEDIA_TARGET=str(tmp_path / "cdn"),
    )
    deploy("rsync", output, media, settings)
    assert snapshot(tmp_path / "www") == snapshot(output)
    assert sorted(snapshot(tmp_path / "cdn")) == [
        rendition(media, "first-story"),
        rendition(media, "second-story"),
    ]
    before = snapshot(tmp_path)
    elsewhere = str(tmp_path / "elsewhere")
    with pytest.raises(DeployError, match="DEPLOY_RSYNC_MEDIA_TARGET is not set"):
        deploy("rsync", output, media, options(DEPLOY_RSYNC_TARGET=elsewhere))
    with pytest.raises(DeployError, match="DEPLOY_RSYNC_TARGET is not set"):
        deploy("rsync", output, None, options())
    # A target holding the site (or the folder we are in) would be wiped.
    for target in (str(tmp_path), str(tmp_path / "output"), "."):
        with pytest.raises(DeployError) as caught:
            deploy("rsync", output, None, options(DEPLOY_RSYNC_TARGET=target))
        assert caught.value.problem.startswith(f"DEPLOY_RSYNC_TARGET is {target}, ")
        assert caught.value.problem.endswith("rsync would delete everything else in it")
    assert snapshot(tmp_path) == before  # nothing was sent anywhere
    assert not caught.value.partly_sent  # refused before anything was sent


def test_rsync_sends_the_audio_before_the_pages_that_name_it(tmp_path):
    """A deploy cut off between the audio and the site leaves new audio that
    no page names yet, never a page naming audio the host lacks; and it says
    the host may be partly updated."""
    output, media = tmp_path / "output", tmp_path / "media"
    output.mkdir()
    media.mkdir()
    (output / "index.html").write_text("<a href='/audio/new.mp3'>new</a>")
    (media / "new.mp3").write_bytes(b"ID3 new")
    (tmp_path / "a-file").write_text("not a folder")
    settings = options(
        # rsync cannot make a folder inside a file: the site's copy fails.
        DEPLOY_RSYNC_TARGET=str(tmp_path / "a-file" / "www"),
        DEPLOY_RSYNC_MEDIA_TARGET=str(tmp_path / "cdn"),
    )
    with pytest.raises(DeployError) as caught:
        rsync.deploy(output, media, settings)  # a built site's checks aside
    assert caught.value.partly_sent
    assert "may be partly updated" in caught.value.fix
    assert (tmp_path / "cdn" / "new.mp3").read_bytes() == b"ID3 new"


# --- GitHub Pages ---------------------------------------------------------


def git(*args, cwd):
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repository(tmp_path):
    """A content repository whose `origin` is a bare repository here."""
    remote = tmp_path / "remote.git"
    git("init", "--bare", "--quiet", str(remote), cwd=tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    git("init", "--quiet", "-b", "main", cwd=work)
    git("config", "user.name", "Test Editor", cwd=work)
    git("config", "user.email", "editor@example.org", cwd=work)
    (work / "README.md").write_text("content\n")
    git("add", "README.md", cwd=work)
    git("commit", "--quiet", "-m", "Start", cwd=work)
    git("remote", "add", "origin", str(remote), cwd=work)
    git("push", "--quiet", "origin", "main", cwd=work)
    return work, remote


def test_github_pages_pushes_the_site_as_one_commit(repository, tmp_path):
    work, remote = repository
    output, _ = production_site(tmp_path)
    settings = options(DEPLOY_GITHUB_PAGES_CNAME="stories.example.org")

    for round in range(2):
        if round:  # a story taken down between two publishes
            shutil.rmtree(output / "stories/second-story")
        report = github_pages.deploy(output, None, settings, repository=work)
        assert report == [
            "github-pages: the site is on the gh-pages branch of 'origin'"
        ]
        published = set(
            git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split()
        )
        assert published == set(snapshot(output)) | {".nojekyll", "CNAME"}
        # One commit, always: nothing taken down stays in the history.
        assert git("rev-list", "--count", "gh-pages", cwd=remote).strip() == "1"
    assert git("show", "gh-pages:CNAME", cwd=remote).strip() == "stories.example.org"
    # The editors' own branch is untouched.
    assert git("ls-tree", "--name-only", "main", cwd=remote).split() == ["README.md"]


def test_github_pages_refuses_audio_for_another_host(repository, tmp_path):
    work, _ = repository
    output, media = production_site(tmp_path, media=True)
    with pytest.raises(DeployError, match="GitHub Pages publishes only the site"):
        github_pages.deploy(output, media, options(), repository=work)


# --- publish, then deploy -------------------------------------------------


def test_publishing_rebuilds_the_media_folder_with_the_site(tmp_path):
    content = make_content(tmp_path)
    output, media = tmp_path / "output", tmp_path / "media"

    def publish():
        # Without the pre-compressed copies and the search index, with the
        # run's renditions, pictures and logos (tests.support): not what is
        # tested here, and each build made them all again.
        with images_shared(tmp_path / "cache"):
            return publishing.publish(
                output,
                "publishconf.py",
                content_path=content,
                project_root=PROJECT_ROOT,
                media_output_path=media,
                overrides={
                    "CACHE_PATH": str(tmp_path / "cache"),
                    "STORY_MEDIA_URL": MEDIA_URL,
                    "AUDIO_RENDITION_CACHE_PATH": renditions_cache(),
                    "AUDIO_RENDITION_PRUNE": False,
                    **LEAN,
                },
            )

    publish()
    first = rendition(media, "first-story")
    assert sorted(snapshot(media)) == [first, rendition(media, "second-story")]
    # The second story's release is withdrawn: its audio leaves the media too.
    write_story(
        content,
        "second-story",
        audio_fixture="speech.m4a",
        audio="talk.m4a",
        status="draft",
    )
    publish()
    assert sorted(snapshot(media)) == [first]
    assert not (output / "stories/second-story").exists()

    # A failed build leaves both as they were.
    before = (snapshot(output), snapshot(media))
    write_story(content, "broken", audio_fixture=None, audio="gone.mp3")
    with pytest.raises(publishing.PublishError):
        publish()
    assert (snapshot(output), snapshot(media)) == before
    leftovers = sorted(p.name for p in tmp_path.iterdir() if "-publish-" in p.name)
    assert leftovers == []


def test_the_publish_command_builds_then_deploys_with_rsync(tmp_path):
    """`./dev publish --to rsync`, as an editor runs it, on the sample content."""
    target = tmp_path / "www"
    env = {
        "OUTPUT_PATH": str(tmp_path / "output"),
        "DEPLOY_RSYNC_TARGET": str(target),
        "STORY_MEDIA_URL": "",
    }
    run = invoke("publish", "--to", "rsync", env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"The production site is in {tmp_path / 'output'}." in run.stdout
    assert "Deploying to rsync..." in run.stdout
    assert "Published: deployed to rsync." in run.stdout
    assert f"rsync: the site is at {target}" in run.stdout
    assert snapshot(target) == snapshot(tmp_path / "output")
    assert (target / "index.html").is_file()


def test_the_publish_command_names_a_wrong_target(tmp_path):
    run = invoke("deploy", "--to", "ftp")
    assert run.returncode == 1
    assert run.stderr.strip() == (
        "Deploy failed: there is no deploy target 'ftp' - use one of: rsync, s3,"
        " github-pages"
    )


# A large site's search: a bundle of its own a part (site_search/parts.py).
PART = "pagefind/part-0123456789abcdef"


@pytest.mark.parametrize(
    "key,cache",
    [
        ("theme/js/player.9c00e05d57.js", s3.CACHE_LONG),
        ("stories/a/podcast-art-fa81b1954218-400.jpg", s3.CACHE_LONG),
        ("funders/logos/cisco-d53525c3849617d44a2d-40.webp", s3.CACHE_LONG),
        ("stories/a/share-155f23acf2ad.jpg", s3.CACHE_LONG),
        ("stories/a/a-0a1b2c3d4e5f.mp3", s3.CACHE_LONG),  # the rendition
        ("stories/a/a-012345678901.m4a", s3.CACHE_LONG),  # a hash of digits
        # Every file of a large site's search parts, each in a folder named
        # by what made it (plugins/site_search/parts.py).
        (f"{PART}/fragment/en_1234567.pf_fragment", s3.CACHE_LONG),
        (f"{PART}/pagefind.en_f196ab360b.pf_meta", s3.CACHE_LONG),
        (f"{PART}/pagefind-entry.json", s3.CACHE_LONG),
        (f"{PART}/wasm.en.pagefind", s3.CACHE_LONG),
        ("pagefind/words-0123456789abcdef/pagefind.js", s3.CACHE_LONG),
        # Not content-addressed: a date, a plain name, a size alone.
        ("images/banner-20241201.jpg", s3.CACHE_DEFAULT),
        ("images/banner-20241201-2.jpg", s3.CACHE_DEFAULT),
        ("images/portrait-400.jpg", s3.CACHE_DEFAULT),
        ("images/faded-decade.png", s3.CACHE_DEFAULT),
        # A story's own files keep the names editors gave them, whatever
        # those look like: the master (AUDIO_RENDITION_PUBLISH_MASTER), a
        # picture named by the site it came from.
        ("stories/a/conversation.mp3", s3.CACHE_DEFAULT),
        ("stories/a/conversation.m4a", s3.CACHE_DEFAULT),
        ("stories/a/b-0a1b2c3d4e5f.mp3", s3.CACHE_DEFAULT),  # not its slug
        ("stories/a/photo-1506744038136-46273834b3fb.jpg", s3.CACHE_DEFAULT),
        ("stories/a/picture-wide-0a1b2c3d4e5f-800.webp", s3.CACHE_DEFAULT),
        # A small site's single search bundle: Pagefind's script, entry
        # file, WebAssembly and UI keep their names from one build to the
        # next, and its hashed names are 7 hex digits, which a later build
        # may give to other bytes.
        ("pagefind/fragment/en_e31443b.pf_fragment", s3.CACHE_DEFAULT),
        ("pagefind/index/en_214bc9d.pf_index", s3.CACHE_DEFAULT),
        ("pagefind/filter/en_be887bf.pf_filter", s3.CACHE_DEFAULT),
        ("pagefind/pagefind.en_f196ab360b.pf_meta", s3.CACHE_DEFAULT),
        ("pagefind/part-0123/pagefind.js", s3.CACHE_DEFAULT),  # not a part's key
        ("pagefind/pagefind.js", s3.CACHE_DEFAULT),
        ("pagefind/pagefind-entry.json", s3.CACHE_DEFAULT),
        ("pagefind/wasm.en.pagefind", s3.CACHE_DEFAULT),
        ("pagefind/wasm.unknown.pagefind", s3.CACHE_DEFAULT),
        ("pagefind/pagefind-ui.css", s3.CACHE_DEFAULT),
        ("pagefind/parts.json", s3.CACHE_DEFAULT),
    ],
)
def test_only_names_with_a_content_hash_are_cached_for_a_year(key, cache):
    """A file whose name carries its content's hash never changes under that
    name: a year, immutable. Any other may be replaced by the next deploy.
    The same files as _headers keeps a year (portal.outputs.kept_a_year;
    tests/test_browser_policy.py reads it over the sample site)."""
    assert s3.cache_control(key) == cache
