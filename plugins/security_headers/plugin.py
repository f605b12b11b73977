"""The browser policy: a Content-Security-Policy allowing only our own origin.

The policy is built once per build from the settings and forms.yml, then

- offered to templates as ``SECURITY_CSP_META`` (base.html and embed.html
  print it in ``<meta http-equiv="Content-Security-Policy">``), and
- written with Referrer-Policy and X-Content-Type-Options to ``_headers``
  (Netlify / Cloudflare Pages format) in the output, with
  ``Access-Control-Allow-Origin: *`` on the transcript, chapters and other
  JSON files, the audio and the podcast feed, which other sites' players and
  podcast apps fetch, and ``Cache-Control`` for a year on the files whose
  names change whenever their bytes do (``portal.outputs.kept_a_year``),
  a rule a kind of file, as the S3 deploy sends them.

``frame-ancestors`` only works in a header, and both hosts *combine* the
headers of every rule a path matches (two CSP headers = both enforced). So
the ``/*`` rule carries the main policy without frame-ancestors, and the
pages get a second policy holding only their frame-ancestors, ``'self'``,
by patterns that do not grow with the stories (``_page_patterns``). The
embeddable players under ``/stories/<slug>/embed/`` get none: any page may
frame them, a local file or a sandboxed frame too (``*`` would refuse those).

Settings (defaults in ``settings()``):
- ``SECURITY_HEADERS_SAVE_AS``: where the headers file goes ("_headers";
  "" writes none).
- ``SECURITY_HEADERS_REFERRER_POLICY``: the Referrer-Policy value.
- ``SECURITY_HEADERS_CROSS_ORIGIN_PATHS``: files by their path that other
  sites' scripts may read too (podcast_feed adds its feed's).
"""

from __future__ import annotations

import fnmatch
import logging
import os
import re
import urllib.parse

from pelican import signals

from portal import background
from portal.mime import AUDIO_MIME_TYPES
from portal.outputs import (
    AUDIO_EXPOSED_HEADERS,
    CACHE_FOR_A_YEAR,
    CROSS_ORIGIN_PATHS,
    CROSS_ORIGIN_SUFFIXES,
    SEARCH_BUNDLE,
    SEARCH_PART_FOLDERS,
    STORY_FILES_BY_HASH,
    STORY_FOLDERS,
    kept_a_year,
    story_file_by_hash,
)
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
# Pages other sites may show in an iframe: the story_embeds player, in
# stories/<slug>/embed/.
EMBEDS_IN = STORY_FOLDERS
EMBED_FOLDER = "embed"
# Fingerprinted files are named one by one in a folder with at most this
# many beside others (the theme's css/ and js/); a folder of nothing else is
# one rule (the funders' logos). Cloudflare Pages takes 100 rules in all.
MOST_NAMED = 20
COMPRESSED_COPIES = (".gz", ".br")  # served for the file they compress


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


def _quoted(path: str) -> str:
    # Percent-encoded: a line break or space in a file name must not end the
    # rule's line (a header of its own) or split it.
    return urllib.parse.quote(path)


def _holds_pages(folder: str) -> bool:
    """Is there an HTML page anywhere in ``folder``? (Links to folders are
    not followed; the walk ends at the first page.)"""
    pending = [folder]
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    if entry.is_dir():
                        if not entry.is_symlink():
                            pending.append(entry.path)
                    elif entry.name.endswith(".html"):
                        return True
        except (FileNotFoundError, NotADirectoryError):
            continue  # removed while listed
    return False


