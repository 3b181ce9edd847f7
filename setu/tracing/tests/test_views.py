"""Pages: every page renders for a role that may use it and is a 404 for one that may not; the forms call the
services (a BS date is read as BS, a photo goes to her record); bad input shows the errors, with status 400,
and saves nothing; the htmx partials; tables stack on a phone; the list costs a constant number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.audit.models import AuditEvent
from setu.core.dates import format_bs
from setu.people.models import Person
from setu.people.tests.factories import PersonFactory
from setu.people.tests.images import jpeg_with_gps
from setu.tracing.models import MissingReport, Status, Visibility
from setu.tracing.tests.factories import make_report

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def report(np_transit_home, morang, biratnagar, np_caseworker):
    sita = PersonFactory(full_name="सीता तामाङ", organisation=np_transit_home, location_district=morang,
                         home_district=morang)  # fmt: skip
    return make_report(organisation=np_transit_home, person=sita, last_seen_district=morang,
                       last_seen_local_level=biratnagar, last_seen_place="Biratnagar bus park",
                       circumstances="Left for school and did not come back.", reference_kind="ncrc_104",
                       reference="104-0042", created_by=np_caseworker)  # fmt: skip


@pytest.fixture
def pages(report, morang):
    return {
        "list": reverse("tracing:list"),
        "list filtered": reverse("tracing:list") + f"?q=Sita&status=open&district={morang.pk}",
        "detail": reverse("tracing:detail", args=[report.public_id]),
        "create": reverse("tracing:create"),
        "create for a record": reverse("tracing:create") + f"?person={report.person.public_id}",
        "edit": reverse("tracing:edit", args=[report.public_id]),
        "status": reverse("tracing:status", args=[report.public_id]),
        "local levels": reverse("tracing:local_levels") + f"?last_seen_district={morang.pk}",
    }


PAGES = ["list", "list filtered", "detail", "create", "create for a record", "edit", "status", "local levels"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_the_reporting_caseworker(np_caseworker, pages, page):
    response = _client(np_caseworker).get(pages[page])
    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_a_404_for_a_role_without_tracing_permissions(np_analyst, pages, page):
    response = _client(np_analyst).get(pages[page])
    assert response.status_code == 404
    assert AuditEvent.objects.filter(actor_id=np_analyst.pk, outcome="denied").count() == 1


@pytest.mark.parametrize("page", ["edit", "status"])
def test_the_writing_pages_are_a_404_for_another_organisation_that_sees_the_report(np_police, pages, page):
    assert _client(np_police).get(pages["detail"]).status_code == 200
    assert _client(np_police).get(pages[page]).status_code == 404


def test_the_report_page_shows_her_and_the_report_and_is_audited(np_caseworker, report):
    body = _client(np_caseworker).get(reverse("tracing:detail", args=[report.public_id])).content.decode()
    for text in ("सीता तामाङ", "Sita Tamang", "Biratnagar bus park", "Left for school", "104-0042", report.number,
                 "Mark found or close", "Edit the report"):  # fmt: skip
        assert text in body, text
    assert AuditEvent.objects.filter(actor_id=np_caseworker.pk, action="tracing.report_view").count() == 1


def test_a_restricted_report_is_out_of_the_list_and_a_404_for_the_district_police(np_police, report):
    MissingReport.objects.filter(pk=report.pk).update(visibility=Visibility.RESTRICTED)
    client = _client(np_police)
    assert report.number not in client.get(reverse("tracing:list")).content.decode()
    assert client.get(reverse("tracing:detail", args=[report.public_id])).status_code == 404


def test_the_list_searches_names_across_scripts_and_answers_htmx_with_the_results_only(np_caseworker, report):
    client = _client(np_caseworker)
    full = client.get(reverse("tracing:list") + "?q=sita+tamang").content.decode()
    assert report.number in full and "<html" in full
    partial = client.get(reverse("tracing:list") + "?q=seeta", headers={"HX-Request": "true"})
    assert report.number in partial.content.decode() and b"<html" not in partial.content
    assert "HX-Request" in partial["Vary"]
    none = client.get(reverse("tracing:list") + "?q=Gita", headers={"HX-Request": "true"}).content.decode()
    assert "No report matches." in none
    assert AuditEvent.objects.filter(actor_id=np_caseworker.pk, action="tracing.report_search").count() == 3


def test_the_list_stacks_on_a_phone_and_costs_a_constant_number_of_queries(
    np_caseworker, np_transit_home, morang, django_assert_max_num_queries
):
    for _ in range(30):
        make_report(organisation=np_transit_home, last_seen_district=morang)
    client = _client(np_caseworker)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("tracing:list"))
    body = response.content.decode()
    assert 'class="table stack' in body and 'data-label="Missing person"' in body
    assert "Page 1 of 2" in body


def _valid_post(morang, **values) -> dict:
    today = timezone.localdate()
    data = {
        "full_name": "सीता तामाङ", "other_name": "Sita Tamang", "gender": "Feminine", "age": "15",
        "nationality": "NP", "father_name": "राम तामाङ", "mother_name": "माया तामाङ", "phone": "",
        "reporter_name": "Maya Tamang", "reporter_relation": "mother", "reporter_phone": "9800012345",
        "reported_on": today.isoformat(), "last_seen_on": (today - dt.timedelta(days=2)).isoformat(),
        "last_seen_time": "07:30", "last_seen_place": "Biratnagar bus park", "last_seen_district": morang.pk,
        "circumstances": "Left for school.", "reference_kind": "police", "reference": "Zaheri 45/2082-83",
        "visibility": "standard",
    }  # fmt: skip
    data.update(values)
    return data


def test_registering_a_report_with_her_photo(np_caseworker, morang, biratnagar, media):
    data = _valid_post(morang, last_seen_local_level=biratnagar.pk)
    data["photo"] = SimpleUploadedFile("sita.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = _client(np_caseworker).post(reverse("tracing:create"), data)
    report = MissingReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tracing:detail", args=[report.public_id])
    assert report.last_seen_local_level == biratnagar and report.last_seen_time == dt.time(7, 30)
    assert report.person.photos.count() == 1 and report.person.aliases.count() == 1


def test_dates_typed_in_bikram_sambat_are_read_as_bs(np_caseworker, morang):
    np_caseworker.date_preference = "BS"
    np_caseworker.save(update_fields=["date_preference"])
    seen = timezone.localdate() - dt.timedelta(days=3)
    birth = dt.date(2010, 4, 14)
    data = _valid_post(morang, last_seen_on=format_bs(seen), reported_on=format_bs(timezone.localdate()),
                       birth_date=format_bs(birth), age="")  # fmt: skip
    response = _client(np_caseworker).post(reverse("tracing:create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    report = MissingReport.objects.get()
    assert report.last_seen_on == seen and report.person.birth_date == birth and report.person.birth_calendar == "BS"
    page = _client(np_caseworker).get(reverse("tracing:detail", args=[report.public_id])).content.decode()
    assert f"{format_bs(seen)} BS" in page


def test_bad_input_shows_every_error_and_saves_nothing(np_caseworker, morang):
    people = Person.objects.count()
    future = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    data = _valid_post(morang, full_name="", gender="", reporter_name="", reporter_relation="", last_seen_on=future,
                       reporter_phone="abc", last_seen_local_level="999999")  # fmt: skip
    response = _client(np_caseworker).post(reverse("tracing:create"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose a municipality or rural municipality of the district chosen." in body
    assert MissingReport.objects.count() == 0 and Person.objects.count() == people
    # Form errors first; with a known local level the service then lists its own problems all at once.
    response = _client(np_caseworker).post(reverse("tracing:create"), {**data, "last_seen_local_level": ""})
    body = response.content.decode()
    assert response.status_code == 400
    for message in ("Give her name (in Devanagari or Latin letters).", "Choose her sex / gender.",
                    "Give the name of the person who reports her missing.", "The date cannot be in the future.",
                    "is not a phone number that can be dialled"):  # fmt: skip
        assert message in body, message
    assert MissingReport.objects.count() == 0 and Person.objects.count() == people


def test_a_report_for_an_existing_record_does_not_ask_her_details_again(np_caseworker, report, morang):
    url = reverse("tracing:create") + f"?person={report.person.public_id}"
    page = _client(np_caseworker).get(url).content.decode()
    assert 'name="full_name"' not in page and f'value="{report.person.public_id}"' in page
    data = _valid_post(morang, person=str(report.person.public_id), full_name="", gender="")
    response = _client(np_caseworker).post(reverse("tracing:create"), data)
    assert response.status_code == 302
    assert MissingReport.objects.filter(person=report.person).count() == 2


def test_showing_the_local_levels_without_javascript_saves_nothing(np_caseworker, morang, biratnagar):
    data = _valid_post(morang, show_local_levels="1")
    response = _client(np_caseworker).post(reverse("tracing:create"), data)
    assert response.status_code == 200 and MissingReport.objects.count() == 0
    body = response.content.decode()
    assert "Biratnagar" in body and 'value="Maya Tamang"' in body


def test_the_local_level_options_follow_the_district(np_caseworker, morang, biratnagar, birgunj_city):
    client = _client(np_caseworker)
    body = client.get(reverse("tracing:local_levels") + f"?last_seen_district={morang.pk}").content.decode()
    assert "Biratnagar" in body and "Birgunj" not in body
    body = client.get(reverse("tracing:local_levels") + "?home_district=x").content.decode()
    assert "Biratnagar" not in body


def test_editing_a_report(np_caseworker, report):
    data = {name: value for name, value in _valid_post(report.last_seen_district).items()
            if name in ("reporter_name", "reporter_relation", "reported_on", "last_seen_on", "visibility")}  # fmt: skip
    data.update({"reporter_name": "Ram Tamang", "reporter_relation": "father",
                 "reported_on": report.reported_on.isoformat(), "last_seen_on": report.last_seen_on.isoformat(),
                 "last_seen_district": report.last_seen_district_id, "visibility": "restricted"})  # fmt: skip
    response = _client(np_caseworker).post(reverse("tracing:edit", args=[report.public_id]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.reporter_name == "Ram Tamang" and report.is_restricted and report.last_seen_local_level is None


def test_an_edit_with_bad_dates_is_refused_and_changes_nothing(np_caseworker, report):
    today = timezone.localdate()
    data = {"reporter_name": "Ram Tamang", "reporter_relation": "father", "visibility": "standard",
            "reported_on": (today - dt.timedelta(days=5)).isoformat(),
            "last_seen_on": (today - dt.timedelta(days=2)).isoformat()}  # fmt: skip
    response = _client(np_caseworker).post(reverse("tracing:edit", args=[report.public_id]), data)
    assert response.status_code == 400
    assert "She cannot be last seen after the report was made." in response.content.decode()
    report.refresh_from_db()
    assert report.reporter_name == "Her father"


def test_marking_her_found(np_caseworker, report):
    url = reverse("tracing:status", args=[report.public_id])
    client = _client(np_caseworker)
    refused = client.post(url, {"status": "found", "note": ""})
    assert refused.status_code == 400 and "Say where and how she was found." in refused.content.decode()
    response = client.post(url, {"status": "found", "note": "Found at the Rani crossing."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.FOUND and report.status_note == "Found at the Rani crossing."
    page = client.get(reverse("tracing:detail", args=[report.public_id])).content.decode()
    assert "Found at the Rani crossing." in page and "The report is marked found." in page


def test_the_nav_and_the_dashboard_show_missing_persons_to_those_who_may_see_them(np_caseworker, np_analyst, report):
    body = _client(np_caseworker).get(reverse("web:dashboard")).content.decode()
    assert re.search(r'href="/tracing/">Missing persons</a>', body)
    assert "1 open missing-person report" in body
    body = _client(np_analyst).get(reverse("web:dashboard")).content.decode()
    assert "Missing persons" not in body
