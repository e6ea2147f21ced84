"""`outreach slip`, `slips`, `slip-verify` and `slip-key` on a real (encrypted) store."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image, ImageFilter

from outreach_tui.cli import main
from outreach_tui.config import Paths, Settings
from outreach_tui.slips.signing import encode_public_key, key_id_for
from tests.receipt_printer import ReceiptPrinter

from .conftest import FULL_NIK, MASKED_NIK, NAME, PHONE_FORMS, RECORD_ID, new_id, person
from .test_outputs import needs_poppler, pdf_pages

Saver = Callable[..., list[dict[str, Any]]]
PAYLOAD = re.compile(rb"BPU1:[0-9A-Z]+")


def run(*args: str, **kwargs: Any) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kwargs)


def _no_secrets(text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    for secret in (FULL_NIK, *PHONE_FORMS):
        assert secret.encode() not in data, secret


def _payload_of(record_id: str = RECORD_ID) -> str:
    result = run("slip", record_id, "--format", "escpos")
    assert result.exit_code == 0, result.output
    found = PAYLOAD.search(result.stdout_bytes)
    assert found is not None
    return found.group().decode()


@pytest.fixture
def enrolled(store_records: Saver) -> dict[str, Any]:
    return store_records(person(today=dt.date.today()))[0]


def test_text_slip_on_stdout(enrolled: dict[str, Any]) -> None:
    result = run("slip", RECORD_ID, "--format", "text")
    assert result.exit_code == 0, result.output
    assert NAME in result.output and MASKED_NIK in result.output
    assert "Slip Pendaftaran BPJS Ketenagakerjaan" in result.output
    assert "█" in result.output and "\x1b[" not in result.output  # no colours off a terminal
    _no_secrets(result.output)


@needs_poppler
def test_pdf_slip_verifies(enrolled: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "slip.pdf"
    result = run("slip", RECORD_ID, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "disimpan" in result.output
    pages = pdf_pages(out.read_bytes(), tmp_path)
    verified = run("slip-verify", "--image", str(pages[0]))
    assert verified.exit_code == 0, verified.output
    assert "Slip SAH" in verified.output and "perangkat ini" in verified.output
    assert NAME not in verified.output  # the QR code carries no name


def test_png_slip_and_a_phone_photo_of_it_verify(enrolled: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "slip.png"
    assert (
        run("slip", RECORD_ID, "--format", "png", "--size", "58mm", "--out", str(out)).exit_code
        == 0
    )
    _no_secrets(out.read_bytes())
    result = run("slip-verify", "--image", str(out))
    assert result.exit_code == 0, result.output
    # A photo: tilted, smaller, soft, dim, grey paper, JPEG.
    photo = Image.open(out).convert("RGB").rotate(7, expand=True, fillcolor=(235, 235, 225))
    photo = photo.resize((photo.width * 2 // 3, photo.height * 2 // 3), Image.Resampling.BILINEAR)
    photo = photo.filter(ImageFilter.GaussianBlur(0.8)).point(lambda v: int(40 + v * 0.6))
    jpeg = tmp_path / "photo.jpg"
    photo.save(jpeg, quality=55)
    result = run("slip-verify", "--image", str(jpeg), "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["valid"] and answer["fields"]["record_id"] == RECORD_ID


def test_escpos_bytes_on_stdout(enrolled: dict[str, Any], tmp_path: Path) -> None:
    result = run("slip", RECORD_ID, "--format", "escpos")
    assert result.exit_code == 0
    data = result.stdout_bytes
    assert b"\x1d(k" in data and PAYLOAD.search(data)
    _no_secrets(data)
    out = tmp_path / "slip.bin"
    assert run("slip", RECORD_ID, "--format", "escpos", "--out", str(out)).exit_code == 0
    assert out.read_bytes() == data  # deterministic: same day, same signature


def test_unknown_id_and_wrong_status(store_records: Saver) -> None:
    store_records(person(id=new_id(), status="interested"), person(today=dt.date.today()))
    result = run("slip", "0f8e2c4a-0000-4000-8000-000000000000")
    assert result.exit_code == 1
    assert "Tidak ada data dengan ID" in result.output
    interested = next(r for r in _all_records() if r["status"] == "interested")
    result = run("slip", interested["id"], "--format", "text")
    assert result.exit_code == 1
    assert "terdaftar atau aktif" in result.output and "status data ini: tertarik" in result.output
    english = run("slip", "nope", env={"OUTREACH_LANG": "en"})
    assert english.exit_code == 1 and "No record with id nope" in english.output


def _all_records() -> list[dict[str, Any]]:
    from outreach_tui.commands.common import make_context

    with make_context().store() as store:
        return list(store.iter_records())


def test_slip_needs_an_officer(paths: Paths) -> None:
    result = run("slip", RECORD_ID)
    assert result.exit_code == 2 and "outreach setup" in result.output


def test_slip_key_prints_the_public_key_and_trusts_others(
    officer: Settings, tmp_path: Path, paths: Paths
) -> None:
    result = run("slip-key")
    assert result.exit_code == 0
    shown = json.loads(result.output)
    assert set(shown) == {"key_id", "officer_id", "branch", "public_key"}
    assert shown["officer_id"] == "P-0012345" and shown["branch"] == "KC-BDG"
    private = paths.keys_dir / "device_ed25519.key"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert run("slip-key").output == result.output  # made once
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    key_file = tmp_path / "other.json"
    key_file.write_text(
        json.dumps({"key_id": key_id_for(other), "public_key": encode_public_key(other)})
    )
    added = run("slip-key", "--add", str(key_file))
    assert added.exit_code == 0 and key_id_for(other) in added.output
    listed = json.loads(run("slip-key", "--list").output)
    assert {k["key_id"] for k in listed} == {shown["key_id"], key_id_for(other)}
    key_file.write_text(json.dumps({"key_id": "0" * 16, "public_key": encode_public_key(other)}))
    assert run("slip-key", "--add", str(key_file)).exit_code == 2


def test_verify_rejects_tampering_and_unknown_keys(
    enrolled: dict[str, Any], paths: Paths, tmp_path: Path
) -> None:
    payload = _payload_of()
    assert run("slip-verify", payload).exit_code == 0
    flipped = payload[:-3] + ("0" if payload[-3] != "0" else "1") + payload[-2:]
    result = run("slip-verify", flipped)
    assert result.exit_code == 1
    assert "TIDAK SAH" in result.output and "Tanda tangan tidak cocok" in result.output
    # The same slip on a laptop that does not know this device's key.
    (paths.keys_dir / "device_ed25519.json").rename(tmp_path / "moved.json")
    result = run("slip-verify", payload)
    assert result.exit_code == 1 and "tidak dikenal" in result.output
    english = run("slip-verify", payload, "--json", env={"OUTREACH_LANG": "en"})
    answer = json.loads(english.output)
    assert answer["valid"] is False and answer["reason"] == "unknown_key"
    assert answer["message"].startswith("The signing key is unknown")
    assert run("slip-verify", "hello").exit_code == 1


def test_verify_unreadable_input(officer: Settings, tmp_path: Path) -> None:
    assert run("slip-verify").exit_code == 2
    assert run("slip-verify", "BPU1:X", "--image", "x.png").exit_code == 2
    not_image = tmp_path / "notes.png"
    not_image.write_text("hello")
    result = run("slip-verify", "--image", str(not_image))
    assert result.exit_code == 2 and "tidak bisa dibuka" in result.output
    blank = tmp_path / "blank.png"
    Image.new("L", (300, 300), 255).save(blank)
    result = run("slip-verify", "--image", str(blank))
    assert result.exit_code == 2 and "Tidak ada kode QR" in result.output
    assert run("slip-verify", "--image", str(tmp_path / "missing.png")).exit_code == 2


@needs_poppler
def test_many_slips_into_one_pdf(store_records: Saver, tmp_path: Path) -> None:
    today = dt.date.today()
    records = [
        person(today=today, id=new_id(), full_name="Siti Aminah"),
        person(today=today, id=new_id(), full_name="Ñoño Çağrı Đặng", programs="JKK,JKM"),
        person(today=today, id=new_id(), full_name="Wayan", region_code="32.01.01.1010"),
        person(today=today, id=new_id(), full_name="Budi", status="interested"),
    ]
    store_records(*records)
    out = tmp_path / "all.pdf"
    result = run("slips", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "3 slip" in result.output
    pages = pdf_pages(out.read_bytes(), tmp_path)
    payloads = [run("slip-verify", "--image", str(p), "--json") for p in pages]
    assert all(p.exit_code == 0 for p in payloads)
    ids = {json.loads(p.output)["fields"]["record_id"] for p in payloads}
    assert ids == {r["id"] for r in records[:3]}

    region = run("slips", "--region", "32.01.01.1010", "--out", str(tmp_path / "r.pdf"))
    assert region.exit_code == 0 and "1 slip" in region.output
    day = run("slips", "--date", today.isoformat(), "--size", "80mm", "--out", str(out))
    assert day.exit_code == 0 and "3 slip" in day.output
    none = run("slips", "--date", "2001-01-01", "--out", str(tmp_path / "none.pdf"))
    assert none.exit_code == 1 and not (tmp_path / "none.pdf").exists()
    assert run("slips", "--status", "interested", "--out", str(out)).exit_code == 2
    assert run("slips", "--out", str(tmp_path / "all.png")).exit_code == 2


def test_slips_names_what_it_skips(
    store_records: Saver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from outreach_tui.commands import slips as command
    from outreach_tui.slips.payload import SlipError

    today = dt.date.today()
    broken = person(today=today, id=new_id(), full_name="Rusak")
    store_records(person(today=today), broken)
    real = command.make_slip

    def make_slip(record: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        if record["id"] == broken["id"]:
            raise SlipError("slip.no_rates", date="2099-01-01")
        return real(record, *args, **kwargs)

    monkeypatch.setattr(command, "make_slip", make_slip)
    out = tmp_path / "some.pdf"
    result = run("slips", "--out", str(out))
    assert result.exit_code == 1
    assert f"Dilewati {broken['id']}: Tabel tarif iuran" in result.output
    assert "1 slip disimpan" in result.output and out.exists()


def _fake_cups(folder: Path, printers: tuple[str, ...] = ("Kasir",)) -> Path:
    folder.mkdir()
    log = folder / "lp.log"
    (folder / "lp").write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> "{log}"\n'
        "for last; do :; done\n"
        f'cp "$last" "{folder}/printed"\n'
        'echo "request id is Kasir-7 (1 file(s))"\n'
    )
    known = " ".join(printers)
    (folder / "lpstat").write_text(
        "#!/bin/sh\n"
        f'for name in {known}; do [ "$2" = "$name" ] && exit 0; done\n'
        'echo "lpstat: Invalid destination name in list" >&2\nexit 1\n'
    )
    for name in ("lp", "lpstat"):
        (folder / name).chmod(0o755)
    return log


def test_print_to_a_cups_printer(
    enrolled: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _fake_cups(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    result = run("slip", RECORD_ID, "--printer", "Kasir")
    assert result.exit_code == 0, result.output
    assert "dikirim ke printer Kasir" in result.output
    assert log.read_text().startswith("-d Kasir -- ")
    assert (tmp_path / "bin" / "printed").read_bytes().startswith(b"%PDF")
    raw = run("slip", RECORD_ID, "--format", "escpos", "--printer", "Kasir")
    assert raw.exit_code == 0 and "-o raw" in log.read_text()
    missing = run("slip", RECORD_ID, "--printer", "Gudang")
    assert missing.exit_code == 1 and "belum diatur di CUPS" in missing.output


def test_no_lp_says_so(
    enrolled: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = run("slip", RECORD_ID, "--printer", "Kasir")
    assert result.exit_code == 1 and "'lp' (CUPS) tidak ada" in result.output
    assert run("slip", RECORD_ID, "--format", "text", "--printer", "Kasir").exit_code == 2


def test_print_to_a_network_receipt_printer(enrolled: dict[str, Any]) -> None:
    printer = ReceiptPrinter()
    result = run("slip", RECORD_ID, "--printer", printer.address)
    printer.close()
    received = printer.received
    assert result.exit_code == 0, result.output
    assert b"\x1d(k" in received and PAYLOAD.search(bytes(received))
    assert bytes(received) == run("slip", RECORD_ID, "--format", "escpos").stdout_bytes


def test_printer_addresses_that_cannot_work(enrolled: dict[str, Any]) -> None:
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    result = run("slip", RECORD_ID, "--printer", f"tcp://127.0.0.1:{port}")
    assert result.exit_code == 1 and "tidak bisa dihubungi" in result.output
    pdf_to_tcp = run("slip", RECORD_ID, "--format", "pdf", "--printer", "tcp://127.0.0.1:9100")
    assert pdf_to_tcp.exit_code == 2 and "--format escpos" in pdf_to_tcp.output
    assert run("slip", RECORD_ID, "--printer", "ftp://x").exit_code == 2
    assert run("slip", RECORD_ID, "--format", "escpos", "--size", "a6").exit_code == 2


def test_every_slip_command_has_help() -> None:
    for name in ("slip", "slips", "slip-verify", "slip-key"):
        result = run(name, "--help")
        assert result.exit_code == 0 and len(result.output) > 200
