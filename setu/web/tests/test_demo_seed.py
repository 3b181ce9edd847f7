"""`seed_demo`: the demo's agencies, logins, people and cases, written through the services, idempotently."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from setu.accounts.models import Membership, Organisation, User
from setu.accounts.roles import Role
from setu.audit.models import AuditEvent
from setu.audit.services import audit_verify
from setu.cases import choices
from setu.cases.models import (
    Case,
    CaseDocument,
    CaseEvent,
    Consent,
    Decision,
    Notification,
    RelatedPerson,
    SopVersion,
    StageRecord,
    Task,
    TraffickingEvent,
    Transfer,
)
from setu.cases.services import definition_of
from setu.geo.models import District
from setu.people.models import Person, PhoneNumber, Relation
from setu.web.demo import agencies
from setu.web.demo.agencies import DEMO_PASSWORD
from setu.web.demo.seed import DemoSeedRefusedError, seed_demo

pytestmark = pytest.mark.django_db
PERSONS = 40


@pytest.fixture
def demo_node(settings, tmp_path):
    settings.SETU_DEMO = True
    settings.MEDIA_ROOT = tmp_path  # the cases' documents
    return settings


def counts() -> dict[str, int]:
    models = (User, Organisation, Membership, Person, Relation, PhoneNumber, District, AuditEvent, Case,
              StageRecord, CaseEvent, Decision, Consent, CaseDocument, Task, Notification)  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


def test_seeding_is_refused_when_the_node_is_not_in_demo_mode(settings):
    settings.SETU_DEMO = False
    with pytest.raises(CommandError, match="SETU_DEMO"):
        call_command("seed_demo", "--persons", "5")
    with pytest.raises(DemoSeedRefusedError):
        seed_demo(persons=5)
    assert Case.objects.count() == 0
    assert User.objects.count() == 0
    assert Organisation.objects.count() == 0
    assert Person.objects.count() == 0


def test_nepal_node_gets_one_login_per_role_in_its_agencies(demo_node):
    report = seed_demo(persons=PERSONS, cases=0)
    assert report.unknown_places == set()
    for spec in agencies.users_of("NP"):
        user = User.objects.get(username=spec.username)
        assert user.check_password(DEMO_PASSWORD)
        membership = Membership.objects.get(user=user)
        assert membership.role == spec.role.value
        assert membership.organisation.name_en == agencies.organisation(spec.organisation).name_en
    assert sorted(Membership.objects.values_list("role", flat=True)) == sorted(r.value for r in Role)
    assert not User.objects.filter(username__startswith="in_").exists()
    assert set(Organisation.objects.values_list("country", flat=True)) == {"NP"}


def test_nepal_agencies_have_their_jurisdiction_on_the_gazetteer(demo_node):
    seed_demo(persons=0)
    maiti = Organisation.objects.get(name_en="Maiti Nepal Biratnagar Transit Home")
    assert maiti.name_ne == "माइती नेपाल विराटनगर ट्रान्जिट होम"
    assert maiti.org_type == "NGO"
    assert [d.name_en for d in maiti.districts.all()] == ["Morang"]
    assert [b.name_en for b in maiti.border_points.all()] == ["Rani"]
    bureau = Organisation.objects.get(short_name="AHTB/HTIB")
    assert bureau.org_type == "LawEnforcement"
    assert bureau.districts.count() == District.objects.filter(province__country="NP").count() == 77


def test_india_node_gets_its_own_agencies_and_logins(demo_node):
    demo_node.SETU_NODE = "IN"
    report = seed_demo(persons=PERSONS, cases=0)
    assert report.unknown_places == set()
    assert set(Organisation.objects.values_list("country", flat=True)) == {"IN"}
    usernames = sorted(User.objects.values_list("username", flat=True))
    assert usernames == sorted(u.username for u in agencies.users_of("IN"))
    ssb = Organisation.objects.get(short_name="SSB Jogbani")
    assert ssb.name_hi and [b.name_en for b in ssb.border_points.all()] == ["Jogbani"]
    assert [d.name_en for d in Organisation.objects.get(short_name="AHTU Araria").districts.all()] == ["Araria"]
    assert set(Person.objects.values_list("location_district__name_en", flat=True)) == {"Araria"}
    # Some of the people rescued in India are Nepali nationals, with their home district in Nepal.
    nepali = Person.objects.filter(nationality="NP")
    assert nepali.exists()
    assert all(p.home_district.province.country == "NP" for p in nepali)


def test_seeded_people_have_names_in_both_scripts_and_were_registered_through_the_services(demo_node):
    report = seed_demo(persons=PERSONS, cases=0)
    # The demo prosecutions' accused are registered by the prosecutor (setu.legal.demo), not by the people seeding.
    people = list(Person.objects.filter(prosecutions_as_accused__isnull=True))
    assert len(people) == report.persons_created == PERSONS
    assert {p.name_script for p in people} == {"Deva", "Latn"}
    assert all(p.name_latin.isascii() for p in people)
    assert {p.birth_precision for p in people} == {"exact", "year", "estimated"}
    assert Relation.objects.filter(kind="father").exists()
    assert PhoneNumber.objects.filter(number__startswith="+977").exists()
    created = AuditEvent.objects.filter(action="person.create")
    assert created.count() == PERSONS + Person.objects.filter(prosecutions_as_accused__isnull=False).distinct().count()
    assert set(created.values_list("actor_username", flat=True)) <= {u.username for u in agencies.users_of("NP")}
    assert audit_verify() == []


def test_seeding_again_changes_nothing(demo_node):
    demo_node.SETU_NODE = "IN"  # both paths: a third of the people here are Nepali
    first = seed_demo(persons=PERSONS)
    assert first.cases_created > 0
    before = counts()
    report = seed_demo(persons=PERSONS)
    assert counts() == before
    assert (
        report.places_created, report.organisations_created, report.users_created, report.persons_created,
        report.cases_created,
    ) == (0, 0, 0, 0, 0)  # fmt: skip
    assert report.sweep is None  # no new case, so no sweep either (the scheduler's job from now on)
    assert str(report) == "already seeded, nothing to add"


def test_seeding_more_people_later_adds_only_the_new_ones(demo_node):
    seed_demo(persons=10, cases=0)
    report = seed_demo(persons=25, cases=0)
    assert report.persons_created == 15
    assert Person.objects.filter(prosecutions_as_accused__isnull=True).count() == 25


def test_the_administrator_who_bootstraps_the_node_is_recorded_in_the_audit_chain(demo_node):
    seed_demo(persons=0)
    first = AuditEvent.objects.filter(action="organisation.create").order_by("seq").first()
    assert first.actor_username == "seed_demo"
    later = AuditEvent.objects.filter(action="organisation.create", actor_username="np_admin")
    assert later.count() == len(agencies.organisations_of("NP")) - 1


def test_seed_demo_command_reports_what_it_did(demo_node, capsys):
    call_command("seed_demo", "--persons", "6", "--cases", "2", "--interceptions", "0")
    out = capsys.readouterr().out
    assert "6 people created" in out
    assert "2 cases opened and moved through the SOP" in out
    assert Case.objects.count() == 2
    call_command("seed_demo", "--persons", "6", "--cases", "2", "--interceptions", "0")
    assert "already seeded" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--cases must be zero or more"):
        call_command("seed_demo", "--cases", "-1")


def test_a_demo_login_signs_in_with_the_published_password(demo_node, client):
    seed_demo(persons=0)
    response = client.post(reverse("login"), {"username": "np_caseworker", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("web:dashboard")


def test_the_demo_node_uses_sop_v1_loaded_by_its_administrator(demo_node):
    from setu.cases.models import SopVersion

    seed_demo(persons=0)
    sop = SopVersion.objects.get(is_current=True)
    assert sop.version == "1"
    assert sop.loaded_by.username == agencies.ADMIN_USERNAME["NP"]


# --- cases ---------------------------------------------------------------------------------------------------

STATUTORY = {"cwc_production", "itpa_custody", "child_care", "repatriation_decision"}


def test_demo_cases_cover_every_stage_of_both_paths_as_a_real_node_would(demo_node):
    demo_node.SETU_NODE = "IN"
    report = seed_demo(persons=120, cases=60)
    now = timezone.now()
    cases = Case.objects.select_related("survivor", "sop_version")
    assert report.cases_created == cases.count() == 60
    definition = definition_of(SopVersion.objects.get(is_current=True))
    stages = Counter(case.stage for case in cases)
    assert set(stages) == set(definition.stages), stages  # every stage of SOP v1, each with a case
    # The way home follows nationality: the Nepali survivors on the India node go home across the border.
    assert all((case.path == "cross_border") == (case.survivor.nationality == "NP") for case in cases)
    assert {case.path for case in cases} == {"cross_border", "domestic"}
    assert 0.3 <= cases.filter(is_minor=True).count() / 60 <= 0.5
    # Rescued over the last ten months, and nothing in the history is in the future.
    assert min(case.identified_at for case in cases) > now - dt.timedelta(days=320)
    assert not CaseEvent.objects.filter(at__gt=now).exists()
    assert not StageRecord.objects.filter(entered_at__gt=now).exists()
    # Some past their deadline now, statutory and target ones; the sweep that followed the seed escalated them.
    overdue = {case.stage for case in cases.filter(due_at__lt=now, status__in=choices.OPEN_STATUSES)}
    assert overdue & STATUTORY and overdue - STATUTORY, overdue
    assert report.sweep is not None and report.sweep.cases > 0
    assert Task.objects.filter(kind="escalation").exists() and Notification.objects.exists()
    assert cases.filter(status="OnHold").exists()
    assert Consent.objects.filter(withdrawn_at__isnull=False).exists()
    assert Transfer.objects.filter(state="pending").exists()
    assert cases.filter(status="Closed").exclude(closure_reason="").count() == stages["closed"]
    assert RelatedPerson.objects.filter(role="suspect").exclude(perpetrator_roles=[]).exists()
    assert TraffickingEvent.objects.filter(kind="Recruitment", date__isnull=False).exists()


def test_demo_cases_are_worked_by_the_logins_the_sop_names(demo_node):
    demo_node.SETU_NODE = "IN"
    seed_demo(persons=120, cases=60)
    # The other country's replies are recorded by the focal point, with their reference.
    for record in StageRecord.objects.filter(action__in=["verification_confirmed", "handover_confirmed"]):
        assert record.moved_by.username == "in_focal"
        assert record.counterpart_reference.startswith(("Embassy of Nepal, New Delhi", "Handover memo"))
    assert StageRecord.objects.filter(action="verification_confirmed").exists()
    assert {r.moved_by.username for r in StageRecord.objects.filter(stage="child_care", action="place_in_care")} == {
        "in_cwc"
    }
    # Decisions carry the survivor's own view; a best-interest assessment answers every question.
    assert not Decision.objects.filter(survivor_view="").exists()
    keys = {key for key, _label in choices.BEST_INTEREST_QUESTIONS}
    assessments = Decision.objects.filter(kind="best_interest_assessment")
    assert assessments.exists() and all(set(d.answers) == keys for d in assessments)
    # Documents are real PDF files; every write went through a service, into an intact audit chain.
    document = CaseDocument.objects.filter(doc_type="cwc_order").first()
    assert document.file.open("rb").read(5) == b"%PDF-"
    assert AuditEvent.objects.filter(action="case.open").count() == Case.objects.count()
    assert audit_verify() == []
