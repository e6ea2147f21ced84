"""The QR payload of an enrollment slip: compact, versioned, signed with the device's Ed25519 key.

Text form: `BPU1:` followed by Crockford base32 of the binary body, all inside the QR alphanumeric
set, so a slip fits a version 7 QR code at error correction M (version 8 for long officer ids).

Body of version 1 (big-endian), 96 bytes plus the officer id:

    16  record id (UUID bytes)
     8  device key id (sha256 of the raw public key, first 8 bytes)
     2  issue date, days since 2000-01-01
     1  flags: bits 0-1 payment period (0: 1, 1: 3, 2: 6, 3: 12 months), bit 2 JHT, others 0
     4  monthly contribution, whole rupiah (first month, discounts applied)
     1  officer id length n (1..64), then n bytes of UTF-8
    64  Ed25519 signature of b"BPU1:" + everything above

The reference code printed on the slip (`K7QX-2M9A`) is the first 40 bits of the record id in
Crockford base32, so it travels inside the record id. No NIK, phone or name is ever in a payload.
"""

from __future__ import annotations

import datetime as dt
import struct
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from outreach_tui.domain import contributions
from outreach_tui.domain.codes import PAYMENT_PERIODS
from outreach_tui.slips import codec
from outreach_tui.slips.signing import MAX_OFFICER_ID, SIGNATURE_BYTES, KnownKey

PREFIX = "BPU1:"
FAMILY = "BPU"
FORMAT_VERSION = 1
SLIP_STATUSES: tuple[str, ...] = ("enrolled", "active")
EPOCH = dt.date(2000, 1, 1)
MAX_TEXT = 1000  # anything longer is not a slip; refuse before decoding

_HEAD = struct.Struct(">16s8sHBI")
_JHT = 0b100
_RESERVED = 0b11111000
_MIN_BODY = _HEAD.size + 1 + 1 + SIGNATURE_BYTES


class SlipError(Exception):
    """A slip that cannot be made; `key` names the translated message, `params` fill it."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class PayloadError(ValueError):
    """A text that is not a well-formed slip payload; `reason` is a `slip.reason.*` code."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Signer(Protocol):
    """What signs a payload: the device key (its id travels in the payload)."""

    @property
    def key_id(self) -> str:
        """Hex key id of the signing key."""
        ...

    def sign(self, message: bytes) -> bytes:
        """An Ed25519 signature of `message`."""
        ...


@dataclass(frozen=True, slots=True)
class SlipPayload:
    """The fields a slip's QR code carries, as parsed (signature not yet checked)."""

    record_id: str
    key_id: str
    issued: dt.date
    payment_period: int
    programs: str
    monthly_contribution: int
    officer_id: str
    signature: bytes
    signed: bytes
    text: str

    @property
    def reference(self) -> str:
        """The human reference code printed on the slip (`K7QX-2M9A`)."""
        return reference_code(self.record_id)

    def fields(self) -> dict[str, Any]:
        """The fields as JSON-friendly values (what the commands and the API show)."""
        return {
            "version": FORMAT_VERSION,
            "reference": self.reference,
            "record_id": self.record_id,
            "officer_id": self.officer_id,
            "key_id": self.key_id,
            "issued": self.issued.isoformat(),
            "programs": self.programs,
            "monthly_contribution": self.monthly_contribution,
            "payment_period": self.payment_period,
        }


@dataclass(frozen=True, slots=True)
class Verification:
    """The answer for one payload: valid or not, why, what it says, and who signed it."""

    valid: bool
    reason_code: str
    payload: SlipPayload | None = None
    signer: KnownKey | None = None


def reference_code(record_id: str) -> str:
    """8 Crockford base32 characters from the first 40 bits of the record id, grouped 4-4."""
    code = codec.encode(uuid.UUID(str(record_id)).bytes[:5])
    return f"{code[:4]}-{code[4:]}"


def _period_index(period: int) -> int:
    return PAYMENT_PERIODS.index(period)


def encode_payload(
    *,
    record_id: str,
    key_id: str,
    issued: dt.date,
    payment_period: int,
    programs: str,
    monthly_contribution: int,
    officer_id: str,
) -> bytes:
    """The unsigned body of a version 1 payload (what gets signed, after the prefix)."""
    officer = officer_id.encode("utf-8")
    if not 1 <= len(officer) <= MAX_OFFICER_ID:
        raise SlipError("slip.officer_id_length", max=MAX_OFFICER_ID)
    if payment_period not in PAYMENT_PERIODS:
        raise SlipError("slip.record_incomplete", field="payment_period")
    flags = _period_index(payment_period) | (_JHT if "JHT" in programs.split(",") else 0)
    days = (issued - EPOCH).days
    if not 0 <= days < 1 << 16 or not 0 <= monthly_contribution < 1 << 32:
        raise SlipError("slip.record_incomplete", field="issued")
    head = _HEAD.pack(
        uuid.UUID(str(record_id)).bytes,
        bytes.fromhex(key_id),
        days,
        flags,
        monthly_contribution,
    )
    return head + bytes([len(officer)]) + officer


