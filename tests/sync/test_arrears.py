"""Arrears end to end (issue 14): payments recorded at the branch keep a paid-through month; a
participant with 3 unpaid months becomes inactive and active again on payment; both reach the
laptop that owns the record with its next sync; the console lists the arrears."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from outreach_tui.cli import main
from outreach_tui.domain.contributions import add_months, due_date
from sync.server import arrears
from tests.conftest import cli_setup, unlocked_store
from tests.sync.conftest import CentralServer, nik_for
from tests.sync.test_console import staff_session

HEADER = "full_name,nik,phone,occupation,programs,payment_period,region_code,rw,rt,status,consent\n"


def test_inactive_after_three_unpaid_months_and_active_again(
    tmp_path: Path, central_server: CentralServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OUTREACH_HOME", str(tmp_path / "a"))
    token = central_server.add_device("p-a", "KC-BOGOR")
    assert cli_setup(central_server.url, token, "p-a").exit_code == 0
    people = tmp_path / "people.csv"
    people.write_text(HEADER + f"Siti Aminah,{nik_for(5)},0812-3456-7890,ojol,JKK JKM,1,"
                      "3201011001,3,2,enrolled,ya\n")  # fmt: skip
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(people)]).exit_code == 0
    assert runner.invoke(main, ["sync"]).exit_code == 0
    ((record_id,),) = central_server.query("SELECT record_id FROM records")
    today = dt.date.today()
    paid = arrears.record_payment(central_server.storage, record_id, 1, today=today, by="dewi",
                                  branch="KC-BOGOR")  # fmt: skip
    assert paid.outcome == "paid"
    assert arrears.sweep(central_server.storage, today=today) == 0  # paid: nothing overdue
    # Three months on, unpaid: inactive, and the laptop learns it.
    through = dt.date.fromisoformat(paid.paid_through + "-01")
    later = due_date(add_months(through, 3)) + dt.timedelta(days=1)
    assert arrears.sweep(central_server.storage, today=later) == 1
    assert arrears.sweep(central_server.storage, today=later) == 0  # once
    assert central_server.query("SELECT central_status FROM records") == [("inactive",)]
    assert runner.invoke(main, ["sync"]).exit_code == 0
    store = unlocked_store(tmp_path / "a")
    try:
        (owed,) = store.arrears()
        assert (
            owed["inactive"] and owed["months"] == 3 and owed["paid_through"] == paid.paid_through
        )
        assert owed["rw"] == "003"
    finally:
        store.close()
    web = staff_session(central_server, "dewi", "KC-BOGOR", "supervisor")
    page = web.get(f"{central_server.url}/console/arrears", timeout=10)
    assert "Siti Aminah" in page.text and "32.01.01.1001 RW 003" in page.text
    # A payment of three months makes her active again; the laptop learns that too.
    again = arrears.record_payment(central_server.storage, record_id, 3, today=later, by="dewi",
                                   branch="KC-BOGOR")  # fmt: skip
    assert again.outcome == "reactivated"
    assert central_server.query("SELECT central_status FROM records") == [("active",)]
    assert runner.invoke(main, ["sync"]).exit_code == 0
    store = unlocked_store(tmp_path / "a")
    try:
        assert store.arrears() == []
        (row,) = store.arrears(inactive_only=False)
        assert row["months"] == 0 and not row["inactive"]
    finally:
        store.close()


def test_payments_are_refused_for_what_cannot_be_paid(central_server: CentralServer) -> None:
    from tests.sync.conftest import make_record, record_item

    token = central_server.add_device("p-a", "KC-BOGOR")
    prospect = make_record(1)
    assert central_server.push(token, [record_item(prospect)]).ok
    storage = central_server.storage
    today = dt.date.today()
    outcome = arrears.record_payment(storage, prospect["id"], 1, today=today, by="d",
                                     branch="KC-BOGOR")  # fmt: skip
    assert outcome.outcome == "not_enrolled"
    other = arrears.record_payment(storage, prospect["id"], 1, today=today, by="d",
                                   branch="KC-DEPOK")  # fmt: skip
    assert other.outcome == "not_found"
    with pytest.raises(ValueError):
        arrears.record_payment(storage, prospect["id"], 5, today=today, by="d", branch="KC-BOGOR")
    assert central_server.query("SELECT count(*) FROM payments") == [(0,)]


def test_the_arrears_command_runs_the_sweep(tmp_path: Path) -> None:
    db = tmp_path / "central.db"
    assert CliRunner().invoke(main, ["server", "migrate", "--db", str(db)]).exit_code == 0
    done = CliRunner().invoke(main, ["server", "arrears", "--db", str(db)])
    assert done.exit_code == 0 and ": 0." in done.output
    missing = CliRunner().invoke(main, ["server", "arrears", "--db", str(tmp_path / "x.db")])
    assert missing.exit_code == 2 and not (tmp_path / "x.db").exists()


def test_the_server_sweeps_arrears_by_itself(central_server: CentralServer) -> None:
    """`outreach server run` keeps a Sweeper: participants fall inactive without a cron job,
    once, and a sweep that fails (the database away) is tried again at the next interval."""
    import time

    from tests.sync.conftest import enrolled_record, record_item, statuses

    token = central_server.add_device("p-a", "KC-BOGOR")
    record = enrolled_record(11)
    assert statuses(central_server.push(token, [record_item(record)])) == ["accepted"]
    today = dt.date.today()
    paid = arrears.record_payment(central_server.storage, record["id"], 1, today=today, by="dewi",
                                  branch="KC-BOGOR")  # fmt: skip
    through = dt.date.fromisoformat(f"{paid.paid_through}-01")
    later = due_date(add_months(through, 3)) + dt.timedelta(days=1)
    sweeper = arrears.Sweeper(central_server.storage, lambda: later, interval=0.05).start()
    try:
        deadline = time.monotonic() + 10
        while sweeper.runs < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        sweeper.stop()
    assert sweeper.runs >= 3
    assert central_server.query("SELECT central_status FROM records") == [("inactive",)]
    changes = central_server.query("SELECT fields FROM server_changes WHERE kind = 'status'")
    assert sum("inactive" in fields for (fields,) in changes) == 1  # swept 3 times, once made


def test_a_failing_sweep_is_logged_and_the_sweeper_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import time

    class Away:
        def reader(self) -> Any:
            raise OSError("database away")

    sweeper = arrears.Sweeper(Away(), dt.date.today, interval=0.05).start()
    deadline = time.monotonic() + 10
    while sweeper.runs < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    sweeper.stop()
    assert sweeper.runs >= 2
    assert "arrears sweep failed: OSError" in caplog.text
