"""Funder credits: the data file, logos normalized by Pillow, page and strip.

Logos are generated here in the formats editors are likely to bring: PNG with
transparency, a print-shop CMYK JPEG, SVG, a huge photo-sized image, a
palette GIF, 16-bit greyscale, tiny and very wide ones, and broken files."""

from __future__ import annotations

import io
import logging
import os
import pathlib
import shutil
import urllib.parse

import lxml.html
import pytest
import yaml
from PIL import Image, ImageDraw

from portal.problems import StoryContentError
from tests.support import LEAN, build_site, built_once, copy_content

HEIGHT = 120  # FUNDERS_LOGO_HEIGHT's default
MAX_WIDTH = 600  # FUNDERS_LOGO_MAX_WIDTH's default
# CSS pixel heights the theme shows logos at: the footer strip, the page.
SHOWN = {"strip": 40, "page": 60}
SVG = b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="300" height="100" viewBox="0 0 300 100">
  <script>alert("never runs")</script>
  <image x="0" y="0" width="10" height="10" xlink:href="https://tracker.invalid/x.png"/>
  <image x="0" y="0" width="10" height="10" xlink:href="file:///etc/passwd"/>
  <rect x="0" y="0" width="300" height="100" rx="12" fill="#1f4e79"/>
  <circle cx="150" cy="50" r="30" fill="#f2b441"/>
