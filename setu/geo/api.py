"""The gazetteer, read-only, for machines and the browser: place search, districts with their local levels
and border points, local levels, border crossing points. Same selectors and the same access check
(Permission.GAZETTEER_VIEW, else 404) as the pages."""

from __future__ import annotations

from typing import cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.core.enums import Country
from setu.geo import selectors
from setu.geo.models import BorderPoint, District, LocalLevel, Province
from setu.geo.selectors import PlaceKind

COUNTRY_PARAM = OpenApiParameter("country", OpenApiTypes.STR, enum=Country.values, description="NP or IN")


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["id", "country", "code", "name_en", "name_ne", "name_hi"]


class LocalLevelSerializer(serializers.ModelSerializer):
    district_name = serializers.CharField(source="district.name_en", read_only=True)

    class Meta:
        model = LocalLevel
        fields = ["id", "name_en", "name_ne", "aliases", "kind", "ward_count", "district", "district_name"]


class CounterpartSerializer(serializers.ModelSerializer):
    district_name = serializers.CharField(source="district.name_en", read_only=True)

    class Meta:
        model = BorderPoint
        fields = ["id", "country", "name_en", "name_ne", "name_hi", "district", "district_name"]


class BorderPointSerializer(serializers.ModelSerializer):
    district_name = serializers.CharField(source="district.name_en", read_only=True)
    counterpart = CounterpartSerializer(read_only=True)

    class Meta:
        model = BorderPoint
        fields = [
            "id", "country", "name_en", "name_ne", "name_hi", "aliases", "district", "district_name",
            "is_formal", "has_immigration_office", "counterpart", "note",
        ]  # fmt: skip


class DistrictSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="province.country", read_only=True)
    province = ProvinceSerializer(read_only=True)

    class Meta:
        model = District
        fields = [
            "id", "country", "province", "code", "name_en", "name_ne", "name_hi", "aliases",
            "borders_other_country", "note",
        ]  # fmt: skip


class DistrictDetailSerializer(DistrictSerializer):
    local_levels = LocalLevelSerializer(many=True, read_only=True)
    border_points = BorderPointSerializer(many=True, read_only=True)
    ward_count = serializers.SerializerMethodField()

    class Meta(DistrictSerializer.Meta):
        fields = [*DistrictSerializer.Meta.fields, "ward_count", "local_levels", "border_points"]

    def get_ward_count(self, district: District) -> int:
        return sum(ll.ward_count or 0 for ll in district.local_levels.all())


class PlaceHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[k.value for k in PlaceKind])
    quality = serializers.ChoiceField(choices=[q.value for q in selectors.MatchQuality])
    id = serializers.IntegerField(source="place.pk")
    name_en = serializers.CharField(source="place.name_en")
    name_ne = serializers.CharField(source="place.name_ne")
    name_hi = serializers.CharField(source="place.name_hi")
    country = serializers.CharField()
    district = serializers.SerializerMethodField()

    def get_district(self, hit: selectors.PlaceHit) -> str:
        """The district a local level or border point is in; a district's own name."""
        place = hit.place
        if isinstance(place, District):
            return place.name_en
        return cast(LocalLevel | BorderPoint, place).district.name_en


class GazetteerAccess:
    """Every endpoint here: Permission.GAZETTEER_VIEW, else the usual 404."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        policy.require(request.user, Permission.GAZETTEER_VIEW, object_type="geo.place")


@extend_schema(
    parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="a name in English, Nepali or Hindi"),
        OpenApiParameter("kind", OpenApiTypes.STR, enum=[k.value for k in PlaceKind]),
        COUNTRY_PARAM,
        OpenApiParameter("limit", OpenApiTypes.INT, description="at most 50 (default 20)"),
    ],
    responses=PlaceHitSerializer(many=True),
)
@api_view(["GET"])
def places(request: Request) -> Response:
    """Search districts, local levels and border points by name in either script, best match first."""
    policy.require(request.user, Permission.GAZETTEER_VIEW, object_type="geo.place")
    kind = request.query_params.get("kind", "")
    country = request.query_params.get("country", "")
    try:
        limit = min(max(int(request.query_params.get("limit", 20)), 1), 50)
    except ValueError:
        limit = 20
    hits = selectors.place_search(
        request.query_params.get("q", ""),
        kinds=[kind] if kind in {k.value for k in PlaceKind} else None,
        country=country if country in Country.values else None,
        limit=limit,
    )
    return Response(PlaceHitSerializer(hits, many=True).data)


@extend_schema_view(list=extend_schema(parameters=[COUNTRY_PARAM]))
class DistrictViewSet(GazetteerAccess, viewsets.ReadOnlyModelViewSet):
    queryset = District.objects.none()

    def get_serializer_class(self):
        return DistrictDetailSerializer if self.action == "retrieve" else DistrictSerializer

    def get_queryset(self):
        country = self.request.query_params.get("country", "")
        return selectors.district_list(country=country if country in Country.values else None)

    def get_object(self):
        return selectors.district_get(self.kwargs["pk"])


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("district", OpenApiTypes.INT, description="district id")])
)
class LocalLevelViewSet(GazetteerAccess, viewsets.ReadOnlyModelViewSet):
    serializer_class = LocalLevelSerializer
    queryset = LocalLevel.objects.none()

    def get_queryset(self):
        district = self.request.query_params.get("district", "")
        return selectors.local_level_list(district=int(district) if district.isdigit() else None)


@extend_schema_view(list=extend_schema(parameters=[COUNTRY_PARAM]))
class BorderPointViewSet(GazetteerAccess, viewsets.ReadOnlyModelViewSet):
    serializer_class = BorderPointSerializer
    queryset = BorderPoint.objects.none()

    def get_queryset(self):
        country = self.request.query_params.get("country", "")
        return selectors.border_point_list(country=country if country in Country.values else None).order_by(
            "country", "name_en"
        )
