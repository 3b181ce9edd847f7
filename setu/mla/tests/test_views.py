"""Pages and API: who sees what (prosecutors their office's requests, focal points the node's, caseworkers
nothing), the forms' refusals shown with nothing changed, documents, the dashboard."""

from __future__ import annotations

import datetime as dt
import io
import json
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.audit.models import AuditEvent
from setu.mla import services
from setu.mla.models import Deadline, MlaRequest
from setu.mla.reminders import reminder_sweep
from setu.mla.tests.conftest import draft_values
from setu.mla.tests.matrix import ENDPOINTS, out_of_scope_mla_request
from setu.mla.tests.test_services import PDF, _incoming_payload, _receive

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _call(client: Client, endpoint, ctx: dict):
    path = endpoint.path(ctx)
    if endpoint.method == "get":
        return client.get(path)
    if endpoint.api:
        return client.post(path, data=json.dumps(endpoint.data or {}), content_type="application/json")
    return client.post(path, data=endpoint.data or {})


@pytest.fixture
def ctx(np_parsa_org, np_other_org) -> dict:
    return {"case": SimpleNamespace(organisation=np_parsa_org, created_by=np_other_org)}


def test_a_caseworker_gets_404_everywhere_and_each_refusal_is_audited(np_caseworker, ctx):
    client = _client(np_caseworker)
    for endpoint in ENDPOINTS:
        response = _call(client, endpoint, ctx)
        assert response.status_code == 404, (endpoint.name, endpoint.method)
    assert AuditEvent.objects.filter(actor_id=np_caseworker.pk, outcome="denied").count() >= len(ENDPOINTS)
    request = out_of_scope_mla_request(ctx)
    request.refresh_from_db()
    assert request.status == "drafted" and not request.documents.exists()


def test_a_prosecutor_of_another_office_gets_404_on_its_requests_and_never_lists_them(np_prosecutor, ctx):
    client = _client(np_prosecutor)
    for endpoint in ENDPOINTS:
        response = _call(client, endpoint, ctx)
        if endpoint.object_level:
            assert response.status_code == 404, (endpoint.name, endpoint.method)
        elif endpoint.method == "get":
            assert response.status_code == 200, endpoint.name
            assert "Out-of-scope request" not in response.content.decode()
    request = out_of_scope_mla_request(ctx)
    request.refresh_from_db()
    assert request.status == "drafted"


def test_the_focal_point_sees_every_request_of_the_node(np_focal_point, ctx, draft):
    out_of_scope_mla_request(ctx)
    page = _client(np_focal_point).get(reverse("mla:request_list")).content.decode()
    assert "Out-of-scope request" in page and draft.number in page
    data = _client(np_focal_point).get(reverse("api:mla-request-list")).json()
    assert data["count"] == 2


def test_pages_render(np_focal_point, np_prosecutor, india, draft):
    services.request_send(actor=np_prosecutor, request=draft)
    _receive(india, "mla.request", _incoming_payload())
    client = _client(np_focal_point)
    incoming = MlaRequest.objects.get(direction="incoming")
    for url in (reverse("mla:dashboard"), reverse("mla:request_list") + "?status=sent&direction=outgoing&kind=records",
                reverse("mla:request_create"), reverse("mla:request_detail", args=[draft.public_id]),
                reverse("mla:request_detail", args=[incoming.public_id])):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
    detail = client.get(reverse("mla:request_detail", args=[incoming.public_id])).content.decode()
    assert "Preliminary study of a reciprocity request" in detail and "Record a new status" in detail
    dashboard = client.get(reverse("mla:dashboard")).content.decode()
    assert "<svg" in dashboard and "2 open requests" in dashboard


