"""The campaign's colours: one palette (``CAMPAIGN_COLOURS`` over the defaults
in portal/palette.py) for the site's CSS, the drawn podcast cover and the
share cards. A campaign that changes one colour in its settings sees it
everywhere; a wrong colour stops the build with the setting, the name and
the fix."""

from __future__ import annotations

import gzip
import logging
import re
import types

import pytest
from artwork import plugin as artwork
from campaign_colours import plugin as campaign_colours
from lxml import html as lxml_html
from PIL import Image

from portal import devserver, palette
from tests.listening import write_transcript_story
from tests.podcast import NS, channel, local_file
from tests.support import build_site, built_once, copy_content

GREEN = "#0b6e4f"  # the campaign's new accent
# Where the accent is drawn: the brand mark's first circle, clear of the
# second (default_cover.py: radius 300 at x 560, the gold one at x 920;
# share_image.py: radius 22 at x 94, the gold one at x 118).
COVER_ACCENT = (400, 560)
CARD_ACCENT = (80, 94)
CARD_HIGHLIGHT = (134, 94)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


@pytest.fixture(scope="module")
def green_site(request):
    """One story with a transcript, built with the accent changed."""

    def build(base):
        content = copy_content(base / "content")
        write_transcript_story(content, "talk", title="Ada and Ben")
        return build_site(content, base / "out", CAMPAIGN_COLOURS={"accent": GREEN})

    return built_once(request, build)


def _linked_palette(output, page="index.html") -> str:
    """The palette style sheet the page links, as served (minified)."""
    tree = lxml_html.fromstring((output / page).read_bytes())
    hrefs = tree.xpath('//link[@rel="stylesheet"]/@href')
    (href,) = [h for h in hrefs if "/palette." in h]
    assert hrefs.index(href) == 0  # before site.css, which uses it
    return ((output / page).parent / href).resolve().read_text()


def _cover(output) -> Image.Image:
    url = channel(output).find("itunes:image", NS).get("href")
    with Image.open(local_file(output, url)) as cover:
        return cover.convert("RGB")


def _card(output, slug) -> Image.Image:
    (path,) = (output / "stories" / slug).glob("share-*.jpg")
    with Image.open(path) as card:
        return card.convert("RGB")


def _close(pixel, hex_colour, tolerance=6) -> bool:
    return all(
        abs(a - b) <= tolerance for a, b in zip(pixel, _rgb(hex_colour), strict=True)
    )


def test_the_default_palette_is_the_sites(sample_site):
    css = _linked_palette(sample_site)
    for name in ("ink", "accent", "highlight", "voice-1", "lane", "found", "match"):
        assert f"--{name}:{palette.DEFAULTS[name]}" in css
    # Copied, fingerprinted and precompressed like the theme's own files.
    (copy,) = (sample_site / "theme" / "css").glob("palette.*[0-9a-f].css")
    assert gzip.decompress((copy.parent / (copy.name + ".gz")).read_bytes()) == (
        copy.read_bytes()
    )
    assert (copy.parent / (copy.name + ".br")).is_file()
    assert _close(_cover(sample_site).getpixel(COVER_ACCENT), "#b4321f")
    slug = next(p.parent.name for p in sample_site.glob("stories/*/share-*.jpg"))
    card = _card(sample_site, slug)
    assert _close(card.getpixel(CARD_ACCENT), "#b4321f")
    assert _close(card.getpixel(CARD_HIGHLIGHT), "#f2b441")


