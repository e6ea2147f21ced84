"""Every output decoded back and verified; none of them holds the full NIK or phone number.

PDF pages are rendered with poppler's `pdftoppm -r 200` and read with zxing-cpp (CI installs
poppler-utils; without it these tests are skipped, saying why).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from outreach_tui.config import Paths
from outreach_tui.slips import content, layout, pdf, png, qr, text, thermal
from outreach_tui.slips.content import Slip, make_slip
from outreach_tui.slips.keyring import load_keyring
from outreach_tui.slips.keys import DeviceKey
from outreach_tui.slips.payload import verify_payload

from .conftest import (
    FULL_NIK,
    ISSUED,
    MASKED_NIK,
    NAME,
    OFFICER,
    PHONE_FORMS,
    new_id,
    person,
)

SNAPSHOT = Path(__file__).parent / "snapshots" / "slip-text-id.txt"
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed"
)
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


@pytest.fixture
def slip(device_key: DeviceKey) -> Slip:
    return make_slip(person(), OFFICER, device_key, issued=ISSUED)


def _no_secrets(data: bytes) -> None:
    for secret in (FULL_NIK, *PHONE_FORMS):
        assert secret.encode() not in data, secret
        assert secret.encode("utf-16-be") not in data, secret


def _decode(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image)]


def pdf_pages(data: bytes, folder: Path) -> list[Path]:
    """Each page of a PDF as a 200 dpi PNG (poppler)."""
    source = folder / "slips.pdf"
    source.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(source), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def pdf_text(data: bytes, folder: Path) -> str:
    """The text a PDF shows, extracted by poppler."""
    source = folder / "text.pdf"
    source.write_bytes(data)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(source), "-"], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def test_slip_content_is_in_indonesian(slip: Slip) -> None:
    words = slip.all_text()
    assert slip.title == "Slip Pendaftaran BPJS Ketenagakerjaan — Peserta BPU"
    assert NAME in words and MASKED_NIK in words
    assert "Ojek/taksi online (ojol)" in words
    assert "Potongan iuran PP 50/2025 (50%)" in words
    assert "Rp65.900" in words  # 12.500 + 3.400 + 50.000 after the discount
    assert "Rp197.700" in words  # three months
    assert "15 Desember 2026" in words  # first due date: paid after the 15th
    for place in ("Kantor Cabang", "Bank mitra", "Kantor Pos", "Perisai", "NIK"):
        assert place in words
    assert "UU No. 27 Tahun 2022" in words
    assert slip.reference in words
    assert "Budi Santoso (P-0012345)" in words and "KC-BDG" in words
    for secret in (FULL_NIK, *PHONE_FORMS):
        assert secret not in words


def test_slip_in_english_and_without_discount(device_key: DeviceKey) -> None:
    record = person(occupation="penjahit", programs="JKK,JKM", payment_period=1)
    slip = make_slip(record, OFFICER, device_key, issued=ISSUED, lang="en")
    words = slip.all_text()
    assert slip.title.startswith("BPJS Ketenagakerjaan Enrollment Slip")
    assert "discount" not in words.lower()
    assert "Rp31,800" in words  # 25,000 + 6,800
    assert "December 2026" in words


@needs_poppler
@pytest.mark.parametrize("size", layout.SIZES)
def test_pdf_decodes_and_verifies(slip: Slip, size: str, tmp_path: Path, paths: Paths) -> None:
    data = pdf.render_pdf([slip], size)
    assert data.startswith(b"%PDF")
    _no_secrets(data)
    pages = pdf_pages(data, tmp_path)
    assert len(pages) == 1
    found = _decode(Image.open(pages[0]))
    assert found == [slip.payload]
    assert verify_payload(found[0], load_keyring(paths)).valid


@needs_pdftotext
@pytest.mark.parametrize("size", layout.SIZES)
def test_pdf_text_shows_every_letter_of_the_name_and_no_secrets(
    slip: Slip, size: str, tmp_path: Path
) -> None:
    shown = pdf_text(pdf.render_pdf([slip], size), tmp_path)
    assert NAME in shown
    assert MASKED_NIK in shown
    assert slip.reference in shown
    for secret in (FULL_NIK, *PHONE_FORMS):
        assert secret not in shown


def test_uncompressed_pdf_holds_no_secrets(slip: Slip) -> None:
    document = pdf.SlipDocument()
    document.pdf.set_compression(False)
    document.add(slip, "a6")
    _no_secrets(document.output())


def test_a6_content_fits_on_the_page(device_key: DeviceKey) -> None:
    long_name = "Raden Ayu Siti Nurhaliza Kusumawardhani Putri Ñoño Çağrı Đặng"
    record = person(full_name=long_name, occupation="buruh_harian_lepas")
    slip = make_slip(record, OFFICER, device_key, issued=ISSUED)
    page = layout.layout(layout.Wrapper(png._PillowMeasure(10)), slip, "a6")
    assert page.y <= 148
    for op in page.ops:
        assert op.x >= 0 and op.x + op.width <= 105
        assert 0 <= op.y <= 148


@needs_poppler
def test_many_slips_one_pdf_one_per_page(device_key: DeviceKey, tmp_path: Path) -> None:
    records = [person(id=new_id(), full_name=f"Peserta {chr(65 + n)}") for n in range(3)]
    slips = list(content.make_slips(records, OFFICER, device_key, issued=ISSUED))
    pages = pdf_pages(pdf.render_pdf(slips, "58mm"), tmp_path)
    assert [_decode(Image.open(p)) for p in pages] == [[s.payload] for s in slips]


@pytest.mark.parametrize("size", layout.SIZES)
def test_png_decodes_and_verifies(slip: Slip, size: str, paths: Paths) -> None:
    data = png.render_png(slip, size)
    assert data.startswith(b"\x89PNG")
    _no_secrets(data)
    image = Image.open(io.BytesIO(data))
    assert image.width == round(layout.GEOMETRY[size].width * png.PIXELS_PER_MM[size])
    found = _decode(image)
    assert found == [slip.payload]
    assert verify_payload(found[0], load_keyring(paths)).valid


def test_png_survives_a_blurry_small_photo(slip: Slip) -> None:
    image = png.render_image(slip, "58mm").convert("RGB")
    small = image.resize((image.width // 2, image.height // 2), Image.Resampling.BILINEAR)
    assert _decode(small) == [slip.payload]


@pytest.mark.parametrize("size", ["58mm", "80mm"])
def test_escpos_carries_the_native_qr_command_and_payload(slip: Slip, size: str) -> None:
    data = thermal.escpos_bytes(slip, size)
    assert data.startswith(b"\x1b@")  # initialise
    assert thermal.QR_COMMAND in data
    # GS ( k ... 1 P 0 <payload>: store the data in the symbol storage area.
    length = len(slip.payload) + 3
    store = b"\x1d(k" + bytes([length % 256, length // 256]) + b"1P0" + slip.payload.encode()
    assert store in data
    assert b"\x1d(k\x03\x001C" + bytes([thermal.QR_DOTS[size]]) in data  # module size
    assert b"\x1d(k\x03\x001E1" in data  # error correction M
    assert b"\x1dV" in data  # cut
    assert b"Nono Cagri Dang" in data  # ASCII for the printer's own font
    _no_secrets(data)


def test_ascii_text_for_thermal_printers() -> None:
    assert thermal.ascii_text(NAME) == "Nono Cagri Dang"
    assert thermal.ascii_text("Slip — Peserta • Kantor · Pos") == "Slip - Peserta * Kantor - Pos"
    assert thermal.ascii_text("日本") == "??"


def test_text_slip_matches_the_snapshot(slip: Slip) -> None:
    rendered = text.render_text(slip)
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_bytes(rendered.encode("utf-8"))
    assert SNAPSHOT.read_bytes().decode("utf-8") == rendered
    assert "\r" not in rendered
    _no_secrets(rendered.encode("utf-8"))


def test_text_slip_qr_reads_back(slip: Slip) -> None:
    lines = text.qr_lines(slip)
    # Draw the half blocks as pixels (2 px a module) and decode them.
    width = max(len(line) for line in lines)
    image = Image.new("L", (width * 2, len(lines) * 4), 255)
    for y, line in enumerate(lines):
        for x, char in enumerate(line):
            for half, dark in ((0, char in "█▀"), (1, char in "█▄")):
                if dark:
                    image.paste(0, (x * 2, y * 4 + half * 2, x * 2 + 2, y * 4 + half * 2 + 2))
    assert _decode(image) == [slip.payload]
    assert qr.encode(slip.payload).version == 7


@needs_pdftotext
def test_kpj_number_shown_once_assigned(device_key: DeviceKey, tmp_path: Path) -> None:
    without = make_slip(person(), OFFICER, device_key, issued=ISSUED)
    assert "KPJ" not in without.all_text()
    slip = make_slip({**person(), "kpj_number": "26011234567"}, OFFICER, device_key, issued=ISSUED)
    assert "Nomor KPJ" in slip.all_text() and "26011234567" in slip.all_text()
    for size in layout.SIZES:
        assert "26011234567" in pdf_text(pdf.render_pdf([slip], size), tmp_path)
    assert b"26011234567" in thermal.escpos_bytes(slip, "58mm")
    assert "26011234567" in text.render_text(slip)


def test_the_slip_of_an_inactive_participant_says_so(device_key: DeviceKey) -> None:
    """Issue 14: what the central API said of the payments is on the slip, first."""
    told = {"inactive": True, "months": 4, "paid_through": "2026-07"}
    record = {**person(), "arrears": told}
    slip = make_slip(record, OFFICER, device_key, issued=ISSUED)
    assert slip.person[0].value == "TIDAK AKTIF - menunggak 4 bulan (dibayar s.d. 2026-07)"
    assert slip.notes[0].startswith("Peserta tidak aktif")
    assert "TIDAK AKTIF" in text.render_text(slip)
    paid = make_slip({**record, "arrears": {**told, "inactive": False}}, OFFICER, device_key,
                     issued=ISSUED)  # fmt: skip
    assert "TIDAK AKTIF" not in paid.all_text()
    english = make_slip(record, OFFICER, device_key, issued=ISSUED, lang="en")
    assert english.person[0].value.startswith("INACTIVE - 4 months unpaid")
