"""period_summary (the home screen's two-pass count) agrees with day_summary and became_count."""

from __future__ import annotations

from outreach_tui.store import Store

from .conftest import person
from .synthetic import synthetic_records

START, END = "2000-01-01T00:00:00.000000Z", "2999-01-01T00:00:00.000000Z"


def enrolled(record: dict) -> dict:
    """The record, enrolled (the domain wants an NIK with consent, programs and a period)."""
    return {**record, "status": "enrolled", "consent": True, "programs": "JKK,JKM",
            "payment_period": 1, "decline_reason": None}  # fmt: skip


def expected(store: Store, start: str, end: str, officer: str) -> tuple:
    return store.day_summary(start, end), store.became_count(
        "enrolled", start, end, officer_id=officer
    )


def test_period_summary_is_the_sum_of_the_single_counts(store: Store) -> None:
    saved = store.save_records(list(synthetic_records(120, seed=3)), actor="a", officer_id="p-1")
    store.save_records(list(synthetic_records(40, seed=4)), actor="b", officer_id="p-2")
    # Status changes after creation, by both officers; one goes back and forth.
    for index, item in enumerate(saved[:30]):
        record = store.get_record(item.id)
        assert record is not None
        officer = "p-1" if index % 2 else "p-2"
        if record["status"] == "enrolled":
            record.update(status="declined", decline_reason="biaya")
        else:
            record = enrolled(record)
            if not record.get("nik"):
                record["nik"] = f"32010145019{index:05d}"
        store.save_record(record, actor=officer, officer_id=officer)
    again = store.get_record(saved[1].id)
    assert again is not None
    store.save_record({**again, "status": "prospect"}, actor="p-1", officer_id="p-1")
    store.save_record(person(full_name="Baru Saja", status="interested"), actor="p-1")
    summary, mine = store.period_summary(START, END, "p-1")
    assert summary.enrolled > mine > 0 and summary.declined > 0 and summary.new_prospects > 0
    for officer in ("p-1", "p-2", "p-9"):
        assert store.period_summary(START, END, officer) == expected(store, START, END, officer)
    # A period with nothing in it, and one starting after the first saves.
    assert store.period_summary(END, END, "p-1") == expected(store, END, END, "p-1")
    middle = store.get_record(saved[60].id)["created_at"]  # type: ignore[index]
    assert store.period_summary(middle, END, "p-1") == expected(store, middle, END, "p-1")
