"""The central API's settings: one typed object passed to `create_app`, never module state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sync.protocol import FIRST_ITEM_KINDS, MAX_BATCH_BYTES, NEWER_ITEM_KINDS


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _wib_today() -> dt.date:
    # Branch offices work on Indonesian civil dates; WIB (UTC+7) covers most of them, and a
    # record validated a few hours early or late only moves an age warning by a day.
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=7)).date()


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """Limits and clocks of one app instance; tests shrink the limits or fix the clock."""

    # Largest request body once decompressed (the client packs pushes under MAX_BATCH_BYTES).
    max_body_bytes: int = MAX_BATCH_BYTES
    # Largest gzip-compressed body as sent on the wire.
    max_compressed_bytes: int = MAX_BATCH_BYTES
    # Requests per second allowed per device (token bucket); None turns the limit off.
    rate_per_second: float | None = 50.0
    # How many requests a device may send at once before the rate applies.
    rate_burst: int = 200
    # Responses at least this large are gzipped when the client accepts gzip.
    gzip_minimum_size: int = 1000
    # The date rules such as the age warning are checked against.
    today: Callable[[], dt.date] = field(default=_wib_today)
    # Timestamps written to the database and sent as `server_time`.
    now: Callable[[], dt.datetime] = field(default=_utc_now)
    # The item kinds pushes may carry, named to clients in `ITEM_KINDS_HEADER`. Tests serve
    # protocol 1's first kinds only to stand for a server built before groups and events.
    item_kinds: tuple[str, ...] = (*FIRST_ITEM_KINDS, *NEWER_ITEM_KINDS)
