"""Deadlines and escalation, by time travel: the sweep is run at chosen moments (`now=`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.audit.models import AuditEvent
from setu.cases import services
from setu.cases.deadlines import escalation_sweep
from setu.cases.models import Case, Notification, Task
from setu.cases.selectors import my_tasks, overdue_cases_for
from setu.cases.tests.factories import open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cwc(morang):
    committee = OrganisationFactory(name_en="Child Welfare Committee Morang", districts=[morang])
    return make_user("cwc_morang", "cwc_member", committee)


def _child_at_cwc(actor, district, rescued):
    case = open_case(actor, district=district, age=15, identified_at=rescued)
    return services.case_act(actor=actor, case=case, action="produce_before_cwc", reason="produced",
                             revision=case.revision, now=rescued + dt.timedelta(hours=1))  # fmt: skip


def test_nothing_escalates_before_the_deadline(np_caseworker, morang, cwc):
    rescued = timezone.now() - dt.timedelta(hours=2)
    _child_at_cwc(np_caseworker, morang, rescued)
    result = escalation_sweep(now=rescued + dt.timedelta(hours=23, minutes=59))
    assert result.cases == 0 and not Task.objects.exists()


def test_a_missed_statutory_deadline_alerts_the_sop_roles_once(np_caseworker, np_focal_point, morang, cwc):
    rescued = timezone.now() - dt.timedelta(hours=30)
    case = _child_at_cwc(np_caseworker, morang, rescued)
    assert case.due_at == rescued + dt.timedelta(hours=24)

    result = escalation_sweep(now=rescued + dt.timedelta(hours=25))
    # cwc_production alerts cwc_member and focal_point (v1.yaml): the district's CWC and the ministry.
    assert result.cases == 1
    tasks = Task.objects.filter(case=case, kind="escalation")
    assert {(t.role, t.organisation.name_en) for t in tasks} == {
        ("cwc_member", "Child Welfare Committee Morang"),
        ("focal_point", np_focal_point.memberships.get().organisation.name_en),
    }
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"cwc_morang", "np_focal_point"}
    assert [t.case for t in my_tasks(cwc)] == [case]
    assert AuditEvent.objects.filter(action="case.escalation_sweep").count() == 1

    again = escalation_sweep(now=rescued + dt.timedelta(hours=40))  # a stage escalates once
    assert again.cases == 0 and Task.objects.count() == tasks.count()


def test_moving_on_closes_escalation_tasks_and_restarts_the_clock(np_caseworker, morang, cwc, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rescued = timezone.now() - dt.timedelta(days=3)
    case = _child_at_cwc(np_caseworker, morang, rescued)
    escalation_sweep(now=rescued + dt.timedelta(hours=26))
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.document_add(actor=np_caseworker, case=case, doc_type="cwc_order",
                          upload=SimpleUploadedFile("o.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"))  # fmt: skip
    case.refresh_from_db()
    moved_at = rescued + dt.timedelta(days=2)
    case = services.case_act(actor=np_caseworker, case=case, action="place_in_care", reason="order made",
                             revision=case.revision, now=moved_at)  # fmt: skip
    assert not Task.objects.filter(done_at__isnull=True).exists()
    # child_care: social investigation within 15 days of entering the stage (JJ Act s.36(2)), escalated 24 h later.
    assert case.due_at == moved_at + dt.timedelta(days=15)
    assert case.escalate_at == moved_at + dt.timedelta(days=16)
    assert escalation_sweep(now=moved_at + dt.timedelta(days=15, hours=12)).cases == 0
    assert escalation_sweep(now=moved_at + dt.timedelta(days=16, hours=1)).cases == 1


def test_cases_on_hold_are_not_escalated_and_overdue_lists_the_late(np_caseworker, morang, cwc):
    rescued = timezone.now() - dt.timedelta(hours=30)
    late = _child_at_cwc(np_caseworker, morang, rescued)
    held = _child_at_cwc(np_caseworker, morang, rescued)
    services.case_hold(actor=np_caseworker, case=held, reason="court", revision=held.revision)
    on_time = open_case(np_caseworker, district=morang, age=25)
    assert list(overdue_cases_for(np_caseworker)) == [late]
    escalation_sweep()
    assert set(Task.objects.values_list("case_id", flat=True)) == {late.pk}
    assert not Task.objects.filter(case=on_time).exists()


def test_a_role_nobody_holds_alerts_the_organisation_in_charge(np_caseworker, morang):
    rescued = timezone.now() - dt.timedelta(hours=30)
    case = _child_at_cwc(np_caseworker, morang, rescued)  # no CWC member, no focal point on this node
    escalation_sweep()
    assert set(Task.objects.values_list("role", "organisation_id")) == {
        ("cwc_member", case.organisation_id),
        ("focal_point", case.organisation_id),
    }


def test_the_periodic_task_runs_the_sweep_through_the_scheduler(np_caseworker, morang, cwc):
    rescued = timezone.now() - dt.timedelta(hours=30)
    case = _child_at_cwc(np_caseworker, morang, rescued)
    call_command("scheduler", "--once")  # enqueues; the test settings' task backend runs it at once
    assert Case.objects.get(pk=case.pk).escalated_at is not None
    assert Task.objects.filter(case=case).exists()
