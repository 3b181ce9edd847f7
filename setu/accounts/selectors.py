"""Reads on organisations and users, scoped to the asking user."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from setu.accounts import policy
from setu.accounts.models import Membership, Organisation, User
from setu.accounts.roles import Permission


def organisation_list_for(user: User, *, query: str = "") -> QuerySet[Organisation]:
    if not policy.has_permission(user, Permission.ORGANISATION_VIEW):
        return Organisation.objects.none()
    organisations = Organisation.objects.filter(is_active=True).prefetch_related("districts", "border_points")
    if query:
        from django.db.models import Q

        organisations = organisations.filter(
            Q(name_en__icontains=query) | Q(name_ne__icontains=query) | Q(name_hi__icontains=query)
            | Q(short_name__icontains=query)
        )  # fmt: skip
    return organisations


def organisation_get_for(user: User, public_id) -> Organisation:
    organisation = organisation_list_for(user).filter(public_id=public_id).first()
    if organisation is None:
        policy.deny(user, Permission.ORGANISATION_VIEW.value, object_type="accounts.organisation", object_id=public_id)
    return organisation


def user_list_for(user: User) -> QuerySet[User]:
    policy.require(user, Permission.USER_MANAGE)
    active = Membership.objects.select_related("organisation").order_by("organisation__name_en")
    return User.objects.prefetch_related(Prefetch("memberships", queryset=active)).order_by("username")


def user_get_for(user: User, pk: int) -> User:
    found = user_list_for(user).filter(pk=pk).first()
    if found is None:
        policy.deny(user, Permission.USER_MANAGE.value, object_type="accounts.user", object_id=str(pk))
    return found
