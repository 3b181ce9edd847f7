"""Joint training for machines: /api/v1/training/. The same selectors and services as the pages, so every
rule (scope, dates, scores, completion, audit) exists once. Dates are ISO (AD); 404 for missing and
forbidden alike. The certificate check (/api/v1/training/verify/?code=) is public, like its page, and
answers the same 404 for an unknown and a malformed code."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.core.enums import Gender
from setu.training import selectors, services
from setu.training.models import Certificate, Participant, ParticipantKind, Programme, Session, TopicArea

TOPIC_HELP = "A topic area: " + ", ".join(TopicArea.values) + "."
KIND_HELP = "Where the participant comes from: " + ", ".join(ParticipantKind.values) + "."
COUNTRY_HELP = "NP or IN."

# --- read ------------------------------------------------------------------------------------------------------


class TrainingSessionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    topic = serializers.CharField(read_only=True, help_text=TOPIC_HELP)

    class Meta:
        model = Session
        fields = ["id", "title", "starts_at", "ends_at", "place", "topic"]
        read_only_fields = fields


class TrainingParticipantSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    gender = serializers.ChoiceField(source="sex", choices=Gender.choices, read_only=True)
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    node = serializers.CharField(read_only=True, help_text=COUNTRY_HELP)
    organisation = serializers.UUIDField(source="organisation.public_id", read_only=True, default=None)
    organisation_label = serializers.CharField(read_only=True)
    score_change = serializers.IntegerField(read_only=True, allow_null=True)
    certificate = serializers.SerializerMethodField()

    class Meta:
        model = Participant
        fields = ["id", "name", "gender", "designation", "kind", "organisation", "organisation_name",
                  "organisation_label", "node", "pre_score", "post_score", "score_change", "certificate"]  # fmt: skip
        read_only_fields = fields

    def get_certificate(self, participant: Participant) -> str | None:
        certificate = getattr(participant, "certificate", None)
        return str(certificate.public_id) if certificate is not None else None


class ProgrammeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    host_country = serializers.CharField(read_only=True, help_text=COUNTRY_HELP)
    organiser = serializers.UUIDField(source="organiser.public_id", read_only=True)
    organiser_name = serializers.CharField(source="organiser.name_en", read_only=True)
    trainers = serializers.ListField(source="trainer_names", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "title", "topics", "host_country", "place", "starts_on", "ends_on", "organiser",
                  "organiser_name", "trainers", "description", "is_joint", "seats", "reply_by",
                  "created_at"]  # fmt: skip
        read_only_fields = fields


class ProgrammeDetailSerializer(ProgrammeSerializer):
    sessions = TrainingSessionSerializer(many=True, read_only=True)
    participants = TrainingParticipantSerializer(many=True, read_only=True)

    class Meta(ProgrammeSerializer.Meta):
        fields = [*ProgrammeSerializer.Meta.fields, "sessions", "participants"]
        read_only_fields = fields


class TrainingCertificateSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    code = serializers.CharField(source="display_code", read_only=True)
    participant = serializers.UUIDField(source="participant.public_id", read_only=True)
    name = serializers.CharField(source="participant.name", read_only=True)
    programme = serializers.UUIDField(source="participant.programme.public_id", read_only=True)
    valid = serializers.BooleanField(source="is_valid", read_only=True)

    class Meta:
        model = Certificate
        fields = ["id", "code", "participant", "name", "programme", "issued_at", "valid", "revoked_at",
                  "revoke_reason"]  # fmt: skip
        read_only_fields = fields


# --- write -----------------------------------------------------------------------------------------------------


class ProgrammeWriteSerializer(serializers.Serializer):
    """Types only; the rules (dates in order, topic areas, who may organise) are the services'."""

    title = serializers.CharField(max_length=200, allow_blank=True)
    topics = serializers.ListField(child=serializers.ChoiceField(choices=TopicArea.choices), max_length=6)
    host_country = serializers.CharField(max_length=2, help_text=COUNTRY_HELP)
    place = serializers.CharField(max_length=200, allow_blank=True)
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    trainers = serializers.CharField(max_length=2000, required=False, allow_blank=True,
                                     help_text="One name a line.")  # fmt: skip
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    is_joint = serializers.BooleanField(required=False)
    seats = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=500)
    reply_by = serializers.DateField(required=False, allow_null=True)


