"""Mutual legal assistance requests between Nepal and India (reference/domain.md §4).

A request is numbered per node and year (NP-MLA-2026-000001). An outgoing request belongs to the office that
drafted it (a prosecutor's office, or the central authority's desk); an incoming one arrives for this node's
central authority and belongs to no organisation: only node-wide grants (the focal points who are the
central authority) see it. Both sides know a request by the same `exchange_ref`. Models hold data rules only;
writes go through `setu.mla.services`, reads through `selectors`; the status rules are `setu.mla.workflow`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from setu.core.models import PublicIdModel
from setu.mla import workflow


class MlaCounter(models.Model):
    """The last MLA request number given out in a year (setu.core.ids.numbers_taken)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Direction(models.TextChoices):
    OUTGOING = workflow.OUTGOING, _("Outgoing (we request)")
    INCOMING = workflow.INCOMING, _("Incoming (we are requested)")


class Status(models.TextChoices):
    DRAFTED = workflow.DRAFTED, _("Drafted")
    SENT = workflow.SENT, _("Sent")
    RECEIVED = workflow.RECEIVED, _("Received")
    UNDER_STUDY = workflow.UNDER_STUDY, _("Under study")
    PARTIALLY_EXECUTED = workflow.PARTIALLY_EXECUTED, _("Partially executed")
    EXECUTED = workflow.EXECUTED, _("Executed")
    REFUSED = workflow.REFUSED, _("Refused")
    CLOSED = workflow.CLOSED, _("Closed")


class RequestType(models.TextChoices):
    TAKING_EVIDENCE = "taking_evidence", _("Taking evidence")
    SERVICE_OF_DOCUMENTS = "service_of_documents", _("Service of documents (summons)")
    WITNESS_VIDEO_LINK = "witness_video_link", _("Witness examination by video link")
    SEARCH_AND_SEIZURE = "search_and_seizure", _("Search and seizure")
    LOCATING_PERSONS = "locating_persons", _("Locating persons")
    ASSET_TRACING_FREEZING = "asset_tracing_freezing", _("Asset tracing and freezing")
    TRANSFER_DETAINED_PERSON = "transfer_detained_person", _("Transfer of a detained person")
    RECORDS = "records", _("Certified records")


class LegalBasis(models.TextChoices):
    AGREEMENT = workflow.AGREEMENT, _("India–Nepal MLA Agreement (2026)")
    RECIPROCITY = workflow.RECIPROCITY, _("Reciprocity (assurance through the diplomatic channel)")
    LETTER_ROGATORY = workflow.LETTER_ROGATORY, _("Letter rogatory / letter of request")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Language(models.TextChoices):
    NEPALI = "ne", _("Nepali")
    ENGLISH = "en", _("English")
    HINDI = "hi", _("Hindi")


class Country(models.TextChoices):
    NEPAL = "NP", _("Nepal")
    INDIA = "IN", _("India")


