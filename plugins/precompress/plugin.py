"""Pre-compressed copies of the site's text files: ``page.html.gz`` and ``.br``.

Hosts that serve pre-compressed files (nginx ``gzip_static``/``brotli_static``,
Caddy ``precompressed``, Netlify, most CDNs) send these instead of
compressing on every request. After the build (Pelican's ``finalized``
signal) every text file in the output gets a gzip and a Brotli copy.

Only what changed is compressed again: the content hash of every file that
was compressed is kept in ``CACHE_PATH/precompress.json``, with a digest of
this plugin's code and settings (other code or settings compress all again).
A file's hash is remembered while its stat is the same
(``portal.file_hashes``), so a page a rebuild left untouched costs a stat,
and one rewritten with the same bytes a read and a hash. Copies
whose file is gone are removed; a copy that would not be smaller than the
file is not kept (the host then sends the file itself).

Settings (defaults in ``settings()``):
- ``PRECOMPRESS`` (True): False writes no copies.
- ``PRECOMPRESS_FORMATS`` (("gzip", "br")).
- ``PRECOMPRESS_EXTENSIONS``: which files are text worth compressing.
- ``PRECOMPRESS_MIN_SIZE`` (512 bytes): smaller files are sent as they are.
- ``PRECOMPRESS_GZIP_LEVEL`` (6: level 9 saves about 2% for a fifth more
  time) and ``PRECOMPRESS_BROTLI_QUALITY`` (6):
  Brotli's maximum (11) is about 50 times slower than 6 for some 15% smaller
  files; at 10,000 stories it would take longer than the rest of the build
  (benchmarks/README.md). Theme CSS and JS, small and sent with every page,
  get quality 11; a bundle past ``BEST_QUALITY_MAX_BYTES`` (the editing UI's
  5 MB Decap CMS, loaded by a few editors) gets the setting's quality: at 11
  it alone took 16 s of every cold build.
"""

from __future__ import annotations

import concurrent.futures
import gzip
import hashlib
import json
import logging
import os

from pelican import signals

from portal.code_digest import tree_digest
from portal.file_hashes import FileHashes
from portal.writing import reuse, write_if_changed

logger = logging.getLogger(__name__)

DEFAULTS = {
    "PRECOMPRESS": True,
    "PRECOMPRESS_FORMATS": ("gzip", "br"),
    "PRECOMPRESS_EXTENSIONS": (
        ".html", ".css", ".js", ".mjs", ".json", ".xml", ".rss", ".atom", ".txt",
        ".vtt", ".srt", ".svg", ".webmanifest", ".ics", ".map",
    ),
    "PRECOMPRESS_MIN_SIZE": 512,
    "PRECOMPRESS_GZIP_LEVEL": 6,
    "PRECOMPRESS_BROTLI_QUALITY": 6,
}  # fmt: skip
SUFFIXES = {"gzip": ".gz", "br": ".br"}
ASSET_EXTENSIONS = (".css", ".js", ".mjs", ".svg")
BEST_QUALITY_MAX_BYTES = 512 * 1024
CACHE_FILE = "precompress.json"
HASHES_FILE = "precompress.hashes.json"  # the text files' hashes, by stat


def _code() -> str:
    """This plugin's code: what it compressed with other code is redone."""
    return tree_digest(os.path.dirname(os.path.abspath(__file__)), suffixes=(".py",))


def settings(pelican_settings) -> dict:
    out = {key: pelican_settings.get(key, value) for key, value in DEFAULTS.items()}
    formats = tuple(out["PRECOMPRESS_FORMATS"])
    unknown = [name for name in formats if name not in SUFFIXES]
    if unknown:
        raise ValueError(
            f"PRECOMPRESS_FORMATS: {', '.join(unknown)} is not a format we write; "
            "use 'gzip' and/or 'br'"
        )
    out["PRECOMPRESS_FORMATS"] = formats
    out["PRECOMPRESS_EXTENSIONS"] = tuple(
        e.lower() for e in out["PRECOMPRESS_EXTENSIONS"]
    )
    if not 1 <= int(out["PRECOMPRESS_GZIP_LEVEL"]) <= 9:
        raise ValueError("PRECOMPRESS_GZIP_LEVEL must be 1 to 9")
    if not 0 <= int(out["PRECOMPRESS_BROTLI_QUALITY"]) <= 11:
        raise ValueError("PRECOMPRESS_BROTLI_QUALITY must be 0 to 11")
    if "br" in formats:
        try:
            import brotli  # noqa: F401
        except ImportError as error:
            raise ValueError(
                "PRECOMPRESS_FORMATS has 'br' but the brotli package is missing: "
                "pip install -r requirements.txt"
            ) from error
    return out


