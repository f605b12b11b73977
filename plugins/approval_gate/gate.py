"""The approval gate: only published, approved, fully released stories exist.

Pelican's ``draft`` status still writes a page and copies attachments, so the
gate does not rely on it. After every story is read, it asks the other
plugins to inspect the stories (``portal.signals``), then removes every story
that is not cleared from each list Pelican keeps, from the content map used
to resolve links, and from the static files to copy (``static_files.py``:
also a picture in ``content/images/`` only held-back stories name). What is
removed is never rendered, listed, fed or indexed: later plugins only ever see
cleared stories.

Settings:
- ``STORY_STRICT`` (publishconf: True): a content error in a story that would
  otherwise be published stops the build, naming every problem.
- ``STORY_PREVIEW`` (preview builds only): held-back stories are kept, marked
  with ``held_back`` reasons so the theme shows a "not public" banner; one it
  cannot show gets a page saying why (``NotShownGenerator``). It can never be
  combined with ``STORY_STRICT``.
- ``STORY_NOW``: the moment scheduled stories are compared with (tests).
"""

from __future__ import annotations

import collections
import datetime
import difflib
import html as html_module
import logging
import os
import posixpath
import re
import unicodedata
import zoneinfo

from pelican import signals
from pelican.generators import Generator
from pelican.urlwrappers import Tag
from pelican.utils import order_content

from portal import build_inputs, links, schema
from portal import signals as portal_signals
from portal.pelican_private import raw_html, replace_raw_html
from portal.problems import (
    REPORTED,
    Problem,
    Severity,
    StoryContentError,
    record_problems,
)
from portal.story_record import is_story

from .static_files import hold_back_static

logger = logging.getLogger(__name__)

ARTICLE_LISTS = (
    "articles",
    "translations",
    "drafts",
    "drafts_translations",
    "hidden_articles",
    "hidden_translations",
)


def _now(settings) -> datetime.datetime:
    now = settings.get("STORY_NOW")
    zone = zoneinfo.ZoneInfo(settings.get("TIMEZONE") or "UTC")
    if now is None:
        return datetime.datetime.now(zone)
    if now.tzinfo is None:
        now = now.replace(tzinfo=zone)
    return now


def _aware(value, zone) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    return datetime.datetime(value.year, value.month, value.day, tzinfo=zone)


def _in_a_stable_order(generator) -> None:
    """Pelican's article lists in the same order in every build.

    Pelican reads the files in the order of a set, which changes from one
    run to the next, and sorts by ``ARTICLE_ORDER_BY`` alone: stories of one
    date would fall in another order each build, and with them every
    listing, related story and page key. Pelican's search for translations
    sorted them by slug first; there is none here (``ARTICLE_TRANSLATION_ID``
    is None), so they are sorted by their file first, then as the setting
    says (the sort is stable)."""
    order_by = generator.settings["ARTICLE_ORDER_BY"]
    for name in ARTICLE_LISTS:
        articles = getattr(generator, name, None)
        if articles:
            articles.sort(key=lambda article: article.source_path or "")
            setattr(generator, name, order_content(articles, order_by))


def _stories(generator) -> list:
    seen, out = set(), []
    for name in ARTICLE_LISTS:
        for article in getattr(generator, name, []):
            if is_story(article) and id(article) not in seen:
                seen.add(id(article))
                out.append(article)
    return sorted(out, key=lambda article: article.story.source)


# A day to go public further away than this is most likely a wrong year.
SCHEDULED_AHEAD_AT_MOST = datetime.timedelta(days=366)


