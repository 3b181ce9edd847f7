"""The demo's year of border interceptions (setu.web.demo.interceptions) and prevention work, seeded by
`seed_demo`: realistic spread, flags and outcomes, referrals that open cases, one recurring escort."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from setu.accounts.models import User
from setu.audit.models import AuditEvent
from setu.audit.services import audit_verify
from setu.cases.choices import OPEN_STATUSES, PerpetratorRole
from setu.cases.models import Case
from setu.interceptions.models import Companion, FamilyCall, InterceptedPerson, Interception, Outcome
from setu.interceptions.screening import default_checklist_text, load_checklist
from setu.interceptions.selectors import interception_list_for, repeats_for
from setu.people.models import Person
from setu.prevention.models import AwarenessActivity
from setu.web.demo.interceptions import MIN_REFERRALS, plan_interceptions
from setu.web.demo.seed import seed_demo

pytestmark = pytest.mark.django_db
COUNT = 150  # a small year: enough for every outcome, station and month


@pytest.fixture
def demo_node(settings, tmp_path):
    settings.SETU_DEMO = True
    settings.MEDIA_ROOT = tmp_path
    return settings


def recurring_suspects() -> dict[int, set[str]]:
    """Suspects seen at more than one crossing point: person -> the stations."""
    stations: dict[int, set[str]] = {}
    for person_id, station in Companion.objects.filter(is_suspect=True).values_list(
        "person_id", "interception__station__name_en"
    ):
        stations.setdefault(person_id, set()).add(station)
    return {person: names for person, names in stations.items() if len(names) > 1}


def test_a_small_nepal_demo_holds_a_year_of_interceptions_at_its_crossing_points(demo_node):
    now = timezone.now()
    report = seed_demo(persons=10, cases=0, interceptions=COUNT)
    rows = Interception.objects.select_related("station", "checklist")
    assert report.interceptions_created == rows.count() == COUNT
    assert f"{COUNT} border interceptions" in str(report)
    # Several stations, the demo's own crossing the busiest, over the last twelve months, none in the future.
    by_station = Counter(rows.values_list("station__name_en", flat=True))
    assert set(by_station) == {"Rani", "Kakarbhitta", "Pashupatinagar", "Birgunj", "Belahiya"}
    assert by_station.most_common(1)[0][0] == "Rani"
    months = {(at.year, at.month) for at in rows.values_list("intercepted_at", flat=True)}
    assert len(months) >= 11
    assert all(now - dt.timedelta(days=366) < row.intercepted_at < now for row in rows)
    assert {row.station.country for row in rows} == {"NP"}
    # Every outcome, most counselled or returned home, a few per cent referred; only the newest still open.
    outcomes = Counter(rows.values_list("outcome", flat=True))
    assert set(outcomes) == set(Outcome.values)
    assert (outcomes[Outcome.COUNSELLED] + outcomes[Outcome.RETURNED]) / COUNT > 0.6
    assert outcomes[Outcome.POLICE] >= MIN_REFERRALS
    newest_decided = rows.exclude(outcome=Outcome.OPEN).order_by("-intercepted_at").first()
    assert all(row.intercepted_at >= newest_decided.intercepted_at for row in rows.filter(outcome=Outcome.OPEN))
    assert not rows.exclude(outcome=Outcome.OPEN).filter(outcome_at__isnull=True).exists()
    # Scored by the checklist in use; every risk level; referrals medium or high.
    assert {row.checklist.version for row in rows} == {"1"}
    assert {row.risk_level for row in rows} == {"low", "medium", "high"}
    assert set(rows.filter(outcome=Outcome.POLICE).values_list("risk_level", flat=True)) <= {"medium", "high"}
    flags = Counter(flag for row in rows for flag in row.flags)
    assert flags["family_unaware"] > COUNT * 0.15
    assert flags["minor_without_guardian"] > COUNT * 0.1
    weights = {key: flag.weight for key, flag in load_checklist(default_checklist_text()).flags.items()}
    assert all(row.score == sum(weights[flag] for flag in row.flags) for row in rows)
    # Children are common; families called for many; companions for about half, some of them suspects.
    stopped = InterceptedPerson.objects.all()
    assert stopped.filter(age_band="9-17").count() / stopped.count() > 0.2
    called = rows.filter(calls__isnull=False).distinct().count()
    assert called / COUNT > 0.5
    accompanied = rows.filter(companions__isnull=False).distinct().count()
    assert 0.3 < accompanied / COUNT < 0.8
    suspects = Companion.objects.filter(is_suspect=True)
    assert suspects.exists()
    assert all(s.roles and set(s.roles) <= set(PerpetratorRole.values) for s in suspects)
    # Numbers from the node's counter, in date order within a year.
    ordered = list(rows.order_by("intercepted_at", "id").values_list("number", flat=True))
    for year in {number.split("-")[2] for number in ordered}:
        of_year = [n for n in ordered if n.split("-")[2] == year]
        assert of_year == sorted(of_year)
    # People stopped are named as the desk writes them, in both scripts, registered when they were stopped.
    people = Person.objects.filter(interceptions__isnull=False).distinct()
    assert {p.name_script for p in people} == {"Deva", "Latn"}
    first = stopped.select_related("interception", "person").order_by("interception__intercepted_at").first()
    assert first.person.created_at == first.interception.intercepted_at
    assert audit_verify() == []


def test_referrals_open_survivor_cases_through_the_interception_service(demo_node):
    seed_demo(persons=0, cases=0, interceptions=COUNT)
    referred = InterceptedPerson.objects.filter(interception__outcome=Outcome.POLICE).select_related(
        "case", "person", "interception"
    )
    assert referred.count() >= MIN_REFERRALS
    for item in referred:
        assert item.case is not None and item.case.survivor_id == item.person_id
        assert item.case.status in OPEN_STATUSES
        assert item.case.identified_at == item.interception.intercepted_at
        assert item.interception.handed_to.short_name == "AHTB/HTIB"
    assert Case.objects.count() == referred.count()
    decided = AuditEvent.objects.filter(action="interception.decide", object_type="interceptions.interception")
    assert set(decided.values_list("object_id", flat=True)) >= {str(i.interception.public_id) for i in referred}
    assert AuditEvent.objects.filter(action="case.open").count() == referred.count()
    # Not counted among the people a second seeding would give a case to (seeding again adds none).
    assert seed_demo(persons=0, cases=50, interceptions=COUNT).cases_created == 0


def test_one_escort_travels_with_different_girls_through_three_crossing_points_and_more(demo_node):
    seed_demo(persons=0, cases=0, interceptions=COUNT)
    recurring = recurring_suspects()
    escort_id, stations = max(recurring.items(), key=lambda item: len(item[1]))
    assert len(stations) >= 3
    escort = Person.objects.get(pk=escort_id)
    assert escort.gender == "Masculine"
    girls = InterceptedPerson.objects.filter(interception__companions__person=escort)
    assert girls.values("person").distinct().count() >= 4
    # The monitor's repeat detection shows him at her organisation's stations; the focal point sees them all.
    monitor, focal = User.objects.get(username="np_monitor"), User.objects.get(username="np_focal")
    assert len(repeats_for(monitor, escort).stations) >= 3
    assert len(repeats_for(focal, escort).stations) == len(stations)
    assert all(seen.is_suspect for seen in repeats_for(focal, escort).seen)
    # A second, smaller one: a woman recruiter seen at two.
    assert len(recurring) >= 2


def test_the_india_node_stops_mostly_nepali_girls_and_hands_many_to_the_nepal_side(demo_node):
    demo_node.SETU_NODE = "IN"
    report = seed_demo(persons=0, cases=0, interceptions=COUNT)
    assert report.interceptions_created == COUNT
    rows = Interception.objects.all()
    assert set(rows.values_list("station__name_en", flat=True)) == {"Jogbani", "Panitanki", "Raxaul"}
    assert set(rows.values_list("station__country", flat=True)) == {"IN"}
    nationalities = Counter(InterceptedPerson.objects.values_list("person__nationality", flat=True))
    assert nationalities["NP"] > nationalities["IN"]
    assert set(rows.values_list("outcome", flat=True)) == set(Outcome.values)
    assert rows.filter(outcome=Outcome.OTHER_SIDE).count() > rows.filter(outcome=Outcome.POLICE).count()
    assert max(len(stations) for stations in recurring_suspects().values()) >= 3
    # The help desk's monitor sees her organisation's records; the AHTU's officer those of its district.
    monitor, police = User.objects.get(username="in_monitor"), User.objects.get(username="in_police")
    assert interception_list_for(monitor).filter(station__name_en="Raxaul").exists()
    assert interception_list_for(police).exists()
    assert FamilyCall.objects.filter(phone__startswith="+977").exists()
    assert audit_verify() == []


def test_seeding_again_adds_no_interceptions_and_nothing_else(demo_node):
    seed_demo(persons=10, cases=5, interceptions=60)
    models = (Interception, InterceptedPerson, Companion, FamilyCall, Person, Case, AwarenessActivity, AuditEvent)
    before = {model.__name__: model.objects.count() for model in models}
    report = seed_demo(persons=10, cases=5, interceptions=60)
    assert {model.__name__: model.objects.count() for model in models} == before
    assert (report.interceptions_created, report.prevention_created, report.cases_created) == (0, 0, 0)
    assert str(report) == "already seeded, nothing to add"


def test_the_nepal_node_shows_a_year_of_prevention_work_by_its_local_government_and_an_ngo(demo_node):
    report = seed_demo(persons=0, cases=0)
    assert report.prevention_created > 0
    assert "prevention records" in str(report)
    organisations = set(AwarenessActivity.objects.values_list("organisation__short_name", flat=True))
    assert organisations == {"Biratnagar Metro", "Maiti Biratnagar"}


def test_the_plan_is_the_same_every_time():
    now = timezone.now()
    first, second = (plan_interceptions(node="NP", count=80, now=now) for _ in range(2))

    def key(plan):
        return (plan.post.station, plan.at, plan.outcome, tuple(plan.flags), tuple(p.full_name for p in plan.persons))

    assert [key(p) for p in first] == [key(p) for p in second]
    assert len(first) == 80
    assert plan_interceptions(node="NP", count=0, now=now) == []
