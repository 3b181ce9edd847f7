"""Survivor cases for machines: /api/v1/cases/, /api/v1/case-transfers/{id}/answer/, /api/v1/case-tasks/.

The same selectors and services as the pages, so every rule (scope, SOP, consent, audit) exists once. Public ids
only, dates and times ISO (AD), 404 for missing and forbidden alike. A step the SOP refuses is a 400 whose
`errors.action` lists every reason; a change sent with an outdated `revision` is a 409; nothing changes in either
case. Sensitive notes are never in a case: only .../sensitive/ shows them, to the team and supervisors.
The JSON shapes are in setu.cases.serializers.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, prefetch_related_objects
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.cases import selectors, services
from setu.cases.models import Case, Task, Transfer
from setu.cases.serializers import (
    CASE_DETAIL_PREFETCH,
    AssessmentSerializer,
    CaseActSerializer,
    CaseDetailSerializer,
    CaseDocumentSerializer,
    CaseEditSerializer,
    CaseFilterSerializer,
    CaseOpenSerializer,
    CaseReasonSerializer,
    CaseRevisionSerializer,
    CaseSerializer,
    CaseTaskSerializer,
    CaseTeamSerializer,
    ConsentSerializer,
    ConsentWithdrawSerializer,
    DecisionSerializer,
    FollowUpRecordSerializer,
    FollowUpSerializer,
    RelatedPersonSerializer,
    SensitiveNoteSerializer,
    ServiceDeliverySerializer,
    SupportPlanEndSerializer,
    SupportPlanSerializer,
    TraffickingEventSerializer,
    TransferAnswerSerializer,
    TransferRequestSerializer,
    TransferSerializer,
)
from setu.core.http import protected_file
from setu.people.models import Person

# --- access helpers ------------------------------------------------------------------------------------------


def _person(user, public_id: uuid.UUID, *, action: str) -> Person:
    """The person named in a request body. A missing one is refused like one out of scope (the service
    refuses that, audited): the caller cannot tell them apart."""
    person = Person.objects.filter(public_id=public_id).first()
    if person is None:
        policy.deny(user, action, object_type="people.person", object_id=str(public_id))
    return person


def _valid(serializer_class: type[serializers.Serializer], request: Request, **context: Any) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _created(serializer_class: type[serializers.Serializer], instance: Model) -> Response:
    return Response(serializer_class(instance).data, status=status.HTTP_201_CREATED)


def _path_id(name: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.UUID, OpenApiParameter.PATH)


# --- endpoints -----------------------------------------------------------------------------------------------


class ConflictAs409:
    """CaseConflictError (the case changed since `revision` was read; nothing was changed) is a 409."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, services.CaseConflictError):
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return super().handle_exception(exc)  # type: ignore[misc]


