"""No message ever echoes what a person or a file submitted (issue 10, class 6).

Canary values go through every validator (record fields, CSV import rows through the real CLI,
pushed items to the real server) and must never come back in a message; a static check pins every
placeholder of the translation tables to an allow-list of non-personal parameter names.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from outreach_tui.cli import main
from outreach_tui.domain import i18n
from outreach_tui.domain import problems as problems_mod
from outreach_tui.domain.problems import Problem
from outreach_tui.domain.record import validate_record
from tests.sync.conftest import CentralServer, make_record, nik_for, record_item

CANARY = "Zqxv"  # letters only, so the name and code readers do not strip it
TODAY = dt.date(2026, 6, 1)

# Placeholders a message may hold anywhere: limits, counts, codes from our lists, paths the user
# typed on their own command line, ids and versions, technical states. No personal data.
ALLOWED_PLACEHOLDERS = frozenset(
    [
        "actor",  # who did it: "staff:NAME" from the command line, or "device:ID"
        "username",  # a branch console account's sign-in name (staff, not a participant)
        "given",  # the officer id or branch a setup code brought (not a participant's data)
        "seconds",  # how long sign-in stays locked
        "by",  # the supervisor who decided (a staff username)
        "officer",  # an officer id
        "fields",  # the console form fields (labels) with bad input
        "target",  # a monthly enrollment target
        "top",  # the highest bar of a console chart
        "choices",  # the allowed numbers of months of a payment
        "paid_through",  # the last month a participant paid (YYYY-MM)
        "owed",  # what a participant in arrears owes (rupiah)
        "enrolled",  # a count of members enrolled
        "members",  # a count of a group's members
        "group",  # a group's name (a market, an ojek base: an organisation, not a person)
        "attended",  # a count of an event's attendees
        "groups",  # counts recovered: groups, events, group members, attendances
        "events",
        "memberships",
        "attendances",
        "label",  # an event's day and place
        "place",  # an event's place (a market, a village hall)
        "when",  # when an event starts
        "since",  # attendees enrolled since an event (a count)
        "undecided",  # attendees still undecided (a count)
        "added",
        "folder",
        "hours",
        "percent",  # home: share of the month's target reached
        "db",  # a central database: a path, or a URL shown without its password (describe)
        "scheme",  # the scheme of a refused database URL
        "tool",  # pg_dump / pg_restore
        "env",  # the name of an environment variable
        "kind",  # sqlite / postgres
        "workers",  # a number of worker processes
        "width",  # slip preview: the window size the QR code needs
        "height",
        "ids",  # doctor: row numbers (rowids) that could not be read, never values
        "lost",  # doctor: rows that could not be read, a count
        "saved",
        "table",  # a table name of the store's schema
        "kept",
        "moved",
        "received",
        "server",  # a version number
        "count",
        "max",
        "min",
        "limit",
        "line",
        "position",
        "version",
        "base_version",
        "current_version",
        "duplicate_of",
        "status",
        "old",
        "new",
        "old_label",
        "new_label",
        "new_label",
        "status_label",
        "program",
        "field",
        "field_label",
        "rule",
        "path",
        "rows",
        "total",
        "accepted",
        "rejected",
        "set_aside",
        "sent",
        "pulled",
        "stored",
        "unchanged",
        "updated",
        "pending",
        "unsent",
        "conflicts",
        "done",
        "warnings",
        "duplicates",
        "flagged",
        "records",
        "visits",
        "reasons",
        "fields",
        "columns",
        "seconds",
        "minutes",
        "months",
        "days",
        "remaining",
        "failures",
        "minimum",
        "limit_mb",
        "size",
        "env",
        "url",
        "host",
        "port",
        "scope",
        "record_id",
        "entity",
        "entity_id",
        "device_id",
        "officer_id",
        "officer",
        "branch",
        "key_id",
        "kind",
        "phase",
        "state",
        "level",
        "reference",
        "code",
        "detail",
        "reason",
        "message",
        "error",
        "at",
        "when",
        "time",
        "today",
        "day",
        "month",
        "year",
        "created_at",
        "revoked_at",
        "last_sent_at",
        "last_received_at",
        "seq",
        "rate",
        "percent",
        "regulation",
        "placeholders",
        "other",
        "extra",
        "action",
        "target",
        "first",
        "last",
        "low",
        "high",
        "area",
        "amount",
        "printer",
        "records_path",
        "home",
        "by",
        "outcome",
        "region",
        "kecamatan",
        "desa",
        "rt",
        "rw",
        "overdue",
        "query",
        "name",
        "names",
        "nik",
        "note",
        "date",
        "kpj_number",
        "token",
        "passphrase",
        "column",
        "id",
        "place",
        "option",
        "limit_kb",
    ]
)

# The keys that show personal data on purpose: screens that display the officer's own record to
# the officer (a name in a title, a masked NIK), never a validation or error message.
DISPLAY_KEYS = frozenset(
    {
        "search.none",
        "server.device.token",
        "server.paid.done",
        "slip.no_rates",
        "demo.passphrase",
        "next_step.title",  # the dialog after saving names the person just saved
        "next_step.title_enrolled",
        "records.count_search",
        "records.count_search_more",
        "form.title.edit",
        "attendance.known",  # the quick attendance names who may already be recorded
        "reports.group_bar",  # a group's name (an organisation, not a person)
        "groups.pick.title",  # the group dialog names the person whose record is open
        "form.nik_region",
        "form.saved",
        "form.calc.discounts",
        "detail.nik_masked",
        "detail.region",
        "detail.follow_up.due",
        "detail.visit.line",
        "detail.follow_up.saved",
        "detail.status_dialog.title",
        "detail.visit_dialog.title",
        "detail.follow_up_dialog.title",
        "slip_preview.title",
        "sync_screen.keep_mine_title",
        "sync_screen.keep_mine_done",
        "reports.scope_area",
    }
)

# Placeholder names that carry submitted data: only DISPLAY_KEYS may use them.
PERSONAL = frozenset(
    {"value", "name", "names", "nik", "nik_date", "nik_region", "nik_sex_label", "chars", "note"}
    | {"query", "date", "kpj_number", "token", "passphrase", "region"}
)


def _tables() -> Mapping[str, Mapping[str, str]]:
    return i18n.table()


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{([a-z_]+)\}", text))


def test_every_placeholder_is_allow_listed() -> None:
    """A new message cannot quietly add a parameter: every placeholder is a known safe name."""
    seen: set[str] = set()
    for key, entry in _tables().items():
        for lang in ("id", "en"):
            found = _placeholders(entry.get(lang, ""))
            seen |= found
            assert found <= ALLOWED_PLACEHOLDERS, (key, found - ALLOWED_PLACEHOLDERS)
    assert {"count", "max", "field_label"} <= seen


def test_validation_messages_hold_no_personal_placeholder() -> None:
    """Only display screens may show personal fields; no problem code's message can."""
    for key, entry in _tables().items():
        found = _placeholders(entry.get("id", "")) | _placeholders(entry.get("en", ""))
        personal = found & PERSONAL
        if personal:
            assert key in DISPLAY_KEYS, (key, personal)
    for code in problems_mod.CODES:
        assert code not in DISPLAY_KEYS
    assert problems_mod.SAFE_PARAMS.isdisjoint(PERSONAL)


