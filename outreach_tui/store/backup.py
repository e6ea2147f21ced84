"""One-file backups of a laptop: the encrypted store, its wrapped key, settings and slip keys.

A laptop is the only copy of days of work between syncs. `write_backup` makes one file (a zip,
stored, not compressed: everything in it is already encrypted or holds nothing personal):

- `store.db`: a consistent copy of the store taken with SQLite's online backup API under the
  same SQLCipher key, while the tool may be running (a sync, the TUI);
- `keys/datakey.json` (the data key wrapped with the passphrase), the sealed slip signing key,
  its public half and the trusted keys; `config/config.toml` and the branch CA (no personal data);
- `manifest.json`: format, officer, time, size and sha256 of every member.

Without the passphrase the file is useless. It is checked after writing (every hash, and the
store copy opened with the key and integrity-checked) before it gets its final name. `restore`
checks the same before anything on the laptop is touched. No Textual here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from outreach_tui.store.connection import PAGE_SIZE, Error, connect

FORMAT = 1
LAST_BACKUP_META = "backup.last_at"  # meta key: when this laptop last made a backup (UTC)
SUFFIX = ".outreach-backup"
MANIFEST = "manifest.json"
STORE_MEMBER = "store.db"
KEY_MEMBERS = ("datakey.json", "device_ed25519.key", "device_ed25519.json", "known_keys.json")
CONFIG_MEMBERS = ("config.toml", "server-ca.pem")
MAX_MEMBER_BYTES = 8 * 1024**3  # a store of millions of records; anything larger is not ours
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup cannot be written or read; `code` is a translation key, `params` its values."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds, from its manifest."""

    path: Path
    officer_id: str
    created_at: str
    records: int
    members: dict[str, dict[str, Any]]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check_store(path: Path, key: bytes) -> int:
    """Open a store copy with the key, verify every page; its number of records."""
    try:
        conn = connect(path, key=key)
    except Error as exc:
        raise BackupError("backup.store_unreadable") from exc
    try:
        problems = [row[0] for row in conn.execute("PRAGMA cipher_integrity_check")]
        quick = conn.execute("PRAGMA quick_check").fetchone()[0]
        if problems or quick != "ok":
            raise BackupError("backup.store_damaged")
        return int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
    except Error as exc:
        raise BackupError("backup.store_unreadable") from exc
    finally:
        conn.close()


def _copy_store(source: Any, target: Path, key: bytes) -> None:
    """SQLite's online backup API from the open store into a new file under the same key."""
    dest = connect(target, key=key)
    try:
        dest.execute(f"PRAGMA cipher_page_size = {PAGE_SIZE}").fetchall()
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE").fetchall()
    finally:
        dest.close()
    for side in ("-wal", "-shm"):
        Path(f"{target}{side}").unlink(missing_ok=True)


def backup_name(officer_id: str, now: dt.datetime) -> str:
    """`outreach-<officer>-<YYYYmmdd-HHMMSS>.outreach-backup`, safe on any file system."""
    officer = re.sub(r"[^A-Za-z0-9._-]+", "_", officer_id or "petugas")[:40]
    return f"outreach-{officer}-{now:%Y%m%d-%H%M%S}{SUFFIX}"


