"""A border-post user on a 360 px phone: signs in, switches to Nepali, finds a girl by her Devanagari name
and opens her record."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from setu.accounts.tests.factories import TEST_PASSWORD
from setu.audit.models import AuditEvent
from setu.people.tests.factories import PersonFactory
from tests.browser.steps import fits_the_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_switch_to_nepali_find_by_devanagari_name_and_open_the_record(
    live_server, page, np_caseworker, morang, np_transit_home
):
    sita = PersonFactory(
        full_name="सीता तामाङ", given_name="सीता", family_name="तामाङ", organisation=np_transit_home,
        location_district=morang, birth_date=dt.date(2009, 3, 1), birth_precision="exact",
    )  # fmt: skip
    PersonFactory(full_name="Gita Rai", organisation=np_transit_home, location_district=morang)

    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "np_caseworker")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/")

    page.select_option("#lang-select", "ne")
    page.click(".lang-form button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ne"

    page.goto(live_server.url + "/people/")
    page.fill("#id_q", "सीता")
    page.press("#id_q", "Enter")
    # htmx swaps the results in place (or, without JavaScript, the form submits): either way Gita goes.
    expect(page.locator("#results")).not_to_contain_text("Gita Rai")
    result = page.locator("#results a", has_text="सीता तामाङ")
    expect(result).to_have_count(1)

    result.click()
    page.wait_for_url(re.compile(rf".*/people/{sita.public_id}/$"))
    assert page.locator("h1").inner_text().strip().startswith("सीता तामाङ")
    # The page fits a 360 px phone: nothing scrolls sideways.
    fits_the_phone(page)
    assert page.dialogs == []
    assert AuditEvent.objects.filter(action="person.view", object_id=str(sita.public_id),
                                     actor_username="np_caseworker").exists()  # fmt: skip


def test_latin_query_finds_the_devanagari_name(live_server, page, np_caseworker, morang, np_transit_home):
    PersonFactory(full_name="सीता तामाङ", organisation=np_transit_home, location_district=morang)
    sign_in(page, live_server.url, "np_caseworker")
    page.goto(live_server.url + "/people/?q=sita+tamang")
    assert page.locator("#results a", has_text="सीता तामाङ").count() == 1
