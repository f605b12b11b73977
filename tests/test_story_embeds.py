"""Sharing and embedding: oEmbed, Open Graph, Twitter card, JSON-LD, the share
image and the embed page, read back the way other sites read them."""

from __future__ import annotations

import json
import re
import shutil
import types

import extruct
import pytest
from PIL import Image
from pyld import jsonld

from portal import devserver
from tests.listening import Elements, write_transcript_story
from tests.stories import assert_absent
from tests.support import LEAN, build_site, built_once, copy_content

SITEURL = "https://stories.example.org"
ISO_DURATION = re.compile(r"^PT(\d+H)?(\d+M)?\d+S$")
# The title as the editor typed it, with markup-like text and straight
# quotes, and as every page and card shows it: escaped where printed, the
# quotes made curly (portal.typography).
TYPED_TITLE = 'Ada & Ben: "a <small> step"'
SHOWN_TITLE = "Ada & Ben: “a <small> step”"
SITE_LANG = "en-GB"


@pytest.fixture(scope="module")
def site(request):
    """A production build (absolute https URLs) with one cleared story:
    (output, content, cache). Shared by the workers: read it, never change it."""

    def build(base):
        content = copy_content(base / "content")
        write_transcript_story(
            content,
            "talk",
            title=TYPED_TITLE,
            summary="Two neighbours talk about the town they share.",
            topics=["family", "faith"],
        )
        write_transcript_story(content, "held", status="draft", title="Held talk")
        cache = base / "cache"
        output = build_site(
            content,
            base / "out",
            "publishconf.py",
            cache_dir=cache,
            SITEURL=SITEURL,
            SITE_ABSOLUTE_URL="",
            # A language with its region, as og:locale must write it (en_GB).
            DEFAULT_LANG=SITE_LANG,
        )
        return output, content, cache

    return built_once(request, build)


def _page(output):
    return (output / "stories" / "talk" / "index.html").read_text()


def _meta(output):
    data = extruct.extract(
        _page(output),
        base_url=f"{SITEURL}/stories/talk/",
        syntaxes=["json-ld", "opengraph"],
        uniform=False,
    )
    og = dict(data["opengraph"][0]["properties"])
    return data, og


def test_oembed_response_follows_the_spec(site):
    output, _, _ = site
    page = Elements(_page(output))
    (link,) = page.all("link", type="application/json+oembed")
    assert link["attrs"]["rel"] == "alternate"
    assert link["attrs"]["href"] == f"{SITEURL}/stories/talk/oembed.json"
    assert link["attrs"]["title"] == SHOWN_TITLE

    data = json.loads((output / "stories" / "talk" / "oembed.json").read_text())
    # oEmbed 1.0, section 2.3.4: every response has type and version; a
    # "rich" one html, width and height; thumbnails come as a set of three.
    assert data["version"] == "1.0"
    assert data["type"] == "rich"
    assert isinstance(data["width"], int) and isinstance(data["height"], int)
    assert {"thumbnail_url", "thumbnail_width", "thumbnail_height"} <= set(data)
    assert (data["thumbnail_width"], data["thumbnail_height"]) == (1200, 630)
    assert data["thumbnail_url"].startswith(f"{SITEURL}/stories/talk/share-")
    assert data["provider_name"] == "One Small Step"
    assert data["provider_url"] == f"{SITEURL}/"
    assert data["author_name"] == "Ada Lopez and Ben Carter"
    assert data["title"] == SHOWN_TITLE
    assert isinstance(data["cache_age"], int)
    # The html is one iframe of the embed page, its title escaped.
    (iframe,) = Elements(data["html"]).all("iframe")
    assert iframe["attrs"]["src"] == f"{SITEURL}/stories/talk/embed/"
    assert iframe["attrs"]["width"] == str(data["width"])
    assert iframe["attrs"]["height"] == str(data["height"])
    assert iframe["attrs"]["title"] == "Listen: " + SHOWN_TITLE
    # The player's "Copy link" may write to the clipboard from another
    # site's page (else it shows a field to copy by hand, out of the frame).
    assert iframe["attrs"]["allow"] == "clipboard-write"
    # Frameless, and never wider than the column it is pasted into.
    assert (
        iframe["attrs"]["style"] == f"border:0;width:100%;max-width:{data['width']}px"
    )
    assert "<small>" not in data["html"]


