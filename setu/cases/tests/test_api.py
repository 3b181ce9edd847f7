"""/api/v1/cases/: the same rules as the services, as JSON; 404 for missing and forbidden alike, 400 with field
errors (or every reason the SOP gives) and nothing changed, 409 on a stale revision."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from setu.accounts.tests.factories import make_user
from setu.audit.models import AuditEvent
from setu.cases import services
from setu.cases.models import (
    Assessment,
    Case,
    CaseDocument,
    Consent,
    Decision,
    RelatedPerson,
    SensitiveNote,
    ServiceDelivery,
    Transfer,
)
from setu.cases.tests.factories import CHECKLIST, legal_basis, load_v1, open_case
from setu.geo.models import District
from setu.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOWHERE = "00000000-0000-0000-0000-000000000000"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Documents go to a temporary MEDIA_ROOT, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _api(user) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _url(case, tail: str = "") -> str:
    return f"{URL}{case.public_id}/{tail}"


def _today() -> str:
    return timezone.localdate().isoformat()


def _pdf(name: str = "fir.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/pdf")


def _denials(user) -> int:
    return AuditEvent.objects.filter(actor_id=user.pk, outcome="denied").count()


@pytest.fixture
def sop_v1():
    return load_v1()


@pytest.fixture
def sita(np_transit_home, morang):
    return PersonFactory(full_name="सीता तामाङ", organisation=np_transit_home, location_district=morang,
                         nationality="NP")  # fmt: skip


@pytest.fixture
def child_case(np_caseworker, morang, sita):
    """A girl of 15 rescued in Morang two hours ago, opened by the transit home's caseworker."""
    return open_case(np_caseworker, district=morang, age=15, survivor=sita)


@pytest.fixture
def adult_case(np_caseworker, morang):
    return open_case(np_caseworker, district=morang, age=25)


# --- list ----------------------------------------------------------------------------------------------------


def test_list_is_scoped_and_each_row_says_stage_clock_and_survivor(np_caseworker, np_other_org, parsa, child_case,
                                                                   adult_case):  # fmt: skip
    open_case(np_other_org, district=parsa)
    data = _api(np_caseworker).get(URL).json()

    assert data["count"] == 2
    assert {row["id"] for row in data["results"]} == {str(child_case.public_id), str(adult_case.public_id)}
    row = next(r for r in data["results"] if r["id"] == str(child_case.public_id))
    assert row["survivor"] == {"id": str(child_case.survivor.public_id), "full_name": "सीता तामाङ"}
    assert row["number"] == child_case.number and row["stage"] == "rescued"
    assert row["stage_name"] == "Rescued or intercepted" and row["status"] == "Active"
    assert row["organisation"]["name"] == "Maiti Nepal Biratnagar Transit Home"
    assert row["is_minor"] is True and row["sop_version"] == "1"
    assert row["overdue"] is False and row["clock_kind"] == ""
    assert AuditEvent.objects.filter(action="case.search", actor_id=np_caseworker.pk).exists()


def test_list_filters(np_caseworker, np_transit_home, morang, parsa, child_case, adult_case):
    overdue = open_case(np_caseworker, district=morang, age=12, identified_at=timezone.now() - dt.timedelta(hours=30))
    services.case_act(actor=np_caseworker, case=overdue, action="produce_before_cwc", reason="late",
                      revision=overdue.revision)  # fmt: skip
    services.case_hold(actor=np_caseworker, case=adult_case, reason="court date", revision=adult_case.revision)
    District.objects.filter(pk=morang.pk).update(code="9901")
    client = _api(np_caseworker)

    def ids(**params) -> set[str]:
        response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    child, adult, late = str(child_case.public_id), str(adult_case.public_id), str(overdue.public_id)
    assert ids() == {child, adult, late}
    assert ids(minor="true") == {child, late} and ids(minor="false") == {adult}
    assert ids(stage="cwc_production") == {late}
    assert ids(status="open") == {child, late} and ids(status="OnHold") == {adult}
    assert ids(overdue="1") == {late}
    assert ids(q="Sita") == ids(q="सीता") == ids(q=child_case.number) == {child}
    assert ids(organisation=str(np_transit_home.public_id)) == {child, adult, late}
    assert ids(district=morang.pk) == ids(district_code="9901") == {child, adult, late}
    assert ids(district=parsa.pk) == set()
    assert ids(sop_version="1") == {child, adult, late}

    row = next(r for r in client.get(URL, {"overdue": "1"}).json()["results"])
    assert row["overdue"] is True and row["clock_kind"] == "statutory"

    bad = client.get(URL, {"status": "Lost", "district_code": "nowhere", "sop_version": "9", "organisation": "x"})
    assert bad.status_code == 400
    assert {"status", "district_code", "sop_version", "organisation"} <= set(bad.json()["errors"])


