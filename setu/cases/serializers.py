"""Serializers of the cases API (setu.cases.api): what a case and its records look like as JSON, and the
shape of each request. Types are checked here; the rules (scope, SOP, consent, dates) by the services.

Where a record can be added through the API, one serializer reads and writes it (the schema then names each
choice set, such as the several `kind`s, once).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from setu.accounts.models import Organisation, User
from setu.cases import choices, selectors
from setu.cases import services as case_services  # CaseDetailSerializer has a field called `services`
from setu.cases.models import (
    Assessment,
    Case,
    CaseDocument,
    CaseEvent,
    Consent,
    Decision,
    FollowUp,
    RelatedPerson,
    ServiceDelivery,
    SopVersion,
    StageRecord,
    SupportPlan,
    Task,
    TraffickingEvent,
    Transfer,
)
from setu.geo.models import District
from setu.people.api import OrganisationRefSerializer

# --- fields and references -----------------------------------------------------------------------------------


class PublicIdField(serializers.SlugRelatedField):
    """A related record named by its public id; a malformed id is a field error, not a server error."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="public_id", **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except DjangoValidationError:
            self.fail("invalid")


class PublicIdOf(serializers.UUIDField):
    """Shows a related record as its public id, and takes a public id that the endpoint resolves (with the
    access check of that record, so a missing and a forbidden one give the same 404)."""

    def to_representation(self, value: Any) -> Any:
        return super().to_representation(value.public_id)


class UserRefSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()


class PersonRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    full_name = serializers.CharField()


class CaseRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    number = serializers.CharField()
    survivor = PersonRefSerializer()


def _now(context: dict) -> dt.datetime:
    return context.get("now") or timezone.now()


# --- what is recorded on a case (each serializer reads and, where it can be added, writes) ------------------


class StageRecordSerializer(serializers.ModelSerializer):
    stage_name = serializers.SerializerMethodField()
    moved_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = StageRecord
        fields = ["stage", "stage_name", "entered_at", "left_at", "action", "moved_by", "reason",
                  "counterpart_reference", "due_at", "deadline_kind"]  # fmt: skip
        read_only_fields = fields

    def get_stage_name(self, record: StageRecord) -> str:
        return case_services.stage_name(self.context["case"], record.stage)


class CaseEventSerializer(serializers.ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True)
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CaseEvent
        fields = ["at", "kind", "actor", "organisation", "summary"]
        read_only_fields = fields


