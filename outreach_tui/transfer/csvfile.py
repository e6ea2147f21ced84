"""Reading CSV files the way officers and spreadsheet programs actually write them.

Handles UTF-8 with or without BOM and Windows-1252 (spreadsheet exports), comma,
semicolon or tab separators, quoted newlines, empty lines and the `="..."` /
leading-apostrophe guards that our own spreadsheet-safe export writes. A file that
cannot be read at all raises `UnreadableFile` before anything is stored.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from outreach_tui.domain.bounded import InputTooLarge, NotRegularFile, read_bounded

# Long free-text fields are rejected by validation with a clear message; the csv
# module must not fail on them first.
csv.field_size_limit(16 * 1024 * 1024)

MAX_FILE_BYTES = 512 * 1024 * 1024
_SNIFF_BYTES = 64 * 1024
_GUARDS = frozenset("='")
# Text that every guarded value contains, in the file too (quoted, `="1"` is `"=""1"""`).
_GUARD_MARKS = ('="', "'=", "'+", "'-", "'@")


class UnreadableFile(Exception):
    """The file as a whole cannot be imported; `key` names the reason in the catalog."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass
class CsvTable:
    """A decoded CSV file: the header mapped to known fields, and its rows."""

    header: list[str]
    columns: dict[int, str]
    unknown_columns: list[str]
    encoding: str
    text: str = field(repr=False)
    delimiter: str = ","

    def rows(self) -> Iterator[tuple[int, dict[str, str], int]]:
        """Yield (line where the row starts, {field: value}, count of extra cells).

        Blank lines are skipped; a row's line number is the file line it starts on
        (the header is line 1), even when quoted values span several lines.
        """
        reader = csv.reader(io.StringIO(self.text), delimiter=self.delimiter)
        columns = list(self.columns.items())
        # unguard() changes only a value holding one of these; when the whole file holds none,
        # no cell needs the check (most files: a tenth of the time it takes to read them).
        guarded = any(mark in self.text for mark in _GUARD_MARKS)
        previous_end = 0
        try:
            for index, cells in enumerate(reader):
                start = previous_end + 1
                previous_end = reader.line_num
                if index == 0:
                    continue
                if not any(cell.strip() for cell in cells):
                    continue
                width = len(cells)
                if guarded:
                    values = {
                        name: (unguard(cells[pos]) if cells[pos][:1] in _GUARDS else cells[pos])
                        for pos, name in columns
                        if pos < width
                    }
                else:
                    values = {name: cells[pos] for pos, name in columns if pos < width}
                extra = max(0, len(cells) - len(self.header))
                extra_cells = [c for c in cells[len(self.header) :] if c.strip()] if extra else []
                yield start, values, len(extra_cells)
        except csv.Error as exc:
            raise UnreadableFile(
                "import.file_broken", line=previous_end + 1, detail=str(exc)
            ) from exc


def unguard(value: str) -> str:
    """Undo spreadsheet guards: `="0812..."` and a leading apostrophe before = + - @."""
    if value.startswith('="') and value.endswith('"') and len(value) >= 3:
        return value[2:-1]
    if len(value) >= 2 and value[0] == "'" and value[1] in "=+-@":
        return value[1:]
    return value


def normalize_header(name: str) -> str:
    """Column names compare without case, spaces or dashes: 'Full Name' is full_name."""
    return name.strip().strip("\ufeff").lower().replace(" ", "_").replace("-", "_")


def decode(raw: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM or not), else Windows-1252; binary files are refused."""
    head = raw[:_SNIFF_BYTES]
    if raw[:2] == b"PK":
        raise UnreadableFile("import.file_is_workbook")
    if raw[:4] == b"%PDF":
        raise UnreadableFile("import.file_binary")
    if b"\x00" in head:
        raise UnreadableFile("import.file_binary")
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and controls / len(head) > 0.01:
        raise UnreadableFile("import.file_binary")
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise UnreadableFile("import.file_encoding") from exc
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Windows-1252 leaves five bytes undefined; map them as Latin-1 rather than fail.
    return raw.decode("cp1252", errors="_outreach_latin1"), "windows-1252"


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    chunk = error.object[error.start : error.end]
    return bytes(chunk).decode("latin-1"), error.end


codecs.register_error("_outreach_latin1", _latin1_fallback)


def _limit_mb() -> str:
    """The import bound in MB as people write it (a test-lowered bound shows as 0.001)."""
    mb = MAX_FILE_BYTES / (1024 * 1024)
    return f"{mb:g}" if mb >= 0.001 else "0.001"


def read_csv(path: Path, known_fields: tuple[str, ...]) -> CsvTable:
    """Open, decode and map the header of a CSV file, or raise UnreadableFile."""
    try:
        raw = read_bounded(path, MAX_FILE_BYTES)
    except InputTooLarge as exc:
        raise UnreadableFile("import.file_too_large", limit_mb=_limit_mb()) from exc
    except NotRegularFile as exc:
        raise UnreadableFile("limits.import_not_regular") from exc
    except FileNotFoundError as exc:
        raise UnreadableFile("import.file_missing") from exc
    except IsADirectoryError as exc:
        raise UnreadableFile("import.file_missing") from exc
    except PermissionError as exc:
        raise UnreadableFile("import.file_permission") from exc
    except OSError as exc:
        raise UnreadableFile("import.file_broken", line=0, detail=exc.strerror or "") from exc
    if not raw.strip():
        raise UnreadableFile("import.file_empty")
    text, encoding = decode(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    try:
        header = next(csv.reader(io.StringIO(text), delimiter=delimiter))
    except (csv.Error, StopIteration) as exc:
        raise UnreadableFile("import.file_broken", line=1, detail=str(exc)) from exc
    known = set(known_fields)
    columns: dict[int, str] = {}
    unknown: list[str] = []
    seen: set[str] = set()
    for pos, name in enumerate(header):
        key = normalize_header(name)
        if key in known and key not in seen:
            columns[pos] = key
            seen.add(key)
        elif key in seen:
            raise UnreadableFile("import.header_repeated", column=key)
        elif key:
            unknown.append(name.strip())
    if not columns:
        raise UnreadableFile("import.no_known_column", columns=", ".join(known_fields))
    return CsvTable(header, columns, unknown, encoding, text, delimiter)
