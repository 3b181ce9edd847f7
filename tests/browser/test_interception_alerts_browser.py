"""The border monitor at Rani on a 360 px phone: an interception alert from the post at Jogbani (India) waits
for her on the dashboard; she opens it, reads what it carried (long vehicle and description included, and a
note with markup that must not run) and records that the suspect was found. Nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from setu.exchange.inbox import receive
from setu.exchange.models import OutboxMessage
from setu.interceptions.models import InterceptionAlert
from tests.browser.steps import fits_the_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_rani_monitor_acts_on_an_alert_from_jogbani_on_her_phone(live_server, page, np_monitor, rani, india):
    np_monitor.memberships.get().organisation.border_points.add(rani)
    payload = {
        "interception_number": "IN-INT-2026-000031", "station": "Jogbani", "counterpart_station": "Rani",
        "intercepted_at": "2026-11-25T08:30:00Z", "from_district": "Sunsari", "destination": "Mumbai",
        "destination_country": "IN", "onward_country": "AE", "transport": "rickshaw",
        "vehicle": "BR-38-P-4411-yellow-e-rickshaw-with-a-torn-green-hood-seen-twice-this-week-near-the-market",
        "persons": [{"sex": "Feminine", "age_band": "9-17"}, {"sex": "Feminine", "age_band": "18-20"}],
        "suspects": [{"sex": "Masculine", "age_band": "27-29", "roles": ["Transporter", "RecruiterOrIntermediary"],
                      "description": "Green jacket, limps on the left leg, speaks Maithili and Nepali, red phone"}],
        "red_flag_points": 85, "risk_level": "high", "checklist_version": "1",
        "note": "<script>alert('x')</script> He turned back north towards Biratnagar.",
    }  # fmt: skip
    token, _claims = india.message("interception.alert", payload, legal_basis="none: no identifying data")
    assert receive(token).status == 200

    sign_in(page, live_server.url, "np_monitor")

    page.click("text=1 interception alert for your post")
    page.wait_for_url(live_server.url + "/interceptions/alerts/")
    expect(page.locator("main table")).to_contain_text("Rani ← Jogbani (IN)")
    fits_the_phone(page)

    page.locator("main table a").first.click()
    expect(page.locator("h1")).to_have_text("Interception alert")
    expect(page.locator("main")).to_contain_text("Green jacket, limps on the left leg")
    expect(page.locator("main")).to_contain_text("He turned back north")
    fits_the_phone(page)

    page.get_by_label("Suspect found").check()
    page.fill("#id_note", "Held by APF at the checkpost")
    page.get_by_role("button", name="Record").click()
    page.wait_for_url(live_server.url + "/interceptions/alerts/")
    expect(page.locator(".messages")).to_contain_text("the other country's post is told")
    expect(page.locator("main")).to_contain_text("No alert waits for your post.")
    assert InterceptionAlert.objects.get().outcome == "found"
    assert OutboxMessage.objects.filter(type="message.status").count() == 2  # opened, then acted
    assert page.dialogs == []