def _date_problems(story, settings) -> list[Problem]:
    """A recording date to come (an error); an approval dated ahead, which
    schedules nothing, and a day to go public more than a year away
    (warnings)."""
    zone = zoneinfo.ZoneInfo(settings.get("TIMEZONE") or "UTC")
    now = _now(settings)
    front, lines = story.story.front, story.story.lines
    problems = []
    if _aware(front.date, zone) > now:
        problems.append(
            Problem(
                story.story.source,
                "date",
                f"the recording date {front.date} is in the future",
                "write the day the conversation was recorded",
                lines.get(("date",)),
            )
        )
    approved = front.approval.approved_on if front.approval else None
    if approved is not None and _aware(approved, zone) > now:
        problems.append(
            Problem(
                story.story.source,
                "approval.approved_on",
                f"the approval is dated {approved}, a day still to come, and "
                "does not hold the story back",
                "write the day it was approved; for the story to go public on a "
                "later day, write that day as published:",
                lines.get(("approval", "approved_on")),
                Severity.WARNING,
            )
        )
    if (
        front.published is not None
        and _aware(front.published, zone) > now + SCHEDULED_AHEAD_AT_MOST
    ):
        problems.append(
            Problem(
                story.story.source,
                "published",
                f"the story is to go public on {front.published}, more than a "
                "year from now",
                "check the day and the year; the story stays off the site until "
                "that day",
                lines.get(("published",)),
                Severity.WARNING,
            )
        )
    return problems


def _note_dates_to_come(stories, settings) -> None:
    """This build's output is wrong once a story's scheduled day, or its
    recording date (an error until then), has come: say when
    (``portal.build_inputs``). A fixed ``STORY_NOW`` never moves."""
    if settings.get("STORY_NOW") is not None:
        return
    zone = zoneinfo.ZoneInfo(settings.get("TIMEZONE") or "UTC")
    now = _now(settings)
    for story in stories:
        front = story.story.front
        for field, value in (("published", front.published), ("date", front.date)):
            if value is not None and _aware(value, zone) > now:
                build_inputs.note_change_at(
                    _aware(value, zone), f"{story.story.source}: {field} {value}"
                )


def _duplicate_problems(stories, settings) -> list[Problem]:
    by_id = collections.defaultdict(list)
    by_slug = collections.defaultdict(list)
    for story in stories:
        by_id[story.story.front.id].append(story)
        # One address for "Café", "café" and a decomposed "café".
        by_slug[unicodedata.normalize("NFC", story.slug).casefold()].append(story)
    problems = []
    for same in by_slug.values():
        if len(same) > 1:
            # Windows and macOS cannot even hold both folders in one checkout.
            for story in same:
                others = ", ".join(s.story.source for s in same if s is not story)
                how = (
                    "in capital letters"
                    if len({s.slug for s in same}) == len(same)
                    else "in how its accents are stored (it looks the same)"
                )
                problems.append(
                    Problem(
                        story.story.source,
                        "folder",
                        f"the folder name '{story.slug}' differs only {how} from "
                        f"{others}, so both would have the same address",
                        "rename one of the folders; use only lowercase letters, "
                        "digits and hyphens",
                        1,
                    )
                )
    for story_id, same in by_id.items():
        if len(same) > 1:
            # A public story keeps its id: the draft that copied its folder
            # is the one in the wrong, and must not take it off the site (or
            # block a release, as drafts never do). Only when both or neither
            # would be published is there no telling which one is wrong.
            private = [s for s in same if not would_publish(s, settings)]
            wrong = private if 0 < len(private) < len(same) else same
            for story in wrong:
                others = ", ".join(s.story.source for s in same if s is not story)
                problems.append(
                    Problem(
                        story.story.source,
                        "id",
                        f"the id '{story_id}' is also used by {others}",
                        "give each story its own id; never change the id of a "
                        "story that is already public",
                        story.story.lines.get(("id",)),
                    )
                )
    return problems


