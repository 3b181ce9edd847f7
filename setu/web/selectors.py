"""What the dashboard shows: the user's roles and their own recent work."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.models import AuditEvent

ACTION_LABELS = {
    "person.create": _("Registered a person"),
    "person.update": _("Updated a person"),
    "person.view": _("Opened a person's record"),
    "person.search": _("Searched people"),
    "person.add_alias": _("Added another name"),
    "person.add_document": _("Added an identity document"),
    "person.add_phone": _("Added a phone number"),
    "person.add_photo": _("Added a photo"),
    "person.add_relation": _("Added a relation"),
    "user.update_preferences": _("Changed preferences"),
    "user.create": _("Created an account"),
    "organisation.create": _("Added an organisation"),
}


def dashboard_for(user) -> dict:
    from setu.people.selectors import person_list_for

    context: dict = {"memberships": policy.active_memberships(user), "registered": [], "opened": []}
    if policy.has_permission(user, Permission.PERSON_VIEW):
        visible = person_list_for(user)
        context["registered"] = list(visible.filter(created_by=user).order_by("-created_at")[:5])
        opened_ids = list(
            dict.fromkeys(
                AuditEvent.objects.filter(actor_id=user.pk, action="person.view", outcome=AuditEvent.Outcome.ALLOWED)
                .order_by("-seq")
                .values_list("object_id", flat=True)[:30]
            )
        )[:5]
        by_id = {str(p.public_id): p for p in visible.filter(public_id__in=opened_ids)}
        context["opened"] = [by_id[i] for i in opened_ids if i in by_id]
    events = (
        AuditEvent.objects.filter(actor_id=user.pk, outcome=AuditEvent.Outcome.ALLOWED)
        .exclude(action__startswith="auth.")
        .order_by("-seq")[:10]
    )
    context["recent_events"] = [(event, ACTION_LABELS.get(event.action, event.action)) for event in events]
    return context
