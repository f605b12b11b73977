"""Where a published story's files live in the output, in one place.

The page, the podcast feed, the search index and the embeds all link to the
same transcript and chapters files; each asks here rather than building the
path itself. Paths are site-relative (``stories/<slug>/transcript.srt``);
templates turn them into URLs with the ``site_url`` filter and the feed with
``absolute_url``."""

from __future__ import annotations

import re

from portal.mime import AUDIO_MIME_TYPES

# format -> (file name, MIME type, rel attribute for podcast:transcript)
TRANSCRIPT_FORMATS = {
    "vtt": ("transcript.vtt", "text/vtt", None),
    "srt": ("transcript.srt", "application/x-subrip", "captions"),
    "json": ("transcript.json", "application/json", None),
    "html": ("transcript.html", "text/html", None),
}
CHAPTERS_FILE = "chapters.json"
CHAPTERS_MIME = "application/json+chapters"
# Files players, podcast apps and search on other sites fetch from scripts
# (transcripts, chapters, oEmbed, and the episodes' audio, which web players
# fetch to seek, draw or read its chapters): served with
# Access-Control-Allow-Origin by the development server and, through
# _headers, by static hosts. The podcast feed too, by its own path
# (``CROSS_ORIGIN_PATHS``, the setting plugins add theirs to).
CROSS_ORIGIN_SUFFIXES = (".vtt", ".srt", ".json", *AUDIO_MIME_TYPES)
CROSS_ORIGIN_PATHS = "SECURITY_HEADERS_CROSS_ORIGIN_PATHS"
# The feed's names end in one of these (podcast_feed's PODCAST_FEED_SAVE_AS):
# the development server, which reads no settings, answers them with CORS.
FEED_SUFFIXES = (".xml", ".rss")
# What a script on another site may read of an audio file's answer to a
# Range request (Content-Length is readable without it).
AUDIO_EXPOSED_HEADERS = "Content-Range, Accept-Ranges, ETag"
# A name with a content hash in it: site.3f2a9c1d.css, art-0a1b2c3d4e5f.jpg,
# and a size of the same file after it: podcast-art-0a1b2c3d4e5f-400.webp.
# A hash has a letter in it: 20241201 in photo-20241201.jpg is a date. Such a
# file's bytes never change under its name, so hosts may keep it a year
# (``CACHE_FOR_A_YEAR``: the S3 deploy's headers and _headers).
FINGERPRINTED = re.compile(r"[.-](?=[0-9]*[a-f])[0-9a-f]{8,}(?:-\d+)?\.[A-Za-z0-9]+$")
CACHE_FOR_A_YEAR = "public, max-age=31536000, immutable"
# The folder of the story folders (``stories/<slug>/``, ``story_folder``).
STORY_FOLDERS = "stories"
# The files of a story folder whose names change whenever their bytes do,
# named by a hash of all that makes them: each kind as the pattern that
# covers it in every story folder (``_headers``: ``/stories/:slug/share-*``)
# and the exact shape of its names (there a hash needs no letter: the shape
# tells it from a date). A story's own files keep the names editors gave
# them (its picture, its transcript, the master with
# AUDIO_RENDITION_PUBLISH_MASTER): in a story folder nothing else is taken
# for a hash, FINGERPRINTED names included.
_RENDITION = re.compile(r"(?P<slug>.+)-[0-9a-f]{12}\.(?:mp3|m4a)")
STORY_FILES_BY_HASH = (
    # story_embeds' share card
    ("share-*", re.compile(r"share-[0-9a-f]{12}\.jpg")),
    # artwork's pictures and their sizes
    ("podcast-art-*", re.compile(r"podcast-art-[0-9a-f]{12}(?:-\d+)?\.(?:jpg|webp)")),
    # audio_rendition's delivery audio, <slug>-<hash of the master, the
    # settings, the code, the tags and the art>
    ("*.mp3", _RENDITION),
    ("*.m4a", _RENDITION),
)
# Any of them, in one expression (10,000 story folders are read for them).
_STORY_FILE = re.compile(
    "|".join(
        f"(?:{shape})"
        for shape in dict.fromkeys(s.pattern for _, s in STORY_FILES_BY_HASH)
    )
)
# The search's bundle (plugins/site_search: SITE_SEARCH_BUNDLE's default).
SEARCH_BUNDLE = "pagefind/"
# The search's staging folders beside an output (site_search/indexer.py):
# this, the output folder's name, "-" and a random part. A killed build's
# are removed by the next build of that output (portal.publishing).
SEARCH_SCRATCH = ".site-search-"
# A large site's search comes in parts (plugins/site_search/parts.py), each
# in a folder named by a key of all it is made from (its pages' words, the
# code, Pagefind's version): no file in one ever changes, so hosts may keep
# them all a year. A bundle's own names are not enough: Pagefind names its
# index, filter and fragment files by the first 7 hex digits of their
# SHA-1 (pagefind/src/index/mod.rs), and a small site's single bundle, kept
# in one folder from build to build, may give a used name to other bytes
# (over a thousand edits, a chance of one in sixty): a visitor would be
# shown another story's result, or a broken search, for a year. Those
# revalidate.
SEARCH_PART_FOLDERS = ("part-*", "words-*")
_SEARCH_PART = re.compile(r"(?:part|words)-[0-9a-f]{16}")
# The context key naming the story pages story_pipeline makes: the writer of
# Pelican's own loop over articles leaves them to it (unchanged_writes).
PIPELINE_PAGES = "story_pipeline_pages"
# The context key of the cache of the other pages (story_pipeline/pages.py):
# the writer asks it before rendering a page, and gives it what it wrote.
PAGE_CACHE = "story_pipeline_page_cache"
# The context key of what plugins work out from a story, kept under the
# story's key (story_pipeline/memo.py: the feed's episodes).
STORY_MEMO = "story_pipeline_memo"
# In CACHE_PATH: every output file the story pipeline keeps (stories' and
# pages'), each as ``STORED_FILES/<its SHA-256>`` (story_pipeline/store.py).
# A page last indexed for the search is there under the hash the search
# remembers it by: read ahead from there when no output has it yet (a fresh
# clone with the cache restored; site_search/ahead.py).
OUTPUT_STORE = "story_outputs"
STORED_FILES = "files"
# The context key of what listing pages print of the site besides their own
# stories, as JSON's values (browse: the questions answered): part of every
# listing's key in the page cache (story_pipeline/pages.py).
LISTINGS_SHOW = "listings_show"


