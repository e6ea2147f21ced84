"""Schemathesis against /openapi.json of the live central API: no 5xx, answers match the schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.sync.conftest import CentralServer


@pytest.fixture
def token(central_server: CentralServer) -> str:
    """A valid device token, so the generated requests reach the endpoints' logic."""
    return central_server.add_device("petugas-fuzz", "KC-FUZZ")


@pytest.fixture
def central_schema(central_server: CentralServer, token: str) -> Any:
    """The live server's own OpenAPI document, with a valid token for every request."""
    loaded = schemathesis.openapi.from_url(f"{central_server.url}/openapi.json")
    loaded.config.update(headers={"Authorization": f"Bearer {token}"})
    return loaded


schema = schemathesis.pytest.from_fixture("central_schema")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_its_own_schema(case: Any) -> None:
    excluded = []
    if case.operation.path == "/v1/devices/key":
        # The key id must be the hash of the public key: a rule no schema can state, so a
        # schema-valid body is rightly refused with 422 (key_invalid).
        excluded.append(positive_data_acceptance)
    response = case.call_and_validate(timeout=30, excluded_checks=excluded)
    assert response.status_code < 500
