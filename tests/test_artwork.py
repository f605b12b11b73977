"""Podcast artwork: any source image becomes a square RGB JPEG of 1400-3000
pixels, or the build says why it cannot."""

from __future__ import annotations

import datetime
import io
import logging
import os
import re

import pytest
from artwork import images, pictures
from PIL import Image

from tests.podcast import NS, channel, item_by_guid, local_file
from tests.stories import assert_absent, write_story
from tests.support import LEAN, build_site, copy_content

NOW = datetime.datetime(2024, 1, 1, 12, 0)


def _save(path, mode, size, colour, **options):
    Image.new(mode, size, colour).save(path, **options)
    return path


def _art(path, background="#ffffff") -> Image.Image:
    return Image.open(io.BytesIO(images.podcast_art(str(path), background)))


def test_cmyk_non_square_becomes_a_square_rgb_jpeg(tmp_path):
    source = _save(tmp_path / "print.jpg", "CMYK", (2400, 1800), (0, 255, 255, 0))
    art = _art(source)
    assert (art.format, art.mode, art.size) == ("JPEG", "RGB", (1800, 1800))
    red, green, blue = art.getpixel((900, 900))
    assert red > 200 and green < 60 and blue < 60  # the CMYK red stays red


def test_transparency_is_laid_on_the_background_colour(tmp_path):
    image = Image.new("RGBA", (1600, 1600), (0, 0, 0, 0))
    image.paste((30, 60, 200, 255), (400, 400, 1200, 1200))
    image.save(tmp_path / "logo.png")
    art = _art(tmp_path / "logo.png", background="#fbf8f3")
    assert art.mode == "RGB"
    assert _close(art.getpixel((10, 10)), (0xFB, 0xF8, 0xF3))
    assert _close(art.getpixel((800, 800)), (30, 60, 200))


def test_palette_and_grey_images_become_rgb(tmp_path):
    gif = Image.new("P", (1500, 1500), 1)
    gif.info["transparency"] = 0
    gif.save(tmp_path / "anim.gif", transparency=0)
    _save(tmp_path / "grey.png", "I;16", (1500, 1500), 30000)
    for name in ("anim.gif", "grey.png"):
        art = _art(tmp_path / name)
        assert art.mode == "RGB" and art.size == (1500, 1500)


def test_large_images_are_scaled_to_3000(tmp_path):
    source = _save(tmp_path / "huge.png", "RGB", (4000, 5000), (10, 20, 30))
    assert _art(source).size == (3000, 3000)


def test_small_and_broken_images_are_clear_errors(tmp_path):
    small = _save(tmp_path / "small.jpg", "RGB", (1000, 1200), (1, 2, 3))
    with pytest.raises(images.ArtworkError) as caught:
        images.podcast_art(str(small), "#ffffff")
    assert caught.value.problem == (
        "'small.jpg' is 1000x1200 pixels; podcast apps need at least 1400x1400"
    )
    assert "at least 1400 pixels on its shorter side" in caught.value.fix
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not an image at all")
    with pytest.raises(images.ArtworkError, match=r"'broken\.jpg' is not an image"):
        images.podcast_art(str(broken), "#ffffff")


def test_the_drawn_show_cover(sample_site):
    url = channel(sample_site).find("itunes:image", NS).get("href")
    with Image.open(local_file(sample_site, url)) as cover:
        assert cover.size == (3000, 3000) and cover.mode == "RGB"
        colours = cover.convert("RGB").getcolors(3000 * 3000)
        assert len(colours) > 50  # text and shapes, not a blank square


@pytest.fixture
def content(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "one-story", id="oss-2021-0001")
    return content


def _cover_url(output):
    return channel(output).find("itunes:image", NS).get("href")


