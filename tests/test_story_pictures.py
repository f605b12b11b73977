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
import urllib.parse
from html.parser import HTMLParser

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


# The shape each variant is drawn in (site.css), by <source media> (the
# header is square from 56rem): its WebP files are cut to it.
SHAPES = {
    "card": {None: (2, 1)},
    "header": {None: (2, 1), "(min-width: 56rem)": (1, 1)},
    "embed": {None: (1, 1)},
}
# The <img>'s JPEG, for browsers without WebP: of the shape drawn, or square
# where the header is drawn in two (object-fit: cover crops it the same).
FALLBACK = {"card": (2, 1), "header": (1, 1), "embed": (1, 1)}


def _srcset(value: str) -> list[tuple[str, int]]:
    candidates = []
    for candidate in value.split(","):
        url, width = candidate.split()
        assert width.endswith("w"), candidate
        candidates.append((url, int(width[:-1])))
    return candidates


def _file(site, page, url: str):
    """The output file a page's picture URL names."""
    relative = page.relative_to(site).as_posix()
    path = urllib.parse.urlsplit(urllib.parse.urljoin(f"http://x/{relative}", url))
    return site / urllib.parse.unquote(path.path).lstrip("/")


class _Pictures(HTMLParser):
    """Each story picture's <img> attributes, with the <picture> around it
    (its attributes, None without one) and that <picture>'s <source>s."""

    def __init__(self):
        super().__init__()
        self.found, self.picture, self.sources = [], None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "picture":
            self.picture, self.sources = attrs, []
        elif tag == "source" and self.picture is not None:
            self.sources.append(attrs)
        elif tag == "img" and "picture--" in attrs.get("class", ""):
            self.found.append((attrs, self.picture, list(self.sources)))

    def handle_endtag(self, tag):
        if tag == "picture":
            self.picture, self.sources = None, []


def test_every_srcset_names_files_of_the_format_and_size_claimed(sample_site):
    """Every story picture on every page: a WebP <source> for each shape the
    variant is drawn in, every file of its srcset there, a WebP as wide as
    its w descriptor, of the shape its width and height attributes (or the
    <img>'s) give; the <img>'s src a JPEG of exactly its width and height."""
    seen = {variant: 0 for variant in SHAPES}
    for page in sorted(sample_site.rglob("*.html")):
        parser = _Pictures()
        parser.feed(page.read_text())
        for img, picture, sources in parser.found:
            variant = re.search(r"picture--(\w+)", img["class"]).group(1)
            assert picture is not None and "picture-frame" in picture["class"], page
            assert [s.get("media") for s in sources] == sorted(
                SHAPES[variant], key=lambda media: media is None
            ), page  # the media query first: the first match is taken
            for source in sources:
                assert source["type"] == "image/webp", page
                across, down = SHAPES[variant][source.get("media")]
                width = int(source.get("width") or img["width"])
                height = int(source.get("height") or img["height"])
                assert width * down == height * across, (page, source)
                candidates = _srcset(source["srcset"])
                assert [w for _, w in candidates] == [400, 800], candidates
                for url, claimed in candidates:
                    with Image.open(_file(sample_site, page, url)) as file:
                        assert file.format == "WEBP", (page, url)
                        assert file.width == claimed, (page, url)
                        assert file.width * down == file.height * across, url
            assert "srcset" not in img, page  # one JPEG, sharp on any screen
            with Image.open(_file(sample_site, page, img["src"])) as file:
                assert file.format == "JPEG", (page, img["src"])
                assert file.size == (int(img["width"]), int(img["height"]))
                across, down = FALLBACK[variant]
                assert file.width * down == file.height * across, img["src"]
            assert img["alt"] and img["decoding"] == "async"
            assert (img.get("loading") == "lazy") == (variant != "header")
            seen[variant] += 1
    assert all(seen.values()), seen  # home, listings, story pages, embeds


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
