"""Development settings: relative URLs, lenient content checks.

A story with a content error is reported and left out here; publishconf.py
makes the same error stop the build."""

import os
import sys

PROJECT_ROOT = os.path.dirname(os.path.abspath(__file__))
# Plugins share the portal package (schema, MIME table, problems).
if PROJECT_ROOT not in sys.path:
    sys.path.insert(0, PROJECT_ROOT)

SITENAME = "One Small Step"
SITESUBTITLE = "Conversations across the political divide"
AUTHOR = "StoryCorps"
SITEURL = ""
RELATIVE_URLS = True
PATH = os.path.join(PROJECT_ROOT, "content")
OUTPUT_PATH = os.path.join(PROJECT_ROOT, "output")
CACHE_PATH = os.path.join(PROJECT_ROOT, "cache")
# The podcast renditions (the largest part of the cache) in a folder of their
# own when the environment names one: shared by several checkouts, or on a
# larger disk. Empty: CACHE_PATH/audio_rendition.
AUDIO_RENDITION_CACHE_PATH = os.environ.get("AUDIO_RENDITION_CACHE_PATH", "")
# "no" when builds of other content use that folder at the same time (a test
# run's): a build then leaves in it what it does not use itself.
AUDIO_RENDITION_PRUNE = os.environ.get("AUDIO_RENDITION_PRUNE", "yes") != "no"
THEME = os.path.join(PROJECT_ROOT, "theme")
TIMEZONE = "America/New_York"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%B %-d, %Y"

PLUGIN_PATHS = [os.path.join(PROJECT_ROOT, "plugins")]
PLUGINS = [
    # First: takes the cache folder's lock before any plugin reads it.
    "shared_cache",
    # Early: a wrong campaign colour stops the build before any work.
    "campaign_colours",
    "story_reader",
    "story_audio",
    "transcripts",
    "approval_gate",
    "story_assets",
    "theme_helpers",
    "content_checks",
    "artwork",
    "podcast_feed",
    # Before every plugin with work at the end of the build (Pelican's
    # ``finalized``): Pagefind, the longest of it, starts first and runs
    # beside the rest (an edit's build waits for it).
    "site_search",
    # After artwork and podcast_feed (the cover, the show's name), before
    # story_embeds (which prints the audio's URL).
    "audio_rendition",
    "conversation_guide",
    "recording_app",
    "funders",
    "signup_forms",
    "browse",
    "pelican.plugins.sitemap",
    "robots",
    "story_embeds",
    # Makes every published story's own outputs (its page, and the files
    # story_embeds and transcripts make through it).
    "story_pipeline",
    # Before security_headers and precompress, which see what it writes.
    "editing_ui",
    # Speed and weight (benchmarks/README.md): keep these last, in this
    # order; precompress must see every file the others wrote.
    "unchanged_writes",
    "asset_fingerprint",
    # After asset_fingerprint: _headers names its copies, to be kept a year.
    "security_headers",
    "precompress",
    # Last, so its summary counts everything the others wrote.
    "build_report",
]

# Content layout: one folder a story, campaign pages, data files.
ARTICLE_PATHS = ["stories"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
# content/README.md is the editors' guide, read on GitHub, and
# guide-screenshots/ its pictures: no page of the site. Ignored, they are no
# part of any story's key either (story_pipeline/key.py).
IGNORE_FILES = [".*", "README.md", "*~", "guide-screenshots"]
ARTICLE_ORDER_BY = "reversed-date"

# URLs: stories live at /stories/<folder>/, pages at /<slug>/.
ARTICLE_URL = "stories/{slug}/"
ARTICLE_SAVE_AS = "stories/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# The story listing (INDEX_URL) is written by plugins/browse, in both orders.
DIRECT_TEMPLATES = ["home", "tags"]
HOME_SAVE_AS = "index.html"
INDEX_URL = "stories/"
INDEX_SAVE_AS = "stories/index.html"
PAGINATED_TEMPLATES = {"index": None, "tag": None}
DEFAULT_PAGINATION = 12
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
TAG_URL = "topics/{slug}/"
TAG_SAVE_AS = "topics/{slug}/index.html"
TAGS_URL = "topics/"
TAGS_SAVE_AS = "topics/index.html"
# Pelican's own listings we do not publish; drafts never get a page.
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = ""
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""

# Pelican's Atom/RSS feeds are replaced by the podcast feed.
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = TAG_FEED_ATOM = None

# Stories are not translated, and two stories with one address are an error
# the approval gate reports. Pelican's search for translations by slug
# compares every story with every other one (a second at 10,000 stories).
ARTICLE_TRANSLATION_ID = None

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.smarty": {},
    },
    "output_format": "html5",
}
TYPOGRIFY = False