class ProgrammeCreateSerializer(ProgrammeWriteSerializer):
    organiser = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Organisation.objects.filter(is_active=True), required=False,
        help_text="Only needed when the caller organises for more than one organisation.",
    )  # fmt: skip


class TrainingSessionWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    topic = serializers.CharField(max_length=24, help_text=TOPIC_HELP)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)


class TrainingParticipantWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, allow_blank=True)
    gender = serializers.ChoiceField(choices=Gender.choices)
    designation = serializers.CharField(max_length=200, allow_blank=True)
    kind = serializers.CharField(max_length=16, required=False, help_text=KIND_HELP)
    organisation = serializers.SlugRelatedField(slug_field="public_id", queryset=Organisation.objects.all(),
                                                required=False, allow_null=True)  # fmt: skip
    organisation_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    node = serializers.CharField(max_length=2, required=False, help_text=COUNTRY_HELP)


class TrainingAttendanceSerializer(serializers.Serializer):
    session = serializers.UUIDField()
    present = serializers.ListField(
        child=serializers.UUIDField(),
        max_length=1000,
        help_text="The participants present; every other participant is marked absent.",
    )


class TrainingScoreSerializer(serializers.Serializer):
    participant = serializers.UUIDField()
    pre_score = serializers.IntegerField(allow_null=True, required=False)
    post_score = serializers.IntegerField(allow_null=True, required=False)


class TrainingCertificateIssueSerializer(serializers.Serializer):
    participant = serializers.UUIDField()


class CertificateRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True)


def _valid(serializer_class: type[serializers.Serializer], request: Request, **kwargs: Any) -> Any:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- endpoints -------------------------------------------------------------------------------------------------


class ProgrammeViewSet(viewsets.GenericViewSet):
    """Training programmes: list, read, create, change; their sessions, participants, attendance, scores and
    certificates."""

    serializer_class = ProgrammeSerializer
    lookup_field = "public_id"
    queryset = Programme.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _detail(self, programme: Programme, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = (
            Programme.objects.select_related("organiser")
            .prefetch_related("sessions", "participants__organisation", "participants__certificate")
            .get(pk=programme.pk)
        )
        return Response(ProgrammeDetailSerializer(fresh).data, status=status_code)

    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("topic", str, enum=TopicArea.values),
                               OpenApiParameter("upcoming", bool)])  # fmt: skip
    def list(self, request: Request) -> Response:
        policy.require(request.user, Permission.TRAINING_VIEW, object_type=services.PROGRAMME_OBJECT)
        params = request.query_params
        topic = params.get("topic", "")
        rows = selectors.programme_list_for(request.user, query=params.get("q", "")[:100],
                                            topic=topic if topic in TopicArea.values else "",
                                            upcoming=params.get("upcoming", "") in ("1", "true"))  # fmt: skip
        page = self.paginate_queryset(rows)  # type: ignore[arg-type]
        return self.get_paginated_response(ProgrammeSerializer(page, many=True).data)

    @extend_schema(responses=ProgrammeDetailSerializer)
    def retrieve(self, request: Request, public_id: str) -> Response:
        return self._detail(selectors.programme_get_for(request.user, public_id))

    @extend_schema(request=ProgrammeCreateSerializer, responses={201: ProgrammeDetailSerializer})
    def create(self, request: Request) -> Response:
        policy.require(request.user, Permission.TRAINING_MANAGE, object_type=services.PROGRAMME_OBJECT)
        data = dict(_valid(ProgrammeCreateSerializer, request))
        programme = services.programme_create(actor=request.user, **data)
        return self._detail(programme, status.HTTP_201_CREATED)

    @extend_schema(request=ProgrammeWriteSerializer, responses=ProgrammeDetailSerializer)
    def partial_update(self, request: Request, public_id: str) -> Response:
        programme = selectors.programme_get_for(request.user, public_id, permission=Permission.TRAINING_MANAGE)
        data = dict(_valid(ProgrammeWriteSerializer, request, partial=True))
        return self._detail(services.programme_update(actor=request.user, programme=programme, **data))

    def _managed(self, request: Request, public_id: str) -> Programme:
        return selectors.programme_get_for(request.user, public_id, permission=Permission.TRAINING_MANAGE)

    @extend_schema(request=TrainingSessionWriteSerializer, responses={201: TrainingSessionSerializer})
    @action(detail=True, methods=["post"])
    def sessions(self, request: Request, public_id: str) -> Response:
        programme = self._managed(request, public_id)
        data = dict(_valid(TrainingSessionWriteSerializer, request))
        session = services.session_add(actor=request.user, programme=programme, **data)
        return Response(TrainingSessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TrainingParticipantWriteSerializer, responses={201: TrainingParticipantSerializer})
    @action(detail=True, methods=["post"])
    def participants(self, request: Request, public_id: str) -> Response:
        programme = self._managed(request, public_id)
        data = dict(_valid(TrainingParticipantWriteSerializer, request))
        data["sex"] = data.pop("gender")
        participant = services.participant_add(actor=request.user, programme=programme, **data)
        return Response(TrainingParticipantSerializer(participant).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TrainingAttendanceSerializer, responses=ProgrammeDetailSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, public_id: str) -> Response:
        programme = self._managed(request, public_id)
        data = _valid(TrainingAttendanceSerializer, request)
        session = selectors.session_get_for(request.user, programme, data["session"])
        wanted = set(data["present"])
        present = list(programme.participants.filter(public_id__in=wanted))
        if len(present) != len(wanted):
            from django.core.exceptions import ValidationError

            raise ValidationError({"present": ["Mark only the participants of this programme."]})
        services.attendance_mark(actor=request.user, session=session, present=present)
        return self._detail(programme)

    @extend_schema(request=TrainingScoreSerializer(many=True), responses=ProgrammeDetailSerializer)
    @action(detail=True, methods=["post"])
    def scores(self, request: Request, public_id: str) -> Response:
        """The score sheet: a list of {participant, pre_score, post_score}; one score out of range refuses all."""
        programme = self._managed(request, public_id)
        rows = _valid(TrainingScoreSerializer, request, many=True)
        sheet = {}
        for row in rows:
            participant = selectors.participant_get_for(request.user, programme, row["participant"])
            sheet[participant] = (row.get("pre_score"), row.get("post_score"))
        services.scores_record_many(actor=request.user, programme=programme, scores=sheet)
        return self._detail(programme)

    @extend_schema(request=TrainingCertificateIssueSerializer, responses={201: TrainingCertificateSerializer})
    @action(detail=True, methods=["post"])
    def certificates(self, request: Request, public_id: str) -> Response:
        programme = self._managed(request, public_id)
        data = _valid(TrainingCertificateIssueSerializer, request)
        participant = selectors.participant_get_for(request.user, programme, data["participant"])
        certificate = services.certificate_issue(actor=request.user, participant=participant)
        return Response(TrainingCertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)


