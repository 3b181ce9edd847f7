"""/api/v1/legal/: the same services as the pages: scope, refusals as 400 with field messages, 404 alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from setu.legal.models import Charge, Hearing, Prosecution

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_prosecutor_creates_and_reads_a_prosecution(np_prosecutor, morang):
    response = _api(np_prosecutor).post(
        "/api/v1/legal/prosecutions/",
        {
            "district": morang.pk,
            "police_case_number": "FIR 7/2083",
            "police_unit": "AHTB",
            "opened_on": timezone.localdate().isoformat(),
            "court": "Morang District Court",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith("NP-PRS-") and body["charges"] == [] and body["court"] == "Morang District Court"
    listed = _api(np_prosecutor).get("/api/v1/legal/prosecutions/").json()
    assert [row["number"] for row in listed["results"]] == [body["number"]]


def test_charges_hearings_and_compensation_through_the_api(np_prosecutor, prosecution, witness, convicted):
    api, base = _api(np_prosecutor), f"/api/v1/legal/prosecutions/{prosecution.public_id}"
    refused = api.post(f"{base}/charges/", {"code": "XYZ-1"}, format="json")
    assert refused.status_code == 400 and "Unknown charge XYZ-1" in refused.json()["errors"]["code"][0]
    assert api.post(f"{base}/charges/", {"code": "HTTCA-4-2-b"}, format="json").status_code == 201
    today = timezone.localdate()
    bad = api.post(f"{base}/hearings/", {"held_on": today.isoformat(), "next_on": today.isoformat()}, format="json")
    assert bad.status_code == 400 and "next_on" in bad.json()["errors"] and not Hearing.objects.exists()
    low = api.post(
        f"{base}/compensation/",
        {
            "witness": str(witness.public_id),
            "accused": str(convicted.public_id),
            "amount": "5000",
            "currency": "NPR",
            "ordered_on": today.isoformat(),
        },
        format="json",
    )
    assert low.status_code == 400 and "HTTCA s.17" in low.json()["errors"]["amount"][0]
    ok = api.post(
        f"{base}/compensation/",
        {
            "witness": str(witness.public_id),
            "accused": str(convicted.public_id),
            "amount": "100000",
            "currency": "NPR",
            "ordered_on": today.isoformat(),
        },
        format="json",
    )
    assert ok.status_code == 201
    order = ok.json()["compensation"][0]
    assert (order["paid"], order["due"]) == ("0", "100000.00")
    paid = api.post(
        f"{base}/compensation/{order['id']}/payments/",
        {"paid_on": today.isoformat(), "amount": "25000", "currency": "NPR", "method": "bank"},
        format="json",
    )
    assert paid.status_code == 201 and paid.json()["compensation"][0]["due"] == "75000.00"
    assert set(Charge.objects.values_list("code", flat=True)) == {"HTTCA-4-1-a", "HTTCA-4-2-b"}


def test_another_office_gets_404_and_a_caseworker_gets_nothing(np_parsa_prosecutor, np_caseworker, prosecution):
    url = f"/api/v1/legal/prosecutions/{prosecution.public_id}/"
    assert _api(np_parsa_prosecutor).get(url).status_code == 404
    assert (
        _api(np_parsa_prosecutor).post(url + "hearings/", {"held_on": "2026-12-01"}, format="json").status_code == 404
    )
    assert _api(np_caseworker).get("/api/v1/legal/prosecutions/").status_code == 404
    assert _api(np_caseworker).get("/api/v1/legal/dashboard/").status_code == 404
    assert Prosecution.objects.count() == 1


def test_the_caseworker_reads_the_need_on_her_case_and_gives_her_view(np_caseworker, np_other_org, video_need):
    url = f"/api/v1/legal/witness-needs/{video_need.public_id}/"
    assert _api(np_caseworker).get(url).json()["court"] == "Morang District Court"
    assert _api(np_other_org).get(url).status_code == 404
    response = _api(np_caseworker).post(url + "her-view/", {"her_consent": "no", "her_view": "Not now."}, format="json")
    assert response.status_code == 200 and response.json()["her_consent"] == "no"
    scheduled = _api(np_caseworker).post(
        url + "sessions/",
        {
            "scheduled_at": (timezone.now() + dt.timedelta(days=3)).isoformat(),
            "timezone": "Asia/Kathmandu",
            "court_end": "Court",
            "survivor_end": "Home",
        },
        format="json",
    )
    assert scheduled.status_code == 404  # she answers for the survivor; scheduling is the prosecutor's


def test_the_dashboard_lists_upcoming_sessions(np_prosecutor, video_need):
    api = _api(np_prosecutor)
    at = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    created = api.post(
        f"/api/v1/legal/witness-needs/{video_need.public_id}/sessions/",
        {
            "scheduled_at": at.isoformat(),
            "timezone": "Asia/Kathmandu",
            "court_end": "Morang District Court",
            "survivor_end": "Transit home",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    board = api.get("/api/v1/legal/dashboard/").json()
    assert [s["id"] for s in board["sessions"]] == [created.json()["id"]]
    answered = api.post(
        f"/api/v1/legal/sessions/{created.json()['id']}/answer/", {"answer": "confirmed"}, format="json"
    )
    assert answered.status_code == 404  # the court's own session is not answered, it is moved on


def test_the_schema_documents_the_legal_endpoints(np_prosecutor):
    schema = _api(np_prosecutor).get("/api/v1/schema/")
    assert schema.status_code == 200
    for path in (
        b"/api/v1/legal/prosecutions/{public_id}/hearings/",
        b"/api/v1/legal/witness-needs/{public_id}/sessions/",
        b"/api/v1/legal/sessions/{public_id}/answer/",
        b"/api/v1/legal/dashboard/",
    ):
        assert path in schema.content, path
