"""The demo's MLA requests: every status on each node, and the two nodes' sides of each story agree (the
same reference, each node's number for the other's request the other's own)."""

from __future__ import annotations

import pytest

from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.mla import demo, workflow
from setu.mla.models import MlaCounter, MlaRequest

pytestmark = pytest.mark.django_db


def _seed(node: str, prosecutor, focal, office) -> dict[str, dict]:
    created = demo.seed(node=node, organisations={demo.OFFICE[node]: office},
                        users={demo.PROSECUTOR[node]: prosecutor, demo.FOCAL[node]: focal})  # fmt: skip
    assert created == MlaRequest.objects.count() > 0
    assert demo.seed(node=node, organisations={}, users={}) == 0  # a seeded node is left as it is
    rows = {
        f"{r.direction}:{r.exchange_ref}": {"number": r.number, "peer_number": r.peer_number, "status": r.status,
                                           "history": list(r.history.values_list("to_status", flat=True))}
        for r in MlaRequest.objects.all()
    }  # fmt: skip
    return rows


def test_both_nodes_seed_every_status_and_agree_on_each_story(settings, np_focal_point, prosecution, np_prosecutor,
                                                               np_attorney):  # fmt: skip
    settings.SETU_NODE = "NP"
    nepal = _seed("NP", np_prosecutor, np_focal_point, np_attorney)
    assert {row["status"] for row in nepal.values()} == set(workflow.STATUSES)
    outgoing = MlaRequest.objects.filter(direction="outgoing")
    assert outgoing.filter(prosecution=prosecution).count() == outgoing.count()  # the office's one prosecution
    assert MlaRequest.objects.filter(direction="incoming", organisation__isnull=True).count() == 4
    # The India node has a database of its own: start it afresh here.
    MlaRequest.objects.all().delete()
    MlaCounter.objects.all().delete()

    settings.SETU_NODE = "IN"
    office = OrganisationFactory(name_en="Directorate of Prosecution, Bihar", country="IN")
    india = _seed("IN", make_user("in_prosecutor", "prosecutor", office), np_focal_point, office)
    assert {row["status"] for row in india.values()} == set(workflow.STATUSES)
    for story in demo.STORIES:
        if story.status == workflow.DRAFTED:
            continue
        ref = str(story.ref)
        sender, receiver = (nepal, india) if story.sender == "NP" else (india, nepal)
        mine, theirs = sender[f"outgoing:{ref}"], receiver[f"incoming:{ref}"]
        assert theirs["peer_number"] == mine["number"]
        if mine["peer_number"]:
            assert mine["peer_number"] == theirs["number"]
        assert mine["status"] == story.status
        assert theirs["history"][0] == "received"


def test_the_demo_links_the_prosecutions_setu_legal_seeded(settings, np_focal_point):
    from setu.legal import demo as legal_demo
    from setu.legal.models import Prosecution

    settings.SETU_NODE = "NP"
    from setu.geo.models import District, Province

    bagmati = Province.objects.get_or_create(country="NP", code="3", defaults={"name_en": "Bagmati"})[0]
    kathmandu = District.objects.get_or_create(province=bagmati, name_en="Kathmandu")[0]
    office = OrganisationFactory(name_en="Office of the District Attorney, Kathmandu", country="NP",
                                 districts=[kathmandu])  # fmt: skip
    prosecutor = make_user("np_prosecutor", "prosecutor", office)
    legal_demo.seed(node="NP", users={"np_prosecutor": prosecutor})
    assert Prosecution.objects.filter(organisation=office).count() >= 2
    demo.seed(node="NP", organisations={"np_attorney": office}, users={"np_prosecutor": prosecutor,
                                                                        "np_focal": np_focal_point})  # fmt: skip
    linked = set(MlaRequest.objects.filter(direction="outgoing").values_list("prosecution__number", flat=True))
    assert len(linked) >= 2 and None not in linked
