"""Photo checking and re-encoding (security.md §4.3): pure, no database."""

import io

import pytest
from PIL import Image

from setu.people.photos import MAX_SIDE, THUMB_SIDE, ImageRejectedError, clean_image
from setu.people.tests import images

MAX_PIXELS = 40_000_000


def _exif_of(data: bytes) -> Image.Exif:
    return Image.open(io.BytesIO(data)).getexif()


def test_a_jpeg_with_gps_exif_comes_out_with_no_exif_at_all():
    original = images.jpeg_with_gps()
    assert images.GPS_IFD in _exif_of(original)  # the test image really carries GPS

    cleaned = clean_image(original, max_pixels=MAX_PIXELS)

    assert len(_exif_of(cleaned.data)) == 0
    assert len(_exif_of(cleaned.thumbnail)) == 0
    reopened = Image.open(io.BytesIO(cleaned.data))
    assert reopened.format == "JPEG"
    assert "exif" not in reopened.info and "icc_profile" not in reopened.info
    assert (cleaned.width, cleaned.height) == (64, 48)


def test_png_and_webp_are_re_encoded_as_jpeg_with_transparency_flattened():
    for data, source in ((images.png_with_alpha(), "PNG"), (images.webp(), "WEBP")):
        cleaned = clean_image(data, max_pixels=MAX_PIXELS)
        assert cleaned.source_format == source
        assert Image.open(io.BytesIO(cleaned.data)).format == "JPEG"


def test_large_photos_are_scaled_down_and_get_a_small_thumbnail():
    out = io.BytesIO()
    Image.new("RGB", (3200, 1600), (1, 2, 3)).save(out, format="JPEG")
    cleaned = clean_image(out.getvalue(), max_pixels=MAX_PIXELS)
    assert max(cleaned.width, cleaned.height) <= MAX_SIDE
    assert max(Image.open(io.BytesIO(cleaned.thumbnail)).size) <= THUMB_SIDE


@pytest.mark.parametrize(
    "data",
    [images.HTML_AS_JPG, images.gif(), b"", b"GIF89a" + b"/*" + b"\x00" * 32 + b"*/alert(1)", b"<svg onload=alert(1)>"],
    ids=["html-renamed-jpg", "gif", "empty", "gif-js-polyglot", "svg"],
)
def test_anything_but_jpeg_png_or_webp_is_refused_by_its_magic_bytes(data):
    with pytest.raises(ImageRejectedError) as caught:
        clean_image(data, max_pixels=MAX_PIXELS)
    assert caught.value.reason == "type"


def test_a_pixel_flood_is_refused_before_its_pixels_are_decoded():
    bomb = images.png_pixel_flood(20000, 20000)
    assert len(bomb) < 2000
    with pytest.raises(ImageRejectedError) as caught:
        clean_image(bomb, max_pixels=MAX_PIXELS)
    assert caught.value.reason == "pixels"


def test_the_pixel_cap_is_the_configured_one_not_pillows():
    with pytest.raises(ImageRejectedError) as caught:
        clean_image(images.jpeg_with_gps((64, 48)), max_pixels=64 * 48 - 1)
    assert caught.value.reason == "pixels"


def test_a_truncated_image_is_refused_as_broken():
    data = images.jpeg_with_gps((200, 200))
    with pytest.raises(ImageRejectedError) as caught:
        clean_image(data[: len(data) // 2], max_pixels=MAX_PIXELS)
    assert caught.value.reason == "broken"
