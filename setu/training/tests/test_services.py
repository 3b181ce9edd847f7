"""The training services: what they write, what they refuse (nothing changed), and their audit rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from setu.accounts.policy import NotFoundOrForbidden
from setu.audit.models import AuditEvent
from setu.training import selectors, services
from setu.training.models import (
    CODE_ALPHABET,
    Attendance,
    Certificate,
    Participant,
    ParticipantKind,
    Programme,
    Session,
    TopicArea,
    format_code,
    normalise_code,
)
from setu.training.tests.factories import at, make_participant, make_programme, make_sessions

pytestmark = pytest.mark.django_db


def last_event(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("seq")


# --- programmes ----------------------------------------------------------------------------------------------


def test_trainer_creates_a_programme_of_her_academy_and_it_is_audited(np_trainer, np_academy):
    programme = make_programme(actor=np_trainer, topics=[TopicArea.MLA, TopicArea.BORDER_MONITORING, "mla"])
    assert programme.organiser == np_academy
    assert programme.topics == [TopicArea.BORDER_MONITORING, TopicArea.MLA]  # the list's order, once each
    assert programme.trainer_names == ["DSP Nirmala Gurung", "Inspector Rajendra Karki"]
    event = last_event("training.programme_create")
    assert event.object_id == str(programme.public_id) and event.actor_username == "np_trainer"
    assert {"organiser", "title", "topics", "starts_on", "ends_on", "place"} <= set(event.fields)


def test_last_day_before_first_day_is_refused_and_nothing_is_saved(np_trainer):
    day = dt.date(2026, 5, 10)
    with pytest.raises(ValidationError) as refused:
        make_programme(actor=np_trainer, starts_on=day, ends_on=day - dt.timedelta(days=1))
    assert "The last day cannot be before the first day." in refused.value.message_dict["ends_on"]
    assert not Programme.objects.exists()
    assert not AuditEvent.objects.filter(action="training.programme_create").exists()


def test_no_topic_and_an_unknown_topic_are_refused(np_trainer):
    with pytest.raises(ValidationError) as none:
        make_programme(actor=np_trainer, topics=[])
    assert "Choose at least one topic area." in none.value.message_dict["topics"]
    with pytest.raises(ValidationError) as unknown:
        make_programme(actor=np_trainer, topics=["karate"])
    assert "Choose the topic areas from the list." in unknown.value.message_dict["topics"]
    assert not Programme.objects.exists()


def test_nominations_due_after_the_first_day_are_refused(np_trainer):
    day = dt.date(2026, 5, 10)
    with pytest.raises(ValidationError) as refused:
        make_programme(actor=np_trainer, starts_on=day, reply_by=day + dt.timedelta(days=1))
    assert "reply_by" in refused.value.message_dict


def test_update_names_the_fields_changed(np_trainer, programme):
    services.programme_update(actor=np_trainer, programme=programme, place="Itahari, Sunsari", title=programme.title)
    programme.refresh_from_db()
    assert programme.place == "Itahari, Sunsari"
    assert last_event("training.programme_update").fields == ["place"]


def test_update_with_dates_out_of_order_changes_nothing(np_trainer, programme):
    before = programme.ends_on
    with pytest.raises(ValidationError):
        services.programme_update(actor=np_trainer, programme=programme, ends_on=programme.starts_on - dt.timedelta(1))
    programme.refresh_from_db()
    assert programme.ends_on == before
    assert not AuditEvent.objects.filter(action="training.programme_update").exists()


def test_trainer_of_another_organisation_cannot_edit(np_other_trainer, programme):
    with pytest.raises(NotFoundOrForbidden):
        services.programme_update(actor=np_other_trainer, programme=programme, place="Elsewhere")
    programme.refresh_from_db()
    assert programme.place == "Biratnagar, Morang"
    denied = AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED, actor_username="np_other_trainer")
    assert denied.filter(object_id=str(programme.public_id)).exists()


def test_caseworker_cannot_create_a_programme(np_caseworker):
    with pytest.raises(NotFoundOrForbidden):
        make_programme(actor=np_caseworker)
    assert not Programme.objects.exists()


# --- sessions ------------------------------------------------------------------------------------------------


def test_session_is_added_and_audited(np_trainer, programme):
    [session] = make_sessions(actor=np_trainer, programme=programme, count=1)
    assert session.programme == programme
    event = last_event("training.session_add")
    assert event.object_id == str(session.public_id)
    assert set(event.fields) == {"title", "starts_at", "ends_at", "topic"}


def test_session_ending_before_it_starts_is_refused(np_trainer, programme):
    with pytest.raises(ValidationError) as refused:
        services.session_add(actor=np_trainer, programme=programme, title="Back to front", topic=TopicArea.MLA,
                             starts_at=at(programme.starts_on, 11), ends_at=at(programme.starts_on, 10))  # fmt: skip
    assert "The session must end after it starts." in refused.value.message_dict["ends_at"]
    assert not Session.objects.exists()


def test_session_outside_the_programmes_days_is_refused(np_trainer, programme):
    with pytest.raises(ValidationError) as refused:
        services.session_add(actor=np_trainer, programme=programme, title="Too late", topic=TopicArea.MLA,
                             starts_at=at(programme.ends_on + dt.timedelta(days=1), 9),
                             ends_at=at(programme.ends_on + dt.timedelta(days=1), 10))  # fmt: skip
    assert "starts_at" in refused.value.message_dict
    assert not Session.objects.exists()


# --- participants, attendance, scores ------------------------------------------------------------------------


def test_participants_from_this_node_the_other_and_a_guest(np_trainer, programme, np_attorney):
    ours = make_participant(actor=np_trainer, programme=programme, organisation=np_attorney, name="Sarita Bhandari")
    theirs = make_participant(actor=np_trainer, programme=programme, name="सुनीता कुमारी")
    guest = make_participant(actor=np_trainer, programme=programme, name="Anjali Thapa", kind=ParticipantKind.EXTERNAL,
                             organisation_name="IOM Nepal")  # fmt: skip
    assert (ours.node, ours.organisation_label) == ("NP", np_attorney.name)
    assert (theirs.node, theirs.organisation_label, theirs.kind) == ("IN", "AHTU Araria", ParticipantKind.OTHER_NODE)
    assert (guest.node, guest.organisation_label) == ("NP", "IOM Nepal")
    event = last_event("training.participant_add")
    assert event.object_id == str(guest.public_id) and "name" in event.fields


def test_participant_without_an_organisation_is_refused(np_trainer, programme):
    with pytest.raises(ValidationError) as refused:
        services.participant_add(actor=np_trainer, programme=programme, name="Someone", sex="Feminine",
                                 designation="Inspector", kind=ParticipantKind.ORGANISATION)  # fmt: skip
    assert "organisation" in refused.value.message_dict
    with pytest.raises(ValidationError) as guest:
        services.participant_add(actor=np_trainer, programme=programme, name="Someone", sex="Feminine",
                                 designation="Inspector", kind=ParticipantKind.EXTERNAL)  # fmt: skip
    assert "organisation_name" in guest.value.message_dict
    assert not Participant.objects.exists()


def test_attendance_marks_present_and_absent_and_is_audited(np_trainer, programme, np_attorney):
    [session] = make_sessions(actor=np_trainer, programme=programme, count=1)
    sita = make_participant(actor=np_trainer, programme=programme, organisation=np_attorney)
    ram = make_participant(actor=np_trainer, programme=programme, name="Ram Thapa")
    assert services.attendance_mark(actor=np_trainer, session=session, present=[sita]) == 1
    assert dict(Attendance.objects.values_list("participant_id", "present")) == {sita.pk: True, ram.pk: False}
    event = last_event("training.attendance_mark")
    assert event.object_id == str(session.public_id) and event.fields == ["present"]


def test_attendance_for_someone_of_another_programme_is_refused(np_trainer, programme, np_academy):
    other = make_programme(actor=np_trainer, title="Another")
    stranger = make_participant(actor=np_trainer, programme=other)
    [session] = make_sessions(actor=np_trainer, programme=programme, count=1)
    with pytest.raises(ValidationError):
        services.attendance_mark(actor=np_trainer, session=session, present=[stranger])
    assert not Attendance.objects.exists()


def test_scores_show_the_change_and_are_audited(np_trainer, programme):
    sita = make_participant(actor=np_trainer, programme=programme)
    services.scores_record(actor=np_trainer, participant=sita, pre_score=45, post_score=80)
    sita.refresh_from_db()
    assert (sita.pre_score, sita.post_score, sita.score_change) == (45, 80, 35)
    assert last_event("training.scores_record").fields == ["post_score", "pre_score"]


@pytest.mark.parametrize("pre, post", [(-1, 50), (50, 101), ("ninety", 50), (True, 50)])
def test_scores_out_of_range_are_refused_and_nothing_changes(np_trainer, programme, pre, post):
    sita = make_participant(actor=np_trainer, programme=programme)
    ram = make_participant(actor=np_trainer, programme=programme, name="Ram Thapa")
    with pytest.raises(ValidationError) as refused:
        services.scores_record_many(actor=np_trainer, programme=programme, scores={ram: (40, 60), sita: (pre, post)})
    assert any(key.endswith(str(sita.public_id)) for key in refused.value.message_dict)
    assert not Participant.objects.filter(pre_score__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="training.scores_record").exists()


# --- certificates --------------------------------------------------------------------------------------------


def _attend(actor, sessions, participant, count):
    for session in sessions[:count]:
        present = set(session.attendance.filter(present=True).values_list("participant_id", flat=True))
        others = list(Participant.objects.filter(pk__in=present))
        services.attendance_mark(actor=actor, session=session, present=[*others, participant])


def test_certificate_for_someone_who_completed(np_trainer, programme):
    sessions = make_sessions(actor=np_trainer, programme=programme, count=4)
    sita = make_participant(actor=np_trainer, programme=programme)
    _attend(np_trainer, sessions, sita, 3)  # three of four: three quarters
    certificate = services.certificate_issue(actor=np_trainer, participant=sita)
    assert len(certificate.code) == 12 and set(certificate.code) <= set(CODE_ALPHABET)
    assert certificate.is_valid
    event = last_event("training.certificate_issue")
    assert event.object_id == str(certificate.public_id) and event.fields == ["code", "participant"]


def test_certificate_for_someone_who_did_not_attend_is_refused(np_trainer, programme):
    sessions = make_sessions(actor=np_trainer, programme=programme, count=4)
    sita = make_participant(actor=np_trainer, programme=programme)
    _attend(np_trainer, sessions, sita, 2)
    with pytest.raises(ValidationError) as refused:
        services.certificate_issue(actor=np_trainer, participant=sita)
    assert "attended 2 of 4 sessions, 3 needed" in refused.value.messages[0]
    assert not Certificate.objects.exists()
    assert not AuditEvent.objects.filter(action="training.certificate_issue").exists()


def test_a_second_certificate_is_refused(np_trainer, programme):
    sessions = make_sessions(actor=np_trainer, programme=programme, count=1)
    sita = make_participant(actor=np_trainer, programme=programme)
    _attend(np_trainer, sessions, sita, 1)
    services.certificate_issue(actor=np_trainer, participant=sita)
    with pytest.raises(ValidationError):
        services.certificate_issue(actor=np_trainer, participant=sita)
    assert Certificate.objects.count() == 1


def test_issue_all_gives_certificates_only_to_those_who_completed(np_trainer, programme):
    sessions = make_sessions(actor=np_trainer, programme=programme, count=2)
    sita = make_participant(actor=np_trainer, programme=programme)
    ram = make_participant(actor=np_trainer, programme=programme, name="Ram Thapa")
    _attend(np_trainer, sessions, sita, 2)
    _attend(np_trainer, sessions, ram, 1)
    issued = services.certificates_issue_all(actor=np_trainer, programme=programme)
    assert [c.participant_id for c in issued] == [sita.pk]


def test_revoke_needs_a_reason_then_the_public_check_says_revoked(np_trainer, programme):
    sessions = make_sessions(actor=np_trainer, programme=programme, count=1)
    sita = make_participant(actor=np_trainer, programme=programme)
    _attend(np_trainer, sessions, sita, 1)
    certificate = services.certificate_issue(actor=np_trainer, participant=sita)
    with pytest.raises(ValidationError) as refused:
        services.certificate_revoke(actor=np_trainer, certificate=certificate, reason="  ")
    assert "reason" in refused.value.message_dict
    assert selectors.certificate_verify(certificate.code).valid
    services.certificate_revoke(actor=np_trainer, certificate=certificate, reason="Issued to the wrong person")
    assert not selectors.certificate_verify(certificate.code).valid
    assert set(last_event("training.certificate_revoke").fields) == {"revoked_at", "revoke_reason"}


def test_trainer_of_another_organisation_cannot_issue_or_revoke(np_trainer, np_other_trainer, programme):
    sessions = make_sessions(actor=np_trainer, programme=programme, count=1)
    sita = make_participant(actor=np_trainer, programme=programme)
    _attend(np_trainer, sessions, sita, 1)
    with pytest.raises(NotFoundOrForbidden):
        services.certificate_issue(actor=np_other_trainer, participant=sita)
    certificate = services.certificate_issue(actor=np_trainer, participant=sita)
    with pytest.raises(NotFoundOrForbidden):
        services.certificate_revoke(actor=np_other_trainer, certificate=certificate, reason="No")
    certificate.refresh_from_db()
    assert certificate.is_valid


# --- codes ---------------------------------------------------------------------------------------------------


def test_codes_are_read_as_people_type_them():
    assert normalise_code("abcd-efgh-jk01") == "ABCDEFGHJK01"
    assert normalise_code(" ABCD EFGH JKO1 ") == "ABCDEFGHJK01"  # O read as 0
    assert normalise_code("ABCDEFGHJKI1") == "ABCDEFGHJK11"  # I read as 1
    assert normalise_code("ABCDEFGHJKU1") is None  # U is not in the alphabet
    assert normalise_code("ABCD") is None
    assert normalise_code("") is None
    assert format_code("ABCDEFGHJK01") == "ABCD-EFGH-JK01"


def test_unknown_and_malformed_codes_verify_as_nothing(np_trainer, programme):
    assert selectors.certificate_verify("ZZZZ-ZZZZ-ZZZZ") is None
    assert selectors.certificate_verify("'; drop table --") is None
