"""The demo's missing-person reports (setu.web.demo.tracing), seeded by `seed_demo`: eighteen months of reports
on each node through the services, most open, some found or closed; on the Nepal node, reports of the people
the India node records again; a few of girls its cases rescued later, which the matcher finds and a reviewer
confirms, and namesakes it proposes, which a reviewer rejects saying what differs; idempotent."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from setu.audit.models import AuditEvent
from setu.audit.services import audit_verify
from setu.cases.models import Case
from setu.cases.tests.factories import open_case
from setu.people.models import Person
from setu.people.services import person_create
from setu.tracing import services
from setu.tracing.models import CandidateStatus, MatchCandidate, MissingReport, Status
from setu.tracing.tests.factories import entry, person_entry
from setu.web.demo.names import generate_persons
from setu.web.demo.seed import seed_demo
from setu.web.demo.tracing import DEFAULT_MISSING_REPORTS, MATCHED_REPORTS, WINDOW_DAYS, _Writer, plan_reports

pytestmark = pytest.mark.django_db
PERSONS = 60


@pytest.fixture
def demo_node(settings, tmp_path):
    settings.SETU_DEMO = True
    settings.MEDIA_ROOT = tmp_path
    return settings


def test_the_nepal_node_gets_eighteen_months_of_reports_through_the_services(demo_node):
    today = timezone.localdate()
    report = seed_demo(persons=PERSONS, cases=0, missing_reports=DEFAULT_MISSING_REPORTS["NP"])
    rows = MissingReport.objects.select_related("person", "organisation", "last_seen_district")
    assert report.missing_reports_created == rows.count() == 60
    assert "60 missing-person reports" in str(report)
    assert all(today - dt.timedelta(days=WINDOW_DAYS) <= r.reported_on < today for r in rows)
    assert all(r.last_seen_on <= r.reported_on for r in rows)
    statuses = Counter(rows.values_list("status", flat=True))
    assert statuses[Status.OPEN] > statuses[Status.FOUND] > statuses[Status.CLOSED] > 0
    # Registered by several agencies, with their references; a few restricted; the ministry's abroad.
    organisations = Counter(r.organisation.short_name for r in rows)
    assert {"AHTB/HTIB", "NCRC", "Maiti Biratnagar"} <= set(organisations)
    assert {r.reference_kind for r in rows} >= {"police", "ncrc_104", "ngo"}
    assert any(r.reference.startswith("Zaheri ") for r in rows)
    assert 0 < sum(r.is_restricted for r in rows) < 15
    assert all(r.person.organisation_id == r.organisation_id for r in rows)
    assert MissingReport.objects.exclude(last_seen_local_level=None).count() > 30
    # Numbered per year without gaps, in the order they were reported.
    for year in {r.reported_on.year for r in rows}:
        numbers = sorted(r.number for r in rows if r.reported_on.year == year)
        assert numbers == [f"NP-MPR-{year}-{n:06d}" for n in range(1, len(numbers) + 1)]
    # Written through the services: one audit event each, the chain intact, dated as reported.
    assert AuditEvent.objects.filter(action="tracing.report_create").count() == 60
    assert (
        AuditEvent.objects.filter(action="tracing.report_status").count()
        == statuses[Status.FOUND] + statuses[Status.CLOSED]
    )
    assert audit_verify() == []
    assert all(timezone.localdate(r.created_at) == r.reported_on for r in rows)


def test_some_nepal_reports_are_of_people_the_india_node_records_again(demo_node):
    seed_demo(persons=PERSONS, cases=0, missing_reports=60)
    same_as = {p.same_as for p in generate_persons("IN", PERSONS) if p.same_as}
    originals = [p for p in generate_persons("NP", PERSONS) if p.ref in same_as]
    names = {p.full_name_devanagari or p.full_name_latin for p in originals}
    reported = MissingReport.objects.filter(person__full_name__in=names).select_related("person")
    assert reported.count() >= min(len(originals), 5)
    assert all(r.status == Status.OPEN for r in reported)
    # Her parents' names and the other spelling, for the matcher to compare.
    assert all(r.person.relations.count() == 2 and r.person.aliases.exists() for r in reported)


def test_the_india_node_gets_its_missing_children_and_a_few_nepali(demo_node):
    demo_node.SETU_NODE = "IN"
    seed_demo(persons=20, cases=0, missing_reports=DEFAULT_MISSING_REPORTS["IN"], node="IN")
    rows = MissingReport.objects.select_related("person")
    assert rows.count() == 15
    nationalities = Counter(r.person.nationality for r in rows)
    assert nationalities["IN"] > nationalities["NP"] > 0
    assert all(r.number.startswith("IN-MPR-") for r in rows)
    assert {r.reference_kind for r in rows} <= {"police", "trackchild", "childline"}
    assert all(r.person.age is None or r.person.age < 22 for r in rows if r.person.nationality == "IN")


def test_a_few_reports_are_of_girls_rescued_later_and_the_matcher_finds_them(demo_node):
    seed_demo(persons=PERSONS, cases=40, missing_reports=60)
    assert MissingReport.objects.count() == 60
    confirmed = MatchCandidate.objects.filter(status=CandidateStatus.CONFIRMED).select_related(
        "report__person", "person", "decided_by"
    )
    assert 1 <= confirmed.count() <= MATCHED_REPORTS["NP"]
    for candidate in confirmed:
        report, girl = candidate.report, candidate.person
        case = Case.objects.get(survivor=girl)  # the survivor of one of the node's cases...
        assert report.person != girl and not girl.missing_reports.exists()  # ...and the report a record of its own
        assert report.status == Status.FOUND and report.reported_on < timezone.localdate(case.identified_at)
        assert candidate.probability >= 0.9 and candidate.decided_by is not None and candidate.reason
        assert report.found_at == candidate.decided_at
    assert AuditEvent.objects.filter(action="tracing.match_confirm").count() == confirmed.count()
    assert audit_verify() == []
    # Written among the others in the order reported: the numbers follow the dates.
    reported = list(MissingReport.objects.order_by("number").values_list("reported_on", flat=True))
    assert reported == sorted(reported)


def test_a_namesake_the_matcher_proposes_is_rejected_saying_what_differs(
    np_caseworker, np_police, morang, django_capture_on_commit_callbacks
):
    """Two girls named Sita Tamang rescued in Morang a month after a report of one (15, from Morang): the matcher
    proposes both; the one of 19 is rejected (after her case), the one who agrees waits for a reviewer."""

    def rescued(age, home):
        survivor = person_create(actor=np_caseworker, full_name="सीता तामाङ", gender="Feminine", nationality="NP",
                                 location_district=morang, home_district=home, birth_precision="estimated",
                                 age_estimate=age, age_estimated_on=timezone.localdate())  # fmt: skip
        return open_case(np_caseworker, district=morang, survivor=survivor).survivor

    with django_capture_on_commit_callbacks(execute=True):
        month_ago = timezone.localdate() - dt.timedelta(days=30)
        report = services.report_create(actor=np_police, entry=entry(
            person=person_entry(home_district=morang), reported_on=month_ago,
            last_seen_on=month_ago - dt.timedelta(days=2)))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        her, namesake = rescued(16, morang), rescued(19, None)
    assert set(MatchCandidate.objects.values_list("person", flat=True)) == {her.pk, namesake.pk}

    writer = _Writer("NP", {"np_caseworker": np_caseworker, "np_police": np_police}, {})
    assert writer.reject_namesakes(timezone.localdate()) == 1
    rejected = MatchCandidate.objects.get(status=CandidateStatus.REJECTED)
    assert rejected.person == namesake and rejected.report == report
    assert rejected.reason == "Not the girl reported: she was 15, the other girl 18."  # on the day last seen
    assert rejected.decided_by in (np_caseworker, np_police)
    assert timezone.localdate(rejected.decided_at) == timezone.localdate()  # after her case, not the report
    assert MatchCandidate.objects.get(status=CandidateStatus.PROPOSED).person == her
    assert AuditEvent.objects.filter(action="tracing.match_reject").count() == 1
    assert audit_verify() == []


def test_seeding_again_adds_no_report_and_no_case(demo_node):
    seed_demo(persons=PERSONS, cases=20, missing_reports=30)
    counts = (MissingReport.objects.count(), Person.objects.count(), Case.objects.count())
    report = seed_demo(persons=PERSONS, cases=20, missing_reports=30)
    assert report.missing_reports_created == 0
    assert (MissingReport.objects.count(), Person.objects.count(), Case.objects.count()) == counts
    # The people reported missing are never made survivors of the demo's cases.
    assert not Case.objects.filter(survivor__missing_reports__isnull=False).exists()


def test_the_command_seeds_the_nodes_default(demo_node, capsys):
    call_command("seed_demo", "--persons", "10", "--cases", "0", "--interceptions", "0", "--missing-reports", "12")
    assert MissingReport.objects.count() == 12
    assert "12 missing-person reports" in capsys.readouterr().out


def test_the_plan_is_the_same_every_time():
    today = dt.date(2026, 3, 1)
    first = plan_reports(node="NP", count=60, persons=PERSONS, today=today)
    again = plan_reports(node="NP", count=60, persons=PERSONS, today=today)
    assert [(p.person.ref, p.reported_on, p.status) for p in first] == [
        (p.person.ref, p.reported_on, p.status) for p in again
    ]
