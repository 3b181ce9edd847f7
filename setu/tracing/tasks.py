"""Background tasks of tracing, run by the node's task worker (`setu db_worker`), enqueued by `setu scheduler`."""

from __future__ import annotations

from django_tasks import task

from setu.tracing import matching


@task()
def sweep_matching() -> dict[str, int]:
    """Index the persons that changed since they were last indexed, and propose candidates for them."""
    return matching.sweep()


@task()
def train_matching_model() -> dict[str, object]:
    """Train the node's matching model on its own records (kept when each side has enough of them)."""
    trained = matching.train()
    return {"trained": trained is not None, **(trained.summary if trained else {})}
