"""The signed QR payload: compact, parsed back exactly, and every tampering rejected."""

from __future__ import annotations

import datetime as dt
import re
import struct

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from outreach_tui.config import Paths, Settings
from outreach_tui.slips import codec, qr
from outreach_tui.slips.keyring import load_keyring
from outreach_tui.slips.keys import DeviceKey
from outreach_tui.slips.payload import (
    PREFIX,
    PayloadError,
    SlipError,
    build_payload,
    encode_payload,
    parse_payload,
    reference_code,
    sign_payload,
    verify_payload,
)
from outreach_tui.slips.signing import KnownKey, encode_public_key, key_id_for

from .conftest import FULL_NIK, ISSUED, OFFICER, PHONE_FORMS, RECORD_ID, person

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@given(st.binary(max_size=200))
def test_codec_round_trip(data: bytes) -> None:
    text = codec.encode(data)
    assert set(text) <= set(CROCKFORD)
    assert codec.decode(text) == data


def test_codec_refuses_non_canonical_text() -> None:
    text = codec.encode(b"\x01\x02\x03")  # 24 bits in 5 characters: 1 spare bit, zero
    last = CROCKFORD.index(text[-1])
    with pytest.raises(codec.CodecError) as caught:
        codec.decode(text[:-1] + CROCKFORD[last | 1])
    assert caught.value.reason == "encoding"
    for bad in ("O", "I", "L", "U", "a", " ", "-"):
        with pytest.raises(codec.CodecError):
            codec.decode(text[:-1] + bad)


def test_reference_code_is_eight_crockford_characters_grouped() -> None:
    code = reference_code(RECORD_ID)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
    assert code == reference_code(RECORD_ID.upper())


def test_payload_round_trip(device_key: DeviceKey) -> None:
    text = build_payload(person(), OFFICER, device_key, issued=ISSUED)
    assert text.startswith(PREFIX)
    parsed = parse_payload(text)
    assert parsed.record_id == RECORD_ID
    assert parsed.officer_id == OFFICER.officer_id
    assert parsed.key_id == device_key.key_id
    assert parsed.issued == ISSUED
    assert parsed.programs == "JKK,JKM,JHT"
    assert parsed.payment_period == 3
    # 2.5M income: JKK 25,000 + JKM 6,800 halved (transport discount) + JHT 50,000.
    assert parsed.monthly_contribution == 12_500 + 3_400 + 50_000
    assert parsed.reference == reference_code(RECORD_ID)
    assert parsed.fields()["issued"] == "2026-11-23"


@pytest.mark.parametrize("period", [1, 3, 6, 12])
@pytest.mark.parametrize("programs", ["JKK,JKM", "JKK,JKM,JHT"])
def test_every_period_and_program_choice_survives(
    device_key: DeviceKey, period: int, programs: str
) -> None:
    record = person(payment_period=period, programs=programs)
    parsed = parse_payload(build_payload(record, OFFICER, device_key, issued=ISSUED))
    assert (parsed.payment_period, parsed.programs) == (period, programs)


def test_payload_is_small_enough_for_a_58mm_receipt(device_key: DeviceKey) -> None:
    text = build_payload(person(), OFFICER, device_key, issued=ISSUED)
    assert len(text) <= 178  # version 7-M alphanumeric capacity
    matrix = qr.encode(text)
    assert matrix.version == 7
    # At 0.75 mm a module (6 dots at 203 dpi) the code with its quiet zone is under 40 mm:
    # inside the 48 mm a 58 mm printer prints.
    assert (matrix.size + 2 * qr.QUIET_ZONE) * 0.75 <= 40
    for length in (12, 39):
        officer = Settings(officer_id="P" * length, officer_name="x", branch="KC")
        longer = build_payload(person(), officer, device_key, issued=ISSUED)
        assert qr.encode(longer).version <= (7 if length <= 12 else 8)


def test_payload_never_carries_the_nik_phone_or_name(device_key: DeviceKey) -> None:
    text = build_payload(person(), OFFICER, device_key, issued=ISSUED)
    raw = codec.decode(text[len(PREFIX) :])
    for secret in (FULL_NIK, *PHONE_FORMS):
        assert secret not in text
        assert secret.encode() not in raw
    assert int(FULL_NIK).to_bytes(7, "big") not in raw
    assert "Ñoño".encode() not in raw


def test_only_enrolled_or_active_records_get_a_payload(device_key: DeviceKey) -> None:
    record = person(status="interested")
    with pytest.raises(SlipError) as caught:
        build_payload(record, OFFICER, device_key, issued=ISSUED)
    assert caught.value.key == "slip.status_not_allowed"
    with pytest.raises(SlipError) as caught:
        build_payload(person(), Settings(), device_key, issued=ISSUED)
    assert caught.value.key == "slip.not_set_up"


