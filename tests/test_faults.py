"""Faults injected into real builds: nothing lost, nothing leaked.

- A story taken down leaves no trace after a development build (its page,
  audio, transcripts, embeds, place and topic pages, search entries), and a
  deploy sends only what a production build finished.
- A build that fails (a content error in production, killed midway, a full
  disk) leaves the output as it was, and no folder of its own behind.
- Every cache entry truncated mid-write, or garbage, is a miss: the next
  build is correct. Builds and checks sharing a cache at once take turns.
- Cache writes are atomic with unique temporary names; refused writes name
  the file.

Builds run as the ``./dev`` commands run them: ``python -m pelican`` in a
child process, through ``portal.publishing.build_aside``.
"""

from __future__ import annotations

import concurrent.futures
import datetime
import errno
import itertools
import multiprocessing
import os
import pathlib
import re
import shlex
import signal
import stat
import subprocess
import sys
import textwrap
import time
import urllib.parse

import pytest
from PIL import Image

from portal import locks, publishing, writing
from portal.deploy import DeployError, deploy, deploy_settings
from tests.pagefind_index import index_text
from tests.stories import assert_absent, output_files, write_story
from tests.support import (
    LEAN,
    PROJECT_ROOT,
    build_as_dev,
    build_site,
    copy_content,
    renditions_cache,
)

WORD = "zanzibarquill"  # only the story taken down holds it
# Pre-compressed copies in gzip alone, for the tests that look at the copies
# and their cache but not at any one format: the copies of both formats are
# made, kept, linked, checked and removed by the same code, and Brotli at
# quality 11 on the theme's CSS and JS was a second and more of each cold
# build.
GZIP_ONLY = {"PRECOMPRESS_FORMATS": ["gzip"]}


def build(content, output, cache, settings="pelicanconf.py", **overrides):
    """A build as `./dev build` (or `preview`, `publish`) makes it
    (``tests.support.build_as_dev``)."""
    return build_as_dev(content, output, cache, settings, **overrides)


def snapshot(folder: pathlib.Path) -> dict[str, tuple[int, bytes]]:
    """Every file with its inode and bytes: "as it was" means the same files."""
    return {
        name: (os.stat(folder / name).st_ino, data)
        for name, data in output_files(folder).items()
    }


def same_site(output: pathlib.Path, other: pathlib.Path) -> bool:
    """The same files with the same bytes, but for the search index's own
    files (Pagefind names them by hashes that vary from run to run)."""

    def files(folder):
        return {
            name: data
            for name, data in output_files(folder).items()
            if not name.startswith("pagefind/") and name != publishing.MANIFEST_FILE
        }

    return files(output) == files(other)


def leftovers(parent: pathlib.Path) -> list[str]:
    return sorted(
        p.name for p in parent.iterdir() if "-publish-" in p.name or "-old-" in p.name
    )


def taken_down_story(content: pathlib.Path, status: str = "published"):
    """A story with its own words, topic, place and transcript."""
    write_story(
        content,
        "taken-down",
        title=f"The {WORD} conversation",
        summary=f"About {WORD}.",
        topics=[f"{WORD}topic"],
        location={"name": "Burlington, Vermont", "geo": [44.48, -73.21]},
        status=status,
        # Its own day: stories recorded the same day may list in either order.
        date=datetime.date(2019, 10, 13),
        transcript=(
            f"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Ada Lopez>{WORD} words.\n"
        ),
        body=f"An introduction about {WORD}.",
    )
    story = content / "stories/taken-down/story.md"
    story.write_text(
        story.read_text().replace(
            "audio: speech.mp3\n", "audio: speech.mp3\ntranscript: transcript.vtt\n"
        )
    )


@pytest.fixture
def site(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "kept-story")
    taken_down_story(content)
    return content


# ---- Take-downs ------------------------------------------------------------


