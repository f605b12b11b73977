"""The two speakers' colours: neutral (not red against blue, which visitors
read as the two parties), readable, apart for colour-blind visitors, and
never the only cue (each voice has its own shape, the second a hatching),
on the story page and on the share card. Both take them from the one
palette (portal/palette.py): these tests read its defaults, and the page
test reads what the built page computes."""

from __future__ import annotations

import pytest
from coloraide import Color

from plugins.story_embeds.share_image import DEFAULT_COLOURS
from portal.palette import DEFAULTS, READABLE, campaign_colours, unreadable
from tests.listening import story_pages_with_chapters

DEFICIENCIES = ("protan", "deutan", "tritan")


def _hue(colour: Color) -> float:
    return colour.convert("hsl")["hue"]


def is_red(colour: Color) -> bool:
    hue = _hue(colour)
    return hue >= 340 or hue <= 25


def is_blue(colour: Color) -> bool:
    return 195 <= _hue(colour) <= 260


def far_apart_for_every_eye(a: Color, b: Color, minimum: float) -> list[str]:
    """The kinds of vision (typical, protan, deutan, tritan) for which the two
    colours are closer than ``minimum`` (CIEDE2000)."""
    close = []
    if a.delta_e(b, method="2000") < minimum:
        close.append("typical")
    for kind in DEFICIENCIES:
        seen_a = a.clone().filter(kind)
        seen_b = b.clone().filter(kind)
        if seen_a.delta_e(seen_b, method="2000") < minimum:
            close.append(kind)
    return close


def test_the_checks_tell_red_and_blue_apart():
    # The checks themselves: the old pair fails them, the new one passes.
    assert is_red(Color("#b4321f")) and is_blue(Color("#1f4e79"))
    assert far_apart_for_every_eye(Color("#b4321f"), Color("#8a3b2a"), 20)


def test_page_voices_are_neutral_readable_and_apart():
    variables = DEFAULTS
    first, second = Color(variables["voice-1"]), Color(variables["voice-2"])
    for name, colour in (("voice-1", first), ("voice-2", second)):
        assert not is_red(colour), f"--{name} {colour} reads as red"
        assert not is_blue(colour), f"--{name} {colour} reads as blue"
        grounds = ["#ffffff", variables["paper"], variables[f"{name}-tint"]]
        for ground in grounds:
            ratio = colour.contrast(ground, method="wcag21")
            assert ratio >= 4.5, f"--{name} on {ground}: {ratio:.2f}:1"
        # Bars on the timeline's lanes: 3:1 for graphics (WCAG 1.4.11).
        assert colour.contrast(variables["lane"], method="wcag21") >= 3
    assert not far_apart_for_every_eye(first, second, 20)


def test_every_voice_is_readable_where_it_is_shown():
    # The build's own check (it warns a campaign whose colours fail it).
    voices = [pair for pair in READABLE if "voice" in pair[0] + pair[1]]
    assert len(voices) == 7 * 5  # and the focus ring in each voice's turns
    assert unreadable(campaign_colours({})) == []


def test_share_card_voices_are_neutral_and_apart():
    first, second = (Color(DEFAULT_COLOURS[f"voice-{i}-on-ink"]) for i in (1, 2))
    ground = Color(DEFAULT_COLOURS["lane-on-ink"])
    for colour in (first, second):
        assert not is_red(colour) and not is_blue(colour), colour
        assert colour.contrast(ground, method="wcag21") >= 3
    assert not far_apart_for_every_eye(first, second, 20)
    # Every voice's bars stand out from their lane (WCAG 1.4.11's 3:1).
    for voice in range(5):
        colour = Color(DEFAULT_COLOURS[f"voice-{voice}-on-ink"])
        assert colour.contrast(ground, method="wcag21") >= 3, voice


@pytest.fixture(scope="module")
def slug(sample_site):
    return story_pages_with_chapters(sample_site)[0]


def test_voices_on_the_page_differ_in_shape_not_only_colour(page, site_server, slug):
    page.goto(f"{site_server}/stories/{slug}/")
    marks = page.evaluate(
        """() => ['.pair .voice-1 .voice-key', '.pair .voice-2 .voice-key',
                  '.share-of-voice__list .voice-1 .swatch',
                  '.share-of-voice__list .voice-2 .swatch'].map(s => {
            const e = document.querySelector(s);
            const style = getComputedStyle(e);
            return {radius: style.borderRadius, image: style.backgroundImage,
                    colour: style.backgroundColor};
        })"""
    )
    people_first, people_second, share_first, share_second = marks
    assert people_first == share_first and people_second == share_second
    # The page draws in the palette's colours (palette.css, linked first).
    assert Color(people_first["colour"]) == Color(DEFAULTS["voice-1"])
    second = DEFAULTS["voice-2"]
    rgb = ", ".join(str(int(second[i : i + 2], 16)) for i in (1, 3, 5))
    assert f"rgb({rgb})" in people_second["image"]  # hatched in voice-2
    assert people_first["radius"] == "50%"
    assert people_second["image"].startswith("repeating-linear-gradient")
    # The transcript's names are in the voices' colours, with the same marks.
    speakers = page.evaluate(
        """() => ['.turn.voice-1 .turn__speaker', '.turn.voice-2 .turn__speaker']
            .map(s => {
                const e = document.querySelector(s);
                return [getComputedStyle(e).color,
                        getComputedStyle(e, '::before').borderRadius,
                        getComputedStyle(e, '::before').backgroundImage];
            })"""
    )
    colours = [Color(colour) for colour, _, _ in speakers]
    assert not any(is_red(c) or is_blue(c) for c in colours), colours
    assert speakers[0][1] == "50%" and speakers[1][2].startswith("repeating-linear")
    # The second voice's bars on the timeline are hatched.
    fills = page.evaluate(
        """() => ['.timeline__bars.voice-1 rect', '.timeline__bars.voice-2 rect']
            .map(s => getComputedStyle(document.querySelector(s)).fill)"""
    )
    assert "url(" not in fills[0] and "voice-hatch" in fills[1]
    assert page.locator("pattern#voice-hatch").count() == 1
