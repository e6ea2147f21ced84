"""Helpers of the record detail tests: people in the store, opening the detail, reading the QR."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import zxingcpp
from PIL import Image
from textual.containers import Grid

from outreach_tui import messages
from outreach_tui.domain.nik import make_nik
from outreach_tui.domain.record import validate_record
from outreach_tui.slips.qr import EMPTY, FULL, LOWER, UPPER
from tests.conftest import unlocked_store
from tests.tui.conftest import unlock, wait_for

TODAY = dt.date(2026, 11, 23)
NIK = make_nik(dt.date(1988, 3, 9), "F", region="320101", serial="0042")


def person(**changes: Any) -> dict[str, Any]:
    """A validated prospect in the test officer's area (no NIK unless given)."""
    raw: dict[str, Any] = {
        "full_name": "Siti Aminah",
        "phone": "0812-3456-7890",
        "occupation": "pedagang_pasar",
        "monthly_income": 2_000_000,
        "region_code": "32.01.01.1001",
        "rw": "003",
        "rt": "002",
        "street": "Jl. Melati 5",
        "status": "prospect",
    }
    raw.update(changes)
    result = validate_record(raw, today=TODAY)
    assert result.ok, result.errors
    return result.record


def store_person(home: Path, **changes: Any) -> str:
    """Save a person before the app starts; returns the record id."""
    store = unlocked_store(home)
    try:
        return store.save_record(person(**changes), actor="p-001", officer_id="p-001").id
    finally:
        store.close()


async def open_detail(pilot: Any, record_id: str) -> Any:
    """Unlock, open the record's detail as the record list does, and return the screen."""
    from outreach_tui.screens.record_detail import RecordDetailScreen

    await unlock(pilot)
    pilot.app.post_message(messages.OpenRecord(record_id))
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, RecordDetailScreen))
    await pilot.pause()
    return pilot.app.screen


def shown(screen: Any, selector: str) -> str:
    """The plain text a Static shows; for a grid of label/value cells, one line a row."""
    widget = screen.query_one(selector)
    if isinstance(widget, Grid):
        cells = [str(cell.render()) for cell in widget.children]
        return "\n".join(f"{a}  {b}" for a, b in zip(cells[::2], cells[1::2], strict=True))
    return str(widget.render())


def qr_image(lines: list[str], module: int = 8) -> Image.Image:
    """The QR code drawn in half blocks on screen, back as a black-on-white picture."""
    top = {FULL: "1", UPPER: "1", LOWER: "0", EMPTY: "0"}
    bottom = {FULL: "1", UPPER: "0", LOWER: "1", EMPTY: "0"}
    rows: list[str] = []
    for line in lines:
        rows.append("".join(top[ch] for ch in line))
        rows.append("".join(bottom[ch] for ch in line))
    data = "".join(rows).translate(str.maketrans("01", "\xff\x00")).encode("latin-1")
    picture = Image.frombytes("L", (len(rows[0]), len(rows)), data)
    return picture.resize(
        (picture.width * module, picture.height * module), Image.Resampling.NEAREST
    )


def decode_qr(lines: list[str]) -> list[str]:
    """What a phone would read off the screen's QR code (zxing-cpp)."""
    return [found.text for found in zxingcpp.read_barcodes(qr_image(lines))]


class FakeUsbDevice:
    """A receipt printer on the USB bus as pyusb shows it: it keeps what is written to it."""

    def __init__(self) -> None:
        self.written = bytearray()
        self.backend = self  # pyusb's backend object; its module is not libusb1

    def set_configuration(self) -> None:
        """pyusb: choose the device's configuration."""

    def reset(self) -> None:
        """pyusb: reset the device."""

    def write(self, endpoint: int, data: bytes, timeout: int | None = None) -> int:
        """pyusb: bulk write to an endpoint."""
        self.written.extend(data)
        return len(data)


def fake_usb_bus(monkeypatch: Any, vendor: int, product: int) -> FakeUsbDevice:
    """Replace pyusb under python-escpos with one bus holding one printer (vendor:product)."""
    import types

    import escpos.printer.usb as escpos_usb

    device = FakeUsbDevice()

    class USBError(Exception):
        """pyusb's error type."""

    def find(**match: Any) -> FakeUsbDevice | None:
        wanted = (match.get("idVendor"), match.get("idProduct"))
        return device if wanted == (vendor, product) else None

    core = types.SimpleNamespace(find=find, USBError=USBError, Device=FakeUsbDevice)
    util = types.SimpleNamespace(dispose_resources=lambda _device: None)
    monkeypatch.setattr(
        escpos_usb, "usb", types.SimpleNamespace(core=core, util=util), raising=False
    )
    monkeypatch.setattr(escpos_usb, "_DEP_USB", True)
    return device
