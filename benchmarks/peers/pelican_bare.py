"""Bare Pelican: no plugins, Pelican's own "simple" theme, default settings.

Only what makes the output comparable with ours is set: the same URL layout,
the same listings (all stories paginated by 12, one page a topic, paginated)
and one RSS feed with every story. Categories, authors and archives, which
our site does not publish, are switched off here too, so neither site is
charged for pages the other does not make."""

SITENAME = "One Small Step (bare Pelican)"
SITEURL = "https://bench.example.org"
RELATIVE_URLS = False
THEME = "simple"
PLUGINS = []  # not even the namespace plugins Pelican would find
TIMEZONE = "America/New_York"
DEFAULT_LANG = "en"

ARTICLE_PATHS = ["stories"]
PAGE_PATHS = []
STATIC_PATHS = []
ARTICLE_URL = "stories/{slug}/"
ARTICLE_SAVE_AS = "stories/{slug}/index.html"
INDEX_SAVE_AS = "stories/index.html"
DEFAULT_PAGINATION = 12
PAGINATED_TEMPLATES = {"index": None, "tag": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
TAG_URL = "topics/{slug}/"
TAG_SAVE_AS = "topics/{slug}/index.html"
TAGS_SAVE_AS = "topics/index.html"
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""

FEED_ALL_ATOM = CATEGORY_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_ALL_RSS = "feed.xml"
FEED_MAX_ITEMS = None  # every story, as a podcast feed lists every episode
