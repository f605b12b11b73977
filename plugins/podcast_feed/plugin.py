"""The podcast: an RSS feed of every cleared story, and a subscribe page.

Runs as a Pelican generator. ``generate_context`` checks the settings (a
wrong one stops the build before anything is written) and tells templates
where the feed and the subscribe page are (``podcast_feed`` in the context).
``generate_output`` runs after every generator's context is ready, so it
sees the audio URLs, artwork and transcript paths other plugins set; it
writes the feed and the page.

Only ``context["articles"]`` after the approval gate is read, and a story a
preview build shows with a "not public" banner (``held_back``) is left out
too: nothing of a held-back story reaches the feed. Every cleared story is
an episode; Pelican's FEED_MAX_ITEMS does not apply to the podcast."""

from __future__ import annotations

import logging
import os
from functools import partial

from pelican import signals
from pelican.generators import Generator

from portal import signals as portal_signals
from portal.outputs import CROSS_ORIGIN_PATHS, STORY_MEMO
from portal.problems import Problem, report_problems
from portal.writing import write_if_changed

from . import episodes as episode_module
from . import feed as feed_module
from . import settings as settings_module
from .settings import PodcastConfigError, load

logger = logging.getLogger(__name__)

# Episodes the subscribe page lets a visitor play before subscribing.
LATEST_ON_PAGE = 3


def published_stories(context) -> list:
    return [
        article
        for article in context.get("articles", [])
        if article.story.front is not None
        and article.story.audio is not None
        and not article.story.held_back
    ]


class PodcastFeedGenerator(Generator):
    """Pelican's Generator gives the theme's Jinja environment and filters."""

    config = None

    def generate_context(self):
        try:
            self.config = load(self.settings)
        except PodcastConfigError as error:
            # Development builds go on without a feed; production stops.
            report_problems(
                self.context, self.settings, error.problems, logger, "[podcast_feed] "
            )
            self.config = None
        if self.config is None:
            return
        self.context["podcast_feed"] = {
            "title": self.config.data.title,
            "feed_path": self.config.feed_save_as,
            "feed_url": self.config.feed_url,
            "page_url": self.config.page_url,
        }

    def generate_output(self, writer):
        config = self.config
        if config is None:
            return
        cover = self.context.get("show_cover")
        if cover is None:
            raise PodcastConfigError(
                [
                    Problem(
                        "pelicanconf.py",
                        "PLUGINS",
                        "no show cover was made, and podcast apps need one",
                        "add 'artwork' to PLUGINS before 'podcast_feed'",
                    )
                ]
            )
        stories = published_stories(self.context)
        limit = settings_module.max_episodes(self.settings)
        # An episode is made from its story alone (and the code and settings):
        # one whose story's key did not change keeps its item from the last
        # build (story_pipeline/memo.py): no show notes cleaned again, no XML
        # written again.
        memo = self.context.get(STORY_MEMO)
        made = []  # the stories whose item this build made

        def make(story):
            made.append(story)
            return feed_module.item(episode_module.from_article(story, config))

        items = [
            memo.value("feed_items", story, partial(make, story))
            if memo is not None
            else make(story)
            for story in stories
        ]
        if memo is not None:
            memo.done("feed_items")
        if limit is not None:
            items = feed_module.ordered(items)[:limit]
        xml = feed_module.build(
            config, items, config.absolute(cover.path), (cover.width, cover.height)
        )
        target = os.path.join(self.output_path, config.feed_save_as)
        # Unchanged feed, untouched file: rebuilds keep its mtime (and its
        # pre-compressed copies) when no episode changed (benchmarks/).
        if write_if_changed(target, xml):
            # Compressed beside the rest of the build (plugins/precompress).
            portal_signals.file_written_early.send(
                self, settings=self.settings, path=target
            )
        if not items:
            logger.warning(
                "[podcast_feed] the feed has no episodes yet; Apple and Spotify "
                "accept a podcast only once it has one"
            )
        logger.info(
            "[podcast_feed] wrote %s with %d episodes (%d made; the others kept, "
            "their stories unchanged)",
            config.feed_save_as,
            len(items),
            len(made),
        )
        self._subscribe_page(writer, cover, len(items), stories)

    def _subscribe_page(self, writer, cover, feed_count: int, stories) -> None:
        config = self.config
        template = self.get_template("podcast")
        writer.write_file(
            config.page_save_as,
            template,
            self.context,
            relative_urls=self.settings.get("RELATIVE_URLS"),
            page_name="podcast",
            url=config.page_url,
            podcast={
                "title": config.data.title,
                "description_html": config.description_html,
                # The description's links are absolute (the feed needs them);
                # the page makes its own site links relative again with it.
                "site_url": config.site_url,
                "author": config.data.author,
                "feed_url": config.feed_url,
                "cover": cover,
                "cover_thumbnail": self.context.get("show_cover_thumbnail") or cover,
                "apps": [{"name": n, "url": u} for n, u in config.apps],
                "directories": [{"name": n, "url": u} for n, u in config.directories],
                # The show's conversations, every one on the site; with
                # PODCAST_FEED_MAX_EPISODES the feed has only the newest.
                "episode_count": len(stories),
                "feed_count": feed_count,
                # Newest first, as the feed lists them (by the day each went
                # public, not Pelican's date), to listen to on the page.
                "latest": sorted(
                    stories,
                    key=lambda story: (
                        episode_module.published(story, config),
                        story.story.front.id,
                    ),
                    reverse=True,
                )[:LATEST_ON_PAGE],
            },
        )


def allow_other_sites(pelican) -> None:
    """Web podcast players and browser-based apps fetch the feed from their
    own origin: plugins/security_headers serves it with CORS, as the
    development server and the S3 bucket's rule do."""
    try:
        feed = settings_module.options(pelican.settings)["PODCAST_FEED_SAVE_AS"]
    except PodcastConfigError:
        return  # generate_context reports it, as every podcast setting
    paths = list(pelican.settings.get(CROSS_ORIGIN_PATHS) or [])
    pelican.settings[CROSS_ORIGIN_PATHS] = [*paths, feed]


def get_generators(pelican):
    return PodcastFeedGenerator


def register():
    signals.initialized.connect(allow_other_sites)
    signals.get_generators.connect(get_generators)