def test_list_is_paged_and_its_queries_do_not_grow_with_the_page(np_caseworker, morang, child_case):
    client = _api(np_caseworker)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for _ in range(4):
        open_case(np_caseworker, district=morang)
    with CaptureQueriesContext(connection) as five:
        client.get(URL)
    assert len(five) == len(one)

    page = client.get(URL, {"limit": 2, "offset": 2}).json()
    assert page["count"] == 5 and len(page["results"]) == 2
    assert page["next"] and page["previous"]


def test_a_focal_point_lists_every_case_and_an_analyst_gets_404(np_focal_point, np_analyst, np_other_org, parsa,
                                                                child_case):  # fmt: skip
    open_case(np_other_org, district=parsa)
    assert _api(np_focal_point).get(URL).json()["count"] == 2
    assert _api(np_analyst).get(URL).status_code == 404
    assert _api(np_analyst).get("/api/v1/case-tasks/").status_code == 404
    assert _denials(np_analyst) == 2


# --- open ----------------------------------------------------------------------------------------------------


def _opening(person, district, **extra) -> dict:
    return {"survivor": str(person.public_id), "district": district.pk,
            "identified_at": (timezone.now() - dt.timedelta(hours=3)).isoformat(), **extra}  # fmt: skip


def test_open_returns_the_case_with_its_next_steps_and_audits_it(np_caseworker, morang, sita, sop_v1):
    payload = _opening(
        sita,
        morang,
        age_at_identification=15,
        exploitation_types=["SexualExploitation"],
        control_methods=["DebtBondage"],
        exploitation_country="IN",
        summary="Found at the border",
    )
    response = _api(np_caseworker).post(URL, payload, format="json")  # fmt: skip

    assert response.status_code == 201, response.content
    data = response.json()
    case = Case.objects.get()
    assert data["id"] == str(case.public_id) and data["number"] == case.number
    assert data["stage"] == "rescued" and data["is_minor"] is True and data["path"] == "domestic"
    assert data["exploitation_types"] == ["SexualExploitation"] and data["revision"] == 1
    assert data["owner"]["username"] == "np_caseworker" and data["can_work"] is True
    steps = {s["action"]: s for s in data["available_steps"]}
    assert steps["produce_before_cwc"]["allowed"] is True and steps["produce_before_cwc"]["to"] == "cwc_production"
    assert steps["produce_before_magistrate"]["allowed"] is False
    assert any("minor" in reason for reason in steps["produce_before_magistrate"]["reasons"])
    assert AuditEvent.objects.filter(action="case.open", object_id=str(case.public_id)).exists()


def test_open_with_bad_values_is_400_with_field_errors_and_opens_nothing(np_caseworker, morang, sita, sop_v1):
    client = _api(np_caseworker)
    missing = client.post(URL, {"survivor": str(sita.public_id)}, format="json")
    assert missing.status_code == 400
    assert {"district", "identified_at"} <= set(missing.json()["errors"])

    unknown = client.post(URL, _opening(sita, morang, age_at_identification=15, exploitation_types=["Fishing"]),
                          format="json")  # fmt: skip
    assert unknown.status_code == 400 and "exploitation_types" in unknown.json()["errors"]

    future = _opening(sita, morang, age_at_identification=15, identified_at=(timezone.now() + dt.timedelta(days=2))
                      .isoformat())  # fmt: skip
    refused = client.post(URL, future, format="json")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "The request is not valid; nothing was changed."
    assert "identified_at" in refused.json()["errors"]
    assert not Case.objects.exists()


