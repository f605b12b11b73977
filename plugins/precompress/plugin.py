"""Pre-compressed copies of the site's text files: ``page.html.gz`` and ``.br``.

Hosts that serve pre-compressed files (nginx ``gzip_static``/``brotli_static``,
Caddy ``precompressed``, Netlify, most CDNs) send these instead of
compressing on every request. After the build (Pelican's ``finalized``
signal) every text file in the output gets a gzip and a Brotli copy.

Only what changed is compressed again. The copies are kept in the cache by
the content hash of the file they compress (``CACHE_PATH/precompressed/
<sha256>.gz`` and ``.br``, and ``CACHE_PATH/precompress.json``: which copies
each hash has, with a digest of this plugin's code and settings; other code
or settings compress all again), and hard-linked into the output. So a file
with the bytes of one compressed before, in this output or another (a build
made aside in a fresh folder, a fresh clone with the cache folder restored),
costs a link: a page a rebuild left untouched costs a stat (its hash is
remembered while its stat is the same: ``portal.file_hashes``; files the
story pipeline linked from its cache come with theirs; its copies are known
as the stored ones by the inodes the folder listing gives, which the index
keeps), and a copy keeps its modification time while its file's bytes do
not change. Copies whose file is gone are removed from the output, and
copies no file of this build has from the cache; a copy that would not be
smaller than the file is not kept (the host then sends the file itself).

Settings (defaults in ``settings()``):
- ``PRECOMPRESS`` (True): False writes no copies.
- ``PAGES_FIRST`` (``portal.build_inputs``; the live preview's first build of
  a save): no copies made, the next build makes them.
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
import contextlib
import gzip
import hashlib
import json
import logging
import os

from pelican import signals

from portal import background, build_inputs, cache_json, output_listing
from portal import signals as portal_signals
from portal.code_digest import tree_digest
from portal.file_hashes import FileHashes
from portal.writing import holds, link_into, write_atomically, write_if_changed

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
STORE_FOLDER = "precompressed"  # the copies, by the hash of what they compress
HASHES_FILE = "precompress.hashes.json"  # the text files' hashes, by stat
BATCH = 512  # files handed to the compressing threads at a time


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


# A build that compressed at least this many files (a cold build, a change
# to the theme, a campaign's new story) lists the store for the copies no
# file has, those a build stopped midway left there among them; one that
# compressed fewer (an edit) removes the copies of the last build's index it
# no longer uses: the store's 150,000 copies at 10,000 stories took 0.3 s of
# every edit to list.
LIST_STORE_AFTER = 1000
# A file at least this large that a plugin wrote before the end of the
# build (``portal.signals.file_written_early``) is compressed in a thread
# as the build goes on: gzip and Brotli let go of Python's lock while they
# work, so the build's own work goes on beside it. The podcast feed, 30 MB
# at 10,000 stories, was half a second at the end of every edit's build.
EARLY_MIN_BYTES = 1_000_000
# The files compressed early this build: each its hash and copies' sizes.
_early: list[concurrent.futures.Future] = []


def compress_early(_sender, **sent) -> None:
    """``portal.signals.file_written_early`` (``settings``, ``path``): a
    large text file's copies made into the cache's store beside the build;
    the copies are then found there at its end, as copies of an earlier
    build are."""
    pelican_settings, path = sent["settings"], sent["path"]
    try:
        options = settings(pelican_settings)
    except ValueError:
        return  # said at the end of the build, where it stops it
    store = pelican_settings.get("CACHE_PATH")
    if (
        not options["PRECOMPRESS"]
        or not store
        or build_inputs.pages_first(pelican_settings)
        or not path.lower().endswith(options["PRECOMPRESS_EXTENSIONS"])
    ):
        return
    try:
        if os.path.getsize(path) < EARLY_MIN_BYTES:
            return
    except OSError:
        return
    if "br" in options["PRECOMPRESS_FORMATS"]:
        import brotli  # noqa: F401  (imported here: never in the thread)
    store = os.path.join(store, STORE_FOLDER)
    os.makedirs(store, exist_ok=True)
    pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="precompress")
    _early.append(pool.submit(_compress_into_store, path, options, store))
    pool.shutdown(wait=False)


def _compress_into_store(path: str, options: dict, store: str):
    """``path``'s copies written into ``store``: its hash and each copy's
    size. Touches nothing of the build's but files (the build forks
    workers meanwhile: ``portal.background``)."""
    with open(path, "rb") as handle:
        data = handle.read()
    sha256 = hashlib.sha256(data).hexdigest()
    made = {}
    for fmt in options["PRECOMPRESS_FORMATS"]:
        packed = compress(data, fmt, options, path)
        if len(packed) >= len(data):
            continue
        blob = os.path.join(store, sha256 + SUFFIXES[fmt])
        if not holds(blob, packed):
            write_atomically(blob, packed)
        made[fmt] = len(packed)
    return sha256, made


def _compressed_early() -> dict[str, dict[str, int]]:
    """The copies made early this build, once made, by the hash of the file
    they compress (a job that failed: its file is compressed as any other)."""
    done = {}
    for job in _early:
        with contextlib.suppress(Exception):
            sha256, made = job.result()
            done[sha256] = made
    _early.clear()
    return done


def _stamp(options: dict) -> str:
    """This plugin's code and the settings that shape the copies."""
    settings_text = json.dumps(options, sort_keys=True, default=str)
    return hashlib.sha256(f"{_code()}\0{settings_text}".encode()).hexdigest()


