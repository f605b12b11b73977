"""The browser policy: a Content-Security-Policy allowing only our own origin.

The policy is built once per build from the settings and forms.yml, then

- offered to templates as ``SECURITY_CSP_META`` (base.html and embed.html
  print it in ``<meta http-equiv="Content-Security-Policy">``), and
- written with Referrer-Policy and X-Content-Type-Options to ``_headers``
  (Netlify / Cloudflare Pages format) in the output.

``frame-ancestors`` only works in a header, and both hosts *combine* the
headers of every rule a path matches (two CSP headers = both enforced). So
the ``/*`` rule carries the main policy without frame-ancestors, and each
page the build wrote gets a second policy holding only its frame-ancestors:
``'self'`` for every page, ``*`` for the embeddable players under
``/stories/<slug>/embed/``.

Settings (defaults in ``settings()``):
- ``SECURITY_HEADERS_SAVE_AS``: where the headers file goes ("_headers";
  "" writes none).
- ``SECURITY_HEADERS_REFERRER_POLICY``: the Referrer-Policy value.
"""

from __future__ import annotations

import logging
import os
import re
import urllib.parse

from pelican import signals

from portal.site_pages import html_pages
from portal.writing import write_if_changed

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SECURITY_HEADERS_SAVE_AS": "_headers",
    "SECURITY_HEADERS_REFERRER_POLICY": "strict-origin-when-cross-origin",
}
REFERRER_POLICIES = {
    "no-referrer",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
# Pages other sites may show in an iframe (the story_embeds player).
EMBED_PAGE = re.compile(r"^stories/[^/]+/embed/")


def settings(pelican_settings) -> dict:
    out = {key: pelican_settings.get(key, value) for key, value in DEFAULTS.items()}
    save_as = out["SECURITY_HEADERS_SAVE_AS"]
    if not isinstance(save_as, str) or save_as.startswith("/") or ".." in save_as:
        raise ValueError(
            "SECURITY_HEADERS_SAVE_AS must be a path inside the output like "
            f"'_headers' (or '' for none), not {save_as!r}"
        )
    policy = out["SECURITY_HEADERS_REFERRER_POLICY"]
    if policy not in REFERRER_POLICIES:
        raise ValueError(
            "SECURITY_HEADERS_REFERRER_POLICY must be one of "
            f"{', '.join(sorted(REFERRER_POLICIES))}, not {policy!r}"
        )
    return out


def origin(url: str) -> str | None:
    """``scheme://host[:port]`` of an absolute http(s) URL, else None."""
    parts = urllib.parse.urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def form_origins(content_path: str) -> list[str]:
    """Origins the sign-up forms post to (content/data/forms.yml)."""
    from signup_forms.config import load_forms  # a sibling plugin

    loaded = load_forms(content_path)
    if loaded.value is None:
        return []  # missing or broken: signup_forms reports the problem
    found = {origin(form.action) for form in loaded.value.forms.values()}
    return sorted(found - {None})


def content_security_policy(pelican_settings) -> str:
    """The site-wide policy (without frame-ancestors: headers only)."""
    media = ["'self'"]
    media_origin = origin(pelican_settings.get("STORY_MEDIA_URL", ""))
    if media_origin:
        media.append(media_origin)
    forms = ["'self'", *form_origins(pelican_settings["PATH"])]
    directives = [
        "default-src 'self'",
        "img-src 'self' data:",
        "media-src " + " ".join(media),
        # Pagefind compiles its WebAssembly search index in the page.
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action " + " ".join(forms),
    ]
    return "; ".join(directives)


def add_policy(pelican) -> None:
    settings(pelican.settings)  # fail early on a bad setting
    pelican.settings["SECURITY_CSP_META"] = content_security_policy(pelican.settings)


def _page_paths(output_path: str) -> list[str]:
    """URL paths of every HTML page in the output, sorted."""
    paths = []
    for page in html_pages(output_path):
        # Percent-encoded: a line break or space in a file name must not
        # end the rule's line (a header of its own) or split it.
        relative = urllib.parse.quote(page)
        paths.append(relative)
        if page == "index.html" or page.endswith("/index.html"):
            paths.append(relative[: -len("index.html")])
    return sorted(paths)


def headers_file(pelican_settings, output_path: str) -> str:
    options = settings(pelican_settings)
    policy = pelican_settings.get("SECURITY_CSP_META") or content_security_policy(
        pelican_settings
    )
    # Folders with a policy of their own (the editing UI: {"admin/": ...}).
    # Hosts enforce every policy a path matches, so the site's policy then
    # goes on each page outside them instead of on /*.
    own = dict(pelican_settings.get("SECURITY_HEADERS_OWN_POLICIES") or {})
    lines = [
        "# Written by plugins/security_headers; do not edit.",
        "/*",
        *([] if own else [f"  Content-Security-Policy: {policy}"]),
        f"  Referrer-Policy: {options['SECURITY_HEADERS_REFERRER_POLICY']}",
        "  X-Content-Type-Options: nosniff",
    ]
    for folder, folder_policy in sorted(own.items()):
        lines += [
            f"/{folder.strip('/')}/*",
            f"  Content-Security-Policy: {folder_policy}; frame-ancestors 'none'",
        ]
    for path in _page_paths(output_path):
        if any(path.startswith(folder.strip("/") + "/") for folder in own):
            continue
        ancestors = "*" if EMBED_PAGE.match(path) else "'self'"
        page_policy = f"{policy}; " if own else ""
        lines += [
            f"/{path}",
            f"  Content-Security-Policy: {page_policy}frame-ancestors {ancestors}",
        ]
    return "\n".join(lines) + "\n"


def write_headers(pelican) -> None:
    save_as = settings(pelican.settings)["SECURITY_HEADERS_SAVE_AS"]
    if not save_as:
        return
    target = os.path.join(pelican.output_path, save_as)
    text = headers_file(pelican.settings, pelican.output_path)
    if write_if_changed(target, text):  # unchanged: keeps its mtime (deploys)
        logger.debug("security_headers: wrote %s", target)


def register():
    signals.initialized.connect(add_policy)
    signals.finalized.connect(write_headers)
