"""The unit of the outbox, shared by sync (which sends it) and the store (which fills it)."""

from __future__ import annotations

import gzip
import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

_text = json.JSONEncoder(ensure_ascii=False).encode  # one JSON string literal
_null = "null"
# canonical_json's encoder, made once (json.dumps builds a new one per call);
# tests/sync/test_client_batches.py holds the two to the same bytes.
_canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def _presorted_encoder() -> Callable[[Any], str]:
    """``_canonical`` for a dict whose keys are already in sorted order (no sorting, and json's
    C encoder made once instead of on every call)."""
    plain = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator: sort as usual
        return _canonical
    chunks = make(
        None, plain.default, json.encoder.encode_basestring, None, ":", ",", False, False, True
    )
    return lambda value: "".join(chunks(value, 0))


_presorted = _presorted_encoder()

# The item id of a membership (group, record) or an attendance (event, record): the same pair
# is the same item on every laptop, so a replay from anywhere is a `duplicate`.
_PAIR_NAMESPACE = uuid.UUID("5f0c6c3e-7a4e-4b61-9d0b-2f6d1a0e4b14")


def pair_id(first: str, second: str) -> str:
    """The item id of a membership (group id, record id) or an attendance (event id, record id)."""
    return str(uuid.uuid5(_PAIR_NAMESPACE, f"{first}/{second}"))


# A record's consent proof on the wire: optional item fields next to `data` (sync/protocol.py).
CONSENT_WIRE_FIELDS: tuple[str, str, str] = ("consent_at", "consent_by", "consent_version")


@dataclass(frozen=True)
class OutboxItem:
    """One change waiting to be sent, with the change-log position it covers.

    ``data_json``, when given, is ``canonical_json(data)`` as text: the bytes the content
    hash was taken of, put into the push body as they are instead of encoding ``data`` again.

    ``consent``: a record's consent proof (consent_at, consent_by, consent_version), sent next
    to ``data`` (not hashed: the proof is a record fact, not versioned content); None sends
    no proof fields, as older laptops did (``of`` makes an all-None proof None).
    """

    seq: int
    kind: str
    id: str
    version: int
    base_version: int | None
    content_hash: str
    data: dict[str, Any]
    data_json: str | None = field(default=None, compare=False, repr=False)
    consent: tuple[str | None, str | None, str | None] | None = field(
        default=None, compare=False, repr=False
    )

    @classmethod
    def of(
        cls,
        seq: int,
        kind: str,
        item_id: str,
        version: int,
        base: int | None,
        data: dict[str, Any],
        *,
        presorted: bool = False,
        consent: tuple[str | None, str | None, str | None] | None = None,
    ) -> OutboxItem:
        """An item whose hash and wire text come from one encoding of ``data``.

        The same bytes as ``sync.protocol.canonical_json(data)``, which the server hashes.
        ``presorted``: the caller built ``data`` with its keys in sorted order (and no
        nested dicts), so the encoding need not sort them.
        """
        raw = (_presorted(data) if presorted else _canonical(data)).encode()
        digest = hashlib.sha256(raw).hexdigest()
        if consent is not None and not any(consent):
            consent = None
        return cls(seq, kind, item_id, version, base, digest, data, raw.decode(), consent)

    def wire(self) -> dict[str, Any]:
        """The item as the push body carries it."""
        wire = {
            "kind": self.kind,
            "id": self.id,
            "version": self.version,
            "base_version": self.base_version,
            "content_hash": self.content_hash,
            "data": self.data,
        }
        if self.consent is not None:
            wire.update(zip(CONSENT_WIRE_FIELDS, self.consent, strict=True))
        return wire

    def wire_json(self) -> str:
        """``wire()`` as compact JSON text (the frozen ``data_json`` reused when present)."""
        if self.data_json is None:
            return json.dumps(self.wire(), ensure_ascii=False, separators=(",", ":"))
        base = "null" if self.base_version is None else str(int(self.base_version))
        proof = ""
        if self.consent is not None:  # `of` keeps None for no proof
            at, by, text = (_null if value is None else _text(value) for value in self.consent)
            proof = f',"consent_at":{at},"consent_by":{by},"consent_version":{text}'
        return (
            f'{{"kind":{_text(self.kind)},"id":{_text(self.id)},"version":{int(self.version)},'
            f'"base_version":{base},"content_hash":{_text(self.content_hash)},'
            f'"data":{self.data_json}{proof}}}'
        )


# The push body around its items: {"protocol":N,"batch_id":"<uuid>","items":[...]}.
ENVELOPE_BYTES = 128


@dataclass
class Batch:
    """One push body, ready to send: its items, the checkpoint it reaches, the gzipped JSON."""

    items: list[OutboxItem]
    upto: int
    payload: bytes
    raw_bytes: int

    @classmethod
    def pack(
        cls,
        items: Sequence[OutboxItem],
        upto: int,
        max_bytes: int,
        protocol: int,
        gzip_level: int,
    ) -> Batch:
        """Items up to ``max_bytes`` of JSON, whole change-log positions only; ``upto`` cut
        to match. The body is the items' JSON texts joined, then gzipped."""
        size = ENVELOPE_BYTES
        texts: list[str] = []
        kept = list(items)
        for n, item in enumerate(items):
            text = item.wire_json()
            item_bytes = len(text.encode()) + 1
            if n and size + item_bytes > max_bytes and item.seq > items[0].seq:
                # Items of one position stay together: end before the first of this position.
                upto = item.seq - 1
                keep = sum(1 for i in items[:n] if i.seq <= upto)
                kept, texts = kept[:keep], texts[:keep]
                break
            texts.append(text)
            size += item_bytes
        if not kept:
            return cls([], upto, b"", 0)
        raw = (
            f'{{"protocol":{int(protocol)},"batch_id":"{uuid.uuid4()}",'
            f'"items":[{",".join(texts)}]}}'
        ).encode()
        return cls(kept, upto, gzip.compress(raw, compresslevel=gzip_level), len(raw))

    def overlaps(self, other: Batch) -> bool:
        """True if both batches carry an item of the same record or visit."""
        mine = {(i.kind, i.id) for i in self.items}
        return any((i.kind, i.id) in mine for i in other.items)
