"""Ed25519 keys as Multikey strings (multibase base58btc of the multicodec-prefixed key bytes), and the P-256
public keys of wallets' did:key identifiers."""

import base58
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

ED25519_PUB = b"\xed\x01"
ED25519_PRIV = b"\x80\x26"
P256_PUB = b"\x80\x24"  # multicodec p256-pub (0x1200) as an unsigned varint
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


def holder_public_key_from_multibase(value: str) -> Ed25519PublicKey | EllipticCurvePublicKey:
    """The key of a holder's did:key: Ed25519 (``z6Mk…``) or P-256 (``zDn…``, a compressed point, 33 bytes)."""
    raw = decode_base58btc(value)
    if raw.startswith(ED25519_PUB):
        return public_key_from_multibase(value)
    if not raw.startswith(P256_PUB) or len(raw) != 35 or raw[2] not in (2, 3):
        raise InvalidMultikey("Not an Ed25519 key nor a compressed P-256 key (multicodec 0xed01 or 0x1200).")
    try:
        return EllipticCurvePublicKey.from_encoded_point(SECP256R1(), raw[2:])
    except ValueError as error:
        raise InvalidMultikey("Not a point of the P-256 curve.") from error


def private_key_multibase(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return encode_base58btc(ED25519_PRIV + raw)


def private_key_from_multibase(value: str) -> Ed25519PrivateKey:
    raw = decode_base58btc(value)
    if not raw.startswith(ED25519_PRIV) or len(raw) != 34:
        raise InvalidMultikey("Not an Ed25519 private key (multicodec 0x8026, 32 bytes).")
    return Ed25519PrivateKey.from_private_bytes(raw[2:])
