"""Record detail: status changes under the rules, follow-up, visits, sync state, slip preview."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, RadioButton

from outreach_tui import messages
from outreach_tui.app import OutreachApp
from outreach_tui.slips.keyring import load_keyring
from outreach_tui.slips.payload import verify_payload
from outreach_tui.widgets.qr import QRCode
from tests.receipt_printer import ReceiptPrinter
from tests.tui.conftest import SIZE, wait_for
from tests.tui.helpers_detail import (
    NIK,
    TODAY,
    decode_qr,
    fake_usb_bus,
    open_detail,
    shown,
    store_person,
)

pytestmark = pytest.mark.anyio


def _app(make_tui: Any) -> OutreachApp:
    app: OutreachApp = make_tui()
    app.session.today = lambda: TODAY
    return app


async def _pick(pilot: Any, *button_ids: str) -> None:
    for button_id in button_ids:
        pilot.app.screen.query_one(f"#{button_id}", RadioButton).value = True
        await pilot.pause()


async def _change_status(pilot: Any, *button_ids: str) -> None:
    from outreach_tui.screens.status_dialog import StatusDialog

    await pilot.press("f10")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, StatusDialog))
    await _pick(pilot, *button_ids)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_status_prospect_interested_enrolled_saved_as_versions(
    make_tui: Any, ready_home: Path
) -> None:
    record_id = store_person(ready_home, nik=NIK, consent=True)
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, record_id)
        assert "calon peserta" in shown(screen, "#detail-status").lower()
        await _change_status(pilot, "status-interested")
        await wait_for(pilot, lambda: app.screen is screen)
        store = app.session.store
        assert store.get_record(record_id)["status"] == "interested"
        await _change_status(pilot, "status-enrolled")
        await wait_for(pilot, lambda: app.screen is screen)
        stored = store.get_record(record_id)
        assert (stored["status"], stored["version"], stored["nik"]) == ("enrolled", 3, NIK)
        assert stored["monthly_contribution"]  # enrolling fills programs and the amount
        versions = [v["data"]["status"] for v in store.record_versions(record_id)]
        assert versions == ["prospect", "interested", "enrolled"]
        assert stored["sync_state"] == "pending"
        assert "terdaftar" in shown(screen, "#detail-status").lower()
        assert "Belum terkirim" in shown(screen, "#detail-sync")


async def test_declined_needs_a_reason(make_tui: Any, ready_home: Path) -> None:
    from outreach_tui.screens.status_dialog import StatusDialog

    record_id = store_person(ready_home)
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, record_id)
        await _change_status(pilot, "status-declined")
        dialog = app.screen
        assert isinstance(dialog, StatusDialog)
        assert "Alasan menolak wajib diisi" in shown(dialog, "#status-message")
        assert app.session.store.get_record(record_id)["version"] == 1
        await _pick(pilot, "reason-biaya")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        stored = app.session.store.get_record(record_id)
        assert (stored["status"], stored["decline_reason"], stored["version"]) == (
            "declined",
            "biaya",
            2,
        )
        assert "Tidak mampu membayar iuran" in shown(screen, "#detail-status")
        # Back to interested: the reason goes with the old status.
        await _change_status(pilot, "status-interested")
        await wait_for(pilot, lambda: app.screen is screen)
        stored = app.session.store.get_record(record_id)
        assert (stored["status"], stored["decline_reason"]) == ("interested", None)


async def test_declined_for_another_reason_needs_it_in_words(
    make_tui: Any, ready_home: Path
) -> None:
    from outreach_tui.screens.status_dialog import StatusDialog

    record_id = store_person(ready_home)
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, record_id)
        await _change_status(pilot, "status-declined")
        dialog = app.screen
        assert not dialog.query_one("#reason-other").display
        await _pick(pilot, "reason-lainnya")
        assert dialog.query_one("#reason-other").display
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StatusDialog)
        assert "Alasan lain" in shown(dialog, "#status-message")
        assert app.focused is dialog.query_one("#reason-other")
        assert app.session.store.get_record(record_id)["version"] == 1
        await pilot.press(*"kerja di luar kota", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        stored = app.session.store.get_record(record_id)
        assert (stored["status"], stored["decline_reason"]) == ("declined", "lainnya")
        assert "kerja di luar kota" in stored["notes"]


async def test_enrolled_without_nik_is_refused_and_offers_the_form(
    make_tui: Any, ready_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from outreach_tui.screens.status_dialog import StatusDialog

    opened: list[str] = []
    monkeypatch.setattr(OutreachApp, "on_edit_record", lambda self, m: opened.append(m.record_id))
    record_id = store_person(ready_home)
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, record_id)
        await _change_status(pilot, "status-enrolled")
        dialog = app.screen
        assert isinstance(dialog, StatusDialog)
        message = shown(dialog, "#status-message")
        assert "NIK wajib diisi" in message and "F9" in message
        assert app.session.store.get_record(record_id)["status"] == "prospect"
        assert len(app.session.store.record_versions(record_id)) == 1
        await pilot.press("f9")
        await wait_for(pilot, lambda: opened == [record_id])
        assert app.screen is screen


async def test_active_is_never_offered(make_tui: Any, ready_home: Path) -> None:
    record_id = store_person(ready_home, nik=NIK, consent=True, status="enrolled")
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, record_id)
        await pilot.press("f10")
        await pilot.pause()
        ids = {button.id for button in app.screen.query(RadioButton)}
        assert "status-declined" in ids
        assert not {"status-active", "status-prospect", "status-interested"} & ids


async def test_follow_up_scheduled(make_tui: Any, ready_home: Path) -> None:
    from outreach_tui.screens.visit_dialog import FollowUpDialog

    record_id = store_person(ready_home)
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, record_id)
        await pilot.press("f12")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowUpDialog))
        box = app.screen.query_one("#follow-up-date", Input)
        assert box.value == "30/11/2026"  # a week after the session's day
        for text, error in (("31/02/2026", "tidak valid"), ("1/11/2026", "sudah lewat")):
            box.value = text
            await pilot.press("enter")
            await pilot.pause()
            assert error in shown(app.screen, "#follow-up-message")
            assert app.session.store.get_record(record_id)["follow_up_on"] is None
        box.value = "5/12/2026"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert app.session.store.get_record(record_id)["follow_up_on"] == "2026-12-05"
        assert "05/12/2026" in shown(screen, "#detail-status")
        assert "05/12/2026" in shown(screen, "#detail-message")


async def test_visits_logged_newest_first(make_tui: Any, ready_home: Path) -> None:
    from outreach_tui.screens.visit_dialog import VisitDialog

    record_id = store_person(ready_home)
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, record_id)
        assert "Belum ada kunjungan" in shown(screen, "#detail-visits")
        for outcome, note in (("not_home", "Pulang sore"), ("met", "Minta brosur")):
            await pilot.press("f11")
            await wait_for(pilot, lambda: isinstance(app.screen, VisitDialog))
            await pilot.press("ctrl+s")  # no outcome yet: said, nothing saved
            await pilot.pause()
            assert "Pilih hasil kunjungan" in shown(app.screen, "#visit-message")
            await _pick(pilot, f"outcome-{outcome}")
            app.screen.query_one("#visit-note", Input).value = note
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is screen)
        visits = app.session.store.visits_for(record_id)
        assert [(v["outcome"], v["note"]) for v in visits] == [
            ("not_home", "Pulang sore"),
            ("met", "Minta brosur"),
        ]
        assert {(v["region_code"], v["rw"], v["rt"], v["officer_id"]) for v in visits} == {
            ("32.01.01.1001", "003", "002", "p-001")
        }
        history = shown(screen, "#detail-visits").splitlines()
        assert "Minta brosur" in history[0] and "Pulang sore" in history[1]


async def test_nik_masked_until_revealed_and_kpj_after_sync(
    make_tui: Any, ready_home: Path
) -> None:
    record_id = store_person(ready_home, nik=NIK, consent=True, status="enrolled")
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, record_id)
        person = shown(screen, "#detail-person")
        assert NIK not in person and NIK[:4] + "********" + NIK[-4:] in person
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert NIK in shown(screen, "#detail-person")
        assert "Belum ada" in shown(screen, "#detail-sync")
        # A background sync brought the KPJ number: the screen follows DataChanged.
        store = app.session.store
        stored = store.get_record(record_id)
        store.save_record({**stored, "kpj_number": "12345678901"}, actor="sync")
        app.post_message(messages.RecordsChanged((record_id,)))
        await wait_for(pilot, lambda: "12345678901" in shown(screen, "#detail-sync"))
        # A version the central API set aside names its state and the reasons.
        rows = screen._sync_rows(
            {"sync_state": "rejected"},
            {"reasons": [{"field": "nik", "message": "NIK sudah terdaftar di pusat"}]},
        )
        assert "ditolak" in rows[0][1].lower() and "NIK sudah terdaftar di pusat" in rows[0][1]


async def test_slip_refused_for_a_prospect(make_tui: Any, ready_home: Path) -> None:
    record_id = store_person(ready_home)
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, record_id)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.screen is screen
        assert "terdaftar atau aktif" in shown(screen, "#detail-message")
        # No KPJ number for someone not enrolled, and no promise of one either.
        assert "belum terdaftar" in shown(screen, "#detail-sync")
        assert "setelah pendaftaran" not in shown(screen, "#detail-sync")


async def _slip_screen(pilot: Any, record_id: str) -> Any:
    from outreach_tui.screens.slip_preview import SlipPreviewScreen

    await open_detail(pilot, record_id)
    await pilot.press("ctrl+t")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SlipPreviewScreen))
    screen = pilot.app.screen
    await wait_for(pilot, lambda: screen.slip is not None, timeout=20)
    await pilot.pause()
    return screen


async def test_slip_preview_qr_decodes_and_verifies(make_tui: Any, ready_home: Path) -> None:
    record_id = store_person(ready_home, nik=NIK, consent=True, status="enrolled")
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _slip_screen(pilot, record_id)
        code = screen.query_one("#slip-qr", QRCode)
        assert code.data == screen.slip.payload
        assert decode_qr(code.lines) == [code.data]
        verification = verify_payload(code.data, load_keyring(app.session.paths))
        assert verification.valid, verification.reason_code
        text = shown(screen, "#slip-text")
        assert "Siti Aminah" in text and NIK not in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "RecordDetailScreen"


async def test_slip_pdf_written(make_tui: Any, ready_home: Path, tmp_path: Path) -> None:
    record_id = store_person(ready_home, nik=NIK, consent=True, status="enrolled")
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _slip_screen(pilot, record_id)
        folder = screen.query_one("#slip-folder", Input)
        assert folder.value == str(app.session.paths.data_dir / "slips")
        folder.value = str(tmp_path / "out")
        await pilot.press("f9")
        target = tmp_path / "out" / f"slip-{screen.slip.reference}.pdf"
        await wait_for(pilot, lambda: str(target) in shown(screen, "#slip-message"), timeout=20)
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(target), "-"], capture_output=True, check=True
        ).stdout.decode()
        assert "Siti Aminah" in text and screen.slip.reference in text


async def test_slip_printed_on_a_receipt_printer(make_tui: Any, ready_home: Path) -> None:
    """A network ESC/POS printer on loopback (as tests/slips do): the bytes really go out."""
    record_id = store_person(ready_home, nik=NIK, consent=True, status="enrolled")
    printer = ReceiptPrinter()
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _slip_screen(pilot, record_id)
        await pilot.press("f10")
        await pilot.pause()
        assert "Belum ada printer" in shown(screen, "#slip-message")
        address = printer.address
        screen.query_one("#slip-printer", Input).value = address
        await pilot.press("f10")
        await wait_for(pilot, lambda: "dikirim ke printer" in shown(screen, "#slip-message"), 20)
        assert app.session.store.get_meta("tui.slip_printer") == address
        payload = screen.slip.payload
    printer.close()
    received = printer.received
    assert b"\x1d(k" in received and payload.encode() in bytes(received)


async def test_printer_failure_is_said(make_tui: Any, ready_home: Path) -> None:
    record_id = store_person(ready_home, nik=NIK, consent=True, status="enrolled")
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _slip_screen(pilot, record_id)
        screen.query_one("#slip-printer", Input).value = f"tcp://127.0.0.1:{port}"
        await pilot.press("f10")
        await wait_for(pilot, lambda: "tidak bisa dihubungi" in shown(screen, "#slip-message"))
        assert app.session.store.get_meta("tui.slip_printer") is None


async def test_english_labels(make_tui: Any, ready_home: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("OUTREACH_LANG", "en")
    record_id = store_person(ready_home, follow_up_on=(TODAY - dt.timedelta(days=1)).isoformat())
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, record_id)
        assert "(due)" in shown(screen, "#detail-status")
        assert "Not sent yet" in shown(screen, "#detail-sync")


async def test_change_made_on_a_stale_copy_is_not_saved(make_tui: Any, ready_home: Path) -> None:
    """A sync saved a new version while the dialog was open: nothing is overwritten."""
    from outreach_tui.screens.status_dialog import StatusDialog

    record_id = store_person(ready_home, nik=NIK, consent=True)
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, record_id)
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, StatusDialog))
        store = app.session.store
        store.save_record(
            {**store.get_record(record_id), "kpj_number": "98765432101"}, actor="sync"
        )
        app.post_message(messages.RecordsChanged((record_id,)))
        await _pick(pilot, "status-interested")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        stored = store.get_record(record_id)
        assert (stored["status"], stored["kpj_number"], stored["version"]) == (
            "prospect",
            "98765432101",
            2,
        )
        assert "baru saja berubah" in shown(screen, "#detail-message")


async def test_slip_printed_on_a_usb_receipt_printer(
    make_tui: Any, ready_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only pyusb is replaced: python-escpos and the slip code run for real."""
    from outreach_tui.slips.thermal import escpos_bytes

    printer = fake_usb_bus(monkeypatch, 0x0416, 0x5011)
    record_id = store_person(ready_home, nik=NIK, consent=True, status="enrolled")
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _slip_screen(pilot, record_id)
        screen.query_one("#slip-printer", Input).value = "usb:0x0416:0x5011"
        await pilot.press("f10")
        await wait_for(pilot, lambda: "dikirim ke printer" in shown(screen, "#slip-message"), 20)
        slip = screen.slip
        screen.query_one("#slip-printer", Input).value = "usb:0x0416:0x9999"
        await pilot.press("f10")
        await wait_for(pilot, lambda: "tidak bisa dihubungi" in shown(screen, "#slip-message"), 20)
        assert app.session.store.get_meta("tui.slip_printer") == "usb:0x0416:0x5011"
    assert bytes(printer.written) == escpos_bytes(slip, "58mm")
    assert slip.payload.encode() in bytes(printer.written)


