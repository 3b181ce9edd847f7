"""Persons for machines: /api/v1/persons/. The same selectors and services as the pages, so every rule
(scope, validation, audit) exists once. Dates are ISO (AD) here; 404 for missing and forbidden alike."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.core.enums import DatePreference, Gender
from setu.geo.models import District, LocalLevel
from setu.people import selectors, services
from setu.people.models import (
    BirthPrecision,
    IdentityDocument,
    Language,
    Nationality,
    Person,
    PersonAlias,
    PhoneNumber,
    Photo,
    Relation,
)

# --- read ----------------------------------------------------------------------------------------------------


class AliasSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = PersonAlias
        fields = ["id", "name", "script", "kind"]


class PhoneSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = PhoneNumber
        fields = ["id", "number", "kind"]


class DocumentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    # Minimum data (ASVS 14.2.6): Aadhaar numbers leave the node's pages and API masked.
    number = serializers.CharField(source="masked_number", read_only=True)

    class Meta:
        model = IdentityDocument
        fields = ["id", "document_type", "number", "issuing_country", "issued_on"]


class RelationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    related_person = serializers.UUIDField(source="related_person.public_id", read_only=True, allow_null=True)

    class Meta:
        model = Relation
        fields = ["id", "kind", "related_person", "related_name", "note"]


class PhotoSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Photo
        fields = ["id", "width", "height", "byte_size", "created_at"]


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField(source="name_en")


class PersonSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    organisation = OrganisationRefSerializer(read_only=True)
    location_district_name = serializers.CharField(source="location_district.name_en", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "full_name",
            "name_script",
            "name_latin",
            "given_name",
            "family_name",
            "other_names",
            "gender",
            "birth_date",
            "birth_precision",
            "birth_calendar",
            "age_estimate",
            "age_estimated_on",
            "nationality",
            "languages",
            "organisation",
            "location_district",
            "location_district_name",
            "home_district",
            "home_local_level",
            "home_ward",
            "home_address",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PersonDetailSerializer(PersonSerializer):
    aliases = AliasSerializer(many=True, read_only=True)
    phones = PhoneSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    relations = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "aliases", "phones", "documents", "relations", "photos"]
        read_only_fields = fields

    @extend_schema(responses=RelationSerializer(many=True))  # type: ignore[misc]
    def get_relations(self, person: Person) -> Any:
        user = self.context["request"].user
        return RelationSerializer(selectors.person_relations_for(user, person)["outgoing"], many=True).data

    @extend_schema(responses=PhotoSerializer(many=True))  # type: ignore[misc]
    def get_photos(self, person: Person) -> Any:
        user = self.context["request"].user
        if not selectors.person_can_view_photos(user, person):
            return []
        return PhotoSerializer(person.photos.all(), many=True).data


# --- write ---------------------------------------------------------------------------------------------------


class PersonWriteSerializer(serializers.Serializer):
    """What a client may send. Types are checked here; the rules (dates, wards, scope) by the services."""

    organisation = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Organisation.objects.filter(is_active=True), required=False,
        help_text="Only needed when the caller registers for more than one organisation.",
    )  # fmt: skip
    full_name = serializers.CharField(max_length=200)
    given_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    other_names = serializers.CharField(max_length=200, required=False, allow_blank=True)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    birth_precision = serializers.ChoiceField(choices=BirthPrecision.choices, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True, help_text="ISO date, AD.")
    birth_calendar = serializers.ChoiceField(choices=DatePreference.choices, required=False, allow_blank=True)
    age_estimate = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=120)
    age_estimated_on = serializers.DateField(required=False, allow_null=True)
    nationality = serializers.ChoiceField(choices=Nationality.choices, required=False, allow_blank=True)
    languages = serializers.ListField(child=serializers.ChoiceField(choices=Language.choices), required=False)
    location_district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all())
    home_district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all(), required=False, allow_null=True)
    home_local_level = serializers.PrimaryKeyRelatedField(
        queryset=LocalLevel.objects.all(), required=False, allow_null=True
    )
    home_ward = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=99)
    home_address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    phones = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, write_only=True, max_length=10
    )
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, write_only=True, max_length=20
    )


class PersonPatchSerializer(PersonWriteSerializer):
    """PATCH: any editable field; the organisation, phones and aliases have their own endpoints."""

    def get_fields(self):
        fields = super().get_fields()
        for name in ("organisation", "phones", "aliases"):
            fields.pop(name)
        for field in fields.values():
            field.required = False
        return fields


class AliasWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=PersonAlias.Kind.choices, required=False)


class PhoneWriteSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=32, help_text="E.164, or a national number of this node's country.")
    kind = serializers.ChoiceField(choices=PhoneNumber.Kind.choices, required=False)


class PhotoUploadSerializer(serializers.Serializer):
    photo = serializers.FileField()


# --- endpoints -----------------------------------------------------------------------------------------------


class PersonViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = PersonSerializer
    lookup_field = "public_id"
    queryset = Person.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.person_results_for(self.request.user, query=self.request.query_params.get("q", ""))

    @extend_schema(parameters=[OpenApiParameter("q", str, description="Name (any script), phone or document number.")])
    def list(self, request: Request, *args, **kwargs) -> Response:
        policy.require(request.user, Permission.PERSON_VIEW, object_type=selectors.PERSON_OBJECT_TYPE)
        selectors.person_search_audit(request.user, query=request.query_params.get("q", ""))
        return super().list(request, *args, **kwargs)

    def _detail(self, person: Person, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = Person.objects.select_related("organisation", "location_district").get(pk=person.pk)
        return Response(PersonDetailSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(responses=PersonDetailSerializer)
    def retrieve(self, request: Request, public_id: str) -> Response:
        person = selectors.person_get_for(request.user, public_id)
        return Response(PersonDetailSerializer(person, context=self.get_serializer_context()).data)

    @extend_schema(request=PersonWriteSerializer, responses={201: PersonDetailSerializer})
    def create(self, request: Request) -> Response:
        # The function-level check comes before validation: a role that may not register anyone learns
        # nothing from field errors.
        policy.require(request.user, Permission.PERSON_CREATE, object_type=selectors.PERSON_OBJECT_TYPE)
        serializer = PersonWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.person_create(actor=request.user, **serializer.validated_data)
        return self._detail(person, status.HTTP_201_CREATED)

    @extend_schema(request=PersonPatchSerializer, responses=PersonDetailSerializer)
    def partial_update(self, request: Request, public_id: str) -> Response:
        person = selectors.person_get_for(request.user, public_id, permission=Permission.PERSON_EDIT)
        serializer = PersonPatchSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        person = services.person_update(actor=request.user, person=person, **serializer.validated_data)
        return self._detail(person)

    @extend_schema(methods=["GET"], responses=AliasSerializer(many=True))
    @extend_schema(methods=["POST"], request=AliasWriteSerializer, responses={201: AliasSerializer})
    @action(detail=True, methods=["get", "post"])
    def aliases(self, request: Request, public_id: str) -> Response:
        if request.method == "GET":
            person = selectors.person_get_for(request.user, public_id)
            return Response(AliasSerializer(person.aliases.all(), many=True).data)
        person = selectors.person_get_for(request.user, public_id, permission=Permission.PERSON_EDIT)
        serializer = AliasWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alias = services.person_add_alias(actor=request.user, person=person, **serializer.validated_data)
        return Response(AliasSerializer(alias).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=PhoneSerializer(many=True))
    @extend_schema(methods=["POST"], request=PhoneWriteSerializer, responses={201: PhoneSerializer})
    @action(detail=True, methods=["get", "post"])
    def phones(self, request: Request, public_id: str) -> Response:
        if request.method == "GET":
            person = selectors.person_get_for(request.user, public_id)
            return Response(PhoneSerializer(person.phones.all(), many=True).data)
        person = selectors.person_get_for(request.user, public_id, permission=Permission.PERSON_EDIT)
        serializer = PhoneWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        phone = services.person_add_phone(actor=request.user, person=person, **serializer.validated_data)
        return Response(PhoneSerializer(phone).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=DocumentSerializer(many=True))
    @action(detail=True, methods=["get"])
    def documents(self, request: Request, public_id: str) -> Response:
        person = selectors.person_get_for(request.user, public_id)
        return Response(DocumentSerializer(person.documents.all(), many=True).data)

    @extend_schema(request={"multipart/form-data": PhotoUploadSerializer}, responses={201: PhotoSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def photos(self, request: Request, public_id: str) -> Response:
        person = selectors.person_get_for(request.user, public_id, permission=Permission.PERSON_EDIT)
        too_large = Response(
            {"detail": services.photo_too_large_message(), "errors": {"photo": [services.photo_too_large_message()]}},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
        try:
            upload = request.FILES.get("photo")
        except RequestDataTooBig:
            return too_large
        if upload is None and int(request.META.get("CONTENT_LENGTH") or 0) > settings.SETU_UPLOAD_MAX_BYTES:
            return too_large
        try:
            stored = services.person_add_photo(actor=request.user, person=person, upload=upload)
        except services.PhotoTooLargeError:
            return too_large
        return Response(PhotoSerializer(stored).data, status=status.HTTP_201_CREATED)