def story_folder(story) -> str:
    """``stories/<slug>/``: the folder of a story's page and files, from its
    public address (the record's ``url``), whatever its status when asked."""
    url = story.story.url
    return url if url.endswith("/") else url.rsplit("/", 1)[0] + "/"


def transcript_path(story, fmt: str) -> str:
    return story_folder(story) + TRANSCRIPT_FORMATS[fmt][0]


def chapters_path(story) -> str:
    return story_folder(story) + CHAPTERS_FILE


def absolute_url(site_url: str, path: str) -> str:
    """An absolute URL for a site-relative path (feeds, oEmbed, Open Graph)."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{site_url.rstrip('/')}/{path.lstrip('/')}"


def site_path_url(site_url: str, value: str) -> str | None:
    """The absolute URL of a site path (``/take-part/``) written in content
    or settings: the site's page under its address's own path, when the site
    lives in a folder of its host (a GitHub Pages project site), not a page
    at the host's root. None for anything else (``https://...``,
    ``//host/...``, ``#fragment``, ``{filename}...``, ``../other/``)."""
    value = value.strip()
    if value.startswith("/") and not value.startswith("//"):
        return absolute_url(site_url, value)
    return None


def story_file_by_hash(slug: str, name: str) -> bool:
    """Is ``name`` in the story folder ``stories/<slug>/`` one the build
    names by a hash (``STORY_FILES_BY_HASH``)?"""
    found = _STORY_FILE.fullmatch(name)
    return found is not None and found["slug"] in (None, slug)


def kept_a_year(path: str, search_bundle: str = SEARCH_BUNDLE) -> bool:
    """May hosts keep the file at site-relative ``path`` a year
    (``CACHE_FOR_A_YEAR``)? Only if its name changes whenever its bytes do:
    in a story folder, the files the build names by a hash; in the search's
    bundle (``search_bundle``), its parts' folders; elsewhere a
    ``FINGERPRINTED`` name (the theme's CSS and JavaScript, the funders'
    logos, the show's cover). _headers
    (plugins/security_headers) and the S3 deploy both ask here."""
    folder, _, name = path.rpartition("/")
    bundle = search_bundle.strip("/") + "/"
    if (folder + "/").startswith(bundle):
        part = folder[len(bundle) :].partition("/")[0]
        return bool(_SEARCH_PART.fullmatch(part))
    top, _, slug = folder.partition("/")
    if top == STORY_FOLDERS:
        return bool(slug) and "/" not in slug and story_file_by_hash(slug, name)
    return bool(FINGERPRINTED.search(name))
