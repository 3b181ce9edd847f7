"""/api/v1/persons/: the same rules as the pages, as JSON; 404 for missing and forbidden alike."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from setu.audit.models import AuditEvent
from setu.people.models import Person, PersonAlias, PhoneNumber, Photo
from setu.people.tests import images

pytestmark = pytest.mark.django_db

URL = "/api/v1/persons/"


def _api(user) -> APIClient:
    client = APIClient()
    token = Token.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _detail(person) -> str:
    return f"{URL}{person.public_id}/"


def test_list_is_scoped_and_searchable_across_scripts(np_caseworker, transit_home_person, police_person_in_morang,
                                                      parsa_person):  # fmt: skip
    client = _api(np_caseworker)
    names = {p["full_name"] for p in client.get(URL).json()["results"]}
    assert names == {"Sita Tamang", "गीता थापा"}

    found = client.get(URL, {"q": "Gita"}).json()
    assert [p["full_name"] for p in found["results"]] == ["गीता थापा"]
    assert found["results"][0]["name_latin"] == "Gita Thapa"


def test_an_analyst_gets_404_for_the_list(np_analyst):
    assert _api(np_analyst).get(URL).status_code == 404


def test_create_returns_the_person_and_audits_it(np_caseworker, morang):
    payload = {"full_name": "सीता तामाङ", "location_district": morang.pk, "gender": "Feminine",
               "birth_precision": "exact", "birth_date": "2024-04-13", "languages": ["ne"],
               "phones": ["9841234567"], "aliases": ["Sani"]}  # fmt: skip
    response = _api(np_caseworker).post(URL, payload, format="json")

    assert response.status_code == 201
    data = response.json()
    assert data["name_script"] == "Deva" and data["name_latin"] == "Sita Tamang"
    assert data["phones"][0]["number"] == "+9779841234567"
    assert data["aliases"][0]["name"] == "Sani"
    assert data["organisation"]["name"] == "Maiti Nepal Biratnagar Transit Home"
    person = Person.objects.get()
    assert data["id"] == str(person.public_id)
    assert AuditEvent.objects.filter(action="person.create", object_id=str(person.public_id)).exists()


def test_validation_errors_are_400_with_field_messages_and_nothing_is_created(np_caseworker, morang):
    client = _api(np_caseworker)
    missing = client.post(URL, {"location_district": morang.pk}, format="json")
    assert missing.status_code == 400
    assert "full_name" in missing.json()["errors"]

    inconsistent = client.post(URL, {"full_name": "Sita", "location_district": morang.pk,
                                     "birth_precision": "exact", "phones": ["12345"]}, format="json")  # fmt: skip
    assert inconsistent.status_code == 400
    errors = inconsistent.json()["errors"]
    assert {"birth_date", "phones"} <= set(errors)
    assert not Person.objects.exists()
    assert not PhoneNumber.objects.exists()


def test_retrieve_shows_nested_details_and_is_audited(np_caseworker, transit_home_person):
    response = _api(np_caseworker).get(_detail(transit_home_person))
    assert response.status_code == 200
    data = response.json()
    assert data["full_name"] == "Sita Tamang"
    assert data["aliases"] == data["phones"] == data["documents"] == data["relations"] == data["photos"] == []
    assert AuditEvent.objects.filter(action="person.view", object_id=str(transit_home_person.public_id)).exists()


def test_out_of_scope_and_missing_persons_are_the_same_404(np_other_org, transit_home_person):
    client = _api(np_other_org)
    forbidden = client.get(_detail(transit_home_person))
    missing = client.get(f"{URL}00000000-0000-0000-0000-000000000000/")
    garbage = client.get(f"{URL}not-a-uuid/")
    assert forbidden.status_code == missing.status_code == garbage.status_code == 404
    assert forbidden.json() == missing.json() == garbage.json() == {"detail": "Not found."}
    assert client.patch(_detail(transit_home_person), {"full_name": "X"}, format="json").status_code == 404
    assert client.post(f"{_detail(transit_home_person)}phones/", {"number": "9841234567"}).status_code == 404
    assert AuditEvent.objects.filter(outcome="denied", object_id=str(transit_home_person.public_id)).count() == 3


def test_partial_update_changes_only_what_is_sent(np_caseworker, transit_home_person):
    response = _api(np_caseworker).patch(_detail(transit_home_person), {"nationality": "IN"}, format="json")
    assert response.status_code == 200
    assert response.json()["nationality"] == "IN"
    assert response.json()["full_name"] == "Sita Tamang"
    assert AuditEvent.objects.filter(action="person.update").latest("seq").fields == ["nationality"]


def test_partial_update_with_a_bad_value_is_400_and_changes_nothing(np_caseworker, transit_home_person):
    response = _api(np_caseworker).patch(_detail(transit_home_person), {"home_ward": 4, "nationality": "IN"},
                                         format="json")  # fmt: skip
    assert response.status_code == 400
    assert "home_ward" in response.json()["errors"]
    transit_home_person.refresh_from_db()
    assert transit_home_person.nationality == ""


def test_put_and_delete_are_not_offered(np_caseworker, transit_home_person):
    client = _api(np_caseworker)
    assert client.put(_detail(transit_home_person), {}, format="json").status_code == 405
    assert client.delete(_detail(transit_home_person)).status_code == 405


def test_phones_and_aliases_are_added_and_listed(np_caseworker, transit_home_person):
    client = _api(np_caseworker)
    phone = client.post(f"{_detail(transit_home_person)}phones/", {"number": "+91 98765 43210"}, format="json")
    assert phone.status_code == 201 and phone.json()["number"] == "+919876543210"
    bad = client.post(f"{_detail(transit_home_person)}phones/", {"number": "12"}, format="json")
    assert bad.status_code == 400 and "number" in bad.json()["errors"]

    alias = client.post(f"{_detail(transit_home_person)}aliases/", {"name": "सानी"}, format="json")
    assert alias.status_code == 201 and alias.json()["script"] == "Deva"

    assert [p["number"] for p in client.get(f"{_detail(transit_home_person)}phones/").json()] == ["+919876543210"]
    assert [a["name"] for a in client.get(f"{_detail(transit_home_person)}aliases/").json()] == ["सानी"]
    assert client.get(f"{_detail(transit_home_person)}documents/").json() == []
    assert PersonAlias.objects.count() == PhoneNumber.objects.count() == 1


def test_photos_are_uploaded_re_encoded_and_too_large_is_413(settings, np_caseworker, transit_home_person):
    client = _api(np_caseworker)
    url = f"{_detail(transit_home_person)}photos/"
    ok = client.post(url, {"photo": SimpleUploadedFile("p.jpg", images.jpeg_with_gps())}, format="multipart")
    assert ok.status_code == 201
    assert Photo.objects.count() == 1

    html = client.post(url, {"photo": SimpleUploadedFile("p.jpg", images.HTML_AS_JPG)}, format="multipart")
    assert html.status_code == 400 and "photo" in html.json()["errors"]

    settings.SETU_UPLOAD_MAX_BYTES = 1000
    big = client.post(url, {"photo": SimpleUploadedFile("p.jpg", b"\xff" * 1500)}, format="multipart")
    assert big.status_code == 413
    assert "larger than" in big.json()["detail"]
    assert Photo.objects.count() == 1


def test_the_schema_documents_the_persons_endpoints(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/persons/{public_id}/phones/" in schema.content
