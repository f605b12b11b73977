"""Read back what Pagefind wrote: one fragment (JSON, gzipped) a page."""

from __future__ import annotations

import gzip
import json
import pathlib

SIGNATURE = b"pagefind_dcd"


def indexed_pages(output: pathlib.Path, bundle: str = "pagefind") -> list[dict]:
    """Every indexed page: url, content (its text), meta, filters, anchors;
    of every part when the site was indexed in parts (part-N/fragment/)."""
    pages = []
    for path in sorted((output / bundle).glob("**/fragment/*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(SIGNATURE), f"{path} is not a Pagefind fragment"
        pages.append(json.loads(data[len(SIGNATURE) :]))
    return pages


def index_text(output: pathlib.Path) -> str:
    """All text, metadata and filter values of the index, lowercased."""
    return json.dumps(indexed_pages(output)).lower()
