"""benchmarks/search_cost.py counts what a search fetches from the search
bundle: on the sample site (one index, no parts), one of each file a search
needs, and the bytes they hold."""

from __future__ import annotations

import json
import sys

from tests.support import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))

import search_cost

# The sample site's URLs are relative: any address serves it.
ADDRESS = "https://search-cost.example"


def test_a_search_on_one_index_fetches_one_of_each(browser, sample_site):
    assert json.loads((sample_site / "pagefind" / "parts.json").read_text()) == {
        "main": "",
        "merge": [],
    }
    (result,) = search_cost.measure(browser, sample_site, ADDRESS, ["grew"])
    assert result["parts"] == 1
    kinds = result["by_kind"]
    # One index: one entry, one metadata file, one chunk of the index, and
    # one file of filters (every filter is a value of one Pagefind filter).
    for kind in ("pagefind-entry.json", "pf_meta", "pf_index", "pf_filter"):
        assert kinds[kind][0] == 1, (kind, kinds)
    assert kinds["pf_fragment"][0] >= 1  # a fragment a result shown
    assert kinds["script and WebAssembly"][0] >= 2
    assert result["requests"] == sum(count for count, _ in kinds.values())
    assert result["bytes"] == sum(size for _, size in kinds.values())
    fragments = list((sample_site / "pagefind" / "fragment").iterdir())
    assert 0 < kinds["pf_fragment"][1] <= sum(f.stat().st_size for f in fragments)
