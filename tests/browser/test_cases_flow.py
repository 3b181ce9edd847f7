"""A caseworker on a 360 px phone: opens a rescued child's case, sees the statutory 24-hour clock waiting for
the CWC, produces her before the CWC with a reason, then records a victim determination."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from setu.cases.models import Case, Decision
from setu.cases.tests.factories import open_case
from setu.people.tests.factories import PersonFactory
from tests.browser.steps import fits_the_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_moves_a_child_to_the_cwc_and_records_a_decision(
    live_server, page, np_caseworker, morang, np_transit_home
):
    survivor = PersonFactory(full_name="सीता तामाङ", organisation=np_transit_home, location_district=morang,
                             nationality="NP")  # fmt: skip
    case = open_case(np_caseworker, district=morang, age=15, survivor=survivor,
                     identified_at=timezone.now() - dt.timedelta(hours=2))  # fmt: skip

    sign_in(page, live_server.url, "np_caseworker")

    page.goto(f"{live_server.url}/cases/{case.public_id}/")
    expect(page.locator("h1")).to_contain_text(case.number)
    expect(page.locator("#clock")).to_contain_text("Rescued or intercepted")
    step = page.locator("#next form", has=page.locator("input[name=action][value=produce_before_cwc]"))
    # The CWC's clock already runs from the rescue: statutory, 24 hours.
    expect(step).to_contain_text("statutory")
    expect(step).to_contain_text("24 h from rescue or identification")
    expect(page.locator("#next")).to_contain_text("Produce her before the magistrate")  # refused, with its reason
    fits_the_phone(page)

    step.locator("textarea[name=reason]").fill("Produced before CWC Morang at 14:00")
    step.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*/cases/{case.public_id}/$"))
    expect(page.locator("#clock")).to_contain_text("Produced before the Child Welfare Committee")
    expect(page.locator("#clock")).to_contain_text("left")
    expect(page.locator("#clock")).to_contain_text("statutory")
    expect(page.locator("#clock")).to_contain_text("JJ Act 2015 s.31")
    expect(page.locator("#stages")).to_contain_text("Produced before CWC Morang at 14:00")
    assert Case.objects.get(pk=case.pk).stage == "cwc_production"
    fits_the_phone(page)

    page.click("text=Record a decision")
    page.wait_for_url(re.compile(r".*/decisions/new/$"))
    page.select_option("#id_kind", "victim_determination")
    # Only the victim determination's own field shows; the safety-of-return questions stay hidden.
    expect(page.locator("#id_decision_org_type")).to_be_visible()
    expect(page.locator(".when-best_interest_assessment")).to_be_hidden()
    page.check("input[name=favourable][value=yes]")
    page.fill("#id_outcome", "She is a victim of trafficking")
    page.fill("#id_decider_name", "Inspector Rai, AHTB Morang")
    page.select_option("#id_decision_org_type", "Police")
    page.fill("#id_basis", "Her statement and the rescue memo")
    page.fill("#id_survivor_view", "She agrees and asks for support")
    fits_the_phone(page)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(rf".*/cases/{case.public_id}/#decisions$"))
    expect(page.locator("#decisions")).to_contain_text("Victim determination")
    expect(page.locator("#decisions")).to_contain_text("She is a victim of trafficking")
    expect(page.locator("#timeline")).to_contain_text("Decision recorded: Victim determination")
    assert Decision.objects.filter(case=case, kind="victim_determination", favourable=True).exists()
    fits_the_phone(page)
    assert page.dialogs == []


def test_the_case_list_fits_the_phone(live_server, page, np_caseworker, morang):
    case = open_case(np_caseworker, district=morang, age=15)
    sign_in(page, live_server.url, "np_caseworker")
    page.goto(live_server.url + "/cases/")
    expect(page.locator("#results")).to_contain_text(case.number)
    fits_the_phone(page)
    assert page.dialogs == []
