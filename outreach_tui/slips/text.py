"""The slip as plain text for a terminal: the QR code in half blocks above the slip's lines.

Dark modules are drawn with block glyphs, so the code reads right as dark-on-light; the command
colours the QR lines black on white when it writes to a terminal (a dark theme would invert it).
"""

from __future__ import annotations

import textwrap
import unicodedata

from outreach_tui.slips import qr
from outreach_tui.slips.content import Field, Slip

WIDTH = 56


def _width(text: str) -> int:
    """Terminal columns of `text` (East Asian wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fields(fields: tuple[Field, ...], label_width: int, width: int) -> list[str]:
    lines = []
    for field in fields:
        head = f"{field.label:<{label_width}} : "
        wrapped = textwrap.wrap(field.value, max(12, width - len(head))) or [""]
        lines.append(head + wrapped[0])
        lines.extend(" " * len(head) + more for more in wrapped[1:])
    return lines


def _amount(field: Field, width: int) -> str:
    gap = max(1, width - _width(field.label) - _width(field.value))
    return field.label + " " * gap + field.value


def qr_lines(slip: Slip, width: int = WIDTH) -> list[str]:
    """The QR code of the slip, centred in `width` columns (quiet zone included)."""
    lines = qr.half_block_lines(qr.encode(slip.payload))
    pad = " " * max(0, (width - len(lines[0])) // 2)
    return [pad + line for line in lines]


def text_lines(slip: Slip, width: int = WIDTH) -> list[str]:
    """The slip's words, wrapped to `width` columns, without the QR code."""
    rule = "-" * width
    label_width = max(len(f.label) for f in (*slip.person, *slip.payment, *slip.issued_by))
    label_width = min(label_width, width // 2)
    lines = [*textwrap.wrap(slip.title, width), rule]
    lines.append(f"{slip.reference_label}: {slip.reference}")
    lines.append(rule)
    lines += _fields(slip.person, label_width, width)
    lines += ["", slip.contribution_title]
    lines += [_amount(f, width) for f in slip.amounts]
    lines.append(" " * (width - 12) + "-" * 12)
    lines.append(_amount(slip.total, width))
    lines += _fields(slip.payment, label_width, width)
    lines += ["", slip.where_title]
    for place in slip.where:
        lines += textwrap.wrap(place, width, initial_indent="- ", subsequent_indent="  ")
    lines.append("")
    lines += _fields(slip.issued_by, label_width, width)
    lines.append(rule)
    for note in slip.notes:
        lines += textwrap.wrap(note, width)
    return lines


def render_text(slip: Slip, width: int = WIDTH) -> str:
    """QR code then the slip's lines, LF line ends, trailing newline."""
    return "\n".join([*qr_lines(slip, width), "", *text_lines(slip, width)]) + "\n"