def write_backup(
    conn: Any, paths: Any, key: bytes, folder: Path, *, officer_id: str, now: dt.datetime
) -> BackupInfo:
    """Write and verify one backup file in `folder` (made 0700 if new); its manifest."""
    from outreach_tui.safefile import fsync_folder, private_folder

    private_folder(folder)
    target = folder / backup_name(officer_id, now)
    with tempfile.TemporaryDirectory(prefix=".outreach-backup-", dir=folder) as work_dir:
        work = Path(work_dir)
        store_copy = work / STORE_MEMBER
        _copy_store(conn, store_copy, key)
        records = _check_store(store_copy, key)
        members: dict[str, Path] = {STORE_MEMBER: store_copy}
        for name in KEY_MEMBERS:
            if (paths.keys_dir / name).is_file():
                members[f"keys/{name}"] = paths.keys_dir / name
        for name in CONFIG_MEMBERS:
            if (paths.config_dir / name).is_file():
                members[f"config/{name}"] = paths.config_dir / name
        if "keys/datakey.json" not in members:
            raise BackupError("backup.no_key")
        manifest = {
            "format": FORMAT,
            "officer_id": officer_id,
            "created_at": now.astimezone(dt.UTC).isoformat(timespec="seconds"),
            "records": records,
            "members": {
                name: {"size": path.stat().st_size, "sha256": _sha256(path)}
                for name, path in members.items()
            },
        }
        packed = work / "backup.part"
        fd = os.open(packed, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
                archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
                for name, path in members.items():
                    archive.write(path, name)
            handle.flush()
            os.fsync(handle.fileno())
        # Verified before it gets its name: a backup that does not read back is no backup.
        with zipfile.ZipFile(packed) as archive:
            _verify_members(archive, manifest)
            _extract(archive, STORE_MEMBER, work / "verify.db")
        _check_store(work / "verify.db", key)
        os.replace(packed, target)
        fsync_folder(folder)
    return read_info(target)


def _verify_members(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every member the manifest lists is there with its size and hash; nothing else is."""
    listed = manifest.get("members")
    if not isinstance(listed, dict) or STORE_MEMBER not in listed:
        raise BackupError("backup.damaged")
    names = set(archive.namelist()) - {MANIFEST}
    if names != set(listed):
        raise BackupError("backup.damaged")
    for name, expected in listed.items():
        info = archive.getinfo(name)
        if info.file_size != expected.get("size") or info.file_size > MAX_MEMBER_BYTES:
            raise BackupError("backup.damaged")
        digest = hashlib.sha256()
        with archive.open(info) as member:
            for chunk in iter(lambda: member.read(_CHUNK), b""):
                digest.update(chunk)
        if digest.hexdigest() != expected.get("sha256"):
            raise BackupError("backup.damaged")


def _extract(archive: zipfile.ZipFile, name: str, target: Path) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out, archive.open(name) as member:
        shutil.copyfileobj(member, out, _CHUNK)
        out.flush()
        os.fsync(out.fileno())


def _open_archive(path: Path) -> tuple[zipfile.ZipFile, dict[str, Any]]:
    """The backup's archive and manifest, or BackupError saying what is wrong with the file."""
    if not path.is_file():
        raise BackupError("backup.not_found", path=str(path))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise BackupError("backup.damaged") from None
    try:
        with archive.open(MANIFEST) as member:
            manifest = json.loads(member.read(1024 * 1024))
    except (KeyError, ValueError, zipfile.BadZipFile, OSError):
        archive.close()
        raise BackupError("backup.damaged") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        archive.close()
        raise BackupError("backup.format")
    return archive, manifest


def read_info(path: Path) -> BackupInfo:
    """The manifest of a backup file (its members are checked by `restore`)."""
    archive, manifest = _open_archive(path)
    archive.close()
    return BackupInfo(
        path,
        str(manifest.get("officer_id", "")),
        str(manifest.get("created_at", "")),
        int(manifest.get("records", 0)),
        dict(manifest.get("members", {})),
    )


def unpack_backup(path: Path, work: Path) -> dict[str, Path]:
    """Check every member of `path` and extract them into `work` (0700); name -> file."""
    archive, manifest = _open_archive(path)
    try:
        try:
            _verify_members(archive, manifest)
        except (zipfile.BadZipFile, OSError, EOFError):
            raise BackupError("backup.damaged") from None
        out: dict[str, Path] = {}
        for name in manifest["members"]:
            target = work / name.replace("/", "__")
            _extract(archive, name, target)
            out[name] = target
        return out
    finally:
        archive.close()


def install_restored(members: dict[str, Path], paths: Any, key: bytes) -> int:
    """Check the unpacked store with `key`, then move every member into place; its records."""
    records = _check_store(members[STORE_MEMBER], key)
    paths.ensure()
    for name, source in members.items():
        if name == STORE_MEMBER:
            target = paths.db_path
        elif name.startswith("keys/"):
            target = paths.keys_dir / name.split("/", 1)[1]
        else:
            target = paths.config_dir / name.split("/", 1)[1]
        with contextlib.suppress(OSError):
            os.chmod(source, 0o600)
        shutil.move(str(source), str(target))
    return records