def _topic_typos(stories) -> list[Problem]:
    """Warnings for a topic only one story has that is spelled almost like
    one other stories have ("famly" beside "family"): each topic is a page of
    its own, and a typo would be one with one story on it."""
    users: dict[str, int] = collections.Counter(
        topic
        for story in stories
        for topic in {t.casefold() for t in story.story.front.topics}
    )
    # Compared with the topics two stories or more share: a site of
    # thousands of stories has thousands of topics used once.
    shared = [topic for topic, count in users.items() if count > 1]
    problems = []
    for story in stories:
        for index, topic in enumerate(story.story.front.topics):
            if users[topic.casefold()] > 1:
                continue
            close = difflib.get_close_matches(topic.casefold(), shared, n=1, cutoff=0.8)
            if close:
                problems.append(
                    Problem(
                        story.story.source,
                        f"topics.{index}",
                        f"'{topic}' is a topic no other story has, spelled almost "
                        f"like '{close[0]}', which other stories have",
                        f"if you meant '{close[0]}', write that; if '{topic}' is a "
                        "new topic, leave it",
                        story.story.lines.get(("topics", index))
                        or story.story.lines.get(("topics",)),
                        Severity.WARNING,
                    )
                )
    return problems


def _topic_spellings(stories, settings) -> list[Problem]:
    """Warnings for a topic written another way than the other stories
    with it write it ("Family" beside "family", "rural-life" beside "rural
    life"): both go to one topic page, named as whichever story came first,
    and each story page shows its own spelling."""
    slugs: dict[str, str] = {}

    def slug(topic: str) -> str:
        if topic not in slugs:
            slugs[topic] = Tag(topic, settings).slug
        return slugs[topic]

    spellings: dict[str, collections.Counter] = collections.defaultdict(
        collections.Counter
    )
    for story in stories:
        for topic in dict.fromkeys(story.story.front.topics):
            spellings[slug(topic)][topic] += 1
    # The spelling most stories use; between equals, the one with fewer
    # capitals ("family" over "Family"), then the first in the alphabet:
    # the same advice whichever story is read first.
    usual = {
        key: min(counts, key=lambda t: (-counts[t], sum(c.isupper() for c in t), t))
        for key, counts in spellings.items()
        if len(counts) > 1
    }
    problems = []
    for story in stories:
        for index, topic in enumerate(story.story.front.topics):
            key = slug(topic)
            if key not in usual or topic == usual[key]:
                continue
            others = spellings[key][usual[key]]
            problems.append(
                Problem(
                    story.story.source,
                    f"topics.{index}",
                    f"'{topic}' is written '{usual[key]}' by "
                    f"{others} other {'story' if others == 1 else 'stories'}, and "
                    f"both go to one topic page (/{Tag(topic, settings).url})",
                    f"write '{usual[key]}', as they do",
                    story.story.lines.get(("topics", index))
                    or story.story.lines.get(("topics",)),
                    Severity.WARNING,
                )
            )
    return problems


def hold_back_reasons(story, errors: list[Problem], settings) -> list[str]:
    """Why a story is not public; an empty list means it is cleared."""
    reasons = []
    if errors:
        fields = sorted({problem.field for problem in errors})
        reasons.append(
            "content errors in " + ", ".join(map(schema.field_in_words, fields))
        )
    if story.story.front is None:
        return reasons or ["its front matter cannot be read"]
    if story.story.front.status != "published":
        reasons.append(f"status is '{story.story.front.status}'")
    approval = story.story.front.approval
    if approval is None:
        reasons.append("no approval (approval.approved_by and approved_on are empty)")
    elif not approval.releases_signed:
        reasons.append("not every participant has signed the release")
    day = story.story.front.published
    if day is not None:
        zone = zoneinfo.ZoneInfo(settings.get("TIMEZONE") or "UTC")
        if _aware(day, zone) > _now(settings):
            # Alone, it says when the story goes public (as the editors'
            # guide does); beside another reason, only that it waits.
            reasons.append(
                f"scheduled for {day}"
                if reasons
                else f"scheduled: goes public with the first publish on or after {day}"
            )
    return reasons


def would_publish(story, settings) -> bool:
    """Cleared but for content errors: the stories strict builds insist on."""
    if story.story.front is None:
        return _declared_public(story.story.declared, settings)
    return not hold_back_reasons(story, [], settings)