def _page_patterns(output_path: str, own: dict[str, str]) -> list[tuple[str, bool]]:
    """URL patterns that cover every HTML page of the output outside the
    folders with a policy of their own, each page by one pattern, with
    whether other sites may frame the pages it covers (the embed players).

    As many patterns as the output has folders at its top, not pages: hosts
    cap the rules of a ``_headers`` file (Cloudflare Pages: 100), and 10,000
    stories were 60,000 rules. A folder is one splat rule (``/guide/*``);
    the story folders are two placeholder rules (``/stories/:slug/``), and
    their players two more. Only folders that hold an embed player's or an
    own policy's folder are listed, one level each; a folder with no page
    (the theme's files, the search's bundle, which Pagefind may still be
    writing) gets no rule, so the file does not change with what is
    written beside the build."""
    own_folders = {folder.strip("/") for folder in own}
    patterns: list[tuple[str, bool]] = []

    def page(relative: str) -> None:
        patterns.append((_quoted(relative), False))
        if relative == "index.html" or relative.endswith("/index.html"):
            patterns.append((_quoted(relative[: -len("index.html")]), False))

    def holds_own(folder: str) -> bool:
        return any(name.startswith(folder + "/") for name in own_folders)

    def cover(folder: str) -> None:
        """Patterns for the folder ``folder`` (relative; "" for the output)."""
        try:
            entries = sorted(os.scandir(os.path.join(output_path, folder)),
                             key=lambda entry: entry.name)  # fmt: skip
        except (FileNotFoundError, NotADirectoryError):
            return
        prefix = f"{folder}/" if folder else ""
        for entry in entries:
            relative = prefix + entry.name
            if not entry.is_dir():
                if entry.name.endswith(".html"):
                    page(relative)
            elif entry.is_symlink() or relative in own_folders:
                continue
            elif relative == EMBEDS_IN:
                embeds(relative)
            elif holds_own(relative):
                cover(relative)
            elif _holds_pages(entry.path):
                patterns.append((_quoted(relative) + "/*", False))

    def embeds(folder: str) -> None:
        """The folder of the story folders: each with its page and player."""
        stories = False
        with os.scandir(os.path.join(output_path, folder)) as entries:
            for entry in sorted(entries, key=lambda entry: entry.name):
                relative = f"{folder}/{entry.name}"
                if not entry.is_dir():
                    if entry.name.endswith(".html"):
                        page(relative)
                elif entry.is_symlink():
                    continue
                elif os.path.isdir(os.path.join(entry.path, EMBED_FOLDER)):
                    stories = True  # a story's folder: the rules below
                elif _holds_pages(entry.path):  # a listing's (stories/page/2/)
                    patterns.append((_quoted(relative) + "/*", False))
        if stories:
            story = f"{folder}/:slug/"
            player = f"{story}{EMBED_FOLDER}/"
            patterns.extend([(story, False), (story + "index.html", False)])
            patterns.extend([(player, True), (player + "index.html", True)])

    cover("")
    return patterns


def _long_lived_patterns(output_path: str, skip: set[str]) -> list[str]:
    """URL patterns for the files whose names carry a hash of their bytes
    (``portal.outputs.kept_a_year``: the theme's CSS and JavaScript, the
    funders' logos): a host may keep them a year, since changed bytes get a
    new name. Hosts revalidate everything else (their defaults), so a page
    never runs old JavaScript, nor a listener fetches an old page.

    A folder holding only such files, and no folder, is one splat rule; in
    other folders each is named, up to ``MOST_NAMED`` a folder. The story
    folders are not looked in (``_story_patterns`` covers them, a rule a
    kind of file), nor ``skip`` (relative folders: the search's bundle,
    which has rules of its own and which Pagefind may still be writing)."""
    patterns: list[str] = []
    pending = [""]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(os.path.join(output_path, folder)) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except (FileNotFoundError, NotADirectoryError):
            continue  # removed while listed
        prefix = f"{folder}/" if folder else ""
        files, named, folders = 0, [], False
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_dir():
                folders = True
                if not (entry.is_symlink() or relative in skip):
                    pending.append(relative)
            elif not entry.name.endswith(COMPRESSED_COPIES):
                files += 1
                if kept_a_year(relative):
                    named.append(_quoted(relative))
        if folder and named and len(named) == files and not folders:
            patterns.append(_quoted(folder) + "/*")
        elif len(named) <= MOST_NAMED:
            patterns.extend(named)
    return sorted(patterns)


def _covering(kinds) -> re.Pattern:
    """One expression for the names ``kinds``' patterns cover in a folder,
    as Netlify matches them (regardless of case: the wider); the group of
    the kind that matched is named ``k<index>``."""
    return re.compile(
        "|".join(
            f"(?P<k{index}>{fnmatch.translate(pattern)})"
            for index, (pattern, _shape) in enumerate(kinds)
        ),
        re.IGNORECASE,
    )


STORY_COVERS = _covering(STORY_FILES_BY_HASH)


