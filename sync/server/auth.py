"""Device tokens: made with `secrets`, stored only as their sha256, checked on every request."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

from sync.server.storage import CentralStorage, Device


@dataclass(frozen=True, slots=True)
class NewDevice:
    """A device just registered, with its token: shown once, never stored in clear."""

    device: Device
    token: str


def hash_token(token: str) -> str:
    """The sha256 hex of a token: what the database keeps, so a copy of it cannot sign in."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_device(storage: CentralStorage, officer_id: str, branch: str, *, at: str) -> NewDevice:
    """Register a laptop for an officer and branch and return its one-time-visible token."""
    officer_id, branch = officer_id.strip(), branch.strip()
    if not officer_id or not branch:
        raise ValueError("officer id and branch are required")
    token = secrets.token_urlsafe(32)
    device = Device(
        device_id=str(uuid.uuid4()), officer_id=officer_id, branch=branch, created_at=at
    )
    storage.add_device(device, hash_token(token))
    return NewDevice(device=device, token=token)


def parse_bearer(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None when absent or malformed."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 512:
        return None
    return token
