"""The wire format both ends share: pydantic models and the protocol version.

Push: the laptop sends bounded batches of changes (record versions and visits); the
server answers every item on its own (`accepted`, `duplicate`, `conflict`,
`rejected`), so one bad item never blocks the others. Pull: the laptop asks for the
server-side changes of its branch after a cursor. See docs/sync-protocol.md.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from outreach_tui.domain.groups import EVENT_FIELDS, GROUP_FIELDS
from outreach_tui.domain.record import RECORD_FIELDS
from sync.outbox import pair_id as pair_id  # part of the wire format, defined where it is light

PROTOCOL_VERSION = 1
API_PREFIX = "/v1"

# Bounds on one push: the client packs batches under both, the server refuses more.
MAX_BATCH_ITEMS = 1000
MAX_BATCH_BYTES = 4 * 1024 * 1024  # uncompressed JSON body
MAX_PULL_ITEMS = 2000

# A client that can read `ItemResult.current_version` says so with this request header
# (value "1"). Answers carry the field only then: clients built before it forbid unknown
# keys in an answer, so an unasked-for field would make their every push fail.
CURRENT_VERSION_HEADER = "Outreach-Current-Version"

# `duplicate_of` of a flagged record whose NIK is held by a record the device has no right to
# know (another branch's, or a colleague's): a marker, never that record's id. Older laptops
# read any non-empty value as "flagged", so they keep the record set aside as they should.
HELD_IN_OTHER_BRANCH = "held-in-other-branch"
HELD_BY_COLLEAGUE = "held-by-colleague"
HOLDER_MARKERS = frozenset({HELD_IN_OTHER_BRANCH, HELD_BY_COLLEAGUE})

# The keys a pushed item's `data` may carry: the record contract (DESIGN.md) and the visit's
# fields. Anything else is refused per item, so nothing unasked-for is ever stored.
# (monthly_contribution and kpj_number are export-only fields of the contract: laptops send the
# contribution they computed; the server decides both itself.)
RECORD_DATA_FIELDS = frozenset({*RECORD_FIELDS, "monthly_contribution", "kpj_number"})
VISIT_DATA_FIELDS = frozenset(
    {"id", "record_id", "at", "region_code", "rw", "rt", "outcome", "note", "officer_id"}
)
MAX_DATA_TEXT = 1000  # characters of any one text value (fields with their own rule: less)
# Groups, memberships, events and attendance (issue 14). A membership's and an attendance's item
# id is `pair_id` of its two ids, so the same pair is the same item on every laptop.
GROUP_DATA_FIELDS = frozenset(GROUP_FIELDS)
EVENT_DATA_FIELDS = frozenset(EVENT_FIELDS)
MEMBERSHIP_DATA_FIELDS = frozenset({"id", "group_id", "record_id", "added_at"})
ATTENDANCE_DATA_FIELDS = frozenset({"id", "event_id", "record_id", "status_then", "at"})
DATA_FIELDS = {
    "record": RECORD_DATA_FIELDS,
    "visit": VISIT_DATA_FIELDS,
    "group": GROUP_DATA_FIELDS,
    "membership": MEMBERSHIP_DATA_FIELDS,
    "event": EVENT_DATA_FIELDS,
    "attendance": ATTENDANCE_DATA_FIELDS,
}
# The item kinds protocol 1 started with, and the ones added since. A server names every kind
# it takes in this header of its push and pull answers; a laptop sends a newer kind only to a
# server that named it (an older server refuses an unknown kind, and with it the whole batch).
FIRST_ITEM_KINDS = ("record", "visit")
NEWER_ITEM_KINDS = ("group", "membership", "event", "attendance")
ITEM_KINDS_HEADER = "Outreach-Item-Kinds"
ItemKind = Literal["record", "visit", "group", "membership", "event", "attendance"]
ItemStatus = Literal["accepted", "duplicate", "conflict", "rejected"]
ServerChangeKind = Literal["kpj_number", "status", "duplicate_nik", "forgotten", "review"]
# Server change kinds a laptop understands beyond protocol 1's first four, named in this
# request header of its pulls: a laptop without it is never sent them (`review`: a record sent
# back by a supervisor of the branch console, with the comment).
ACCEPT_KINDS_HEADER = "Outreach-Accept-Kinds"
NEWER_KINDS = ("review",)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Reason(_Model):
    """Why an item was not accepted as sent: a field, a stable code and a message."""

    field: str = Field(max_length=64)
    code: str = Field(max_length=64)
    message: str = Field(max_length=1000)


class PushItem(_Model):
    """One change: a record version (frozen once sent), a visit (immutable), a group or an
    event version, or a membership or an attendance (immutable)."""

    kind: ItemKind
    id: str = Field(min_length=1, max_length=64, description="The item's UUID.")
    version: int = Field(
        1, ge=1, le=1_000_000, description="Record, group or event version; 1 when immutable."
    )
    base_version: int | None = Field(
        None, ge=1, le=1_000_000, description="The version this one replaces, as last acknowledged."
    )
    content_hash: str = Field(
        min_length=64, max_length=64, description="sha256 of the canonical JSON of `data`."
    )
    data: dict[str, Any] = Field(description="The record fields, or the visit fields.")
    # Consent proof of a record (docs/security.md): record facts, not versioned content, so
    # outside `data` and not covered by `content_hash`. Optional: older laptops omit them.
    consent_at: str | None = Field(
        None, max_length=40, description="When consent was recorded (UTC, ISO 8601)."
    )
    consent_by: str | None = Field(
        None, max_length=64, description="Who recorded consent (officer id)."
    )
    consent_version: str | None = Field(
        None, max_length=32, description="The version of the consent text that was read."
    )


class PushRequest(_Model):
    """A batch of changes from one device."""

    protocol: int = Field(
        PROTOCOL_VERSION,
        ge=1,
        le=PROTOCOL_VERSION,
        description="Wire format version; a server accepts the versions it knows.",
    )
    batch_id: str = Field(min_length=1, max_length=64, description="Client's id for this batch.")
    items: list[PushItem] = Field(max_length=MAX_BATCH_ITEMS)


class ItemResult(_Model):
    """The server's answer for one item."""

    kind: ItemKind
    id: str
    version: int
    status: ItemStatus
    reasons: list[Reason] = Field(default_factory=list)
    duplicate_of: str | None = Field(
        None, description="For an NIK already held by another record: that record's id."
    )
    kpj_number: str | None = None
    current_version: int | None = Field(
        None,
        description=(
            "For a `conflict`: the version the server holds now, so the laptop can send its"
            f" content again based on it. Only for a request with `{CURRENT_VERSION_HEADER}: 1`."
        ),
    )