def test_a_take_down_leaves_no_trace_after_a_development_build_and_a_deploy(
    site, tmp_path
):
    output, cache = tmp_path / "output", tmp_path / "cache"
    build(site, output, cache, **GZIP_ONLY)
    assert (output / "stories/taken-down/index.html").is_file()
    assert (output / "stories/taken-down/transcript.vtt").is_file()
    assert WORD in index_text(output)

    taken_down_story(site, status="draft")
    build(site, output, cache, **GZIP_ONLY)
    assert list(output.rglob("*.gz")) and not list(output.rglob("*.br"))

    assert_absent(output, WORD, "taken-down", "Vermont")
    assert WORD not in index_text(output)
    # Exactly the files a fresh build of the same content makes.
    fresh = build(site, tmp_path / "fresh", tmp_path / "fresh-cache", **GZIP_ONLY)
    assert same_site(output, fresh)
    assert leftovers(tmp_path) == []

    # The development build is never deployed ...
    target = tmp_path / "www"
    rsync = deploy_settings({"DEPLOY_RSYNC_TARGET": str(target)})
    with pytest.raises(DeployError, match="development build"):
        deploy("rsync", output, None, rsync)
    assert not target.exists()
    # ... a production build is, and the host has nothing of the story.
    build(site, output, cache, "publishconf.py", **GZIP_ONLY)
    deploy("rsync", output, None, rsync)
    assert (target / "index.html").is_file()
    assert not (target / publishing.MANIFEST_FILE).exists()
    assert_absent(target, WORD, "taken-down")


def test_a_rebuild_made_aside_still_renders_and_writes_only_what_changed(
    site, tmp_path, capfd
):
    """A fresh folder each build, yet the render cache and unchanged files
    carry over from the output it replaces (dates kept for deploys)."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    cheap = {
        "PRECOMPRESS": False,
        "SITE_SEARCH_INDEX": False,
        "EDITING_UI": False,
        "AUDIO_RENDITION_CACHE_PATH": renditions_cache(),
    }
    build(site, output, cache, **cheap)
    page = output / "stories/kept-story/index.html"
    before = os.stat(page)
    capfd.readouterr()
    publishing.build_aside(
        output,
        "pelicanconf.py",
        content_path=site,
        project_root=PROJECT_ROOT,
        overrides={"CACHE_PATH": str(cache), **cheap},
        extra_args=["--verbose"],
    )
    said = " ".join(capfd.readouterr().out.split())
    # Every page and embed of both stories comes from the cache.
    assert re.search(r"\[unchanged_writes\] 0 files written, \d+ unchanged", said)
    assert "[story_pipeline] made the outputs of 0 stories; kept those of 2" in said
    after = os.stat(page)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_deploy_refuses_an_output_its_build_did_not_finish(site, tmp_path):
    output = build(
        site, tmp_path / "output", tmp_path / "cache", "publishconf.py", **LEAN
    )
    target = tmp_path / "www"
    rsync = deploy_settings({"DEPLOY_RSYNC_TARGET": str(target)})
    publishing.read_manifest(output)  # complete

    (output / "stories/kept-story/index.html").unlink()  # a file lost
    with pytest.raises(DeployError, match=r"1 file\(s\) missing"):
        deploy("rsync", output, None, rsync)
    (output / "stories/kept-story/index.html").write_text("half a pa")
    with pytest.raises(DeployError, match=r"changed since its build"):
        deploy("rsync", output, None, rsync)
    (output / publishing.MANIFEST_FILE).unlink()  # the build never finished
    with pytest.raises(DeployError, match="its build did not finish"):
        deploy("rsync", output, None, rsync)
    assert not target.exists()


def test_static_files_only_held_back_stories_use_stay_out(tmp_path):
    content = copy_content(tmp_path / "content")
    images = content / "images"
    images.mkdir(exist_ok=True)
    for name in ("draft-only.png", "shared.png", "public-only.png"):
        Image.new("RGB", (40, 30), "teal").save(images / name)
    write_story(
        content,
        "public-story",
        body="![Shared](/images/shared.png) ![Public]({static}/images/public-only.png)",
    )
    write_story(
        content,
        "draft-story",
        status="draft",
        body="![Draft](/images/draft-only.png) ![Shared]({static}/images/shared.png)",
    )
    for settings in ("pelicanconf.py", "publishconf.py"):
        output = build_site(content, tmp_path / settings, settings, **LEAN)
        assert (output / "images/shared.png").is_file()
        assert (output / "images/public-only.png").is_file()
        assert not (output / "images/draft-only.png").exists(), settings
    # The drafts preview shows the draft, with its picture.
    preview = build_site(content, tmp_path / "preview", STORY_PREVIEW=True, **LEAN)
    assert (preview / "images/draft-only.png").is_file()


# ---- Failed builds ---------------------------------------------------------

KILLED = textwrap.dedent(
    """\
    import os, signal, sys
    out = sys.argv[sys.argv.index("-o") + 1]
    os.makedirs(os.path.join(out, "stories"), exist_ok=True)
    with open(os.path.join(out, "index.html"), "w") as handle:
        handle.write("<p>half a ")
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def _fake_python(tmp_path, script: str) -> str:
    """An interpreter that runs ``script`` instead of Pelican."""
    path = tmp_path / "fake_python"
    path.write_text(f'#!/bin/sh\nexec {sys.executable} -c {shlex.quote(script)} "$@"\n')
    path.chmod(0o755)
    return str(path)


