"""The services: drafting, sending, moves, documents, with their audit rows; bad input refused with clear
messages and nothing changed; receiving from the other node (a fake peer holding IN's keys)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from setu.accounts.policy import NotFoundOrForbidden
from setu.audit.models import AuditEvent
from setu.exchange.envelope import stored_claims
from setu.exchange.inbox import receive
from setu.exchange.models import OutboxMessage
from setu.mla import services
from setu.mla.models import MlaDocument, MlaRequest, StatusChange
from setu.mla.tests.conftest import draft_values

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _audited(action: str, request: MlaRequest) -> AuditEvent:
    return AuditEvent.objects.filter(action=action, object_id=str(request.public_id), outcome="allowed").get()


def test_a_prosecutor_drafts_a_request_for_her_office_numbered_and_audited(np_prosecutor, np_attorney, prosecution):
    mla = services.request_draft(actor=np_prosecutor, prosecution=prosecution, **draft_values())
    year = timezone.localdate().year
    assert mla.number == f"NP-MLA-{year}-000001"
    assert (mla.direction, mla.status, mla.organisation, mla.requested_state) == ("outgoing", "drafted", np_attorney,
                                                                                  "IN")  # fmt: skip
    assert mla.prosecution_refs["police_case_number"] == "FIR 112/2083"
    assert list(mla.history.values_list("from_status", "to_status")) == [("", "drafted")]
    event = _audited("mla.request_draft", mla)
    assert event.actor_id == np_prosecutor.pk and "types" in event.fields and "summary" in event.fields
    second = services.request_draft(actor=np_prosecutor, **draft_values())
    assert second.number == f"NP-MLA-{year}-000002" and second.prosecution is None


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"requested_authority": "IN-NOWHERE"}, "requested_authority", "is not a known authority"),
        ({"requested_authority": "NP-MOLJPA"}, "requested_authority", "is not an authority of India"),
        ({"requesting_authority": "IN-CBI"}, "requesting_authority", "is not an authority of Nepal"),
        ({"legal_basis": "agreement_2026"}, "legal_basis", "Use reciprocity or a letter rogatory"),
        ({"types": []}, "types", "at least one kind"),
        ({"letter_date": timezone.localdate() + dt.timedelta(days=1)}, "letter_date", "in the future"),
        ({"respond_by": timezone.localdate() - dt.timedelta(days=30)}, "respond_by", "comes before the letter"),
        ({"subject": "  "}, "subject", "subject"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(np_prosecutor, changes, field, words):
    with pytest.raises(ValidationError) as caught:
        services.request_draft(actor=np_prosecutor, **draft_values(**changes))
    assert words in " ".join(caught.value.message_dict[field])
    assert not MlaRequest.objects.exists() and not StatusChange.objects.exists()
    assert not AuditEvent.objects.filter(action="mla.request_draft").exists()


def test_the_agreement_is_a_basis_once_it_is_in_force(np_prosecutor, settings):
    settings.SETU_MLA_AGREEMENT_IN_FORCE_ON = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    mla = services.request_draft(actor=np_prosecutor, **draft_values(legal_basis="agreement_2026"))
    assert mla.legal_basis == "agreement_2026"


def test_a_request_to_nepal_in_english_must_say_why(settings, np_focal_point):
    settings.SETU_NODE = "IN"
    values = draft_values(requesting_authority="IN-AHTU-ARARIA", requested_authority="NP-MOLJPA")
    with pytest.raises(ValidationError) as caught:
        services.request_draft(actor=np_focal_point, **values)
    assert "say why it is not in Nepali" in caught.value.message_dict["language_reason"][0]
    with pytest.raises(ValidationError) as caught:
        services.request_draft(actor=np_focal_point, **{**values, "language": "hi"})
    assert "Nepali, or in English" in caught.value.message_dict["language"][0]
    mla = services.request_draft(actor=np_focal_point, **{**values, "language_reason": "Drafted by an English court"})
    assert mla.number.startswith("IN-MLA-")


def test_those_without_mla_manage_cannot_draft(np_caseworker):
    with pytest.raises(NotFoundOrForbidden):
        services.request_draft(actor=np_caseworker, **draft_values())
    assert AuditEvent.objects.filter(actor_id=np_caseworker.pk, outcome=AuditEvent.Outcome.DENIED).exists()


def test_a_prosecution_of_another_office_and_district_cannot_be_linked(np_parsa_prosecutor, prosecution):
    with pytest.raises(NotFoundOrForbidden):
        services.request_draft(actor=np_parsa_prosecutor, prosecution=prosecution, **draft_values(
            requesting_authority="NP-DAO-PARSA"))  # fmt: skip
    assert not MlaRequest.objects.exists()


def test_sending_queues_the_request_and_moves_it_to_sent_in_one_transaction(india, np_prosecutor, draft):
    services.document_add(actor=np_prosecutor, request=draft, kind="letter_of_request", title="Letter",
                          upload=io.BytesIO(PDF))  # fmt: skip
    sent = services.request_send(actor=np_prosecutor, request=draft)
    assert sent.status == "sent" and sent.sent_on == timezone.localdate()
    message = OutboxMessage.objects.get(type="mla.request")
    assert sent.message == message and message.peer.code == "IN"
    claims = stored_claims(message.token)
    payload = claims["payload"]
    assert payload["request_ref"] == str(draft.exchange_ref) and payload["requested_authority"] == "IN-MHA-IS2"
    assert payload["prosecution"]["number"] == "NP-PRS-2026-000001"
    assert payload["summary"].startswith("Two girls")  # under the request's legal basis
    assert "reciprocity" in claims["legal_basis"]
    [listed] = payload["documents"]
    assert listed["sha256"] == MlaDocument.objects.get().sha256 and "content" not in listed
    assert sorted(_audited("mla.request_send", sent).fields) == ["message", "sent_on", "status"]
    assert set(sent.deadlines.values_list("rule", flat=True)) == {"answer-expected"}


def test_without_the_other_node_registered_nothing_is_sent(np_prosecutor, draft):
    with pytest.raises(ValidationError) as caught:
        services.request_send(actor=np_prosecutor, request=draft)
    assert "not registered" in " ".join(caught.value.messages)
    draft.refresh_from_db()
    assert draft.status == "drafted" and not OutboxMessage.objects.exists()


def test_a_request_is_sent_once(india, np_prosecutor, draft):
    services.request_send(actor=np_prosecutor, request=draft)
    with pytest.raises(ValidationError) as caught:
        services.request_send(actor=np_prosecutor, request=draft)
    assert "cannot become" in " ".join(caught.value.messages)
    assert OutboxMessage.objects.count() == 1


def test_another_office_cannot_send_or_move_the_request(india, np_parsa_prosecutor, np_caseworker, draft):
    for actor in (np_parsa_prosecutor, np_caseworker):
        with pytest.raises(NotFoundOrForbidden):
            services.request_send(actor=actor, request=draft)
        with pytest.raises(NotFoundOrForbidden):
            services.request_move(actor=actor, request=draft, status="closed")
    draft.refresh_from_db()
    assert draft.status == "drafted"


def test_a_person_here_cannot_record_the_other_countrys_answer(india, np_prosecutor, draft):
    services.request_send(actor=np_prosecutor, request=draft)
    with pytest.raises(ValidationError) as caught:
        services.request_move(actor=np_prosecutor, request=draft, status="executed")
    assert "cannot become" in caught.value.message_dict["status"][0]


# --- incoming requests -------------------------------------------------------------------------------------------


def _incoming_payload(**overrides) -> dict:
    payload = {
        "request_ref": "7b0e1c1e-6a55-4b8e-9d61-8b0b1bd1a001", "number": "IN-MLA-2026-000004",
        "requesting_state": "IN", "requesting_authority": "IN-COURT-ARARIA", "requested_state": "NP",
        "requested_authority": "NP-MOLJPA", "types": ["service_of_documents"], "legal_basis": "reciprocity",
        "subject": "Summons to a witness in Biratnagar", "summary": "Serve the summons on the witness.",
        "language": "en", "language_reason": "The court writes in English", "women_children": True,
        "letter_date": (timezone.localdate() - dt.timedelta(days=5)).isoformat(),
        "prosecution": {"number": "Sessions Case 41/2026", "court": "District and Sessions Court, Araria"},
        "documents": [{"kind": "summons", "title": "Summons", "sha256": "a" * 64, "size": 1200}],
    }  # fmt: skip
    payload.update(overrides)
    return payload


def _receive(india, type_name: str, payload: dict):
    token, _claims = india.message(type_name, payload, legal_basis="mutual legal assistance on reciprocity")
    return receive(token)


def test_an_incoming_request_arrives_received_for_the_central_authority(india, np_focal_point, np_prosecutor):
    reply = _receive(india, "mla.request", _incoming_payload())
    assert reply.status == 200, reply.error
    mla = MlaRequest.objects.get(direction="incoming")
    assert (mla.status, mla.organisation, mla.peer_number) == ("received", None, "IN-MLA-2026-000004")
    assert mla.documents.get().from_peer == "IN" and not mla.documents.get().file
    assert set(mla.deadlines.values_list("rule", flat=True)) == {"np-preliminary-study", "answer-target"}
    study = mla.deadlines.get(rule="np-preliminary-study")
    assert study.statutory and study.due_on == timezone.localdate() + dt.timedelta(days=15)
    [back] = OutboxMessage.objects.filter(type="mla.status")
    assert stored_claims(back.token)["payload"]["status"] == "received"
    assert AuditEvent.objects.filter(action="mla.request_receive", object_id=str(mla.public_id)).exists()
    # The central authority acts on it; the prosecutor's office does not see it.
    assert services.may_manage(np_focal_point, mla) and not services.may_manage(np_prosecutor, mla)
    # A repeat of the same reference is refused (stored with a receipt that says why), nothing doubled.
    token, _ = india.message("mla.request", _incoming_payload())
    assert receive(token).status == 422 and MlaRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"requested_authority": "NP-NOWHERE"}, "unknown authority"),
        ({"requesting_authority": "NP-OAG"}, "unknown authority"),
        ({"respond_by": "2020-01-01"}, "dates out of order"),
    ],
)
def test_an_incoming_request_naming_an_unknown_authority_is_refused(india, changes, words):
    reply = _receive(india, "mla.request", _incoming_payload(**changes))
    assert reply.status == 422 and not MlaRequest.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_central_authority_studies_and_answers_and_the_answer_travels(india, np_focal_point):
    _receive(india, "mla.request", _incoming_payload())
    mla = MlaRequest.objects.get()
    services.request_move(actor=np_focal_point, request=mla, status="under_study")
    assert mla.deadlines.get(rule="np-preliminary-study").met_at is not None
    with pytest.raises(ValidationError) as caught:
        services.request_move(actor=np_focal_point, request=mla, status="refused", reason="")
    assert "Give the reason" in caught.value.message_dict["reason"][0]
    mla.refresh_from_db()
    assert mla.status == "under_study"
    services.request_move(actor=np_focal_point, request=mla, status="refused",
                          reason="The offence is punishable by less than one year (MLA Act 2070).")  # fmt: skip
    response = OutboxMessage.objects.get(type="mla.response")
    payload = stored_claims(response.token)["payload"]
    assert payload["outcome"] == "refused" and "less than one year" in payload["reason"]
    assert _audited_moves(mla) == 2
    assert list(mla.history.values_list("to_status", flat=True)) == ["received", "under_study", "refused"]


def _audited_moves(mla: MlaRequest) -> int:
    return AuditEvent.objects.filter(action="mla.request_move", object_id=str(mla.public_id)).count()


def test_a_move_dated_before_the_last_one_is_refused(india, np_focal_point):
    _receive(india, "mla.request", _incoming_payload())
    mla = MlaRequest.objects.get()
    with pytest.raises(ValidationError) as caught:
        services.request_move(actor=np_focal_point, request=mla, status="under_study",
                              on=timezone.localdate() - dt.timedelta(days=3))  # fmt: skip
    assert "out of order" in caught.value.message_dict["on"][0]
    with pytest.raises(ValidationError):
        services.request_move(actor=np_focal_point, request=mla, status="under_study",
                              on=timezone.localdate() + dt.timedelta(days=1))  # fmt: skip
    mla.refresh_from_db()
    assert mla.status == "received" and _audited_moves(mla) == 0


def test_the_other_nodes_reports_move_our_request_forward(india, np_prosecutor, draft):
    services.request_send(actor=np_prosecutor, request=draft)
    ref = str(draft.exchange_ref)
    now = timezone.now().isoformat()
    assert _receive(india, "mla.status", {"request_ref": ref, "status": "under_study", "at": now}).status == 200
    draft.refresh_from_db()
    assert draft.status == "under_study"
    answer = {"request_ref": ref, "outcome": "executed", "at": now, "number": "IN-MLA-2026-000009",
              "documents": [{"kind": "execution_report", "title": "Statement", "sha256": "b" * 64}]}  # fmt: skip
    assert _receive(india, "mla.response", answer).status == 200
    # A late "received" changes nothing.
    assert _receive(india, "mla.status", {"request_ref": ref, "status": "received", "at": now}).status == 200
    draft.refresh_from_db()
    assert (draft.status, draft.peer_number) == ("executed", "IN-MLA-2026-000009")
    assert draft.history.filter(from_peer="IN").count() == 2
    assert draft.documents.filter(from_peer="IN", kind="execution_report").exists()
    assert draft.deadlines.get(rule="answer-expected").met_at is not None
    services.request_move(actor=np_prosecutor, request=draft, status="closed")
    draft.refresh_from_db()
    assert draft.status == "closed"


def test_a_report_about_a_request_never_sent_is_refused(india):
    reply = _receive(india, "mla.status", {"request_ref": "7b0e1c1e-6a55-4b8e-9d61-8b0b1bd1a0ff",
                                           "status": "received", "at": timezone.now().isoformat()})  # fmt: skip
    assert reply.status == 422


# --- documents ---------------------------------------------------------------------------------------------------


def test_documents_are_checked_by_their_bytes(np_prosecutor, draft):
    with pytest.raises(ValidationError) as caught:
        services.document_add(actor=np_prosecutor, request=draft, kind="evidence", upload=io.BytesIO(b"MZ\x90 exe"))
    assert "PDF" in caught.value.message_dict["file"][0]
    document = services.document_add(actor=np_prosecutor, request=draft, kind="evidence", upload=io.BytesIO(PDF))
    assert document.content_type == "application/pdf" and len(document.sha256) == 64
    assert AuditEvent.objects.filter(action="mla.document_add").count() == 1


def test_a_draft_is_changed_with_the_same_rules_and_only_while_a_draft(india, np_prosecutor, np_parsa_prosecutor,
                                                                        draft):  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.request_update(actor=np_prosecutor, request=draft, requested_authority="IN-NOWHERE")
    assert "not a known authority" in caught.value.message_dict["requested_authority"][0]
    draft.refresh_from_db()
    assert draft.requested_authority == "IN-MHA-IS2"
    with pytest.raises(NotFoundOrForbidden):
        services.request_update(actor=np_parsa_prosecutor, request=draft, subject="Not yours")
    changed = services.request_update(actor=np_prosecutor, request=draft, subject="Statement of the hotel owner",
                                      prosecution=None)  # fmt: skip
    assert (changed.subject, changed.prosecution, changed.prosecution_refs) == ("Statement of the hotel owner", None,
                                                                                {})  # fmt: skip
    assert sorted(_audited("mla.request_update", changed).fields) == ["prosecution", "subject"]
    services.request_send(actor=np_prosecutor, request=changed)
    with pytest.raises(ValidationError) as caught:
        services.request_update(actor=np_prosecutor, request=changed, subject="Too late")
    assert "Only a draft" in caught.value.messages[0]
