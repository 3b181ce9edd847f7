"""Missing-person reports for machines: /api/v1/tracing/reports/. The same selectors and services as the pages,
so every rule (scope, restricted reports, validation, audit) exists once. Dates are ISO (AD) here; 404 for
missing and forbidden alike. A photo of the missing person goes to her record:
POST /api/v1/persons/{person.id}/photos/ (multipart)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.core.enums import Gender
from setu.geo.models import District, LocalLevel
from setu.people import selectors as people_selectors
from setu.people.api import OrganisationRefSerializer
from setu.people.models import Nationality, Person
from setu.tracing import selectors, services
from setu.tracing.models import (
    CandidateStatus,
    MatchCandidate,
    MissingReport,
    ReferenceKind,
    ReporterRelation,
    Status,
    Visibility,
)

# --- read ------------------------------------------------------------------------------------------------------


class MissingPersonSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "full_name", "name_latin", "gender", "birth_date", "birth_precision", "age_estimate",
                  "age_estimated_on", "nationality", "home_district", "home_local_level", "home_ward"]  # fmt: skip
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    organisation = OrganisationRefSerializer(read_only=True)
    person = MissingPersonSerializer(read_only=True)

    class Meta:
        model = MissingReport
        fields = [
            "id", "number", "status", "visibility", "organisation", "person", "reporter_name", "reporter_relation",
            "reporter_phone", "reported_on", "last_seen_on", "last_seen_time", "last_seen_place",
            "last_seen_district", "last_seen_local_level", "circumstances", "reference_kind", "reference",
            "status_note", "found_at", "closed_at", "status_changed_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


# --- write -----------------------------------------------------------------------------------------------------


class MissingPersonWriteSerializer(serializers.Serializer):
    """The missing person: `id` of an existing record the caller may see, or the details of a new one."""

    id = serializers.UUIDField(required=False, help_text="An existing person record; the other fields are ignored.")
    full_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    other_name = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                       help_text="Her name in the other script, or another spelling.")  # fmt: skip
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True, help_text="ISO date, AD.")
    age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=120,
                                   help_text="Her age when last seen, when the birth date is not known.")  # fmt: skip
    nationality = serializers.ChoiceField(choices=Nationality.choices, required=False, allow_blank=True)
    father_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    mother_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    home_district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all(), required=False, allow_null=True)
    home_local_level = serializers.PrimaryKeyRelatedField(queryset=LocalLevel.objects.all(), required=False,
                                                          allow_null=True)  # fmt: skip
    home_ward = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=99)
    home_address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)


class ReportFieldsSerializer(serializers.Serializer):
    """The report's own fields. Types are checked here; the rules (dates, places, scope) by the services."""

    reporter_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reporter_relation = serializers.ChoiceField(choices=ReporterRelation.choices, required=False, allow_blank=True)
    reporter_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    reported_on = serializers.DateField(required=False, allow_null=True, help_text="ISO date, AD; default today.")
    last_seen_on = serializers.DateField(required=False, allow_null=True)
    last_seen_time = serializers.TimeField(required=False, allow_null=True)
    last_seen_place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    last_seen_district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all(), required=False,
                                                            allow_null=True)  # fmt: skip
    last_seen_local_level = serializers.PrimaryKeyRelatedField(
        queryset=LocalLevel.objects.all(), required=False, allow_null=True,
        help_text="Implies its district when the district is not given.",
    )  # fmt: skip
    circumstances = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    reference_kind = serializers.ChoiceField(choices=ReferenceKind.choices, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)


class ReportCreateSerializer(ReportFieldsSerializer):
    organisation = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Organisation.objects.filter(is_active=True), required=False,
        help_text="Only needed when the caller registers for more than one organisation.",
    )  # fmt: skip
    person = MissingPersonWriteSerializer()


class ReportStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(max_length=2000, allow_blank=True)


def _valid(serializer_class: type[serializers.Serializer], request: Request, **kwargs: Any) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- endpoints -------------------------------------------------------------------------------------------------


