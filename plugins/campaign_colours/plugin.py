"""The campaign's colours as the site's CSS custom properties and favicon.

At the start of every build (Pelican's ``initialized`` signal) the palette
(``CAMPAIGN_COLOURS`` over the defaults in ``portal/palette.py``) is
checked, so a wrong colour stops the build before anything is written, and
written as ``css/palette.css`` into a folder of the cache that becomes one
more theme static folder. From there it goes where theme files go: Pelican
copies it to ``theme/css/palette.css``, asset_fingerprint writes its
fingerprinted, minified copy (``asset_url('css/palette.css')`` in
base.html links it before site.css) and precompress its .gz and .br. A
linked style sheet, not an inline ``<style>``: the site's Content Security
Policy allows no inline styles. The favicon (``images/favicon.svg``, the
brand mark's two circles) is written beside it in the same colours, and so
is a 180-pixel PNG of it on the page's colour (``images/apple-touch-icon.png``):
what iPhones put on a home screen, and the site's icon where SVG is not read
(Safari before 26, link previews in chat apps).

Settings: ``CAMPAIGN_COLOURS`` (documented in ``portal/palette.py``).
"""

from __future__ import annotations

import io
import logging
import os

from pelican import signals
from PIL import Image, ImageDraw

from portal import palette
from portal.writing import write_if_changed

logger = logging.getLogger(__name__)

CACHE_FOLDER = "campaign_colours"
# Under the theme's static folder, as templates name them in asset_url().
STYLESHEET = "css/palette.css"
FAVICON = "images/favicon.svg"
TOUCH_ICON = "images/apple-touch-icon.png"
TOUCH_ICON_SIZE = 180  # Apple's size for iPhone home screens


def favicon(colours: palette.Palette) -> str:
    """The brand mark: the accent's circle before the highlight's."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
        f'<circle cx="20" cy="16" r="11" fill="{colours["highlight"]}"/>'
        f'<circle cx="12" cy="16" r="11" fill="{colours["accent"]}"/></svg>\n'
    )


def touch_icon(colours: palette.Palette) -> bytes:
    """The brand mark as a square PNG, opaque (iOS fills transparency with
    black and rounds the corners itself), drawn large and scaled down for
    smooth edges. The same colours give the same bytes."""
    scale = 4
    side = TOUCH_ICON_SIZE * scale
    image = Image.new("RGB", (side, side), colours["paper"])
    draw = ImageDraw.Draw(image)
    unit = side / 40  # the favicon's 32 units, with a margin all round
    for x, name in ((24, "highlight"), (16, "accent")):  # as in favicon()
        box = ((x - 11) * unit, 9 * unit, (x + 11) * unit, 31 * unit)
        draw.ellipse(box, fill=colours[name])
    image = image.resize((TOUCH_ICON_SIZE, TOUCH_ICON_SIZE), Image.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def static_folder(pelican_settings) -> str:
    """The generated theme static folder (in the cache: it is made, not kept)."""
    return os.path.join(pelican_settings["CACHE_PATH"], CACHE_FOLDER, "static")


def write_theme_files(pelican) -> None:
    pelican_settings = pelican.settings
    colours = palette.campaign_colours(pelican_settings)  # stops a bad setting
    # Too faint is the campaign's call (a brand colour may be fixed): warned.
    changed = tuple(pelican_settings.get(palette.SETTING) or {})
    for problem in palette.unreadable(colours, changed):
        logger.warning("[campaign_colours] %s", problem)
    folder = static_folder(pelican_settings)
    made = {
        STYLESHEET: palette.stylesheet(colours),
        FAVICON: favicon(colours),
        TOUCH_ICON: touch_icon(colours),
    }
    for name, text in made.items():
        target = os.path.join(folder, *name.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        write_if_changed(target, text)
    # An absolute path: Pelican and asset_fingerprint join theme static
    # paths to the theme folder, which leaves an absolute one as it is.
    paths = list(pelican_settings["THEME_STATIC_PATHS"])
    if folder not in paths:
        pelican_settings["THEME_STATIC_PATHS"] = [*paths, folder]
    logger.debug("[campaign_colours] palette written; set: %s", changed or "none")


def register():
    signals.initialized.connect(write_theme_files)
