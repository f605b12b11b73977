"""Valid and whole: every internal reference resolves, builds are
reproducible, and every page passes html-validate."""

from __future__ import annotations

import gzip
import json
import pathlib
import shutil
import subprocess
import urllib.parse

import cbor2
import lxml.html
import pytest

from portal import form_inbox
from tests.stories import output_files
from tests.support import CONTENT, PROJECT_ROOT, build_site

# pelicanconf.py's SITE_ABSOLUTE_URL: absolute links to it are our own.
OWN_ORIGINS = {"http://localhost:8000"}
URL_ATTRIBUTES = ("href", "src", "poster", "action", "data")
META_URLS = {"og:image", "og:url", "og:audio", "twitter:image", "twitter:player"}


def references(root) -> list[str]:
    """Every URL a page points at (links, assets, srcset, data-*url, meta)."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name in URL_ATTRIBUTES or (
                name.startswith("data-") and name.endswith("url")
            ):
                found.append(value)
            elif name in ("srcset", "imagesrcset"):
                found += [part.split()[0] for part in value.split(",") if part.strip()]
        if element.tag == "meta" and (
            element.get("property") in META_URLS or element.get("name") in META_URLS
        ):
            found.append(element.get("content", ""))
    return [value.strip() for value in found if value.strip()]


def target_file(output: pathlib.Path, page_url: str, reference: str):
    """The output file ``reference`` names, or None if it is not ours."""
    absolute = urllib.parse.urljoin(page_url, reference)
    parts = urllib.parse.urlsplit(absolute)
    if f"{parts.scheme}://{parts.netloc}" not in OWN_ORIGINS:
        return None
    if form_inbox.PATH.match(parts.path):
        return None  # answered by the development server, not a file
    path = urllib.parse.unquote(parts.path).lstrip("/")
    target = output / path
    if path == "" or path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def broken_references(output: pathlib.Path) -> list[str]:
    broken = []
    for page in sorted(output.rglob("*.html")):
        relative = page.relative_to(output).as_posix()
        page_url = "http://localhost:8000/" + relative
        root = lxml.html.parse(str(page)).getroot()
        for reference in references(root):
            target = target_file(output, page_url, reference)
            if target is not None and not target.is_file():
                broken.append(f"{relative}: {reference}")
    return broken


def test_every_internal_link_and_asset_resolves(sample_site):
    assert not broken_references(sample_site)


def test_link_checker_finds_a_broken_link(tmp_path):
    site = tmp_path / "site"
    (site / "theme").mkdir(parents=True)
    (site / "theme" / "a.css").write_text("")
    (site / "index.html").write_text(
        '<link rel="stylesheet" href="theme/a.css"><a href="gone/">x</a>'
        '<img srcset="theme/a.css 1x, missing.png 2x" alt="">'
        '<a href="https://example.org/elsewhere">x</a>'
        '<form action="/_forms/updates" method="post"></form>'
    )
    assert broken_references(site) == ["index.html: gone/", "index.html: missing.png"]


PAGEFIND_HASHED = ("pagefind/filter/", "pagefind/pagefind.", "pagefind/pagefind-entry")


def pagefind_filters(output: pathlib.Path) -> dict:
    """Pagefind's filters, decoded: {filter: {value: sorted pages}}."""
    found = {}
    for path in sorted((output / "pagefind" / "filter").glob("*.pf_filter")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        name, values = cbor2.loads(data[len(b"pagefind_dcd") :])
        found[name] = {value: sorted(pages) for value, pages in values}
    return found


def test_two_builds_are_byte_identical(sample_site, tmp_path):
    # The session's sample build is one of the two: a build of the same
    # content and settings, made earlier by another process, with its own
    # fresh cache. This second one draws every picture and logo and makes
    # every compressed copy itself: a cache of its own, not one started with
    # the run's (``build_site``'s), which holds the sample build's own files.
    first = sample_site
    two = tmp_path / "two"
    second = build_site(CONTENT, two / "output", cache_dir=two / "cache")
    one, two = output_files(first), output_files(second)
    # Pagefind (a Rust binary) writes each filter's values in hash-map order,
    # which changes from run to run, and names those files (and the metadata
    # and entry files naming them) by content hash. Those few files are
    # compared by what they hold; every other file byte for byte.
    hashed = [name for name in one if name.startswith(PAGEFIND_HASHED)]
    assert len(hashed) >= 3
    assert pagefind_filters(first) == pagefind_filters(second)
    # Every filter is a value of one Pagefind filter (search_fields.html).
    assert list(pagefind_filters(first)) == ["facet"]
    assert any(value.startswith("topic:") for value in pagefind_filters(first)["facet"])
    one = {k: v for k, v in one.items() if not k.startswith(PAGEFIND_HASHED)}
    two = {k: v for k, v in two.items() if not k.startswith(PAGEFIND_HASHED)}
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


HTML_VALIDATE = PROJECT_ROOT / "node_modules" / ".bin" / "html-validate"
# .htmlvalidate.json (JSON: no room for comments there) extends
# html-validate:recommended and relaxes one rule:
# - long-title, 70 -> 250 characters: story titles are editors' words (up to
#   200 characters, portal/schema.py) and the page title adds the site name;
#   70 is a search-snippet guideline, not validity.


def test_every_page_is_valid_html(sample_site, tmp_path):
    if not HTML_VALIDATE.exists() or not shutil.which("node"):
        pytest.fail("html-validate is missing: run npm ci")
    pages = [str(page) for page in sorted(sample_site.rglob("*.html"))]
    result = subprocess.run(
        [
            str(HTML_VALIDATE),
            "--config",
            str(PROJECT_ROOT / ".htmlvalidate.json"),
            "--formatter",
            f"json={tmp_path / 'report.json'}",
            *pages,
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )
    # A file, not stdout: node may exit before a long pipe write is flushed.
    report = json.loads((tmp_path / "report.json").read_text() or "[]")
    messages = [
        f"{pathlib.Path(item['filePath']).relative_to(sample_site)}:"
        f"{message['line']}: {message['ruleId']}: {message['message']}"
        for item in report
        for message in item["messages"]
    ]
    assert not messages, "\n".join(messages[:60])
    assert result.returncode == 0, result.stderr


VNU_JAR = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_page_passes_the_nu_html_checker(sample_site):
    """The W3C's Nu HTML Checker (vnu), the validator browsers' makers use:
    no error on any page (heading outline, ARIA, attributes, nesting)."""
    if not VNU_JAR.exists() or not shutil.which("java"):
        pytest.fail("the Nu HTML Checker needs vnu-jar (npm ci) and Java")
    result = subprocess.run(
        [
            "java",
            # One short run: the JVM's quick compiler and a plain collector
            # take less than half the CPU of its defaults here; a deeper
            # stack, which the schema's recursion needs without the
            # optimizing compiler.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xss4m",
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--skip-non-html",
            "--format",
            "json",
            str(sample_site),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    # vnu writes its report on stderr, and exits 1 when it found errors.
    report = json.loads(result.stderr or '{"messages": []}')
    messages = [
        f"{pathlib.Path(item['url'].removeprefix('file:')).relative_to(sample_site)}:"
        f"{item.get('lastLine', '?')}: {item['message']}"
        for item in report["messages"]
    ]
    assert not messages, "\n".join(messages[:60])
    assert result.returncode == 0, result.stderr[-2000:]
