"""/api/v1/training/: the same services as the pages; 400 with messages and nothing changed for bad input;
404 for missing and forbidden alike; the public check answers only name, course, dates and validity."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from setu.training.models import Attendance, Certificate, Participant, Programme, Session
from setu.training.tests.factories import make_participant, make_sessions

pytestmark = pytest.mark.django_db

BASE = "/api/v1/training/programmes/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


PROGRAMME = {"title": "Repatriation protocols", "topics": ["repatriation", "mla"], "host_country": "NP",
             "place": "Biratnagar", "starts_on": "2027-01-10", "ends_on": "2027-01-12", "seats": 4}  # fmt: skip


def test_trainer_runs_a_programme_through_the_api(np_trainer, np_academy):
    client = api(np_trainer)
    created = client.post(BASE, PROGRAMME, format="json")
    assert created.status_code == 201, created.json()
    programme = created.json()
    assert programme["organiser_name"] == np_academy.name_en and programme["topics"] == ["repatriation", "mla"]
    url = f"{BASE}{programme['id']}/"
    session = client.post(f"{url}sessions/", {"title": "Day one", "topic": "repatriation",
                                              "starts_at": "2027-01-10T10:00:00+05:45",
                                              "ends_at": "2027-01-10T16:00:00+05:45"}, format="json")  # fmt: skip
    assert session.status_code == 201, session.json()
    person = client.post(f"{url}participants/", {"name": "सुनीता कुमारी", "gender": "Feminine",
                                                 "designation": "Sub-Inspector", "kind": "other_node",
                                                 "organisation_name": "AHTU Araria"}, format="json")  # fmt: skip
    assert person.status_code == 201, person.json()
    participant = person.json()["id"]
    marked = client.post(f"{url}attendance/", {"session": session.json()["id"], "present": [participant]},
                         format="json")  # fmt: skip
    assert marked.status_code == 200
    scored = client.post(f"{url}scores/", [{"participant": participant, "pre_score": 30, "post_score": 75}],
                         format="json")  # fmt: skip
    assert scored.json()["participants"][0]["score_change"] == 45
    issued = client.post(f"{url}certificates/", {"participant": participant}, format="json")
    assert issued.status_code == 201 and issued.json()["valid"] is True
    code = issued.json()["code"]
    check = api().get("/api/v1/training/verify/", {"code": code.lower()})
    assert check.status_code == 200
    assert set(check.json()) == {"name", "course", "starts_on", "ends_on", "valid", "code"}
    assert check.json()["name"] == "सुनीता कुमारी"
    revoked = client.post(f"/api/v1/training/certificates/{issued.json()['id']}/revoke/", {"reason": "Duplicate"},
                          format="json")  # fmt: skip
    assert revoked.json()["valid"] is False


def test_dates_out_of_order_are_refused_and_nothing_is_created(np_trainer):
    response = api(np_trainer).post(BASE, {**PROGRAMME, "ends_on": "2027-01-01"}, format="json")
    assert response.status_code == 400
    assert "The last day cannot be before the first day." in response.json()["errors"]["ends_on"]
    assert not Programme.objects.exists()


def test_a_score_out_of_range_refuses_the_sheet(np_trainer, programme):
    sita = make_participant(actor=np_trainer, programme=programme)
    response = api(np_trainer).post(f"{BASE}{programme.public_id}/scores/",
                                    [{"participant": str(sita.public_id), "pre_score": 20, "post_score": 120}],
                                    format="json")  # fmt: skip
    assert response.status_code == 400
    assert not Participant.objects.filter(post_score__isnull=False).exists()


def test_certificate_for_someone_who_did_not_attend_is_refused(np_trainer, programme):
    make_sessions(actor=np_trainer, programme=programme, count=2)
    sita = make_participant(actor=np_trainer, programme=programme)
    response = api(np_trainer).post(f"{BASE}{programme.public_id}/certificates/",
                                    {"participant": str(sita.public_id)}, format="json")  # fmt: skip
    assert response.status_code == 400 and "did not complete" in str(response.json())
    assert not Certificate.objects.exists()


def test_other_trainer_may_read_but_not_write(np_other_trainer, np_trainer, programme):
    client = api(np_other_trainer)
    assert client.get(f"{BASE}{programme.public_id}/").status_code == 200
    assert client.patch(f"{BASE}{programme.public_id}/", {"place": "X"}, format="json").status_code == 404
    [session] = make_sessions(actor=np_trainer, programme=programme, count=1)
    sita = make_participant(actor=np_trainer, programme=programme)
    response = client.post(
        f"{BASE}{programme.public_id}/attendance/",
        {"session": str(session.public_id), "present": [str(sita.public_id)]},
        format="json",
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists() and Session.objects.count() == 1


def test_caseworker_gets_404_everywhere(np_caseworker, programme):
    client = api(np_caseworker)
    assert client.get(BASE).status_code == 404
    assert client.get(f"{BASE}{programme.public_id}/").status_code == 404
    assert client.post(BASE, PROGRAMME, format="json").status_code == 404
    assert Programme.objects.count() == 1


def test_public_check_same_404_for_unknown_and_malformed():
    cache.clear()
    client = api()
    unknown = client.get("/api/v1/training/verify/", {"code": "ZZZZ-ZZZZ-ZZZZ"})
    malformed = client.get("/api/v1/training/verify/", {"code": "<script>"})
    assert unknown.status_code == malformed.status_code == 404
    assert unknown.json() == malformed.json()
