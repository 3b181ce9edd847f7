"""Survivor cases under a versioned SOP: the case, its stage history and timeline, related persons,
historic trafficking events, decisions, consent, documents, care, sensitive notes, tasks.

HTCDS v2.0 fields where HTCDS defines them (reference/domain.md §5.1). Models hold data rules only; writes
go through `setu.cases.services` (atomic, access-checked, audited), reads through `selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from setu.cases import choices
from setu.core.models import PublicIdModel, TimeStamped


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


class CaseCounter(models.Model):
    """The last case number given out per year on this node (numbers are gap-free and never reused)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(PublicIdModel):
    """One survivor's case from identification to closure, under the SOP version it was opened with."""

    number = models.CharField(_("case number"), max_length=24, unique=True, editable=False)  # NP-2026-000123
    survivor = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cases", verbose_name=_("survivor")
    )
    sop_version = models.ForeignKey(SopVersion, on_delete=models.PROTECT, related_name="cases", editable=False)
    stage = models.CharField(_("stage"), max_length=64, editable=False)
    stage_entered_at = models.DateTimeField(editable=False)
    # Named events the SOP's deadlines count from, e.g. {"rescued": "...", "first_production": "..."} (ISO).
    sop_events = models.JSONField(default=dict, editable=False)
    # The current stage's deadline and when it escalates; denormalised so the sweep and the list use an index.
    due_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalate_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)

    status = models.CharField(_("status"), max_length=16, choices=choices.CaseStatus.choices,
                              default=choices.CaseStatus.ACTIVE, editable=False)  # fmt: skip
    hold_reason = models.CharField(_("why the case is on hold"), max_length=300, blank=True, editable=False)
    closure_reason = models.CharField(_("reason for closure"), max_length=24, choices=choices.ClosureReason.choices,
                                      blank=True, editable=False)  # fmt: skip
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    path = models.CharField(_("way home"), max_length=16, choices=choices.CasePath.choices)

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="cases",
        verbose_name=_("organisation in charge"),
    )  # fmt: skip
    opened_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", editable=False
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="owned_cases", verbose_name=_("case owner"))  # fmt: skip
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="case_teams",
                                  verbose_name=_("team"))  # fmt: skip
    district = models.ForeignKey("geo.District", on_delete=models.PROTECT, related_name="cases",
                                 verbose_name=_("district (jurisdiction)"))  # fmt: skip

    identified_at = models.DateTimeField(_("identified or rescued at"))
    age_at_identification = models.PositiveSmallIntegerField(_("age when identified"), null=True, blank=True)
    is_minor = models.BooleanField(_("a child when identified"), editable=False)
    trafficking_status = models.CharField(_("trafficking status"), max_length=40,
                                          choices=choices.TraffickingStatus.choices,
                                          default=choices.TraffickingStatus.POSSIBLE)  # fmt: skip
    exploitation_types = models.JSONField(_("types of exploitation"), default=list, blank=True)
    control_methods = models.JSONField(_("methods of control"), default=list, blank=True)
    recruitment_place = models.CharField(_("where she was recruited"), max_length=300, blank=True)
    recruitment_district = models.ForeignKey("geo.District", on_delete=models.PROTECT, null=True, blank=True,
                                             related_name="+", verbose_name=_("district of recruitment"))  # fmt: skip
    exploitation_place = models.CharField(_("where she was exploited"), max_length=300, blank=True)
    exploitation_country = models.CharField(_("country of exploitation"), max_length=2, blank=True)
    summary = models.TextField(_("summary (no testimony or health details here)"), blank=True)

    # Optimistic concurrency: every change bumps it; a form or API call carrying an older value is refused.
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   editable=False)  # fmt: skip

    class Meta:
        ordering = ["-identified_at", "-id"]
        indexes = [
            models.Index(fields=["-identified_at", "-id"], name="cases_case_recent"),
            models.Index(fields=["stage", "-identified_at"], name="cases_case_stage"),
            models.Index(fields=["organisation", "-identified_at"], name="cases_case_org"),
            models.Index(fields=["district", "-identified_at"], name="cases_case_district"),
            models.Index(fields=["due_at"], name="cases_case_due"),
            models.Index(fields=["escalate_at"], name="cases_case_escalate",
                         condition=Q(escalated_at__isnull=True, escalate_at__isnull=False)),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in choices.OPEN_STATUSES


class StageRecord(models.Model):
    """One stay of the case in one stage: when it started and ended, who moved it and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=64)
    entered_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    action = models.CharField(max_length=64, blank=True)  # the SOP action that led here ("" for the first)
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField(blank=True)
    counterpart_reference = models.CharField(max_length=200, blank=True)  # the other country's reply, if any
    due_at = models.DateTimeField(null=True, blank=True)
    deadline_kind = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["entered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(left_at__isnull=True), name="cases_one_open_stage")
        ]

    def __str__(self) -> str:
        return f"{self.stage} from {self.entered_at:%Y-%m-%d}"


class CaseEvent(models.Model):
    """The case's timeline: every change, in words (no sensitive content, which stays in SensitiveNote)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, null=True, related_name="+")
    summary = models.CharField(max_length=500)  # in English, for exports and the API
    message = models.CharField(max_length=300, blank=True)  # untranslated, with %(name)s parts
    params = models.JSONField(default=dict, blank=True)  # the parts: text, or references (services.event_text)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.summary


class RelatedPerson(PublicIdModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="related_persons")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(_("role"), max_length=16, choices=choices.RelatedRole.choices)
    perpetrator_roles = models.JSONField(_("role in the trafficking (HTCDS)"), default=list, blank=True)
    details = models.CharField(_("details"), max_length=300, blank=True)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "role"], name="cases_related_unique"),
        ]