def test_a_failed_build_leaves_the_output_as_it_was(site, tmp_path):
    output, cache = tmp_path / "output", tmp_path / "cache"
    build(site, output, cache, **LEAN)
    before = snapshot(output)

    # A production build (`./dev preview`) with a content error.
    write_story(site, "broken", audio_fixture=None, audio="gone.mp3")
    with pytest.raises(publishing.PublishError, match="left as it was"):
        build(site, output, cache, "publishconf.py", **LEAN)
    assert snapshot(output) == before

    # A build killed midway, having written half a page.
    with pytest.raises(publishing.PublishError, match=f"exit status -{signal.SIGKILL}"):
        publishing.build_aside(
            output,
            "pelicanconf.py",
            content_path=site,
            project_root=PROJECT_ROOT,
            python=_fake_python(tmp_path, KILLED),
        )
    assert snapshot(output) == before
    assert leftovers(tmp_path) == []


def test_folders_killed_builds_left_are_removed(site, tmp_path):
    output = tmp_path / "output"
    # The staging and old folders, and the search's staging folder (pages
    # linked for Pagefind, site_search/indexer.py) of a build made aside.
    for name in ("output-publish-abc123", "output-old-xyz",
                 ".site-search-output-publish-abc123-k2j8"):  # fmt: skip
        (tmp_path / name / "stories").mkdir(parents=True)
    # Another output's: kept.
    for name in ("output-drafts", ".site-search-output-drafts-publish-q1-z9"):
        (tmp_path / name).mkdir()
    build(site, output, tmp_path / "cache", **LEAN)
    assert leftovers(tmp_path) == [".site-search-output-drafts-publish-q1-z9"]
    assert (tmp_path / "output-drafts").is_dir()


