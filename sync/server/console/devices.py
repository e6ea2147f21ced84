"""The branch's devices as the console shows them, and the setup-code exchange of
`POST /v1/setup` (a code from the console for a new laptop's token)."""

import secrets
import uuid
from typing import Any

from sync.server import central_sql as sql
from sync.server.auth import hash_token
from sync.server.central import utc_stamp
from sync.server.console.receipts import device_summary
from sync.server.console.store import ConsoleStore, Refused
from sync.server.storage import Device


def branch_devices(console: ConsoleStore, branch: str) -> list[dict[str, Any]]:
    """The branch's laptops: what each sent (record versions kept; batches, items, set aside
    and app version from the sync receipts) and when it last synced."""
    devices = console.rows(
        "SELECT device_id, officer_id, created_at, revoked_at FROM devices WHERE branch = ? "
        "ORDER BY officer_id, created_at",
        (branch,),
    )
    # One scan of the branch's versions (no index on the device: pushes stay as fast).
    sent = {
        row[0]: (int(row[1]), row[2])
        for row in console.rows(
            "SELECT device_id, count(*), max(received_at) FROM record_versions "
            "WHERE branch = ? GROUP BY device_id",
            (branch,),
        )
    }
    summary = device_summary(console, branch)  # from the sync receipts (schema 6 on)
    keys = ("device_id", "officer_id", "created_at", "revoked_at", "versions", "last_received")
    shown = []
    for row in devices:
        device = dict(zip(keys, (*row, *sent.get(row[0], (0, None))), strict=True))
        shown.append(device | summary.get(row[0], {}))
    return shown


def exchange_setup_code(console: ConsoleStore, code: str) -> tuple[Device, str]:
    """A setup code for a new device and its token (the code is used up in the same
    transaction that registers the device)."""
    branch, officer_id, digest = console.redeem_setup_code(code)
    token = secrets.token_urlsafe(32)
    device = Device(str(uuid.uuid4()), officer_id, branch, utc_stamp())
    with console.tx(branch) as run:
        if not console.mark_code_used(run, digest, device.device_id):
            raise Refused("console.code.used")
        run(sql.INSERT_DEVICE, sql.device_params(device, hash_token(token)))
        console.audit_in(run, f"device:{device.device_id}", "device_set_up", branch,
                       detail={"officer_id": officer_id})  # fmt: skip
    return device, token
