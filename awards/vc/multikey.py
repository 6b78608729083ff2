"""Ed25519 keys as Multikey strings (multibase base58btc of the multicodec-prefixed key bytes)."""

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

ED25519_PUB = b"\xed\x01"
ED25519_PRIV = b"\x80\x26"
# Keys (34 bytes) and signatures (64 bytes) are under 90 characters; base58 decoding is quadratic in the length
# (100 KB took 13 s), so anything longer is refused before it is decoded.
MAX_ENCODED_LENGTH = 128


class InvalidMultikey(ValueError):
    pass


def encode_base58btc(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode()


def decode_base58btc(value: str) -> bytes:
    if not isinstance(value, str) or len(value) > MAX_ENCODED_LENGTH:
        raise InvalidMultikey(f"A multibase key or signature is a string of at most {MAX_ENCODED_LENGTH} characters.")
    if not value.startswith("z"):
        raise InvalidMultikey("Only base58btc multibase values (starting with “z”) are supported.")
    try:
        return base58.b58decode(value[1:])
    except ValueError as error:
        raise InvalidMultikey(str(error)) from error


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    return encode_base58btc(ED25519_PUB + public_key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    raw = decode_base58btc(value)
    if not raw.startswith(ED25519_PUB) or len(raw) != 34:
        raise InvalidMultikey("Not an Ed25519 public key (multicodec 0xed01, 32 bytes).")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def private_key_multibase(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return encode_base58btc(ED25519_PRIV + raw)


def private_key_from_multibase(value: str) -> Ed25519PrivateKey:
    raw = decode_base58btc(value)
    if not raw.startswith(ED25519_PRIV) or len(raw) != 34:
        raise InvalidMultikey("Not an Ed25519 private key (multicodec 0x8026, 32 bytes).")
    return Ed25519PrivateKey.from_private_bytes(raw[2:])
