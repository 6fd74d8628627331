"""The W3C Bitstring Status List v1.0: one bit per certificate, set when it is revoked.

A list holds at least 131,072 entries (16 KiB, the specification's minimum for herd
privacy: a verifier fetching the list learns nothing about which certificate it checks).
Entry 0 is the most significant bit of the first byte. `encodedList` is the multibase
base64url ("u…", no padding) of the GZIP-compressed bitstring.
"""

from __future__ import annotations

import base64
import gzip
import zlib

MIN_ENTRIES = 131_072


class StatusListError(ValueError):
    """The list is malformed, too short, or the index is outside it."""


def empty(entries: int = MIN_ENTRIES) -> bytearray:
    if entries < MIN_ENTRIES or entries % 8:
        raise StatusListError("A status list needs at least 131,072 entries, a multiple of 8.")
    return bytearray(entries // 8)


def set_bit(bits: bytearray, index: int, value: bool) -> None:
    byte, bit = divmod(index, 8)
    if not 0 <= byte < len(bits):
        raise StatusListError("The index is outside the status list.")
    if value:
        bits[byte] |= 0x80 >> bit
    else:
        bits[byte] &= ~(0x80 >> bit) & 0xFF


def get_bit(bits: bytes, index: int) -> bool:
    byte, bit = divmod(index, 8)
    if not 0 <= byte < len(bits):
        raise StatusListError("The index is outside the status list.")
    return bool(bits[byte] & (0x80 >> bit))


def encode(bits: bytes) -> str:
    """`encodedList`: GZIP with no timestamp, so the same bits always give the same text."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: a GZIP header, mtime 0
    packed = compressor.compress(bytes(bits)) + compressor.flush()
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode()


def decode(encoded: str) -> bytes:
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise StatusListError("encodedList must be multibase base64url (start with u).")
    body = encoded[1:]
    try:
        bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, OSError, EOFError) as error:
        raise StatusListError("encodedList is not a GZIP-compressed bitstring.") from error
    if len(bits) * 8 < MIN_ENTRIES:
        raise StatusListError("The status list is shorter than 131,072 entries.")
    return bits
