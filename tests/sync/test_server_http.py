"""HTTP edges of the real central API: tokens, gzip, size limits, problem+json for every error."""

from __future__ import annotations

import gzip
import json
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from sync.protocol import MAX_BATCH_BYTES, Problem
from sync.server import ServerSettings, open_central
from sync.server.auth import hash_token
from tests.sync.conftest import CentralServer, StartServer, make_record, record_item

PROBLEM_TYPE = "application/problem+json"


def _problem(response: requests.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """Check the response is a problem body with `status` (and `code`); return it."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_TYPE)
    body = response.json()
    Problem.model_validate(body)
    assert body["status"] == status and body["title"] and body["detail"]
    if code is not None:
        assert body["code"] == code, body
    assert "Traceback" not in response.text
    return body


def _batch(*records: dict[str, Any]) -> bytes:
    items = [record_item(r) for r in records]
    return json.dumps({"batch_id": "b-1", "items": items}).encode()


def _post(server: CentralServer, token: str, body: bytes, **headers: str) -> requests.Response:
    sent = {"Content-Type": "application/json", **headers}
    return server.session(token).post(f"{server.url}/v1/push", data=body, headers=sent, timeout=30)


def test_missing_unknown_and_revoked_tokens_are_401_saying_which(
    central_server: CentralServer,
) -> None:
    url = f"{central_server.url}/v1/pull"
    missing = _problem(requests.get(url, timeout=5), 401, "token_missing")
    assert "token" in missing["detail"].lower()
    wrong = requests.get(url, headers={"Authorization": "Bearer not-a-token"}, timeout=5)
    _problem(wrong, 401, "token_unknown")
    assert wrong.headers["www-authenticate"].startswith("Bearer")
    basic = requests.get(url, headers={"Authorization": "Basic dXNlcjpwYXNz"}, timeout=5)
    _problem(basic, 401, "token_missing")
    token = central_server.add_device()
    assert central_server.pull(token).status_code == 200
    device = central_server.storage.device_by_token_hash(hash_token(token))
    assert device is not None
    central_server.storage.revoke_device(device.device_id, "2026-01-01T00:00:00.000Z")
    revoked = _problem(central_server.pull(token), 401, "token_revoked")
    assert "dicabut" in revoked["detail"]
    english = central_server.session(token).get(url, headers={"Accept-Language": "en"})
    assert "revoked" in _problem(english, 401, "token_revoked")["detail"]
    _problem(_post(central_server, token, _batch(make_record(1))), 401, "token_revoked")


def test_the_token_is_stored_only_as_a_hash(central_server: CentralServer) -> None:
    token = central_server.add_device()
    assert token.encode() not in central_server.stored_bytes()


def test_a_gzip_body_is_accepted(central_server: CentralServer) -> None:
    token = central_server.add_device()
    body = gzip.compress(_batch(make_record(1), make_record(2)))
    response = _post(central_server, token, body, **{"Content-Encoding": "gzip"})
    assert response.status_code == 200, response.text
    assert [r["status"] for r in response.json()["results"]] == ["accepted", "accepted"]


def test_responses_are_gzipped_when_the_client_accepts_it(central_server: CentralServer) -> None:
    token = central_server.add_device()
    records = [make_record(n) for n in range(40)]
    response = _post(central_server, token, _batch(*records), **{"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert len(response.json()["results"]) == 40


def test_bad_gzip_is_400(central_server: CentralServer) -> None:
    token = central_server.add_device()
    whole = gzip.compress(_batch(make_record(1)))
    for body in (b"this is not gzip", whole[: len(whole) // 2]):
        response = _post(central_server, token, body, **{"Content-Encoding": "gzip"})
        _problem(response, 400, "gzip_invalid")


def test_a_zip_bomb_is_413_without_inflating_it(central_server: CentralServer) -> None:
    token = central_server.add_device()
    bomb = gzip.compress(b"[" + b" " * (64 * 1024 * 1024) + b"]", compresslevel=9)
    assert len(bomb) < 100 * 1024  # small on the wire, 64 MB inflated
    response = _post(central_server, token, bomb, **{"Content-Encoding": "gzip"})
    _problem(response, 413, "body_too_large")


def test_bodies_over_the_limit_are_413(central_server: CentralServer) -> None:
    token = central_server.add_device()
    too_big = b'{"batch_id": "b", "items": [], "pad": "' + b"x" * MAX_BATCH_BYTES + b'"}'
    _problem(_post(central_server, token, too_big), 413, "body_too_large")

    def chunks() -> Any:  # no Content-Length: the limit holds while streaming too
        for _ in range(80):
            yield b"x" * 64 * 1024

    streamed = central_server.session(token).post(
        f"{central_server.url}/v1/push",
        data=chunks(),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    _problem(streamed, 413, "body_too_large")


def test_limits_come_from_the_settings(central_server_factory: StartServer) -> None:
    server = central_server_factory(
        ServerSettings(rate_per_second=None, max_body_bytes=2000, max_compressed_bytes=500)
    )
    token = server.add_device()
    records = [make_record(n) for n in range(8)]
    _problem(_post(server, token, _batch(*records)), 413, "body_too_large")
    compressed = gzip.compress(_batch(*records))
    assert len(compressed) > 500
    _problem(_post(server, token, compressed, **{"Content-Encoding": "gzip"}), 413)
    assert _post(server, token, _batch(make_record(1))).status_code == 200


def test_other_encodings_and_media_types_are_415(central_server: CentralServer) -> None:
    token = central_server.add_device()
    body = _batch(make_record(1))
    _problem(_post(central_server, token, body, **{"Content-Encoding": "br"}), 415)
    _problem(_post(central_server, token, body, **{"Content-Type": "text/csv"}), 415)


def test_404_405_and_422_are_problem_json(central_server: CentralServer) -> None:
    token = central_server.add_device()
    _problem(requests.get(f"{central_server.url}/v1/nothing", timeout=5), 404, "not_found")
    not_allowed = requests.delete(f"{central_server.url}/v1/health", timeout=5)
    _problem(not_allowed, 405, "method_not_allowed")
    assert "GET" in not_allowed.headers["allow"]
    _problem(central_server.pull(token, cursor=-1), 422, "request_invalid")
    _problem(central_server.pull(token, limit=100_000), 422, "request_invalid")
    canary = "Canarius Pembocor 3201014101800001"
    bad = central_server.session(token).post(
        f"{central_server.url}/v1/push",
        json={"batch_id": "b", "items": [{"kind": "orang", "id": canary, "data": {}}]},
        timeout=5,
    )
    body = _problem(bad, 422, "request_invalid")
    assert body["errors"] and all({"loc", "type", "msg"} == set(e) for e in body["errors"])
    assert canary not in bad.text  # the input is never echoed
    broken = _post(central_server, token, b'{"batch_id": ')
    _problem(broken, 422, "request_invalid")


class _BrokenStorage:
    """A storage whose every write fails with a message that must not reach the client."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    @contextmanager
    def write(self) -> Any:
        raise RuntimeError("disk on fire while saving Siti Canary 3201014101800001")
        yield


def test_a_server_error_is_a_500_problem_without_details(
    central_server_factory: StartServer, tmp_path: Path
) -> None:
    real = open_central(tmp_path / "broken.db")
    try:
        server = central_server_factory(storage=_BrokenStorage(real))
        token = server.add_device()
        response = _post(server, token, _batch(make_record(1)))
        body = _problem(response, 500, "internal_error")
        assert "Canary" not in response.text and "fire" not in response.text
        assert body["detail"]
        # The server keeps serving after the failure.
        assert server.pull(token).status_code == 200
    finally:
        real.close()


def test_a_device_over_its_rate_gets_429_with_retry_after(
    central_server_factory: StartServer,
) -> None:
    server = central_server_factory(ServerSettings(rate_per_second=0.5, rate_burst=3))
    token = server.add_device()
    answers = [server.pull(token) for _ in range(5)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    limited = _problem(answers[3], 429, "rate_limited")
    assert limited and int(answers[3].headers["retry-after"]) >= 1
    # Another device is not slowed down by the first.
    assert server.pull(server.add_device("petugas-2")).status_code == 200


def test_openapi_documents_errors_as_problem_json(central_server: CentralServer) -> None:
    schema = requests.get(f"{central_server.url}/openapi.json", timeout=5).json()
    push = schema["paths"]["/v1/push"]["post"]
    assert push["security"] == [{"HTTPBearer": []}]
    for status in ("401", "413", "415", "422", "429", "500"):
        content = push["responses"][status]["content"]
        assert list(content) == [PROBLEM_TYPE]
    assert "Problem" in schema["components"]["schemas"]
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    assert "security" not in schema["paths"]["/v1/health"]["get"]


def test_broken_text_is_answered_not_crashed(central_server: CentralServer) -> None:
    token = central_server.add_device()
    item = record_item(make_record(1))
    # A lone surrogate (broken UTF-16 from some JSON writer) in a typed field: the request is 422.
    body = json.dumps({"batch_id": "b\ud800", "items": [item]}).encode()
    _problem(_post(central_server, token, body), 422, "request_invalid")
    # Inside `data` it cannot be hashed or stored: that item alone is rejected.
    record = make_record(2)
    broken = {**record_item(record), "content_hash": "0" * 64}
    broken["data"] = {**record, "full_name": "x\udc00"}
    body = json.dumps({"batch_id": "ok-\u00e9", "items": [broken, item]}).encode()
    response = _post(central_server, token, body)
    assert response.status_code == 200, response.text
    assert response.json()["batch_id"] == "ok-\u00e9"
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["rejected", "accepted"]
    assert results[0]["reasons"][0]["code"] == "data.encoding"
    assert str(uuid.UUID(results[1]["id"])) == item["id"]
