"""Organisations and the caller's own account, for machines and the browser."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from setu.accounts import policy, selectors
from setu.accounts.models import Organisation, User
from setu.accounts.roles import Permission, Role


class OrganisationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    districts: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="name_en", many=True, read_only=True
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name_en",
            "name_ne",
            "name_hi",
            "short_name",
            "org_type",
            "country",
            "phone",
            "address",
            "districts",
        ]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    lookup_field = "public_id"
    lookup_value_regex = "[0-9a-fA-F-]{36}"
    queryset = Organisation.objects.none()

    def get_queryset(self):
        return selectors.organisation_list_for(self.request.user)

    def get_object(self):
        return selectors.organisation_get_for(self.request.user, self.kwargs["public_id"])


class MembershipSerializer(serializers.Serializer):
    organisation = serializers.CharField()
    role = serializers.ChoiceField(choices=[r.value for r in Role])


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    node = serializers.CharField()
    preferred_language = serializers.CharField()
    date_preference = serializers.CharField()
    memberships = MembershipSerializer(many=True)
    permissions = serializers.ListField(child=serializers.CharField())


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    from django.conf import settings

    user: User = request.user  # type: ignore[assignment]  # IsAuthenticated
    memberships = [{"organisation": m.organisation.name_en, "role": m.role} for m in policy.active_memberships(user)]
    return Response(
        MeSerializer(
            {
                "username": user.username,
                "full_name": user.full_name,
                "node": settings.SETU_NODE,
                "preferred_language": user.preferred_language,
                "date_preference": user.date_preference,
                "memberships": memberships,
                "permissions": sorted(p.value for p in Permission if policy.has_permission(user, p)),
            }
        ).data
    )
