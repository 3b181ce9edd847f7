"""Pages: the search page (full and htmx partial, with and without JavaScript), a district, a border point;
without GAZETTEER_VIEW every page is the same 404 as a missing one."""

import pytest
from django.test import Client
from django.urls import reverse

from setu.audit.models import AuditEvent
from setu.geo.models import BorderPoint, District

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_search_page_renders_the_form_and_results_without_javascript(np_caseworker, gazetteer):
    response = _client(np_caseworker).get(reverse("geo:search"), {"q": "विराटनगर"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and 'name="q"' in html and 'id="place-results"' in html
    assert "Biratnagar" in html and "Metropolitan city" in html and "19 wards" in html


def test_search_page_without_a_query_asks_for_one(np_caseworker, gazetteer):
    response = _client(np_caseworker).get(reverse("geo:search"))
    assert response.status_code == 200
    assert "Type at least one letter" in response.content.decode()


def test_htmx_gets_only_the_results(np_caseworker, gazetteer):
    response = _client(np_caseworker).get(reverse("geo:search"), {"q": "Jogbani"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<table" in html
    assert "Jogbani" in html and "faces Rani" in html


def test_search_filters_by_kind_and_country(np_caseworker, gazetteer):
    client = _client(np_caseworker)
    html = client.get(reverse("geo:search"), {"q": "Jhulaghat", "kind": "border_point", "country": "IN"}).content
    assert html.decode().count('href="/places/border-points/') == 1
    # Unknown filter values are ignored, not errors.
    assert client.get(reverse("geo:search"), {"q": "Morang", "kind": "x", "country": "ZZ"}).status_code == 200


def test_search_results_take_a_fixed_number_of_queries(np_caseworker, gazetteer):
    # However many places match, the results cost the same queries (one per kind of place).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(np_caseworker)
    counts = {}
    for query in ("b", "Jogbani"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("geo:search"), {"q": query}, headers={"HX-Request": "true"})
        counts[query] = (len(captured), response.content.decode().count("<tr>"))
    assert counts["b"][1] == 1 + 50 and counts["Jogbani"][1] < 1 + 50  # header row + results
    assert counts["b"][0] == counts["Jogbani"][0]


def test_district_page_lists_local_levels_with_wards_and_border_points(np_caseworker, gazetteer):
    morang = District.objects.get(name_en="Morang")
    response = _client(np_caseworker).get(reverse("geo:district", args=[morang.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "मोरङ" in html and "Koshi" in html
    assert "17 local levels" in html and "Biratnagar" in html and "1–19" in html
    assert "Rani" in html and "Jogbani" in html


def test_indian_district_page_shows_its_lgd_code(np_caseworker, gazetteer):
    araria = District.objects.get(name_en="Araria")
    html = _client(np_caseworker).get(reverse("geo:district", args=[araria.pk])).content.decode()
    assert "188" in html and "अररिया" in html and "Bihar" in html and "Jogbani" in html


def test_border_point_page_shows_the_point_across_the_border(np_caseworker, gazetteer):
    birgunj = BorderPoint.objects.get(country="NP", name_en="Birgunj")
    html = _client(np_caseworker).get(reverse("geo:border_point", args=[birgunj.pk])).content.decode()
    assert "वीरगञ्ज" in html and "Parsa" in html
    assert "Raxaul" in html and "रक्सौल" in html and "Purbi Champaran" in html
    assert "Immigration office" in html


def test_border_point_without_counterpart_says_so(np_caseworker, gazetteer):
    kunauli = BorderPoint.objects.get(country="NP", name_en="Kunauli")
    html = _client(np_caseworker).get(reverse("geo:border_point", args=[kunauli.pk])).content.decode()
    assert "not recorded yet" in html


def test_missing_places_are_404(np_caseworker, gazetteer):
    client = _client(np_caseworker)
    assert client.get(reverse("geo:district", args=[999999])).status_code == 404
    assert client.get(reverse("geo:border_point", args=[999999])).status_code == 404


def test_a_user_without_roles_gets_404_everywhere_and_it_is_audited(no_roles, gazetteer):
    client = _client(no_roles)
    morang = District.objects.get(name_en="Morang")
    rani = BorderPoint.objects.get(name_en="Rani")
    for url in (reverse("geo:search") + "?q=Morang", reverse("geo:district", args=[morang.pk]),
                reverse("geo:border_point", args=[rani.pk])):  # fmt: skip
        assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(actor_username="no_roles", outcome="denied").count() == 3


def test_forbidden_and_missing_districts_look_the_same(no_roles, np_caseworker, gazetteer):
    morang = District.objects.get(name_en="Morang")
    forbidden = _client(no_roles).get(reverse("geo:district", args=[morang.pk]))
    missing = _client(np_caseworker).get(reverse("geo:district", args=[999999]))
    assert forbidden.status_code == missing.status_code == 404


def test_every_role_with_the_permission_can_search(np_monitor, np_police, np_analyst, np_auditor, np_admin,
                                                    gazetteer):  # fmt: skip
    for user in (np_monitor, np_police, np_analyst, np_auditor, np_admin):
        assert _client(user).get(reverse("geo:search"), {"q": "Rani"}).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(gazetteer):
    response = Client().get(reverse("geo:search"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_pages_use_the_users_language_for_labels(np_caseworker, gazetteer):
    np_caseworker.preferred_language = "ne"
    np_caseworker.save(update_fields=["preferred_language"])
    response = _client(np_caseworker).get(reverse("geo:search"), {"q": "Rani"}, HTTP_ACCEPT_LANGUAGE="ne")
    assert response.status_code == 200