@pytest.fixture
def small_disk(tmp_path):
    """A 64 MB file system of its own (tmpfs), if this machine lets us mount."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(disk)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here (needs root)")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_leaves_the_output_as_it_was_and_names_the_file(
    site, tmp_path, small_disk
):
    output, cache = small_disk / "output", tmp_path / "cache"
    build(site, output, cache, PRECOMPRESS=False, SITE_SEARCH_INDEX=False)
    before = snapshot(output)
    # Fill the disk but for a few kilobytes: the next build cannot finish.
    free = os.statvfs(small_disk)
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (free.f_bavail * free.f_frsize - 64 * 1024))
    write_story(site, "another-story")
    run = subprocess.run(
        [sys.executable, "-m", "pelican", str(site), "-s", "pelicanconf.py",
         "-o", str(small_disk / "out2"), "-e", f'CACHE_PATH="{tmp_path / "c2"}"',
         'PRECOMPRESS=false', 'SITE_SEARCH_INDEX=false'],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "COLUMNS": "1000",  # log lines unwrapped
             # The run's renditions (tests.support.invoke's way): its cold
             # cache encoded the stories' audio again before the disk filled.
             "AUDIO_RENDITION_CACHE_PATH": renditions_cache(),
             "AUDIO_RENDITION_PRUNE": "no"},
    )  # fmt: skip
    assert run.returncode != 0
    said = " ".join((run.stdout + run.stderr).split())  # as one line, unwrapped
    assert "Traceback" not in said
    assert f"cannot write {small_disk / 'out2'}/" in said
    assert "the disk is full - free some space" in said
    with pytest.raises(publishing.PublishError, match="left as it was"):
        build(site, output, cache, PRECOMPRESS=False, SITE_SEARCH_INDEX=False)
    assert snapshot(output) == before
    assert leftovers(small_disk) == []


def test_a_read_only_output_leaves_it_as_it_was_and_names_it(
    site, tmp_path, small_disk
):
    output, cache = small_disk / "output", tmp_path / "cache"
    cheap = {"PRECOMPRESS": False, "SITE_SEARCH_INDEX": False, "EDITING_UI": False}
    build(site, output, cache, **cheap)
    before = snapshot(output)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(publishing.PublishError) as caught:
        build(site, output, cache, **cheap)
    assert str(caught.value) == (
        f"cannot create a build folder beside {output}: Read-only file system;"
        f" {output} was left as it was"
    )
    assert snapshot(output) == before
    # Pelican's own first write (its output folder) is named with the fix too.
    run = subprocess.run(
        [sys.executable, "-m", "pelican", str(site), "-s", "pelicanconf.py",
         "-o", str(small_disk / "out2"), "-e", f'CACHE_PATH="{tmp_path / "c2"}"'],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "COLUMNS": "1000"},
    )  # fmt: skip
    said = " ".join((run.stdout + run.stderr).split())
    assert run.returncode != 0
    assert "Traceback" not in said
    assert f"cannot write {small_disk / 'out2'}" in said
    assert "its file system is read-only" in said


# ---- Caches ----------------------------------------------------------------


def _cache_files(cache: pathlib.Path) -> list[pathlib.Path]:
    return [p for p in sorted(cache.rglob("*")) if p.is_file() and p.name != ".lock"]


def test_a_damaged_cache_is_a_miss_never_a_crash(site, tmp_path):
    """Every cache file cut off mid-write (or overwritten with junk): the next
    build and the check run, and the site is the one a fresh build makes."""
    from portal.checking import check_content

    # Its own renditions, damaged with the rest; copies in gzip alone.
    own_cache = {"AUDIO_RENDITION_CACHE_PATH": "", **GZIP_ONLY}
    built = tmp_path / "built"
    # A fresh build (a new cache): the site each damaged build must make.
    fresh = build(site, built / "output", built / "cache", **own_cache)
    for damage in ("truncated", "garbage"):
        # One build damaged two ways: a copy of its output and cache made
        # at once, so the output's files stay links to the cache's (as the
        # build left them) and are damaged with them.
        (tmp_path / damage).mkdir()
        subprocess.run(
            ["cp", "-a", built / "output", built / "cache", tmp_path / damage],
            check=True,
        )
        output, cache = tmp_path / damage / "output", tmp_path / damage / "cache"
        damaged = _cache_files(cache)
        names = {p.relative_to(cache).as_posix() for p in damaged}
        assert {"ArticlesGenerator-Readers", "story_audio.json", "precompress.json",
                "story_outputs/manifest.json"} <= names  # fmt: skip
        assert any(name.startswith("audio_rendition/") for name in names)
        assert any(name.startswith("precompressed/") for name in names)
        for path in damaged:
            data = path.read_bytes()
            path.write_bytes(
                data[: len(data) // 2] if damage == "truncated" else b"\x80junk"
            )

        result = check_content(
            PROJECT_ROOT / "pelicanconf.py",
            content_path=site,
            overrides={"CACHE_PATH": str(cache)},
        )
        assert result.published == 2, damage
        build(site, output, cache, **own_cache)
        assert same_site_but_renditions(output, fresh), damage


RENDITION = re.compile(r"[a-z0-9-]+-[0-9a-f]{12}\.(?:mp3|m4a)")


def same_site_but_renditions(output: pathlib.Path, other: pathlib.Path) -> bool:
    """``same_site``, but for the podcast audio encoded again when its cache
    was lost: ffmpeg's new file gets a new name, so the files naming it (and
    its size) may differ; each of them must name a rendition that is there."""

    def files(folder):
        return {
            name: data
            for name, data in output_files(folder).items()
            if not name.startswith("pagefind/") and name != publishing.MANIFEST_FILE
        }

    got, want = files(output), files(other)
    if {RENDITION.sub("R", n) for n in got} != {RENDITION.sub("R", n) for n in want}:
        return False
    for name, data in got.items():
        if RENDITION.search(name):
            continue
        text = data.decode("utf-8", "replace")
        named = RENDITION.findall(text)
        if named:
            assert all(any(output.rglob(n)) for n in named), (name, named)
        elif want.get(name) != data:
            return False
    return True


def test_builds_and_checks_sharing_a_cache_at_once_take_turns(site, tmp_path, capfd):
    from portal.checking import check_content

    cache = tmp_path / "cache"
    # Copies in gzip alone (GZIP_ONLY); the check's renditions from the run's
    # shared cache, as the builds' (it encoded its own, in a cache no build
    # of this test reads).
    cheap = {"SITE_SEARCH_INDEX": False, **GZIP_ONLY}

    def one_build(name):
        return build(site, tmp_path / name, cache, **cheap)

    def one_check():
        return check_content(
            PROJECT_ROOT / "pelicanconf.py",
            content_path=site,
            overrides={
                "CACHE_PATH": str(cache),
                "AUDIO_RENDITION_CACHE_PATH": renditions_cache(),
                "AUDIO_RENDITION_PRUNE": False,
            },
        ).published

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        builds = [pool.submit(one_build, f"out{n}") for n in range(3)]
        check = pool.submit(one_check)
        outputs = [job.result() for job in builds]
        assert check.result() == 2
    first = output_files(outputs[0])
    for other in outputs[1:]:
        assert output_files(other) == first
    # They take turns: while this process holds the cache, a build waits for
    # it and says so (after locks.QUIET_WAIT). Without the lock it would run
    # at once, and its output might still agree: the outputs alone cannot
    # tell (builds of this site hold the cache for under a second each).
    waiting_words = "Waiting for another command using the cache"
    locks.hold_cache(cache)
    pool = concurrent.futures.ThreadPoolExecutor(1)
    try:
        waiting = pool.submit(one_build, "again")
        said = ""
        deadline = time.monotonic() + 60
        while waiting_words not in said and not waiting.done():
            assert time.monotonic() < deadline, said
            time.sleep(0.2)
            captured = capfd.readouterr()
            said += captured.out + captured.err
        assert waiting_words in said, said
        assert not waiting.done()
    finally:
        locks.release_cache(cache)
        pool.shutdown(wait=True)
    # And the cache they shared gives the same site again.
    assert output_files(waiting.result()) == first


def test_the_reader_cache_is_safe_to_interrupt(tmp_path):
    """A truncated reader cache is a miss; a save is whole, with no
    temporary file left (portal.pelican_private)."""
    from pelican.cache import FileDataCacher
    from pelican.settings import DEFAULT_CONFIG

    from portal import pelican_private

    pelican_private.make_reader_cache_safe()
    settings = {**DEFAULT_CONFIG, "CACHE_PATH": str(tmp_path)}
    (tmp_path / "probe").write_bytes(b"\x1f\x8b broken gzip")
    cacher = FileDataCacher(settings, "probe", True, True)
    assert cacher.get_cached_data("a") is None
    cacher.cache_data("a", 1)
    cacher.save_cache()
    assert FileDataCacher(settings, "probe", True, True).get_cached_data("a") == 1
    assert [p.name for p in tmp_path.iterdir()] == ["probe"]


def _write_many(args):
    path, tag = args
    for index in range(200):
        writing.write_atomically(path, f"{tag}:{index}:" + "x" * 5000)
    return True


def test_writes_are_atomic_with_unique_temporary_names(tmp_path):
    """Four processes writing one cache file at once: every read sees a whole
    file, nothing fails, no temporary file is left."""
    path = str(tmp_path / "story_audio.json")
    with multiprocessing.get_context("fork").Pool(4) as pool:
        jobs = pool.map_async(_write_many, [(path, tag) for tag in "abcd"])
        while not jobs.ready():
            try:
                text = pathlib.Path(path).read_text()
            except FileNotFoundError:
                continue
            assert text.endswith("x" * 5000)
        assert jobs.get() == [True] * 4
    assert os.listdir(tmp_path) == ["story_audio.json"]


@pytest.mark.parametrize("mask", [0o022, 0o002])
def test_written_files_get_an_ordinary_files_permissions(tmp_path, mask):
    """A page written whole-or-not-at-all is readable as any file the user
    makes (a web server reading the output as another user): 0666 less the
    umask, never a temporary file's owner-only 0600."""
    before = os.umask(mask)
    try:
        writing.write_atomically(tmp_path / "a" / "page.html", "<p>page</p>")
        with writing.atomic_file(tmp_path / "b" / "story.json", "w") as handle:
            handle.write("{}")
        with writing.atomic_path(tmp_path / "c" / "episode.mp3", ".mp3") as temporary:
            pathlib.Path(temporary).write_bytes(b"ID3")
    finally:
        os.umask(before)
    for name in ("a/page.html", "b/story.json", "c/episode.mp3"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~mask, name
    assert sorted(p.name for p in tmp_path.rglob("*")) == [
        "a",
        "b",
        "c",
        "episode.mp3",
        "page.html",
        "story.json",
    ]


def test_a_temporary_name_a_killed_build_left_is_passed_over(tmp_path, monkeypatch):
    """A leftover with the name a write would take (a killed build's, or
    another container's process with the same number) is neither written
    through nor in the way: the write takes the next name."""
    monkeypatch.setattr(writing, "_count", itertools.count())
    target = tmp_path / "page.html"
    leftover = tmp_path / f".page.html.{os.getpid()}-0.tmp"
    leftover.write_text("left by a killed build")
    writing.write_atomically(target, "new")
    assert target.read_text() == "new"
    assert leftover.read_text() == "left by a killed build"
    assert sorted(p.name for p in tmp_path.iterdir()) == [leftover.name, "page.html"]


def test_a_file_a_tool_writes_replaces_the_old_one_whole_or_not_at_all(tmp_path):
    """atomic_path: ffmpeg writes the temporary file (named with the real
    extension, which ffmpeg reads the format from); a failed run leaves the
    old file and no temporary one."""
    target = tmp_path / "rendition.mp3"
    target.write_bytes(b"old")

    def sine(path):
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
             "sine=duration=0.2", path], check=True,
        )  # fmt: skip

    with (
        pytest.raises(subprocess.CalledProcessError),
        writing.atomic_path(target, ".mp3") as temporary,
    ):
        assert temporary.endswith(".mp3")
        sine(temporary)
        subprocess.run(["ffmpeg", "-v", "error", "-i", "no-such-file"], check=True)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["rendition.mp3"]
    with writing.atomic_path(target, ".mp3") as temporary:
        sine(temporary)
    assert target.stat().st_size > 1000  # ffmpeg's MP3, whole
    assert os.listdir(tmp_path) == ["rendition.mp3"]


