"""Helpers of the home, area, settings and demo tests: people in the store, typing, reading."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.conftest import unlocked_store

AREA = "32.01.01.1001"  # the working area of the `ready_home` fixture (RW 003, RT 002)


def local_today() -> date:
    """The officer's date now: the store stamps saves with the real clock."""
    return datetime.now().astimezone().date()


def person(name: str, **fields: Any) -> dict[str, Any]:
    """A valid record of the working area (prospect unless told)."""
    record: dict[str, Any] = {
        "full_name": name,
        "region_code": AREA,
        "rw": "003",
        "rt": "002",
        "status": "prospect",
    }
    record.update(fields)
    return record


def seed_people(home: Path, today: date) -> dict[str, str]:
    """A small day's work in the store: names to ids.

    Three prospects, one interested, two enrolled (one by another officer), one declined;
    follow-ups overdue, due today and later; one record in another RW and another desa.
    """
    enrolled = {"nik": None, "consent": True, "programs": "JKK,JKM", "payment_period": 1}
    people = [
        (person("Ani Suryani", follow_up_on=(today - timedelta(days=3)).isoformat()), "p-001"),
        (person("Budi Hartono", follow_up_on=today.isoformat(), rw="004"), "p-001"),
        (person("Cecep Gunawan", follow_up_on=(today + timedelta(days=5)).isoformat()), "p-001"),
        (person("Dedeh Kurniasih", status="interested", rt="005"), "p-001"),
        (person("Euis Rahayu", status="enrolled", **enrolled), "p-001"),
        (person("Farid Hidayat", status="enrolled", **enrolled), "p-009"),
        (person("Gilang Ramadhan", status="declined", decline_reason="biaya"), "p-001"),
        (person("Hana Lestari", region_code="32.01.01.1002"), "p-001"),
    ]
    ids: dict[str, str] = {}
    with unlocked_store(home) as store:
        for record, officer in people:
            record = {k: v for k, v in record.items() if v is not None}
            ids[record["full_name"]] = store.save_record(
                record, actor=officer, officer_id=officer
            ).id
    return ids


async def type_text(pilot: Any, text: str) -> None:
    """Type text key by key into whatever has focus."""
    for char in text:
        await pilot.press("space" if char == " " else char)
