"""A file's content hash: by its bytes, remembered only while its stat holds."""

from __future__ import annotations

import hashlib
import json
import os
import shutil

import pytest

from portal import file_hashes
from portal.file_hashes import FileHashes


@pytest.fixture
def remember_at_once(monkeypatch):
    """Files made by a test are changed a moment ago; remember them anyway."""
    monkeypatch.setattr(file_hashes, "RACY_NS", 0)


def test_the_hash_is_of_the_bytes_wherever_and_whenever_the_file_is(tmp_path):
    first = tmp_path / "a.mp3"
    first.write_bytes(b"x" * 100_000)
    copy = tmp_path / "clone" / "a.mp3"
    copy.parent.mkdir()
    shutil.copyfile(first, copy)
    os.utime(copy, ns=(1, 1))
    hashes = FileHashes(tmp_path / "memo.json")
    expected = hashlib.sha256(b"x" * 100_000).hexdigest()
    assert hashes.sha256(first) == hashes.sha256(copy) == expected


def test_a_remembered_hash_is_used_while_the_stat_is_the_same(
    tmp_path, remember_at_once
):
    path = tmp_path / "a.txt"
    path.write_bytes(b"one")
    memo = tmp_path / "memo.json"
    hashes = FileHashes(memo)
    assert hashes.sha256(path) == hashlib.sha256(b"one").hexdigest()
    hashes.save()
    # The memo is trusted, not checked: a stand-in hash for the same stat
    # comes back without the file being read (in a process that never saw it).
    saved = json.loads(memo.read_text())
    [(real, (stat, saved_hash))] = saved.items()
    assert saved_hash == hashlib.sha256(b"one").hexdigest()
    assert real == os.path.realpath(path)
    file_hashes._known.clear()
    memo.write_text(json.dumps({real: [stat, "stand-in"]}))
    assert FileHashes(memo).sha256(path) == "stand-in"


def test_a_rewritten_file_is_hashed_again_even_with_its_old_size_and_mtime(
    tmp_path, remember_at_once
):
    path = tmp_path / "a.txt"
    path.write_bytes(b"one")
    old = path.stat()
    hashes = FileHashes(tmp_path / "memo.json")
    hashes.sha256(path)
    hashes.save()
    path.write_bytes(b"two")  # same size, same inode
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))  # and the old mtime
    assert FileHashes(tmp_path / "memo.json").sha256(path) == (
        hashlib.sha256(b"two").hexdigest()
    )


def test_settled_looks_each_file_up_once_and_only_inside(tmp_path, monkeypatch):
    path = tmp_path / "page.html"
    path.write_bytes(b"one")
    hashes = FileHashes(tmp_path / "memo.json", outputs=True)
    stats = []
    real_stat = os.stat
    monkeypatch.setattr(
        file_hashes.os, "stat", lambda p, *a, **k: stats.append(p) or real_stat(p)
    )
    with hashes.settled():
        first = hashes.sha256(str(path))
        path.write_bytes(b"two")  # a writer the caller promised there is not
        assert hashes.sha256(str(path)) == first  # not looked up again
    assert stats.count(str(path)) == 1
    # Outside it, every look-up checks the file as before.
    assert hashes.sha256(str(path)) == hashlib.sha256(b"two").hexdigest()
    assert stats.count(str(path)) == 2


def test_remembered_answers_from_the_memo_and_never_reads_the_file(
    tmp_path, remember_at_once, monkeypatch
):
    path = tmp_path / "a.txt"
    path.write_bytes(b"one")
    memo = tmp_path / "memo.json"
    read = []
    hash_bytes = file_hashes.sha256_of
    monkeypatch.setattr(
        file_hashes, "sha256_of", lambda p: read.append(p) or hash_bytes(p)
    )
    one = hashlib.sha256(b"one").hexdigest()
    hashes = FileHashes(memo)
    assert hashes.remembered(path) is None
    assert read == []
    assert hashes.sha256(path) == one
    assert hashes.remembered(path) == one
    assert len(read) == 1
    hashes.save()
    # Another process: the memo file answers, and what it answered is kept.
    file_hashes._known.clear()
    again = FileHashes(memo)
    assert again.remembered(path) == one
    again.save()
    assert os.path.realpath(path) in json.loads(memo.read_text())
    # A changed file is not remembered, and still not read.
    path.write_bytes(b"two!")
    assert FileHashes(memo).remembered(path) is None
    assert len(read) == 1


