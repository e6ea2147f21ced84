"""The central API's slip routes, on a tiny app with only that router and in-memory callables."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from outreach_tui.config import Paths
from outreach_tui.slips.keyring import add_known_key, load_keyring
from outreach_tui.slips.keys import DeviceKey
from outreach_tui.slips.payload import build_payload, verify_payload
from outreach_tui.slips.signing import encode_public_key, key_id_for
from sync.server.errors import ApiError, install_handlers
from sync.server.slips import KeyConflict, make_slips_router
from sync.server.storage import Device

from .conftest import FULL_NIK, ISSUED, OFFICER, RECORD_ID, person

DEVICES = {
    "token-bdg": Device("dev-bdg", "P-0012345", "KC-BDG", "2026-01-01T00:00:00Z"),
    "token-bdg-2": Device("dev-bdg-2", "P-2", "KC-BDG", "2026-01-01T00:00:00Z"),
    "token-sby": Device("dev-sby", "P-3", "KC-SBY", "2026-01-01T00:00:00Z"),
}


class Keys:
    """In-memory key storage, as the lead's storage would do it."""

    def __init__(self) -> None:
        self.by_id: dict[str, dict[str, Any]] = {}

    def lookup(self, key_id: str) -> dict[str, Any] | None:
        return self.by_id.get(key_id)

    def branch(self, branch: str) -> list[dict[str, Any]]:
        return [k for k in self.by_id.values() if k["branch"] == branch]

    def register(self, device: Device, key_id: str, public_key: str) -> None:
        found = self.by_id.get(key_id)
        if found is not None and found["device_id"] != device.device_id:
            raise KeyConflict(key_id)
        self.by_id[key_id] = {
            "key_id": key_id,
            "public_key": public_key,
            "officer_id": device.officer_id,
            "branch": device.branch,
            "device_id": device.device_id,
            "revoked": False,
        }


def _authenticate(request: Request) -> Device:
    token = request.headers.get("authorization", "").removeprefix("Bearer ")
    device = DEVICES.get(token)
    if device is None:
        raise ApiError(401, "token_unknown")
    return device


@pytest.fixture
def keys() -> Keys:
    return Keys()


@pytest.fixture
def client(keys: Keys) -> TestClient:
    app = FastAPI()
    app.include_router(
        make_slips_router(
            key_lookup=keys.lookup,
            register_key=keys.register,
            authenticate=_authenticate,
            list_keys=keys.branch,
        )
    )
    install_handlers(app)
    return TestClient(app)


