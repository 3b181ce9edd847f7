"""The exports' rows for the permission matrix (matrix_exports.py), run here for every role as the matrix
runs them: without the permission, or out of scope for a record, the same 404 with one denial audited; a list
is 200 and shows Kamala (the out-of-scope survivor) only to a node-wide grant of a survivors' list."""

from __future__ import annotations

import pytest
from django.test import Client

from setu.accounts.roles import ROLE_PERMISSIONS, Permission, Role, Scope
from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.audit.models import AuditEvent
from setu.cases.tests.factories import open_case
from setu.people.tests.factories import PersonFactory
from setu.reports.tests.matrix_exports import ENDPOINTS

pytestmark = pytest.mark.django_db

# As tests/test_permission_matrix.py's SURVIVOR_LISTS, with the HTCDS export (see matrix_exports.py).
SURVIVOR_LISTS = {Permission.PERSON_VIEW, Permission.CASE_VIEW, Permission.TRACING_VIEW, Permission.MATCH_REVIEW,
                  Permission.EXPORT_BULK}  # fmt: skip


@pytest.fixture
def ctx(parsa):
    parsa_org = OrganisationFactory(name_en="Transit Home Birgunj", districts=[parsa])
    worker = make_user("parsa_worker", "caseworker", parsa_org)
    person = PersonFactory(full_name="Kamala Out-of-scope", organisation=parsa_org, location_district=parsa)
    case = open_case(worker, district=parsa, survivor=person, age=16)
    return {"person": person, "case": case}


def test_every_role_on_every_export_endpoint(ctx, np_transit_home):
    for role in Role:
        user = make_user(f"matrix_{role.value}", role.value, np_transit_home)
        client = Client()
        client.force_login(user)
        for endpoint in ENDPOINTS:
            scope = ROLE_PERMISSIONS[role].get(endpoint.permission)
            path = endpoint.path(ctx)
            denials = AuditEvent.objects.filter(actor_id=user.pk, outcome="denied").count()
            response = client.get(path)
            label = f"{role.value} {endpoint.name}"
            if scope is None or (endpoint.object_level and scope != Scope.NODE):
                assert response.status_code == 404, label
                assert b"Kamala" not in response.content, label
                assert AuditEvent.objects.filter(actor_id=user.pk, outcome="denied").count() == denials + 1, label
            elif not endpoint.object_level:
                assert response.status_code == 200, label
                assert b"Kamala Out-of-scope" not in response.content or (
                    endpoint.permission in SURVIVOR_LISTS and scope == Scope.NODE
                ), label
            else:  # a node-wide grant reaches the case
                assert response.status_code == 200, label


def test_a_node_wide_case_export_shows_the_out_of_scope_case(ctx, np_focal_point):
    client = Client()
    client.force_login(np_focal_point)
    assert b"Kamala Out-of-scope" in client.get(ENDPOINTS[1].path(ctx)).content  # the HTCDS CSV