def test_valid_with_own_key(paths: Paths, device_key: DeviceKey) -> None:
    text = build_payload(person(), OFFICER, device_key, issued=ISSUED)
    result = verify_payload(text, load_keyring(paths))
    assert result.valid and result.reason_code == "ok"
    assert result.signer is not None and result.signer.source == "self"
    assert result.payload is not None and result.payload.record_id == RECORD_ID


def test_every_single_character_change_is_rejected(paths: Paths, device_key: DeviceKey) -> None:
    text = build_payload(person(), OFFICER, device_key, issued=ISSUED)
    keyring = load_keyring(paths)
    for index in range(len(PREFIX), len(text)):
        for replacement in (CROCKFORD[(CROCKFORD.index(text[index]) + 1) % 32], "0", "Z"):
            if replacement == text[index]:
                continue
            tampered = text[:index] + replacement + text[index + 1 :]
            result = verify_payload(tampered, keyring)
            assert not result.valid, (index, replacement, result)
    for cut in (1, 2, 13, 64):
        assert not verify_payload(text[:-cut], keyring).valid
    assert not verify_payload(text + "0", keyring).valid


def test_a_changed_field_without_a_new_signature_is_rejected(
    paths: Paths, device_key: DeviceKey
) -> None:
    text = build_payload(person(), OFFICER, device_key, issued=ISSUED)
    parsed = parse_payload(text)
    body = bytearray(parsed.signed[len(PREFIX) :])
    struct.pack_into(">I", body, 27, 1_000)  # a much smaller monthly contribution
    forged = PREFIX + codec.encode(bytes(body) + parsed.signature)
    assert parse_payload(forged).monthly_contribution == 1_000
    result = verify_payload(forged, load_keyring(paths))
    assert (result.valid, result.reason_code) == (False, "signature")


def test_a_slip_signed_by_an_unknown_key_is_rejected(paths: Paths, device_key: DeviceKey) -> None:
    stranger = Ed25519PrivateKey.generate()
    raw = stranger.public_key().public_bytes_raw()
    body = encode_payload(
        record_id=RECORD_ID,
        key_id=key_id_for(raw),
        issued=ISSUED,
        payment_period=1,
        programs="JKK,JKM",
        monthly_contribution=16_800,
        officer_id="P-9",
    )

    class Signer:
        key_id = key_id_for(raw)

        def sign(self, message: bytes) -> bytes:
            return stranger.sign(message)

    text = sign_payload(body, Signer())
    result = verify_payload(text, load_keyring(paths))
    assert (result.valid, result.reason_code) == (False, "unknown_key")
    known = KnownKey(key_id_for(raw), encode_public_key(raw), officer_id="P-9", branch="KC-X")
    assert verify_payload(text, {known.key_id: known}).valid


def test_a_key_that_signs_for_another_officer_or_was_revoked(device_key: DeviceKey) -> None:
    text = build_payload(person(), OFFICER, device_key, issued=ISSUED)
    other = KnownKey(device_key.key_id, device_key.public_key_b64(), officer_id="P-OTHER")
    assert verify_payload(text, {other.key_id: other}).reason_code == "officer_mismatch"
    revoked = KnownKey(device_key.key_id, device_key.public_key_b64(), revoked=True)
    assert verify_payload(text, {revoked.key_id: revoked}).reason_code == "key_revoked"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("https://example.org", "prefix"),
        ("BPU2:ABCDEF", "version"),
        ("BPU1:abc", "characters"),
        ("BPU1:OOOO", "characters"),
        ("BPU1:" + "0" * 40, "length"),
        ("BPU1:" + "Z" * 2000, "length"),
    ],
)
def test_malformed_payloads_name_their_problem(text: str, reason: str) -> None:
    result = verify_payload(text, {})
    assert (result.valid, result.reason_code) == (False, reason)
    with pytest.raises(PayloadError):
        parse_payload(text)


def test_reserved_flag_bits_are_refused(device_key: DeviceKey) -> None:
    body = bytearray(
        encode_payload(
            record_id=RECORD_ID,
            key_id=device_key.key_id,
            issued=dt.date(2026, 1, 2),
            payment_period=1,
            programs="JKK,JKM",
            monthly_contribution=16_800,
            officer_id="P-1",
        )
    )
    body[26] |= 0b1000_0000
    text = sign_payload(bytes(body), device_key)
    assert verify_payload(text, {}).reason_code == "field"