def test_opening_for_a_missing_or_out_of_scope_survivor_is_the_same_404(np_caseworker, np_analyst, np_parsa_org,
                                                                        morang, parsa, sop_v1):  # fmt: skip
    outsider = PersonFactory(full_name="Rita Yadav", organisation=np_parsa_org, location_district=parsa)
    client = _api(np_caseworker)
    forbidden = client.post(URL, _opening(outsider, parsa, age_at_identification=20), format="json")
    missing = client.post(URL, {**_opening(outsider, parsa, age_at_identification=20), "survivor": NOWHERE},
                          format="json")  # fmt: skip
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json() == {"detail": "Not found."}
    assert _denials(np_caseworker) == 2
    # A role that may not open cases is refused before its body is read.
    assert _api(np_analyst).post(URL, {}, format="json").status_code == 404
    assert not Case.objects.exists()


# --- detail --------------------------------------------------------------------------------------------------


def test_detail_shows_the_whole_case_but_never_sensitive_text(np_caseworker, child_case):
    services.sensitive_note_add(actor=np_caseworker, case=child_case, kind="testimony", text="She was sold in Mumbai.")
    response = _api(np_caseworker).get(_url(child_case))

    assert response.status_code == 200
    assert b"Mumbai" not in response.content
    data = response.json()
    assert data["revision"] == 2 and data["can_read_sensitive"] is True
    assert set(data["clock"]) == {"in_stage_seconds", "due_at", "remaining_seconds", "overdue", "kind", "law"}
    assert data["clock"]["in_stage_seconds"] > 3600
    assert [s["stage"] for s in data["stage_history"]] == ["rescued"]
    assert data["stage_history"][0]["stage_name"] == "Rescued or intercepted"
    assert [e["kind"] for e in data["timeline"]] == ["sensitive", "opened"]
    for key in ("decisions", "consents", "documents", "related_persons", "trafficking_events", "assessments",
                "support_plans", "services", "follow_ups"):  # fmt: skip
        assert data[key] == []
    assert data["pending_transfer"] is None
    assert AuditEvent.objects.filter(action="case.view", object_id=str(child_case.public_id)).exists()


def test_out_of_scope_missing_and_malformed_cases_are_the_same_404(np_other_org, child_case):
    client = _api(np_other_org)
    forbidden = client.get(_url(child_case))
    missing = client.get(f"{URL}{NOWHERE}/")
    garbage = client.get(f"{URL}not-a-uuid/")
    assert forbidden.status_code == missing.status_code == garbage.status_code == 404
    assert forbidden.json() == missing.json() == garbage.json() == {"detail": "Not found."}
    act = client.post(_url(child_case, "act/"), {"action": "produce_before_cwc", "reason": "x", "revision": 1},
                      format="json")  # fmt: skip
    assert act.status_code == 404
    assert AuditEvent.objects.filter(outcome="denied", object_id=str(child_case.public_id)).count() == 2
    child_case.refresh_from_db()
    assert (child_case.stage, child_case.revision) == ("rescued", 1)


def test_put_and_delete_are_not_offered(np_caseworker, child_case):
    client = _api(np_caseworker)
    assert client.put(_url(child_case), {}, format="json").status_code == 405
    assert client.delete(_url(child_case)).status_code == 405  # a case is closed, never deleted


# --- moving the case -----------------------------------------------------------------------------------------


def test_act_takes_the_step_and_returns_the_case(np_caseworker, child_case):
    response = _api(np_caseworker).post(
        _url(child_case, "act/"),
        {"action": "produce_before_cwc", "reason": "Produced today", "revision": child_case.revision},
        format="json",
    )

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["stage"] == "cwc_production" and data["revision"] == child_case.revision + 1
    assert data["clock"]["kind"] == "statutory" and "JJ Act" in data["clock"]["law"]
    assert data["due_at"] is not None and data["clock"]["remaining_seconds"] > 0
    assert [s["stage"] for s in data["stage_history"]] == ["rescued", "cwc_production"]
    assert data["stage_history"][1]["reason"] == "Produced today"
    assert data["stage_history"][1]["moved_by"]["username"] == "np_caseworker"