def test_open_graph_and_twitter_card(site):
    output, _, _ = site
    _, og = _meta(output)
    # The four properties the Open Graph protocol requires, then audio.
    assert og["og:title"] == SHOWN_TITLE
    assert og["og:type"] == "article"
    assert og["og:url"] == f"{SITEURL}/stories/talk/"
    assert og["og:image"].startswith(f"{SITEURL}/stories/talk/share-")
    assert og["og:image:secure_url"] == og["og:image"]
    assert (og["og:image:width"], og["og:image:height"]) == ("1200", "630")
    assert og["og:image:type"] == "image/jpeg"
    assert og["og:image:alt"]
    # The rendition listeners get (audio_rendition), never the master.
    assert re.fullmatch(
        rf"{re.escape(SITEURL)}/stories/talk/talk-[0-9a-f]{{12}}\.mp3", og["og:audio"]
    )
    assert og["og:audio:secure_url"] == og["og:audio"]
    assert og["og:audio:type"] == "audio/mpeg"
    assert og["og:description"] == "Two neighbours talk about the town they share."
    assert og["og:site_name"] == "One Small Step"
    # The site's language (DEFAULT_LANG en-GB) as og:locale writes it.
    assert og["og:locale"] == "en_GB"

    page = Elements(_page(output))
    twitter = {
        m["attrs"]["name"]: m["attrs"]["content"]
        for m in page.all("meta")
        if m["attrs"].get("name", "").startswith("twitter:")
    }
    # A player card needs title, the site's account, an https player, its
    # size and an image.
    assert twitter["twitter:card"] == "player"
    assert twitter["twitter:site"] == "@StoryCorps"  # pelicanconf's
    # Title and description come from og: (Twitter's fallback), not copies.
    assert "twitter:title" not in twitter and "twitter:description" not in twitter
    assert twitter["twitter:player"] == f"{SITEURL}/stories/talk/embed/"
    assert int(twitter["twitter:player:width"]) > 0
    assert int(twitter["twitter:player:height"]) > 0
    assert twitter["twitter:image"] == og["og:image"]
    assert twitter["twitter:player:stream"] == og["og:audio"]
    assert twitter["twitter:player:stream:content_type"] == "audio/mpeg"
    assert page.all("link", rel="canonical")[0]["attrs"]["href"] == og["og:url"]


def _local_schema_context(url, options=None):
    """schema.org's context, as its vocabulary (no network in tests)."""
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": "https://schema.org/"}},
    }


def test_json_ld_podcast_episode(site):
    output, _, _ = site
    data, og = _meta(output)
    (episode,) = data["json-ld"]
    assert episode["@context"] == "https://schema.org"
    assert episode["@type"] == "PodcastEpisode"
    assert episode["url"] == og["og:url"]
    assert episode["name"] == SHOWN_TITLE
    assert ISO_DURATION.match(episode["duration"])
    # Published the day it was approved (it has no publication day), as the
    # feed dates it; recorded on the 12th of October.
    assert episode["datePublished"] == "2019-11-01"
    assert episode["dateCreated"] == "2019-10-12"
    assert og["article:published_time"] == "2019-11-01"
    assert episode["image"] == og["og:image"]
    assert [p["name"] for p in episode["contributor"]] == ["Ada Lopez", "Ben Carter"]
    assert all(p["@type"] == "Person" for p in episode["contributor"])
    assert episode["partOfSeries"]["@type"] == "PodcastSeries"
    audio = episode["associatedMedia"]
    assert audio["@type"] == "AudioObject"
    assert audio["contentUrl"] == og["og:audio"]
    assert audio["encodingFormat"] == "audio/mpeg"
    assert audio["embedUrl"] == f"{SITEURL}/stories/talk/embed/"
    # The page shows the transcript; JSON-LD links the captions instead of
    # repeating the text (issue 8: a long story's page doubled in weight).
    assert "transcript" not in audio
    assert audio["caption"]["contentUrl"] == f"{SITEURL}/stories/talk/transcript.vtt"
    place = episode["locationCreated"]
    assert place["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 36.15,
        "longitude": -95.99,
    }

    # Valid JSON-LD: it expands, and every property lands in schema.org.
    expanded = jsonld.expand(episode, {"documentLoader": _local_schema_context})
    (node,) = expanded
    assert node["@type"] == ["https://schema.org/PodcastEpisode"]
    keys = {key for key in episode if not key.startswith("@")}
    assert {
        key.removeprefix("https://schema.org/") for key in node if key[0] != "@"
    } == keys
    media = node["https://schema.org/associatedMedia"][0]
    assert media["@type"] == ["https://schema.org/AudioObject"]