def _load_index(
    path: str | None, options: dict
) -> tuple[dict[str, dict[str, int]], dict]:
    """Which copies the cache has, by the hash of the file they compress:
    each format's size (a copy cut off or overwritten is a miss); and the
    file's ``inodes`` section (``_Copies.linked``)."""
    if not path or not os.path.exists(path):
        return {}, {}
    try:
        data = cache_json.load(path)
    except (OSError, ValueError):
        return {}, {}  # unreadable: every file is compressed again
    if not isinstance(data, dict) or data.get("code") != _stamp(options):
        return {}, {}
    files = data.get("copies")
    inodes = data.get("inodes")
    return (
        files if isinstance(files, dict) else {},
        inodes if isinstance(inodes, dict) else {},
    )


def _walk(
    output: str, options: dict, skip: tuple[str, ...] = ()
) -> tuple[list[str], dict[str, int], list[str]]:
    """The output's text files, the compressed copies already there with
    their inodes (from the folder listings: no file is stat'ed), and its
    other files, but in the folders ``skip``."""
    extensions = options["PRECOMPRESS_EXTENSIONS"]
    suffixes = tuple(SUFFIXES.values())
    texts: list[str] = []
    copies: dict[str, int] = {}
    others: list[str] = []  # for the build report (portal.output_listing)
    folders = [os.path.normpath(output)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                name = entry.name
                if entry.is_dir():  # a link to a folder is not followed
                    if not entry.is_symlink() and entry.path not in skip:
                        folders.append(entry.path)
                elif name.lower().endswith(extensions):
                    texts.append(entry.path)
                elif name.endswith(suffixes):
                    copies[entry.path] = entry.inode()
                else:
                    others.append(entry.path)
    return texts, copies, others


class _Copies:
    """The compressed copies of one build's text files, from the cache's
    store when it has them (``store``: its folder; None keeps none)."""

    def __init__(
        self,
        options: dict,
        hashes: FileHashes,
        store: str | None,
        index,
        inodes: dict | None = None,
    ):
        self.options = options
        self.formats = options["PRECOMPRESS_FORMATS"]
        self.hashes = hashes
        self.store = store
        self.index = index
        # Copies made this build beside it (``compress_early``), in the store.
        self.early: dict[str, dict[str, int]] = {}
        # The stored copies' inodes as the last build saw them, by hash (a
        # list in the order of ``formats``, 0 for a format it has no copy
        # in: a dict each was 20 MB at 10,000 stories), and this build's
        # (``linked``).
        self.store_identity = _identity(store)
        self.inodes: dict[str, list[int]] = {}
        if inodes and inodes.get("store") == self.store_identity:
            known = inodes.get("copies")
            if isinstance(known, dict):
                # Under the index's own strings for the hashes: the JSON's
                # are another 80,000 strings at 10,000 stories.
                self.inodes = {sha: known[sha] for sha in index if sha in known}
        self.inodes_now: dict[str, list[int]] = {}
        # Each text file's size, from the stat its hash was looked up by.
        self.text_sizes: dict[str, int] = {}
        # The store's path with its separator: a stored copy's path is one
        # concatenation (os.path.join for each of 160,000 copies took a
        # tenth of a nothing-changed precompress at 10,000 stories).
        self._in_store = os.path.join(store, "") if store is not None else None

    def _blob(self, sha256: str, fmt: str) -> str:
        return self._in_store + sha256 + SUFFIXES[fmt]

    def _kept(self, sha256: str) -> dict[str, os.stat_result] | None:
        """The stored copies of the file whose hash is ``sha256`` (each
        format's stat), if the cache has them whole."""
        kept = self._sizes(sha256)
        if self.store is None or not isinstance(kept, dict):
            return None
        found = {}
        for fmt, size in kept.items():
            try:
                stat = os.stat(self._in_store + sha256 + SUFFIXES[fmt])
            except OSError:
                return None
            if fmt not in self.formats or stat.st_size != size:
                return None
            found[fmt] = stat
        return found

    def stored(self, sha256: str) -> bool:
        """Does the store have copies of the file whose hash is ``sha256``
        (by the index, or made early this build)?"""
        return self._sizes(sha256) is not None

    def _sizes(self, sha256: str) -> dict[str, int] | None:
        """Each stored copy's size, of the file whose hash is ``sha256``."""
        sizes = self.index.get(sha256)
        return sizes if sizes is not None else self.early.get(sha256)

    def _inodes(self, stats: dict[str, os.stat_result]) -> list[int]:
        """The inodes of a file's stored copies, as ``inodes`` keeps them."""
        return [stats[fmt].st_ino if fmt in stats else 0 for fmt in self.formats]

    def linked(self, sha256: str, path: str, there: dict[str, int]) -> bool:
        """Are ``path``'s copies in the output the stored copies of the last
        build, by their inodes alone (no stat)? A copy in place is a link to
        its stored copy: the same inode, the one the last build saw it with
        (in this store, on the output's file system). A rebuild in place
        finds nearly every file so: 200,000 stats of stored copies at 10,000
        stories were the largest part of its pre-compression. Anything else
        is looked at closely (``_kept``)."""
        kept = self.index.get(sha256)
        known = self.inodes.get(sha256)
        if (
            not isinstance(kept, dict)
            or not isinstance(known, list)
            or len(known) != len(self.formats)
        ):
            return False
        for fmt, known_inode in zip(self.formats, known, strict=True):
            inode = there.get(path + SUFFIXES[fmt])
            if fmt in kept:
                if inode is None or known_inode != inode:
                    return False
            elif inode is not None:
                return False
        if any(fmt not in self.formats for fmt in kept):
            return False
        self.inodes_now[sha256] = known
        return True

    def in_place(
        self, path: str, there: dict[str, int], device: int
    ) -> tuple[str, dict[str, int] | None]:
        """``path``'s hash, and the size of each copy it has if its copies
        are in place already (as a rebuild leaves almost every file).
        ``there``: the copies in the output and their inodes (``_walk``);
        ``device``: the output's file system."""
        sha256, self.text_sizes[path] = self.hashes.sha256_and_size(path)
        if device == self.store_identity[0] and self.linked(sha256, path, there):
            return sha256, self.index[sha256]
        sizes = self._sizes(sha256)
        if sizes and not any(path + SUFFIXES[fmt] in there for fmt in sizes):
            # None of its copies there (a fresh output, a clone's): they are
            # given by ``one_file``, which looks at the stored copies; not
            # here as well (160,000 stats at 10,000 stories).
            return sha256, None
        kept = self._kept(sha256)
        if kept is None:
            return sha256, None
        for fmt in self.formats:
            inode = there.get(path + SUFFIXES[fmt])
            if fmt in kept:
                stored = kept[fmt]
                if (inode, device) != (stored.st_ino, stored.st_dev):
                    return sha256, None  # not a link to the stored copy
            elif inode is not None:
                return sha256, None
        self.inodes_now[sha256] = self._inodes(kept)
        # The index's own entry (the sizes just checked), not a copy of it:
        # one for each of a large site's text files adds up.
        return sha256, self._sizes(sha256)

    def one_file(
        self, path: str, sha256: str, there: dict[str, int]
    ) -> tuple[str, dict[str, int], bool]:
        """Give ``path`` (whose hash is ``sha256``) its copies: (its hash,
        the size of each copy it has, whether it was compressed here).
        ``there``: as for ``in_place``."""
        # Looked up again here, not kept from ``in_place``: a fresh output's
        # 130,000 files each holding its copies' stats until its turn came
        # were 100 MB at 10,000 stories.
        kept = self._kept(sha256)
        if kept is not None:
            for fmt in self.formats:
                copy = path + SUFFIXES[fmt]
                if fmt in kept:
                    if copy not in there:  # none when listed (a fresh output)
                        link_into(self._blob(sha256, fmt), copy, absent=True)
                    elif not _same_file(copy, kept[fmt]):
                        link_into(self._blob(sha256, fmt), copy)
                elif os.path.lexists(copy):
                    os.unlink(copy)
            self.inodes_now[sha256] = self._inodes(kept)
            # Compressed this build, beside it: counted so.
            made_now = sha256 in self.early and sha256 not in self.index
            return sha256, self._sizes(sha256), made_now
        with open(path, "rb") as handle:
            data = handle.read()
        self.text_sizes[path] = len(data)
        sha256 = hashlib.sha256(data).hexdigest()  # of the very bytes compressed
        small = len(data) < self.options["PRECOMPRESS_MIN_SIZE"]
        made = {}
        inodes = {}
        for fmt in self.formats:
            copy = path + SUFFIXES[fmt]
            packed = None if small else compress(data, fmt, self.options, path)
            if packed is None or len(packed) >= len(data):
                if os.path.lexists(copy):
                    os.unlink(copy)
                continue
            if self.store is None:
                write_if_changed(copy, packed)
            else:
                blob = self._blob(sha256, fmt)
                if not holds(blob, packed):
                    write_atomically(blob, packed)
                # No copy listed there (a fresh output, a new page): linked
                # with no look first.
                link_into(blob, copy, absent=copy not in there)
                inodes[fmt] = os.stat(blob)
            made[fmt] = len(packed)
        if self.store is not None:
            self.inodes_now[sha256] = self._inodes(inodes)
        return sha256, made, True

    def unused(
        self, used: dict[str, dict[str, int]], listing: bool = True
    ) -> list[str]:
        """The names of the stored copies no file in ``used`` has: with
        ``listing``, found in the store's listing; without, the copies of
        the last build's index that ``used`` has not (copies no index names,
        of a build stopped midway, stay until a build lists the store)."""
        if self.store is None:
            return []
        if not listing and self.index:
            return [
                sha256 + SUFFIXES[fmt]
                for sha256, sizes in self.index.items()
                for fmt in sizes
                if fmt not in used.get(sha256, ())
            ]
        wanted = {
            sha256 + SUFFIXES[fmt]
            for sha256, formats in used.items()
            for fmt in formats
        }
        suffixes = tuple(SUFFIXES.values())
        with os.scandir(self.store) as entries:
            return [
                entry.name
                for entry in entries
                if entry.name not in wanted and entry.name.endswith(suffixes)
            ]

    def prune(
        self,
        used: dict[str, dict[str, int]],
        unused: list[str] | None = None,
        listing: bool = True,
    ) -> None:
        """Remove the stored copies no file of this build has (``used``).
        ``unused``: those ``unused`` found before the last files were
        given theirs, which may have taken some of them back; ``listing``:
        as ``unused`` has it."""
        if self.store is None:
            return
        if unused is None:
            unused = self.unused(used, listing)
        formats = {suffix: fmt for fmt, suffix in SUFFIXES.items()}
        for name in unused:
            sha256, dot, suffix = name.rpartition(".")
            if formats.get(dot + suffix) in used.get(sha256, ()):
                continue  # taken back
            # Another build sharing the cache may have removed it first.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._in_store + name)


def _identity(store: str | None) -> list[int]:
    """The store folder's file system and inode: a cache folder restored
    elsewhere (another machine, a new folder) is another store, whose copies
    have other inodes, whatever the last build saw."""
    if store is None:
        return [-1, -1]
    try:
        stat = os.stat(store)
    except OSError:
        return [-1, -1]
    return [stat.st_dev, stat.st_ino]


def _same_file(path: str, stat: os.stat_result) -> bool:
    """Is ``path`` the file ``stat`` was taken of (a link to it)?"""
    try:
        there = os.stat(path)
    except OSError:
        return False
    return (there.st_ino, there.st_dev) == (stat.st_ino, stat.st_dev)


def _remove_orphans(options: dict, copies, sources: set[str]) -> list[str]:
    """Remove the copies whose file is gone; which."""
    removed = []
    extensions = options["PRECOMPRESS_EXTENSIONS"]
    for copy in copies:
        # The copy's name without its suffix (every name ``_walk`` found has
        # one), asked of the text files first: at 10,000 stories nearly all
        # of 160,000 copies have theirs, and the set look-up is the cheaper
        # test (os.path.splitext and lower() for each were a tenth of a
        # second).
        source = copy.rpartition(".")[0]
        if source not in sources and source.lower().endswith(extensions):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(copy)
            removed.append(copy)
    return removed


def _left(
    formats: tuple[str, ...],
    others: list[str],
    there: dict[str, int],
    removed: list[str],
    placed: dict[str, dict[str, int]],
    text_sizes: dict[str, int],
) -> dict[str, int | None]:
    """Every file this plugin leaves in the output, for the build report
    (``portal.output_listing``): the files listed (``others``, the copies
    ``there``, but the ``removed`` ones), and each text file (its size as
    ``text_sizes`` has it: from the stat its hash was looked up by, or the
    bytes compressed) and its copies as ``placed`` (its formats' sizes).
    A copy's size is known this build: a copy linked is the stored copy
    whose stat ``_Copies._kept`` compared with the index, a copy in place
    is that stored copy by its inode (``_Copies.linked``) and has the size
    the index gives it, a copy made here was written with those bytes. A
    text file's copy of a format it has none in is gone (``in_place`` finds
    one there, ``one_file`` unlinks it)."""
    left: dict[str, int | None] = dict.fromkeys(others)
    left.update(dict.fromkeys(there))
    for copy in removed:
        left.pop(copy, None)
    for path, sizes in placed.items():
        left[path] = text_sizes.get(path)
        for fmt in formats:
            copy = path + SUFFIXES[fmt]
            if fmt in sizes:
                left[copy] = sizes[fmt]
            else:
                left.pop(copy, None)
    return left


def _give_copies(
    copies: _Copies,
    files: list[str],
    there: dict[str, int],
    device: int,
    used: dict[str, dict[str, int]],
    placed: dict[str, dict[str, int]],
) -> int:
    """Give each of ``files`` its compressed copies (``there``: the copies
    in the output, from ``_walk``; ``device``: the output's file system),
    noting in ``used`` each file's hash and the size of its copies, and in
    ``placed`` each file's path and the same sizes; how many files were
    compressed here."""
    # Files whose copies are in place are found here, a few stats each: a
    # task for each of a large site's files cost more than the stats.
    todo = []
    stored = []
    for path in files:
        sha256, formats = copies.in_place(path, there, device)
        if formats is None:
            (stored if copies.stored(sha256) else todo).append((path, sha256))
        else:
            used[sha256] = formats
            placed[path] = formats
    # Files whose copies the store has are given them here too: a few stats
    # and links each, no compressing. In the threads each such call gave up
    # Python's lock and waited to take it back: a fresh output's 80,000
    # text files at 10,000 stories (a clone's build) took 3.8-7 s there,
    # 2.3 s here.
    compressed = 0
    for path, sha256 in stored:
        sha256, formats, did = copies.one_file(path, sha256, there)
        used[sha256] = formats
        placed[path] = formats
        compressed += did
    # zlib and brotli release the GIL while they compress: threads use every
    # core without copying pages between processes. The files go to the
    # threads a batch at a time: a task waiting in the pool holds a future,
    # and 100,000 of them (a cold build of 10,000 stories) were 190 MB at
    # the build's peak.
    workers = min(4, os.cpu_count() or 1)
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            for (path, _sha256), (sha256, formats, did) in zip(
                batch,
                pool.map(lambda job: copies.one_file(*job, there), batch),
                strict=True,
            ):
                used[sha256] = formats
                placed[path] = formats
                compressed += did
    return compressed


def precompress(pelican) -> None:
    # Whatever this build writes, no listing of a build before it is right.
    output_listing.forget()
    options = settings(pelican.settings)
    if not options["PRECOMPRESS"]:
        return
    if build_inputs.pages_first(pelican.settings):
        # The live preview's first build of a save (portal.preview_builds):
        # no server it runs sends the copies, and the build after it, run
        # straight away, makes them. Made aside, the output has none; in
        # place, the copies of files this build changed are stale until then.
        build_inputs.left_to_next_build("the compressed copies")
        logger.info("[precompress] no copies made: the next build makes them")
        return
    output = pelican.output_path
    cache_path = pelican.settings.get("CACHE_PATH")
    index_path = os.path.join(cache_path, CACHE_FILE) if cache_path else None
    store = os.path.join(cache_path, STORE_FOLDER) if cache_path else None
    if store:
        os.makedirs(store, exist_ok=True)
    hashes = FileHashes(
        os.path.join(cache_path, HASHES_FILE) if cache_path else None, outputs=True
    )
    copies = _Copies(options, hashes, store, *_load_index(index_path, options))
    if store:
        copies.early = _compressed_early()
    # Folders another plugin is still writing (the search's bundle: see
    # portal.background) are done last, once it has finished.
    pending = tuple(background.folders())
    files, copies_there, others = _walk(output, options, skip=pending)
    used: dict[str, dict[str, int]] = {}
    placed: dict[str, dict[str, int]] = {}
    device = os.stat(output).st_dev
    compressed = _give_copies(copies, files, copies_there, device, used, placed)
    removed = _remove_orphans(options, copies_there, set(files))
    formats = options["PRECOMPRESS_FORMATS"]
    left = unused = None
    if pending:
        # The search's index ends an edit's build (portal.background): what
        # needs none of its files is done while it is written, not after
        # (0.5 s at 10,000 stories): the listing for the build report, and
        # the stored copies no file has so far (the store's listing misses
        # the copies then made for the index's files, which are this
        # build's). Not when nothing is written beside: held until the end,
        # the listing would add to the peak memory of a build that
        # compresses everything again.
        left = _left(formats, others, copies_there, removed, placed, copies.text_sizes)
        listing = compressed >= LIST_STORE_AFTER
        unused = copies.unused(used, listing) if index_path else None
    background.wait()
    for folder in pending:
        if os.path.isdir(folder):
            more, more_copies, more_others = _walk(folder, options)
            more_placed: dict[str, dict[str, int]] = {}
            compressed += _give_copies(
                copies, more, more_copies, device, used, more_placed
            )
            more_removed = _remove_orphans(options, more_copies, set(more))
            left.update(
                _left(
                    formats,
                    more_others,
                    more_copies,
                    more_removed,
                    more_placed,
                    copies.text_sizes,
                )
            )
            files += more
            removed += more_removed
    if index_path:
        # The index read at the start holds the very copies of this build
        # (a rebuild that changed no text file): the file holds them already.
        # Read with this code and settings (another stamp reads as none), so
        # written as they would be: its JSON is not made again only to be
        # compared (90 ms at 10,000 stories).
        inodes = {"store": copies.store_identity, "copies": copies.inodes_now}
        if not used or used != copies.index or copies.inodes_now != copies.inodes:
            write_if_changed(
                index_path,
                cache_json.dumps(
                    {"code": _stamp(options), "copies": used, "inodes": inodes},
                    sort_keys=True,
                ),
            )
        # The store is listed for copies no file has only when this build's
        # copies are not the last build's: that build pruned it already
        # (the listing took 0.2 s of every rebuild at 10,000 stories).
        if not used or used != copies.index:
            copies.prune(used, unused, listing=compressed >= LIST_STORE_AFTER)
        hashes.save()
    if left is None:
        left = _left(formats, others, copies_there, removed, placed, copies.text_sizes)
    # Every file of the output, once the search's are written too: the
    # build report, the next receiver, counts them without another walk.
    output_listing.hand_over(output, left)
    logger.info(
        "[precompress] %d files compressed (%s), %d unchanged, %d stale copies removed",
        compressed,
        "+".join(options["PRECOMPRESS_FORMATS"]),
        len(files) - compressed,
        len(removed),
    )


def register():
    signals.finalized.connect(precompress)
    portal_signals.file_written_early.connect(compress_early)
