"""Writing output files without ever destroying data: protected paths and atomic, private writes.

Every file the tool writes for a person (exports, slips, reports, device reports) goes through
here. A target that is, or is inside, something the tool keeps (the store and its -wal/-shm,
the keys, the settings, a central database) is refused before anything is opened, however it is
spelled (symlinks, `..`, a hard link to the same file). The data goes to a temporary file in the
same folder, created 0600 whatever the umask, fsynced, then renamed over the target: a write that
fails half-way (disk full, killed) leaves the previous file as it was and no temporary file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
DB_SUFFIXES = ("", "-wal", "-shm", "-journal")


class OutputRefused(Exception):
    """The target is something the tool keeps; `code` is a translation key."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def database_family(db: Path) -> list[Path]:
    """A SQLite file and the files SQLite keeps beside it."""
    return [db.with_name(db.name + suffix) for suffix in DB_SUFFIXES]


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path.expanduser()))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output(target: Path, *, files: Iterable[Path] = (), folders: Iterable[Path] = ()) -> Path:
    """`target` resolved, or OutputRefused when it is a protected file or inside a folder."""
    real = _real(target)
    for folder in folders:
        guarded = _real(folder)
        if real == guarded or guarded in real.parents:
            raise OutputRefused("output.protected")
    for protected in files:
        guarded = _real(protected)
        if real == guarded or real.as_posix().casefold() == guarded.as_posix().casefold():
            raise OutputRefused("output.protected")
        if target.exists() and _same_file(target, protected):
            raise OutputRefused("output.protected")
    if real.is_dir():
        raise OutputRefused("output.is_folder")
    return real


def private_folder(folder: Path) -> Path:
    """Create `folder` (and parents) if needed; a folder the tool creates is 0700."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    for created in missing:
        with contextlib.suppress(OSError):
            created.chmod(PRIVATE_DIR)
    return folder


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (best effort where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def private_database(target: Path) -> None:
    """Make a SQLite database file private before SQLite opens it: created empty and 0600
    when missing, made 0600 when it exists (a file of an older version, or made under another
    umask). SQLite gives the -wal, -shm and -journal files it makes the database file's mode."""
    if str(target) == ":memory:" or target.is_dir():
        return
    try:
        fd = os.open(target, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    except OSError:  # read-only media, a missing folder: SQLite says what is wrong
        return
    try:
        os.fchmod(fd, PRIVATE_FILE)
    except OSError:  # a file owned by someone else: still readable as it was
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_output(
    target: Path, *, text: bool = True, newline: str | None = None, encoding: str = "utf-8"
) -> Iterator[IO[Any]]:
    """A handle on a private temporary file that replaces `target` when the block succeeds."""
    folder = private_folder(target.parent)
    tmp = folder / f".{target.name}.{os.getpid()}.part"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)  # whatever the umask
        mode = "w" if text else "wb"
        kwargs: dict[str, Any] = {"encoding": encoding, "newline": newline} if text else {}
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_folder(folder)


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write `data` to `target` atomically, mode 0600."""
    with atomic_output(target, text=False) as handle:
        handle.write(data)


def laptop_protected(paths: Any) -> dict[str, list[Path]]:
    """What a laptop command may never write over: the store, keys and settings."""
    return {
        "files": [*database_family(paths.db_path), paths.config_file],
        "folders": [paths.keys_dir, paths.config_dir],
    }


def move_aside(paths: Any, label: str, *, with_config: bool = False) -> Path:
    """Move the store (and its -wal/-shm), the keys and optionally the settings into a dated
    folder (0700) under the data folder; nothing is deleted. The folder's path."""
    import datetime as dt

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = paths.data_dir / "aside" / f"{label}-{stamp}"
    private_folder(folder / "keys")
    moves = [(p, folder / p.name) for p in database_family(paths.db_path) if p.exists()]
    if paths.keys_dir.exists():
        moves += [(p, folder / "keys" / p.name) for p in paths.keys_dir.iterdir() if p.is_file()]
    if with_config and paths.config_dir.exists():
        private_folder(folder / "config")
        moves += [
            (p, folder / "config" / p.name) for p in paths.config_dir.iterdir() if p.is_file()
        ]
    for source, target in moves:
        os.replace(source, target)
    fsync_folder(folder)
    return folder
