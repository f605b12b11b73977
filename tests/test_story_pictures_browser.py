"""Story pictures in a real browser (Debian's Chromium): on a phone, a card
loads a WebP cut to the card's 2:1 shape instead of the square JPEG it
cropped, and the visitor sees the same crop; the story's header and the
embed likewise get a WebP of the shape they are drawn in, and a browser
without WebP (the <source>s taken away) sees the same crop in the JPEG.

"The same crop" is checked against the markup the site printed before the
cuts: the square JPEGs (still published, for share cards) in a plain <img>
of the same class, drawn by the same CSS (object-fit: cover), screenshot
for screenshot. A crop the CSS would not make (the square's top half) is
compared the same way, to show how far a different crop lands."""

from __future__ import annotations

import io
import re
import urllib.parse

import pytest
from PIL import Image, ImageChops, ImageStat

# A 412-pixel phone at density 2.625 (Lighthouse's and many Android phones'):
# a card is 370x185 CSS pixels, 971 device pixels wide.
PHONE = {"viewport": {"width": 412, "height": 915}, "device_scale_factor": 2.625}
# From 56rem the story's header shows the picture square (site.css).
DESKTOP = {"viewport": {"width": 1024, "height": 800}, "device_scale_factor": 1}
# Mean difference (0-255, over the channels) between the two renderings of
# one crop: WebP against JPEG and sub-pixel resampling, about 2 here. The
# square's top half instead of its centre differs by tens.
SAME_CROP = 6.0
# A browser without WebP takes the <img>'s own src.
WITHOUT_WEBP = (
    "i => { for (const s of i.parentElement.querySelectorAll('source')) s.remove(); }"
)


def _stories_with_pictures(sample_site) -> list[str]:
    return sorted(
        page.parent.name
        for page in (sample_site / "stories").glob("*/index.html")
        if 'class="picture picture--header"' in page.read_text()
        and "picture--drawn picture--header" not in page.read_text()
    )


def _square_jpegs(sample_site, slug: str) -> list[tuple[str, int]]:
    """The story's square JPEGs (what every variant showed before), by width."""
    found = []
    for file in (sample_site / "stories" / slug).glob("podcast-art-*-*.jpg"):
        with Image.open(file) as image:
            if image.width == image.height:
                found.append((file.name, image.width))
    return sorted(found, key=lambda item: item[1])


def _local(sample_site, site_server: str, url: str):
    path = urllib.parse.urlparse(url).path
    assert url.startswith(site_server), url
    return sample_site / urllib.parse.unquote(path).lstrip("/")


def _loaded(page, selector: str, ending: str = "") -> dict:
    """The picture's <img>, scrolled to and loaded (from a file whose name
    ends with ``ending``): its box and file."""
    image = page.locator(selector).first
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "([s, ending]) => { const i = document.querySelector(s); "
        "return i.complete && i.naturalWidth > 0 && i.currentSrc "
        "&& i.currentSrc.endsWith(ending); }",
        arg=[selector, ending],
    )
    page.wait_for_timeout(100)  # decoded and painted
    return page.eval_on_selector(
        selector,
        """i => { const r = i.getBoundingClientRect();
            return {src: i.currentSrc, x: r.x, y: r.y, width: r.width,
                    height: r.height}; }""",
    )


def _same_box(one: dict, other: dict) -> bool:
    return all(
        round(one[k], 2) == round(other[k], 2) for k in ("x", "y", "width", "height")
    )


def _shot(page, box: dict) -> Image.Image:
    clip = {key: box[key] for key in ("x", "y", "width", "height")}
    return Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")


def _difference(one: Image.Image, other: Image.Image) -> float:
    assert one.size == other.size
    return sum(ImageStat.Stat(ImageChops.difference(one, other)).mean) / 3


def _show_square(page, selector, slug, squares, sizes, position) -> None:
    """Put back the markup of before: the square JPEGs in a plain <img>."""
    page.eval_on_selector(
        selector,
        """(i, [folder, files, sizes, position]) => {
            const old = document.createElement('img');
            old.className = i.className;
            old.sizes = sizes;
            old.srcset = files.map(([name, w]) => folder + name + ' ' + w + 'w')
                .join(', ');
            old.src = folder + files[0][0];
            old.width = files[0][1];
            old.height = files[0][1];
            old.alt = i.alt;
            old.style.objectPosition = position;
            (i.closest('picture') || i).replaceWith(old);
        }""",
        [f"/stories/{slug}/", squares, sizes, position],
    )


CASES = {
    # page, selector, screen, the shape the box is drawn in
    "card on a phone": ("/", "img.picture--card", PHONE, 2.0),
    "header on a phone": ("/stories/{slug}/", "img.picture--header", PHONE, 2.0),
    "header on a desktop": ("/stories/{slug}/", "img.picture--header", DESKTOP, 1.0),
    "embed on a phone": ("/stories/{slug}/embed/", "img.picture--embed", PHONE, 1.0),
}


@pytest.mark.parametrize("case", CASES)
def test_pictures_are_webp_of_the_shape_shown_with_the_same_crop(
    case, browser, sample_site, site_server
):
    path, selector, screen, shape = CASES[case]
    slugs = _stories_with_pictures(sample_site)
    assert slugs, "the sample site has no story with a picture"
    context = browser.new_context(**screen)
    try:
        page = context.new_page()
        page.goto(site_server + path.format(slug=slugs[0]))
        box = _loaded(page, selector)
        slug = re.search(r"/stories/([^/]+)/", box["src"]).group(1)
        assert box["width"] / box["height"] == pytest.approx(shape, rel=0.02)

        # The file: a WebP of the box's shape, never more than 800 wide,
        # and as wide as the box's device pixels (up to 800).
        with Image.open(_local(sample_site, site_server, box["src"])) as file:
            assert file.format == "WEBP", box["src"]
            width, height = file.size
        assert width / height == pytest.approx(shape, rel=0.01), box["src"]
        needed = box["width"] * screen["device_scale_factor"]
        assert min(needed, 800) <= width <= 800, (needed, file.size)
        if shape != 1.0:
            assert width * height < 800 * 800 * 0.6  # not the square 800

        now = _shot(page, box)
        sizes = page.eval_on_selector(selector, "i => i.previousElementSibling.sizes")

        # A browser without WebP: the <img>'s JPEG, in the same box.
        page.eval_on_selector(selector, WITHOUT_WEBP)
        jpeg_box = _loaded(page, selector, ".jpg")
        assert _same_box(jpeg_box, box)
        jpeg = _shot(page, jpeg_box)

        squares = _square_jpegs(sample_site, slug)
        assert [w for _, w in squares] == [400, 800], squares
        _show_square(page, selector, slug, squares, sizes, "50% 50%")
        before_box = _loaded(page, selector, ".jpg")
        assert _same_box(before_box, box)  # no layout shift either way
        before = _shot(page, before_box)
        old_file = _local(sample_site, site_server, before_box["src"])
        new_file = _local(sample_site, site_server, box["src"])
        assert new_file.stat().st_size < old_file.stat().st_size / 2  # cheaper
        same = _difference(now, before)
        assert same < SAME_CROP, f"{case}: differs by {same:.1f} from the square"
        fallback = _difference(jpeg, before)
        assert fallback < SAME_CROP, f"{case}: the JPEG differs by {fallback:.1f}"

        if shape != 1.0:  # a crop the CSS does not make is far off
            _show_square(page, selector, slug, squares, sizes, "50% 0%")
            top_half = _shot(page, _loaded(page, selector, ".jpg"))
            assert _difference(now, top_half) > max(3 * same, SAME_CROP)
    finally:
        context.close()
