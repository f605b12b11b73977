"""The content repository template: audio in Git LFS, and its workflow.

Git and Git LFS run for real: a story committed through the template's
.gitattributes is stored in LFS, and a clone that did not fetch the audio
gets pointers, which every build and the check name as such. The workflow's
own commands run as GitHub Actions would run them, in a workspace laid out
as the workflow lays it out (the stories, and the portal in .portal/)."""

from __future__ import annotations

import datetime
import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from portal import checking, file_hashes, git_hashes
from portal.mime import AUDIO_MIME_TYPES
from portal.problems import StoryContentError
from tests.conftest import skip_or_fail
from tests.stories import write_story
from tests.support import (
    LEAN,
    PROJECT_ROOT,
    build_site,
    copy_content,
    images_shared,
    renditions_cache,
)

TEMPLATE = PROJECT_ROOT / "templates" / "content-repo"
WORKFLOW = TEMPLATE / ".github" / "workflows" / "content.yml"
# Every kind of audio a story may have (the one table, portal/mime.py).
AUDIO_EXTENSIONS = [ext.lstrip(".") for ext in AUDIO_MIME_TYPES]
NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
LFS_ERROR = (
    "content/stories/lfs-story/story.md:17: audio: 'speech.mp3' is a Git LFS"
    " pointer, not the audio itself - install Git LFS and run 'git lfs pull' to"
    " fetch the audio"
)


def git(*args, cwd, env=None):
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    ).stdout


def new_repository(folder: pathlib.Path) -> pathlib.Path:
    folder.mkdir(parents=True)
    git("init", "--quiet", "-b", "main", cwd=folder)
    git("config", "user.name", "Test Editor", cwd=folder)
    git("config", "user.email", "editor@example.org", cwd=folder)
    shutil.copy(TEMPLATE / ".gitattributes", folder / ".gitattributes")
    return folder


def lfs_repository(folder: pathlib.Path) -> pathlib.Path:
    """A new content repository at ``folder`` that stores audio in Git LFS."""
    if subprocess.run(["git", "lfs", "version"], capture_output=True).returncode:
        skip_or_fail("Git LFS is not installed")
    new_repository(folder)
    git("lfs", "install", "--local", cwd=folder)
    return folder


def test_the_template_stores_every_audio_format_in_lfs(tmp_path):
    repo = new_repository(tmp_path / "repo")
    names = [f"stories/a/conversation.{ext}" for ext in AUDIO_EXTENSIONS]
    # In capitals too (cameras and recorders name files CONVERSATION.WAV).
    names += [f"stories/a/CONVERSATION.{ext.upper()}" for ext in AUDIO_EXTENSIONS]
    names += ["stories/a/story.md"]
    out = git("check-attr", "filter", "--", *names, cwd=repo)
    attributes = dict(line.split(": filter: ") for line in out.splitlines())
    for name in names[:-1]:
        assert attributes[name] == "lfs", name
    assert attributes["stories/a/story.md"] == "unspecified"


def test_this_repository_keeps_its_sample_audio_out_of_lfs():
    """CI clones this repository without LFS: the sample audio stays real."""
    out = git(
        "check-attr",
        "filter",
        "--",
        "content/stories/common-ground/conversation.ogg",
        cwd=PROJECT_ROOT,
    )
    assert out.strip().endswith("filter: unspecified")
    sample = PROJECT_ROOT / "content/stories/common-ground/conversation.ogg"
    assert sample.read_bytes()[:4] == b"OggS"


@pytest.fixture
def lfs_clone(tmp_path):
    """A content repository with a story in LFS, cloned without the audio."""
    repo = lfs_repository(tmp_path / "origin")
    content = copy_content(repo / "content")
    write_story(content, "good-story")
    write_story(content, "lfs-story")
    git("add", ".", cwd=repo)
    git("commit", "--quiet", "-m", "Two stories", cwd=repo)
    stored = git("lfs", "ls-files", "--name-only", cwd=repo).split()
    assert "content/stories/lfs-story/speech.mp3" in stored
    assert "content/stories/good-story/speech.mp3" in stored
    # What is committed is the pointer, not the audio.
    blob = git("show", "HEAD:content/stories/lfs-story/speech.mp3", cwd=repo)
    assert blob.startswith("version https://git-lfs.github.com/spec/v1\n")

    clone = tmp_path / "clone"
    git(
        "clone",
        "--quiet",
        str(repo),
        str(clone),
        cwd=tmp_path,
        env={"GIT_LFS_SKIP_SMUDGE": "1"},
    )
    audio = clone / "content/stories/lfs-story/speech.mp3"
    assert audio.read_text().startswith("version https://git-lfs.github.com/spec/v1")
    # The good story's audio is fetched; the other stays a pointer.
    shutil.copy(repo / "content/stories/good-story/speech.mp3",
                clone / "content/stories/good-story/speech.mp3")  # fmt: skip
    return clone / "content"


