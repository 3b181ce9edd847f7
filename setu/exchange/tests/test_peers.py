"""Registering peers: their public keys are checked (Ed25519, thumbprint as kid, never a private key)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from setu.audit.models import AuditEvent
from setu.exchange.keys import NodeKeys
from setu.exchange.models import Peer, PeerKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def india_keyset(tmp_path):
    """The key set the India node publishes (`setu node show --json` there), written to a file."""
    keys = NodeKeys(tmp_path / "in-keys")
    keys.init()
    keys.rotate()
    published = keys.published("IN")
    path = tmp_path / "in.json"
    path.write_text(json.dumps(published))
    return path, published


def test_adding_a_peer_and_retiring_one_of_its_keys(india_keyset, settings):
    settings.SETU_NODE = "NP"
    path, published = india_keyset
    call_command("peer", "add", "in", "http://127.0.0.1:8002", str(path), stdout=io.StringIO())
    peer = Peer.objects.get(code="IN")
    assert set(peer.keys.values_list("kid", flat=True)) == {k["kid"] for k in published["keys"]}
    call_command("peer", "add", "IN", "http://127.0.0.1:8002", str(path), stdout=io.StringIO())  # again: no change
    assert PeerKey.objects.count() == 2

    old = published["keys"][0]["kid"]
    call_command("peer", "retire-key", "IN", "--", old, stdout=io.StringIO())
    call_command("peer", "add", "IN", "http://127.0.0.1:8002", str(path), stdout=io.StringIO())
    assert PeerKey.objects.get(kid=old).state == "retired"  # re-adding does not revive a retired key
    out = io.StringIO()
    call_command("peer", "list", stdout=out)
    assert f"{old}  retired" in out.getvalue()
    assert AuditEvent.objects.filter(action="exchange.peer_add").count() == 1  # the repeats changed nothing


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda ks: ks["keys"][0].update(d="secret"), "private key"),
        (lambda ks: ks["keys"][0].update(kid="made-up"), "not the key's thumbprint"),
        (lambda ks: ks["keys"][0].update(x="c2hvcnQ"), "32-byte"),
        (lambda ks: ks["keys"][0].update(crv="P-256"), "Ed25519 public key in JWK form"),
        (lambda ks: ks.update(node="BD"), "not IN's"),
        (lambda ks: ks.update(keys=[]), "no key"),
    ],
)
def test_a_bad_key_set_is_refused_whole(india_keyset, settings, tmp_path, change, message):
    settings.SETU_NODE = "NP"
    _path, published = india_keyset
    change(published)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(published))
    with pytest.raises(CommandError, match=message):
        call_command("peer", "add", "IN", "http://127.0.0.1:8002", str(bad))
    assert not Peer.objects.exists() and not PeerKey.objects.exists()


def test_this_node_and_bad_addresses_are_refused(india_keyset, settings):
    settings.SETU_NODE = "NP"
    path, _published = india_keyset
    with pytest.raises(CommandError, match="this node"):
        call_command("peer", "add", "NP", "http://127.0.0.1:8001", str(path))
    with pytest.raises(CommandError, match="http"):
        call_command("peer", "add", "IN", "ftp://example.in", str(path))
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="HTTPS only"):
        call_command("peer", "add", "IN", "http://setu.example.in", str(path))
    with pytest.raises(CommandError, match="not JSON"):
        bad = path.with_name("x.json")
        bad.write_text("{")
        call_command("peer", "add", "IN", "https://setu.example.in", str(bad))
