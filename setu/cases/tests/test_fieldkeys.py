"""Keys of the sensitive fields: parsing, rotation by command, and a clear refusal for a missing key."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from setu.cases import crypto, services
from setu.cases.models import SensitiveNote
from setu.cases.tests.factories import open_case

pytestmark = pytest.mark.django_db


def test_bad_key_settings_are_refused_with_the_reason():
    with pytest.raises(ImproperlyConfigured, match="id:key"):
        crypto.parse(["no-separator"])
    with pytest.raises(ImproperlyConfigured, match="not a valid Fernet key"):
        crypto.parse(["k1:short"])
    with pytest.raises(ImproperlyConfigured, match="twice"):
        key = crypto.generate_key("k1")
        crypto.parse([key, key])
    with pytest.raises(ImproperlyConfigured, match="key id"):
        crypto.generate_key("bad id!")


def test_rotation_re_encrypts_under_the_new_key_and_the_old_key_can_go(np_caseworker, morang, settings):
    old, new = crypto.generate_key("k1"), crypto.generate_key("k2")
    settings.SETU_FIELD_KEYS = [old]
    case = open_case(np_caseworker, district=morang)
    for text in ("testimony one", "testimony two", "health"):
        services.sensitive_note_add(actor=np_caseworker, case=case, kind="testimony", text=text)
    assert set(SensitiveNote.objects.values_list("key_id", flat=True)) == {"k1"}

    settings.SETU_FIELD_KEYS = [new, old]  # the new key first: it encrypts; the old one still decrypts
    out = io.StringIO()
    call_command("fieldkeys", "rotate", "--batch", "2", stdout=out)
    assert "3 notes now under key 'k2'" in out.getvalue()
    assert set(SensitiveNote.objects.values_list("key_id", flat=True)) == {"k2"}

    settings.SETU_FIELD_KEYS = [new]  # the old key removed
    texts = sorted(text for _note, text in services.sensitive_notes_read(actor=np_caseworker, case=case))
    assert texts == ["health", "testimony one", "testimony two"]
    status = io.StringIO()
    call_command("fieldkeys", "status", stdout=status)
    assert "k2 (current): 3 notes" in status.getvalue()


def test_a_missing_key_is_named(np_caseworker, morang, settings):
    settings.SETU_FIELD_KEYS = [crypto.generate_key("k1")]
    case = open_case(np_caseworker, district=morang)
    services.sensitive_note_add(actor=np_caseworker, case=case, kind="health", text="x")
    settings.SETU_FIELD_KEYS = [crypto.generate_key("k9")]
    with pytest.raises(ImproperlyConfigured, match="'k1' is not in SETU_FIELD_KEYS"):
        services.sensitive_notes_read(actor=np_caseworker, case=case)
    with pytest.raises(CommandError, match="'k1' is not in SETU_FIELD_KEYS"):
        call_command("fieldkeys", "rotate")
    assert SensitiveNote.objects.get().key_id == "k1"  # nothing changed


def test_new_prints_an_entry_that_parses():
    out = io.StringIO()
    call_command("fieldkeys", "new", "k3", stdout=out)
    assert crypto.parse([out.getvalue().strip()]).current_id == "k3"


def test_production_does_not_start_without_field_keys(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SETU_", "DJANGO_"))}
    env.update({"SETU_ENV": "production", "SETU_SECRET_KEY": "x" * 60, "SETU_ALLOWED_HOSTS": "setu.example.org",
                "SETU_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"})  # fmt: skip
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0 and "SETU_FIELD_KEYS must be set" in result.stderr
