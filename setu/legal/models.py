"""Prosecutions of traffickers and what they need from survivors: the legal side of a case (reference/domain.md
§1.1 stage 10, §4).

A prosecution is kept by the organisation that brings it (a prosecutor's office), placed in the district of
its court, and numbered per node and year (NP-PRS-2026-000001). Models hold data rules only; writes go through
`setu.legal.services`, reads through `selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from setu.core.models import PublicIdModel


class ProsecutionCounter(models.Model):
    """The last prosecution number given out in a year (setu.core.ids.numbers_taken)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ProsecutionStatus(models.TextChoices):
    INVESTIGATION = "investigation", _("Under investigation")
    CHARGED = "charged", _("Charge sheet filed")
    TRIAL = "trial", _("On trial")
    JUDGMENT = "judgment", _("Judgment given")
    APPEAL = "appeal", _("On appeal")
    CLOSED = "closed", _("Closed")


class Prosecution(PublicIdModel):
    number = models.CharField(_("prosecution number"), max_length=32, unique=True, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="prosecutions",
                                     verbose_name=_("prosecuting office"))  # fmt: skip
    district = models.ForeignKey("geo.District", on_delete=models.PROTECT, related_name="prosecutions",
                                 verbose_name=_("district of the court"))  # fmt: skip
    police_case_number = models.CharField(_("police case / FIR number"), max_length=64)
    police_unit = models.CharField(_("police unit"), max_length=200)
    court = models.CharField(_("court"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ProsecutionStatus.choices,
                              default=ProsecutionStatus.INVESTIGATION)  # fmt: skip
    opened_on = models.DateField(_("registered on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return self.number