class CertificateViewSet(viewsets.GenericViewSet):
    serializer_class = TrainingCertificateSerializer
    lookup_field = "public_id"
    queryset = Certificate.objects.none()
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(responses=TrainingCertificateSerializer)
    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(TrainingCertificateSerializer(selectors.certificate_get_for(request.user, public_id)).data)

    @extend_schema(request=CertificateRevokeSerializer, responses=TrainingCertificateSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, public_id: str) -> Response:
        certificate = selectors.certificate_get_for(request.user, public_id)
        data = _valid(CertificateRevokeSerializer, request)
        services.certificate_revoke(actor=request.user, certificate=certificate, reason=data["reason"])
        return Response(TrainingCertificateSerializer(Certificate.objects.get(pk=certificate.pk)).data)


class VerifyThrottle(AnonRateThrottle):
    rate = "30/10m"

    def parse_rate(self, rate: str | None) -> tuple[int | None, int | None]:
        return (30, 600) if rate else (None, None)

    def get_cache_key(self, request, view) -> str | None:  # type: ignore[no-untyped-def]
        # Signed-in callers are counted too: the check is an oracle whoever asks.
        return self.cache_format % {"scope": "training-verify", "ident": self.get_ident(request)}


class CertificateVerificationSerializer(serializers.Serializer):
    name = serializers.CharField()
    course = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    valid = serializers.BooleanField()
    code = serializers.CharField()


@extend_schema(parameters=[OpenApiParameter("code", str, required=True)], responses=CertificateVerificationSerializer)
@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([VerifyThrottle])
def verify(request: Request) -> Response:
    """A certificate's public check: only the name, the course, the dates and whether it is valid."""
    found = selectors.certificate_verify(str(request.query_params.get("code", ""))[:64])
    if found is None:
        return Response({"detail": "There is no certificate with this code."}, status=status.HTTP_404_NOT_FOUND)
    return Response(CertificateVerificationSerializer(found).data)