def test_a_file_changed_a_moment_ago_is_not_remembered(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"one")
    memo = tmp_path / "memo.json"
    hashes = FileHashes(memo)
    assert hashes.sha256(path) == hashlib.sha256(b"one").hexdigest()
    hashes.save()
    # Its next write could fall in the same clock tick and keep its stat.
    assert not memo.exists() or os.path.realpath(path) not in json.loads(
        memo.read_text()
    )


def test_the_memo_holds_only_the_files_of_the_last_build(tmp_path, remember_at_once):
    kept, gone = tmp_path / "kept.txt", tmp_path / "gone.txt"
    kept.write_bytes(b"kept")
    gone.write_bytes(b"gone")
    memo = tmp_path / "memo.json"
    hashes = FileHashes(memo)
    hashes.sha256(kept)
    hashes.sha256(gone)
    hashes.save()
    assert len(json.loads(memo.read_text())) == 2
    again = FileHashes(memo)
    again.sha256(kept)
    again.save()
    assert list(json.loads(memo.read_text())) == [os.path.realpath(kept)]
    # The same files looked up again, twice over: the memo is left as it is.
    written = memo.stat()
    third = FileHashes(memo)
    third.sha256(kept)
    third.sha256(kept)
    third.save()
    assert (memo.stat().st_ino, memo.stat().st_mtime_ns) == (
        written.st_ino,
        written.st_mtime_ns,
    )
    # The file changed: its new hash replaces the old in the memo.
    kept.write_bytes(b"kept, then edited")
    fourth = FileHashes(memo)
    assert fourth.sha256(kept) == hashlib.sha256(b"kept, then edited").hexdigest()
    fourth.save()
    [[_, saved]] = json.loads(memo.read_text()).values()
    assert saved == hashlib.sha256(b"kept, then edited").hexdigest()


def test_an_unreadable_memo_is_ignored_with_a_warning(tmp_path, caplog):
    memo = tmp_path / "memo.json"
    memo.write_text("{not json")
    path = tmp_path / "a.txt"
    path.write_bytes(b"one")
    assert FileHashes(memo).sha256(path) == hashlib.sha256(b"one").hexdigest()
    assert "unreadable file hashes" in caplog.text


def test_a_seeded_memo_serves_every_hasher_while_the_stat_holds(
    tmp_path, remember_at_once, monkeypatch
):
    """The command starting a build hashes the content (to know whether to
    build); the build takes its memo in and reads no file again to hash it."""
    path = tmp_path / "a.mp3"
    path.write_bytes(b"one")
    memo = tmp_path / "build_inputs_hashes.json"
    hashes = FileHashes(memo)
    hashes.sha256(path)
    hashes.save()
    [(real, (stat, _))] = json.loads(memo.read_text()).items()
    memo.write_text(json.dumps({real: [stat, "stand-in"]}))
    file_hashes._known.clear()
    monkeypatch.setattr(file_hashes, "SEED_AFTER_BYTES", 0)  # read at once
    file_hashes.seed(memo)
    assert FileHashes(tmp_path / "another-memo.json").sha256(path) == "stand-in"
    path.write_bytes(b"two")  # the stat changes: the seed no longer holds
    assert FileHashes(None).sha256(path) == hashlib.sha256(b"two").hexdigest()
    file_hashes.seed(tmp_path / "missing.json")
    path.write_bytes(b"three")
    assert FileHashes(None).sha256(path) == hashlib.sha256(b"three").hexdigest()


