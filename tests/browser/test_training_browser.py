"""The academy's trainer on a 360 px phone: she marks who came to a session on the attendance sheet, records
the test scores (one out of range is refused and nothing is saved), issues a certificate, and anyone can
check its code on the public page, which shows only the name, the course and the dates. Nothing scrolls
sideways."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.core.enums import OrganisationType
from setu.training import services
from setu.training.models import Attendance, Certificate, Participant, TopicArea
from tests.browser.steps import PHONE_WIDTH, fits_the_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trainer_runs_a_session_on_her_phone_and_the_public_checks_the_certificate(live_server, page, browser):
    academy = OrganisationFactory(name_en="Nepal Police Academy", org_type=OrganisationType.SCHOOL)
    htib = OrganisationFactory(name_en="Human Trafficking Investigation Bureau with a long name for phones")
    trainer = make_user("np_trainer", "trainer", academy)
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    programme = services.programme_create(
        actor=trainer, title="Border monitoring and information sharing across the Rani–Jogbani crossing",
        topics=[TopicArea.BORDER_MONITORING], host_country="NP", place="Biratnagar", starts_on=today,
        ends_on=today, organiser=academy,
    )  # fmt: skip
    services.session_add(
        actor=trainer, programme=programme, title="Red flags at the crossing", topic=TopicArea.BORDER_MONITORING,
        starts_at=dt.datetime.combine(today, dt.time(10), tzinfo=zone),
        ends_at=dt.datetime.combine(today, dt.time(12), tzinfo=zone),
    )  # fmt: skip
    for name in ("सीता तामाङ", "Ramesh Shrestha"):
        services.participant_add(actor=trainer, programme=programme, name=name, sex="Feminine",
                                 designation="Police Inspector", organisation=htib)  # fmt: skip

    sign_in(page, live_server.url, "np_trainer")
    page.goto(live_server.url + "/training/")
    fits_the_phone(page)
    page.get_by_role("link", name=programme.title).first.click()
    expect(page.locator("h1")).to_have_text(programme.title)
    fits_the_phone(page)

    page.get_by_role("link", name="Attendance sheet").click()
    expect(page.locator("h1")).to_have_text("Attendance")
    fits_the_phone(page)
    page.get_by_label("सीता तामाङ").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator(".messages")).to_contain_text("1 present")
    assert Attendance.objects.filter(present=True).get().participant.name == "सीता तामाङ"

    page.get_by_role("link", name="Test scores").click()
    expect(page.locator("h1")).to_have_text("Test scores")
    fits_the_phone(page)
    page.get_by_label("Pre-test: सीता तामाङ").fill("45")
    page.get_by_label("Post-test: सीता तामाङ").fill("180")
    page.get_by_role("button", name="Save scores").click()
    expect(page.locator("main")).to_contain_text("A score is from 0 to 100.")
    assert not Participant.objects.filter(pre_score__isnull=False).exists()
    page.get_by_label("Post-test: सीता तामाङ").fill("80")
    page.get_by_role("button", name="Save scores").click()
    expect(page.locator("main")).to_contain_text("45 → 80 (+35)")

    page.get_by_role("button", name="Issue", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("is issued")
    fits_the_phone(page)
    code = Certificate.objects.get().display_code

    public = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740}, locale="en-GB").new_page()
    public.goto(live_server.url + "/training/verify/")
    public.get_by_label("Verification code").fill(code.lower().replace("-", " "))
    public.get_by_role("button", name="Check").click()
    expect(public.locator("main")).to_contain_text("This certificate is valid.")
    expect(public.locator("main")).to_contain_text("सीता तामाङ")
    text = public.locator("main").inner_text()
    assert "Investigation Bureau" not in text and "Police Inspector" not in text and "Biratnagar" not in text
    fits_the_phone(public)
    public.context.close()
    assert page.dialogs == []
