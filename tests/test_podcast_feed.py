"""The podcast feed of the sample site, read back by podcast parsers and
checked element by element against the feed checklist
(shared/podcast-feed-checklist.md)."""

from __future__ import annotations

import datetime
import email.utils
import json
import re
import urllib.parse
import urllib.request
import uuid
import zoneinfo

import feedparser
import lxml.etree
import lxml.html
import mutagen
import podcastparser
import webvtt
import yaml
from PIL import Image

from portal import frontmatter
from portal.schema import Story
from portal.timecode import format_timecode, whole_seconds
from tests import host_headers
from tests.podcast import DEV_BASE, NS, channel, every_url, feed_xml, items, local_file
from tests.support import CONTENT

APPLE_TAGS = {"p", "ol", "ul", "li", "a", "b", "i", "strong", "em"}
ZONE = zoneinfo.ZoneInfo("America/New_York")


def _sample_stories() -> dict[str, tuple[str, Story]]:
    """slug -> (status, Story) for every sample story that passes the schema."""
    out = {}
    for path in sorted((CONTENT / "stories").glob("*/story.md")):
        story = Story.model_validate(
            frontmatter.split(path.read_text(encoding="utf-8")).data
        )
        out[path.parent.name] = story
    return out


def _is_cleared(story: Story) -> bool:
    return (
        story.status == "published"
        and story.approval is not None
        and story.approval.releases_signed
    )


STORIES = _sample_stories()
APPROVED = {slug: s for slug, s in STORIES.items() if _is_cleared(s)}
HELD_BACK = {slug: s for slug, s in STORIES.items() if not _is_cleared(s)}
PODCAST_YML = yaml.safe_load((CONTENT / "data" / "podcast.yml").read_text())


def test_the_sample_has_stories_of_both_kinds():
    assert len(APPROVED) >= 5 and HELD_BACK


def test_podcastparser_reads_every_approved_story_as_an_episode(sample_site):
    with open(sample_site / "podcast.xml", "rb") as stream:
        parsed = podcastparser.parse(f"{DEV_BASE}/podcast.xml", stream)
    assert parsed["title"] == PODCAST_YML["title"]
    assert parsed["link"] == f"{DEV_BASE}/"
    assert parsed["explicit"] is False
    assert parsed["type"] == "episodic"
    assert parsed["itunes_owner"] == PODCAST_YML["owner"]
    assert parsed["itunes_categories"][0] == ["Society & Culture", "Documentary"]
    by_guid = {episode["guid"]: episode for episode in parsed["episodes"]}
    assert set(by_guid) == {story.id for story in APPROVED.values()}
    for slug, story in APPROVED.items():
        episode = by_guid[story.id]
        audio = CONTENT / "stories" / slug / story.audio
        assert episode["title"] == story.title
        assert episode["link"] == f"{DEV_BASE}/stories/{slug}/"
        [enclosure] = episode["enclosures"]
        # The enclosure is the story's rendition, never the editors' master.
        assert re.fullmatch(
            rf"{re.escape(DEV_BASE)}/stories/{slug}/{slug}-[0-9a-f]{{12}}\.mp3",
            enclosure["url"],
        )
        served = local_file(sample_site, enclosure["url"])
        assert enclosure["file_size"] == served.stat().st_size
        assert enclosure["mime_type"] == "audio/mpeg"
        length = mutagen.File(served).info.length
        assert episode["total_time"] == max(1, whole_seconds(length))
        assert (
            abs(mutagen.File(served).info.length - mutagen.File(audio).info.length) < 1
        )
        assert episode["published"] == int(_went_public(story).timestamp())
        assert episode["explicit"] is story.explicit
        assert episode["type"] == story.episode_type
        assert not (sample_site / "stories" / slug / story.audio).exists()