@pytest.mark.parametrize(
    ("code", "says"),
    [
        (errno.ENOSPC, "the disk is full - free some space"),
        (errno.EACCES, "permission denied - make the folder writable"),
        (errno.EROFS, "its file system is read-only - build into a folder"),
    ],
)
def test_a_refused_write_names_the_file_and_leaves_it(
    tmp_path, monkeypatch, code, says
):
    path = tmp_path / "page.html"
    path.write_text("old")

    def refuse(*args):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(writing.WriteError) as caught:
        writing.write_if_changed(path, "new")
    assert str(caught.value).startswith(f"cannot write {path}: ")
    assert says in str(caught.value)
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["page.html"]


def test_a_copy_onto_a_full_disk_names_the_file_it_was_writing(tmp_path, monkeypatch):
    """A copy that fills the disk (the output on another disk than the
    cache: a share card copied, not linked) names the file it was writing,
    not the one it read: Python's copy gives the source as the error's first
    file."""
    stored, target = tmp_path / "cache-card.jpg", tmp_path / "output" / "card.jpg"
    stored.write_bytes(b"card")

    def no_links(*args):
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    def full(source, destination, *args, **kwargs):
        raise OSError(
            errno.ENOSPC, os.strerror(errno.ENOSPC), source, None, destination
        )

    monkeypatch.setattr(os, "link", no_links)
    monkeypatch.setattr(writing.shutil, "copyfile", full)
    with pytest.raises(writing.WriteError) as caught:
        writing.link_over(str(stored), str(target))
    assert str(caught.value).startswith(f"cannot write {target}: the disk is full")
    assert os.listdir(target.parent) == []
    fixable = writing.os_error_problem(
        OSError(errno.ENOSPC, "full", str(stored), None, str(target))
    )
    assert str(fixable).startswith(f"cannot write {target}: the disk is full")


