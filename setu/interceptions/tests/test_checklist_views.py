"""The checklist versions page: administrators see each version's flags and load a new one."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from setu.audit.models import AuditEvent
from setu.interceptions.models import Checklist
from setu.interceptions.screening import default_checklist_text

pytestmark = pytest.mark.django_db
URL = reverse("interceptions:checklists")


def _upload(text: str) -> dict:
    return {"file": SimpleUploadedFile("checklist.yaml", text.encode(), content_type="application/yaml")}


def test_an_administrator_sees_the_shipped_checklist_with_its_sources(client, np_admin):
    client.force_login(np_admin)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Family does not know she is going to India" in page.text and "IRF weight 45" in page.text


def test_loading_a_new_version_makes_it_current_and_lists_its_changes(client, np_admin):
    client.force_login(np_admin)
    client.get(URL)
    text = default_checklist_text().replace('version: "1"', 'version: "2"').replace("weight: 45", "weight: 50")
    response = client.post(URL, _upload(text))
    assert response.status_code == 302
    assert Checklist.objects.get(is_current=True).version == "2"
    assert "weight of family_unaware: 45 → 50" in client.get(URL).text
    assert AuditEvent.objects.filter(action="checklist.load", actor_id=np_admin.pk).exists()


def test_a_broken_file_is_refused_with_its_problems_and_nothing_changes(client, np_admin):
    client.force_login(np_admin)
    client.get(URL)
    text = default_checklist_text().replace('version: "1"', 'version: "2"').replace("weight: 45", "weight: 0")
    response = client.post(URL, _upload(text))
    assert response.status_code == 400 and "family_unaware.weight" in response.text
    assert list(Checklist.objects.values_list("version", "is_current")) == [("1", True)]
    same = client.post(URL, _upload(default_checklist_text()))
    assert same.status_code == 400 and "already loaded" in same.text


def test_others_get_the_same_404(client, np_monitor, np_focal_point):
    for user in (np_monitor, np_focal_point):
        client.force_login(user)
        assert client.get(URL).status_code == 404