class CaseDocumentSerializer(serializers.ModelSerializer):
    """Metadata only; the file itself is GET .../documents/{document_id}/file/."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    uploaded_by = UserRefSerializer(read_only=True)
    file = serializers.FileField(write_only=True, help_text="PDF, JPEG, PNG or WebP, up to the node's upload limit.")

    class Meta:
        model = CaseDocument
        fields = ["id", "doc_type", "title", "file", "original_name", "content_type", "size", "sha256",
                  "uploaded_by", "created_at"]  # fmt: skip
        read_only_fields = ["original_name", "content_type", "size", "sha256", "created_at"]


class DecisionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    organisation = OrganisationRefSerializer(read_only=True)
    decided_by = UserRefSerializer(read_only=True)
    answers = serializers.DictField(
        child=serializers.CharField(), required=False,
        help_text="Best-interest assessment only: each safety-of-return question answered yes, no or unknown.",
    )  # fmt: skip
    documents = PublicIdField(many=True, required=False, queryset=CaseDocument.objects.none(),
                              help_text="Documents of this case the decision rests on.")  # fmt: skip
    revision = serializers.IntegerField(write_only=True, required=False, min_value=1)

    class Meta:
        model = Decision
        fields = ["id", "kind", "favourable", "outcome", "decider_name", "organisation", "decision_org_type",
                  "decided_on", "basis", "survivor_view", "answers", "assessed_age", "amount", "documents",
                  "decided_by", "created_at", "revision"]  # fmt: skip
        read_only_fields = ["created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.context.get("case")
        if case is not None:
            self.fields["documents"].child_relation.queryset = case.documents.all()  # type: ignore[attr-defined]


class ConsentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    checklist = serializers.ListField(
        child=serializers.ChoiceField(choices=choices.CONSENT_CHECKLIST), required=False,
        help_text="Every point she (or the guardian) was told; not for a legal basis.",
    )  # fmt: skip
    recorded_by = UserRefSerializer(read_only=True)
    is_live = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = ["id", "purpose", "given_by", "giver_name", "legal_basis", "given_at", "checklist", "language",
                  "recorded_by", "withdrawn_at", "withdrawn_reason", "is_live", "created_at"]  # fmt: skip
        read_only_fields = ["withdrawn_at", "withdrawn_reason", "created_at"]
        extra_kwargs = {"given_at": {"required": False}}


class ConsentWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class AssessmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    recorded_by = UserRefSerializer(read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "kind", "assessed_on", "summary", "recorded_by", "created_at"]
        read_only_fields = ["created_at"]


class SupportPlanSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    recorded_by = UserRefSerializer(read_only=True)

    class Meta:
        model = SupportPlan
        fields = ["id", "plan_type", "objectives", "action_plan", "starts_on", "planned_end", "actual_end",
                  "recorded_by", "created_at"]  # fmt: skip
        read_only_fields = ["actual_end", "created_at"]


class ServiceDeliverySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    provider = PublicIdField(queryset=Organisation.objects.filter(is_active=True), help_text="Organisation id.")
    plan = PublicIdField(queryset=SupportPlan.objects.none(), required=False, allow_null=True,
                         help_text="A support plan of this case.")  # fmt: skip
    recorded_by = UserRefSerializer(read_only=True)

    class Meta:
        model = ServiceDelivery
        fields = ["id", "service", "provider", "delivered_on", "plan", "notes", "recorded_by", "created_at"]
        read_only_fields = ["created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.context.get("case")
        if case is not None:
            self.fields["plan"].queryset = case.support_plans.all()  # type: ignore[attr-defined]


class FollowUpSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    recorded_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = FollowUp
        fields = ["id", "due_on", "with_family", "done_on", "outcome", "recorded_by", "created_at"]
        read_only_fields = ["done_on", "outcome", "created_at"]


class FollowUpRecordSerializer(serializers.Serializer):
    done_on = serializers.DateField()
    outcome = serializers.CharField(allow_blank=True)


class RelatedPersonSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = PublicIdOf(help_text="Person id (/api/v1/persons/).")
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    perpetrator_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=choices.PerpetratorRole.choices), required=False,
        help_text="HTCDS roles in the trafficking; suspects only.",
    )  # fmt: skip

    class Meta:
        model = RelatedPerson
        fields = ["id", "person", "person_name", "role", "perpetrator_roles", "details", "created_at"]
        read_only_fields = ["created_at"]


class TraffickingEventSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all(), required=False, allow_null=True)

    class Meta:
        model = TraffickingEvent
        fields = ["id", "kind", "date", "place", "district", "country", "description", "created_at"]
        read_only_fields = ["created_at"]


class SensitiveNoteSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    kind = serializers.ChoiceField(choices=choices.SensitiveKind.choices)
    text = serializers.CharField(max_length=20_000)
    recorded_by = UserRefSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    @staticmethod
    def row(note, text: str) -> dict[str, Any]:
        return {"id": note.public_id, "kind": note.kind, "text": text, "recorded_by": note.recorded_by,
                "created_at": note.created_at}  # fmt: skip


class TransferSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    case = PublicIdOf(read_only=True)
    from_organisation = OrganisationRefSerializer(read_only=True)
    to_organisation = OrganisationRefSerializer(read_only=True)
    requested_by = UserRefSerializer(read_only=True)
    answered_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Transfer
        fields = ["id", "case", "from_organisation", "to_organisation", "reason", "state", "requested_by",
                  "created_at", "answered_by", "answered_at", "answer_reason"]  # fmt: skip
        read_only_fields = fields


class CaseTaskSerializer(serializers.ModelSerializer):
    case = CaseRefSerializer(read_only=True)
    stage_name = serializers.SerializerMethodField()
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Task
        fields = ["kind", "title", "case", "stage", "stage_name", "role", "organisation", "due_at", "created_at"]
        read_only_fields = fields

    def get_stage_name(self, task: Task) -> str:
        return case_services.stage_name(task.case, task.stage) if task.stage else ""


# --- the case ------------------------------------------------------------------------------------------------


class CaseSerializer(serializers.ModelSerializer):
    """One row of the case list."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    survivor = PersonRefSerializer(read_only=True)
    stage_name = serializers.SerializerMethodField()
    organisation = OrganisationRefSerializer(read_only=True)
    district_name = serializers.CharField(source="district.name_en", read_only=True)
    sop_version = serializers.CharField(source="sop_version.version", read_only=True)
    overdue = serializers.SerializerMethodField(help_text="Past the current stage's deadline.")
    clock_kind = serializers.SerializerMethodField(help_text="statutory, target, or empty: the stage has no deadline.")

    class Meta:
        model = Case
        fields = ["id", "number", "survivor", "stage", "stage_name", "status", "organisation", "district",
                  "district_name", "is_minor", "sop_version", "identified_at", "due_at", "overdue",
                  "clock_kind"]  # fmt: skip
        read_only_fields = fields

    def get_stage_name(self, case: Case) -> str:
        return case_services.stage_name(case)

    def get_overdue(self, case: Case) -> bool:
        return case_services.case_clock(case, now=_now(self.context)).overdue

    def get_clock_kind(self, case: Case) -> str:
        return case_services.case_clock(case, now=_now(self.context)).kind


