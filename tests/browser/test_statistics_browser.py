"""The analyst on a 360 px phone: the joint statistics page shows this country's figures and the other's side
by side (one above the other on a phone), a suppressed figure as a mark, and she publishes this year's figures
with one button. Nothing scrolls sideways: a wide table scrolls inside its card."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.reports.models import Publication, ReceivedPublication
from tests.browser.steps import fits_the_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_compares_both_countries_and_publishes_on_her_phone(live_server, page):
    ministry = OrganisationFactory(name_en="Ministry of Women, Children and Senior Citizens")
    make_user("np_analyst", "analyst", ministry)
    year = timezone.localdate().year
    stations = ["Jogbani", "Panitanki", "Raxaul", "Rupaidiha with a long crossing-point name"]
    ReceivedPublication.objects.create(
        from_node="IN", ref=uuid.uuid4(), year=year, k=11, received_at=timezone.now(), published_at=timezone.now(),
        tables=[{"key": "interceptions", "rows": stations,
                 "cols": ["open", "counselled", "returned", "transit_home", "police", "other_side"],
                 "cells": [[None, 43, None, 0, 0, 0], [0, 22, None, 0, 0, 0], [None, 15, None, 0, 0, 0],
                           [0, 0, 0, 0, 0, 0]],
                 "row_totals": [55, 30, 25, 0], "col_totals": [None, 80, 28, 0, 0, 0], "total": 110}],
    )  # fmt: skip

    sign_in(page, live_server.url, "np_analyst")
    page.goto(live_server.url + "/reports/statistics/")
    expect(page.get_by_role("heading", name="Bilateral statistics")).to_be_visible()
    interceptions = page.locator("#table-interceptions")
    expect(interceptions.get_by_role("heading", name="IN", exact=True)).to_be_visible()
    expect(interceptions.locator("td.suppressed").first).to_have_text("xSuppressed")
    fits_the_phone(page)

    page.get_by_role("button", name="Publish and send to the other country").click()
    expect(page.get_by_text("Published on this node.")).to_be_visible()
    assert Publication.objects.filter(year=year).count() == 1
    expect(page.get_by_role("button", name="Publish again with today's figures")).to_be_visible()
    fits_the_phone(page)
