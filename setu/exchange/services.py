"""Writes of the exchange app's administration: registering peers and their keys (command line and page),
retiring a key, ending a link's backoff."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from setu.audit.services import audit_record
from setu.exchange.keys import thumbprint
from setu.exchange.models import OutboxMessage, Peer, PeerKey

CLI_ACTOR = "setu-cli"


def _checked_key(jwk: dict) -> tuple[str, str]:
    """(kid, x) of a public Ed25519 JWK; the kid must be its RFC 7638 thumbprint. Private keys are refused."""
    if not isinstance(jwk, dict) or jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise ValidationError("Each key must be an Ed25519 public key in JWK form (kty OKP, crv Ed25519).")
    if "d" in jwk:
        raise ValidationError("This is a private key: give the peer's public key only (`setu node show --json`).")
    x = str(jwk.get("x", ""))
    try:
        raw = base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValidationError("The key's x is not base64url.") from exc
    if len(raw) != 32:
        raise ValidationError("The key's x is not a 32-byte Ed25519 public key.")
    kid = thumbprint({"kty": "OKP", "crv": "Ed25519", "x": x})
    if jwk.get("kid") not in (None, kid):
        raise ValidationError(f"The key id {jwk.get('kid')!r} is not the key's thumbprint ({kid}).")
    return kid, x


def peer_add(*, code: str, base_url: str, keyset: dict, actor=None) -> Peer:
    """Register (or update) a peer node with the public keys it published with `setu node show --json`.

    Keys already known stay as they are (a retired key is not revived); new ones are added. Everything is
    checked first: with any problem nothing changes. `actor` is the user on the peers page (None: the CLI)."""
    code = code.strip().upper()
    if code == settings.SETU_NODE:
        raise ValidationError(f"{code} is this node, not a peer.")
    if not code.isalpha() or len(code) != 2:
        raise ValidationError("A peer's code is its two-letter country code, e.g. IN or NP.")
    parsed = urlparse(base_url)
    if parsed.scheme not in ("https", "http") or not parsed.netloc:
        raise ValidationError("The base URL must be an http(s) address, e.g. https://setu.example.in.")
    if parsed.scheme == "http" and settings.PRODUCTION:
        raise ValidationError("In production a peer is reached over HTTPS only.")
    if not isinstance(keyset, dict):
        raise ValidationError(
            'The key set must be a JSON object {"node": ..., "keys": [...]} (`setu node show --json`).'
        )
    if keyset.get("node") not in (None, code):
        raise ValidationError(f"The key set is node {keyset.get('node')!r}'s, not {code}'s.")
    keys = [_checked_key(jwk) for jwk in keyset.get("keys", [])]
    if not keys:
        raise ValidationError("The key set has no key.")
    with transaction.atomic():
        peer = Peer.objects.select_for_update().filter(code=code).first()
        known = set(peer.keys.values_list("kid", flat=True)) if peer else set()
        new_keys = [PeerKey(kid=kid, x=x) for kid, x in keys if kid not in known]
        if peer is not None and peer.base_url == base_url and peer.is_active and not new_keys:
            return peer  # nothing new: nothing to change or record
        peer, _created = Peer.objects.update_or_create(code=code, defaults={"base_url": base_url, "is_active": True})
        for key in new_keys:
            key.peer = peer
        PeerKey.objects.bulk_create(new_keys)
        audit_record(actor=actor, actor_username=CLI_ACTOR, action="exchange.peer_add", obj=peer,
                     fields=["base_url", "keys"])  # fmt: skip
    return peer


def peer_retire_key(*, code: str, kid: str, actor=None) -> PeerKey:
    """Stop accepting messages signed with one of a peer's keys (it rotated, or the key leaked). `actor` is
    the user on the peers page (None: the CLI)."""
    key = PeerKey.objects.select_related("peer").filter(peer__code=code.upper(), kid=kid).first()
    if key is None:
        raise ValidationError(f"Peer {code} has no key {kid}.")
    with transaction.atomic():
        key.state = PeerKey.State.RETIRED
        key.save(update_fields=["state", "updated_at"])
        audit_record(actor=actor, actor_username=CLI_ACTOR, action="exchange.peer_retire_key", obj=key.peer,
                     fields=["keys"])  # fmt: skip
    return key


def peer_retry_now(*, actor, peer: Peer, now: dt.datetime | None = None) -> int:
    """End the backoff of a peer's link and make its waiting messages due now: the relay's next round sends
    them. The number of messages made due (0, with the link not backing off: nothing is done or recorded).

    A message a relay is sending at this moment may be sent again; the peer's inbox stores each message
    once and answers a repeat with the same receipt."""
    now = now or timezone.now()
    with transaction.atomic():
        peer = Peer.objects.select_for_update().get(pk=peer.pk)
        waiting = OutboxMessage.objects.filter(peer=peer, state=OutboxMessage.State.PENDING)
        count = waiting.count()
        if count == 0 and peer.retry_at is None:
            return 0
        waiting.update(next_attempt_at=now)
        Peer.objects.filter(pk=peer.pk).update(retry_at=None, updated_at=now)
        audit_record(actor=actor, action="exchange.peer_retry_now", obj=peer, fields=["retry_at", "next_attempt_at"])
    return count
