"""A prosecutor on a 360 px phone schedules a video testimony: a survivor in care in Morang is a witness in her
office's prosecution and may testify by video; the prosecutor opens the prosecution from her legal dashboard,
is refused a session in the past, proposes one in India's time zone, and sees it scheduled on the prosecution
and on her dashboard. The survivor's caseworker then sees it on the case page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.cases.tests.factories import open_case
from setu.core.enums import OrganisationType
from setu.legal import services
from setu.legal.models import SessionStatus, VideoTestimony
from setu.people.tests.factories import PersonFactory
from tests.browser.steps import fits_the_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username: str) -> None:
    sign_in(page, live_server.url, username)


def test_a_prosecutor_schedules_a_video_testimony_on_her_phone(live_server, page, browser, np_caseworker, morang):
    office = OrganisationFactory(
        name_en="District Attorney's Office, Morang", org_type=OrganisationType.LEGAL_SERVICE, districts=[morang]
    )
    prosecutor = make_user("np_prosecutor", "prosecutor", office)
    survivor = PersonFactory(
        full_name="Seeta Kumari",
        organisation=np_caseworker.memberships.get().organisation,
        location_district=morang,
        nationality="IN",
        gender="Feminine",
    )
    case = open_case(np_caseworker, district=morang, survivor=survivor, age=24, path="cross_border")
    prosecution = services.prosecution_create(
        actor=prosecutor,
        district=morang,
        police_case_number="FIR 112/2083",
        police_unit="DPO Morang",
        court="Morang District Court",
        opened_on=timezone.localdate() - dt.timedelta(days=60),
    )
    witness = services.witness_add(actor=prosecutor, prosecution=prosecution, case=case)
    services.witness_need_record(
        actor=prosecutor,
        witness=witness,
        court="Morang District Court",
        place="Biratnagar",
        needed_from=timezone.localdate(),
        presence="video_possible",
    )

    _login(page, live_server, "np_prosecutor")
    page.goto(live_server.url + "/legal/")
    expect(page.locator("h1")).to_have_text("Prosecutions and witnesses")
    fits_the_phone(page)
    page.click("nav.tabs >> text=Prosecutions")
    page.click(f"text={prosecution.number}")
    page.wait_for_url(re.compile(r".*/legal/prosecutions/[0-9a-f-]+/$"))
    expect(page.locator("#needs")).to_contain_text("In person, or by video")
    fits_the_phone(page)

    page.click("text=Schedule a video testimony")
    expect(page.locator("h1")).to_have_text("Schedule a video testimony")
    fits_the_phone(page)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.fill("#id_on", yesterday.isoformat())
    page.fill("#id_time", "11:00")
    page.fill("#id_survivor_end", "Transit home Biratnagar, video room")
    page.click("text=Propose the session")
    expect(page.locator(".errorlist")).to_contain_text("The session must be in the future.")
    assert not VideoTestimony.objects.exists()

    day = timezone.localdate() + dt.timedelta(days=7)
    page.fill("#id_on", day.isoformat())
    page.fill("#id_time", "11:00")
    page.select_option("#id_timezone", "Asia/Kolkata")
    page.fill("#id_interpreter", "Hindi–Nepali, Ms Rita Jha")
    page.fill("#id_link_reference", "Court VC room 2")
    page.click("text=Propose the session")
    page.wait_for_url(re.compile(r".*/legal/prosecutions/[0-9a-f-]+/#sessions$"))
    sessions = page.locator("#sessions")
    expect(sessions).to_contain_text("Proposed")
    expect(sessions).to_contain_text("11:00")
    expect(sessions).to_contain_text("Asia/Kolkata")
    expect(sessions).to_contain_text("Transit home Biratnagar, video room")
    fits_the_phone(page)
    session = VideoTestimony.objects.get()
    assert session.status == SessionStatus.PROPOSED
    assert session.scheduled_at == dt.datetime.combine(day, dt.time(11), tzinfo=dt.timezone(dt.timedelta(hours=5.5)))

    page.goto(live_server.url + "/legal/")
    expect(page.locator("#upcoming-sessions")).to_contain_text(prosecution.number)
    assert not page.dialogs

    # Her caseworker sees the session on her case (she may not open the prosecution).
    other = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    caseworker_page = other.new_page()
    _login(caseworker_page, live_server, "np_caseworker")
    caseworker_page.goto(f"{live_server.url}/cases/{case.public_id}/")
    expect(caseworker_page.locator("#witness")).to_contain_text("Court VC room 2")
    expect(caseworker_page.locator("#witness")).not_to_contain_text(prosecution.number)
    fits_the_phone(caseworker_page)
    other.close()
