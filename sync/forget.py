"""Telling the central API about people who asked to be forgotten (UU 27/2022).

`outreach forget ID` removes the person's data from the laptop at once and queues a request
in the store; the next sync sends each with `POST /v1/records/{id}/forget`. The store is
reached only through `ForgetStore` (sync never imports the store). An answer ends a request:
`forgotten` (200), `not_held` (404: the centre never got the record) or `forbidden` (403: a
record of another branch). Network errors and 5xx leave it queued for the next sync.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from sync.contract import SyncError

logger = logging.getLogger("sync.client")

# The final answers, as the store keeps them, by HTTP status of a refused request.
_REFUSED = {404: "not_held", 403: "forbidden"}


@runtime_checkable
class ForgetStore(Protocol):
    """What sending forget requests needs from the local store."""

    def pending_forgets(self, limit: int = 1000) -> list[str]: ...

    def forget_sent(self, record_id: str, result: str) -> None: ...


Request = Callable[..., Any]  # SyncClient._request: (method, path, **kwargs) -> JSON


def send_forgets(store: object, request: Request) -> int:
    """Send every queued forget request; returns how many the server answered `forgotten`.

    Stores without a forget queue (older test doubles) are skipped. A request refused for
    good (404, 403) is closed with that result; any other error stops here and is raised
    (the requests stay queued).
    """
    if not isinstance(store, ForgetStore):
        return 0
    done = 0
    for record_id in store.pending_forgets():
        try:
            request("POST", f"/records/{record_id}/forget")
        except SyncError as exc:
            result = _REFUSED.get(exc.status or 0)
            if result is None:
                raise
            store.forget_sent(record_id, result)
            continue
        store.forget_sent(record_id, "forgotten")
        done += 1
    if done:
        logger.info("forget requests sent: %d", done)
    return done