class ClockSerializer(serializers.Serializer):
    in_stage_seconds = serializers.IntegerField()
    due_at = serializers.DateTimeField(allow_null=True)
    remaining_seconds = serializers.IntegerField(allow_null=True, help_text="Negative once overdue.")
    overdue = serializers.BooleanField()
    kind = serializers.CharField(help_text="statutory, target, or empty: the stage has no deadline.")
    law = serializers.CharField(help_text="The law a statutory deadline comes from.")


class StepSerializer(serializers.Serializer):
    action = serializers.CharField()
    to = serializers.CharField(allow_null=True)
    to_name = serializers.CharField(allow_null=True)
    allowed = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why not, when not allowed.")


class CaseDetailSerializer(CaseSerializer):
    """The whole case, as the case page shows it, without the sensitive notes."""

    opened_by_organisation = OrganisationRefSerializer(read_only=True)
    owner = UserRefSerializer(read_only=True, allow_null=True)
    team = UserRefSerializer(many=True, read_only=True)
    clock = serializers.SerializerMethodField()
    available_steps = serializers.SerializerMethodField()
    can_work = serializers.SerializerMethodField(help_text="The caller may move the case and record on it.")
    can_read_sensitive = serializers.SerializerMethodField(help_text="GET .../sensitive/ would answer the caller.")
    stage_history = serializers.SerializerMethodField()
    decisions = DecisionSerializer(many=True, read_only=True)
    consents = ConsentSerializer(many=True, read_only=True)
    documents = CaseDocumentSerializer(many=True, read_only=True)
    related_persons = RelatedPersonSerializer(many=True, read_only=True)
    trafficking_events = TraffickingEventSerializer(many=True, read_only=True)
    assessments = AssessmentSerializer(many=True, read_only=True)
    support_plans = SupportPlanSerializer(many=True, read_only=True)
    services = ServiceDeliverySerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)
    pending_transfer = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields, "revision", "stage_entered_at", "sop_events", "hold_reason",
            "closure_reason", "closed_at", "path", "opened_by_organisation", "owner", "team",
            "age_at_identification", "trafficking_status", "exploitation_types", "control_methods",
            "recruitment_place", "recruitment_district", "exploitation_place", "exploitation_country", "summary",
            "escalate_at", "escalated_at", "created_at", "updated_at", "clock", "available_steps", "can_work",
            "can_read_sensitive", "stage_history", "decisions", "consents", "documents", "related_persons",
            "trafficking_events", "assessments", "support_plans", "services", "follow_ups", "pending_transfer",
            "timeline",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ClockSerializer)
    def get_clock(self, case: Case) -> dict[str, Any]:
        clock = case_services.case_clock(case, now=_now(self.context))
        return {
            "in_stage_seconds": int(clock.in_stage.total_seconds()),
            "due_at": clock.due,
            "remaining_seconds": int(clock.remaining.total_seconds()) if clock.remaining is not None else None,
            "overdue": clock.overdue,
            "kind": clock.kind,
            "law": clock.law,
        }

    @extend_schema_field(StepSerializer(many=True))
    def get_available_steps(self, case: Case) -> Any:
        user = self.context["request"].user
        steps = [
            {"action": v.action, "to": v.to, "to_name": case_services.stage_name(case, v.to) if v.to else None,
             "allowed": v.allowed, "reasons": list(v.reasons)}
            for v in case_services.case_available(case, user, now=_now(self.context))
        ]  # fmt: skip
        return StepSerializer(steps, many=True).data

    def get_can_work(self, case: Case) -> bool:
        return selectors.case_can_work(self.context["request"].user, case)

    def get_can_read_sensitive(self, case: Case) -> bool:
        return case_services.may_read_sensitive(self.context["request"].user, case)

    @extend_schema_field(StageRecordSerializer(many=True))
    def get_stage_history(self, case: Case) -> Any:
        return StageRecordSerializer(case.stages.all(), many=True, context={"case": case}).data

    @extend_schema_field(TransferSerializer(allow_null=True))
    def get_pending_transfer(self, case: Case) -> Any:
        pending = next((t for t in case.transfers.all() if t.state == Transfer.State.PENDING), None)
        return TransferSerializer(pending).data if pending else None

    @extend_schema_field(CaseEventSerializer(many=True))
    def get_timeline(self, case: Case) -> Any:
        return CaseEventSerializer(selectors.timeline(case), many=True).data