def test_feedparser_reads_the_same_episodes(sample_site):
    parsed = feedparser.parse((sample_site / "podcast.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.podcast_guid == PODCAST_YML["guid"]
    by_id = {entry.id: entry for entry in parsed.entries}
    assert set(by_id) == {story.id for story in APPROVED.values()}
    for slug, story in APPROVED.items():
        entry = by_id[story.id]
        [enclosure] = entry.enclosures
        served = local_file(sample_site, enclosure.href)
        assert enclosure.href.startswith(f"{DEV_BASE}/stories/{slug}/{slug}-")
        assert int(enclosure.length) == served.stat().st_size
        assert enclosure.type == "audio/mpeg"
        assert int(entry.itunes_duration) == max(
            1, whole_seconds(mutagen.File(served).info.length)
        )
        published = email.utils.parsedate_to_datetime(entry.published)
        assert published == _went_public(story)
    # Newest first: the newest to go public, not the newest recorded.
    assert [entry.id for entry in parsed.entries] == [
        story.id for story in sorted(APPROVED.values(), key=_went_public, reverse=True)
    ]


def _went_public(story: Story) -> datetime.datetime:
    """The day a sample story went public, as podcast apps should date it:
    its publication day, else its approval's, at midnight in New York; never
    the day it was recorded (it would sink in apps' lists, never new)."""
    day = story.published or story.approval.approved_on
    assert day != story.date
    return datetime.datetime.combine(day, datetime.time(), ZONE)


def test_the_feed_is_one_document_as_lxml_writes_it(sample_site):
    """Each episode's item is written on its own and placed in the channel
    (plugins/podcast_feed/feed.py): the whole is byte for byte what lxml
    writes for the same tree, indentation and CDATA included."""
    raw = (sample_site / "podcast.xml").read_bytes()
    parser = lxml.etree.XMLParser(remove_blank_text=True, strip_cdata=False)
    tree = lxml.etree.fromstring(raw, parser).getroottree()
    assert len(tree.findall("channel/item")) == len(APPROVED)
    written = lxml.etree.tostring(
        tree, pretty_print=True, encoding="UTF-8", xml_declaration=True
    )
    assert raw == written


def test_channel_declares_the_namespaces_and_links(sample_site):
    root = feed_xml(sample_site)
    assert root.tag == "rss" and root.get("version") == "2.0"
    for prefix, uri in NS.items():
        assert root.nsmap[prefix] == uri
    raw = (sample_site / "podcast.xml").read_bytes()
    assert raw.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    raw.decode("utf-8")
    chan = channel(sample_site)
    [self_link] = chan.findall("atom:link", NS)
    assert self_link.get("rel") == "self"
    assert self_link.get("href") == f"{DEV_BASE}/podcast.xml"
    assert chan.findtext("link") == f"{DEV_BASE}/"
    assert chan.findtext("language") == "en"
    assert chan.findtext("title") == PODCAST_YML["title"]


def test_channel_description_is_plain_text_under_4000_bytes(sample_site):
    # The W3C feed validator warns "description should not contain HTML" on
    # the channel; episodes keep HTML (in CDATA) in their own descriptions.
    raw = (sample_site / "podcast.xml").read_text(encoding="utf-8")
    channel_part = raw.split("<item>")[0]
    [text] = re.findall(r"<description>(.*?)</description>", channel_part, re.S)
    assert "CDATA" not in text and "&lt;" not in text and "<" not in text
    description = channel(sample_site).findtext("description")
    assert len(description.encode()) <= 4000
    assert "Two people who see politics differently" in description
    # A link's address follows its words, made absolute from a site path.
    assert f"Find out how to record your own ({DEV_BASE}/take-part/)" in description
    assert "\n\n" in description  # paragraphs stay apart


def test_podcasting_2_0_channel_tags(sample_site):
    chan = channel(sample_site)
    [image] = chan.findall("podcast:image", NS)
    assert image.get("href") == chan.find("itunes:image", NS).get("href")
    assert image.get("alt") == PODCAST_YML["cover_alt"]
    assert image.get("purpose") == "artwork"
    assert image.get("aspect-ratio") == "1/1"
    with Image.open(local_file(sample_site, image.get("href"))) as cover:
        assert (int(image.get("width")), int(image.get("height"))) == cover.size
    license = chan.find("podcast:license", NS)
    assert license.text == PODCAST_YML["license"]["name"]
    assert license.get("url") == f"{DEV_BASE}/about/"
    # No directory has given the sample a code: no podcast:txt that would
    # prove nothing (tests/test_podcast_settings.py: a sample value is refused).
    assert PODCAST_YML["txt"] == [] and not chan.findall("podcast:txt", NS)
    frequency = chan.find("podcast:updateFrequency", NS)
    assert frequency.get("rrule") == "FREQ=MONTHLY"
    assert frequency.text == PODCAST_YML["update_frequency"]["text"]


def test_a_development_feed_asks_directories_not_to_list_it(sample_site):
    # pelicanconf.py builds for http://localhost:8000, not the public site.
    chan = channel(sample_site)
    assert chan.findtext("itunes:block", namespaces=NS) == "yes"
    assert chan.findtext("podcast:block", namespaces=NS) == "yes"


def test_podcasting_2_0_item_tags(sample_site):
    with_image = with_soundbite = 0
    for item in items(sample_site):
        story = next(s for s in APPROVED.values() if s.id == item.findtext("guid"))
        images = item.findall("podcast:image", NS)
        if story.image:
            [image] = images
            assert image.get("href") == item.find("itunes:image", NS).get("href")
            assert image.get("alt") == story.image_alt
            assert image.get("purpose") == "artwork"
            with_image += 1
        else:
            assert not images
        for soundbite in item.findall("podcast:soundbite", NS):
            start, length = (
                float(soundbite.get("startTime")),
                float(soundbite.get("duration")),
            )
            duration = int(item.findtext("itunes:duration", namespaces=NS))
            assert start >= 0 and 0 < length <= 120 and start + length <= duration + 1
            # The namespace's 15 s at least, where the audio goes on that long.
            assert length >= min(15, duration - start)
            with_soundbite += 1
            if story.quote:  # the moment the editors marked
                quote = story.quote
                assert (start, length) == (quote.start, quote.end - quote.start)
                assert soundbite.text == quote.text
                continue
            chapters_url = item.find("podcast:chapters", NS).get("url")
            chapters = json.loads(local_file(sample_site, chapters_url).read_text())
            # Taken from one of the story's chapters, and starting with it.
            assert (start, soundbite.text) in [
                (c["startTime"], c["title"]) for c in chapters["chapters"]
            ]
    assert with_soundbite >= 3
    assert with_image == sum(1 for s in APPROVED.values() if s.image)


def test_channel_itunes_tags(sample_site):
    chan = channel(sample_site)
    assert chan.findtext("itunes:author", namespaces=NS) == PODCAST_YML["author"]
    owner = chan.find("itunes:owner", NS)
    assert owner.findtext("itunes:name", namespaces=NS) == PODCAST_YML["owner"]["name"]
    assert (
        owner.findtext("itunes:email", namespaces=NS) == PODCAST_YML["owner"]["email"]
    )
    assert chan.findtext("itunes:explicit", namespaces=NS) == "false"
    assert chan.findtext("itunes:type", namespaces=NS) == "episodic"
    categories = chan.findall("itunes:category", NS)
    assert categories[0].get("text") == "Society & Culture"
    [sub] = categories[0].findall("itunes:category", NS)
    assert sub.get("text") == "Documentary"
    raw = (sample_site / "podcast.xml").read_text(encoding="utf-8")
    assert '<itunes:category text="Society &amp; Culture">' in raw
    assert chan.findtext("copyright")


def test_show_cover_is_a_square_rgb_jpeg_of_the_right_size(sample_site):
    chan = channel(sample_site)
    [image] = chan.findall("itunes:image", NS)
    url = image.get("href")
    assert url.startswith(DEV_BASE + "/") and url.endswith(".jpg")
    assert re.search(r"/cover-[0-9a-f]{12}\.jpg$", url)
    assert chan.find("image").findtext("url") == url
    with Image.open(local_file(sample_site, url)) as cover:
        assert cover.format == "JPEG"
        assert cover.mode == "RGB"
        assert cover.width == cover.height
        assert 1400 <= cover.width <= 3000


def test_channel_podcast_namespace_tags(sample_site):
    chan = channel(sample_site)
    guid = chan.findtext("podcast:guid", namespaces=NS)
    assert guid == PODCAST_YML["guid"]
    assert uuid.UUID(guid).version == 5
    locked = chan.find("podcast:locked", NS)
    assert locked.text == "yes"
    assert locked.get("owner") == PODCAST_YML["owner"]["email"]
    assert chan.findtext("podcast:medium", namespaces=NS) == "podcast"
    funding = chan.find("podcast:funding", NS)
    assert funding.get("url") == PODCAST_YML["funding"]["url"]
    assert funding.text == PODCAST_YML["funding"]["text"]
    assert 0 < len(funding.text) <= 128
    people = chan.findall("podcast:person", NS)
    assert [p.text for p in people] == [p["name"] for p in PODCAST_YML["people"]]
    assert people[0].get("role") == "producer"


def test_sample_guid_is_the_uuid5_of_the_production_feed_url():
    expected = uuid.uuid5(
        uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"),
        "onesmallstep.example.org/podcast.xml",
    )
    assert PODCAST_YML["guid"] == str(expected)


def test_every_item_meets_the_checklist(sample_site):
    enclosure_urls = set()
    for item in items(sample_site):
        story = next(s for s in APPROVED.values() if s.id == item.findtext("guid"))
        [guid] = item.findall("guid")
        assert guid.get("isPermaLink") == "false"
        [enclosure] = item.findall("enclosure")
        assert int(enclosure.get("length")) > 0
        # Only the types Apple Podcasts accepts (checklist item 23).
        assert enclosure.get("type") in ("audio/mpeg", "audio/x-m4a")
        enclosure_urls.add(enclosure.get("url"))
        published = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
        assert published.tzinfo is not None
        assert published.utcoffset() in (
            datetime.timedelta(hours=-5),
            datetime.timedelta(hours=-4),
        )
        assert re.fullmatch(
            r"[1-9]\d*", item.findtext("itunes:duration", namespaces=NS)
        )
        assert item.findtext("itunes:explicit", namespaces=NS) in ("true", "false")
        assert item.findtext("itunes:episodeType", namespaces=NS) == "full"
        people = item.findall("podcast:person", NS)
        guests = [p.text for p in people if p.get("role") == "guest"]
        assert guests == story.participant_names
        assert all(p.get("group") == "cast" for p in people if p.get("role") == "guest")
        # The show's people are repeated: item people replace the channel's.
        assert [p.text for p in people if p.get("role") != "guest"] == [
            p["name"] for p in PODCAST_YML["people"]
        ]
        assert all(len(p.text) <= 128 for p in people)
        location = item.find("podcast:location", NS)
        assert location.text == story.location.name
        lat, lon = story.location.geo
        assert location.get("geo") == f"geo:{lat},{lon}"
        assert location.get("country") == "US"
        assert location.get("rel") == "subject"
    assert len(enclosure_urls) == len(items(sample_site)), "two items share audio"


def test_item_descriptions_are_cdata_html_with_apple_tags_only(sample_site):
    raw = (sample_site / "podcast.xml").read_text(encoding="utf-8")
    descriptions = re.findall(
        r"<item>.*?<description><!\[CDATA\[(.*?)\]\]></description>", raw, re.S
    )
    assert len(descriptions) == len(APPROVED)
    for html in descriptions:
        assert len(html.encode("utf-8")) <= 4000
        assert _tags(html) <= APPLE_TAGS
        assert "In conversation:" in html


def test_show_notes_as_text_keep_no_line_breaks_of_the_story_file(sample_site):
    """Apps that show the notes as text (podcastparser's description, as in
    gPodder) break lines only between paragraphs and list items, never where
    the story's Markdown happens to wrap."""
    with open(sample_site / "podcast.xml", "rb") as stream:
        parsed = podcastparser.parse(f"{DEV_BASE}/podcast.xml", stream)
    wrapped = [
        (episode["title"], paragraph)
        for episode in parsed["episodes"]
        for paragraph in episode["description"].split("\n\n")
        if "\n" in paragraph
    ]
    assert not wrapped


def test_show_notes_list_the_chapters_as_spotify_and_apple_read_them(sample_site):
    """Spotify takes chapters only from timestamps in the description: the
    first at zero, three at least, one a line, in order (checklist 24)."""
    parsed = feedparser.parse((sample_site / "podcast.xml").read_bytes())
    listed = 0
    for entry, item in zip(parsed.entries, items(sample_site), strict=True):
        url = item.find("podcast:chapters", NS).get("url")
        chapters = json.loads(local_file(sample_site, url).read_text())["chapters"]
        html = lxml.html.fragment_fromstring(entry.description, create_parent="div")
        lines = [li.text_content() for li in html.xpath("//li")]
        stamped = [line for line in lines if re.match(r"^\d\d:\d\d:\d\d ", line)]
        if len(chapters) < 3:
            assert not stamped, entry.title  # apps would show a broken list
            continue
        listed += 1
        assert stamped == [
            "{:02d}:{:02d}:{:02d} {}".format(
                int(c["startTime"]) // 3600,
                int(c["startTime"]) // 60 % 60,
                int(c["startTime"]) % 60,
                c["title"],
            )
            for c in chapters
        ]
        assert stamped[0].startswith("00:00:00 ")
    assert listed >= 3  # the sample has stories with three chapters or more


def test_every_url_in_the_feed_is_absolute_and_ascii(sample_site):
    urls = every_url(feed_xml(sample_site))
    assert len(urls) > 3 * len(APPROVED)
    for url in urls:
        assert re.match(r"^(https?://[^/\s]+/|mailto:)", url), url
        assert url.isascii(), url
        assert " " not in url


def test_nothing_of_a_held_back_story_is_in_the_feed(sample_site):
    feed = (sample_site / "podcast.xml").read_text(encoding="utf-8")
    page = (sample_site / "podcast" / "index.html").read_text(encoding="utf-8")
    for slug, story in HELD_BACK.items():
        needles = [slug, story.id, story.title, *story.participant_names]
        for needle in needles:
            assert needle not in feed, needle
            assert needle not in page, needle


def test_the_site_links_the_feed_and_the_subscribe_page(sample_site):
    for page in ("index.html", "stories/index.html", "podcast/index.html"):
        html = lxml.html.fromstring((sample_site / page).read_bytes())
        [alternate] = html.xpath('//head/link[@rel="alternate"]')
        assert alternate.get("type") == "application/rss+xml"
        assert alternate.get("href").endswith("podcast.xml")
        assert html.xpath('//nav//a[text()="Podcast"]')
    subscribe = lxml.html.fromstring((sample_site / "podcast/index.html").read_bytes())
    [address] = subscribe.xpath('//*[@id="feed-url"]')
    assert address.text_content() == f"{DEV_BASE}/podcast.xml"
    links = subscribe.xpath('//ul[@class="podcast-apps"]//a')
    assert [a.text for a in links] == [app["name"] for app in PODCAST_YML["apps"]]
    antenna = next(a for a in links if a.text == "AntennaPod")
    assert antenna.get("href") == (
        "https://antennapod.org/deeplink/subscribe?url="
        "http%3A%2F%2Flocalhost%3A8000%2Fpodcast.xml"
    )
    # The copy button is a script file's job: no inline script, no handlers.
    assert not subscribe.xpath("//script[not(@src)]")
    assert not [
        el for el in subscribe.iter() if any(a.startswith("on") for a in el.attrib)
    ]
    # Fingerprinted by asset_url: theme/js/copy-feed-url.<hash>.js
    [script] = subscribe.xpath('//script[contains(@src, "copy-feed-url.")]')
    assert script.get("defer") is not None
    assert (sample_site / "theme/js/copy-feed-url.js").is_file()


def _tags(html: str) -> set[str]:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return {element.tag for element in root.iter()} - {"div"}


def test_transcript_and_chapters_files_exist_parse_and_fit_the_audio(sample_site):
    """The full path with the transcripts plugin, which sets
    article.story.transcript_outputs and chapters_path and writes the files. Every
    sample story has a transcript and chapters, so every item links them."""
    every_item = items(sample_site)
    assert len(every_item) >= 5
    for item in every_item:
        duration = int(item.findtext("itunes:duration", namespaces=NS))
        transcripts = item.findall("podcast:transcript", NS)
        types = [t.get("type") for t in transcripts]
        assert types[0] == "text/vtt", types
        assert {"text/vtt", "application/x-subrip", "application/json"} <= set(types)
        for transcript in transcripts:
            path = local_file(sample_site, transcript.get("url"))
            assert path.is_file(), path
            kind = transcript.get("type")
            if kind == "text/vtt":
                cues = webvtt.read(str(path))
                assert cues and "<v " in path.read_text(encoding="utf-8")
                assert cues[-1].end_in_seconds <= duration + 1
            elif kind == "application/x-subrip":
                assert transcript.get("rel") == "captions"
                cues = webvtt.from_srt(str(path))
                assert cues and cues[-1].end_in_seconds <= duration + 1
            elif kind == "application/json":
                data = json.loads(path.read_text(encoding="utf-8"))
                assert data["version"] == "1.0.0"
                segments = data["segments"]
                assert segments
                for segment in segments:
                    assert {"speaker", "startTime", "endTime", "body"} <= set(segment)
                    assert 0 <= segment["startTime"] <= segment["endTime"]
                assert segments[-1]["endTime"] <= duration + 1
        [chapters] = item.findall("podcast:chapters", NS)
        assert chapters.get("type") == "application/json+chapters"
        data = json.loads(local_file(sample_site, chapters.get("url")).read_text())
        assert data["version"] == "1.2.0"
        starts = [chapter["startTime"] for chapter in data["chapters"]]
        assert starts and starts == sorted(starts) and starts[0] >= 0
        assert starts[-1] < duration
        assert all(chapter["title"] for chapter in data["chapters"])
    for slug in HELD_BACK:
        assert not (sample_site / "stories" / slug).exists()


def test_chapters_end_with_the_mp3_the_feed_serves_not_the_master(sample_site):
    """Chapters are chosen against the editors' master; the enclosure is its
    MP3 rendition, some milliseconds shorter or longer (MP3 frames). The
    chapters file, read from the feed with feedparser, and the story page's
    player end the last chapter where that MP3 ends, never past it."""
    parsed = feedparser.parse((sample_site / "podcast.xml").read_bytes())
    assert parsed.entries
    lengths, last_ends = {}, {}
    for entry in parsed.entries:
        [enclosure] = entry.enclosures
        mp3 = local_file(sample_site, enclosure.href)
        # To the millisecond, as chapters.json writes times.
        lengths[mp3.name] = round(mutagen.File(mp3).info.length, 3)
        url = entry.podcast_chapters["url"]
        chapters = json.loads(local_file(sample_site, url).read_text())["chapters"]
        assert all(c["endTime"] <= lengths[mp3.name] for c in chapters)
        last_ends[mp3.name] = chapters[-1]["endTime"]
        page = lxml.html.parse(str(mp3.parent / "index.html"))
        [player] = page.xpath("//*[@data-chapters]")
        on_page = json.loads(player.get("data-chapters"))
        assert [round(c["end"], 3) for c in on_page] == [c["endTime"] for c in chapters]
    assert last_ends == lengths


def test_a_marked_quote_is_the_episodes_soundbite(sample_site):
    """The quote an editor marked (front matter ``quote``) is what podcast
    apps get as the preview, read back by feedparser; the page shows it."""
    [(slug, story)] = [(slug, s) for slug, s in APPROVED.items() if s.quote]
    quote = story.quote
    assert 15 <= quote.end - quote.start <= 120
    parsed = feedparser.parse((sample_site / "podcast.xml").read_bytes())
    [entry] = [entry for entry in parsed.entries if entry.id == story.id]
    assert float(entry.podcast_soundbite["starttime"]) == quote.start
    assert float(entry.podcast_soundbite["duration"]) == quote.end - quote.start
    page = lxml.html.fromstring(
        (sample_site / "stories" / slug / "index.html").read_bytes()
    )
    [figure] = page.xpath("//figure[@class='story-quote']")
    assert figure.xpath("string(.//blockquote/p)") == quote.text
    [play] = figure.xpath(".//a[@data-seek]")
    assert float(play.get("data-seek")) == quote.start
    start, end = format_timecode(quote.start), format_timecode(quote.end)
    assert play.get("href") == f"#t={start}"  # lands on 'Play from' without JS
    assert f"({start} to {end})" in play.text_content()
    assert figure.get("data-for") == slug  # the player makes the link seek
    # Stories without a quote show none.
    other = next(s for s in APPROVED if s != slug)
    assert (
        b"story-quote"
        not in (sample_site / "stories" / other / "index.html").read_bytes()
    )


def test_other_sites_players_may_fetch_the_feed_audio_chapters_and_transcripts(
    sample_site, site_server
):
    """Web podcast players and browser-based apps fetch the feed, then the
    audio, chapters and transcripts it names, from their own origin: the
    hosts we write headers for (_headers, as Netlify and Cloudflare Pages
    read it) and the development server answer them with CORS (checklist 22);
    audio lets their scripts read a Range answer's Content-Range."""
    urls = [f"{DEV_BASE}/podcast.xml"] + [
        element.get("url")
        for item in items(sample_site)
        for element in item.findall("enclosure")
        + item.findall("podcast:transcript", NS)
        + item.findall("podcast:chapters", NS)
    ]
    paths = sorted({urllib.parse.urlsplit(url).path for url in urls})
    audio = [path for path in paths if path.endswith(".mp3")]
    assert "/podcast.xml" in paths and audio
    assert any(path.endswith("/chapters.json") for path in paths)
    assert any(path.endswith("/transcript.vtt") for path in paths)
    file_rules = host_headers.rules((sample_site / "_headers").read_text())
    for host in host_headers.HOSTS:
        for path in paths:
            headers = host_headers.headers_for(file_rules, path, host)
            assert ("Access-Control-Allow-Origin", "*") in headers, (host, path)
        for path in audio:
            exposed = dict(host_headers.headers_for(file_rules, path, host))
            assert "Content-Range" in exposed["Access-Control-Expose-Headers"]
    for path in ("/podcast.xml", audio[0]):
        request = urllib.request.Request(
            site_server + path,
            method="HEAD",
            headers={"Origin": "https://player.example", "Range": "bytes=0-1"},
        )
        with urllib.request.urlopen(request) as response:
            assert response.headers["Access-Control-Allow-Origin"] == "*", path
