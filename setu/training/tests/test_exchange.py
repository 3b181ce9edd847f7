"""The training messages on one node, against the in-process peer (India) of setu.exchange.tests.fixtures:
what leaves (minimal, schema-checked), what arrives and what it becomes. The two-node run is in
tests/exchange/test_training_two_nodes.py."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.exceptions import ValidationError

from setu.audit.models import AuditEvent
from setu.exchange.envelope import stored_claims
from setu.exchange.inbox import receive
from setu.exchange.models import OutboxMessage
from setu.training import exchange
from setu.training.models import Invitation, Nomination, ParticipantKind
from setu.training.tests.factories import make_participant, make_programme, make_sessions

pytestmark = pytest.mark.django_db


def _sent(message: OutboxMessage) -> dict:
    return stored_claims(message.token)


def test_invitation_carries_the_course_and_nobody(np_trainer, np_academy, india):
    programme = make_programme(actor=np_trainer, organiser=np_academy, seats=4, description="Three days")
    make_participant(actor=np_trainer, programme=programme, organisation=np_academy)
    message = exchange.programme_invite(actor=np_trainer, programme=programme)
    claims = _sent(message)
    assert claims["type"] == "training.invitation" and claims["to"] == "IN"
    payload = claims["payload"]
    assert payload["ref"] == str(programme.public_id) and payload["seats"] == 4
    assert payload["topics"] == ["border_monitoring", "information_sharing"]
    assert "सीता" not in json.dumps(payload, ensure_ascii=False)
    programme.refresh_from_db()
    assert programme.invitation == message
    assert AuditEvent.objects.filter(action="training.programme_invite", object_id=str(programme.public_id)).exists()
    with pytest.raises(ValidationError):
        exchange.programme_invite(actor=np_trainer, programme=programme)
    assert OutboxMessage.objects.filter(type="training.invitation").count() == 1


def test_invitation_without_a_peer_is_refused(np_trainer, np_academy):
    programme = make_programme(actor=np_trainer, organiser=np_academy)
    with pytest.raises(ValidationError) as refused:
        exchange.programme_invite(actor=np_trainer, programme=programme)
    assert "not registered" in refused.value.messages[0]
    assert not OutboxMessage.objects.exists()


def test_nominations_become_participants_of_the_other_country(np_trainer, np_academy, india):
    programme = make_programme(actor=np_trainer, organiser=np_academy)
    exchange.programme_invite(actor=np_trainer, programme=programme)
    ref = str(uuid.uuid4())
    nominee = {"ref": ref, "name": "सुनीता कुमारी", "sex": "Feminine", "designation": "Sub-Inspector",
               "organisation": "AHTU Araria"}  # fmt: skip
    token, _claims = india.message("training.nomination", {"ref": str(programme.public_id), "nominees": [nominee]})
    assert receive(token).status == 200
    [participant] = programme.participants.all()
    assert (participant.name, participant.node, participant.kind) == ("सुनीता कुमारी", "IN", ParticipantKind.OTHER_NODE)
    assert str(participant.remote_ref) == ref
    # The same nominee again adds no one.
    token, _claims = india.message("training.nomination", {"ref": str(programme.public_id), "nominees": [nominee]})
    receive(token)
    assert programme.participants.count() == 1


def test_nomination_for_a_programme_never_offered_is_refused(india):
    token, _claims = india.message(
        "training.nomination",
        {
            "ref": str(uuid.uuid4()),
            "nominees": [
                {"ref": str(uuid.uuid4()), "name": "X", "sex": "Feminine", "designation": "SI", "organisation": "Y"}
            ],
        },
    )
    assert receive(token).status == 422


def test_received_invitation_is_answered_with_nominations(np_trainer, np_academy, india):
    payload = {"ref": str(uuid.uuid4()), "title": "Repatriation protocols", "topics": ["repatriation", "mla"],
               "host_country": "IN", "place": "Rajgir", "starts_on": "2027-01-10", "ends_on": "2027-01-12",
               "seats": 2, "reply_by": "2026-12-30"}  # fmt: skip
    token, _claims = india.message("training.invitation", payload)
    assert receive(token).status == 200
    [invitation] = exchange.invitation_list_for(np_trainer, open_only=True)
    assert invitation.title == "Repatriation protocols" and invitation.seats == 2
    too_many = [{"name": f"Officer {n}", "sex": "Masculine", "designation": "SI", "organisation": np_academy}
                for n in range(3)]  # fmt: skip
    with pytest.raises(ValidationError):
        exchange.invitation_nominate(actor=np_trainer, invitation=invitation, nominees=too_many)
    assert not Nomination.objects.exists()
    [nomination] = exchange.invitation_nominate(
        actor=np_trainer,
        invitation=invitation,
        nominees=[
            {"name": "सीता तामाङ", "sex": "Feminine", "designation": "Police Inspector", "organisation": np_academy}
        ],
    )
    sent = _sent(OutboxMessage.objects.get(type="training.nomination"))
    assert sent["payload"]["nominees"] == [{"ref": str(nomination.public_id), "name": "सीता तामाङ",
                                            "sex": "Feminine", "designation": "Police Inspector",
                                            "organisation": np_academy.name_en}]  # fmt: skip
    status = _sent(OutboxMessage.objects.get(type="message.status"))["payload"]
    assert (status["event"], status["outcome"]) == ("acted", "nominated")
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.NOMINATED
    assert AuditEvent.objects.filter(action="training.invitation_nominate").exists()
    # The host's results come back onto the nomination.
    result = {"ref": payload["ref"], "results": [{"ref": str(nomination.public_id), "sessions_attended": 3,
                                                  "sessions_held": 3, "completed": True, "pre_score": 50,
                                                  "post_score": 85, "certificate_code": "ABCDEFGHJK01"}]}  # fmt: skip
    token, _claims = india.message("training.result", result)
    assert receive(token).status == 200
    nomination.refresh_from_db()
    assert (nomination.completed, nomination.score_change, nomination.certificate_code) == (True, 35, "ABCDEFGHJK01")


def test_decline_tells_the_host(np_trainer, india):
    payload = {"ref": str(uuid.uuid4()), "title": "MLA", "topics": ["mla"], "host_country": "IN",
               "place": "Patna", "starts_on": "2027-02-01", "ends_on": "2027-02-01"}  # fmt: skip
    token, _claims = india.message("training.invitation", payload)
    receive(token)
    invitation = Invitation.objects.get()
    exchange.invitation_decline(actor=np_trainer, invitation=invitation)
    status = _sent(OutboxMessage.objects.get(type="message.status"))["payload"]
    assert status["outcome"] == "declined"
    with pytest.raises(ValidationError):
        exchange.invitation_decline(actor=np_trainer, invitation=invitation)


def test_caseworker_sees_no_invitation_and_cannot_answer(np_caseworker, india):
    payload = {"ref": str(uuid.uuid4()), "title": "MLA", "topics": ["mla"], "host_country": "IN",
               "place": "Patna", "starts_on": "2027-02-01", "ends_on": "2027-02-01"}  # fmt: skip
    token, _claims = india.message("training.invitation", payload)
    receive(token)
    assert not exchange.invitation_list_for(np_caseworker).exists()
    from setu.accounts.policy import NotFoundOrForbidden

    with pytest.raises(NotFoundOrForbidden):
        exchange.invitation_decline(actor=np_caseworker, invitation=Invitation.objects.get())


def test_results_go_back_for_the_other_countrys_nominees_only(np_trainer, np_academy, india):
    programme = make_programme(actor=np_trainer, organiser=np_academy)
    exchange.programme_invite(actor=np_trainer, programme=programme)
    ref = str(uuid.uuid4())
    token, _claims = india.message("training.nomination", {"ref": str(programme.public_id), "nominees": [
        {"ref": ref, "name": "Amit Kumar", "sex": "Masculine", "designation": "Assistant Commandant",
         "organisation": "SSB Jogbani"}]})  # fmt: skip
    receive(token)
    make_participant(actor=np_trainer, programme=programme, organisation=np_academy)
    [session] = make_sessions(actor=np_trainer, programme=programme, count=1)
    from setu.training import services

    services.attendance_mark(actor=np_trainer, session=session, present=list(programme.participants.all()))
    message = exchange.results_send(actor=np_trainer, programme=programme)
    [result] = _sent(message)["payload"]["results"]
    assert result == {"ref": ref, "sessions_attended": 1, "sessions_held": 1, "completed": True}