class PushResponse(_Model):
    """One result per pushed item, in the order sent."""

    protocol: int = PROTOCOL_VERSION
    batch_id: str
    results: list[ItemResult]
    server_time: str


class ServerChange(_Model):
    """Something the central side learned about a record of this branch."""

    seq: int
    kind: ServerChangeKind
    record_id: str
    fields: dict[str, Any] = Field(default_factory=dict)
    at: str


class SetupRequest(_Model):
    """A one-time setup code from the branch console (`outreach setup --code`)."""

    code: str = Field(min_length=1, max_length=32)


class SetupResponse(_Model):
    """The device the code registered and its token (shown once; the laptop keeps it)."""

    device_id: str
    officer_id: str
    branch: str
    token: str


class PullResponse(_Model):
    """Server-side changes after a cursor; `more` says whether to ask again."""

    protocol: int = PROTOCOL_VERSION
    changes: list[ServerChange]
    cursor: int
    more: bool


class ForgetResponse(_Model):
    """What POST /v1/records/{id}/forget answers: the record's personal fields are blanked."""

    record_id: str
    status: Literal["forgotten"] = "forgotten"
    at: str


class Health(_Model):
    """What GET /v1/health answers (no authentication needed)."""

    status: Literal["ok"] = "ok"
    protocol: int = PROTOCOL_VERSION
    server_time: str


class Readiness(_Model):
    """What GET /v1/ready answers: whether the database answers (no token needed)."""

    status: Literal["ok", "unavailable"] = "ok"
    database: Literal["ok", "unreachable"]
    server_time: str


class Problem(_Model):
    """Every error body (RFC 9457 problem details, application/problem+json)."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    code: str = ""


def canonical_json(data: dict[str, Any]) -> bytes:
    """The bytes both ends hash: sorted keys, no spaces, UTF-8."""
    import json

    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_hash(data: dict[str, Any]) -> str:
    """sha256 hex of the canonical JSON of an item's data."""
    import hashlib

    return hashlib.sha256(canonical_json(data)).hexdigest()


class RecoveredVisit(_Model):
    """A visit of a recovered record, as the server stored it."""

    id: str = Field(max_length=64)
    content_hash: str
    data: dict[str, Any]


class RecoveredRecord(_Model):
    """One of the officer's own records as the server holds it (caseload recovery)."""

    id: str = Field(max_length=64)
    version: int
    base_version: int | None = None
    content_hash: str
    data: dict[str, Any]
    received_at: str
    officer_id: str
    consent_at: str | None = None
    consent_by: str | None = None
    consent_version: str | None = None
    kpj_number: str | None = None
    central_status: str | None = None
    duplicate_of: str | None = None
    visits: list[RecoveredVisit] = Field(default_factory=list)


class RecoverResponse(_Model):
    """A page of the officer's own records: ask again with `cursor` while `more`."""

    records: list[RecoveredRecord]
    cursor: int = Field(description="Give it back as `after` for the next page.")
    more: bool


class RecoveredItem(_Model):
    """A group, event, membership or attendance the officer's devices pushed, as stored."""

    kind: Literal["group", "membership", "event", "attendance"]
    id: str = Field(max_length=64)
    version: int
    content_hash: str
    data: dict[str, Any]


class GroupsRecoverResponse(_Model):
    """The officer's groups and events first, then memberships and attendance (recovery)."""

    items: list[RecoveredItem]