def test_a_seed_is_read_only_when_the_builds_own_memos_cannot_answer(
    tmp_path, monkeypatch, remember_at_once
):
    """A build that finds nothing changed has every hash in its own memo
    files: the seed (every content file of the site, 6 MB at 10,000
    stories) is not read at all, nor for a few small files they do not know
    (hashing them costs less). Once the files hashed so add up to more than
    reading the seed costs (a fresh clone's audio masters), it is read, once."""
    monkeypatch.setattr(file_hashes, "SEED_AFTER_BYTES", 100_000)
    known, small = tmp_path / "story.md", tmp_path / "edited.md"
    new = tmp_path / "new.mp3"
    known.write_bytes(b"unchanged")
    small.write_bytes(b"edited since the last build")
    new.write_bytes(b"a master added since the last build" * 3000)
    memo, seed = tmp_path / "keys.json", tmp_path / "build_inputs_hashes.json"
    hashes = FileHashes(memo)
    hashes.sha256(known)
    hashes.save()
    before = FileHashes(seed)
    for path in (known, small, new):
        before.sha256(path)
    before.save()
    entries = json.loads(seed.read_text())
    stand_ins = {
        path: [stat, f"told by the seed for {os.path.basename(path)}"]
        for path, (stat, _) in entries.items()
    }
    seed.write_text(json.dumps(stand_ins))
    file_hashes._known.clear()
    reads = []
    real_load = file_hashes.cache_json.load
    monkeypatch.setattr(
        file_hashes.cache_json,
        "load",
        lambda path: reads.append(os.fspath(path)) or real_load(path),
    )
    file_hashes.seed(seed)
    build = FileHashes(memo)
    assert build.sha256(known) == hashlib.sha256(b"unchanged").hexdigest()
    assert build.sha256(small) == (
        hashlib.sha256(b"edited since the last build").hexdigest()
    )
    assert str(seed) not in reads
    assert build.sha256(new) == "told by the seed for new.mp3"
    assert build.sha256(new) == "told by the seed for new.mp3"
    assert reads.count(str(seed)) == 1


def test_files_given_again_by_every_build_stay_out_of_memo_files(
    tmp_path, remember_at_once
):
    """The story pipeline tells every build the hash of each file it links
    from its cache: memo files do not keep those (they would hold most of a
    large site), but answer from what it told, without reading the file."""
    linked, written = tmp_path / "linked.html", tmp_path / "written.html"
    linked.write_bytes(b"linked from the cache")
    written.write_bytes(b"written by the build")
    told = "0" * 64  # not its bytes' hash: shows the file was not read
    memo = tmp_path / "memo.json"
    hashes = FileHashes(memo)
    hashes.sha256(linked)  # a memo made before the pipeline linked it
    hashes.save()
    assert os.path.realpath(linked) in json.loads(memo.read_text())

    file_hashes.remember(linked, told, every_build=True)
    hashes = FileHashes(memo)
    assert hashes.sha256(linked) == told
    assert hashes.sha256(written) == hashlib.sha256(b"written by the build").hexdigest()
    hashes.save()
    assert list(json.loads(memo.read_text())) == [os.path.realpath(written)]
    # Once the file changes, what was told no longer holds: in the next
    # build (in this one, what it was told is taken without a stat: below).
    linked.write_bytes(b"rewritten in place")
    file_hashes.new_build()
    again = FileHashes(memo)
    assert again.sha256(linked) == hashlib.sha256(b"rewritten in place").hexdigest()
    again.save()
    assert os.path.realpath(linked) in json.loads(memo.read_text())


