"""No personal data in the central API's logs: canary values pushed, then searched for."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from outreach_tui.cli import main
from tests.sync.conftest import CentralServer, enrolled_record, make_record, nik_for, record_item

CANARY_NAME = "Kanaria Pembocor"
CANARY_NIK = nik_for(4242)
CANARY_PHONE = "081377665544"
CANARY_NOTE = "rahasia-kanari-catatan"
CANARIES = (CANARY_NAME, CANARY_NIK, CANARY_PHONE, "81377665544", CANARY_NOTE, "Kanaria")


def _canary_traffic(url: str, token: str) -> None:
    """Accepted, rejected, malformed and unauthenticated requests, all carrying canaries."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    good = enrolled_record(
        4242, full_name=CANARY_NAME, phone=CANARY_PHONE, notes=CANARY_NOTE, nik=CANARY_NIK
    )
    bad = make_record(1, full_name=f"{CANARY_NAME} 2", nik=CANARY_NIK[:10], notes=CANARY_NOTE)
    items = [record_item(good), record_item(bad)]
    answer = session.post(f"{url}/v1/push", json={"batch_id": "b", "items": items}, timeout=30)
    assert [r["status"] for r in answer.json()["results"]] == ["accepted", "rejected"]
    malformed: dict[str, Any] = {
        "batch_id": CANARY_NAME,
        "items": [{"kind": CANARY_NIK, "id": CANARY_PHONE}],
    }
    assert session.post(f"{url}/v1/push", json=malformed, timeout=30).status_code == 422
    broken = b'{"batch_id": "' + CANARY_NAME.encode() + b'", "items": [' + CANARY_NIK.encode()
    headers = {"Content-Type": "application/json"}
    assert session.post(f"{url}/v1/push", data=broken, headers=headers).status_code == 422
    stranger = requests.post(f"{url}/v1/push", json={"batch_id": "b", "items": items}, timeout=30)
    assert stranger.status_code == 401
    assert session.get(f"{url}/v1/pull", params={"cursor": 0}, timeout=30).status_code == 200
    session.close()


def _assert_clean(text: str) -> None:
    for canary in CANARIES:
        assert canary not in text, f"{canary!r} leaked into the logs"


def test_app_and_uvicorn_logs_carry_no_personal_data(
    central_server: CentralServer, caplog: pytest.LogCaptureFixture
) -> None:
    token = central_server.add_device()
    with caplog.at_level(logging.DEBUG):
        _canary_traffic(central_server.url, token)
    messages = "\n".join(record.getMessage() for record in caplog.records)
    assert "push device=" in messages and "accepted=1" in messages  # the logs are captured
    assert "POST /v1/push" in messages  # and uvicorn's access log with them
    _assert_clean(messages + caplog.text)


def test_server_run_logs_paths_only_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    db = tmp_path / "central.db"
    assert CliRunner().invoke(main, ["server", "migrate", "--db", str(db)]).exit_code == 0
    added = CliRunner().invoke(
        main,
        [
            "server",
            "add-device",
            "--db",
            str(db),
            "--officer-id",
            "p-1",
            "--branch",
            "KC-1",
            "--json",
        ],
    )
    assert added.exit_code == 0, added.output
    token = json.loads(added.output)["token"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "outreach_tui.cli", "server", "run", "--db", str(db)]
    process = subprocess.Popen(
        [*command, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+", first)
        assert match, first
        url = match.group(0)
        _wait_for(url)
        _canary_traffic(url, token)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:  # pragma: no cover - only when the test failed midway
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    logs = first + out + err
    assert '"POST /v1/push HTTP/1.1" 200' in logs  # uvicorn's access log was on
    assert "push device=" in logs
    assert "berhenti" in out  # the stop message
    assert "Traceback" not in logs
    _assert_clean(logs)


def _wait_for(url: str) -> Any:
    import time

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            return requests.get(f"{url}/v1/health", timeout=1)
        except requests.ConnectionError:
            time.sleep(0.05)
    raise AssertionError("server did not answer")  # pragma: no cover
