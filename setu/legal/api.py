"""Prosecutions and witness availability for machines: /api/v1/legal/... The same selectors and services as the
pages, so every rule (scope, dates in order, the charge list, HTTCA s.17, audit) exists once. Dates are ISO
(AD); a session's time is ISO 8601 with its offset, and its IANA time zone. 404 for missing and forbidden alike.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.cases.choices import PerpetratorRole
from setu.legal import selectors, services
from setu.legal.exchange import ANSWERS
from setu.legal.models import (
    Accused,
    CompensationOrder,
    Currency,
    Hearing,
    HerConsent,
    NeedStatus,
    Outcome,
    PaymentMethod,
    Presence,
    Prosecution,
    ProsecutionStatus,
    SessionStatus,
    Verdict,
    VideoTestimony,
    Witness,
    WitnessNeed,
)
from setu.people.models import Nationality

# --- read ------------------------------------------------------------------------------------------------------


class ChargeSerializer(serializers.Serializer):
    code = serializers.CharField()
    particulars = serializers.CharField()


class AccusedSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Accused
        fields = ["id", "person", "name", "roles", "verdict", "verdict_on", "sentence", "fine_amount", "fine_currency"]
        read_only_fields = fields


class WitnessSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    case = serializers.UUIDField(source="case.public_id", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = Witness
        fields = ["id", "case", "case_number", "note"]
        read_only_fields = fields


class HearingSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Hearing
        fields = ["id", "held_on", "what_happened", "next_on"]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    witness = serializers.UUIDField(source="witness.public_id", read_only=True)
    accused = serializers.UUIDField(source="accused.public_id", read_only=True)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    due = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = CompensationOrder
        fields = ["id", "witness", "accused", "amount", "currency", "ordered_on", "below_minimum_reason", "paid", "due"]
        read_only_fields = fields


class NeedSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    case = serializers.UUIDField(source="case.public_id", read_only=True)
    prosecution = serializers.UUIDField(source="prosecution.public_id", read_only=True)

    class Meta:
        model = WitnessNeed
        fields = [
            "id",
            "case",
            "prosecution",
            "court",
            "place",
            "needed_from",
            "needed_until",
            "presence",
            "her_consent",
            "her_view",
            "status",
        ]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    case = serializers.UUIDField(source="case.public_id", read_only=True)
    need = serializers.UUIDField(source="need.public_id", read_only=True, default=None)

    class Meta:
        model = VideoTestimony
        fields = [
            "id",
            "case",
            "need",
            "scheduled_at",
            "timezone",
            "court",
            "court_end",
            "survivor_end",
            "interpreter",
            "link_reference",
            "status",
            "status_note",
            "peer",
            "counter_at",
        ]
        read_only_fields = fields


class ProsecutionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    district = serializers.IntegerField(source="district_id", read_only=True)

    class Meta:
        model = Prosecution
        fields = [
            "id",
            "number",
            "organisation",
            "district",
            "police_case_number",
            "police_unit",
            "court",
            "status",
            "outcome",
            "opened_on",
            "judgment_on",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


def _detail_data(user, prosecution: Prosecution) -> dict[str, Any]:
    d = selectors.prosecution_detail(user, prosecution)
    orders = []
    for row in d.orders:
        data = OrderSerializer(row.order).data
        data.update(paid=str(row.paid), due=str(row.due))
        orders.append(data)
    return {
        **ProsecutionSerializer(prosecution).data,
        "charges": [
            {"code": row.code, "particulars": row.particulars, "label": charge.label() if charge else row.code}
            for row, charge in d.charges
        ],
        "accused": AccusedSerializer(d.accused, many=True).data,
        "witnesses": WitnessSerializer(d.witnesses, many=True).data,
        "hearings": HearingSerializer(d.hearings, many=True).data,
        "compensation": orders,
        "witness_needs": NeedSerializer(d.needs, many=True).data,
        "sessions": SessionSerializer(d.sessions, many=True).data,
    }


# --- write -----------------------------------------------------------------------------------------------------


class ProsecutionCreateSerializer(serializers.Serializer):
    district = serializers.IntegerField(help_text="The district of the court (gazetteer id).")
    police_case_number = serializers.CharField(max_length=64, allow_blank=True)
    police_unit = serializers.CharField(max_length=200, allow_blank=True)
    opened_on = serializers.DateField()
    court = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ProsecutionFieldsSerializer(serializers.Serializer):
    court = serializers.CharField(max_length=200, required=False, allow_blank=True)
    police_case_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    police_unit = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class StatusWriteSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProsecutionStatus.choices)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True)
    judgment_on = serializers.DateField(required=False, allow_null=True)


class ChargeWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32, help_text="A code of the charge list, e.g. HTTCA-4-1-a or BNS-143.")
    particulars = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class AccusedWriteSerializer(serializers.Serializer):
    person = serializers.UUIDField(required=False, help_text="An existing person record; the details are ignored.")
    full_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    gender = serializers.CharField(max_length=24, required=False)
    age_years = serializers.IntegerField(required=False, allow_null=True)
    nationality = serializers.ChoiceField(choices=Nationality.choices, required=False, allow_blank=True)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=PerpetratorRole.choices), required=False)


class VerdictWriteSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    verdict_on = serializers.DateField(required=False, allow_null=True)
    sentence = serializers.CharField(max_length=300, required=False, allow_blank=True)
    fine_amount = serializers.CharField(max_length=20, required=False, allow_blank=True, allow_null=True)
    fine_currency = serializers.ChoiceField(choices=Currency.choices, required=False, allow_blank=True)


class WitnessWriteSerializer(serializers.Serializer):
    case = serializers.UUIDField(help_text="Her survivor case (one the caller may see).")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class HearingWriteSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    what_happened = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    next_on = serializers.DateField(required=False, allow_null=True)


class OrderWriteSerializer(serializers.Serializer):
    witness = serializers.UUIDField()
    accused = serializers.UUIDField()
    amount = serializers.CharField(max_length=20)
    currency = serializers.ChoiceField(choices=Currency.choices)
    ordered_on = serializers.DateField()
    below_minimum_reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class PaymentWriteSerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    amount = serializers.CharField(max_length=20)
    currency = serializers.ChoiceField(choices=Currency.choices)
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)


class NeedWriteSerializer(serializers.Serializer):
    witness = serializers.UUIDField()
    court = serializers.CharField(max_length=200, allow_blank=True)
    place = serializers.CharField(max_length=200, allow_blank=True)
    needed_from = serializers.DateField()
    needed_until = serializers.DateField(required=False, allow_null=True)
    presence = serializers.ChoiceField(choices=Presence.choices)


class NeedStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=NeedStatus.choices)


class HerViewSerializer(serializers.Serializer):
    her_consent = serializers.ChoiceField(choices=HerConsent.choices)
    her_view = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class SessionWriteSerializer(serializers.Serializer):
    scheduled_at = serializers.DateTimeField(help_text="ISO 8601 with its offset, e.g. 2026-12-20T11:00:00+05:30.")
    timezone = serializers.CharField(max_length=40, help_text="IANA name: Asia/Kathmandu or Asia/Kolkata.")
    court_end = serializers.CharField(max_length=200, allow_blank=True)
    survivor_end = serializers.CharField(max_length=200, allow_blank=True)
    interpreter = serializers.CharField(max_length=200, required=False, allow_blank=True)
    link_reference = serializers.CharField(max_length=200, required=False, allow_blank=True)


class SessionStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SessionStatus.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    accept_counter = serializers.BooleanField(required=False, default=False)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=[(a, a) for a in ANSWERS])
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)
    proposed_at = serializers.DateTimeField(required=False, allow_null=True)
    survivor_end = serializers.CharField(max_length=200, required=False, allow_blank=True)


def _valid(serializer_class: type[serializers.Serializer], request: Request, **kwargs: Any) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- endpoints -------------------------------------------------------------------------------------------------


class ProsecutionViewSet(viewsets.GenericViewSet):
    serializer_class = ProsecutionSerializer
    lookup_field = "public_id"
    queryset = Prosecution.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _recordable(self, request: Request, public_id: str) -> Prosecution:
        return selectors.prosecution_get_for(request.user, public_id, permission=Permission.LEGAL_RECORD)

    def _detail(self, request: Request, prosecution: Prosecution, code: int = status.HTTP_200_OK) -> Response:
        fresh = Prosecution.objects.select_related("organisation", "district").get(pk=prosecution.pk)
        return Response(_detail_data(request.user, fresh), status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="A prosecution or FIR number, or a court."),
            OpenApiParameter("status", str, enum=ProsecutionStatus.values),
            OpenApiParameter("act", str, description="HTTCA, ITPA or BNS."),
            OpenApiParameter("district", int),
        ]
    )
    def list(self, request: Request) -> Response:
        policy.require(request.user, Permission.LEGAL_VIEW, object_type=services.PROSECUTION_OBJECT_TYPE)
        params = request.query_params
        district = params.get("district", "")
        rows = selectors.prosecution_list_for(
            request.user,
            query=params.get("q", ""),
            status=params.get("status", "") if params.get("status", "") in ProsecutionStatus.values else "",
            act=params.get("act", "")[:8],
            district_id=int(district) if district.isascii() and district.isdigit() and len(district) <= 9 else None,
        )
        page = self.paginate_queryset(rows)  # type: ignore[arg-type]
        return self.get_paginated_response(ProsecutionSerializer(page, many=True).data)

    def retrieve(self, request: Request, public_id: str) -> Response:
        return self._detail(request, selectors.prosecution_get_for(request.user, public_id))

    @extend_schema(request=ProsecutionCreateSerializer)
    def create(self, request: Request) -> Response:
        policy.require(request.user, Permission.LEGAL_RECORD, object_type=services.PROSECUTION_OBJECT_TYPE)
        data = _valid(ProsecutionCreateSerializer, request)
        from setu.geo.models import District

        data["district"] = District.objects.select_related("province").filter(pk=data["district"]).first()
        prosecution = services.prosecution_create(actor=request.user, **data)
        return self._detail(request, prosecution, status.HTTP_201_CREATED)

    @extend_schema(request=ProsecutionFieldsSerializer)
    def partial_update(self, request: Request, public_id: str) -> Response:
        p = self._recordable(request, public_id)
        return self._detail(
            request,
            services.prosecution_update(
                actor=request.user, prosecution=p, **_valid(ProsecutionFieldsSerializer, request)
            ),
        )

    @extend_schema(request=StatusWriteSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, public_id: str) -> Response:
        p = self._recordable(request, public_id)
        data = _valid(StatusWriteSerializer, request)
        return self._detail(request, services.prosecution_set_status(actor=request.user, prosecution=p, **data))

    @extend_schema(request=ChargeWriteSerializer)
    @action(detail=True, methods=["post"])
    def charges(self, request: Request, public_id: str) -> Response:
        p = self._recordable(request, public_id)
        services.charge_add(actor=request.user, prosecution=p, **_valid(ChargeWriteSerializer, request))
        return self._detail(request, p, status.HTTP_201_CREATED)

    @extend_schema(request=AccusedWriteSerializer)
    @action(detail=True, methods=["post"])
    def accused(self, request: Request, public_id: str) -> Response:
        from setu.people.selectors import person_get_for

        p = self._recordable(request, public_id)
        data = _valid(AccusedWriteSerializer, request)
        person = person_get_for(request.user, data.pop("person")) if data.get("person") else None
        entry = services.AccusedEntry(
            person=person, **{k: v for k, v in data.items() if v is not None or k == "age_years"}
        )
        services.accused_add(actor=request.user, prosecution=p, entry=entry)
        return self._detail(request, p, status.HTTP_201_CREATED)

    @extend_schema(request=VerdictWriteSerializer)
    @action(detail=True, methods=["post"], url_path=r"accused/(?P<accused_id>[0-9a-f-]+)/verdict")
    def verdict(self, request: Request, public_id: str, accused_id: str) -> Response:
        p = self._recordable(request, public_id)
        row = selectors.accused_get_for(p, request.user, accused_id)
        services.accused_verdict(actor=request.user, accused=row, **_valid(VerdictWriteSerializer, request))
        return self._detail(request, p)

    @extend_schema(request=WitnessWriteSerializer)
    @action(detail=True, methods=["post"])
    def witnesses(self, request: Request, public_id: str) -> Response:
        from setu.cases.selectors import case_get_for

        p = self._recordable(request, public_id)
        data = _valid(WitnessWriteSerializer, request)
        case = case_get_for(request.user, data["case"])
        services.witness_add(actor=request.user, prosecution=p, case=case, note=data.get("note", ""))
        return self._detail(request, p, status.HTTP_201_CREATED)

    @extend_schema(request=HearingWriteSerializer)
    @action(detail=True, methods=["post"])
    def hearings(self, request: Request, public_id: str) -> Response:
        p = self._recordable(request, public_id)
        services.hearing_record(actor=request.user, prosecution=p, **_valid(HearingWriteSerializer, request))
        return self._detail(request, p, status.HTTP_201_CREATED)

    @extend_schema(request=OrderWriteSerializer)
    @action(detail=True, methods=["post"])
    def compensation(self, request: Request, public_id: str) -> Response:
        p = self._recordable(request, public_id)
        data = _valid(OrderWriteSerializer, request)
        witness = selectors.witness_get_for(p, request.user, data.pop("witness"))
        payer = selectors.accused_get_for(p, request.user, data.pop("accused"))
        services.compensation_order(actor=request.user, witness=witness, accused=payer, **data)
        return self._detail(request, p, status.HTTP_201_CREATED)

    @extend_schema(request=PaymentWriteSerializer)
    @action(detail=True, methods=["post"], url_path=r"compensation/(?P<order_id>[0-9a-f-]+)/payments")
    def payments(self, request: Request, public_id: str, order_id: str) -> Response:
        p = self._recordable(request, public_id)
        order = selectors.order_get_for(request.user, p, order_id)
        services.payment_record(actor=request.user, order=order, **_valid(PaymentWriteSerializer, request))
        return self._detail(request, p, status.HTTP_201_CREATED)

    @extend_schema(request=NeedWriteSerializer)
    @action(detail=True, methods=["post"], url_path="witness-needs")
    def needs(self, request: Request, public_id: str) -> Response:
        p = self._recordable(request, public_id)
        data = _valid(NeedWriteSerializer, request)
        witness = selectors.witness_get_for(p, request.user, data.pop("witness"))
        need = services.witness_need_record(actor=request.user, witness=witness, **data)
        return Response(NeedSerializer(need).data, status=status.HTTP_201_CREATED)


class WitnessNeedViewSet(viewsets.GenericViewSet):
    """A survivor's witness need: read by who may see her case or the prosecution; her view recorded by who
    works her case; sessions scheduled by the prosecuting office."""

    serializer_class = NeedSerializer
    lookup_field = "public_id"
    queryset = WitnessNeed.objects.none()
    http_method_names = ["get", "post", "head", "options"]

    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(NeedSerializer(selectors.need_get_for(request.user, public_id)).data)

    @extend_schema(request=NeedStatusSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, public_id: str) -> Response:
        need = selectors.need_get_for(request.user, public_id)
        need = services.witness_need_set_status(actor=request.user, need=need, **_valid(NeedStatusSerializer, request))
        return Response(NeedSerializer(need).data)

    @extend_schema(request=HerViewSerializer)
    @action(detail=True, methods=["post"], url_path="her-view")
    def her_view(self, request: Request, public_id: str) -> Response:
        need = selectors.need_get_for(request.user, public_id)
        need = services.witness_need_her_view(actor=request.user, need=need, **_valid(HerViewSerializer, request))
        return Response(NeedSerializer(need).data)

    @extend_schema(request=SessionWriteSerializer, responses={201: SessionSerializer})
    @action(detail=True, methods=["post"])
    def sessions(self, request: Request, public_id: str) -> Response:
        need = selectors.need_get_for(request.user, public_id)
        data = _valid(SessionWriteSerializer, request)
        session = services.testimony_schedule(actor=request.user, need=need, timezone_name=data.pop("timezone"), **data)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)


class SessionViewSet(viewsets.GenericViewSet):
    serializer_class = SessionSerializer
    lookup_field = "public_id"
    queryset = VideoTestimony.objects.none()
    http_method_names = ["get", "post", "head", "options"]

    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(SessionSerializer(selectors.session_get_for(request.user, public_id)).data)

    @extend_schema(request=SessionStatusSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, public_id: str) -> Response:
        session = selectors.session_get_for(request.user, public_id)
        data = _valid(SessionStatusSerializer, request)
        return Response(
            SessionSerializer(services.testimony_set_status(actor=request.user, session=session, **data)).data
        )

    @extend_schema(request=AnswerSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, public_id: str) -> Response:
        session = selectors.session_get_for(request.user, public_id)
        data = _valid(AnswerSerializer, request)
        return Response(SessionSerializer(services.testimony_answer(actor=request.user, session=session, **data)).data)


class DashboardView(APIView):
    """Upcoming hearings and sessions, cases held up, compensation outstanding (for the prosecutions the caller
    may see)."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        policy.require(request.user, Permission.LEGAL_VIEW, object_type=services.PROSECUTION_OBJECT_TYPE)
        board = selectors.dashboard_for(request.user)
        return Response(
            {
                "hearings": [
                    {"date": when.isoformat(), "prosecution": str(p.public_id), "number": p.number, "court": p.court}
                    for when, p, _h in board.hearings
                ],
                "sessions": SessionSerializer(board.sessions, many=True).data,
                "holding_up_repatriation": [
                    {
                        "case": str(case.public_id),
                        "case_number": case.number,
                        "stage": case.stage,
                        "needs": [str(n.public_id) for n in needs],
                    }
                    for case, needs in board.holding_up
                ],
                "compensation_outstanding": [
                    {
                        "order": str(row.order.public_id),
                        "due": str(row.due),
                        "currency": row.order.currency,
                        "prosecution": row.order.witness.prosecution.number,
                    }
                    for row in board.outstanding
                ],
            }
        )