class MissingReportViewSet(viewsets.GenericViewSet):
    serializer_class = ReportSerializer
    lookup_field = "public_id"
    queryset = MissingReport.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _detail(self, report: MissingReport, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = MissingReport.objects.select_related("organisation", "person").get(pk=report.pk)
        return Response(ReportSerializer(fresh).data, status=status_code)

    @extend_schema(parameters=[
        OpenApiParameter("q", str, description="The missing person's name (any script), phone or document number, "
                                               "or the report number."),
        OpenApiParameter("status", str, enum=Status.values),
        OpenApiParameter("district", int, description="The district she was last seen in."),
    ])  # fmt: skip
    def list(self, request: Request) -> Response:
        policy.require(request.user, Permission.TRACING_VIEW, object_type=selectors.REPORT_OBJECT_TYPE)
        params = request.query_params
        query = params.get("q", "")
        district = params.get("district", "")
        filters = {
            "status": params.get("status", "") if params.get("status", "") in Status.values else "",
            "district_id": int(district) if district.isascii() and district.isdigit() and len(district) <= 9 else None,
        }
        selectors.report_list_audit(request.user, query=query)
        rows = selectors.report_results_for(request.user, query=query, **filters)
        page = self.paginate_queryset(rows)  # type: ignore[arg-type]
        return self.get_paginated_response(ReportSerializer(page, many=True).data)

    @extend_schema(responses=ReportSerializer)
    def retrieve(self, request: Request, public_id: str) -> Response:
        return self._detail(selectors.report_get_for(request.user, public_id))

    @extend_schema(request=ReportCreateSerializer, responses={201: ReportSerializer})
    def create(self, request: Request) -> Response:
        # The function-level check comes before validation: a role that may not register reports learns
        # nothing from field errors.
        policy.require(request.user, Permission.TRACING_RECORD, object_type=selectors.REPORT_OBJECT_TYPE)
        data = _valid(ReportCreateSerializer, request)
        person_data = dict(data.pop("person"))
        existing = person_data.pop("id", None)
        person = services.MissingPersonEntry(**person_data)
        if existing is not None:
            person = services.MissingPersonEntry(person=people_selectors.person_get_for(request.user, existing))
        report = services.report_create(actor=request.user, entry=services.ReportEntry(person=person, **data))
        return self._detail(report, status.HTTP_201_CREATED)

    @extend_schema(request=ReportFieldsSerializer, responses=ReportSerializer)
    def partial_update(self, request: Request, public_id: str) -> Response:
        report = selectors.report_get_for(request.user, public_id, permission=Permission.TRACING_RECORD)
        data = _valid(ReportFieldsSerializer, request, partial=True)
        return self._detail(services.report_update(actor=request.user, report=report, **data))

    @extend_schema(request=ReportStatusSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, public_id: str) -> Response:
        """Mark her found, close the report, or open it again (always with a note)."""
        report = selectors.report_get_for(request.user, public_id, permission=Permission.TRACING_RECORD)
        data = _valid(ReportStatusSerializer, request)
        return self._detail(services.report_set_status(actor=request.user, report=report, **data))


# --- the review queue ------------------------------------------------------------------------------------------


class CandidateSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    report = serializers.UUIDField(source="report.public_id", read_only=True)
    report_number = serializers.CharField(source="report.number", read_only=True)
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    explanation = serializers.ListField(
        child=serializers.DictField(), read_only=True,
        help_text="What each field said, strongest first: {field, level, label, weight (log2 of the Bayes factor)}.",
    )  # fmt: skip
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None)

    class Meta:
        model = MatchCandidate
        fields = ["id", "report", "report_number", "person", "person_name", "probability", "explanation", "status",
                  "decided_by", "decided_at", "reason", "created_at"]  # fmt: skip
        read_only_fields = fields


class MatchDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class MatchCandidateViewSet(viewsets.GenericViewSet):
    """Candidate matches proposed by the matcher: list, read, confirm or reject (with why)."""

    serializer_class = CandidateSerializer
    lookup_field = "public_id"
    queryset = MatchCandidate.objects.none()
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=CandidateStatus.values)])
    def list(self, request: Request) -> Response:
        policy.require(request.user, Permission.MATCH_REVIEW, object_type=selectors.CANDIDATE_OBJECT_TYPE)
        wanted = request.query_params.get("status", CandidateStatus.PROPOSED)
        status_filter = wanted if wanted in CandidateStatus.values else CandidateStatus.PROPOSED
        selectors.candidate_list_audit(request.user)
        page = self.paginate_queryset(selectors.candidate_list_for(request.user, status=status_filter))  # type: ignore[arg-type]
        return self.get_paginated_response(CandidateSerializer(page, many=True).data)

    @extend_schema(responses=CandidateSerializer)
    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(CandidateSerializer(selectors.candidate_get_for(request.user, public_id)).data)

    def _decide(self, request: Request, public_id: str, service) -> Response:
        candidate = selectors.candidate_get_for(request.user, public_id)
        data = _valid(MatchDecisionSerializer, request)
        decided = service(actor=request.user, candidate=candidate, reason=data["reason"])
        fresh = MatchCandidate.objects.select_related("report", "person", "decided_by").get(pk=decided.pk)
        return Response(CandidateSerializer(fresh).data)

    @extend_schema(request=MatchDecisionSerializer, responses=CandidateSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, public_id: str) -> Response:
        """The same person: the report is marked found and the holders of her records are told."""
        return self._decide(request, public_id, services.candidate_confirm)

    @extend_schema(request=MatchDecisionSerializer, responses=CandidateSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, public_id: str) -> Response:
        """Not the same person: not proposed again for this report."""
        return self._decide(request, public_id, services.candidate_reject)
