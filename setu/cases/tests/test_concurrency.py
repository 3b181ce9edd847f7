"""Two people acting on the same case at once cannot corrupt it: the second gets a clear conflict.

Runs on PostgreSQL (CI's second pass, DATABASE_URL set), where two connections really race: the case row
is locked (SELECT ... FOR UPDATE) and the revision each form carried is compared under the lock.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from setu.cases import services
from setu.cases.models import Case, CaseEvent, StageRecord
from setu.cases.tests.factories import open_case

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two real connections racing (PostgreSQL)"),
]


def _race(*calls):
    """Run the calls in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.parametrize("round_", range(5))
def test_two_caseworkers_moving_the_same_case_at_once(round_, np_caseworker, np_police, morang):
    case = open_case(np_caseworker, district=morang, age=15)
    revision = case.revision

    results = _race(
        lambda: services.case_act(actor=np_caseworker, case=case, action="produce_before_cwc", reason="me",
                                  revision=revision),
        lambda: services.case_hold(actor=np_police, case=case, reason="court", revision=revision),
    )  # fmt: skip

    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, services.CaseConflictError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "Someone else changed" in str(losers[0])
    case.refresh_from_db()
    assert case.revision == revision + 1
    assert StageRecord.objects.filter(case=case, left_at__isnull=True).count() == 1
    assert CaseEvent.objects.filter(case=case).count() == 2  # opened, and the one change that won


def test_two_focal_points_without_revisions_cannot_both_take_the_step(np_caseworker, morang):
    case = open_case(np_caseworker, district=morang, age=15)

    results = _race(*[
        lambda: services.case_act(actor=np_caseworker, case=case, action="produce_before_cwc", reason="first",
                                  revision=None)
        for _ in range(2)
    ])  # fmt: skip

    # No revision given (e.g. a script): the lock serialises them, and the second finds the step gone.
    assert sum(isinstance(r, Case) for r in results) == 1
    assert sum(isinstance(r, services.SopRefusalError) for r in results) == 1
    assert StageRecord.objects.filter(case=case).count() == 2
