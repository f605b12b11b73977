"""Fingerprinted theme CSS and JavaScript: ``{{ asset_url('css/site.css') }}``.

Templates name a theme file (a path under the theme's static folder) through
the ``asset_url`` Jinja global, which returns the URL of a copy whose name
carries a hash of its content: ``theme/css/site.3f9a2c01be.css``. A host can
then serve theme files with a year-long cache lifetime (``immutable``): a
changed file gets a new name, so listeners never run old JavaScript against
new pages. Every ``.css``/``.js`` file of the theme gets its fingerprinted
copy at the end of the build (the plain copy Pelican makes stays too).

The fingerprinted copy is minified (``rcssmin`` for CSS, ``rjsmin`` for
JavaScript: both only drop comments and whitespace, and give the same bytes
for the same input), and the hash is taken of the minified bytes, so the name
changes exactly when what listeners download changes. The readable sources
stay in ``theme/static`` for editing.

Settings (defaults in ``settings()``):
- ``ASSET_FINGERPRINT`` (True): False makes ``asset_url`` return the plain
  URL (``theme/css/site.css``) and writes no copies.
- ``ASSET_FINGERPRINT_EXTENSIONS`` ((".css", ".js")): which files get copies.
- ``ASSET_MINIFY`` (True): False writes the copies unminified (to debug the
  theme in a browser with the sources as written).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re

import rcssmin
import rjsmin
from jinja2 import pass_context
from pelican import signals

from portal.file_hashes import FileHashes
from portal.writing import write_if_changed

logger = logging.getLogger(__name__)

DEFAULTS = {
    "ASSET_FINGERPRINT": True,
    "ASSET_FINGERPRINT_EXTENSIONS": (".css", ".js"),
    "ASSET_MINIFY": True,
}
HASH_LENGTH = 10
# What the copies of theme files hold, for this process (a dev server
# rebuilds many times): (path, minify) -> (the source's SHA-256, content,
# hash). Found by the source's bytes; their hash is remembered while the
# file's stat is the same, so a page asking for asset_url reads nothing.
_built: dict[tuple[str, bool], tuple[str, bytes, str]] = {}
_source_hashes = FileHashes(None)


class AssetError(ValueError):
    """A template asked for a theme file that does not exist."""


def settings(pelican_settings) -> dict:
    out = {key: pelican_settings.get(key, value) for key, value in DEFAULTS.items()}
    extensions = out["ASSET_FINGERPRINT_EXTENSIONS"]
    if isinstance(extensions, str) or not all(
        isinstance(e, str) and e.startswith(".") for e in extensions
    ):
        raise ValueError(
            "ASSET_FINGERPRINT_EXTENSIONS must be a list of extensions like '.css'"
        )
    out["ASSET_FINGERPRINT_EXTENSIONS"] = tuple(e.lower() for e in extensions)
    return out


def _static_roots(pelican_settings) -> list[str]:
    theme = pelican_settings["THEME"]
    return [
        os.path.join(theme, path) for path in pelican_settings["THEME_STATIC_PATHS"]
    ]


def source_of(path: str, pelican_settings) -> str:
    """The theme file a template names, like ``css/site.css``."""
    relative = path.lstrip("/")
    for root in _static_roots(pelican_settings):
        candidate = os.path.normpath(os.path.join(root, relative))
        if candidate.startswith(os.path.normpath(root) + os.sep) and os.path.isfile(
            candidate
        ):
            return candidate
    raise AssetError(
        f"asset_url('{path}'): there is no such file in the theme's static folder "
        f"({', '.join(_static_roots(pelican_settings))}) - add the file or correct "
        "the name in the template"
    )


def minify(source: str, data: bytes) -> bytes:
    """The bytes of a theme file as served: CSS and JS without comments and
    extra whitespace (``/*! ... */`` comments, for licences, are kept)."""
    extension = os.path.splitext(source)[1].lower()
    if extension == ".css":
        text = rcssmin.cssmin(data.decode("utf-8"), keep_bang_comments=True)
    elif extension in (".js", ".mjs"):
        text = rjsmin.jsmin(data.decode("utf-8"), keep_bang_comments=True)
    else:
        return data
    return text.strip().encode("utf-8") + b"\n"


def built_content(source: str, minified: bool = True) -> tuple[bytes, str]:
    """(content of the copy, its hash) for a theme file; kept in this
    process until the file's bytes change."""
    source_hash = _source_hashes.sha256(source)
    key = (source, minified)
    known = _built.get(key)
    if known and known[0] == source_hash:
        return known[1], known[2]
    with open(source, "rb") as handle:
        data = handle.read()
    source_hash = hashlib.sha256(data).hexdigest()  # of the very bytes used
    if minified:
        data = minify(source, data)
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    _built[key] = (source_hash, data, digest)
    return data, digest


