"""Groups, members, events and attendance on the laptop (issue 14): checked before anything is
written, versioned and audited; attendance once per person with the status then; coverage and
the follow-up view (who registered since, who is undecided, who declined and why)."""

from __future__ import annotations

import datetime as dt

import pytest

from outreach_tui.store import Store
from outreach_tui.store.groups import GroupError
from tests.store.conftest import person

WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 12, 6, 10, 0, tzinfo=WIB)
MARKET = {
    "name": "Pasar Cibinong",
    "kind": "pasar",
    "region_code": "32.01.01.1001",
    "contact_name": "Haji Mamat",
    "contact_phone": "0812 1111 2222",
    "declared_workers": 8,
}


def _people(store: Store, *statuses: str) -> list[str]:
    ids = []
    for n, status in enumerate(statuses):
        extra = {"decline_reason": "biaya"} if status == "declined" else {}
        saved = store.save_record(
            person(full_name=f"Warga {chr(65 + n)}", nik=f"32010145019000{n + 10:02d}",
                   status=status, **extra),
            actor="p-1", officer_id="p-1",
        )  # fmt: skip
        ids.append(saved.id)
    return ids


def test_a_group_with_members_and_its_coverage(store: Store) -> None:
    group = store.save_group(MARKET, actor="p-1", officer_id="p-1")
    members = _people(store, "enrolled", "prospect", "interested", "declined")
    assert store.add_members(group, members, actor="p-1") == 4
    assert store.add_members(group, members[:2], actor="p-1") == 0  # already members
    (shown,) = store.groups()
    assert (shown["members"], shown["enrolled"], shown["of_members"], shown["of_declared"]) == (
        4, 1, 25, 12)  # fmt: skip
    assert shown["contact_phone"] == "+6281211112222"
    assert store.group_decline_reasons() == {group: {"biaya": 1}}  # why members declined
    # A change makes a new version; the same content again changes nothing.
    store.save_group({**MARKET, "id": group, "declared_workers": 10}, actor="p-1")
    store.save_group({**MARKET, "id": group, "declared_workers": 10}, actor="p-1")
    assert store.groups()[0]["version"] == 2


def test_bad_input_is_refused_and_nothing_is_written(store: Store) -> None:
    with pytest.raises(GroupError) as refused:
        store.save_group({**MARKET, "name": "", "declared_workers": -3}, actor="p-1")
    assert {p.code for p in refused.value.problems} == {"name.required",
                                                         "declared_workers.negative"}  # fmt: skip
    assert store.groups() == []
    group = store.save_group(MARKET, actor="p-1")
    with pytest.raises(GroupError) as unknown:
        store.add_members(group, ["00000000-0000-4000-8000-000000000000"], actor="p-1")
    assert unknown.value.problems[0].message("id") == "Data orang tidak ada di laptop ini."
    with pytest.raises(GroupError) as future:
        store.save_event({"kind": "sosialisasi", "starts_at": "2026-12-07 09:00", "held": True,
                          "place": "Pasar", "group_id": group}, actor="p-1", now=NOW)  # fmt: skip
    assert [p.code for p in future.value.problems] == ["held.future"]
    assert store.events() == []


def test_an_event_its_attendance_and_the_follow_up(store: Store) -> None:
    group = store.save_group(MARKET, actor="p-1")
    first = store.save_event(
        {"kind": "sosialisasi", "starts_at": "2026-11-01 09:00", "held": True,
         "place": "Pasar Cibinong", "group_id": group, "institution": "Dinas Koperasi dan UKM"},
        actor="p-1", now=NOW,
    )  # fmt: skip
    ids = _people(store, "prospect", "interested", "prospect")
    assert all(store.attend(first, i, actor="p-1") for i in ids)
    assert not store.attend(first, ids[0], actor="p-1")  # once
    # Since then: one enrolled, one declined, one still undecided.
    for record_id, status in ((ids[0], "enrolled"), (ids[1], "declined")):
        record = store.get_record(record_id)
        assert record is not None
        extra = {"decline_reason": "belum_butuh"} if status == "declined" else {}
        store.save_record({**record, "status": status, **extra}, actor="p-1",
                          expected_version=record["version"])  # fmt: skip
    later = store.save_event(
        {"kind": "follow_up", "starts_at": "2026-12-01 09:00", "place": "Pasar Cibinong",
         "group_id": group, "follows_event_id": first}, actor="p-1", now=NOW,
    )  # fmt: skip
    view = {row["full_name"]: row for row in store.follow_up(first)}
    warga_a = view["Warga A"]
    assert (warga_a["status_then"], warga_a["status_now"]) == ("prospect", "enrolled")
    assert view["Warga B"]["status_now"] == "declined"
    assert view["Warga B"]["decline_reason"] == "belum_butuh"
    assert view["Warga C"]["status_now"] == "prospect"
    events = {e["id"]: e for e in store.events()}
    assert (events[first]["attended"], events[first]["enrolled_since"]) == (3, 1)
    assert events[later]["follows_event_id"] == first and not events[later]["held"]
    with pytest.raises(GroupError):
        store.attend(later, "not-an-id", actor="p-1")
    assert store.verify_audit() is None  # every write above is in the intact audit chain
    actions = {(r["action"], r["entity"]) for r in store._rows("SELECT action, entity FROM audit")}
    assert {("attended", "event"), ("create", "group"), ("create", "event")} <= actions