# What CaseDetailSerializer reads: one query per relation.
CASE_DETAIL_PREFETCH = (
    "team", "stages__moved_by", "decisions__documents", "decisions__organisation", "decisions__decided_by",
    "consents__recorded_by", "documents__uploaded_by", "related_persons__person", "trafficking_events",
    "assessments__recorded_by", "support_plans__recorded_by", "services__provider", "services__plan",
    "services__recorded_by", "follow_ups__recorded_by", "transfers__from_organisation", "transfers__to_organisation",
    "transfers__requested_by", "transfers__answered_by",
)  # fmt: skip


# --- requests ------------------------------------------------------------------------------------------------


class CaseFilterSerializer(serializers.Serializer):
    """The list's filters; an unknown value is a 400, never a silently unfiltered list."""

    q = serializers.CharField(required=False, allow_blank=True,
                              help_text="A case number, or the survivor's name in either script.")  # fmt: skip
    stage = serializers.CharField(required=False, allow_blank=True, max_length=64, help_text="An SOP stage key.")
    status = serializers.ChoiceField(
        choices=[("open", "Open (active or follow-up)"), *choices.CaseStatus.choices], required=False, allow_blank=True
    )
    overdue = serializers.BooleanField(required=False, default=False,
                                       help_text="Only open cases past their stage's deadline.")  # fmt: skip
    organisation = PublicIdField(queryset=Organisation.objects.all(), required=False,
                                 help_text="The organisation in charge (its id).")  # fmt: skip
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all(), required=False,
                                                  help_text="District id (/api/v1/districts/).")  # fmt: skip
    district_code = serializers.CharField(required=False, max_length=16,
                                          help_text="District code (the LGD code of an Indian district).")  # fmt: skip
    minor = serializers.BooleanField(required=False, allow_null=True, default=None,
                                     help_text="true: children when identified; false: adults.")  # fmt: skip
    sop_version = serializers.SlugRelatedField(slug_field="version", queryset=SopVersion.objects.all(),
                                               required=False, help_text="The SOP version, e.g. 1.")  # fmt: skip

    def validate_district_code(self, code: str) -> District:
        district = District.objects.filter(code=code).first() if code else None
        if district is None:
            raise serializers.ValidationError(_("No district has this code."))
        return district

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.validated_data
        district = data.get("district_code") or data.get("district")
        return {
            "query": data.get("q", ""),
            "stage": data.get("stage", ""),
            "status": data.get("status", ""),
            "overdue": data["overdue"],
            "organisation_id": data["organisation"].pk if data.get("organisation") else None,
            "district_id": district.pk if district else None,
            "minor": data["minor"],
            "sop_version_id": data["sop_version"].pk if data.get("sop_version") else None,
        }


