"""Steps the browser tests share: signing in, and checking that a page fits a 360 px phone."""

from __future__ import annotations

from setu.accounts.tests.factories import TEST_PASSWORD


def sign_in(page, base_url: str, username: str) -> None:
    """Sign in through the login page as `username` (the test password) and land on the home page."""
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base_url + "/")


PHONE_WIDTH = 360  # a small phone: the width of the browser tests' pages (tests/browser/conftest.py)


def fits_the_phone(page) -> None:
    """The page is no wider than the phone: nothing to scroll sideways at a border post.

    After a click that navigates, wait for the new page first (an `expect` on its heading): measured mid-way,
    there is no document to measure.
    """
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width} px wide"
