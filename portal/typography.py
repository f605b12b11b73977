"""Editors' typewriter quotes made typographic, in the text visitors read.

Markdown bodies get curly quotes from Python-Markdown's smarty extension
(pelicanconf.py). Front matter is not Markdown: a title typed as
``We don't "agree"`` would reach the page, the feed and the share card with
straight quotes. ``curly`` gives the prose fields of the schema (titles,
summaries, descriptions, chapter titles, quotes, alt text) what smarty
gives the body: curly quotes and apostrophes, and an ellipsis for three
dots, as Unicode characters (the templates escape what they print). Dashes
are left as typed: "--" means different things to different editors.

Names are not prose: a participant's name must match the transcript's
voice tags character for character."""

from __future__ import annotations

import smartypants

# Quotes (q), ``backticks'' (B), ellipses (e), as Unicode rather than
# HTML entities (u).
_ATTRIBUTES = smartypants.Attr.q | smartypants.Attr.B | smartypants.Attr.e
_ATTRIBUTES |= smartypants.Attr.u


def curly(text: str) -> str:
    """``text`` with typographic quotes, apostrophes and ellipses."""
    if not any(mark in text for mark in ("'", '"', "`", "...")):
        return text
    return smartypants.smartypants(text, _ATTRIBUTES)
