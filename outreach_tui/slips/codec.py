"""Crockford base32: the alphabet of slip payloads and reference codes.

Crockford's alphabet (digits and upper-case letters without I, L, O and U) lies inside the QR
alphanumeric set, so a payload encodes in alphanumeric mode (5.5 bits a character instead of 8),
and it survives shells, URLs and being read aloud. Decoding is strict: only canonical text (the
unused low bits of the last character zero) decodes, so every distinct text means distinct bytes
and a changed character can never leave the signed bytes unchanged.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUES = {char: index for index, char in enumerate(ALPHABET)}


class CodecError(ValueError):
    """Text that is not canonical Crockford base32; `reason` is `characters` or `encoding`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def encoded_length(byte_count: int) -> int:
    """How many characters `byte_count` bytes take (5 bits a character, no padding)."""
    return (byte_count * 8 + 4) // 5


def encode(data: bytes) -> str:
    """`data` as Crockford base32 without padding, the last character's spare bits zero."""
    bits = len(data) * 8
    count = encoded_length(len(data))
    number = int.from_bytes(data, "big") << (count * 5 - bits)
    chars = []
    for _ in range(count):
        chars.append(ALPHABET[number & 31])
        number >>= 5
    return "".join(reversed(chars))


def decode(text: str) -> bytes:
    """The bytes of canonical base32 `text` (upper case, no padding); CodecError otherwise."""
    number = 0
    for char in text:
        value = _VALUES.get(char)
        if value is None:
            raise CodecError("characters")
        number = (number << 5) | value
    bits = len(text) * 5
    size = bits // 8
    spare = bits - size * 8
    # A canonical encoding has fewer than 5 spare bits, all of them zero.
    if spare >= 5 or number & ((1 << spare) - 1):
        raise CodecError("encoding")
    return (number >> spare).to_bytes(size, "big")