def sign_payload(body: bytes, signer: Signer) -> str:
    """The payload text for an unsigned body: prefix + base32 of body and signature."""
    signature = signer.sign(PREFIX.encode("ascii") + body)
    return PREFIX + codec.encode(body + signature)


def check_record(record: Mapping[str, Any]) -> None:
    """SlipError unless the record may have a slip: enrolled or active, with what a slip needs."""
    if record.get("status") not in SLIP_STATUSES:
        raise SlipError("slip.status_not_allowed", status=str(record.get("status")))
    for name in ("id", "programs", "payment_period"):
        if not record.get(name):
            raise SlipError("slip.record_incomplete", field=name)


def build_payload(
    record: Mapping[str, Any],
    settings: Any,
    key: Signer,
    *,
    issued: dt.date,
    contribution: contributions.Contribution | None = None,
) -> str:
    """The signed QR payload for an enrolled (or active) record, issued on `issued`.

    `contribution` saves working it out again when the caller already has it.
    """
    check_record(record)
    officer_id = str(getattr(settings, "officer_id", "") or "").strip()
    if not officer_id:
        raise SlipError("slip.not_set_up")
    if contribution is None:
        contribution = calculate(record, issued)
    body = encode_payload(
        record_id=str(record["id"]),
        key_id=key.key_id,
        issued=issued,
        payment_period=int(record["payment_period"]),
        programs=str(record["programs"]),
        monthly_contribution=contribution.monthly_total,
        officer_id=officer_id,
    )
    return sign_payload(body, key)


def calculate(record: Mapping[str, Any], issued: dt.date) -> contributions.Contribution:
    """The record's contribution for a payment made on the issue date (rates.toml)."""
    try:
        return contributions.calculate(
            record.get("monthly_income"),
            str(record.get("programs") or ""),
            int(record.get("payment_period") or 0),
            record.get("occupation"),
            on=issued,
        )
    except (LookupError, ValueError) as exc:
        raise SlipError("slip.no_rates", date=issued.isoformat()) from exc


def parse_payload(text: str) -> SlipPayload:
    """The fields of a payload text; PayloadError names what is wrong (signature unchecked)."""
    if not isinstance(text, str):
        raise PayloadError("empty")
    text = text.strip()
    if not text:
        raise PayloadError("empty")
    if len(text) > MAX_TEXT:
        raise PayloadError("length")
    if not text.startswith(PREFIX):
        head = text[: len(FAMILY) + 2]
        if head.startswith(FAMILY) and head[len(FAMILY) : len(FAMILY) + 1].isdigit():
            raise PayloadError("version")
        raise PayloadError("prefix")
    try:
        data = codec.decode(text[len(PREFIX) :])
    except codec.CodecError as exc:
        raise PayloadError(exc.reason) from exc
    if len(data) < _MIN_BODY:
        raise PayloadError("length")
    body, signature = data[:-SIGNATURE_BYTES], data[-SIGNATURE_BYTES:]
    record, key, days, flags, amount = _HEAD.unpack_from(body)
    size = body[_HEAD.size]
    officer_bytes = body[_HEAD.size + 1 :]
    if len(officer_bytes) != size or not 1 <= size <= MAX_OFFICER_ID:
        raise PayloadError("length")
    if flags & _RESERVED:
        raise PayloadError("field")
    try:
        officer_id = officer_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PayloadError("field") from exc
    return SlipPayload(
        record_id=str(uuid.UUID(bytes=record)),
        key_id=key.hex(),
        issued=EPOCH + dt.timedelta(days=days),
        payment_period=PAYMENT_PERIODS[flags & 0b11],
        programs="JKK,JKM,JHT" if flags & _JHT else "JKK,JKM",
        monthly_contribution=amount,
        officer_id=officer_id,
        signature=signature,
        signed=PREFIX.encode("ascii") + body,
        text=text,
    )


def verify_payload(text: str, keyring: Mapping[str, KnownKey]) -> Verification:
    """Parse and check a payload against the known keys; never raises for bad input."""
    try:
        payload = parse_payload(text)
    except PayloadError as exc:
        return Verification(False, exc.reason)
    signer = keyring.get(payload.key_id)
    if signer is None or signer.key_id != payload.key_id:
        return Verification(False, "unknown_key", payload)
    if not signer.verify(payload.signature, payload.signed):
        return Verification(False, "signature", payload, signer)
    if signer.revoked:
        return Verification(False, "key_revoked", payload, signer)
    if signer.officer_id is not None and signer.officer_id != payload.officer_id:
        return Verification(False, "officer_mismatch", payload, signer)
    return Verification(True, "ok", payload, signer)
