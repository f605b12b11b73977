"""The site's vocabulary: the words Pagefind indexes on the site's pages.

Each part of an index in parts holds a hidden page with every word of the
site (``parts.py`` says why), and a rebuild runs Pagefind for every part
when a changed page brings a word the vocabulary lacks. So the words are
read as Pagefind reads a page (its ``fossick/parser.rs``): only the text
inside the element marked ``data-pagefind-body``, without the elements it
leaves out (its built-in list, ``data-pagefind-ignore`` and the
``SITE_SEARCH_EXCLUDE_SELECTORS``). Attributes are not text: a story's
audio address in its player, which changes with the audio, is no word of
the index, and must not make a rebuild index every part again.

The words may be more than Pagefind indexes (one too many only matches the
hidden page, which the search page filters out) but never fewer: the text
is read both with tags as word breaks and as nothing, since Pagefind joins
the text around inline elements (``<em>a</em>b`` is one word)."""

from __future__ import annotations

import hashlib
import html

from selectolax.lexbor import LexborHTMLParser

from portal.parallel import MIN_ITEMS, map_in_processes

# The hidden page's folder in each part's staging copy (never in the site).
FOLDER = "_site-search-vocabulary"
# The hidden page's filter: a value of the one filter the pages' filters are
# values of (theme/templates/partials/search_fields.html), so that it adds
# no filter file of its own to each part.
FILTER = ("facet", "kind:vocabulary")
BODY = "data-pagefind-body"
# What Pagefind always leaves out of the text (REMOVE_SELECTORS in its
# parser), besides elements marked data-pagefind-ignore.
_LEFT_OUT = (
    "head, style, script, noscript, label, form, svg, footer, nav, iframe, "
    "template, [data-pagefind-ignore]"
)
# Between two text nodes: a word break in one reading, nothing in the other.
_BREAK = "\0"
# Pagefind trims these from the ends of a word before indexing it.
_EDGE_PUNCTUATION = (
    "".join(chr(code) for code in range(0x21, 0x7F) if not chr(code).isalnum())
    + "“”‘’«»…–—"
)


# Elements Pagefind reads metadata, filters and sort keys from, wherever
# they are on the page.
_MARKED = (
    "[data-pagefind-filter], [data-pagefind-meta], [data-pagefind-sort], "
    "[data-pagefind-default-meta]"
)


_MARKS = (
    "data-pagefind-filter",
    "data-pagefind-meta",
    "data-pagefind-sort",
    "data-pagefind-default-meta",
)


def _marked(element) -> str:
    """What Pagefind reads of an element it takes metadata, filters or sort
    keys from: its attributes, and its text where a key takes the text
    (``title``; not ``image:`` or ``image[src]``, whose value is written out
    or an attribute). The theme's indexed ``<main>`` carries ``image:``:
    taken whole, its every word counted, even the ones left out."""
    attributes = sorted(
        (name, value or "") for name, value in element.attributes.items()
    )
    specs = [
        part.strip()
        for name in _MARKS
        for part in (element.attributes.get(name) or "").split(",")
        if name in element.attributes
    ]
    # A key with neither ":" nor "[" takes the element's text (so does a
    # part of a value that itself held a comma: read whole, to be safe).
    if any(":" not in spec and "[" not in spec for spec in specs):
        return f"{element.tag}{attributes}{element.text(deep=True)}"
    return f"{element.tag}{attributes}"


def words_of(path: str, exclude: tuple[str, ...] = ()) -> set[str]:
    """The words Pagefind may index on the page at ``path``; ``exclude``:
    the CSS selectors it is told to leave out."""
    return read(path, exclude)[0]


def read(path: str, exclude: tuple[str, ...] = ()) -> tuple[set[str], str]:
    """The page's words (``words_of``), and a digest of everything Pagefind
    reads there: the indexed element (its text, ids, images...) without
    what Pagefind leaves out of it, and every element it takes metadata,
    filters or sort keys from, wherever it is. A page whose bytes change
    elsewhere indexes as it did, and its part need not be indexed again: a
    story page's "related stories", below its indexed article, change with
    every new story near it, and the guide's counts of answers, marked
    ``data-pagefind-ignore``, with any story."""
    with open(path, "rb") as handle:
        tree = LexborHTMLParser(handle.read())
    digest = hashlib.sha256()
    for element in tree.css(_MARKED):
        digest.update(_marked(element).encode() + b"\0")
    # Latest first (``css`` lists them in document order, whatever the
    # order of the selectors): an element inside another that is left out
    # goes before it (destroying the outer one first would free the inner).
    for element in reversed(tree.css(", ".join((_LEFT_OUT, *exclude)))):
        element.decompose()
    pieces: list[str] = []
    for body in tree.css(f"[{BODY}]"):
        digest.update(body.html.encode() + b"\0")
        for element in body.css("[data-pagefind-index-attrs]"):
            names = element.attributes.get("data-pagefind-index-attrs") or ""
            for name in names.split(","):
                pieces.append(element.attributes.get(name.strip()) or "")
        pieces.append(body.text(deep=True, separator=_BREAK, strip=False))
    text = _BREAK.join(pieces).lower()
    tokens = set(text.replace(_BREAK, " ").split())
    tokens |= set(text.replace(_BREAK, "").split())
    words = {token.strip(_EDGE_PUNCTUATION) for token in tokens}
    words.discard("")
    return words, digest.hexdigest()


def _read_batch(
    job: tuple[list[str], tuple[str, ...]],
) -> tuple[set[str], dict[str, str]]:
    paths, exclude = job
    words: set[str] = set()
    digests: dict[str, str] = {}
    for path in paths:
        found, digests[path] = read(path, exclude)
        words |= found
    return words, digests


def vocabulary(
    paths: list[str], exclude: tuple[str, ...], workers: int
) -> tuple[set[str], dict[str, str]]:
    """Every word on the pages at ``paths``, and each page's digest of what
    Pagefind reads (``read``), by path (read on every core)."""
    # Each worker returns the words of a batch of pages, not of each page:
    # 10,000 pages' sets of words, all held at once, were 1.2 GB.
    size = max(1, len(paths) // MIN_ITEMS)
    batches = [
        (paths[start : start + size], exclude) for start in range(0, len(paths), size)
    ]
    words: set[str] = set()
    digests: dict[str, str] = {}
    for found, read_digests in map_in_processes(_read_batch, batches, workers):
        words |= found
        digests.update(read_digests)
    return words, digests


def page(words: list[str]) -> str:
    """The hidden page that teaches a part every word of the site, one a
    line in the order given (the search page reads a word's place on the
    page as its place in this list: ``parts.py``)."""
    name, value = FILTER
    body = "\n".join(html.escape(word) for word in words)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Vocabulary</title></head>"
        f'<body {BODY} data-pagefind-filter="{name}:{value}">'
        f"<p>{body}</p></body></html>\n"
    )
