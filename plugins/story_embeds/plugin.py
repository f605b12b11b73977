"""Sharing and embedding cleared stories: embed page, oEmbed, share image.

For each cleared story it makes (through the story pipeline's
``story_outputs``, plugins/story_pipeline):
- ``stories/<slug>/embed/index.html``: a minimal player page other sites put
  in an iframe (template ``embed.html``);
- ``stories/<slug>/oembed.json``: an oEmbed 1.0 "rich" response, found from
  the story page through ``<link rel="alternate" type="application/json+oembed">``;
- ``stories/<slug>/share-<key>.jpg``: the 1200x630 Open Graph / card image;
and sets ``article.story.sharing`` (``metadata.Sharing``: absolute URLs, the embed
code and the JSON-LD) for the story page's Open Graph, Twitter card and
JSON-LD (``partials/share_meta.html``).

Settings (defaults in ``DEFAULTS``, checked in ``settings()``):
- ``SITE_ABSOLUTE_URL``: the site's absolute address, shared with every
  plugin that must print absolute URLs (one rule: ``portal.site_address``).
- ``STORY_EMBEDS_WIDTH`` / ``STORY_EMBEDS_HEIGHT``: the iframe's size in the
  embed code and oEmbed (default 640 x 260 pixels).
- ``STORY_EMBEDS_X_ACCOUNT``: the campaign's account on X ("@StoryCorps"),
  named as the site of every card (``twitter:site``). X plays a story in its
  post (a player card) only for a site that names its account, so without
  one a story is shared with its picture (``summary_large_image``).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re

from pelican import signals
from pelican.generators import Generator

from portal import palette
from portal import signals as portal_signals
from portal.outputs import absolute_url, story_folder
from portal.pruning import remove_files_but
from portal.site_address import absolute_site_url
from portal.writing import link_into, whole_image

from . import metadata
from .share_image import (
    CARD_COLOURS,
    HEIGHT,
    MEDIA_TYPE,
    SUFFIX,
    WIDTH,
    ShareCard,
    ShareImages,
)

logger = logging.getLogger(__name__)

DEFAULTS = {
    "STORY_EMBEDS_WIDTH": 640,
    "STORY_EMBEDS_HEIGHT": 260,
    "STORY_EMBEDS_X_ACCOUNT": None,
}
# An X (Twitter) user name: 1-15 letters, digits or underscores.
X_ACCOUNT = re.compile(r"@?([A-Za-z0-9_]{1,15})")
CACHE_FOLDER = "story_embeds"
# The cards this build's stories and site show: (the cache's folder, their
# files), set as the build works them out; the cache keeps these alone.
_in_use: tuple[str, set[str]] | None = None


def settings(pelican_settings) -> dict:
    out = {key: pelican_settings.get(key, value) for key, value in DEFAULTS.items()}
    out["SITE_ABSOLUTE_URL"] = absolute_site_url(pelican_settings)
    for key in ("STORY_EMBEDS_WIDTH", "STORY_EMBEDS_HEIGHT"):
        value = out[key]
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not 100 <= value <= 2000
        ):
            raise ValueError(
                f"{key} must be a whole number of pixels (100-2000), not {value!r}"
            )
    out["STORY_EMBEDS_X_ACCOUNT"] = x_account(out["STORY_EMBEDS_X_ACCOUNT"])
    return out


def x_account(value) -> str | None:
    """The setting's account as cards name it ("@StoryCorps"); None when
    unset."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    found = X_ACCOUNT.fullmatch(value.strip()) if isinstance(value, str) else None
    if found is None:
        raise ValueError(
            f"STORY_EMBEDS_X_ACCOUNT must be the campaign's user name on X, "
            f"like '@StoryCorps' (letters, digits and _, at most 15), not {value!r}"
        )
    return "@" + found.group(1)


