"""The fast QR encoder: the same symbols as qrcode, the mask the standard's penalty picks."""

from __future__ import annotations

import re
import secrets

import pytest
import qrcode
import zxingcpp
from qrcode.util import QRData

from outreach_tui.slips import codec, qr

SAMPLES = [
    "BPU1:" + codec.encode(secrets.token_bytes(106)),
    "BPU1:" + codec.encode(secrets.token_bytes(135)),
    "HELLO WORLD",
    "0123456789012",
    "Ñoño Çağrı Đặng",
    "A" * 400,
]
_RUNS = re.compile(r"0{5,}|1{5,}")


def _reference_penalty(matrix: list[list[bool]]) -> int:
    """ISO/IEC 18004 mask penalty written plainly, line by line, as the test's oracle."""
    size = len(matrix)
    rows = ["".join("1" if m else "0" for m in row) for row in matrix]
    cols = ["".join(row[c] for row in rows) for c in range(size)]
    score = 0
    for line in rows + cols:
        score += sum(3 + len(run) - 5 for run in _RUNS.findall(line))
        padded = "0000" + line + "0000"
        for pattern in ("10111010000", "00001011101"):
            score += 40 * sum(1 for i in range(len(padded)) if padded.startswith(pattern, i))
    for r in range(size - 1):
        for c in range(size - 1):
            block = {matrix[r][c], matrix[r][c + 1], matrix[r + 1][c], matrix[r + 1][c + 1]}
            score += 3 if len(block) == 1 else 0
    dark = sum(row.count("1") for row in rows)
    return score + 10 * (abs(dark * 100 / (size * size) - 50) // 5)


@pytest.mark.parametrize("text", SAMPLES)
def test_same_symbol_as_qrcode_for_every_mask(text: str) -> None:
    for mask in range(8):
        ours = qr.encode(text, mask=mask)
        theirs = qrcode.QRCode(
            version=ours.version, error_correction=qr.ERROR_CORRECTION, mask_pattern=mask, border=0
        )
        theirs.add_data(QRData(text.encode("utf-8")))
        theirs.make(fit=False)
        assert theirs.get_matrix() == ours.to_lists()
        fit = qrcode.QRCode(error_correction=qr.ERROR_CORRECTION)
        fit.add_data(QRData(text.encode("utf-8")))
        assert fit.best_fit() == ours.version


@pytest.mark.parametrize("text", SAMPLES[:4])
def test_mask_is_the_one_with_the_lowest_penalty(text: str) -> None:
    penalties = [_reference_penalty(qr.encode(text, mask=m).to_lists()) for m in range(8)]
    chosen = qr.encode(text)
    assert penalties[chosen.mask] == min(penalties)
    assert [qr.penalty(qr.encode(text, mask=m).rows, chosen.size) for m in range(8)] == penalties


@pytest.mark.parametrize("text", SAMPLES)
def test_images_decode(text: str) -> None:
    found = zxingcpp.read_barcodes(qr.image(qr.encode(text), module=3))
    assert [r.text for r in found] == [text]


def test_slip_payloads_use_alphanumeric_mode() -> None:
    text = SAMPLES[0]
    assert QRData(text.encode()).mode == qrcode.util.MODE_ALPHA_NUM
    assert qr.encode(text).version == 7


def test_half_blocks_map_back_to_the_modules() -> None:
    matrix = qr.encode(SAMPLES[0])
    lines = qr.half_block_lines(matrix)
    rows = matrix.bit_rows(qr.QUIET_ZONE)
    assert len(lines) == (len(rows) + 1) // 2
    assert all(len(line) == len(rows[0]) for line in lines)
    top = {"█": "1", "▀": "1", "▄": "0", " ": "0"}
    bottom = {"█": "1", "▀": "0", "▄": "1", " ": "0"}
    back = []
    for line in lines:
        back.append("".join(top[ch] for ch in line))
        back.append("".join(bottom[ch] for ch in line))
    assert back[: len(rows)] == rows
    assert set(back[len(rows) :]) <= {"0" * len(rows[0])}
