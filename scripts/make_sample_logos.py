"""Draw the sample funders' wordmark logos: content/data/funders/*.png.

The sample site credits real funders but has none of their logos (and must
not fetch any). So that the funders page and the footer strip show how logos
look beside names, this draws a plain wordmark for some of them: a round mark
with the initials and the name set in DejaVu. Editors replace them with the
funders' own files; the others stay credited by name, as funders without a
logo are.

    .venv/bin/python scripts/make_sample_logos.py   # then commit the PNGs
"""

from __future__ import annotations

import argparse
import hashlib
import pathlib

from PIL import Image, ImageDraw, ImageFont

ROOT = pathlib.Path(__file__).resolve().parent.parent
FOLDER = ROOT / "content" / "data" / "funders"
FONTS = pathlib.Path("/usr/share/fonts/truetype/dejavu")  # fonts-dejavu-core

# file stem -> (name as set, typeface); the rest of funders.yml stays names.
LOGOS = {
    "rockefeller": ("The Rockefeller Foundation", "DejaVuSerif-Bold.ttf"),
    "cpb": ("Corporation for Public Broadcasting", "DejaVuSans-Bold.ttf"),
    "einhorn": ("Einhorn Family Charitable Trust", "DejaVuSerif.ttf"),
    "charles-koch": ("Charles Koch Foundation", "DejaVuSans.ttf"),
    "cisco": ("Cisco Systems", "DejaVuSansCondensed-Bold.ttf"),
}
# Muted marks: no two funders in the same colour, none in party red or blue.
COLOURS = ["#2f6b5e", "#6b4f8a", "#8a6a2f", "#3f5f7a", "#7a4a3f", "#4f6b2f"]
INK = (31, 41, 55, 255)
HEIGHT = 160  # px; the build scales logos to 40-60 px high


def initials(name: str) -> str:
    words = [w for w in name.split() if w[0].isupper() and w not in {"The", "For"}]
    return "".join(w[0] for w in words[:2])


def wordmark(name: str, face: str, colour: str) -> Image.Image:
    font = ImageFont.truetype(str(FONTS / face), 54)
    words = name.split()
    # Two balanced lines for long names, one for short ones.
    lines = [name]
    if len(name) > 18:
        best = min(
            range(1, len(words)),
            key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))),
        )
        lines = [" ".join(words[:best]), " ".join(words[best:])]
    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    widths = [measure.textlength(line, font=font) for line in lines]
    mark = HEIGHT - 24
    width = int(mark + 36 + max(widths) + 12)
    image = Image.new("RGBA", (width, HEIGHT), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((6, 12, 6 + mark, 12 + mark), fill=colour)
    letters = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 52)
    draw.text(
        (6 + mark / 2, 12 + mark / 2),
        initials(name),
        font=letters,
        fill="white",
        anchor="mm",
    )
    line_height = 62
    top = (HEIGHT - line_height * len(lines)) / 2 + line_height / 2
    for number, line in enumerate(lines):
        draw.text(
            (mark + 36, top + number * line_height),
            line,
            font=font,
            fill=INK,
            anchor="lm",
        )
    return image


def colour_for(stem: str) -> str:
    index = int(hashlib.sha256(stem.encode()).hexdigest(), 16) % len(COLOURS)
    return COLOURS[index]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=FOLDER)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    used = set()
    for stem, (name, face) in LOGOS.items():
        colour = colour_for(stem)
        while colour in used:
            colour = COLOURS[(COLOURS.index(colour) + 1) % len(COLOURS)]
        used.add(colour)
        path = args.out / f"{stem}.png"
        wordmark(name, face, colour).save(path, optimize=True)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
