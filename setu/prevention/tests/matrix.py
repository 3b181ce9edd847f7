"""Out-of-scope records for the permission matrix (tests/test_permission_matrix.py): an awareness activity and
a vigilance report of the Parsa organisation of the matrix's `out_of_scope` fixture, held in Birgunj (Parsa).
Made on first use and kept in the fixture's dict, so every endpoint of a cell addresses the same ones."""

from __future__ import annotations

from setu.geo.models import LocalLevel
from setu.prevention.models import AwarenessActivity, VigilanceReport
from setu.prevention.tests.factories import local_level, make_activity, make_report


def _birgunj(ctx: dict) -> LocalLevel:
    return local_level("Birgunj", district=ctx["case"].district, wards=32, kind=LocalLevel.Kind.METROPOLITAN)


def out_of_scope_activity(ctx: dict) -> AwarenessActivity:
    if "activity" not in ctx:
        case = ctx["case"]
        ctx["activity"] = make_activity(organisation=case.organisation, local_level=_birgunj(ctx), ward=3,
                                        created_by=case.created_by, notes="Out-of-scope activity")  # fmt: skip
    return ctx["activity"]


def out_of_scope_vigilance_report(ctx: dict) -> VigilanceReport:
    if "vigilance_report" not in ctx:
        case = ctx["case"]
        ctx["vigilance_report"] = make_report(organisation=case.organisation, local_level=_birgunj(ctx), ward=3,
                                              created_by=case.created_by)  # fmt: skip
    return ctx["vigilance_report"]
