import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from setu.accounts.models import Membership, User
from setu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_role_sees_the_organisation_directory(np_caseworker, np_parsa_org):
    response = _client(np_caseworker).get(reverse("accounts:organisation_list"))
    assert response.status_code == 200
    assert "Transit Home Birgunj" in response.content.decode()


def test_organisation_search_answers_htmx_with_rows_only(np_caseworker, np_parsa_org):
    response = _client(np_caseworker).get(reverse("accounts:organisation_list"), {"q": "birgunj"},
                                          headers={"HX-Request": "true"})  # fmt: skip
    body = response.content.decode()
    assert "Transit Home Birgunj" in body and "<html" not in body
    assert "Maiti Nepal" not in body


def test_members_are_listed_only_for_administrators(np_caseworker, np_admin, np_transit_home):
    url = reverse("accounts:organisation_detail", args=[np_transit_home.public_id])
    assert "np_caseworker" not in _client(np_caseworker).get(url).content.decode()
    assert "np_caseworker" in _client(np_admin).get(url).content.decode()


def test_administrator_creates_an_account(np_admin, np_transit_home):
    response = _client(np_admin).post(
        reverse("accounts:user_create"),
        {"username": "new_monitor", "full_name": "Sita Rai", "password": "a long pass phrase for sita",
         "organisation": np_transit_home.pk, "role": "border_monitor"},
    )  # fmt: skip
    assert response.status_code == 302
    user = User.objects.get(username="new_monitor")
    assert user.check_password("a long pass phrase for sita")
    assert user.password.startswith("md5$") or user.password.startswith("argon2")
    assert Membership.objects.filter(user=user, role="border_monitor", organisation=np_transit_home).exists()
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()


def test_a_short_or_common_password_is_refused_and_nothing_is_created(np_admin, np_transit_home):
    for password in ("short", "password1234"):
        response = _client(np_admin).post(
            reverse("accounts:user_create"),
            {"username": "weak", "full_name": "W", "password": password,
             "organisation": np_transit_home.pk, "role": "caseworker"},
        )  # fmt: skip
        assert response.status_code == 400
        assert "errorlist" in response.content.decode()
    assert not User.objects.filter(username="weak").exists()


def test_non_administrators_cannot_reach_user_management(np_caseworker):
    client = _client(np_caseworker)
    assert client.get(reverse("accounts:user_list")).status_code == 404
    assert client.get(reverse("accounts:user_create")).status_code == 404
    denied = AuditEvent.objects.filter(actor_username="np_caseworker", outcome="denied", action="user.manage")
    assert denied.count() == 2


def test_api_me_with_a_token(np_police):
    token = Token.objects.create(user=np_police)
    response = Client().get("/api/v1/me/", headers={"Authorization": f"Token {token.key}"})
    assert response.status_code == 200
    data = response.json()
    assert data["node"] == "NP"
    assert data["memberships"] == [{"organisation": "Nepal Police District Office Morang", "role": "police_officer"}]
    assert "person.view" in data["permissions"]
    assert "audit.view" not in data["permissions"]


def test_api_session_writes_need_csrf(np_caseworker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(np_caseworker)
    response = client.post("/api/v1/organisations/", {}, content_type="application/json")
    assert response.status_code == 403


def test_api_organisations_list_and_detail(np_caseworker, np_parsa_org):
    client = _client(np_caseworker)
    listing = client.get("/api/v1/organisations/").json()
    names = {o["name_en"] for o in listing["results"]}
    assert "Transit Home Birgunj" in names
    detail = client.get(f"/api/v1/organisations/{np_parsa_org.public_id}/")
    assert detail.json()["districts"] == ["Parsa"]


def test_api_unknown_organisation_is_a_plain_404(np_caseworker):
    response = _client(np_caseworker).get("/api/v1/organisations/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_administrator_adds_an_organisation_with_its_jurisdiction(np_admin, morang):
    response = _client(np_admin).post(
        reverse("accounts:organisation_create"),
        {"name_en": "KI Nepal Rani", "name_ne": "केआई नेपाल रानी", "org_type": "NGO", "country": "NP",
         "districts": [morang.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    from setu.accounts.models import Organisation

    organisation = Organisation.objects.get(name_en="KI Nepal Rani")
    assert list(organisation.districts.all()) == [morang]
    assert AuditEvent.objects.filter(action="organisation.create", object_id=str(organisation.public_id)).exists()


def test_an_organisation_without_a_name_is_refused(np_admin):
    response = _client(np_admin).post(reverse("accounts:organisation_create"), {"org_type": "NGO", "country": "NP"})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


def test_an_organisation_phone_must_be_in_international_form(np_admin):
    response = _client(np_admin).post(
        reverse("accounts:organisation_create"),
        {"name_en": "KI Nepal Rani", "org_type": "NGO", "country": "NP", "phone": "021-512345"},
    )
    assert response.status_code == 400
    assert "international form" in response.content.decode()
    from setu.accounts.models import Organisation

    assert not Organisation.objects.filter(name_en="KI Nepal Rani").exists()