</svg>
"""


def page_html(output: pathlib.Path, name: str):
    return lxml.html.fromstring((output / name).read_bytes())


def write_logos(folder: pathlib.Path) -> dict[str, str]:
    """Logo files of many kinds; returns funder name -> logo path."""
    folder.mkdir(parents=True, exist_ok=True)
    logos = {}

    # PNG with alpha: a disc in wide transparent margins (to be trimmed).
    image = Image.new("RGBA", (800, 600), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((200, 100, 600, 500), fill=(180, 50, 31, 255))
    image.save(folder / "alpha.png")
    logos["Alpha Foundation"] = "funders/alpha.png"

    # CMYK JPEG as print shops send them: white paper, a pure cyan bar, with
    # an ICC profile that says how to show it on screen.
    image = Image.new("CMYK", (900, 500), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((150, 150, 749, 349), fill=(255, 0, 0, 0))
    image.save(folder / "print.jpg", "JPEG", quality=95)
    logos["Print Trust"] = "funders/print.jpg"

    # SVG with a script and external references, which must come to nothing.
    (folder / "vector.svg").write_bytes(SVG)
    logos["Vector Fund"] = "funders/vector.svg"

    # A huge image straight from a camera or a design tool (48 megapixels).
    image = Image.new("RGB", (12000, 4000), (255, 255, 255))
    ImageDraw.Draw(image).rectangle((1000, 500, 10999, 3499), fill=(31, 78, 121))
    image.save(folder / "huge.jpg", "JPEG", quality=80)
    logos["Huge Corporation"] = "funders/huge.jpg"

    # A palette GIF with a transparent colour.
    image = Image.new("P", (300, 150), 0)
    image.putpalette([255, 255, 255, 200, 30, 30] + [0] * 762)
    ImageDraw.Draw(image).rectangle((50, 25, 249, 124), fill=1)
    image.save(folder / "palette.gif", transparency=0)
    logos["Palette Society"] = "funders/palette.gif"

    # 16-bit greyscale PNG.
    image = Image.new("I;16", (400, 200), 65535)
    ImageDraw.Draw(image).rectangle((100, 50, 299, 149), fill=8000)
    image.save(folder / "deep.png")
    logos["Deep Grey Institute"] = "funders/deep.png"

    # A very wide wordmark: capped at the maximum width.
    image = Image.new("RGBA", (4200, 300), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((100, 50, 4099, 249), fill=(0, 0, 0, 255))
    image.save(folder / "wide.png")
    logos["Wide Wordmark Co"] = "funders/wide.png"

    # A tiny logo: scaled up, with a warning that it will look blurry.
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    image.save(folder / "tiny.png")
    logos["Tiny Fund"] = "funders/tiny.png"
    return logos


@pytest.fixture(scope="module")
def logo_site(request):
    """A site whose funders all have logos of different kinds."""

    def build(base):
        content = copy_content(base / "content")
        logos = write_logos(content / "data" / "funders")
        funders = [
            {"name": name, "url": f"https://example.org/{index}", "logo": logo}
            for index, (name, logo) in enumerate(logos.items())
        ]
        funders.append({"name": "Names Only Foundation"})
        funders_yml = content / "data" / "funders.yml"
        funders_yml.write_text(yaml.safe_dump({"funders": funders}))
        output = build_site(content, base / "output", cache_dir=base / "cache")
        return output, logos

    return built_once(request, build)


def srcset(value: str) -> dict[str, str]:
    """A srcset attribute: density descriptor ("1x") -> URL."""
    candidates = [candidate.split() for candidate in value.split(",")]
    return {descriptor: url for url, descriptor in candidates}


def credits(output: pathlib.Path, page: str, selector: str) -> dict[str, dict]:
    """Funder credits in ``selector`` of a page: name -> what is shown.

    A logo's "png" and "webp" are srcset's, by density ("1x", "2x")."""
    tree = page_html(output, page)
    shown = {}
    for item in tree.xpath(selector + "//li[contains(@class, 'funder')]"):
        image = item.xpath(".//img")
        if image:
            image = image[0]
            sources = image.xpath("ancestor::picture[1]//source")
            shown[image.get("alt")] = {
                "src": image.get("src"),
                "png": srcset(image.get("srcset")),
                "webp": srcset(sources[0].get("srcset")),
                "webp_type": sources[0].get("type"),
                "width": int(image.get("width")),
                "height": int(image.get("height")),
                "link": item.xpath(".//a/@href"),
            }
        else:
            name = item.xpath("string(.//*[@class='funder__name'])").strip()
            shown[name] = {"link": item.xpath(".//a/@href")}
    return shown


def open_output(output: pathlib.Path, page: str, url: str) -> Image.Image:
    # Pages use relative URLs: resolve from the page's folder.
    path = (output / page).parent / url
    return Image.open(path.resolve())


def test_every_logo_is_normalized_to_one_height_as_webp_and_png(logo_site):
    output, logos = logo_site
    shown = credits(output, "funders/index.html", "//main")
    assert set(shown) == {*logos, "Names Only Foundation"}
    for name in logos:
        credit = shown[name]
        assert credit["webp_type"] == "image/webp"
        # The funders page's 2x files (60 CSS pixels high) are the logo as
        # normalized: FUNDERS_LOGO_HEIGHT high.
        webp = open_output(output, "funders/index.html", credit["webp"]["2x"])
        png = open_output(output, "funders/index.html", credit["png"]["2x"])
        assert webp.format == "WEBP" and png.format == "PNG"
        assert webp.size == png.size, name
        assert png.mode in {"RGB", "RGBA"}, (name, png.mode)
        width, height = png.size
        if name == "Wide Wordmark Co":
            assert (width, height) == (MAX_WIDTH, 30)
        else:
            assert height == HEIGHT, name
            assert width <= MAX_WIDTH
        # Shown 60 CSS pixels high on the funders page (the same factor for
        # every logo): its width and height attributes reserve that space.
        assert credit["height"] == round(height / 2), name
        assert abs(credit["width"] - width / 2) <= 1, name


def test_margins_are_trimmed_and_colours_converted(logo_site):
    output, _ = logo_site
    shown = credits(output, "funders/index.html", "//main")

    def png(name):  # the normalized logo: the page's 2x file
        return open_output(output, "funders/index.html", shown[name]["png"]["2x"])

    disc = png("Alpha Foundation")
    assert disc.mode == "RGBA"  # transparency kept
    assert disc.size == (HEIGHT, HEIGHT)  # the 400px disc, margins cut away
    assert disc.getpixel((0, 0))[3] == 0  # outside the disc: transparent
    assert disc.getpixel((60, 60)) == (180, 50, 31, 255)

    cyan = png("Print Trust")
    assert cyan.mode == "RGB"  # opaque: no alpha channel wasted
    assert cyan.size == (360, HEIGHT)  # the 600 x 200 bar, paper trimmed
    red, green, blue = cyan.getpixel((180, 60))
    assert red < 40 and green > 150 and blue > 200  # cyan on screen, not print

    vector = png("Vector Fund")
    assert vector.size == (360, HEIGHT)  # 300 x 100 drawn at 120 high
    assert vector.mode == "RGBA"  # rounded corners are transparent
    assert vector.getpixel((180, 60))[:3] == (242, 180, 65)

    huge = png("Huge Corporation")
    # The 10000 x 3000 block, margins cut (decoded at 1/8 scale: +-1 pixel).
    assert huge.height == HEIGHT and abs(huge.width - 400) <= 2
    assert huge.getpixel((180, 60)) == pytest.approx((31, 78, 121), abs=4)

    palette = png("Palette Society")
    # Its transparent colour was only around the block: trimmed, then opaque.
    assert palette.mode == "RGB" and palette.size == (240, HEIGHT)
    deep = png("Deep Grey Institute")
    assert deep.size == (240, HEIGHT)
    assert deep.getpixel((120, 60))[0] == pytest.approx(8000 // 256, abs=2)


def test_svg_scripts_and_external_references_never_reach_the_site(logo_site):
    output, _ = logo_site
    for path in output.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"never runs" not in data, path
            assert b"tracker.invalid" not in data, path
            # Logos are drawn as PNG; the only SVG is the theme's own icon.
            if path.name.endswith(".svg"):
                assert path.relative_to(output).parts[0] == "theme", path


def test_strip_and_page_credit_the_same_funders_with_alt_text(logo_site):
    output, logos = logo_site
    strip = credits(output, "index.html", "//footer")
    page = credits(output, "funders/index.html", "//main")
    # The same logo, each page linking its files relative to itself; logos
    # are 40 pixels high in the strip and 60 on the page, each place with
    # files of its own sizes (named <funder>-<digest>-<height>).
    for shown in (strip, page):
        for credit in shown.values():
            if "src" in credit:
                files = [credit.pop("src")]
                files += [*credit.pop("png").values(), *credit.pop("webp").values()]
                credit["logo"] = {file_name(url).rsplit("-", 1)[0] for url in files}
    for name in logos:
        assert strip[name].pop("height") * 3 == page[name].pop("height") * 2
        assert abs(strip[name].pop("width") * 3 - page[name].pop("width") * 2) <= 3
    assert strip == page
    names_only = strip["Names Only Foundation"]
    assert names_only["link"] == []  # no url: credited, not linked
    for name in logos:
        assert strip[name]["link"] == [f"https://example.org/{list(logos).index(name)}"]


def file_name(url: str) -> str:
    return url.rsplit("/", 1)[-1]


@pytest.mark.parametrize(
    ("page", "scope", "where"),
    [("index.html", "//footer", "strip"), ("funders/index.html", "//main", "page")],
)
def test_each_place_offers_logo_files_sized_for_1x_and_2x_screens(
    logo_site, page, scope, where
):
    """A 1x screen is offered a file the size the logo is shown, a 2x screen
    one twice that; never the 120-pixel file for a 40-pixel strip."""
    output, logos = logo_site
    shown = credits(output, page, scope)
    for name in logos:
        credit = shown[name]
        assert list(credit["webp"]) == list(credit["png"]) == ["1x", "2x"], name
        assert credit["src"] == credit["png"]["1x"]  # without srcset: the 1x PNG
        if name != "Wide Wordmark Co":  # capped: as wide as the others may be
            assert credit["height"] == SHOWN[where], name
        css_size = (credit["width"], credit["height"])
        for density, factor in (("1x", 1), ("2x", 2)):
            webp = open_output(output, page, credit["webp"][density])
            png = open_output(output, page, credit["png"][density])
            assert (webp.format, png.format) == ("WEBP", "PNG")
            assert webp.size == png.size, (name, density)
            assert png.height <= factor * SHOWN[where], (name, density, png.size)
            expected = (factor * css_size[0], factor * css_size[1])
            if factor == 1:  # the width and height attributes exactly
                assert png.size == css_size, (name, png.size)
            else:  # each size rounded on its own: a pixel either way
                assert png.size == pytest.approx(expected, abs=1), (name, png.size)


def test_a_lower_logo_height_caps_the_files_and_says_their_density(tmp_path):
    """FUNDERS_LOGO_HEIGHT 60: no file is drawn higher, so the strip's sharp
    file is 1.5x and the funders page has its 60-pixel file only."""
    content = copy_content(tmp_path / "content")
    write_logos(content / "data" / "funders")
    (content / "data" / "funders.yml").write_text(
        yaml.safe_dump({"funders": [{"name": "Pal", "logo": "funders/palette.gif"}]})
    )
    output = build_site(content, tmp_path / "out", FUNDERS_LOGO_HEIGHT=60, **LEAN)
    strip = credits(output, "index.html", "//footer")["Pal"]
    page = credits(output, "funders/index.html", "//main")["Pal"]
    assert list(strip["webp"]) == ["1x", "1.5x"]
    assert list(page["webp"]) == ["1x"]
    assert file_name(strip["webp"]["1.5x"]) == file_name(page["webp"]["1x"])
    # The 200 x 100 block, shown 40 pixels high as before.
    assert (strip["width"], strip["height"]) == (80, 40)
    sizes = {
        density: open_output(output, "index.html", url).size
        for density, url in strip["png"].items()
    }
    assert sizes == {"1x": (80, 40), "1.5x": (120, 60)}


@pytest.mark.parametrize("density", [1, 2])
def test_a_screen_loads_the_footer_logo_files_for_its_density(
    browser, logo_site, density
):
    """Chromium at device scale 1 loads files as many pixels high as the
    logo is shown, at 2 files twice as high; and fetches no other size."""
    from portal import devserver

    output, logos = logo_site
    context = browser.new_context(
        device_scale_factor=density, viewport={"width": 1366, "height": 800}
    )
    fetched, loaded = [], []
    try:
        page = context.new_page()
        page.on("request", lambda request: fetched.append(file_name(request.url)))
        with devserver.running(output) as url:
            page.goto(f"{url}/")
            images = page.locator("footer li.funder img")
            assert images.count() == len(logos)
            for index in range(images.count()):
                image = images.nth(index)
                image.scroll_into_view_if_needed()
                image.evaluate("i => i.decode()")  # loading=lazy: wait until drawn
                current = urllib.parse.urlsplit(image.evaluate("i => i.currentSrc"))
                assert current.path.endswith(".webp"), current
                loaded.append(file_name(current.path))
                with Image.open(output / current.path.lstrip("/")) as file:
                    shown = int(image.get_attribute("height"))
                    assert file.height == pytest.approx(density * shown, abs=1)
    finally:
        context.close()
    assert {name for name in fetched if name.endswith((".webp", ".png"))} == set(loaded)


def test_logos_are_cached_by_their_input(tmp_path, caplog):
    content = copy_content(tmp_path / "content")
    write_logos(content / "data" / "funders")
    logo = content / "data" / "funders" / "alpha.png"
    (content / "data" / "funders.yml").write_text(
        yaml.safe_dump({"funders": [{"name": "Alpha", "logo": "funders/alpha.png"}]})
    )
    cache = tmp_path / "cache"
    caplog.set_level(logging.INFO, logger="plugins.funders.plugin")
    caplog.set_level(logging.INFO, logger="funders.plugin")

    def build(name):
        caplog.clear()
        out = build_site(content, tmp_path / name, cache_dir=cache, **LEAN)
        messages = [
            r.getMessage() for r in caplog.records if "logos:" in r.getMessage()
        ]
        return out, messages

    first, messages = build("one")
    assert messages == ["[funders] logos: 1 made, 0 unchanged (from the cache)"]
    second, messages = build("two")
    assert messages == ["[funders] logos: 0 made, 1 unchanged (from the cache)"]
    assert sorted(p.name for p in (second / "funders" / "logos").iterdir()) == sorted(
        p.name for p in (first / "funders" / "logos").iterdir()
    )
    # Touched but unchanged: hashed again, not drawn again.
    logo.touch()
    _, messages = build("three")
    assert messages == ["[funders] logos: 0 made, 1 unchanged (from the cache)"]
    # As a fresh checkout has it (a new file, a new mtime): not drawn again.
    fresh = logo.with_suffix(".fresh")
    shutil.copyfile(logo, fresh)
    fresh.replace(logo)
    os.utime(logo, ns=(1, 1))
    _, messages = build("fresh")
    assert messages == ["[funders] logos: 0 made, 1 unchanged (from the cache)"]
    # A new picture under the same name: made again, under a new file name.
    Image.new("RGB", (300, 100), (10, 120, 10)).save(logo)
    fourth, messages = build("four")
    assert messages == ["[funders] logos: 1 made, 0 unchanged (from the cache)"]
    assert not {p.name for p in (fourth / "funders" / "logos").iterdir()} & {
        p.name for p in (first / "funders" / "logos").iterdir()
    }


def test_the_sample_funders_show_logos_and_names_side_by_side(sample_site):
    """Some sample funders have drawn wordmarks, the rest are credited by
    name: every funder appears, in order, each in the form it has."""
    data = yaml.safe_load(
        (pathlib.Path(__file__).parent.parent / "content/data/funders.yml").read_text()
    )
    funders = data["funders"]
    assert len(funders) == 8
    with_logo = [f["name"] for f in funders if f.get("logo")]
    by_name = [f["name"] for f in funders if not f.get("logo")]
    assert with_logo and by_name
    for page in ("index.html", "about/index.html", "funders/index.html"):
        tree = page_html(sample_site, page)
        scope = "//footer" if page != "funders/index.html" else "//main"
        shown = tree.xpath(scope + "//*[@class='funder__name']/text()")
        assert [name.strip() for name in shown] == by_name, page
        alts = tree.xpath(scope + "//li[contains(@class,'funder')]//img/@alt")
        assert alts == with_logo, page
    tree = page_html(sample_site, "funders/index.html")
    links = tree.xpath("//main//a[@class='funder__credit']/@href")
    assert "https://www.rockefellerfoundation.org/" in links
    # The funders page lists them once: its footer does not credit all of
    # them again just below (every other page's footer does).
    assert not tree.xpath("//footer//*[contains(@class,'funder-strip')]")
    assert tree.xpath("//footer//a[text()='Our funders']")


def test_the_sample_wordmarks_are_drawn_by_the_script(tmp_path):
    import scripts.make_sample_logos as logos

    assert logos.main(["--out", str(tmp_path)]) == 0
    drawn = sorted(path.stem for path in tmp_path.glob("*.png"))
    committed = sorted(path.stem for path in logos.FOLDER.glob("*.png"))
    assert drawn == committed == sorted(logos.LOGOS)
    for path in tmp_path.glob("*.png"):
        with Image.open(path) as image:
            assert image.mode == "RGBA" and image.height == logos.HEIGHT
            # Transparent around the drawing, ink in it.
            assert image.getpixel((0, 0))[3] == 0
            assert image.getbbox() is not None


def test_tiers_group_and_order_funders(tmp_path):
    content = copy_content(tmp_path / "content")
    data = {
        "tiers": [
            {"key": "lead", "title": "Lead support"},
            {"key": "major", "title": "Major support"},
        ],
        "funders": [
            {"name": "Major B", "tier": "major", "order": 2},
            {"name": "Untiered"},
            {"name": "Major A", "tier": "major", "order": 1},
            {"name": "Lead", "tier": "lead"},
            {"name": "Major C", "tier": "major"},
        ],
    }
    (content / "data" / "funders.yml").write_text(yaml.safe_dump(data))
    output = build_site(content, tmp_path / "out", **LEAN)
    tree = page_html(output, "funders/index.html")
    groups = [
        (
            group.xpath("string(.//h2)"),
            [n.strip() for n in group.xpath(".//*[@class='funder__name']/text()")],
        )
        for group in tree.xpath("//section[contains(@class,'funder-group')]")
    ]
    assert groups == [
        ("Lead support", ["Lead"]),
        ("Major support", ["Major A", "Major B", "Major C"]),
        ("With support from", ["Untiered"]),
    ]
    strip = page_html(output, "index.html").xpath(
        "//footer//*[@class='funder__name']/text()"
    )
    assert [n.strip() for n in strip] == [
        "Lead",
        "Major A",
        "Major B",
        "Major C",
        "Untiered",
    ]


BROKEN = [
    ("missing.png", None, "'funders/missing.png' does not exist in content/data/"),
    ("../../pages/about.md", None, "points outside content/data/"),
    ("garbage.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "is not an image we can read"),
    ("cut.png", "truncated", "is damaged or cut short"),
    ("notes.txt", b"hello", "is not an image format we can use"),
    ("bad.svg", b"<svg><rect", "cannot be drawn as SVG"),
    ("blank.png", "blank", "the logo is empty (fully transparent)"),
]


@pytest.mark.parametrize(("logo", "data", "message"), BROKEN)
def test_a_bad_logo_is_reported_and_the_name_shown(
    tmp_path, caplog, logo, data, message
):
    content = copy_content(tmp_path / "content")
    folder = content / "data" / "funders"
    folder.mkdir(exist_ok=True)
    if data == "blank":
        Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(folder / logo)
    elif data == "truncated":
        buffer = io.BytesIO()
        Image.effect_noise((300, 200), 60).save(buffer, "PNG")
        (folder / logo).write_bytes(buffer.getvalue()[: buffer.tell() // 2])
    elif data is not None:
        (folder / logo).write_bytes(data)
    funders_yml = content / "data" / "funders.yml"
    funders_yml.write_text(
        "funders:\n  - name: Good Neighbor Fund\n    logo: funders/" + logo + "\n"
    )
    caplog.set_level(logging.WARNING)
    output = build_site(content, tmp_path / "out", **LEAN)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(
        "content/data/funders.yml:3: funders.0.logo: " in error and message in error
        for error in errors
    ), errors
    names = page_html(output, "funders/index.html").xpath(
        "//main//*[@class='funder__name']/text()"
    )
    assert [name.strip() for name in names] == ["Good Neighbor Fund"]

    with pytest.raises(StoryContentError, match=r"funders\.0\.logo"):
        build_site(content, tmp_path / "strict", STORY_STRICT=True, **LEAN)


def test_a_tiny_logo_is_used_with_a_warning(tmp_path, caplog):
    content = copy_content(tmp_path / "content")
    folder = content / "data" / "funders"
    folder.mkdir(exist_ok=True)
    Image.new("RGB", (40, 20), (200, 30, 30)).save(folder / "tiny.png")
    (content / "data" / "funders.yml").write_text(
        "funders:\n  - name: Tiny\n    logo: funders/tiny.png\n"
    )
    caplog.set_level(logging.WARNING)
    build_site(content, tmp_path / "out", STORY_STRICT=True, **LEAN)  # a warning only
    warnings = [r.getMessage() for r in caplog.records]
    assert any(
        "funders.yml:3: funders.0.logo: 'funders/tiny.png' is only 20 pixels high"
        in message
        for message in warnings
    ), warnings


BROKEN_FILES = [
    (
        "funders:\n  - nam: X\n",
        "funders.yml:2: funders.0.nam: is not a field we know - did you mean 'name'?",
    ),
    (
        "funders:\n  - name: X\n    url: www.x.org\n",
        "funders.yml:3: funders.0.url: 'www.x.org' is not a web address",
    ),
    (
        "funders:\n  - name: X\n    tier: gold\n",
        "funders.yml:3: funders.0.tier: 'gold' is not a tier",
    ),
    (
        "funders:\n  - name: X\n  - name: X\n",
        "funders.yml:1: funders: 'X' is listed twice",
    ),
    ("funders: [\n", "funders.yml:2: file: the YAML cannot be read"),
]


@pytest.mark.parametrize(("text", "message"), BROKEN_FILES)
def test_a_broken_funders_file_names_line_field_and_fix(
    tmp_path, caplog, text, message
):
    content = copy_content(tmp_path / "content")
    (content / "data" / "funders.yml").write_text(text)
    caplog.set_level(logging.ERROR)
    build_site(content, tmp_path / "out", **LEAN)
    errors = "\n".join(r.getMessage() for r in caplog.records)
    assert message in errors
    with pytest.raises(StoryContentError):
        build_site(content, tmp_path / "strict", STORY_STRICT=True, **LEAN)


def test_logo_height_setting_is_checked(tmp_path):
    content = copy_content(tmp_path / "content")
    with pytest.raises(ValueError, match="FUNDERS_LOGO_HEIGHT"):
        build_site(content, tmp_path / "out", FUNDERS_LOGO_HEIGHT="tall", **LEAN)


def test_a_cmyk_logo_with_an_unusable_colour_profile_still_converts(tmp_path):
    """A broken ICC profile is ignored: the plain CMYK conversion is used."""
    from plugins.funders.logos import load_image

    image = Image.new("CMYK", (60, 30), (255, 0, 0, 0))
    path = tmp_path / "broken-profile.jpg"
    image.save(path, "JPEG", icc_profile=b"not really a profile")
    assert Image.open(path).info.get("icc_profile")
    converted = load_image(str(path), HEIGHT)
    assert converted.mode == "RGBA"
    red, green, blue, alpha = converted.getpixel((30, 15))
    assert red < 40 and green > 200 and blue > 200 and alpha == 255


@pytest.mark.parametrize("path", ["funders/", ""])
def test_logos_load_as_webp_and_pages_stay_accessible(page, axe, logo_site, path):
    from portal import devserver

    output, logos = logo_site
    with devserver.running(output) as url:
        page.goto(f"{url}/{path}")
        images = page.locator("li.funder img")
        # The credit strip on every page; on the funders page its own list
        # instead (the footer does not credit them again below it).
        assert images.count() == len(logos)
        for index in range(images.count()):
            image = images.nth(index)
            image.scroll_into_view_if_needed()
            image.evaluate("i => i.decode()")  # loading=lazy: wait until drawn
            assert image.evaluate("i => i.naturalHeight") > 0
            assert image.evaluate("i => i.currentSrc").endswith(".webp")
            # Shown at the theme's height, never stretched out of shape.
            box = image.bounding_box()
            ratio = image.evaluate("i => i.naturalWidth / i.naturalHeight")
            assert box["width"] / box["height"] == pytest.approx(ratio, rel=0.05)
        violations = axe(page)
        assert not violations, axe.format(violations)
