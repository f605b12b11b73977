"""The 1200x630 picture a story shows when it is shared (Open Graph, cards).

It carries what tells a conversation apart in a feed of links: the title,
both people's names in their voices' colours, the campaign's mark (the two
circles of the site's header) and, when there is a transcript, the shape of
the conversation: who spoke when, drawn from the cue times. Its colours are
the campaign's palette (portal/palette.py), as on the site.

Drawing takes a few tenths of a second, so images are cached by a digest of
everything drawn (``ShareCard.key``) and only drawn again when that changes.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import os
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from portal import palette
from portal.code_digest import tree_digest
from portal.file_hashes import sha256_of
from portal.writing import atomic_file, whole_image

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
MARGIN = 72


# Cached pictures are keyed by this file's own bytes (portal.code_digest):
# a change to the drawing draws them again.
DRAWING_CODE = tree_digest(__file__)

# Debian's fonts-dejavu-core; Pillow's own font when they are missing.
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")
SERIF_BOLD = "DejaVuSerif-Bold.ttf"
SANS = "DejaVuSans.ttf"
SANS_BOLD = "DejaVuSans-Bold.ttf"

# The palette's colours a card is drawn in: the hero's gradient (ink-top
# into ink), the mark (accent, highlight), text on ink, and the voices
# lightened to read on the dark ground (voice-N-on-ink: never red against
# blue; the second is also hatched and marked with a square, the first with
# a circle) on their lanes (lane-on-ink).
VOICE_COLOURS = tuple(f"voice-{n}-on-ink" for n in range(palette.VOICES))
CARD_COLOURS = (
    "ink", "ink-top", "accent", "highlight", "on-ink", "on-ink-muted",
    "lane-on-ink", *VOICE_COLOURS,
)  # fmt: skip
DEFAULT_COLOURS = palette.Palette(tuple(palette.DEFAULTS.items())).subset(CARD_COLOURS)


@dataclasses.dataclass(frozen=True)
class ShareCard:
    """Everything the picture shows."""

    title: str
    names: tuple[str, ...]
    line: str  # "Colleagues · Dayton, Ohio"
    campaign: str  # "One Small Step"
    organization: str  # "StoryCorps"
    # Who spoke when: the transcript's outline (transcripts.answers.Outline,
    # with its bars, to draw; or its OutlineSummary, digest and lanes only,
    # enough for the key), or None without a transcript.
    outline: Any = None
    # The story's picture (a square JPEG made by the artwork plugin, named by
    # a digest of its source, so the key changes with it), or empty.
    picture: str = ""
    # The campaign's colours (only those in CARD_COLOURS: the key holds them).
    colours: palette.Palette = DEFAULT_COLOURS

    @functools.cached_property
    def bars(self) -> tuple[tuple[float, float, int, int], ...]:
        """(start fraction, end fraction, lane, voice) of each cue, or empty
        (unpacked once a card)."""
        return self.outline.bars if self.outline else ()

    @property
    def lanes(self) -> int:
        return self.outline.lanes if self.outline else 0

    @functools.cached_property
    def key(self) -> str:
        # The fields as they are, hashed once a card: dataclasses.asdict
        # deep-copies every timeline bar, and the key is asked for four times
        # a story (a tenth of a 1,000-story cold build; benchmarks/README.md).
        # json.dumps writes tuples as lists, so keys are the same as before.
        fields = {
            field.name: getattr(self, field.name) for field in dataclasses.fields(self)
        }
        # The picture by its file name (a digest of its source), not where
        # the cache folder happens to be.
        fields["picture"] = os.path.basename(self.picture)
        # The timeline by its bars' digest: a few hundred bars written out
        # as JSON were most of the time every build spent on the keys, and
        # the bars themselves are read only to draw the card.
        fields["outline"] = (
            [self.outline.digest, self.outline.lanes] if self.outline else None
        )
        fields["colours"] = [list(pair) for pair in self.colours.colours]
        data = json.dumps([DRAWING_CODE, fields, _font_identity()], sort_keys=True)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _font_path(name: str) -> str | None:
    for folder in FONT_DIRS:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return None


@functools.cache
def _font_identity() -> list:
    """Each font by its bytes: another version of a font draws other pixels.
    Once a process: every card's key asks, and fonts are system files."""
    out = []
    for name in (SERIF_BOLD, SANS, SANS_BOLD):
        path = _font_path(name)
        out.append([name, sha256_of(path)] if path else [name, None])
    return out


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path = _font_path(name)
    if path is None:
        logger.warning(
            "[story_embeds] %s not found (apt-get install fonts-dejavu-core); "
            "share images use Pillow's own font",
            name,
        )
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(path, size)