async def test_language_change_redraws_the_record(make_tui: Any, ready_home: Path) -> None:
    record_id = store_person(ready_home, nik=NIK, consent=True, status="enrolled")
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, record_id)
        assert "Belum terkirim" in shown(app.screen, "#detail-sync")
        app.session.update_settings(language="en")
        app.apply_settings()
        await wait_for(pilot, lambda: "Not sent yet" in shown(app.screen, "#detail-sync"))
        assert "Siti Aminah" in shown(app.screen, "#detail-person")
        assert NIK[-4:] in shown(app.screen, "#detail-person")


async def test_a_promise_to_pay_needs_its_day_and_becomes_the_follow_up(
    make_tui: Any, ready_home: Path
) -> None:
    from outreach_tui.screens.visit_dialog import VisitDialog

    record_id = store_person(ready_home)
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, record_id)
        await pilot.press("f11")
        await wait_for(pilot, lambda: isinstance(app.screen, VisitDialog))
        promise = app.screen.query_one("#visit-promise", Input)
        assert not promise.display  # asked only for "janji bayar"
        await _pick(pilot, "outcome-janji_bayar")
        await wait_for(pilot, lambda: promise.display)
        await pilot.press("ctrl+s")  # no day given: said, nothing saved
        await pilot.pause()
        assert "Tanggal janji bayar wajib" in shown(app.screen, "#visit-message")
        promised = TODAY + dt.timedelta(days=10)
        promise.value = promised.strftime("%d/%m/%Y")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        (visit,) = app.session.store.visits_for(record_id)
        assert visit["outcome"] == "janji_bayar"
        assert visit["note"] == f"Janji bayar {promised.strftime('%d/%m/%Y')}"
        record = app.session.store.get_record(record_id)
        assert record["follow_up_on"] == promised.isoformat()
        assert "Janji bayar" in shown(screen, "#detail-visits")


