"""W3C Bitstring Status List v1.0 bitstrings: GZIP-compressed, multibase base64url, index 0 left-most."""

import base64
import gzip
import zlib

MAX_DECODED_BYTES = 16 * 1024 * 1024  # 134 million entries: far beyond any real list, far below a gzip bomb


def encode(indexes, size: int) -> str:
    """The encoded list of ``size`` bits with the bits at ``indexes`` set."""
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode().rstrip("=")


def decode(encoded: str, max_bytes: int = MAX_DECODED_BYTES) -> bytes:
    """The raw bitstring; ValueError for anything malformed or expanding beyond ``max_bytes``."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise ValueError("The encoded list must be multibase base64url (starting with “u”).")
    payload = encoded[1:]
    try:
        compressed = base64.b64decode(payload + "=" * (-len(payload) % 4), altchars=b"-_", validate=True)
        decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip framing
        bits = decompressor.decompress(compressed, max_bytes)
    except (ValueError, zlib.error) as error:
        raise ValueError("The encoded list is not valid base64url GZIP data.") from error
    if decompressor.unconsumed_tail:
        raise ValueError(f"The status list expands beyond {max_bytes} bytes.")
    if not decompressor.eof:
        raise ValueError("The encoded list is truncated.")
    return bits


def is_set(bitstring: bytes, index: int) -> bool:
    if index < 0 or index >= len(bitstring) * 8:
        raise ValueError(f"Index {index} is outside the status list.")
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))
