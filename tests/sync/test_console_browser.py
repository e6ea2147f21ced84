"""The branch console in a real browser: Debian's Chromium driven by Playwright (launched by
executable_path; no browser is downloaded), against the real server on loopback and real
laptops set up and synced with the `outreach` command."""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from outreach_tui.cli import main
from sync.server.console.store import ConsoleStore
from tests.conftest import cli_setup, unlocked_store
from tests.sync.conftest import CentralServer, nik_for

pytestmark = pytest.mark.sqlite_only  # the storage is covered by the HTTP tests on both

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "kata-sandi-cabang-panjang"
HEADER = "full_name,nik,phone,occupation,programs,payment_period,region_code,rw,rt,status,consent\n"
COMMENT = "NIK milik kakaknya; minta KTP asli"
SHOTS = Path(os.environ.get("OUTREACH_SHOTS", "")) if os.environ.get("OUTREACH_SHOTS") else None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is needed in CI (.ci/run installs it)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


def _laptop(home: Path, central: CentralServer, officer: str, name: str, mp: Any) -> Any:
    mp.setenv("OUTREACH_HOME", str(home))
    token = central.add_device(officer, "KC-BOGOR")
    assert cli_setup(central.url, token, officer).exit_code == 0
    people = home / "people.csv"
    people.write_text(
        HEADER + f"{name},{nik_for(3)},0812-3456-7890,ojol,JKK JKM,1,3201011001,1,2,enrolled,ya\n"
    )
    assert CliRunner().invoke(main, ["import", str(people)]).exit_code == 0
    return CliRunner().invoke(main, ["sync"])


