"""The slip routes of the central API: verify a slip from any device of the branch, register keys.

`make_slips_router(...)` returns an APIRouter to include in the app; it holds no state. The app
gives it three callables, so the routes stay independent of the storage:

- `authenticate`: a FastAPI dependency returning the calling device (with `.branch`), or raising
  the API's 401; the app's own bearer-token dependency.
- `key_lookup(key_id)`: the registered key as a mapping `{key_id, public_key, officer_id, branch,
  revoked}`, or None.
- `register_key(device, key_id, public_key)`: stores a device's key; raises `KeyConflict` when
  the key id already belongs to another device.
- `list_keys(branch)` (optional): every registered key of a branch, as `key_lookup` gives them;
  with it, `GET /v1/devices/keys` lets a laptop learn its colleagues' keys (for its keyring).

Verification uses the laptop's own rules (`outreach_tui.slips.payload`). Keys of other branches
are treated as unknown: a device only learns about slips of its own branch.
"""

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from outreach_tui.domain.i18n import translate
from outreach_tui.slips.payload import MAX_TEXT, verify_payload
from outreach_tui.slips.payload import parse_payload as parse_slip
from outreach_tui.slips.signing import KeyFormatError, KnownKey, known_key_from
from sync.protocol import API_PREFIX
from sync.server.errors import ApiError, language_of
from sync.server.openapi import problem_responses

logger = logging.getLogger("sync.server.slips")

KeyLookup = Callable[[str], Mapping[str, Any] | None]
RegisterKey = Callable[[Any, str, str], None]
ListKeys = Callable[[str], Iterable[Mapping[str, Any]]]


class KeyConflict(Exception):
    """The key id is already registered for another device (register_key raises it)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VerifyRequest(_Model):
    """A slip's QR payload, as scanned or typed."""

    payload: str = Field(max_length=MAX_TEXT, description="The QR text, `BPU1:...`.")


class VerifyResponse(_Model):
    """Whether the slip is genuine, why not, who signed it and what it says."""

    valid: bool
    reason: str = Field(description="Stable code: ok, unknown_key, signature, prefix, ...")
    message: str = Field(description="The reason for a person, in the Accept-Language.")
    key_id: str | None = None
    officer_id: str | None = None
    branch: str | None = None
    fields: dict[str, Any] | None = Field(None, description="The slip's fields, once parsed.")


class DeviceKeyRequest(_Model):
    """A device's slip signing key (`DeviceKey.public_info()` on the laptop)."""

    key_id: str = Field(pattern=r"^[0-9a-f]{16}$", description="sha256(public key)[:8], hex.")
    public_key: str = Field(
        pattern=r"^[A-Za-z0-9+/]{43}=$", description="Raw 32-byte Ed25519 key, base64."
    )
    algorithm: Literal["Ed25519"] = "Ed25519"


class DeviceKeyResponse(_Model):
    """The key is registered for the calling device."""

    key_id: str
    registered: bool = True


class BranchKey(_Model):
    """A key a laptop may trust: what `add_known_key` takes."""

    key_id: str
    public_key: str
    officer_id: str | None = None
    branch: str | None = None
    revoked: bool = False


class BranchKeys(_Model):
    """Every registered slip key of the caller's branch, revoked ones flagged."""

    keys: list[BranchKey]


_CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "The key id belongs to another device"}
}


def _known(info: Mapping[str, Any] | None, key_id: str, branch: str | None) -> KnownKey | None:
    """The looked-up key as a KnownKey, or None when missing, of another branch, or broken."""
    if info is None:
        return None
    if branch and info.get("branch") and info.get("branch") != branch:
        return None
    try:
        known = known_key_from(info, source="central")
    except KeyFormatError:
        logger.warning("stored slip key %s is malformed", key_id)
        return None
    return known if known.key_id == key_id else None


