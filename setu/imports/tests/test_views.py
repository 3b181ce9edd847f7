"""The import pages: upload → columns → dry-run report → confirm → result, the progress the page polls, the
report CSV, and who may see them (the same 404 for another organisation's run as for a missing one)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from setu.audit.models import AuditEvent
from setu.imports.models import ImportRun, RunStatus
from setu.imports.tests.factories import REPORT_HEADER, csv_bytes, report_row
from setu.tracing.models import MissingReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelter_client(client, np_shelter):
    client.force_login(np_shelter)
    return client


def _upload(client, rows, header=REPORT_HEADER, name="register.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, csv_bytes(header, rows), content_type="text/csv")
    return client.post(reverse("imports:index"), {"source": "Helpline register", "kind": "missing_reports",
                                                  "file": upload})  # fmt: skip


def _mapping_data(run, choices):
    return {f"column_{i}": choices[name] for i, name in enumerate(run.header)}


def test_the_whole_flow_from_upload_to_result(shelter_client, django_capture_on_commit_callbacks):
    page = shelter_client.get(reverse("imports:index"))
    assert page.status_code == 200 and "Bring in a spreadsheet" in page.content.decode()
    response = _upload(shelter_client, [report_row(), report_row("Gita Rai", ne="गीता राई")])
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:run", args=[run.public_id])
    page = shelter_client.get(response.url).content.decode()
    assert "Choose what each column holds" in page
    assert 'value="last_seen_on" selected' in page  # "Last seen" was recognised
    choices = {**run.mapping, "District": "last_seen_district"}
    with django_capture_on_commit_callbacks(execute=True):
        shelter_client.post(reverse("imports:mapping", args=[run.public_id]), _mapping_data(run, choices))
    run.refresh_from_db()
    assert run.status == RunStatus.CHECKED and run.problem_count == 0
    page = shelter_client.get(reverse("imports:run", args=[run.public_id])).content.decode()
    assert "No problem found" in page and "Import 2 rows" in page
    with django_capture_on_commit_callbacks(execute=True):
        shelter_client.post(reverse("imports:confirm", args=[run.public_id]))
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and MissingReport.objects.count() == 2
    page = shelter_client.get(reverse("imports:run", args=[run.public_id])).content.decode()
    assert run.created[0]["number"] in page


def test_a_report_lists_problems_by_row_and_column_and_downloads(shelter_client, django_capture_on_commit_callbacks):
    _upload(shelter_client, [report_row(), report_row("Rita", seen="2081-13-05")])
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        shelter_client.post(reverse("imports:mapping", args=[run.public_id]),
                            _mapping_data(run, {**run.mapping, "District": "last_seen_district"}))  # fmt: skip
    page = shelter_client.get(reverse("imports:run", args=[run.public_id])).content.decode()
    assert "1 problem" in page and "2081-13-05 is not a date in Bikram Sambat" in page
    assert "Import 2 rows" not in page
    csv = shelter_client.get(reverse("imports:report_csv", args=[run.public_id]))
    assert csv.status_code == 200 and "3,Last seen" in csv.content.decode()
    assert csv["Cache-Control"] == "no-store" and csv["Content-Disposition"].startswith("attachment;")
    assert AuditEvent.objects.filter(action="export.import_report", object_id=str(run.public_id)).count() == 1
    assert MissingReport.objects.count() == 0


def test_a_broken_file_is_refused_on_upload(shelter_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("register.xlsx", b"PK\x03\x04 not really a workbook")
    response = shelter_client.post(reverse("imports:index"), {"source": "S", "kind": "cases", "file": upload})
    assert response.status_code == 400
    assert "cannot be opened" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_progress_is_a_partial_that_stops_polling_when_done(shelter_client):
    _upload(shelter_client, [report_row()])
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.IMPORTING, done_rows=1, total_rows=4)
    response = shelter_client.get(reverse("imports:progress", args=[run.public_id]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'hx-trigger="every 2s"' in body and "1 of 4 rows (25%)" in body and "<progress" in body
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE)
    response = shelter_client.get(reverse("imports:progress", args=[run.public_id]), HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true" and "every 2s" not in response.content.decode()


def test_once_every_row_is_checked_the_page_says_it_is_looking_for_duplicates(shelter_client):
    _upload(shelter_client, [report_row()])
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.CHECKING, done_rows=3, total_rows=4)
    response = shelter_client.get(reverse("imports:progress", args=[run.public_id]), HTTP_HX_REQUEST="true")
    assert "looking for probable duplicates" not in response.content.decode()
    ImportRun.objects.filter(pk=run.pk).update(done_rows=4)
    response = shelter_client.get(reverse("imports:progress", args=[run.public_id]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "now looking for probable duplicates" in body and "<progress>" in body  # no value: still going
    assert 'hx-trigger="every 2s"' in body


def test_the_page_lists_the_first_duplicates_and_the_csv_has_them_all(shelter_client, monkeypatch):
    from setu.imports import views

    monkeypatch.setattr(views, "DUPLICATES_SHOWN", 2)
    _upload(shelter_client, [report_row()])
    run = ImportRun.objects.get()
    duplicates = [{"row": 3 + n, "other_row": 2, "probability": 0.9, "why": "given name: the same"} for n in range(3)]
    duplicates.append({"row": 7, "person": "6f1c8a52-4d4e-4a54-9d0e-3c3e6f0b9a11", "name": "=Sita", "probability": 0.8})
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.CHECKED, duplicates=duplicates, total_rows=6)
    page = shelter_client.get(reverse("imports:run", args=[run.public_id])).content.decode()
    assert "Row 3 and row 2" in page and "Row 4 and row 2" in page and "Row 5 and row 2" not in page
    assert "1 more is in the CSV." in page and "Row 7" in page
    response = shelter_client.get(reverse("imports:duplicates_csv", args=[run.public_id]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Row,Probably the same as row,Probably the person (reference),Name,Probability,Why"
    assert lines[1:4] == [f"{row},2,,,0.9,given name: the same" for row in (3, 4, 5)]
    assert lines[4].startswith("7,,6f1c8a52-4d4e-4a54-9d0e-3c3e6f0b9a11,'=Sita,0.8")  # no formula in a cell
    taken = AuditEvent.objects.get(action="export.import_duplicates")  # it names people on record: audited
    assert taken.object_id == str(run.public_id) and taken.actor_username == "np_shelter"


def test_another_organisations_run_is_a_404(client, np_shelter, np_other_shelter):
    client.force_login(np_shelter)
    _upload(client, [report_row()])
    run = ImportRun.objects.get()
    client.logout()
    client.force_login(np_other_shelter)
    for name in ("imports:run", "imports:report_csv", "imports:duplicates_csv"):
        assert client.get(reverse(name, args=[run.public_id])).status_code == 404
    assert client.post(reverse("imports:discard", args=[run.public_id])).status_code == 404
    assert "Imports</a>" in client.get(reverse("imports:index")).content.decode()  # her own page and nav link


def test_a_caseworker_has_no_imports(client, np_caseworker):
    client.force_login(np_caseworker)
    assert client.get(reverse("imports:index")).status_code == 404
