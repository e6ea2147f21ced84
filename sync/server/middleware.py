"""Pure-ASGI middleware: bounded, gzip-aware request bodies, and a last-resort 500 problem.

Starlette compresses responses (GZipMiddleware) but never decompresses requests, and the laptop
sends its batches gzipped. `RequestBodyLimit` reads the body under two hard limits (as sent, and
once decompressed: a small gzip bomb inflates to gigabytes, so decompression stops one byte past
the limit) and hands the app the plain body. `CatchAll` turns any unexpected exception into a
problem body without a traceback, and logs only the exception's type, never its message (which
could quote a value that was sent).
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.server.errors import language_of, problem_response

logger = logging.getLogger("sync.server")

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_CHUNK = 64 * 1024


class _Refuse(Exception):
    """Stop reading a body and answer with this problem instead."""

    def __init__(self, status: int, code: str, **params: Any) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.params = params


def gunzip_bounded(data: bytes, limit: int) -> bytes:
    """Decompress gzip `data` (one or more members) to at most `limit` bytes, else refuse."""
    out = bytearray()
    rest = data
    while True:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = rest
        while not inflater.eof:
            try:
                # Never more than one byte past the limit per call: the bomb stays unexploded.
                chunk = inflater.decompress(pending, limit - len(out) + 1)
            except zlib.error:
                raise _Refuse(400, "gzip_invalid") from None
            out += chunk
            if len(out) > limit:
                raise _Refuse(413, "body_too_large", limit=limit)
            pending = inflater.unconsumed_tail
            if not pending and not chunk:
                break  # input used up and nothing more comes out: truncated
        if not inflater.eof:
            raise _Refuse(400, "gzip_invalid")
        rest = inflater.unused_data
        if not rest.strip(b"\x00"):  # trailing zero padding is allowed by gzip tools
            return bytes(out)


class RequestBodyLimit:
    """Bounds request bodies and decompresses `Content-Encoding: gzip` ones (see module doc)."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_compressed_bytes: int) -> None:
        self.app = app
        self.max_body = max_body_bytes
        self.max_compressed = max_compressed_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        encoding = headers.get("content-encoding", "").strip().lower()
        try:
            if encoding not in ("", "identity", "gzip"):
                raise _Refuse(415, "content_encoding_unsupported")
            compressed = encoding == "gzip"
            limit = self.max_compressed if compressed else self.max_body
            body = await self._read(headers, receive, limit)
            if compressed:
                body = await anyio.to_thread.run_sync(gunzip_bounded, body, self.max_body)
        except _Refuse as refused:
            response = problem_response(
                refused.status, refused.code, language_of(headers), **refused.params
            )
            await response(scope, receive, send)
            return
        raw_headers = [
            (name, value)
            for name, value in scope["headers"]
            if name not in (b"content-encoding", b"content-length", b"transfer-encoding")
        ]
        raw_headers.append((b"content-length", str(len(body)).encode()))
        await self.app({**scope, "headers": raw_headers}, _replay(body, receive), send)

    async def _read(self, headers: Headers, receive: Receive, limit: int) -> bytes:
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                raise _Refuse(400, "bad_request")
            if int(declared) > limit:
                raise _Refuse(413, "body_too_large", limit=limit)
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Refuse(400, "bad_request")
            body += message.get("body", b"")
            if len(body) > limit:
                raise _Refuse(413, "body_too_large", limit=limit)
            if not message.get("more_body", False):
                return bytes(body)


def _replay(body: bytes, receive: Receive) -> Callable[[], Awaitable[Message]]:
    """A `receive` that hands over the already-read body once, then waits for the disconnect."""
    sent = False

    async def replay() -> Message:
        """The read body first, then whatever the server sends (a disconnect)."""
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class CatchAll:
    """Answers 500 problem+json for any unexpected exception; logs its type only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            """Note when the response has started: after that no 500 can be sent."""
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            logger.error(
                "unhandled %s in %s %s", type(exc).__name__, scope["method"], scope["path"]
            )
            if started:
                return  # the response is under way; the connection ends here
            lang = language_of(Headers(scope=scope))
            if isinstance(exc, RecursionError):  # JSON nested deeper than the parser goes
                response = problem_response(400, "json_too_deep", lang)
            else:
                response = problem_response(500, "internal_error", lang)
            await response(scope, receive, send)


class TokenGate:
    """Checks the bearer token of body-carrying requests BEFORE any of the body is read.

    An unauthenticated client gets its 401 after sending only headers: the server never buffers
    megabytes for someone without a token. `check` maps the token (or None) to the 401 problem
    code (`token_missing`, `token_unknown`, `token_revoked`) or None when it is valid; the
    routes check again (with the rate limit), this only decides whether a body is worth reading.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        check: Callable[[str | None], str | None],
        open_paths: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.check = check
        self.open_paths = open_paths  # routes that authenticate otherwise (prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in _BODY_METHODS
            or scope["path"].startswith(self.open_paths)
        ):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        scheme, _, token = headers.get("authorization", "").partition(" ")
        given = token.strip() if scheme.lower() == "bearer" and token.strip() else None
        code = await anyio.to_thread.run_sync(self.check, given)
        if code is None:
            await self.app(scope, receive, send)
            return
        response = problem_response(
            401, code, language_of(headers), headers={"WWW-Authenticate": 'Bearer realm="outreach"'}
        )
        # The body is never read; closing tells uvicorn not to wait for it on this connection.
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


class HeaderCountLimit:
    """Answers 431 to a request with more than `max_headers` header lines (size is h11's job)."""

    def __init__(self, app: ASGIApp, *, max_headers: int = 100) -> None:
        self.app = app
        self.max_headers = max_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and len(scope["headers"]) > self.max_headers:
            headers = Headers(scope=scope)
            response = problem_response(
                431, "headers_too_many", language_of(headers), limit=self.max_headers
            )
            response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
