"""The endpoints listed for the permission matrix (matrix.py), run here against the out-of-scope programme:
someone without the permission, and a trainer of another organisation for what needs TRAINING_MANAGE, get the
same 404 and change nothing; a node-wide viewer reads it."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from setu.accounts.roles import Permission
from setu.accounts.tests.factories import make_user
from setu.training.models import Certificate, Participant, Programme, Session
from setu.training.tests.matrix import ENDPOINTS, TrainingEndpoint, out_of_scope_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(np_parsa_org):
    owner = make_user("parsa_owner", "caseworker", np_parsa_org)
    return {"case": SimpleNamespace(organisation=np_parsa_org, created_by=owner)}


def _call(user, endpoint: TrainingEndpoint, ctx: dict) -> int:
    client = APIClient()
    client.force_authenticate(user) if endpoint.api else client.force_login(user)
    data = endpoint.data(ctx) if callable(endpoint.data) else endpoint.data
    method = getattr(client, endpoint.method.lower())
    if endpoint.api and data is not None:
        return method(endpoint.path(ctx), data=json.dumps(data), content_type="application/json").status_code
    return method(endpoint.path(ctx), data=data or {}).status_code


def _state() -> tuple:
    return (list(Programme.objects.values_list("title", "place")), Session.objects.count(),
            Participant.objects.count(), list(Certificate.objects.values_list("revoked_at", flat=True)))  # fmt: skip


def test_without_training_view_every_endpoint_is_404(np_caseworker, ctx):
    out_of_scope_programme(ctx)
    before = _state()
    for endpoint in ENDPOINTS:
        assert _call(np_caseworker, endpoint, ctx) == 404, endpoint.name
    assert _state() == before


def test_trainer_of_another_organisation_cannot_manage_it(np_trainer, ctx):
    out_of_scope_programme(ctx)
    before = _state()
    for endpoint in ENDPOINTS:
        if endpoint.permission == Permission.TRAINING_MANAGE and endpoint.object_level:
            assert _call(np_trainer, endpoint, ctx) == 404, endpoint.name
    assert _state() == before


def test_node_wide_viewer_reads_it(np_analyst, ctx):
    out_of_scope_programme(ctx)
    for endpoint in ENDPOINTS:
        if endpoint.permission == Permission.TRAINING_VIEW:
            assert _call(np_analyst, endpoint, ctx) == 200, endpoint.name
