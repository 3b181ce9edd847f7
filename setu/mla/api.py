"""MLA requests for machines: /api/v1/mla/requests/ (list, read, draft, send, move, documents) and
/api/v1/mla/dashboard/. The same selectors and services as the pages, so every rule (scope, authorities,
basis, dates, moves, audit) exists once. Dates are ISO (AD); 404 for missing and forbidden alike."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.core.http import protected_file
from setu.legal.models import Prosecution
from setu.mla import selectors, services, workflow
from setu.mla.models import (
    Deadline,
    Direction,
    DocumentKind,
    Language,
    LegalBasis,
    MlaDocument,
    MlaRequest,
    RequestType,
    Status,
    StatusChange,
    Urgency,
)

_STATUSES = ", ".join(Status.values)


class MlaStatusChangeSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True, default=None)
    from_status = serializers.CharField(read_only=True, help_text=f"One of {_STATUSES}, or empty for the first.")
    to_status = serializers.CharField(read_only=True, help_text=f"One of {_STATUSES}.")
    from_peer = serializers.CharField(read_only=True, help_text="The node that made the move (NP or IN), or empty.")

    class Meta:
        model = StatusChange
        fields = ["from_status", "to_status", "at", "on", "by", "from_peer", "reason"]
        read_only_fields = fields


class MlaDeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deadline
        fields = ["rule", "starts_on", "due_on", "statutory", "met_at"]
        read_only_fields = fields


class MlaDocumentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    kind = serializers.CharField(read_only=True, help_text=f"One of {', '.join(DocumentKind.values)}.")
    from_peer = serializers.CharField(read_only=True, help_text="Listed by the other node (NP or IN): no file here.")
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = MlaDocument
        fields = ["id", "kind", "title", "sha256", "size", "content_type", "from_peer", "has_file", "created_at"]
        read_only_fields = fields

    def get_has_file(self, document: MlaDocument) -> bool:
        return bool(document.file)


class MlaRequestSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    organisation = serializers.UUIDField(source="organisation.public_id", read_only=True, default=None)
    prosecution = serializers.UUIDField(source="prosecution.public_id", read_only=True, default=None)
    status = serializers.CharField(read_only=True, help_text=f"One of {_STATUSES}.")
    direction = serializers.CharField(read_only=True, help_text="outgoing (this node requests) or incoming.")
    peer_code = serializers.CharField(read_only=True, help_text="The other country: NP or IN.")
    requesting_state = serializers.CharField(read_only=True, help_text="NP or IN.")
    requested_state = serializers.CharField(read_only=True, help_text="NP or IN.")

    class Meta:
        model = MlaRequest
        fields = ["id", "number", "exchange_ref", "direction", "organisation", "peer_code", "peer_number",
                  "requesting_state", "requesting_authority", "requested_state", "requested_authority", "types",
                  "legal_basis", "prosecution", "prosecution_refs", "subject", "summary", "urgency", "language",
                  "language_reason", "women_children", "letter_date", "respond_by", "sent_on", "received_on",
                  "status", "status_changed_at", "status_reason", "created_at"]  # fmt: skip
        read_only_fields = fields


class MlaRequestDetailSerializer(MlaRequestSerializer):
    history = MlaStatusChangeSerializer(many=True, read_only=True)
    deadlines = MlaDeadlineSerializer(many=True, read_only=True)
    documents = MlaDocumentSerializer(many=True, read_only=True)

    class Meta(MlaRequestSerializer.Meta):
        fields = [*MlaRequestSerializer.Meta.fields, "history", "deadlines", "documents"]
        read_only_fields = fields


class MlaDraftSerializer(serializers.Serializer):
    """Types are checked here; the rules (authorities, basis, dates, language) by the service."""

    organisation = serializers.SlugRelatedField(slug_field="public_id", queryset=Organisation.objects.filter(
        is_active=True), required=False, help_text="Only when the caller drafts for several offices.")  # fmt: skip
    requesting_authority = serializers.CharField(max_length=48, help_text="A code of setu/mla/data/authorities.yaml.")
    requested_authority = serializers.CharField(max_length=48)
    types = serializers.ListField(child=serializers.ChoiceField(choices=RequestType.choices), allow_empty=True)
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    prosecution = serializers.UUIDField(required=False, allow_null=True)
    subject = serializers.CharField(max_length=200, allow_blank=True)
    summary = serializers.CharField(max_length=4000, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    language = serializers.ChoiceField(choices=Language.choices)
    language_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    women_children = serializers.BooleanField(default=False)
    letter_date = serializers.DateField(allow_null=True)
    respond_by = serializers.DateField(required=False, allow_null=True)


class MlaMoveSerializer(serializers.Serializer):
    # A string, checked by the service (its "choose a status" message): an enum here clashes with other apps'.
    status = serializers.CharField(max_length=20, help_text=f"One of {_STATUSES}.")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False, allow_null=True, help_text="When it happened (ISO, AD); today if empty.")


class MlaDocumentUploadSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=24, help_text=f"One of {', '.join(DocumentKind.values)}.")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    file = serializers.FileField()


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class MlaRequestViewSet(viewsets.GenericViewSet):
    serializer_class = MlaRequestSerializer
    lookup_field = "public_id"
    queryset = MlaRequest.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _detail(self, mla: MlaRequest, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = MlaRequest.objects.select_related("organisation", "prosecution").get(pk=mla.pk)
        return Response(MlaRequestDetailSerializer(fresh).data, status=status_code)

    @extend_schema(parameters=[
        OpenApiParameter("q", str, description="The number (ours or the other node's), subject or prosecution."),
        OpenApiParameter("status", str, enum=Status.values),
        OpenApiParameter("direction", str, enum=Direction.values),
        OpenApiParameter("kind", str, enum=RequestType.values),
    ])  # fmt: skip
    def list(self, request: Request) -> Response:
        policy.require(request.user, Permission.MLA_VIEW, object_type=services.REQUEST_OBJECT)
        params = request.query_params
        filters = {
            "query": params.get("q", ""),
            "status": params.get("status", "") if params.get("status", "") in Status.values else "",
            "direction": params.get("direction", "") if params.get("direction", "") in Direction.values else "",
            "kind": params.get("kind", "") if params.get("kind", "") in RequestType.values else "",
        }
        page = self.paginate_queryset(selectors.request_list_for(request.user, **filters))  # type: ignore[arg-type]
        return self.get_paginated_response(MlaRequestSerializer(page, many=True).data)

    @extend_schema(responses=MlaRequestDetailSerializer)
    def retrieve(self, request: Request, public_id: str) -> Response:
        return self._detail(selectors.request_get_for(request.user, public_id))

    @extend_schema(request=MlaDraftSerializer, responses={201: MlaRequestDetailSerializer})
    def create(self, request: Request) -> Response:
        # The function-level check first: a role that may not draft learns nothing from field errors.
        policy.require(request.user, Permission.MLA_MANAGE, object_type=services.REQUEST_OBJECT)
        data = _valid(MlaDraftSerializer, request)
        prosecution = self._prosecution(request, data.pop("prosecution", None))
        mla = services.request_draft(actor=request.user, prosecution=prosecution, **data)
        return self._detail(mla, status.HTTP_201_CREATED)

    @extend_schema(request=MlaDraftSerializer, responses=MlaRequestDetailSerializer)
    def partial_update(self, request: Request, public_id: str) -> Response:
        """Change a draft (only while it is one)."""
        mla = selectors.request_get_for(request.user, public_id, permission=Permission.MLA_MANAGE)
        serializer = MlaDraftSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("organisation", None)  # the office is set once, when drafted
        if "prosecution" in data:
            data["prosecution"] = self._prosecution(request, data["prosecution"])
        return self._detail(services.request_update(actor=request.user, request=mla, **data))

    def _prosecution(self, request: Request, public_id) -> Prosecution | None:
        if public_id is None:
            return None
        prosecution = Prosecution.objects.filter(public_id=public_id).first()
        if prosecution is None:
            policy.deny(request.user, Permission.LEGAL_VIEW.value, object_type="legal.prosecution",
                        object_id=str(public_id))  # fmt: skip
        return prosecution

    @extend_schema(request=None, responses=MlaRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request: Request, public_id: str) -> Response:
        """Send a drafted request to the other country's node (it becomes "sent")."""
        mla = selectors.request_get_for(request.user, public_id, permission=Permission.MLA_MANAGE)
        return self._detail(services.request_send(actor=request.user, request=mla))

    @extend_schema(request=MlaMoveSerializer, responses=MlaRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, public_id: str) -> Response:
        """Record a new status (a refusal or partial execution needs the reason)."""
        mla = selectors.request_get_for(request.user, public_id, permission=Permission.MLA_MANAGE)
        data = _valid(MlaMoveSerializer, request)
        return self._detail(services.request_move(actor=request.user, request=mla, **data))

    @extend_schema(request=MlaDocumentUploadSerializer, responses={200: MlaDocumentSerializer(many=True),
                                                                 201: MlaDocumentSerializer})  # fmt: skip
    @action(detail=True, methods=["get", "post"])
    def documents(self, request: Request, public_id: str) -> Response:
        """The request's documents; POST (multipart) adds one."""
        if request.method == "GET":
            mla = selectors.request_get_for(request.user, public_id)
            return Response(MlaDocumentSerializer(mla.documents.all(), many=True).data)
        mla = selectors.request_get_for(request.user, public_id, permission=Permission.MLA_MANAGE)
        data = _valid(MlaDocumentUploadSerializer, request)
        document = services.document_add(actor=request.user, request=mla, kind=data["kind"], title=data["title"],
                                         upload=data["file"])  # fmt: skip
        return Response(MlaDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): bytes},
                   parameters=[OpenApiParameter("document_id", str, OpenApiParameter.PATH)])  # fmt: skip
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>[^/.]+)/file")
    def document_file(self, request: Request, public_id: str, document_id: str):
        stored = selectors.document_get_for(request.user, public_id, document_id)
        return protected_file(stored.file.open("rb"), content_type=stored.content_type, filename=stored.download_name)


class DashboardView(APIView):
    """Open requests by status and age, and the open deadlines overdue and near, over what the caller sees."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        policy.require(request.user, Permission.MLA_VIEW, object_type=services.REQUEST_OBJECT)
        board = selectors.dashboard_for(request.user)

        def rows(deadlines: list[Deadline]) -> list[dict]:
            return [{"request": str(d.request.public_id), "number": d.request.number, "rule": d.rule,
                     "due_on": d.due_on.isoformat(), "statutory": d.statutory} for d in deadlines]  # fmt: skip

        return Response({
            "open": board.open_total,
            "by_status": {value: count for value, _label, count in board.by_status},
            "by_age": [{"days": band, workflow.OUTGOING: o, workflow.INCOMING: i} for band, o, i in board.by_age],
            "overdue": rows(board.overdue),
            "near": rows(board.near),
        })  # fmt: skip
