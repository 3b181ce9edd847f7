"""/api/v1/places/, districts/, local-levels/, border-points/: read-only, GAZETTEER_VIEW or 404."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from setu.geo.models import District

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    token = Token.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_places_searches_in_either_script(np_caseworker, gazetteer):
    client = _api(np_caseworker)
    found = client.get("/api/v1/places/", {"q": "विराटनगर"}).json()
    first = found[0]
    assert (first["kind"], first["name_en"], first["district"], first["country"]) == (
        "local_level", "Biratnagar", "Morang", "NP"
    )  # fmt: skip
    assert first["quality"] == "exact"
    latin = client.get("/api/v1/places/", {"q": "Jogbani", "kind": "border_point", "country": "IN"}).json()
    assert [(p["name_en"], p["name_hi"]) for p in latin] == [("Jogbani", "जोगबनी")]
    assert len(client.get("/api/v1/places/", {"q": "a", "limit": "3"}).json()) == 3
    assert client.get("/api/v1/places/", {"q": "a", "limit": "x"}).status_code == 200
    assert client.get("/api/v1/places/").json() == []


def test_districts_list_and_filter_by_country(np_caseworker, gazetteer):
    client = _api(np_caseworker)
    assert client.get("/api/v1/districts/").json()["count"] == 97
    india = client.get("/api/v1/districts/", {"country": "IN", "limit": 100}).json()
    assert india["count"] == 20
    araria = next(d for d in india["results"] if d["name_en"] == "Araria")
    assert (araria["code"], araria["name_hi"], araria["province"]["name_en"]) == ("188", "अररिया", "Bihar")


def test_district_detail_has_local_levels_wards_and_border_points(np_caseworker, gazetteer):
    morang = District.objects.get(name_en="Morang")
    data = _api(np_caseworker).get(f"/api/v1/districts/{morang.pk}/").json()
    assert data["name_ne"] == "मोरङ" and data["borders_other_country"] is True
    assert len(data["local_levels"]) == 17
    assert data["ward_count"] == sum(ll["ward_count"] for ll in data["local_levels"])
    biratnagar = next(ll for ll in data["local_levels"] if ll["name_en"] == "Biratnagar")
    assert (biratnagar["kind"], biratnagar["ward_count"]) == ("metropolitan", 19)
    rani = next(p for p in data["border_points"] if p["name_en"] == "Rani")
    assert rani["counterpart"]["name_en"] == "Jogbani" and rani["has_immigration_office"] is True


def test_local_levels_by_district(np_caseworker, gazetteer):
    client = _api(np_caseworker)
    kathmandu = District.objects.get(name_en="Kathmandu")
    data = client.get("/api/v1/local-levels/", {"district": kathmandu.pk}).json()
    assert data["count"] == 11
    assert {ll["district_name"] for ll in data["results"]} == {"Kathmandu"}
    assert client.get("/api/v1/local-levels/").json()["count"] == 753


def test_border_points_with_their_counterparts(np_caseworker, gazetteer):
    client = _api(np_caseworker)
    data = client.get("/api/v1/border-points/", {"limit": 100}).json()
    assert data["count"] == 31
    raxaul = next(p for p in data["results"] if p["name_en"] == "Raxaul")
    assert raxaul["counterpart"]["name_en"] == "Birgunj" and raxaul["counterpart"]["country"] == "NP"
    assert client.get("/api/v1/border-points/", {"country": "IN"}).json()["count"] == 11
    assert client.get(f"/api/v1/border-points/{raxaul['id']}/").json()["district_name"] == "Purbi Champaran"


def test_the_api_is_read_only(np_admin, gazetteer):
    client = _api(np_admin)
    assert client.post("/api/v1/districts/", {"name_en": "X"}).status_code == 405
    morang = District.objects.get(name_en="Morang")
    assert client.delete(f"/api/v1/districts/{morang.pk}/").status_code == 405


def test_without_gazetteer_view_every_endpoint_is_404(no_roles, gazetteer):
    client = _api(no_roles)
    morang = District.objects.get(name_en="Morang")
    for url in ("/api/v1/places/?q=Morang", "/api/v1/districts/", f"/api/v1/districts/{morang.pk}/",
                "/api/v1/local-levels/", "/api/v1/border-points/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Not found."}


def test_missing_district_is_the_same_404(np_caseworker, gazetteer):
    assert _api(np_caseworker).get("/api/v1/districts/999999/").json() == {"detail": "Not found."}


def test_schema_documents_the_gazetteer_endpoints(np_caseworker):
    schema = _api(np_caseworker).get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/places/", "/api/v1/districts/", "/api/v1/local-levels/", "/api/v1/border-points/"):
        assert path in schema
