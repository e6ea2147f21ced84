"""The laptop's logs, tracebacks and error messages carry no personal data.

Canary records are imported, searched, synced (with the server up, then with the token revoked,
then with the server down), bad rows whose values would show in an error message are imported,
and a command crashes on an error whose message quotes a record: then the log folder (in UTF-8
and UTF-16) and everything written to stderr are searched for the canaries.
"""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from outreach_tui import logs
from outreach_tui.cli import main
from outreach_tui.config import resolve_paths
from sync.server.auth import issue_device
from sync.server.central import utc_stamp
from tests.conftest import cli_setup
from tests.sync.conftest import CentralServer

from .helpers import CANARY_NAME, CANARY_NIK, NEEDLES, encodings, leaks, write_csv

# Values of rejected rows that an error message could quote.
BAD_NIK = "3201019908950003"  # day 99: digits 7-12 are not a date
BAD_BIRTH = "1995-13-45"
BAD_INCOME = "sejuta-kanari"
BAD_ROWS = (
    f"{CANARY_NAME},{BAD_NIK},0812-9876-5432,pedagang_pasar,{BAD_INCOME},JKK JKM,1,"
    "3201011001,1,2,enrolled,ya\n"
)
SECRETS = (*NEEDLES, BAD_NIK, "990895", BAD_BIRTH, BAD_INCOME, "kanari@contoh.id")


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _found(text: str, needles: tuple[str, ...] = SECRETS) -> list[str]:
    return [needle for needle in needles if needle.lower() in text.lower()]


def test_commands_leave_nothing_personal_in_logs_or_stderr(
    tmp_path: Path,
    isolated_home: Path,
    central_server: CentralServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    issued = issue_device(central_server.storage, "p1", "KC-BOGOR", at=utc_stamp())
    assert cli_setup(central_server.url, issued.token).exit_code == 0
    stderr: list[str] = []

    def run(*args: str, code: int) -> Result:
        result = _run(*args)
        assert result.exit_code == code, (args, result.output)
        stderr.append(result.stderr)
        return result

    run("import", str(write_csv(tmp_path)), code=0)
    for query in (CANARY_NAME, CANARY_NIK, "0812-9876-5432"):
        assert CANARY_NAME in run("search", query, code=0).stdout  # on screen by design
    run("sync", code=0)
    rejected = run("import", str(write_csv(tmp_path, "bad.csv", BAD_ROWS)), code=1)
    assert "nik" in rejected.stderr and "monthly_income" in rejected.stderr  # field named
    dated = tmp_path / "dated.csv"
    dated.write_text(
        "full_name,birth_date,phone,notes\n"
        f"{CANARY_NAME},{BAD_BIRTH},0812-9876-5432x,kanari@contoh.id\n",
        encoding="utf-8",
    )
    dated_result = run("import", str(dated), code=1)
    assert "birth_date" in dated_result.stderr and "Baris 2" in dated_result.stderr

    central_server.storage.revoke_device(issued.device.device_id, utc_stamp())
    run("sync", code=4)  # 401: the token was revoked
    run("sync", "--server", "http://127.0.0.1:9", "--retries", "0", code=3)  # server down

    # A command that dies on an error quoting a record: translated line, exit 70.
    from outreach_tui.store import Store

    def broken_search(self: Store, query: str, limit: int = 20) -> list[object]:
        raise ValueError(f"cannot rank {CANARY_NAME} {CANARY_NIK} 081298765432")

    monkeypatch.setattr(Store, "search", broken_search)
    crashed = run("search", "Kanari", code=logs.EXIT_UNEXPECTED)
    assert "ValueError" in crashed.stderr and "log" in crashed.stderr
    logging.shutdown()

    log_dir = resolve_paths().log_dir
    text = "".join(p.read_text(encoding="utf-8") for p in log_dir.iterdir())
    assert "command sync ended with exit code 3" in text
    assert "Traceback" in text and "broken_search" in text and "ValueError" in text
    assert leaks(log_dir, SECRETS) == []
    assert _found("".join(stderr)) == []


def test_a_crash_in_a_real_process_prints_no_traceback(isolated_home: Path) -> None:
    """The console entry point: nothing but the translated line reaches the terminal."""
    code = (
        "import json\n"
        "def boom(*a, **k):\n"
        f"    raise RuntimeError('{CANARY_NAME} {CANARY_NIK}')\n"
        "json.dumps = boom\n"
        "from outreach_tui.cli import main\n"
        "main(['locate', '--json'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "OUTREACH_LANG": "en"},
        timeout=60,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == logs.EXIT_UNEXPECTED, output
    assert "unexpected error occurred (RuntimeError)" in done.stderr
    assert "Traceback" not in output
    assert _found(output) == []
    assert leaks(resolve_paths().log_dir, SECRETS) == []


@pytest.mark.parametrize(
    "text",
    [
        "nik 3201015508950003 x",
        "nik 3201.0155.0895.0003",
        "phone +62 812-9876-5432",
        "phone 0812 9876 5432",
        "phone 6281298765432",
        "phone 81298765432",
        "mail kanari.zzyzx+1@contoh.co.id",
    ],
)
def test_redact_hides_niks_phones_and_mails(text: str) -> None:
    redacted = logs.redact(text)
    assert redacted.split(" ")[0] == text.split(" ")[0]
    assert not any(ch.isdigit() for ch in redacted) and "@" not in redacted, redacted


def test_redact_keeps_ids_times_and_counts() -> None:
    text = (
        "record 0f8e2c4a-1b2c-4d5e-8f90-123456789abc at 2026-11-23T10:00:00.123456Z "
        "batch 1000 items 81 seq 123456"
    )
    assert logs.redact(text) == text


def test_the_log_is_private_and_rotates(isolated_home: Path) -> None:
    paths = resolve_paths()
    assert logs.setup_logging(paths) == paths.log_file
    log = logging.getLogger("outreach_tui.test")
    for _ in range(3):
        log.info("x" * 1000 + " %s", "3201015508950003")
    log.warning("e-mail %s", "kanari@contoh.id")
    try:
        raise KeyError(CANARY_NAME)
    except KeyError:
        log.exception("failed")
    assert stat.S_IMODE(paths.log_file.stat().st_mode) == 0o600
    text = paths.log_file.read_text(encoding="utf-8")
    assert "[NIK]" in text and "[e-mail]" in text and "KeyError" in text
    assert not any(form in paths.log_file.read_bytes() for form in encodings(CANARY_NAME))
    handler = logs._installed
    assert handler is not None
    handler.doRollover()
    log.info("after rollover")
    for path in paths.log_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
