"""The permission matrix, generated from the access policy (setu.accounts.roles.ROLE_PERMISSIONS).

Every role × every protected page and API endpoint:
- a role without the endpoint's permission gets 404 (never a hint that the record exists), and the refusal
  is in the audit log as a denied event of that user;
- a role with the permission, asked for an object outside its scope (a person registered by another
  organisation in another district), gets the same 404, also audited;
- a role with the permission, asked for a list, gets 200 and never sees the out-of-scope person.
Node-wide grants (focal points) reach every person on the node by design; the other node's persons live
in another database altogether, so no cell of this node can reach them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from setu.accounts.roles import ROLE_PERMISSIONS, Permission, Role, Scope
from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.audit.models import AuditEvent
from setu.people.models import Photo
from setu.people.tests.factories import PersonFactory
from setu.people.tests.images import jpeg_with_gps

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: Callable[[dict], str]
    permission: Permission
    object_level: bool  # addresses one person (or one of their records)
    data: dict | None = None
    api: bool = False


def _person(ctx: dict) -> str:
    return str(ctx["person"].public_id)


ENDPOINTS = [
    Endpoint("people list", "GET", lambda c: reverse("people:list"), Permission.PERSON_VIEW, False),
    Endpoint("people search", "GET", lambda c: reverse("people:list") + "?q=Kamala", Permission.PERSON_VIEW, False),
    Endpoint("person page", "GET", lambda c: reverse("people:detail", args=[_person(c)]), Permission.PERSON_VIEW, True),
    Endpoint("register form", "GET", lambda c: reverse("people:create"), Permission.PERSON_CREATE, False),
    Endpoint("edit form", "GET", lambda c: reverse("people:edit", args=[_person(c)]), Permission.PERSON_EDIT, True),
    Endpoint("edit save", "POST", lambda c: reverse("people:edit", args=[_person(c)]), Permission.PERSON_EDIT, True,
             data={"full_name": "Changed"}),
    Endpoint("add alias", "GET", lambda c: reverse("people:add_alias", args=[_person(c)]), Permission.PERSON_EDIT,
             True),
    Endpoint("add phone", "POST", lambda c: reverse("people:add_phone", args=[_person(c)]), Permission.PERSON_EDIT,
             True, data={"number": "+9779812345678"}),
    Endpoint("add photo", "GET", lambda c: reverse("people:add_photo", args=[_person(c)]), Permission.PERSON_EDIT,
             True),
    Endpoint("photo", "GET", lambda c: reverse("people:photo", args=[_person(c), c["photo"].public_id]),
             Permission.PERSON_PHOTO_VIEW, True),
    Endpoint("places", "GET", lambda c: reverse("geo:search") + "?q=Morang", Permission.GAZETTEER_VIEW, False),
    Endpoint("organisations", "GET", lambda c: reverse("accounts:organisation_list"), Permission.ORGANISATION_VIEW,
             False),
    Endpoint("new organisation", "GET", lambda c: reverse("accounts:organisation_create"),
             Permission.ORGANISATION_MANAGE, False),
    Endpoint("users", "GET", lambda c: reverse("accounts:user_list"), Permission.USER_MANAGE, False),
    Endpoint("new account", "GET", lambda c: reverse("accounts:user_create"), Permission.USER_MANAGE, False),
    Endpoint("SOP versions", "GET", lambda c: reverse("cases:sop_versions"), Permission.SOP_MANAGE, False),
    Endpoint("audit log", "GET", lambda c: reverse("audit:list"), Permission.AUDIT_VIEW, False),
    Endpoint("api persons", "GET", lambda c: "/api/v1/persons/", Permission.PERSON_VIEW, False, api=True),
    Endpoint("api person", "GET", lambda c: f"/api/v1/persons/{_person(c)}/", Permission.PERSON_VIEW, True, api=True),
    Endpoint("api person phones", "GET", lambda c: f"/api/v1/persons/{_person(c)}/phones/", Permission.PERSON_VIEW,
             True, api=True),
    Endpoint("api person patch", "PATCH", lambda c: f"/api/v1/persons/{_person(c)}/", Permission.PERSON_EDIT, True,
             data={"full_name": "Changed"}, api=True),
    Endpoint("api person create", "POST", lambda c: "/api/v1/persons/", Permission.PERSON_CREATE, False,
             data={"full_name": "New Person"}, api=True),
    Endpoint("api places", "GET", lambda c: "/api/v1/places/?q=Morang", Permission.GAZETTEER_VIEW, False, api=True),
    Endpoint("api organisations", "GET", lambda c: "/api/v1/organisations/", Permission.ORGANISATION_VIEW, False,
             api=True),
]  # fmt: skip


def _cells():
    for role in Role:
        for endpoint in ENDPOINTS:
            scope = ROLE_PERMISSIONS[role].get(endpoint.permission)
            if scope is None:
                yield pytest.param(role, endpoint, "no permission", id=f"{role.value}-{endpoint.name}-denied")
            elif endpoint.object_level and scope != Scope.NODE:
                yield pytest.param(role, endpoint, "out of scope", id=f"{role.value}-{endpoint.name}-out-of-scope")
            elif not endpoint.object_level and endpoint.method == "GET":
                yield pytest.param(role, endpoint, "list", id=f"{role.value}-{endpoint.name}-allowed")


@pytest.fixture
def out_of_scope(parsa, tmp_path, settings):
    """A person registered by a Parsa organisation, located in Parsa, with a photo."""
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    from setu.people import services

    parsa_org = OrganisationFactory(name_en="Transit Home Birgunj", districts=[parsa])
    parsa_worker = make_user("parsa_worker", "caseworker", parsa_org)
    person = PersonFactory(full_name="Kamala Out-of-scope", organisation=parsa_org, location_district=parsa)
    services.person_add_photo(
        actor=parsa_worker, person=person, upload=SimpleUploadedFile("p.jpg", jpeg_with_gps(), "image/jpeg")
    )
    return {"person": person, "photo": Photo.objects.get(person=person)}


def _request(client: Client, endpoint: Endpoint, ctx: dict):
    path = endpoint.path(ctx)
    if endpoint.method == "GET":
        return client.get(path)
    if endpoint.method == "POST":
        if endpoint.api:
            return client.post(path, endpoint.data or {}, content_type="application/json")
        return client.post(path, endpoint.data or {})
    return client.patch(path, endpoint.data or {}, content_type="application/json")


@pytest.mark.parametrize(("role", "endpoint", "cell"), list(_cells()))
def test_permission_matrix(role, endpoint, cell, np_transit_home, out_of_scope):
    user = make_user(f"matrix_{role.value}", role.value, np_transit_home)
    client = Client()
    client.force_login(user)
    denials_before = AuditEvent.objects.filter(actor_id=user.pk, outcome="denied").count()

    response = _request(client, endpoint, out_of_scope)

    if cell == "list":
        assert response.status_code == 200, response.content[:300]
        assert (
            b"Kamala Out-of-scope" not in response.content
            or ROLE_PERMISSIONS[role].get(Permission.PERSON_VIEW) == Scope.NODE
        )
        return
    assert response.status_code == 404, f"{role} {endpoint.name}: {response.status_code}"
    assert b"Kamala Out-of-scope" not in response.content
    assert AuditEvent.objects.filter(actor_id=user.pk, outcome="denied").count() == denials_before + 1
    out_of_scope["person"].refresh_from_db()
    assert out_of_scope["person"].full_name == "Kamala Out-of-scope"


def test_the_matrix_covers_every_role_and_permission():
    cells = list(_cells())
    assert {c.values[0] for c in cells} == set(Role)
    assert {e.permission for e in ENDPOINTS} == set(Permission)
    assert len(cells) > 150
