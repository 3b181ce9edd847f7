"""Bilateral statistics: what this node published to its peer, and what the peer published to it.

Only protected tables are stored here (setu.reports.kanon: `None` for a suppressed cell), never the counts
before suppression: a suppressed figure must not sit in a table that a later page could show by mistake."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from setu.core.models import PublicIdModel


class Publication(PublicIdModel):
    """This node's statistics for one year, as published (and sent to the peer, when one is registered).
    Publishing again makes a new row: the joint page shows the latest, earlier ones stay as they were sent."""

    year = models.PositiveSmallIntegerField(_("year"))
    k = models.PositiveSmallIntegerField(default=11)
    tables = models.JSONField(default=list)  # [{key, rows, cols, cells, row_totals, col_totals, total}]
    suppressed = models.PositiveIntegerField(default=0)  # cells suppressed, all tables together
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.OneToOneField("exchange.OutboxMessage", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")  # fmt: skip

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["year", "-published_at"], name="reports_publication_year")]

    def __str__(self) -> str:
        return f"{self.year} ({self.published_at:%Y-%m-%d})"


class ReceivedPublication(PublicIdModel):
    """The other node's statistics for one year (`statistics.publication`), exactly as they came."""

    inbox = models.OneToOneField("exchange.InboxMessage", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")  # fmt: skip
    from_node = models.CharField(max_length=2)
    ref = models.UUIDField()  # the publication's id on the sender
    year = models.PositiveSmallIntegerField()
    k = models.PositiveSmallIntegerField()
    tables = models.JSONField(default=list)
    published_at = models.DateTimeField()  # on the sender
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["from_node", "ref"], name="reports_received_once")]
        indexes = [models.Index(fields=["from_node", "year", "-published_at"], name="reports_received_year")]

    def __str__(self) -> str:
        return f"{self.from_node} {self.year}"
