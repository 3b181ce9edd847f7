"""Fixtures for exchange tests: this node's keys in a temporary directory, and a peer (IN) whose private
key the test holds, so it can sign what that peer would send."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from setu.exchange.envelope import MESSAGE_TYP, RECEIPT_TYP, Signer, isoformat, new_message_id
from setu.exchange.keys import NodeKeys
from setu.exchange.models import Peer
from setu.exchange.services import peer_add
from setu.exchange.types import SCHEMA_VERSION


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
            "purpose": "repatriation", "legal_basis": "consent of the survivor", "payload": payload,
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
