"""Case pages: the list and its filters, the case page with its clock and next steps, every form's success and
refusal (400, nothing changed), the 409 of a stale form, documents as guarded downloads, sensitive notes,
transfers, my tasks and overdue cases."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.audit.models import AuditEvent
from setu.cases import services
from setu.cases.choices import BEST_INTEREST_QUESTIONS
from setu.cases.models import (
    Assessment,
    Case,
    CaseEvent,
    Consent,
    Decision,
    FollowUp,
    RelatedPerson,
    SensitiveNote,
    ServiceDelivery,
    SupportPlan,
    Task,
    TraffickingEvent,
    Transfer,
)
from setu.cases.tests.factories import CHECKLIST, legal_basis, load_v1, open_case
from setu.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


def _url(name: str, case, *args) -> str:
    return reverse(f"cases:{name}", args=[case.public_id, *args])


def _event_kinds(case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


@pytest.fixture
def child_case(np_caseworker, morang):
    """A 15-year-old rescued three hours ago, cared for by the Morang transit home."""
    survivor = PersonFactory(full_name="सीता तामाङ", organisation=np_caseworker.memberships.first().organisation,
                             location_district=morang, nationality="NP")  # fmt: skip
    return open_case(np_caseworker, district=morang, age=15, survivor=survivor,
                     identified_at=timezone.now() - dt.timedelta(hours=3))  # fmt: skip


@pytest.fixture
def adult_case(np_caseworker, morang):
    """A 24-year-old woman (a fixed name: the people search also finds similar spellings)."""
    survivor = PersonFactory(full_name="Maya Gurung", organisation=np_caseworker.memberships.first().organisation,
                             location_district=morang, nationality="NP")  # fmt: skip
    return open_case(np_caseworker, district=morang, age=24, survivor=survivor)


@pytest.fixture
def parsa_case(np_other_org, parsa):
    """A case of another organisation in another district: out of the Morang users' scope."""
    survivor = PersonFactory(full_name="Rita Yadav", organisation=np_other_org.memberships.first().organisation,
                             location_district=parsa, nationality="NP")  # fmt: skip
    return open_case(np_other_org, district=parsa, age=30, survivor=survivor)


@pytest.fixture
def np_prosecutor(np_police_org):
    """Sees the cases of Morang but does not work on them."""
    return make_user("np_prosecutor", "prosecutor", np_police_org)


def _act(client, case, action, reason="Produced today", revision=None, **extra):
    data = {"action": action, "reason": reason, "revision": case.revision if revision is None else revision, **extra}
    return client.post(_url("act", case), data)


# --- list and filters ----------------------------------------------------------------------------------------


def test_the_list_shows_the_cases_in_scope_with_stage_clock_and_child_badge(np_caseworker, child_case, parsa_case):
    response = _client(np_caseworker).get(reverse("cases:list"))
    body = _text(response)
    assert response.status_code == 200 and "<html" in body
    assert child_case.number in body and "सीता तामाङ" in body
    assert "Rescued or intercepted" in body and "Child" in body
    assert "Maiti Nepal Biratnagar Transit Home" in body and "Morang" in body
    assert parsa_case.number not in body and "Rita Yadav" not in body
    assert AuditEvent.objects.filter(action="case.search", actor_username="np_caseworker").exists()


def test_the_stage_name_is_in_the_users_language(np_caseworker, child_case):
    body = _text(_client(np_caseworker).get(reverse("cases:list"), headers={"Accept-Language": "ne"}))
    assert "उद्धार वा रोकिएको" in body


def test_htmx_gets_only_the_results_partial(np_caseworker, child_case):
    response = _client(np_caseworker).get(reverse("cases:list"), {"q": "sita"}, headers={"HX-Request": "true"})
    body = _text(response)
    assert "<html" not in body and "<table" in body and child_case.number in body
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("query", ["सीता", "sita tamang", "SITA"])
def test_search_finds_the_survivor_by_name_in_either_script(np_caseworker, child_case, adult_case, query):
    body = _text(_client(np_caseworker).get(reverse("cases:list"), {"q": query}))
    assert child_case.number in body and adult_case.number not in body


def test_search_finds_a_case_by_its_number(np_caseworker, child_case, adult_case):
    body = _text(_client(np_caseworker).get(reverse("cases:list"), {"q": adult_case.number}))
    assert adult_case.number in body and child_case.number not in body


def test_the_query_itself_is_not_written_to_the_audit_log(np_caseworker, child_case):
    _client(np_caseworker).get(reverse("cases:list"), {"q": "Sita"})
    event = AuditEvent.objects.filter(action="case.search").latest("seq")
    assert event.fields == ["q"] and "Sita" not in event.object_id


