"""Encryption at rest of the sensitive fields of cases (testimony, health, details of sexual exploitation).

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) under keys from the environment, never the
database: SETU_FIELD_KEYS="id:key,id:key", the first key encrypts and every listed key decrypts. Each
ciphertext is stored with its key id, so `setu fieldkeys rotate` re-encrypts what an older key holds and the
old key can then be removed (docs/operations.md, "Key rotation"). Outside production, with no keys set, one
key is derived from SECRET_KEY so the demo and tests run without set-up.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ID_LENGTH = 16


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: dict[str, Fernet]

    def encrypt(self, plaintext: str) -> tuple[bytes, str]:
        return self.keys[self.current_id].encrypt(plaintext.encode("utf-8")), self.current_id

    def decrypt(self, ciphertext: bytes, key_id: str) -> str:
        key = self.keys.get(key_id)
        if key is None:
            raise ImproperlyConfigured(
                f"The sensitive-field key '{key_id}' is not in SETU_FIELD_KEYS: add it back, or rotate before "
                "removing a key."
            )
        try:
            return key.decrypt(bytes(ciphertext)).decode("utf-8")
        except InvalidToken as exc:
            raise ImproperlyConfigured(f"The sensitive-field key '{key_id}' does not open this record.") from exc


def generate_key(key_id: str) -> str:
    """A new "id:key" entry for SETU_FIELD_KEYS."""
    _check_id(key_id)
    return f"{key_id}:{Fernet.generate_key().decode('ascii')}"


def _check_id(key_id: str) -> None:
    if not key_id or len(key_id) > KEY_ID_LENGTH or not key_id.replace("-", "").isalnum():
        raise ImproperlyConfigured(
            f"A sensitive-field key id must be 1–{KEY_ID_LENGTH} letters, digits or '-', not {key_id!r}."
        )


def parse(entries: list[str]) -> Keyring:
    keys: dict[str, Fernet] = {}
    for entry in entries:
        key_id, sep, key = entry.partition(":")
        if not sep:
            raise ImproperlyConfigured("SETU_FIELD_KEYS entries are 'id:key' (make one with `setu fieldkeys new`).")
        _check_id(key_id)
        if key_id in keys:
            raise ImproperlyConfigured(f"SETU_FIELD_KEYS names the key '{key_id}' twice.")
        try:
            keys[key_id] = Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError) as exc:
            raise ImproperlyConfigured(f"SETU_FIELD_KEYS: the key '{key_id}' is not a valid Fernet key.") from exc
    if not keys:
        raise ImproperlyConfigured("SETU_FIELD_KEYS is empty.")
    return Keyring(current_id=next(iter(keys)), keys=keys)


def keyring() -> Keyring:
    entries = list(settings.SETU_FIELD_KEYS)
    if not entries:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("SETU_FIELD_KEYS must be set in production.")
        derived = base64.urlsafe_b64encode(hashlib.sha256(f"setu-fields:{settings.SECRET_KEY}".encode()).digest())
        entries = [f"dev:{derived.decode('ascii')}"]
    return parse(entries)