def test_an_lfs_pointer_is_a_clear_error_in_every_build(lfs_clone, tmp_path, caplog):
    output = build_site(lfs_clone, tmp_path / "dev", STORY_NOW=NOW, **LEAN)
    assert (output / "stories/good-story/index.html").is_file()
    assert not (output / "stories/lfs-story").exists()
    assert LFS_ERROR in [record.getMessage() for record in caplog.records]

    with pytest.raises(StoryContentError) as caught:
        build_site(
            lfs_clone, tmp_path / "prod", "publishconf.py", STORY_NOW=NOW, **LEAN
        )
    assert caught.value.problems[0].__str__() == LFS_ERROR

    with images_shared(tmp_path / "cache"):  # the run's pictures and logos
        result = checking.check_content(
            PROJECT_ROOT / "publishconf.py",
            content_path=lfs_clone,
            overrides={"CACHE_PATH": str(tmp_path / "cache"), "STORY_NOW": NOW},
        )
    assert [str(p) for p in result.errors] == [LFS_ERROR]


# --- the workflow -----------------------------------------------------------


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def step(job: dict, name: str) -> dict:
    return next(s for s in job["steps"] if s.get("name") == name)


def test_the_workflow_checks_pull_requests_and_publishes_main():
    flow = workflow()
    triggers = flow[True]  # YAML 1.1 reads the key `on` as True
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]
    # Daily, so a story scheduled for a day appears on it (a run with nothing
    # due and nothing changed builds nothing: portal/build_inputs.py).
    assert [entry["cron"] for entry in triggers["schedule"]] == ["17 10 * * *"]
    check, publish = flow["jobs"]["check"], flow["jobs"]["publish"]
    assert "if" not in check  # every pull request and every push is checked
    assert publish["needs"] == "check"
    assert "github.event_name != 'pull_request'" in publish["if"]
    assert "refs/heads/main" in publish["if"]
    for job in (check, publish):
        stories = job["steps"][0]
        assert stories["uses"].startswith("actions/checkout@")
        # The audio: the LFS objects kept between runs, then what they lack
        # fetched (the steps run for real below).
        listed = step(job, "List the audio the stories need")
        kept = step(job, "Keep the audio between runs")
        fetched = step(job, "Get the audio (Git LFS)")
        assert kept["uses"].startswith("actions/cache@")
        assert kept["with"]["path"] == ".git/lfs/objects"
        assert "hashFiles('.lfs-objects')" in kept["with"]["key"]
        steps = job["steps"]
        assert steps.index(listed) < steps.index(kept) < steps.index(fetched)
        portal = step(job, "Get the portal's code")
        assert portal["with"]["path"] == ".portal"
        # The build cache (keyed by content inside) and the last published
        # site (built beside, its unchanged files linked) are kept between
        # runs, restored after the portal's checkout, which would empty them;
        # the same folders in both jobs (actions/cache matches on them).
        cache = step(job, "Keep the build cache between runs")
        assert cache["uses"].startswith("actions/cache@")
        assert cache["with"]["path"].split() == [
            ".portal/cache",
            "public",
            ".public.last-build.json",  # what public/ was built from
            ".portal/output-media",
        ]
        assert "github.run_id" in cache["with"]["key"]
        assert "stories-cache-publish-" in cache["with"]["restore-keys"]
        assert job["steps"].index(cache) > job["steps"].index(portal)
    assert step(check, "Check every story")["run"] == (
        "python -m invoke --search-root .portal check --content content"
    )
    build = step(publish, "Build, then deploy")
    assert build["run"] == (
        "python -m invoke --search-root .portal publish --content content"
    )
    # With the editing UI on, Decap's files are installed before the build,
    # which stops without them (its /admin/ is made from them).
    decap = step(publish, "Install the editing UI (Decap CMS)")
    assert decap["if"] == "vars.EDITING_UI == 'true'"
    assert decap["run"].startswith("npm ci --prefix .portal ")
    assert build["env"]["EDITING_UI"] == "${{ vars.EDITING_UI }}"
    assert publish["steps"].index(decap) < publish["steps"].index(build)
    # The site is built where the cache step keeps it (the audio's own
    # folder is STORY_MEDIA_OUTPUT_PATH's default, .portal/output-media).
    assert build["env"]["OUTPUT_PATH"] == "${{ github.workspace }}/public"
    # Secrets reach only the step that deploys, through the environment.
    assert (
        build["env"]["AWS_SECRET_ACCESS_KEY"] == "${{ secrets.AWS_SECRET_ACCESS_KEY }}"
    )
    assert flow["permissions"] == {"contents": "read"}


@pytest.fixture
def workspace(tmp_path):
    """What the workflow's checkouts make: the stories, the portal in .portal,
    and `python` on PATH."""
    root = tmp_path / "workspace"
    copy_content(root / "content")
    (root / ".portal").symlink_to(PROJECT_ROOT)
    # The folder of this Python (the virtualenv's bin/, which has `python`).
    bin_dir = pathlib.Path(sys.executable).parent
    assert (bin_dir / "python").exists()
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        # Renditions from the run's shared cache, as every test build's.
        "AUDIO_RENDITION_CACHE_PATH": renditions_cache(),
    }
    return root, env


