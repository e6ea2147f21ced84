"""The central API as a FastAPI app built from its parts: `create_app(storage, settings=...)`.

No module-level state: the storage, settings, rate limiter and routes all live in the app one
call builds, so tests run several apps side by side. Endpoints are plain `def` functions: FastAPI
runs them in its thread pool, where each thread has its own SQLite connection.
"""

import json
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Annotated

from fastapi import Depends, FastAPI, Path, Query, Request, Response, Security
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from starlette.middleware.gzip import GZipMiddleware

from sync.protocol import (
    ACCEPT_KINDS_HEADER,
    API_PREFIX,
    ITEM_KINDS_HEADER,
    MAX_PULL_ITEMS,
    NEWER_KINDS,
    PROTOCOL_VERSION,
    ForgetResponse,
    GroupsRecoverResponse,
    Health,
    PullResponse,
    PushRequest,
    PushResponse,
    Readiness,
    RecoverResponse,
    SetupRequest,
    SetupResponse,
)
from sync.server.answers import wants_current_version
from sync.server.auth import hash_token
from sync.server.central import utc_stamp
from sync.server.console.devices import exchange_setup_code
from sync.server.console.pages import PREFIX as CONSOLE_PREFIX
from sync.server.console.pages import install_console_handlers
from sync.server.console.receipts import record_receipt
from sync.server.console.store import ConsoleStore, Refused
from sync.server.console.web import make_console_router
from sync.server.errors import (
    MAX_LISTED_ERRORS,
    STORAGE_BUSY_RETRY_AFTER,
    ApiError,
    AsciiJSONResponse,
    install_handlers,
    language_of,
)
from sync.server.forget import forget_record
from sync.server.gcpause import gc_paused
from sync.server.middleware import CatchAll, HeaderCountLimit, RequestBodyLimit, TokenGate
from sync.server.openapi import install_openapi, json_request_body, problem_responses
from sync.server.push import PushContext, push_items, warm_up
from sync.server.ratelimit import RateLimiter, SharedRateLimiter, retry_after_header
from sync.server.recovery import MAX_RECOVER_ITEMS, recover_page
from sync.server.settings import ServerSettings
from sync.server.slips import KeyConflict, make_slips_router
from sync.server.storage import CentralStorage, Device

logger = logging.getLogger("sync.server")

MAX_CURSOR = 2**63 - 1  # SQLite's largest integer
_BEARER_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="outreach"'}
# More header lines than any client of ours sends (the size is bounded by h11: 16 KiB).
MAX_HEADERS = 100
SETUP_CODE_RATE = 0.2  # setup-code attempts per second and client address, after the burst
SETUP_CODE_BURST = 5
# Body-carrying routes with their own authentication: the console (session cookie and CSRF
# token) and the setup-code exchange (the code is the credential).
OPEN_PATHS = (f"{CONSOLE_PREFIX}/", f"{API_PREFIX}/setup")


def _json_media_type(content_type: str) -> bool:
    main = content_type.split(";", 1)[0].strip().lower()
    return main == "application/json" or (
        main.startswith("application/") and main.endswith("+json")
    )


def only_query(*names: str) -> Callable[[Request], None]:
    """A dependency refusing query parameters not in `names` (`curser=5` must not mean 0)."""
    known = frozenset(names)

    def check(request: Request) -> None:
        """422 naming the unknown parameters."""
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            errors = [
                {"loc": ["query", name[:64]], "type": "extra_forbidden", "msg": "Unknown parameter"}
                for name in unknown[:MAX_LISTED_ERRORS]
            ]
            raise ApiError(422, "request_invalid", extra={"errors": errors}, count=len(unknown))

    return check


async def raw_body(request: Request) -> bytes:
    """The request body as sent (the middleware has decompressed it); the endpoint parses it."""
    return await request.body()


