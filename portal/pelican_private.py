"""The one place that touches Pelican's (and pelican-sitemap's) private names.

Pelican offers no public way to do a few things the portal needs: read and
rewrite a page's HTML before its links are resolved, clear the log filter
that drops repeated warnings, load and save its reader cache safely, reset
pelican-sitemap's per-process state between builds in one process, or see
a file's new bytes before the old file is replaced (``BufferingWriter``).
Each is wrapped here, and only here, so a Pelican upgrade that renames one
breaks this module and its test (``tests/test_pelican_private.py``) loudly
instead of some plugin quietly.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle

from pelican import cache as pelican_cache
from pelican.log import LimitFilter
from pelican.plugins.sitemap import sitemap as pelican_sitemap
from pelican.readers import _filter_discardable_metadata
from pelican.urlwrappers import URLWrapper
from pelican.utils import get_relative_path, path_to_url
from pelican.writers import FileOverwriteFailedError, Writer

from portal.file_hashes import FileHashes
from portal.paths import checkout_name
from portal.sharded_pickle import EarlierFormat, ShardedPickle, UnreadableStore

logger = logging.getLogger(__name__)

# Every private name used below, for the test that checks they still exist.
USED = {
    "pelican.contents.Content": ("_content",),
    "pelican.log.LimitFilter": ("_raised_messages", "_group_count"),
    "pelican.readers.Readers": ("_cache_data_policy",),
    "pelican.readers": ("_filter_discardable_metadata",),
    "pelican.plugins.sitemap.sitemap.SitemapGenerator": ("_main_pelican",),
    "pelican.Pelican": ("_get_generator_classes",),
    "pelican.cache.FileDataCacher": (
        "_cache_path",
        "_cache",
        "_cache_data_policy",
    ),
    "pelican.cache.FileStampDataCacher": ("_get_file_stamp",),
    "pelican.writers.Writer": ("_open_w", "_overridden_files", "_written_files"),
}


def raw_html(content) -> str:
    """A story's or page's HTML as read, ``{filename}`` links unresolved.

    ``Content.content`` resolves the links (and caches the result), which is
    too late for the gate that must unlink held-back stories first."""
    return content._content


def replace_raw_html(content, html: str) -> None:
    """Replace the HTML as read; links in it are resolved when it is printed."""
    content._content = html


def forget_logged_warnings() -> None:
    """Make Pelican log again every warning it has printed in this process.

    Its ``LimitFilter`` drops a message it has seen before; a content check
    run twice in one process must see every problem both times."""
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def reader_cache_enabled(readers) -> bool:
    """Whether Pelican's reader cache is on for this build's ``Readers``."""
    return bool(readers._cache_data_policy)


def cacheable_metadata(metadata: dict) -> dict:
    """Metadata as Pelican's reader stores it in its cache."""
    return _filter_discardable_metadata(metadata)


def share_settings(entry, settings: dict | None) -> None:
    """Point the tags, category and authors of a reader cache entry,
    ``(content, metadata)``, at this build's ``settings``.

    Pelican's ``Tag`` and its kin hold the settings they were made with. An
    entry read in a worker process (``story_pipeline/read.py``), or loaded
    from the cache, brings its own copy: at 10,000 stories some 6,000
    copies of the settings, 200 MB more memory and seconds more to load,
    and settings of the build that read the file rather than this one's."""
    metadata = entry[1] if isinstance(entry, tuple) and len(entry) == 2 else None
    if not isinstance(metadata, dict):
        return
    for value in metadata.values():
        for item in value if isinstance(value, list) else (value,):
            if isinstance(item, URLWrapper):
                item.settings = settings


def generator_classes(pelican) -> list[type]:
    """Every generator a build of ``pelican`` runs, in Pelican's order:
    its own and those plugins add (``get_generators``)."""
    return list(pelican._get_generator_classes())


