"""Cases. So far: the SOP versions loaded on this node (a case keeps the version it was opened under)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from setu.core.models import PublicIdModel


class SopVersion(PublicIdModel):
    """One loaded SOP definition file, kept as it was loaded (docs/sop.md)."""

    version = models.CharField(_("version"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    source = models.TextField(_("definition file"))
    sha256 = models.CharField(max_length=64)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty when loaded from the command line
    is_current = models.BooleanField(_("in use for new cases"), default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="cases_one_current_sop")
        ]

    def __str__(self) -> str:
        return f"SOP {self.version}"
