"""Journey: sign in → inspection → framework browser, each page checked with axe-core."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_sign_in_to_framework_browser(page: Page, live_server, inspection, inspector):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Username").fill("inspector")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your inspections")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=inspection.title).click()
    expect(page.get_by_role("heading", name=inspection.title)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Miniature test framework, version 1").click()
    expect(page.get_by_role("heading", name="Miniature test framework", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Preparing for sentence").click()
    expect(page.get_by_role("heading", name="1.1 Preparing for sentence")).to_be_visible()
    expect(page.get_by_text("Cases where Type of case: Community order")).to_be_visible()
    assert_accessible(page)

    # The stylesheet is served and applied (GOV.UK header colour).
    background = page.locator(".govuk-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(11, 12, 12)"
