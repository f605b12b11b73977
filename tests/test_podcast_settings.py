"""Wrong podcast settings stop the build with a message naming the file, the
field and the fix; and the small parts the feed is made of."""

from __future__ import annotations

import datetime
import logging
import re

import pytest
import yaml
from feedgen.feed import FeedGenerator
from lxml import etree
from podcast_feed import extensions, shownotes, vocabulary
from podcast_feed.urls import URLError, ascii_url, podcast_guid

from portal.problems import StoryContentError
from tests.stories import write_story
from tests.support import CONTENT, LEAN, build_site, copy_content

NOW = datetime.datetime(2024, 1, 1, 12, 0)


@pytest.fixture
def content(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "one-story", id="oss-2021-0001")
    return content


def _edit(content, **changes):
    path = content / "data" / "podcast.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def _error(content, tmp_path) -> str:
    """What stops the production build (a development build goes on without
    a feed, logging the same problems: tests/test_publishing_truth.py)."""
    with pytest.raises(StoryContentError) as caught:
        build_site(content, tmp_path / "out", "publishconf.py", STORY_NOW=NOW, **LEAN)
    return str(caught.value)


def test_a_category_apple_does_not_list_names_the_allowed_values(content, tmp_path):
    _edit(content, categories=["Society and Culture > Documentary"])
    message = _error(content, tmp_path)
    assert "content/data/podcast.yml:" in message
    assert "categories.0: 'Society and Culture > Documentary' is not in Apple's" in (
        message
    )
    assert "Society & Culture > Documentary" in message  # the allowed values
    assert "True Crime" in message and "TV & Film > After Shows" in message


def test_a_subcategory_of_another_category_is_refused(content, tmp_path):
    _edit(content, categories=["Arts > Politics"])
    assert "'Arts > Politics' is not in Apple's list" in _error(content, tmp_path)


def test_an_owner_email_that_is_not_one(content, tmp_path):
    _edit(content, owner={"name": "StoryCorps", "email": "storycorps.org"})
    message = _error(content, tmp_path)
    assert re.search(
        r"podcast\.yml:\d+: owner\.email: 'storycorps\.org' is not", message
    )
    assert "verification codes" in message


def test_missing_and_unknown_fields(content, tmp_path):
    _edit(content, owner=None, titel="One Small Step")
    message = _error(content, tmp_path)
    assert "owner: is required but missing - give owner.name and owner.email" in (
        message
    )
    assert "titel: is not a podcast setting we know - did you mean 'title'?" in message


def test_explicit_must_be_true_or_false(content, tmp_path):
    _edit(content, explicit="clean")
    assert "explicit:" in _error(content, tmp_path)


def test_a_role_outside_the_taxonomy(content, tmp_path):
    _edit(content, people=[{"name": "Pat Host", "role": "chief listener"}])
    message = _error(content, tmp_path)
    assert "people.0.role: 'chief listener' is not a role" in message
    assert "guest" in message and "host" in message


def test_an_app_link_with_an_unknown_placeholder(content, tmp_path):
    _edit(content, apps=[{"name": "Some app", "url": "someapp://add/{feed}"}])
    message = _error(content, tmp_path)
    assert "apps.0.url: {feed} is not a placeholder we fill in" in message


def test_an_app_link_cannot_run_script(content, tmp_path):
    _edit(content, apps=[{"name": "Bad", "url": "javascript:alert(1)"}])
    assert "is not a link to an app or a web page" in _error(content, tmp_path)


def test_a_description_over_4000_bytes(content, tmp_path):
    _edit(content, description="Wörds and more wörds. " * 250)
    message = _error(content, tmp_path)
    assert "description: is " in message and "at most 4000 - shorten it" in message


def test_broken_yaml_names_the_line(content, tmp_path):
    path = content / "data" / "podcast.yml"
    path.write_text("title: One\nowner: [unclosed\n", encoding="utf-8")
    assert "content/data/podcast.yml:" in _error(content, tmp_path)


def test_a_missing_guid_is_a_warning_in_development(content, tmp_path, caplog):
    _edit(content, guid=None)
    with caplog.at_level(logging.WARNING):
        output = build_site(content, tmp_path / "out", STORY_NOW=NOW, **LEAN)
    expected = podcast_guid("http://localhost:8000/podcast.xml")
    assert "guid: is missing" in caplog.text
    assert f"add the line 'guid: {expected}'" in caplog.text
    root = etree.fromstring((output / "podcast.xml").read_bytes())
    guid = root.findtext("channel/{https://podcastindex.org/namespace/1.0}guid")
    assert guid == expected


def test_a_missing_guid_stops_a_production_build(content, tmp_path):
    _edit(content, guid=None)
    message = _error(content, tmp_path)
    expected = podcast_guid("https://onesmallstep.example.org/podcast.xml")
    assert "guid: is missing" in message and expected in message


def test_the_guid_is_kept_when_the_site_moves(content, tmp_path):
    output = build_site(
        content,
        tmp_path / "out",
        STORY_NOW=NOW,
        SITE_ABSOLUTE_URL="https://elsewhere.example.net",
        **LEAN,
    )
    root = etree.fromstring((output / "podcast.xml").read_bytes())
    guid = root.findtext("channel/{https://podcastindex.org/namespace/1.0}guid")
    sample = yaml.safe_load((content / "data" / "podcast.yml").read_text())["guid"]
    assert guid == sample != podcast_guid("https://elsewhere.example.net/podcast.xml")


