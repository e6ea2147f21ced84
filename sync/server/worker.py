"""The app of one worker process of `outreach server run --workers N`.

uvicorn starts each worker afresh and calls `app_from_env`, which opens the database the parent
named in OUTREACH_CENTRAL_DB (already migrated by the parent: a worker creates nothing) with a
pool sized for one worker. Every worker shares the database's rate-limit buckets.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

DB_ENV = "OUTREACH_CENTRAL_DB"
POOL_PER_WORKER = 8


def app_from_env() -> FastAPI:
    """The central API over the database in OUTREACH_CENTRAL_DB (its schema already current)."""
    from sync.server.app import create_app
    from sync.server.arrears import Sweeper, sweep_interval
    from sync.server.database import open_central
    from sync.server.settings import ServerSettings

    storage = open_central(os.environ[DB_ENV], create=False, max_size=POOL_PER_WORKER)
    settings = ServerSettings()
    Sweeper(storage, settings.today, sweep_interval()).start()  # idempotent across workers
    return create_app(storage, settings=settings)
