"""Access policy: who may do what, on which records. Deny by default.

`grants(user, permission)` resolves the user's active memberships against `roles.ROLE_PERMISSIONS` into
the organisations and districts the permission reaches. Each protected object has one access function in
its app's selectors that builds on this; missing and forbidden look the same (a 404).
Permissions are read from the database on every request, so a change takes effect at once (ASVS 8.3.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NoReturn

from django.http import Http404

from setu.accounts.roles import ROLE_PERMISSIONS, Permission, Role, Scope


@dataclass(frozen=True)
class Grant:
    """What one permission reaches for one user: nothing, some organisations/districts, or the node."""

    node_wide: bool = False
    organisation_ids: frozenset[int] = field(default_factory=frozenset)
    district_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def allowed(self) -> bool:
        return self.node_wide or bool(self.organisation_ids)

    def covers(self, *, organisation_id: int | None, district_id: int | None = None) -> bool:
        if self.node_wide:
            return True
        if organisation_id is not None and organisation_id in self.organisation_ids:
            return True
        return district_id is not None and district_id in self.district_ids


NOTHING = Grant()


class NotFoundOrForbidden(Http404):
    """Raised by access functions: the caller cannot tell a missing record from a forbidden one."""


def active_memberships(user):  # -> QuerySet[Membership]
    from setu.accounts.models import Membership

    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .prefetch_related("organisation__districts")
    )


def _memberships(user) -> list:
    """The user's active memberships, read once per request (the user object lives for one request), so a
    page that asks about ten permissions costs one query, and a change still applies from the next request."""
    cache = user.__dict__.get("_setu_memberships")
    if cache is None:
        cache = list(active_memberships(user))
        user.__dict__["_setu_memberships"] = cache
    return cache


def memberships(user) -> list:
    """The user's active memberships, read once per request (see `_memberships`)."""
    return _memberships(user)


def grants(user, permission: Permission) -> Grant:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    cache: dict[Permission, Grant] = user.__dict__.setdefault("_setu_grants", {})
    if permission in cache:
        return cache[permission]
    node_wide = False
    orgs: set[int] = set()
    districts: set[int] = set()
    for membership in _memberships(user):
        scope = ROLE_PERMISSIONS.get(Role(membership.role), {}).get(permission)
        if scope is None:
            continue
        if scope == Scope.NODE:
            node_wide = True
        orgs.add(membership.organisation_id)
        if scope == Scope.JURISDICTION:
            districts.update(d.id for d in membership.organisation.districts.all())
    grant = Grant(node_wide=node_wide, organisation_ids=frozenset(orgs), district_ids=frozenset(districts))
    cache[permission] = grant
    return grant


def has_permission(user, permission: Permission) -> bool:
    return grants(user, permission).allowed


def require(user, permission: Permission, *, object_type: str = "", object_id: str = "") -> Grant:
    """The grant for a function-level check. Without one, the refusal is audited (ASVS 16.3.2) and the
    same 404 as for a missing object is raised."""
    grant = grants(user, permission)
    if not grant.allowed:
        deny(user, permission.value, object_type=object_type, object_id=object_id)
    return grant


def deny(user, action: str, *, object_type: str = "", object_id: str = "") -> NoReturn:
    """Audit a refused access, then raise the 404 that a missing record would give."""
    from setu.audit.services import audit_denied

    audit_denied(actor=user, action=action, object_type=object_type, object_id=str(object_id))
    raise NotFoundOrForbidden()


def primary_organisation(user):
    memberships = _memberships(user)
    return memberships[0].organisation if memberships else None


def roles_reaching(user, permission: Permission, *, organisation_id: int | None, district_id: int | None) -> set[str]:
    """The user's roles whose grant of `permission` reaches a record of this organisation and district: the
    roles in which the user may act on it (an SOP stage names the roles that may move it on)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    roles: set[str] = set()
    for membership in _memberships(user):
        scope = ROLE_PERMISSIONS.get(Role(membership.role), {}).get(permission)
        if scope is None:
            continue
        if (
            scope == Scope.NODE
            or membership.organisation_id == organisation_id
            or (
                scope == Scope.JURISDICTION
                and district_id is not None
                and any(d.id == district_id for d in membership.organisation.districts.all())
            )
        ):
            roles.add(membership.role)
    return roles
