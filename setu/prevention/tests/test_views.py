"""Pages: every page renders for a role with the permission and is a 404 for one without; the forms call the
services; tables stack on a phone; the list pages cost a constant number of queries."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.audit.models import AuditEvent
from setu.core.dates import ad_to_bs
from setu.prevention.models import AwarenessActivity, VigilanceReport
from setu.prevention.tests.factories import make_activity, make_report

pytestmark = pytest.mark.django_db


def _without_tokens(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def activity(np_municipality, biratnagar):
    return make_activity(organisation=np_municipality, local_level=biratnagar, ward=4, male_under_18=7,
                         partners_other="Shree Janata School", notes="Street drama at the haat bazaar.")  # fmt: skip


@pytest.fixture
def report(np_municipality, biratnagar):
    return make_report(organisation=np_municipality, local_level=biratnagar, ward=3, kind="child_travel",
                       seen="Two girls taken towards the border at dawn.")  # fmt: skip


@pytest.fixture
def pages(activity, report, morang):
    return {
        "summary": reverse("prevention:summary"),
        "summary csv": reverse("prevention:summary_csv"),
        "activities": reverse("prevention:activity_list"),
        "activity form": reverse("prevention:activity_create"),
        "activity": reverse("prevention:activity_detail", args=[activity.public_id]),
        "activity edit": reverse("prevention:activity_edit", args=[activity.public_id]),
        "vigilance reports": reverse("prevention:vigilance_list"),
        "vigilance form": reverse("prevention:vigilance_create"),
        "vigilance report": reverse("prevention:vigilance_detail", args=[report.public_id]),
        "local levels": reverse("prevention:local_level_options") + f"?district={morang.pk}",
    }


PAGES = ["summary", "summary csv", "activities", "activity form", "activity", "activity edit", "vigilance reports",
         "vigilance form", "vigilance report", "local levels"]  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_the_local_government_officer(np_localgov, pages, page):
    response = _client(np_localgov).get(pages[page])
    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_a_404_for_a_role_without_prevention_permissions(np_caseworker, pages, page):
    response = _client(np_caseworker).get(pages[page])
    assert response.status_code == 404
    assert AuditEvent.objects.filter(actor_id=np_caseworker.pk, outcome="denied").count() == 1


@pytest.mark.parametrize("page", ["summary", "activities", "activity", "vigilance reports", "vigilance report"])
def test_the_reading_pages_render_for_a_node_wide_analyst(np_analyst, pages, page):
    assert _client(np_analyst).get(pages[page]).status_code == 200


@pytest.mark.parametrize("page", ["activity form", "activity edit", "vigilance form"])
def test_the_forms_are_a_404_for_a_reader_without_prevention_record(np_analyst, pages, page):
    assert _client(np_analyst).get(pages[page]).status_code == 404


def test_the_main_menu_links_to_prevention_for_those_who_may_see_it(np_localgov, np_caseworker):
    link = reverse("prevention:summary")
    assert f'href="{link}"' in _client(np_localgov).get(reverse("web:dashboard")).content.decode()
    assert f'href="{link}"' not in _client(np_caseworker).get(reverse("web:dashboard")).content.decode()


def test_a_parsa_activity_looks_exactly_like_a_missing_one(np_localgov, np_parsa_municipality, birgunj):
    parsa = make_activity(organisation=np_parsa_municipality, local_level=birgunj)
    client = _client(np_localgov)
    missing_id = uuid.uuid4()
    forbidden = client.get(reverse("prevention:activity_detail", args=[parsa.public_id]))
    missing = client.get(reverse("prevention:activity_detail", args=[missing_id]))
    assert forbidden.status_code == missing.status_code == 404
    # The same page but for the address asked (the language form sends the user back to it).
    assert _without_tokens(forbidden.content).replace(str(parsa.public_id).encode(), b"ID") == _without_tokens(
        missing.content
    ).replace(str(missing_id).encode(), b"ID")
    assert client.get(reverse("prevention:activity_edit", args=[parsa.public_id])).status_code == 404
    body = client.get(reverse("prevention:activity_list")).content.decode()
    assert str(parsa.public_id) not in body


# --- the summary page ----------------------------------------------------------------------------------------


def test_the_summary_page_shows_each_ward_and_a_totals_row_that_stack_on_a_phone(np_localgov, activity, report):
    body = _client(np_localgov).get(reverse("prevention:summary")).content.decode()
    assert 'class="table stack prevention-summary"' in body
    assert 'Biratnagar, ward 3 <span class="help">Morang</span></th>' in body
    assert 'Biratnagar, ward 4 <span class="help">Morang</span></th>' in body
    assert '<td data-label="People reached"><strong>17</strong></td>' in body  # the totals row
    assert '<td data-label="Suspicious travel of a girl or child"><strong>1</strong></td>' in body
    assert reverse("prevention:summary_csv") in body


def test_the_summary_shows_its_default_period_in_the_users_calendar(np_localgov):
    np_localgov.date_preference = "BS"
    np_localgov.save(update_fields=["date_preference"])
    body = _client(np_localgov).get(reverse("prevention:summary")).content.decode()
    year, month, day = ad_to_bs(timezone.localdate())
    assert f'name="date_to" value="{year}-{month:02d}-{day:02d}"' in body


def test_the_summary_link_to_the_csv_keeps_the_period(np_localgov):
    body = _client(np_localgov).get(reverse("prevention:summary"), {"date_from": "2026-01-01"}).content.decode()
    assert reverse("prevention:summary_csv") + "?date_from=2026-01-01" in body


def test_a_period_that_ends_before_it_starts_is_pointed_out(np_localgov):
    response = _client(np_localgov).get(reverse("prevention:summary"), {"date_from": "2026-02-01",
                                                                        "date_to": "2026-01-01"})  # fmt: skip
    assert response.status_code == 200
    assert "The end of the period is before its start." in response.content.decode()


# --- recording and editing -----------------------------------------------------------------------------------


def _activity_form(biratnagar, **extra) -> dict:
    return {"held_on": timezone.localdate().isoformat(), "district": biratnagar.district_id,
            "local_level": biratnagar.pk, "ward": "6", "audience": "parents", "female_adult": "18", "male_adult": "",
            "topics": ["child_marriage", "hotlines"], **extra}  # fmt: skip


def test_the_activity_form_offers_only_the_local_levels_of_the_district(np_localgov, biratnagar, rangeli, birgunj):
    body = _client(np_localgov).get(reverse("prevention:activity_create")).content.decode()
    assert ">Biratnagar</option>" in body and ">Rangeli</option>" in body
    assert "Birgunj" not in body
    assert "Biratnagar Metropolitan City" not in body  # not offered as its own partner
    assert f'hx-get="{reverse("prevention:local_level_options")}"' in body
    assert 'inputmode="numeric"' in body


def test_recording_an_activity_through_the_form(np_localgov, np_transit_home, biratnagar):
    form = _activity_form(biratnagar, partner_organisations=[np_transit_home.pk])
    response = _client(np_localgov).post(reverse("prevention:activity_create"), form)
    activity = AwarenessActivity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("prevention:activity_detail", args=[activity.public_id])
    assert (activity.ward, activity.female_adult, activity.male_adult, activity.total) == (6, 18, 0, 18)
    assert activity.topics == ["child_marriage", "hotlines"]
    assert list(activity.partner_organisations.all()) == [np_transit_home]


def test_a_user_who_prefers_bikram_sambat_types_the_date_in_bs(np_localgov, biratnagar):
    np_localgov.date_preference = "BS"
    np_localgov.save(update_fields=["date_preference"])
    held_on = timezone.localdate() - dt.timedelta(days=3)
    year, month, day = ad_to_bs(held_on)
    _client(np_localgov).post(reverse("prevention:activity_create"),
                              _activity_form(biratnagar, held_on=f"{year}-{month:02d}-{day:02d}"))  # fmt: skip
    assert AwarenessActivity.objects.get().held_on == held_on


def test_a_refused_activity_comes_back_with_the_services_messages_and_nothing_saved(np_localgov, biratnagar):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    form = _activity_form(biratnagar, held_on=tomorrow, ward="25", female_adult="", topics=[])
    response = _client(np_localgov).post(reverse("prevention:activity_create"), form)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The date cannot be in the future." in body
    assert "Biratnagar has wards 1 to 19." in body
    assert "Enter how many people the activity reached." in body
    assert "Choose at least one topic." in body
    assert not AwarenessActivity.objects.exists()


def test_a_local_level_of_another_district_is_refused_by_the_form(np_localgov, biratnagar, birgunj):
    response = _client(np_localgov).post(reverse("prevention:activity_create"),
                                         _activity_form(biratnagar, local_level=birgunj.pk))  # fmt: skip
    assert "Choose a municipality or rural municipality of the district chosen." in response.content.decode()
    assert not AwarenessActivity.objects.exists()


def test_without_javascript_the_form_reloads_the_local_levels_of_another_district(np_monitor, biratnagar, birgunj,
                                                                                  np_transit_home, parsa):  # fmt: skip
    np_transit_home.districts.add(parsa)
    form = _activity_form(biratnagar, district=parsa.pk, local_level="", show_local_levels="1")
    response = _client(np_monitor).post(reverse("prevention:activity_create"), form)
    body = response.content.decode()
    assert response.status_code == 200
    assert ">Birgunj</option>" in body and ">Biratnagar</option>" not in body
    assert 'class="errorlist"' not in body  # only reloaded, not checked
    assert 'value="18"' in body  # what was typed is kept
    assert not AwarenessActivity.objects.exists()


def test_the_local_level_options_for_htmx(np_localgov, biratnagar, rangeli, birgunj):
    body = _client(np_localgov).get(reverse("prevention:local_level_options"),
                                    {"district": biratnagar.district_id}).content.decode()  # fmt: skip
    assert re.findall(r">([^<]+)</option>", body) == ["—", "Biratnagar", "Rangeli"]
    nothing = _client(np_localgov).get(reverse("prevention:local_level_options"), {"district": "x'"}).content.decode()
    assert re.findall(r">([^<]+)</option>", nothing) == ["—"]


def test_editing_an_activity_through_the_form(np_localgov, activity, biratnagar):
    client = _client(np_localgov)
    page = client.get(reverse("prevention:activity_edit", args=[activity.public_id])).content.decode()
    assert 'value="Shree Janata School"' in page
    form = _activity_form(biratnagar, held_on=activity.held_on.isoformat(), ward="4", female_adult="10",
                          male_under_18="9", audience="community", topics=["safe_migration"],
                          partners_other="Shree Janata School", notes="Street drama at the haat bazaar.")  # fmt: skip
    response = client.post(reverse("prevention:activity_edit", args=[activity.public_id]), form)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.male_under_18 == 9
    assert AuditEvent.objects.get(action="prevention.activity_update").fields == ["male_under_18"]


def test_the_detail_page_shows_the_people_reached_and_an_edit_button_for_the_owner(np_localgov, np_monitor,
                                                                                  activity):  # fmt: skip
    url = reverse("prevention:activity_detail", args=[activity.public_id])
    body = _client(np_localgov).get(url).content.decode()
    assert "<td><strong>17</strong></td>" in body
    assert "Safe migration" in body and "Shree Janata School" in body
    edit = reverse("prevention:activity_edit", args=[activity.public_id])
    assert edit in body
    assert edit not in _client(np_monitor).get(url).content.decode()


def test_recording_a_vigilance_report_through_the_form(np_localgov, biratnagar):
    form = {"reported_on": timezone.localdate().isoformat(), "district": biratnagar.district_id,
            "local_level": biratnagar.pk, "ward": "2", "reporter": "Ward 2 vigilance committee", "kind": "fake_job",
            "seen": "A broker promising hotel jobs in Delhi.", "follow_up": "police", "follow_up_note": ""}  # fmt: skip
    response = _client(np_localgov).post(reverse("prevention:vigilance_create"), form)
    report = VigilanceReport.objects.get()
    assert response["Location"] == reverse("prevention:vigilance_detail", args=[report.public_id])
    assert (report.ward, report.kind, report.follow_up) == (2, "fake_job", "police")


def test_a_refused_vigilance_report_comes_back_with_its_message(np_localgov, biratnagar):
    form = {"reported_on": timezone.localdate().isoformat(), "district": biratnagar.district_id,
            "local_level": biratnagar.pk, "ward": "2", "reporter": "Committee", "kind": "other",
            "seen": "Something odd.", "follow_up": "other", "follow_up_note": " "}  # fmt: skip
    body = _client(np_localgov).post(reverse("prevention:vigilance_create"), form).content.decode()
    assert "Say what the follow-up was." in body
    assert not VigilanceReport.objects.exists()


def test_a_denied_create_post_saves_nothing(np_caseworker, biratnagar):
    response = _client(np_caseworker).post(reverse("prevention:activity_create"), _activity_form(biratnagar))
    assert response.status_code == 404
    assert not AwarenessActivity.objects.exists()


# --- lists ---------------------------------------------------------------------------------------------------


def test_the_lists_are_tables_that_stack_on_a_phone(np_localgov, activity, report):
    client = _client(np_localgov)
    for name, label in (("prevention:activity_list", "Audience"), ("prevention:vigilance_list", "What kind")):
        body = client.get(reverse(name)).content.decode()
        assert 'class="table stack"' in body
        assert f'data-label="{label}"' in body


def test_the_vigilance_list_filters_by_kind(np_localgov, np_municipality, biratnagar, report):
    make_report(organisation=np_municipality, local_level=biratnagar, kind="fake_job", reporter="Fake job watchers")
    body = _client(np_localgov).get(reverse("prevention:vigilance_list"), {"kind": "fake_job"}).content.decode()
    assert "Fake job watchers" in body and "Ward vigilance committee" not in body


def test_the_activity_list_runs_a_constant_number_of_queries(django_assert_max_num_queries, np_localgov,
                                                             np_municipality, np_transit_home, biratnagar):  # fmt: skip
    client = _client(np_localgov)
    make_activity(organisation=np_municipality, local_level=biratnagar)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("prevention:activity_list"))
    for ward in range(1, 20):
        make_activity(organisation=np_transit_home, local_level=biratnagar, ward=ward)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("prevention:activity_list"))
