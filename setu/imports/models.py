"""Imports of NGO spreadsheets: where a sheet comes from (its saved column mapping) and each run of an import
(the file, the dry run's report, the progress, and what was created). Models hold data only; writes go
through setu.imports.services."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.core.models import PublicIdModel


class Kind(models.TextChoices):
    INTERCEPTIONS = "interceptions", _("Interceptions")
    MISSING_REPORTS = "missing_reports", _("Missing-person reports")
    CASES = "cases", _("Cases")


class ImportSource(PublicIdModel):
    """A sheet an organisation brings in again and again (a shelter's register, a post's daily log): its kind
    and the column mapping last used, header → field (or "-" for a column deliberately not imported)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind of records"), max_length=20, choices=Kind.choices)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="imports_source_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class RunStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded: choose the columns")
    CHECKING = "checking", _("Checking (dry run)")
    CHECKED = "checked", _("Checked")
    IMPORTING = "importing", _("Importing")
    STOPPED = "stopped", _("Stopped: resume to continue")
    DONE = "done", _("Imported")
    DISCARDED = "discarded", _("Discarded")


# A busy run whose row has not moved for this long lost its worker (a restart, a crash): it may be resumed.
STALE_AFTER = dt.timedelta(minutes=10)


class ImportRun(PublicIdModel):
    """One file brought in. `report` holds the dry run's problems ({row, column, problem}) and notes;
    `duplicates` the rows that may be people already on the node or earlier rows of the same file;
    ImportedRow one row per sheet row written (row → record number), so what is in is always on record;
    `next_row` is where an import continues after a stop (rows are written in chunks, each chunk with its
    progress in one transaction: see docs/imports.md)."""

    source = models.ForeignKey(ImportSource, on_delete=models.PROTECT, related_name="runs")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    # The file itself, until the import is done or discarded (then emptied: survivors' data is not kept twice).
    content = models.BinaryField(default=b"", editable=False)
    file_kind = models.CharField(max_length=8, blank=True)  # csv / xlsx
    encoding = models.CharField(max_length=80, blank=True)
    header = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.UPLOADED)
    skip_duplicates = models.BooleanField(default=False)
    total_rows = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)  # progress of the phase in hand (checking or importing)
    next_row = models.PositiveIntegerField(default=0)  # index into the data rows where importing continues
    problem_count = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    duplicates = models.JSONField(default=list, blank=True)
    skipped = models.JSONField(default=list, blank=True)
    stop_reason = models.TextField(blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="imports_run_org_created")]

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        return int(100 * self.done_rows / self.total_rows) if self.total_rows else 0

    @property
    def finding_duplicates(self) -> bool:
        """The dry run has checked every row and is looking for probable duplicates (setu.imports.running.check),
        which takes a minute or more for tens of thousands of rows: there is no row count to show for it."""
        return self.status == RunStatus.CHECKING and 0 < self.total_rows <= self.done_rows

    @property
    def created(self) -> list[dict[str, object]]:
        """What is in: {row, number, person} per sheet row written, in sheet order."""
        return [{"row": row, "number": number, "person": str(person or "")}
                for row, number, person in self.imported.values_list("row", "number", "person")]  # fmt: skip

    @property
    def created_count(self) -> int:
        return self.imported.count()

    @property
    def busy(self) -> bool:
        return self.status in (RunStatus.CHECKING, RunStatus.IMPORTING)

    @property
    def stale(self) -> bool:
        """Busy, but no chunk done for STALE_AFTER: its worker is gone (a chunk it was on never committed)."""
        return self.busy and self.updated_at < timezone.now() - STALE_AFTER


class ImportedRow(models.Model):
    """One sheet row that is in: written in the same transaction as the records it became (a table, not a
    list on the run, so that recording a chunk costs the same at row 100 as at row 50,000)."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="imported")
    row = models.PositiveIntegerField()  # the spreadsheet's row number (the header is row 1)
    number = models.CharField(max_length=32)  # the record it became: interception, report or case number
    person = models.UUIDField(null=True, blank=True)  # her person record's public id

    class Meta:
        ordering = ["row"]
        constraints = [models.UniqueConstraint(fields=["run", "row"], name="imports_row_once_per_run")]

    def __str__(self) -> str:
        return f"{self.row} → {self.number}"
