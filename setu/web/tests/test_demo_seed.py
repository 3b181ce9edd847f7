"""`seed_demo`: the demo's agencies, logins and people, written through the services, idempotently."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from setu.accounts.models import Membership, Organisation, User
from setu.accounts.roles import Role
from setu.audit.models import AuditEvent
from setu.audit.services import audit_verify
from setu.geo.models import District
from setu.people.models import Person, PhoneNumber, Relation
from setu.web.demo import agencies
from setu.web.demo.agencies import DEMO_PASSWORD
from setu.web.demo.seed import DemoSeedRefusedError, seed_demo

pytestmark = pytest.mark.django_db
PERSONS = 40


@pytest.fixture
def demo_node(settings):
    settings.SETU_DEMO = True
    return settings


def counts() -> dict[str, int]:
    models = (User, Organisation, Membership, Person, Relation, PhoneNumber, District, AuditEvent)
    return {model.__name__: model.objects.count() for model in models}


def test_seeding_is_refused_when_the_node_is_not_in_demo_mode(settings):
    settings.SETU_DEMO = False
    with pytest.raises(CommandError, match="SETU_DEMO"):
        call_command("seed_demo", "--persons", "5")
    with pytest.raises(DemoSeedRefusedError):
        seed_demo(persons=5)
    assert User.objects.count() == 0
    assert Organisation.objects.count() == 0
    assert Person.objects.count() == 0


def test_nepal_node_gets_one_login_per_role_in_its_agencies(demo_node):
    report = seed_demo(persons=PERSONS)
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
    report = seed_demo(persons=PERSONS)
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
    report = seed_demo(persons=PERSONS)
    people = list(Person.objects.all())
    assert len(people) == report.persons_created == PERSONS
    assert {p.name_script for p in people} == {"Deva", "Latn"}
    assert all(p.name_latin.isascii() for p in people)
    assert {p.birth_precision for p in people} == {"exact", "year", "estimated"}
    assert Relation.objects.filter(kind="father").exists()
    assert PhoneNumber.objects.filter(number__startswith="+977").exists()
    created = AuditEvent.objects.filter(action="person.create")
    assert created.count() == PERSONS
    assert set(created.values_list("actor_username", flat=True)) <= {u.username for u in agencies.users_of("NP")}
    assert audit_verify() == []


def test_seeding_again_changes_nothing(demo_node):
    seed_demo(persons=PERSONS)
    before = counts()
    report = seed_demo(persons=PERSONS)
    assert counts() == before
    assert (report.places_created, report.organisations_created, report.users_created, report.persons_created) == (
        0, 0, 0, 0,
    )  # fmt: skip
    assert str(report) == "already seeded, nothing to add"


def test_seeding_more_people_later_adds_only_the_new_ones(demo_node):
    seed_demo(persons=10)
    report = seed_demo(persons=25)
    assert report.persons_created == 15
    assert Person.objects.count() == 25


def test_the_administrator_who_bootstraps_the_node_is_recorded_in_the_audit_chain(demo_node):
    seed_demo(persons=0)
    first = AuditEvent.objects.filter(action="organisation.create").order_by("seq").first()
    assert first.actor_username == "seed_demo"
    later = AuditEvent.objects.filter(action="organisation.create", actor_username="np_admin")
    assert later.count() == len(agencies.organisations_of("NP")) - 1


def test_seed_demo_command_reports_what_it_did(demo_node, capsys):
    call_command("seed_demo", "--persons", "3")
    assert "3 people created" in capsys.readouterr().out
    call_command("seed_demo", "--persons", "3")
    assert "already seeded" in capsys.readouterr().out


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