def test_without_an_absolute_site_url_the_build_says_what_to_set(content, tmp_path):
    # Every plugin that needs absolute URLs (embeds, the feed) refuses to
    # build without one; whichever checks first names the setting and a value.
    with pytest.raises(ValueError) as caught:
        build_site(
            content, tmp_path / "out", STORY_NOW=NOW, SITE_ABSOLUTE_URL="", **LEAN
        )
    assert "SITE_ABSOLUTE_URL" in str(caught.value)
    assert "'http://localhost:8000' in pelicanconf.py" in str(caught.value)


def test_a_serial_podcast_needs_episode_numbers(content, tmp_path):
    _edit(content, type="serial")
    with pytest.raises(ValueError) as caught:
        build_site(content, tmp_path / "out", STORY_NOW=NOW, **LEAN)
    assert "content/stories/one-story/story.md: episode: is missing" in str(
        caught.value
    )


# The parts


def test_podcast_guid_check_vector():
    # From the podcast namespace's guid documentation, and the checklist.
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == (
        "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    )
    assert podcast_guid("http://mp3s.nashownotes.com/pc20rss.xml/") == (
        "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    )


def test_ascii_url_encodes_hosts_and_paths():
    assert ascii_url("https://bücher.example/ä b/?q=ü") == (
        "https://xn--bcher-kva.example/%C3%A4%20b/?q=%C3%BC"
    )
    assert ascii_url("http://localhost:8000/a%20b/100%") == (
        "http://localhost:8000/a%20b/100%25"
    )
    with pytest.raises(URLError):
        ascii_url("/relative/path")


def test_categories_come_from_apples_list():
    assert vocabulary.parse_category("Society & Culture > Documentary") == (
        "Society & Culture",
        "Documentary",
    )
    assert vocabulary.parse_category("History") == ("History", None)
    with pytest.raises(ValueError):
        vocabulary.parse_category("society & culture")  # Apple compares exactly
    assert len(vocabulary.apple_categories()) == 19


def test_fit_keeps_whole_blocks_and_the_required_end():
    blocks = [f"<p>{'x' * 900}</p>" for _ in range(6)]
    html = shownotes.fit(blocks, ["<p>credits</p>"])
    assert len(html.encode()) <= 4000
    assert html.count("<p>") == 5  # four whole blocks, the end; nothing cut small
    assert html.endswith("<p>credits</p>")


def test_clean_keeps_only_apple_tags():
    html = shownotes.clean(
        '<h2>T</h2><p onclick="x()">A <a href="/p" title="t">link</a>'
        '<img src="i.png"><span>s</span></p><script>bad()</script>',
        "https://example.org/stories/one/",
    )
    assert html == '<p>A <a href="https://example.org/p">link</a>s</p>'.replace(
        "<p>A", "T<p>A"
    )


def _rss(fg: FeedGenerator) -> etree._Element:
    return etree.fromstring(fg.rss_str())


def _feed() -> FeedGenerator:
    fg = FeedGenerator()
    extensions.register(fg)
    fg.title("T")
    fg.link(href="https://example.org/")
    fg.description("D")
    return fg


def test_the_itunes_extension_writes_true_and_false():
    fg = _feed()
    fg.itunes.itunes_explicit(False)
    entry = fg.add_entry()
    entry.title("E")
    entry.itunes.itunes_explicit(True)
    root = _rss(fg)
    ns = {"itunes": extensions.ITUNES_NS}
    assert root.findtext("channel/itunes:explicit", namespaces=ns) == "false"
    assert root.findtext("channel/item/itunes:explicit", namespaces=ns) == "true"
    with pytest.raises(TypeError):
        fg.itunes.itunes_explicit("yes")


def test_the_itunes_extension_refuses_images_feedgen_would_drop():
    fg = _feed()
    with pytest.raises(ValueError, match=r"\.jpg or \.png"):
        fg.itunes.itunes_image("https://example.org/cover.webp")
    fg.itunes.itunes_image("https://example.org/cover.jpg")
    root = _rss(fg)
    [image] = root.findall(f"channel/{{{extensions.ITUNES_NS}}}image")
    assert image.get("href") == "https://example.org/cover.jpg"


def test_a_sample_verification_code_never_reaches_the_feed(tmp_path):
    """podcast.yml's commented example of a podcast:txt code, put in as it
    stands, is refused with the fix; the sample itself ships none (the feed's
    tests check no podcast:txt is written)."""
    from podcast_feed.settings import PodcastConfigError, load

    sample = (CONTENT / "data" / "podcast.yml").read_text(encoding="utf-8")
    assert yaml.safe_load(sample)["txt"] == []
    # The commented example under "txt:", uncommented.
    example = re.search(r"^#   - purpose: .*\n#     value: .*$", sample, re.M)
    filled = sample.replace("txt: []", "txt:\n" + example.group(0).replace("#", ""))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "podcast.yml").write_text(filled, encoding="utf-8")
    settings = {"PATH": str(tmp_path), "SITEURL": "https://stories.example.org"}
    with pytest.raises(PodcastConfigError) as caught:
        load(settings)
    [problem] = caught.value.problems
    assert problem.field == "txt.0.value"
    assert "is a sample value, not a code a podcast directory gave you" in str(problem)
    assert "or leave txt out until you have one" in str(problem)
    # A code as directories give them passes.
    real = filled.replace(
        example.group(0).split("value: ")[1], "d4a7c1e2-9b3f-4e8a-b6d5-0f2c8e1a7b93"
    )
    (tmp_path / "data" / "podcast.yml").write_text(real, encoding="utf-8")
    assert load(settings).data.txt[0].value.startswith("d4a7c1e2")
