"""Render the story pages of a cold build on every core.

Rendering story pages (player, 300-turn transcript, timeline) is half of a
cold build's time in Pelican's one process (benchmarks/README.md). When
the writer is first asked for a story page, the published stories whose
page must be rendered (their render-cache key changed) are rendered in
forked workers (``portal.parallel``), each writing its pages through the
same writer code and returning the render-cache entry of each. The main
process then writes every page as usual: the render cache finds the page
already in the output with its key and hands it to Pelican as the rendered
text (every signal, counter and check still runs in this process).

Only the published stories that share the template and the call of the
first page are rendered ahead; anything else, a failure in a worker
included, is rendered in this process as before.
"""

from __future__ import annotations

import logging
import traceback

from portal.parallel import MIN_ITEMS, map_in_processes, workers

logger = logging.getLogger(__name__)

# What the worker processes see (inherited when they fork).
_job: dict = {}


def _arguments(article, first: dict) -> dict:
    """The keyword arguments Pelican's ArticlesGenerator passes for ``article``
    (``generate_articles``, 4.12), the others as in the first call."""
    arguments = dict(first)
    arguments.update(
        article=article,
        # Pelican sets an article's category only when it has one.
        category=getattr(article, "category", None),
        override_output=hasattr(article, "override_save_as"),
        url=article.url,
    )
    return arguments


def _render(index: int):
    writer, template, context = _job["writer"], _job["template"], _job["context"]
    article = _job["articles"][index]
    name = article.save_as
    try:
        writer.write_file(name, template, context, **_arguments(article, _job["first"]))
        return name, writer.render_cache.current.get(name)
    except Exception:  # rendered again, and raised, in the main process
        return name, None, traceback.format_exc(limit=3)


def prerender(writer, template, context, first: dict) -> set[str]:
    """Render ahead the pages the build is about to write; their names."""
    cache = writer.render_cache
    count = workers(writer.settings)
    template_name = getattr(first.get("article"), "template", None)
    pending = []
    for article in context.get("articles", []):
        if article.template != template_name or not article.save_as:
            continue
        if not cache.is_current(article.save_as, cache.key(article)):
            pending.append(article)
    if count <= 1 or len(pending) < MIN_ITEMS:
        return set()
    _job.update(
        writer=writer, template=template, context=context, articles=pending, first=first
    )
    try:
        results = map_in_processes(_render, range(len(pending)), count)
    finally:
        _job.clear()
    done = set()
    for result in results:
        name, entry = result[0], result[1]
        if entry is not None:
            cache.previous[name] = entry
            done.add(name)
        elif len(result) > 2:
            logger.debug("[unchanged_writes] %s failed in a worker:\n%s", *result[::2])
    logger.info(
        "[unchanged_writes] rendered %d story pages in %d processes", len(done), count
    )
    return done