def test_an_editors_cover_is_made_fit_and_renamed_when_it_changes(content, tmp_path):
    (content / "images").mkdir()
    _save(content / "images" / "cover.jpg", "CMYK", (2000, 1600), (200, 0, 0, 0))
    cache = tmp_path / "cache"
    first = build_site(
        content, tmp_path / "one", cache_dir=cache, STORY_NOW=NOW,
        ARTWORK_SHOW_COVER="images/cover.jpg", **LEAN,
    )  # fmt: skip
    url = _cover_url(first)
    with Image.open(local_file(first, url)) as cover:
        assert (cover.format, cover.mode, cover.size) == ("JPEG", "RGB", (1600, 1600))
    made = sorted(p.name for p in (cache / "artwork").iterdir())

    again = build_site(
        content, tmp_path / "two", cache_dir=cache, STORY_NOW=NOW,
        ARTWORK_SHOW_COVER="images/cover.jpg", **LEAN,
    )  # fmt: skip
    assert _cover_url(again) == url
    assert sorted(p.name for p in (cache / "artwork").iterdir()) == made  # cached

    _save(content / "images" / "cover.jpg", "CMYK", (2000, 1600), (0, 200, 0, 0))
    changed = build_site(
        content, tmp_path / "three", cache_dir=cache, STORY_NOW=NOW,
        ARTWORK_SHOW_COVER="images/cover.jpg", **LEAN,
    )  # fmt: skip
    assert _cover_url(changed) != url


def test_a_cover_that_cannot_be_used_stops_the_build(content, tmp_path):
    (content / "images").mkdir()
    _save(content / "images" / "cover.png", "RGB", (800, 800), (1, 2, 3))
    with pytest.raises(images.ArtworkError) as caught:
        build_site(
            content, tmp_path / "out", STORY_NOW=NOW,
            ARTWORK_SHOW_COVER="images/cover.png", **LEAN,
        )  # fmt: skip
    message = str(caught.value)
    assert "ARTWORK_SHOW_COVER: 'cover.png' is 800x800 pixels" in message
    with pytest.raises(images.ArtworkError, match=r"'images/nope\.jpg' cannot be read"):
        build_site(
            content, tmp_path / "out2", STORY_NOW=NOW,
            ARTWORK_SHOW_COVER="images/nope.jpg", **LEAN,
        )  # fmt: skip


