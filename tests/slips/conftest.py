"""Fixtures of the slip tests: an officer, a fixed device key, enrolled participants in the store.

The person's name has letters far outside Latin-1 (`Ñoño Çağrı Đặng`), and their full NIK and
phone number are known here so every output can be searched for them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from outreach_tui.commands.common import make_context
from outreach_tui.config import Paths, Settings, resolve_paths, save_settings
from outreach_tui.domain.nik import make_nik
from outreach_tui.domain.record import validate_record
from outreach_tui.slips.keys import DeviceKey, ensure_device_key, save_private_key

ISSUED = dt.date(2026, 11, 23)
NAME = "Ñoño Çağrı Đặng"
FULL_NIK = make_nik(dt.date(1990, 5, 17), "M", region="320101", serial="0009")
MASKED_NIK = FULL_NIK[:4] + "********" + FULL_NIK[-4:]
PHONE = "+6281234567890"
PHONE_FORMS = ("+6281234567890", "6281234567890", "081234567890", "81234567890")
RECORD_ID = "0f8e2c4a-1b2c-4d5e-8f90-123456789abc"
OFFICER = Settings(officer_id="P-0012345", officer_name="Budi Santoso", branch="KC-BDG")
# A fixed private key: signatures (Ed25519 is deterministic) and so payloads repeat exactly.
SEED = bytes(range(32))


def person(today: dt.date = ISSUED, **changes: Any) -> dict[str, Any]:
    """A validated record of an enrolled transport worker (the discount applies in 2026)."""
    raw: dict[str, Any] = {
        "id": RECORD_ID,
        "full_name": NAME,
        "nik": FULL_NIK,
        "consent": True,
        "phone": PHONE,
        "occupation": "ojol",
        "monthly_income": 2_500_000,
        "programs": "JKK,JKM,JHT",
        "payment_period": 3,
        "region_code": "32.01.01.1006",
        "rw": "002",
        "rt": "005",
        "status": "enrolled",
    }
    raw.update(changes)
    result = validate_record(raw, today=today)
    assert not result.errors, result.errors
    return result.record


@pytest.fixture
def paths() -> Paths:
    """This test's OUTREACH_HOME locations."""
    found = resolve_paths()
    found.ensure()
    return found


@pytest.fixture
def officer(paths: Paths) -> Settings:
    """The officer is set up (`outreach setup`)."""
    save_settings(paths, OFFICER)
    return OFFICER


@pytest.fixture
def device_key(paths: Paths) -> DeviceKey:
    """The laptop's signing key, made from a fixed seed."""
    data_key = make_context().data_key  # the CLI's own vault (OUTREACH_PASSPHRASE)
    save_private_key(paths, Ed25519PrivateKey.from_private_bytes(SEED), data_key=data_key)
    return ensure_device_key(paths, data_key=data_key, device_id="test-device")


@pytest.fixture
def store_records(officer: Settings) -> Callable[..., list[dict[str, Any]]]:
    """Save records into the CLI's own (encrypted) store; returns them as stored."""

    def save(*records: dict[str, Any]) -> list[dict[str, Any]]:
        saved = []
        with make_context().store() as store:
            for record in records:
                store.save_record(record, actor="test", officer_id=officer.officer_id)
                saved.append(store.get_record(record["id"]))
        return saved

    return save


def new_id() -> str:
    """A fresh record id."""
    return str(uuid.uuid4())
