"""The demo trainings: each node's side, through the services, and the two sides agree (the guest node's
nominations are the host's participants of the other country, with the same results and certificate codes).
Both sides are seeded into one test database here, switching the node between them."""

from __future__ import annotations

import pytest

from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.audit.models import AuditEvent
from setu.training import demo, selectors, services
from setu.training.models import Certificate, Invitation, Nomination, Participant, ParticipantKind, Programme
from setu.web.demo.agencies import ORGANISATIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(db):
    organisations = {spec.key: OrganisationFactory(name_en=spec.name_en, country=spec.node) for spec in ORGANISATIONS}
    users = {
        "np_trainer": make_user("np_trainer", "trainer", organisations["np_academy"]),
        "in_trainer": make_user("in_trainer", "trainer", organisations["in_academy"]),
    }
    return organisations, users


def _seed(settings, node, organisations, users):
    settings.SETU_NODE = node
    mine = {key: org for key, org in organisations.items() if org.country == node}
    return demo.seed(node=node, organisations=mine, users=users)


def test_both_sides_of_the_two_joint_trainings_agree(settings, demo_world):
    organisations, users = demo_world
    np_side = _seed(settings, "NP", organisations, users)
    in_side = _seed(settings, "IN", organisations, users)
    assert np_side.programmes == in_side.programmes == 2  # one joint training hosted, one upcoming of its own
    assert np_side.invitations == in_side.invitations == 1
    assert Programme.objects.filter(is_joint=True).count() == 2
    nominations = list(Nomination.objects.select_related("invitation"))
    assert len(nominations) == 6
    for nomination in nominations:
        participant = Participant.objects.get(remote_ref=nomination.public_id)
        assert participant.kind == ParticipantKind.OTHER_NODE and participant.name == nomination.name
        assert participant.programme.public_id == nomination.invitation.ref
        assert services.has_completed(participant) == nomination.completed
        assert (participant.pre_score, participant.post_score) == (nomination.pre_score, nomination.post_score)
        certificate = Certificate.objects.filter(participant=participant).first()
        assert (certificate.code if certificate else "") == nomination.certificate_code
    # Participants from both countries in each joint training; some did not complete.
    for programme in Programme.objects.filter(is_joint=True):
        assert set(programme.participants.values_list("node", flat=True)) == {"NP", "IN"}
        assert 0 < Certificate.objects.filter(participant__programme=programme).count() < programme.participants.count()
    # Through the services, audited as the trainers.
    assert AuditEvent.objects.filter(action="training.certificate_issue", actor_username="np_trainer").exists()
    assert AuditEvent.objects.filter(action="training.certificate_issue", actor_username="in_trainer").exists()
    # Every demo certificate checks on the public page.
    sita = Certificate.objects.filter(participant__name="सीता तामाङ").first()
    assert sita is not None and selectors.certificate_verify(sita.display_code).valid


def test_seeding_again_adds_nothing(settings, demo_world):
    organisations, users = demo_world
    _seed(settings, "NP", organisations, users)
    counts = (Programme.objects.count(), Participant.objects.count(), Invitation.objects.count())
    again = _seed(settings, "NP", organisations, users)
    assert (again.programmes, again.invitations, again.nominations) == (0, 0, 0)
    assert (Programme.objects.count(), Participant.objects.count(), Invitation.objects.count()) == counts


def test_the_dashboard_shows_upcoming_sessions(settings, demo_world):
    organisations, users = demo_world
    _seed(settings, "NP", organisations, users)
    board = selectors.dashboard_for(users["np_trainer"])
    assert board.upcoming_sessions and board.certificates_issued > 0
    coverage = selectors.coverage_for(users["np_trainer"])
    assert {row.country for row in coverage.by_organisation} == {"NP", "IN"}