def _declared_public(declared: dict | None, settings) -> bool:
    """Would a story whose front matter failed validation otherwise be public?

    Its raw fields still say whether it is meant to be: a status that is
    some spelling of "published" (``Published``, ``publish``) and an
    approval block, however incomplete or misspelled (``aproval:``, a
    forgotten or mistyped ``releases_signed``). A mistake in such a story
    must stop a production build, not make the story silently vanish from
    the public site while the build passes. Only what says "not yet" in
    so many words keeps it out: a draft status, no approval at all,
    ``releases_signed: false``, a future ``published`` day. A file that
    cannot be read at all (broken YAML, not UTF-8, too large) says nothing,
    so it counts as meant to be public: it may be a public story saved
    wrongly, and a failed build is the safe way to find out."""
    if declared is None:
        return True
    if not _says_published(declared.get("status")):
        return False
    approval = declared.get("approval")
    if approval is None or approval == {} or approval == "":
        return False
    if isinstance(approval, dict) and _says_no(approval.get("releases_signed")):
        return False
    published = declared.get("published")
    if isinstance(published, datetime.date):
        zone = zoneinfo.ZoneInfo(settings.get("TIMEZONE") or "UTC")
        return _aware(published, zone) <= _now(settings)
    return True


def _says_published(status) -> bool:
    """``published`` however it is spelled or capitalised; not ``draft``."""
    if not isinstance(status, str):
        return False
    written = status.strip().lower()
    if written.startswith("publi"):
        return True
    return difflib.SequenceMatcher(None, written, "published").ratio() >= 0.75


def _says_no(value) -> bool:
    """An explicit no: ``false``, ``no``, ``0`` (YAML or quoted)."""
    if value is False or value == 0:
        return True
    return isinstance(value, str) and value.strip().lower() in {
        "false", "no", "n", "0", "off", "not yet",
    }  # fmt: skip


def gate(generator):
    settings = generator.settings
    strict = bool(settings.get("STORY_STRICT"))
    preview = bool(settings.get("STORY_PREVIEW"))
    if strict and preview:
        raise ValueError("STORY_PREVIEW cannot be used with STORY_STRICT (production)")

    _in_a_stable_order(generator)
    stories = _stories(generator)
    problems: dict[int, list[Problem]] = {
        id(s): list(s.story.problems) for s in stories
    }

    # A problem is the story's whose story.md it names, or another file of
    # whose folder (a line of its transcript).
    by_path = {s.story.source: s for s in stories}
    by_folder = {posixpath.dirname(s.story.source): s for s in stories}

    def report(problem: Problem) -> None:
        story = by_path.get(problem.path) or by_folder.get(
            posixpath.dirname(problem.path)
        )
        if story is None:
            raise KeyError(f"no story at {problem.path}")
        problems[id(story)].append(problem)

    readable = [s for s in stories if s.story.front is not None]
    for story in readable:
        for problem in _date_problems(story, settings):
            report(problem)
    _note_dates_to_come(readable, settings)
    for problem in _duplicate_problems(readable, settings):
        report(problem)
    for problem in _topic_typos(readable):
        report(problem)
    for problem in _topic_spellings(readable, settings):
        report(problem)
    portal_signals.story_media.send(generator, stories=readable, report=report)
    checkable = [s for s in readable if s.story.audio is not None]
    portal_signals.story_parts.send(generator, stories=checkable, report=report)
    portal_signals.story_checks.send(generator, stories=checkable, report=report)

    published, held_back = [], {}
    blocking: list[Problem] = []
    blocked: set[str] = set()  # their stories' story.md
    for story in stories:
        story_problems = problems[id(story)]
        errors = [p for p in story_problems if p.severity is Severity.ERROR]
        for problem in story_problems:
            if problem.severity is Severity.WARNING:
                logger.warning("%s", problem)
            elif strict and would_publish(story, settings):
                blocking.append(problem)
                blocked.add(story.story.source)
            else:
                logger.error("%s", problem)
        reasons = hold_back_reasons(story, errors, settings)
        if reasons:
            held_back[story] = reasons
        else:
            published.append(story)

    if blocking:
        raise StoryContentError(blocking, _blocked_intro(sorted(blocked)))

    for story, reasons in held_back.items():
        logger.warning(
            "[approval_gate] held back %s: %s",
            story.story.source,
            "; ".join(reasons),
            extra=REPORTED,
        )
        story.story.held_back = reasons

    if preview:
        previewable = [
            s for s in held_back if s.story.front is not None and s.story.audio
        ]
        _keep_for_preview(generator, previewable)
        removed = [s for s in held_back if s not in previewable]
    else:
        previewable = []
        removed = list(held_back)
    _remove(generator, removed, keep=published)
    # Every listing, topic page, feed item and sitemap entry asks for the
    # story's URL, which Pelican would format again each time: it returns an
    # ``override_url`` first, so each public story's is its record's.
    for story in published + previewable:
        story.override_url = story.story.url

    # Where held-back stories were, with why: links there become plain text.
    held_paths = {
        story.get_relative_source_path(): held_back[story] for story in removed
    }
    link_warnings = []
    for story in published:
        link_warnings += _unlink_held_back(story, story.story.source, held_paths)
    for problem in link_warnings:
        logger.warning("%s", problem)

    record_problems(
        generator.context,
        [p for s in stories for p in problems[id(s)]] + link_warnings,
    )
    generator.context["stories_held_back"] = [
        (story.story.source, reasons) for story, reasons in held_back.items()
    ]
    generator.context["stories_held_back_paths"] = held_paths
    # Held-back stories a preview cannot show (story.md unreadable or
    # refused, no audio): where the editor opens them, a page saying why.
    generator.context["stories_not_shown"] = [
        (story.slug, story.story.source, held_back[story])
        for story in removed
        if preview
    ]
    # Ready to publish but for their errors: production builds stop on these.
    generator.context["stories_blocked"] = [
        story.story.source for story in held_back if would_publish(story, settings)
    ]
    generator.context["stories_published_count"] = len(published)
    portal_signals.stories_gated.send(
        generator, published=published, held_back=held_back
    )


