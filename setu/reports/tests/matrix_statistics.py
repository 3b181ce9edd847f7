"""The bilateral statistics endpoints for the permission matrix (tests/test_permission_matrix.py), in the
format of setu/training/tests/matrix.py:

    from setu.reports.tests.matrix_statistics import ENDPOINTS as STATISTICS_ENDPOINTS
    ENDPOINTS_ALL += [Endpoint(**row.as_endpoint()) for row in STATISTICS_ENDPOINTS]

None addresses one record: statistics are node-wide (both permissions are granted at node scope only)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from setu.accounts.roles import Permission
from setu.accounts.tests.matrix import MatrixRow


def _page(name: str) -> Callable[[dict], str]:
    return lambda ctx: reverse(f"reports:{name}")


StatisticsEndpoint = MatrixRow  # one row of the matrix, as every app lists them (setu.accounts.tests.matrix)


P, E = Permission.STATISTICS_PUBLISH, Permission.STATISTICS_EXPORT

ENDPOINTS: list[StatisticsEndpoint] = [
    StatisticsEndpoint("statistics joint page", "GET", _page("statistics"), P, False),
    StatisticsEndpoint(
        "statistics publish",
        "POST",
        _page("statistics_publish"),
        P,
        False,
        data=lambda ctx: {"year": str(timezone.localdate().year)},
    ),  # fmt: skip
    StatisticsEndpoint("statistics CTDC report", "GET", _page("statistics_ctdc"), E, False),
    StatisticsEndpoint("statistics CTDC extract", "GET", _page("statistics_ctdc_csv"), E, False),
    StatisticsEndpoint("statistics CTDC suppression report", "GET", _page("statistics_ctdc_report_csv"), E, False),
]
