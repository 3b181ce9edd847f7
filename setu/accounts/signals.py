"""Authentication events go to the audit log (ASVS 16.3.1). Django and axes announce them as signals."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from setu.accounts.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY
from setu.audit.models import AuditEvent
from setu.audit.services import audit_record


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_SEEN_KEY] = now
    audit_record(actor=user, action="auth.login")


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(actor=user, action="auth.logout")


@receiver(user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The username tried is kept (it may be mistyped, never a password); the outcome says it failed.
    audit_record(
        actor=None,
        action="auth.login_failed",
        actor_username=str(credentials.get("username", ""))[:150],
        outcome=AuditEvent.Outcome.FAILED,
    )