def _wrap(text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _fit_title(title: str, width: int, height: int = HEIGHT, max_lines: int = 3):
    """The largest title size (84 down to 40 px) that fits in ``max_lines``
    of ``width`` and, with its line spacing, in ``height``."""
    for size in range(84, 39, -4):
        font = _font(SERIF_BOLD, size)
        lines = _wrap(title, font, width)
        if (
            len(lines) <= max_lines
            and all(font.getlength(x) <= width for x in lines)
            and len(lines) * round(size * 1.16) <= height
        ):
            return font, lines, size
    font = _font(SERIF_BOLD, 40)
    lines = _wrap(title, font, width)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        while lines[-1] and font.getlength(lines[-1] + "…") > width:
            lines[-1] = lines[-1].rsplit(" ", 1)[0] if " " in lines[-1] else ""
        lines[-1] += "…"
    return font, lines, 40


@functools.lru_cache(maxsize=2)
def _background_image(top: str, bottom: str) -> Image.Image:
    # The same for every card: made once per build, copied for each card
    # (it was most of the drawing time; benchmarks/README.md).
    return _background(top, bottom)


def _background(top: str, bottom: str) -> Image.Image:
    # A diagonal blend from the hero's lighter blue (top left) into the ink.
    down = Image.linear_gradient("L")
    mask = Image.blend(down, down.rotate(-90), 0.5)
    mask = mask.resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)
    top_colour = Image.new("RGB", (WIDTH, HEIGHT), top)
    bottom_colour = Image.new("RGB", (WIDTH, HEIGHT), bottom)
    return Image.composite(bottom_colour, top_colour, mask)


PICTURE_SIZE = 300  # the story's picture, top right, beside the title


