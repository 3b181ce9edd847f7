"""Exchange: the peer nodes this node talks to, their public signing keys, and the messages to and from them.

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
    # The link's health, kept by the relay: while the peer cannot be reached, it is tried again at
    # `retry_at` (exponential backoff, capped: docs/exchange.md), not once per waiting message.
    failures = models.PositiveIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    last_contact_at = models.DateTimeField(null=True, blank=True)

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


class CaseLink(TimeStamped):
    """One survivor's case as both nodes know it: the bilateral case reference and the message order.

    Each node numbers the messages it sends about a case 1, 2, 3… (`sent_seq` is the last it used); the
    receiver applies them in that order (`applied_seq` is the last it applied) and parks any that come early.
    After a case transfer the sender keeps the link, read-only (`transferred_at`).
    """

    class Side(models.TextChoices):
        DESTINATION = "destination", "destination"  # where she was found
        ORIGIN = "origin", "origin"  # her home country

    ref = models.CharField(max_length=64, unique=True)
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="case_links")
    # Empty on the origin node until a person there accepts the case notification and opens the case.
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="exchange_link")  # fmt: skip
    side = models.CharField(max_length=12, choices=Side.choices)
    # The office handling the case with the other country on this node (its focal point gets the tasks).
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")  # fmt: skip
    sent_seq = models.PositiveIntegerField(default=0)
    applied_seq = models.PositiveIntegerField(default=0)
    transferred_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.ref


class OutboxMessage(models.Model):
    """A signed message waiting for (or having had) the peer's signed receipt.

    `next_attempt_at` doubles as the delivery lease: a relay that claims a message moves it forward by the
    lease, so a relay that dies mid-send leaves the message due again when the lease runs out.
    """

    class State(models.TextChoices):
        PENDING = "pending", "pending"  # not yet receipted: new, or retrying after a failure
        DELIVERED = "delivered", "delivered"  # the peer's signed receipt says applied or parked
        REJECTED = "rejected", "rejected"  # the peer's signed receipt (or a 4xx) refused it: not retried

    id = models.UUIDField(primary_key=True)  # the message id, a UUIDv7: sortable by creation
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="outbox")
    type = models.CharField(max_length=48)
    link = models.ForeignKey(CaseLink, on_delete=models.PROTECT, null=True, blank=True, related_name="sent")
    seq = models.PositiveIntegerField(null=True, blank=True)
    token = models.TextField()  # the JWS compact serialisation, exactly as sent
    created_at = models.DateTimeField()
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")  # fmt: skip
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    receipt = models.TextField(blank=True)  # the peer's signed receipt (JWS)
    receipt_status = models.CharField(max_length=12, blank=True)  # applied | parked | rejected
    receipt_reason = models.CharField(max_length=300, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)  # reported back by the peer (message.status)
    acted_at = models.DateTimeField(null=True, blank=True)
    acted_outcome = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["peer", "next_attempt_at"], name="exchange_outbox_due",
                         condition=models.Q(state="pending")),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.type} {self.id} → {self.peer_id} ({self.state})"


class InboxMessage(models.Model):
    """A message received from a peer: stored once per (peer, message id), with the receipt it got."""

    class State(models.TextChoices):
        APPLIED = "applied", "applied"
        PARKED = "parked", "parked"  # its predecessor for the same case has not arrived yet
        REJECTED = "rejected", "rejected"  # authentic, but refused (bad payload, or the case says no)

    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="inbox")
    message_id = models.UUIDField()
    type = models.CharField(max_length=48)
    case_ref = models.CharField(max_length=64, blank=True)
    seq = models.PositiveIntegerField(null=True, blank=True)
    link = models.ForeignKey(CaseLink, on_delete=models.PROTECT, null=True, blank=True, related_name="received")
    token = models.TextField()
    created_at = models.DateTimeField()  # as the sender says
    received_at = models.DateTimeField()
    state = models.CharField(max_length=12, choices=State.choices)
    applied_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    receipt = models.TextField()  # our signed receipt: a repeat of the message gets it again
    # Work it asks of this node: the role that acts on it, and what was done (accepted / rejected / done).
    action_role = models.CharField(max_length=32, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    acted_at = models.DateTimeField(null=True, blank=True)
    acted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")  # fmt: skip
    outcome = models.CharField(max_length=12, blank=True)
    outcome_reason = models.CharField(max_length=300, blank=True)
    task = models.ForeignKey("cases.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["peer", "message_id"], name="exchange_inbox_once"),
        ]
        indexes = [
            models.Index(fields=["peer", "case_ref", "seq"], name="exchange_inbox_parked",
                         condition=models.Q(state="parked")),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.type} {self.message_id} ← {self.peer_id} ({self.state})"


class HandoverCertificate(TimeStamped):
    """The certificate of one handover at the border, signed by an officer of each side.

    `certificate` is the agreed text (the same JSON on both nodes); each entry of `signatures` is a JWS by
    that node's key over the certificate and the officer's name and office (docs/exchange.md)."""

    link = models.ForeignKey(CaseLink, on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField(max_length=64, unique=True)
    certificate = models.JSONField()
    signatures = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number