def sitemap_generator():
    """pelican-sitemap's module-level generator (it has one per process)."""
    return pelican_sitemap.generator


def reset_sitemap(page_queue: list) -> None:
    """Start pelican-sitemap afresh for a new build in this process.

    It keeps the first Pelican object it saw and the pages queued; a build
    that failed half-way would leave both for the next build."""
    generator = pelican_sitemap.generator
    generator._main_pelican = None
    generator.page_queue = page_queue


# A digest of the code that reads content files and of the settings it
# reads with (set by the story_reader plugin when a build starts), mixed
# into each file's stamp in Pelican's reader cache: what was read by other
# code, or with other settings, is read again.
_reading_code = b""


def key_reads_by_code(digest: str) -> None:
    """Key Pelican's reader cache by the reading code (and its settings) as
    well as each file's bytes: after an upgrade of that code (a new field, a
    new check) or a change of how Markdown is rendered, every file is read
    again, and an unchanged story.md cannot keep what was made of it before."""
    global _reading_code
    _reading_code = digest.encode("utf-8")


def make_reader_cache_safe() -> None:
    """Pelican's reader cache, safe to share and to interrupt, and quick to
    save after one change (once a process).

    Pelican writes the cache in place, so a build killed while writing left a
    truncated file, and loading catches only some errors: every later build
    crashed with ``EOFError: Ran out of input``. Here loading any unreadable
    cache is a miss (an empty cache, with a warning), and saving writes a
    temporary file and renames it (``portal.writing``). Pelican pickles the
    whole cache on every save; here it is kept in shards
    (``portal.sharded_pickle``), and a save pickles again only the shards
    with an entry read this build. Pelican finds an entry by the file's
    absolute path; here by its name in the checkout
    (``portal.paths.checkout_name``), so a checkout at another path with the
    cache folder restored reads no file again (the stamp is the file's
    bytes), and what an entry holds of the path it was read at is brought
    to this checkout's (``adapt_cached_reads``)."""
    cacher = pelican_cache.FileDataCacher
    if getattr(cacher, "_portal_safe", False):
        return
    original_init = cacher.__init__

    @functools.wraps(original_init)
    def __init__(self, settings, cache_name, caching_policy, load_policy):
        # Pelican's loading is left out (load_policy False): the file is
        # the shards' format, which this module reads.
        original_init(self, settings, cache_name, caching_policy, False)
        self._portal_hashes = None  # made when a file's stamp is first asked
        self._portal_used: set[str] = set()  # the entries this build asked for
        self._portal_shards = ShardedPickle(bool(settings.get("GZIP_CACHE")))
        if not load_policy:
            return
        try:
            self._cache = self._portal_shards.load(self._cache_path)
            # Entries are found by the file's name in the checkout
            # (``checkout_name``): one saved under the absolute path of a
            # file in this content folder (before they were) is never found
            # again, so it goes, not kept forever.
            content = settings["PATH"]
            for key in [
                key for key in self._cache if checkout_name(key, content) != key
            ]:
                del self._cache[key]
                self._portal_shards.changed(key)
            for stamped in self._cache.values():
                if isinstance(stamped, tuple) and len(stamped) == 2:
                    share_settings(stamped[1], self.settings)
        except FileNotFoundError:
            pass  # the first build with this cache folder
        except EarlierFormat as error:
            logger.info(
                "The cache %s is from an earlier version (%s); every file is"
                " read again",
                self._cache_path,
                error,
            )
        except (OSError, UnreadableStore) as error:
            logger.warning(
                "Ignoring the unreadable cache %s (%s); it is made again",
                self._cache_path,
                error,
            )
            self._portal_shards = ShardedPickle(bool(settings.get("GZIP_CACHE")))

    original_cache_data = cacher.cache_data
    original_get = cacher.get_cached_data

    @functools.wraps(original_cache_data)
    def cache_data(self, filename, data):
        key = checkout_name(filename, self.settings["PATH"])
        self._portal_shards.changed(key)
        self._portal_used.add(key)
        return original_cache_data(self, key, data)

    @functools.wraps(original_get)
    def get_cached_data(self, filename, default=None):
        key = checkout_name(filename, self.settings["PATH"])
        self._portal_used.add(key)
        return original_get(self, key, default)

    stamped = pelican_cache.FileStampDataCacher
    original_stamped_get = stamped.get_cached_data

    @functools.wraps(original_stamped_get)
    def get_stamped(self, filename, default=None):
        data = original_stamped_get(self, filename, default)
        if data is not default:
            for adapt in _adapters:
                adapt(filename, data)
        return data

    cacher.__init__ = __init__
    cacher.cache_data = cache_data
    cacher.get_cached_data = get_cached_data
    stamped.get_cached_data = get_stamped
    cacher.save_cache = _save_cache
    cacher._portal_safe = True
    pelican_cache.FileStampDataCacher._get_file_stamp = _file_stamp


