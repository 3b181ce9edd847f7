"""The rows of matrix.py, checked here until they join tests/test_permission_matrix.py: a Morang prosecutor
(who holds the rows' legal permissions for her own office and district) and a Morang caseworker (CASE_WORK in
Morang) reach none of the out-of-scope records, and the lists do not show them."""

from __future__ import annotations

import pytest
from django.test import Client

from setu.cases.tests.factories import open_case
from setu.legal.models import Hearing
from setu.legal.tests.matrix import ENDPOINTS
from setu.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(parsa, np_other_org):
    person = PersonFactory(organisation=np_other_org.memberships.get().organisation, location_district=parsa)
    return {"case": open_case(np_other_org, district=parsa, survivor=person)}


@pytest.mark.parametrize("who", ["np_prosecutor", "np_caseworker", "np_focal_point"])
def test_no_out_of_scope_record_is_reached(request, ctx, who):
    user = request.getfixturevalue(who)
    client = Client()
    client.force_login(user)
    hearings = Hearing.objects.count
    for row in ENDPOINTS:
        path = row.path(ctx)
        before = hearings()
        if row.method == "GET":
            response = client.get(path)
        else:
            data = row.data(ctx) if callable(row.data) else (row.data or {})
            call = getattr(client, row.method.lower())
            response = call(path, data, content_type="application/json") if row.api else call(path, data)
        number = ctx["prosecution"].number
        if row.object_level and not (who == "np_focal_point" and row.permission in ("legal.view", "case.work")):
            assert response.status_code == 404, (who, row.name, response.status_code)
        elif not row.object_level and response.status_code == 200 and row.method == "GET":
            shown = number in response.content.decode()
            assert shown == (who == "np_focal_point"), (who, row.name)
        assert hearings() == before, row.name
