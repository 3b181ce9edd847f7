"""Pages: every page renders for a prosecutor and is a 404 for roles without the permission; a caseworker sees
the witness needs of the cases she may see on the case page, and nothing else of legal; forms call the
services and a refusal changes nothing; the SOP panel says when prosecution holds up repatriation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.audit.models import AuditEvent
from setu.cases.models import Case
from setu.legal import services
from setu.legal.models import Hearing, VideoTestimony

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pages(prosecution, video_need, convicted, witness):
    order = services.compensation_order(
        actor=prosecution.created_by,
        witness=witness,
        accused=convicted,
        amount="100000",
        currency="NPR",
        ordered_on=timezone.localdate(),
    )
    p = prosecution.public_id
    return {
        "dashboard": reverse("legal:dashboard"),
        "list": reverse("legal:list") + "?act=HTTCA&status=investigation",
        "calendar": reverse("legal:calendar") + "?month=2026-12",
        "create": reverse("legal:create"),
        "detail": reverse("legal:detail", args=[p]),
        "edit": reverse("legal:edit", args=[p]),
        "status": reverse("legal:status", args=[p]),
        "charge": reverse("legal:charge_add", args=[p]),
        "accused": reverse("legal:accused_add", args=[p]),
        "verdict": reverse("legal:verdict", args=[p, convicted.public_id]),
        "witness": reverse("legal:witness_add", args=[p]),
        "hearing": reverse("legal:hearing_add", args=[p]),
        "compensation": reverse("legal:compensation_add", args=[p]),
        "payment": reverse("legal:payment_add", args=[p, order.public_id]),
        "need": reverse("legal:need_add", args=[p]),
        "session": reverse("legal:session_add", args=[video_need.public_id]),
    }


def test_every_page_renders_for_the_prosecutor(np_prosecutor, pages):
    client = _client(np_prosecutor)
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert b"<h1" in response.content, name


def test_a_focal_point_reads_every_prosecution_but_records_none(np_focal_point, pages):
    client = _client(np_focal_point)
    for name in ("dashboard", "list", "calendar", "detail"):
        assert client.get(pages[name]).status_code == 200, name
    for name in ("create", "edit", "hearing", "session", "payment"):
        assert client.get(pages[name]).status_code == 404, name


def test_a_prosecutor_of_another_district_sees_nothing_of_this_prosecution(np_parsa_prosecutor, pages, prosecution):
    client = _client(np_parsa_prosecutor)
    assert client.get(pages["dashboard"]).status_code == 200
    assert prosecution.number not in client.get(pages["list"]).content.decode()
    for name in ("detail", "edit", "hearing", "need", "session"):
        assert client.get(pages[name]).status_code == 404, name
    assert AuditEvent.objects.filter(actor_id=np_parsa_prosecutor.pk, outcome="denied").exists()


def test_a_caseworker_sees_no_legal_page(np_caseworker, pages):
    client = _client(np_caseworker)
    for name, url in pages.items():
        assert client.get(url).status_code == 404, name


def test_a_caseworker_sees_the_witness_need_on_her_case_and_records_her_view(
    np_caseworker, survivor_case, video_need, prosecution
):
    client = _client(np_caseworker)
    page = client.get(reverse("cases:detail", args=[survivor_case.public_id])).content.decode()
    assert "Needed as a witness" in page and "Morang District Court" in page
    assert prosecution.number not in page  # she may not open the prosecution: its number is not shown
    url = reverse("legal:her_view", args=[video_need.public_id])
    assert url in page
    response = client.post(url, {"her_consent": "yes", "her_view": "By video only, with her counsellor present."})
    assert response.status_code == 302
    video_need.refresh_from_db()
    assert video_need.her_consent == "yes"


def test_a_caseworker_of_another_organisation_sees_no_witness_need(np_other_org, video_need):
    client = _client(np_other_org)
    assert client.get(reverse("legal:her_view", args=[video_need.public_id])).status_code == 404
    assert client.get(reverse("cases:detail", args=[video_need.case.public_id])).status_code == 404


def test_the_prosecutor_sees_the_prosecution_on_the_case_page(np_prosecutor, survivor_case, video_need, prosecution):
    page = _client(np_prosecutor).get(reverse("cases:detail", args=[survivor_case.public_id])).content.decode()
    assert reverse("legal:detail", args=[prosecution.public_id]) in page


def test_a_hearing_with_dates_out_of_order_is_refused_on_the_form(np_prosecutor, prosecution):
    today = timezone.localdate()
    response = _client(np_prosecutor).post(
        reverse("legal:hearing_add", args=[prosecution.public_id]),
        {
            "held_on": today.isoformat(),
            "what_happened": "Witness examined",
            "next_on": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "The next date must come after the hearing" in response.content.decode().replace("&#x27;", "'")
    assert not Hearing.objects.exists()


def test_a_hearing_is_recorded_from_the_form(np_prosecutor, prosecution):
    today = timezone.localdate()
    response = _client(np_prosecutor).post(
        reverse("legal:hearing_add", args=[prosecution.public_id]),
        {
            "held_on": today.isoformat(),
            "what_happened": "Witness examined",
            "next_on": (today + dt.timedelta(days=14)).isoformat(),
        },
    )
    assert response.status_code == 302
    hearing = Hearing.objects.get()
    page = _client(np_prosecutor).get(reverse("legal:dashboard")).content.decode()
    assert prosecution.number in page and hearing.what_happened == "Witness examined"


def test_an_unknown_charge_posted_is_refused_with_the_list_message(np_prosecutor, prosecution):
    response = _client(np_prosecutor).post(
        reverse("legal:charge_add", args=[prosecution.public_id]), {"code": "IPC-370"}
    )
    assert response.status_code == 400 and "Unknown charge IPC-370" in response.content.decode()


def test_a_session_is_proposed_from_the_form_in_the_chosen_time_zone(np_prosecutor, video_need):
    day = timezone.localdate() + dt.timedelta(days=5)
    response = _client(np_prosecutor).post(
        reverse("legal:session_add", args=[video_need.public_id]),
        {
            "on": day.isoformat(),
            "time": "11:00",
            "timezone": "Asia/Kolkata",
            "court_end": "Morang District Court",
            "survivor_end": "Rescue Foundation, Siliguri",
            "interpreter": "Nepali",
            "link_reference": "Room 4411",
        },
    )
    assert response.status_code == 302
    session = VideoTestimony.objects.get()
    assert session.scheduled_at == dt.datetime.combine(day, dt.time(11), tzinfo=dt.timezone(dt.timedelta(hours=5.5)))


def test_the_sop_panel_says_when_prosecution_holds_up_repatriation(
    np_prosecutor, np_caseworker, witness, survivor_case
):
    services.witness_need_record(
        actor=np_prosecutor,
        witness=witness,
        court="Morang District Court",
        place="Biratnagar",
        needed_from=timezone.localdate() + dt.timedelta(days=20),
        presence="physical",
    )
    url = reverse("cases:detail", args=[survivor_case.public_id])
    page = _client(np_caseworker).get(url).content.decode()
    assert "Prosecution needs are holding up repatriation: witness at Morang District Court" in page
    board = _client(np_prosecutor).get(reverse("legal:dashboard")).content.decode()
    assert survivor_case.number in board
    # Once she is past her handover, nothing is held up any more.
    Case.objects.filter(pk=survivor_case.pk).update(stage="reintegration")
    assert "holding up repatriation" not in _client(np_caseworker).get(url).content.decode()


def test_the_detail_page_costs_a_fixed_number_of_queries(np_prosecutor, pages, django_assert_max_num_queries):
    client = _client(np_prosecutor)
    with django_assert_max_num_queries(40):
        assert client.get(pages["detail"]).status_code == 200
