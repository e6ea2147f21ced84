"""Slips as PDF (fpdf2): A6 sheets, or 58 mm and 80 mm receipt rolls, one slip per page.

Text is set in the bundled DejaVu Sans, so every name prints (fpdf2's core fonts are Latin-1
only); the fonts are parsed once per document and only the glyphs used are embedded. The QR code
is embedded as a one-pixel-per-module image, scaled up without interpolation: module edges stay
sharp at any printer resolution, and 500 codes cost a few kilobytes each.
"""

from __future__ import annotations

from collections.abc import Iterable

from fpdf import FPDF

from outreach_tui.slips import qr
from outreach_tui.slips.content import Slip
from outreach_tui.slips.layout import Page, Wrapper, font_path, layout

FONT = "DejaVu"


class _FpdfMeasure:
    """Text widths from the document's own fonts."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf

    def width(self, text: str, style: str, size: float) -> float:
        """Width of `text` in mm."""
        self.pdf.set_font(FONT, style, size)
        return float(self.pdf.get_string_width(text))


def _draw(pdf: FPDF, page: Page) -> None:
    current = None
    for op in page.ops:
        if op.kind == "text":
            if current != (op.style, op.size):
                pdf.set_font(FONT, op.style, op.size)
                current = (op.style, op.size)
            pdf.text(op.x, op.y, op.text)
        elif op.kind == "rule":
            pdf.line(op.x, op.y, op.x + op.width, op.y)
        elif op.matrix is not None:
            pdf.image(qr.image(op.matrix), x=op.x, y=op.y, w=op.width, h=op.width)


class SlipDocument:
    """A PDF of slips being built, one slip per page."""

    def __init__(self) -> None:
        pdf = FPDF(unit="mm")
        pdf.set_auto_page_break(False)
        pdf.set_margins(0, 0, 0)
        pdf.set_creator("outreach")
        pdf.set_line_width(0.2)
        pdf.add_font(FONT, "", str(font_path()))
        pdf.add_font(FONT, "B", str(font_path(bold=True)))
        self.pdf = pdf
        self._wrapper = Wrapper(_FpdfMeasure(pdf))

    @property
    def pages(self) -> int:
        """How many slips were added."""
        return int(self.pdf.page)

    def add(self, slip: Slip, size: str = "a6") -> None:
        """Append one slip as a new page: A6, or a receipt as long as the slip."""
        page = layout(self._wrapper, slip, size)
        self.pdf.add_page(format=(page.g.width, page.height))
        _draw(self.pdf, page)

    def output(self) -> bytes:
        """The finished PDF (ValueError when no slip was added)."""
        if self.pdf.page == 0:
            raise ValueError("no slip to render")
        return bytes(self.pdf.output())


def render_pdf(slips: Iterable[Slip], size: str = "a6") -> bytes:
    """A PDF with one slip per page."""
    document = SlipDocument()
    for slip in slips:
        document.add(slip, size)
    return document.output()