def test_json_ld_cannot_close_its_script(site):
    output, _, _ = site
    text = _page(output)
    block = text.split('<script type="application/ld+json">', 1)[1].split("</script>")[
        0
    ]
    assert "<" not in block and ">" not in block
    assert json.loads(block)["name"] == SHOWN_TITLE


def test_share_image_is_1200_by_630_and_cached(site, tmp_path):
    output, shared_content, shared_cache = site
    (path,) = (output / "stories" / "talk").glob("share-*.jpg")
    with Image.open(path) as image:
        assert image.format == "JPEG"
        assert image.size == (1200, 630)
    # The site's content and the cache its build left, copied: the other
    # tests (and xdist worker) read the originals while this one changes them.
    content = shutil.copytree(shared_content, tmp_path / "content")
    cache_dir = shutil.copytree(shared_cache, tmp_path / "cache")
    cache = cache_dir / "story_embeds"
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert f"{path.stem.removeprefix('share-')}" in "".join(before)

    # The same inputs again: nothing is drawn, the cached file is reused.
    again = build_site(
        content,
        tmp_path / "again",
        "publishconf.py",
        cache_dir=cache_dir,
        SITEURL=SITEURL,
        SITE_ABSOLUTE_URL="",
        **LEAN,
    )
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == before
    assert (again / "stories" / "talk" / path.name).read_bytes() == path.read_bytes()

    # A new title is a new picture, under a new name.
    story = content / "stories" / "talk" / "story.md"
    story.write_text(story.read_text().replace("a <small> step", "a big step"))
    changed = build_site(
        content,
        tmp_path / "changed",
        "publishconf.py",
        cache_dir=cache_dir,
        SITEURL=SITEURL,
        SITE_ABSOLUTE_URL="",
        **LEAN,
    )
    (new,) = (changed / "stories" / "talk").glob("share-*.jpg")
    assert new.name != path.name
    # The cache keeps the cards the site shows: the earlier one went.
    cards = {p.name for p in cache.iterdir()}
    assert len(cards) == len(before)
    assert any(new.stem.removeprefix("share-") in name for name in cards)
    assert not any(path.stem.removeprefix("share-") in name for name in cards)

    # A story taken down: its card (its people's names) leaves the cache too.
    story.write_text(story.read_text().replace("status: published", "status: draft"))
    assert "status: draft" in story.read_text()
    build_site(
        content,
        tmp_path / "taken-down",
        "publishconf.py",
        cache_dir=cache_dir,
        SITEURL=SITEURL,
        SITE_ABSOLUTE_URL="",
        **LEAN,
    )
    cards = {p.name for p in cache.iterdir()}
    assert len(cards) == len(before) - 1
    assert not any(new.stem.removeprefix("share-") in name for name in cards)


def test_embed_page(site):
    output, _, _ = site
    page = Elements((output / "stories" / "talk" / "embed" / "index.html").read_text())
    assert page.all("meta", name="robots")[0]["attrs"]["content"] == "noindex"
    # Not also a canonical link to the story page: the two contradict.
    assert not page.all("link", rel="canonical")
    (audio,) = page.all("audio")
    assert "controls" in audio["attrs"]
    (source,) = page.all("source")
    assert re.fullmatch(
        rf"{re.escape(SITEURL)}/stories/talk/talk-[0-9a-f]{{12}}\.mp3",
        source["attrs"]["src"],
    )
    assert page.all("track", kind="captions")
    # Fingerprinted by asset_url: theme/js/player.<hash>.js
    player = re.compile(rf"{re.escape(SITEURL)}/theme/js/player\.[0-9a-f]{{10}}\.js")
    assert [
        s for s in page.all("script") if player.fullmatch(s["attrs"].get("src", ""))
    ]
    links = [a for a in page.all("a") if a["attrs"].get("target") == "_blank"]
    assert links[0]["attrs"]["href"] == f"{SITEURL}/stories/talk/"
    assert links[0]["attrs"]["rel"] == "noopener"


def test_held_back_story_has_no_embed(site):
    output, _, _ = site
    assert not (output / "stories" / "held").exists()
    assert_absent(output, "Held talk", "stories/held")


