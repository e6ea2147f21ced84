"""A QR code drawn in the terminal, big and sharp enough for a phone to scan off the laptop screen.

Two module rows per text line with half blocks (`▀` `▄` `█` and space), always black on pure white
whatever the theme (a dark theme would otherwise invert the code, which many phone cameras do not
read), with the 4-module quiet zone the standard asks for. Line API: each line is one segment.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from outreach_tui.slips import qr

# Explicit RGB, not "black"/"white": terminal themes remap the 16 named colours.
QR_STYLE = Style(color="rgb(0,0,0)", bgcolor="rgb(255,255,255)")


class QRCode(Widget):
    """Shows `data` as a QR code (error correction M); empty data shows nothing."""

    DEFAULT_CSS = """
    QRCode {
        width: auto;
        height: auto;
    }
    """

    data: reactive[str] = reactive("", layout=True)

    def __init__(
        self,
        data: str = "",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._lines: list[str] = []
        self.data = data

    def watch_data(self, data: str) -> None:
        """Encode the new data once; lines are drawn from this cache."""
        try:
            self._lines = qr.half_block_lines(qr.encode(data)) if data else []
        except ValueError:  # more than a QR code holds: show nothing rather than fail the screen
            self._lines = []
        self.refresh(layout=True)

    @property
    def lines(self) -> list[str]:
        """The half-block text of the code, quiet zone included (what is drawn)."""
        return list(self._lines)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """As wide as the code with its quiet zone."""
        return len(self._lines[0]) if self._lines else 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """One line per two module rows."""
        return len(self._lines)

    def render_line(self, y: int) -> Strip:
        """Line `y` of the code in black on white; blank below it."""
        width = self.size.width
        if y >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        line = self._lines[y]
        strip = Strip([Segment(line, QR_STYLE)], len(line))
        return strip.crop_extend(0, width, self.rich_style)
