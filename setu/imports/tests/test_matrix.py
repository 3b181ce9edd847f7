"""The import rows of the permission matrix, checked here until tests/test_permission_matrix.py runs them:
for every role, the list page is 200 (with IMPORT_RUN, without the out-of-scope run) or an audited 404, and
every page of the out-of-scope organisation's run is an audited 404 that changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from setu.accounts.roles import ROLE_PERMISSIONS, Permission, Role
from setu.accounts.tests.factories import UserFactory, make_user
from setu.audit.models import AuditEvent
from setu.imports.models import RunStatus
from setu.imports.tests.matrix import ENDPOINTS, out_of_scope_run

pytestmark = pytest.mark.django_db


class _Case:  # the one attribute of the matrix's out-of-scope case the rows read
    def __init__(self, organisation, created_by) -> None:
        self.organisation, self.created_by = organisation, created_by


@pytest.mark.parametrize("role", list(Role))
def test_every_role_against_every_import_endpoint(role, np_transit_home, np_parsa_org):
    ctx = {"case": _Case(np_parsa_org, UserFactory())}
    user = make_user(f"matrix_{role.value}", role.value, np_transit_home)
    client = Client()
    client.force_login(user)
    allowed = Permission.IMPORT_RUN in ROLE_PERMISSIONS[role]
    for endpoint in ENDPOINTS:
        endpoint.path(ctx)
        denials = AuditEvent.objects.filter(actor_id=user.pk, outcome="denied").count()
        data = endpoint.data(ctx) if callable(endpoint.data) else endpoint.data or {}
        response = client.get(endpoint.path(ctx)) if endpoint.method == "GET" else client.post(endpoint.path(ctx), data)
        if allowed and not endpoint.object_level:
            assert response.status_code == 200, endpoint.name
            assert b"out-of-scope.csv" not in response.content
            continue
        assert response.status_code == 404, f"{role} {endpoint.name}: {response.status_code}"
        assert b"Kamala Out-of-scope" not in response.content
        assert AuditEvent.objects.filter(actor_id=user.pk, outcome="denied").count() == denials + 1, endpoint.name
    run = out_of_scope_run(ctx)
    run.refresh_from_db()
    assert run.status == RunStatus.CHECKED and run.mapping == {"Name": "full_name"}
