"""The campaign's colours: one palette for the site, the podcast cover and
the share cards.

A campaign sets ``CAMPAIGN_COLOURS`` in its settings file to change any of
the colours below, e.g. ``CAMPAIGN_COLOURS = {"accent": "#0b6e4f"}``; the
rest keep their defaults. From the one palette come:

- the site's CSS custom properties (``--accent``, ``--voice-1``, ...), in
  a style sheet written at build time (plugins/campaign_colours), which
  every page links before site.css;
- the drawn podcast cover (plugins/artwork/default_cover.py);
- the share cards (plugins/story_embeds/share_image.py).

Colours are hex (``#rrggbb`` or ``#rgb``); a wrong value or an unknown name
stops the build with the setting, the name and the fix
(``campaign_colours``). A changed colour that makes text or a mark too faint
on its ground (``READABLE``: WCAG 2.1's 4.5:1 for text, 3:1 for graphics) is
a warning naming both colours (``unreadable``).
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import re
from collections.abc import Mapping

from coloraide import Color

SETTING = "CAMPAIGN_COLOURS"

# Every colour of the palette, by the name of its CSS custom property, with
# what it colours. Keep the voices' guarantees when changing them: text in
# --voice-N passes 4.5:1 on white, on --paper and on --voice-N-tint, bars
# 3:1 on --lane; voice 1 and 2 are neither red nor blue and stay apart for
# protan, deutan and tritan vision (tests/test_voices.py checks these).
DEFAULTS: dict[str, str] = {
    # The page.
    "ink": "#1d2433",  # text; the header, footer and hero; the cover's ground
    "ink-soft": "#4a5366",  # secondary text
    "ink-top": "#23304a",  # the hero's, cover's and share card's gradient top
    "paper": "#fbf8f3",  # the page's background
    "card": "#ffffff",  # cards and panels
    "line": "#e4ddd1",  # rules and borders
    # The brand.
    "accent": "#b4321f",  # links, buttons, the mark's first circle; 5.9:1 on paper
    "accent-dark": "#8e2414",  # links and buttons under the pointer
    "on-accent": "#ffffff",  # text on accent and accent-dark: buttons
    "highlight": "#f2b441",  # the mark's second circle, the header's button
    "blue": "#1f4e79",  # links on dark
    "focus": "#005dc7",  # the keyboard focus ring on light grounds: 4.5:1 on each
    # On the dark (ink) grounds: header, hero, footer, mini player, cover,
    # share card.
    "on-ink": "#ffffff",  # text
    "on-ink-muted": "#e9e4da",  # secondary text: taglines, the footer
    "link-on-ink": "#f6c86a",  # links
    "lane-on-ink": "#3a4560",  # tracks: the mini player's, the share card's lanes
    # Words marked: found by the site's search (in its results), being
    # spoken (the transcript follows the audio), matched by the transcript's
    # own find. Text of every kind above reads on each.
    "found": "#fde7a6",
    "now": "#dde6fb",
    "match": "#ffd95e",
    # The conversation's timeline on the story page.
    "lane": "#ece5d8",
    # Each participant's colour, in the order of the story's participants;
    # voice-0 is anyone else (a facilitator). Neutral on purpose: never red
    # against blue, which visitors read as the two parties. Teal and amber
    # stay apart for every kind of colour vision, and every voice also has
    # its own shape and the second a hatching, so colour is never the only
    # cue.
    "voice-0": "#5b6170",
    "voice-1": "#006d77",
    "voice-2": "#985c00",
    "voice-3": "#6f3f92",
    "voice-4": "#4a5a78",
    # The ground of a voice's turn in the transcript.
    "voice-0-tint": "#eef0f3",
    "voice-1-tint": "#e5f2f3",
    "voice-2-tint": "#fbf1e2",
    "voice-3-tint": "#f3edf8",
    "voice-4-tint": "#edf0f5",
    # The voices lightened to read on ink (the share card's timeline); 3:1
    # on lane-on-ink.
    "voice-0-on-ink": "#969caa",
    "voice-1-on-ink": "#56c4cc",
    "voice-2-on-ink": "#eca640",
    "voice-3-on-ink": "#bea0dc",
    "voice-4-on-ink": "#9fb0d0",
}
VOICES = 5  # voice-0 ... voice-4

TEXT, GRAPHICS = 4.5, 3.0  # WCAG 2.1's least contrast (1.4.3, 1.4.11)
# (foreground, ground, least contrast, where visitors see the pair). The
# defaults pass every one (tests/test_voices.py).
READABLE: tuple[tuple[str, str, float, str], ...] = (
    ("ink", "paper", TEXT, "the page's text"),
    ("ink", "card", TEXT, "text on cards"),
    ("ink-soft", "paper", TEXT, "secondary text"),
    ("accent", "paper", TEXT, "links"),
    ("accent", "card", TEXT, "links on cards"),
    ("accent-dark", "paper", TEXT, "links under the pointer"),
    ("on-accent", "accent", TEXT, "buttons"),
    ("on-accent", "accent-dark", TEXT, "buttons under the pointer"),
    ("on-ink", "ink", TEXT, "the header, hero and footer"),
    ("on-ink", "ink-top", TEXT, "the hero, cover and share card"),
    ("on-ink-muted", "ink", TEXT, "taglines and the footer"),
    ("link-on-ink", "ink", TEXT, "the footer's links"),
    ("ink", "highlight", TEXT, "the header's button"),
    ("focus", "paper", GRAPHICS, "the keyboard focus ring"),
    # The ring is drawn around the element, on the ground it sits on.
    ("focus", "card", GRAPHICS, "the keyboard focus ring on cards"),
    ("link-on-ink", "ink", GRAPHICS, "the keyboard focus ring on dark grounds"),
    ("link-on-ink", "ink-top", GRAPHICS, "the keyboard focus ring in the hero"),
    ("ink", "found", TEXT, "words found, in search results' titles"),
    ("ink-soft", "found", TEXT, "words found in a search result's place"),
    ("accent", "found", TEXT, "words found in a result's title under the pointer"),
    ("ink", "now", TEXT, "the words being spoken, in the transcript"),
    ("ink", "match", TEXT, "words the transcript's find matched"),
    *(
        pair
        for n in range(VOICES)
        for pair in (
            (f"voice-{n}", "card", TEXT, f"speaker {n}'s name"),
            (f"voice-{n}", "paper", TEXT, f"speaker {n}'s name"),
            (f"voice-{n}", f"voice-{n}-tint", TEXT, f"speaker {n}'s turns"),
            (
                "focus",
                f"voice-{n}-tint",
                GRAPHICS,
                f"the keyboard focus ring in speaker {n}'s turns",
            ),
            (f"voice-{n}", "lane", GRAPHICS, f"speaker {n}'s timeline bars"),
            ("on-ink", f"voice-{n}", TEXT, f"speaker {n}'s initials"),
            (
                f"voice-{n}-on-ink",
                "lane-on-ink",
                GRAPHICS,
                f"speaker {n}'s bars on the share card",
            ),
        )
    ),
)

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


class PaletteError(ValueError):
    """A campaign colour is not a colour, or not a colour of the palette."""


@dataclasses.dataclass(frozen=True)
class Palette(Mapping):
    """The campaign's colours by name (``palette["accent"] == "#b4321f"``),
    every one a lower-case ``#rrggbb``. Hashable and picklable, so drawing
    in worker processes gets it whole."""

    colours: tuple[tuple[str, str], ...]

    @functools.cached_property
    def _by_name(self) -> dict[str, str]:
        return dict(self.colours)

    def __getitem__(self, name: str) -> str:
        return self._by_name[name]

    def __iter__(self):
        return (name for name, _ in self.colours)

    def __len__(self) -> int:
        return len(self.colours)

    def rgb(self, name: str) -> tuple[int, int, int]:
        value = self[name]
        return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))

    def subset(self, names) -> Palette:
        """Only ``names``: what a drawing uses (its cache key holds no more)."""
        return Palette(tuple((name, self[name]) for name in names))

    @property
    def digest(self) -> str:
        text = ";".join(f"{name}:{value}" for name, value in self.colours)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise(value: str) -> str:
    """``#ABC`` -> ``#aabbcc``; ``#A1B2C3`` -> ``#a1b2c3``."""
    value = value.lower()
    if len(value) == 4:
        value = "#" + "".join(2 * c for c in value[1:])
    return value


