"""An analyst on a 360 px phone opens the interceptions dashboard from the menu, sees its chart and table,
chooses one organisation, and the chart and the table change to that organisation's figures. Nothing scrolls
sideways, and no one is named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from setu.accounts.tests.factories import make_user
from setu.interceptions.models import Interception
from setu.interceptions.services import checklist_current
from tests.browser.steps import fits_the_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_filters_the_interceptions_dashboard_on_her_phone(live_server, page, rani, birgunj, np_transit_home,
                                                                  np_parsa_org, np_ministry):  # fmt: skip
    analyst = make_user("np_analyst", "analyst", np_ministry)
    checklist = checklist_current()
    last_week = timezone.now() - dt.timedelta(days=7)
    for n, (station, org) in enumerate([(rani, np_transit_home)] * 3 + [(birgunj, np_parsa_org)] * 2):
        Interception.objects.create(number=f"NP-INT-B-{n}", station=station, district=station.district,
                                    organisation=org, intercepted_at=last_week, destination_country="IN",
                                    checklist=checklist, outcome="counselled", created_by=analyst)  # fmt: skip

    sign_in(page, live_server.url, "np_analyst")
    page.get_by_role("link", name="Reports", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Reports")
    fits_the_phone(page)
    page.get_by_role("link", name="Interceptions", exact=True).last.click()
    expect(page.locator("h1")).to_have_text("Interceptions")
    fits_the_phone(page)

    stations = page.locator("#stations")
    expect(stations.locator("svg rect")).to_have_count(2)
    expect(stations.locator("tbody tr")).to_have_count(2)
    expect(stations.locator("tbody")).to_contain_text("Rani")
    expect(page.locator(".facts")).to_contain_text("5")

    page.get_by_label("Organisation").select_option(label="Transit Home Birgunj")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"**organisation={np_parsa_org.pk}**")
    expect(stations.locator("svg rect")).to_have_count(1)
    expect(stations.locator("tbody tr")).to_have_count(1)
    expect(stations.locator("tbody")).to_contain_text("Birgunj")
    expect(stations.locator("tbody")).not_to_contain_text("Rani")
    expect(page.locator("#months tbody")).to_contain_text("2")
    fits_the_phone(page)
    assert not page.dialogs
