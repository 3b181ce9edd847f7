"""Loading SOP versions: the service, `setu sop`, and the administrators' page."""

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from setu.audit.models import AuditEvent
from setu.cases import services
from setu.cases.models import SopVersion

pytestmark = pytest.mark.django_db

V1_PATH = Path(__file__).resolve().parents[1] / "sop" / "v1.yaml"
V1 = V1_PATH.read_text(encoding="utf-8")
V2 = V1.replace('version: "1"', 'version: "2"').replace("{days: 14, from: stage_entered, kind: target}",
                                                          "{days: 10, from: stage_entered, kind: target}")  # fmt: skip


def test_an_administrator_loads_v1_and_it_is_audited(np_admin):
    loaded = services.sop_load(actor=np_admin, text=V1)
    assert (loaded.version, loaded.is_current, loaded.loaded_by) == ("1", True, np_admin)
    assert AuditEvent.objects.filter(action="sop.load", object_id=str(loaded.public_id), actor_username="np_admin")


def test_a_new_version_becomes_current_and_the_old_one_is_kept(np_admin):
    services.sop_load(actor=np_admin, text=V1)
    services.sop_load(actor=np_admin, text=V2)
    assert list(SopVersion.objects.order_by("version").values_list("version", "is_current")) == [
        ("1", False), ("2", True),
    ]  # fmt: skip


def test_loading_the_same_file_again_changes_nothing(np_admin):
    first = services.sop_load(actor=np_admin, text=V1)
    again = services.sop_load(actor=np_admin, text=V1)
    assert first.pk == again.pk and SopVersion.objects.count() == 1


def test_a_known_version_number_with_other_content_is_refused(np_admin):
    services.sop_load(actor=np_admin, text=V1)
    with pytest.raises(ValidationError, match="already loaded with other content"):
        services.sop_load(actor=np_admin, text=V1.replace("14, from", "13, from"))
    assert SopVersion.objects.get().sha256 == hashlib.sha256(V1.encode()).hexdigest()


def test_a_malformed_file_is_refused_whole_and_the_running_version_stays(np_admin):
    services.sop_load(actor=np_admin, text=V1)
    broken = V2.replace("to: child_care, action: place_in_care", "to: nowhere, action: place_in_care")
    with pytest.raises(ValidationError) as refused:
        services.sop_load(actor=np_admin, text=broken)
    assert any("line" in m and "nowhere" in m for m in refused.value.message_dict["source"])
    assert list(SopVersion.objects.values_list("version", "is_current")) == [("1", True)]


def test_only_administrators_load_sop_versions(np_caseworker):
    with pytest.raises(Http404):
        services.sop_load(actor=np_caseworker, text=V1)
    assert not SopVersion.objects.exists()
    assert AuditEvent.objects.filter(action="sop.manage", outcome="denied", actor_username="np_caseworker")


def test_setu_sop_check_and_load_from_the_command_line(tmp_path, capsys):
    call_command("sop", "check", str(V1_PATH))
    assert "SOP 1 is valid (11 stages)" in capsys.readouterr().out
    call_command("sop", "load", str(V1_PATH))
    v2 = tmp_path / "v2.yaml"
    v2.write_text(V2, encoding="utf-8")
    call_command("sop", "load", str(v2))
    out = capsys.readouterr().out
    assert "SOP 2 is now used for new cases" in out
    assert "handover: deadline changed from 14 days from stage_entered, target to 10 days" in out
    assert AuditEvent.objects.filter(action="sop.load", actor_username="setu-cli").count() == 2


def test_setu_sop_load_refuses_a_bad_file_with_its_lines(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(V1.replace("[police_officer, border_monitor, caseworker]", "[wizard]"), encoding="utf-8")
    with pytest.raises(CommandError, match="nothing changed"):
        call_command("sop", "load", str(bad))
    assert "unknown role 'wizard'" in capsys.readouterr().err
    assert not SopVersion.objects.exists()


def _upload(client, text: str):
    return client.post(reverse("cases:sop_versions"),
                       {"file": SimpleUploadedFile("sop.yaml", text.encode(), "application/yaml")})  # fmt: skip


def test_the_page_loads_a_file_and_shows_what_changed(np_admin):
    client = Client()
    client.force_login(np_admin)
    assert _upload(client, V1).status_code == 302
    assert _upload(client, V2).status_code == 302
    body = client.get(reverse("cases:sop_versions")).content.decode()
    assert "Version 2" in body and "in use for new cases" in body
    assert "handover: deadline changed" in body


def test_the_page_shows_every_problem_of_a_refused_file(np_admin):
    client = Client()
    client.force_login(np_admin)
    response = _upload(client, V1.replace("start: rescued", "start: nowhere"))
    assert response.status_code == 400
    assert "start stage &#x27;nowhere&#x27; is not defined" in response.content.decode()
    assert not SopVersion.objects.exists()


def test_an_older_version_can_be_brought_back_into_use(np_admin):
    services.sop_load(actor=np_admin, text=V1)
    services.sop_load(actor=np_admin, text=V2)
    back = services.sop_load(actor=np_admin, text=V1)
    assert back.version == "1" and back.is_current
    assert SopVersion.objects.filter(is_current=True).count() == 1
    assert AuditEvent.objects.filter(action="sop.make_current", object_id=str(back.public_id)).count() == 1
