"""Deadlines and escalation: the sweep that finds stages past their deadline and alerts the SOP's roles.

Each case carries its current stage's `due_at` and `escalate_at` (deadline plus the stage's escalation
delay), set whenever it moves. The sweep takes open cases whose `escalate_at` has passed and that have not
been escalated in this stage, and for each role the stage's escalation names creates one task per
organisation whose members in that role reach the case (the case's organisation, the bodies of its district,
the node's focal points), with a notification to each of those members. A stage escalates once; moving the
case on closes its escalation tasks. Cases on hold are not escalated.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation

from setu.accounts.models import Membership
from setu.accounts.roles import ROLE_PERMISSIONS, Permission, Role, Scope
from setu.audit.services import audit_record
from setu.cases import choices
from setu.cases.models import Case, Notification, Task
from setu.cases.services import definition_of, task_text

BATCH = 500


@dataclass(frozen=True)
class SweepResult:
    cases: int
    tasks: int
    notifications: int


@dataclass(frozen=True)
class _Post:
    organisation_id: int
    scope: Scope
    district_ids: frozenset[int]
    user_ids: tuple[int, ...]


def _posts() -> dict[str, list[_Post]]:
    """For each role: the organisations with active members in it, how far their case view reaches, who."""
    members: dict[tuple[str, int], list[int]] = defaultdict(list)
    districts: dict[int, frozenset[int]] = {}
    for m in (
        Membership.objects.filter(is_active=True, user__is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .prefetch_related("organisation__districts")
    ):
        members[(m.role, m.organisation_id)].append(m.user_id)
        districts.setdefault(m.organisation_id, frozenset(d.id for d in m.organisation.districts.all()))
    posts: dict[str, list[_Post]] = defaultdict(list)
    for (role, org_id), user_ids in members.items():
        scope = ROLE_PERMISSIONS.get(Role(role), {}).get(Permission.CASE_VIEW)
        if scope is not None:
            posts[role].append(_Post(org_id, scope, districts[org_id], tuple(sorted(set(user_ids)))))
    return posts


def _reaches(post: _Post, case: Case) -> bool:
    return (
        post.scope == Scope.NODE
        or post.organisation_id == case.organisation_id
        or (post.scope == Scope.JURISDICTION and case.district_id in post.district_ids)
    )


def escalation_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    posts = _posts()
    totals = [0, 0, 0]
    due = Case.objects.filter(
        escalated_at__isnull=True, escalate_at__isnull=False, escalate_at__lte=now, status__in=choices.OPEN_STATUSES
    )
    while True:
        with transaction.atomic():
            cases = list(
                due.select_for_update(skip_locked=True).select_related("sop_version").order_by("escalate_at")[:BATCH]
            )
            if not cases:
                break
            tasks: list[Task] = []
            recipients: list[tuple[int, ...]] = []
            for case in cases:
                stage = definition_of(case.sop_version).stages[case.stage]
                if stage.escalation is None:
                    continue
                with translation.override("en"):  # Task.title is English; pages show task_text()
                    title = task_text(Task(case=case, kind=choices.TaskKind.ESCALATION, stage=case.stage))
                for role in sorted(stage.escalation.alert):
                    reached = [p for p in posts.get(role, []) if _reaches(p, case)]
                    if not reached:  # nobody holds the role here: the organisation in charge must know
                        tasks.append(
                            Task(
                                case=case,
                                kind=choices.TaskKind.ESCALATION,
                                stage=case.stage,
                                role=role,
                                organisation_id=case.organisation_id,
                                title=title,
                                due_at=case.due_at,
                            )
                        )
                        recipients.append(())
                    for post in reached:
                        tasks.append(
                            Task(
                                case=case,
                                kind=choices.TaskKind.ESCALATION,
                                stage=case.stage,
                                role=role,
                                organisation_id=post.organisation_id,
                                title=title,
                                due_at=case.due_at,
                            )
                        )
                        recipients.append(post.user_ids)
            created = Task.objects.bulk_create(tasks, batch_size=1000)
            if any(task.pk is None for task in created):  # backends that do not return ids (none we support)
                raise RuntimeError("the database did not return the new tasks' ids")
            notes = [
                Notification(user_id=u, task=t) for t, users in zip(created, recipients, strict=True) for u in users
            ]
            Notification.objects.bulk_create(notes, batch_size=2000, ignore_conflicts=True)
            Case.objects.filter(pk__in=[c.pk for c in cases]).update(escalated_at=now)
            totals[0] += len(cases)
            totals[1] += len(created)
            totals[2] += len(notes)
    if totals[0]:
        audit_record(actor=None, actor_username="setu-worker", action="case.escalation_sweep",
                     object_type="cases.case", object_id=f"{totals[0]} cases", fields=["escalated_at"])  # fmt: skip
    return SweepResult(*totals)
