"""The cache's JSON (portal/cache_json.py): what the keys are hashed from and
the cache's files are written with must say the same as the standard
library's JSON about the same values, or a key could stay the same when
what it keys changed."""

import datetime
import json
from typing import NamedTuple

import pytest

from portal import cache_json
from portal.build_inputs import content_hash


class Mark(NamedTuple):
    start: float
    title: str


VALUES = [
    {"b": [1, 2.5, None, True], "a": "Café ☕"},
    [Mark(1.5, "Why we came"), (Mark(0, "Hello"),), {"nested": Mark(2, "x")}],
    {3: "three", "4": "four"},
    'a "quoted" line\nwith\ttabs',
    [],
]


@pytest.mark.parametrize("value", VALUES)
def test_it_writes_the_values_json_writes(value):
    ours = cache_json.loads(cache_json.dumps(value))
    assert ours == json.loads(json.dumps(value))


def test_sorted_keys_and_the_default():
    data = {"b": 1, "a": {"d": 2, "c": datetime.date(2020, 3, 4)}}
    assert cache_json.dumps(data, sort_keys=True, default=str) == (
        b'{"a":{"c":"2020-03-04","d":2},"b":1}'
    )
    with pytest.raises(TypeError):
        cache_json.dumps({"x": object()})
    assert cache_json.dumps({"x": {1}}, default=str) == b'{"x":"{1}"}'


def test_bad_json_is_a_value_error(tmp_path):
    broken = tmp_path / "cache.json"
    broken.write_text('{"cut off', encoding="utf-8")
    with pytest.raises(ValueError):
        cache_json.load(broken)
    with pytest.raises(OSError):
        cache_json.load(tmp_path / "missing.json")
    good = tmp_path / "good.json"
    good.write_bytes(cache_json.dumps({"x": [1]}))
    assert cache_json.load(good) == {"x": [1]}


def test_keys_follow_the_content():
    """A named tuple keys as its fields; any change of a field, a new key."""
    first = content_hash([Mark(1.5, "Why we came")], "story")
    assert first == content_hash([[1.5, "Why we came"]], "story")
    assert first != content_hash([Mark(1.5, "Why we left")], "story")
    assert first != content_hash([Mark(1.5, "Why we came")], "other")
    # Parts are hashed apart: moving text between them is a new key.
    assert content_hash("ab", "c") != content_hash("a", "bc")
