"""The dashboards: figures against hand-counted ones on a small data set, the scope of REPORT_VIEW and the
filters, which sections each role sees, the pages and the CSV downloads (setu/reports/dashboards.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from setu.accounts.tests.factories import make_user
from setu.audit.models import AuditEvent
from setu.cases.models import Case, StageRecord
from setu.cases.tests.factories import open_case
from setu.core import charts
from setu.interceptions.hotspots import Period
from setu.interceptions.models import Interception
from setu.interceptions.services import checklist_current
from setu.people.tests.factories import PersonFactory
from setu.reports import dashboards
from setu.reports.dashboards import Filters
from setu.tracing.models import CandidateStatus, MatchCandidate
from setu.tracing.models import Status as ReportStatus
from setu.tracing.tests.factories import make_report

pytestmark = pytest.mark.django_db

NPT = ZoneInfo("Asia/Kathmandu")
Q1 = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 1))
NOW = dt.datetime(2026, 4, 10, 12, tzinfo=NPT)


def _at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NPT)


# --- pure parts ---------------------------------------------------------------------------------------------


def test_median_and_90th_percentile_by_nearest_rank():
    assert dashboards.median([]) is None and dashboards.percentile_90([]) is None
    assert dashboards.median([3, 1, 2, 10]) == 2.5
    assert dashboards.percentile_90(list(range(1, 11))) == 9  # 9 of 10 values are at or below 9
    assert dashboards.percentile_90(list(range(1, 12))) == 10
    assert dashboards.percentile_90([4.26]) == 4.3


def test_bar_chart_draws_fractional_values_to_scale():
    chart = charts.bar_chart([dashboards.Item("a", "A", 12.5), dashboards.Item("b", "B", 25.0)])

    assert [float(bar.width) for bar in chart.bars] == [(charts.CHART_WIDTH - 48) / 2, charts.CHART_WIDTH - 48]
    assert [bar.value for bar in chart.bars] == [12.5, 25.0]


# --- cases: SOP compliance and repatriations ----------------------------------------------------------------


@pytest.fixture
def world(np_caseworker, np_other_org, morang, parsa):
    """Three cases: A and C in Morang (the transit home's), B in Parsa (another organisation's).

    | case | stage record      | entered          | left             | statutory due    |
    |------|-------------------|------------------|------------------|------------------|
    | A    | cwc_production    | 2026-01-01 00:00 | 2026-01-03 00:00 | 2026-01-02 00:00 (missed) |
    | B    | cwc_production    | 2026-01-05 00:00 | 2026-01-05 12:00 | 2026-01-06 00:00 (met)    |
    | C    | itpa_custody      | 2026-02-01 00:00 | 2026-02-11 00:00 | —                |
    | C    | adult_care        | 2026-02-11 00:00 | (open)           | 2026-03-01 00:00 (missed, still open) |
    | A    | reintegration     | 2026-02-15 00:00, by handover_confirmed (45 days after rescue) |

    Open now: A in reintegration (not due), B in rescued (due 2026-04-01: overdue at NOW), C in adult_care.
    """
    a = open_case(np_caseworker, district=morang, age=15, identified_at=_at(2026, 1, 1))
    b = open_case(np_other_org, district=parsa, age=16, identified_at=_at(2026, 1, 4))
    c = open_case(np_caseworker, district=morang, age=25, identified_at=_at(2026, 1, 31))
    StageRecord.objects.all().delete()
    rows = [
        (a, "cwc_production", _at(2026, 1, 1), _at(2026, 1, 3), _at(2026, 1, 2), "statutory", ""),
        (b, "cwc_production", _at(2026, 1, 5), _at(2026, 1, 5, 12), _at(2026, 1, 6), "statutory", ""),
        (c, "itpa_custody", _at(2026, 2, 1), _at(2026, 2, 11), None, "", ""),
        (c, "adult_care", _at(2026, 2, 11), None, _at(2026, 3, 1), "statutory", ""),
        (a, "reintegration", _at(2026, 2, 15), None, None, "", "handover_confirmed"),
    ]
    for case, stage, entered, left, due, kind, action in rows:
        StageRecord.objects.create(case=case, stage=stage, entered_at=entered, left_at=left, due_at=due,
                                   deadline_kind=kind, action=action)  # fmt: skip
    Case.objects.filter(pk=a.pk).update(stage="reintegration", due_at=None)
    Case.objects.filter(pk=b.pk).update(stage="rescued", due_at=_at(2026, 4, 1))
    Case.objects.filter(pk=c.pk).update(stage="adult_care", due_at=_at(2026, 5, 1))
    return {"a": a, "b": b, "c": c}


def _rows(dashboard, name):
    return {row[0]: row[1:] for row in dashboard.table(name).rows}


def test_sop_compliance_counts_stages_days_overdue_and_statutory_deadlines(world, np_analyst):
    d = dashboards.dashboard_for(np_analyst, "sop", Filters(Q1), now=NOW)

    assert _rows(d, "stages") == {"Rescued or intercepted": [1], "In care": [1], "Reintegration": [1]}
    assert _rows(d, "overdue")["Rescued or intercepted"] == [1, 1, 100.0]
    # The median of 2 and 0.5 days is 1.25 (shown to one decimal); the 90th percentile is the longer, 2.
    assert _rows(d, "durations") == {"Produced before the Child Welfare Committee": [2, 1.2, 2.0],
                                     "Intermediate custody (ITPA)": [1, 10.0, 10.0]}  # fmt: skip
    assert _rows(d, "statutory") == {"Produced before the Child Welfare Committee": [2, 1, 50.0],
                                     "In care": [1, 1, 100.0]}  # fmt: skip
    statutory = dict(d.facts)
    assert statutory["Statutory deadlines due in the period"] == 3
    assert statutory["Statutory deadlines missed"] == 2
    assert statutory["Open cases"] == 3 and statutory["Open cases past their stage's deadline"] == 1
    assert statutory["Overdue (%)"] == 33.3


def test_sop_compliance_counts_only_what_report_view_reaches_and_the_filters(world, np_caseworker, np_analyst,
                                                                             np_parsa_org, parsa):  # fmt: skip
    own = dashboards.dashboard_for(np_caseworker, "sop", Filters(Q1), now=NOW)
    assert dict(own.facts)["Open cases"] == 2  # A and C: the transit home's, in Morang
    assert dict(own.facts)["Statutory deadlines due in the period"] == 2

    in_parsa = dashboards.dashboard_for(np_analyst, "sop", Filters(Q1, district_id=parsa.pk), now=NOW)
    assert dict(in_parsa.facts)["Open cases"] == 1
    assert dict(in_parsa.facts)["Statutory deadlines missed"] == 0
    by_org = dashboards.dashboard_for(np_analyst, "sop", Filters(Q1, organisation_id=np_parsa_org.pk), now=NOW)
    assert dict(by_org.facts)["Open cases"] == 1


def test_repatriations_by_month_and_days_from_rescue_to_handover(world, np_analyst, np_other_org):
    d = dashboards.dashboard_for(np_analyst, "repatriation", Filters(Q1), now=NOW)

    assert d.table("months").rows == [["2026-01", 0], ["2026-02", 1], ["2026-03", 0]]
    assert dict(d.facts)["Median days from rescue to handover"] == 45.0
    assert _rows(d, "time")["30–90"] == [1]
    assert _rows(d, "ages")["Children"] == [1, 45.0, 45.0] and _rows(d, "ages")["Adults"] == [0, "—", "—"]
    # The other organisation, in Parsa, reaches none of it.
    other = dashboards.dashboard_for(np_other_org, "repatriation", Filters(Q1), now=NOW)
    assert dict(other.facts)["Repatriations"] == 0


# --- interceptions and missing persons -----------------------------------------------------------------------


def test_interceptions_by_crossing_point_month_and_outcome_in_scope(rani, birgunj, np_transit_home, np_parsa_org,
                                                                   np_monitor, np_analyst):  # fmt: skip
    checklist = checklist_current()
    for n, (station, org, at, outcome) in enumerate([
        (rani, np_transit_home, _at(2026, 1, 10, 9), "counselled"),
        (rani, np_transit_home, _at(2026, 2, 10, 9), "police"),
        (birgunj, np_parsa_org, _at(2026, 2, 11, 9), "counselled"),
        (birgunj, np_parsa_org, _at(2025, 12, 31, 9), "counselled"),  # before the period
    ]):  # fmt: skip
        Interception.objects.create(number=f"NP-INT-D-{n}", station=station, district=station.district,
                                    organisation=org, intercepted_at=at, destination_country="IN",
                                    checklist=checklist, outcome=outcome, created_by=np_monitor)  # fmt: skip

    every = dashboards.dashboard_for(np_analyst, "interceptions", Filters(Q1), now=NOW)
    assert dict(every.facts)["Interceptions"] == 3
    assert every.table("months").rows == [["2026-01", 1], ["2026-02", 2], ["2026-03", 0]]
    assert _rows(every, "outcomes")["Counselled and released"][0] == 2
    own = dashboards.dashboard_for(np_monitor, "interceptions", Filters(Q1), now=NOW)
    assert dict(own.facts)["Interceptions"] == 2  # the monitor's organisation's, at Rani
    narrowed = dashboards.dashboard_for(np_analyst, "interceptions", Filters(Q1, organisation_id=np_parsa_org.pk))
    assert [row[0] for row in narrowed.table("stations").rows] == [birgunj.name]


def test_missing_reports_and_match_rates(np_transit_home, np_parsa_org, morang, parsa, np_analyst, np_caseworker):
    reports = [
        make_report(organisation=np_transit_home, last_seen_district=morang, reported_on=dt.date(2026, 1, 5)),
        make_report(organisation=np_transit_home, last_seen_district=morang, reported_on=dt.date(2026, 2, 5),
                    status=ReportStatus.FOUND, found_at=_at(2026, 2, 20)),
        make_report(organisation=np_parsa_org, last_seen_district=parsa, reported_on=dt.date(2026, 2, 6)),
        make_report(organisation=np_parsa_org, last_seen_district=parsa, reported_on=dt.date(2025, 12, 6)),
    ]  # fmt: skip
    for report, status in [(reports[0], CandidateStatus.REJECTED), (reports[1], CandidateStatus.CONFIRMED),
                           (reports[1], CandidateStatus.REJECTED), (reports[2], CandidateStatus.PROPOSED)]:  # fmt: skip
        decided = status != CandidateStatus.PROPOSED
        MatchCandidate.objects.create(
            report=report, person=PersonFactory(organisation=np_transit_home), probability=0.9, status=status,
            decided_by=np_analyst if decided else None, decided_at=_at(2026, 3, 1) if decided else None,
        )  # fmt: skip

    d = dashboards.dashboard_for(np_analyst, "missing", Filters(Q1), now=NOW)
    assert d.table("months").rows == [["2026-01", 1], ["2026-02", 2], ["2026-03", 0]]
    matching = _rows(d, "matching")
    assert matching["Reports in the period"] == [3, 100.0]
    assert matching["With a possible match"] == [3, 100.0]
    assert matching["With a confirmed match"] == [1, 33.3] and matching["Found"] == [1, 33.3]
    assert dict(d.facts)["Possible matches confirmed (%)"] == 33.3  # 1 confirmed of 3 decided
    own = dashboards.dashboard_for(np_caseworker, "missing", Filters(Q1, district_id=morang.pk), now=NOW)
    assert dict(own.facts)["Missing-person reports"] == 2


# --- who sees which section -----------------------------------------------------------------------------------


def test_each_role_sees_the_sections_its_permissions_make_sense_of(np_transit_home, np_ministry, np_caseworker,
                                                                   np_analyst, np_focal_point, np_monitor):  # fmt: skip
    trainer = make_user("np_trainer", "trainer", np_ministry)

    def keys(user):
        return [s.key for s in dashboards.sections_for(user)]

    assert keys(np_caseworker) == ["sop", "repatriation", "missing"]
    assert keys(np_monitor) == ["sop", "repatriation", "interceptions", "missing"]
    assert keys(np_analyst) == ["sop", "repatriation", "interceptions", "missing", "training"]
    assert keys(np_focal_point) == list(dashboards.SECTIONS)
    assert keys(trainer) == ["training"]


def test_a_section_out_of_reach_and_no_report_view_are_the_audited_404(np_caseworker, np_auditor):
    client = Client()
    client.force_login(np_caseworker)
    denied = AuditEvent.objects.filter(actor_id=np_caseworker.pk, outcome="denied").count()
    assert client.get(reverse("reports:dashboard_section", args=["mla"])).status_code == 404
    assert AuditEvent.objects.filter(actor_id=np_caseworker.pk, outcome="denied").count() == denied + 1
    client.force_login(np_auditor)
    assert client.get(reverse("reports:dashboard")).status_code == 404
    assert client.get(reverse("reports:dashboard_csv")).status_code == 404
    assert client.get("/reports/nothing/").status_code == 404


# --- the pages and the downloads ------------------------------------------------------------------------------


def test_the_pages_show_charts_tables_and_no_names(world, np_analyst):
    client = Client()
    client.force_login(np_analyst)
    index = client.get(reverse("reports:dashboard"), {"start": "2026-01", "end": "2026-03"})
    assert index.status_code == 200
    assert b"/reports/sop/?start=2026-01" in index.content and b"/reports/mla/" not in index.content
    for key in ("sop", "repatriation", "interceptions", "missing", "training"):
        page = client.get(reverse("reports:dashboard_section", args=[key]), {"start": "2026-01", "end": "2026-03"})
        assert page.status_code == 200, key
        assert b"Bimala Lama" not in page.content
        # Training: no programme was recorded; every other section has a table, even of zeros.
        assert (b"Nothing to count in this period." if key == "training" else b"<table") in page.content
        if key in ("sop", "repatriation"):  # the cases of the world; nothing else was recorded
            assert page.content.count(b"<svg") >= 2
    repatriation = client.get("/reports/repatriation/?start=2026-01&end=2026-03").content.decode()
    assert '<td data-label="Month">2026-02</td><td data-label="Repatriations">1</td>' in repatriation


def test_a_bad_filter_says_what_is_wrong(np_analyst):
    client = Client()
    client.force_login(np_analyst)
    page = client.get("/reports/sop/", {"start": "2026-13", "end": "2026-01"})
    assert page.status_code == 200 and "Give a month as YYYY-MM" in page.content.decode()
    csv_response = client.get("/reports/sop/", {"start": "2026-03", "end": "2026-01", "format": "csv"})
    assert csv_response.status_code == 400 and "ends before it starts" in csv_response.content.decode()


def test_csv_of_one_table_is_its_rows_and_is_audited(world, np_analyst):
    client = Client()
    client.force_login(np_analyst)
    response = client.get("/reports/repatriation/", {"start": "2026-01", "end": "2026-03", "format": "csv",
                                                     "table": "months"})  # fmt: skip
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "setu-repatriation-months-2026-01_2026-03.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["Month", "Repatriations"], ["2026-01", "0"], ["2026-02", "1"], ["2026-03", "0"]]
    event = AuditEvent.objects.filter(actor_id=np_analyst.pk, action="report.dashboard.export").get()
    assert event.fields == ["repatriation-months"]
    bad = client.get("/reports/repatriation/", {"format": "csv", "table": "names"})
    assert bad.status_code == 400 and "Unknown table" in bad.content.decode()


def test_every_table_as_a_zip_for_the_sections_the_user_sees(world, np_caseworker):
    client = Client()
    client.force_login(np_caseworker)
    response = client.get(reverse("reports:dashboard_csv"), {"start": "2026-01", "end": "2026-03"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "sop-durations.csv" in names and "repatriation-months.csv" in names and "missing-matching.csv" in names
    assert not [name for name in names if name.startswith(("mla-", "training-", "interceptions-"))]


@pytest.mark.parametrize("count", [1, 2, 3, 10, 11, 30, 37])
def test_the_database_ranks_the_same_median_and_90th_percentile_as_python(count, np_caseworker, morang):
    case = open_case(np_caseworker, district=morang)
    values = [((n * 7) % count) + n / 100 for n in range(count)]  # shuffled, each different
    start = _at(2026, 1, 1)
    StageRecord.objects.bulk_create(
        StageRecord(case=case, stage="adult_care", entered_at=start, left_at=start + dt.timedelta(days=v))
        for v in values
    )
    found = dashboards.stage_durations(StageRecord.objects.filter(stage="adult_care"))["adult_care"]
    # The same up to the display's rounding (the database's day arithmetic is in floating point).
    assert found.count == count
    assert found.median == pytest.approx(dashboards.median(values), abs=0.06)
    assert found.p90 == pytest.approx(dashboards.percentile_90(values), abs=0.06)