def run_step(job: str, name: str, workspace, extra_env: dict):
    root, env = workspace
    script = step(workflow()["jobs"][job], name)["run"]
    return subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=root,
        env={**env, **extra_env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_workflow_keeps_the_audio_and_fetches_only_what_it_lacks(
    tmp_path, monkeypatch
):
    """The workflow's audio steps, run for real in a checkout without the
    audio (``actions/checkout`` without ``lfs``): the audio is fetched, git's
    index vouches for it (a build reads no master to hash it), and a later
    run with the kept objects restored needs nothing from the LFS server."""
    repo = lfs_repository(tmp_path / "origin")
    content = copy_content(repo / "content")
    write_story(content, "one-story")
    git("add", ".", cwd=repo)
    git("commit", "--quiet", "-m", "A story", cwd=repo)
    master = "content/stories/one-story/speech.mp3"
    oid = hashlib.sha256((repo / master).read_bytes()).hexdigest()
    env = {**os.environ, "GIT_LFS_SKIP_SMUDGE": "1"}

    def checkout(where):
        git("clone", "--quiet", str(repo), str(where), cwd=tmp_path, env=env)
        # What the checkout leaves for the next steps: pointers, and git-lfs
        # set up (the runner's git has it installed globally).
        git("lfs", "install", "--local", cwd=where)
        assert (where / master).read_bytes().startswith(b"version https://git-lfs")
        return where

    first = checkout(tmp_path / "first")
    for name in ("List the audio the stories need", "Get the audio (Git LFS)"):
        result = run_step("publish", name, (first, os.environ), {})
        assert result.returncode == 0, result.stderr
    assert (first / ".lfs-objects").read_text().split() == [oid]
    assert (first / master).read_bytes() == (repo / master).read_bytes()
    assert git("diff-files", "--name-only", cwd=first) == ""
    # The build's view: the master's SHA-256 without reading it.
    monkeypatch.setattr(git_hashes, "ASK_AFTER", 0)
    monkeypatch.setattr(file_hashes, "sha256_of", pytest.fail)
    git_hashes.forget()
    try:
        assert file_hashes.FileHashes(None).sha256(first / master) == oid
    finally:
        git_hashes.forget()

    # The next run restores the kept objects: the LFS server is not needed.
    second = checkout(tmp_path / "second")
    shutil.copytree(
        first / ".git/lfs/objects", second / ".git/lfs/objects", dirs_exist_ok=True
    )
    shutil.rmtree(repo / ".git/lfs/objects")
    result = run_step("publish", "Get the audio (Git LFS)", (second, os.environ), {})
    assert result.returncode == 0, result.stderr
    assert (second / master).read_bytes() == (first / master).read_bytes()


def test_the_check_step_annotates_a_pull_request(workspace):
    root, _ = workspace
    write_story(root / "content", "good-story")
    write_story(root / "content", "bad-story", relationship="rivals")
    run = run_step("check", "Check every story", workspace, {"GITHUB_ACTIONS": "true"})
    assert run.returncode == 1, run.stderr
    assert (
        "::error file=content/stories/bad-story/story.md,line=11::relationship:"
        in run.stdout
    )
    # (The project's data files, copied in, may add warnings of their own.)
    assert re.search(
        r"^Checked 2 stories: 1 ready to publish, 1 held back; "
        r"1 error, \d+ warnings?\.$",
        run.stdout,
        re.MULTILINE,
    )

    shutil.rmtree(root / "content/stories/bad-story")
    run = run_step("check", "Check every story", workspace, {"GITHUB_ACTIONS": "true"})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "::error" not in run.stdout


def test_the_publish_step_builds_and_deploys(workspace, tmp_path):
    root, _ = workspace
    write_story(root / "content", "good-story", title="Published from the repository")
    env = {
        "SITEURL": "https://stories.example.org",
        "STORY_MEDIA_URL": "",
        "OUTPUT_PATH": str(root / "public"),
        "DEPLOY_TARGETS": "rsync",
        "DEPLOY_RSYNC_TARGET": str(tmp_path / "www"),
        "DEPLOY_RSYNC_SSH": "ssh",
        "DEPLOY_S3_BUCKET": "",
    }
    run = run_step("publish", "Build, then deploy", workspace, env)
    assert run.returncode == 0, run.stdout + run.stderr
    page = (tmp_path / "www/stories/good-story/index.html").read_text()
    assert "Published from the repository" in page
    assert "https://stories.example.org/stories/good-story/" in page
    # The workflow publishes the production site: its feed may be listed.
    feed = (tmp_path / "www/podcast.xml").read_text()
    assert '<atom:link href="https://stories.example.org/podcast.xml"' in feed
    assert "block>" not in feed

    # A story that would be published with an error stops it; nothing changes.
    before = sorted(p.name for p in (tmp_path / "www/stories").iterdir())
    write_story(root / "content", "broken", audio_fixture=None, audio="gone.mp3")
    run = run_step("publish", "Build, then deploy", workspace, env)
    assert run.returncode == 1
    assert "Publish failed" in run.stderr and "Nothing was deployed" in run.stderr
    assert sorted(p.name for p in (tmp_path / "www/stories").iterdir()) == before