def test_drafting_on_the_page(np_prosecutor, prosecution):
    client = _client(np_prosecutor)
    form = {"requesting_authority": "NP-DAO-MORANG", "requested_authority": "IN-MHA-IS2",
            "types": ["taking_evidence", "records"], "legal_basis": "reciprocity", "prosecution": prosecution.pk,
            "subject": "Hotel records in Siliguri", "summary": "Registers of the hotel.", "urgency": "normal",
            "language": "ne", "letter_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat()}  # fmt: skip
    refused = client.post(reverse("mla:request_create"), {**form, "legal_basis": "agreement_2026"})
    assert refused.status_code == 200 and "Use reciprocity or a letter rogatory" in refused.content.decode()
    refused = client.post(reverse("mla:request_create"), {**form, "requested_authority": "IN-NOWHERE"})
    assert "IN-NOWHERE" in refused.content.decode() or "Select a valid choice" in refused.content.decode()
    assert not MlaRequest.objects.exists()
    response = client.post(reverse("mla:request_create"), form)
    mla = MlaRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("mla:request_detail", args=[mla.public_id])
    assert mla.types == ["taking_evidence", "records"] and mla.prosecution == prosecution


def test_sending_and_moving_on_the_page(india, np_prosecutor, np_focal_point, draft):
    client = _client(np_prosecutor)
    assert client.post(reverse("mla:request_send", args=[draft.public_id])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "sent"
    _receive(india, "mla.request", _incoming_payload())
    incoming = MlaRequest.objects.get(direction="incoming")
    focal = _client(np_focal_point)
    url = reverse("mla:request_move", args=[incoming.public_id])
    refused = focal.post(url, {"status": "refused", "reason": ""})
    assert refused.status_code == 400 and "Give the reason" in refused.content.decode()
    assert focal.post(url, {"status": "under_study"}).status_code == 302
    incoming.refresh_from_db()
    assert incoming.status == "under_study"


def test_sending_without_a_registered_peer_shows_why(np_prosecutor, draft):
    response = _client(np_prosecutor).post(reverse("mla:request_send", args=[draft.public_id]))
    assert response.status_code == 400 and "not registered" in response.content.decode()


def test_documents_on_the_page_and_through_the_api(np_prosecutor, np_parsa_prosecutor, draft):
    client = _client(np_prosecutor)
    upload = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("mla:document_add", args=[draft.public_id]),
                           {"kind": "letter_of_request", "title": "Letter", "file": upload})  # fmt: skip
    assert response.status_code == 302
    document = draft.documents.get()
    url = reverse("mla:document", args=[draft.public_id, document.public_id])
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert _client(np_parsa_prosecutor).get(url).status_code == 404
    bad = client.post(reverse("api:mla-request-documents", args=[draft.public_id]),
                      {"kind": "evidence", "file": io.BytesIO(b"not a pdf")})  # fmt: skip
    assert bad.status_code == 400 and draft.documents.count() == 1
    listed = client.get(reverse("api:mla-request-documents", args=[draft.public_id])).json()
    assert [d["kind"] for d in listed] == ["letter_of_request"]
    file_url = reverse("api:mla-request-document-file", args=[draft.public_id, document.public_id])
    assert client.get(file_url).status_code == 200


def test_the_api_drafts_sends_and_refuses_bad_input(india, np_prosecutor, prosecution):
    client = _client(np_prosecutor)
    values = draft_values(letter_date=timezone.localdate().isoformat(), prosecution=str(prosecution.public_id))
    bad = client.post(reverse("api:mla-request-list"), {**values, "respond_by": "2020-01-01"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "respond_by" in bad.json()["errors"]
    unknown = client.post(reverse("api:mla-request-list"), {**values, "requested_authority": "IN-NOWHERE"},
                          content_type="application/json")  # fmt: skip
    assert unknown.status_code == 400 and "not a known authority" in unknown.json()["errors"]["requested_authority"][0]
    assert not MlaRequest.objects.exists()
    created = client.post(reverse("api:mla-request-list"), values, content_type="application/json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "drafted" and body["history"][0]["to_status"] == "drafted"
    sent = client.post(reverse("api:mla-request-send", args=[body["id"]]))
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    again = client.post(reverse("api:mla-request-move", args=[body["id"]]), {"status": "executed"},
                        content_type="application/json")  # fmt: skip
    assert again.status_code == 400
    assert client.get(reverse("api:mla-request-detail", args=[body["id"]])).json()["status"] == "sent"


def test_the_dashboard_counts_open_requests_by_status_and_age_and_lists_overdue_deadlines(
    india, np_focal_point, np_prosecutor, draft
):  # fmt: skip
    _receive(india, "mla.request", _incoming_payload())
    incoming = MlaRequest.objects.get(direction="incoming")
    MlaRequest.objects.filter(pk=incoming.pk).update(received_on=timezone.localdate() - dt.timedelta(days=100))
    Deadline.objects.filter(request=incoming, rule="np-preliminary-study").update(
        due_on=timezone.localdate() - dt.timedelta(days=1))  # fmt: skip
    reminder_sweep()
    data = _client(np_focal_point).get(reverse("api:mla-dashboard")).json()
    assert data["open"] == 2 and data["by_status"]["drafted"] == 1 and data["by_status"]["received"] == 1
    ages = {row["days"]: row for row in data["by_age"]}
    assert ages["< 30"]["outgoing"] == 1 and ages["90–180"]["incoming"] == 1
    assert [row["rule"] for row in data["overdue"]] == ["np-preliminary-study"]
    page = _client(np_focal_point).get(reverse("mla:dashboard")).content.decode()
    assert "Reminders for you" in page and incoming.number in page
    client = _client(np_focal_point)
    assert client.post(reverse("mla:notices_read")).status_code == 302
    assert "Reminders for you" not in client.get(reverse("mla:dashboard")).content.decode()
    assert AuditEvent.objects.filter(action="mla.notices_read", actor_id=np_focal_point.pk).exists()
    # The prosecutor sees her own draft only.
    mine = _client(np_prosecutor).get(reverse("api:mla-dashboard")).json()
    assert mine["open"] == 1 and mine["overdue"] == []


def test_the_list_and_dashboard_cost_the_same_queries_however_many_requests(np_focal_point, np_prosecutor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(np_focal_point)

    def cost(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    services.request_draft(actor=np_prosecutor, **draft_values())
    few = (cost(reverse("mla:request_list")), cost(reverse("api:mla-request-list")), cost(reverse("mla:dashboard")))
    for _ in range(5):
        services.request_draft(actor=np_prosecutor, **draft_values())
    many = (cost(reverse("mla:request_list")), cost(reverse("api:mla-request-list")), cost(reverse("mla:dashboard")))
    assert few == many


def test_a_draft_is_changed_on_the_page_and_through_the_api(np_prosecutor, draft):
    client = _client(np_prosecutor)
    url = reverse("mla:request_edit", args=[draft.public_id])
    page = client.get(url)
    assert page.status_code == 200 and draft.subject in page.content.decode()
    form = {"requesting_authority": "NP-DAO-MORANG", "requested_authority": "IN-MHA-IS2", "types": ["records"],
            "legal_basis": "letter_rogatory", "subject": "Hotel registers", "summary": "Registers of the hotel.",
            "urgency": "urgent", "language": "ne", "letter_date": draft.letter_date.isoformat()}  # fmt: skip
    assert client.post(url, form).status_code == 302
    draft.refresh_from_db()
    assert (draft.subject, draft.types, draft.legal_basis, draft.urgency) == ("Hotel registers", ["records"],
                                                                              "letter_rogatory", "urgent")  # fmt: skip
    api = reverse("api:mla-request-detail", args=[draft.public_id])
    bad = client.patch(api, {"legal_basis": "agreement_2026"}, content_type="application/json")
    assert bad.status_code == 400 and "legal_basis" in bad.json()["errors"]
    good = client.patch(api, {"subject": "Hotel registers, 2024"}, content_type="application/json")
    assert good.status_code == 200 and good.json()["subject"] == "Hotel registers, 2024"