class TraffickingEvent(PublicIdModel):
    """HTCDS hte_: a recruitment, transit or exploitation event in the survivor's history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="trafficking_events")
    kind = models.CharField(_("type"), max_length=16, choices=choices.EventType.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place (city, street)"), max_length=300, blank=True)
    district = models.ForeignKey("geo.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    country = models.CharField(_("country"), max_length=2, blank=True)
    description = models.TextField(_("what happened"), blank=True)

    class Meta:
        ordering = ["date", "id"]


class CaseDocument(PublicIdModel):
    """A typed upload, stored under MEDIA_ROOT (outside the web root), served only through the access check."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("type"), max_length=24, choices=choices.DocumentType.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(upload_to="case-documents/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.download_name

    @property
    def download_name(self) -> str:
        """A name the server makes (the uploader's file name is never put in a response header)."""
        return f"{self.doc_type}-{self.public_id}.{self.file.name.rsplit('.', 1)[-1]}"


class Decision(PublicIdModel):
    """A first-class decision: who decided, for which organisation, when, on what basis, with what outcome,
    and what the survivor herself said. `favourable` is whether the case may go on by it (the SOP counts
    only favourable decisions as met)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=32, choices=choices.DecisionKind.choices)
    favourable = models.BooleanField(_("the case may go on by this decision"))
    outcome = models.CharField(_("outcome"), max_length=300)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decider_name = models.CharField(_("decided by (name and office)"), max_length=200)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    decision_org_type = models.CharField(_("decision-making organisation (HTCDS)"), max_length=40,
                                         choices=choices.DecisionMakingOrg.choices, blank=True)  # fmt: skip
    decided_on = models.DateField(_("date of the decision"))
    basis = models.TextField(_("basis (law, evidence, reasons)"))
    survivor_view = models.TextField(_("the survivor's own view"))
    answers = models.JSONField(_("assessment answers"), default=dict, blank=True)
    assessed_age = models.PositiveSmallIntegerField(_("assessed age"), null=True, blank=True)
    amount = models.DecimalField(_("amount ordered"), max_digits=12, decimal_places=2, null=True, blank=True)
    documents = models.ManyToManyField(CaseDocument, blank=True, related_name="decisions")

    class Meta:
        ordering = ["-decided_on", "-id"]


class Consent(PublicIdModel):
    """Consent for one purpose, or the legal basis that stands in for it, until withdrawn."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=32, choices=choices.ConsentPurpose.choices)
    given_by = models.CharField(_("given by"), max_length=16, choices=choices.ConsentGiver.choices)
    giver_name = models.CharField(_("name of who gave it"), max_length=200, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    given_at = models.DateTimeField(_("given at"))
    checklist = models.JSONField(_("how she was informed"), default=list, blank=True)
    language = models.CharField(_("language used"), max_length=8, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("why withdrawn"), max_length=300, blank=True)

    class Meta:
        ordering = ["purpose", "-given_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "purpose"], condition=Q(withdrawn_at__isnull=True),
                                    name="cases_one_live_consent_per_purpose"),
        ]  # fmt: skip

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None


