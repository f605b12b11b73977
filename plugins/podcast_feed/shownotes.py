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


# Python-Markdown's link from a footnote back to its mark.
BACKLINK = "\u21a9"
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Sentence ends: a table's next cell follows these with a space alone.
_ENDS_SENTENCE = (".", "?", "!", ":", ";", "…")


def readable(html: str) -> str:
    """The story's HTML in shapes Apple's few tags can show, before
    ``clean()``, which would strip the rest and run its text together
    ("A heading We met", "Question Who answered Where...", "diner.1 It"):

    - a heading is a paragraph in bold;
    - a table is a list, a row an item: "Question: Where did you grow up?
      Who answered: Ada" (each cell after its column's heading, if any);
    - a definition list's term is a bold paragraph, its definition another;
    - a quotation's paragraphs are in italics;
    - preformatted text is a paragraph;
    - a footnote mark is "[1]" in the text, and the footnotes, from
      Markdown's list at the end, paragraphs "[1] The note." after the
      story, without the links back (they lead into the web page).
    """
    if not html.strip():
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    _footnotes(root)
    for heading in list(root.iter(*HEADINGS)):
        _bold_paragraph(heading)
    for table in list(root.iter("table")):
        _table_as_list(table)
    for listing in list(root.iter("dl")):
        for part in listing:
            if part.tag == "dt":
                _bold_paragraph(part)
            elif part.tag == "dd":
                part.tag = "p" if not _has_blocks(part) else "div"
        listing.drop_tag()
    for quote in list(root.iter("blockquote")):
        # Set off as on the page: in italics (apps show no indent).
        for paragraph in quote.iter("p"):
            _wrap_content(paragraph, "em")
    for pre in list(root.iter("pre")):
        pre.tag = "p"
        _strip_end(pre[-1] if len(pre) else pre)
    return "".join(
        [markupsafe.escape(root.text or "")]
        + [lxml.html.tostring(child, encoding="unicode") for child in root]
    )


def _bold_paragraph(element) -> None:
    """``element`` as <p><strong>its content</strong></p>, in place."""
    _wrap_content(element, "strong")
    element.tag = "p"
    element.attrib.clear()


def _wrap_content(element, tag: str) -> None:
    """All of ``element``'s content inside one new ``tag`` element."""
    wrapper = lxml.html.Element(tag)
    wrapper.text, element.text = element.text, None
    for child in list(element):
        wrapper.append(child)  # moves it, with its tail
    element.append(wrapper)


def _has_blocks(element) -> bool:
    return any(child.tag in ("p", "ul", "ol", "div", "pre") for child in element)


def _cell_text(cell) -> str:
    return " ".join(cell.text_content().split())


def _table_as_list(table) -> None:
    rows = [row for row in table.iter("tr")]
    heads = []
    if rows and all(cell.tag == "th" for cell in rows[0]):
        heads = [_cell_text(cell) for cell in rows[0]]
        rows = rows[1:]
    listing = lxml.html.Element("ul")
    for row in rows:
        parts = []
        cells = [cell for cell in row if cell.tag in ("td", "th")]
        for index, cell in enumerate(cells):
            text = _cell_text(cell)
            if not text:
                continue
            head = heads[index] if index < len(heads) else ""
            parts.append(f"{head}: {text}" if head else text)
        if not parts:
            continue
        line = parts[0]
        for part in parts[1:]:
            line += (" " if line.endswith(_ENDS_SENTENCE) else "; ") + part
        item = lxml.html.Element("li")
        item.text = line
        listing.append(item)
    listing.tail = table.tail
    table.getparent().replace(table, listing)


def _footnotes(root) -> None:
    """Python-Markdown's footnotes (``<sup><a href="#fn:1">1</a></sup>`` in
    the text, an ``<ol>`` of ``<li id="fn:1">`` at the end, after an
    ``<hr>``; the story reader prefixes the ids) as plain text."""
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    notes = {}
    for mark in list(root.iter("sup")):
        links = mark.findall("a")
        href = (links[0].get("href") or "") if len(links) == 1 else ""
        target = by_id.get(href[1:]) if href.startswith("#") else None
        if target is None or target.tag != "li":
            continue
        number = _cell_text(mark)
        notes.setdefault(target, number)
        _replace_with_text(mark, f"[{number}]")
    for listing in {note.getparent() for note in notes}:
        previous = listing.getprevious()
        if previous is not None and previous.tag == "hr":
            previous.drop_tree()
        paragraphs = []
        # Every note of the list, in order; one no mark points to keeps
        # the number of its place.
        for place, note in enumerate(listing.findall("li"), start=1):
            for back in list(note.iter("a")):
                # The link back into the web page (to the mark, or to a
                # mark that is not there: Markdown's arrow).
                href = back.get("href") or ""
                target = by_id.get(href.removeprefix("#"))
                if href.startswith("#") and (
                    (target is not None and target.tag == "sup")
                    or back.text_content().strip() == BACKLINK
                ):
                    back.drop_tree()
            parts = [child for child in note if child.tag == "p"] or [note]
            for index, part in enumerate(parts):
                paragraph = lxml.html.Element("p")
                paragraph.text = part.text
                for child in list(part):
                    if child.tag != "p":
                        paragraph.append(child)
                if index == 0:
                    paragraph.text = (
                        f"[{notes.get(note, place)}] " + (paragraph.text or "").lstrip()
                    )
                _strip_end(paragraph)
                paragraphs.append(paragraph)
        parent = listing.getparent()
        at = parent.index(listing)
        for offset, paragraph in enumerate(paragraphs):
            parent.insert(at + offset, paragraph)
        listing.drop_tree()


def _strip_end(element) -> None:
    """No space (the no-break space before a link back) at its end."""
    if len(element):
        element[-1].tail = (element[-1].tail or "").rstrip() or None
    else:
        element.text = (element.text or "").rstrip()


def _replace_with_text(element, text: str) -> None:
    """``element`` replaced by ``text``, its tail kept."""
    parent = element.getparent()
    addition = text + (element.tail or "")
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + addition
    else:
        parent.text = (parent.text or "") + addition
    parent.remove(element)


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
