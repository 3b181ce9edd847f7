"""A shelter manager on a 360 px phone brings in her helpline register: uploads it, chooses the one column
the page could not guess, reads the dry run's report, imports, and sees what is in. Every page fits the
phone. (Playwright with Debian's Chromium, the browser of tests/browser/conftest.py.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from setu.imports.tests.factories import REPORT_HEADER, csv_bytes, report_row
from setu.tracing.models import MissingReport
from tests.browser.steps import fits_the_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_register_comes_in_from_a_phone(live_server, page, np_shelter, tmp_path):
    sheet = tmp_path / "helpline_register_missing_persons_2080.csv"  # a name wider than the phone
    sheet.write_bytes(csv_bytes(REPORT_HEADER, [report_row(), report_row("Gita Rai", ne="गीता राई")]))
    sign_in(page, live_server.url, "np_shelter")
    page.goto(live_server.url + "/imports/")
    fits_the_phone(page)
    page.fill("#id_source", "Helpline register")
    page.select_option("#id_kind", "missing_reports")
    page.set_input_files("#id_file", str(sheet))
    page.click("text=Upload and choose the columns")
    page.wait_for_url(re.compile(r".*/imports/runs/[0-9a-f-]+/$"))
    expect(page.locator("h2").first).to_contain_text("Choose what each column holds")
    fits_the_phone(page)
    page.select_option("label:has-text('District') + select, select[name=column_5]", "last_seen_district")
    page.click("text=Save the columns and run the dry run")
    expect(page.locator("body")).to_contain_text("No problem found")
    fits_the_phone(page)
    page.click("text=Import 2 rows")
    expect(page.locator("body")).to_contain_text("2 rows imported")
    fits_the_phone(page)
    assert MissingReport.objects.count() == 2