def test_a_step_the_sop_refuses_is_400_with_every_reason_and_changes_nothing(np_caseworker, child_case):
    client = _api(np_caseworker)
    url = _url(child_case, "act/")
    wrong_path = client.post(url, {"action": "produce_before_magistrate", "reason": "x", "revision": 1}, format="json")
    assert wrong_path.status_code == 400
    assert any("minor" in reason for reason in wrong_path.json()["errors"]["action"])

    client.post(url, {"action": "produce_before_cwc", "reason": "ok", "revision": 1}, format="json")
    missing = client.post(url, {"action": "place_in_care", "reason": "x", "revision": 2}, format="json")
    assert missing.status_code == 400
    assert any("cwc_order" in reason for reason in missing.json()["errors"]["action"])

    no_reason = client.post(url, {"action": "place_in_care", "reason": " ", "revision": 2}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    no_revision = client.post(url, {"action": "place_in_care", "reason": "x"}, format="json")
    assert no_revision.status_code == 400 and "revision" in no_revision.json()["errors"]
    child_case.refresh_from_db()
    assert (child_case.stage, child_case.revision) == ("cwc_production", 2)


def test_a_stale_revision_is_409_and_changes_nothing(np_caseworker, np_parsa_org, child_case):
    client = _api(np_caseworker)
    stale = child_case.revision
    assert client.post(_url(child_case, "hold/"), {"reason": "court date", "revision": stale},
                       format="json").status_code == 200  # fmt: skip
    for tail, body in (
        ("act/", {"action": "produce_before_cwc", "reason": "x"}),
        ("resume/", {}),
        ("transfer/", {"to_organisation": str(np_parsa_org.public_id), "reason": "closer to home"}),
        ("decisions/", {"kind": "victim_determination", "favourable": True, "outcome": "victim", "decider_name": "SP",
                        "decided_on": _today(), "basis": "statement", "survivor_view": "agrees",
                        "decision_org_type": "Police"}),
    ):  # fmt: skip
        response = client.post(_url(child_case, tail), {**body, "revision": stale}, format="json")
        assert response.status_code == 409, tail
        assert "Someone else changed" in response.json()["detail"]
    child_case.refresh_from_db()
    assert (child_case.stage, child_case.status, child_case.revision) == ("rescued", "OnHold", stale + 1)
    assert not Transfer.objects.exists() and not Decision.objects.exists()


def test_hold_resume_and_reopen(np_caseworker, adult_case):
    client = _api(np_caseworker)
    blank = client.post(_url(adult_case, "hold/"), {"reason": "", "revision": 1}, format="json")
    assert blank.status_code == 400 and "reason" in blank.json()["errors"]

    held = client.post(_url(adult_case, "hold/"), {"reason": "waiting for the court", "revision": 1}, format="json")
    assert held.json()["status"] == "OnHold" and held.json()["hold_reason"] == "waiting for the court"
    resumed = client.post(_url(adult_case, "resume/"), {"revision": 2}, format="json")
    assert resumed.json()["status"] == "Active" and resumed.json()["hold_reason"] == ""

    not_closed = client.post(_url(adult_case, "reopen/"), {"reason": "new facts", "revision": 3}, format="json")
    assert not_closed.status_code == 400 and "status" in not_closed.json()["errors"]
    Case.objects.filter(pk=adult_case.pk).update(status="Closed", closure_reason="declined")
    reopened = client.post(_url(adult_case, "reopen/"), {"reason": "she came back", "revision": 3}, format="json")
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "Active" and reopened.json()["closure_reason"] == ""


def test_a_transfer_is_answered_by_the_receiving_organisation(np_caseworker, np_other_org, np_parsa_org, child_case):
    sender = _api(np_caseworker)
    offered = sender.post(
        _url(child_case, "transfer/"),
        {"to_organisation": str(np_parsa_org.public_id), "reason": "closer to home", "revision": 1},
        format="json",
    )
    assert offered.status_code == 201, offered.content
    transfer = offered.json()
    assert transfer["state"] == "pending" and transfer["case"] == str(child_case.public_id)
    assert transfer["to_organisation"]["id"] == str(np_parsa_org.public_id)
    assert sender.get(_url(child_case)).json()["pending_transfer"]["id"] == transfer["id"]
    again = sender.post(
        _url(child_case, "transfer/"),
        {"to_organisation": str(np_parsa_org.public_id), "reason": "x", "revision": 2},
        format="json",
    )
    assert again.status_code == 400 and "to_organisation" in again.json()["errors"]

    receiver = _api(np_other_org)
    tasks = receiver.get("/api/v1/case-tasks/").json()
    assert [(t["kind"], t["case"]["number"]) for t in tasks["results"]] == [("transfer", child_case.number)]
    answer = f"/api/v1/case-transfers/{transfer['id']}/answer/"
    assert sender.post(answer, {"accept": True}, format="json").status_code == 404  # not the receiver
    assert (
        receiver.post(f"/api/v1/case-transfers/{NOWHERE}/answer/", {"accept": True}, format="json").status_code == 404
    )
    assert _denials(np_caseworker) == _denials(np_other_org) == 1
    refused = receiver.post(answer, {"accept": False, "reason": ""}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]

    accepted = receiver.post(answer, {"accept": True}, format="json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert accepted.json()["answered_by"]["username"] == "np_other_org"
    child_case.refresh_from_db()
    assert child_case.organisation == np_parsa_org
    assert receiver.get("/api/v1/case-tasks/").json()["results"] == []
    assert receiver.post(answer, {"accept": True}, format="json").status_code == 400


# --- records on the case -------------------------------------------------------------------------------------


def _decision(**extra) -> dict:
    return {"kind": "victim_determination", "favourable": True, "outcome": "a victim of trafficking",
            "decider_name": "Inspector Rai, Morang police", "decided_on": _today(), "basis": "her statement",
            "survivor_view": "agrees", "decision_org_type": "Police", **extra}  # fmt: skip


def test_decisions_are_recorded_with_the_documents_they_rest_on(np_caseworker, morang, child_case):
    client = _api(np_caseworker)
    fir = client.post(_url(child_case, "documents/"), {"doc_type": "fir", "file": _pdf()}, format="multipart").json()
    other_case = open_case(np_caseworker, district=morang)
    foreign = services.document_add(actor=np_caseworker, case=other_case, doc_type="fir", upload=_pdf())

    no_org_type = client.post(_url(child_case, "decisions/"), _decision(decision_org_type=""), format="json")
    assert no_org_type.status_code == 400 and "decision_org_type" in no_org_type.json()["errors"]
    not_this_case = client.post(_url(child_case, "decisions/"), _decision(documents=[str(foreign.public_id)]),
                                format="json")  # fmt: skip
    assert not_this_case.status_code == 400 and "documents" in not_this_case.json()["errors"]
    assert not Decision.objects.exists()

    response = client.post(_url(child_case, "decisions/"), _decision(documents=[fir["id"]]), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["documents"] == [fir["id"]] and response.json()["decided_by"]["username"] == "np_caseworker"
    detail = client.get(_url(child_case)).json()
    assert detail["trafficking_status"] == "ActualVictimOfTrafficking"
    assert [d["id"] for d in detail["decisions"]] == [response.json()["id"]]


def test_consent_is_given_and_withdrawn_and_a_child_cannot_consent_alone(np_caseworker, child_case):
    client = _api(np_caseworker)
    alone = client.post(_url(child_case, "consents/"), {"purpose": "care", "given_by": "survivor",
                                                        "checklist": CHECKLIST}, format="json")  # fmt: skip
    assert alone.status_code == 400 and "given_by" in alone.json()["errors"]
    assert not Consent.objects.exists()

    given = client.post(
        _url(child_case, "consents/"),
        {"purpose": "care", "given_by": "legal_basis", "legal_basis": "CWC order 12/2083"},
        format="json",
    )
    assert given.status_code == 201 and given.json()["is_live"] is True
    withdraw = _url(child_case, f"consents/{given.json()['id']}/withdraw/")
    withdrawn = client.post(withdraw, {"reason": "the order was set aside"}, format="json")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["is_live"] is False and withdrawn.json()["withdrawn_reason"] == "the order was set aside"
    assert client.post(withdraw, {}, format="json").status_code == 400

    unknown = client.post(_url(child_case, f"consents/{NOWHERE}/withdraw/"), {}, format="json")
    assert unknown.status_code == 404 and _denials(np_caseworker) == 1


def test_care_needs_consent_and_the_refusal_says_so(np_caseworker, morang, adult_case):
    client = _api(np_caseworker)
    refused = client.post(
        _url(adult_case, "assessments/"),
        {"kind": "needs", "assessed_on": _today(), "summary": "needs shelter"},
        format="json",
    )
    assert refused.status_code == 400
    [message] = refused.json()["errors"]["consent"]
    assert "needs consent" in message and "Care and services" in message and "nothing was changed" in message
    assert not Assessment.objects.exists()

    services.consent_give(actor=np_caseworker, case=adult_case, purpose="care", given_by="survivor",
                          checklist=CHECKLIST, language="ne")  # fmt: skip
    assessment = client.post(
        _url(adult_case, "assessments/"),
        {"kind": "needs", "assessed_on": _today(), "summary": "needs shelter"},
        format="json",
    )
    assert assessment.status_code == 201 and assessment.json()["kind"] == "needs"

    backwards = client.post(_url(adult_case, "support-plans/"), {"plan_type": "Health", "objectives": "recover",
                            "starts_on": _today(), "planned_end": "2020-01-01"}, format="json")  # fmt: skip
    assert backwards.status_code == 400 and "planned_end" in backwards.json()["errors"]
    plan = client.post(_url(adult_case, "support-plans/"), {"plan_type": "Health", "objectives": "recover",
                       "starts_on": _today()}, format="json").json()  # fmt: skip

    provider = str(adult_case.organisation.public_id)
    service = client.post(_url(adult_case, "services/"), {"service": "counselling", "provider": provider,
                          "delivered_on": _today(), "plan": plan["id"]}, format="json")  # fmt: skip
    assert service.status_code == 201 and service.json()["plan"] == plan["id"]
    other = open_case(np_caseworker, district=morang)
    legal_basis(np_caseworker, other, "care")
    foreign_plan = services.support_plan_add(actor=np_caseworker, case=other, plan_type="Legal", objectives="x",
                                             starts_on=timezone.localdate())  # fmt: skip
    wrong_plan = client.post(_url(adult_case, "services/"), {"service": "x", "provider": provider,
                             "delivered_on": _today(), "plan": str(foreign_plan.public_id)}, format="json")  # fmt: skip
    assert wrong_plan.status_code == 400 and "plan" in wrong_plan.json()["errors"]
    assert ServiceDelivery.objects.count() == 1

    detail = client.get(_url(adult_case)).json()
    assert [len(detail[k]) for k in ("assessments", "support_plans", "services", "consents")] == [1, 1, 1, 1]


def test_follow_up_visits_are_planned_and_a_family_visit_needs_consent(np_caseworker, adult_case):
    client = _api(np_caseworker)
    family = client.post(_url(adult_case, "follow-ups/"), {"due_on": _today()}, format="json")
    assert family.status_code == 201 and family.json()["with_family"] is True
    refused = client.post(_url(adult_case, f"follow-ups/{family.json()['id']}/record/"),
                          {"done_on": _today(), "outcome": "well"}, format="json")  # fmt: skip
    assert refused.status_code == 400 and "Contacting the family" in refused.json()["errors"]["consent"][0]

    alone = client.post(_url(adult_case, "follow-ups/"), {"due_on": _today(), "with_family": False}, format="json")
    record = _url(adult_case, f"follow-ups/{alone.json()['id']}/record/")
    assert client.post(record, {"done_on": _today(), "outcome": ""}, format="json").status_code == 400
    done = client.post(record, {"done_on": _today(), "outcome": "in school, safe"}, format="json")
    assert done.status_code == 200 and done.json()["done_on"] == _today()
    assert client.post(record, {"done_on": _today(), "outcome": "again"}, format="json").status_code == 400
    unknown = client.post(_url(adult_case, f"follow-ups/{NOWHERE}/record/"), {"done_on": _today(), "outcome": "x"},
                          format="json")  # fmt: skip
    assert unknown.status_code == 404


def test_related_persons_are_linked_only_when_the_caller_may_see_them(np_caseworker, np_transit_home, np_parsa_org,
                                                                      morang, parsa, child_case):  # fmt: skip
    mother = PersonFactory(full_name="Maya Tamang", organisation=np_transit_home, location_district=morang)
    stranger = PersonFactory(full_name="Out of reach", organisation=np_parsa_org, location_district=parsa)
    client = _api(np_caseworker)
    url = _url(child_case, "related/")

    linked = client.post(url, {"person": str(mother.public_id), "role": "parent", "details": "lives in Biratnagar"},
                         format="json")  # fmt: skip
    assert linked.status_code == 201
    assert linked.json()["person"] == str(mother.public_id) and linked.json()["person_name"] == "Maya Tamang"
    herself = client.post(url, {"person": str(child_case.survivor.public_id), "role": "sibling"}, format="json")
    assert herself.status_code == 400 and "person" in herself.json()["errors"]
    not_a_suspect = client.post(
        url,
        {"person": str(mother.public_id), "role": "guardian", "perpetrator_roles": ["RecruiterOrIntermediary"]},
        format="json",
    )
    assert not_a_suspect.status_code == 400 and "perpetrator_roles" in not_a_suspect.json()["errors"]

    out_of_scope = client.post(url, {"person": str(stranger.public_id), "role": "suspect"}, format="json")
    missing = client.post(url, {"person": NOWHERE, "role": "suspect"}, format="json")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json()
    assert _denials(np_caseworker) == 2
    assert RelatedPerson.objects.count() == 1


def test_trafficking_history_is_added(np_caseworker, morang, child_case):
    client = _api(np_caseworker)
    event = client.post(_url(child_case, "history/"), {"kind": "Recruitment", "district": morang.pk,
                        "date": _today(), "description": "offered a job in Delhi"}, format="json")  # fmt: skip
    assert event.status_code == 201 and event.json()["district"] == morang.pk
    nowhere = client.post(_url(child_case, "history/"), {"kind": "Transit"}, format="json")
    assert nowhere.status_code == 400 and "place" in nowhere.json()["errors"]
    assert [e["kind"] for e in client.get(_url(child_case)).json()["trafficking_events"]] == ["Recruitment"]


# --- documents -----------------------------------------------------------------------------------------------


def test_documents_are_uploaded_checked_and_downloaded_as_attachments(settings, np_caseworker, np_other_org,
                                                                      child_case):  # fmt: skip
    client = _api(np_caseworker)
    url = _url(child_case, "documents/")
    uploaded = client.post(url, {"doc_type": "cwc_order", "title": "Order 12", "file": _pdf("order.pdf")},
                           format="multipart")  # fmt: skip
    assert uploaded.status_code == 201, uploaded.content
    meta = uploaded.json()
    assert meta["content_type"] == "application/pdf" and meta["size"] == len(PDF)
    assert meta["original_name"] == "order.pdf" and meta["uploaded_by"]["username"] == "np_caseworker"

    download = client.get(_url(child_case, f"documents/{meta['id']}/file/"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    # A name the server makes: the uploader's file name never goes into a response header.
    assert download["Content-Disposition"] == f'attachment; filename="cwc_order-{meta["id"]}.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff" and download["Cache-Control"] == "no-store"
    assert b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="case.document_view", object_id=meta["id"]).exists()

    disguised = client.post(url, {"doc_type": "fir", "file": _pdf("fir.pdf", b"<html>not a pdf</html>")},
                            format="multipart")  # fmt: skip
    assert disguised.status_code == 400 and "file" in disguised.json()["errors"]
    untyped = client.post(url, {"file": _pdf()}, format="multipart")
    assert untyped.status_code == 400 and "doc_type" in untyped.json()["errors"]
    settings.SETU_UPLOAD_MAX_BYTES = 1000
    too_large = client.post(url, {"doc_type": "fir", "file": _pdf(data=PDF + b"0" * 2000)}, format="multipart")
    assert too_large.status_code == 413 and "larger than" in too_large.json()["detail"]
    assert CaseDocument.objects.count() == 1

    assert _api(np_other_org).get(_url(child_case, f"documents/{meta['id']}/file/")).status_code == 404
    assert client.get(_url(child_case, f"documents/{uuid.uuid4()}/file/")).status_code == 404
    assert _denials(np_caseworker) == _denials(np_other_org) == 1


# --- sensitive notes -----------------------------------------------------------------------------------------


def test_sensitive_notes_are_for_the_team_and_supervisors_and_every_read_is_audited(
    np_caseworker, np_transit_home, np_focal_point, child_case
):
    url = _url(child_case, "sensitive/")
    team = _api(np_caseworker)
    added = team.post(url, {"kind": "testimony", "text": "She was sold in Mumbai."}, format="json")
    assert added.status_code == 201 and added.json()["text"] == "She was sold in Mumbai."
    assert b"Mumbai" not in bytes(SensitiveNote.objects.get().ciphertext)
    assert team.post(url, {"kind": "gossip", "text": "x"}, format="json").status_code == 400

    [note] = team.get(url).json()
    assert note["kind"] == "testimony" and note["text"] == "She was sold in Mumbai."
    assert note["recorded_by"]["username"] == "np_caseworker"
    manager = make_user("manager", "shelter_manager", np_transit_home)  # a supervisor, not on the team
    assert _api(manager).get(url).json()[0]["text"] == "She was sold in Mumbai."

    colleague = make_user("colleague", "caseworker", np_transit_home)  # may see the case, not its notes
    for outsider in (colleague, np_focal_point):
        client = _api(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"kind": "health", "text": "x"}, format="json").status_code == 404
        assert client.get(_url(child_case)).json()["can_read_sensitive"] is False
    assert SensitiveNote.objects.count() == 1
    assert AuditEvent.objects.filter(action="case.sensitive_read", outcome="allowed").count() == 2
    assert AuditEvent.objects.filter(action="case.sensitive_read", outcome="denied").count() == 2
    assert AuditEvent.objects.filter(action="case.sensitive_add", outcome="denied").count() == 2


# --- schema --------------------------------------------------------------------------------------------------


def test_the_schema_documents_the_cases_endpoints_without_warnings(client, tmp_path):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    for path in (b"/api/v1/cases/{public_id}/act/", b"/api/v1/cases/{public_id}/documents/{document_id}/file/",
                 b"/api/v1/case-transfers/{public_id}/answer/", b"/api/v1/case-tasks/"):  # fmt: skip
        assert path in schema.content
    # --fail-on-warn: an endpoint whose types the generator had to guess fails here, not in a client.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_editing_the_case_details_and_its_team(sop_v1, np_caseworker, np_other_org, np_transit_home, morang):
    case = open_case(np_caseworker, district=morang)
    colleague = make_user("colleague", "caseworker", np_transit_home)
    client = _api(np_caseworker)

    response = client.patch(_url(case), {"revision": case.revision, "summary": "Found at a bus park",
                                         "exploitation_types": ["SexualExploitation"]}, format="json")  # fmt: skip
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.summary == "Found at a bus park" and case.exploitation_types == ["SexualExploitation"]

    stale = client.patch(_url(case), {"revision": case.revision - 1, "summary": "x"}, format="json")
    assert stale.status_code == 409
    bad = client.patch(_url(case), {"revision": case.revision, "exploitation_types": ["Nonsense"]}, format="json")
    assert bad.status_code == 400 and "exploitation_types" in bad.json()["errors"]

    response = client.post(_url(case, "team/"), {"revision": case.revision, "owner": "colleague",
                                                 "team": ["np_caseworker"]}, format="json")  # fmt: skip
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.owner == colleague and set(case.team.values_list("username", flat=True)) == {
        "colleague",
        "np_caseworker",
    }
    outsider = client.post(_url(case, "team/"), {"revision": case.revision, "owner": "np_other_org"},
                           format="json")  # fmt: skip
    assert outsider.status_code == 400 and "Not able to work on this case" in str(outsider.json()["errors"])


def test_ending_a_support_plan(sop_v1, np_caseworker, morang):
    case = open_case(np_caseworker, district=morang, age=25)
    legal_basis(np_caseworker, case, "care")
    plan = services.support_plan_add(actor=np_caseworker, case=case, plan_type="Health", objectives="care",
                                     starts_on=timezone.localdate() - dt.timedelta(days=10))  # fmt: skip
    client = _api(np_caseworker)
    early = client.post(
        _url(case, f"support-plans/{plan.public_id}/end/"),
        {"actual_end": (timezone.localdate() - dt.timedelta(days=20)).isoformat()},
        format="json",
    )
    assert early.status_code == 400
    response = client.post(_url(case, f"support-plans/{plan.public_id}/end/"), {"actual_end": _today()},
                           format="json")  # fmt: skip
    assert response.status_code == 200 and response.json()["actual_end"] == _today()
    assert client.post(_url(case, f"support-plans/{NOWHERE}/end/"), {"actual_end": _today()},
                       format="json").status_code == 404  # fmt: skip
