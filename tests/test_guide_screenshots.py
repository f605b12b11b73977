"""The editors' guide's screenshots: there, and the ones the script takes.

scripts/guide_screenshots.py takes them in Chromium (about 40 seconds, too long
for the suite); these tests keep it and content/README.md in step without a
browser: every picture the guide shows exists, the script takes exactly
those, and the files are what it writes (its size).
"""

from __future__ import annotations

import importlib.util
import re

import pytest
from PIL import Image

from tests.support import CONTENT, PROJECT_ROOT

GUIDE = CONTENT / "README.md"
SCREENSHOTS = CONTENT / "guide-screenshots"


@pytest.fixture(scope="module")
def script():
    path = PROJECT_ROOT / "scripts" / "guide_screenshots.py"
    spec = importlib.util.spec_from_file_location("guide_screenshots", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def images_shown(markdown: str) -> list[str]:
    """The paths of the images a Markdown text shows (``![words](path)``),
    in its order."""
    return re.findall(r"!\[[^\]]*\]\(([^)\s]+)", markdown)


def test_every_image_the_guide_shows_exists():
    shown = images_shown(GUIDE.read_text(encoding="utf-8"))
    assert shown, "the guide shows no image: has images_shown stopped finding them?"
    missing = [path for path in shown if not (GUIDE.parent / path).is_file()]
    assert not missing, f"content/README.md shows images that are not there: {missing}"


def test_the_script_takes_exactly_the_screenshots_the_guide_shows(script):
    shown = [
        path.removeprefix("guide-screenshots/")
        for path in images_shown(GUIDE.read_text(encoding="utf-8"))
        if path.startswith("guide-screenshots/")
    ]
    assert shown == list(script.SHOTS), (
        "content/README.md and scripts/guide_screenshots.py (SHOTS) name"
        " different screenshots, or in another order"
    )
    assert script.FOLDER == SCREENSHOTS
    left_over = sorted({p.name for p in SCREENSHOTS.iterdir()} - set(shown))
    assert not left_over, (
        f"content/guide-screenshots/ holds pictures no one shows: {left_over}"
    )


def test_the_screenshots_are_the_size_the_script_takes_them(script):
    size = (
        round(script.VIEWPORT["width"] * script.SCALE),
        round(script.VIEWPORT["height"] * script.SCALE),
    )
    for name in script.SHOTS:
        with Image.open(SCREENSHOTS / name) as picture:
            assert picture.format == "PNG", name
            assert picture.size == size, (
                f"{name} is {picture.size}, the script takes {size}: run"
                " scripts/guide_screenshots.py (plugins/editing_ui/README.md)"
            )