def _story_patterns(output_path: str) -> list[str]:
    """URL patterns for the files of every story folder whose names the
    build makes from a hash (``portal.outputs.STORY_FILES_BY_HASH``): one
    placeholder rule a kind (``stories/:slug/share-*``), as many at 10,000
    stories as at one, where naming them was tens of thousands of rules.

    A pattern also covers any other file of its shape in any story folder,
    and a story's own files keep the names editors gave them: a kind is
    kept only if every file the pattern covers is named by its hash (a
    picture named share-me.jpg, or the master as conversation.mp3 with
    AUDIO_RENDITION_PUBLISH_MASTER, leave that kind to the host's default),
    and only if the output has one. The folders' own files are read
    (``os.listdir``, names only); their subfolders hold the players' pages."""
    top = os.path.join(output_path, STORY_FOLDERS)
    try:
        folders = sorted(os.listdir(top))
    except (FileNotFoundError, NotADirectoryError):
        return []
    found: set[str] = set()
    refused: dict[str, str] = {}
    for slug in folders:
        try:
            names = os.listdir(os.path.join(top, slug))
        except (FileNotFoundError, NotADirectoryError):
            continue  # a page of stories/, or removed while listed
        # filter(): the names no rule covers (most) never reach Python code.
        for name in filter(STORY_COVERS.match, names):
            covered = STORY_COVERS.match(name)
            pattern = STORY_FILES_BY_HASH[int(covered.lastgroup[1:])][0]
            if story_file_by_hash(slug, name):
                found.add(pattern)
            else:
                refused.setdefault(pattern, f"{STORY_FOLDERS}/{slug}/{name}")
    for pattern, path in refused.items():
        logger.info(
            "security_headers: %s is not named by a hash of its bytes, so "
            "_headers asks hosts to keep no story's %s files a year; a name "
            "of another shape for that file lets them",
            path,
            pattern,
        )
    return [
        f"{STORY_FOLDERS}/:slug/{pattern}"
        for pattern, _shape in STORY_FILES_BY_HASH
        if pattern in found and pattern not in refused
    ]


def headers_file(pelican_settings, output_path: str) -> str:
    options = settings(pelican_settings)
    policy = pelican_settings.get("SECURITY_CSP_META") or content_security_policy(
        pelican_settings
    )
    # Folders with a policy of their own (the editing UI: {"admin/": ...}).
    # Hosts enforce every policy a path matches, so the site's policy then
    # goes on each rule outside them instead of on /*.
    own = dict(pelican_settings.get("SECURITY_HEADERS_OWN_POLICIES") or {})
    lines = [
        "# Written by plugins/security_headers; do not edit.",
        "/*",
        *([] if own else [f"  Content-Security-Policy: {policy}"]),
        f"  Referrer-Policy: {options['SECURITY_HEADERS_REFERRER_POLICY']}",
        "  X-Content-Type-Options: nosniff",
    ]
    # Transcripts, chapters, audio and the podcast feed (a path other
    # plugins name in SECURITY_HEADERS_CROSS_ORIGIN_PATHS) for podcast apps
    # and players on other sites (the development server and the S3
    # deploy's bucket rule say the same).
    for suffix in CROSS_ORIGIN_SUFFIXES:
        lines += [f"/*{suffix}", "  Access-Control-Allow-Origin: *"]
        if suffix in AUDIO_MIME_TYPES:
            lines.append(f"  Access-Control-Expose-Headers: {AUDIO_EXPOSED_HEADERS}")
    for path in sorted(set(pelican_settings.get(CROSS_ORIGIN_PATHS) or ())):
        lines += [f"/{path.lstrip('/')}", "  Access-Control-Allow-Origin: *"]
    # Fingerprinted files: a year, as the S3 deploy says (portal/deploy/s3.py).
    bundle = pelican_settings.get("SITE_SEARCH_BUNDLE", SEARCH_BUNDLE).strip("/")
    skip = {EMBEDS_IN, bundle} | {
        os.path.relpath(folder, output_path) for folder in background.folders()
    }
    long_lived = [
        *_long_lived_patterns(output_path, skip),
        *_story_patterns(output_path),
        # The search's parts, each in a folder named by what made it
        # (portal.outputs.SEARCH_PART_FOLDERS): fixed rules, since Pagefind
        # may still be writing them.
        *(f"{bundle}/{folder}" for folder in SEARCH_PART_FOLDERS),
    ]
    for pattern in long_lived:
        lines += [f"/{pattern}", f"  Cache-Control: {CACHE_FOR_A_YEAR}"]
    for folder, folder_policy in sorted(own.items()):
        lines += [
            f"/{folder.strip('/')}/*",
            f"  Content-Security-Policy: {folder_policy}; frame-ancestors 'none'",
        ]
    for pattern, framed in _page_patterns(output_path, own):
        # The players name no frame-ancestors at all: ``*`` matches only
        # network schemes, so it refused the page an embedder tries the code
        # in first (a file on their computer) and any sandboxed frame (an
        # editor's preview), whose origin is opaque.
        directives = [policy] if own else []
        if not framed:
            directives.append("frame-ancestors 'self'")
        if directives:
            lines += [
                f"/{pattern}",
                f"  Content-Security-Policy: {'; '.join(directives)}",
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
