"""A slip as a PNG picture (Pillow): to show on a phone, send by chat, or print as an image.

Drawn from the same layout as the PDF, in the bundled DejaVu Sans. Resolution: 8 pixels a
millimetre (203 dpi, a thermal printer's own) for receipts, 10 (254 dpi) for A6, so every QR
module is a whole number of pixels (6, 8 and 8) and its edges stay sharp.
"""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageDraw, ImageFont

from outreach_tui.slips import qr
from outreach_tui.slips.content import Slip
from outreach_tui.slips.layout import PT, Page, Wrapper, font_path, layout

PIXELS_PER_MM: dict[str, int] = {"a6": 10, "58mm": 8, "80mm": 8}


@functools.lru_cache(maxsize=32)
def _font(style: str, size: float, pixels_per_mm: int) -> ImageFont.FreeTypeFont:
    """The bundled font at `size` points for this resolution (loaded once per size)."""
    return ImageFont.truetype(str(font_path(style == "B")), size=round(size * PT * pixels_per_mm))


class _PillowMeasure:
    """Text widths from Pillow's FreeType rendering, in mm."""

    def __init__(self, pixels_per_mm: int) -> None:
        self.ppm = pixels_per_mm

    def width(self, text: str, style: str, size: float) -> float:
        """Width of `text` in mm."""
        return float(_font(style, size, self.ppm).getlength(text)) / self.ppm


@functools.lru_cache(maxsize=4)
def _wrapper(pixels_per_mm: int) -> Wrapper:
    return Wrapper(_PillowMeasure(pixels_per_mm))


def render_image(slip: Slip, size: str = "58mm") -> Image.Image:
    """The slip as a grayscale image."""
    ppm = PIXELS_PER_MM.get(size, 8)
    page: Page = layout(_wrapper(ppm), slip, size)
    width, height = round(page.g.width * ppm), round(page.height * ppm)
    picture = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(picture)
    for op in page.ops:
        x, y = op.x * ppm, op.y * ppm
        if op.kind == "text":
            draw.text((x, y), op.text, fill=0, font=_font(op.style, op.size, ppm), anchor="ls")
        elif op.kind == "rule":
            draw.line([(x, y), ((op.x + op.width) * ppm, y)], fill=0, width=max(1, ppm // 5))
        elif op.matrix is not None:
            module = round(page.g.module * ppm)
            picture.paste(qr.image(op.matrix, module), (round(x), round(y)))
    return picture


def render_png(slip: Slip, size: str = "58mm") -> bytes:
    """The slip as PNG bytes."""
    buffer = io.BytesIO()
    # Level 1: mostly white pictures compress well even so, at a fraction of the time.
    render_image(slip, size).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