# ---- Development rebuilds --------------------------------------------------


def test_renaming_a_participant_updates_other_stories_cards(tmp_path):
    """The render cache's key holds what story cards show of other stories."""
    content = copy_content(tmp_path / "content")
    people = [
        {"name": "Quentin Marsh", "description": "farmer"},
        {"name": "Ben Carter", "description": "union electrician"},
    ]
    write_story(content, "first-story", participants=people)
    write_story(content, "second-story")
    output, cache = tmp_path / "output", tmp_path / "cache"
    cheap = {"PRECOMPRESS": False, "SITE_SEARCH_INDEX": False}
    build_site(content, output, cache_dir=cache, **cheap)
    page = output / "stories/second-story/index.html"
    assert "Quentin Marsh" in page.read_text()  # the first story's card

    folder = content / "stories/first-story"
    story = folder / "story.md"
    story.write_text(story.read_text().replace("Quentin Marsh", "Quentina Marsh"))
    build_site(content, output, cache_dir=cache, **cheap)
    assert "Quentina Marsh" in (output / "stories/first-story/index.html").read_text()
    # Unchanged itself, the second story's page shows the new name on the card.
    cards = page.read_text()
    assert "Quentina Marsh" in cards
    assert "Quentin Marsh" not in cards


def test_replacing_a_picture_updates_other_stories_cards(tmp_path):
    """A picture saved again under the same name gets new file names (they
    carry its content's fingerprint): other stories' pages, unchanged
    themselves, must name the new files on its card, not the removed ones."""
    content = copy_content(tmp_path / "content")
    folder = write_story(
        content, "first-story", image="portrait.jpg", image_alt="Two neighbours"
    )
    Image.new("RGB", (1400, 1400), "teal").save(folder / "portrait.jpg", "JPEG")
    write_story(content, "second-story")
    output, cache = tmp_path / "output", tmp_path / "cache"
    build_site(content, output, cache_dir=cache, **CHEAP)
    page = output / "stories/second-story/index.html"

    def card_pictures() -> list[str]:
        return re.findall(
            r'src="[^"]*/(podcast-art-[0-9a-f]+-\d+\.jpg)"', page.read_text()
        )

    before = card_pictures()
    assert before  # the first story's card shows its picture

    Image.new("RGB", (1400, 1400), "orange").save(folder / "portrait.jpg", "JPEG")
    build_site(content, output, cache_dir=cache, **CHEAP)
    after = card_pictures()
    assert after and after != before
    for name in after:
        assert (output / "stories/first-story" / name).is_file()