def _auth(token: str = "token-bdg", **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def test_register_then_verify_from_another_device_of_the_branch(
    client: TestClient, device_key: DeviceKey
) -> None:
    answer = client.post("/v1/devices/key", json=device_key.public_info(), headers=_auth())
    assert answer.status_code == 200
    assert answer.json() == {"key_id": device_key.key_id, "registered": True}
    payload = build_payload(person(), OFFICER, device_key, issued=ISSUED)
    answer = client.post(
        "/v1/slips/verify", json={"payload": payload}, headers=_auth("token-bdg-2")
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["valid"] is True and body["reason"] == "ok"
    assert body["key_id"] == device_key.key_id and body["officer_id"] == "P-0012345"
    assert body["branch"] == "KC-BDG"
    assert body["fields"]["record_id"] == RECORD_ID
    assert body["fields"]["monthly_contribution"] == 65_900
    assert FULL_NIK not in answer.text
    assert body["message"] == "Slip sah."


def test_tampered_unknown_and_other_branch_slips_are_invalid(
    client: TestClient, device_key: DeviceKey
) -> None:
    client.post("/v1/devices/key", json=device_key.public_info(), headers=_auth())
    payload = build_payload(person(), OFFICER, device_key, issued=ISSUED)
    flipped = payload[:-5] + ("A" if payload[-5] != "A" else "B") + payload[-4:]
    body = client.post("/v1/slips/verify", json={"payload": flipped}, headers=_auth()).json()
    assert body["valid"] is False and body["reason"] in ("signature", "encoding")
    body = client.post(
        "/v1/slips/verify",
        json={"payload": payload},
        headers=_auth("token-sby", **{"Accept-Language": "en"}),
    ).json()
    assert (body["valid"], body["reason"]) == (False, "unknown_key")
    assert body["message"].startswith("The signing key is unknown")
    body = client.post("/v1/slips/verify", json={"payload": "hello"}, headers=_auth()).json()
    assert (body["valid"], body["reason"], body["fields"]) == (False, "prefix", None)


def test_unregistered_and_revoked_keys(
    client: TestClient, keys: Keys, device_key: DeviceKey
) -> None:
    payload = build_payload(person(), OFFICER, device_key, issued=ISSUED)
    body = client.post("/v1/slips/verify", json={"payload": payload}, headers=_auth()).json()
    assert body["reason"] == "unknown_key"
    client.post("/v1/devices/key", json=device_key.public_info(), headers=_auth())
    keys.by_id[device_key.key_id]["revoked"] = True
    body = client.post("/v1/slips/verify", json={"payload": payload}, headers=_auth()).json()
    assert (body["valid"], body["reason"]) == (False, "key_revoked")


def test_key_registration_rules(client: TestClient, device_key: DeviceKey) -> None:
    info = device_key.public_info()
    assert client.post("/v1/devices/key", json=info).status_code == 401
    assert client.post("/v1/devices/key", json=info, headers=_auth()).status_code == 200
    assert client.post("/v1/devices/key", json=info, headers=_auth()).status_code == 200
    taken = client.post("/v1/devices/key", json=info, headers=_auth("token-bdg-2"))
    assert taken.status_code == 409 and taken.json()["code"] == "key_conflict"
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    wrong_id = {"key_id": device_key.key_id, "public_key": encode_public_key(other)}
    answer = client.post("/v1/devices/key", json=wrong_id, headers=_auth())
    assert answer.status_code == 422 and answer.json()["code"] == "key_invalid"
    not_a_key = {"key_id": key_id_for(b"x" * 32), "public_key": "eHh4"}
    assert client.post("/v1/devices/key", json=not_a_key, headers=_auth()).status_code == 422
    extra = {**info, "private_key": "nope"}
    assert client.post("/v1/devices/key", json=extra, headers=_auth()).status_code == 422
    too_long = {"payload": "B" * 5000}
    assert client.post("/v1/slips/verify", json=too_long, headers=_auth()).status_code == 422
    assert client.post("/v1/slips/verify", json={"payload": "x"}).status_code == 401


def test_branch_keys_go_into_a_laptop_keyring(
    client: TestClient, device_key: DeviceKey, paths: Paths
) -> None:
    client.post("/v1/devices/key", json=device_key.public_info(), headers=_auth())
    other = Ed25519PrivateKey.generate()
    raw = other.public_key().public_bytes_raw()
    info = {"key_id": key_id_for(raw), "public_key": encode_public_key(raw)}
    client.post("/v1/devices/key", json=info, headers=_auth("token-sby"))
    answer = client.get("/v1/devices/keys", headers=_auth("token-bdg-2"))
    assert answer.status_code == 200
    listed = answer.json()["keys"]
    assert [k["key_id"] for k in listed] == [device_key.key_id]  # not the other branch's
    assert listed[0]["officer_id"] == "P-0012345" and listed[0]["revoked"] is False
    # A laptop that syncs adds them to its keyring; their slips then verify offline.
    (paths.keys_dir / "device_ed25519.json").unlink()
    payload = build_payload(person(), OFFICER, device_key, issued=ISSUED)
    assert verify_payload(payload, load_keyring(paths)).reason_code == "unknown_key"
    for key in listed:
        add_known_key(paths, key)
    result = verify_payload(payload, load_keyring(paths))
    assert result.valid and result.signer is not None and result.signer.source == "central"
    assert client.get("/v1/devices/keys").status_code == 401


def test_routes_are_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/slips/verify", "/v1/devices/key", "/v1/devices/keys"} <= set(paths)
