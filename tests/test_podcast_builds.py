"""Podcast feed builds of content written for each test: stability of ids,
reproducible bytes, limits, URLs, and the transcripts/chapters contract."""

from __future__ import annotations

import email.utils
import logging
import re
import shutil
import urllib.parse

import lxml.html
import podcastparser
import pytest
from lxml import etree

from portal import signals as portal_signals
from portal.outputs import chapters_path, transcript_path
from tests.podcast import DEV_BASE, NS, channel, item_by_guid, items
from tests.stories import write_story
from tests.support import LEAN, build_site, copy_content

NOW = __import__("datetime").datetime(2024, 1, 1, 12, 0)


@pytest.fixture
def content(tmp_path):
    return copy_content(tmp_path / "content")


def _build(content, out, **overrides):
    return build_site(content, out, **{**LEAN, "STORY_NOW": NOW, **overrides})


def test_guid_stays_when_title_folder_and_audio_change(content, tmp_path):
    write_story(content, "first-name", id="oss-2021-0100", title="A first title")
    before = item_by_guid(_build(content, tmp_path / "one"), "oss-2021-0100")

    shutil.rmtree(content / "stories" / "first-name")
    write_story(
        content,
        "renamed-folder",
        id="oss-2021-0100",
        title="A better title",
        audio="renamed.mp3",
    )
    after = item_by_guid(_build(content, tmp_path / "two"), "oss-2021-0100")

    assert before.findtext("title") == "A first title"
    assert after.findtext("title") == "A better title"
    assert before.findtext("guid") == after.findtext("guid") == "oss-2021-0100"
    assert before.find("enclosure").get("url") != after.find("enclosure").get("url")
    assert re.fullmatch(
        rf"{re.escape(DEV_BASE)}/stories/renamed-folder/renamed-folder-[0-9a-f]{{12}}"
        r"\.mp3",
        after.find("enclosure").get("url"),
    )