def compress(data: bytes, fmt: str, options: dict, path: str) -> bytes:
    if fmt == "gzip":
        # mtime=0: the same page always gives the same bytes.
        return gzip.compress(data, options["PRECOMPRESS_GZIP_LEVEL"], mtime=0)
    import brotli

    quality = options["PRECOMPRESS_BROTLI_QUALITY"]
    if path.endswith(ASSET_EXTENSIONS) and len(data) <= BEST_QUALITY_MAX_BYTES:
        quality = 11
    mode = brotli.MODE_TEXT
    return brotli.compress(data, mode=mode, quality=quality)


def _stamp(options: dict) -> str:
    """This plugin's code and the settings that shape the copies."""
    settings_text = json.dumps(options, sort_keys=True, default=str)
    return hashlib.sha256(f"{_code()}\0{settings_text}".encode()).hexdigest()


def _load_manifest(path: str | None, options: dict) -> dict[str, str]:
    if not path or not os.path.exists(path):
        return {}
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}  # unreadable: every file is compressed again
    if not isinstance(data, dict) or data.get("code") != _stamp(options):
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def _text_files(output: str, extensions: tuple[str, ...]) -> list[str]:
    found = []
    for folder, _, names in os.walk(output):
        for name in names:
            if name.lower().endswith(extensions):
                found.append(os.path.join(folder, name))
    return found


def _one_file(
    path: str, known: str | None, options: dict, hashes: FileHashes
) -> tuple[str, str, bool]:
    """Compress one file if it changed; (path, its hash, compressed?)."""
    copies = [path + SUFFIXES[fmt] for fmt in options["PRECOMPRESS_FORMATS"]]
    # In a build made aside, the copies of an unchanged file are linked from
    # the output it replaces (``portal.writing.reuse``).
    if hashes.sha256(path) == known and (
        os.path.getsize(path) < options["PRECOMPRESS_MIN_SIZE"]
        or all(reuse(c) for c in copies)
    ):
        return path, known, False
    with open(path, "rb") as handle:
        data = handle.read()
    digest = hashlib.sha256(data).hexdigest()  # of the very bytes compressed
    small = len(data) < options["PRECOMPRESS_MIN_SIZE"]
    for fmt, copy in zip(options["PRECOMPRESS_FORMATS"], copies, strict=True):
        packed = None if small else compress(data, fmt, options, path)
        if packed is None or len(packed) >= len(data):
            if os.path.exists(copy):
                os.unlink(copy)
            continue
        write_if_changed(copy, packed)
    return path, digest, True


def _remove_orphans(output: str, options: dict, sources: set[str]) -> int:
    removed = 0
    suffixes = tuple(SUFFIXES.values())
    for folder, _, names in os.walk(output):
        for name in names:
            if not name.endswith(suffixes):
                continue
            source = os.path.join(folder, name[: -len(os.path.splitext(name)[1])])
            if source.lower().endswith(options["PRECOMPRESS_EXTENSIONS"]) and (
                source not in sources
            ):
                os.unlink(os.path.join(folder, name))
                removed += 1
    return removed


def precompress(pelican) -> None:
    options = settings(pelican.settings)
    if not options["PRECOMPRESS"]:
        return
    output = pelican.output_path
    cache_path = pelican.settings.get("CACHE_PATH")
    manifest_path = os.path.join(cache_path, CACHE_FILE) if cache_path else None
    manifest = _load_manifest(manifest_path, options)
    hashes = FileHashes(os.path.join(cache_path, HASHES_FILE) if cache_path else None)
    files = _text_files(output, options["PRECOMPRESS_EXTENSIONS"])
    relative = {path: os.path.relpath(path, output) for path in files}
    compressed = 0
    fresh: dict[str, str] = {}
    # zlib and brotli release the GIL while they compress: threads use every
    # core without copying pages between processes.
    workers = min(4, os.cpu_count() or 1)
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        jobs = [
            pool.submit(_one_file, path, manifest.get(relative[path]), options, hashes)
            for path in files
        ]
        for job in jobs:
            path, digest, did = job.result()
            fresh[relative[path]] = digest
            compressed += did
    removed = _remove_orphans(output, options, set(files))
    if manifest_path:
        os.makedirs(cache_path, exist_ok=True)
        write_if_changed(
            manifest_path,
            json.dumps({"code": _stamp(options), "files": fresh}, sort_keys=True),
        )
        hashes.save()
    logger.info(
        "[precompress] %d files compressed (%s), %d unchanged, %d stale copies removed",
        compressed,
        "+".join(options["PRECOMPRESS_FORMATS"]),
        len(files) - compressed,
        removed,
    )


def register():
    signals.finalized.connect(precompress)
