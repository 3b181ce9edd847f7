"""Real-browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium; Playwright's own browser
download is not used). The Django live server runs in a thread of the test process."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.browser.steps import PHONE_WIDTH

CHROMIUM = os.environ.get("SETU_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see .ci/run)")
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls are in another
    # thread, and the test's own ORM calls happen outside any Playwright call.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740}, locale="en-GB")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs  # an XSS payload that ran would show up here
    yield page
    context.close()
