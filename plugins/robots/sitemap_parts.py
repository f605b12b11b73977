"""A sitemap too large for one file, as a sitemap index and its parts.

The sitemap protocol takes at most 50,000 URLs and 50 MB (uncompressed) a
file; search engines ignore a larger one. pelican-sitemap writes one file
whatever the site's size: 10,000 stories make some 20,000 URLs (story pages
and every listing page), so a campaign passes the limit at about 25,000.

When ``sitemap.xml`` holds more than ``SITEMAP_MOST_URLS`` URLs (or more
bytes than the protocol allows), its entries are written, in order, to
``sitemap-1.xml``, ``sitemap-2.xml``... and ``sitemap.xml`` becomes the
index of them (``<sitemapindex>``), each part with the newest ``lastmod`` of
its URLs. robots.txt keeps pointing at ``sitemap.xml``, which search engines
read as an index as readily as a sitemap."""

from __future__ import annotations

import datetime
import glob
import os
import re

from lxml import etree

from portal.writing import write_if_changed

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
MOST_URLS = 50_000  # the protocol's limit
MOST_BYTES = 50 * 1024 * 1024  # likewise, uncompressed
PART_NAME = "sitemap-{}.xml"
_PART = re.compile(r"^sitemap-\d+\.xml$")


def most_urls(settings) -> int:
    value = settings.get("SITEMAP_MOST_URLS", MOST_URLS)
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 1 <= value <= MOST_URLS
    ):
        raise ValueError(
            f"SITEMAP_MOST_URLS must be a whole number from 1 to {MOST_URLS}, "
            f"not {value!r}"
        )
    return value


def split_sitemap(output: str, site_url: str, limit: int) -> int:
    """Split ``output``'s sitemap.xml into parts of at most ``limit`` URLs
    when it has more (or is over the protocol's size); the number of parts
    written (0: one file was enough). Parts an earlier build wrote into the
    same folder that this one does not are removed."""
    path = os.path.join(output, "sitemap.xml")
    written: set[str] = set()
    try:
        if os.path.isfile(path):
            written = _split(path, site_url, limit)
    finally:
        for stale in glob.glob(os.path.join(glob.escape(output), "sitemap-*.xml")):
            name = os.path.basename(stale)
            if _PART.match(name) and name not in written:
                os.remove(stale)
    return len(written)


def _split(path: str, site_url: str, limit: int) -> set[str]:
    with open(path, "rb") as handle:
        data = handle.read()
    if data.count(b"<url>") <= limit and len(data) <= MOST_BYTES:
        return set()  # the usual case, told without parsing 20,000 entries
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False))
    if root.tag != f"{{{NAMESPACE}}}urlset":
        return set()
    urls = list(root)
    if len(urls) <= limit and len(data) <= MOST_BYTES:
        return set()
    parts: list[list] = [[]]
    size = 0
    for url in urls:
        entry = len(etree.tostring(url))
        # Room for the urlset's own tags in every part.
        if parts[-1] and (len(parts[-1]) >= limit or size + entry > MOST_BYTES - 4096):
            parts.append([])
            size = 0
        parts[-1].append(url)
        size += entry
    index = etree.Element(f"{{{NAMESPACE}}}sitemapindex", nsmap={None: NAMESPACE})
    names = set()
    for number, part in enumerate(parts, start=1):
        name = PART_NAME.format(number)
        names.add(name)
        urlset = etree.Element(root.tag, nsmap=root.nsmap)
        urlset.extend(part)
        write_if_changed(os.path.join(os.path.dirname(path), name), _xml(urlset))
        sitemap = etree.SubElement(index, f"{{{NAMESPACE}}}sitemap")
        etree.SubElement(
            sitemap, f"{{{NAMESPACE}}}loc"
        ).text = f"{site_url.rstrip('/')}/{name}"
        dates = [d for d in (u.findtext(f"{{{NAMESPACE}}}lastmod") for u in part) if d]
        if dates:
            etree.SubElement(sitemap, f"{{{NAMESPACE}}}lastmod").text = max(
                dates, key=_instant
            )
    write_if_changed(path, _xml(index))
    return names


def _instant(w3c: str) -> float:
    """A W3C datetime ("2024-09-14T10:00:00-04:00", or a bare day) as a
    number to compare: offsets differ across summer time."""
    when = datetime.datetime.fromisoformat(w3c.strip())
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return when.timestamp()


def _xml(root) -> str:
    return etree.tostring(
        root, xml_declaration=True, encoding="utf-8", pretty_print=True
    ).decode("utf-8")