def test_development_urls_use_site_absolute_url(tmp_path):
    content = copy_content(tmp_path / "content")
    write_transcript_story(content, "talk")
    output = build_site(content, tmp_path / "out", **LEAN)
    data = json.loads((output / "stories" / "talk" / "oembed.json").read_text())
    assert data["html"].startswith(
        '<iframe src="http://localhost:8000/stories/talk/embed/"'
    )
    # The pages themselves keep relative links.
    embed = (output / "stories" / "talk" / "embed" / "index.html").read_text()
    assert re.search(r'src="\.\./\.\./\.\./stories/talk/talk-[0-9a-f]{12}\.mp3"', embed)


def test_without_an_x_account_a_story_is_shared_with_its_picture(tmp_path):
    """X plays a story in a post only for a site that names its account
    (twitter:site): a player card without one was no card at all."""
    content = copy_content(tmp_path / "content")
    write_transcript_story(content, "talk")
    output = build_site(content, tmp_path / "out", STORY_EMBEDS_X_ACCOUNT=None, **LEAN)
    twitter = {
        m["attrs"]["name"]: m["attrs"]["content"]
        for m in Elements(_page(output)).all("meta")
        if m["attrs"].get("name", "").startswith("twitter:")
    }
    assert twitter["twitter:card"] == "summary_large_image"
    assert twitter["twitter:image"].endswith(".jpg") and twitter["twitter:image:alt"]
    assert not [
        name for name in twitter if name.startswith(("twitter:player", "twitter:site"))
    ]


@pytest.mark.parametrize(
    ("value", "account"),
    [
        ("@StoryCorps", "@StoryCorps"),
        ("StoryCorps", "@StoryCorps"),
        (" @one_small_step ", "@one_small_step"),
        (None, None),
        ("", None),
    ],
)
def test_the_x_account_setting(value, account):
    from plugins.story_embeds.plugin import x_account

    assert x_account(value) == account


@pytest.mark.parametrize(
    "value", ["@Story Corps", "https://x.com/StoryCorps", "@" + "a" * 16, 42]
)
def test_a_wrong_x_account_names_the_setting_and_the_fix(value):
    from plugins.story_embeds.plugin import x_account

    fix = r"STORY_EMBEDS_X_ACCOUNT must be .*'@StoryCorps'"
    with pytest.raises(ValueError, match=fix):
        x_account(value)


def test_a_relative_site_address_is_refused(tmp_path):
    content = copy_content(tmp_path / "content")
    # Without a podcast, so the feed's own check of the address stays quiet.
    (content / "data" / "podcast.yml").unlink(missing_ok=True)
    write_transcript_story(content, "talk")
    with pytest.raises(
        ValueError, match="SITE_ABSOLUTE_URL must be the site's absolute"
    ):
        build_site(content, tmp_path / "out", SITE_ABSOLUTE_URL="/relative", **LEAN)


@pytest.mark.parametrize(
    "title,names",
    [
        # The sample's: three lines of title pushed the line under the names
        # into the conversation's drawing; two names ran into the picture.
        ("The Fence Between Our Yards", ("Ron Kessler", "Graciela Fuentes")),
        ("Family Politics", ("Maya Sobczak-Greene", "Irene Sobczak")),
        (
            "I rushed towards you and I just started screaming, 'Leave him alone!'",
            ("Anastasia Wolkowicz-Delacroix", "Bartholomew Fitzgerald-Okonkwo"),
        ),
        ("Talk", ("Al", "Bo")),
    ],
)
@pytest.mark.parametrize("with_picture", [True, False])
def test_a_share_card_keeps_its_text_clear_of_the_picture_and_the_drawing(
    title, names, with_picture
):
    from story_embeds import share_image
    from transcripts.answers import _BAR, Outline

    card = share_image.ShareCard(
        title=title,
        names=names,
        line="Strangers matched by One Small Step · Truth or Consequences, New Mexico",
        campaign="One Small Step",
        organization="StoryCorps",
        # Two voices taking turns: two lanes along the bottom.
        outline=Outline(_BAR.pack(0.0, 0.5, 0, 1) + _BAR.pack(0.5, 1.0, 1, 2), 2),
        picture="picture.jpg" if with_picture else "",
    )
    layout = share_image.card_layout(card)
    # Nothing of the text below the top of who spoke when (less its gap).
    assert layout.bottom <= share_image._conversation_top(card) - 24
    assert layout.top >= share_image.TEXT_TOP
    room = share_image.WIDTH - 2 * share_image.MARGIN
    if with_picture:
        room -= share_image.PICTURE_SIZE + 40
    assert layout.widest_names_row <= room
    assert all(layout.title_font.getlength(line) <= room for line in layout.lines)
    assert layout.line_font.getlength(card.line) <= layout.line_room
    picture_bottom = share_image.MARGIN + share_image.PICTURE_SIZE
    if with_picture and layout.line_baseline - 27 < picture_bottom:
        assert layout.line_room == room  # beside the picture, not under it
    assert " ".join(layout.lines) == title  # whole, as it fits


