"""`outreach audit verify`: check the hash chain of the local audit log.

The store finds the first entry that breaks the chain (`Store.verify_audit`); this command only
says in the officer's language what is wrong there: an entry changed, an entry missing before
it, or entries cut off the end. The audit log holds field names, never values, so nothing
personal is printed.
"""

from __future__ import annotations

import json
from typing import Any

import click

from outreach_tui.commands.common import Context, fail, pass_context
from outreach_tui.store.audit import GENESIS, _entry_text
from outreach_tui.store.errors import EXIT_DAMAGED
from outreach_tui.store.fields import sha256_hex
from outreach_tui.store.salvage import integrity_problems

EXIT_BROKEN = 1

_COLUMNS = "seq, at, actor, action, entity, entity_id, version, fields, prev_hash, hash"


@click.group("audit")
def audit() -> None:
    """The local audit log: who changed what and when, chained so tampering shows."""


def _row(store: Any, sql: str, params: tuple[Any, ...]) -> dict[str, Any] | None:
    cursor = store.db.conn.execute(sql, params)
    found = cursor.fetchone()
    if found is None:
        return None
    return {column[0]: value for column, value in zip(cursor.description, found, strict=True)}


def diagnose(store: Any, seq: int) -> str:
    """Why entry `seq` breaks the chain: `changed`, `missing_before`, `relinked` or `cut_off`.

    `changed`: its stored hash is not the hash of its content (the entry was edited).
    `missing_before`: entries between the one before it and it are gone (deleted).
    `relinked`: it does not name the hash of the entry before it (inserted or rewritten).
    `cut_off`: entries after the last one existed once (SQLite's counter remembers them).
    """
    row = _row(store, f"SELECT {_COLUMNS} FROM audit WHERE seq = ?", (seq,))
    if row is None:
        return "cut_off"
    before = _row(
        store, "SELECT seq, hash FROM audit WHERE seq < ? ORDER BY seq DESC LIMIT 1", (seq,)
    )
    prev_seq, prev_hash = (before["seq"], before["hash"]) if before else (0, GENESIS)
    text = _entry_text(
        row["seq"],
        row["at"],
        row["actor"],
        row["action"],
        row["entity"],
        row["entity_id"],
        row["version"],
        row["fields"],
    )
    if row["prev_hash"] == prev_hash and sha256_hex(prev_hash + text) != row["hash"]:
        return "changed"
    if prev_seq != seq - 1:
        return "missing_before"
    if row["prev_hash"] == prev_hash:  # pragma: no cover - verify_audit would not stop here
        return "changed"
    return "relinked"


@audit.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout.")
@pass_context
def verify(ctx: Context, as_json: bool) -> None:
    """Check every link of the audit log's hash chain; name the first broken entry.

    Exit 0: the chain is intact; 1: it is broken (the log was altered outside the tool);
    10: the data file itself is damaged (run `outreach doctor`).
    """
    with ctx.store() as store:
        # A chain read through a damaged page proves nothing: check the pages first.
        damage = integrity_problems(store.db.conn)
        if damage:
            if as_json:
                click.echo(json.dumps({"intact": False, "store_damaged": True}))
            fail("audit.store_damaged", code=EXIT_DAMAGED, count=len(damage))
        broken = store.verify_audit()
        entries = int(store.db.conn.execute("SELECT count(*) FROM audit").fetchone()[0])
        problem = diagnose(store, broken) if broken is not None else None
        entry = (
            _row(store, "SELECT at, action, entity, entity_id FROM audit WHERE seq = ?", (broken,))
            if broken is not None
            else None
        )
    if broken is None:
        if as_json:
            click.echo(json.dumps({"intact": True, "entries": entries}))
        else:
            click.echo(ctx.t("audit.intact", count=entries))
        return
    reason = ctx.t(f"audit.problem.{problem}")
    if as_json:
        click.echo(
            json.dumps(
                {
                    "intact": False,
                    "entries": entries,
                    "broken_at": broken,
                    "problem": problem,
                    "message": reason,
                    "entry": entry,
                },
                ensure_ascii=False,
            )
        )
    else:
        click.echo(ctx.t("audit.broken", seq=broken, reason=reason), err=True)
        if entry is not None:
            click.echo(
                ctx.t(
                    "audit.entry",
                    at=entry["at"],
                    action=entry["action"],
                    entity=entry["entity"],
                    entity_id=entry["entity_id"] or "-",
                ),
                err=True,
            )
    raise SystemExit(EXIT_BROKEN)
