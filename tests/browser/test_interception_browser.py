"""A border monitor on a 360 px phone: records an interception (one girl, her companion as a suspect, a few red
flags), sees at the desk that the companion was stopped before with another girl, reads the score on the
record's page and refers the girl to the police, which opens her case. And the draft: what is typed and not
sent comes back after a reload, even when the sending failed on the network, until it is discarded."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from setu.cases.models import Case
from setu.cases.tests.factories import load_v1
from setu.interceptions.models import Interception
from setu.interceptions.services import InterceptionEntry, PersonEntry, interception_record
from tests.browser.steps import fits_the_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username: str) -> None:
    sign_in(page, live_server.url, username)


def _draft(page, user) -> str | None:
    return page.evaluate(f"window.localStorage.getItem('setu.interception.draft.{user.pk}')")


def test_a_monitor_records_an_interception_sees_the_score_and_refers_the_girl(
    live_server, page, np_monitor, np_transit_home, rani
):
    np_transit_home.border_points.add(rani)
    load_v1()
    # A month ago the same man was stopped at Rani with another girl.
    earlier = interception_record(actor=np_monitor, entry=InterceptionEntry(
        station=rani, intercepted_at=timezone.now() - dt.timedelta(days=30),
        persons=[PersonEntry(full_name="Gita Rai", gender="Feminine", age_years=15)],
        companions=[PersonEntry(full_name="Ram Bahadur Thapa", gender="Masculine", is_suspect=True)],
    ))  # fmt: skip

    _sign_in(page, live_server, "np_monitor")
    page.click("nav >> text=Interceptions")
    page.click("text=Record an interception")
    page.wait_for_url(re.compile(r".*/interceptions/new/$"))
    expect(page.locator("#id_station")).to_have_value(str(rani.pk))
    fits_the_phone(page)

    page.locator("#id_p0-full_name").press_sequentially("Sita Tamang", delay=20)
    page.select_option("#id_p0-gender", "Feminine")
    page.fill("#id_p0-age_years", "16")
    page.locator("#id_c0-full_name").press_sequentially("Ram Bahadur", delay=20)
    # Repeat detection: his earlier interception and the girl he escorted then, as the name is typed.
    expect(page.locator("#repeats-c0")).to_contain_text(earlier.number)
    expect(page.locator("#repeats-c0 .escorted")).to_contain_text("Gita Rai")
    page.click("#repeats-c0 [data-use-person]")
    expect(page.locator("#id_c0-existing")).not_to_have_value("")
    page.check("#id_c0-is_suspect")
    page.select_option("#id_c0-gender", "Masculine")
    for flag in ("family_unaware", "companion_met_recently", "no_id"):
        page.check(f"#flag-{flag}")
    page.check("input[name=certainty][value='4']")
    fits_the_phone(page)
    page.click("text=Save the record")

    page.wait_for_url(re.compile(r".*/interceptions/[0-9a-f-]+/$"))  # the draft flag is dropped from the address
    interception = Interception.objects.exclude(pk=earlier.pk).get()
    expect(page.locator("h1")).to_contain_text(interception.number)
    expect(page.locator("#screening .points")).to_have_text("80")
    expect(page.locator("#screening")).to_contain_text("High")
    expect(page.locator("#screening")).to_contain_text("Screened with checklist version 1")
    expect(page.locator("#screening .drivers li").first).to_contain_text("Family does not know")
    expect(page.locator("#companions")).to_contain_text(earlier.number)  # he was seen before
    assert interception.companions.get().person == earlier.companions.get().person
    assert _draft(page, np_monitor) is None  # saved: the draft is gone
    fits_the_phone(page)

    page.click("#main .actions >> text=Decide the outcome")
    page.check("input[name=outcome][value=police]")
    page.check("input[name=refer]")
    fits_the_phone(page)
    page.click("text=Save the outcome")
    page.wait_for_url(re.compile(r".*/interceptions/[0-9a-f-]+/#outcome$"))
    case = Case.objects.get()
    expect(page.locator("#persons a.case-link")).to_have_text(case.number)
    assert case.survivor.full_name == "Sita Tamang"
    page.click("#persons a.case-link")
    page.wait_for_url(re.compile(rf".*/cases/{case.public_id}/$"))
    assert page.dialogs == []


def test_a_draft_typed_and_not_sent_comes_back_after_a_reload(live_server, page, np_monitor, np_transit_home, rani):
    np_transit_home.border_points.add(rani)
    _sign_in(page, live_server, "np_monitor")
    page.goto(live_server.url + "/interceptions/new/")
    expect(page.locator("[data-draft-notice]")).to_be_hidden()
    page.fill("#id_p0-full_name", "Gita Rai")
    page.fill("#id_p0-age_years", "15")
    page.check("#flag-no_id")
    page.fill("#id_destination", "Mumbai")

    page.reload()
    expect(page.locator("[data-draft-notice]")).to_be_visible()
    expect(page.locator("[data-draft-notice]")).to_contain_text("Draft restored")
    expect(page.locator("#id_p0-full_name")).to_have_value("Gita Rai")
    expect(page.locator("#id_p0-age_years")).to_have_value("15")
    expect(page.locator("#flag-no_id")).to_be_checked()
    expect(page.locator("#id_destination")).to_have_value("Mumbai")
    fits_the_phone(page)

    # The connection drops as the form is sent: nothing reaches the server, the draft stays.
    page.route("**/interceptions/new/",
               lambda route: route.abort() if route.request.method == "POST" else route.continue_())  # fmt: skip
    page.click("text=Save the record")
    page.wait_for_timeout(500)
    page.unroute("**/interceptions/new/")
    assert not Interception.objects.exists()
    page.goto(live_server.url + "/interceptions/new/")
    expect(page.locator("[data-draft-notice]")).to_be_visible()
    expect(page.locator("#id_p0-full_name")).to_have_value("Gita Rai")

    page.click("[data-draft-discard]")
    expect(page.locator("[data-draft-notice]")).to_be_hidden()
    expect(page.locator("#id_p0-full_name")).to_have_value("")
    expect(page.locator("#flag-no_id")).not_to_be_checked()
    page.reload()
    expect(page.locator("[data-draft-notice]")).to_be_hidden()
    expect(page.locator("#id_p0-full_name")).to_have_value("")
    assert page.dialogs == []
