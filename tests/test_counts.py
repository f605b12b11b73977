"""Counts of stories and answers read as people write them: "10,000
conversations", "1 answer" (plugins/theme_helpers: the ``count`` and
``counted`` filters), on every page that prints one.

The sample site has seven stories, so its pages never show a count past a
thousand: the templates are read here instead, and a partial rendered with
a large count."""

from __future__ import annotations

import pathlib
import re

import jinja2
import pytest

from plugins.theme_helpers.helpers import FILTERS, count, counted

TEMPLATES = pathlib.Path(__file__).resolve().parents[1] / "theme" / "templates"
# A number printed straight before the noun it counts, in one expression or
# the next: "{{ articles|length }} {{ 'conversation' if ...", "{{ n }}
# conversations". Each should go through ``count`` or ``counted`` instead.
BARE_COUNT = re.compile(
    r"\{\{\s*(?P<expression>[^{}|]+(?:\|length)?)\s*\}\}\s*"
    r"(?:\{\{\s*'|<span[^>]*>\s*\{\{\s*'|)\s*(?:conversation|answer)"
)


@pytest.mark.parametrize(
    ("number", "noun", "said"),
    [
        (0, "conversation", "0 conversations"),
        (1, "conversation", "1 conversation"),
        (2, "conversation", "2 conversations"),
        (10000, "conversation", "10,000 conversations"),
        (1, "answer", "1 answer"),
        (1234567, "answer", "1,234,567 answers"),
    ],
)
def test_a_count_and_its_noun(number, noun, said):
    assert counted(number, noun) == said
    assert count(number) == said.split(" ")[0]


def test_no_template_prints_a_bare_count_before_its_noun():
    found = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        for match in BARE_COUNT.finditer(template.read_text(encoding="utf-8")):
            found.append(f"{template.relative_to(TEMPLATES)}: {match.group(0)!r}")
    assert not found, "print counts with |count or |counted:\n" + "\n".join(found)


def test_the_scan_finds_a_bare_count():
    """The scan above would pass on anything if its pattern matched nothing."""
    for bare in (
        "{{ articles|length }} {{ 'conversation' if articles|length == 1 }}",
        "{{ state.count }} conversations",
        "{{ n }}<span class=\"visually-hidden\"> {{ 'conversation' if n == 1 }}",
    ):
        assert BARE_COUNT.search(bare), bare
    assert not BARE_COUNT.search("{{ articles|length|count }} conversations")


def test_a_chip_heard_and_seen_with_its_count_written_out():
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True
    )
    environment.filters.update(FILTERS)
    template = environment.from_string(
        "{% from 'partials/chip_count.html' import chip_count %}{{ chip_count(n) }}"
    )
    assert template.render(n=12345) == (
        '<span class="chip-count">12,345<span class="visually-hidden">'
        " conversations</span></span>"
    )