def test_a_file_given_in_this_build_is_not_looked_at_again_until_the_next(
    tmp_path, monkeypatch
):
    """The story pipeline gives the hash of every file it puts in place, from
    a stat of this build, and nothing writes them again before the build
    ends: pre-compression and the search take the hash without a stat (at
    10,000 stories 70,000 of them). The next build looks at each again until
    it is given again."""
    page = tmp_path / "page.html"
    page.write_bytes(b"the story's page")
    digest = hashlib.sha256(b"the story's page").hexdigest()
    file_hashes.new_build()
    file_hashes.remember(page, digest, every_build=True, stat=os.stat(page))
    stats = []
    real_stat = os.stat
    monkeypatch.setattr(
        file_hashes.os, "stat", lambda p, *a, **k: stats.append(p) or real_stat(p)
    )
    hashes = FileHashes(tmp_path / "memo.json", outputs=True)
    assert hashes.sha256_and_size(page) == (digest, len(b"the story's page"))
    assert str(page) not in map(str, stats)
    hashes.save()
    assert not (tmp_path / "memo.json").exists() or str(page) not in json.loads(
        (tmp_path / "memo.json").read_text()
    )

    # The next build: the page is looked at, and its new bytes hashed.
    page.write_bytes(b"the story's page, edited")
    file_hashes.new_build()
    hashes = FileHashes(tmp_path / "memo.json", outputs=True)
    assert (
        hashes.sha256(page) == hashlib.sha256(b"the story's page, edited").hexdigest()
    )
    assert list(map(str, stats)).count(str(page)) == 1


def test_a_file_in_the_builds_snapshot_is_not_looked_at_again_until_the_next(
    tmp_path, monkeypatch, remember_at_once
):
    """A build hashes its story files first (the story keys' snapshot); the
    reader's cache, the transcripts, the audio and the renditions then take
    each hash from there without a stat, and get the bytes the build's keys
    name even when the file changes meanwhile. Each memo file still keeps
    what it looked up, so another process finds it there."""
    story = tmp_path / "story.md"
    story.write_bytes(b"as the build started")
    first = hashlib.sha256(b"as the build started").hexdigest()
    file_hashes.new_snapshot()
    assert FileHashes(tmp_path / "keys.json").sha256(story, snapshot=True) == first

    stats = []
    real_stat = os.stat
    monkeypatch.setattr(
        file_hashes.os, "stat", lambda p, *a, **k: stats.append(p) or real_stat(p)
    )
    story.write_bytes(b"saved by an editor while the build runs")
    reader = FileHashes(tmp_path / "reader.json")
    assert reader.sha256(story) == first
    assert reader.sha256_and_size(story) == (first, len(b"as the build started"))
    assert reader.remembered(story) == first
    assert str(story) not in map(str, stats)
    reader.save()
    assert os.path.realpath(story) in json.loads((tmp_path / "reader.json").read_text())

    # The build ends (or the next one starts): the file is looked at again.
    file_hashes.new_snapshot()
    edited = hashlib.sha256(b"saved by an editor while the build runs").hexdigest()
    assert FileHashes(tmp_path / "reader.json").sha256(story) == edited
    assert list(map(str, stats)).count(str(story)) == 1


def test_a_file_changed_a_moment_before_the_snapshot_leaves_every_memo(tmp_path):
    """Racing writes: a file hashed within a moment of its last change is in
    the build's snapshot, but no memo file keeps it (its stat could stay the
    same through another change)."""
    story = tmp_path / "story.md"
    story.write_bytes(b"just saved")
    file_hashes.new_snapshot()
    keys = FileHashes(tmp_path / "keys.json")
    digest = keys.sha256(story, snapshot=True)
    reader = FileHashes(tmp_path / "reader.json")
    assert reader.sha256(story) == digest == hashlib.sha256(b"just saved").hexdigest()
    keys.save()
    reader.save()
    for memo in ("keys.json", "reader.json"):
        assert not (tmp_path / memo).exists() or (
            os.path.realpath(story) not in json.loads((tmp_path / memo).read_text())
        )
    file_hashes.new_snapshot()