def test_each_filter_narrows_the_list(np_focal_point, np_caseworker, child_case, adult_case, parsa_case, parsa,
                                      np_parsa_org):  # fmt: skip
    services.case_act(actor=np_caseworker, case=child_case, action="produce_before_cwc", reason="ok",
                      revision=child_case.revision)  # fmt: skip
    services.case_hold(actor=np_caseworker, case=adult_case, reason="court date", revision=adult_case.revision)
    Case.objects.filter(pk=parsa_case.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    client = _client(np_focal_point)  # node-wide: sees all three

    def shown(**params) -> set[str]:
        body = _text(client.get(reverse("cases:list"), params))
        return {case.number for case in (child_case, adult_case, parsa_case) if case.number in body}

    everything = {child_case.number, adult_case.number, parsa_case.number}
    assert shown() == everything
    assert shown(stage="cwc_production") == {child_case.number}
    assert shown(status="OnHold") == {adult_case.number}
    assert shown(status="open") == {child_case.number, parsa_case.number}
    assert shown(overdue="on") == {parsa_case.number}
    assert shown(organisation=np_parsa_org.pk) == {parsa_case.number}
    assert shown(district=parsa.pk) == {parsa_case.number}
    assert shown(minor="yes") == {child_case.number}
    assert shown(minor="no") == {adult_case.number, parsa_case.number}
    assert shown(sop_version=child_case.sop_version_id) == everything
    assert shown(stage="no-such-stage") == everything  # an invalid filter is dropped, not fatal


def test_the_list_pages_through_many_cases(np_caseworker, morang):
    for _ in range(27):
        open_case(np_caseworker, district=morang, age=20)
    body = _text(_client(np_caseworker).get(reverse("cases:list"), {"page": 2}))
    assert "Page 2 of 2" in body and body.count('data-label="Case"') == 2


def test_the_list_runs_a_constant_number_of_queries(django_assert_max_num_queries, np_caseworker, morang):
    client = _client(np_caseworker)
    for _ in range(2):
        open_case(np_caseworker, district=morang, age=20)
    with django_assert_max_num_queries(60) as few:
        client.get(reverse("cases:list"))
    for _ in range(8):
        open_case(np_caseworker, district=morang, age=12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("cases:list"))


def test_a_role_without_case_access_cannot_open_the_list(np_analyst):
    assert _client(np_analyst).get(reverse("cases:list")).status_code == 404


# --- the case page -------------------------------------------------------------------------------------------


def test_the_case_page_shows_the_header_and_the_next_steps_with_reasons(np_caseworker, child_case):
    response = _client(np_caseworker).get(_url("detail", child_case))
    body = _text(response)
    assert response.status_code == 200
    assert child_case.number in body and "सीता तामाङ" in body
    assert reverse("people:detail", args=[child_case.survivor.public_id]) in body
    assert "SOP version" in body and "Maiti Nepal Biratnagar Transit Home" in body and "Child" in body
    # Allowed: produce her before the CWC, as a form with the reason and the case revision.
    assert "Produce her before the Child Welfare Committee" in body
    assert 'name="action" value="produce_before_cwc"' in body
    assert f'name="revision" value="{child_case.revision}"' in body
    # The clock waiting there: the CWC within 24 hours of rescue, by law.
    assert "statutory" in body and "24 h from rescue or identification" in body and "JJ Act 2015 s.31" in body
    # Refused: the magistrate is for adults; the reason is listed and the button disabled.
    assert 'name="action" value="produce_before_magistrate"' not in body
    assert "Produce her before the magistrate (ITPA custody)" in body and "this step is for adults" in body
    assert re.search(r"<button type=\"button\" disabled>Produce her before the magistrate", body)
    assert AuditEvent.objects.filter(action="case.view", object_id=str(child_case.public_id)).exists()


def test_the_case_page_shows_the_running_statutory_clock(np_caseworker, child_case):
    case = services.case_act(actor=np_caseworker, case=child_case, action="produce_before_cwc", reason="ok",
                             revision=child_case.revision)  # fmt: skip
    body = _text(_client(np_caseworker).get(_url("detail", case)))
    assert "Produced before the Child Welfare Committee" in body
    assert "20 h" in body and "left" in body  # 24 h from a rescue three hours ago (a minute or so may pass)
    assert "statutory" in body and "JJ Act 2015 s.31: within 24 hours" in body
    # Placing her in care needs the CWC order first: refused, with the reason.
    assert "Place her in care" in body and "the document “CWC order” must be attached first" in body


def test_an_overdue_case_says_by_how_much(np_caseworker, morang):
    case = open_case(np_caseworker, district=morang, age=15, identified_at=timezone.now() - dt.timedelta(hours=30))
    case = services.case_act(actor=np_caseworker, case=case, action="produce_before_cwc", reason="late",
                             revision=case.revision)  # fmt: skip
    body = _text(_client(np_caseworker).get(_url("detail", case)))
    assert "Overdue by 6 h" in body or "Overdue by 5 h" in body


def test_an_outsider_gets_404_for_the_case_page(np_other_org, child_case):
    assert _client(np_other_org).get(_url("detail", child_case)).status_code == 404
    assert AuditEvent.objects.filter(actor_username="np_other_org", outcome="denied").exists()


def test_who_may_only_see_a_case_gets_no_forms(np_prosecutor, child_case):
    body = _text(_client(np_prosecutor).get(_url("detail", child_case)))
    assert child_case.number in body
    assert "You may see this case but not work on it." in body
    assert reverse("cases:act", args=[child_case.public_id]) not in body
    assert reverse("cases:decision", args=[child_case.public_id]) not in body
    assert "you have no role that may work on this case" in body
    assert _client(np_prosecutor).get(_url("decision", child_case)).status_code == 404
    assert _act(_client(np_prosecutor), child_case, "produce_before_cwc").status_code == 404


def test_the_case_page_never_shows_sensitive_text_and_links_it_for_the_team_only(np_caseworker, np_transit_home,
                                                                                   child_case):  # fmt: skip
    services.sensitive_note_add(actor=np_caseworker, case=child_case, kind="testimony", text="Sold in Mumbai")
    body = _text(_client(np_caseworker).get(_url("detail", child_case)))
    assert "Sold in Mumbai" not in body and reverse("cases:sensitive", args=[child_case.public_id]) in body
    colleague = make_user("colleague", "caseworker", np_transit_home)
    body = _text(_client(colleague).get(_url("detail", child_case)))
    assert reverse("cases:sensitive", args=[child_case.public_id]) not in body


def test_the_case_page_lists_stage_history_and_timeline(np_caseworker, child_case):
    services.case_act(actor=np_caseworker, case=child_case, action="produce_before_cwc", reason="Produced at 14:00",
                      revision=child_case.revision)  # fmt: skip
    body = _text(_client(np_caseworker).get(_url("detail", child_case)))
    assert "Stage history" in body and "Case opened" in body and "Produced at 14:00" in body
    assert "Case opened under SOP 1" in body
    assert "Moved from “Rescued or intercepted” to “Produced before the Child Welfare Committee”" in body


# --- SOP steps ---------------------------------------------------------------------------------------------------


def test_a_step_moves_the_case_and_writes_the_timeline(np_caseworker, child_case):
    response = _act(_client(np_caseworker), child_case, "produce_before_cwc", reason="Produced before CWC Morang")
    assert response.status_code == 302 and response["Location"] == _url("detail", child_case)
    child_case.refresh_from_db()
    assert child_case.stage == "cwc_production"
    assert CaseEvent.objects.filter(case=child_case, kind="stage", summary__contains="Produced before CWC").exists()


def test_a_step_without_a_reason_is_refused_and_changes_nothing(np_caseworker, child_case):
    before = (child_case.stage, child_case.revision, CaseEvent.objects.count())
    response = _act(_client(np_caseworker), child_case, "produce_before_cwc", reason="  ")
    assert response.status_code == 400
    assert "Say why the case moves on" in _text(response)
    child_case.refresh_from_db()
    assert (child_case.stage, child_case.revision, CaseEvent.objects.count()) == before


def test_a_step_the_sop_refuses_shows_every_reason(np_caseworker, child_case):
    case = services.case_act(actor=np_caseworker, case=child_case, action="produce_before_cwc", reason="ok",
                             revision=child_case.revision)  # fmt: skip
    response = _act(_client(np_caseworker), case, "place_in_care", reason="ok")
    body = _text(response)
    assert response.status_code == 400
    assert "The SOP does not allow this step now" in body and "the document “CWC order” must be attached first" in body
    case.refresh_from_db()
    assert case.stage == "cwc_production"


def test_a_stale_form_gets_409_with_a_reload_link_and_changes_nothing(np_caseworker, child_case):
    stale = child_case.revision
    services.case_hold(actor=np_caseworker, case=child_case, reason="court", revision=stale)
    services.case_resume(actor=np_caseworker, case=child_case, revision=stale + 1)
    response = _act(_client(np_caseworker), child_case, "produce_before_cwc", revision=stale)
    body = _text(response)
    assert response.status_code == 409
    assert "Someone else changed case" in body and _url("detail", child_case) in body
    child_case.refresh_from_db()
    assert child_case.stage == "rescued"


def test_closing_asks_for_the_reason_for_closure(np_caseworker, adult_case):
    Case.objects.filter(pk=adult_case.pk).update(stage="reintegration")
    adult_case.refresh_from_db()
    services.decision_record(actor=np_caseworker, case=adult_case, kind="best_interest_assessment", favourable=True,
                             outcome="safe", decider_name="CWC", decided_on=timezone.localdate(), basis="home study",
                             survivor_view="wants to go home",
                             answers={key: "no" for key, _label in BEST_INTEREST_QUESTIONS})  # fmt: skip
    adult_case.refresh_from_db()
    client = _client(np_caseworker)
    body = _text(client.get(_url("detail", adult_case)))
    assert 'name="closure_reason"' in body
    response = _act(client, adult_case, "close", reason="follow-up complete")
    assert response.status_code == 400 and "Choose the reason for closing" in _text(response)
    response = _act(client, adult_case, "close", reason="follow-up complete", closure_reason="reintegrated")
    assert response.status_code == 302
    adult_case.refresh_from_db()
    assert adult_case.status == "Closed"
    body = _text(client.get(_url("detail", adult_case)))
    assert "Reintegrated: follow-up complete" in body and reverse("cases:reopen", args=[adult_case.public_id]) in body


def test_a_bilateral_stage_asks_for_the_other_countrys_reference(np_focal_point, np_caseworker, adult_case):
    Case.objects.filter(pk=adult_case.pk).update(stage="verification")
    adult_case.refresh_from_db()
    services.decision_record(actor=np_focal_point, case=adult_case, kind="nationality_verification", favourable=True,
                             outcome="Nepali citizen", decider_name="Embassy", decided_on=timezone.localdate(),
                             basis="citizenship certificate", survivor_view="wants to go home")  # fmt: skip
    adult_case.refresh_from_db()
    caseworker_view = _text(_client(np_caseworker).get(_url("detail", adult_case)))
    assert "a focal point / local government officer / police officer records the other country" in caseworker_view
    client = _client(np_focal_point)
    body = _text(client.get(_url("detail", adult_case)))
    assert 'name="counterpart_reference"' in body
    response = _act(client, adult_case, "verification_confirmed", reason="confirmed")
    assert response.status_code == 400
    response = _act(client, adult_case, "verification_confirmed", reason="confirmed",
                    counterpart_reference="Embassy letter 2083/44")  # fmt: skip
    assert response.status_code == 302
    adult_case.refresh_from_db()
    assert adult_case.stage == "repatriation_decision"


def test_hold_resume_and_reopen(np_caseworker, adult_case):
    client = _client(np_caseworker)
    response = client.post(_url("hold", adult_case), {"reason": "", "revision": adult_case.revision})
    assert response.status_code == 400 and "Say why the case is on hold" in _text(response)
    response = client.post(
        _url("hold", adult_case), {"reason": "waiting for the court", "revision": adult_case.revision}
    )
    assert response.status_code == 302
    adult_case.refresh_from_db()
    assert adult_case.status == "OnHold"
    assert "waiting for the court" in _text(client.get(_url("detail", adult_case)))
    response = client.post(_url("resume", adult_case), {"revision": adult_case.revision})
    assert response.status_code == 302
    adult_case.refresh_from_db()
    assert adult_case.status == "Active"
    response = client.post(_url("reopen", adult_case), {"reason": "x", "revision": adult_case.revision})
    assert response.status_code == 400 and "Only a closed case can be reopened" in _text(response)


# --- decisions -----------------------------------------------------------------------------------------------


def _decision(**extra) -> dict:
    return {"kind": "victim_determination", "favourable": "yes", "outcome": "She is a victim of trafficking",
            "decider_name": "Inspector Rai, AHTB Morang", "decision_org_type": "Police",
            "decided_on": timezone.localdate().isoformat(), "basis": "Her statement and the rescue memo",
            "survivor_view": "She agrees and wants support", **extra}  # fmt: skip


def test_recording_a_decision_lists_it_and_writes_the_timeline(np_caseworker, child_case):
    client = _client(np_caseworker)
    form = _text(client.get(_url("decision", child_case)))
    assert "Favourable: the case may go on by this decision" in form and "The survivor&#x27;s own view" in form
    response = client.post(_url("decision", child_case), _decision(revision=child_case.revision))
    assert response.status_code == 302 and response["Location"] == _url("detail", child_case) + "#decisions"
    decision = Decision.objects.get(case=child_case)
    assert decision.favourable and decision.decision_org_type == "Police"
    child_case.refresh_from_db()
    assert child_case.trafficking_status == "ActualVictimOfTrafficking"
    assert "decision" in _event_kinds(child_case)
    body = _text(client.get(_url("detail", child_case)))
    assert "Victim determination" in body and "She is a victim of trafficking" in body
    assert "Decision recorded: Victim determination" in body


def test_a_decision_without_its_basis_is_refused_and_changes_nothing(np_caseworker, child_case):
    response = _client(np_caseworker).post(_url("decision", child_case),
                                           _decision(basis="", revision=child_case.revision))  # fmt: skip
    assert response.status_code == 400 and "This is required." in _text(response)
    assert not Decision.objects.exists()


def test_a_victim_determination_needs_the_kind_of_organisation(np_caseworker, child_case):
    response = _client(np_caseworker).post(_url("decision", child_case),
                                           _decision(decision_org_type="", revision=child_case.revision))  # fmt: skip
    assert response.status_code == 400 and "Say which kind of organisation" in _text(response)


def test_a_best_interest_assessment_answers_every_question(np_caseworker, child_case):
    client = _client(np_caseworker)
    data = _decision(kind="best_interest_assessment", outcome="Return is safe", revision=child_case.revision)
    response = client.post(_url("decision", child_case), data)
    assert response.status_code == 400 and "Answer every safety-of-return question" in _text(response)
    assert not Decision.objects.exists()
    answers = {f"bi_{key}": "no" for key, _label in BEST_INTEREST_QUESTIONS}
    answers["bi_family_economic_hardship"] = "yes"
    response = client.post(_url("decision", child_case), {**data, **answers})
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.answers["family_economic_hardship"] == "yes" and len(decision.answers) == len(answers)
    body = _text(client.get(_url("detail", child_case)))
    assert "Is the family in economic hardship?" in body


def test_a_decision_can_attach_the_cases_documents(np_caseworker, child_case):
    document = services.document_add(actor=np_caseworker, case=child_case, doc_type="cwc_order",
                                      upload=SimpleUploadedFile("o.pdf", PDF, "application/pdf"))  # fmt: skip
    child_case.refresh_from_db()
    response = _client(np_caseworker).post(
        _url("decision", child_case), _decision(documents=[document.pk], revision=child_case.revision)
    )
    assert response.status_code == 302
    assert list(Decision.objects.get().documents.all()) == [document]


def test_a_decision_on_a_stale_form_gets_409(np_caseworker, child_case):
    stale = child_case.revision
    services.case_hold(actor=np_caseworker, case=child_case, reason="court", revision=stale)
    response = _client(np_caseworker).post(_url("decision", child_case), _decision(revision=stale))
    assert response.status_code == 409 and not Decision.objects.exists()


# --- consent -------------------------------------------------------------------------------------------------


def test_consent_with_the_checklist_is_recorded_and_can_be_withdrawn(np_caseworker, adult_case):
    client = _client(np_caseworker)
    response = client.post(_url("consent", adult_case), {"purpose": "care", "given_by": "survivor",
                                                          "checklist": CHECKLIST, "language": "ne"})  # fmt: skip
    assert response.status_code == 302
    consent = Consent.objects.get(case=adult_case)
    assert consent.checklist == CHECKLIST and consent.language == "ne"
    body = _text(client.get(_url("detail", adult_case)))
    withdraw = reverse("cases:consent_withdraw", args=[adult_case.public_id, consent.public_id])
    assert "Care and services" in body and withdraw in body
    response = client.post(withdraw, {"reason": "She asked"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_reason == "She asked"
    assert "withdrawn" in _text(client.get(_url("detail", adult_case)))
    assert client.post(withdraw, {"reason": "again"}).status_code == 404  # no longer live


def test_a_child_cannot_consent_alone_and_nothing_is_recorded(np_caseworker, child_case):
    response = _client(np_caseworker).post(_url("consent", child_case), {"purpose": "care", "given_by": "survivor",
                                                                          "checklist": CHECKLIST})  # fmt: skip
    assert response.status_code == 400 and "a parent or lawful guardian gives consent" in _text(response)
    assert not Consent.objects.exists()


def test_a_legal_basis_stands_in_for_consent(np_caseworker, child_case):
    response = _client(np_caseworker).post(
        _url("consent", child_case),
        {"purpose": "sharing_with_other_country", "given_by": "legal_basis", "legal_basis": "CWC order 12/2083"},
    )
    assert response.status_code == 302
    assert Consent.objects.get().legal_basis == "CWC order 12/2083"


def test_care_without_consent_says_so_and_links_the_consent_form(np_caseworker, adult_case):
    response = _client(np_caseworker).post(
        _url("assessment", adult_case),
        {"kind": "needs", "assessed_on": timezone.localdate().isoformat(), "summary": "needs shelter"},
    )
    body = _text(response)
    assert response.status_code == 400 and "This needs consent" in body
    assert reverse("cases:consent", args=[adult_case.public_id]) in body
    assert not Assessment.objects.exists()


# --- documents -----------------------------------------------------------------------------------------------


def test_a_document_is_uploaded_and_served_only_as_an_attachment(np_caseworker, np_other_org, child_case):
    client = _client(np_caseworker)
    response = client.post(
        _url("document_add", child_case),
        {"doc_type": "rescue_memo", "title": "Memo", "file": SimpleUploadedFile("memo.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302
    document = child_case.documents.get()
    assert "document" in _event_kinds(child_case)
    url = _url("document", child_case, document.public_id)
    assert url in _text(client.get(_url("detail", child_case)))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="case.document_view", object_id=str(document.public_id)).exists()
    assert _client(np_other_org).get(url).status_code == 404


def test_a_file_that_is_not_a_pdf_or_photo_is_refused(np_caseworker, child_case):
    response = _client(np_caseworker).post(
        _url("document_add", child_case),
        {"doc_type": "fir", "file": SimpleUploadedFile("fir.pdf", b"MZ\x90 not a pdf", "application/pdf")},
    )
    assert response.status_code == 400 and "Upload a PDF or a photo" in _text(response)
    assert not child_case.documents.exists()


# --- care, follow-up, people, history ----------------------------------------------------------------------------


@pytest.fixture
def cared_for(np_caseworker, adult_case):
    services.consent_give(actor=np_caseworker, case=adult_case, purpose="care", given_by="survivor",
                          checklist=CHECKLIST)  # fmt: skip
    legal_basis(np_caseworker, adult_case, "family_contact")
    adult_case.refresh_from_db()
    return adult_case


def test_care_forms_record_assessments_plans_and_services(np_caseworker, np_transit_home, cared_for):
    client = _client(np_caseworker)
    today = timezone.localdate().isoformat()
    assert client.post(_url("assessment", cared_for), {"kind": "needs", "assessed_on": today,
                                                       "summary": "Needs schooling"}).status_code == 302  # fmt: skip
    assert client.post(_url("support_plan", cared_for), {"plan_type": "Education", "objectives": "Back to school",
                                                         "starts_on": today}).status_code == 302  # fmt: skip
    plan = SupportPlan.objects.get()
    service = {"service": "School enrolment", "provider": np_transit_home.pk, "delivered_on": today, "plan": plan.pk}
    assert client.post(_url("service", cared_for), service).status_code == 302
    assert client.post(_url("support_plan_end", cared_for, plan.public_id), {"actual_end": today}).status_code == 302
    assert Assessment.objects.filter(summary="Needs schooling").exists()
    assert ServiceDelivery.objects.get().plan == plan
    plan.refresh_from_db()
    assert plan.actual_end == timezone.localdate()
    body = _text(client.get(_url("detail", cared_for)))
    assert "Needs schooling" in body and "Back to school" in body and "School enrolment" in body


def test_a_service_without_its_name_is_refused_and_care_is_in_the_timeline(np_caseworker, np_transit_home,
                                                                         cared_for):  # fmt: skip
    client = _client(np_caseworker)
    today = timezone.localdate().isoformat()
    response = client.post(_url("service", cared_for), {"service": " ", "provider": np_transit_home.pk,
                                                        "delivered_on": today})  # fmt: skip
    assert response.status_code == 400 and "Say which service was delivered." in _text(response)
    assert not ServiceDelivery.objects.exists() and "care" not in _event_kinds(cared_for)
    client.post(_url("assessment", cared_for), {"kind": "risk", "assessed_on": today, "summary": "Safe at home"})
    assert "care" in _event_kinds(cared_for)


def test_a_support_plan_without_objectives_is_refused(np_caseworker, cared_for):
    response = _client(np_caseworker).post(
        _url("support_plan", cared_for),
        {"plan_type": "Education", "objectives": "", "starts_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400 and "Write the plan&#x27;s objectives." in _text(response)
    assert not SupportPlan.objects.exists()


def test_a_follow_up_is_planned_then_recorded(np_caseworker, cared_for):
    client = _client(np_caseworker)
    due = timezone.localdate() + dt.timedelta(days=3)
    assert (
        client.post(_url("follow_up", cared_for), {"due_on": due.isoformat(), "with_family": "on"}).status_code == 302
    )
    visit = FollowUp.objects.get()
    url = _url("follow_up_record", cared_for, visit.public_id)
    response = client.post(url, {"done_on": timezone.localdate().isoformat(), "outcome": ""})
    assert response.status_code == 400 and "Write what the visit found." in _text(response)
    response = client.post(url, {"done_on": timezone.localdate().isoformat(), "outcome": "Back at school"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.outcome == "Back at school"
    assert "follow_up" in _event_kinds(cared_for)


def test_dates_are_typed_in_bikram_sambat_for_users_who_prefer_it(np_caseworker, cared_for):
    np_caseworker.date_preference = "BS"
    np_caseworker.save(update_fields=["date_preference"])
    client = _client(np_caseworker)
    assert "BS" in _text(client.get(_url("follow_up", cared_for)))
    assert client.post(_url("follow_up", cared_for), {"due_on": "2090-01-01"}).status_code == 302
    assert FollowUp.objects.get().due_on == dt.date(2033, 4, 14)


def test_a_person_is_linked_by_setu_id(np_caseworker, np_transit_home, morang, child_case, parsa_case):
    client = _client(np_caseworker)
    suspect = PersonFactory(full_name="Ram Broker", organisation=np_transit_home, location_district=morang)
    response = client.post(_url("related", child_case), {"person_id": str(suspect.public_id), "role": "suspect",
                                                         "perpetrator_roles": ["RecruiterOrIntermediary"]})  # fmt: skip
    assert response.status_code == 302
    assert RelatedPerson.objects.get().perpetrator_roles == ["RecruiterOrIntermediary"]
    assert "Recruiter or intermediary" in _text(client.get(_url("detail", child_case)))
    response = client.post(_url("related", child_case), {"person_id": str(parsa_case.survivor.public_id),
                                                         "role": "witness"})  # fmt: skip
    assert response.status_code == 400 and "No person you may see has this Setu id." in _text(response)


def test_a_trafficking_history_event_is_added(np_caseworker, child_case):
    client = _client(np_caseworker)
    response = client.post(_url("history_event", child_case), {"kind": "Recruitment", "place": ""})
    assert response.status_code == 400 and "Say where it happened" in _text(response)
    response = client.post(_url("history_event", child_case), {"kind": "Recruitment", "place": "Itahari bus park",
                                                                "country": "NP"})  # fmt: skip
    assert response.status_code == 302
    assert TraffickingEvent.objects.get().place == "Itahari bus park"
    assert "Itahari bus park" in _text(client.get(_url("detail", child_case)))


def test_owner_and_team_and_details_are_edited(np_caseworker, np_transit_home, np_other_org, child_case):
    colleague = make_user("colleague", "caseworker", np_transit_home)
    client = _client(np_caseworker)
    response = client.post(_url("team", child_case), {"owner": colleague.pk, "team": [np_caseworker.pk],
                                                      "revision": child_case.revision})  # fmt: skip
    assert response.status_code == 302
    child_case.refresh_from_db()
    assert child_case.owner == colleague and set(child_case.team.all()) == {colleague, np_caseworker}
    response = client.post(
        _url("edit", child_case),
        {
            "district": child_case.district_id,
            "path": "domestic",
            "trafficking_status": "PossibleVictimOfTrafficking",
            "exploitation_types": ["ForcedLabour"],
            "summary": "Found at a brick kiln",
            "revision": child_case.revision,
        },
    )
    assert response.status_code == 302
    child_case.refresh_from_db()
    assert child_case.exploitation_types == ["ForcedLabour"] and child_case.summary == "Found at a brick kiln"
    assert "Forced labour" in _text(client.get(_url("detail", child_case)))


def test_the_team_takes_only_people_who_may_work_on_the_case(np_caseworker, np_other_org, child_case):
    response = _client(np_caseworker).post(_url("team", child_case), {"owner": np_caseworker.pk,
                                                                       "team": [np_other_org.pk],
                                                                       "revision": child_case.revision})  # fmt: skip
    # Someone of another district is not even offered; the service would refuse them too.
    assert response.status_code == 400
    assert set(child_case.team.all()) == {np_caseworker}


def test_editing_details_on_a_stale_form_gets_409(np_caseworker, child_case):
    stale = child_case.revision
    services.case_hold(actor=np_caseworker, case=child_case, reason="court", revision=stale)
    response = _client(np_caseworker).post(_url("edit", child_case), {
        "district": child_case.district_id, "path": "domestic", "trafficking_status": "PossibleVictimOfTrafficking",
        "summary": "changed", "revision": stale})  # fmt: skip
    assert response.status_code == 409 and "Reload the case" in _text(response)
    child_case.refresh_from_db()
    assert child_case.summary == ""


# --- transfers, my tasks, overdue ----------------------------------------------------------------------------


def test_a_transfer_is_proposed_answered_from_my_tasks_and_accepted(np_caseworker, np_other_org, np_parsa_org,
                                                                     child_case):  # fmt: skip
    response = _client(np_caseworker).post(
        _url("transfer", child_case),
        {"to_organisation": np_parsa_org.pk, "reason": "Closer to her home", "revision": child_case.revision},
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    body = _text(_client(np_caseworker).get(_url("detail", child_case)))
    assert "waiting for an answer" in body and "Transit Home Birgunj" in body
    receiver = _client(np_other_org)
    answer_url = reverse("cases:transfer_answer", args=[transfer.public_id])
    tasks = _text(receiver.get(reverse("cases:tasks")))
    assert child_case.number in tasks and answer_url in tasks
    page = receiver.get(answer_url)
    assert page.status_code == 200 and "Closer to her home" in _text(page) and "सीता" not in _text(page)
    response = receiver.post(answer_url, {"answer": "refuse", "reason": ""})
    assert response.status_code == 400 and "Say why the transfer is refused." in _text(response)
    response = receiver.post(answer_url, {"answer": "accept"})
    assert response.status_code == 302 and response["Location"] == _url("detail", child_case)
    child_case.refresh_from_db()
    assert child_case.organisation == np_parsa_org and child_case.owner == np_other_org


def test_a_transfer_is_not_shown_to_others(np_caseworker, np_parsa_org, np_transit_home, child_case, parsa):
    transfer = services.case_transfer_request(actor=np_caseworker, case=child_case, to_organisation=np_parsa_org,
                                              reason="closer", revision=child_case.revision)  # fmt: skip
    stranger = make_user("stranger", "caseworker", OrganisationFactory(name_en="Elsewhere", districts=[parsa]))
    assert _client(stranger).get(reverse("cases:transfer_answer", args=[transfer.public_id])).status_code == 404
    assert _client(stranger).post(reverse("cases:transfer_answer", args=[transfer.public_id]),
                                  {"answer": "accept"}).status_code == 404  # fmt: skip
    assert Transfer.objects.get().state == "pending"


def test_my_tasks_lists_escalations_for_my_role_and_follow_ups_due_soon(np_caseworker, np_transit_home, cared_for,
                                                                        parsa_case, np_parsa_org):  # fmt: skip
    Task.objects.create(case=cared_for, kind="escalation", organisation=np_transit_home, role="caseworker",
                        stage=cared_for.stage, title="stored in English", due_at=timezone.now())  # fmt: skip
    Task.objects.create(case=parsa_case, kind="escalation", organisation=np_parsa_org, role="caseworker",
                        stage=parsa_case.stage, title="stored in English")  # fmt: skip
    services.follow_up_schedule(actor=np_caseworker, case=cared_for, due_on=timezone.localdate() + dt.timedelta(days=5))
    services.follow_up_schedule(
        actor=np_caseworker, case=cared_for, due_on=timezone.localdate() + dt.timedelta(days=40)
    )
    body = _text(_client(np_caseworker).get(reverse("cases:tasks")))
    assert f"Case {cared_for.number} is past its deadline at" in body and _url("detail", cared_for) in body
    assert parsa_case.number not in body
    assert body.count("Record the visit") == 1


def test_overdue_lists_overdue_cases_oldest_first(np_caseworker, morang, adult_case, np_transit_home):
    older = open_case(np_caseworker, district=morang, age=15, identified_at=timezone.now() - dt.timedelta(hours=50))
    newer = open_case(np_caseworker, district=morang, age=15, identified_at=timezone.now() - dt.timedelta(hours=30))
    for case in (newer, older):
        services.case_act(actor=np_caseworker, case=case, action="produce_before_cwc", reason="late",
                          revision=case.revision)  # fmt: skip
    client = _client(np_caseworker)
    body = _text(client.get(reverse("cases:overdue")))
    assert older.number in body and newer.number in body and adult_case.number not in body
    assert body.index(older.number) < body.index(newer.number)
    assert "Overdue" in body
    body = _text(client.get(reverse("cases:overdue"), {"organisation": np_transit_home.pk}))
    assert older.number in body


# --- sensitive notes -----------------------------------------------------------------------------------------


def test_the_team_reads_and_adds_sensitive_notes_and_every_read_is_audited(np_caseworker, child_case):
    services.sensitive_note_add(actor=np_caseworker, case=child_case, kind="testimony", text="Sold in Mumbai")
    client = _client(np_caseworker)
    response = client.get(_url("sensitive", child_case))
    assert response.status_code == 200 and "Sold in Mumbai" in _text(response)
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="case.sensitive_read", outcome="allowed").count() == 1
    response = client.post(_url("sensitive", child_case), {"kind": "health", "text": ""})
    assert response.status_code == 400 and "The note is empty." in _text(response)
    response = client.post(_url("sensitive", child_case), {"kind": "health", "text": "Needs <b>care</b>"})
    assert response.status_code == 302
    assert SensitiveNote.objects.count() == 2
    body = _text(client.get(_url("sensitive", child_case)))
    assert "Needs &lt;b&gt;care&lt;/b&gt;" in body  # escaped


def test_a_caseworker_not_on_the_team_cannot_read_sensitive_notes(np_transit_home, np_caseworker, child_case):
    services.sensitive_note_add(actor=np_caseworker, case=child_case, kind="testimony", text="Sold in Mumbai")
    colleague = make_user("colleague", "caseworker", np_transit_home)
    response = _client(colleague).get(_url("sensitive", child_case))
    assert response.status_code == 404 and "Mumbai" not in _text(response)
    assert AuditEvent.objects.filter(
        action="case.sensitive_read", outcome="denied", actor_username="colleague"
    ).exists()
    assert _client(colleague).post(_url("sensitive", child_case), {"kind": "health", "text": "x"}).status_code == 404
    assert SensitiveNote.objects.count() == 1


# --- opening a case ------------------------------------------------------------------------------------------


def test_the_person_page_offers_to_open_a_case_and_lists_her_cases(np_caseworker, child_case, np_prosecutor):
    person_url = reverse("people:detail", args=[child_case.survivor.public_id])
    body = _text(_client(np_caseworker).get(person_url))
    assert child_case.number in body and "Open a case" in body
    assert f"{reverse('cases:open')}?person={child_case.survivor.public_id}" in body
    body = _text(_client(np_prosecutor).get(person_url))
    assert child_case.number in body and "Open a case" not in body


def test_opening_a_case_from_the_person_page(np_caseworker, np_transit_home, morang):
    load_v1()
    person = PersonFactory(full_name="Gita Rai", organisation=np_transit_home, location_district=morang,
                           birth_date=timezone.localdate() - dt.timedelta(days=365 * 14 + 30), birth_precision="exact",
                           nationality="NP")  # fmt: skip
    client = _client(np_caseworker)
    url = f"{reverse('cases:open')}?person={person.public_id}"
    form = _text(client.get(url))
    assert 'value="14"' in form and f'<option value="{morang.pk}" selected>' in form
    assert "Forced labour" in form and "Debt bondage" in form
    response = client.post(
        url,
        {
            "district": morang.pk,
            # yesterday: at 06:30 today would be in the future for the first hours of the day
            "identified_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "identified_time": "06:30",
            "age_at_identification": "14",
            "path": "domestic",
            "trafficking_status": "PossibleVictimOfTrafficking",
            "exploitation_types": ["ChildLabour"],
            "control_methods": ["DebtBondage", "FalsePromises"],
            "summary": "Found at a brick kiln",
        },
    )
    assert response.status_code == 302, re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', _text(response))
    case = Case.objects.get(survivor=person)
    assert response.status_code == 302 and response["Location"] == _url("detail", case)
    assert case.is_minor and case.control_methods == ["DebtBondage", "FalsePromises"]
    assert timezone.localtime(case.identified_at).time() == dt.time(6, 30)


def test_opening_a_case_without_an_age_is_refused(np_caseworker, np_transit_home, morang):
    load_v1()
    person = PersonFactory(full_name="Unknown Age", organisation=np_transit_home, location_district=morang)
    url = f"{reverse('cases:open')}?person={person.public_id}"
    response = _client(np_caseworker).post(url, {"district": morang.pk, "path": "domestic",
                                                 "identified_on": timezone.localdate().isoformat(),
                                                 "trafficking_status": "PossibleVictimOfTrafficking"})  # fmt: skip
    assert response.status_code == 400 and "Give her age when identified" in _text(response)
    assert not Case.objects.exists()


def test_a_case_cannot_be_opened_for_a_person_out_of_scope_or_without_the_permission(np_caseworker, np_prosecutor,
                                                                                      parsa_case):  # fmt: skip
    url = f"{reverse('cases:open')}?person={parsa_case.survivor.public_id}"
    assert _client(np_caseworker).get(url).status_code == 404
    assert _client(np_prosecutor).get(url).status_code == 404


# --- every page renders --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["decision", "consent", "document_add", "assessment", "support_plan", "service", "follow_up", "related",
     "history_event", "transfer", "team", "edit", "sensitive", "detail"],
)  # fmt: skip
def test_every_form_page_renders(np_caseworker, child_case, name):
    response = _client(np_caseworker).get(_url(name, child_case))
    assert response.status_code == 200 and child_case.number in _text(response)


def test_lists_render_when_empty(np_caseworker):
    client = _client(np_caseworker)
    for name in ("list", "tasks", "overdue"):
        assert client.get(reverse(f"cases:{name}")).status_code == 200
    assert "No case matches." in _text(client.get(reverse("cases:list")))


def test_my_tasks_costs_the_same_queries_however_many_tasks(np_caseworker, np_transit_home, morang):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        client = _client(np_caseworker)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("cases:tasks")).status_code == 200
        return len(captured)

    def escalate(case):
        Task.objects.create(case=case, kind="escalation", organisation=np_transit_home, role="caseworker",
                            stage=case.stage, title="stored in English")  # fmt: skip

    escalate(open_case(np_caseworker, district=morang))
    one = queries()
    for _ in range(4):
        escalate(open_case(np_caseworker, district=morang))
    assert queries() == one
