"""Descriptions ("show notes") as podcast apps accept them.

Apple renders a small set of tags in a description wrapped in CDATA and
rejects descriptions over 4000 bytes; other apps follow Apple. Every piece of
HTML the feed carries goes through ``clean()`` (nh3, an allow-list of
exactly those tags, absolute links only) and ``fit()`` (whole blocks up to
the limit, so a cut never leaves half a tag)."""

from __future__ import annotations

import re
import urllib.parse

import lxml.html
import markupsafe
import nh3

from portal.outputs import site_path_url

from .urls import URLError, ascii_url

APPLE_TAGS = frozenset({"p", "ol", "ul", "li", "a", "b", "i", "strong", "em"})
MAX_BYTES = 4000
ELLIPSIS = "…"
# A line break with the spaces around it (not "\s": that takes no-break spaces).
_LINE_BREAK = re.compile(r"[ \t]*[\r\n][ \t\r\n]*")


def clean(html: str, base_url: str, site_url: str | None = None) -> str:
    """``html`` with only Apple's tags, and every link absolute and ASCII.

    Relative links (``/take-part/``, ``../other-story/``) are resolved
    against ``base_url``, the page the HTML comes from; with ``site_url``, a
    site path (``/take-part/``) is the site's, under its address's own path
    (a site in a folder of its host), as podcast.yml's other paths are."""

    def absolute_links(tag: str, attribute: str, value: str) -> str | None:
        if tag != "a" or attribute != "href":
            return None  # also drops nh3's always-allowed lang and title
        value = value.strip()
        target = (site_url and site_path_url(site_url, value)) or (
            urllib.parse.urljoin(base_url, value)
        )
        if target.startswith("mailto:"):
            return target
        try:
            return ascii_url(target)
        except URLError:
            return None  # the link text stays, without a link

    cleaned = nh3.clean(
        html,
        tags=set(APPLE_TAGS),
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
        attribute_filter=absolute_links,
    )
    # A line break in HTML text is a space; apps that show the notes as text
    # would keep the story file's wrapping (links' addresses are escaped).
    return _LINE_BREAK.sub(" ", cleaned).strip()


def blocks(html: str) -> list[str]:
    """The top-level blocks of an HTML fragment that hold text, each as HTML.

    A block ``clean()`` emptied (a paragraph that held only a picture) is
    left out: apps show it as a gap in the show notes."""
    if not html.strip():
        return []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    out = []
    if root.text and root.text.strip():
        out.append(f"<p>{markupsafe.escape(root.text.strip())}</p>")
    for child in root:
        if child.text_content().strip():
            out.append(lxml.html.tostring(child, encoding="unicode", with_tail=False))
        if child.tail and child.tail.strip():
            out.append(f"<p>{markupsafe.escape(child.tail.strip())}</p>")
    return out


def size(html: str) -> int:
    return len(html.encode("utf-8"))


def fit(optional: list[str], required: list[str], limit: int = MAX_BYTES) -> str:
    """``optional`` blocks in order while they fit, then ``required`` ones.

    Blocks stay whole; the first block that does not fit is replaced by the
    start of its text, cut at a word and ending in an ellipsis, so a long
    story keeps as much of its text as the limit allows."""
    tail = "".join(required)
    room = limit - size(tail)
    if room < 0:
        raise ValueError(f"the required part is {size(tail)} bytes, over {limit}")
    kept: list[str] = []
    used = 0
    for block in optional:
        if used + size(block) > room:
            kept.append(_shortened(block, room - used))
            break
        kept.append(block)
        used += size(block)
    return "".join(kept) + tail


def _shortened(block: str, room: int) -> str:
    """As much of ``block`` as fits in ``room`` bytes: a list keeps its first
    whole items; other blocks keep the start of their text as a paragraph,
    cut at a word. Nothing when not even that fits."""
    root = lxml.html.fragment_fromstring(block, create_parent="div")
    if len(root) == 1 and root[0].tag in ("ol", "ul"):
        shortened = _first_items(root[0], room)
        if shortened:
            return shortened
    words = root.text_content().split()

    def paragraph(count: int) -> str:
        return f"<p>{markupsafe.escape(' '.join(words[:count]))}{ELLIPSIS}</p>"

    low, high = 0, len(words)  # the most words that fit, by bisection
    while low < high:
        middle = (low + high + 1) // 2
        if size(paragraph(middle)) <= room:
            low = middle
        else:
            high = middle - 1
    return paragraph(low) if low else ""


def _first_items(listing, room: int) -> str:
    tag = listing.tag
    opening, closing = f"<{tag}>", f"</{tag}>"
    kept, used = [], size(opening + closing)
    for item in listing.findall("li"):
        html = lxml.html.tostring(item, encoding="unicode", with_tail=False)
        if used + size(html) > room:
            break
        kept.append(html)
        used += size(html)
    return opening + "".join(kept) + closing if kept else ""


def plain_text(html: str) -> str:
    """``html`` (cleaned, Apple's tags) as plain text: paragraphs and list
    items on lines of their own, a link's address after its words.

    The channel ``<description>`` takes text only (the W3C feed validator
    warns on HTML there); episodes keep their HTML in CDATA."""
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for link in root.iter("a"):
        href = link.get("href")
        words = link.text_content().strip()
        if href and href.removeprefix("mailto:") != words:
            link.tail = f" ({href.removeprefix('mailto:')})" + (link.tail or "")
    paragraphs = []
    for block in root.iter("p", "li"):
        text = " ".join(block.text_content().split())
        if text:
            paragraphs.append(("- " if block.tag == "li" else "") + text)
    if not paragraphs:
        paragraphs = [" ".join(root.text_content().split())]
    return "\n\n".join(paragraphs)