def test_one_colour_changed_in_settings_changes_css_cover_and_card(
    green_site, sample_site
):
    css = _linked_palette(green_site)
    assert f"--accent:{GREEN}" in css and "--highlight:#f2b441" in css
    assert _linked_palette(green_site) != _linked_palette(sample_site)
    story_css = _linked_palette(green_site, "stories/talk/index.html")
    assert story_css == css
    assert GREEN in _linked_palette(green_site, "stories/talk/embed/index.html")
    favicon = (green_site / "theme" / "images" / "favicon.svg").read_text()
    assert f'fill="{GREEN}"' in favicon and "#b4321f" not in favicon
    # The same mark as a PNG for iPhone home screens and chat apps' link
    # previews, which read no SVG: linked from every page, in the colours.
    page = (green_site / "index.html").read_text()
    link = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', page)
    assert link, "no apple-touch-icon"
    with Image.open(green_site / link.group(1)) as icon:
        assert (icon.format, icon.size, icon.mode) == ("PNG", (180, 180), "RGB")
        assert _close(icon.getpixel((60, 90)), GREEN)  # the first circle
        assert _close(icon.getpixel((125, 90)), "#f2b441")  # the second
        assert _close(icon.getpixel((3, 3)), "#fbf8f3")  # the page's colour

    cover = _cover(green_site)
    assert _close(cover.getpixel(COVER_ACCENT), GREEN)
    # A new drawing is a new file: apps cache covers by URL.
    cover_url = channel(green_site).find("itunes:image", NS).get("href")
    default_url = channel(sample_site).find("itunes:image", NS).get("href")
    assert cover_url.rsplit("/", 1)[1] != default_url.rsplit("/", 1)[1]

    card = _card(green_site, "talk")
    assert _close(card.getpixel(CARD_ACCENT), GREEN)
    assert _close(card.getpixel(CARD_HIGHLIGHT), "#f2b441")  # the rest stay


def test_the_browser_draws_the_changed_colour(green_site, strict_page):
    # The site's Content-Security-Policy enforced: the palette is a linked
    # style sheet, no inline style.
    refused = []
    strict_page.on("console", lambda message: refused.append(message.text))
    with devserver.running(green_site) as base:
        strict_page.goto(f"{base}/stories/talk/")
        mark = strict_page.evaluate(
            """() => {
                const style = getComputedStyle(document.querySelector('.brand__mark'));
                return [style.backgroundColor, style.boxShadow];
            }"""
        )
    assert mark[0] == "rgb(11, 110, 79)"
    assert "rgb(242, 180, 65)" in mark[1]  # the highlight, unchanged
    assert not [text for text in refused if "Content Security Policy" in text]


@pytest.mark.parametrize(
    ("colours", "message"),
    [
        (
            {"accent": "green"},
            "CAMPAIGN_COLOURS['accent'] = 'green' is not a hex colour: write it "
            "as '#rrggbb' (like '#b4321f')",
        ),
        ({"accent": "#12345"}, "CAMPAIGN_COLOURS['accent'] = '#12345' is not a hex"),
        (
            {"acent": "#0b6e4f"},
            "CAMPAIGN_COLOURS: 'acent' is not a colour of the palette; did you "
            "mean 'accent'?",
        ),
        ({"brand": "#0b6e4f"}, "'brand' is not a colour of the palette; use one of"),
        (["#0b6e4f"], "CAMPAIGN_COLOURS must be a dict of colour names"),
    ],
)
def test_a_wrong_colour_names_the_setting_and_the_fix(colours, message):
    with pytest.raises(palette.PaletteError) as caught:
        palette.campaign_colours({"CAMPAIGN_COLOURS": colours})
    assert message in str(caught.value)


def test_a_wrong_colour_stops_the_build_before_anything_is_written(tmp_path):
    content = copy_content(tmp_path / "content")
    with pytest.raises(palette.PaletteError, match=r"did you mean 'accent'\?"):
        build_site(content, tmp_path / "out", CAMPAIGN_COLOURS={"acent": GREEN})
    assert not (tmp_path / "out").exists()


def test_short_and_upper_case_hex_are_written_as_the_site_uses_them():
    colours = palette.campaign_colours({"CAMPAIGN_COLOURS": {"accent": "#0B6"}})
    assert colours["accent"] == "#00bb66"
    assert "  --accent: #00bb66;" in palette.stylesheet(colours)