def parse_push(raw: bytes) -> PushRequest:
    """The push body, or 422 as FastAPI words it (`loc` starts with "body").

    pydantic's own JSON parser reads a valid batch in one pass, in C. What it refuses goes the
    way FastAPI reads a body (the stdlib's json, then the model), so errors read as before and
    text the stdlib reads but pydantic does not (a lone surrogate inside `data`) still reaches
    push, where only that item is refused.
    """
    try:
        return PushRequest.model_validate_json(raw)
    except ValidationError:
        pass
    if not raw:
        missing = {"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}
        raise RequestValidationError([missing])
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        invalid = {"type": "json_invalid", "loc": ("body", exc.pos), "msg": "JSON decode error"}
        raise RequestValidationError([invalid]) from None
    except ValueError:  # not UTF-8/16/32, or an integer too long to read
        raise ApiError(400, "bad_request") from None
    try:
        return PushRequest.model_validate(data)
    except ValidationError as exc:
        errors = [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
        raise RequestValidationError(errors) from None


def refuse_kinds(body: PushRequest, kinds: Sequence[str]) -> None:
    """422, as a server built before a kind answers it, for an item of a kind not served."""
    errors = [
        {"type": "literal_error", "loc": ("body", "items", index, "kind"),
         "msg": "Input should be one of the kinds this server takes"}
        for index, item in enumerate(body.items) if item.kind not in kinds
    ]  # fmt: skip
    if errors:
        raise RequestValidationError(errors)


def create_app(storage: CentralStorage, *, settings: ServerSettings | None = None) -> FastAPI:
    """Build the central API over `storage` (which the caller opens and closes)."""
    settings = settings or ServerSettings()
    warm_up(settings.today())
    limiter: RateLimiter | SharedRateLimiter | None = None
    if settings.rate_per_second:
        shared = getattr(storage, "rate_acquire", None)  # kept in the database: every worker
        limiter = (
            SharedRateLimiter(shared, settings.rate_per_second, settings.rate_burst)
            if callable(shared)
            else RateLimiter(settings.rate_per_second, settings.rate_burst)
        )
    console = ConsoleStore(storage)  # the branch console's tables (sync/server/console)
    app = FastAPI(
        title="outreach central API",
        version=str(PROTOCOL_VERSION),
        description="Push record versions and visits from field laptops; pull what the central "
        "side learned (KPJ numbers, payments, duplicate NIKs). See docs/sync-protocol.md.",
        openapi_url="/openapi.json",
        docs_url=None,  # the Swagger page loads scripts from a CDN; the JSON schema suffices
        redoc_url=None,
        default_response_class=AsciiJSONResponse,
    )
    bearer = HTTPBearer(auto_error=False, description="The device token from `add-device`.")

    def now() -> str:
        """The timestamp written and answered, from the settings' clock."""
        return utc_stamp(settings.now())

    def token_problem(token: str | None) -> str | None:
        """The 401 code for `token` (missing, unknown, revoked), or None when it is valid."""
        if not token:
            return "token_missing"
        device = storage.device_by_token_hash(hash_token(token))
        if device is None:
            return "token_unknown"
        return "token_revoked" if device.revoked else None

    def authenticated(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
    ) -> Device:
        """The device behind the bearer token, or 401 saying why (missing, unknown, revoked)."""
        if credentials is None or not credentials.credentials:
            raise ApiError(401, "token_missing", headers=_BEARER_CHALLENGE)
        device = storage.device_by_token_hash(hash_token(credentials.credentials))
        if device is None:
            logger.info("refused: unknown token")
            raise ApiError(401, "token_unknown", headers=_BEARER_CHALLENGE)
        if device.revoked:
            logger.info("refused: revoked token of device %s", device.device_id)
            raise ApiError(401, "token_revoked", headers=_BEARER_CHALLENGE)
        if limiter is not None:
            wait = limiter.acquire(device.device_id)
            if wait > 0:
                raise ApiError(
                    429, "rate_limited", headers={"Retry-After": retry_after_header(wait)}
                )
        return device

    def json_body(request: Request) -> None:
        """415 for a body that is not JSON (a missing Content-Type is read as JSON)."""
        content_type = request.headers.get("content-type")
        if content_type is not None and not _json_media_type(content_type):
            raise ApiError(415, "unsupported_media_type")

    @app.get(
        f"{API_PREFIX}/health",
        response_model=Health,
        responses=problem_responses(422, 500),
        dependencies=[Depends(only_query())],
    )
    def health(response: Response) -> Health:
        """Liveness and protocol version; needs no token."""
        response.headers.update(kinds_header)
        return Health(server_time=now())

    @app.get(
        f"{API_PREFIX}/ready",
        response_model=Readiness,
        responses=problem_responses(422, 500, 503),
        dependencies=[Depends(only_query())],
    )
    def ready() -> Response:
        """Whether this server can serve now: its database answers (503 when not); no token,
        nothing else said (for a load balancer or a monitoring probe)."""
        if storage.ping():
            return AsciiJSONResponse(Readiness(database="ok", server_time=now()).model_dump())
        body = Readiness(status="unavailable", database="unreachable", server_time=now())
        headers = {"Retry-After": str(STORAGE_BUSY_RETRY_AFTER)}
        return AsciiJSONResponse(body.model_dump(), status_code=503, headers=headers)

    @app.post(
        f"{API_PREFIX}/push",
        response_model=PushResponse,
        responses=problem_responses(400, 401, 413, 415, 422, 429, 500),
        dependencies=[Depends(only_query())],
        openapi_extra=json_request_body(PushRequest),
    )
    def push(
        request: Request,
        device: Annotated[Device, Depends(authenticated)],
        _json: Annotated[None, Depends(json_body)],
        raw: Annotated[bytes, Depends(raw_body)],
    ) -> Response:
        """Store a batch of record versions and visits; one answer per item, in order."""
        with gc_paused():
            return store_batch(
                raw, device, language_of(request.headers), wants_current_version(request.headers),
                request.headers.get("user-agent", ""),
            )  # fmt: skip

    kinds_header = {ITEM_KINDS_HEADER: ",".join(settings.item_kinds)}

    def store_batch(
        raw: bytes, device: Device, lang: str, current_version: bool = False, agent: str = ""
    ) -> Response:
        """Parse, store and answer one push (in the worker thread, not the event loop)."""
        body = parse_push(raw)
        refuse_kinds(body, settings.item_kinds)
        ctx = PushContext(
            device=device,
            today=settings.today(),
            at=now(),
            lang=lang,
            current_version=current_version,
        )
        results = push_items(storage, body.items, ctx)
        record_receipt(console, device, "push", body.batch_id, results, agent)
        counts = Counter(result["status"] for result in results)
        logger.info(
            "push device=%s items=%d accepted=%d duplicate=%d conflict=%d rejected=%d",
            device.device_id,
            len(results),
            counts["accepted"],
            counts["duplicate"],
            counts["conflict"],
            counts["rejected"],
        )
        # The answers are already plain dicts of PushResponse's shape (see push.Answer): encoded
        # as they are, not validated again as 1000 models (the tests hold them to the schema).
        answer = {
            "protocol": PROTOCOL_VERSION,
            "batch_id": body.batch_id,
            "results": results,
            "server_time": now(),
        }
        return AsciiJSONResponse(answer, headers=kinds_header)

    @app.get(
        f"{API_PREFIX}/pull",
        response_model=PullResponse,
        responses=problem_responses(401, 422, 429, 500),
        dependencies=[Depends(only_query("cursor", "limit"))],
    )
    def pull(
        request: Request,
        response: Response,
        device: Annotated[Device, Depends(authenticated)],
        cursor: Annotated[
            int, Query(ge=0, le=MAX_CURSOR, description="The last `seq` already applied.")
        ] = 0,
        limit: Annotated[
            int, Query(ge=1, le=MAX_PULL_ITEMS, description="At most this many changes.")
        ] = MAX_PULL_ITEMS,
    ) -> PullResponse:
        """This officer's server changes after `cursor`; ask again with the answer's cursor.

        Only changes of records the device's officer owns: nothing of a colleague's records.
        """
        accepted = {k.strip() for k in request.headers.get(ACCEPT_KINDS_HEADER, "").split(",")}
        unknown = tuple(kind for kind in NEWER_KINDS if kind not in accepted)
        changes, more = storage.changes_after(
            device.branch, cursor, limit, officer_id=device.officer_id, skip_kinds=unknown
        )
        next_cursor = changes[-1].seq if changes else cursor
        if changes:  # a pull that brought something; empty polls leave no row
            pulled = [{"kind": c.kind, "id": c.record_id, "version": c.seq, "status": "pulled"}
                      for c in changes]  # fmt: skip
            record_receipt(console, device, "pull", None, pulled,
                           request.headers.get("user-agent", ""))  # fmt: skip
        logger.info(
            "pull device=%s cursor=%d changes=%d more=%s",
            device.device_id,
            cursor,
            len(changes),
            more,
        )
        response.headers.update(kinds_header)
        return PullResponse(changes=changes, cursor=next_cursor, more=more)

    @app.post(
        f"{API_PREFIX}/records/{{record_id}}/forget",
        response_model=ForgetResponse,
        responses=problem_responses(401, 403, 404, 422, 429, 500),
        dependencies=[Depends(only_query())],
    )
    def forget(
        device: Annotated[Device, Depends(authenticated)],
        record_id: Annotated[str, Path(min_length=1, max_length=64)],
    ) -> ForgetResponse:
        """Blank a record's personal data on the person's request (UU 27/2022); see forget.py."""
        return forget_record(storage, device, record_id, now())

    @app.get(
        f"{API_PREFIX}/records/mine",
        response_model=RecoverResponse,
        responses=problem_responses(401, 422, 429, 500),
        dependencies=[Depends(only_query("after", "limit", "since"))],
    )
    def records_mine(
        device: Annotated[Device, Depends(authenticated)],
        after: Annotated[int, Query(ge=0, le=MAX_CURSOR, description="The last cursor.")] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_RECOVER_ITEMS)] = MAX_RECOVER_ITEMS,
        since: Annotated[
            str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="Changed on or after.")
        ] = None,
    ) -> RecoverResponse:
        """Caseload recovery: the device's own officer's records, their visits and flags."""
        records, cursor, more = recover_page(storage, device, after, limit, since)
        logger.info("recover device=%s after=%d records=%d", device.device_id, after, len(records))
        return RecoverResponse(records=records, cursor=cursor, more=more)

    @app.get(
        f"{API_PREFIX}/groups/mine",
        response_model=GroupsRecoverResponse,
        responses=problem_responses(401, 422, 429, 500),
        dependencies=[Depends(only_query())],
    )
    def groups_mine(
        response: Response, device: Annotated[Device, Depends(authenticated)]
    ) -> GroupsRecoverResponse:
        """Caseload recovery: the groups, events, memberships and attendance the device's own
        officer pushed in its branch (a new laptop gets them back after the records)."""
        from sync.server.groups import officer_items

        items = officer_items(storage, device.branch, device.officer_id)
        logger.info("recover groups device=%s items=%d", device.device_id, len(items))
        response.headers.update(kinds_header)
        return GroupsRecoverResponse.model_validate({"items": items})

    def register_key(device: Device, key_id: str, public_key: str) -> None:
        if not storage.register_device_key(device, key_id, public_key, utc_stamp()):
            raise KeyConflict(key_id)

    app.include_router(
        make_slips_router(
            key_lookup=storage.device_key,
            register_key=register_key,
            authenticate=authenticated,
            list_keys=storage.branch_keys,
            record_lookup=storage.record,
        )
    )

    # Guessing setup codes: a slow trickle per client address (the sign-in has its lockout).
    code_limiter = RateLimiter(SETUP_CODE_RATE, SETUP_CODE_BURST)

    @app.post(
        f"{API_PREFIX}/setup",
        response_model=SetupResponse,
        responses=problem_responses(400, 404, 409, 413, 415, 422, 429),
        dependencies=[Depends(json_body)],
    )
    def setup_device(body: SetupRequest, request: Request) -> SetupResponse:
        """Exchange a one-time setup code from the branch console for a device token."""
        client = request.client.host if request.client else "?"
        wait = code_limiter.acquire(f"setup:{client}")
        if wait > 0:
            raise ApiError(429, "rate_limited", headers={"Retry-After": retry_after_header(wait)})
        try:
            device, token = exchange_setup_code(console, body.code)
        except Refused as exc:
            # No such code (mistyped or unknown): 404; a code that was good once: 409.
            gone = exc.key in ("console.code.expired", "console.code.used")
            status = 409 if gone else 404
            raise ApiError(status, exc.key.replace("console.code.", "setup_code_")) from None
        logger.info("device set up with a code: %s", device.device_id)
        return SetupResponse(
            device_id=device.device_id, officer_id=device.officer_id, branch=device.branch,
            token=token,
        )  # fmt: skip

    app.include_router(make_console_router(console))
    install_handlers(app)
    install_console_handlers(app)
    install_openapi(app, body_models=[PushRequest])
    # Added innermost first: GZip wraps CatchAll wraps RequestBodyLimit wraps the routes.
    app.add_middleware(
        RequestBodyLimit,
        max_body_bytes=settings.max_body_bytes,
        max_compressed_bytes=settings.max_compressed_bytes,
    )
    app.add_middleware(TokenGate, check=token_problem, open_paths=OPEN_PATHS)
    app.add_middleware(HeaderCountLimit, max_headers=MAX_HEADERS)
    app.add_middleware(CatchAll)
    app.add_middleware(GZipMiddleware, minimum_size=settings.gzip_minimum_size, compresslevel=6)
    return app
