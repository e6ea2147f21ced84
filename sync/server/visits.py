"""The central check of a pushed visit (kunjungan): the fields the server relies on must be sound.

A visit is an immutable event; the laptop store already checked it, so this only refuses what
would make the central copy wrong (an unknown outcome, an unreadable record id or date). Fields
the server does not know (such as the laptop's `officer_id` or `created_at`) are kept as sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from outreach_tui.domain import codes, fields
from outreach_tui.domain.problems import Problem
from outreach_tui.domain.record import read_region

MAX_VISIT_NOTE_LENGTH = 500


def _read_at(value: object) -> list[Problem]:
    text = fields.as_text(value)
    if text is None:
        return [Problem("at", "at.type")]
    try:
        dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return [Problem("at", "at.format")]
    return []


def check_visit(data: Mapping[str, Any]) -> tuple[str | None, list[Problem]]:
    """The visit's record id (canonical, or None) and the problems that refuse the visit."""
    problems: list[Problem] = []
    record_id: str | None = None
    outcome = data.get("outcome")
    if fields.is_blank(outcome):
        problems.append(Problem("outcome", "visit_outcome.required"))
    else:
        text = fields.as_text(outcome)
        if text is None:
            problems.append(Problem("outcome", "outcome.type"))
        else:
            problems.extend(codes.normalize_choice(text, codes.VISIT_OUTCOMES, "visit_outcome")[1])
    if not fields.is_blank(data.get("record_id")):
        value, found = fields.read_uuid(data.get("record_id"), "record_id")
        problems.extend(found)
        record_id = value if isinstance(value, str) else None
    if not fields.is_blank(data.get("at")):
        problems.extend(_read_at(data.get("at")))
    if not fields.is_blank(data.get("region_code")):
        problems.extend(read_region(data.get("region_code"), lowest=1)[1])  # any level
    for name in ("rw", "rt"):
        value = data.get(name)
        if fields.is_blank(value):
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            problems.append(Problem(name, f"{name}.type"))
        else:
            problems.extend(codes.normalize_rt_rw(value, name)[1])
    if not fields.is_blank(data.get("note")):
        problems.extend(fields.read_note(data.get("note"), "note", MAX_VISIT_NOTE_LENGTH)[1])
    return record_id, problems
