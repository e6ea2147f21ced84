"""Restore a backup onto this laptop: the one sequence the CLI and the TUI both run.

Every member is checked (hashes, then the passphrase unwraps the backup's key, then the store
copy is opened with it and integrity-checked) before anything on the laptop is touched. Data
already here is replaced only when asked, and then kept aside, never deleted.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from outreach_tui.config import Paths, load_settings, save_settings
from outreach_tui.store.backup import BackupError, install_restored, read_info, unpack_backup

from .vault import Vault


@dataclass(frozen=True)
class Restored:
    """What a restore did."""

    records: int
    aside: Path | None


class DataExists(Exception):
    """The laptop already has data and `replace` was not asked for."""


def has_data(paths: Paths) -> bool:
    """Whether a restore would replace something (a store or a data key)."""
    return paths.db_path.exists() or Vault(paths).exists()


def restore_backup(paths: Paths, file: Path, passphrase: str, *, replace: bool) -> Restored:
    """Check and install `file`; raises BackupError, DataExists or the vault's errors."""
    from outreach_tui.safefile import move_aside

    read_info(file)
    existing = has_data(paths)
    if existing and not replace:
        raise DataExists(str(paths.db_path))
    paths.ensure()
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=paths.data_dir) as work_dir:
        work = Path(work_dir)
        members = unpack_backup(file, work)
        if "keys/datakey.json" not in members:
            raise BackupError("backup.damaged")
        keys = work / "keys"
        keys.mkdir(mode=0o700)
        os.replace(members["keys/datakey.json"], keys / "datakey.json")
        members["keys/datakey.json"] = keys / "datakey.json"
        key = Vault(Paths(work, work, keys, work)).unlock(passphrase)
        aside = move_aside(paths, "before-restore", with_config=True) if existing else None
        records = install_restored(members, paths, key)
    _point_settings_here(paths)
    return Restored(records, aside)


def _point_settings_here(paths: Paths) -> None:
    """A restored CA file lives in this laptop's config folder: the settings say so."""
    try:
        settings = load_settings(paths)
    except Exception:  # a broken restored settings file is reported by the next command
        return
    ca = paths.config_dir / "server-ca.pem"
    if settings.ca_file and ca.is_file() and Path(settings.ca_file) != ca:
        save_settings(paths, settings.model_copy(update={"ca_file": str(ca)}))
