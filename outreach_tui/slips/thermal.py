"""A slip as ESC/POS commands for 58 mm and 80 mm thermal receipt printers (python-escpos).

The QR code uses the printer's NATIVE QR command (`GS ( k`): the printer draws it at its own
resolution, sharp, from the payload text, and the job stays a few hundred bytes. Text is sent
in plain ASCII (accents dropped: `Ñoño Çağrı Đặng` prints `Nono Cagri Dang`) because thermal
printers carry few code pages and disagree on their numbers; the PDF keeps every letter.
"""

from __future__ import annotations

import textwrap
import unicodedata
from typing import TYPE_CHECKING

from outreach_tui.slips.content import Field, Slip

if TYPE_CHECKING:  # python-escpos costs ~0.17 s to import: only when printing
    from escpos.escpos import Escpos

COLUMNS: dict[str, int] = {"58mm": 32, "80mm": 48}  # font A (12 x 24 dots): 384 or 576 dots
QR_DOTS: dict[str, int] = {"58mm": 6, "80mm": 8}  # dots a module: 0.75 mm / 1 mm at 203 dpi
QR_COMMAND = b"\x1d(k"

# Letters NFKD does not take apart, and typography with a plain ASCII look-alike.
_ASCII = str.maketrans(
    {
        "Đ": "D",
        "đ": "d",
        "ı": "i",
        "Ł": "L",
        "ł": "l",
        "Ø": "O",
        "ø": "o",
        "ß": "ss",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "Þ": "Th",
        "þ": "th",
        "ð": "d",
        "—": "-",
        "–": "-",
        "•": "*",
        "·": "-",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
    }
)


def ascii_text(text: str) -> str:
    """`text` in printable ASCII: accents dropped, look-alikes mapped, anything else `?`."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch if 32 <= ord(ch) < 127 else "?" for ch in plain)


def _wrap(text: str, columns: int, indent: str = "") -> list[str]:
    return textwrap.wrap(ascii_text(text), columns, subsequent_indent=indent) or [""]


def _row(field: Field, columns: int) -> list[str]:
    """Label left, value right; the value on its own line when both do not fit."""
    label, value = ascii_text(field.label), ascii_text(field.value)
    if len(label) + len(value) + 1 <= columns:
        return [label + " " * (columns - len(label) - len(value)) + value]
    return [*_wrap(label, columns), *(line.rjust(columns) for line in _wrap(value, columns))]


def _lines(printer: Escpos, lines: list[str]) -> None:
    printer.text("\n".join(lines) + "\n")


def write_slip(printer: Escpos, slip: Slip, size: str = "58mm") -> None:
    """Send one slip to `printer` (any python-escpos printer: Dummy, Network, Usb, Serial)."""
    if size not in COLUMNS:
        raise ValueError(f"size must be one of {', '.join(COLUMNS)}")
    columns = COLUMNS[size]
    rule = "-" * columns
    printer.hw("INIT")
    printer.set(align="center", bold=True)
    _lines(printer, _wrap(slip.title, columns))
    printer.set(align="center", bold=False)
    _lines(printer, [ascii_text(slip.reference_label)])
    printer.set(align="center", bold=True, double_height=True, double_width=True)
    _lines(printer, [slip.reference])
    printer.set(align="center", normal_textsize=True, bold=False)
    from escpos.constants import QR_ECLEVEL_M

    printer.qr(slip.payload, ec=QR_ECLEVEL_M, size=QR_DOTS[size], native=True)
    printer.set(align="left", bold=False, normal_textsize=True)
    body = [rule]
    for field in slip.person:
        body += _row(field, columns)
    body += [rule, ascii_text(slip.contribution_title)]
    for field in slip.amounts:
        body += _row(field, columns)
    body += _row(slip.total, columns)
    for field in slip.payment:
        body += _row(field, columns)
    body.append(rule)
    for field in slip.issued_by:
        body += _row(field, columns)
    body += [rule, ascii_text(slip.where_title)]
    for place in slip.where:
        body += _wrap("- " + place, columns, indent="  ")
    body.append(rule)
    for note in slip.notes:
        body += _wrap(note, columns)
    _lines(printer, body)
    printer.cut()


def escpos_bytes(slip: Slip, size: str = "58mm") -> bytes:
    """The ESC/POS job of one slip as bytes (to save, or to pipe to a printer device)."""
    from escpos.printer import Dummy

    printer = Dummy()
    write_slip(printer, slip, size)
    return bytes(printer.output)
