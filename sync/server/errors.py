"""Every error as `application/problem+json` (RFC 9457), with a stable code and a translated detail.

FastAPI answers its own errors (404, 405, 422) in its own shape; the handlers here replace them so
a client needs one parser for every failure. Details never echo the request's values: a 422 lists
where and what rule, not the input, so nothing personal ends up in a log that prints bodies.
"""

from __future__ import annotations

import http
import json
import logging
import sqlite3
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from outreach_tui.domain.i18n import normalize_language, translate
from sync.protocol import PROTOCOL_VERSION, Problem

PROBLEM_MEDIA_TYPE = "application/problem+json"
MAX_LISTED_ERRORS = 50

# HTTP status -> (code, translation key) for errors raised without a code of their own.
_BY_STATUS: dict[int, str] = {
    400: "bad_request",
    401: "token_missing",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "request_invalid",
    429: "rate_limited",
    500: "internal_error",
    503: "storage_busy",
    507: "storage_full",
}


logger = logging.getLogger("sync.server")

# How long a client should wait after a busy database before trying again (seconds).
STORAGE_BUSY_RETRY_AFTER = 2

# Primary SQLite result codes (the low byte of an extended code) -> (status, problem code).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 5, 6, 8, 10
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 11, 13, 14, 26
_STORAGE_ERRORS: dict[int, tuple[int, str]] = {
    _SQLITE_BUSY: (503, "storage_busy"),
    _SQLITE_LOCKED: (503, "storage_busy"),
    _SQLITE_FULL: (507, "storage_full"),
    _SQLITE_READONLY: (503, "storage_read_only"),
    _SQLITE_CORRUPT: (500, "storage_damaged"),
    _SQLITE_NOTADB: (500, "storage_damaged"),
    _SQLITE_IOERR: (503, "storage_io_error"),
    _SQLITE_CANTOPEN: (503, "storage_io_error"),
}


def storage_problem(exc: sqlite3.Error) -> tuple[int, str] | None:
    """(status, code) for a storage failure, named by SQLite's result code, never by its text."""
    errorcode = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(errorcode, int):
        return None
    return _STORAGE_ERRORS.get(errorcode & 0xFF)


class ApiError(Exception):
    """An error the API answers on purpose: status, stable code, parameters of its message."""

    def __init__(
        self,
        status: int,
        code: str,
        *,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
        **params: Any,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})
        self.params = params


class AsciiJSONResponse(JSONResponse):
    """JSON with `\\u` escapes outside ASCII, so any text a client sent can be echoed back."""

    def render(self, content: Any) -> bytes:
        """Serialize compactly; ensure_ascii keeps even lone surrogates representable."""
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def language_of(headers: Mapping[str, str]) -> str:
    """The answer language from Accept-Language (`en` or Indonesian, the default)."""
    accept = headers.get("accept-language", "")
    return normalize_language(accept.split(",", 1)[0].split(";", 1)[0] or None)


def problem_body(status: int, code: str, lang: str, **params: Any) -> dict[str, Any]:
    """The problem document for `code`: title from the HTTP status, detail in `lang`."""
    try:
        title = http.HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    key = f"server.problem.{code}"
    detail = translate(key, lang, **params)
    if detail == key:
        detail = translate(f"server.problem.{_BY_STATUS.get(status, 'http_error')}", lang)
    return Problem(title=title, status=status, detail=detail, code=code).model_dump()


def problem_response(
    status: int,
    code: str,
    lang: str,
    *,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
    **params: Any,
) -> Response:
    """A complete problem+json response."""
    body = problem_body(status, code, lang, **params)
    if extra:
        body.update(extra)
    return AsciiJSONResponse(
        body, status_code=status, headers=dict(headers or {}), media_type=PROBLEM_MEDIA_TYPE
    )


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Where and which rule, never the value that was sent."""
    listed: list[dict[str, Any]] = []
    for error in exc.errors()[:MAX_LISTED_ERRORS]:
        location = [str(part) for part in error.get("loc", ())]
        listed.append(
            {"loc": location, "type": str(error.get("type", "")), "msg": error.get("msg")}
        )
    return listed


def install_handlers(app: FastAPI) -> None:
    """Replace FastAPI's error answers with problem+json ones."""

    async def on_api_error(request: Request, exc: Exception) -> Response:
        """Errors raised on purpose, with their own code."""
        assert isinstance(exc, ApiError)
        lang = language_of(request.headers)
        return problem_response(
            exc.status, exc.code, lang, headers=exc.headers, extra=exc.extra, **exc.params
        )

    async def on_http_error(request: Request, exc: Exception) -> Response:
        """Starlette's own errors (404, 405, ...), given a code by status."""
        assert isinstance(exc, StarletteHTTPException)
        code = _BY_STATUS.get(exc.status_code, "http_error")
        return problem_response(
            exc.status_code, code, language_of(request.headers), headers=exc.headers
        )

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        """Schema errors: where and which rule, never the value sent."""
        assert isinstance(exc, RequestValidationError)
        errors = _validation_errors(exc)
        lang = language_of(request.headers)
        if any(error["loc"] == ["body", "protocol"] for error in errors):
            # A newer client than this server: say so, it is the one thing the user can fix.
            return problem_response(
                422,
                "protocol_unsupported",
                lang,
                extra={"errors": errors},
                version=PROTOCOL_VERSION,
            )
        return problem_response(
            422, "request_invalid", lang, extra={"errors": errors}, count=len(exc.errors())
        )

    async def on_storage_error(request: Request, exc: Exception) -> Response:
        """A busy, full, read-only or damaged database, named truthfully (never a bare 500)."""
        assert isinstance(exc, sqlite3.Error)
        named = storage_problem(exc)
        if named is None:
            raise exc  # not a storage condition we can name: the generic 500 path
        status, code = named
        # The error name only: SQLite's message may quote a value or a path.
        logger.warning(
            "storage failure %s (%s) on %s %s",
            code,
            getattr(exc, "sqlite_errorname", "?"),
            request.method,
            request.url.path,
        )
        headers = {"Retry-After": str(STORAGE_BUSY_RETRY_AFTER)} if status == 503 else {}
        return problem_response(status, code, language_of(request.headers), headers=headers)

    async def on_storage_busy(request: Request, exc: Exception) -> Response:
        """PostgreSQL busy (a lock or the pool waited too long) or briefly unreachable: 503 and
        Retry-After, never 500; nothing of the request was committed."""
        logger.warning(
            "storage busy (%s) on %s %s", exc.args[0] if exc.args else "?", request.method,
            request.url.path,
        )  # fmt: skip
        headers = {"Retry-After": str(STORAGE_BUSY_RETRY_AFTER)}
        return problem_response(503, "storage_busy", language_of(request.headers), headers=headers)

    from sync.server.busy import StorageBusy

    app.add_exception_handler(StorageBusy, on_storage_busy)
    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(sqlite3.Error, on_storage_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
