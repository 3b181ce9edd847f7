"""Reads on organisations and users, scoped to the asking user."""

from __future__ import annotations

from django.db.models import QuerySet

from setu.accounts import policy
from setu.accounts.models import Organisation, User
from setu.accounts.roles import Permission


def organisation_list_for(user: User) -> QuerySet[Organisation]:
    if not policy.has_permission(user, Permission.ORGANISATION_VIEW):
        return Organisation.objects.none()
    return Organisation.objects.filter(is_active=True).prefetch_related("districts", "border_points")


def organisation_get_for(user: User, public_id) -> Organisation:
    organisation = organisation_list_for(user).filter(public_id=public_id).first()
    if organisation is None:
        raise policy.NotFoundOrForbidden()
    return organisation
