"""A reviewer on a 360 px phone: the police register a missing girl in Devanagari; a transit home opens a case
for a girl written "Km. Seeta Kumari Tamang"; the transit home's caseworker finds the possible match on her
dashboard, reads it side by side with the matcher's field-by-field findings, is refused without a reason, and
confirms with one: the report is marked found."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from setu.cases.tests.factories import open_case
from setu.people.models import Relation
from setu.people.services import person_create
from setu.tracing import services
from setu.tracing.models import MatchCandidate, MissingReport, Status
from setu.tracing.tests.factories import entry, person_entry
from tests.browser.steps import fits_the_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_confirms_a_match_on_her_phone(live_server, page, np_police, np_caseworker, morang):
    report = services.report_create(actor=np_police, entry=entry(person=person_entry(
        full_name="सीता तामाङ", other_name="", father_name="धन बहादुर तामाङ", age=15)))  # fmt: skip
    girl = person_create(actor=np_caseworker, full_name="Km. Seeta Kumari Tamang", gender="Feminine",
                         nationality="NP", location_district=morang, birth_precision="estimated", age_estimate=16,
                         age_estimated_on=timezone.localdate())  # fmt: skip
    Relation.objects.create(person=girl, related_name="Dhan Bahadur", kind=Relation.Kind.FATHER)
    open_case(np_caseworker, district=morang, survivor=girl)  # matched once it commits
    assert MatchCandidate.objects.filter(report=report, person=girl).exists()

    sign_in(page, live_server.url, "np_caseworker")
    page.click("text=1 possible match to check")
    page.wait_for_url(re.compile(r".*/tracing/matches/$"))
    fits_the_phone(page)
    page.click("text=सीता तामाङ")
    page.wait_for_url(re.compile(r".*/tracing/matches/[0-9a-f-]+/$"))
    expect(page.locator("h1")).to_have_text("Is this the same person?")
    expect(page.locator("table")).to_contain_text("Km. Seeta Kumari Tamang")
    expect(page.locator("table")).to_contain_text("same spelling")
    fits_the_phone(page)

    page.fill("#reason", " ")
    page.click("text=The same person: confirm")  # the browser's own check stops a blank; this one is a space
    expect(page.locator("[role=alert]")).to_contain_text("Say why")
    page.fill("#reason", "She told us her father's name and her village; her mother confirmed by phone.")
    page.click("text=The same person: confirm")
    page.wait_for_url(re.compile(r".*/tracing/matches/$"))
    expect(page.locator("body")).to_contain_text("is marked found")
    report = MissingReport.objects.get(pk=report.pk)
    assert report.status == Status.FOUND and "her mother confirmed by phone" in report.status_note
    assert not page.dialogs
