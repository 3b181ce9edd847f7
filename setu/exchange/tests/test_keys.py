"""The node's signing keys: created once, rotated with the old key still verifying, retired, checked."""

from __future__ import annotations

import io
import json
import stat

import pytest
from cryptography.exceptions import InvalidSignature
from django.core.management import CommandError, call_command

from setu.exchange.keys import NodeKeyError, NodeKeys, public_jwk, thumbprint


def test_rfc7638_thumbprint_of_the_rfc_8037_example_key():
    # RFC 8037 appendix A.3: the thumbprint of its Ed25519 example public key.
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
    assert thumbprint(jwk) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_init_rotate_retire(tmp_path):
    keys = NodeKeys(tmp_path / "keys")
    first = keys.init()
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "keys" / f"{first}.pem").stat().st_mode) == 0o600
    with pytest.raises(NodeKeyError, match="already holds"):
        keys.init()

    kid, private = keys.current()
    assert kid == first and thumbprint(public_jwk(private.public_key())) == first
    signature = private.sign(b"message")

    second = keys.rotate()
    assert keys.current()[0] == first  # published first, signing only once activated
    assert {k["kid"] for k in keys.published("NP")["keys"]} == {first, second}
    with pytest.raises(NodeKeyError, match="already waiting"):
        keys.rotate()
    with pytest.raises(NodeKeyError, match="not a new key"):
        keys.activate(first)
    keys.activate(second)
    assert keys.current()[0] == second
    keys.verifying()[first].verify(signature, b"message")  # the old key still verifies
    with pytest.raises(NodeKeyError, match="current key cannot be retired"):
        keys.retire(second)
    keys.retire(first)
    assert set(keys.verifying()) == {second}
    assert [(k.kid, k.state) for k in keys.listing()] == [(first, "retired"), (second, "current")]
    with pytest.raises(InvalidSignature):
        keys.verifying()[second].verify(signature, b"message")


def test_a_tampered_key_file_is_refused(tmp_path):
    keys = NodeKeys(tmp_path)
    kid = keys.init()
    other = NodeKeys(tmp_path / "other")
    other_kid = other.init()
    (tmp_path / f"{kid}.pem").write_bytes((tmp_path / "other" / f"{other_kid}.pem").read_bytes())
    with pytest.raises(NodeKeyError, match="does not hold the key its name says"):
        keys.current()


def test_the_command(tmp_path, settings):
    settings.SETU_NODE_KEY_DIR = tmp_path / "keys"
    with pytest.raises(CommandError, match="setu node init"):
        call_command("node", "show")
    out = io.StringIO()
    call_command("node", "init", stdout=out)
    assert "created" in out.getvalue()
    call_command("node", "rotate", stdout=io.StringIO())
    jwks = io.StringIO()
    call_command("node", "show", "--json", stdout=jwks)
    published = json.loads(jwks.getvalue())
    assert published["node"] == settings.SETU_NODE and len(published["keys"]) == 2
    assert all(k["kty"] == "OKP" and k["alg"] == "Ed25519" and "d" not in k for k in published["keys"])
    new = next(k["kid"] for k in published["keys"] if k["kid"] != NodeKeys(tmp_path / "keys").current()[0])
    call_command("node", "activate", "--", new, stdout=io.StringIO())  # a kid may start with "-"
    assert NodeKeys(tmp_path / "keys").current()[0] == new
    with pytest.raises(CommandError, match="not a new key"):
        call_command("node", "activate", "--", new)