def test_the_deprecated_artwork_colours_still_colour_the_cover(caplog):
    settings = {
        "CAMPAIGN_COLOURS": {"accent": GREEN},
        "ARTWORK_COLOURS": {"background": "#101010"},
    }
    colours = artwork.cover_colours(settings)
    assert colours["ink"] == "#101010" and colours["accent"] == GREEN
    with caplog.at_level(logging.WARNING):
        artwork.warn_deprecated(types.SimpleNamespace(settings=settings))
    (record,) = [r for r in caplog.records if "ARTWORK_COLOURS" in r.getMessage()]
    assert "CAMPAIGN_COLOURS = {'ink': '#101010'}" in record.getMessage()
    with pytest.raises(ValueError, match="set CAMPAIGN_COLOURS instead"):
        artwork.cover_colours({"ARTWORK_COLOURS": {"ink": "#101010"}})


def test_a_faint_colour_is_a_warning_naming_both_colours(tmp_path, caplog):
    settings = {
        "CAMPAIGN_COLOURS": {"accent": "#f2c000"},  # a light yellow
        "CACHE_PATH": str(tmp_path),
        "THEME_STATIC_PATHS": ["static"],
    }
    with caplog.at_level(logging.WARNING):
        campaign_colours.write_theme_files(types.SimpleNamespace(settings=settings))
    warnings = [r.getMessage() for r in caplog.records]
    assert (
        "[campaign_colours] CAMPAIGN_COLOURS: 'on-accent' (#ffffff) on 'accent' "
        "(#f2c000) is 1.7:1, too faint for buttons (at least 4.5:1); make one of "
        "them lighter or darker"
    ) in warnings
    assert any("'accent' (#f2c000) on 'paper'" in w for w in warnings)
    # Written all the same, and the folder is one more theme static folder.
    folder = campaign_colours.static_folder(settings)
    assert settings["THEME_STATIC_PATHS"] == ["static", folder]
    css = tmp_path / "campaign_colours" / "static" / "css" / "palette.css"
    assert "  --accent: #f2c000;" in css.read_text()


def test_the_default_palette_is_readable_everywhere():
    assert palette.unreadable(palette.campaign_colours({})) == []
    # A pair is only judged against the campaign's changes when they are given.
    dark = palette.campaign_colours({"CAMPAIGN_COLOURS": {"paper": "#202020"}})
    assert palette.unreadable(dark, ("accent",)) != []  # accent on paper
    assert palette.unreadable(dark, ("highlight",)) == []


def test_marked_words_stay_readable_in_the_campaign_s_colours():
    """The search's found words, the words being spoken and a find's match
    are palette colours, judged with the text on them: a grey that reads on
    the page but not on a search result's marked place is called out."""
    grey = palette.campaign_colours({"CAMPAIGN_COLOURS": {"ink-soft": "#6b7280"}})
    (said,) = palette.unreadable(grey, ("ink-soft",))
    assert "'ink-soft' (#6b7280) on 'found' (#fde7a6)" in said
    assert "search result" in said


def test_the_focus_ring_is_judged_on_every_ground_it_is_drawn_on():
    """The keyboard's focus ring was judged on the page's paper alone: a
    campaign's cards or a speaker's turns could hide it."""
    pale = palette.campaign_colours({"CAMPAIGN_COLOURS": {"card": "#7fa6e0"}})
    assert any(
        "'focus' (#005dc7) on 'card' (#7fa6e0)" in said
        and "focus ring on cards" in said
        for said in palette.unreadable(pale, ("card",))
    )
    tinted = palette.campaign_colours({"CAMPAIGN_COLOURS": {"voice-2-tint": "#3f6fb8"}})
    assert any(
        "'focus' (#005dc7) on 'voice-2-tint'" in said and "speaker 2's turns" in said
        for said in palette.unreadable(tinted, ("voice-2-tint",))
    )
    dark_hero = palette.campaign_colours({"CAMPAIGN_COLOURS": {"ink-top": "#d9a441"}})
    assert any(
        "focus ring in the hero" in said
        for said in palette.unreadable(dark_hero, ("ink-top",))
    )
