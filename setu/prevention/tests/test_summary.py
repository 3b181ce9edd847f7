"""The per-ward summary against figures worked out by hand, its scope, and its CSV (safe from formulas)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from setu.audit.models import AuditEvent
from setu.core.spreadsheet import csv_safe
from setu.prevention import selectors
from setu.prevention.summary import WardRow, add_up, to_csv
from setu.prevention.tests.factories import local_level, make_activity, make_report

JANUARY_TO_10_MARCH = {"date_from": dt.date(2026, 1, 1), "date_to": dt.date(2026, 3, 10)}


# --- pure: no database ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+977 98", "'+977 98"),
        ("-2", "'-2"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("Biratnagar", "Biratnagar"),
        ("विराटनगर", "विराटनगर"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (12, 12),
        (0, 0),
    ],
)
def test_csv_cells_never_start_a_formula(value, expected):
    assert csv_safe(value) == expected


def test_the_totals_row_adds_up_every_figure():
    rows = [
        WardRow("Morang", "Biratnagar", 5, 2, {"female_adult": 5, "male_adult": 1}, {"fake_job": 1}),
        WardRow("Morang", "Rangeli", 2, 1, {"female_adult": 3}, {"fake_job": 2, "child_travel": 1}),
    ]
    total = add_up(rows)
    assert (total.ward, total.activities, total.reached_total, total.reports_total) == (None, 3, 9, 4)
    assert total.reached == {"female_adult": 8, "male_adult": 1}
    assert total.reports == {"fake_job": 3, "child_travel": 1}
    assert add_up([]).reached_total == 0


def test_the_csv_has_a_header_one_line_per_ward_and_a_totals_line():
    rows = [WardRow("=Morang", "@Biratnagar", 5, 2, {"female_under_18": 4}, {"fake_job": 1})]
    text = to_csv(header=["=District", "b"], rows=rows, total=add_up(rows), total_label="Total",
                  kinds=["fake_job", "other"])  # fmt: skip
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == ["'=District", "b"]
    assert lines[1] == ["'=Morang", "'@Biratnagar", "5", "2", "4", "0", "0", "0", "0", "0", "4", "1", "0", "1"]
    assert lines[2] == ["Total", "", "", "2", "4", "0", "0", "0", "0", "0", "4", "1", "0", "1"]


# --- from the database ---------------------------------------------------------------------------------------


@pytest.fixture
def dataset(np_municipality, np_transit_home, np_parsa_municipality, biratnagar, rangeli, birgunj):
    """Activities and reports in January–March 2026 (and a few outside the period or the scope)."""
    municipality, transit_home = np_municipality, np_transit_home
    # Biratnagar ward 5: two activities in the period, one before it.
    make_activity(organisation=municipality, local_level=biratnagar, ward=5, held_on=dt.date(2026, 1, 1),
                  female_under_18=10, female_adult=5, male_under_18=8, male_adult=2, other_adult=1)  # fmt: skip
    make_activity(organisation=transit_home, local_level=biratnagar, ward=5, held_on=dt.date(2026, 2, 20),
                  female_under_18=3, female_adult=0, male_adult=4)  # fmt: skip
    make_activity(organisation=municipality, local_level=biratnagar, ward=5, held_on=dt.date(2025, 12, 31),
                  female_adult=500)  # fmt: skip
    # Biratnagar ward 7: one activity on the last day, one report.
    make_activity(organisation=municipality, local_level=biratnagar, ward=7, held_on=dt.date(2026, 3, 10),
                  female_adult=20)  # fmt: skip
    make_report(organisation=municipality, local_level=biratnagar, ward=7, kind="fake_job",
                reported_on=dt.date(2026, 2, 2))  # fmt: skip
    # Rangeli ward 2: reports only (one after the period).
    for kind in ("child_travel", "child_travel", "suspicious_recruiter"):
        make_report(organisation=transit_home, local_level=rangeli, ward=2, kind=kind, reported_on=dt.date(2026, 3, 1))
    make_report(organisation=transit_home, local_level=rangeli, ward=2, kind="other", reported_on=dt.date(2026, 3, 11))
    # Birgunj (Parsa): out of the Morang bodies' scope.
    make_activity(organisation=np_parsa_municipality, local_level=birgunj, ward=1, held_on=dt.date(2026, 2, 1),
                  female_adult=0, male_adult=50)  # fmt: skip
    make_report(organisation=np_parsa_municipality, local_level=birgunj, ward=1, kind="missing_person",
                reported_on=dt.date(2026, 2, 1))  # fmt: skip


def _figures(row: WardRow) -> tuple:
    return (row.district, row.local_level, row.ward, row.activities,
            tuple(row.reached_in(name) for name in ("female_under_18", "female_adult", "male_under_18", "male_adult",
                                                    "other_under_18", "other_adult")),
            row.reached_total, dict(row.reports), row.reports_total)  # fmt: skip


@pytest.mark.django_db
def test_the_summary_matches_the_figures_worked_out_by_hand(np_localgov, dataset):
    summary = selectors.ward_summary_for(np_localgov, **JANUARY_TO_10_MARCH)
    assert [_figures(row) for row in summary.rows] == [
        ("Morang", "Biratnagar", 5, 2, (13, 5, 8, 6, 0, 1), 33, {}, 0),
        ("Morang", "Biratnagar", 7, 1, (0, 20, 0, 0, 0, 0), 20, {"fake_job": 1}, 1),
        ("Morang", "Rangeli", 2, 0, (0, 0, 0, 0, 0, 0), 0, {"child_travel": 2, "suspicious_recruiter": 1}, 3),
    ]
    total = summary.total
    assert (total.activities, total.reached_total, total.reports_total) == (3, 53, 4)
    assert total.reached == {"female_under_18": 13, "female_adult": 25, "male_under_18": 8, "male_adult": 6,
                             "other_under_18": 0, "other_adult": 1}  # fmt: skip
    assert total.reports == {"fake_job": 1, "child_travel": 2, "suspicious_recruiter": 1}


@pytest.mark.django_db
def test_the_summary_narrows_to_a_local_level_or_a_district(np_localgov, dataset, rangeli, parsa):
    by_level = selectors.ward_summary_for(np_localgov, **JANUARY_TO_10_MARCH, local_level_id=rangeli.pk)
    assert [(row.local_level, row.ward) for row in by_level.rows] == [("Rangeli", 2)]
    assert selectors.ward_summary_for(np_localgov, **JANUARY_TO_10_MARCH, district_id=parsa.pk).rows == []


@pytest.mark.django_db
def test_a_node_wide_analyst_sees_parsa_in_the_summary_too(np_analyst, dataset):
    summary = selectors.ward_summary_for(np_analyst, **JANUARY_TO_10_MARCH)
    assert [(row.district, row.local_level, row.ward) for row in summary.rows][-1] == ("Parsa", "Birgunj", 1)
    assert (summary.total.activities, summary.total.reached_total, summary.total.reports_total) == (4, 103, 5)


@pytest.mark.django_db
def test_the_summary_takes_a_constant_number_of_queries(django_assert_max_num_queries, np_localgov, dataset,
                                                        np_municipality, rangeli):  # fmt: skip
    with django_assert_max_num_queries(8) as few:
        selectors.ward_summary_for(np_localgov, **JANUARY_TO_10_MARCH)
    for ward in range(1, 10):
        make_activity(organisation=np_municipality, local_level=rangeli, ward=ward, held_on=dt.date(2026, 1, 5))
    with django_assert_max_num_queries(len(few.captured_queries)):
        selectors.ward_summary_for(np_localgov, **JANUARY_TO_10_MARCH)


def _csv(client: Client, **params) -> list[list[str]]:
    response = client.get(reverse("prevention:summary_csv"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="prevention-')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.django_db
def test_the_csv_download_has_the_pages_figures_and_a_totals_line(np_localgov, dataset):
    client = Client()
    client.force_login(np_localgov)
    lines = _csv(client, date_from="2026-01-01", date_to="2026-03-10")
    assert lines[0][:4] == ["District", "Municipality / rural municipality", "Ward", "Activities"]
    assert len(lines[0]) == 4 + 7 + 6
    assert lines[1][:11] == ["Morang", "Biratnagar", "5", "2", "13", "5", "8", "6", "0", "1", "33"]
    assert lines[-1][:4] == ["Total", "", "", "3"]
    assert lines[-1][10] == "53" and lines[-1][-1] == "4"
    assert len(lines) == 5
    export = AuditEvent.objects.get(action="prevention.summary_export")
    assert export.actor_username == "np_localgov"


@pytest.mark.django_db
def test_place_names_typed_as_formulas_stay_text_in_the_csv(np_localgov, np_municipality, morang):
    hostile = local_level('=HYPERLINK("http://evil.example","Click")', district=morang, wards=9)
    other = local_level("@SUM(1+1)", district=morang, wards=9)
    make_activity(organisation=np_municipality, local_level=hostile, ward=1, held_on=dt.date(2026, 1, 5))
    make_report(organisation=np_municipality, local_level=other, ward=2, reported_on=dt.date(2026, 1, 5))
    client = Client()
    client.force_login(np_localgov)
    lines = _csv(client, date_from="2026-01-01", date_to="2026-01-31")
    places = {line[1] for line in lines[1:-1]}
    assert places == {'\'=HYPERLINK("http://evil.example","Click")', "'@SUM(1+1)"}
    assert not any(cell.startswith(("=", "+", "-", "@")) for line in lines for cell in line)
