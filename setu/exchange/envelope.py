"""The signed envelope of every exchange message and receipt (docs/exchange.md).

A message is a JWS in compact form (RFC 7515) signed with the sending node's Ed25519 key. The algorithm is
named "Ed25519", the fully specified name RFC 9864 gives EdDSA over Ed25519 (the older polymorphic
"EdDSA" is deprecated there); nothing else is accepted. The protected header carries `kid` (the RFC 7638
thumbprint of the signing key) and `typ`, which tells a message from a receipt so that one can never be
passed off as the other. The signature covers the exact payload bytes: no canonicalisation is needed.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from setu.exchange.keys import NodeKeys

ALG = "Ed25519"
MESSAGE_TYP = "setu-message+jws"
RECEIPT_TYP = "setu-receipt+jws"
# Clocks of the two nodes may differ by this much (a message may seem to come from a few minutes ahead).
CLOCK_SKEW = dt.timedelta(minutes=5)
MAX_TOKEN_BYTES = 512 * 1024


class EnvelopeError(Exception):
    """The token is not an authentic, well-formed message: refused before any effect.

    `status` is the HTTP status the inbox answers with (4xx: the sender must not send it again as it is;
    425: it may, later).
    """

    def __init__(self, reason: str, status: int = 400, *, peer: str = "", message_id: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.peer = peer  # for the security event, when the signature told us who sent it
        self.message_id = message_id


def isoformat(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_time(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError("not a timestamp")
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("a timestamp needs its UTC offset")
    return parsed


@dataclass(frozen=True)
class Signer:
    """This node's current signing key, ready for joserfc."""

    kid: str
    key: OKPKey

    @classmethod
    def from_keys(cls, keys: NodeKeys) -> Signer:
        kid, private = keys.current()
        return cls(kid=kid, key=_okp(private))

    def sign(self, claims: dict, typ: str) -> str:
        payload = json.dumps(claims, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
        header = {"alg": ALG, "kid": self.kid, "typ": typ}
        return jws.serialize_compact(header, payload, self.key, algorithms=[ALG])


def _okp(private: Ed25519PrivateKey) -> OKPKey:
    from cryptography.hazmat.primitives import serialization

    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return OKPKey.import_key(pem)


def public_key(x: str) -> OKPKey:
    return OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": x})


def unverified_header(token: str) -> dict:
    """The protected header, read only to find the key that must verify the token."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_BYTES:
        raise EnvelopeError("The message is not a JWS compact serialisation (or is too large).")
    parts = token.split(".")
    if len(parts) != 3:
        raise EnvelopeError("The message is not a JWS compact serialisation.")
    try:
        header = json.loads(_b64decode(parts[0]))
    except (ValueError, UnicodeDecodeError) as exc:
        raise EnvelopeError("The message's header is not base64url JSON.") from exc
    if not isinstance(header, dict) or header.get("alg") != ALG or not isinstance(header.get("kid"), str):
        raise EnvelopeError(f"The header must name alg {ALG} and the signing key's kid.")
    return header


def verified_claims(token: str, key: OKPKey, typ: str) -> dict:
    """The claims of a token whose signature `key` verifies and whose `typ` is the one expected."""
    try:
        signed = jws.deserialize_compact(token, key, algorithms=[ALG])
    except (JoseError, ValueError) as exc:
        raise EnvelopeError("The signature does not verify.", status=401) from exc
    if signed.headers().get("typ") != typ:
        raise EnvelopeError(f"The header's typ must be {typ}.")
    try:
        claims = json.loads(signed.payload)
    except ValueError as exc:
        raise EnvelopeError("The payload is not JSON.") from exc
    if not isinstance(claims, dict):
        raise EnvelopeError("The payload is not a JSON object.")
    return claims


def stored_claims(token: str) -> dict:
    """The claims of a token this node stored: verified when it arrived, or signed here. Never for a token
    that has not been verified (`verified_claims`)."""
    return json.loads(_b64decode(token.split(".")[1]))


def new_message_id() -> uuid.UUID:
    """A UUIDv7 (RFC 9562): unique, and sortable by the time it was made."""
    from uuid6 import uuid7

    return uuid.UUID(str(uuid7()))


def _b64decode(text: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
