"""Writes on users and organisations: atomic, access-checked, audited."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.accounts import policy
from setu.accounts.models import Membership, Organisation, User
from setu.accounts.roles import Permission, Role
from setu.audit.services import audit_record
from setu.core.enums import DatePreference

_LANGUAGES = {code for code, _name in settings.LANGUAGES}


@transaction.atomic
def user_update_preferences(*, actor: User, preferred_language: str, date_preference: str) -> User:
    errors = {}
    if preferred_language and preferred_language not in _LANGUAGES:
        errors["preferred_language"] = [_("Choose English, Nepali or Hindi.")]
    if date_preference not in DatePreference.values:
        errors["date_preference"] = [_("Choose AD or Bikram Sambat.")]
    if errors:
        raise ValidationError(errors)
    changed = [
        name
        for name, value in (("preferred_language", preferred_language), ("date_preference", date_preference))
        if getattr(actor, name) != value
    ]
    actor.preferred_language = preferred_language
    actor.date_preference = date_preference
    actor.save(update_fields=["preferred_language", "date_preference"])
    audit_record(actor=actor, action="user.update_preferences", obj=actor, fields=changed)
    return actor


def _end_sessions_of(user: User) -> int:
    """ASVS 7.4.2: a disabled account's sessions end at once, not at their expiry."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_set_active(*, actor: User, user: User, is_active: bool) -> User:
    policy.require(actor, Permission.USER_MANAGE)
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    if not is_active:
        _end_sessions_of(user)
    audit_record(
        actor=actor, action="user.activate" if is_active else "user.deactivate", obj=user, fields=["is_active"]
    )
    return user


@transaction.atomic
def organisation_create(*, actor: User, **fields) -> Organisation:
    policy.require(actor, Permission.ORGANISATION_MANAGE)
    districts = fields.pop("districts", [])
    border_points = fields.pop("border_points", [])
    organisation = Organisation(**fields)
    organisation.full_clean()
    organisation.save()
    organisation.districts.set(districts)
    organisation.border_points.set(border_points)
    audit_record(actor=actor, action="organisation.create", obj=organisation, fields=sorted(fields))
    return organisation


@transaction.atomic
def membership_grant(*, actor: User | None, user: User, organisation: Organisation, role: Role) -> Membership:
    """Give `user` a role in `organisation`. `actor=None` only for seeding and the CLI."""
    if actor is not None:
        policy.require(actor, Permission.USER_MANAGE)
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, role=role.value, defaults={"is_active": True}
    )
    audit_record(
        actor=actor,
        action="membership.grant",
        obj=membership,
        object_id=str(membership.pk),
        fields=["role", "organisation"],
        organisation=organisation,
    )
    return membership


@transaction.atomic
def user_create(
    *, actor: User, username: str, full_name: str, password: str, organisation: Organisation, role: Role
) -> User:
    """Create an account with its first membership. The password is checked against the validators
    (length, common passwords; no composition rules: ASVS 6.2)."""
    policy.require(actor, Permission.USER_MANAGE)
    from django.contrib.auth.password_validation import validate_password

    user = User(username=username, full_name=full_name)
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action="user.create", obj=user, fields=["username", "full_name", "password"])
    membership_grant(actor=actor, user=user, organisation=organisation, role=role)
    return user
