"""The corpus as the publish workflow has it: a git clone, its audio in Git LFS.

The content repository keeps its audio in Git LFS (templates/content-repo)
and its workflow checks it out with ``actions/checkout`` and ``lfs: true``:
every file new, the audio itself in the work tree, and git's index holding
each file's stat as the checkout wrote it. ``origin`` makes such a
repository of a corpus, ``clone`` checks it out.

Both keep to the disk of the benchmark's machine: the corpus links four
recordings into 10,000 story folders (46 GB as separate files).

- ``origin`` does not run Git LFS's clean filter over every master (it
  would hash and copy each of them): each master's pointer is written from
  its recording's SHA-256, hashed once a recording, and the four recordings
  are linked into the repository's LFS store. The repository is the one
  ``git add`` would have made.
- ``clone`` clones without fetching the audio, links each master from the
  LFS store over its pointer (as the checkout would write a copy of it),
  and has git look at the work tree again (``git update-index
  --refresh``): Git LFS hashes each master there, as the checkout's own
  download checks it, and the index holds every file's stat. That is the
  checkout's work, done before the build is timed.
"""

from __future__ import annotations

import hashlib
import os
import pathlib
import shutil
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from portal import file_hashes, git_hashes  # noqa: E402

ATTRIBUTES = HERE.parent / "templates" / "content-repo" / ".gitattributes"
POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n"
IDENTITY = {
    "GIT_AUTHOR_NAME": "Benchmark",
    "GIT_AUTHOR_EMAIL": "benchmark@example.org",
    "GIT_COMMITTER_NAME": "Benchmark",
    "GIT_COMMITTER_EMAIL": "benchmark@example.org",
}


def _git(*args, cwd=None, env=None, stdin: str | None = None) -> str:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        input=stdin,
        env={**os.environ, **IDENTITY, **(env or {})},
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _lfs_object(store: pathlib.Path, oid: str) -> pathlib.Path:
    return store / "lfs" / "objects" / oid[:2] / oid[2:4] / oid


def origin(content: pathlib.Path, repo: pathlib.Path, audio_extensions) -> pathlib.Path:
    """A bare repository of ``content`` (made once), its audio in Git LFS."""
    if (repo / "HEAD").is_file():
        return repo
    making = repo.with_name(repo.name + ".making")
    shutil.rmtree(making, ignore_errors=True)
    _git("init", "--quiet", "--bare", "-b", "main", str(making))
    tree = ["--git-dir", str(making), "--work-tree", str(content)]
    excluded = [f":(exclude,glob)**/*{extension}" for extension in audio_extensions]
    _git(*tree, "add", "--all", "--", ".", *excluded)
    entries = []
    attributes = _git(
        *tree, "hash-object", "-w", "--stdin", stdin=ATTRIBUTES.read_text()
    ).strip()
    entries.append(f"100644 {attributes}\t.gitattributes")
    pointers: dict[tuple[int, int], str] = {}  # (device, inode) -> pointer blob
    for path in sorted(content.rglob("*")):
        if path.suffix.lower() not in audio_extensions or not path.is_file():
            continue
        stat = path.stat()
        recording = (stat.st_dev, stat.st_ino)
        if recording not in pointers:
            with open(path, "rb") as handle:
                oid = hashlib.file_digest(handle, "sha256").hexdigest()
            stored = _lfs_object(making, oid)
            stored.parent.mkdir(parents=True, exist_ok=True)
            if not stored.exists():
                os.link(path, stored)
            pointer = POINTER.format(oid=oid, size=stat.st_size)
            pointers[recording] = _git(
                *tree, "hash-object", "-w", "--stdin", stdin=pointer
            ).strip()
        entries.append(f"100644 {pointers[recording]}\t{path.relative_to(content)}")
    listed = "\n".join(entries) + "\n"
    _git(*tree, "update-index", "--add", "--index-info", stdin=listed)
    root = _git(*tree, "write-tree").strip()
    commit = _git(*tree, "commit-tree", "-m", "The stories", root).strip()
    _git(*tree, "update-ref", "refs/heads/main", commit)
    os.remove(making / "index")  # a bare repository's: only made to commit
    making.rename(repo)
    return repo


def clone(repo: pathlib.Path, target: pathlib.Path, audio_extensions) -> None:
    """``repo`` checked out at ``target`` as the workflow's checkout leaves it."""
    _git("clone", "--quiet", str(repo), str(target), env={"GIT_LFS_SKIP_SMUDGE": "1"})
    _git("lfs", "install", "--local", cwd=target)
    masters = []
    for line in _git("ls-files", "--stage", cwd=target).splitlines():
        info, _, name = line.partition("\t")
        if os.path.splitext(name)[1].lower() in audio_extensions:
            masters.append(f"{info.split()[0]} {info.split()[1]}\t{name}")
            path = target / name
            pointer = path.read_text(encoding="utf-8")
            oid = pointer.split("oid sha256:", 1)[1].split("\n", 1)[0]
            linked = path.with_name(path.name + ".linking")
            os.link(_lfs_object(repo, oid), linked)
            os.replace(linked, path)
    # The index holds each pointer's stat (a size git takes for a change of
    # bytes); entered again, with no stat, each master is compared by its
    # bytes (Git LFS's clean filter) and its stat recorded.
    _git("update-index", "--index-info", cwd=target, stdin="\n".join(masters) + "\n")
    _git("update-index", "-q", "--refresh", cwd=target)
    modified = _git("diff-files", "--name-only", cwd=target)
    if modified:
        raise RuntimeError(f"the clone at {target} differs from its commit: {modified}")


def last_runs_table(work_tree: pathlib.Path, cache: pathlib.Path) -> int:
    """The table of blobs' SHA-256 (``portal.git_hashes``) the last run's
    build would have left in ``cache``: every run of the workflow builds a
    clone, and learns the SHA-256 of each blob it reads. The cache the
    benchmark restores was made in place, outside git, so it has none; here
    the portal's own code hashes each tracked file of ``work_tree`` and
    keeps the table, as that build would have. The number of files."""
    git_hashes.forget()
    git_hashes.keep_table(cache / git_hashes.TABLE_FILE)
    hashes = file_hashes.FileHashes(None)
    names = _git("ls-files", "-z", cwd=work_tree).split("\0")
    for name in filter(None, names):
        hashes.sha256(work_tree / name)
    git_hashes.save_table()
    git_hashes.forget()
    return len(names)
