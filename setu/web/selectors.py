"""What the dashboard shows: the user's memberships and their own recent work."""

from __future__ import annotations

from setu.accounts import policy
from setu.audit.models import AuditEvent


def dashboard_for(user) -> dict:
    memberships = list(policy.active_memberships(user))
    recent = (
        AuditEvent.objects.filter(actor_id=user.pk, outcome=AuditEvent.Outcome.ALLOWED)
        .exclude(action__startswith="auth.")
        .order_by("-seq")[:10]
    )
    return {"memberships": memberships, "recent_events": list(recent)}
