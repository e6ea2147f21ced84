"""Helpers for the sync screen tests: a laptop set up against the real central API, records."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from outreach_tui.cli import main
from outreach_tui.domain.record import validate_record
from tests.conftest import cli_setup, unlocked_store
from tests.sync.conftest import CentralServer, enrolled_record, make_record


def set_up_laptop(server: CentralServer, url: str | None = None) -> str:
    """`outreach setup` against ``server`` (or ``url``) with a token the server knows."""
    token = server.add_device("p1", "KC-BOGOR")
    result = cli_setup(url or server.url, token)
    assert result.exit_code == 0, result.output
    return token


def save_people(home: Path, count: int, *, start: int = 0, **overrides: Any) -> list[str]:
    """Save ``count`` valid records on the laptop (odd ones enrolled); their ids."""
    ids = []
    store = unlocked_store(home)
    try:
        for n in range(start, start + count):
            raw = enrolled_record(n, **overrides) if n % 2 else make_record(n, **overrides)
            raw.pop("id")
            result = validate_record(raw, today=date.today())
            assert result.ok, result.errors
            ids.append(store.save_record(result.record, actor="p1", officer_id="p1").id)
    finally:
        store.close()
    return ids


def central_records(server: CentralServer) -> dict[str, dict[str, Any]]:
    """Every record the central API holds, by id (through `outreach server export`)."""
    result = CliRunner().invoke(
        main, ["server", "export", "--db", str(server.db_path), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return {r["id"]: r for r in json.loads(result.stdout)}
