"""The reference central API: FastAPI over a storage Protocol, with a SQLite implementation.

`create_app(storage, settings=...)` builds the app; `open_central(db)` opens the SQLite storage
(a path) or the PostgreSQL one (a `postgresql://` URL);
`outreach server ...` (outreach_tui/commands/server.py) runs it and manages devices.
"""

from sync.server.app import create_app
from sync.server.database import describe, is_postgres, open_central
from sync.server.settings import ServerSettings
from sync.server.sqlite_storage import CentralDbError, SqliteCentralStorage
from sync.server.storage import CentralStorage, CentralWriter, Device

__all__ = [
    "CentralDbError",
    "CentralStorage",
    "CentralWriter",
    "Device",
    "ServerSettings",
    "SqliteCentralStorage",
    "create_app",
    "describe",
    "is_postgres",
    "open_central",
]
