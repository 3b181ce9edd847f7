"""Out-of-scope records for the permission matrix (tests/test_permission_matrix.py): a missing-person report of
the Parsa organisation of the matrix's `out_of_scope` fixture, for the out-of-scope person, last seen in Parsa.
Made on first use and kept in the fixture's dict, so every endpoint of a cell addresses the same one."""

from __future__ import annotations

from setu.tracing.models import MissingReport
from setu.tracing.tests.factories import make_report


def out_of_scope_report(ctx: dict) -> MissingReport:
    if "missing_report" not in ctx:
        case = ctx["case"]
        ctx["missing_report"] = make_report(organisation=case.organisation, person=ctx["person"],
                                            last_seen_district=case.district, created_by=case.created_by,
                                            last_seen_place="Birgunj Ghantaghar")  # fmt: skip
    return ctx["missing_report"]


def report_state(ctx: dict) -> tuple:
    """What a refused cell must leave as it was."""
    if "missing_report" not in ctx:
        return ()
    report = MissingReport.objects.get(pk=ctx["missing_report"].pk)
    return (report.status, report.reporter_name, report.reference, report.visibility, report.updated_at,
            MissingReport.objects.count())  # fmt: skip