def test_two_builds_give_byte_identical_feeds_and_art(content, tmp_path):
    write_story(content, "alpha", id="oss-2021-0001")
    write_story(content, "beta", id="oss-2021-0002")  # the same date as alpha
    first = _build(content, tmp_path / "one")
    second = _build(content, tmp_path / "two")  # a fresh cache, too
    for name in ("podcast.xml", "podcast/index.html"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    covers = sorted(p.name for p in (first / "podcast").glob("*.jpg"))
    assert covers == sorted(p.name for p in (second / "podcast").glob("*.jpg"))
    for name in covers:
        assert (first / "podcast" / name).read_bytes() == (
            second / "podcast" / name
        ).read_bytes()
    # lastBuildDate is the newest episode's date (the day it was approved,
    # tests/stories.py), not the time of the build.
    last = channel(first).findtext("lastBuildDate")
    assert email.utils.parsedate_to_datetime(last).date().isoformat() == "2019-11-01"


def test_every_story_stays_in_the_feed_whatever_feed_max_items_says(content, tmp_path):
    for number in range(1, 5):
        write_story(content, f"story-{number}", id=f"oss-2021-000{number}")
    output = _build(content, tmp_path / "out", FEED_MAX_ITEMS=1)
    assert len(items(output)) == 4


def test_a_feed_can_keep_only_the_newest_episodes(content, tmp_path):
    # At 10,000 stories the feed is 26 MB; owners may keep the newest N.
    for number in range(1, 6):
        write_story(
            content,
            f"story-{number}",
            id=f"oss-2021-000{number}",
            published=f"2020-0{number}-01T10:00:00-05:00",
        )
    output = _build(content, tmp_path / "out", PODCAST_FEED_MAX_EPISODES=3)
    guids = [item.findtext("guid") for item in items(output)]
    assert guids == ["oss-2021-0005", "oss-2021-0004", "oss-2021-0003"]
    # Every story keeps its page; only the feed is shorter.
    assert (output / "stories" / "story-1" / "index.html").is_file()
    # The subscribe page counts the show's conversations, all of them on
    # the site, and says how many a podcast app gets.
    page = lxml.html.parse(str(output / "podcast/index.html"))
    counts = [
        " ".join(p.text_content().split())
        for p in page.xpath("//*[contains(@class, 'podcast-intro__count')]")
    ]
    assert counts[0].startswith("5 conversations so far")
    assert counts[1] == "Podcast apps get the newest 3; all 5 are here on the site."
    [link] = page.xpath("//*[contains(@class, 'podcast-intro__count')]//a/@href")
    assert link == "../stories/"


@pytest.mark.parametrize("value", [0, -1, "300", True, 2.5])
def test_a_wrong_episode_limit_is_a_clear_error(content, tmp_path, value):
    write_story(content, "story-1", id="oss-2021-0001")
    with pytest.raises(Exception) as error:
        _build(content, tmp_path / "out", PODCAST_FEED_MAX_EPISODES=value)
    message = str(error.value)
    assert "PODCAST_FEED_MAX_EPISODES" in message
    assert "whole number like 300" in message
    assert not (tmp_path / "out" / "podcast.xml").exists()


def test_items_are_newest_first_and_dates_keep_their_instant(content, tmp_path):
    write_story(content, "older", id="oss-2021-0001", date="2019-10-12")
    write_story(
        content,
        "newer",
        id="oss-2021-0002",
        date="2019-10-13",
        published="2019-11-02T09:30:00-08:00",
    )
    # Recorded first, approved last, with no publication day: it went
    # public the day it was approved, and is the newest episode, though a
    # feed dated by recording would list it last (never shown as new).
    write_story(
        content,
        "recorded-long-ago",
        id="oss-2021-0003",
        date="2015-05-01",
        approval={
            "approved_by": "Test Editor",
            "approved_on": "2020-01-15",
            "releases_signed": True,
        },
    )
    output = _build(content, tmp_path / "out")
    guids = [item.findtext("guid") for item in items(output)]
    assert guids == ["oss-2021-0003", "oss-2021-0002", "oss-2021-0001"]
    # 09:30 at UTC-8 is 13:30 in New York (EDT, the site's TIMEZONE).
    newer = item_by_guid(output, "oss-2021-0002").findtext("pubDate")
    assert newer == "Sat, 02 Nov 2019 13:30:00 -0400"
    # The approval's day, at midnight in New York; the older story too.
    for guid, date in (
        ("oss-2021-0003", "Wed, 15 Jan 2020 00:00:00 -0500"),
        ("oss-2021-0001", "Fri, 01 Nov 2019 00:00:00 -0400"),
    ):
        assert item_by_guid(output, guid).findtext("pubDate") == date
    # The subscribe page's "Listen before you follow": the feed's order.
    page = lxml.html.parse(str(output / "podcast/index.html"))
    assert [
        " ".join(title.text_content().split())
        for title in page.xpath("//section[contains(@class,'podcast-latest')]//h3")
    ][:1] == ["Conversation recorded-long-ago"]


def test_publish_build_uses_absolute_media_urls_and_ascii_hosts(content, tmp_path):
    write_story(content, "café-talk", id="oss-2021-0001", image=None)
    output = build_site(
        content,
        tmp_path / "out",
        "publishconf.py",
        STORY_NOW=NOW,
        SITEURL="https://bücher.example",
        SITE_ABSOLUTE_URL="https://bücher.example",
        STORY_MEDIA_URL="https://media.example.org/audio",
        STORY_MEDIA_OUTPUT_PATH=str(tmp_path / "media"),
        **LEAN,
    )
    chan = channel(output)
    assert chan.findtext("link") == "https://xn--bcher-kva.example/"
    [item] = items(output)
    assert item.findtext("link") == (
        "https://xn--bcher-kva.example/stories/caf%C3%A9-talk/"
    )
    url = item.find("enclosure").get("url")
    assert re.fullmatch(
        r"https://media\.example\.org/audio/stories/caf%C3%A9-talk/"
        r"caf%C3%A9-talk-[0-9a-f]{12}\.mp3",
        url,
    )
    name = urllib.parse.unquote(url.rsplit("/", 1)[1])
    assert (tmp_path / "media" / "stories" / "café-talk" / name).is_file()
    assert not (output / "stories" / "café-talk" / name).exists()


def test_site_paths_stay_under_a_site_in_a_folder(content, tmp_path):
    """A site published in a folder of its host (a GitHub Pages project
    site): "/take-part/" is the site's page, not one at the host's root, in
    podcast.yml's description as in funding, and in what editors write in a
    story (its page and its show notes) or a campaign page. Other links stay
    as written."""
    site = "https://example.github.io/one-small-step"
    body = (
        "Then [take part](/take-part/), read [the guide]({filename}/pages/guide.md)"
        ", [the top](#top), [a friend](//friends.example.org/a/) and"
        " [elsewhere](https://example.org/b/).\n\n![A sign](/images/sign.jpg)"
    )
    write_story(content, "in-a-folder", id="oss-2021-0001", body=body)
    podcast_yml = content / "data" / "podcast.yml"
    podcast_yml.write_text(
        re.sub(
            r"(?m)^funding:\n  url: .*$",
            "funding:\n  url: /take-part/",
            podcast_yml.read_text(encoding="utf-8"),
        ),
        encoding="utf-8",
    )
    (content / "pages" / "visit.md").write_text(
        "---\ntitle: Visit\nslug: visit\n---\nPlease [take part](/take-part/).\n",
        encoding="utf-8",
    )
    output = build_site(
        content,
        tmp_path / "out",
        "publishconf.py",
        STORY_NOW=NOW,
        SITEURL=site,
        SITE_PRODUCTION_URL=site,
        **LEAN,
    )
    with open(output / "podcast.xml", "rb") as stream:
        parsed = podcastparser.parse(f"{site}/podcast.xml", stream)
    assert f"({site}/take-part/)" in parsed["description"]
    assert "https://example.github.io/take-part/" not in parsed["description"]
    funding = channel(output).find("podcast:funding", NS).get("url")
    assert funding == f"{site}/take-part/"
    page = lxml.html.parse(str(output / "podcast/index.html"))
    [link] = page.xpath("//*[@class='podcast-intro__description']//a/@href")
    assert link == f"{site}/take-part/"

    links = [
        f"{site}/take-part/",
        f"{site}/guide/",
        "#top",
        "//friends.example.org/a/",
        "https://example.org/b/",
    ]
    story = lxml.html.parse(str(output / "stories/in-a-folder/index.html"))
    assert story.xpath("//*[@class='prose']//a/@href") == links
    assert story.xpath("//*[@class='prose']//img/@src") == [f"{site}/images/sign.jpg"]
    [episode] = parsed["episodes"]
    notes = lxml.html.fragment_fromstring(
        episode["description_html"], create_parent="div"
    )
    assert notes.xpath("//a/@href")[:2] == links[:2]
    assert "https://example.github.io/take-part/" not in episode["description_html"]
    visit = lxml.html.parse(str(output / "visit/index.html"))
    assert visit.xpath("//main//a[.='take part']/@href") == [f"{site}/take-part/"]


def test_long_story_text_is_cut_to_whole_paragraphs_within_4000_bytes(
    content, tmp_path
):
    paragraph = "Ça a commencé à la caserne — " + "we kept talking " * 20
    body = "\n\n".join(f"Part {number}: {paragraph}" for number in range(40))
    write_story(content, "long-one", id="oss-2021-0001", body=body)
    output = _build(content, tmp_path / "out")
    raw = (output / "podcast.xml").read_text(encoding="utf-8")
    html = raw.split("<item>")[1].split("<![CDATA[")[1].split("]]>")[0]
    assert 3000 < len(html.encode("utf-8")) <= 4000
    assert html.startswith("<p>Two neighbours talk about long-one.</p>")
    assert "In conversation: Ada Lopez" in html
    assert html.endswith("</a></p>")  # the link to the story page always stays
    assert html.count("<p>") == html.count("</p>")
    assert "Part 0: Ça a commencé" in html
    # Whole paragraphs, then the start of the next one cut at a word.
    last_part = html.split("<p>In conversation")[0].rsplit("<p>", 1)[1]
    assert last_part.endswith("…</p>")
    assert not last_part.endswith(" …</p>")


def test_one_huge_block_is_cut_at_a_word(content, tmp_path):
    body = "\n".join(f"{n}. item number {n} of a very long list" for n in range(1, 400))
    write_story(content, "list-story", id="oss-2021-0001", body=body)
    output = _build(content, tmp_path / "out")
    description = items(output)[0].findtext("description")
    assert 3500 < len(description.encode("utf-8")) <= 4000
    # The list keeps its first whole items.
    assert "<ol><li>item number 1 of a very long list</li>" in description
    assert "list</li></ol><p>In conversation" in description


def test_story_html_is_cleaned_to_apple_tags_and_absolute_links(content, tmp_path):
    body = (
        "## A heading\n\nSee [how to take part](/take-part/) and "
        "[the next story](../other/).\n\n"
        '<img src="x.jpg" alt="x"> <script>alert(1)</script>\n\n'
        "| Question | Who answered |\n|---|---|\n"
        "| Where did you grow up? | Ada |\n| What do you fear? | Ben, then Ada |"
        "\n\n> What we share.\n\n**bold** and *it*, at the diner.[^diner]\n\n"
        "[^diner]: On Main Street, since *closed*."
    )
    write_story(content, "html-story", id="oss-2021-0001", body=body)
    output = _build(content, tmp_path / "out")
    description = items(output)[0].findtext("description")
    assert "<h2" not in description and "<img" not in description
    assert "<table" not in description and "script" not in description
    assert "alert" not in description
    # What an editor wrote, as apps show it (podcastparser reads the notes
    # as the apps do): no heading run into the next words, no table's cells
    # run together, no "diner.1" with the footnote lost.
    with open(output / "podcast.xml", "rb") as stream:
        [episode] = podcastparser.parse(f"{DEV_BASE}/podcast.xml", stream)["episodes"]
    notes = episode["description_html"]
    assert notes.startswith(
        "<p>Two neighbours talk about html-story.</p>"
        "<p><strong>A heading</strong></p><p>See "
    )
    assert (
        "<ul><li>Question: Where did you grow up? Who answered: Ada</li>"
        "<li>Question: What do you fear? Who answered: Ben, then Ada</li></ul>"
        "<p><em>What we share.</em></p>"
        "<p><strong>bold</strong> and <em>it</em>, at the diner.[1]</p>"
        "<p>[1] On Main Street, since <em>closed</em>.</p><p>In conversation:"
    ) in notes
    text = episode["description"]  # as text, for apps that show no HTML
    assert "A heading\n" in text and "↩" not in text
    assert f'<a href="{DEV_BASE}/take-part/">how to take part</a>' in description
    assert f'<a href="{DEV_BASE}/stories/other/">the next story</a>' in description
    assert "<strong>bold</strong>" in description and "<em>it</em>" in description


def test_a_picture_in_the_story_text_leaves_no_empty_paragraph(content, tmp_path):
    # Apple's tags hold no picture: what held only one is left out, not
    # shown by apps as an empty gap in the show notes.
    body = (
        "Before the picture.\n\n![Ada at the booth](picture.jpg)\n\n"
        '<img src="x.jpg" alt="x"> <script>alert(1)</script>\n\nAfter it.'
    )
    write_story(content, "pictured", id="oss-2021-0001", body=body)
    output = _build(content, tmp_path / "out")
    description = items(output)[0].findtext("description")
    assert "<p>Before the picture.</p><p>After it.</p>" in description
    paragraphs = etree.fromstring(f"<div>{description}</div>").iter("p", "li")
    assert all("".join(p.itertext()).strip() for p in paragraphs)


def test_episode_fields_from_the_story(content, tmp_path):
    write_story(
        content,
        "special",
        id="oss-2021-0001",
        explicit=True,
        episode_type="bonus",
        season=2,
        episode=7,
        facilitator="Fran Facilitator",
        location={"name": "Nome, Alaska", "geo": [64.5011, -165.4064], "country": "US"},
    )
    write_story(content, "plain", id="oss-2021-0002", location=None)
    output = _build(content, tmp_path / "out")
    special = item_by_guid(output, "oss-2021-0001")
    assert special.findtext("itunes:explicit", namespaces=NS) == "true"
    assert special.findtext("itunes:episodeType", namespaces=NS) == "bonus"
    assert special.findtext("itunes:season", namespaces=NS) == "2"
    assert special.findtext("itunes:episode", namespaces=NS) == "7"
    assert special.findtext("podcast:season", namespaces=NS) == "2"
    assert special.findtext("podcast:episode", namespaces=NS) == "7"
    hosts = [
        p.text for p in special.findall("podcast:person", NS) if p.get("role") == "host"
    ]
    assert hosts == ["Fran Facilitator"]
    location = special.find("podcast:location", NS)
    assert location.get("geo") == "geo:64.5011,-165.4064"
    plain = item_by_guid(output, "oss-2021-0002")
    assert plain.find("podcast:location", NS) is None
    assert plain.find("itunes:season", NS) is None
    assert plain.findtext("itunes:explicit", namespaces=NS) == "false"
    assert channel(output).findtext("itunes:explicit", namespaces=NS) == "false"


def _contract_attributes(sender, stories, report):
    """Stands in for the transcripts plugin: the attributes it promises."""
    for story in stories:
        story.story.transcript_outputs = {
            fmt: transcript_path(story, fmt) for fmt in ("json", "srt", "vtt")
        }
        story.story.chapters_path = chapters_path(story)


@pytest.fixture
def transcripts_contract():
    portal_signals.story_parts.connect(_contract_attributes)
    try:
        yield
    finally:
        portal_signals.story_parts.disconnect(_contract_attributes)


def test_transcripts_and_chapters_from_the_contract_attributes(
    content, tmp_path, transcripts_contract
):
    write_story(content, "read-along", id="oss-2021-0001")
    item = items(_build(content, tmp_path / "out"))[0]
    base = f"{DEV_BASE}/stories/read-along/"
    transcripts = [
        (t.get("url"), t.get("type"), t.get("rel"), t.get("language"))
        for t in item.findall("podcast:transcript", NS)
    ]
    assert transcripts == [
        (base + "transcript.vtt", "text/vtt", None, "en"),
        (base + "transcript.srt", "application/x-subrip", "captions", "en"),
        (base + "transcript.json", "application/json", None, "en"),
    ]
    [chapters] = item.findall("podcast:chapters", NS)
    assert chapters.get("url") == base + "chapters.json"
    assert chapters.get("type") == "application/json+chapters"


def test_without_the_contract_attributes_there_are_no_transcript_tags(
    content, tmp_path
):
    write_story(content, "no-extras", id="oss-2021-0001")
    item = items(_build(content, tmp_path / "out"))[0]
    if item.find("podcast:transcript", NS) is not None:
        pytest.skip("a transcripts plugin is enabled and sets the attributes")
    assert item.find("podcast:chapters", NS) is None


def test_a_site_without_podcast_yml_has_no_feed(content, tmp_path, caplog):
    (content / "data" / "podcast.yml").unlink()
    write_story(content, "lonely", id="oss-2021-0001")
    with caplog.at_level(logging.WARNING):
        output = _build(content, tmp_path / "out")
    assert not (output / "podcast.xml").exists()
    assert not (output / "podcast" / "index.html").exists()
    home = (output / "index.html").read_text()
    assert "application/rss+xml" not in home and ">Podcast<" not in home
    assert "podcast.yml does not exist, so this site has no podcast feed" in caplog.text


def test_the_feed_parses_as_xml_with_an_empty_podcast(content, tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        output = _build(content, tmp_path / "out")
    root = etree.fromstring((output / "podcast.xml").read_bytes())
    assert root.find("channel/item") is None
    assert "the feed has no episodes yet" in caplog.text


def test_a_preview_build_shows_held_back_stories_but_never_feeds_them(
    content, tmp_path
):
    write_story(content, "public-one", id="oss-2021-0001")
    write_story(
        content, "not-yet", id="oss-2021-0002", title="Unreleased talk", status="draft"
    )
    output = _build(content, tmp_path / "out", STORY_PREVIEW=True)
    assert (output / "stories" / "not-yet" / "index.html").is_file()  # previewed
    feed = (output / "podcast.xml").read_text(encoding="utf-8")
    assert [item.findtext("guid") for item in items(output)] == ["oss-2021-0001"]
    for needle in ("not-yet", "oss-2021-0002", "Unreleased talk"):
        assert needle not in feed
