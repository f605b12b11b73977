"""The benchmark's clones (benchmarks/git_clone.py, benchmarks/run.py): the
git clone row must be what the publish workflow's checkout leaves, or its
time measures something else; a run stopped midway must not leave a clone
standing in for the corpus."""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys

from tests.conftest import skip_or_fail
from tests.support import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))

import git_clone
import run

RECORDING = PROJECT_ROOT / "content/stories/a-second-chance/conversation.mp3"


def git(*args, cwd) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def corpus(folder: pathlib.Path) -> pathlib.Path:
    """Two stories sharing one recording (hard links, as the corpus has)."""
    for number, name in enumerate(("one", "two")):
        story = folder / "stories" / name
        story.mkdir(parents=True)
        (story / "story.md").write_text(f"---\ntitle: {name}\n---\n", encoding="utf-8")
        if number == 0:
            shutil.copy(RECORDING, story / "conversation.mp3")
        else:
            os.link(folder / "stories/one/conversation.mp3", story / "conversation.mp3")
    return folder


def test_the_git_clone_is_what_the_workflows_checkout_leaves(tmp_path):
    if subprocess.run(["git", "lfs", "version"], capture_output=True).returncode:
        skip_or_fail("Git LFS is not installed")
    content = corpus(tmp_path / "corpus")
    origin = git_clone.origin(content, tmp_path / "ours.git", run.AUDIO_EXTENSIONS)
    work = tmp_path / "clone"
    git_clone.clone(origin, work, run.AUDIO_EXTENSIONS)

    # The audio is in Git LFS: the commit holds pointers.
    assert sorted(git("lfs", "ls-files", "--name-only", cwd=work).split()) == [
        "stories/one/conversation.mp3",
        "stories/two/conversation.mp3",
    ]
    pointer = git("show", "HEAD:stories/two/conversation.mp3", cwd=work)
    oid = hashlib.sha256(RECORDING.read_bytes()).hexdigest()
    assert f"oid sha256:{oid}\n" in pointer
    # The work tree holds the audio itself (linked from the LFS store, as
    # the corpus links its recordings: a copy each would not fit the disk),
    # and git's index vouches for every file.
    for name in ("one", "two"):
        master = work / "stories" / name / "conversation.mp3"
        assert master.read_bytes() == RECORDING.read_bytes()
    assert (work / "stories/one/story.md").read_text() == "---\ntitle: one\n---\n"
    assert git("diff-files", "--name-only", cwd=work) == ""
    assert git("status", "--porcelain", cwd=work) == ""


def test_a_stopped_run_puts_the_originals_back(tmp_path):
    root, out = tmp_path / "corpus-10", tmp_path / "out-10"
    for path in (root / "ours.kept", out / "ours-cache.kept", out / "ours.kept"):
        path.mkdir(parents=True)
        (path / "original").write_text("original", encoding="utf-8")
    (root / "ours" / ".git").mkdir(parents=True)  # a clone, half made
    (root / "ours.git").mkdir()
    (out / "ours-previous").mkdir()

    assert run.put_back_originals(root, out) == ["ours", "ours-cache", "ours"]
    for path in (root / "ours", out / "ours-cache", out / "ours"):
        assert (path / "original").read_text() == "original"
        assert not path.with_name(path.name + ".kept").exists()
    assert not (root / "ours" / ".git").exists()
    assert sorted(p.name for p in root.iterdir()) == ["ours"]
    assert not (out / "ours-previous").exists()
    assert run.put_back_originals(root, out) == []  # nothing stopped: nothing done


def test_the_table_says_how_the_hour_went_when_bare_pelican_ran_again():
    """run.py builds bare Pelican first and again after ours: the table
    shows both, so a run whose machine slowed down midway says so."""
    result = json.loads((PROJECT_ROOT / "benchmarks/results-10000.json").read_text())
    build = {"seconds": 16.5, "cpu_seconds": 16.5, "load_before": 1.2}
    build["peak_rss_mb"] = 90
    result["builds"]["bare_pelican"] = build
    result["builds"].pop("bare_pelican_after", None)

    def row():
        return next(
            line for line in run.table([result]).splitlines() if "| 10,000 |" in line
        )

    assert "| 16.5 s (16.5 s CPU, load 1.2) / 90 MB |" in row()
    assert "again after ours" not in row()
    result["builds"]["bare_pelican_after"] = {**build, "seconds": 21.04}
    again = "| 16.5 s (16.5 s CPU, load 1.2) / 90 MB; again after ours: 21.0 s |"
    assert again in row()