class MlaRequest(PublicIdModel):
    number = models.CharField(_("request number"), max_length=32, unique=True, editable=False)
    exchange_ref = models.UUIDField(_("bilateral reference"), default=uuid.uuid4, editable=False)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="mla_requests", verbose_name=_("office"))  # fmt: skip
    peer_code = models.CharField(_("other country"), max_length=2, choices=Country.choices)
    peer_number = models.CharField(_("the other node's number"), max_length=32, blank=True)
    requesting_state = models.CharField(_("requesting state"), max_length=2, choices=Country.choices)
    requesting_authority = models.CharField(_("requesting authority"), max_length=48)
    requested_state = models.CharField(_("requested state"), max_length=2, choices=Country.choices)
    requested_authority = models.CharField(_("requested authority"), max_length=48)
    types = models.JSONField(_("assistance asked for"), default=list)
    legal_basis = models.CharField(_("legal basis"), max_length=24, choices=LegalBasis.choices)
    prosecution = models.ForeignKey("legal.Prosecution", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="mla_requests", verbose_name=_("prosecution"))  # fmt: skip
    # What the other node told of its prosecution (an incoming request has no prosecution of ours).
    prosecution_refs = models.JSONField(_("the prosecution's references"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    summary = models.TextField(_("summary of the facts and what is asked"), max_length=4000)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    language = models.CharField(_("language of the request"), max_length=2, choices=Language.choices)
    language_reason = models.CharField(_("why not in the requested state's language"), max_length=300, blank=True)
    women_children = models.BooleanField(_("a crime against women or children"), default=False)
    letter_date = models.DateField(_("date of the letter of request"))
    respond_by = models.DateField(_("answer asked for by"), null=True, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFTED)
    status_changed_at = models.DateTimeField(_("status changed"))
    status_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    message = models.ForeignKey("exchange.OutboxMessage", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")  # fmt: skip
    inbox = models.ForeignKey("exchange.InboxMessage", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")  # fmt: skip

    class Meta:
        ordering = ["-status_changed_at", "-id"]
        constraints = [
            # One request per bilateral reference and direction on a node (both directions on one node occur
            # only in tests that run both sides in one database).
            models.UniqueConstraint(fields=["exchange_ref", "direction"], name="mla_request_ref_direction_unique"),
            models.CheckConstraint(
                condition=models.Q(respond_by__isnull=True) | models.Q(respond_by__gte=models.F("letter_date")),
                name="mla_request_respond_after_letter",
            ),  # fmt: skip
        ]
        indexes = [models.Index(fields=["status", "direction"], name="mla_request_status_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return workflow.is_open(self.status)

    @property
    def type_labels(self) -> list[str]:
        labels = dict(RequestType.choices)
        return [str(labels.get(t, t)) for t in self.types]


class StatusChange(models.Model):
    """One move of a request, with who (a person here, or the other node) and when, and why."""

    request = models.ForeignKey(MlaRequest, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    at = models.DateTimeField()
    on = models.DateField(_("date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                           related_name="+")  # fmt: skip
    from_peer = models.CharField(max_length=2, blank=True)
    reason = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} -> {self.to_status}"


class DocumentKind(models.TextChoices):
    LETTER_OF_REQUEST = "letter_of_request", _("Letter of request")
    SUMMONS = "summons", _("Summons")
    EVIDENCE = "evidence", _("Evidence")
    EXECUTION_REPORT = "execution_report", _("Execution report")
    TRANSLATION = "translation", _("Translation")
    OTHER = "other", _("Other")


class MlaDocument(PublicIdModel):
    """A typed upload, stored under MEDIA_ROOT (outside the web root), served only through the access check.
    Its contents do not travel between nodes: messages list documents by kind, title and SHA-256 only."""

    request = models.ForeignKey(MlaRequest, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=24, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(upload_to="mla-documents/%Y/%m/", max_length=300, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    # Listed by the other node's message (no file here; its paper or PDF comes through the official channel).
    from_peer = models.CharField(max_length=2, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")  # fmt: skip

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title or self.kind

    @property
    def download_name(self) -> str:
        return f"{self.kind}-{self.public_id}.{self.file.name.rsplit('.', 1)[-1]}"


class Deadline(models.Model):
    """A deadline a rule (data/deadlines.yaml) gave the request: due on, met when (or not yet)."""

    request = models.ForeignKey(MlaRequest, on_delete=models.CASCADE, related_name="deadlines")
    rule = models.CharField(max_length=48)
    starts_on = models.DateField()
    due_on = models.DateField()
    statutory = models.BooleanField(default=False)
    met_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "rule"], name="mla_deadline_rule_unique")]
        indexes = [models.Index(fields=["met_at", "due_on"], name="mla_deadline_open_idx")]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.rule} by {self.due_on}"


class ReminderKind(models.TextChoices):
    NEAR = "near", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class Reminder(models.Model):
    """A deadline near or overdue, raised once each by the sweep (setu.mla.tasks.sweep_mla_deadlines)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=ReminderKind.choices)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["deadline", "kind"], name="mla_reminder_once")]

    def __str__(self) -> str:
        return f"{self.deadline_id}: {self.kind}"


class ReminderNotice(models.Model):
    """One person told of one reminder: those who may manage the request (its office, the central authority)."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mla_notices")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["reminder", "user"], name="mla_notice_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.reminder_id}"