# What is done with each entry Pelican's reader cache hands out
# (``adapt_cached_reads``).
_adapters: list = []


def adapt_cached_reads(adapt) -> None:
    """Call ``adapt(path, data)`` with every entry Pelican's reader cache
    hands out (once a process): ``data`` was read from a file with the same
    name in the checkout and the same bytes, maybe in a checkout at another
    path, whose absolute paths it may hold."""
    if adapt not in _adapters:
        _adapters.append(adapt)


def _file_stamp(self, filename):
    """Pelican's stamp of a content file, but never by reading a special file
    (a FIFO blocks, a device never ends: the reader refuses both), for a
    SHA-256 remembered while the file's stat holds (``portal.file_hashes``:
    a rebuild of 10,000 stories read every story.md again for it), and with
    the reading code's digest in the stamp (``key_reads_by_code``)."""
    from portal.paths import special_kind

    # A cacher that keeps nothing and holds nothing (Pelican's cache of
    # whole articles: CONTENT_CACHING_LAYER is "reader" here) still stamps
    # every file it is asked about, then drops the stamp: twice a story and
    # a build, a hash looked up for nothing.
    if not self._cache_data_policy and not self._cache:
        return ""
    if special_kind(filename):
        return ""
    method = self.settings["CHECK_MODIFIED_METHOD"]
    # Pelican's own policy, kept for a site that asks for it; this project
    # sets CHECK_MODIFIED_METHOD = "sha256" (pelicanconf.py), so the reader
    # cache is keyed by content and a fresh checkout reads no Markdown again.
    if method == "mtime":
        try:
            return os.path.getmtime(filename)
        except OSError:
            return ""
    if method == "sha256":
        try:
            content = _reader_hashes(self).sha256(filename).encode("ascii")
        except OSError:
            return ""
        return hashlib.sha256(_reading_code + b"\0" + content).digest()
    try:
        digest = hashlib.new(method)
    except (ValueError, TypeError):
        return ""
    digest.update(_reading_code + b"\0")
    try:
        with open(filename, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.digest()


def _reader_hashes(cacher) -> FileHashes:
    """The content files' hashes, remembered beside the reader cache."""
    hashes = cacher._portal_hashes
    if hashes is None:
        memo = cacher._cache_path + ".hashes.json" if cacher._cache_path else None
        hashes = cacher._portal_hashes = FileHashes(memo)
    return hashes


def _save_cache(self) -> None:
    """Pelican's ``save_cache``: the shards with a new entry pickled again,
    written whole or not at all. A build that read nothing leaves the file
    as it is. Pelican saves it once its generator has read every file, and
    an entry no file of this build asked for goes then (Pelican keeps them
    all): a story taken down or renamed leaves no front matter behind."""
    from portal.writing import WriteError

    if not self._cache_data_policy:
        return
    for key in [key for key in self._cache if key not in self._portal_used]:
        del self._cache[key]
        self._portal_shards.changed(key)
    if self._portal_hashes is not None:
        self._portal_hashes.save()
    if not self._portal_shards.has_changes and os.path.exists(self._cache_path):
        return
    try:
        self._portal_shards.save(self._cache_path, self._cache)
    except (WriteError, OSError, pickle.PicklingError, TypeError) as error:
        logger.warning("Could not save the cache %s: %s", self._cache_path, error)


def article_page_arguments(article, settings) -> dict:
    """The keyword arguments Pelican's ``ArticlesGenerator.generate_articles``
    (4.12, through ``generate_pages``) passes the writer for ``article``'s
    page, for a page written outside that loop (story_pipeline)."""
    return {
        "relative_urls": settings["RELATIVE_URLS"],
        "article": article,
        # Pelican sets an article's category only when it has one.
        "category": getattr(article, "category", None),
        "override_output": hasattr(article, "override_save_as"),
        "url": article.url,
        "blog": True,
    }


# ``Writer.write_file``'s own parameters (4.12): not variables of the page.
_WRITE_FILE_PARAMETERS = frozenset(
    ("relative_urls", "paginated", "template_name", "override_output", "url")
)


def page_variables(context: dict, name: str, arguments: dict) -> dict:
    """The variables Pelican's ``Writer.write_file`` (4.12, its
    ``_get_localcontext``) renders the page ``name`` with, called with
    ``context`` and ``arguments`` (``article_page_arguments``): for a part of
    that page rendered again on its own (story_pipeline's related stories),
    which must print what the page printed."""
    variables = dict(context)
    variables["localsiteurl"] = variables.get("localsiteurl")
    if arguments.get("relative_urls"):
        relative = path_to_url(get_relative_path(name))
        variables["SITEURL"] = relative
        variables["localsiteurl"] = relative
    variables["output_file"] = name
    variables.update(
        (key, value)
        for key, value in arguments.items()
        if key not in _WRITE_FILE_PARAMETERS
    )
    return variables


class BufferingWriter(Writer):
    """Pelican's Writer, but every file it writes goes to ``open_buffer``.

    Pelican opens (and so empties) an output file before it renders into it;
    a writer that wants to compare the new bytes with the old file first
    needs the file object itself. Pelican's rules for writing one file twice
    (``Writer._open_w``, 4.12) are kept, repeated here because calling it
    would open the file."""

    def open_buffer(self, filename: str, encoding: str):
        """The file object Pelican writes ``filename`` into."""
        raise NotImplementedError

    def _open_w(self, filename, encoding, override=False):
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time '
                    "(was previously overwritten)"
                )
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" as Pelican has already '
                "written to it previously (set `override=True` if intended)"
            )
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return self.open_buffer(filename, encoding)


class _Listed(list):
    """A list of articles whose ``in`` is a set lookup (articles compare by
    identity: Pelican's ``Content`` defines no ``__eq__``)."""

    def __init__(self, articles):
        super().__init__(articles)
        self._ids = frozenset(map(id, self))

    def __contains__(self, article) -> bool:
        return id(article) in self._ids


def quick_listing_membership(generator) -> None:
    """Let Pelican's tag, category and author pages find their articles in
    a set, not a list (``article_generator_finalized``).

    ``ArticlesGenerator.generate_tags`` (and ``_categories``, ``_authors``;
    4.12) keeps, for each tag, the site's articles that are ``in`` the tag's
    list: a scan of that list for every article of the site. At 10,000
    stories and 15 topics that was 2.5 s of every build, rebuilds with
    nothing changed too. The lists are Pelican's own, left in place as
    lists; only their ``in`` changes, and gives the same answers."""
    for tag, articles in list(generator.tags.items()):
        generator.tags[tag] = _Listed(articles)
    for pairs in (generator.categories, generator.authors):
        if isinstance(pairs, list):  # Pelican sorts them into lists of pairs
            pairs[:] = [(name, _Listed(articles)) for name, articles in pairs]
