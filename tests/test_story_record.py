"""The story record (portal/story_record.py): a story is read through
``article.story`` and nothing else is hung on Pelican's article; the reader
cache keeps only what story.md says."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from pelican import signals
from pelican.contents import Article

from portal import signals as portal_signals
from portal.story_record import READ_FIELDS, StoryRecord, front_digest, is_story
from tests.listening import GOOD_VTT, write_transcript_story
from tests.stories import write_story
from tests.support import build_site, copy_content


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Two stories, one published with a transcript, one held back (draft),
    as the articles were at the end of the build."""
    base = tmp_path_factory.mktemp("record")
    content = copy_content(base / "content")
    write_transcript_story(content, "public", GOOD_VTT, title="Talk in public")
    write_story(content, "draft", status="draft")
    gated = {}

    def keep(generator, published, held_back):
        gated.update(published=list(published), held_back=dict(held_back))

    def keep_pages(generator):
        gated["pages"] = list(generator.pages)

    portal_signals.stories_gated.connect(keep)
    signals.page_generator_finalized.connect(keep_pages)
    try:
        output = build_site(content, base / "out")
    finally:
        portal_signals.stories_gated.disconnect(keep)
        signals.page_generator_finalized.disconnect(keep_pages)
    return gated, output


def _pelican_attributes(article) -> set[str]:
    """What Pelican itself puts on an article with the same metadata."""
    bare = Article(
        article._content,
        metadata=dict(article.metadata),
        settings=article.settings,
        source_path=article.source_path,
        context={},
    )
    return set(vars(bare))


def test_nothing_but_the_record_is_hung_on_a_story(built):
    gated, _ = built
    stories = gated["published"] + list(gated["held_back"])
    assert [s.slug for s in stories] == ["public", "draft"]
    for story in stories:
        added = set(vars(story)) - _pelican_attributes(story)
        # Two flags other Pelican code reads: pelican-sitemap's ``private``
        # and Pelican's own ``override_url`` (the gate sets it: the record's url).
        assert added <= {"private", "override_url"}, (story.slug, sorted(added))
        assert isinstance(story.story, StoryRecord)
        assert is_story(story)


def test_the_record_holds_every_stage(built):
    gated, _ = built
    public = gated["published"][0].story
    assert public.front.title == "Talk in public"
    # Every front-matter field, hashed once as story.md is read (the keys of
    # other pages hold it): another value of any field is another hash.
    assert public.front_digest == front_digest(public.front)
    retitled = public.front.model_copy(update={"title": "Talk in private"})
    assert front_digest(retitled) != public.front_digest
    assert public.source == "content/stories/public/story.md"
    # Its address, worked out once, is what Pelican gives as the page's URL.
    assert public.url == "stories/public/"
    assert gated["published"][0].url == public.url
    assert public.audio.duration > 1  # the rendition listeners get
    assert public.master.filename == "speech.mp3"  # the editors' master
    assert public.audio_url.startswith("stories/public/")
    assert public.held_back is None
    transcript = public.transcript_entry.view()
    assert transcript.sections[0].turns[0].speaker == "Ada Lopez"
    assert public.transcript_outputs["vtt"] == "stories/public/transcript.vtt"
    assert public.sharing.page_url.endswith("/stories/public/")
    draft = next(iter(gated["held_back"])).story
    assert draft.held_back == gated["held_back"][next(iter(gated["held_back"]))]
    assert any("status is 'draft'" in reason for reason in draft.held_back)
    assert draft.audio_url is None and draft.sharing is None  # never published


def test_the_reader_cache_keeps_only_what_story_md_says(built):
    gated, _ = built
    record = gated["published"][0].story
    assert record.audio is not None and record.transcript_entry
    cached = pickle.loads(pickle.dumps(record))
    for name in READ_FIELDS:
        assert getattr(cached, name) == getattr(record, name)
    # Every later part is made again by the next build, from its files.
    assert cached.audio is None and cached.transcript_entry is None
    assert cached.held_back is None and cached.sharing is None
    assert cached.chapters == [] and cached.related_stories == []


def test_campaign_pages_are_not_stories(built):
    gated, _ = built
    assert gated["pages"]
    assert not any(is_story(page) for page in gated["pages"])


def test_stories_of_one_shape_share_their_field_paths(built):
    """Every record keeps the line of each front-matter field for messages;
    the paths themselves are kept once for stories of the same shape, also
    when read back from Pelican's reader cache."""
    gated, _ = built
    public = gated["published"][0].story
    draft = next(iter(gated["held_back"])).story
    assert public.lines[("title",)] == 3
    assert public.lines.get(("participants", 1, "name")) == draft.lines.get(
        ("participants", 1, "name")
    )
    assert ("transcript",) in public.lines and ("transcript",) not in draft.lines
    cached = pickle.loads(pickle.dumps(public))
    assert dict(cached.lines) == dict(public.lines)
    again = pickle.loads(pickle.dumps(public))
    assert again.lines._index is cached.lines._index


@pytest.mark.parametrize(
    "article_url",
    ["stories/{slug}/", "talks/{slug}.html", "{date:%Y}/{slug}/", "{category}/{slug}/"],
)
def test_the_record_holds_the_address_pelican_gives_the_story(built, article_url):
    """The record's URL is Pelican's ``article.url`` for the story, whichever
    fields ``ARTICLE_URL`` formats in (``story_reader.note_address``)."""
    from story_reader.reader import note_address

    story = built[0]["published"][0]
    settings = {**story.settings, "ARTICLE_URL": article_url}
    # A copy of the record: the fixture's stays as the build left it.
    record = dataclasses.replace(story.story)
    article = Article(
        story._content,
        metadata={**story.metadata, "story": record},
        settings=settings,
        source_path=story.source_path,
        context={},
    )
    note_address(article)
    assert article.story.url == article.url
    assert article.story.slug in article.url