def _story_with_image(content, slug, size, **overrides):
    folder = write_story(
        content, slug, image="portrait.png", image_alt="Two people talking",
        **overrides,
    )  # fmt: skip
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste((180, 50, 30, 255), (0, 0, size[0] // 2, size[1]))
    image.save(folder / "portrait.png")
    return folder


def test_story_art_becomes_the_episodes_itunes_image(content, tmp_path):
    _story_with_image(content, "with-art", (2000, 1500), id="oss-2021-0002")
    _story_with_image(
        content, "secret-art", (2000, 1500), id="oss-2021-0003", status="draft"
    )
    output = build_site(content, tmp_path / "out", STORY_NOW=NOW)
    item = item_by_guid(output, "oss-2021-0002")
    url = item.find("itunes:image", NS).get("href")
    assert "/stories/with-art/podcast-art-" in url and url.endswith(".jpg")
    with Image.open(local_file(output, url)) as art:
        assert (art.format, art.mode, art.size) == ("JPEG", "RGB", (1500, 1500))
    assert item_by_guid(output, "oss-2021-0001").find("itunes:image", NS) is None
    assert_absent(output, "secret-art", "oss-2021-0003")


def test_story_art_too_small_is_a_warning_and_the_episode_keeps_the_cover(
    content, tmp_path, caplog
):
    _story_with_image(content, "tiny-art", (900, 600), id="oss-2021-0002")
    with caplog.at_level(logging.WARNING):
        output = build_site(content, tmp_path / "out", STORY_NOW=NOW, **LEAN)
    item = item_by_guid(output, "oss-2021-0002")
    assert item.find("itunes:image", NS) is None
    assert (output / "stories" / "tiny-art" / "index.html").is_file()
    assert re.search(
        r"content/stories/tiny-art/story\.md:\d+: image: 'portrait\.png' is 900x600 "
        r"pixels; podcast apps need at least 1400x1400, so podcast apps show the "
        r"show's cover for this episode - use an image",
        caplog.text,
    )


RED, GREEN, BLUE = (200, 0, 0), (0, 160, 0), (0, 0, 200)


def _banded(path, side=1600):
    """A square: red top quarter, green middle half, blue bottom quarter."""
    image = Image.new("RGB", (side, side), GREEN)
    image.paste(RED, (0, 0, side, side // 4))
    image.paste(BLUE, (0, 3 * side // 4, side, side))
    image.save(path)


def _web_pictures(output, slug) -> dict[str, tuple[str, tuple[int, int]]]:
    """The story's web pictures: name -> (format, size)."""
    found = {}
    for path in (output / "stories" / slug).glob("podcast-art-*-*.*"):
        with Image.open(path) as image:
            found[path.name] = (image.format, image.size)
    return found


def test_story_pictures_are_cut_to_each_shape_as_webp_and_jpeg(content, tmp_path):
    """The 2:1 cut is the square's centre band (what a 2:1 box with
    object-fit: cover shows of it); each cut as WebP 400 and 800 wide."""
    folder = write_story(
        content, "banded", id="oss-2021-0002", image="bands.png", image_alt="Bands"
    )
    _banded(folder / "bands.png")
    output = build_site(content, tmp_path / "out", STORY_NOW=NOW, **LEAN)
    made = _web_pictures(output, "banded")
    webp = [("WEBP", size) for size in ((400, 200), (800, 400), (400, 400), (800, 800))]
    # JPEG for browsers without WebP: 2:1 in one size, and the squares.
    jpeg = [("JPEG", size) for size in ((800, 400), (400, 400), (800, 800))]
    assert sorted(made.values()) == sorted(webp + jpeg)
    for name, (_, (width, height)) in made.items():
        with Image.open(output / "stories/banded" / name) as image:
            rgb = image.convert("RGB")
            edge = max(2, height // 25)  # past the resampling's blur

            def at(y, rgb=rgb, width=width):
                return rgb.getpixel((width // 2, y))

            if width == height:  # the square, whole
                assert _close(at(edge), RED, 12), name
                assert _close(at(height - 1 - edge), BLUE, 12), name
            else:  # the centre band: no red or blue at its edges
                assert _close(at(edge), GREEN, 12), name
                assert _close(at(height - 1 - edge), GREEN, 12), name
            assert _close(at(height // 2), GREEN, 12), name


def test_story_pictures_are_cached_by_content_and_named_by_their_code(
    content, tmp_path, monkeypatch
):
    """A rebuild with the source touched (new mtime, same bytes) makes no
    picture again and keeps every name; new picture code renames the web
    pictures but not the podcast art nor the square JPEGs share cards use."""
    folder = write_story(
        content, "banded", id="oss-2021-0002", image="bands.png", image_alt="Bands"
    )
    _banded(folder / "bands.png")
    cache = tmp_path / "cache"

    def build(name):
        output = build_site(
            content, tmp_path / name, cache_dir=cache, STORY_NOW=NOW, **LEAN
        )
        art = item_by_guid(output, "oss-2021-0002").find("itunes:image", NS)
        return output, art.get("href"), set(_web_pictures(output, "banded"))

    first, art_url, names = build("one")
    cached = sorted(p.name for p in (cache / "artwork").iterdir())
    os.utime(folder / "bands.png", (1e9, 1e9))
    _, again_url, again_names = build("two")
    assert (again_url, again_names) == (art_url, names)
    assert sorted(p.name for p in (cache / "artwork").iterdir()) == cached

    monkeypatch.setattr(pictures, "making_code", lambda: "other picture code")
    _, new_code_url, new_code_names = build("three")
    assert new_code_url == art_url  # podcast apps fetch no art again
    kept = {n for n in names if n.endswith(".jpg") and _square(first, n)}
    assert len(kept) == 2 and kept <= new_code_names
    assert len(new_code_names - names) == len(names) - 2 == 5


def _square(output, name) -> bool:
    with Image.open(output / "stories/banded" / name) as image:
        return image.width == image.height


def _close(pixel, expected, tolerance=6):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))
