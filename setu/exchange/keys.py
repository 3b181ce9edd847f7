"""The node's Ed25519 signing keys, kept in files outside the database (SETU_NODE_KEY_DIR).

Each key is a PKCS#8 PEM file `<kid>.pem` (mode 0600) with its state in `keys.json`: the current key signs;
a new key starts as next (published to the peers, not yet signing) and becomes current when activated, once
the peers have registered it, so no message is ever signed with a key a peer does not know; earlier keys
stay for verification until retired; a retired key is kept (so a message it signed can still be shown as
such) but no longer verifies. The key id (`kid`) is the key's RFC 7638 JWK thumbprint, so both
nodes derive the same id from the public key alone. `setu node init|show|rotate|retire` manage them
(docs/operations.md, "Keys and their rotation").
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

STATE_FILE = "keys.json"
# A key id is base64url and may start with "-", which a command line reads as an option: hence the "--".
KID_HELP = "the key id (as `setu node show` prints it); put -- before one that starts with -, e.g. -- -AbC..."


class NodeKeyError(Exception):
    """The key directory is missing, inconsistent, or the request makes no sense (e.g. init twice)."""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def public_jwk(public_key: Ed25519PublicKey) -> dict[str, str]:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw)}


def thumbprint(jwk: dict[str, str]) -> str:
    """RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace."""
    canonical = json.dumps({k: jwk[k] for k in ("crv", "kty", "x")}, separators=(",", ":"), sort_keys=True)
    return _b64url(hashlib.sha256(canonical.encode("ascii")).digest())


@dataclass(frozen=True)
class KeyInfo:
    kid: str
    state: str  # next | current | previous | retired
    created_at: str
    jwk: dict[str, str]


class NodeKeys:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    # --- reading ---------------------------------------------------------------------------------------------

    def _state(self) -> dict:
        path = self.directory / STATE_FILE
        if not path.exists():
            raise NodeKeyError(f"No node key in {self.directory}: run `setu node init` first.")
        return json.loads(path.read_text(encoding="utf-8"))

    def _private(self, kid: str) -> Ed25519PrivateKey:
        path = self.directory / f"{kid}.pem"
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (OSError, ValueError) as exc:
            raise NodeKeyError(f"The key file {path} cannot be read: {exc}") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise NodeKeyError(f"{path} is not an Ed25519 key.")
        if thumbprint(public_jwk(key.public_key())) != kid:
            raise NodeKeyError(f"{path} does not hold the key its name says.")
        return key

    def listing(self) -> list[KeyInfo]:
        state = self._state()
        return [
            KeyInfo(kid=item["kid"], state=item["state"], created_at=item["created_at"],
                    jwk=public_jwk(self._private(item["kid"]).public_key()))
            for item in state["keys"]
        ]  # fmt: skip

    def published(self, node: str) -> dict:
        """The public key set a peer registers (`setu node show --json`): every key that still verifies."""
        keys = [{**info.jwk, "kid": info.kid, "use": "sig", "alg": "Ed25519"} for info in self.listing()
                if info.state != "retired"]  # fmt: skip
        return {"node": node, "keys": keys}

    def current(self) -> tuple[str, Ed25519PrivateKey]:
        """(kid, private key) of the key that signs."""
        state = self._state()
        kid = next(item["kid"] for item in state["keys"] if item["state"] == "current")
        return kid, self._private(kid)

    def verifying(self) -> dict[str, Ed25519PublicKey]:
        """The public keys that still verify (next, current and previous), by kid."""
        return {
            item["kid"]: self._private(item["kid"]).public_key()
            for item in self._state()["keys"]
            if item["state"] in ("next", "current", "previous")
        }

    # --- changing --------------------------------------------------------------------------------------------

    def _write_state(self, state: dict) -> None:
        tmp = self.directory / f"{STATE_FILE}.tmp"
        tmp.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, self.directory / STATE_FILE)

    def _new_key(self) -> str:
        key = Ed25519PrivateKey.generate()
        kid = thumbprint(public_jwk(key.public_key()))
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path = self.directory / f"{kid}.pem"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        return kid

    def init(self) -> str:
        """Create the directory (0700) and the first key. Refused when a key already exists."""
        if (self.directory / STATE_FILE).exists():
            raise NodeKeyError(f"{self.directory} already holds this node's keys; use `setu node rotate`.")
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        kid = self._new_key()
        self._write_state({"keys": [{"kid": kid, "state": "current", "created_at": _now()}]})
        return kid

    def rotate(self) -> str:
        """A new key, published but not yet signing (`next`): give it to the peers, then `activate` it."""
        state = self._state()
        if any(item["state"] == "next" for item in state["keys"]):
            raise NodeKeyError("A new key is already waiting: activate it (or retire it) before making another.")
        kid = self._new_key()
        state["keys"].append({"kid": kid, "state": "next", "created_at": _now()})
        self._write_state(state)
        return kid

    def activate(self, kid: str) -> None:
        """The next key signs from now on; the key that signed until now still verifies until retired."""
        state = self._state()
        item = next((item for item in state["keys"] if item["kid"] == kid), None)
        if item is None or item["state"] != "next":
            raise NodeKeyError(f"'{kid}' is not a new key waiting to be activated (`setu node show`).")
        for other in state["keys"]:
            if other["state"] == "current":
                other["state"] = "previous"
        item["state"] = "current"
        self._write_state(state)

    def retire(self, kid: str) -> None:
        """Stop verifying with an earlier key (after the peers have the new one). The current key cannot be."""
        state = self._state()
        item = next((item for item in state["keys"] if item["kid"] == kid), None)
        if item is None:
            raise NodeKeyError(f"No key '{kid}' on this node.")
        if item["state"] == "current":
            raise NodeKeyError("The current key cannot be retired: rotate and activate a new key first.")
        item["state"] = "retired"
        self._write_state(state)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def node_keys() -> NodeKeys:
    from django.conf import settings

    return NodeKeys(settings.SETU_NODE_KEY_DIR)
