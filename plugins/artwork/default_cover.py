"""The show cover drawn from the campaign's name and colours.

Used until editors give a cover of their own (``ARTWORK_SHOW_COVER``). It
echoes the site's header: the two overlapping circles of the brand mark (two
voices), the name in large type that stays legible at the 60-pixel size apps
list covers at, the tagline and the organisation. The font is the one Pillow
ships (Aileron), laid out without system libraries, so every machine with
the pinned Pillow draws the same pixels. Its colours are the campaign's
palette (portal/palette.py), as on the site's header and hero."""

from __future__ import annotations

import io
from collections.abc import Mapping

from PIL import Image, ImageDraw, ImageFont

from portal import palette

SIZE = 3000
MARGIN = 260

# The palette's colours the cover is drawn in (its cache key holds these).
COLOURS = ("ink", "ink-top", "accent", "highlight", "on-ink", "on-ink-muted")


def _font(size: int) -> ImageFont.FreeTypeFont:
    bundled = ImageFont.load_default(size=size)
    return ImageFont.truetype(
        io.BytesIO(bundled.font_bytes), size, layout_engine=ImageFont.Layout.BASIC
    )


def _background(colours: Mapping[str, str]) -> Image.Image:
    # A diagonal blend from the hero's lighter blue (top left) into the ink.
    down = Image.linear_gradient("L")
    mask = Image.blend(down, down.rotate(-90), 0.5)
    mask = mask.resize((SIZE, SIZE), Image.Resampling.BICUBIC)
    top = Image.new("RGB", (SIZE, SIZE), colours["ink-top"])
    bottom = Image.new("RGB", (SIZE, SIZE), colours["ink"])
    return Image.composite(bottom, top, mask)


def _lines(text: str, font, width: int) -> list[str]:
    """Words wrapped to fit ``width`` pixels, one word a line at most."""
    words = text.split()
    lines: list[str] = []
    for word in words:
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _balanced(text: str, font, width: int) -> list[str]:
    """One line if it fits, else two of about equal width."""
    if font.getlength(text) <= width:
        return [text]
    words = text.split()
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    return list(min(splits, key=lambda pair: max(map(font.getlength, pair))))


def draw_cover(
    title: str,
    tagline: str,
    organization: str,
    colours: Mapping[str, str] = palette.DEFAULTS,
) -> Image.Image:
    """A 3000x3000 RGB cover in ``colours`` (the palette's, by name)."""
    image = _background(colours)
    draw = ImageDraw.Draw(image)
    width = SIZE - 2 * MARGIN

    # The brand mark: a warm circle in front of a gold one.
    radius = 300
    centre_y = MARGIN + radius
    gold_x = MARGIN + radius + 360
    draw.ellipse(
        (gold_x - radius, centre_y - radius, gold_x + radius, centre_y + radius),
        fill=colours["highlight"],
    )
    red_x = MARGIN + radius
    draw.ellipse(
        (red_x - radius, centre_y - radius, red_x + radius, centre_y + radius),
        fill=colours["accent"],
        outline=colours["ink"],
        width=28,
    )

    # The organisation, small and spaced, above the name.
    eyebrow = _font(120)
    y = MARGIN + 2 * radius + 230
    draw.text(
        (MARGIN, y), f"A {organization} podcast".upper(), font=eyebrow,
        fill=colours["highlight"],
    )  # fmt: skip

    # The name as large as three lines allow.
    size = 470
    title_font = _font(size)
    lines = _lines(title, title_font, width)
    while len(lines) > 3 and size > 200:
        size -= 30
        title_font = _font(size)
        lines = _lines(title, title_font, width)
    y += 200
    for line in lines:
        draw.text(
            (MARGIN - 12, y), line, font=title_font, fill=colours["on-ink"],
            stroke_width=max(size // 60, 2), stroke_fill=colours["on-ink"],
        )  # fmt: skip
        y += int(size * 1.02)

    # The tagline under a short rule, in the muted colour.
    y += 70
    draw.rectangle((MARGIN, y, MARGIN + 360, y + 22), fill=colours["accent"])
    tagline_font = _font(130)
    y += 110
    for line in _balanced(tagline, tagline_font, width):
        draw.text((MARGIN, y), line, font=tagline_font, fill=colours["on-ink-muted"])
        y += 165
    return image
