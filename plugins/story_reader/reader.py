"""Read Markdown with YAML front matter: stories and campaign pages.

Stories are validated against ``portal.schema.Story``. A story that fails is
still returned (as a draft carrying its problems) so the approval gate can
report it with every other problem and hold it back; raising here would make
Pelican print a traceback and forget which field was wrong."""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import logging
import os
import re
import string
import unicodedata

import markupsafe
import nh3
import pydantic
from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.utils import SafeDatetime
from slugify import slugify

import portal
from portal import frontmatter, paths, pelican_private, site_address, skipped
from portal.change_marks import change_marks
from portal.code_digest import tree_digest
from portal.outputs import site_path_url
from portal.problems import Problem, Severity, StoryContentError, record_problems
from portal.schema import (
    PageFrontMatter,
    Story,
    date_order_warnings,
    decimal_time_warnings,
    describe_errors,
)
from portal.sizes import human_size
from portal.story_record import StoryRecord, front_digest, is_story

from .dates import in_site_zone

logger = logging.getLogger(__name__)

# A story.md holds front matter and an introduction of a few paragraphs, a
# few kilobytes. A file this large is a pasted transcript or a file saved
# over the wrong one; refusing it says so, instead of rendering megabytes of
# Markdown into a page. Campaign pages are held to the same limit.
MAX_TEXT_BYTES = 1_000_000

# Raw HTML in Markdown passes through this allow-list: formatting and links,
# never scripts, styles, frames, forms or event handlers.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "details",
    "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "*": {"id", "lang"},
}


# Ids in a story's introduction get this prefix: the page around it
# has its own (``main``, ``transcript``, ``turn-N`` that ``#turn-N`` links
# jump to), and a second element with one of them breaks those links.
ID_PREFIX = "intro-"
_FRAGMENT_LINK = re.compile(r'href="#([^"]+)"')


# The attributes a site path (``/take-part/``) is written in.
_SITE_PATH_ATTRIBUTES = {("a", "href"), ("img", "src")}


def sanitize_html(
    html: str, id_prefix: str | None = None, site_url: str | None = None
) -> str:
    """``html`` with only the allowed tags and attributes; with ``id_prefix``
    every id gets it (and links within the text follow); with ``site_url``,
    links and pictures at a site path (``/take-part/``) are the site's, under
    its address's own path (``portal.outputs.site_path_url``)."""

    def site_paths(tag: str, attribute: str, value: str) -> str:
        if (tag, attribute) in _SITE_PATH_ATTRIBUTES:
            return site_path_url(site_url, value) or value
        return value

    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener",
        id_prefix=id_prefix,
        attribute_filter=site_paths if site_url else None,
    )
    if not id_prefix or id_prefix not in clean:
        return clean
    # Links within the text (footnotes) follow their targets' new ids.
    ids = set(re.findall(r'\sid="([^"]+)"', clean))

    def relink(match: re.Match) -> str:
        target = id_prefix + match.group(1)
        return f'href="#{target}"' if target in ids else match.group(0)

    return _FRAGMENT_LINK.sub(relink, clean)


