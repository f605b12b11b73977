"""The reader cache's file format (portal/sharded_pickle.py): a save after
one change pickles that entry's shard again and writes the others back as
they were read; anything but a whole file of this format is unreadable."""

from __future__ import annotations

import gzip
import pickle

import pytest

from portal.sharded_pickle import (
    SHARDS,
    EarlierFormat,
    ShardedPickle,
    UnreadableStore,
    shard_of,
)

ENTRIES = {f"/content/stories/story-{n}/story.md": ("stamp", n) for n in range(300)}


def _shards(path) -> dict[int, bytes]:
    with open(path, "rb") as handle:
        return pickle.load(handle)["shards"]


def _saved(path, entries=ENTRIES, compress=True) -> None:
    store = ShardedPickle(compress)
    for key in entries:
        store.changed(key)
    store.save(path, entries)


def test_what_is_saved_is_loaded(tmp_path):
    path = tmp_path / "cache"
    _saved(path)
    assert ShardedPickle(True).load(path) == ENTRIES
    assert len(_shards(path)) == SHARDS  # 300 keys fill every shard


def test_a_save_after_one_change_pickles_only_its_shard_again(tmp_path):
    path = tmp_path / "cache"
    _saved(path)
    before = _shards(path)
    store = ShardedPickle(True)
    entries = store.load(path)
    key = "/content/stories/story-7/story.md"
    entries[key] = ("new stamp", "edited")
    store.changed(key)
    store.save(path, entries)
    after = _shards(path)
    assert {s for s in after if after[s] != before[s]} == {shard_of(key)}
    assert ShardedPickle(True).load(path)[key] == ("new stamp", "edited")


def test_a_store_with_nothing_changed_says_so(tmp_path):
    path = tmp_path / "cache"
    _saved(path)
    store = ShardedPickle(True)
    store.load(path)
    assert not store.has_changes
    store.changed("/content/stories/new/story.md")
    assert store.has_changes


def test_a_change_of_compression_writes_every_shard_the_new_way(tmp_path):
    path = tmp_path / "cache"
    _saved(path, compress=True)
    store = ShardedPickle(False)
    entries = store.load(path)
    assert store.has_changes
    store.save(path, entries)
    shards = _shards(path)
    assert all(pickle.loads(data) for data in shards.values())  # not zlib
    assert ShardedPickle(False).load(path) == ENTRIES


@pytest.mark.parametrize(
    "damage",
    [lambda data: data[: len(data) // 2], lambda data: b""],
    ids=["cut-off", "empty"],
)
def test_anything_but_a_whole_store_is_unreadable(tmp_path, damage):
    path = tmp_path / "cache"
    _saved(path)
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(UnreadableStore) as raised:
        ShardedPickle(True).load(path)
    assert not isinstance(raised.value, EarlierFormat)


@pytest.mark.parametrize(
    "earlier",
    [lambda: gzip.compress(pickle.dumps(ENTRIES)), lambda: pickle.dumps(ENTRIES)],
    ids=["pelican-gzipped", "plain-pickle"],
)
def test_a_cache_of_an_earlier_format_is_told_apart(tmp_path, earlier):
    """Pelican's own cache file (as this project kept it before) is whole,
    just another format: the build says so and reads every file again,
    with no warning of damage."""
    path = tmp_path / "cache"
    path.write_bytes(earlier())
    with pytest.raises(EarlierFormat):
        ShardedPickle(True).load(path)


def test_a_damaged_shard_is_unreadable(tmp_path):
    path = tmp_path / "cache"
    _saved(path)
    saved = pickle.loads(path.read_bytes())
    saved["shards"][3] = saved["shards"][3][:10]
    path.write_bytes(pickle.dumps(saved))
    with pytest.raises(UnreadableStore, match="shard 3"):
        ShardedPickle(True).load(path)


def test_shards_do_not_depend_on_the_process():
    # Python's hash() of a string changes with each run; the shard must not:
    # these are BLAKE2b's, worked out once.
    assert shard_of("/content/stories/story-1/story.md") == 34
    assert shard_of("a") == 14
    assert {shard_of(key) for key in ENTRIES} == set(range(SHARDS))
