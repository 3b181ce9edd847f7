"""Append-only, hash-chained audit events (reference/security.md §0.4, ASVS 16.3.2).

Each event carries `prev_hash` and `hash = sha256(prev_hash + canonical(event))`; `AuditHead` holds the
last sequence number and hash, so deleting the newest rows is caught too. `setu audit verify` recomputes
the chain. Values of sensitive fields are never stored: only the names of the fields that changed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    class Outcome(models.TextChoices):
        ALLOWED = "allowed", _("allowed")
        DENIED = "denied", _("denied")
        FAILED = "failed", _("failed")

    seq = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    node = models.CharField(max_length=2)
    # Plain ids and name snapshots, not foreign keys: a chained row must never change, even when the
    # user or organisation is later renamed or removed.
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_username = models.CharField(max_length=150, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.ALLOWED)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    fields = models.JSONField(default=list, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.CharField(max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")


class AuditHead(models.Model):
    """One row: the chain's tip. Locked while an event is appended, which orders concurrent writers."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head at {self.seq}"
