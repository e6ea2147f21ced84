"""Events and their quick attendance (issue 14): a room of people typed at full speed, every
line saved with the right fields, a person already recorded attends without a second record;
a bad line is refused naming the field, the next lines still land; the follow-up view."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Static

from outreach_tui import messages
from outreach_tui.screens.attendance import AttendanceScreen, occupation_code
from outreach_tui.screens.events import EventsScreen
from tests.tui.conftest import SIZE, unlock, wait_for
from tests.tui.helpers_form import pinned, store_people
from tests.tui.test_typeahead import burst

pytestmark = pytest.mark.anyio
ROOM = [(f"Peserta {chr(65 + n)}{chr(65 + n)}", f"0812{n:08d}", ("ojol", "pedagang_pasar")[n % 2])
        for n in range(12)]  # fmt: skip


def test_occupation_typed_short() -> None:
    assert occupation_code("ojol") == "ojol"
    assert occupation_code("Pedagang Pasar") == "pedagang_pasar"
    assert occupation_code("nelay") == "nelayan"
    assert occupation_code("pedagang") is None  # several: say which
    assert occupation_code("astronaut") is None


async def test_a_room_typed_at_full_speed(make_tui, ready_home) -> None:
    budi = {"full_name": "Budi Santoso", "phone": "081299990000",
            "region_code": "32.01.01.1001", "status": "prospect"}  # fmt: skip
    (known,) = store_people(ready_home, budi)
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        burst(app, "<ctrl+k>")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsScreen))
        events = app.screen
        events.query_one("#ev-place", Input).value = "Pasar Cibinong"
        events.query_one("#ev-partner", Input).value = "Paguyuban Pedagang"
        events.query_one("#ev-starts", Input).value = "2026-11-20 09:00"
        await pilot.press("ctrl+s")
        table = events.query_one("#ev-list", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, AttendanceScreen))
        screen = app.screen
        keys: list[str] = []
        for name, phone, job in ROOM:
            keys += [name, "<enter>", phone, "<enter>", job, "<enter>"]
        # The known person typed again, then a line with a bad phone, then one more.
        keys += ["Budi Santoso", "<enter>", "0812-9999-0000", "<enter>", "ojol", "<enter>"]
        keys += ["Rina Wati", "<enter>", "12345", "<enter>", "ojol", "<enter>"]
        burst(app, *keys)
        rows = screen.query_one("#att-rows", DataTable)
        await wait_for(pilot, lambda: rows.row_count == len(ROOM) + 1, timeout=30)
        hint = screen.query_one("#att-hint", Static)
        await wait_for(pilot, lambda: "HP" in str(hint.render()))  # the phone, named
        assert screen.query_one("#att-name", Input).value == "Rina Wati"  # kept, not lost
        store = app.session.store
        event_id = screen.event_id
        attendees = {row["full_name"]: row for row in store.follow_up(event_id)}
        assert set(attendees) == {name for name, _, _ in ROOM} | {"Budi Santoso"}
        assert attendees["Budi Santoso"]["id"] == known  # not recorded twice
        for name, phone, job in ROOM:
            (record,) = [r for r in store.search(name, limit=3) if r["full_name"] == name]
            assert record["phone"] == "+62" + phone[1:] and record["occupation"] == job
            assert record["region_code"] == "32.01.01.1001" and record["status"] == "prospect"
        assert "Hadir: 13" in str(screen.query_one("#att-count", Static).render())
        # Back on the events: the count follows; the follow-up view lists status then and now.
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is events)
        await wait_for(pilot, lambda: table.get_row_at(0)[3] == "13")
        await pilot.press("ctrl+f")
        follow = events.query_one("#ev-follow", DataTable)
        await wait_for(pilot, lambda: follow.row_count == 13)
        title = str(events.query_one("#ev-follow-title", Static).render())
        assert "13 hadir" in title and "0 mendaftar" in title and "13 belum memutuskan" in title
        # Enter on an attendee: their record, where a decline and its reason are recorded.
        from outreach_tui.screens.record_detail import RecordDetailScreen

        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordDetailScreen))


async def test_an_event_in_the_future_is_not_held_and_bad_input_is_named(
    make_tui, ready_home
) -> None:
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+k")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsScreen))
        screen = app.screen
        screen.query_one("#ev-place", Input).value = ""
        screen.query_one("#ev-kind", Input).value = "arisan"
        await pilot.press("ctrl+s")
        message = str(screen.query_one("#ev-message", Static).render())
        assert "Tempat wajib diisi" in message and "Jenis" in message and "arisan" not in message
        assert app.session.store.events() == []
        screen.query_one("#ev-kind", Input).value = "sosialisasi"
        screen.query_one("#ev-place", Input).value = "Balai Desa"
        screen.query_one("#ev-partner", Input).value = "Kantor Desa"
        screen.query_one("#ev-starts", Input).value = "2099-01-01 09:00"
        screen.query_one("#ev-kind", Input).focus()
        await pilot.press("enter", "enter", "enter", "enter")  # box to box, as the form does
        officers = screen.query_one("#ev-officers", Input)
        assert app.screen.focused is officers and officers.value == "Dewi Lestari"  # the officer
        await pilot.press("end", *", Andi (Perisai)", "enter")  # on the last box: saved
        await wait_for(pilot, lambda: len(app.session.store.events()) == 1)
        (saved,) = app.session.store.events()
        assert saved["held"] is False and saved["officers"] == "Dewi Lestari, Andi (Perisai)"


async def test_a_group_its_event_and_members_from_the_attendance(make_tui, ready_home) -> None:
    from outreach_tui.screens.groups import GroupsScreen

    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+k")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsScreen))
        events = app.screen
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: isinstance(app.screen, GroupsScreen))
        groups = app.screen
        burst(app, "Pangkalan Simpang Tiga", "<enter>", "ojek", "<enter>", "-5", "<enter>",
              "Pak Darto", "<enter>", "0812 3333 4444", "<enter>")  # fmt: skip
        message = groups.query_one("#gr-message", Static)
        await wait_for(pilot, lambda: "negatif" in str(message.render()))  # named, not saved
        assert app.session.store.groups() == []
        groups.query_one("#gr-kind", Input).value = "pangkalan_ojek"
        groups.query_one("#gr-declared", Input).value = "35"
        await pilot.press("ctrl+s")
        table = groups.query_one("#gr-list", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is events)
        events.query_one("#ev-place", Input).value = "Simpang Tiga"
        events.query_one("#ev-partner", Input).value = "pangkalan simpang tiga"
        events.query_one("#ev-starts", Input).value = "2026-11-20 09:00"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(app.session.store.events()) == 1)
        (event,) = app.session.store.events()
        (group,) = app.session.store.groups()
        assert event["group_id"] == group["id"] and not event["institution"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, AttendanceScreen))
        burst(app, "Darto Wibowo", "<enter>", "081211110000", "<enter>", "ojol", "<enter>",
              "Slamet Riyadi", "<enter>", "081211110001", "<enter>", "ojek", "<enter>")  # fmt: skip
        rows = app.screen.query_one("#att-rows", DataTable)
        await wait_for(pilot, lambda: rows.row_count == 2)
        (group,) = app.session.store.groups()
        assert (group["members"], group["of_declared"]) == (2, 0)


async def test_groups_and_events_say_whether_the_central_api_has_them(make_tui, ready_home) -> None:
    """The Sinkron column: `belum terkirim` until a sync, `terkirim` after it, `ditolak` with
    the server's reason when it refused the group or one of its members."""
    from outreach_tui.screens.groups import GroupsScreen

    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        store = app.session.store
        market = store.save_group({"name": "Pasar Cibinong", "kind": "pasar",
                                   "region_code": "32.01.01.1001"}, actor="p")  # fmt: skip
        ojek = store.save_group({"name": "Pangkalan Simpang", "kind": "pangkalan_ojek",
                                 "region_code": "32.01.01.1001"}, actor="p")  # fmt: skip
        items = store.group_outbox(10)
        store.apply_group_results(items[:1], [{"status": "accepted", "reasons": []}])
        store.apply_group_results(
            items[1:],
            [
                {
                    "status": "rejected",
                    "reasons": [
                        {"field": "id", "code": "branch.forbidden", "message": "milik cabang lain"}
                    ],
                }
            ],
        )
        burst(app, "<ctrl+k>")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsScreen))
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: isinstance(app.screen, GroupsScreen))
        table = app.screen.query_one("#gr-list", DataTable)
        await wait_for(pilot, lambda: table.row_count == 2)
        assert table.get_cell(market, "sync") == "terkirim"
        assert table.get_cell(ojek, "sync") == "ditolak: milik cabang lain"
        store.save_group(
            {
                "id": market,
                "name": "Pasar Cibinong",
                "kind": "pasar",
                "region_code": "32.01.01.1001",
                "declared_workers": 9,
            },
            actor="p",
        )
        app.screen.load()
        assert table.get_cell(market, "sync") == "belum terkirim"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsScreen))
        event = store.save_event({"kind": "sosialisasi", "starts_at": "2026-11-20 09:00",
                                  "held": True, "place": "Pasar", "group_id": market},
                                 actor="p")  # fmt: skip
        app.screen.load()
        listed = app.screen.query_one("#ev-list", DataTable)
        assert listed.get_cell(event, "sync") == "belum terkirim"