def check_colour(setting: str, value) -> str:
    """``value`` normalised, or a PaletteError naming ``setting``."""
    if isinstance(value, str) and _HEX.fullmatch(value.strip()):
        return normalise(value.strip())
    raise PaletteError(
        f"{setting} = {value!r} is not a hex colour: write it as '#rrggbb' "
        "(like '#b4321f') in the settings file (pelicanconf.py)"
    )


def check_name(setting: str, name) -> None:
    """A PaletteError unless ``name`` is a colour of the palette."""
    if isinstance(name, str) and name in DEFAULTS:
        return
    close = difflib.get_close_matches(str(name), DEFAULTS, n=1, cutoff=0.6)
    if close:
        fix = f"did you mean '{close[0]}'? (every name: portal/palette.py)"
    else:
        fix = f"use one of {', '.join(DEFAULTS)} (portal/palette.py)"
    raise PaletteError(f"{setting}: {name!r} is not a colour of the palette; {fix}")


def campaign_colours(pelican_settings) -> Palette:
    """The palette: the defaults with ``CAMPAIGN_COLOURS`` laid over them."""
    chosen = pelican_settings.get(SETTING) or {}
    if not isinstance(chosen, Mapping):
        raise PaletteError(
            f"{SETTING} must be a dict of colour names and hex colours, like "
            f"{{'accent': '#b4321f'}}, not {chosen!r}"
        )
    colours = dict(DEFAULTS)
    for name, value in chosen.items():
        check_name(SETTING, name)
        colours[name] = check_colour(f"{SETTING}['{name}']", value)
    return Palette(tuple(colours.items()))


def unreadable(palette: Palette, changed=()) -> list[str]:
    """What of ``READABLE`` the palette fails, as sentences for editors;
    only pairs with a colour in ``changed`` when it is given."""
    problems = []
    for foreground, ground, least, where in READABLE:
        if changed and foreground not in changed and ground not in changed:
            continue
        ratio = Color(palette[foreground]).contrast(palette[ground], method="wcag21")
        if ratio < least:
            problems.append(
                f"{SETTING}: '{foreground}' ({palette[foreground]}) on '{ground}' "
                f"({palette[ground]}) is {ratio:.1f}:1, too faint for {where} "
                f"(at least {least:g}:1); make one of them lighter or darker"
            )
    return problems


def stylesheet(palette: Palette) -> str:
    """The palette as CSS custom properties on ``:root``."""
    lines = [
        "/* The campaign's colours: written by the build from CAMPAIGN_COLOURS",
        "   (defaults in portal/palette.py). Change them there, not here. */",
        ":root {",
        *(f"  --{name}: {value};" for name, value in palette.items()),
        "}",
    ]
    return "\n".join(lines) + "\n"
