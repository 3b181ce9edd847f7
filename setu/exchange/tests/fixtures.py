"""Fixtures for exchange tests: this node's keys in a temporary directory, and a peer (IN) whose private key
the test holds, so it can sign what that peer would send. A pytest plugin of the root conftest.py, so that
the browser tests have them too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from setu.cases import services
from setu.cases.models import Case
from setu.cases.tests.factories import legal_basis, load_v1, open_case
from setu.exchange.envelope import MESSAGE_TYP, RECEIPT_TYP, Signer, isoformat, new_message_id
from setu.exchange.flows import CERTIFICATE_TYP
from setu.exchange.inbox import receive
from setu.exchange.keys import NodeKeys
from setu.exchange.models import InboxMessage, Peer
from setu.exchange.services import peer_add
from setu.exchange.types import SCHEMA_VERSION
from setu.people.tests.factories import PersonFactory


def _purpose(type_name: str) -> str:
    from setu.exchange.types import registry

    kind = registry().get(type_name)
    return kind.purpose if kind else "repatriation"


@dataclass
class FakePeerNode:
    """The other node as far as this one can tell: its code, registered keys and a signer."""

    code: str
    keys: NodeKeys
    peer: Peer

    @property
    def signer(self) -> Signer:
        return Signer.from_keys(self.keys)

    def message(self, type: str, payload: dict, *, case_ref: str | None = None, seq: int | None = None,
                to: str = "NP", created_at: dt.datetime | None = None, message_id: str | None = None,
                **overrides) -> tuple[str, dict]:  # fmt: skip
        claims = {
            "id": message_id or str(new_message_id()), "type": type, "v": SCHEMA_VERSION, "from": self.code,
            "to": to, "created_at": isoformat(created_at or timezone.now()), "case_ref": case_ref, "seq": seq,
            "purpose": _purpose(type), "legal_basis": "consent of the survivor", "payload": payload,
        }  # fmt: skip
        claims.update(overrides)
        return self.signer.sign(claims, MESSAGE_TYP), claims

    def receipt(self, ack_of: str, status: str = "applied", reason: str = "") -> str:
        claims = {"ack_of": ack_of, "status": status, "reason": reason, "from": self.code, "to": "NP",
                  "at": isoformat(timezone.now())}  # fmt: skip
        return self.signer.sign(claims, RECEIPT_TYP)


@pytest.fixture
def node_keys_dir(settings, tmp_path):
    settings.SETU_NODE = "NP"
    settings.SETU_NODE_KEY_DIR = tmp_path / "keys-np"
    NodeKeys(settings.SETU_NODE_KEY_DIR).init()
    return settings.SETU_NODE_KEY_DIR


@pytest.fixture
def india(db, node_keys_dir, tmp_path) -> FakePeerNode:
    keys = NodeKeys(tmp_path / "keys-in")
    keys.init()
    peer = peer_add(code="IN", base_url="http://in.example.test", keyset=keys.published("IN"))
    return FakePeerNode(code="IN", keys=keys, peer=peer)


def decide(actor, case, kind, **extra):
    services.decision_record(actor=actor, case=case, kind=kind, favourable=True, outcome="confirmed",
                             decider_name="Officer", decided_on=timezone.localdate(), basis="records",
                             survivor_view="agrees", **extra)  # fmt: skip


class PeerSide:
    """IN's side of one case: numbers its messages and signs them."""

    def __init__(self, india, ref: str) -> None:
        self.india, self.ref, self.seq = india, ref, 0

    def send(self, type_name: str, payload: dict):
        self.seq += 1
        token, claims = self.india.message(type_name, payload, case_ref=self.ref, seq=self.seq)
        reply = receive(token)
        assert reply.status == 200, reply
        return InboxMessage.objects.get(message_id=claims["id"])

    def signature(self, certificate: dict, officer: str = "SI Sharma") -> dict:
        at = isoformat(timezone.now())
        claims = {"certificate": certificate, "node": "IN", "officer": officer, "office": "SSB Jogbani",
                  "signed_at": at}  # fmt: skip
        return {"node": "IN", "officer": officer, "office": "SSB Jogbani", "signed_at": at,
                "jws": self.india.signer.sign(claims, CERTIFICATE_TYP)}  # fmt: skip


@pytest.fixture
def indian_case(india, np_caseworker, morang):
    """An Indian national in care here, ready to ask her country to verify."""
    survivor = PersonFactory(full_name="Seeta Kumari", given_name="Seeta", family_name="Kumari",
                             organisation=np_caseworker.memberships.first().organisation, location_district=morang,
                             nationality="IN", gender="Feminine")  # fmt: skip
    case = open_case(np_caseworker, district=morang, age=25, survivor=survivor, path="cross_border")
    Case.objects.filter(pk=case.pk).update(stage="adult_care")
    case.refresh_from_db()
    decide(np_caseworker, case, "victim_determination", decision_org_type="Police")
    decide(np_caseworker, case, "age_assessment", assessed_age=25)
    legal_basis(np_caseworker, case, "sharing_with_other_country", basis="her written consent, 12 Mangsir")
    case.refresh_from_db()
    return case


def notification_from_india(india, ref="IN-2026-000077", **extra):
    from setu.cases.models import SopVersion

    if not SopVersion.objects.filter(is_current=True).exists():
        load_v1()
    peer = PeerSide(india, ref)
    notification = peer.send("case.notification", {
        "case_number": ref, "nationality": "NP", "gender": "Feminine", "is_minor": True, "age_years": 16,
        "identified_on": "2026-11-01", "stage": "verification", "found_in_district": "Araria",
        "organisation": "CWC Araria", "given_name": "Sita", "family_name": "Tamang", "name_native": "सीता तामाङ",
        "home_district": "Morang", "phone": "+9779812345678", **extra,
    })  # fmt: skip
    request = peer.send("verification.request", {"checks": ["identity", "nationality", "family_tracing"]})
    return peer, notification, request
