"""Where every word and the QR code of a slip go on a page, in millimetres: shared by PDF and PNG.

A slip is laid out once as a list of drawing operations (text at a baseline, a rule, the QR code)
measured with the real fonts, so a receipt page is exactly as tall as its slip, and the PDF and the
PNG look the same. Sizes: A6 (QR code beside the person's details) and 58 mm / 80 mm receipt
rolls (one column). QR module sizes are whole printer dots at 203 dpi: 0.75 mm = 6 dots on 58 mm
paper, 1 mm = 8 dots on 80 mm paper; 0.8 mm on A6 for office printers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Protocol

from outreach_tui.slips import qr
from outreach_tui.slips.content import Field, Slip

SIZES: tuple[str, ...] = ("a6", "58mm", "80mm")
RECEIPT_SIZES: tuple[str, ...] = ("58mm", "80mm")
PT = 25.4 / 72  # millimetres per point
_ASCENT = 0.95  # baseline below the top of a line, in font sizes
_LEADING = 1.3  # line height, in font sizes
_SHRINK_STEPS = 4  # half a point each


@dataclass(frozen=True, slots=True)
class Geometry:
    """Page size and layout of one slip size (mm; font sizes in points)."""

    width: float
    height: float | None  # None: a receipt, as tall as its content
    margin: float
    module: float  # mm per QR module
    body: float
    title: float
    two_columns: bool


GEOMETRY: dict[str, Geometry] = {
    "a6": Geometry(105, 148, 7, 0.8, 7.5, 10.5, True),
    "58mm": Geometry(58, None, 5, 0.75, 7, 9, False),
    "80mm": Geometry(80, None, 4, 1.0, 8.5, 11, False),
}


def font_path(bold: bool = False) -> Path:
    """The bundled TTF (DejaVu Sans; Bitstream Vera licence in fonts/LICENSE)."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(str(resources.files("outreach_tui.slips").joinpath("fonts", name)))


@dataclass(frozen=True, slots=True)
class Op:
    """One drawing operation: `text` at a baseline, a `rule`, or the QR `image` (top-left)."""

    kind: str
    x: float
    y: float
    style: str = ""
    size: float = 0
    text: str = ""
    width: float = 0
    matrix: qr.QRMatrix | None = None


class Measure(Protocol):
    """Text widths in mm for a style ("" or "B") and a size in points."""

    def width(self, text: str, style: str, size: float) -> float:
        """Width of `text` in mm."""
        ...


class Wrapper:
    """Word wrap on top of a Measure, remembered: labels and notes repeat on every slip."""

    def __init__(self, measure: Measure) -> None:
        self.measure = measure
        self._widths: dict[tuple[str, str, float], float] = {}
        self._wraps: dict[tuple[str, str, float, float], tuple[str, ...]] = {}

    def width(self, text: str, style: str, size: float) -> float:
        """Width of `text` in mm."""
        key = (text, style, size)
        found = self._widths.get(key)
        if found is None:
            found = self._widths[key] = self.measure.width(text, style, size)
        return found

    def wrap(self, text: str, style: str, size: float, width: float) -> tuple[str, ...]:
        """Greedy word wrap to `width` mm (a word longer than a line is cut)."""
        key = (text, style, size, round(width, 2))
        found = self._wraps.get(key)
        if found is None:
            found = self._wraps[key] = self._wrap(text, style, size, width)
        return found

    def _wrap(self, text: str, style: str, size: float, width: float) -> tuple[str, ...]:
        lines: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            if self.width(candidate, style, size) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while len(word) > 1 and self.width(word, style, size) > width:
                cut = len(word) - 1
                while cut > 1 and self.width(word[:cut], style, size) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        if current or not lines:
            lines.append(current)
        return tuple(lines)