def _central_check(
    info: Mapping[str, Any] | None, payload: Any, record: Any, branch: str | None
) -> str | None:
    """Why a slip whose signature holds is still not valid centrally, or None.

    The key must not have been replaced before the slip was issued, and the slip's record
    must exist in the caller's branch, be enrolled or active, and belong to the signer.
    """
    replaced_at = (info or {}).get("replaced_at")
    if replaced_at and payload.issued.isoformat() > str(replaced_at)[:10]:
        return "key_replaced"
    if record is None or record.branch != branch:
        return "record_unknown"
    if record.status not in ("enrolled", "active") or record.officer_id != payload.officer_id:
        return "record_mismatch"
    return None


def make_slips_router(
    *,
    key_lookup: KeyLookup,
    register_key: RegisterKey,
    authenticate: Callable[..., Any],
    list_keys: ListKeys | None = None,
    record_lookup: Callable[[str], Any] | None = None,
) -> APIRouter:
    """The `/v1/slips/verify` and `/v1/devices/key` routes (and `/v1/devices/keys`)."""
    router = APIRouter(prefix=API_PREFIX, tags=["slips"])
    Caller = Annotated[Any, Depends(authenticate)]

    @router.post(
        "/slips/verify",
        response_model=VerifyResponse,
        responses=problem_responses(400, 401, 413, 415, 422, 429, 500),
    )
    def verify_slip(body: VerifyRequest, request: Request, device: Caller) -> VerifyResponse:
        """Check a slip signed by any device of the caller's branch; invalid is still a 200."""
        lang = language_of(request.headers)
        branch = getattr(device, "branch", None)
        keyring: dict[str, KnownKey] = {}
        info: Mapping[str, Any] | None = None
        try:
            key_id = parse_slip(body.payload).key_id
        except ValueError:
            key_id = None
        if key_id is not None:
            info = key_lookup(key_id)
            known = _known(info, key_id, branch)
            if known is not None:
                keyring[key_id] = known
        result = verify_payload(body.payload, keyring)
        payload, signer = result.payload, result.signer
        valid, reason_code = result.valid, result.reason_code
        if valid and payload is not None and record_lookup is not None:
            refused = _central_check(info, payload, record_lookup(payload.record_id), branch)
            if refused is not None:
                valid, reason_code = False, refused
        logger.info(
            "slip verify device=%s key=%s valid=%s reason=%s",
            getattr(device, "device_id", "-"),
            key_id or "-",
            valid,
            reason_code,
        )
        return VerifyResponse(
            valid=valid,
            reason=reason_code,
            message=translate(f"slip.reason.{reason_code}", lang),
            key_id=payload.key_id if payload else None,
            officer_id=payload.officer_id if payload else None,
            branch=signer.branch if signer else None,
            fields=payload.fields() if payload else None,
        )

    @router.post(
        "/devices/key",
        response_model=DeviceKeyResponse,
        responses={**problem_responses(400, 401, 413, 415, 422, 429, 500), **_CONFLICT},
    )
    def register_device_key(body: DeviceKeyRequest, device: Caller) -> DeviceKeyResponse:
        """Register the calling device's public key (again is fine: same answer)."""
        try:
            known = known_key_from({"key_id": body.key_id, "public_key": body.public_key})
        except KeyFormatError as exc:
            raise ApiError(422, "key_invalid", reason=str(exc)) from exc
        try:
            register_key(device, known.key_id, known.public_key)
        except KeyConflict as exc:
            raise ApiError(409, "key_conflict") from exc
        logger.info(
            "slip key %s registered by device %s", known.key_id, getattr(device, "device_id", "-")
        )
        return DeviceKeyResponse(key_id=known.key_id)

    if list_keys is not None:
        lister = list_keys

        @router.get(
            "/devices/keys", response_model=BranchKeys, responses=problem_responses(401, 429, 500)
        )
        def branch_keys(device: Caller) -> BranchKeys:
            """The slip keys of the caller's branch, for its keyring (`add_known_key`)."""
            branch = str(getattr(device, "branch", ""))
            found = []
            for info in lister(branch):
                known = _known(info, str(info.get("key_id", "")), branch)
                if known is not None:
                    found.append(
                        BranchKey(
                            key_id=known.key_id,
                            public_key=known.public_key,
                            officer_id=known.officer_id,
                            branch=known.branch,
                            revoked=known.revoked,
                        )
                    )
            return BranchKeys(keys=found)

    return router
