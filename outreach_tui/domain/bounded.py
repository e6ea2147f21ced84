"""Read an input file with a size bound: `/dev/zero`, a FIFO or a huge file never fills memory.

Every file the tool reads on someone's say-so (CSV import, slip images, key files, the config,
known_keys.json) goes through `read_bounded`: only regular files are read, opened without
blocking (a FIFO with no writer cannot hang the command), and never more than `limit` bytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# Bounds per kind of input (bytes); callers name the one that fits and tests may lower them.
SMALL_FILE_BYTES = 1024 * 1024  # config, key files, known_keys.json, CA bundles
IMAGE_FILE_BYTES = 20 * 1024 * 1024  # a photo or scan of a slip


class InputTooLarge(ValueError):
    """The file holds more than the bound allows; ``limit`` is the bound in bytes."""

    def __init__(self, path: Path, limit: int) -> None:
        super().__init__(f"{path.name} is larger than {limit} bytes")
        self.path = path
        self.limit = limit


class NotRegularFile(ValueError):
    """The path is a device, a FIFO, a socket or a folder: nothing the tool reads as a file."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path.name} is not a regular file")
        self.path = path


def read_bounded(path: Path | str, limit: int) -> bytes:
    """The bytes of regular file ``path``, or InputTooLarge / NotRegularFile / OSError."""
    path = Path(path)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(path)
        if info.st_size > limit:
            raise InputTooLarge(path, limit)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1024 * 1024, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # the file grew while we read it
                raise InputTooLarge(path, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text_bounded(path: Path | str, limit: int | None = None) -> str:
    """`read_bounded` decoded as UTF-8 (UnicodeDecodeError for anything else)."""
    return read_bounded(path, SMALL_FILE_BYTES if limit is None else limit).decode("utf-8")


__all__ = [
    "IMAGE_FILE_BYTES",
    "SMALL_FILE_BYTES",
    "InputTooLarge",
    "NotRegularFile",
    "read_bounded",
    "read_text_bounded",
]