@pytest.mark.parametrize(
    "path,title",
    [
        ("index.html", "One Small Step"),
        ("stories/index.html", None),
        ("search/index.html", "Search the conversations"),
        ("about/index.html", None),
    ],
)
def test_every_other_page_shares_as_itself_with_the_campaign_card(site, path, title):
    """The home page, listings and campaign pages are shared too: each with
    its own title, description and address, and the campaign's card (a
    story's page has its own, tested above)."""
    output, _, _ = site
    html = (output / path).read_text(encoding="utf-8")
    address = f"{SITEURL}/{path.removesuffix('index.html')}"
    data = extruct.extract(
        html, base_url=address, syntaxes=["opengraph"], uniform=False
    )
    [graph] = data["opengraph"]
    og = dict(graph["properties"])
    assert len(graph["properties"]) == len(og)  # each property once
    assert og["og:type"] == "website" and og["og:url"] == address
    assert og["og:locale"] == "en_GB"  # the site's DEFAULT_LANG, en-GB
    assert og["og:title"] == (title or og["og:title"]) and og["og:title"]
    assert "One Small Step" not in og["og:title"] or og["og:title"] == "One Small Step"
    assert og["og:description"]
    assert re.fullmatch(
        rf"{re.escape(SITEURL)}/images/share-[0-9a-f]{{12}}\.jpg", og["og:image"]
    )
    assert og["og:image:secure_url"] == og["og:image"]
    card = output / og["og:image"].removeprefix(SITEURL + "/")
    with Image.open(card) as image:
        assert (image.format, image.size) == ("JPEG", (1200, 630))
    assert (og["og:image:width"], og["og:image:height"]) == ("1200", "630")
    page = Elements(html)
    [canonical] = page.all("link", rel="canonical")
    assert canonical["attrs"]["href"] == address
    twitter = {
        m["attrs"]["name"]: m["attrs"]["content"]
        for m in page.all("meta")
        if m["attrs"].get("name", "").startswith("twitter:")
    }
    assert twitter["twitter:card"] == "summary_large_image"
    assert twitter["twitter:site"] == "@StoryCorps"
    assert twitter["twitter:image"] == og["og:image"]


def test_the_missing_page_names_no_address_of_its_own(site):
    output, _, _ = site
    html = (output / "404.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in html and 'property="og:url"' not in html


def test_a_moved_page_names_only_its_new_address(site):
    """/browse/recorded/ sends visitors on to /stories/: its canonical link
    and og:url name the new address, once (two canonical links that
    disagree are both ignored)."""
    output, _, _ = site
    page = Elements((output / "browse" / "recorded" / "index.html").read_text())
    [canonical] = page.all("link", rel="canonical")
    assert canonical["attrs"]["href"] == f"{SITEURL}/stories/"
    [url] = page.all("meta", property="og:url")
    assert url["attrs"]["content"] == f"{SITEURL}/stories/"


def test_the_embed_code_copies_a_link_from_another_site(
    page, sample_site, site_server, tmp_path
):
    """The embed code pasted as offered into another site's page: the
    player's "Copy link" writes to the clipboard there (a frame from another
    origin needs allow="clipboard-write"), rather than showing a field to
    copy by hand, below the player and out of the iframe's height."""
    oembed = sorted((sample_site / "stories").glob("*/oembed.json"))[0]
    code = json.loads(oembed.read_text())["html"]
    code = code.replace("http://localhost:8000", site_server)
    (tmp_path / "index.html").write_text(
        f"<!DOCTYPE html><title>A blog</title><p>Listen:</p>{code}"
    )
    page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=site_server
    )
    # On a phone, where the embed's copy button is its icon alone.
    page.set_viewport_size({"width": 320, "height": 640})
    with devserver.running(tmp_path) as blog:  # another origin: another port
        page.goto(blog + "/")
        player = page.frame_locator("iframe")
        button = player.locator("[data-action='copy-link']")
        button.locator("svg").wait_for()  # visible once player.js has come
        button.click()
        player.locator("[data-action='copy-link']", has_text="copied").wait_for()
        assert player.locator("[data-copy-fallback]").is_hidden()
        # Seen to work: "Link copied" is hidden with the button's words, so
        # a tick takes the icon's place.
        assert button.locator("svg").is_hidden()
        assert button.evaluate("b => getComputedStyle(b, '::before').content") == (
            '"✓"'
        )
        height = page.frames[1].evaluate("document.documentElement.scrollHeight")
        assert height <= 260  # nothing out of the frame


