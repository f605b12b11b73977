"""How hosts apply a ``_headers`` file, for the tests to read ours as a
browser gets it: every rule whose pattern matches a path adds its headers.

Two hosts' matching, from their own code:
- Netlify (``@netlify/headers-parser``'s ``getForRegExp``): case-insensitive,
  an optional trailing slash, ``:name`` one segment, a ``*`` segment
  anything (or nothing: ``/guide/*`` matches ``/guide`` too);
- Cloudflare Pages (the ``rulesEngine`` of workers-sdk's asset server):
  exact, ``:name`` one segment, ``*`` anything. It also takes at most 100
  rules (its documented limit)."""

from __future__ import annotations

import re

CLOUDFLARE_MOST_RULES = 100


def rules(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The file's rules in order: (pattern, [(header, value), ...])."""
    found: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith((" ", "\t")):
            name, value = line.strip().split(":", 1)
            found[-1][1].append((name, value.strip()))
        else:
            found.append((line.strip(), []))
    return found


def _netlify(pattern: str) -> re.Pattern:
    def part(segment: str) -> str:
        if segment.startswith(":"):
            return "([^/]+)"
        if segment == "*":
            return "?(.*)"
        if "*" in segment:
            return segment.replace("*", "(.*)")
        return re.escape(segment)

    body = "/".join(part(s) for s in pattern.split("/") if s.strip())
    return re.compile(f"^/{body}/?$", re.IGNORECASE)


def _cloudflare(pattern: str) -> re.Pattern:
    body = re.escape(pattern)
    body = re.sub(r":([A-Za-z]\w*)", r"(?P<\1>[^/]+)", body)
    body = body.replace(r"\*", "(?P<splat>.*)")
    return re.compile(f"^{body}$")


HOSTS = {"netlify": _netlify, "cloudflare": _cloudflare}


def headers_for(
    file_rules: list[tuple[str, list[tuple[str, str]]]], path: str, host: str
) -> list[tuple[str, str]]:
    """Every header ``host`` sends for ``path`` (each matching rule's)."""
    matcher = HOSTS[host]
    return [
        header
        for pattern, headers in file_rules
        if matcher(pattern).match(path)
        for header in headers
    ]


def policies_for(
    file_rules: list[tuple[str, list[tuple[str, str]]]], path: str, host: str
) -> list[str]:
    """The Content-Security-Policy headers ``host`` sends for ``path``
    (a browser enforces each of them)."""
    return [
        value
        for name, value in headers_for(file_rules, path, host)
        if name.lower() == "content-security-policy"
    ]


def page_urls(site, page) -> list[str]:
    """The URLs a page is reached at: its file, and its folder for an index."""
    relative = page.relative_to(site).as_posix()
    urls = ["/" + relative]
    if relative == "index.html" or relative.endswith("/index.html"):
        urls.append("/" + relative[: -len("index.html")])
    return urls
