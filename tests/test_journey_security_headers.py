"""In a real browser, the Content-Security-Policy blocks nothing the pages need: no console report of a
refused script, style or image on the pages that use scripts, charts, htmx or Django admin."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, make_assessed_cases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, url: str, username: str, button: str) -> None:
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_no_page_trips_the_content_security_policy(page: Page, live_server, case, lead, admin_user):
    make_assessed_cases(case.inspection, 3)
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else 0)
    base, slug = live_server.url, case.inspection.slug
    sign_in(page, f"{base}/sign-in/", "lead", "Sign in")
    for path in (
        f"/inspections/{slug}/",
        f"/inspections/{slug}/scores/",
        f"/inspections/{slug}/report/pdf/",
        f"/inspections/{slug}/report/preview/",
        "/account/password/",
        f"/inspections/{slug}/cases/{case.case_ref}/criteria/1.1/",
    ):
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
    # GOV.UK Frontend is marked as supported by the script file that replaced the inline script …
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")
    # … and htmx autosaves a note without evaluating code (the trigger has no filter expression).
    page.locator("#note-1-1-03").fill("Typed under the policy")
    expect(page.locator("#status-1-1-03")).to_contain_text("Saved at")
    page.context.clear_cookies()
    sign_in(page, f"{base}/django-admin/login/", "admin", "Log in")
    page.goto(f"{base}/django-admin/cases/case/{case.pk}/change/")
    page.wait_for_load_state("networkidle")
    assert refused == []