class Page:
    """The operations of one slip, built top to bottom; `y` is where the next line starts."""

    def __init__(self, wrapper: Wrapper, geometry: Geometry) -> None:
        self.wrapper = wrapper
        self.g = geometry
        self.ops: list[Op] = []
        self.y = geometry.margin
        self.left = geometry.margin
        self.right = geometry.width - geometry.margin

    @property
    def height(self) -> float:
        """The page height: the size's own, or the content's for a receipt."""
        return self.g.height if self.g.height is not None else self.y

    def _line(self, x: float, text: str, style: str, size: float) -> None:
        self.ops.append(Op("text", x, self.y + size * PT * _ASCENT, style, size, text))
        self.y += size * PT * _LEADING

    def para(
        self, text: str, style: str, size: float, *, left: float, right: float, center: bool = False
    ) -> None:
        """A wrapped paragraph between `left` and `right` (mm)."""
        for line in self.wrapper.wrap(text, style, size, right - left):
            x = left
            if center:
                x = left + (right - left - self.wrapper.width(line, style, size)) / 2
            self._line(x, line, style, size)

    def item(self, text: str, size: float) -> None:
        """A bullet point with a hanging indent."""
        indent = self.wrapper.width("• ", "", size)
        lines = self.wrapper.wrap(text, "", size, self.right - self.left - indent)
        for index, line in enumerate(lines):
            if index == 0:
                self.ops.append(Op("text", self.left, self.y + size * PT * _ASCENT, "", size, "•"))
            self._line(self.left + indent, line, "", size)

    def row(self, field: Field, style: str, size: float) -> None:
        """Label on the left, value on the right; the value goes below when both do not fit."""
        label_w = self.wrapper.width(field.label, "", size)
        value_w = self.wrapper.width(field.value, style, size)
        width = self.right - self.left
        if label_w + value_w + 2 > width:
            self.para(field.label, "", size, left=self.left, right=self.right)
            for line in self.wrapper.wrap(field.value, style, size, width):
                x = self.right - self.wrapper.width(line, style, size)
                self._line(x, line, style, size)
            return
        baseline = self.y + size * PT * _ASCENT
        self.ops.append(Op("text", self.left, baseline, "", size, field.label))
        self.ops.append(Op("text", self.right - value_w, baseline, style, size, field.value))
        self.y += size * PT * _LEADING

    def stacked(self, field: Field, right: float) -> None:
        """A small label above a bold value (the A6 column beside the QR code)."""
        self.para(field.label, "", self.g.body - 1.5, left=self.left, right=right)
        self.y -= self.g.body * PT * 0.2
        self.para(field.value, "B", self.g.body + 0.5, left=self.left, right=right)
        self.y += 0.8

    def rule(self) -> None:
        """A thin line across the content width."""
        self.y += 0.8
        self.ops.append(Op("rule", self.left, self.y, width=self.right - self.left))
        self.y += 1.2

    def qr(self, matrix: qr.QRMatrix, x: float) -> float:
        """The QR code (quiet zone included) with its top-left at (x, y); returns its side."""
        side = (matrix.size + 2 * qr.QUIET_ZONE) * self.g.module
        self.ops.append(Op("image", x, self.y, width=side, matrix=matrix))
        return side


def _header(page: Page, slip: Slip) -> None:
    g, center = page.g, not page.g.two_columns
    page.para(slip.title, "B", g.title, left=page.left, right=page.right, center=center)
    page.y += 0.6
    page.para(slip.reference_label, "", g.body - 1, left=page.left, right=page.right, center=center)
    page.para(slip.reference, "B", g.title + 3, left=page.left, right=page.right, center=center)
    page.y += 1.5


def _money(page: Page, slip: Slip) -> None:
    g = page.g
    page.rule()
    page.para(slip.contribution_title, "B", g.body + 0.5, left=page.left, right=page.right)
    for field in slip.amounts:
        page.row(field, "", g.body)
    page.rule()
    page.row(slip.total, "B", g.body + 1)
    for field in slip.payment:
        page.row(field, "", g.body)


def _where_and_notes(page: Page, slip: Slip) -> None:
    g = page.g
    page.rule()
    page.para(slip.where_title, "B", g.body + 0.5, left=page.left, right=page.right)
    if g.two_columns:
        page.para(" · ".join(slip.where), "", g.body, left=page.left, right=page.right)
    else:
        for place in slip.where:
            page.item(place, g.body)
    page.rule()
    for note in slip.notes:
        page.para(note, "", g.body - 1.5, left=page.left, right=page.right)
        page.y += 0.6


def layout(wrapper: Wrapper, slip: Slip, size: str) -> Page:
    """The drawing operations of one slip at `size` (one of SIZES).

    On A6 a slip with unusually long words (a long name, officer name or branch) is set in
    slightly smaller type until it fits the sheet.
    """
    if size not in GEOMETRY:
        raise ValueError(f"size must be one of {', '.join(SIZES)}")
    geometry = GEOMETRY[size]
    page = _layout(wrapper, slip, geometry)
    for _ in range(_SHRINK_STEPS):
        if geometry.height is None or page.y <= geometry.height:
            break
        geometry = replace(geometry, body=geometry.body - 0.5, title=geometry.title - 0.5)
        page = _layout(wrapper, slip, geometry)
    return page


def _layout(wrapper: Wrapper, slip: Slip, geometry: Geometry) -> Page:
    page = Page(wrapper, geometry)
    _header(page, slip)
    matrix = qr.encode(slip.payload)
    side = (matrix.size + 2 * qr.QUIET_ZONE) * geometry.module
    quiet = qr.QUIET_ZONE * geometry.module
    if geometry.two_columns:
        # The quiet zone may reach into the margin: it is white either way.
        top = page.y
        qr_x = page.right - side + quiet
        page.y -= quiet
        page.qr(matrix, qr_x)
        page.y = top
        for field in (*slip.person, *slip.issued_by):
            page.stacked(field, right=qr_x + quiet - 2)
        page.y = max(page.y, top + side - 2 * quiet)
    else:
        page.y -= quiet / 2
        page.qr(matrix, (geometry.width - side) / 2)
        page.y += side - quiet / 2
        for field in slip.person:
            page.row(field, "B", geometry.body)
    _money(page, slip)
    if not geometry.two_columns:
        page.rule()
        for field in slip.issued_by:
            page.row(field, "", geometry.body)
    _where_and_notes(page, slip)
    page.y += geometry.margin
    return page
