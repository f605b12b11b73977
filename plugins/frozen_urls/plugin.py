"""Compute each story's and page's URL once per build, not on every use.

Pelican works ``article.url`` out from the URL setting on every access (a
copy of the metadata and a string format, about 0.1 ms). Listings, topic
pages, the feed and the sitemap ask for it many times per story: at 10,000
stories that was seconds of every build (benchmarks/README.md). Once the
articles and pages are final (``*_generator_finalized``: after the approval
gate and the taxonomies), the URL is stored in ``override_url``, which
Pelican's own ``get_url_setting`` returns first, so every later use is an
attribute read with the same value. ``save_as`` is left alone: Pelican gives
an ``override_save_as`` another meaning.
"""

from __future__ import annotations

from pelican import signals

LISTS = ("articles", "translations", "hidden_articles", "drafts")
PAGE_LISTS = ("pages", "hidden_pages", "draft_pages", "translations")


def _freeze(items) -> None:
    for item in items:
        if not hasattr(item, "override_url"):
            item.override_url = item.url


def freeze_articles(generator) -> None:
    for name in LISTS:
        _freeze(getattr(generator, name, []))


def freeze_pages(generator) -> None:
    for name in PAGE_LISTS:
        _freeze(getattr(generator, name, []))


def register():
    signals.article_generator_finalized.connect(freeze_articles)
    signals.page_generator_finalized.connect(freeze_pages)