def share_card(
    story, settings, colours: palette.Palette | None = None, outline=None
) -> ShareCard:
    """What ``story``'s share card shows; ``colours``: the card's colours
    from the campaign's palette (read from ``settings`` when not given);
    ``outline``: the timeline with its bars, to draw the card (without it,
    the record's summary of it: enough for the card's key)."""
    if colours is None:
        colours = palette.campaign_colours(settings).subset(CARD_COLOURS)
    meta = story.story.front
    bits = [meta.relationship_label]
    if meta.location:
        bits.append(meta.location.name)
    # The timeline as the card draws it (transcripts/answers.py): without the
    # bars, its digest and lanes, so the transcript is loaded only to draw.
    if outline is None:
        outline = story.story.transcript_outline
    campaign = settings.get("CAMPAIGN", {})
    return ShareCard(
        title=story.title,
        names=tuple(meta.participant_names),
        line=" · ".join(bits),
        campaign=settings.get("SITENAME", ""),
        organization=campaign.get("organization", ""),
        outline=outline,
        picture=story.story.picture.small.file if story.story.picture else "",
        colours=colours,
    )


class StoryEmbedsGenerator(Generator):
    """Sets ``article.story.sharing`` and draws the share cards."""

    # It draws share cards and finds no problem in content: `invoke check`
    # (portal.checking), which runs every other generator, skips it.
    checks_content = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = None  # checked when the build gets here, not on start-up
        cache = self.settings.get("CACHE_PATH") or os.path.join(
            self.output_path, ".cache"
        )
        self.images = ShareImages(os.path.join(cache, CACHE_FOLDER))

    def generate_context(self):
        self.options = settings(self.settings)
        site = self.options["SITE_ABSOLUTE_URL"]
        stories = [
            story
            for story in self.context.get("articles", [])
            if story.story.audio is not None and story.story.front is not None
        ]
        # The card's name (a digest of what it shows) is known here; it is
        # drawn when the story's outputs are made (``write_story_files``, in
        # the story pipeline's workers), and only when not in the cache.
        colours = palette.campaign_colours(self.settings).subset(CARD_COLOURS)
        # The same for every story: worked out once, not once a story.
        locale = metadata.og_locale(self.settings.get("DEFAULT_LANG") or "en")
        for story in stories:
            card = share_card(story, self.settings, colours)
            story.story.sharing = self._sharing(story, site, card, locale)
        self.site_card = site_card(self.settings, colours)
        global _in_use
        _in_use = (
            self.images.folder,
            {story.story.share_image_file for story in stories}
            | {self.images.path(self.site_card)},
        )
        self.context["site_sharing"] = self._site_sharing(site, self.site_card)
        # Every page's card names it (partials/share_meta.html, site_share_meta).
        self.context["x_account"] = self.options["STORY_EMBEDS_X_ACCOUNT"]

    def _site_sharing(self, site: str, card: ShareCard) -> dict:
        """What every page but a story's shows when it is shared: the
        campaign's own card (base.html, partials/site_share_meta.html)."""
        path = f"{SITE_CARD_FOLDER}share-{card.key[:12]}{SUFFIX}"
        return {
            "site_url": site,
            "image_path": path,
            "image_url": absolute_url(site, path),
            "image_width": WIDTH,
            "image_height": HEIGHT,
            "image_type": MEDIA_TYPE,
            "image_alt": f"{card.campaign}: {card.title}",
            "locale": metadata.og_locale(self.settings.get("DEFAULT_LANG") or "en"),
        }

    def generate_output(self, writer):
        # Drawn once (cached by what it shows), linked into the output.
        sharing = self.context.get("site_sharing")
        if sharing is None:
            return
        target = os.path.join(self.output_path, *sharing["image_path"].split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        link_into(self.images.picture(self.site_card), target)

    def _sharing(self, story, site, card, locale):
        folder = story_folder(story)
        image_path = f"{folder}share-{card.key[:12]}{SUFFIX}"
        story.story.share_image_file = self.images.path(card)
        page_url = absolute_url(site, story.url)
        embed_path = f"{folder}embed/"
        embed_url = absolute_url(site, embed_path)
        description = metadata.description(story, self.settings.get("SITENAME", ""))
        width = self.options["STORY_EMBEDS_WIDTH"]
        height = self.options["STORY_EMBEDS_HEIGHT"]
        transcript_url = story.story.transcript_url
        sharing = metadata.Sharing(
            page_url=page_url,
            embed_path=embed_path,
            embed_url=embed_url,
            oembed_path=f"{folder}oembed.json",
            oembed_url=absolute_url(site, f"{folder}oembed.json"),
            image_path=image_path,
            image_url=absolute_url(site, image_path),
            image_width=WIDTH,
            image_height=HEIGHT,
            image_type=MEDIA_TYPE,
            image_alt=metadata.image_alt(story),
            audio_url=absolute_url(site, story.story.audio_url),
            description=description,
            embed_width=width,
            embed_height=height,
            iframe=metadata.iframe_html(embed_url, story.title, width, height),
            transcript_url=absolute_url(site, transcript_url)
            if transcript_url
            else None,
            locale=locale,
            published_time=metadata.published_time(story),
        )
        campaign = self.settings.get("CAMPAIGN", {})
        # Made when the story page prints it (it holds the transcript's text).
        sharing.json_ld_data = functools.partial(
            metadata.json_ld,
            story,
            sharing,
            self.settings.get("SITENAME", ""),
            site,
            campaign.get("organization", ""),
        )
        return sharing


# Where the campaign's own card goes in the output.
SITE_CARD_FOLDER = "images/"


def site_card(settings, colours: palette.Palette) -> ShareCard:
    """The campaign's share card: its tagline, no people, no conversation."""
    campaign = settings.get("CAMPAIGN", {})
    organization = campaign.get("organization", "")
    return ShareCard(
        title=campaign.get("tagline") or settings.get("SITENAME", ""),
        names=(),
        line=f"Listen to the conversations at {_host(absolute_site_url(settings))}",
        campaign=settings.get("SITENAME", ""),
        organization=organization,
        colours=colours,
    )


def _host(site: str) -> str:
    return site.split("://", 1)[-1].rstrip("/")


def write_story_files(generator, story, out) -> None:
    """A cleared story's embed page, oEmbed and share card (story_pipeline)."""
    sharing = story.story.sharing
    if sharing is None:
        return  # no audio or front matter: nothing to embed
    site = absolute_site_url(generator.settings)
    site_name = generator.settings.get("SITENAME", "")
    out.page(
        sharing.embed_path + "index.html",
        "embed",
        relative_urls=generator.settings.get("RELATIVE_URLS", False),
        article=story,
        story=story,
        page_name="embed",
    )
    response = metadata.oembed(story, sharing, site_name, site)
    out.text(
        sharing.oembed_path, json.dumps(response, ensure_ascii=False, indent=2) + "\n"
    )
    card_file = story.story.share_image_file
    if not whole_image(card_file):  # not drawn yet: drawn into the cache
        transcript = out.transcript
        outline = transcript.outline if transcript is not None else None
        ShareImages(os.path.dirname(card_file)).picture(
            share_card(story, generator.settings, outline=outline)
        )
    out.link(sharing.image_path, card_file)


def forget_cards_not_in_use(_pelican=None) -> None:
    """Once the build is made, remove from the cache every card no story or
    page of it shows: an edited story's earlier card, a story taken down
    (its people's names and picture), a killed write's leftover. Drawn
    again, should it be shown again. Not after a build that failed (it never
    gets here), nor a check (which draws none)."""
    global _in_use
    if _in_use is None:
        return
    folder, used = _in_use
    _in_use = None
    remove_files_but(folder, lambda entry: entry.path in used)


def _start(_pelican) -> None:
    global _in_use
    _in_use = None  # a build that failed in this process said nothing


def get_generators(pelican):
    return StoryEmbedsGenerator


def register():
    signals.initialized.connect(_start)
    signals.finalized.connect(forget_cards_not_in_use)
    signals.get_generators.connect(get_generators)
    portal_signals.story_outputs.connect(write_story_files)