class FrontMatterMarkdownReader(MarkdownReader):
    """Markdown whose metadata is a YAML block between --- lines."""

    def read(self, source_path):
        relative = _relative(source_path, self.settings)
        kind = "story" if _is_story(relative, self.settings) else "page"
        if kind == "story" and skipped.is_extra_markdown(source_path):
            # Not the folder's story: Pelican skips it, the report names it.
            return "", {"status": "skip", "title": relative}
        try:
            return self._read(source_path, relative, kind)
        except Exception as error:
            # Pelican would log "Could not process" without the reason and
            # leave the file out: a story would vanish from a publish that
            # then succeeds. As a problem, it is held back and named, and a
            # production build stops on it.
            logger.debug("reading %s failed", relative, exc_info=True)
            problems = [
                Problem(
                    relative,
                    "file",
                    f"could not be read ({type(error).__name__}: {error})",
                    "if the message names a mistake, correct it; otherwise this "
                    "is a fault in the site's code: tell its developers, with "
                    "this message",
                )
            ]
            if kind == "story":
                return "", self._story_metadata(relative, source_path, None, problems)
            return "", self._page_metadata(relative, None, problems)

    def _read(self, source_path, relative, kind):
        problems: list[Problem] = []
        text = _read_text(source_path, relative, problems, self.settings["PATH"])
        matter = None
        if text is not None:
            try:
                matter = frontmatter.split(text)
            except frontmatter.FrontMatterError as error:
                problems.append(
                    Problem(
                        relative,
                        error.field or "front matter",
                        error.message,
                        error.fix,
                        error.line,
                    )
                )
        body = matter.body if matter else ""
        # A story's introduction sits inside the story page, whose own ids
        # (turn-N, main...) it must not take; campaign pages keep theirs.
        prefix = ID_PREFIX if kind == "story" else None
        content = (
            sanitize_html(self._render(body), prefix, text_site_url(self.settings))
            if body.strip()
            else ""
        )
        if kind == "story":
            metadata = self._story_metadata(relative, source_path, matter, problems)
            if text is not None:
                metadata["story"].change_marks = change_marks(text)
        else:
            metadata = self._page_metadata(relative, matter, problems)
        return content, metadata

    def _render(self, body: str) -> str:
        # One Markdown instance per reader, reset between documents: building
        # it (extensions, patterns) costs more than converting a story body.
        markdown = getattr(self, "_markdown", None)
        if markdown is None:
            markdown = self._markdown = Markdown(**self.settings["MARKDOWN"])
        return markdown.reset().convert(body)

    def _validated(self, model, relative, matter, problems):
        if matter is None:
            return None
        try:
            return model.model_validate(matter.data)
        except pydantic.ValidationError as error:
            items = describe_errors(error, model.model_fields, matter.data)
            problems += _described(items, relative, matter, Severity.ERROR)
            return None

    def _story_metadata(self, relative, source_path, matter, problems):
        story = self._validated(Story, relative, matter, problems)
        if story is not None:
            items = decimal_time_warnings(matter.data) + date_order_warnings(story)
            problems += _described(items, relative, matter, Severity.WARNING)
        # The folder name is the story's address: one form of each accented
        # letter (macOS may store "café" decomposed), nothing a URL, a header
        # line or XML cannot carry.
        folder = unicodedata.normalize(
            "NFC", os.path.basename(os.path.dirname(source_path))
        )
        unsafe = paths.unsafe_name(folder, folder=True)
        if unsafe:
            problems.append(
                Problem(
                    relative,
                    "folder",
                    f"the folder name '{paths.printable(folder)}' has {unsafe}, which"
                    " cannot be in a web address",
                    f"rename the folder to '{slugify(folder) or 'a-story'}' (lowercase"
                    " letters, digits and hyphens)",
                    1,
                )
            )
        record = StoryRecord(
            source=relative,
            folder=os.path.dirname(os.path.abspath(source_path)),
            slug=folder,
            front=story,
            front_digest=front_digest(story),
            lines=frontmatter.FieldLines(matter.lines if matter else None),
            declared=_declared(matter) if story is None else None,
            problems=problems,
        )
        # Pelican's own fields (its URLs, listings and feeds use them) and
        # the record, which is everything else the site knows of the story.
        metadata = {"slug": folder, "story": record}
        if story is None:
            # Enough for Pelican to hold the object; the gate removes it.
            title = matter.data.get("title") if matter else None
            metadata.update(
                title=str(title) if isinstance(title, str) and title else folder,
                date=SafeDatetime(1970, 1, 1),
                status="draft",
            )
            return metadata
        published = story.published or story.date
        zone = self.settings.get("TIMEZONE") or "UTC"
        metadata.update(
            title=story.title,
            date=in_site_zone(published, zone),
            status="published" if story.status == "published" else "draft",
            tags=self.process_metadata("tags", story.topics) if story.topics else [],
            # Pelican prints summaries as HTML; ours is plain text.
            summary=str(markupsafe.escape(story.summary)) if story.summary else "",
        )
        # Pelican's ``modified``, which the sitemap gives search engines as
        # the page's lastmod: without published:, the story went public with
        # its approval, most often long after it was recorded (the recording
        # date told them a page new today had not changed since 2019).
        metadata["modified"] = metadata["date"]
        went_public = record.public_since
        if (
            story.published is None
            and went_public is not None
            and in_site_zone(went_public, zone).date() > metadata["date"].date()
        ):
            metadata["modified"] = in_site_zone(went_public, zone)
        return metadata

    def _page_metadata(self, relative, matter, problems):
        page = self._validated(PageFrontMatter, relative, matter, problems)
        metadata = {"page_problems": problems}
        if page is None:
            stem = os.path.splitext(os.path.basename(relative))[0]
            metadata.update(title=stem, status="draft")
            return metadata
        metadata.update(title=page.title, status=page.status)
        if page.summary:
            metadata["summary"] = str(markupsafe.escape(page.summary))
        metadata.update(
            page.model_dump(
                include={"slug", "template", "save_as", "url", "menu", "menu_title"},
                exclude_none=True,
            )
        )
        if page.menu_button:
            metadata["menu_button"] = True
        return metadata