def _paste_picture(image: Image.Image, file: str) -> bool:
    """The story's picture in a rounded square at the top right; False when
    it cannot be read (the card is drawn without it)."""
    try:
        with Image.open(file) as source:
            picture = source.convert("RGB").resize(
                (PICTURE_SIZE, PICTURE_SIZE), Image.Resampling.LANCZOS
            )
    except OSError:
        logger.warning("[story_embeds] %s cannot be read for a share card", file)
        return False
    mask = Image.new("L", picture.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, PICTURE_SIZE - 1, PICTURE_SIZE - 1), 24, fill=255
    )
    image.paste(picture, (WIDTH - MARGIN - PICTURE_SIZE, MARGIN), mask)
    return True


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where the title, the names and the line under them go on a card."""

    title_font: Any
    lines: list[str]
    line_height: int
    top: int  # the title's first line
    names_font: Any
    joiner_font: Any
    name_rows: list[list[tuple[int, str]]]  # (voice, name) on each row
    name_row_height: int
    names_baseline: int  # of the first row
    line_font: Any
    line_room: int  # how wide the line under the names may be
    line_baseline: int
    bottom: int  # of the whole block
    widest_names_row: float


# The room the text has: below the campaign's mark, above who spoke when,
# and, beside the story's picture, left of it.
TEXT_TOP = MARGIN + 2 * 22 + 24
NAMES_SIZES = range(34, 23, -2)


def card_layout(card: ShareCard) -> Layout:
    """The card's text, placed so that none of it runs into the picture or
    the conversation's drawing: the title as large as fits the room (three
    lines of 84 px down to 40), the names as large as fit beside the picture
    (on two rows when two long names do not fit on one)."""
    full = WIDTH - 2 * MARGIN
    beside = full - PICTURE_SIZE - 40 if card.picture else full
    room_bottom = _conversation_top(card) - 24
    names_font = small = None
    rows: list[list[tuple[int, str]]] = []
    for size in NAMES_SIZES:
        names_font, small = _font(SANS_BOLD, size), _font(SANS, round(size * 0.88))
        rows = _name_rows(card.names, names_font, small, beside)
        if len(rows) == 1 or size == NAMES_SIZES[-1]:
            break
    row_height = 44
    # Below the title: its gap, the names' rows and the line under them.
    rest = 34 + row_height * len(rows) + (48 if card.line else 0)
    font, lines, size = _fit_title(card.title, beside, room_bottom - TEXT_TOP - rest)
    line_height = round(size * 1.16)
    block = len(lines) * line_height + rest
    top = TEXT_TOP + max((room_bottom - TEXT_TOP - block) // 2, 0)
    names_baseline = top + len(lines) * line_height + 34 + 34
    line_baseline = names_baseline + (len(rows) - 1) * row_height + 48
    if not rows:  # no names: the line right under the title
        line_baseline = top + len(lines) * line_height + 34 + 20
    count = len(card.names)
    widest = max(
        (_row_length(row, count, names_font, small) for row in rows), default=0
    )
    # The line under the names: beside the picture when it is that high up.
    line_room = full
    if card.picture and line_baseline - 27 < MARGIN + PICTURE_SIZE + 8:
        line_room = beside
    for line_size in range(27, 19, -1):
        line_font = _font(SANS, line_size)
        if line_font.getlength(card.line) <= line_room:
            break
    return Layout(
        title_font=font,
        lines=lines,
        line_height=line_height,
        top=top,
        names_font=names_font,
        joiner_font=small,
        name_rows=rows,
        name_row_height=row_height,
        names_baseline=names_baseline,
        line_font=line_font,
        line_room=line_room,
        line_baseline=line_baseline,
        bottom=line_baseline
        if card.line
        else names_baseline + (len(rows) - 1) * row_height,
        widest_names_row=widest,
    )


def _joiner(index: int, count: int, first_in_row: bool) -> str:
    """What stands before the ``index``-th of ``count`` names ("", ", " or
    " and "; "and " at the start of a row)."""
    if index == 1:
        return ""
    joiner = " and " if index == count else ", "
    return joiner.lstrip() if first_in_row else joiner


def _row_length(row, count: int, names_font, small) -> float:
    """How wide a row of names is drawn: each with its joiner and mark."""
    return sum(
        small.getlength(_joiner(index, count, position == 0))
        + round(names_font.size * 0.6)
        + 10
        + names_font.getlength(name)
        for position, (index, name) in enumerate(row)
    )


def _name_rows(names, names_font, small, width) -> list[list[tuple[int, str]]]:
    """The names on one row if they fit ``width``, else a row each."""
    numbered = list(enumerate(names, start=1))
    if not numbered:
        return []  # the campaign's own card
    if _row_length(numbered, len(names), names_font, small) <= width:
        return [numbered]
    return [[item] for item in numbered]


def draw(card: ShareCard) -> Image.Image:
    colours = card.colours
    voices = [colours[name] for name in VOICE_COLOURS]
    image = _background_image(colours["ink-top"], colours["ink"]).copy()
    pen = ImageDraw.Draw(image)
    if card.picture and not _paste_picture(image, card.picture):
        card = dataclasses.replace(card, picture="")  # drawn without it

    # The campaign's mark: a warm circle before a gold one, as in the header.
    radius = 22
    y = MARGIN + radius
    pen.ellipse(
        (MARGIN + 24, y - radius, MARGIN + 24 + 2 * radius, y + radius),
        fill=colours["highlight"],
    )
    pen.ellipse(
        (MARGIN, y - radius, MARGIN + 2 * radius, y + radius), fill=colours["accent"]
    )
    brand = _font(SANS_BOLD, 26)
    pen.text(
        (MARGIN + 86, y),
        card.campaign.upper(),
        font=brand,
        fill=colours["on-ink"],
        anchor="lm",
    )
    offset = MARGIN + 86 + brand.getlength(card.campaign.upper()) + 18
    pen.text(
        (offset, y),
        f"A {card.organization} campaign",
        font=_font(SANS, 24),
        fill=colours["on-ink-muted"],
        anchor="lm",
    )

    layout = card_layout(card)
    for index, text in enumerate(layout.lines):
        pen.text(
            (MARGIN - 3, layout.top + index * layout.line_height),
            text,
            font=layout.title_font,
            fill=colours["on-ink"],
        )
    names_font, small = layout.names_font, layout.joiner_font
    for row, names in enumerate(layout.name_rows):
        y = layout.names_baseline + row * layout.name_row_height
        x = MARGIN
        for position, (index, name) in enumerate(names):
            colour = voices[index % len(voices)]
            joiner = _joiner(index, len(card.names), position == 0)
            if joiner:
                pen.text(
                    (x, y),
                    joiner,
                    font=small,
                    fill=colours["on-ink-muted"],
                    anchor="ls",
                )
                x += small.getlength(joiner)
            mark = round(names_font.size * 0.6)
            _voice_mark(
                pen, (x, y - mark - 4, x + mark, y - 4), index, colour, colours["ink"]
            )
            x += mark + 10
            pen.text((x, y), name, font=names_font, fill=colours["on-ink"], anchor="ls")
            x += names_font.getlength(name)
    if card.line:
        pen.text(
            (MARGIN, layout.line_baseline),
            card.line,
            font=layout.line_font,
            fill=colours["on-ink-muted"],
            anchor="ls",
        )

    _draw_conversation(pen, card, voices)
    return image


LANE_HEIGHT, LANE_GAP = 14, 6
BOTTOM = HEIGHT - MARGIN + 16


def _conversation_top(card: ShareCard) -> int:
    if not card.bars or not card.lanes:
        return BOTTOM - 8
    return BOTTOM - card.lanes * LANE_HEIGHT - (card.lanes - 1) * LANE_GAP


def _draw_conversation(pen, card: ShareCard, voices: list[str]) -> None:
    """Who spoke when, along the bottom; a plain rule without a transcript."""
    width = WIDTH - 2 * MARGIN
    top = _conversation_top(card)
    if not card.bars or not card.lanes:
        pen.rectangle(
            (MARGIN, top, MARGIN + width, BOTTOM), fill=card.colours["accent"]
        )
        return
    for lane in range(card.lanes):
        y = top + lane * (LANE_HEIGHT + LANE_GAP)
        pen.rectangle(
            (MARGIN, y, MARGIN + width, y + LANE_HEIGHT),
            fill=card.colours["lane-on-ink"],
        )
    for start, end, lane, voice in card.bars:
        y = top + lane * (LANE_HEIGHT + LANE_GAP)
        x0 = MARGIN + start * width
        x1 = max(MARGIN + end * width, x0 + 2)
        colour = voices[voice % len(voices)]
        pen.rectangle((x0, y, x1, y + LANE_HEIGHT), fill=colour)
        if voice == 2:
            _hatch(pen, (x0, y, x1, y + LANE_HEIGHT), card.colours["ink"])


def _voice_mark(pen, box, voice: int, colour, ground) -> None:
    """The voice's shape, as on the story page: 1 a circle, 2 a hatched
    square, 3 a triangle, 4 a diamond, anyone else a ring."""
    x0, y0, x1, y1 = box
    if voice == 1:
        pen.ellipse(box, fill=colour)
    elif voice == 2:
        pen.rectangle(box, fill=colour)
        _hatch(pen, box, ground)
    elif voice == 3:
        pen.polygon([((x0 + x1) / 2, y0), (x1, y1), (x0, y1)], fill=colour)
    elif voice == 4:
        mid_x, mid_y = (x0 + x1) / 2, (y0 + y1) / 2
        pen.polygon([(mid_x, y0), (x1, mid_y), (mid_x, y1), (x0, mid_y)], fill=colour)
    else:
        pen.ellipse(box, outline=colour, width=4)


def _hatch(pen, box, ground, step: int = 7) -> None:
    """Diagonal lines across a box in the ground's colour."""
    x0, y0, x1, y1 = (round(v) for v in box)
    height = y1 - y0
    for start in range(x0 - height, x1, step):
        # The part of the line from (start, y1) to (start + height, y0) in the box.
        left = max(start, x0)
        right = min(start + height, x1)
        if right <= left:
            continue
        pen.line(
            [(left, y1 - (left - start)), (right, y1 - (right - start))],
            fill=ground,
            width=2,
        )


# JPEG, not PNG: the card's background is a gradient, which PNG holds poorly.
# At quality 90 without chroma subsampling (which smears the coloured text's
# edges), a card is 129 KB and 3.5 ms to encode, against PNG's 148 KB and
# 18 ms at compress_level 3: 180 s of CPU in a cold build of 10,000 stories
# (benchmarks/README.md).
SUFFIX = ".jpg"
MEDIA_TYPE = "image/jpeg"


class ShareImages:
    """JPEG files of share cards, cached in ``folder`` by the card's key."""

    def __init__(self, folder: str):
        self.folder = folder

    def path(self, card: ShareCard) -> str:
        return os.path.join(self.folder, f"{card.key}{SUFFIX}")

    def picture(self, card: ShareCard) -> str:
        """The path of the card's picture, drawn only when not cached."""
        path = self.path(card)
        if whole_image(path):
            return path
        logger.debug("[story_embeds] drawing the share card %s", path)
        with atomic_file(path) as handle:
            draw(card).save(handle, "JPEG", quality=90, subsampling=0)
        return path
