"""Content hashes from git: a fresh clone reads no file to hash it that git
can vouch for (portal/git_hashes.py, asked by portal/file_hashes.py).

Git and Git LFS run for real, on a content repository made with the
template's .gitattributes, cloned the way the publish workflow clones it
(``actions/checkout`` with ``lfs: true``: the audio itself in the work
tree). A clone's files are new; unless a test says otherwise, they were
written long enough before they are hashed (``RACY_NS`` is 0 here)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pathlib
import shutil
import sys

import pytest

from portal import file_hashes, git_hashes
from tests.support import PROJECT_ROOT, build_site, copy_content, images_shared
from tests.test_content_repo import git, lfs_repository

SAMPLE_AUDIO = PROJECT_ROOT / "content/stories/common-ground/conversation.ogg"
STORY = "content/stories/one/story.md"
MASTER = "content/stories/one/conversation.ogg"


@pytest.fixture(autouse=True)
def _nothing_learnt(monkeypatch):
    monkeypatch.setattr(file_hashes, "RACY_NS", 0)
    file_hashes._known.clear()
    git_hashes.forget()
    yield
    git_hashes.forget()


@pytest.fixture
def ask_git_at_once(monkeypatch):
    """Git is asked at the first file to read (a clone of a few files)."""
    monkeypatch.setattr(git_hashes, "ASK_AFTER", 0)


@pytest.fixture
def origin(tmp_path) -> pathlib.Path:
    """A content repository whose story's audio is stored in Git LFS."""
    repo = lfs_repository(tmp_path / "origin")
    (repo / MASTER).parent.mkdir(parents=True)
    shutil.copy(SAMPLE_AUDIO, repo / MASTER)
    (repo / STORY).write_text("---\ntitle: One\n---\n", encoding="utf-8")
    git("add", ".", cwd=repo)
    git("commit", "--quiet", "-m", "A story", cwd=repo)
    assert git("lfs", "ls-files", "--name-only", cwd=repo).split() == [MASTER]
    return repo


