"""Background tasks of the cases app, run by the node's task worker (`setu db_worker`)."""

from __future__ import annotations

from django_tasks import task

from setu.cases.deadlines import escalation_sweep


@task()
def sweep_deadlines() -> dict[str, int]:
    """Escalate every stage past its deadline (setu.cases.deadlines). Enqueued by `setu scheduler`."""
    result = escalation_sweep()
    return {"cases": result.cases, "tasks": result.tasks, "notifications": result.notifications}
