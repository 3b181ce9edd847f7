"""Exchange: the peer nodes this node talks to, and their public signing keys.

A peer is registered with its code (NP, IN), base URL and public keys (`setu peer add`). A key is identified
by its RFC 7638 thumbprint (`kid`); a retired key no longer verifies the peer's messages.
"""

from __future__ import annotations

from django.db import models

from setu.core.models import TimeStamped


class Peer(TimeStamped):
    code = models.CharField(max_length=8, unique=True)  # the peer node's code, e.g. IN
    base_url = models.URLField(max_length=300)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.base_url})"


class PeerKey(TimeStamped):
    class State(models.TextChoices):
        ACTIVE = "active", "active"
        RETIRED = "retired", "retired"

    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="keys")
    kid = models.CharField(max_length=64)
    x = models.CharField(max_length=64)  # the Ed25519 public key, base64url (JWK "x")
    state = models.CharField(max_length=8, choices=State.choices, default=State.ACTIVE)

    class Meta:
        ordering = ["peer", "created_at"]
        constraints = [models.UniqueConstraint(fields=["peer", "kid"], name="exchange_peer_key_unique")]

    def __str__(self) -> str:
        return f"{self.peer.code}:{self.kid} ({self.state})"
