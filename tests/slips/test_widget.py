"""The on-screen QR code: what the widget draws decodes back to the same symbol."""

from __future__ import annotations

import asyncio

import zxingcpp
from PIL import Image
from rich.color import ColorTriplet
from textual.app import App, ComposeResult

from outreach_tui.slips import codec, qr
from outreach_tui.widgets.qr import QRCode

PAYLOAD = "BPU1:" + codec.encode(bytes(range(106)))
TOP = {"█": "1", "▀": "1", "▄": "0", " ": "0"}
BOTTOM = {"█": "1", "▀": "0", "▄": "1", " ": "0"}


class _Screen(App[None]):
    def compose(self) -> ComposeResult:
        yield QRCode(PAYLOAD)


def _modules(lines: list[str]) -> list[str]:
    """Half-block lines back to module rows ('1' dark)."""
    rows: list[str] = []
    for line in lines:
        rows.append("".join(TOP[ch] for ch in line))
        rows.append("".join(BOTTOM[ch] for ch in line))
    return rows


def _picture(rows: list[str], scale: int = 4) -> Image.Image:
    image = Image.new("L", (len(rows[0]), len(rows)), 255)
    image.putdata([0 if ch == "1" else 255 for row in rows for ch in row])
    return image.resize((image.width * scale, image.height * scale), Image.Resampling.NEAREST)


def test_drawn_lines_reproduce_the_qr_matrix() -> None:
    asyncio.run(_drawn_lines_reproduce_the_qr_matrix())


async def _drawn_lines_reproduce_the_qr_matrix() -> None:
    app = _Screen()
    async with app.run_test(size=(100, 40)) as pilot:
        widget = app.query_one(QRCode)
        await pilot.pause()
        matrix = qr.encode(PAYLOAD)
        side = matrix.size + 2 * qr.QUIET_ZONE
        assert (widget.size.width, widget.size.height) == (side, (side + 1) // 2)
        strips = [widget.render_line(y) for y in range(widget.size.height)]
        lines = [strip.text for strip in strips]
        rows = _modules(lines)
        assert rows[:side] == matrix.bit_rows(qr.QUIET_ZONE)  # quiet zone included
        for strip in strips:
            for segment in strip:
                style = segment.style
                assert style is not None and style.color and style.bgcolor
                assert style.color.get_truecolor() == ColorTriplet(0, 0, 0)
                assert style.bgcolor.get_truecolor() == ColorTriplet(255, 255, 255)
        found = zxingcpp.read_barcodes(_picture(rows[:side]))
        assert [r.text for r in found] == [PAYLOAD]


def test_new_data_redraws_and_empty_shows_nothing() -> None:
    asyncio.run(_new_data_redraws_and_empty_shows_nothing())


async def _new_data_redraws_and_empty_shows_nothing() -> None:
    app = _Screen()
    async with app.run_test(size=(100, 40)) as pilot:
        widget = app.query_one(QRCode)
        widget.data = "HELLO"
        await pilot.pause()
        assert widget.size.width == 21 + 8
        rows = _modules([widget.render_line(y).text for y in range(widget.size.height)])
        assert [r.text for r in zxingcpp.read_barcodes(_picture(rows))] == ["HELLO"]
        widget.data = ""
        await pilot.pause()
        assert widget.lines == []
        assert widget.size.height == 0
