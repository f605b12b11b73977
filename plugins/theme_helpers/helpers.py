"""Jinja filters the theme uses to print times, sizes and URLs."""

from __future__ import annotations

import re

import markupsafe
from jinja2 import pass_context
from pelican import signals

from portal.sizes import human_size
from portal.timecode import format_timecode, iso8601_duration, whole_seconds

from . import fragments
from .compiled import keep_compiled_templates


def duration_words(seconds: float) -> str:
    """ "45 min", "1 hr 5 min", "38 sec": how people say a length.

    Whole seconds by the one rule (``portal.timecode.whole_seconds``): a
    card's "48 sec" is the player's 0:48 and the feed's 48."""
    hours, rest = divmod(whole_seconds(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} hr {minutes} min" if minutes else f"{hours} hr"
    if minutes:
        return f"{minutes} min {secs} sec" if minutes < 5 and secs else f"{minutes} min"
    return f"{secs} sec"


@pass_context
def site_url(context, path: str | None) -> str:
    """An href for a site-relative path; absolute URLs pass through."""
    if not path:
        return ""
    if path.startswith(("http://", "https://", "//")):
        return path
    base = context.get("SITEURL", "") or ""
    return f"{base}/{path.lstrip('/')}" if base else path.lstrip("/")


def join_names(names) -> str:
    names = list(names)
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def count(number: int) -> str:
    """A count as people read it: "10,000", not "10000"."""
    return f"{number:,}"


def counted(number: int, noun: str = "conversation") -> str:
    """ "1 conversation", "10,000 conversations": a count of stories with
    its noun, as every count of stories on the site reads (``noun``: the
    singular of another thing counted, "answer")."""
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


# Elements whose whitespace is content: left exactly as written.
_KEEP_WHITESPACE = re.compile(
    r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.IGNORECASE | re.DOTALL
)


def dedent_html(html) -> markupsafe.Markup:
    """HTML without the templates' indentation: every line's leading and
    trailing spaces go (a line break stays, so words never run together; a
    browser shows a run of spaces as one anyway). ``pre``, ``textarea``,
    ``script`` and ``style`` elements are kept as they are."""
    parts = _KEEP_WHITESPACE.split(str(html))
    out = []
    for index, part in enumerate(parts):
        kind = index % 3  # text, a kept element, its tag name (dropped)
        if kind == 0:
            out.append(_without_indentation(part))
        elif kind == 1:
            out.append(part)
    return markupsafe.Markup("".join(out))


def _without_indentation(text: str) -> str:
    """``text`` with the spaces and tabs around each line break taken out.
    Line by line with ``str.strip``: a regular expression tried a match at
    every character of a 250 KB story page (5 times slower)."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    first, *middle, last = lines
    middle = [line.strip(" \t") for line in middle]
    return "\n".join([first.rstrip(" \t"), *middle, last.lstrip(" \t")])


FILTERS = {
    "dedent_html": dedent_html,
    "timecode": format_timecode,
    "iso_duration": iso8601_duration,
    "duration_words": duration_words,
    "filesize": human_size,
    "site_url": site_url,
    "join_names": join_names,
    "count": count,
    "counted": counted,
}


GLOBALS = {
    "story_card": fragments.story_card,
    "campaign_footer": fragments.campaign_footer,
}


def add_filters(generator):
    env = getattr(generator, "env", None)
    if env is not None:
        env.filters.update(FILTERS)
        env.globals.update(GLOBALS)


def register():
    signals.generator_init.connect(add_filters)
    signals.generator_init.connect(keep_compiled_templates)
    signals.initialized.connect(fragments.forget)
    signals.finalized.connect(fragments.forget)
