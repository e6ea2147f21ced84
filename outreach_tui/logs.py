"""The laptop's log: a rotating file under `paths.log_dir`, private, with no personal data.

What keeps personal data out, in layers:

1. Code logs ids, counts and codes, never field values (the rule for every `logger.*` call).
2. A filter on the handler redacts whatever still looks like an NIK (16 digits), an Indonesian
   mobile number (+62 / 62 / 08 / 8..., 9-15 digits) or an e-mail address.
3. Tracebacks are written as frames only (file, line, function, source line): no local
   variable values, and no exception *message*, which can quote a value (a name cannot be
   recognised by a pattern). The exception's type is kept, and an OSError's errno text.

An exception no command handled ends in :func:`command_guard` (registered on the click
context by :func:`setup_logging`), or :func:`_excepthook` outside click: one translated line
on stderr (the error's type and where the log is, nothing of the data), the sanitized
traceback in the log, and exit code 70. The file is created with mode 0600; rotated copies
keep it.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import click

from outreach_tui.config import Paths, language, load_settings
from outreach_tui.domain.i18n import translate
from outreach_tui.safefile import private_folder

MAX_BYTES = 1_000_000
BACKUPS = 3
EXIT_UNEXPECTED = 70  # an error no command handled (EX_SOFTWARE)
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Loggers of this program that log at INFO; everything else only from WARNING on.
OWN_LOGGERS = ("outreach_tui", "sync.client", "sync.outbox")
# The central API has its own logging (uvicorn's config): its records never go to this file.
SERVER_LOGGERS = ("sync.server", "uvicorn")

_SEP = r"[ .\-]?"
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"), "[e-mail]"),
    (re.compile(rf"(?<![\w\-])(?:\d{_SEP}){{15}}\d(?![\w\-])"), "[NIK]"),
    (
        re.compile(rf"(?<![\w\-+])(?:\+?62|0)?{_SEP}8(?:{_SEP}\d){{7,13}}(?![\w\-])"),
        "[phone]",
    ),
)


def redact(text: str) -> str:
    """`text` with anything that looks like an NIK, a phone number or an e-mail replaced."""
    for pattern, mark in PATTERNS:
        text = pattern.sub(mark, text)
    return text


def safe_traceback(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    """A traceback of frames and exception types only: no locals, no exception messages."""
    lines: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    chain: list[BaseException] = []
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    for index, item in enumerate(reversed(chain)):
        if index:
            lines.append("During handling of the above, another exception occurred:\n")
        item_tb = tb if item is exc else item.__traceback__
        lines.append("Traceback (most recent call last):\n")
        for frame in traceback.extract_tb(item_tb):
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n')
            if frame.line:
                lines.append(f"    {frame.line.strip()}\n")
        lines.append(describe_exception(type(item) if item is not exc else exc_type, item) + "\n")
    return redact("".join(lines)).rstrip("\n")


def describe_exception(exc_type: type[BaseException], exc: BaseException) -> str:
    """The exception's type (and an OSError's errno text); never its message."""
    name = f"{exc_type.__module__}.{exc_type.__qualname__}"
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"{name}: [errno {exc.errno}] {exc.strerror or ''}".rstrip()
    return f"{name}: (message withheld: it may hold personal data)"


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with the personal-looking parts redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(SERVER_LOGGERS):
            return False
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format string: keep the template only
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        return True


class SafeFormatter(logging.Formatter):
    """Formats tracebacks with :func:`safe_traceback`; redacts the final text once more."""

    def formatException(self, ei: Any) -> str:
        exc_type, exc, tb = ei
        if exc_type is None or exc is None:
            return ""
        return safe_traceback(exc_type, exc, tb)

    def formatStack(self, stack_info: str) -> str:
        return redact(stack_info)

    def format(self, record: logging.LogRecord) -> str:
        # Another handler may have cached its own traceback text (with the message) already.
        cached = record.exc_text
        record.exc_text = None
        try:
            return redact(super().format(record))
        finally:
            record.exc_text = cached


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler whose files are created with mode 0600."""

    def _open(self) -> Any:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with contextlib.suppress(OSError):
            os.chmod(self.baseFilename, 0o600)  # a file made by an older release
        return os.fdopen(fd, "a", encoding=self.encoding or "utf-8", errors=self.errors)

    def handleError(self, record: logging.LogRecord) -> None:
        """A log that cannot be written (disk full, read-only) stays silent.

        The default prints a traceback on stderr that buries the one message the officer
        needs (and may quote paths); the command's own error already names the cause.
        """


_installed: PrivateRotatingFileHandler | None = None
_log_file: Path | None = None
_paths: Paths | None = None


def setup_logging(paths: Paths, *, command: str | None = None) -> Path | None:
    """Log to `paths.log_file` (rotating, 0600, redacted); returns it, or None if unwritable.

    Call once per process (the CLI entry does); calling again moves the log to new paths.
    `command` is the sub-command's name only (its arguments may be personal data).
    """
    global _installed, _log_file, _paths
    root = logging.getLogger()
    if _installed is not None:
        root.removeHandler(_installed)
        _installed.close()
        _installed = None
    _paths = paths
    try:
        private_folder(paths.log_dir)  # OUTREACH_HOME too when this makes it: 0700
        with contextlib.suppress(OSError):
            paths.log_dir.chmod(0o700)
        handler = PrivateRotatingFileHandler(
            paths.log_file, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
        )
    except OSError:
        _log_file = None
        return None
    handler.setLevel(logging.INFO)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(SafeFormatter(FORMAT))
    root.addHandler(handler)
    for name in OWN_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level > logging.INFO:
            logger.setLevel(logging.INFO)
    _installed, _log_file = handler, paths.log_file
    sys.excepthook = _excepthook
    if command:
        logging.getLogger("outreach_tui").info("command %s started", command)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.with_resource(command_guard(command or "tui"))
    return paths.log_file


@contextmanager
def command_guard(command: str) -> Iterator[None]:
    """Around a whole command: log how it ended; an unexpected error becomes exit 70.

    click's own exits (usage errors, Abort, --help) and `fail()`'s SystemExit pass through;
    anything else is logged without values, told in one translated line, and not re-raised
    (so no traceback with values reaches the terminal).
    """
    log = logging.getLogger("outreach_tui")
    try:
        yield
    except SystemExit as exc:
        if exc.code not in (0, None):
            log.info("command %s ended with exit code %s", command, exc.code)
        raise
    except (click.exceptions.ClickException, click.exceptions.Abort, click.exceptions.Exit):
        raise
    except Exception as exc:
        report_crash(
            type(exc), exc, exc.__traceback__, echo=lambda text: click.echo(text, err=True)
        )
        raise SystemExit(EXIT_UNEXPECTED) from None


def _lang() -> str:
    try:
        return language(load_settings(_paths) if _paths is not None else None)
    except Exception:
        return language(None)


def report_crash(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    echo: Callable[[str], None] | None = None,
) -> None:
    """Log an unexpected error (sanitized) and tell the officer in their language."""
    logging.getLogger("outreach_tui").error(
        "unexpected error: %s", exc_type.__qualname__, exc_info=(exc_type, exc, tb)
    )
    lang = _lang()
    where = str(_log_file) if _log_file is not None else "-"
    text = (
        translate("error.prefix", lang)
        + " "
        + translate("log.unexpected", lang, error=exc_type.__qualname__, path=where)
    )
    (echo or _stderr)(text)


def _stderr(text: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


def _excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    report_crash(exc_type, exc, tb)
