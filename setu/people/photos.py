"""Checking and re-encoding an uploaded photo (reference/security.md §0.8, §4.3; ASVS 5.2.2, 5.2.6, 14.2.8).

Pure: bytes in, bytes out, no Django import. The order matters:
1. magic bytes (not the name or the browser's content type) must say JPEG, PNG or WebP;
2. the header's pixel count is checked before any pixel is decoded (decompression bombs);
3. the pixels are copied into a new image, so nothing of the original file survives: no EXIF, no GPS,
   no ICC profile, no comments, no trailing data (polyglots);
4. the result is always a JPEG, with a small thumbnail for list and detail pages.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
MAX_SIDE = 1600  # stored photo: long side in pixels
THUMB_SIDE = 320
JPEG_QUALITY = 85


class ImageRejectedError(ValueError):
    """The upload is not an acceptable image. `reason` is one of: type, pixels, broken."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    thumbnail: bytes
    width: int
    height: int
    source_format: str
    sha256: str


def _encode(image: Image.Image, side: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), copy.width, copy.height


def clean_image(data: bytes, *, max_pixels: int) -> CleanImage:
    """Check `data` and return it re-encoded as a metadata-free JPEG; raise ImageRejectedError otherwise."""
    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ImageRejectedError("type")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            source = Image.open(io.BytesIO(data), formats=[ALLOWED_TYPES[kind.mime]])
            # Only the header has been read so far: refuse a pixel flood before decoding it.
            if source.width * source.height > max_pixels or source.width < 1 or source.height < 1:
                raise ImageRejectedError("pixels")
            if source.format == "JPEG":
                source.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode JPEGs at reduced scale: less memory
            source.load()
            upright = ImageOps.exif_transpose(source)
    except ImageRejectedError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejectedError("pixels") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ImageRejectedError("broken") from exc

    # A fresh canvas holds the pixels only; transparency is flattened onto white.
    rgba = upright.convert("RGBA")
    canvas = Image.new("RGB", rgba.size, (255, 255, 255))
    canvas.paste(rgba, mask=rgba.getchannel("A"))
    full, width, height = _encode(canvas, MAX_SIDE)
    thumb, _w, _h = _encode(canvas, THUMB_SIDE)
    return CleanImage(
        data=full,
        thumbnail=thumb,
        width=width,
        height=height,
        source_format=ALLOWED_TYPES[kind.mime],
        sha256=hashlib.sha256(full).hexdigest(),
    )