def test_the_field_to_copy_a_link_by_hand_goes_once_the_link_is_copied(
    page, sample_site, site_server
):
    """Where the Clipboard API refuses (Android's WebView, the browsers in
    social and mail apps), "Copy link" shows the link in a field, selected,
    and copies the selection: once that worked, the field goes again and
    the button, focused, says "Link copied"; only where that fails too does
    the field stay, to copy by hand."""
    page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=site_server
    )
    page.add_init_script(
        "navigator.clipboard.writeText = () => Promise.reject(new Error('no'));"
    )
    story = sorted((sample_site / "stories").glob("*/embed"))[0].parent.name
    page.goto(f"{site_server}/stories/{story}/")
    button = page.locator("[data-action='copy-link']")
    button.locator("svg").wait_for()  # player.js has come
    box = page.locator("[data-copy-fallback]")
    button.click()
    page.locator("[data-action='copy-link']", has_text="Link copied").wait_for()
    assert box.is_hidden()
    assert button.evaluate("b => document.activeElement === b")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f"{site_server}/stories/{story}/#t=")
    # Where the selection cannot be copied either, the field stays, its
    # link selected, to copy by hand.
    page.evaluate("document.execCommand = () => false")
    button.click()
    box.wait_for()
    field = page.locator("[data-copy-field]")
    assert field.input_value() == copied
    assert field.evaluate("f => document.activeElement === f")
    assert field.evaluate("f => f.selectionEnd - f.selectionStart") == len(copied)


def test_og_locale_is_the_language_setting_in_open_graphs_form():
    """og:locale is language_TERRITORY; a language without a region is the
    campaign's, in the United States (DEFAULT_LANG "en" is en_US)."""
    from story_embeds.metadata import og_locale

    assert og_locale("en") == "en_US"
    assert og_locale("es") == "es_US"
    assert og_locale("es-MX") == og_locale("es_mx") == "es_MX"
    assert og_locale("zh-Hant-TW") == "zh_TW"  # a script is no region
    assert og_locale("es-419") == "es_US"  # Latin America has no og:locale


def test_three_people_are_named_as_the_story_page_names_them():
    """A story may have more than two people: what is shared of it names
    them as its page does ("Ada, Ben and Cy"), not "Ada and Ben and Cy" (the
    card's alt text and description) nor "Ada, Ben, Cy" (oEmbed)."""
    from story_embeds import metadata

    front = types.SimpleNamespace(participant_names=["Ada", "Ben", "Cy"], summary="")
    record = types.SimpleNamespace(front=front)
    story = types.SimpleNamespace(title="Talk", story=record)
    assert metadata.image_alt(story) == "Talk: a conversation between Ada, Ben and Cy"
    assert metadata.description(story, "One Small Step") == (
        "Ada, Ben and Cy in conversation, recorded for One Small Step."
    )
    sharing = types.SimpleNamespace(
        iframe="", embed_width=640, embed_height=260, image_url="",
        image_width=1200, image_height=630,
    )  # fmt: skip
    response = metadata.oembed(story, sharing, "One Small Step", SITEURL)
    assert response["author_name"] == "Ada, Ben and Cy"


def test_the_embed_code_escapes_what_it_prints():
    """The embed code, byte for byte: the address and the title escaped for
    an attribute, markup in a title printed as its text, never as markup."""
    import markupsafe
    from story_embeds.metadata import iframe_html

    code = iframe_html(
        "https://example.org/stories/a&b/embed/", 'Tom "&" <Jerry>\'s', 640, 260
    )
    assert isinstance(code, markupsafe.Markup)
    assert code == (
        '<iframe src="https://example.org/stories/a&amp;b/embed/" width="640" '
        'height="260" title="Listen: Tom &#34;&amp;&#34; &lt;Jerry&gt;&#39;s" '
        'allow="clipboard-write" loading="lazy" '
        'style="border:0;width:100%;max-width:640px"></iframe>'
    )
    title = iframe_html("u", markupsafe.Markup("<b>Bold</b>"), 320, 200)
    assert 'title="Listen: &lt;b&gt;Bold&lt;/b&gt;"' in title
    assert "max-width:320px" in title