def _blocked_intro(paths: list[str]) -> str:
    """Which stories (their story.md) a production build stops for, and why
    it must."""
    stories = "\n".join(f"  {path}" for path in paths)
    which = "This story is" if len(paths) == 1 else "These stories are"
    return (
        f"{which} set to be published (status and approval), but an error "
        f"would leave {'it' if len(paths) == 1 else 'them'} out of the public "
        f"site:\n{stories}\nFix every problem below, or set 'status: draft' "
        "to hold a story back on purpose.\n"
    )


def _keep_for_preview(generator, stories) -> None:
    """Preview builds show held-back stories as if published, bannered."""
    for story in stories:
        for name in ARTICLE_LISTS:
            items = getattr(generator, name)
            if story in items and name != "articles":
                items.remove(story)
        if story not in generator.articles:
            generator.articles.append(story)
        story.status = "published"
    order = generator.settings.get("ARTICLE_ORDER_BY", "reversed-date")
    generator.articles.sort(key=lambda a: a.date, reverse=order.startswith("reversed"))


def _remove(generator, stories, keep) -> None:
    doomed = {id(story) for story in stories}
    for name in ARTICLE_LISTS:
        items = getattr(generator, name, None)
        if items is not None:
            items[:] = [item for item in items if id(item) not in doomed]
    kept_links = set()
    for story in keep:
        kept_links |= story.get_static_links()
    content_map = generator.context["generated_content"]
    for story in stories:
        # A None entry makes {filename} links to this story fail loudly
        # rather than point at a page that does not exist.
        content_map[story.get_relative_source_path()] = None
        generator.context["static_links"] -= story.get_static_links() - kept_links