class Assessment(PublicIdModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(_("kind"), max_length=16, choices=choices.AssessmentKind.choices)
    assessed_on = models.DateField(_("date"))
    summary = models.TextField(_("findings (no health details: add those as a sensitive note)"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-assessed_on", "-id"]


class SupportPlan(PublicIdModel):
    """HTCDS spl_: a support plan with its objectives and planned and actual end."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_plans")
    plan_type = models.CharField(_("type"), max_length=40, choices=choices.SupportType.choices)
    objectives = models.TextField(_("objectives"))
    action_plan = models.TextField(_("action plan"), blank=True)
    starts_on = models.DateField(_("start"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on", "-id"]


class ServiceDelivery(PublicIdModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    plan = models.ForeignKey(SupportPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="services")
    service = models.CharField(_("service"), max_length=200)
    provider = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("provided by"))  # fmt: skip
    delivered_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-delivered_on", "-id"]


class FollowUp(PublicIdModel):
    """A follow-up visit: scheduled from the SOP's follow-up schedule (or by hand), then recorded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("visited on"), null=True, blank=True)
    with_family = models.BooleanField(_("the visit contacts the family"), default=True)
    outcome = models.TextField(_("what was found"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    related_name="+")  # fmt: skip

    class Meta:
        ordering = ["due_on", "id"]


class SensitiveNote(PublicIdModel):
    """Testimony, health, details of sexual exploitation: encrypted at rest (setu.cases.crypto), each read
    audited, shown only to the case team and supervisors (setu.cases.selectors.may_read_sensitive)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sensitive_notes")
    kind = models.CharField(_("kind"), max_length=24, choices=choices.SensitiveKind.choices)
    ciphertext = models.BinaryField()
    key_id = models.CharField(max_length=16)  # which key encrypted it: rotation re-encrypts the others
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]


class Transfer(PublicIdModel):
    """A case offered to another organisation of this node; the receiver accepts or refuses."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the receiver")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")  # fmt: skip
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(state="pending"), name="cases_one_pending_transfer"),
        ]


class Task(TimeStamped):
    """Work for a role in an organisation (or for one user): an escalation, a transfer, a follow-up."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=16, choices=choices.TaskKind.choices)
    stage = models.CharField(max_length=64, blank=True)
    role = models.CharField(max_length=32, blank=True)  # alerted role; "" when for one user
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="case_tasks")  # fmt: skip
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="case_tasks")  # fmt: skip
    title = models.CharField(max_length=300)
    due_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["organisation", "role"], name="cases_task_open",
                         condition=Q(done_at__isnull=True)),
        ]  # fmt: skip


class Notification(models.Model):
    """One user told of one task (escalations alert everyone holding the SOP's named roles)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_notifications")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "task"], name="cases_notification_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.task_id}"
