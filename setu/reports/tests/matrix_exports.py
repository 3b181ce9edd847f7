"""The exports' endpoints for the permission matrix (tests/test_permission_matrix.py), ready to be wired in:
each row is what its `Endpoint` needs (name, method, path from the matrix's context, permission, whether it
addresses one record). The out-of-scope case is the matrix's `ctx["case"]` (Kamala's, in Parsa); the list
exports make the out-of-scope interception and missing-person report first, so that a leak would show.

    from setu.reports.tests.matrix_exports import ENDPOINTS as EXPORT_ENDPOINTS
    ENDPOINTS += [Endpoint(**row.as_endpoint()) for row in EXPORT_ENDPOINTS]

The list exports are addressed as CSV (plain text: the matrix looks for Kamala's name in the response; an
XLSX is a zip, where it would not). The HTCDS export is a survivors' list for its only holders, the focal
points, whose CASE_VIEW is node-wide: the matrix's SURVIVOR_LISTS needs EXPORT_BULK for its "allowed" cell.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from setu.accounts.roles import Permission
from setu.accounts.tests.matrix import MatrixRow
from setu.interceptions.tests.matrix import out_of_scope_interception
from setu.tracing.tests.matrix import out_of_scope_report


def _list_csv(key: str, make: Callable[[dict], object] | None = None) -> Callable[[dict], str]:
    def path(ctx: dict) -> str:
        if make is not None:
            make(ctx)
        return reverse("reports:list_export", args=[key, "csv"])

    return path


def _case_document(kind: str) -> Callable[[dict], str]:
    return lambda ctx: reverse("reports:case_document", args=[ctx["case"].public_id, kind]) + "?lang=ne"


ExportEndpoint = MatrixRow  # one row of the matrix, as every app lists them (setu.accounts.tests.matrix)


ENDPOINTS: list[ExportEndpoint] = [
    ExportEndpoint("exports page", "GET", lambda c: reverse("reports:exports"), Permission.REPORT_VIEW, False),
    ExportEndpoint("htcds export csv", "GET", lambda c: reverse("reports:htcds_csv"), Permission.EXPORT_BULK, False),
    ExportEndpoint("htcds export json", "GET", lambda c: reverse("reports:htcds_json"), Permission.EXPORT_BULK, False),
    ExportEndpoint("case list export", "GET", _list_csv("cases"), Permission.CASE_VIEW, False),
    ExportEndpoint("people list export", "GET", _list_csv("people"), Permission.PERSON_VIEW, False),
    ExportEndpoint(
        "interception list export",
        "GET",
        _list_csv("interceptions", out_of_scope_interception),
        Permission.INTERCEPTION_VIEW,
        False,
    ),  # fmt: skip
    ExportEndpoint(
        "missing-person list export", "GET", _list_csv("missing", out_of_scope_report), Permission.TRACING_VIEW, False
    ),  # fmt: skip
    ExportEndpoint("case summary pdf", "GET", _case_document("summary"), Permission.CASE_VIEW, True),
    ExportEndpoint("handover certificate pdf", "GET", _case_document("handover"), Permission.CASE_VIEW, True),
    ExportEndpoint("home study form pdf", "GET", _case_document("home-study"), Permission.CASE_VIEW, True),
    ExportEndpoint(
        "annual summary", "GET", lambda c: reverse("reports:annual_summary"), Permission.REPORT_VIEW, False
    ),  # fmt: skip
    ExportEndpoint(
        "annual summary pdf", "GET", lambda c: reverse("reports:annual_summary_pdf"), Permission.REPORT_VIEW, False
    ),  # fmt: skip
]
