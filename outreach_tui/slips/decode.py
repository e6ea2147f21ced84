"""Reading a slip's QR code back from a picture: a PNG, a scan or a phone photo (zxing-cpp).

Photos of paper come tilted, dim, small or noisy, so the reader tries a few preparations in
turn until one decodes: the picture as it is (grayscale, EXIF rotation applied), scaled up, scaled
down, contrast stretched, and thresholded at its mean brightness. A slip's code (text starting
with the payload prefix) wins over any other QR code in the picture.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

from PIL import Image, ImageFilter, ImageOps, ImageStat, UnidentifiedImageError

from outreach_tui.domain import bounded
from outreach_tui.slips.payload import PREFIX

MAX_SIDE = 2400  # larger photos are scaled down first: faster, and zxing reads them as well
MIN_SIDE = 600  # smaller pictures are scaled up (thin modules blur into each other)


class DecodeError(Exception):
    """The picture cannot be read; `key` is the translated message (unreadable, no QR, no zxing)."""

    def __init__(self, key: str, reason: str = "") -> None:
        super().__init__(key)
        self.key = key
        self.reason = reason


def _threshold(image: Image.Image) -> Image.Image:
    mean = ImageStat.Stat(image).mean[0]
    return image.point(lambda value: 255 if value > mean else 0)


def _variants(image: Image.Image) -> Iterator[Image.Image]:
    """The picture prepared in several ways, cheapest first."""
    gray = ImageOps.exif_transpose(image).convert("L")
    side = max(gray.size)
    if side > MAX_SIDE:
        gray.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    yield gray
    steps: list[Callable[[Image.Image], Image.Image]] = [
        lambda g: (
            g.resize((g.width * 2, g.height * 2), Image.Resampling.BICUBIC)
            if max(g.size) < MIN_SIDE
            else g.resize((g.width // 2, g.height // 2), Image.Resampling.LANCZOS)
        ),
        ImageOps.autocontrast,
        lambda g: _threshold(ImageOps.autocontrast(g)),
        lambda g: _threshold(g.filter(ImageFilter.MedianFilter(3))),
        lambda g: _threshold(
            g.resize((g.width * 2, g.height * 2), Image.Resampling.BICUBIC).filter(
                ImageFilter.SHARPEN
            )
        ),
    ]
    for step in steps:
        yield step(gray)


def decode_image(path: Path) -> str:
    """The slip payload (or, failing that, any QR text) found in the picture at `path`."""
    try:
        import zxingcpp
    except ImportError as exc:  # a runtime dependency, but keep the message clear if missing
        raise DecodeError("slip.verify.decoder_missing") from exc
    try:
        raw = bounded.read_bounded(path, bounded.IMAGE_FILE_BYTES)
    except bounded.InputTooLarge as exc:
        raise DecodeError("limits.file_too_large", str(exc.limit // 1024)) from exc
    except bounded.NotRegularFile as exc:
        raise DecodeError("limits.file_not_regular") from exc
    except OSError as exc:
        raise DecodeError("slip.verify.image_unreadable", str(exc)[:200]) from exc
    try:
        with Image.open(io.BytesIO(raw)) as opened:
            opened.load()
            image = opened.copy()
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise DecodeError("slip.verify.image_unreadable", str(exc)[:200]) from exc
    formats = zxingcpp.barcode_formats_from_str("QRCode")
    fallback = None
    for variant in _variants(image):
        found = zxingcpp.read_barcodes(variant, formats=formats)
        for result in found:
            if result.text.startswith(PREFIX):
                return str(result.text)
            fallback = fallback or str(result.text)
        if fallback is not None:
            return fallback
    raise DecodeError("slip.verify.no_qr")