def _unlink_held_back(content, display_path: str, held_paths: dict) -> list[Problem]:
    """Turn links to held-back stories into plain text; warn about each.

    Pelican leaves a ``{filename}`` link it cannot resolve as it is, which
    would print the held-back story's folder name in a public page."""
    html = raw_html(content)
    if not html or not held_paths:
        return []
    source = content.get_relative_source_path()
    folders = {posixpath.dirname(path): path for path in held_paths}

    def held_story(value: str) -> str | None:
        """The held-back story a link goes to (or to a file of), if any."""
        path = links.target(source, value)
        if path in held_paths:
            return path
        folder = posixpath.dirname(path)
        while folder and folder not in folders:
            folder = posixpath.dirname(folder)
        return folders.get(folder)

    linked: dict[str, str] = {}

    def unlink(match, replacement):
        value = match.group("value")
        story = held_story(value)
        if story is None:
            return match.group(0)
        written = "{" + match.group("what") + "}" + html_module.unescape(value)
        linked.setdefault(written, story)
        return replacement(match)

    anchor = re.compile(
        r"<a\b[^>]*?href=([\"'])\{(?P<what>filename|static|attach)\}"
        r"(?P<value>[^\"']*)\1[^>]*>(?P<text>.*?)</a>",
        re.S,
    )
    image = re.compile(
        r"<img\b[^>]*?src=([\"'])\{(?P<what>filename|static|attach)\}"
        r"(?P<value>[^\"']*)\1[^>]*>",
        re.S,
    )
    changed = anchor.sub(lambda m: unlink(m, lambda m: m.group("text")), html)
    changed = image.sub(lambda m: unlink(m, lambda m: ""), changed)
    if changed == html:
        return []
    replace_raw_html(content, changed)
    warnings = []
    for written, story in linked.items():
        warnings.append(
            Problem(
                display_path,
                "body",
                f"the link {written} goes to a story that is not public "
                f"({'; '.join(held_paths[story])}), so it is shown as plain text",
                "publish that story first, or remove the link",
                links.line_of(content.source_path, written),
                Severity.WARNING,
            )
        )
    return warnings


def unlink_pages(generator):
    """Pages are read after the gate ran: unlink their held-back links too."""
    held_paths = generator.context.get("stories_held_back_paths") or {}
    root = os.path.dirname(os.path.abspath(generator.settings["PATH"]))
    warnings = []
    for page in generator.pages + generator.hidden_pages:
        display = os.path.relpath(page.source_path, root).replace(os.sep, "/")
        warnings += _unlink_held_back(page, display, held_paths)
    for problem in warnings:
        logger.warning("%s", problem)
    record_problems(generator.context, warnings)


def count_previewed_as_drafts(generator, writer=None):
    """After a preview's story pages are written, its held-back stories go
    back to the drafts they are, so Pelican's closing "Processed N articles,
    M drafts" agrees with the summary's published and held back. (A new
    list: the context other generators still render from keeps them.)"""
    if not generator.settings.get("STORY_PREVIEW"):
        return
    previewed = [a for a in generator.articles if a.story.held_back]
    if previewed:
        shown = {id(article) for article in previewed}
        generator.articles = [a for a in generator.articles if id(a) not in shown]
        generator.drafts = list(generator.drafts) + previewed


class NotShownGenerator(Generator):
    """The drafts preview's page for each held-back story it cannot show,
    at the story's address: a story with errors in story.md would be the
    preview server's bare "404: Not Found", with no word of why."""

    def generate_context(self):
        pass  # the gate lists the stories (stories_not_shown)

    def generate_output(self, writer):
        if not self.settings.get("STORY_PREVIEW"):
            return
        for slug, source, reasons in self.context.get("stories_not_shown", []):
            save_as = self.settings["ARTICLE_SAVE_AS"].format(slug=slug)
            writer.write_file(
                save_as,
                self.get_template("story_not_shown"),
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=self.settings["ARTICLE_URL"].format(slug=slug),
                page_name=save_as.rsplit(".", 1)[0],
                story_source=source,
                reasons=reasons,
            )


def get_generators(pelican):
    return NotShownGenerator


def register():
    signals.get_generators.connect(get_generators)
    signals.article_generator_pretaxonomy.connect(gate)
    signals.article_writer_finalized.connect(count_previewed_as_drafts)
    signals.static_generator_finalized.connect(hold_back_static)
    signals.page_generator_finalized.connect(unlink_pages)