# ---- Names and ids that reach URLs, headers and the page ---------------------

CHEAP = {"PRECOMPRESS": False, "SITE_SEARCH_INDEX": False}


def test_file_names_with_spaces_are_encoded_in_every_url(tmp_path):
    content = copy_content(tmp_path / "content")
    folder = write_story(
        content,
        "spaced-names",
        audio="our talk.mp3",
        audio_fixture="speech.mp3",
        image="my portrait.jpg",
        image_alt="Two people at a table",
    )
    Image.new("RGB", (60, 40), "teal").save(folder / "my portrait.jpg", "JPEG")
    output = build_site(content, tmp_path / "out", **CHEAP)
    story = output / "stories/spaced-names"
    assert (story / "my portrait.jpg").is_file()
    page = (story / "index.html").read_text()
    # Every audio link (<source src>, download, JSON-LD) is a URL without a
    # raw space, and names a file that is there.
    sources = re.findall(r'<source src="([^"]+)"', page)
    assert sources
    for src in sources:
        assert " " not in src
        assert (story / urllib.parse.unquote(src.rsplit("/", 1)[1])).is_file()
    headers = (output / "_headers").read_text()
    assert all(line.startswith(("/", " ", "#")) for line in headers.splitlines())


def test_intro_ids_never_take_the_pages_own(tmp_path):
    """An introduction's id="turn-1" or id="main" would break #turn-N links
    and the skip link: every id in the introduction gets a prefix."""
    import collections
    import re

    content = copy_content(tmp_path / "content")
    write_story(
        content,
        "clashing-ids",
        transcript=(
            "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Ada Lopez>Hello.\n\n"
            "00:00:01.500 --> 00:00:02.500\n<v Ben Carter>Hi.\n"
        ),
        body='<p id="turn-1">Jump</p>\n\n<p id="main">Main</p>\n\nA note.[^1]\n\n'
        "[^1]: The footnote.",
    )
    story = content / "stories/clashing-ids/story.md"
    story.write_text(
        story.read_text().replace(
            "audio: speech.mp3\n", "audio: speech.mp3\ntranscript: transcript.vtt\n"
        )
    )
    output = build_site(content, tmp_path / "out", **CHEAP)
    page = (output / "stories/clashing-ids/index.html").read_text()
    ids = collections.Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [name for name, count in ids.items() if count > 1] == []
    assert ids["turn-1"] == 1 and ids["main"] == 1  # the page's own
    assert ids["intro-turn-1"] == 1 and ids["intro-main"] == 1
    # The footnote still links both ways.
    assert 'href="#intro-fn:1"' in page and 'id="intro-fn:1"' in page
