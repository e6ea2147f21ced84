"""Groups, memberships, events and attendance travel from a real laptop to the real central API
(issue 14) with `outreach sync`: after the records they name, once, new versions again; kept on
the laptop for a server that does not take them; a store of before the group outbox queues
what it holds."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from outreach_tui.cli import main
from sync.protocol import FIRST_ITEM_KINDS, pair_id
from tests.conftest import cli_setup, unlocked_store
from tests.sync.conftest import TEST_SETTINGS, CentralServer, StartServer, nik_for
from tests.sync.test_console import staff_session

HEADER = "full_name,nik,phone,occupation,programs,payment_period,region_code,rw,rt,status,consent\n"
# Two days ago: attendees who enroll now do so within 30 days of the event.
PAST = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).replace(second=0, microsecond=0)


def _laptop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: CentralServer,
            officer: str = "p-a") -> dict[str, Any]:  # fmt: skip
    """A set-up laptop with two people, a market group (both members) and a held event."""
    monkeypatch.setenv("OUTREACH_HOME", str(tmp_path / officer))
    token = server.add_device(officer, "KC-BOGOR")
    assert cli_setup(server.url, token, officer).exit_code == 0
    people = tmp_path / f"{officer}.csv"
    people.write_text(
        HEADER + f"Siti Aminah,{nik_for(5)},0812-3456-7890,ojol,JKK JKM,1,3201011001,3,2,"
        "enrolled,ya\nBudi Santoso,,0813-1111-2222,pedagang_pasar,,,3201011001,3,2,prospect,\n"
    )
    assert CliRunner().invoke(main, ["import", str(people)]).exit_code == 0
    store = unlocked_store(tmp_path / officer)
    try:
        ids = {r["full_name"]: r["id"] for r in store.list_records(limit=5)}
        group = store.save_group({"name": "Pasar Cibinong", "kind": "pasar",
                                  "region_code": "32.01.01.1001", "contact_name": "Haji Mamat",
                                  "contact_phone": "0812 1111 2222", "declared_workers": 40},
                                 actor=officer, officer_id=officer)  # fmt: skip
        store.add_members(group, list(ids.values()), actor=officer)
        event = store.save_event({"kind": "sosialisasi", "starts_at": PAST.isoformat(),
                                  "held": True, "place": "Pasar Cibinong", "group_id": group,
                                  "officers": "Dewi, Andi (Perisai)"},
                                 actor=officer, officer_id=officer, now=PAST)  # fmt: skip
        store.attend(event, ids["Budi Santoso"], actor=officer)
        assert store.group_outbox_size() == 5
    finally:
        store.close()
    return {"ids": ids, "group": group, "event": event, "home": tmp_path / officer}


def _sync() -> Any:
    return CliRunner().invoke(main, ["sync"])


def test_groups_and_events_reach_the_server_once_and_new_versions_follow(
    tmp_path: Path, central_server: CentralServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop = _laptop(tmp_path, monkeypatch, central_server)
    result = _sync()
    assert result.exit_code == 0, result.output
    assert central_server.query("SELECT count(*) FROM records") == [(2,)]
    assert central_server.query(
        "SELECT group_id, name, declared_workers, officer_id FROM groups"
    ) == [(laptop["group"], "Pasar Cibinong", 40, "p-a")]
    members = central_server.query("SELECT item_id, record_id FROM group_members ORDER BY 2")
    assert sorted(members) == sorted(
        (pair_id(laptop["group"], rid), rid) for rid in laptop["ids"].values()
    )
    assert central_server.query("SELECT event_id, held, group_id FROM events") == [
        (laptop["event"], 1, laptop["group"])]  # fmt: skip
    budi = laptop["ids"]["Budi Santoso"]
    assert central_server.query("SELECT record_id, status_then FROM attendance") == [
        (budi, "prospect")]  # fmt: skip
    # Nothing waits; a second sync sends nothing; a changed group goes as version 2.
    store = unlocked_store(laptop["home"])
    try:
        assert store.group_outbox_size() == 0
        assert set(store.group_sync_states().values()) == {"accepted"}
    finally:
        store.close()
    second = _sync()
    assert second.exit_code == 0 and "0 dikirim" in second.output
    store = unlocked_store(laptop["home"])
    try:
        store.save_group({"id": laptop["group"], "name": "Pasar Cibinong", "kind": "pasar",
                          "region_code": "32.01.01.1001", "declared_workers": 55},
                         actor="p-a")  # fmt: skip
        store.save_group({"id": laptop["group"], "name": "Pasar Cibinong Baru", "kind": "pasar",
                          "region_code": "32.01.01.1001", "declared_workers": 55},
                         actor="p-a")  # fmt: skip
    finally:
        store.close()
    third = _sync()
    assert third.exit_code == 0 and "1 dikirim" in third.output  # two versions, one item
    assert central_server.query("SELECT version, name, declared_workers FROM groups") == [
        (3, "Pasar Cibinong Baru", 55)]  # fmt: skip


def test_a_server_that_does_not_take_groups_leaves_them_waiting_on_the_laptop(
    tmp_path: Path, central_server_factory: StartServer, central_db: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    older = central_server_factory(settings=replace(TEST_SETTINGS, item_kinds=FIRST_ITEM_KINDS))
    laptop = _laptop(tmp_path, monkeypatch, older)
    result = _sync()
    assert result.exit_code == 1  # changes remain
    assert "5 perubahan kelompok/kegiatan disimpan di laptop" in result.output
    assert older.query("SELECT count(*) FROM records") == [(2,)]  # the records went
    store = unlocked_store(laptop["home"])
    try:
        assert store.group_outbox_size() == 5
    finally:
        store.close()
    # The same laptop later syncs with an upgraded server (same database, all kinds).
    newer = central_server_factory(storage=older.storage)
    result = CliRunner().invoke(main, ["sync", "--server", newer.url])
    assert result.exit_code == 0, result.output
    assert older.query("SELECT count(*) FROM group_members") == [(2,)]
    assert older.query("SELECT count(*) FROM attendance") == [(1,)]


def test_a_rejected_group_item_is_set_aside_with_its_reason_and_not_sent_again(
    tmp_path: Path, central_server: CentralServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another branch's laptop holds the same group id first: this laptop's group is refused.
    laptop = _laptop(tmp_path, monkeypatch, central_server)
    other = central_server.add_device("p-z", "KC-DEPOK")
    from tests.sync.test_server_groups import group, item

    taken = central_server.push(other, [item("group", group(id=laptop["group"]))])
    assert taken.json()["results"][0]["status"] == "accepted"
    result = _sync()
    assert result.exit_code == 1
    assert "kelompok" in result.output and "branch.forbidden" not in result.output
    assert "kantor cabang lain" in result.output  # the reason, in words
    store = unlocked_store(laptop["home"])
    try:
        states = store.group_sync_states()
        assert states[laptop["group"]] == "rejected"
        assert store.group_outbox_size() == 0
    finally:
        store.close()
    assert "0 dikirim" in _sync().output


def test_a_store_from_before_the_group_outbox_queues_what_it_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from outreach_tui.store import open_store

    path = tmp_path / "old.db"
    store = open_store(path)
    try:
        from tests.store.conftest import person

        rid = store.save_record(person(), actor="p", officer_id="p").id
        gid = store.save_group({"name": "Pangkalan Ojek", "kind": "pangkalan_ojek",
                                "region_code": "32.01.01.1001"}, actor="p")  # fmt: skip
        store.add_members(gid, [rid], actor="p")
    finally:
        store.close()
    # Undo migration 10 as a laptop of before it would have the file: no outbox table.
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE group_outbox")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm010_group_outbox'")
    conn.commit()
    conn.close()
    store = open_store(path)
    try:
        items = store.group_outbox(10)
        assert [(i.kind, i.id) for i in items] == [
            ("group", gid),
            ("membership", pair_id(gid, rid)),
        ]
    finally:
        store.close()


def test_the_console_shows_coverage_per_group_and_conversion_per_event(
    tmp_path: Path, central_server: CentralServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop = _laptop(tmp_path, monkeypatch, central_server)
    assert _sync().exit_code == 0
    web = staff_session(central_server, "dewi", "KC-BOGOR", "supervisor")
    page = web.get(f"{central_server.url}/console/groups", timeout=10)
    assert page.status_code == 200
    # Pasar Cibinong: 2 members, 1 enrolled (50%), 40 workers declared (2%); the event: 1
    # attendee, not enrolled yet.
    groups_row = page.text.split('id="groups"')[1].split("</table>")[0]
    cells = [c.split("<")[0] for c in groups_row.split("<td>")[1:]]
    assert cells[:2] == ["Pasar Cibinong", "Pasar"] and cells[4:9] == ["2", "1", "50%", "40", "2%"]
    events_row = page.text.split('id="events"')[1].split("</table>")[0]
    cells = [c.split("<")[0] for c in events_row.split("<td>")[1:]]
    assert cells[3:8] == ["Pasar Cibinong", "Dewi, Andi (Perisai)", "1", "0", "0"]
    # Budi, who attended as a prospect, enrolls: the event converted one, within 30 days.
    store = unlocked_store(laptop["home"])
    try:
        budi = store.get_record(laptop["ids"]["Budi Santoso"])
        changed = {**budi, "status": "enrolled", "nik": nik_for(8), "consent": True,
                   "programs": "JKK,JKM", "payment_period": 1}  # fmt: skip
        store.save_record(changed, actor="p-a", officer_id="p-a")
    finally:
        store.close()
    result = _sync()
    assert result.exit_code == 0, result.output
    page = web.get(f"{central_server.url}/console/groups", timeout=10)
    events_row = page.text.split('id="events"')[1].split("</table>")[0]
    cells = [c.split("<")[0] for c in events_row.split("<td>")[1:]]
    assert cells[5:8] == ["1", "1", "1"]
    assert "Budi" not in page.text and nik_for(8) not in page.text
    # The event's page lists who came: Budi, a prospect then, enrolled now (his record linked).
    shown = web.get(f"{central_server.url}/console/events/{laptop['event']}", timeout=10)
    rows = shown.text.split('id="attendees"')[1].split("</table>")[0]
    assert "Budi Santoso" in rows and "calon peserta" in rows and "terdaftar" in rows
    assert f"/console/records/{laptop['ids']['Budi Santoso']}" in rows
    assert nik_for(8) not in shown.text
    # Another branch's supervisor sees none of it.
    other = staff_session(central_server, "rina", "KC-DEPOK", "supervisor")
    elsewhere = other.get(f"{central_server.url}/console/groups", timeout=10).text
    assert "Pasar Cibinong" not in elsewhere
    fenced = other.get(f"{central_server.url}/console/events/{laptop['event']}", timeout=10)
    assert fenced.status_code == 404 and "Budi" not in fenced.text


def test_a_new_laptop_gets_the_officers_groups_and_events_back(
    tmp_path: Path, central_server: CentralServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`outreach sync --recover` on a new laptop: records first, then the officer's groups,
    events, memberships and attendance, stored as acknowledged (nothing pushed back), once; a
    colleague's groups never arrive."""
    laptop = _laptop(tmp_path, monkeypatch, central_server)
    assert _sync().exit_code == 0
    colleague = central_server.add_device("p-b", "KC-BOGOR")
    from tests.sync.test_server_groups import group, item

    central_server.push(colleague, [item("group", group(name="Grup Rekan"))])
    # The laptop is lost; the officer sets up a new one with a new device token.
    monkeypatch.setenv("OUTREACH_HOME", str(tmp_path / "new"))
    assert cli_setup(central_server.url, central_server.add_device("p-a"), "p-a").exit_code == 0
    result = CliRunner().invoke(main, ["sync", "--recover"])
    assert result.exit_code == 0, result.output
    assert "1 kelompok, 1 kegiatan, 2 anggota kelompok, 1 kehadiran" in result.output
    store = unlocked_store(tmp_path / "new")
    try:
        (recovered,) = store.groups()
        assert (recovered["id"], recovered["name"], recovered["members"],
                recovered["enrolled"], recovered["declared_workers"]) == (
            laptop["group"], "Pasar Cibinong", 2, 1, 40)  # fmt: skip
        (event,) = store.events()
        assert (event["id"], event["held"], event["attended"]) == (laptop["event"], True, 1)
        (attendee,) = store.follow_up(laptop["event"])
        assert (attendee["full_name"], attendee["status_then"]) == ("Budi Santoso", "prospect")
        assert store.group_outbox_size() == 0  # never pushed back
    finally:
        store.close()
    again = CliRunner().invoke(main, ["sync", "--recover"])
    assert again.exit_code == 0
    assert "0 kelompok, 0 kegiatan, 0 anggota kelompok, 0 kehadiran" in again.output