class CaseViewSet(ConflictAs409, viewsets.GenericViewSet):
    serializer_class = CaseSerializer
    lookup_field = "public_id"
    queryset = Case.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _case(self, public_id: str, permission: Permission = Permission.CASE_VIEW) -> Case:
        return selectors.case_get_for(self.request.user, public_id, permission=permission)

    def _detail(self, case: Case, status_code: int = status.HTTP_200_OK) -> Response:
        case = Case.objects.select_related(
            "survivor", "organisation", "opened_by_organisation", "district", "sop_version", "owner"
        ).get(pk=case.pk)
        prefetch_related_objects([case], *CASE_DETAIL_PREFETCH)
        context = {**self.get_serializer_context(), "now": timezone.now()}
        return Response(CaseDetailSerializer(case, context=context).data, status=status_code)

    @extend_schema(parameters=[CaseFilterSerializer])
    def list(self, request: Request) -> Response:
        policy.require(request.user, Permission.CASE_VIEW, object_type=selectors.CASE_OBJECT_TYPE)
        filters = CaseFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        kwargs = filters.selector_kwargs()
        selectors.case_list_audit(request.user, query=kwargs["query"])
        page = self.paginate_queryset(selectors.case_results_for(request.user, **kwargs))  # type: ignore[arg-type]
        context = {**self.get_serializer_context(), "now": timezone.now()}
        return self.get_paginated_response(CaseSerializer(page, many=True, context=context).data)

    @extend_schema(responses=CaseDetailSerializer)
    def retrieve(self, request: Request, public_id: str) -> Response:
        return self._detail(self._case(public_id))

    @extend_schema(request=CaseOpenSerializer, responses={201: CaseDetailSerializer})
    def create(self, request: Request) -> Response:
        # The function-level check comes first: a role that may not open cases learns nothing from field errors.
        policy.require(request.user, Permission.CASE_OPEN, object_type=selectors.CASE_OBJECT_TYPE)
        data = _valid(CaseOpenSerializer, request)
        data["survivor"] = _person(request.user, data["survivor"], action="case.open")
        case = services.case_open(actor=request.user, **data)
        return self._detail(case, status.HTTP_201_CREATED)

    @extend_schema(request=CaseEditSerializer, responses={200: CaseDetailSerializer, 409: OpenApiResponse(
        description="The case changed since `revision`.")})  # fmt: skip
    def partial_update(self, request: Request, public_id: str) -> Response:
        """Change the case's descriptive fields (status, exploitation, places, summary, way home, district)."""
        case = self._case(public_id, Permission.CASE_WORK)
        data = _valid(CaseEditSerializer, request)
        revision = data.pop("revision")
        return self._detail(services.case_update(actor=request.user, case=case, revision=revision, **data))

    @extend_schema(request=CaseTeamSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def team(self, request: Request, public_id: str) -> Response:
        """Name the case owner and team (who read the sensitive notes, with supervisors)."""
        case = self._case(public_id, Permission.CASE_WORK)
        data = _valid(CaseTeamSerializer, request)
        case = services.case_set_team(actor=request.user, case=case, owner=data["owner"],
                                      team=data.get("team", []), revision=data["revision"])  # fmt: skip
        return self._detail(case)

    # --- moving the case -------------------------------------------------------------------------------------

    @extend_schema(
        request=CaseActSerializer,
        responses={200: CaseDetailSerializer, 400: OpenApiResponse(description="The SOP refuses: errors.action "
                   "lists every reason."), 409: OpenApiResponse(description="The case changed since `revision`.")},
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def act(self, request: Request, public_id: str) -> Response:
        """Take one SOP step (see `available_steps` of the case)."""
        case = self._case(public_id, Permission.CASE_WORK)
        case = services.case_act(actor=request.user, case=case, **_valid(CaseActSerializer, request))
        return self._detail(case)

    @extend_schema(request=CaseReasonSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, public_id: str) -> Response:
        case = self._case(public_id, Permission.CASE_WORK)
        data = _valid(CaseReasonSerializer, request)
        return self._detail(services.case_hold(actor=request.user, case=case, **data))

    @extend_schema(request=CaseRevisionSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, public_id: str) -> Response:
        case = self._case(public_id, Permission.CASE_WORK)
        data = _valid(CaseRevisionSerializer, request)
        return self._detail(services.case_resume(actor=request.user, case=case, **data))

    @extend_schema(request=CaseReasonSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, public_id: str) -> Response:
        case = self._case(public_id, Permission.CASE_WORK)
        data = _valid(CaseReasonSerializer, request)
        return self._detail(services.case_reopen(actor=request.user, case=case, **data))

    @extend_schema(request=TransferRequestSerializer, responses={201: TransferSerializer})
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, public_id: str) -> Response:
        """Offer the case to another organisation of this node; it answers at /api/v1/case-transfers/."""
        case = self._case(public_id, Permission.CASE_WORK)
        data = _valid(TransferRequestSerializer, request)
        return _created(TransferSerializer, services.case_transfer_request(actor=request.user, case=case, **data))

    # --- records on the case ---------------------------------------------------------------------------------

    @extend_schema(request=DecisionSerializer, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def decisions(self, request: Request, public_id: str) -> Response:
        case = self._case(public_id, Permission.CASE_WORK)
        data = _valid(DecisionSerializer, request, case=case)
        return _created(DecisionSerializer, services.decision_record(actor=request.user, case=case, **data))

    @extend_schema(request=ConsentSerializer, responses={201: ConsentSerializer})
    @action(detail=True, methods=["post"])
    def consents(self, request: Request, public_id: str) -> Response:
        """Consent for one purpose, or the legal basis that stands in for it (a child cannot consent alone)."""
        case = self._case(public_id, Permission.CASE_WORK)
        data = _valid(ConsentSerializer, request)
        return _created(ConsentSerializer, services.consent_give(actor=request.user, case=case, **data))

    @extend_schema(parameters=[_path_id("consent_id")], request=ConsentWithdrawSerializer,
                   responses={200: ConsentSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], url_path=r"consents/(?P<consent_id>[^/.]+)/withdraw",
            url_name="consent-withdraw")  # fmt: skip
    def consent_withdraw(self, request: Request, public_id: str, consent_id: str) -> Response:
        case = self._case(public_id, Permission.CASE_WORK)
        consent = selectors.case_record_for(
            request.user, case.consents.all(), consent_id, action="case.consent_withdraw"
        )
        data = _valid(ConsentWithdrawSerializer, request)
        consent = services.consent_withdraw(actor=request.user, consent=consent, reason=data.get("reason", ""))
        return Response(ConsentSerializer(consent).data)

    @extend_schema(
        request={"multipart/form-data": CaseDocumentSerializer},
        responses={201: CaseDocumentSerializer, 413: OpenApiResponse(description="The file is too large.")},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def documents(self, request: Request, public_id: str) -> Response:
        case = self._case(public_id, Permission.CASE_WORK)
        limit = settings.SETU_UPLOAD_MAX_BYTES
        message = _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
        too_large = Response({"detail": message, "errors": {"file": [message]}},
                             status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)  # fmt: skip
        try:
            upload = request.FILES.get("file")
        except RequestDataTooBig:
            return too_large
        if upload is None and int(request.META.get("CONTENT_LENGTH") or 0) > limit:
            return too_large  # the upload handler dropped it on the way in
        data = _valid(CaseDocumentSerializer, request)
        try:
            document = services.document_add(actor=request.user, case=case, doc_type=data["doc_type"],
                                              title=data.get("title", ""), upload=data["file"])  # fmt: skip
        except DjangoValidationError as exc:
            if data["file"].size > limit:
                errors = exc.message_dict.get("file", [message])
                return Response({"detail": errors[0], "errors": {"file": errors}},
                                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)  # fmt: skip
            raise
        return _created(CaseDocumentSerializer, document)

    @extend_schema(parameters=[_path_id("document_id")],
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})  # fmt: skip
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>[^/.]+)/file",
            url_name="document-file")  # fmt: skip
    def document_file(self, request: Request, public_id: str, document_id: str) -> FileResponse:
        """The stored file, as an attachment, after the access check (audited)."""
        document = selectors.document_get_for(request.user, public_id, document_id)
        return protected_file(document.file.open("rb"), content_type=document.content_type,
                              filename=document.download_name)  # fmt: skip

    @extend_schema(request=AssessmentSerializer, responses={201: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def assessments(self, request: Request, public_id: str) -> Response:
        """Needs consent (or a legal basis) for care."""
        case = self._case(public_id, Permission.CASE_WORK)
        data = _valid(AssessmentSerializer, request)
        return _created(AssessmentSerializer, services.assessment_add(actor=request.user, case=case, **data))

    @extend_schema(request=SupportPlanSerializer, responses={201: SupportPlanSerializer})
    @action(detail=True, methods=["post"], url_path="support-plans", url_name="support-plans")
    def support_plans(self, request: Request, public_id: str) -> Response:
        """Needs consent (or a legal basis) for care."""
        case = self._case(public_id, Permission.CASE_WORK)
        data = _valid(SupportPlanSerializer, request)
        return _created(SupportPlanSerializer, services.support_plan_add(actor=request.user, case=case, **data))

    @extend_schema(parameters=[_path_id("plan_id")], request=SupportPlanEndSerializer,
                   responses={200: SupportPlanSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], url_path=r"support-plans/(?P<plan_id>[^/.]+)/end",
            url_name="support-plan-end")  # fmt: skip
    def support_plan_end(self, request: Request, public_id: str, plan_id: str) -> Response:
        case = self._case(public_id, Permission.CASE_WORK)
        plan = selectors.case_record_for(
            request.user, case.support_plans.all(), plan_id, action="case.support_plan_end"
        )
        data = _valid(SupportPlanEndSerializer, request)
        return Response(SupportPlanSerializer(services.support_plan_end(actor=request.user, plan=plan, **data)).data)

    @extend_schema(request=ServiceDeliverySerializer, responses={201: ServiceDeliverySerializer})
    @action(detail=True, methods=["post"], url_path="services", url_name="services")
    def service_deliveries(self, request: Request, public_id: str) -> Response:
        """A service delivered. Needs consent (or a legal basis) for care."""
        case = self._case(public_id, Permission.CASE_WORK)
        data = _valid(ServiceDeliverySerializer, request, case=case)
        return _created(ServiceDeliverySerializer, services.service_record(actor=request.user, case=case, **data))

    @extend_schema(request=FollowUpSerializer, responses={201: FollowUpSerializer})
    @action(detail=True, methods=["post"], url_path="follow-ups", url_name="follow-ups")
    def follow_ups(self, request: Request, public_id: str) -> Response:
        """Plan a follow-up visit (the SOP plans its own when a case enters reintegration)."""
        case = self._case(public_id, Permission.CASE_WORK)
        data = _valid(FollowUpSerializer, request)
        return _created(FollowUpSerializer, services.follow_up_schedule(actor=request.user, case=case, **data))

    @extend_schema(parameters=[_path_id("follow_up_id")], request=FollowUpRecordSerializer,
                   responses={200: FollowUpSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], url_path=r"follow-ups/(?P<follow_up_id>[^/.]+)/record",
            url_name="follow-up-record")  # fmt: skip
    def follow_up_record(self, request: Request, public_id: str, follow_up_id: str) -> Response:
        """Record a visit; one that contacts the family needs consent (or a legal basis) for family contact."""
        case = self._case(public_id, Permission.CASE_WORK)
        visit = selectors.case_record_for(
            request.user, case.follow_ups.all(), follow_up_id, action="case.follow_up_record"
        )
        data = _valid(FollowUpRecordSerializer, request)
        return Response(FollowUpSerializer(services.follow_up_record(actor=request.user, follow_up=visit, **data)).data)

    @extend_schema(request=RelatedPersonSerializer, responses={201: RelatedPersonSerializer})
    @action(detail=True, methods=["post"])
    def related(self, request: Request, public_id: str) -> Response:
        """Link a guardian, relative, suspect or witness (a registered person the caller may see)."""
        case = self._case(public_id, Permission.CASE_WORK)
        data = _valid(RelatedPersonSerializer, request)
        data["person"] = _person(request.user, data["person"], action="case.related_add")
        return _created(RelatedPersonSerializer, services.related_person_add(actor=request.user, case=case, **data))

    @extend_schema(request=TraffickingEventSerializer, responses={201: TraffickingEventSerializer})
    @action(detail=True, methods=["post"])
    def history(self, request: Request, public_id: str) -> Response:
        """A recruitment, transit or exploitation event in her history (HTCDS)."""
        case = self._case(public_id, Permission.CASE_WORK)
        data = _valid(TraffickingEventSerializer, request)
        return _created(TraffickingEventSerializer,
                        services.trafficking_event_add(actor=request.user, case=case, **data))  # fmt: skip

    @extend_schema(methods=["GET"], responses=SensitiveNoteSerializer(many=True))
    @extend_schema(methods=["POST"], request=SensitiveNoteSerializer, responses={201: SensitiveNoteSerializer})
    @action(detail=True, methods=["get", "post"])
    def sensitive(self, request: Request, public_id: str) -> Response:
        """Testimony, health, details of sexual exploitation: for the case team and supervisors only; every
        read is audited."""
        case = self._case(public_id, Permission.CASE_SENSITIVE)
        if request.method == "GET":
            notes = services.sensitive_notes_read(actor=request.user, case=case)
            return Response(
                SensitiveNoteSerializer([SensitiveNoteSerializer.row(n, t) for n, t in notes], many=True).data
            )
        if not services.may_read_sensitive(request.user, case):  # refused before the body is read
            policy.deny(request.user, "case.sensitive_add", object_type=selectors.CASE_OBJECT_TYPE,
                        object_id=str(case.public_id))  # fmt: skip
        data = _valid(SensitiveNoteSerializer, request)
        note = services.sensitive_note_add(actor=request.user, case=case, **data)
        return Response(SensitiveNoteSerializer(SensitiveNoteSerializer.row(note, data["text"].strip())).data,
                        status=status.HTTP_201_CREATED)  # fmt: skip


class CaseTransferViewSet(ConflictAs409, viewsets.GenericViewSet):
    serializer_class = TransferSerializer
    lookup_field = "public_id"
    queryset = Transfer.objects.none()

    @extend_schema(request=TransferAnswerSerializer, responses={200: TransferSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, public_id: str) -> Response:
        """The receiving organisation accepts (the case becomes theirs) or refuses (with a reason)."""
        # The receiver, or someone who sees the case (who learns nothing from a refusal); the service then
        # lets only the receiver answer.
        transfer = selectors.transfer_get_for(request.user, public_id)
        data = _valid(TransferAnswerSerializer, request)
        transfer = services.case_transfer_answer(actor=request.user, transfer=transfer, **data)
        fresh = Transfer.objects.select_related(
            "case", "from_organisation", "to_organisation", "requested_by", "answered_by"
        ).get(pk=transfer.pk)
        return Response(TransferSerializer(fresh).data)


class CaseTaskViewSet(viewsets.GenericViewSet):
    serializer_class = CaseTaskSerializer
    queryset = Task.objects.none()

    def list(self, request: Request) -> Response:
        """The caller's open tasks: their own, and those of a role they hold in the task's organisation."""
        policy.require(request.user, Permission.CASE_VIEW, object_type="cases.task")
        page = self.paginate_queryset(selectors.my_tasks(request.user))
        return self.get_paginated_response(CaseTaskSerializer(page, many=True).data)
