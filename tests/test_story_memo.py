"""What plugins work out from a story is kept under the story's key
(plugins/story_pipeline/memo.py): taken back while the key is the same,
made again when it changes or the file cannot be read."""

from __future__ import annotations

import gc
import types
import weakref

from story_pipeline.memo import StoryMemo


def _story(name: str):
    record = types.SimpleNamespace(save_as=f"stories/{name}/index.html")
    return types.SimpleNamespace(story=record)


class Maker:
    def __init__(self):
        self.made = []

    def __call__(self, name: str, value: str):
        def make():
            self.made.append(name)
            return value

        return make


def _build(folder, keys: dict, values: dict, maker: Maker) -> dict:
    memo = StoryMemo(str(folder) if folder else None, keys)
    out = {
        name: memo.value("episodes", _story(name), maker(name, value))
        for name, value in values.items()
    }
    memo.save()
    return out


def _keys(**keys) -> dict:
    return {f"stories/{name}/index.html": key for name, key in keys.items()}


def test_a_value_is_kept_while_its_story_key_is_the_same(tmp_path):
    maker = Maker()
    first = _build(tmp_path, _keys(a="k1", b="k2"), {"a": "A", "b": "B"}, maker)
    assert first == {"a": "A", "b": "B"} and maker.made == ["a", "b"]
    # The same keys: nothing made, the kept values returned.
    maker.made.clear()
    again = _build(tmp_path, _keys(a="k1", b="k2"), {"a": "new", "b": "new"}, maker)
    assert again == {"a": "A", "b": "B"} and maker.made == []
    # One story's key changed: its value alone is made again.
    edited = _build(tmp_path, _keys(a="k1", b="k3"), {"a": "x", "b": "B2"}, maker)
    assert edited == {"a": "A", "b": "B2"} and maker.made == ["b"]


def test_values_no_story_used_are_not_kept(tmp_path):
    maker = Maker()
    _build(tmp_path, _keys(a="k1", b="k2"), {"a": "A", "b": "B"}, maker)
    _build(tmp_path, _keys(a="k1"), {"a": "A"}, maker)  # b taken down
    maker.made.clear()
    # b comes back with its old key: made again, not kept from before.
    _build(tmp_path, _keys(a="k1", b="k2"), {"a": "A", "b": "B"}, maker)
    assert maker.made == ["b"]


def test_a_damaged_file_is_a_miss_not_an_error(tmp_path):
    maker = Maker()
    _build(tmp_path, _keys(a="k1"), {"a": "A"}, maker)
    saved = tmp_path / "episodes.pickle"
    saved.write_bytes(saved.read_bytes()[:10])  # cut off
    maker.made.clear()
    assert _build(tmp_path, _keys(a="k1"), {"a": "A2"}, maker) == {"a": "A2"}
    assert maker.made == ["a"]
    # And it was saved whole again.
    maker.made.clear()
    assert _build(tmp_path, _keys(a="k1"), {"a": "A3"}, maker) == {"a": "A2"}


def test_without_a_cache_or_a_key_every_value_is_made(tmp_path):
    maker = Maker()
    _build(None, _keys(a="k1"), {"a": "A"}, maker)
    _build(None, _keys(a="k1"), {"a": "A"}, maker)
    _build(tmp_path, {"stories/a/index.html": None}, {"a": "A"}, maker)
    _build(tmp_path, {"stories/a/index.html": None}, {"a": "A"}, maker)
    assert maker.made == ["a", "a", "a", "a"]
    assert not (tmp_path / "episodes.pickle").exists()


class Item:
    """A value that can be watched for (a weak reference)."""

    def __init__(self, text: str):
        self.text = text

    def __eq__(self, other):
        return isinstance(other, Item) and other.text == self.text


def test_a_kind_done_is_saved_then_and_let_go(tmp_path):
    """``done``: the values are on disk at once, the memo lets them go (held
    to the end of the build they were its memory's peak), and the next
    build takes them back."""
    maker = Maker()
    memo = StoryMemo(str(tmp_path), _keys(a="k1", b="k2"))
    values = [
        memo.value("episodes", _story(name), maker(name, Item(name.upper())))
        for name in ("a", "b")
    ]
    watched = [weakref.ref(value) for value in values]
    memo.done("episodes")
    assert (tmp_path / "episodes.pickle").is_file()
    del values
    gc.collect()
    assert [ref() for ref in watched] == [None, None]
    memo.save()  # the end of the build: nothing of the kind to write again
    maker.made.clear()
    again = _build(tmp_path, _keys(a="k1", b="k2"), {"a": "x", "b": "y"}, maker)
    assert again == {"a": Item("A"), "b": Item("B")} and maker.made == []