def test_inactive_participants_are_a_list_filter(store: Store) -> None:
    """What the central API said of the payments (issue 14): the list and search filter it."""
    ids = _people(store, "enrolled", "enrolled", "prospect")
    store.apply_server_changes(
        [{"kind": "status", "record_id": ids[0],
          "fields": {"status": "inactive", "months_in_arrears": 4, "paid_through": "2026-07"}},
         {"kind": "status", "record_id": ids[1],
          "fields": {"status": "active", "months_in_arrears": 0, "paid_through": "2026-12"}}],
        cursor=2,
    )  # fmt: skip
    assert [r["id"] for r in store.list_records(inactive=True)] == [ids[0]]
    assert store.count_records(inactive=True) == 1
    assert [r["id"] for r in store.search("Warga", inactive=True)] == [ids[0]]
    assert store.page_after(None, 10, inactive=True).rows[0]["id"] == ids[0]
    assert store.arrears_of(ids[1]) == {"inactive": False, "months": 0,
                                        "paid_through": "2026-12",
                                        "at": store.arrears_of(ids[1])["at"]}  # fmt: skip
    # An older laptop's kind of change (no months): still kept as inactive.
    store.apply_server_changes(
        [{"kind": "status", "record_id": ids[2], "fields": {"status": "inactive"}}], cursor=3
    )
    assert store.count_records(inactive=True) == 2


def test_the_report_has_groups_events_and_arrears(store: Store) -> None:
    """The Laporan screen's report and its CSV (issue 14): coverage per group, attendees
    enrolled since per event, inactive participants per RW."""
    from outreach_tui.screens.reports import build_report

    group = store.save_group(MARKET, actor="p-1")
    ids = _people(store, "enrolled", "prospect", "interested", "declined")
    store.add_members(group, ids, actor="p-1")
    now = dt.datetime.now(WIB)
    started = (now - dt.timedelta(days=5)).strftime("%Y-%m-%d %H:%M")
    fresh = {"kind": "sosialisasi", "starts_at": started, "held": True, "place": "Pasar",
             "group_id": group}  # fmt: skip
    event = store.save_event(fresh, actor="p-1", now=now)
    old = store.save_event({"kind": "sosialisasi", "starts_at": "2025-01-10 09:00",
                            "held": True, "place": "Balai", "group_id": group},
                           actor="p-1", now=now)  # fmt: skip
    store.attend(old, ids[1], actor="p-1")  # long ago: enrolling now is not within 30 days
    for record_id in ids[1:3]:
        store.attend(event, record_id, actor="p-1")
    record = store.get_record(ids[1])
    assert record is not None
    enrolled = {**record, "status": "enrolled", "nik": "3201014501900011", "consent": True}
    store.save_record(enrolled, actor="p-1", expected_version=record["version"])
    told = {"status": "inactive", "months_in_arrears": 3, "paid_through": "2026-08"}
    store.apply_server_changes([{"kind": "status", "record_id": ids[0], "fields": told}], 1)
    report = build_report(store, "32.01.01.1001", dt.date(2026, 12, 6))
    assert report.groups == [("Pasar Cibinong", 50, 2, 4)]
    assert report.events == [(f"{started[:10]} Pasar", 2, 1, 1), ("2025-01-10 Balai", 1, 1, 0)]
    assert report.arrears_rw == {"002": 1}
    assert report.group_reasons == [("Pasar Cibinong", "biaya", 1)]
    sections = {row[0] for row in report.rows()}
    wanted = {"group_members", "group_enrolled", "group_decline_reason", "event_attended",
              "event_enrolled_since", "event_enrolled_30_days", "inactive_by_rw"}  # fmt: skip
    assert wanted <= sections
