"""Background tasks of the MLA app, run by the node's task worker (`setu db_worker`)."""

from __future__ import annotations

from django_tasks import task

from setu.mla.reminders import reminder_sweep


@task()
def sweep_mla_deadlines() -> dict[str, int]:
    """Raise the reminders of MLA deadlines near and overdue, once each (setu.mla.reminders). Enqueued by
    `setu scheduler`."""
    result = reminder_sweep()
    return {"reminders": result.reminders, "notices": result.notices}