def _described(items, relative: str, matter, severity: Severity) -> list[Problem]:
    """Problems from the schema's descriptions of what is wrong
    (``describe_errors``, ``decimal_time_warnings``)."""
    return [
        Problem(
            relative,
            item["field"],
            item["message"],
            item["fix"],
            matter.line_of(item["line_loc"]),
            severity,
        )
        for item in items
    ]


def text_site_url(settings) -> str | None:
    """The address site paths in stories' and pages' text are the site's
    pages under: the site's, when its pages link by absolute URL (SITEURL,
    production). With relative URLs (development: the dev server serves the
    site at its host's root) they are left as written."""
    if settings.get("RELATIVE_URLS"):
        return None
    siteurl = (settings.get("SITEURL") or "").strip()
    return siteurl.rstrip("/") if siteurl.startswith(site_address.SCHEMES) else None


def _relative(source_path: str, settings) -> str:
    """The path an editor sees: relative to the project, forward slashes."""
    root = os.path.dirname(os.path.abspath(settings["PATH"]))
    relative = os.path.relpath(os.path.abspath(source_path), root)
    # A line break in a folder name must not break the message's line.
    return paths.printable(relative.replace(os.sep, "/"))


def _is_story(relative: str, settings) -> bool:
    content_dir = os.path.basename(os.path.abspath(settings["PATH"]))
    inside = relative.removeprefix(content_dir + "/")
    return any(
        inside.startswith(path.rstrip("/") + "/") for path in settings["ARTICLE_PATHS"]
    )


def _declared(matter) -> dict | None:
    """What front matter that failed validation says about going public.

    The gate needs it to tell a story meant to be published (whose errors
    must stop a production build) from a draft (whose errors must not);
    None when the file could not be read at all."""
    if matter is None:
        return None
    return {key: _value_meant_for(matter.data, key) for key in DECLARED_FIELDS}


# The fields that say whether a story is meant to be public.
DECLARED_FIELDS = ("status", "approval", "published")


def _value_meant_for(data: dict, field: str):
    """``data[field]``, or the value of a key that is plainly a misspelling
    of it (``aproval:``, ``Status:``): the story still says what it meant."""
    if field in data:
        return data[field]
    for key, value in data.items():
        if isinstance(key, str):
            written = key.strip().lower()
            if difflib.SequenceMatcher(None, written, field).ratio() >= 0.8:
                return value
    return None


def _read_text(
    source_path: str, relative: str, problems: list, content_root: str
) -> str | None:
    """The file's text; None (and a problem) when it cannot be read safely."""
    kind = paths.special_kind(source_path)
    if kind:
        problems.append(
            Problem(
                relative,
                "file",
                f"is {kind}, not a file",
                "replace it with the story's story.md itself",
                1,
            )
        )
        return None
    if not paths.inside(content_root, source_path):
        # A story folder (or story.md) that is a link to elsewhere on this
        # computer would publish whatever is there.
        problems.append(
            Problem(
                relative,
                "file",
                "is a link to a file or folder outside the content folder",
                "copy the story's folder into content/stories/ instead of linking"
                " to it",
                1,
            )
        )
        return None
    size = os.path.getsize(source_path)
    if size > MAX_TEXT_BYTES:
        problems.append(
            Problem(
                relative,
                "file",
                f"is {human_size(size)}, more than the {human_size(MAX_TEXT_BYTES)}"
                " a story or page may be",
                "keep only the front matter and a short introduction here; the"
                " transcript belongs in its own .vtt file",
                1,
            )
        )
        return None
    with open(source_path, "rb") as handle:
        raw = handle.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(
            Problem(
                relative,
                "file",
                f"is not UTF-8 text (byte {error.start})",
                "save the file as UTF-8 in your editor",
                line,
            )
        )
        return None


