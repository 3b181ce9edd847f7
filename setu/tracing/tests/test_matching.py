"""Matching on the node (setu.tracing.matching) and the review queue (services, selectors, pages): a report
and a rescued or intercepted girl meet across scripts as soon as either is saved; a person decides, with who
and why; who may see and decide which candidate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.accounts.models import Membership
from setu.accounts.policy import NotFoundOrForbidden
from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.audit.models import AuditEvent
from setu.cases.tests.factories import open_case
from setu.geo.models import BorderPoint
from setu.interceptions.services import InterceptionEntry, PersonEntry, interception_record
from setu.people.models import Relation
from setu.people.services import person_add_relation, person_create, person_update
from setu.tracing import matching, selectors, services
from setu.tracing.models import BlockKey, CandidateStatus, MatchCandidate, MatchModel, MatchNotice, MatchProfile, Status
from setu.tracing.tests.factories import entry, person_entry

pytestmark = pytest.mark.django_db


def _report(actor, **person):
    """Her mother reports Sita Tamang (सीता तामाङ, 15, father Dhan Bahadur) missing from Morang."""
    values = {"full_name": "सीता तामाङ", "other_name": "", "father_name": "धन बहादुर तामाङ", "age": 15, **person}
    return services.report_create(actor=actor, entry=entry(person=person_entry(**values)))


def _found(actor, district, name="Km. Seeta Kumari Tamang", father="Dhan Bahadur"):
    """An Indian-side kind of record of the same girl, opened as a case (a found person)."""
    survivor = person_create(
        actor=actor,
        full_name=name,
        gender="Feminine",
        nationality="NP",
        location_district=district,
        birth_precision="estimated",
        age_estimate=16,
        age_estimated_on=timezone.localdate(),
    )
    if father:
        Relation.objects.create(person=survivor, related_name=father, kind=Relation.Kind.FATHER)
    return open_case(actor, district=district, survivor=survivor)


@pytest.fixture
def matched(np_caseworker, np_police, morang, django_capture_on_commit_callbacks):
    """A report by the police and a case of the same girl at the transit home, matched when the case opened."""
    with django_capture_on_commit_callbacks(execute=True):
        report = _report(np_police)
    with django_capture_on_commit_callbacks(execute=True):
        case = _found(np_caseworker, morang)
    return report, case


def test_a_case_opened_for_her_is_proposed_for_the_report_across_scripts(matched):
    report, case = matched
    candidate = MatchCandidate.objects.get(report=report)
    assert candidate.person == case.survivor and candidate.status == CandidateStatus.PROPOSED
    assert candidate.probability >= matching.REVIEW_THRESHOLD
    fields = {item["field"]: item["label"] for item in candidate.explanation}
    assert fields["given_name"] == "same spelling" and fields["family_name"] == "same"
    assert fields["father_name"] == "same"
    assert candidate.explanation == sorted(candidate.explanation, key=lambda item: -abs(item["weight"]))


def test_candidates_for_many_records_are_each_record_s_own_candidates(matched, django_assert_max_num_queries):
    report, case = matched
    her = matching.features_of(report.person)
    nobody = matching.read_record({"record_id": "x", "full_name": "Zzyzx Qwerty", "sex": "Male"},
                                  today=timezone.localdate())  # fmt: skip
    alone = [matching.candidates(f, among=matching.ANYONE) for f in (her, nobody, her)]
    with django_assert_max_num_queries(6):  # the keys' counts, their persons, the profiles (and the model)
        together = matching.candidates_many([her, nobody, her], among=matching.ANYONE)
    assert together == alone
    assert case.survivor_id in {s.person_id for s in together[0]} and together[1] == []


def test_a_report_saved_after_the_case_finds_her_too(np_caseworker, np_police, morang,
                                                     django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        case = _found(np_caseworker, morang)
    with django_capture_on_commit_callbacks(execute=True):
        report = _report(np_police)
    assert list(MatchCandidate.objects.filter(report=report).values_list("person", flat=True)) == [case.survivor_id]


def test_a_girl_stopped_at_the_border_is_proposed(np_police, np_monitor, morang, django_capture_on_commit_callbacks):
    rani = BorderPoint.objects.create(country="NP", name_en="Rani", district=morang)
    with django_capture_on_commit_callbacks(execute=True):
        report = _report(np_police)
    with django_capture_on_commit_callbacks(execute=True):
        interception_record(actor=np_monitor, entry=InterceptionEntry(
            station=rani, intercepted_at=timezone.now() - dt.timedelta(hours=1),
            persons=[PersonEntry(full_name="Sita Tamang", gender="Feminine", age_years=15)]))  # fmt: skip
    candidate = MatchCandidate.objects.get(report=report)
    assert candidate.person.interceptions.exists()


def test_someone_else_is_not_proposed(np_caseworker, np_police, morang, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = _report(np_police)
    with django_capture_on_commit_callbacks(execute=True):
        _found(np_caseworker, morang, name="Ramesh Yadav", father="Suresh")
    assert not MatchCandidate.objects.filter(report=report).exists()


def test_a_matching_failure_never_loses_the_saved_record(np_police, monkeypatch, caplog,
                                                          django_capture_on_commit_callbacks):  # fmt: skip
    def broken(report):
        raise RuntimeError("the index is down")

    monkeypatch.setattr(matching, "propose_for_report", broken)
    with django_capture_on_commit_callbacks(execute=True):
        report = _report(np_police)
    assert report.pk and Status(report.status) == Status.OPEN
    assert "matching after a save failed" in caplog.text


def test_the_index_holds_her_features_and_keys(matched):
    report, _case = matched
    profile = MatchProfile.objects.get(person=report.person)
    assert profile.features["given"] == "sita" and profile.features["father"] == "dn"
    assert BlockKey.objects.filter(person=report.person, key="given_family:sita~tmng").exists()


def test_the_sweep_indexes_a_changed_person_again(matched, np_caseworker):
    _report_, case = matched
    person = case.survivor
    assert not matching.stale_persons()
    person_update(actor=np_caseworker, person=person, full_name="Sunita Rai")
    assert matching.stale_persons() == [person]
    assert matching.sweep()["indexed"] == 1
    assert MatchProfile.objects.get(person=person).features["given"] == "sunita"
    assert not matching.stale_persons()


def test_a_new_relation_makes_a_person_stale(matched, np_police):
    report, _case = matched
    person_add_relation(actor=np_police, person=report.person, kind="mother", related_name="Pema Tamang")
    assert report.person in matching.stale_persons()


# --- deciding --------------------------------------------------------------------------------------------------


def test_confirming_marks_the_report_found_tells_the_holders_and_is_audited(matched, np_caseworker):
    report, case = matched
    candidate = MatchCandidate.objects.get(report=report)
    services.candidate_confirm(actor=np_caseworker, candidate=candidate, reason="Her mother knew her photo.")
    candidate.refresh_from_db()
    report.refresh_from_db()
    assert (candidate.status, candidate.decided_by, candidate.reason) == ("confirmed", np_caseworker,
                                                                          "Her mother knew her photo.")  # fmt: skip
    assert report.status == Status.FOUND and report.found_at and "Her mother knew her photo." in report.status_note
    holders = set(MatchNotice.objects.filter(candidate=candidate).values_list("organisation", flat=True))
    assert holders == {report.organisation_id, case.survivor.organisation_id, case.organisation_id}
    assert AuditEvent.objects.filter(action="tracing.match_confirm", object_id=str(candidate.public_id),
                                     actor_id=np_caseworker.pk).exists()  # fmt: skip
    assert selectors.confirmed_match_of(report) == candidate


def test_rejecting_keeps_the_decision_and_the_candidate_is_not_proposed_again(matched, np_caseworker):
    report, case = matched
    candidate = MatchCandidate.objects.get(report=report)
    services.candidate_reject(actor=np_caseworker, candidate=candidate, reason="Another father, another village.")
    matching.propose_for_report(report)
    assert MatchCandidate.objects.get(report=report).status == CandidateStatus.REJECTED
    assert AuditEvent.objects.filter(action="tracing.match_reject", object_id=str(candidate.public_id)).exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_decision_needs_a_reason_and_changes_nothing_without(matched, np_caseworker, reason):
    report, _case = matched
    candidate = MatchCandidate.objects.get(report=report)
    with pytest.raises(ValidationError) as caught:
        services.candidate_confirm(actor=np_caseworker, candidate=candidate, reason=reason)
    assert "reason" in caught.value.message_dict
    assert MatchCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.PROPOSED
    report.refresh_from_db()
    assert report.status == Status.OPEN and not MatchNotice.objects.exists()


def test_a_candidate_is_decided_once(matched, np_caseworker, np_police):
    report, _case = matched
    candidate = MatchCandidate.objects.get(report=report)
    services.candidate_reject(actor=np_caseworker, candidate=candidate, reason="Not her.")
    with pytest.raises(ValidationError, match="already decided"):
        services.candidate_confirm(actor=np_police, candidate=candidate, reason="It is her.")


def test_a_report_closed_withdraws_its_undecided_candidates(matched, np_police, django_capture_on_commit_callbacks):
    report, _case = matched
    with django_capture_on_commit_callbacks(execute=True):
        services.report_set_status(actor=np_police, report=report, status="closed", note="Came home herself.")
    assert not MatchCandidate.objects.filter(report=report).exists()


# --- who sees and decides what -----------------------------------------------------------------------------------


def test_reviewers_of_the_report_or_of_the_person_see_the_candidate(matched, np_caseworker, np_police,
                                                                     np_focal_point):  # fmt: skip
    report, _case = matched
    candidate = MatchCandidate.objects.get(report=report)
    for reviewer in (np_caseworker, np_police, np_focal_point):
        assert selectors.candidate_get_for(reviewer, candidate.public_id) == candidate
        assert list(selectors.candidate_list_for(reviewer)) == [candidate]


def test_others_get_the_same_404_and_cannot_decide(matched, np_other_org, np_analyst, np_monitor):
    report, _case = matched
    candidate = MatchCandidate.objects.get(report=report)
    for outsider in (np_other_org, np_analyst):
        assert not selectors.candidate_list_for(outsider).exists()
        with pytest.raises(NotFoundOrForbidden):
            selectors.candidate_get_for(outsider, candidate.public_id)
        with pytest.raises(NotFoundOrForbidden):
            services.candidate_confirm(actor=outsider, candidate=candidate, reason="x")
    assert AuditEvent.objects.filter(action="tracing.match_review", outcome="denied").count() >= 4
    assert MatchCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.PROPOSED


def test_a_restricted_report_s_candidates_are_seen_only_by_its_organisation_and_node_wide(
    np_caseworker, np_police, np_focal_point, morang, django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        report = _report(np_police)
    services.report_update(actor=np_police, report=report, visibility="restricted")
    with django_capture_on_commit_callbacks(execute=True):
        _found(np_caseworker, morang)
    candidate = MatchCandidate.objects.get(report=report)
    assert selectors.candidate_can_review(np_police, candidate)
    assert selectors.candidate_can_review(np_focal_point, candidate)
    assert not selectors.candidate_can_review(np_caseworker, candidate)  # she holds the person, not the report


def test_a_shelter_in_another_district_reviews_the_girl_it_holds(np_police, morang, parsa,
                                                                  django_capture_on_commit_callbacks):  # fmt: skip
    shelter = OrganisationFactory(name_en="Transit Home Birgunj", districts=[parsa])
    caseworker = make_user("parsa_caseworker", "caseworker", shelter)
    with django_capture_on_commit_callbacks(execute=True):
        report = _report(np_police)
    with django_capture_on_commit_callbacks(execute=True):
        _found(caseworker, parsa)
    candidate = MatchCandidate.objects.get(report=report)
    assert selectors.candidate_can_review(caseworker, candidate)
    assert Membership.objects.filter(user=caseworker, organisation=shelter).exists()


# --- training ------------------------------------------------------------------------------------------------


def test_training_needs_enough_records_then_the_node_uses_its_model(matched, monkeypatch, np_caseworker, morang):
    assert matching.train() is None and matching.current_model().trained_at is None
    monkeypatch.setattr(matching, "MIN_TRAINING_RECORDS", 1)
    trained = matching.train()
    assert isinstance(trained, MatchModel) and trained.summary["reports"] == 1 and trained.summary["found"] == 1
    assert matching.current_model().trained_at == trained.trained_at


# --- pages -----------------------------------------------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_queue_the_candidate_page_and_the_report_page_show_the_match(matched, np_caseworker):
    report, case = matched
    candidate = MatchCandidate.objects.get(report=report)
    client = _client(np_caseworker)
    queue = client.get(reverse("tracing:matches"))
    assert queue.status_code == 200 and case.survivor.full_name in queue.content.decode()
    page = client.get(reverse("tracing:match", args=[candidate.public_id])).content.decode()
    assert "Is this the same person?" in page and "सीता तामाङ" in page and "Km. Seeta Kumari Tamang" in page
    assert "same spelling" in page and "Father&#x27;s name" in page
    police = _client(report.created_by)
    assert "possible match" in police.get(reverse("tracing:detail", args=[report.public_id])).content.decode()


def test_deciding_on_the_page(matched, np_caseworker):
    report, _case = matched
    candidate = MatchCandidate.objects.get(report=report)
    client = _client(np_caseworker)
    url = reverse("tracing:match_decide", args=[candidate.public_id])
    refused = client.post(url, {"decision": "confirm", "reason": ""})
    assert refused.status_code == 400 and "Say why" in refused.content.decode()
    assert client.post(url, {"decision": "maybe", "reason": "x"}).status_code == 400
    done = client.post(url, {"decision": "confirm", "reason": "Her father confirmed by phone."})
    assert done.status_code == 302 and done.url == reverse("tracing:matches")
    report.refresh_from_db()
    assert report.status == Status.FOUND
    dashboard = client.get(reverse("web:dashboard")).content.decode()
    assert report.number in dashboard  # the notice of the confirmed match
    client.get(reverse("tracing:match", args=[candidate.public_id]))
    assert not MatchNotice.objects.filter(seen_at__isnull=True, organisation__memberships__user=np_caseworker).exists()


def test_the_queue_is_refused_to_those_who_do_not_review(np_analyst):
    assert _client(np_analyst).get(reverse("tracing:matches")).status_code == 404


# --- API -------------------------------------------------------------------------------------------------------


def test_the_api_lists_reads_and_decides_candidates(matched, np_caseworker, np_analyst):
    from rest_framework.test import APIClient

    report, case = matched
    candidate = MatchCandidate.objects.get(report=report)
    client = APIClient()
    client.force_authenticate(np_caseworker)
    listed = client.get("/api/v1/tracing/matches/").json()
    assert [row["id"] for row in listed["results"]] == [str(candidate.public_id)]
    assert listed["results"][0]["explanation"][0]["weight"] > 0
    assert (
        client.get(f"/api/v1/tracing/matches/{candidate.public_id}/").json()["person_name"] == case.survivor.full_name
    )
    refused = client.post(f"/api/v1/tracing/matches/{candidate.public_id}/confirm/", {"reason": ""}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    done = client.post(f"/api/v1/tracing/matches/{candidate.public_id}/confirm/", {"reason": "Her mother knew her."},
                       format="json")  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    client.force_authenticate(np_analyst)
    assert client.get("/api/v1/tracing/matches/").status_code == 404
    assert client.get(f"/api/v1/tracing/matches/{candidate.public_id}/").status_code == 404


def test_her_page_shows_the_reports_that_may_be_hers(matched, np_caseworker, np_analyst):
    report, case = matched
    url = reverse("people:detail", args=[case.survivor.public_id])
    page = _client(np_caseworker).get(url).content.decode()
    assert "Reported missing?" in page and report.number in page and "Name: same spelling" in page
    assert "Reported missing?" not in _client(np_analyst).get(url).content.decode()  # no tracing work


def test_the_interception_page_tells_the_monitor_how_many_and_the_reviewer_which(
    np_police, np_monitor, rani, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = _report(np_police)
    with django_capture_on_commit_callbacks(execute=True):
        interception = interception_record(actor=np_monitor, entry=InterceptionEntry(
            station=rani, intercepted_at=timezone.now() - dt.timedelta(hours=1),
            persons=[PersonEntry(full_name="Sita Tamang", gender="Feminine", age_years=15)]))  # fmt: skip
    url = reverse("interceptions:detail", args=[interception.public_id])
    monitor = _client(np_monitor).get(url).content.decode()
    assert "1 missing-person report that may be hers" in monitor and report.number not in monitor
    reviewer = _client(np_police).get(url).content.decode()  # the police read interceptions and review
    assert "Possibly reported missing" in reviewer and report.number in reviewer