async def test_a_group_is_changed_from_its_row(make_tui, ready_home) -> None:
    """Enter on a group puts it in the boxes; Ctrl+S saves a new version (queued for the
    central API) that keeps its area; Esc while changing empties the boxes, a second Esc
    leaves."""
    from outreach_tui.screens.groups import GroupsScreen

    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        store = app.session.store
        market = store.save_group({"name": "Pasar Cibinong", "kind": "pasar", "rw": "007",
                                   "region_code": "32.01.01.1001", "contact_name": "Haji Mamat",
                                   "contact_phone": "0812 1111 2222",
                                   "declared_workers": 40}, actor="p")  # fmt: skip
        burst(app, "<ctrl+k>")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsScreen))
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: isinstance(app.screen, GroupsScreen))
        screen = app.screen
        table = screen.query_one("#gr-list", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        table.focus()
        await pilot.press("enter")
        declared = screen.query_one("#gr-declared", Input)
        await wait_for(pilot, lambda: screen.focused is declared and declared.value == "40")
        assert screen.query_one("#gr-name", Input).value == "Pasar Cibinong"
        assert "Mengubah kelompok Pasar Cibinong" in str(
            screen.query_one("#gr-message", Static).render())  # fmt: skip
        await pilot.press("end", "backspace", "backspace", *"120", "ctrl+s")
        await wait_for(pilot, lambda: store.groups()[0]["version"] == 2)
        (changed,) = store.groups()
        assert (changed["declared_workers"], changed["rw"], changed["contact_name"]) == (
            120, "007", "Haji Mamat")  # fmt: skip
        assert store.group_outbox_size() == 2 and [
            i.version for i in store.group_outbox(10)] == [2]  # fmt: skip
        assert screen.query_one("#gr-name", Input).value == ""  # ready for a new group
        table.focus()
        await pilot.press("enter", "escape")
        await wait_for(pilot, lambda: screen.query_one("#gr-name", Input).value == "")
        assert app.screen is screen and store.groups()[0]["version"] == 2
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsScreen))
        assert market


