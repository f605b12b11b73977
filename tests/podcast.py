"""Helpers for the podcast tests: read a built feed, map its URLs to files."""

from __future__ import annotations

import pathlib
import urllib.parse

from lxml import etree

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
}
DEV_BASE = "http://localhost:8000"


def feed_xml(output: pathlib.Path) -> etree._Element:
    """The root <rss> element of the feed in a built site."""
    parser = etree.XMLParser(strip_cdata=False, resolve_entities=False)
    return etree.fromstring((output / "podcast.xml").read_bytes(), parser)


def channel(output: pathlib.Path) -> etree._Element:
    return feed_xml(output).find("channel")


def items(output: pathlib.Path) -> list[etree._Element]:
    return channel(output).findall("item")


def item_by_guid(output: pathlib.Path, guid: str) -> etree._Element:
    for item in items(output):
        if item.findtext("guid") == guid:
            return item
    raise AssertionError(f"no item with guid {guid}")


def local_file(output: pathlib.Path, url: str, base: str = DEV_BASE) -> pathlib.Path:
    """The file in ``output`` that an absolute feed URL under ``base`` names."""
    assert url.startswith(base + "/"), f"{url} is not under {base}"
    path = urllib.parse.unquote(url[len(base) + 1 :])
    return output / path


def every_url(root: etree._Element) -> list[str]:
    """Every URL the feed carries: links, attributes that hold URLs, hrefs in
    descriptions."""
    urls = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in ("url", "href", "img"):
            if name in element.attrib:
                urls.append(element.attrib[name])
        if (
            etree.QName(element).localname in ("link", "url")
            and element.text
            and element.getparent().tag in ("channel", "item", "image")
        ):
            urls.append(element.text.strip())
        if element.tag == "description" and element.text:
            html = etree.fromstring(f"<div>{element.text}</div>", etree.HTMLParser())
            urls += html.xpath("//a/@href")
    return urls
