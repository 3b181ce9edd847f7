"""The dashboards' endpoints for the permission matrix (tests/test_permission_matrix.py), ready to be wired in:
each row is what its `Endpoint` needs. Every page is a list-like GET: a role holding the permission gets the
page (figures only; the matrix checks that no out-of-scope name shows), any other role the audited 404.

    from setu.reports.tests.matrix_dashboards import ENDPOINTS as REPORT_DASHBOARD_ENDPOINTS
    ENDPOINTS_ALL += [Endpoint(**row.as_endpoint()) for row in REPORT_DASHBOARD_ENDPOINTS]

A section needs REPORT_VIEW and the permission that makes sense of it. The index and the ZIP of every table
need REPORT_VIEW alone. The MLA and training sections are gated by one permission each, whose every holder
also holds REPORT_VIEW, so they are rows here; the others are gated by one of two permissions (cases: CASE_VIEW,
or REPORT_VIEW node-wide; interceptions: HOTSPOT_VIEW or INTERCEPTION_VIEW; missing persons: TRACING_VIEW, or
REPORT_VIEW node-wide), which a row cannot say: setu/reports/tests/test_dashboards.py tests them role by role.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from setu.accounts.roles import Permission
from setu.accounts.tests.matrix import MatrixRow

DashboardEndpoint = MatrixRow  # one row of the matrix, as every app lists them (setu.accounts.tests.matrix)


def _section(key: str, query: str = "") -> Callable[[dict], str]:
    return lambda ctx: reverse("reports:dashboard_section", args=[key]) + query


ENDPOINTS: list[DashboardEndpoint] = [
    DashboardEndpoint("reports dashboards", "GET", lambda ctx: reverse("reports:dashboard"), Permission.REPORT_VIEW),
    DashboardEndpoint(
        "reports dashboards csv", "GET", lambda ctx: reverse("reports:dashboard_csv"), Permission.REPORT_VIEW
    ),  # fmt: skip
    DashboardEndpoint("reports mla dashboard", "GET", _section("mla"), Permission.MLA_VIEW),
    DashboardEndpoint("reports mla dashboard csv", "GET", _section("mla", "?format=csv"), Permission.MLA_VIEW),
    DashboardEndpoint("reports training dashboard", "GET", _section("training"), Permission.TRAINING_VIEW),
    DashboardEndpoint(
        "reports training dashboard csv",
        "GET",
        _section("training", "?format=csv&table=organisation"),
        Permission.TRAINING_VIEW,
    ),  # fmt: skip
]
