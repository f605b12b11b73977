"""Podcast artwork: any source image becomes a square RGB JPEG of 1400-3000
pixels, or the build says why it cannot."""

from __future__ import annotations

import datetime
import io
import logging
import re

import pytest
from artwork import images
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


def _close(pixel, expected, tolerance=6):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))
