from __future__ import annotations

from django.db.models import QuerySet

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.models import AuditEvent


def audit_event_list_for(user, *, action: str = "", object_id: str = "", actor: str = "") -> QuerySet[AuditEvent]:
    policy.require(user, Permission.AUDIT_VIEW)
    events = AuditEvent.objects.all()
    if action:
        events = events.filter(action__startswith=action)
    if object_id:
        events = events.filter(object_id=object_id)
    if actor:
        events = events.filter(actor_username=actor)
    return events.order_by("-seq")