def add_reader(readers):
    for extension in FrontMatterMarkdownReader.file_extensions:
        readers.reader_classes[extension] = FrontMatterMarkdownReader


def report_skipped(generator):
    """Story files no story is read from, each named with the reason."""
    problems = skipped.skipped_story_files(
        generator.settings["PATH"],
        generator.settings["ARTICLE_PATHS"],
        tuple(generator.settings.get("IGNORE_FILES") or ()),
    )
    for problem in problems:
        logger.warning("%s", problem)
    record_problems(generator.context, problems)
    generator.context["stories_skipped"] = [
        (problem.path, problem.message.removeprefix("skipped: "))
        for problem in problems
    ]


def check_pages(generator):
    """Pages with broken front matter are drafts; strict builds stop on them."""
    problems = []
    for page in generator.draft_pages + generator.pages + generator.hidden_pages:
        # Pages read by another reader (plain HTML) carry no problems.
        problems.extend(page.metadata.get("page_problems") or [])
    for problem in problems:
        logger.error("%s", problem)
    record_problems(generator.context, problems)
    if problems and generator.settings.get("STORY_STRICT"):
        raise StoryContentError(problems)


def code_digest() -> str:
    """A hash of the reading code's source files (this plugin and
    ``portal/``: schema, front matter, problems), by content: checkouts and
    copies change modification times, not the code."""
    return tree_digest(
        os.path.dirname(os.path.abspath(__file__)),
        os.path.dirname(os.path.abspath(portal.__file__)),
        suffixes=(".py",),
    )


# The settings what a file is read into depends on: the content folder
# (messages name files from it; which files are stories), how Markdown is
# rendered, and the address site paths in the text are resolved against.
READING_SETTINGS = ("PATH", "ARTICLE_PATHS", "MARKDOWN", "SITEURL", "RELATIVE_URLS")


def reading_digest(settings) -> str:
    """The reading code and the settings it reads with, by content."""
    used = {name: settings.get(name) for name in READING_SETTINGS}
    # Of the content folder's path, only its name shapes what is read (the
    # record's ``source``): a checkout at another path reads the same.
    used["PATH"] = os.path.basename(os.path.abspath(settings["PATH"]))
    text = json.dumps(used, sort_keys=True, default=str)
    return code_digest() + ":" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def key_reads_by_code(pelican) -> None:
    pelican_private.key_reads_by_code(reading_digest(pelican.settings))


@functools.cache
def _fields(pattern: str) -> frozenset[str]:
    """The names a URL setting such as ``stories/{slug}/`` formats in."""
    parsed = string.Formatter().parse(pattern)
    return frozenset(name for _, name, _, _ in parsed if name)


def note_address(content) -> None:
    """The story's public address, on its record, as Pelican makes the
    article (``content_object_init``): worked out once a build."""
    if is_story(content):
        url_setting = content.settings["ARTICLE_URL"]
        if _fields(url_setting) <= {"slug"}:
            # Pelican's ``url_format`` copies the metadata and works out
            # every field a URL may use: a second at 10,000 stories, for
            # the one this setting names.
            content.story.url = url_setting.format(slug=content.slug)
        else:
            content.story.url = url_setting.format(**content.url_format)


def in_this_checkout(path: str, data) -> None:
    """A story as Pelican's reader cache hands it out: read from a file of
    the same name and bytes, maybe in a checkout at another path (the cache
    restored on another runner); its folder is the one here."""
    if not isinstance(data, tuple) or len(data) != 2:
        return  # not a reader's (content, metadata): a generator's cache
    metadata = data[1]
    record = metadata.get("story") if isinstance(metadata, dict) else None
    if isinstance(record, StoryRecord):
        folder = os.path.dirname(path)
        if record.folder != folder:
            record.folder = folder


def register():
    pelican_private.adapt_cached_reads(in_this_checkout)
    signals.initialized.connect(key_reads_by_code)
    signals.readers_init.connect(add_reader)
    signals.content_object_init.connect(note_address)
    signals.article_generator_finalized.connect(report_skipped)
    signals.page_generator_finalized.connect(check_pages)
