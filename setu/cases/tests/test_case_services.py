"""Case services: opening, SOP steps with reasons, decisions, consent, care, transfer, hold, sensitive notes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from setu.accounts import policy
from setu.accounts.tests.factories import make_user
from setu.audit.models import AuditEvent
from setu.cases import services
from setu.cases.models import Case, CaseEvent, SensitiveNote, StageRecord, Transfer
from setu.cases.tests.factories import CHECKLIST, legal_basis, open_case

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name="order.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def test_opening_a_case_numbers_it_and_starts_the_sop_clock(np_caseworker, morang):
    case = open_case(np_caseworker, district=morang, age=15)
    assert case.number.startswith("NP-") and case.number.endswith("000001")
    assert case.stage == "rescued" and case.is_minor
    assert case.sop_version.version == "1"
    assert StageRecord.objects.get(case=case).left_at is None
    assert AuditEvent.objects.filter(action="case.open", object_id=str(case.public_id)).exists()
    second = open_case(np_caseworker, district=morang, age=22)
    assert second.number.endswith("000002") and not second.is_minor


def test_a_child_goes_to_the_cwc_and_the_24_hour_statutory_clock_runs(np_caseworker, morang):
    rescued = timezone.now() - dt.timedelta(hours=3)
    case = open_case(np_caseworker, district=morang, age=15, identified_at=rescued)
    with pytest.raises(services.SopRefusalError) as refused:
        services.case_act(actor=np_caseworker, case=case, action="produce_before_magistrate", reason="x",
                          revision=case.revision)  # fmt: skip
    assert "minor" in " ".join(refused.value.reasons)
    case = services.case_act(actor=np_caseworker, case=case, action="produce_before_cwc", reason="Produced today",
                             revision=case.revision)  # fmt: skip
    assert case.stage == "cwc_production"
    assert case.due_at == rescued + dt.timedelta(hours=24)  # counted from rescue, not from entering the stage
    assert "first_production" in case.sop_events
    clock = services.case_clock(case)
    assert clock.kind == "statutory" and "JJ Act" in clock.law and not clock.overdue


def test_a_refused_step_changes_nothing_and_says_every_reason(np_caseworker, morang):
    case = open_case(np_caseworker, district=morang, age=15)
    case = services.case_act(actor=np_caseworker, case=case, action="produce_before_cwc", reason="ok",
                             revision=case.revision)  # fmt: skip
    before = (case.stage, case.revision, CaseEvent.objects.count())
    with pytest.raises(services.SopRefusalError) as refused:
        services.case_act(actor=np_caseworker, case=case, action="place_in_care", reason="ok", revision=case.revision)
    assert any("cwc_order" in r for r in refused.value.reasons)
    case.refresh_from_db()
    assert (case.stage, case.revision, CaseEvent.objects.count()) == before


@pytest.mark.parametrize("country", ["INDIA", "in", "I1", "ईन"])
def test_the_country_of_exploitation_is_a_two_letter_code(np_caseworker, morang, country):
    with pytest.raises(ValidationError) as refused:
        open_case(np_caseworker, district=morang, exploitation_country=country)
    assert "two-letter country code" in str(refused.value.message_dict["exploitation_country"])
    assert not Case.objects.exists()
    case = open_case(np_caseworker, district=morang, exploitation_country="AE")
    with pytest.raises(ValidationError, match="two-letter country code"):
        services.case_update(actor=np_caseworker, case=case, revision=case.revision, exploitation_country=country)
    assert Case.objects.get().exploitation_country == "AE"


def test_a_stale_form_gets_a_conflict_and_changes_nothing(np_caseworker, morang):
    case = open_case(np_caseworker, district=morang, age=15)
    stale = case.revision
    services.case_hold(actor=np_caseworker, case=case, reason="court date", revision=stale)
    services.case_resume(actor=np_caseworker, case=case, revision=stale + 1)
    with pytest.raises(services.CaseConflictError, match="Someone else changed"):
        services.case_act(actor=np_caseworker, case=case, action="produce_before_cwc", reason="ok", revision=stale)
    assert Case.objects.get(pk=case.pk).stage == "rescued"


def test_decisions_documents_and_consent_carry_a_child_to_verification(np_caseworker, morang, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = open_case(np_caseworker, district=morang, age=15, path="cross_border")
    case = services.case_act(actor=np_caseworker, case=case, action="produce_before_cwc", reason="ok",
                             revision=case.revision)  # fmt: skip
    services.document_add(actor=np_caseworker, case=case, doc_type="cwc_order", upload=_pdf())
    case.refresh_from_db()
    case = services.case_act(actor=np_caseworker, case=case, action="place_in_care", reason="CWC order",
                             revision=case.revision)  # fmt: skip
    with pytest.raises(services.SopRefusalError) as refused:
        services.case_act(actor=np_caseworker, case=case, action="request_verification", reason="x",
                          revision=case.revision)  # fmt: skip
    text = " ".join(refused.value.reasons)
    assert "victim_determination" in text and "age_assessment" in text and "sharing_with_other_country" in text
    for kind, extra in (
        ("victim_determination", {"decision_org_type": "Police"}),
        ("age_assessment", {"assessed_age": 15}),
    ):
        services.decision_record(actor=np_caseworker, case=case, kind=kind, favourable=True, outcome="confirmed",
                                 decider_name="Inspector Rai", decided_on=timezone.localdate(), basis="statement",
                                 survivor_view="agrees", **extra)  # fmt: skip
    legal_basis(np_caseworker, case, "sharing_with_other_country")
    case.refresh_from_db()
    assert case.trafficking_status == "ActualVictimOfTrafficking"
    case = services.case_act(actor=np_caseworker, case=case, action="request_verification", reason="to Nepal",
                             revision=case.revision)  # fmt: skip
    assert case.stage == "verification"


def test_an_unfavourable_decision_does_not_meet_the_requirement(np_caseworker, morang):
    case = open_case(np_caseworker, district=morang, age=25)
    services.decision_record(actor=np_caseworker, case=case, kind="victim_determination", favourable=False,
                             outcome="not a victim", decider_name="SP", decided_on=timezone.localdate(),
                             basis="interview", survivor_view="says she travelled freely",
                             decision_org_type="Police")  # fmt: skip
    case.refresh_from_db()
    assert case.trafficking_status == "NotAVictimOfTrafficking"
    assert "victim_determination" not in services.case_facts(case).decisions


def test_a_bilateral_stage_needs_the_other_countrys_reference(np_focal_point, np_caseworker, morang):
    case = open_case(np_caseworker, district=morang, age=25, path="cross_border")
    Case.objects.filter(pk=case.pk).update(stage="verification")
    case.refresh_from_db()
    with pytest.raises(services.SopRefusalError, match="other country"):
        services.case_act(actor=np_focal_point, case=case, action="verification_confirmed", reason="ok",
                          revision=case.revision)  # fmt: skip
    services.decision_record(actor=np_focal_point, case=case, kind="nationality_verification", favourable=True,
                             outcome="Nepali citizen", decider_name="Embassy of Nepal, New Delhi",
                             decided_on=timezone.localdate(), basis="citizenship certificate",
                             survivor_view="wants to go home")  # fmt: skip
    case.refresh_from_db()
    case = services.case_act(actor=np_focal_point, case=case, action="verification_confirmed", reason="confirmed",
                             counterpart_reference="Embassy letter 2083/44", revision=case.revision)  # fmt: skip
    assert case.stage == "repatriation_decision"
    assert case.stages.last().counterpart_reference == "Embassy letter 2083/44"


def test_care_needs_consent_and_withdrawal_stops_it(np_caseworker, morang):
    case = open_case(np_caseworker, district=morang, age=25)
    with pytest.raises(services.ConsentMissingError, match="Care and services"):
        services.assessment_add(actor=np_caseworker, case=case, kind="needs", assessed_on=timezone.localdate(),
                                summary="needs shelter")  # fmt: skip
    consent = services.consent_give(actor=np_caseworker, case=case, purpose="care", given_by="survivor",
                                    checklist=CHECKLIST, language="ne")  # fmt: skip
    services.assessment_add(actor=np_caseworker, case=case, kind="needs", assessed_on=timezone.localdate(),
                            summary="needs shelter")  # fmt: skip
    services.consent_withdraw(actor=np_caseworker, consent=consent, reason="she asked")
    with pytest.raises(services.ConsentMissingError):
        services.support_plan_add(actor=np_caseworker, case=case, plan_type="Health", objectives="x",
                                  starts_on=timezone.localdate())  # fmt: skip


def test_a_child_cannot_consent_alone(np_caseworker, morang):
    case = open_case(np_caseworker, district=morang, age=14)
    with pytest.raises(ValidationError) as refused:
        services.consent_give(actor=np_caseworker, case=case, purpose="care", given_by="survivor", checklist=CHECKLIST)
    assert "guardian" in str(refused.value)
    with pytest.raises(ValidationError):  # consent given needs the whole HTCDS checklist
        services.consent_give(actor=np_caseworker, case=case, purpose="care", given_by="guardian",
                              giver_name="Mother", checklist=CHECKLIST[:3])  # fmt: skip


def test_documents_are_checked_by_their_bytes(np_caseworker, morang, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = open_case(np_caseworker, district=morang)
    with pytest.raises(ValidationError, match="PDF"):
        services.document_add(
            actor=np_caseworker,
            case=case,
            doc_type="fir",
            upload=SimpleUploadedFile("fir.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
        )
    settings.SETU_UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="larger"):
        services.document_add(actor=np_caseworker, case=case, doc_type="fir", upload=_pdf())
    assert not list(tmp_path.rglob("*.pdf"))


def test_transfer_is_accepted_by_the_receiver(np_caseworker, np_other_org, np_parsa_org, morang):
    case = open_case(np_caseworker, district=morang)
    transfer = services.case_transfer_request(actor=np_caseworker, case=case, to_organisation=np_parsa_org,
                                              reason="closer to home", revision=case.revision)  # fmt: skip
    with pytest.raises(policy.NotFoundOrForbidden):  # the sender cannot accept on the receiver's behalf
        services.case_transfer_answer(actor=np_caseworker, transfer=transfer, accept=True)
    services.case_transfer_answer(actor=np_other_org, transfer=transfer, accept=True)
    case.refresh_from_db()
    assert case.organisation == np_parsa_org and case.owner == np_other_org
    assert Transfer.objects.get().state == "accepted"


def test_sensitive_notes_are_encrypted_and_only_the_team_reads_them(np_caseworker, np_transit_home, morang):
    case = open_case(np_caseworker, district=morang)
    services.sensitive_note_add(actor=np_caseworker, case=case, kind="testimony", text="She was sold in Mumbai.")
    stored = bytes(SensitiveNote.objects.get().ciphertext)
    assert b"Mumbai" not in stored
    [(note, text)] = services.sensitive_notes_read(actor=np_caseworker, case=case)
    assert text == "She was sold in Mumbai."
    colleague = make_user("colleague", "caseworker", np_transit_home)  # same organisation, not on the team
    with pytest.raises(policy.NotFoundOrForbidden):
        services.sensitive_notes_read(actor=colleague, case=case)
    manager = make_user("manager", "shelter_manager", np_transit_home)  # a supervisor
    assert services.sensitive_notes_read(actor=manager, case=case)[0][1] == "She was sold in Mumbai."
    assert AuditEvent.objects.filter(action="case.sensitive_read", outcome="allowed").count() == 2
    assert AuditEvent.objects.filter(action="case.sensitive_read", outcome="denied").count() == 1


def test_an_outsider_cannot_act_on_a_case(np_caseworker, np_other_org, morang):
    case = open_case(np_caseworker, district=morang)
    with pytest.raises(policy.NotFoundOrForbidden):
        services.case_act(actor=np_other_org, case=case, action="produce_before_cwc", reason="x", revision=None)
    assert AuditEvent.objects.filter(actor_id=np_other_org.pk, outcome="denied").exists()


def test_the_timeline_reads_in_the_readers_language(np_caseworker, morang):
    from django.utils import translation

    case = open_case(np_caseworker, district=morang, age=15)
    services.case_act(actor=np_caseworker, case=case, action="produce_before_cwc", reason="produced",
                      revision=case.revision)  # fmt: skip
    event = case.events.get(kind="stage")
    assert (
        event.summary
        == "Moved from “Rescued or intercepted” to “Produced before the Child Welfare Committee”: produced"
    )
    with translation.override("ne"):
        text = services.event_text(event)
    assert "उद्धार वा रोकिएको" in text and "बाल कल्याण समितिसमक्ष उपस्थित" in text and text.endswith("produced")
    with translation.override("hi"):
        assert "बाल कल्याण समिति के समक्ष प्रस्तुत" in services.event_text(event)