def clone(origin: pathlib.Path, where: pathlib.Path, **env) -> pathlib.Path:
    git("clone", "--quiet", str(origin), str(where), cwd=where.parent, env=env)
    return where


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The files hashed by reading them (their paths)."""
    read = []
    real = file_hashes.sha256_of

    def reading(path):
        read.append(os.fspath(path))
        return real(path)

    monkeypatch.setattr(file_hashes, "sha256_of", reading)
    return read


@pytest.fixture
def git_runs(monkeypatch) -> list[tuple[str, ...]]:
    """The git commands run to learn what files hold."""
    runs = []
    real = git_hashes._git

    def running(top, *args, **kwargs):
        runs.append(args)
        return real(top, *args, **kwargs)

    monkeypatch.setattr(git_hashes, "_git", running)
    return runs


def names(paths: list[str]) -> list[str]:
    return [os.path.basename(path) for path in paths]


def sha256(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_fresh_clones_master_is_not_read_to_hash_it(
    origin, tmp_path, reads, ask_git_at_once
):
    work = clone(origin, tmp_path / "clone")
    master = work / MASTER
    assert master.read_bytes() == SAMPLE_AUDIO.read_bytes()  # the audio, fetched

    hashes = file_hashes.FileHashes(None)
    assert hashes.remembered(master) == sha256(SAMPLE_AUDIO)
    assert hashes.sha256(master) == sha256(SAMPLE_AUDIO)
    assert names(reads) == []
    # A file git keeps itself is read the first time: no table knows it.
    story = work / STORY
    assert hashes.sha256(story) == sha256(story)
    assert names(reads) == ["story.md"]


def test_a_blob_hashed_once_is_not_read_in_the_next_clone(
    origin, tmp_path, reads, ask_git_at_once
):
    """The table of blobs' SHA-256, kept in the cache folder, holds for any
    clone of the same bytes, at any path."""
    table = tmp_path / "cache" / git_hashes.TABLE_FILE
    table.parent.mkdir()
    git_hashes.keep_table(table)
    first = clone(origin, tmp_path / "first")
    assert file_hashes.FileHashes(None).sha256(first / STORY) == sha256(first / STORY)
    assert names(reads) == ["story.md"]
    git_hashes.save_table()
    blob = git("rev-parse", f"HEAD:{STORY}", cwd=origin).strip()
    size = (first / STORY).stat().st_size
    assert json.loads(table.read_text()) == {blob: [sha256(first / STORY), size]}

    git_hashes.forget()  # a new process, on a new runner
    git_hashes.keep_table(table)
    second = clone(origin, tmp_path / "second")
    assert file_hashes.FileHashes(None).sha256(second / STORY) == sha256(second / STORY)
    assert names(reads) == ["story.md"]  # the first clone's read, only

    # Edited: read again, and learnt under its new bytes' name only once
    # committed.
    (second / STORY).write_text("---\ntitle: One, again\n---\n", encoding="utf-8")
    assert file_hashes.FileHashes(None).sha256(second / STORY) == sha256(second / STORY)
    assert names(reads) == ["story.md", "story.md"]


def test_a_blob_checked_out_as_other_bytes_is_read(
    origin, tmp_path, reads, ask_git_at_once
):
    """The table names a blob's bytes as a checkout wrote them: a checkout
    that converts line endings writes the same blob as other bytes. (The
    template keeps story files' endings as they are: a plain text file.)"""
    (origin / "notes.txt").write_text("one\ntwo\n", encoding="utf-8")
    git("add", "notes.txt", cwd=origin)
    git("commit", "--quiet", "-m", "Notes", cwd=origin)
    table = tmp_path / git_hashes.TABLE_FILE
    git_hashes.keep_table(table)
    first = clone(origin, tmp_path / "first")
    file_hashes.FileHashes(None).sha256(first / "notes.txt")
    git_hashes.save_table()
    git_hashes.forget()
    git_hashes.keep_table(table)

    crlf = tmp_path / "crlf"
    converting = ("-c", "core.autocrlf=true")
    git("clone", "--quiet", *converting, str(origin), str(crlf), cwd=tmp_path)
    assert (crlf / "notes.txt").read_bytes() == b"one\r\ntwo\r\n"
    hashes = file_hashes.FileHashes(None)
    assert hashes.sha256(crlf / "notes.txt") == sha256(crlf / "notes.txt")
    assert names(reads) == ["notes.txt", "notes.txt"]


def test_a_master_changed_in_the_work_tree_is_read(
    origin, tmp_path, reads, ask_git_at_once
):
    work = clone(origin, tmp_path / "clone")
    master = work / MASTER
    with open(master, "ab") as handle:
        handle.write(b"\0" * 10)  # changed before git is asked
    assert file_hashes.FileHashes(None).sha256(master) == sha256(master)
    assert names(reads) == ["conversation.ogg"]


def test_a_master_changed_after_git_was_asked_is_read(
    origin, tmp_path, reads, ask_git_at_once
):
    work = clone(origin, tmp_path / "clone")
    master = work / MASTER
    hashes = file_hashes.FileHashes(None)
    assert hashes.sha256(master) == sha256(SAMPLE_AUDIO)
    master.write_bytes(b"another recording")  # git's answer is out of date
    assert hashes.sha256(master) == sha256(master) != sha256(SAMPLE_AUDIO)
    assert names(reads) == ["conversation.ogg"]


def test_a_pointer_left_unfetched_is_hashed_as_what_it_is(
    origin, tmp_path, reads, ask_git_at_once
):
    work = clone(origin, tmp_path / "clone", GIT_LFS_SKIP_SMUDGE="1")
    master = work / MASTER
    assert master.read_text().startswith("version https://git-lfs.github.com/spec/v1")
    assert file_hashes.FileHashes(None).sha256(master) == sha256(master)
    assert names(reads) == ["conversation.ogg"]


def test_files_outside_any_repository_are_read(tmp_path, reads, ask_git_at_once):
    copy = tmp_path / "conversation.ogg"
    shutil.copy(SAMPLE_AUDIO, copy)
    assert file_hashes.FileHashes(None).sha256(copy) == sha256(SAMPLE_AUDIO)
    assert names(reads) == ["conversation.ogg"]


def test_git_is_asked_once_and_only_when_it_pays(origin, tmp_path, git_runs):
    """Reading a few small files costs less than asking git about a whole
    work tree (an edit of one story): git is asked after ``ASK_AFTER``
    small files, or at once for a large one, and once a process."""
    work = clone(origin, tmp_path / "clone")
    for number in range(git_hashes.ASK_AFTER):
        (work / f"note-{number}.txt").write_text(str(number), encoding="utf-8")
    hashes = file_hashes.FileHashes(None)
    for number in range(git_hashes.ASK_AFTER):
        hashes.sha256(work / f"note-{number}.txt")
    assert git_runs == []
    hashes.sha256(work / STORY)
    assert git_runs and git_runs[0][0] == "ls-files"
    asked = len(git_runs)
    (work / "one-more.txt").write_text("more", encoding="utf-8")
    hashes.sha256(work / "one-more.txt")
    assert len(git_runs) == asked

    git_hashes.forget()
    git_runs.clear()
    large = tmp_path / "large"
    large.mkdir()
    git("init", "--quiet", cwd=large)
    (large / "master.wav").write_bytes(b"\0" * git_hashes.LARGE)
    file_hashes.FileHashes(None).sha256(large / "master.wav")
    assert git_runs and git_runs[0][0] == "ls-files"


AUDIO = (".ogg", ".mp3", ".m4a", ".flac", ".wav", ".opus")
# The audio files this process opened while a list is set here.
_opened: list[list[str]] = []


def _note_audio_opened(event, args) -> None:
    if event == "open" and _opened and isinstance(args[0], (str, os.PathLike)):
        name = os.fspath(args[0])
        if name.endswith(AUDIO):
            _opened[-1].append(name)


@contextlib.contextmanager
def audio_opened():
    """The audio files the build process opens meanwhile, by Python or a
    library (an audit hook: hooks cannot be removed, so one is added once
    and stays idle between uses)."""
    if not getattr(audio_opened, "hooked", False):
        sys.addaudithook(_note_audio_opened)
        audio_opened.hooked = True
    seen: list[str] = []
    _opened.append(seen)
    try:
        yield seen
    finally:
        _opened.pop()


def test_a_fresh_clone_with_the_cache_restored_reads_no_file_to_hash_it(
    tmp_path, reads, ask_git_at_once
):
    """The publish workflow: a new clone of the stories (audio in LFS) and
    the cache folder restored. Every story's read, checked and made files
    are in the cache, keyed by their inputs' SHA-256, which git holds (in
    the LFS pointers, and in the cache's table of blobs): no file of the
    clone is read to hash it, and no master is opened at all. (The sample's
    recordings are small; a real master is large, and git is asked at once.)"""
    repo = lfs_repository(tmp_path / "origin")
    copy_content(repo / "content", stories=True)
    git("add", ".", cwd=repo)
    git("commit", "--quiet", "-m", "The stories", cwd=repo)
    masters = git("lfs", "ls-files", "--name-only", cwd=repo).split()
    assert len(masters) >= 5

    cache = tmp_path / "cache"
    first = clone(repo, tmp_path / "first")
    with images_shared(cache):  # the sample build's pictures and logos
        build_site(first / "content", tmp_path / "output-1", "publishconf.py", cache)
    assert any(path.endswith("story.md") for path in reads)

    git_hashes.forget()  # the next run: a new process on a new runner
    second = clone(repo, tmp_path / "second")
    with audio_opened() as opened:
        output = build_site(
            second / "content", tmp_path / "output-2", "publishconf.py", cache
        )
    assert opened == [], "the clone's masters were read again"
    assert [path for path in reads if path.startswith(str(second))] == []
    # Still the whole site, with its audio.
    assert len(list(output.glob("stories/*/index.html"))) >= 5
    assert {path.name for path in output.glob("stories/*/*.mp3")}

    # In the next clone one master is replaced (another recording of the
    # same kind): that one alone is read.
    third = clone(repo, tmp_path / "third")
    by_kind = {}
    for master in masters:
        by_kind.setdefault(pathlib.Path(master).suffix, []).append(third / master)
    replaced, recording = next(same[:2] for same in by_kind.values() if len(same) > 1)
    shutil.copy(recording, replaced)
    with audio_opened() as opened:
        build_site(third / "content", tmp_path / "output-3", "publishconf.py", cache)
    masters_read = {
        path for path in map(pathlib.Path, opened) if path.is_relative_to(third)
    }
    assert masters_read == {replaced}  # and its new renditions were made


def test_git_is_not_asked_about_a_builds_own_output(tmp_path, git_runs, reads):
    """Output files are never in git (a content repository ignores public/):
    the hashes precompress and the search take of them do not ask."""
    work = tmp_path / "work"
    work.mkdir()
    git("init", "--quiet", cwd=work)
    page = work / "public" / "index.html"
    page.parent.mkdir()
    page.write_bytes(b"<p>" * git_hashes.LARGE)
    hashes = file_hashes.FileHashes(None, outputs=True)
    assert hashes.sha256(page) == sha256(page)
    assert git_runs == [] and names(reads) == ["index.html"]
