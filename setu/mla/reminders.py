"""The reminder sweep: deadlines of open requests that are near (within the rule book's `near_days`) or
overdue raise a reminder, once each (a unique row per deadline and kind), and each reminder tells the people
who may manage the request: its office's members with MLA_MANAGE and the node-wide holders (the central
authority). Run by `setu.mla.tasks.sweep_mla_deadlines` on the scheduler; safe to run twice at once (the
unique rows take the second run's inserts as done)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from setu.accounts.models import Membership
from setu.accounts.roles import ROLE_PERMISSIONS, Permission, Role, Scope
from setu.audit.services import audit_record
from setu.mla import workflow
from setu.mla.deadlines_rules import rule_book
from setu.mla.models import Deadline, Reminder, ReminderKind, ReminderNotice


@dataclass(frozen=True)
class SweepResult:
    reminders: int
    notices: int


def _managers() -> tuple[set[int], dict[int, set[int]]]:
    """(node-wide managers, {organisation: its managers}) of MLA requests."""
    node_wide: set[int] = set()
    by_org: dict[int, set[int]] = {}
    for m in Membership.objects.filter(is_active=True, user__is_active=True, organisation__is_active=True):
        scope = ROLE_PERMISSIONS.get(Role(m.role), {}).get(Permission.MLA_MANAGE)
        if scope == Scope.NODE:
            node_wide.add(m.user_id)
        elif scope is not None:
            by_org.setdefault(m.organisation_id, set()).add(m.user_id)
    return node_wide, by_org


def reminder_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    today = timezone.localdate(now)
    near_by = today + dt.timedelta(days=rule_book().near_days)
    node_wide, by_org = _managers()
    made = notified = 0
    due = (Deadline.objects.filter(met_at__isnull=True, due_on__lte=near_by)
           .exclude(request__status=workflow.CLOSED).select_related("request"))  # fmt: skip
    with transaction.atomic():
        for deadline in due.order_by("due_on", "id"):
            kind = ReminderKind.OVERDUE if deadline.due_on < today else ReminderKind.NEAR
            reminder, created = Reminder.objects.get_or_create(deadline=deadline, kind=kind,
                                                               defaults={"created_at": now})  # fmt: skip
            if not created:
                continue
            made += 1
            users = set(node_wide) | by_org.get(deadline.request.organisation_id or 0, set())
            notes = ReminderNotice.objects.bulk_create([ReminderNotice(reminder=reminder, user_id=u) for u in users],
                                                       ignore_conflicts=True)  # fmt: skip
            notified += len(notes)
        if made:
            audit_record(actor=None, actor_username="setu-worker", action="mla.reminder_sweep",
                         object_type="mla.deadline", object_id=f"{made} reminders", fields=["reminders"])  # fmt: skip
    return SweepResult(reminders=made, notices=notified)