async def test_a_person_joins_a_group_from_the_record(make_tui: Any, ready_home: Path) -> None:
    """Ctrl+G on the detail: pick a group with the keyboard; the membership is saved once,
    shown in the detail, and queued for the central API (issue 14: not only by attending)."""
    from outreach_tui.screens.groups import GroupPickDialog

    record_id = store_person(ready_home, nik=NIK, consent=True)
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, record_id)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "Belum ada kelompok" in shown(screen, "#detail-message")
        store = app.session.store
        for name in ("Pasar Cibinong", "Pangkalan Ojek Simpang"):
            store.save_group({"name": name, "kind": "pasar", "region_code": "32.01.01.1001"},
                             actor="p-001")  # fmt: skip
        await pilot.press("ctrl+g", "down", "enter")  # typed ahead: the second group
        await wait_for(pilot, lambda: "Dimasukkan ke kelompok" in shown(screen, "#detail-message"))
        assert "Pasar Cibinong" in shown(screen, "#detail-message")  # by name, sorted
        assert "Pasar Cibinong" in shown(screen, "#detail-status")
        # The person, the two groups and the membership: the header counts them all.
        await wait_for(pilot, lambda: "4 belum terkirim" in app.sub_title)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: isinstance(app.screen, GroupPickDialog))
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: "Sudah anggota" in shown(screen, "#detail-message"))
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: isinstance(app.screen, GroupPickDialog))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        assert [g["name"] for g in store.groups_of(record_id)] == ["Pasar Cibinong"]
        assert [i.kind for i in store.group_outbox(10)].count("membership") == 1
