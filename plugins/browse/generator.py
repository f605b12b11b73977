"""Write the browse pages, and give story pages their related stories.

Runs after the articles generator, so ``context["articles"]`` holds only the
stories the approval gate cleared (and, in preview builds, the bannered
held-back ones that the rest of the preview shows too)."""

from __future__ import annotations

import logging

from pelican.generators import Generator

from portal.outputs import LISTINGS_SHOW
from portal.problems import REPORTED

from . import groups, moments, related
from .questions import QuestionsFileError, questions_for
from .settings import settings as browse_settings
from .suggestions import suggestions

logger = logging.getLogger(__name__)

# Templates the writer paginates (each gets ``<key>_page`` and friends).
PAGINATED = ("index", "browse_group", "browse_question")


class BrowseGenerator(Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = browse_settings(self.settings)
        self.urls = self.options["urls"]
        # A copy: publishconf.py star-imports pelicanconf.py, whose dict is
        # then shared by every build in the process; writing into it would
        # carry one build's pagination into the next.
        paginated = dict(self.settings.get("PAGINATED_TEMPLATES") or {})
        self.settings["PAGINATED_TEMPLATES"] = paginated
        for name in PAGINATED:
            paginated.setdefault(name, None)
        paginated["browse_question"] = (
            paginated["browse_question"] or (self.options["BROWSE_QUESTION_PAGINATION"])
        )

    def generate_context(self):
        stories = list(self.context.get("articles", []))
        try:
            questions = questions_for(self.settings)
        except QuestionsFileError as error:
            # The conversation guide reports the file itself; this repeats it.
            logger.error("[browse] %s", error, extra=REPORTED)
            questions = []
        self.stories = stories
        self.recorded = sorted(stories, key=_recorded, reverse=True)
        # Groups keep the order they are given: newest recorded first, the
        # date on every card, as in the main listing.
        self.states = groups.places(self.recorded, self.urls)
        self.relationships = groups.relationships(self.recorded, self.urls)
        self.questions = moments.question_index(stories, questions, self.urls)
        self.context.update(
            browse_urls=self.urls,
            browse_states=self.states,
            browse_relationships=self.relationships,
            browse_questions=self.questions,
            browse_question_preview=self.options["BROWSE_QUESTION_PREVIEW"],
            browse_suggestions=suggestions(
                self.context.get("tags", []),
                self.states,
                self.questions,
                self.options["BROWSE_SUGGESTIONS_MAX"],
            ),
        )
        # What the question pages print of the other questions (their links
        # to the one before and after): in the key of every listing, which
        # otherwise holds only its own stories (story_pipeline/pages.py).
        self.context[LISTINGS_SHOW] = {
            "browse_questions": [
                [group.name, group.url, bool(group.moments)] for group in self.questions
            ]
        }
        self._annotate_stories()

    def _annotate_stories(self):
        """``related_stories``, ``place_state``, ``place_city`` and
        ``more_from_place`` on every story, for the story page."""
        by_place = {}
        for state in self.states:
            for story in state.stories:
                by_place[id(story)] = (state, None)
            for city in state.children:
                for story in city.stories:
                    by_place[id(story)] = (state, city)
        best = related.related_stories(
            self.stories,
            self.options["BROWSE_RELATED_MAX"],
            self.settings.get("CACHE_PATH"),
        )
        most = self.options["BROWSE_PLACE_MAX"]
        for story in self.stories:
            story.story.related_stories = best[id(story)]
            state, city = by_place.get(id(story), (None, None))
            story.story.place_state, story.story.place_city = state, city
            story.story.more_from_place = _more_from_place(story, city, state, most)

    def generate_output(self, writer):
        urls = self.urls
        self._write(writer, urls["hub"], "browse", browse_section="hub")
        # The one story listing, in either order of the date every card
        # shows (the day it was recorded). Pelican's own "index" direct
        # template is switched off (pelicanconf.DIRECT_TEMPLATES): it orders by
        # publication, which a visitor cannot see on the cards.
        oldest = self.recorded[::-1]
        for url, save_as, stories, order in (
            (
                self.settings["INDEX_URL"],
                self.settings["INDEX_SAVE_AS"],
                self.recorded,
                "newest",
            ),
            (urls["oldest"], urls["oldest"] + "index.html", oldest, "oldest"),
        ):
            writer.write_file(
                save_as,
                self.get_template("index"),
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                paginated={"articles": stories},
                template_name="index",
                url=url,
                page_name=save_as.rsplit(".", 1)[0],
                browse_section="all",
                story_order=order,
            )
        # The old address of the listing by recording date.
        self._write(
            writer,
            urls["recorded"],
            "moved",
            moved_to=self.settings["INDEX_URL"],
            moved_title="All stories",
        )
        self._write(writer, urls["places"], "browse_places", browse_section="places")
        for state in self.states:
            self._write_group(writer, state, "places")
            for city in state.children:
                self._write_group(writer, city, "places")
        self._write(
            writer,
            urls["relationships"],
            "browse_relationships",
            browse_section="relationships",
        )
        for group in self.relationships:
            self._write_group(writer, group, "relationships")
        self._write(
            writer, urls["questions"], "browse_questions", browse_section="questions"
        )
        for group in self.questions:
            if group.moments:
                self._write(
                    writer,
                    group.url,
                    "browse_question",
                    paginated={"moments": group.moments},
                    group=group,
                    browse_section="questions",
                )

    def _write_group(self, writer, group, section):
        self._write(
            writer,
            group.url,
            "browse_group",
            paginated={"articles": group.stories},
            group=group,
            browse_section=section,
        )

    def _write(self, writer, url, template, paginated=None, **kwargs):
        writer.write_file(
            url + "index.html",
            self.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            paginated=paginated or {},
            template_name=template,
            url=url,
            page_name=url.rstrip("/"),
            **kwargs,
        )


def _recorded(story):
    recorded = story.story.recorded or story.date
    return (recorded.year, recorded.month, recorded.day)


def _more_from_place(story, city, state, most: int) -> list:
    """Up to ``most`` neighbours not already shown as related, the same city
    first. It stops at ``most``: a state's list holds hundreds of stories in
    a large archive, and walking it for every story made this quadratic."""
    seen = {id(other) for other in story.story.related_stories} | {id(story)}
    more = []
    for group in (city, state):
        for other in group.stories if group else ():
            if len(more) >= most:
                return more
            if id(other) not in seen:
                seen.add(id(other))
                more.append(other)
    return more
