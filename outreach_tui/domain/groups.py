"""Groups (kelompok) and socialisation events (DOMAIN.md 'Groups and events'), checked as a
record is: every entry point (the TUI, an import, the central API) normalizes a group or an
event with these functions and names each problem by field and rule; nothing raises.

A group: a name, a kind (`codes.GROUP_KINDS`), its area (a region code at kabupaten, kecamatan
or desa level, optional RW and RT), a contact person (name, phone, role) and the number of
workers it declares. An event: its kind (`codes.EVENT_KINDS`), when it starts, whether it was
held, the place, a partner (a group and/or an institution in words), the officers present (in
words), and for a follow-up the
event it follows. Coverage of a group: members enrolled or active over members recorded and
over workers declared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from outreach_tui.domain import codes, fields
from outreach_tui.domain.names import normalize_name
from outreach_tui.domain.phone import normalize_phone
from outreach_tui.domain.problems import Problem
from outreach_tui.domain.record import Validation, read_region

MAX_NAME = 120
MAX_ROLE = 60
MAX_PLACE = 200
MAX_INSTITUTION = 200
MAX_DECLARED = 10_000_000
GROUP_FIELDS = ("id", "name", "kind", "region_code", "rw", "rt", "contact_name",
                "contact_phone", "contact_role", "declared_workers")  # fmt: skip
EVENT_FIELDS = ("id", "kind", "starts_at", "held", "place", "group_id", "institution",
                "follows_event_id", "officers")  # fmt: skip
MAX_OFFICERS = 200  # the officers present, in words ("Dewi, Andi (Perisai)")


# A checked group or event has the shape of a checked record: normalized values, errors (do
# not store) and warnings.
Checked = Validation


def _present(raw: Mapping[Any, object], name: str) -> object | None:
    value = raw.get(name)
    return None if fields.is_blank(value) else value


def _text(value: object, name: str, reader: Any) -> tuple[Any, list[Problem]]:
    text = fields.as_text(value)
    if text is None:
        return None, [fields.type_problem(name)]
    return reader(text, field_name=name)


def _read_into(check: Checked, raw: Mapping[Any, object], readers: Mapping[str, Any]) -> None:
    """Read each field given in `raw` with its reader into `check` (values and problems)."""
    for name, read in readers.items():
        value = _present(raw, name)
        if value is None:
            continue
        result, problems = read(value)
        check.record[name] = result
        check.errors.extend(problems)


def _area(value: object) -> tuple[Any, list[Problem]]:
    """A region code from kabupaten/kota down to desa (a group may cover a whole kecamatan)."""
    return read_region(value, lowest=2, too_wide="region_code.too_wide")


def _declared(value: object) -> tuple[Any, list[Problem]]:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None, [fields.type_problem("declared_workers")]
    text = value.strip().replace(".", "").replace(",", "") if isinstance(value, str) else value
    try:
        number = int(text)  # "1.250" and "1,250": thousands, as officers write them
    except ValueError:
        return None, [Problem("declared_workers", "declared_workers.format")]
    if number < 0:
        return None, [Problem("declared_workers", "declared_workers.negative")]
    if number > MAX_DECLARED:
        return None, [Problem("declared_workers", "declared_workers.too_large",
                              {"max": MAX_DECLARED})]  # fmt: skip
    return number, []


def validate_group(raw: Mapping[Any, object]) -> Checked:
    """Normalize and check one group."""
    check = Checked({name: None for name in GROUP_FIELDS})
    readers: dict[str, Any] = {
        "id": fields.read_uuid,
        "name": lambda v: fields.read_line(v, "name", MAX_NAME),
        "kind": lambda v: _text(v, "kind", lambda t, field_name: codes.normalize_choice(
            t, codes.GROUP_KINDS, field_name)),
        "region_code": _area,
        "rw": lambda v: codes.normalize_rt_rw(v, "rw"),
        "rt": lambda v: codes.normalize_rt_rw(v, "rt"),
        "contact_name": lambda v: _text(v, "contact_name", normalize_name),
        "contact_phone": lambda v: _text(v, "contact_phone", normalize_phone),
        "contact_role": lambda v: fields.read_line(v, "contact_role", MAX_ROLE),
        "declared_workers": _declared,
    }  # fmt: skip
    _read_into(check, raw, readers)
    for name in ("name", "kind", "region_code"):
        if check.record[name] is None and not any(p.field == name for p in check.errors):
            check.errors.append(Problem(name, f"{name}.required"))
    if check.record["rt"] is not None and check.record["rw"] is None:
        check.errors.append(Problem("rw", "rw.required_with_rt"))
    return check


def _moment(value: object) -> tuple[Any, list[Problem]]:
    """When an event starts: an ISO date and time, with an offset (WIB when none is given)."""
    text = fields.as_text(value)
    if text is None:
        return None, [fields.type_problem("starts_at")]
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None, [Problem("starts_at", "starts_at.format")]
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=7)))
    return moment, []


def validate_event(raw: Mapping[Any, object], *, now: dt.datetime) -> Checked:
    """Normalize and check one event; `now` (aware) decides whether "held" can be true."""
    check = Checked({name: None for name in EVENT_FIELDS})
    readers: dict[str, Any] = {
        "id": fields.read_uuid,
        "kind": lambda v: _text(v, "kind", lambda t, field_name: codes.normalize_choice(
            t, codes.EVENT_KINDS, field_name)),
        "starts_at": _moment,
        "held": lambda v: fields.read_bool(v, "held"),
        "place": lambda v: fields.read_line(v, "place", MAX_PLACE),
        "group_id": lambda v: fields.read_uuid(v, "group_id"),
        "institution": lambda v: fields.read_line(v, "institution", MAX_INSTITUTION),
        "follows_event_id": lambda v: fields.read_uuid(v, "follows_event_id"),
        "officers": lambda v: fields.read_line(v, "officers", MAX_OFFICERS),
    }  # fmt: skip
    _read_into(check, raw, readers)
    rec = check.record
    for name in ("kind", "starts_at", "place"):
        if rec[name] is None and not any(p.field == name for p in check.errors):
            check.errors.append(Problem(name, f"{name}.required"))
    if rec["group_id"] is None and rec["institution"] is None:
        check.errors.append(Problem("institution", "institution.partner_required"))
    if rec["kind"] == "follow_up" and rec["follows_event_id"] is None:
        check.errors.append(Problem("follows_event_id", "follows_event_id.required"))
    if rec["held"] and isinstance(rec["starts_at"], dt.datetime) and rec["starts_at"] > now:
        check.errors.append(Problem("held", "held.future"))
    if rec["held"] is None:
        rec["held"] = False
    if isinstance(rec["starts_at"], dt.datetime):
        rec["starts_at"] = rec["starts_at"].isoformat(timespec="minutes")
    return check


def coverage(recorded: int, enrolled: int, declared: int | None) -> tuple[int, int | None]:
    """A group's coverage in percent: enrolled (or active) members over members recorded, and
    over the workers it declares (None when it declared none)."""
    of_members = round(100 * enrolled / recorded) if recorded else 0
    of_declared = round(100 * enrolled / declared) if declared else None
    return of_members, of_declared