def test_problem_drops_unknown_params() -> None:
    """A validator passing a value by mistake still cannot get it into the sentence."""
    problem = Problem("sex", "generic.unknown", {"value": CANARY})
    assert CANARY not in problem.message("id") and CANARY not in problem.message("en")


def _canary_record() -> dict[str, Any]:
    return {
        "full_name": f"{CANARY}#$%",
        "nik": f"{CANARY}3201",
        "kk": f"{CANARY}99",
        "birth_date": f"{CANARY}-01",
        "sex": CANARY,
        "phone": f"{CANARY}0812",
        "occupation": CANARY,
        "monthly_income": f"{CANARY}100",
        "programs": f"JKK {CANARY}",
        "payment_period": CANARY,
        "region_code": CANARY,
        "rw": CANARY,
        "rt": CANARY,
        "street": CANARY * 100,
        "status": CANARY,
        "decline_reason": CANARY,
        "follow_up_on": CANARY,
        "consent": CANARY,
        "notes": CANARY * 1000,
    }


def _texts(problems: list[Problem]) -> str:
    return " ".join(p.message(lang) for p in problems for lang in ("id", "en"))


def test_record_validation_never_echoes_canaries() -> None:
    """Every record field typed wrong: each is reported, none quoted back."""
    result = validate_record(_canary_record(), today=TODAY)
    assert len({p.field for p in result.errors}) >= 12
    assert CANARY.lower() not in _texts(result.errors + result.warnings).lower()


def test_nik_derived_facts_are_not_echoed() -> None:
    """A mismatch names the rule, not the date, sex or region the NIK encodes."""
    nik = nik_for(1)  # born 1980-01-02, a woman, issued in 32.01
    raw = make_record(1, nik=nik, consent=True, birth_date="1975-03-04", sex="L")
    raw["region_code"] = "31.71.01.1001"
    result = validate_record(raw, today=TODAY)
    codes = {p.code for p in result.errors + result.warnings}
    assert {"birth_date.mismatch_nik", "sex.mismatch_nik"} <= codes
    text = _texts(result.errors + result.warnings)
    for secret in ("1980", "02-01", "01-02", "3201", "32.01", "3171", "Perempuan", "female"):
        assert secret not in text, secret


def test_csv_import_report_never_echoes_canaries(tmp_path: Path) -> None:
    """The real `outreach import --json` names rows and columns by number, never their text."""
    record = _canary_record()
    header = ",".join([*record, f"{CANARY}_col"])
    row = ",".join([*(str(v) for v in record.values()), "x"])
    path = tmp_path / "canary.csv"
    path.write_text(header + "\n" + row + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(path), "--json"], catch_exceptions=False)
    report = json.loads(result.stdout)
    assert result.exit_code == 1, result.stdout
    assert len(report["rejected"]) == 1 and len(report["rejected"][0]["errors"]) >= 12
    assert any(w["code"] == "column.unknown" for w in report["warnings"])
    assert CANARY.lower() not in (result.stdout + result.stderr).lower()
    for lang_args in (["--lang", "en"],):
        again = CliRunner().invoke(main, [*lang_args, "import", str(path)])
        assert CANARY.lower() not in again.output.lower()


def test_server_push_answers_never_echo_canaries(central_server: CentralServer) -> None:
    """The real server rejects a canary record with reasons that quote nothing of it."""
    token = central_server.add_device()
    data = make_record(2)
    for name, value in _canary_record().items():
        if name in ("notes", "street", "kk"):  # kk: not a field of the record contract
            continue
        data[name] = value
    response = central_server.push(token, [record_item(data)])
    assert response.status_code == 200, response.status_code
    answer = response.json()
    assert answer["results"][0]["status"] == "rejected"
    assert len(answer["results"][0]["reasons"]) >= 8
    assert CANARY.lower() not in response.text.lower()
