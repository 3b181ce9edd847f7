"""The training pages: every page renders for who may see it, the same 404 for who may not, forms refuse bad
input with a message and change nothing, and the public certificate check shows only name, course, dates."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from setu.audit.models import AuditEvent
from setu.training import services
from setu.training.models import Certificate, Programme, Session
from setu.training.tests.factories import make_participant, make_programme, make_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(np_trainer, np_academy, np_attorney):
    """A programme with two sessions; Sita (of the attorney's office) attended both and has a certificate,
    Ram (of the other country) attended one."""
    programme = make_programme(actor=np_trainer, organiser=np_academy, description="Internal planning note")
    sessions = make_sessions(actor=np_trainer, programme=programme, count=2)
    sita = make_participant(actor=np_trainer, programme=programme, organisation=np_attorney)
    ram = make_participant(actor=np_trainer, programme=programme, name="Ram Thapa", designation="Sub-Inspector")
    services.attendance_mark(actor=np_trainer, session=sessions[0], present=[sita, ram])
    services.attendance_mark(actor=np_trainer, session=sessions[1], present=[sita])
    services.scores_record(actor=np_trainer, participant=sita, pre_score=40, post_score=85)
    certificate = services.certificate_issue(actor=np_trainer, participant=sita)
    return {"programme": programme, "sessions": sessions, "sita": sita, "ram": ram, "certificate": certificate}


def _pages(held) -> list[str]:
    programme, certificate = held["programme"], held["certificate"]
    return [
        reverse("training:dashboard"),
        reverse("training:programme_list"),
        reverse("training:programme_detail", args=[programme.public_id]),
        reverse("training:certificate_detail", args=[certificate.public_id]),
        reverse("training:invitation_list"),
        reverse("training:coverage"),
    ]


def test_trainer_sees_every_page(client, np_trainer, held):
    client.force_login(np_trainer)
    programme = held["programme"]
    for url in [*_pages(held), reverse("training:programme_create"),
                reverse("training:programme_edit", args=[programme.public_id]),
                reverse("training:session_create", args=[programme.public_id]),
                reverse("training:participant_create", args=[programme.public_id]),
                reverse("training:scores", args=[programme.public_id]),
                reverse("training:attendance", args=[programme.public_id, held["sessions"][0].public_id])]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url


def test_programme_page_shows_attendance_scores_and_change(client, np_trainer, held):
    client.force_login(np_trainer)
    text = client.get(reverse("training:programme_detail", args=[held["programme"].public_id])).content.decode()
    assert "सीता तामाङ" in text and "2 / 2" in text and "40 → 85" in text and "(+45)" in text
    assert held["certificate"].display_code in text


def test_caseworker_without_training_view_gets_404(client, np_caseworker, held):
    client.force_login(np_caseworker)
    for url in _pages(held):
        assert client.get(url).status_code == 404, url
    assert AuditEvent.objects.filter(actor_username="np_caseworker", outcome=AuditEvent.Outcome.DENIED).exists()


def test_trainer_of_another_organisation_sees_but_cannot_edit(client, np_other_trainer, held):
    client.force_login(np_other_trainer)
    programme = held["programme"]
    assert client.get(reverse("training:programme_detail", args=[programme.public_id])).status_code == 200
    edit = reverse("training:programme_edit", args=[programme.public_id])
    assert client.get(edit).status_code == 404
    response = client.post(edit, {"title": "Taken over", "host_country": "NP", "place": "X",
                                  "starts_on": "2027-01-01", "ends_on": "2027-01-02", "topics": ["mla"]})  # fmt: skip
    assert response.status_code == 404
    programme.refresh_from_db()
    assert programme.title != "Taken over"
    attendance = reverse("training:attendance", args=[programme.public_id, held["sessions"][0].public_id])
    assert client.post(attendance, {"present": []}).status_code == 404
    assert held["sessions"][0].attendance.filter(present=True).count() == 2


def test_prosecutor_sees_programmes_her_office_attends_only(client, np_prosecutor, np_trainer, np_academy, held):
    other = make_programme(actor=np_trainer, organiser=np_academy, title="Nobody from the attorney's office")
    client.force_login(np_prosecutor)
    assert client.get(reverse("training:programme_detail", args=[held["programme"].public_id])).status_code == 200
    assert client.get(reverse("training:programme_detail", args=[other.public_id])).status_code == 404
    listing = client.get(reverse("training:programme_list")).content.decode()
    assert held["programme"].title in listing and other.title not in listing


def test_focal_point_sees_every_programme_of_the_node_but_manages_none(client, np_focal_point, held):
    client.force_login(np_focal_point)
    programme = held["programme"]
    assert client.get(reverse("training:programme_detail", args=[programme.public_id])).status_code == 200
    assert client.get(reverse("training:coverage")).status_code == 200
    assert client.get(reverse("training:programme_edit", args=[programme.public_id])).status_code == 404


def test_programme_form_refuses_dates_out_of_order(client, np_trainer, np_academy):
    client.force_login(np_trainer)
    response = client.post(reverse("training:programme_create"), {
        "title": "Backwards", "topics": ["mla"], "host_country": "NP", "place": "Biratnagar",
        "starts_on": "2027-01-10", "ends_on": "2027-01-08"})  # fmt: skip
    assert response.status_code == 200
    assert "The last day cannot be before the first day." in response.content.decode()
    assert not Programme.objects.exists()


def test_programme_form_creates(client, np_trainer, np_academy):
    client.force_login(np_trainer)
    response = client.post(reverse("training:programme_create"), {
        "title": "Information sharing", "topics": ["information_sharing"], "host_country": "NP",
        "place": "Biratnagar", "starts_on": "2027-01-10", "ends_on": "2027-01-11", "is_joint": "on"})  # fmt: skip
    programme = Programme.objects.get()
    assert response.status_code == 302 and str(programme.public_id) in response["Location"]
    assert programme.starts_on == dt.date(2027, 1, 10) and programme.organiser == np_academy


def test_session_form_refuses_an_end_before_the_start(client, np_trainer, programme):
    client.force_login(np_trainer)
    response = client.post(reverse("training:session_create", args=[programme.public_id]), {
        "title": "Backwards", "topic": "mla", "day": programme.starts_on.isoformat(), "start": "11:00",
        "end": "10:00"})  # fmt: skip
    assert "The session must end after it starts." in response.content.decode()
    assert not Session.objects.exists()


def test_attendance_sheet_marks_who_was_there(client, np_trainer, held):
    client.force_login(np_trainer)
    session, ram = held["sessions"][1], held["ram"]
    url = reverse("training:attendance", args=[held["programme"].public_id, session.public_id])
    page = client.get(url).content.decode()
    assert 'type="checkbox" name="present"' in page and "Ram Thapa" in page
    response = client.post(url, {"present": [str(ram.public_id)]})
    assert response.status_code == 302
    assert set(session.attendance.filter(present=True).values_list("participant__name", flat=True)) == {"Ram Thapa"}


def test_score_sheet_refuses_a_score_out_of_range_and_saves_nothing(client, np_trainer, held):
    client.force_login(np_trainer)
    sita, ram = held["sita"], held["ram"]
    url = reverse("training:scores", args=[held["programme"].public_id])
    response = client.post(url, {f"pre_{sita.public_id}": "10", f"post_{sita.public_id}": "20",
                                 f"pre_{ram.public_id}": "50", f"post_{ram.public_id}": "150"})  # fmt: skip
    assert response.status_code == 400
    assert "A score is from 0 to 100." in response.content.decode()
    sita.refresh_from_db()
    assert (sita.pre_score, sita.post_score) == (40, 85)


def test_certificate_button_for_someone_who_did_not_complete_says_why(client, np_trainer, held):
    client.force_login(np_trainer)
    ram = held["ram"]
    url = reverse("training:certificate_issue", args=[held["programme"].public_id, ram.public_id])
    response = client.post(url, follow=True)
    assert "did not complete the programme" in response.content.decode()
    assert not Certificate.objects.filter(participant=ram).exists()


def test_certificate_pdf_has_the_name_in_devanagari(client, np_trainer, held):
    client.force_login(np_trainer)
    response = client.get(reverse("training:certificate_pdf", args=[held["certificate"].public_id]))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "सीता तामाङ" in text
    assert held["certificate"].display_code in text and held["programme"].title in text
    assert "/training/verify/" in text


def test_coverage_counts_by_organisation_and_designation_and_downloads_as_csv(client, np_trainer, held, np_attorney):
    client.force_login(np_trainer)
    page = client.get(reverse("training:coverage")).content.decode()
    assert np_attorney.name in page and "AHTU Araria" in page and "Sub-inspector" in page
    response = client.get(reverse("training:coverage_csv"))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff") and response["Content-Type"].startswith("text/csv")
    lines = text.splitlines()
    assert any(np_attorney.name_en in line and line.endswith(",1,1,1,1") for line in lines)
    assert any("AHTU Araria" in line and line.endswith(",1,0,0,1") for line in lines)
    assert AuditEvent.objects.filter(action="training.coverage_export").exists()


# --- the public check ----------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def test_public_page_shows_only_name_course_and_dates(client, held):
    certificate = held["certificate"]
    response = client.get(reverse("training:verify_code", args=[certificate.display_code]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "This certificate is valid." in text
    assert "सीता तामाङ" in text and held["programme"].title in text
    for secret in ("Police Inspector", "District Attorney Office", "Internal planning note", "Ram Thapa", "np_trainer",
                   "Nepal Police Academy", "Biratnagar"):  # fmt: skip
        assert secret not in text, secret


def test_public_page_takes_a_code_typed_in_lower_case_without_dashes(client, held):
    code = held["certificate"].code.lower()
    response = client.get(reverse("training:verify"), {"code": code}, follow=True)
    assert "This certificate is valid." in response.content.decode()


def test_unknown_and_malformed_codes_get_the_same_answer(client, held):
    unknown = client.get(reverse("training:verify_code", args=["ZZZZ-ZZZZ-ZZZZ"]))
    malformed = client.get(reverse("training:verify_code", args=["not-a-code"]))
    assert unknown.status_code == malformed.status_code == 404
    message = "There is no certificate with this code."
    assert message in unknown.content.decode() and message in malformed.content.decode()


def test_a_code_typed_with_a_slash_gets_the_unknown_answer(client, held):
    response = client.get(reverse("training:verify"), {"code": "ab/cd"})
    assert response.status_code == 404
    assert "There is no certificate with this code." in response.content.decode()


def test_revoked_certificate_says_revoked(client, np_trainer, held):
    services.certificate_revoke(actor=np_trainer, certificate=held["certificate"], reason="Issued in error")
    text = client.get(reverse("training:verify_code", args=[held["certificate"].code])).content.decode()
    assert "This certificate has been revoked" in text and "Issued in error" not in text


def test_public_check_is_rate_limited(client, held):
    url = reverse("training:verify_code", args=["ZZZZ-ZZZZ-ZZZZ"])
    for _ in range(30):
        assert client.get(url).status_code == 404
    assert client.get(url).status_code == 429
