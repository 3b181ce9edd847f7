"""Missing-person reports: a family (or a teacher, a neighbour, the police) says that someone is missing;
an organisation registers the report, with the missing person's record (setu.people), who reported her and
how they are related, when and where she was last seen, what happened, the police or hotline reference, and
who may see it. The report stays open until she is found or it is closed.

Models hold data rules only. Writes go through `setu.tracing.services`, reads through `selectors`. The
matching of reports against rescued and intercepted people, its review queue and the cross-border alerts are
not built yet (README.md, "What comes next").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from setu.core.models import PublicIdModel


class ReporterRelation(models.TextChoices):
    """Who reported her, as related to the missing person."""

    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    PARENT = "parent", _("Parent or guardian")
    SIBLING = "sibling", _("Brother or sister")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    SPOUSE = "spouse", _("Husband or wife")
    NEIGHBOUR = "neighbour", _("Neighbour or friend")
    TEACHER = "teacher", _("Teacher")
    POLICE = "police", _("Police")
    NGO_WORKER = "ngo_worker", _("NGO worker")
    SELF = "self", _("The person herself (e.g. after escaping)")
    OTHER = "other", _("Other")


class ReferenceKind(models.TextChoices):
    """Where the report was also made: the police, a hotline, a national tracing portal."""

    POLICE = "police", _("Police report (FIR)")
    NCRC_104 = "ncrc_104", _("NCRC 104 missing-child hotline (Nepal)")
    CHILDLINE = "childline", _("Childline 1098 or emergency 112 (India)")
    NGO = "ngo", _("NGO register")
    TRACKCHILD = "trackchild", _("Khoya-Paya / TrackChild portal (India)")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    OPEN = "open", pgettext_lazy("missing-person report", "Open")
    FOUND = "found", pgettext_lazy("missing-person report", "Found")
    CLOSED = "closed", pgettext_lazy("missing-person report", "Closed")


class Visibility(models.TextChoices):
    STANDARD = "standard", _("Standard: the organisations whose work reaches the report")
    RESTRICTED = "restricted", _("Restricted: only the reporting organisation (and node-wide focal points)")


class MissingReportCounter(models.Model):
    """The last report number given out per year on this node."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class MissingReport(PublicIdModel):
    """One report that a person is missing. Numbered `NP-MPR-2026-000123` per node and year, with no gaps."""

    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="missing_reports",
                                     verbose_name=_("reporting organisation"))  # fmt: skip
    # The missing person, a person record (her names, sex, birth, parents, home, phones, photos).
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="missing_reports",
                               verbose_name=_("missing person"))  # fmt: skip

    reporter_name = models.CharField(_("reported by"), max_length=200)
    reporter_relation = models.CharField(_("relation to her"), max_length=16, choices=ReporterRelation.choices)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)  # E.164
    reported_on = models.DateField(_("reported on"))

    last_seen_on = models.DateField(_("last seen on"))
    last_seen_time = models.TimeField(_("last seen at (time)"), null=True, blank=True)
    last_seen_place = models.CharField(_("last seen at (place)"), max_length=300, blank=True)
    last_seen_district = models.ForeignKey("geo.District", on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name=_("district last seen in"))  # fmt: skip
    last_seen_local_level = models.ForeignKey(
        "geo.LocalLevel", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("municipality / rural municipality last seen in"),
    )  # fmt: skip
    circumstances = models.TextField(_("circumstances"), max_length=4000, blank=True)

    reference_kind = models.CharField(_("also reported to"), max_length=16, choices=ReferenceKind.choices, blank=True)
    reference = models.CharField(_("reference (FIR, complaint or call number)"), max_length=100, blank=True)

    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    status_note = models.TextField(_("status note"), max_length=2000, blank=True)
    found_at = models.DateTimeField(_("found at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                          blank=True, related_name="+")  # fmt: skip

    visibility = models.CharField(_("who may see it"), max_length=12, choices=Visibility.choices,
                                  default=Visibility.STANDARD)  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("missing-person report")
        verbose_name_plural = _("missing-person reports")
        indexes = [
            models.Index(fields=["status", "reported_on"], name="tracing_report_status"),
            models.Index(fields=["organisation", "reported_on"], name="tracing_report_org"),
            models.Index(fields=["last_seen_district", "reported_on"], name="tracing_report_district"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(last_seen_on__lte=F("reported_on")),
                                   name="tracing_report_seen_before_reported",
                                   violation_error_message=_("She cannot be last seen after the report was made.")),
            models.CheckConstraint(condition=Q(last_seen_local_level__isnull=True)
                                   | Q(last_seen_district__isnull=False),
                                   name="tracing_report_local_level_needs_district"),
            models.CheckConstraint(condition=Q(reporter_phone="") | Q(reporter_phone__regex=r"^\+[1-9][0-9]{1,14}$"),
                                   name="tracing_report_phone_e164"),
            # Found has its time; closed has its time; open has neither (reopening clears them).
            models.CheckConstraint(
                condition=(Q(status=Status.OPEN, found_at__isnull=True, closed_at__isnull=True)
                           | Q(status=Status.FOUND, found_at__isnull=False, closed_at__isnull=True)
                           | Q(status=Status.CLOSED, closed_at__isnull=False)),
                name="tracing_report_status_times",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.number

    @property
    def is_restricted(self) -> bool:
        return self.visibility == Visibility.RESTRICTED


# --- matching (setu.tracing.matching) ------------------------------------------------------------------------------


class MatchProfile(models.Model):
    """A person as the matcher reads them (setu.tracing.linkage.features), kept so that candidates are
    scored without reading their names, relations and phones again. Written by setu.tracing.matching."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, primary_key=True,
                                  related_name="match_profile")  # fmt: skip
    features = models.JSONField()
    indexed_at = models.DateTimeField()

    def __str__(self) -> str:
        return str(self.person_id)


class BlockKey(models.Model):
    """One blocking key of a person (setu.tracing.linkage.blocking): candidates are the persons sharing a key
    with a record, found by equality in this index."""

    key = models.CharField(max_length=255)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "person"], name="tracing_blockkey_unique")]
        indexes = [models.Index(fields=["person"], name="tracing_blockkey_person")]

    def __str__(self) -> str:
        return self.key


class MatchModel(models.Model):
    """A matching model trained on this node's own records (setu.tracing.linkage.model.Model as JSON). The
    newest is used; until there is one, the defaults are."""

    trained_at = models.DateTimeField()
    model = models.TextField()
    summary = models.JSONField(default=dict)  # records, pairs and expected matches it was trained on

    class Meta:
        ordering = ["-trained_at", "-id"]

    def __str__(self) -> str:
        return self.trained_at.isoformat()


class CandidateStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("match candidate", "To review")
    CONFIRMED = "confirmed", pgettext_lazy("match candidate", "Confirmed")
    REJECTED = "rejected", pgettext_lazy("match candidate", "Rejected")


class MatchCandidate(PublicIdModel):
    """A person who may be the one a report is about, proposed by the matcher with its probability and its
    field-by-field explanation (created_at: when first proposed), until someone confirms or rejects it (with
    who, when and why)."""

    report = models.ForeignKey(MissingReport, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="match_candidates")
    probability = models.FloatField()
    explanation = models.JSONField(default=list)  # [{field, level, label, weight}], strongest first
    model_trained_at = models.DateTimeField(null=True, blank=True)  # None: the default model
    status = models.CharField(max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("why"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-probability", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "person"], name="tracing_candidate_once"),
            models.CheckConstraint(
                condition=Q(status=CandidateStatus.PROPOSED, decided_at__isnull=True)
                | ~Q(status=CandidateStatus.PROPOSED) & Q(decided_at__isnull=False, decided_by__isnull=False),
                name="tracing_candidate_decided",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "probability"], name="tracing_candidate_queue"),
            models.Index(fields=["person", "status"], name="tracing_candidate_person"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} ~ {self.person_id} ({self.probability:.2f})"


class MatchNotice(models.Model):
    """A confirmed match told to an organisation that holds one of its records (the report's, the person's,
    the person's case's), shown on its dashboard until someone there opens it."""

    candidate = models.ForeignKey(MatchCandidate, on_delete=models.CASCADE, related_name="notices")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["candidate", "organisation"], name="tracing_notice_once")]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.candidate_id}"


# --- across the border (setu.tracing.border) -----------------------------------------------------------------------


class BorderStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("cross-border candidate", "Proposed")
    ASKED = "asked", pgettext_lazy("cross-border candidate", "Asked to reveal")
    REVEALED = "revealed", pgettext_lazy("cross-border candidate", "Revealed")
    DECLINED = "declined", pgettext_lazy("cross-border candidate", "Not revealed")
    REJECTED = "rejected", pgettext_lazy("cross-border candidate", "Not her")


class AlertSent(PublicIdModel):
    """A missing-person alert this node sent to the other country's node about one of its reports."""

    report = models.ForeignKey(MissingReport, on_delete=models.CASCADE, related_name="alerts")
    peer = models.ForeignKey("exchange.Peer", on_delete=models.PROTECT, related_name="+")
    alert_ref = models.UUIDField(unique=True, editable=False)
    message = models.OneToOneField("exchange.OutboxMessage", on_delete=models.PROTECT, related_name="+")
    legal_basis = models.CharField(_("legal basis for sharing"), max_length=300)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["report", "peer"], name="tracing_alert_once_per_peer")]

    def __str__(self) -> str:
        return str(self.alert_ref)


class ForeignCandidate(PublicIdModel):
    """Someone the other node's matcher found for our alert: a summary that names nobody, until officers on
    both sides confirm her and her details are revealed."""

    alert = models.ForeignKey(AlertSent, on_delete=models.CASCADE, related_name="candidates")
    candidate_ref = models.UUIDField(editable=False)
    probability = models.FloatField()
    explanation = models.JSONField(default=list)
    summary = models.JSONField(default=dict)  # sex, age band, found as, found in, recorded on
    status = models.CharField(max_length=10, choices=BorderStatus.choices, default=BorderStatus.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("why"), max_length=2000, blank=True)
    details = models.JSONField(default=dict)  # who she is, once revealed
    revealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-probability", "-id"]
        constraints = [models.UniqueConstraint(fields=["alert", "candidate_ref"], name="tracing_foreign_once")]

    def __str__(self) -> str:
        return str(self.candidate_ref)


class AlertReceived(PublicIdModel):
    """A missing-person alert from the other node: exactly the features it carried, matched here."""

    inbox = models.OneToOneField("exchange.InboxMessage", on_delete=models.PROTECT, related_name="tracing_alert")
    from_node = models.CharField(max_length=2)
    alert_ref = models.UUIDField(editable=False)
    reported_on = models.DateField()
    sex = models.CharField(max_length=24, blank=True)
    age_band = models.CharField(max_length=8, blank=True)
    features = models.JSONField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["from_node", "alert_ref"], name="tracing_alert_received_once")]

    def __str__(self) -> str:
        return str(self.alert_ref)


class LocalCandidate(PublicIdModel):
    """One of our persons proposed to the other node for its alert (as a summary, under `candidate_ref`),
    and what became of it: asked about, revealed or not, and the report's details once both confirmed."""

    alert = models.ForeignKey(AlertReceived, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    candidate_ref = models.UUIDField(unique=True, editable=False)
    probability = models.FloatField()
    explanation = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=BorderStatus.choices, default=BorderStatus.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("why"), max_length=2000, blank=True)
    their_details = models.JSONField(default=dict)  # the report's details, once both confirmed

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.candidate_ref)
