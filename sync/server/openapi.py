"""The OpenAPI document: error responses declared as problem+json, so the schema tells the truth."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from sync.protocol import Problem
from sync.server.errors import PROBLEM_MEDIA_TYPE

_DESCRIPTIONS = {
    400: "Unreadable body (bad gzip, broken JSON)",
    401: "No token, an unknown token or a revoked one (`code` says which)",
    403: "The record belongs to another branch",
    404: "No such record on the central server (for /v1/setup: no such setup code)",
    409: "The setup code expired or was already used (`code` says which)",
    413: "Body too large, as sent or once decompressed",
    415: "Body not JSON, or an encoding other than gzip",
    422: "The request breaks the schema (`errors` lists where)",
    429: "Too many requests from this device (see Retry-After)",
    500: "Server error (nothing of the request is echoed)",
    503: "The database is busy or unreachable: retry after Retry-After",
}
_HEADERS = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"}}},
    429: {"Retry-After": {"schema": {"type": "string"}}},
    503: {"Retry-After": {"schema": {"type": "string"}}},
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry for a route: the listed error statuses (content filled later)."""
    return {status: {"description": _DESCRIPTIONS[status]} for status in statuses}


def json_request_body(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra=` for a route that reads its JSON body itself.

    Pass the model to `install_openapi(body_models=...)` too, which adds its schema.
    """
    schema = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"content": {"application/json": {"schema": schema}}, "required": True}}


def _problem_content() -> dict[str, Any]:
    return {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _rewrite(paths: dict[str, Any]) -> None:
    """Point every error response of every operation at the Problem schema."""
    for operations in paths.values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if str(status).isdigit() and int(status) >= 400:
                    response["content"] = _problem_content()
                    if int(status) in _HEADERS:
                        response["headers"] = _HEADERS[int(status)]


def install_openapi(app: FastAPI, *, body_models: Sequence[type[BaseModel]] = ()) -> None:
    """Generate the schema once, with every 4xx/5xx as `application/problem+json` Problem.

    `body_models` are the request bodies that routes read themselves (`json_request_body`).
    """

    def openapi() -> dict[str, Any]:
        """The cached schema, built on first use."""
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        _rewrite(schema.get("paths", {}))
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        components["Problem"] = Problem.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        _, bodies = models_json_schema(
            [(model, "validation") for model in body_models],
            ref_template="#/components/schemas/{model}",
        )
        for name, body_schema in bodies.get("$defs", {}).items():
            components.setdefault(name, body_schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
