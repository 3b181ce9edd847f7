"""Exports: the HTCDS case export (CSV, JSON) and the list exports (CSV, XLSX): who may make them, that the rows
are exactly those of the user's list, the bulk limit, streaming, formula-injection safety and the audit."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from setu.accounts.tests.factories import make_user
from setu.audit.models import AuditEvent
from setu.cases.tests.factories import open_case
from setu.people.tests.factories import PersonFactory
from setu.reports import htcds, views_exports
from setu.tracing.tests.factories import make_report

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def cases(np_caseworker, np_other_org, morang, parsa, np_transit_home, np_parsa_org):
    """Two Morang cases of the transit home (one a Devanagari name) and one Parsa case of another organisation."""
    sita = PersonFactory(full_name="सीता तामाङ", organisation=np_transit_home, location_district=morang)
    mine = [open_case(np_caseworker, district=morang, survivor=sita), open_case(np_caseworker, district=morang, age=30)]
    theirs = open_case(np_other_org, district=parsa)
    return mine, theirs


def test_htcds_csv_for_a_focal_point(np_focal_point, cases):
    mine, theirs = cases
    response = _client(np_focal_point).get(reverse("reports:htcds_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "no-store"
    rows = _csv(response)
    assert rows[0] == htcds.row_fields()
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {case.number for case in [*mine, theirs]}  # node-wide
    assert any("सीता तामाङ" in row for row in rows[1:])
    event = AuditEvent.objects.get(action="export.htcds_csv")
    assert event.actor_id == np_focal_point.pk and event.object_id == "rows=3" and event.outcome == "allowed"


def test_htcds_export_takes_the_case_lists_filters(np_focal_point, cases, parsa):
    _mine, theirs = cases
    response = _client(np_focal_point).get(reverse("reports:htcds_csv"), {"district": parsa.pk})
    rows = _csv(response)
    assert [row[0] for row in rows[1:]] == [theirs.number]
    assert AuditEvent.objects.get(action="export.htcds_csv").fields == ["district_id"]


def test_htcds_json_has_the_htcds_shape(np_focal_point, cases):
    response = _client(np_focal_point).get(reverse("reports:htcds_json"))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert (data["standard"], data["version"], data["count"]) == ("HTCDS", "2.0", 3)
    assert len(data["records"]) == 3
    for record in data["records"]:
        assert list(record)[: len(htcds.row_fields())] == htcds.row_fields()
        assert set(record) - set(htcds.row_fields()) == {"historic_trafficking_events", "perpetrators",
                                                          "support_plans"}  # fmt: skip
    assert AuditEvent.objects.filter(action="export.htcds_json", object_id="rows=3").count() == 1


@pytest.mark.parametrize("name", ["reports:htcds_csv", "reports:htcds_json"])
def test_htcds_export_needs_the_bulk_permission(name, np_caseworker, np_analyst, cases):
    for user in (np_caseworker, np_analyst):  # a caseworker sees cases, an analyst sees reports: neither may
        denied = AuditEvent.objects.filter(actor_id=user.pk, outcome="denied").count()
        response = _client(user).get(reverse(name))
        assert response.status_code == 404
        assert "सीता".encode() not in response.content
        assert AuditEvent.objects.filter(actor_id=user.pk, outcome="denied").count() == denied + 1
    assert not AuditEvent.objects.filter(action__startswith="export.htcds").exists()


def test_long_exports_are_streamed_with_the_same_content(np_focal_point, cases, monkeypatch):
    client = _client(np_focal_point)
    whole = client.get(reverse("reports:htcds_csv"))
    monkeypatch.setattr(views_exports, "STREAM_ABOVE", 1)
    streamed = client.get(reverse("reports:htcds_csv"))
    assert streamed.streaming and not whole.streaming
    assert _csv(streamed) == _csv(whole)
    streamed_json = client.get(reverse("reports:htcds_json"))
    assert streamed_json.streaming
    data = json.loads(b"".join(streamed_json.streaming_content))
    assert len(data["records"]) == 3


# --- list exports ---------------------------------------------------------------------------------------------


def test_case_list_export_is_the_users_list(np_caseworker, cases):
    mine, theirs = cases
    client = _client(np_caseworker)
    rows = _csv(client.get(reverse("reports:list_export", args=["cases", "csv"])))
    assert sorted(row[0] for row in rows[1:]) == sorted(case.number for case in mine)
    assert theirs.number not in str(rows)
    # The list's filters: children only.
    rows = _csv(client.get(reverse("reports:list_export", args=["cases", "csv"]), {"minor": "yes"}))
    assert [row[0] for row in rows[1:]] == [mine[0].number]
    event = AuditEvent.objects.filter(action="export.list_csv").latest("seq")
    assert (event.object_type, event.object_id, event.fields) == ("cases.case", "rows=1", ["minor"])


def test_case_list_export_as_xlsx(np_caseworker, cases):
    mine, _theirs = cases
    response = _client(np_caseworker).get(reverse("reports:list_export", args=["cases", "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == views_exports.XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Case number"
    assert sorted(row[0] for row in values[1:]) == sorted(case.number for case in mine)
    assert any(row[1] == "सीता तामाङ" for row in values[1:])


def test_a_formula_in_a_name_is_exported_as_text(np_caseworker, morang, np_transit_home):
    evil = PersonFactory(full_name='=HYPERLINK("http://evil.example","x")', organisation=np_transit_home,
                         location_district=morang)  # fmt: skip
    client = _client(np_caseworker)
    rows = _csv(client.get(reverse("reports:list_export", args=["people", "csv"])))
    assert ["'" + evil.full_name] == [row[0] for row in rows[1:] if "HYPERLINK" in row[0]]
    sheet = load_workbook(io.BytesIO(client.get(reverse("reports:list_export", args=["people", "xlsx"])).content))
    cells = [row[0] for row in sheet.active.iter_rows()]
    [cell] = [cell for cell in cells if "HYPERLINK" in str(cell.value)]
    assert cell.value == "'" + evil.full_name and cell.data_type == "s"


def test_more_than_a_page_of_rows_needs_the_bulk_permission(np_caseworker, np_focal_point, cases, settings):
    settings.SETU_LIST_EXPORT_ROWS = 1
    url = reverse("reports:list_export", args=["cases", "csv"])
    response = _client(np_caseworker).get(url)
    assert response.status_code == 403
    assert b"Too many rows" in response.content
    assert AuditEvent.objects.filter(actor_id=np_caseworker.pk, outcome="denied", action="export.bulk",
                                     object_id="rows=2").count() == 1  # fmt: skip
    assert not AuditEvent.objects.filter(action="export.list_csv").exists()
    # Narrowed to one row, the same user may export it.
    assert _client(np_caseworker).get(url, {"minor": "yes"}).status_code == 200
    # A focal point may export the whole list.
    response = _client(np_focal_point).get(url)
    assert response.status_code == 200 and len(_csv(response)) == 4


def test_people_and_missing_reports_lists(np_caseworker, cases, np_transit_home, np_parsa_org, morang, parsa):
    mine_report = make_report(organisation=np_transit_home, last_seen_district=morang)
    other_person = PersonFactory(full_name="Other Parsa Person", organisation=np_parsa_org, location_district=parsa)
    make_report(organisation=np_parsa_org, last_seen_district=parsa, person=other_person)
    client = _client(np_caseworker)
    people = _csv(client.get(reverse("reports:list_export", args=["people", "csv"])))
    assert "सीता तामाङ" in {row[0] for row in people[1:]}
    assert "Other Parsa Person" not in str(people)
    reports = _csv(client.get(reverse("reports:list_export", args=["missing", "csv"])))
    assert [row[0] for row in reports[1:]] == [mine_report.number]


def test_interception_list_export(np_focal_point, np_caseworker, cases, birgunj):
    from setu.interceptions.tests.matrix import out_of_scope_interception

    _mine, theirs = cases
    interception = out_of_scope_interception({"case": theirs, "person": theirs.survivor, "birgunj": birgunj})
    rows = _csv(_client(np_focal_point).get(reverse("reports:list_export", args=["interceptions", "csv"])))
    assert [row[0] for row in rows[1:]] == [interception.number]
    # A caseworker does not see interceptions: the export is refused like the list.
    assert _client(np_caseworker).get(reverse("reports:list_export", args=["interceptions", "csv"])).status_code == 404


def test_list_export_needs_the_lists_permission(np_ministry, cases):
    trainer = make_user("trainer", "trainer", np_ministry)
    for key in ("cases", "people", "interceptions", "missing"):
        response = _client(trainer).get(reverse("reports:list_export", args=[key, "csv"]))
        assert response.status_code == 404
    assert AuditEvent.objects.filter(actor_id=trainer.pk, outcome="denied").count() == 4


def test_unknown_list_or_format(np_focal_point):
    client = _client(np_focal_point)
    assert client.get(reverse("reports:list_export", args=["audit", "csv"])).status_code == 404
    assert client.get(reverse("reports:list_export", args=["cases", "pdf"])).status_code == 404


def test_the_list_pages_link_their_exports(np_caseworker, np_focal_point, cases):
    page = _client(np_caseworker).get(reverse("cases:list"), {"minor": "yes"}).content.decode()
    assert reverse("reports:list_export", args=["cases", "xlsx"]) + "?minor=yes" in page
    assert reverse("reports:htcds_csv") not in page  # no bulk permission, no HTCDS link
    assert reverse("reports:htcds_csv") in _client(np_focal_point).get(reverse("cases:list")).content.decode()
    assert reverse("reports:list_export", args=["people", "csv"]) in _client(np_caseworker).get(
        reverse("people:list")).content.decode()  # fmt: skip


def test_the_exports_page(np_focal_point, np_caseworker, np_admin):
    page = _client(np_focal_point).get(reverse("reports:exports"))
    assert page.status_code == 200 and reverse("reports:htcds_json").encode() in page.content
    page = _client(np_caseworker).get(reverse("reports:exports"))
    assert page.status_code == 200 and reverse("reports:htcds_json").encode() not in page.content
    assert _client(np_admin).get(reverse("reports:exports")).status_code == 404