def content_hash(source: str, minified: bool = True) -> str:
    """The hash in the copy's name: of the bytes the copy holds."""
    return built_content(source, minified)[1]


def fingerprinted_name(path: str, digest: str) -> str:
    stem, extension = os.path.splitext(path)
    return f"{stem}.{digest}{extension}"


def asset_path(path: str, pelican_settings) -> str:
    """Site-relative path of the copy to link to: ``theme/css/site.<hash>.css``."""
    relative = path.lstrip("/")
    options = settings(pelican_settings)
    static_dir = pelican_settings["THEME_STATIC_DIR"].strip("/")
    if options["ASSET_FINGERPRINT"] and relative.lower().endswith(
        options["ASSET_FINGERPRINT_EXTENSIONS"]
    ):
        relative = fingerprinted_name(
            relative,
            content_hash(source_of(path, pelican_settings), options["ASSET_MINIFY"]),
        )
    else:
        source_of(path, pelican_settings)  # still refuse names that do not exist
    return f"{static_dir}/{relative}" if static_dir else relative


def add_global(generator):
    env = getattr(generator, "env", None)
    if env is None:
        return
    pelican_settings = generator.settings
    paths: dict[str, str] = {}  # per build: theme files do not change meanwhile

    @pass_context
    def asset_url(context, path: str) -> str:
        """The URL of a theme file, fingerprinted (see the module's doc)."""
        base = context.get("SITEURL", "") or ""
        if path not in paths:
            paths[path] = asset_path(path, pelican_settings)
        return f"{base}/{paths[path]}"

    env.globals["asset_url"] = asset_url


def _stale_copy(name: str, stem: str, extension: str) -> bool:
    pattern = rf"{re.escape(stem)}\.[0-9a-f]{{{HASH_LENGTH}}}{re.escape(extension)}"
    return re.fullmatch(pattern, name) is not None


def write_copies(pelican) -> None:
    """Write ``<name>.<hash>.<ext>`` (minified) for every CSS/JS theme file."""
    pelican_settings = pelican.settings
    options = settings(pelican_settings)
    if not options["ASSET_FINGERPRINT"]:
        return
    static_dir = pelican_settings["THEME_STATIC_DIR"]
    written = 0
    for root in _static_roots(pelican_settings):
        for folder, _, names in os.walk(root):
            for name in names:
                stem, extension = os.path.splitext(name)
                if extension.lower() not in options["ASSET_FINGERPRINT_EXTENSIONS"]:
                    continue
                if re.search(rf"\.[0-9a-f]{{{HASH_LENGTH}}}$", stem):
                    continue  # already fingerprinted by hand: leave it
                source = os.path.join(folder, name)
                relative = os.path.relpath(source, root)
                data, digest = built_content(source, options["ASSET_MINIFY"])
                target = os.path.join(
                    pelican.output_path,
                    static_dir,
                    fingerprinted_name(relative, digest),
                )
                os.makedirs(os.path.dirname(target), exist_ok=True)
                written += write_if_changed(target, data)
                # Copies for older versions of this file go: nothing links them.
                for other in os.listdir(os.path.dirname(target)):
                    if other != os.path.basename(target) and _stale_copy(
                        other, stem, extension
                    ):
                        os.unlink(os.path.join(os.path.dirname(target), other))
    logger.debug("[asset_fingerprint] %d fingerprinted copies written", written)


def register():
    signals.generator_init.connect(add_global)
    # Before precompress (connected later in PLUGINS order) so the copies
    # get their .gz and .br too.
    signals.finalized.connect(write_copies)