def _shot(page: Any, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _sign_in(browser: Any, central: CentralServer, username: str, role: str, **context: Any):
    code = ConsoleStore(central.storage).add_staff("KC-BOGOR", username, role, by="test")
    page = browser.new_context(viewport={"width": 1366, "height": 768}, **context).new_page()
    page.goto(f"{central.url}/console/")
    assert page.url.endswith("/console/signin")  # no session: the sign-in page
    page.click("text=Masuk pertama kali dengan kode")
    page.fill("#username", username)
    page.fill("#code", code)
    page.fill("#password", PASSWORD)
    page.fill("#again", PASSWORD)
    page.click("button[type=submit]")
    assert "Kata sandi tersimpan" in page.inner_text("main")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/")
    return page


def test_resolve_a_duplicate_and_the_laptop_sees_the_comment(
    browser: Any, tmp_path: Path, central_server: CentralServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _laptop(tmp_path / "a", central_server, "p-a", "Siti Aminah", monkeypatch)
    synced = _laptop(tmp_path / "b", central_server, "p-b", "Rina Wati", monkeypatch)
    assert synced.exit_code == 1  # the NIK is held by laptop A's record: flagged
    page = _sign_in(browser, central_server, "dewi", "supervisor")
    assert "Ringkasan cabang KC-BOGOR" in page.inner_text("h1")
    page.click("nav >> text=Antrean tinjauan")
    section = page.locator("section.dup")
    assert section.count() == 1
    text = section.inner_text()
    assert "Rina Wati" in text and "Siti Aminah" in text and nik_for(3) not in text
    _shot(page, "review")
    section.locator("textarea").fill(COMMENT)
    section.locator("button[value=wrong_nik]").click()
    page.wait_for_load_state()
    assert "Keputusan tersimpan" in page.inner_text("main")
    assert page.locator("section.dup").count() == 0
    assert COMMENT in page.inner_text("main")  # waiting for the officer
    # The losing laptop syncs: the record is set aside with the supervisor's comment.
    synced = CliRunner().invoke(main, ["sync"])
    assert COMMENT in synced.output and "dikembalikan supervisor" in synced.output
    store = unlocked_store(tmp_path / "b")
    try:
        (aside,) = [r for r in store.set_aside() if r["sync_state"] == "sent_back"]
        assert aside["reasons"][0]["message"] == COMMENT
    finally:
        store.close()


def test_add_a_device_set_up_a_laptop_pay_and_export(
    browser: Any, tmp_path: Path, central_server: CentralServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _sign_in(browser, central_server, "kepala", "admin")
    page.click("nav >> text=Perangkat")
    page.fill("#officer_id", "petugas-7")
    page.click("text=Tambah perangkat (buat kode)")
    code = page.inner_text("#new-code").strip()
    _shot(page, "devices")
    # A real laptop is set up with the code: the token is never typed.
    monkeypatch.setenv("OUTREACH_HOME", str(tmp_path / "c"))
    runner = CliRunner()
    done = runner.invoke(main, ["setup", "--officer-name", "Rina Wati", "--server",
                                central_server.url, "--code", code])  # fmt: skip
    assert done.exit_code == 0, done.output
    people = tmp_path / "people.csv"
    people.write_text(
        HEADER + f"Siti Aminah,{nik_for(8)},0812-3456-7890,ojol,JKK JKM,1,3201011001,1,2,"
        "enrolled,ya\n"
    )
    assert runner.invoke(main, ["import", str(people)]).exit_code == 0
    assert runner.invoke(main, ["sync"]).exit_code == 0
    page.reload()
    assert "petugas-7" in page.inner_text("table")
    # The branch records the payment; `active` reaches the laptop with its next sync.
    page.click("nav >> text=Data")
    page.fill("#q", "siti")
    page.click("button:has-text('Cari')")
    page.click("#records >> text=Siti Aminah")
    page.click("#mark-paid")
    assert "Pembayaran tercatat" in page.inner_text("main")
    assert page.inner_text("#status") == "Aktif" or "ktif" in page.inner_text("#status")
    assert runner.invoke(main, ["sync"]).exit_code == 0
    store = unlocked_store(tmp_path / "c")
    try:
        (record,) = store.list_records(limit=5)
        assert record["status"] == "active"
    finally:
        store.close()
    # Export what the search shows, as a real download.
    page.click("nav >> text=Data")
    page.fill("#q", "siti")
    page.click("button:has-text('Cari')")
    with page.expect_download() as download:
        page.click("text=CSV")
    path = download.value.path()
    rows = list(csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))
    assert [(r["full_name"], r["status"], r["officer_id"]) for r in rows] == [
        ("Siti Aminah", "active", "petugas-7")
    ]


def test_the_console_reads_on_a_phone_and_in_english(
    browser: Any, central_server: CentralServer
) -> None:
    page = _sign_in(browser, central_server, "sari", "supervisor")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{central_server.url}/console/?lang=en")
    assert "Overview of branch KC-BOGOR" in page.inner_text("h1")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, "the overview scrolls sideways on a phone"
    _shot(page, "phone-overview")
    page.goto(f"{central_server.url}/console/review")
    assert "Review queue" in page.inner_text("h1")  # the choice is kept (cookie)
    # Core actions work without JavaScript.
    no_js = browser.new_context(java_script_enabled=False).new_page()
    no_js.goto(f"{central_server.url}/console/signin")
    assert no_js.locator("form[action='/console/signin']").count() == 1


def test_groups_and_events_in_chromium_on_a_desk_and_a_phone(
    browser: Any, central_server: CentralServer
) -> None:
    """The Kelompok & kegiatan page as a supervisor sees it: groups pushed by a laptop with
    their coverage, an event with its attendance; on a phone the tables scroll, not the page."""
    from tests.sync.conftest import make_record, record_item, statuses
    from tests.sync.test_server_groups import attendance, event, group, item, membership

    token = central_server.add_device("petugas-7", "KC-BOGOR")
    people = [make_record(n, status="enrolled" if n == 0 else "prospect",
                          **({"nik": nik_for(n), "consent": True} if n == 0 else {}))
              for n in range(3)]  # fmt: skip
    market = group(name="Pasar Cibinong", kind="pasar", declared_workers=120)
    held = event(market["id"], place="Los daging Pasar Cibinong")
    items = [record_item(p) for p in people] + [item("group", market), item("event", held)]
    items += [item("membership", membership(market["id"], p["id"])) for p in people]
    items += [item("attendance", attendance(held["id"], p["id"])) for p in people[1:]]
    assert set(statuses(central_server.push(token, items))) == {"accepted"}
    page = _sign_in(browser, central_server, "sari", "supervisor")
    page.click("nav >> text=Kelompok & kegiatan")
    assert "Kelompok (1)" in page.inner_text("h1")
    row = page.locator("#groups tbody tr").first.inner_text()
    assert "Pasar Cibinong" in row and "33%" in row and "120" in row  # 1 of 3 members enrolled
    assert "Los daging Pasar Cibinong" in page.locator("#events").inner_text()
    _shot(page, "groups-desk")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    _shot(page, "groups-phone")