async def test_a_follow_up_event_starts_from_the_highlighted_one(make_tui, ready_home) -> None:
    """Kind `follow_up` with an earlier event highlighted: the new event follows it (with its
    partner), and Ctrl+F on the follow-up lists the earlier event's attendees, then and now."""
    import datetime as dt

    budi = {"full_name": "Budi Santoso", "phone": "081299990000",
            "region_code": "32.01.01.1001", "status": "prospect"}  # fmt: skip
    (known,) = store_people(ready_home, budi)
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        store = app.session.store
        now = dt.datetime.now(dt.timezone(dt.timedelta(hours=7)))
        first = store.save_event({"kind": "sosialisasi", "starts_at": "2026-11-01 09:00",
                                  "held": True, "place": "Pasar Cibinong",
                                  "institution": "Dinas Koperasi"}, actor="p", now=now)  # fmt: skip
        store.attend(first, known, actor="p")
        burst(app, "<ctrl+k>")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsScreen))
        screen = app.screen
        screen.query_one("#ev-kind", Input).value = "follow up"
        screen.query_one("#ev-place", Input).value = "Pasar Cibinong"
        screen.query_one("#ev-starts", Input).value = "2026-11-20 09:00"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(store.events()) == 2)
        follow = next(e for e in store.events() if e["kind"] == "follow_up")
        assert follow["follows_event_id"] == first and follow["institution"] == "Dinas Koperasi"
        assert "Tindak lanjut dari kegiatan" in str(
            screen.query_one("#ev-message", Static).render()
        )
        # The list's cursor is on the new follow-up: Ctrl+F shows the earlier attendees.
        await pilot.press("ctrl+f")
        table = screen.query_one("#ev-follow", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        assert table.get_row_at(0)[0] == "Budi Santoso"


async def test_groups_and_events_typed_in_one_burst(make_tui, ready_home) -> None:
    """Keys sent at once land where a slow typist's would: a new event's boxes, a group's row
    opened and changed, a person put in a group from the record's Ctrl+G list."""
    from outreach_tui.screens.groups import GroupPickDialog, GroupsScreen
    from outreach_tui.screens.record_detail import RecordDetailScreen

    (known,) = store_people(
        ready_home,
        {
            "full_name": "Budi Santoso",
            "phone": "081299990000",
            "region_code": "32.01.01.1001",
            "status": "prospect",
        },
    )
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        store = app.session.store
        for name in ("Pangkalan Simpang", "Pasar Cibinong"):
            store.save_group({"name": name, "kind": "pasar", "region_code": "32.01.01.1001",
                              "declared_workers": 40}, actor="p")  # fmt: skip
        burst(app, "<ctrl+k>")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsScreen))
        events = app.screen
        events.query_one("#ev-starts", Input).value = "2026-11-20 09:00"
        events.query_one("#ev-place", Input).focus()
        burst(app, "Balai Desa", "<enter>", "Kantor Desa", "<enter>", "<end>", ", Andi",
              "<enter>")  # fmt: skip
        await wait_for(pilot, lambda: len(store.events()) == 1)
        (saved,) = store.events()
        assert (saved["place"], saved["institution"], saved["officers"]) == (
            "Balai Desa", "Kantor Desa", "Dewi Lestari, Andi")  # fmt: skip
        burst(app, "<ctrl+g>")
        await wait_for(pilot, lambda: isinstance(app.screen, GroupsScreen))
        groups = app.screen
        table = groups.query_one("#gr-list", DataTable)
        await wait_for(pilot, lambda: table.row_count == 2)
        table.focus()
        burst(app, "<down>", "<enter>", "<end>", "<backspace>", "<backspace>", "77", "<ctrl+s>")
        await wait_for(pilot, lambda: any(g["version"] == 2 for g in store.groups()))
        assert {g["name"]: g["declared_workers"] for g in store.groups()} == {
            "Pangkalan Simpang": 40, "Pasar Cibinong": 77}  # fmt: skip
        app.post_message(messages.OpenRecord(known))
        await wait_for(pilot, lambda: isinstance(app.screen, RecordDetailScreen))
        burst(app, "<ctrl+g>", "<down>", "<enter>")
        await wait_for(pilot, lambda: bool(store.groups_of(known)))
        assert not isinstance(app.screen, GroupPickDialog)
        assert [g["name"] for g in store.groups_of(known)] == ["Pasar Cibinong"]
