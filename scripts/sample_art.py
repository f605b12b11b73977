"""Pictures for the sample content, drawn with Pillow: nothing fetched, no stock photos.

- ``story_picture(spec)``: a 1400x1400 illustration of a story's two people facing
  each other across a microphone, in front of a scene of where they met (mountains,
  a fence, a road, a city, a kitchen window, fields). Square because podcast apps
  want square episode art; the people sit in the middle so web pages can crop it
  to a wide card.

The same spec draws the same pixels (no randomness, Pillow's own font), so the
script can run again without changing committed files."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

SIZE = 1400

SKIES = {
    "dawn": ((246, 214, 170), (250, 240, 222)),
    "day": ((176, 214, 224), (236, 244, 240)),
    "dusk": ((214, 180, 196), (246, 226, 210)),
    "indoor": ((238, 226, 204), (248, 242, 230)),
}


def _gradient(size: int, top, bottom) -> Image.Image:
    mask = Image.linear_gradient("L").resize((size, size))
    return Image.composite(
        Image.new("RGB", (size, size), bottom),
        Image.new("RGB", (size, size), top),
        mask,
    )


def _scene(pen: ImageDraw.ImageDraw, scene: str, ground) -> None:
    """The place behind the two people, drawn in flat shapes."""
    s = SIZE
    if scene == "mountains":
        pen.polygon(
            [(0, 900), (320, 430), (620, 820), (900, 380), (1400, 900)],
            fill=(120, 138, 150),
        )
        pen.polygon(
            [(240, 545), (320, 430), (400, 545), (360, 520), (320, 560)],
            fill=(246, 246, 244),
        )
        pen.polygon(
            [(810, 500), (900, 380), (990, 500), (930, 480), (900, 520)],
            fill=(246, 246, 244),
        )
        pen.polygon([(0, 960), (500, 700), (1000, 960)], fill=(94, 120, 104))
        pen.polygon(
            [(600, 960), (1100, 680), (1400, 860), (1400, 960)], fill=(84, 110, 96)
        )
    elif scene == "fence":
        pen.rectangle((0, 780, s, 960), fill=(150, 176, 120))
        for x in range(0, s, 70):
            pen.polygon(
                [
                    (x + 8, 610),
                    (x + 33, 580),
                    (x + 58, 610),
                    (x + 58, 900),
                    (x + 8, 900),
                ],
                fill=(236, 222, 196),
            )
        pen.rectangle((0, 660, s, 684), fill=(214, 196, 166))
        pen.rectangle((0, 820, s, 844), fill=(214, 196, 166))
    elif scene == "road":
        pen.rectangle((0, 760, s, 960), fill=(156, 178, 128))
        pen.polygon(
            [(560, 760), (840, 760), (1300, 1400), (100, 1400)], fill=(96, 100, 110)
        )
        for y in range(790, 960, 60):
            w = (y - 760) // 14 + 4
            pen.rectangle((700 - w, y, 700 + w, y + 26), fill=(244, 210, 110))
        pen.rounded_rectangle((980, 560, 1360, 780), 30, fill=(232, 178, 60))
        for x in range(1010, 1340, 80):
            pen.rectangle((x, 590, x + 60, 660), fill=(212, 232, 240))
        for x in (1040, 1290):
            pen.ellipse((x - 36, 744, x + 36, 816), fill=(50, 54, 62))
    elif scene == "city":
        heights = [520, 380, 600, 440, 300, 560, 420, 640, 360, 500]
        for index, top in enumerate(heights):
            x = index * 140
            pen.rectangle(
                (x, top, x + 130, 960),
                fill=(118, 128, 150) if index % 2 else (138, 146, 166),
            )
            for wy in range(top + 40, 900, 70):
                for wx in (x + 25, x + 75):
                    pen.rectangle((wx, wy, wx + 30, wy + 36), fill=(236, 222, 170))
    elif scene == "window":
        pen.rectangle((0, 0, s, 960), fill=(232, 218, 196))
        pen.rectangle((420, 140, 980, 620), fill=(250, 246, 236))
        pen.rectangle((440, 160, 960, 600), fill=(176, 214, 224))
        pen.polygon(
            [(440, 600), (640, 420), (800, 520), (960, 400), (960, 600)],
            fill=(140, 176, 130),
        )
        pen.rectangle((690, 160, 710, 600), fill=(250, 246, 236))
        pen.rectangle((440, 370, 960, 390), fill=(250, 246, 236))
        pen.rectangle((380, 610, 1020, 640), fill=(196, 170, 140))
    else:  # fields
        pen.rectangle((0, 740, s, 960), fill=(202, 186, 120))
        for y in range(760, 960, 40):
            pen.line([(0, y), (s, y - 30)], fill=(186, 168, 100), width=8)
        pen.ellipse((1040, 180, 1240, 380), fill=(250, 226, 150))
    # The table the two people sit at.
    pen.rectangle((0, 960, s, s), fill=ground)
    pen.rectangle((0, 960, s, 985), fill=tuple(max(c - 30, 0) for c in ground))


def _person(pen: ImageDraw.ImageDraw, centre_x: int, facing: int, person: dict) -> None:
    """A head-and-shoulders figure, turned towards the middle."""
    skin = tuple(person["skin"])
    hair = tuple(person["hair"])
    shirt = tuple(person["shirt"])
    style = person.get("style", "short")
    head = (centre_x - 135, 470, centre_x + 135, 800)
    # Long hair falls behind the neck onto the shoulders.
    if style == "long":
        pen.rounded_rectangle(
            (centre_x - 160, 440, centre_x + 160, 940), 150, fill=hair
        )
    # Shoulders and body, then the neck in front of the hair.
    pen.rounded_rectangle((centre_x - 230, 860, centre_x + 230, 1400), 180, fill=shirt)
    pen.rectangle((centre_x - 60, 760, centre_x + 60, 900), fill=skin)
    pen.ellipse(head, fill=skin)
    if style in ("short", "long"):
        pen.chord((centre_x - 142, 440, centre_x + 142, 720), 180, 360, fill=hair)
    elif style == "cap":
        pen.chord((centre_x - 145, 430, centre_x + 145, 700), 180, 360, fill=hair)
        pen.rounded_rectangle(
            (
                centre_x + (0 if facing > 0 else -230),
                545,
                centre_x + (230 if facing > 0 else 0),
                585,
            ),
            18,
            fill=hair,
        )
    elif style == "bald":
        pen.chord((centre_x - 138, 560, centre_x + 138, 760), 160, 200, fill=hair)
    # An eye and a nose on the side that faces the other person.
    eye_x = centre_x + facing * 70
    pen.ellipse((eye_x - 14, 610, eye_x + 14, 638), fill=(40, 36, 40))
    nose_x = centre_x + facing * 128
    pen.polygon([(nose_x, 640), (nose_x + facing * 26, 700), (nose_x, 706)], fill=skin)
    if person.get("glasses"):
        pen.ellipse((eye_x - 40, 590, eye_x + 40, 660), outline=(40, 36, 40), width=8)


def _microphone(pen: ImageDraw.ImageDraw) -> None:
    x = SIZE // 2
    pen.rectangle((x - 9, 760, x + 9, 985), fill=(60, 62, 70))
    pen.rounded_rectangle((x - 44, 640, x + 44, 790), 44, fill=(70, 72, 82))
    for y in range(665, 780, 22):
        pen.line([(x - 30, y), (x + 30, y)], fill=(110, 114, 126), width=5)
    pen.rounded_rectangle((x - 90, 975, x + 90, 1000), 10, fill=(60, 62, 70))


def story_picture(spec: dict) -> bytes:
    """The JPEG of one story's picture, from its ``picture`` spec."""
    sky = SKIES[spec.get("sky", "day")]
    image = _gradient(SIZE, *sky)
    pen = ImageDraw.Draw(image)
    _scene(pen, spec.get("scene", "fields"), tuple(spec.get("table", (176, 132, 92))))
    left, right = spec["people"]
    _person(pen, 330, 1, left)
    _person(pen, SIZE - 330, -1, right)
    _microphone(pen)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()
