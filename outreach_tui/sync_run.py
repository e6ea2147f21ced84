"""A sync run as `outreach sync` and the TUI both do it: client, slip keys, reachability.

The command and the TUI's background sync share this so both register the device's slip
key, learn the branch's slip keys and talk to the central API the same way. Nothing here
knows a screen or a terminal: progress goes to a callback.
"""

from __future__ import annotations

import logging
from typing import Any

import requests

from outreach_tui.config import Paths
from outreach_tui.domain.i18n import translate
from outreach_tui.domain.server_url import ServerUrlError, check_server_url
from sync.client import Progress, SyncClient, SyncConfig, SyncStore
from sync.protocol import API_PREFIX, HOLDER_MARKERS
from sync.summary import SyncSummary

PROBE_TIMEOUT = 2.0  # seconds: the probe must stay cheap on a weak field connection


def device_key_info(paths: Paths, data_key: bytes) -> dict[str, Any] | None:
    """This laptop's slip signing key (public half), to register at the centre."""
    from outreach_tui.slips.keys import load_device_key

    key = load_device_key(paths, data_key=data_key)
    return key.public_info() if key is not None else None


def learn_branch_keys(paths: Paths, keys: list[dict[str, Any]]) -> None:
    """Trust the branch's slip keys learned from the centre; skip any malformed one."""
    from outreach_tui.slips.keyring import add_known_key
    from outreach_tui.slips.signing import KeyFormatError

    for info in keys:
        try:
            add_known_key(paths, info)
        except KeyFormatError:
            continue


def make_client(
    store: SyncStore,
    config: SyncConfig,
    *,
    paths: Paths,
    data_key: bytes,
    progress: Progress | None = None,
) -> SyncClient:
    """The sync client for this laptop's store, with its slip key and the branch key learning."""
    return SyncClient(
        store,
        config,
        progress=progress,
        device_key=device_key_info(paths, data_key),
        on_branch_keys=lambda keys: learn_branch_keys(paths, keys),
    )


def probe(server_url: str, timeout: float = PROBE_TIMEOUT, ca_file: str = "") -> bool:
    """Whether something answers at the central API now (no token, no retries).

    A TLS failure or a redirect counts as reachable: the sync that follows then stops with
    the precise reason (untrusted certificate, redirect refused) instead of "offline".
    An address that breaks the transport rule is never contacted.
    """
    try:
        url = check_server_url(server_url)
    except ServerUrlError:
        return True  # the client refuses it with the rule's message
    if not url:
        return False
    try:
        response = requests.get(
            f"{url}{API_PREFIX}/health",
            timeout=timeout,
            allow_redirects=False,
            verify=ca_file or True,
        )
    except requests.exceptions.SSLError:
        return True
    except requests.RequestException:
        return False
    return response.status_code == 200 or 300 <= response.status_code < 400


def summary_text(summary: SyncSummary, lang: str) -> str:
    """One line saying what a sync run did (the command prints it, the sync screen shows it)."""
    line = translate(
        "sync.summary",
        lang,
        sent=summary.sent,
        accepted=summary.accepted,
        duplicates=summary.duplicates,
        flagged=summary.flagged,
        conflicts=summary.conflicts,
        rejected=summary.rejected,
        pulled=summary.pulled,
        remaining=summary.remaining,
    )
    if summary.groups_held and summary.groups_waiting:
        line += " " + translate("sync.groups_held", lang, count=summary.groups_waiting)
    return line


def keep_less(store: Any, retention_days: int) -> int:
    """After a sync: purge what the central API has held for the retention period.

    Runs after every successful sync (command and TUI), so a laptop never keeps personal
    data longer than `retention_days` past its acknowledgement. Returns the records emptied.
    """
    try:
        return len(store.purge_expired(days=retention_days).records)
    except Exception as exc:  # the sync itself succeeded: never turn that into a failure
        logging.getLogger(__name__).warning("retention purge failed: %s", type(exc).__name__)
        return 0


def duplicate_text(other: str, lang: str, key: str = "sync.duplicate_of") -> str:
    """Why a record is set aside as a duplicate: the other record's id when it is one of ours,
    else who resolves it (the central API never names a record of a colleague or a branch)."""
    if other in HOLDER_MARKERS:
        return translate(f"sync.duplicate_of.{other}", lang)
    return translate(key, lang, other=other)
