"""The demo's prosecutions (setu.legal.demo) through the services, on each node: the node's demo logins and
organisations from `seed_demo`, and a few survivor cases in the districts of the node's demo agencies."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from setu.accounts.models import User
from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.audit.models import AuditEvent
from setu.cases.tests.factories import open_case
from setu.geo.models import District, Province
from setu.legal import demo
from setu.legal.models import CompensationOrder, Prosecution, SessionStatus, VideoTestimony, WitnessNeed
from setu.people.tests.factories import PersonFactory
from setu.web.demo import agencies

pytestmark = pytest.mark.django_db


def _district(name: str, country: str) -> District:
    province = Province.objects.get_or_create(
        country=country, code=f"{country}-T", defaults={"name_en": f"{country} province"}
    )[0]
    return District.objects.get_or_create(province=province, name_en=name)[0]


def _world(node: str) -> dict[str, User]:
    """The node's demo prosecutor and caseworker, in their demo organisations and districts (agencies.py)."""
    users = {}
    for spec in agencies.users_of(node):
        if spec.username not in (f"{node.lower()}_prosecutor", f"{node.lower()}_caseworker"):
            continue
        org_spec = agencies.organisation(spec.organisation)
        organisation = OrganisationFactory(
            name_en=org_spec.name_en, country=node, districts=[_district(d, node) for d in org_spec.districts]
        )
        users[spec.username] = make_user(spec.username, spec.role.value, organisation)
    return users


def _cases(user: User, district: str, nationalities: list[str]) -> None:
    place = District.objects.get(name_en=district)
    for nationality in nationalities:
        survivor = PersonFactory(
            organisation=user.memberships.get().organisation,
            location_district=place,
            nationality=nationality,
            gender="Feminine",
        )
        open_case(user, district=place, survivor=survivor, age=22)


def test_india_gets_prosecutions_of_its_law_with_witnesses_a_session_and_compensation(settings):
    settings.SETU_NODE = "IN"
    users = _world("IN")
    _cases(users["in_caseworker"], "Araria", ["IN", "IN", "NP", "IN"])
    seeded = demo.seed(node="IN", users=users)
    assert (seeded.prosecutions, seeded.witnesses, seeded.sessions) == (3, 4, 1)
    rows = Prosecution.objects.all()
    assert {p.number[:6] for p in rows} == {"IN-PRS"} and rows.filter(outcome="conviction").count() == 1
    assert set(rows.values_list("charges__code", flat=True)) == {"BNS-143", "ITPA-5", "BNS-144"}
    assert AuditEvent.objects.filter(action="legal.prosecution_create").count() == 3
    order = CompensationOrder.objects.get()
    assert (order.currency, order.payments.count()) == ("INR", 1)
    assert VideoTestimony.objects.get().status == SessionStatus.PROPOSED
    assert WitnessNeed.objects.filter(presence="physical").count() == 1  # the Nepali woman before her handover
    client = Client()
    client.force_login(User.objects.get(username="in_prosecutor"))
    page = client.get(reverse("legal:dashboard")).content.decode()
    assert "Video testimony sessions to come" in page and order.witness.prosecution.number in page
    hold_up = WitnessNeed.objects.get(presence="physical").case.number
    assert hold_up in page.split('id="hold-ups"')[1].split("</section>")[0]
    # Idempotent.
    assert demo.seed(node="IN", users=users).prosecutions == 0


def test_nepal_gets_prosecutions_of_its_law(settings):
    """np_attorney works in Morang, where the node's demo cases are: its trial has witnesses, like India's."""
    settings.SETU_NODE = "NP"
    users = _world("NP")
    _district("Morang", "NP")
    _cases(users["np_caseworker"], "Morang", ["NP"])
    seeded = demo.seed(node="NP", users=users)
    assert seeded.prosecutions == 3
    assert {c for c in Prosecution.objects.values_list("charges__code", flat=True)} <= {
        "HTTCA-4-1-a",
        "HTTCA-4-2-b",
        "HTTCA-4-2-a",
    }
    convicted = Prosecution.objects.get(outcome="conviction").accused.get()
    assert (convicted.fine_amount, convicted.fine_currency) == (200000, "NPR")
    assert seeded.witnesses > 0
    assert Prosecution.objects.filter(court="Morang District Court").exists()