# The campaign, as the theme shows it.
CAMPAIGN = {
    "organization": "StoryCorps",
    "tagline": "Conversations across the political divide",
    "contact_email": "onesmallstep@storycorps.org",
}

# The campaign's account on X, named on every page's card ("twitter:site"):
# with it, X plays a shared story in the post (a player card); without it
# (None), a shared story shows its picture.
STORY_EMBEDS_X_ACCOUNT = "@StoryCorps"

# The campaign's colours, for the site, the podcast cover and the share cards:
# any of the palette's colours by name, e.g. {"accent": "#0b6e4f"} (every
# name, its default and what it colours: portal/palette.py).
CAMPAIGN_COLOURS = {}

# Rebuilds re-read only the Markdown files whose bytes changed (a SHA-256 of
# each file, not its mtime: a fresh checkout gives every file a new mtime,
# and a publish workflow that restores cache/ should not read every story
# again). The reader's output is cached, never Article objects, so plugin
# attributes (audio, transcript, approval) are recomputed on every build.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "sha256"
CONTENT_CACHING_LAYER = "reader"

# Story handling (see plugins/*/README.md).
STORY_STRICT = False
STORY_PREVIEW = False
STORY_MEDIA_URL = ""

# The site's absolute address, for what must carry absolute URLs (the podcast
# feed, Open Graph, oEmbed, embeds, JSON-LD; see plugins/podcast_feed/README.md and
# plugins/story_embeds/README.md). The dev server's by default.
SITE_ABSOLUTE_URL = "http://localhost:8000"
# The public site's address. Only a build for exactly this address is
# production: any other (this development build, a drafts preview, a staging
# SITEURL) writes a podcast feed that asks directories not to list it
# (itunes:block, podcast:block).
SITE_PRODUCTION_URL = "https://onesmallstep.example.org"
# The podcast: the show's own settings are in content/data/podcast.yml.
PODCAST_FEED_SAVE_AS = "podcast.xml"
PODCAST_PAGE_URL = "podcast/"
PODCAST_PAGE_SAVE_AS = "podcast/index.html"

# Sign-up forms (plugins/signup_forms; where they send: content/data/forms.yml).
# In development a form without an action posts to the dev server, which keeps
# what it receives in form-submissions.jsonl; production leaves this empty.
SIGNUP_FORMS_DEV_ENDPOINT = "/_forms/"

# Everything a template prints is escaped; Markdown we rendered (and
# sanitized) is marked |safe where it is printed.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

# Finding stories (plugins/browse, plugins/site_search, plugins/robots).
# sitemap.xml lists every page the build writes except the search page.
SITEMAP = {
    "format": "xml",
    # browse/recorded/ only sends visitors on to /stories/ (plugins/browse).
    "exclude": [r"^search/", r"^browse/recorded/"],
    "priorities": {"articles": 0.8, "indexes": 0.5, "pages": 0.5},
    "changefreqs": {"articles": "monthly", "indexes": "weekly", "pages": "monthly"},
}

# The editing UI at /admin/ (plugins/editing_ui): Decap CMS, saving through
# the local backend that `./dev cms` starts (decap-server, writing to this
# working copy).
EDITING_UI = True
EDITING_UI_LOCAL_BACKEND = "http://localhost:8081/api/v1"
