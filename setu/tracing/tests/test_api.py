"""/api/v1/tracing/reports/: the same services and selectors as the pages: scope, restricted reports, the same
404 for missing and forbidden, every problem at once with nothing written, and the schema."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from setu.audit.models import AuditEvent
from setu.people.models import Person
from setu.people.tests.factories import PersonFactory
from setu.tracing.models import MissingReport, Status, Visibility
from setu.tracing.tests.factories import make_report

pytestmark = pytest.mark.django_db
URL = "/api/v1/tracing/reports/"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(morang, **values) -> dict:
    today = timezone.localdate()
    body = {
        "person": {"full_name": "सीता तामाङ", "other_name": "Sita Tamang", "gender": "Feminine", "age": 15,
                   "father_name": "राम तामाङ", "home_district": morang.pk},
        "reporter_name": "Maya Tamang", "reporter_relation": "mother",
        "last_seen_on": str(today - dt.timedelta(days=2)), "last_seen_district": morang.pk,
        "reference_kind": "ncrc_104", "reference": "104-0042",
    }  # fmt: skip
    body.update(values)
    return body


def test_registering_a_report_through_the_api(np_caseworker, morang):
    response = _api(np_caseworker).post(URL, _body(morang), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["number"].startswith("NP-MPR-") and data["status"] == "open"
    assert data["person"]["full_name"] == "सीता तामाङ" and data["person"]["name_latin"] == "Sita Tamang"
    assert data["reported_on"] == str(timezone.localdate()) and data["last_seen_district"] == morang.pk
    assert AuditEvent.objects.filter(action="tracing.report_create", actor_id=np_caseworker.pk).count() == 1


def test_a_report_for_an_existing_record(np_caseworker, np_transit_home, morang):
    sita = PersonFactory(full_name="Sita Tamang", organisation=np_transit_home, location_district=morang)
    response = _api(np_caseworker).post(URL, _body(morang, person={"id": str(sita.public_id)}), format="json")
    assert response.status_code == 201 and response.json()["person"]["id"] == str(sita.public_id)


def test_every_problem_comes_back_at_once_and_nothing_is_written(np_caseworker, morang):
    people = Person.objects.count()
    body = _body(morang, person={"full_name": "", "gender": ""}, reporter_name="", reporter_relation="",
                 last_seen_on=str(timezone.localdate() + dt.timedelta(days=1)))  # fmt: skip
    response = _api(np_caseworker).post(URL, body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"full_name", "gender", "reporter_name", "reporter_relation", "last_seen_on"} <= set(errors)
    assert MissingReport.objects.count() == 0 and Person.objects.count() == people


def test_a_malformed_body_is_refused_by_its_types(np_caseworker, morang):
    response = _api(np_caseworker).post(URL, _body(morang, last_seen_on="yesterday", reporter_relation="uncle"),
                                        format="json")  # fmt: skip
    assert response.status_code == 400
    assert {"last_seen_on", "reporter_relation"} <= set(response.json()["errors"])


def test_list_detail_patch_and_status(np_caseworker, np_transit_home, morang):
    report = make_report(organisation=np_transit_home, last_seen_district=morang)
    client = _api(np_caseworker)
    listed = client.get(URL + "?q=Kamala&status=open").json()
    assert [row["number"] for row in listed["results"]] == [report.number]
    assert client.get(f"{URL}{report.public_id}/").json()["person"]["full_name"] == "Kamala Thapa"
    patched = client.patch(f"{URL}{report.public_id}/", {"visibility": "restricted", "reference": "FIR 12"},
                           format="json")  # fmt: skip
    assert patched.status_code == 200 and patched.json()["visibility"] == Visibility.RESTRICTED
    found = client.post(f"{URL}{report.public_id}/status/", {"status": "found", "note": "Home again."}, format="json")
    assert found.status_code == 200 and found.json()["status"] == Status.FOUND and found.json()["found_at"]
    refused = client.post(f"{URL}{report.public_id}/status/", {"status": "found", "note": ""}, format="json")
    assert refused.status_code == 400 and {"status", "note"} <= set(refused.json()["errors"])


def test_missing_and_forbidden_are_the_same_404(np_caseworker, np_parsa_org, parsa):
    elsewhere = make_report(organisation=np_parsa_org, last_seen_district=parsa)
    client = _api(np_caseworker)
    forbidden = client.get(f"{URL}{elsewhere.public_id}/")
    missing = client.get(f"{URL}{uuid.uuid4()}/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json() == {"detail": "Not found."}
    assert client.patch(f"{URL}{elsewhere.public_id}/", {"reference": "x"}, format="json").status_code == 404
    assert client.get(URL).json()["count"] == 0


def test_another_organisation_reads_but_does_not_write(np_police, np_transit_home, morang):
    report = make_report(organisation=np_transit_home, last_seen_district=morang)
    client = _api(np_police)
    assert client.get(f"{URL}{report.public_id}/").status_code == 200
    assert client.post(f"{URL}{report.public_id}/status/", {"status": "closed", "note": "x"},
                       format="json").status_code == 404  # fmt: skip
    report.refresh_from_db()
    assert report.status == Status.OPEN


def test_a_role_without_the_permission_learns_nothing(np_analyst, morang):
    client = _api(np_analyst)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"garbage": True}, format="json").status_code == 404
    assert AuditEvent.objects.filter(actor_id=np_analyst.pk, outcome="denied").count() == 2


def test_the_schema_documents_the_tracing_endpoints_without_warnings(client, tmp_path):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/tracing/reports/{public_id}/status/" in schema.content
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
