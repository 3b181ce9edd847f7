"""Deadlines and the reminder sweep: a deadline near or overdue raises one reminder of each kind, told to the
people who may manage the request, and a second sweep raises nothing more."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from setu.audit.models import AuditEvent
from setu.core.management.commands.scheduler import periodic_tasks
from setu.mla import services
from setu.mla.models import Deadline, Reminder, ReminderNotice
from setu.mla.reminders import reminder_sweep
from setu.mla.tests.conftest import draft_values

pytestmark = pytest.mark.django_db


def test_the_india_summons_rule_counts_ten_working_days(settings, np_focal_point):
    settings.SETU_NODE = "IN"
    mla = services.request_draft(actor=np_focal_point, **draft_values(
        requesting_authority="IN-COURT-ARARIA", requested_authority="NP-MOLJPA", types=["service_of_documents"],
        women_children=True, language_reason="The court writes in English"))  # fmt: skip
    deadline = mla.deadlines.get(rule="in-forward-summons")
    assert not deadline.statutory
    assert deadline.due_on > deadline.starts_on + dt.timedelta(days=11)  # two weekends at least
    assert deadline.due_on.weekday() < 5


def test_the_sweep_reminds_once_of_a_near_deadline_and_once_when_overdue(india, np_prosecutor, np_focal_point,
                                                                           np_parsa_prosecutor, draft):  # fmt: skip
    today = timezone.localdate()
    deadline = Deadline.objects.create(request=draft, rule="answer-expected", starts_on=today, due_on=today
                                       + dt.timedelta(days=2))  # fmt: skip
    first = reminder_sweep()
    assert (first.reminders, first.notices) == (1, 2)  # the office's prosecutor and the central authority
    assert set(ReminderNotice.objects.values_list("user__username", flat=True)) == {"np_prosecutor", "np_focal_point"}
    assert reminder_sweep().reminders == 0
    later = timezone.now() + dt.timedelta(days=5)
    assert reminder_sweep(now=later).reminders == 1
    assert reminder_sweep(now=later).reminders == 0
    assert list(Reminder.objects.filter(deadline=deadline).order_by("id").values_list("kind", flat=True)) == [
        "near", "overdue"]  # fmt: skip
    assert AuditEvent.objects.filter(action="mla.reminder_sweep").count() == 2


def test_met_deadlines_and_closed_requests_raise_no_reminder(np_prosecutor, draft):
    today = timezone.localdate()
    Deadline.objects.create(request=draft, rule="answer-expected", starts_on=today, due_on=today,
                            met_at=timezone.now())  # fmt: skip
    Deadline.objects.create(request=draft, rule="respond-by", starts_on=today, due_on=today - dt.timedelta(days=1))
    services.request_move(actor=np_prosecutor, request=draft, status="closed")
    assert reminder_sweep().reminders == 0


def test_the_sweep_is_on_the_scheduler():
    assert "setu.mla.tasks.sweep_mla_deadlines" in dict(periodic_tasks())