class CaseOpenSerializer(serializers.Serializer):
    """What a client sends to open a case. Types are checked here; the rules (scope, age, SOP) by the service."""

    survivor = serializers.UUIDField(help_text="Person id (/api/v1/persons/).")
    organisation = PublicIdField(
        queryset=Organisation.objects.filter(is_active=True), required=False,
        help_text="Only needed when the caller opens cases for more than one organisation.",
    )  # fmt: skip
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all(), help_text="Jurisdiction.")
    identified_at = serializers.DateTimeField(help_text="When she was identified or rescued (ISO, AD).")
    age_at_identification = serializers.IntegerField(
        required=False, allow_null=True, help_text="Estimate if unknown; taken from her birth date when omitted."
    )
    path = serializers.ChoiceField(choices=choices.CasePath.choices, required=False,
                                   help_text="Taken from her nationality when omitted.")  # fmt: skip
    trafficking_status = serializers.ChoiceField(choices=choices.TraffickingStatus.choices, required=False)
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=choices.ExploitationType.choices), required=False
    )
    control_methods = serializers.ListField(
        child=serializers.ChoiceField(choices=choices.ControlMethod.choices), required=False
    )
    recruitment_place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    recruitment_district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.all(), required=False, allow_null=True
    )
    exploitation_place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    exploitation_country = serializers.RegexField(r"^[A-Z]{2}$", required=False, allow_blank=True,
                                                  help_text="ISO 3166-1 alpha-2.")  # fmt: skip
    summary = serializers.CharField(required=False, allow_blank=True,
                                    help_text="No testimony or health details: those are sensitive notes.")  # fmt: skip


class CaseEditSerializer(serializers.Serializer):
    """A change to the case's descriptive fields; only the fields sent change."""

    revision = serializers.IntegerField(min_value=1, help_text="The case's revision the change was made on.")
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all(), required=False)
    path = serializers.ChoiceField(choices=choices.CasePath.choices, required=False)
    trafficking_status = serializers.ChoiceField(choices=choices.TraffickingStatus.choices, required=False)
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=choices.ExploitationType.choices), required=False
    )
    control_methods = serializers.ListField(
        child=serializers.ChoiceField(choices=choices.ControlMethod.choices), required=False
    )
    recruitment_place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    recruitment_district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.all(), required=False, allow_null=True
    )
    exploitation_place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    exploitation_country = serializers.RegexField(r"^[A-Z]{2}$", required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)


class CaseTeamSerializer(serializers.Serializer):
    """The case owner and team, by username; everyone must be able to work on the case."""

    revision = serializers.IntegerField(min_value=1)
    owner = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True))
    team = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True), many=True, required=False
    )


class SupportPlanEndSerializer(serializers.Serializer):
    actual_end = serializers.DateField()


class CaseActSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=64, help_text="An SOP step out of the current stage.")
    reason = serializers.CharField(allow_blank=True, help_text="Why the case moves on (kept in the stage history).")
    revision = serializers.IntegerField(min_value=1, help_text="The case's revision the step was decided on.")
    counterpart_reference = serializers.CharField(
        max_length=200, required=False, allow_blank=True,
        help_text="A bilateral stage: the other country's reply (letter, message or meeting).",
    )  # fmt: skip
    closure_reason = serializers.ChoiceField(choices=choices.ClosureReason.choices, required=False, allow_blank=True)


class CaseReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    revision = serializers.IntegerField(min_value=1)


class CaseRevisionSerializer(serializers.Serializer):
    revision = serializers.IntegerField(min_value=1)


class TransferRequestSerializer(serializers.Serializer):
    to_organisation = PublicIdField(queryset=Organisation.objects.all(), help_text="Organisation id.")
    reason = serializers.CharField(allow_blank=True)
    revision = serializers.IntegerField(min_value=1)


class TransferAnswerSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True,
                                   help_text="Required to refuse.")  # fmt: skip
