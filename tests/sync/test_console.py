"""The branch console over HTTP, on the real server on loopback (SQLite and PostgreSQL):
staff sign-in (first password with a one-time code, lockout), sessions and CSRF, the review
queue's decisions on duplicate NIKs, setup codes for new laptops, and the branch fence."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import pytest
import requests

from sync.server.console.store import ConsoleStore, lock_seconds
from tests.sync.conftest import CentralServer, enrolled_record, record_item

PASSWORD = "kata-sandi-cabang-panjang"
PUBLIC = ("/console/signin", "/console/welcome", "/console/static/console.css")


def console_routes(app: Any, method: str) -> list[str]:
    """Every console path of the app answering `method` (path parameters filled with an id):
    a page or a form added later is covered without being listed here."""
    paths = []
    routes = []
    for route in app.routes:  # an included router is one route holding the router's own
        routes += getattr(getattr(route, "original_router", None), "routes", [route])
    for route in routes:
        path = getattr(route, "path", "")
        if not path.startswith("/console") or method not in getattr(route, "methods", ()):
            continue
        if path in PUBLIC:
            continue
        paths.append(
            re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", path).replace(
                "export.00000000-0000-4000-8000-000000000000", "export.csv"
            )
        )
    return sorted(paths)


def staff_session(central: CentralServer, username: str, branch: str, role: str) -> Any:
    """A signed-in browser-like session for a new staff account (password set with its code)."""
    code = ConsoleStore(central.storage).add_staff(branch, username, role, by="test")
    web = central.session()
    welcome = web.post(
        f"{central.url}/console/welcome",
        data={"username": username, "code": code, "password": PASSWORD, "again": PASSWORD},
        timeout=10,
    )
    assert welcome.status_code == 200, welcome.text
    signed = web.post(
        f"{central.url}/console/signin",
        data={"username": username, "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert signed.status_code == 303, signed.text
    return web


def csrf_of(page: requests.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, "no CSRF token in the page"
    return found.group(1)


def duplicate_pair(central: CentralServer, branch: str = "KC-BOGOR") -> tuple[str, str, dict]:
    """Two laptops of `branch` send the same NIK: (token of the second, flagged id, holder)."""
    first, second = central.add_device("petugas-1", branch), central.add_device("petugas-2", branch)
    holder = enrolled_record(7, full_name="Siti Aminah")
    flagged = enrolled_record(7, full_name="Siti Aminah Putri")
    assert central.push(first, [record_item(holder)]).status_code == 200
    assert central.push(second, [record_item(flagged)]).status_code == 200
    return second, flagged["id"], holder


def test_sign_in_with_a_code_then_a_password(central_server: CentralServer) -> None:
    web = staff_session(central_server, "dewi", "KC-BOGOR", "supervisor")
    cookie = next(c for c in web.cookies if c.name == "outreach_console")
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert cookie.get_nonstandard_attr("SameSite").lower() == "strict"
    page = web.get(f"{central_server.url}/console/", timeout=10)
    assert page.status_code == 200
    assert "Ringkasan cabang KC-BOGOR" in page.text
    assert "dewi" in page.text
    english = web.get(f"{central_server.url}/console/?lang=en", timeout=10)
    assert "Overview of branch KC-BOGOR" in english.text
    # The code is used up: a second try says so.
    code_again = requests.post(
        f"{central_server.url}/console/welcome",
        data={"username": "dewi", "code": "ABCD-EFGH", "password": PASSWORD, "again": PASSWORD},
        timeout=10,
    )
    assert code_again.status_code == 422
    assert "salah ketik" in code_again.text or "tidak dikenal" in code_again.text
    # The password is stored as argon2id, never in clear.
    assert PASSWORD.encode() not in central_server.stored_bytes()
    (stored,) = central_server.query(
        "SELECT password_hash FROM staff WHERE username = ?", ("dewi",)
    )
    assert stored[0].startswith("$argon2id$")


def test_first_password_rules_are_named(central_server: CentralServer) -> None:
    code = ConsoleStore(central_server.storage).add_staff("KC-BOGOR", "rudi", "admin", by="t")
    url = f"{central_server.url}/console/welcome"
    short = requests.post(
        url,
        data={"username": "rudi", "code": code, "password": "pendek", "again": "pendek"},
        timeout=10,
    )
    assert short.status_code == 422 and "Kata sandi baru: minimal 12 karakter" in short.text
    mismatch = requests.post(
        url,
        data={"username": "rudi", "code": code, "password": PASSWORD, "again": PASSWORD + "x"},
        timeout=10,
    )
    assert "Ulangi kata sandi baru" in mismatch.text
    # The code still works after refused attempts (nothing was used up).
    ok = requests.post(
        url,
        data={"username": "rudi", "code": code, "password": PASSWORD, "again": PASSWORD},
        timeout=10,
    )
    assert ok.status_code == 200


def test_failed_sign_ins_lock_with_a_growing_delay(central_server: CentralServer) -> None:
    staff_session(central_server, "ani", "KC-BOGOR", "supervisor")
    url = f"{central_server.url}/console/signin"
    answers = [
        requests.post(url, data={"username": "ani", "password": "salah-salah-salah"}, timeout=10)
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [401, 401, 401]
    assert "salah" in answers[0].text
    assert "30 detik" in answers[2].text or "31 detik" in answers[2].text
    right = requests.post(
        url, data={"username": "ani", "password": PASSWORD}, allow_redirects=False, timeout=10
    )
    assert right.status_code == 401 and "Coba lagi dalam" in right.text  # locked meanwhile
    assert lock_seconds(4) > lock_seconds(3) > 0 and lock_seconds(2) == 0
    unknown = requests.post(url, data={"username": "siapa", "password": "x" * 12}, timeout=10)
    assert unknown.status_code == 401 and "Nama pengguna atau kata sandi salah" in unknown.text


def test_every_page_and_action_needs_a_session(central_server: CentralServer) -> None:
    anonymous = central_server.session()
    pages, forms = console_routes(central_server.app, "GET"), console_routes(central_server.app,
                                                                            "POST")  # fmt: skip
    assert {"/console/groups", "/console/arrears", "/console/review/decide"} <= {*pages, *forms}
    for path in pages:
        answer = anonymous.get(f"{central_server.url}{path}", allow_redirects=False, timeout=10)
        assert answer.status_code == 303 and answer.headers["location"] == "/console/signin", path
    for path in forms:
        answer = anonymous.post(
            f"{central_server.url}{path}", data={"csrf": "x"}, allow_redirects=False, timeout=10
        )
        assert answer.status_code == 303, path
    forged = anonymous.get(
        f"{central_server.url}/console/",
        cookies={"outreach_console": "forged"},
        allow_redirects=False,
        timeout=10,
    )
    assert forged.status_code == 303


def test_csrf_is_enforced_on_every_form(central_server: CentralServer) -> None:
    _, flagged_id, _ = duplicate_pair(central_server)
    web = staff_session(central_server, "dewi", "KC-BOGOR", "admin")
    page = web.get(f"{central_server.url}/console/review", timeout=10)
    form = {"record_id": flagged_id, "version": "1", "decision": "same_person", "comment": ""}
    for token in ("", "salah"):
        for path in console_routes(central_server.app, "POST"):
            answer = web.post(
                f"{central_server.url}{path}",
                data={**form, "csrf": token},
                allow_redirects=False,
                timeout=10,
            )
            assert answer.status_code == 403, (path, token)
            assert "CSRF" in answer.text
    assert not central_server.query("SELECT 1 FROM reviews")
    done = web.post(
        f"{central_server.url}/console/review/decide",
        data={**form, "csrf": csrf_of(page)},
        timeout=10,
    )
    assert "Keputusan tersimpan" in done.text


def test_a_duplicate_resolved_moves_the_flag_and_reaches_both_laptops(
    central_server: CentralServer,
) -> None:
    second, flagged_id, holder = duplicate_pair(central_server)
    web = staff_session(central_server, "dewi", "KC-BOGOR", "supervisor")
    page = web.get(f"{central_server.url}/console/review", timeout=10)
    assert "Siti Aminah Putri" in page.text and "Siti Aminah" in page.text
    nik = holder["nik"]
    assert nik not in page.text and f"{nik[:6]}" in page.text  # masked: region and last two
    form = {"record_id": flagged_id, "version": "1", "csrf": csrf_of(page)}
    missing = web.post(
        f"{central_server.url}/console/review/decide",
        data={**form, "decision": "wrong_nik", "comment": " "},
        timeout=10,
    )
    assert "Komentar untuk petugas: wajib diisi" in missing.text
    moved = web.post(
        f"{central_server.url}/console/review/decide",
        data={**form, "decision": "flag_moves", "comment": ""},
        timeout=10,
    )
    assert "Keputusan tersimpan" in moved.text
    flags = dict(central_server.query("SELECT record_id, duplicate_of FROM records"))
    assert flags[flagged_id] is None and flags[holder["id"]] == flagged_id
    pulled = central_server.pull(second).json()["changes"]
    assert {"kind": "duplicate_nik", "record_id": flagged_id}.items() <= pulled[-1].items()
    assert pulled[-1]["fields"] == {"duplicate_of": None}
    # Submitted twice (or by a second supervisor): told, nothing changes.
    again = web.post(
        f"{central_server.url}/console/review/decide",
        data={**form, "decision": "same_person", "comment": ""},
        timeout=10,
    )
    assert "tidak lagi ditandai" in again.text or "Sudah diputuskan" in again.text
    audit = web.get(f"{central_server.url}/console/audit", timeout=10)
    assert "review_flag_moves" in audit.text and "staff:dewi" in audit.text


def test_two_supervisors_deciding_at_once_keep_one_decision(
    central_server: CentralServer,
) -> None:
    _, flagged_id, _ = duplicate_pair(central_server)
    one = staff_session(central_server, "dewi", "KC-BOGOR", "supervisor")
    two = staff_session(central_server, "budi", "KC-BOGOR", "supervisor")
    pages = [w.get(f"{central_server.url}/console/review", timeout=10) for w in (one, two)]
    form = {"record_id": flagged_id, "version": "1", "decision": "same_person", "comment": "ok"}
    first = one.post(
        f"{central_server.url}/console/review/decide",
        data={**form, "csrf": csrf_of(pages[0])},
        timeout=10,
    )
    second = two.post(
        f"{central_server.url}/console/review/decide",
        data={**form, "csrf": csrf_of(pages[1])},
        timeout=10,
    )
    assert "Keputusan tersimpan" in first.text
    assert "Sudah diputuskan oleh dewi" in second.text
    assert central_server.query("SELECT count(*) FROM reviews")[0][0] == 1
    queue = one.get(f"{central_server.url}/console/review", timeout=10)
    assert "Siti Aminah Putri" not in queue.text  # decided: out of the queue


def test_a_supervisor_sees_and_touches_nothing_of_another_branch(
    central_server: CentralServer,
) -> None:
    _second, flagged_id, holder = duplicate_pair(central_server, "KC-BOGOR")
    device_a = central_server.query("SELECT device_id FROM devices")[0][0]
    web = staff_session(central_server, "eko", "KC-DEPOK", "admin")
    for path in console_routes(central_server.app, "GET"):
        page = web.get(f"{central_server.url}{path}", timeout=10)
        nothing = "00000000-0000-4000-8000-000000000000" in path  # an id of nothing: not found
        assert page.status_code == (404 if nothing else 200), path
        assert "Siti Aminah" not in page.text and "petugas-1" not in page.text, path
        assert device_a[:8] not in page.text
    csrf = csrf_of(web.get(f"{central_server.url}/console/review", timeout=10))
    for data, path in (
        ({"record_id": flagged_id, "version": "1", "decision": "same_person"}, "review/decide"),
        ({"record_id": holder["id"], "version": "1", "comment": "cek"}, "review/issue"),
        ({"device_id": device_a}, "devices/revoke"),
    ):
        answer = web.post(
            f"{central_server.url}/console/{path}", data={**data, "csrf": csrf}, timeout=10
        )
        assert "tidak ditemukan di cabang Anda" in answer.text, path
    assert not central_server.query("SELECT 1 FROM reviews")
    assert central_server.query("SELECT revoked_at FROM devices")[0][0] is None


def test_a_setup_code_becomes_a_device_token_once(central_server: CentralServer) -> None:
    web = staff_session(central_server, "admin1", "KC-BOGOR", "admin")
    page = web.get(f"{central_server.url}/console/devices", timeout=10)
    made = web.post(
        f"{central_server.url}/console/devices/code",
        data={"officer_id": "petugas-9", "csrf": csrf_of(page)},
        timeout=10,
    )
    code = re.search(r'id="new-code">([A-Z0-9-]+)<', made.text).group(1)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    setup = requests.post(f"{central_server.url}/v1/setup", json={"code": code.lower()}, timeout=10)
    assert setup.status_code == 200, setup.text
    device = setup.json()
    assert device["officer_id"] == "petugas-9" and device["branch"] == "KC-BOGOR"
    assert central_server.pull(device["token"]).status_code == 200
    used = requests.post(f"{central_server.url}/v1/setup", json={"code": code}, timeout=10)
    assert used.status_code == 409 and "sudah dipakai" in used.json()["detail"]
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    typo = requests.post(f"{central_server.url}/v1/setup", json={"code": wrong}, timeout=10)
    assert typo.status_code == 404 and "salah ketik" in typo.json()["detail"]
    # An expired code says so.
    page = web.get(f"{central_server.url}/console/devices", timeout=10)
    made = web.post(
        f"{central_server.url}/console/devices/code",
        data={"officer_id": "petugas-8", "csrf": csrf_of(page)},
        timeout=10,
    )
    late = re.search(r'id="new-code">([A-Z0-9-]+)<', made.text).group(1)
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    with central_server.storage.transaction() as run:
        run("UPDATE setup_codes SET expires_at = ? WHERE used_at IS NULL", (past,))
    expired = requests.post(f"{central_server.url}/v1/setup", json={"code": late}, timeout=10)
    assert expired.status_code == 409 and "kedaluwarsa" in expired.json()["detail"]
    listing = web.get(f"{central_server.url}/console/devices", timeout=10)
    assert "petugas-9" in listing.text and code not in listing.text  # shown once only


def test_a_supervisor_cannot_add_or_revoke_devices(central_server: CentralServer) -> None:
    central_server.add_device("petugas-1", "KC-BOGOR")
    device_id = central_server.query("SELECT device_id FROM devices")[0][0]
    web = staff_session(central_server, "sari", "KC-BOGOR", "supervisor")
    page = web.get(f"{central_server.url}/console/devices", timeout=10)
    assert "devices/code" not in page.text  # no form for a supervisor
    csrf = csrf_of(page)
    for path, data in (
        ("devices/code", {"officer_id": "p-2"}),
        ("devices/revoke", {"device_id": device_id}),
    ):
        answer = web.post(
            f"{central_server.url}/console/{path}", data={**data, "csrf": csrf}, timeout=10
        )
        assert answer.status_code == 403 and "Hanya admin" in answer.text
    assert not central_server.query("SELECT 1 FROM setup_codes")


def test_bad_form_input_names_the_field(central_server: CentralServer) -> None:
    web = staff_session(central_server, "dewi", "KC-BOGOR", "supervisor")
    csrf = csrf_of(web.get(f"{central_server.url}/console/review", timeout=10))
    answer = web.post(
        f"{central_server.url}/console/review/decide",
        data={"record_id": "x", "version": "abc", "csrf": csrf},
        timeout=10,
    )
    assert answer.status_code == 422 and "Versi" in answer.text
    long = web.post(
        f"{central_server.url}/console/review/issue",
        data={"record_id": "x", "version": "1", "comment": "a" * 600, "csrf": csrf},
        timeout=10,
    )
    assert "maksimal 500 karakter" in long.text or "tidak ditemukan" in long.text
    query = web.get(f"{central_server.url}/console/receipts",
                    params={"q": "x", "device": "d" * 65}, timeout=10)  # fmt: skip
    assert query.status_code == 422 and "Perangkat" in query.text and "d" * 65 not in query.text


def test_no_personal_data_in_server_logs(
    central_server: CentralServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _, _flagged, holder = duplicate_pair(central_server)
    web = staff_session(central_server, "dewi", "KC-BOGOR", "supervisor")
    page = web.get(f"{central_server.url}/console/review", timeout=10)
    web.post(
        f"{central_server.url}/console/review/issue",
        data={
            "record_id": holder["id"],
            "version": "1",
            "csrf": csrf_of(page),
            "comment": "Nama ibu kandung belum diisi",
        },
        timeout=10,
    )
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert holder["nik"] not in logged and "Siti Aminah" not in logged
    assert PASSWORD not in logged


def test_overview_counts_targets_coverage_and_reasons(central_server: CentralServer) -> None:
    from tests.sync.conftest import make_record

    token = central_server.add_device("petugas-1", "KC-BOGOR")
    people = [
        enrolled_record(1, rw="001"),
        enrolled_record(2, rw="001"),
        make_record(3, status="declined", decline_reason="biaya", rw="002"),
        make_record(4, status="declined", decline_reason="biaya", rw="002"),
        make_record(5, rw="002"),
    ]
    assert central_server.push(token, [record_item(p) for p in people]).status_code == 200
    web = staff_session(central_server, "kepala", "KC-BOGOR", "admin")
    page = web.get(f"{central_server.url}/console/", timeout=10)
    month = dt.date.today().strftime("%Y-%m")
    for officer, target in (("petugas-1", "4"), ("", "100")):
        saved = web.post(
            f"{central_server.url}/console/targets",
            data={"officer_id": officer, "month": month, "target": target,
                  "csrf": csrf_of(page)},
            timeout=10,
        )  # fmt: skip
        assert "Target tersimpan" in saved.text
    bad = web.post(
        f"{central_server.url}/console/targets",
        data={"officer_id": "", "month": "12/2026", "target": "-5", "csrf": csrf_of(page)},
        timeout=10,
    )
    assert bad.status_code == 422 and "Target pendaftaran: antara 0" in bad.text
    page = web.get(f"{central_server.url}/console/", timeout=10)
    assert re.search(r'id="fig-month">5<', page.text)
    assert re.search(r'id="fig-enrolled">2<', page.text)
    assert re.search(r'id="fig-declined">2<', page.text)
    assert "dari target 100 (2%)" in page.text
    row = re.search(r"<tr><td>petugas-1</td>(.*?)</tr>", page.text).group(1)
    assert "<td>4 (50%)</td>" in row
    assert "<td>biaya</td><td>2</td>" in page.text
    assert "32.01.01.1001 RW 002</td><td>3</td><td>0</td>" in page.text
    assert "32.01.01.1001 RW 001</td><td>2</td><td>2</td>" in page.text
    assert "<svg" in page.text and "<script" not in page.text
    assert page.text.count("<svg") == 2 and "Pendaftaran per hari" in page.text
    supervisor = staff_session(central_server, "sari", "KC-BOGOR", "supervisor")
    view = supervisor.get(f"{central_server.url}/console/", timeout=10)
    assert 'action="/console/targets"' not in view.text
    refused = supervisor.post(
        f"{central_server.url}/console/targets",
        data={"officer_id": "", "month": month, "target": "5", "csrf": csrf_of(view)},
        timeout=10,
    )
    assert refused.status_code == 403


def test_records_search_detail_payment_and_export(central_server: CentralServer) -> None:
    import io

    from openpyxl import load_workbook

    from outreach_tui.slips.payload import reference_code

    token = central_server.add_device("petugas-1", "KC-BOGOR")
    siti = enrolled_record(11, full_name="Siti Aminah", phone="081299887766")
    budi = enrolled_record(12, full_name="Budi Santoso", street="=1+2")
    pushed = central_server.push(token, [record_item(siti), record_item(budi)])
    assert [r["status"] for r in pushed.json()["results"]] == ["accepted", "accepted"]
    other = central_server.add_device("petugas-9", "KC-DEPOK")
    hidden = enrolled_record(13, full_name="Siti Depok")
    assert central_server.push(other, [record_item(hidden)]).status_code == 200
    web = staff_session(central_server, "dewi", "KC-BOGOR", "supervisor")

    def names(q: str) -> list[str]:
        page = web.get(f"{central_server.url}/console/records", params={"q": q}, timeout=10)
        assert page.status_code == 200, page.text
        return re.findall(r'<a href="/console/records/[^"]+">([^<]+)</a>', page.text)

    assert names("siti") == ["Siti Aminah"]  # not KC-DEPOK's Siti
    assert names(siti["nik"][:8]) == ["Siti Aminah"]
    assert names("0812-9988-7766") == ["Siti Aminah"]
    assert names(reference_code(siti["id"])) == ["Siti Aminah"]
    page = web.get(f"{central_server.url}/console/records", params={"q": "siti"}, timeout=10)
    assert siti["nik"] not in page.text  # masked
    short = web.get(f"{central_server.url}/console/records", params={"q": "s"}, timeout=10)
    assert short.status_code == 422 and "minimal 2 huruf" in short.text
    # Detail, then a payment recorded at the branch reaches the officer's laptop.
    detail = web.get(f"{central_server.url}/console/records/{siti['id']}", timeout=10)
    assert "Catat pembayaran" in detail.text and 'id="versions"' in detail.text
    paid = web.post(
        f"{central_server.url}/console/records/{siti['id']}/paid",
        data={"csrf": csrf_of(detail)},
        timeout=10,
    )
    assert "Pembayaran tercatat" in paid.text
    changes = central_server.pull(token).json()["changes"]
    assert {"kind": "status", "record_id": siti["id"]}.items() <= changes[-1].items()
    this_month = dt.date.today().strftime("%Y-%m")
    assert changes[-1]["fields"]["status"] == "active"
    assert changes[-1]["fields"]["paid_through"] >= this_month[:4]
    first_through = changes[-1]["fields"]["paid_through"]
    again = web.post(
        f"{central_server.url}/console/records/{siti['id']}/paid",
        data={"csrf": csrf_of(detail), "months": "3"},
        timeout=10,
    )
    assert "Pembayaran tercatat" in again.text  # three more months
    later = central_server.pull(token).json()["changes"][-1]["fields"]["paid_through"]
    assert later > first_through
    bad = web.post(
        f"{central_server.url}/console/records/{siti['id']}/paid",
        data={"csrf": csrf_of(detail), "months": "5"},
        timeout=10,
    )
    assert "salah satu dari 1, 3, 6, 12" in bad.text
    # Another branch's record does not exist for this supervisor.
    gone = web.get(f"{central_server.url}/console/records/{hidden['id']}", timeout=10)
    assert gone.status_code == 404 and "Siti Depok" not in gone.text
    refused = web.post(
        f"{central_server.url}/console/records/{hidden['id']}/paid",
        data={"csrf": csrf_of(detail)},
        timeout=10,
    )
    assert "tidak ditemukan" in refused.text
    assert central_server.query(
        "SELECT central_status FROM records WHERE record_id = ?", (hidden["id"],)
    ) == [(None,)]
    # Export what the search shows, guarded against formulas.
    csv_file = web.get(f"{central_server.url}/console/records/export.csv", timeout=10)
    assert csv_file.status_code == 200 and "attachment" in csv_file.headers["content-disposition"]
    text = csv_file.content.decode("utf-8-sig")
    assert "Siti Aminah" in text and "'=1+2" in text and "Siti Depok" not in text
    xlsx = web.get(f"{central_server.url}/console/records/export.xlsx", params={"q": "budi"},
                   timeout=10)  # fmt: skip
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and "Budi Santoso" in rows[1] and "'=1+2" in rows[1]
    audit = web.get(f"{central_server.url}/console/audit", timeout=10)
    assert "payment" in audit.text and "export" in audit.text


def test_sync_receipts_answer_where_a_record_went(central_server: CentralServer) -> None:
    from outreach_tui.slips.payload import reference_code

    token = central_server.add_device("petugas-1", "KC-BOGOR")
    siti = enrolled_record(21, full_name="Siti Aminah")
    late = enrolled_record(22, full_name="Budi Santoso")
    bad = enrolled_record(23, full_name="Rina Wati", monthly_income=-5)
    session = central_server.session(token)
    session.headers["User-Agent"] = "outreach-sync/1"
    body = {"batch_id": "b-1", "items": [record_item(siti), record_item(bad)]}
    assert session.post(f"{central_server.url}/v1/push", json=body, timeout=10).ok
    replay = {"batch_id": "b-2", "items": [record_item(siti), record_item(late)]}
    assert session.post(f"{central_server.url}/v1/push", json=replay, timeout=10).ok
    web = staff_session(central_server, "dewi", "KC-BOGOR", "admin")
    page = web.get(f"{central_server.url}/console/receipts", params={"q": "siti"}, timeout=10)
    assert page.status_code == 200
    matches = re.findall(r'<tr class="match"><td colspan="11">↳ ([^<]+) · Versi 1 · <b>([^<]+)</b>',
                         page.text)  # fmt: skip
    assert matches == [("Siti Aminah", "sudah ada (kiriman ulang)"), ("Siti Aminah", "diterima")]
    by_code = web.get(f"{central_server.url}/console/receipts",
                      params={"q": reference_code(bad["id"])}, timeout=10)  # fmt: skip
    assert "ditolak" in by_code.text or "Belum ada" in by_code.text  # a refused record is not held
    queue = web.get(f"{central_server.url}/console/review", timeout=10)
    rejected = re.search(r'<table id="rejected">(.*?)</table>', queue.text, re.S).group(1)
    assert reference_code(bad["id"]) in rejected and reference_code(siti["id"]) not in rejected
    everything = web.get(f"{central_server.url}/console/receipts", timeout=10)
    assert everything.text.count("outreach-sync/1") == 2
    devices = web.get(f"{central_server.url}/console/devices", timeout=10)
    row = re.search(r"<tr><td>petugas-1</td>(.*?)</tr>", devices.text, re.S).group(1)
    cells = re.findall(r"<td>([^<]*)</td>", row)
    assert "outreach-sync/1" in cells and "2" in cells and "4" in cells  # batches, items
    device_id = central_server.query("SELECT device_id FROM devices")[0][0]
    report = web.get(f"{central_server.url}/console/devices/{device_id}/report.csv", timeout=10)
    assert report.status_code == 200 and siti["id"] in report.text
    assert "Siti" not in report.text  # ids and field names, not values
    other = staff_session(central_server, "eko", "KC-DEPOK", "admin")
    fenced = other.get(f"{central_server.url}/console/devices/{device_id}/report.csv", timeout=10)
    assert fenced.status_code == 404
    assert "Siti Aminah" not in other.get(f"{central_server.url}/console/receipts",
                                   params={"q": "siti"}, timeout=10).text  # fmt: skip


def test_setup_codes_cannot_be_guessed_fast(central_server: CentralServer) -> None:
    answers = [
        requests.post(f"{central_server.url}/v1/setup", json={"code": "ABCD-EFGH"}, timeout=10)
        for _ in range(7)
    ]
    statuses = [a.status_code for a in answers]
    assert statuses[:5] == [404] * 5 and statuses[-1] == 429, statuses
    assert int(answers[-1].headers["Retry-After"]) >= 1


def test_an_admin_manages_the_branch_staff(central_server: CentralServer) -> None:
    admin = staff_session(central_server, "kepala", "KC-BOGOR", "admin")
    page = admin.get(f"{central_server.url}/console/staff", timeout=10)
    added = admin.post(
        f"{central_server.url}/console/staff/add",
        data={"username": "Sari", "role": "supervisor", "csrf": csrf_of(page)},
        timeout=10,
    )
    code = re.search(r'id="new-code">([A-Z0-9-]+)<', added.text).group(1)
    taken = admin.post(
        f"{central_server.url}/console/staff/add",
        data={"username": "sari", "role": "supervisor", "csrf": csrf_of(page)},
        timeout=10,
    )
    assert taken.status_code == 422 and "sudah dipakai" in taken.text
    sari = central_server.session()
    welcome = sari.post(
        f"{central_server.url}/console/welcome",
        data={"username": "sari", "code": code, "password": PASSWORD, "again": PASSWORD},
        timeout=10,
    )
    assert welcome.status_code == 200
    sari.post(f"{central_server.url}/console/signin",
              data={"username": "sari", "password": PASSWORD}, timeout=10)  # fmt: skip
    assert sari.get(f"{central_server.url}/console/review", timeout=10).status_code == 200
    # A supervisor has no staff page; the admin disables the account: its session ends.
    assert sari.get(f"{central_server.url}/console/staff", timeout=10).status_code == 403
    done = admin.post(f"{central_server.url}/console/staff/disable",
                      data={"username": "sari", "csrf": csrf_of(page)}, timeout=10)  # fmt: skip
    assert "Akun dinonaktifkan" in done.text
    gone = sari.get(f"{central_server.url}/console/review", allow_redirects=False, timeout=10)
    assert gone.status_code == 303
    myself = admin.post(f"{central_server.url}/console/staff/disable",
                        data={"username": "kepala", "csrf": csrf_of(page)}, timeout=10)  # fmt: skip
    assert "akun Anda sendiri" in myself.text
    other = staff_session(central_server, "eko", "KC-DEPOK", "admin")
    fenced = other.post(f"{central_server.url}/console/staff/code",
                        data={"username": "kepala", "csrf": csrf_of(other.get(
                            f"{central_server.url}/console/staff", timeout=10))},
                        timeout=10)  # fmt: skip
    assert fenced.status_code == 404 and 'id="new-code"' not in fenced.text


def test_sign_out_and_idle_expiry_end_the_session(central_server: CentralServer) -> None:
    import datetime as dt

    from sync.server.console.store import SESSION_IDLE

    web = staff_session(central_server, "dewi", "KC-BOGOR", "supervisor")
    page = web.get(f"{central_server.url}/console/", timeout=10)
    out = web.post(f"{central_server.url}/console/signout", data={"csrf": csrf_of(page)},
                   allow_redirects=False, timeout=10)  # fmt: skip
    assert out.status_code == 303
    again = web.get(f"{central_server.url}/console/", allow_redirects=False, timeout=10)
    assert again.status_code == 303
    # Idle expiry, on the store's clock.
    now = [dt.datetime.now(dt.UTC)]
    console = ConsoleStore(central_server.storage, clock=lambda: now[0])
    _, token = console.sign_in("dewi", PASSWORD)
    assert console.session(token) is not None
    now[0] += SESSION_IDLE - dt.timedelta(minutes=1)
    assert console.session(token) is not None  # a click restarts the idle clock
    now[0] += SESSION_IDLE - dt.timedelta(minutes=1)
    assert console.session(token) is not None
    now[0] += SESSION_IDLE + dt.timedelta(seconds=1)
    assert console.session(token) is None
