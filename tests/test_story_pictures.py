"""Stories show their faces: the story's ``image`` on its header, its cards
(with the alt text), its share card and its embed; stories without one get
the drawn fallback. The sample pictures are the ones scripts/sample_art.py
draws (nothing fetched, no stock photos)."""

from __future__ import annotations

import dataclasses
import html
import io
import re
import sys

import yaml
from PIL import Image

from plugins.story_embeds.share_image import PICTURE_SIZE, ShareCard, draw
from tests.support import CONTENT, PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
import sample_art


def _front_matter(slug: str) -> dict:
    text = (CONTENT / "stories" / slug / "story.md").read_text()
    return yaml.safe_load(text.split("---")[1])


def _published(sample_site) -> list[str]:
    return sorted(p.parent.name for p in (sample_site / "stories").glob("*/index.html"))


def _img_alts(page: str, css_class: str) -> list[tuple[str, str]]:
    """(src, alt) of every <img> with ``css_class`` in ``page``."""
    found = []
    for tag in re.findall(r"<img\b[^>]*>", page, re.S):
        if re.search(rf'class="[^"]*\b{css_class}\b', tag):
            src = re.search(r'\ssrc="([^"]+)"', tag).group(1)
            alt = html.unescape(re.search(r'\salt="([^"]*)"', tag).group(1))
            found.append((src, alt))
    return found


def test_pictures_on_header_cards_and_embed(sample_site):
    slugs = _published(sample_site)
    listing = (sample_site / "stories" / "index.html").read_text()
    with_picture = without = 0
    for slug in slugs:
        meta = _front_matter(slug)
        page = (sample_site / "stories" / slug / "index.html").read_text()
        embed = (sample_site / "stories" / slug / "embed" / "index.html").read_text()
        if meta.get("image"):
            with_picture += 1
            alt = meta["image_alt"]
            [(src, shown_alt)] = _img_alts(page, "picture--header")
            assert shown_alt == alt
            file = (sample_site / "stories" / slug / src).resolve()
            with Image.open(file) as image:
                assert image.width == image.height >= 400
            assert ("picture--embed" in embed) and alt in html.unescape(embed)
            cards = [a for s, a in _img_alts(listing, "picture--card") if slug in s]
            assert cards == [alt], slug
        else:
            without += 1
            assert "picture picture--drawn picture--header" in page
            initials = re.search(
                r'picture--header" aria-hidden="true">(.*?)</div>', page, re.S
            ).group(1)
            names = [p["name"] for p in meta["participants"]]
            expected = [n.split()[0][0] + n.split()[-1][0] for n in names]
            assert re.findall(r">(\w+)</span>", initials) == expected
    assert with_picture >= 3 and without >= 1, "the samples show both"


def test_share_card_shows_the_picture(tmp_path):
    picture = tmp_path / "square.jpg"
    Image.new("RGB", (400, 400), (0, 200, 0)).save(picture)
    card = ShareCard("A title", ("Ada Lopez", "Ben Carter"), "Colleagues", "OSS", "SC")
    pictured = dataclasses.replace(card, picture=str(picture))
    with_picture, without = draw(pictured), draw(card)
    # The middle of the picture's square, top right: green only with it.
    x, y = 1200 - 72 - PICTURE_SIZE // 2, 72 + PICTURE_SIZE // 2
    assert with_picture.getpixel((x, y))[1] > 180
    assert without.getpixel((x, y))[1] < 120
    assert card.key != pictured.key


def test_sample_pictures_are_the_scripts_drawings():
    """Committed sample pictures are exactly what the script draws today."""
    checked = 0
    for dialogue in sorted(
        (PROJECT_ROOT / "scripts" / "sample_dialogues").glob("*.yml")
    ):
        spec = yaml.safe_load(dialogue.read_text())
        if not spec.get("picture"):
            continue
        committed = (CONTENT / "stories" / dialogue.stem / "picture.jpg").read_bytes()
        assert committed == sample_art.story_picture(spec["picture"]), dialogue.stem
        with Image.open(io.BytesIO(committed)) as image:
            assert image.size == (1400, 1400)  # square, enough for podcast art
        meta = _front_matter(dialogue.stem)
        assert meta["image"] == "picture.jpg"
        assert meta["image_alt"] == spec["picture"]["alt"]
        checked += 1
    assert checked >= 3
